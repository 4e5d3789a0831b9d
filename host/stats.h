/* stats.h: summary statistics of one output from a run's merged totals: moments, standard
 * error of the mean, and quantiles read from the histogram (Hyndman-Fan type 7, numpy's
 * default, with linear interpolation inside a bin; error at most one bin, a relative width
 * of 2^-mantissa_bits, reported as quantile_resolution). */
#ifndef THIRST_STATS_H
#define THIRST_STATS_H

#include "engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Statistics of one output. */
typedef struct {
    uint64_t n;
    double mean, sd, sem;           /* sem: standard error of the mean, sd / sqrt(n) */
    double min, max;
    int quantile_count;
    double probability[SCENARIO_MAX_QUANTILES];
    double quantile[SCENARIO_MAX_QUANTILES];
    double interval_probability;    /* e.g. 0.95 */
    double interval_low, interval_high;
    double quantile_resolution;     /* relative width of a histogram bin */
} stats_output;

/* Statistics of output o of plan from totals, with the scenario's quantiles and interval. */
void stats_compute(const engine_plan *plan, const engine_totals *totals, int o,
                   const scenario *s, stats_output *out);

/* Value at 0-based rank r (0 <= r < n) of output o, read from its histogram. */
double stats_rank_value(const engine_plan *plan, const engine_totals *totals, int o, uint64_t r);

#ifdef __cplusplus
}
#endif

#endif
