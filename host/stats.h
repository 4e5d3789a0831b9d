/* stats.h: summary statistics of one output from a run's merged totals: moments, the standard
 * error of the mean and a normal-theory confidence interval for it, and quantiles (Hyndman-Fan
 * type 7, numpy's default) with distribution-free confidence intervals from binomial order
 * statistics; under rqmc every interval from the spread of the replicates instead. Quantiles are exact order statistics when a quantile_refinement is given, else
 * read from the first pass's histogram (error at most one bin: quantile_resolution). */
#ifndef THIRST_STATS_H
#define THIRST_STATS_H

#include "engine.h"
#include "quantile.h"

#ifdef __cplusplus
extern "C" {
#endif

#define STATS_CONFIDENCE 0.95   /* level of every Monte Carlo confidence interval */
#define STATS_MAX_RANKS (6 * SCENARIO_MAX_QUANTILES + 12)

/* Statistics of one output. NaN marks a confidence bound too few draws can give. */
typedef struct {
    uint64_t n;
    double mean, sd, sem;           /* sem: standard error of the mean, sd / sqrt(n) */
    double mean_ci_low, mean_ci_high;   /* Student t interval (n - 1 degrees of freedom; rqmc:
                                       replicates - 1, from the replicates' means) */
    double sd_ci_low, sd_ci_high;   /* rqmc: Student t interval from the replicates' sds; mc: NaN */
    int replicates;                 /* rqmc: the replicates behind the intervals; mc: 0 */
    double pareto_k;                /* the heavier tail's Pareto k (tail.h); NaN: too few draws */
    int mean_reliable;              /* 0 when pareto_k >= TAIL_PARETO_K_MAX: the mean and its
                                       interval cannot be trusted at this many draws */
    double min, max;
    int quantile_count;
    double probability[SCENARIO_MAX_QUANTILES];
    double quantile[SCENARIO_MAX_QUANTILES];
    double quantile_ci_low[SCENARIO_MAX_QUANTILES], quantile_ci_high[SCENARIO_MAX_QUANTILES];
    double interval_probability;    /* e.g. 0.95 */
    double interval_low, interval_high;
    double interval_low_ci[2], interval_high_ci[2];
    int exact;                      /* quantiles are exact order statistics */
    double quantile_resolution;     /* histogram quantiles: relative bin width; exact: 0 */
    double worst_relative_error;    /* largest CI half-width over |estimate| (mean, quantiles) */
    double worst_absolute_error;    /* largest CI half-width (mean, quantiles) */
} stats_output;

/* The probabilities whose quantiles the statistics give: the scenario's quantiles, then the
 * central interval's two ends; returns the count (at most QUANTILE_MAX_PROBABILITIES). */
int stats_probabilities(const scenario *s, double *probabilities);

/* Every 0-based rank the quantiles of an output with n values need (type-7 neighbours of each
 * quantile and interval end), and with binomial_intervals their binomial confidence bounds
 * (Monte Carlo; rqmc's bounds come after: stats_replicate_interval_ranks); returns the count. */
int stats_ranks(uint64_t n, const scenario *s, int binomial_intervals, uint64_t *ranks);

/* rqmc: the ranks of the interval ends of every quantile of output o (two per probability of
 * stats_probabilities), from refinement->interval_half; returns the count. */
int stats_replicate_interval_ranks(uint64_t n, const scenario *s,
                                   const quantile_refinement *refinement, int o, uint64_t *ranks);

/* 1 when refinement (a complete checkpoint's, checkpoint.h) cannot give plan's statistics over
 * totals: a rank they need is missing or holds a value outside the output's [min, max], or
 * the rqmc intervals are missing, present under Monte Carlo, or not in [0, 1]; else 0. */
int stats_refinement_unfit(const draw_plan *plan, const run_state *totals, const scenario *s,
                           const quantile_refinement *refinement);

/* The type-7 quantile at p of output o: exact from refinement's order statistics, or from the
 * histogram when refinement is NULL. */
double stats_quantile(const draw_plan *plan, const run_state *totals,
                      const quantile_refinement *refinement, int o, double p);

/* Statistics of output o of plan from totals; refinement NULL means histogram quantiles. */
void stats_compute(const draw_plan *plan, const run_state *totals,
                   const quantile_refinement *refinement, int o, const scenario *s,
                   stats_output *out);

/* Value at 0-based rank r (0 <= r < n) of output o, read from its histogram. */
double stats_rank_value(const draw_plan *plan, const run_state *totals, int o, uint64_t r);

#ifdef __cplusplus
}
#endif

#endif
