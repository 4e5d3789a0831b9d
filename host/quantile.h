/* quantile.h: exact order statistics in O(bins) memory. The first pass's histogram says which
 * bin holds each wanted rank; each refinement pass re-draws the same sample (draws are counters)
 * and counts the values of every such bin in QUANTILE_SUBBINS sub-bins of its key range, until
 * each range is one float key: one value, the exact order statistic. Bins of 2^13 keys (CPU)
 * take one refinement pass, 2^16 keys (CUDA) two, the open-ended under- and overflow bins at
 * most three. Also: the ranks a report needs (type-7 quantiles and their distribution-free
 * confidence intervals from binomial order statistics). */
#ifndef THIRST_QUANTILE_H
#define THIRST_QUANTILE_H

#include <stddef.h>
#include <stdint.h>

#include "../kernels/accum.h"
#include "engine.h"
#include "state.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QUANTILE_SUBBINS 8192
#define QUANTILE_MAX_TARGETS (PLAN_MAX_OUTPUTS * 128)

/* One wanted order statistic and where it is known to lie. */
typedef struct {
    int output;              /* reported output index (plan order) */
    uint64_t rank;           /* 0-based rank among the output's n values */
    uint32_t key_low;        /* the rank's value has a key in [key_low, key_high] */
    uint32_t key_high;
    uint64_t below;          /* values with a key below key_low */
    int resolved;            /* key_low == key_high: value is exact */
    float value;             /* the order statistic, once resolved */
} quantile_target;

/* The key ranges of a pass are accum_range (kernels/accum.h), which the backends count. */

/* Probabilities whose quantiles a report gives: the scenario's, then the central interval's
 * two ends (stats.h). */
#define QUANTILE_MAX_PROBABILITIES (SCENARIO_MAX_QUANTILES + 2)

/* The refinement state of a run. */
typedef struct {
    int replicate_intervals;   /* rqmc: 1 once interval_half holds every quantile's interval */
    double interval_half[PLAN_MAX_OUTPUTS][QUANTILE_MAX_PROBABILITIES];   /* rqmc: the interval
                                  of output o's quantile k as a half-width in probability
                                  (quantile_replicate_half_width) */
    int target_count;
    quantile_target targets[QUANTILE_MAX_TARGETS];
    int range_count;
    accum_range ranges[QUANTILE_MAX_TARGETS];
    int count_total;         /* counters a pass fills (sum of ranges' bins) */
    int passes;              /* refinement passes done */
} quantile_refinement;

/* Start refinement for `count` ranks of output o, located in the first pass's histogram. */
int quantile_add_targets(quantile_refinement *q, const draw_plan *plan,
                         const run_state *totals, int o, const uint64_t *ranks, int count,
                         char *err, size_t errlen);

/* Lay out the ranges of the next pass (sorted by output, then key); returns the number of
 * ranges, 0 when every target is resolved. */
int quantile_prepare_pass(quantile_refinement *q);

/* For a pass's ranges: first_range[plan->hist_offset[o] + b] = the first range (index into
 * q->ranges) that overlaps fine-histogram bin b of output o, or -1. One int32 per counter of the
 * plan's histogram (plan->hist_total); lets a pass find a value's range in O(1). */
void quantile_bin_table(const quantile_refinement *q, const draw_plan *plan,
                        int32_t *first_range);

/* Narrow every unresolved target with the counts of a pass (count_total counters). */
void quantile_apply_pass(quantile_refinement *q, const uint64_t *counts);

/* Windows: key ranges, chosen before the last draws of a run are made, that a pass counts key
 * by key (shift 0) alongside its histogram, so that the ranks they hold come out exact without
 * a refinement pass. The window of a rank is the span of the first n_seen draws' order
 * statistics within QUANTILE_WINDOW_Z binomial standard deviations of the rank's share of the
 * final n draws: the final order statistic lies outside it with probability about
 * 2 Phi(-QUANTILE_WINDOW_Z) = 6e-7; a miss only costs a refinement pass. */
#define QUANTILE_WINDOW_Z 5.0
/* Window counters cost 8 bytes each in the totals and 4 in each CPU thread's counters. A run
 * has at most QUANTILE_WINDOW_MAX_COUNTERS of them, and no more than fit
 * QUANTILE_WINDOW_COUNTER_BYTES with its threads, but never fewer than
 * QUANTILE_WINDOW_MIN_LIMIT: 2^22 on one or two threads (48 and 64 MiB), 2^21 from six (the
 * limit before 2026-12-02). The GPT-3 scenario's windows fit 2^22 counters from a prefix of
 * about 1e6 draws (3.4e6 counters) and 2^21 from 4.2e6, so a 1e7-draw run on one thread counts
 * 10 % of its draws twice instead of 42 %; wider windows, from a shorter prefix, cost more in
 * counting than they save (bench/README.md, "Issue 17, step 7"). */
#define QUANTILE_WINDOW_MAX_COUNTERS (1 << 22)
#define QUANTILE_WINDOW_MIN_LIMIT (1 << 21)
#define QUANTILE_WINDOW_COUNTER_BYTES (64.0 * 1024 * 1024)

/* The most window counters a run on `threads` CPU threads (>= 1) may use: within
 * [QUANTILE_WINDOW_MIN_LIMIT, QUANTILE_WINDOW_MAX_COUNTERS]. */
int quantile_window_counter_limit(int threads);

/* Add the window of rank `rank` (of n_final values) of output o, located in totals, which hold
 * n_seen draws, z binomial standard deviations wide each side (QUANTILE_WINDOW_Z); returns 0,
 * or -1 when the window reaches an open-ended bin. w collects the windows in its ranges (call
 * quantile_windows_finish before using them). */
int quantile_add_window(quantile_refinement *w, const draw_plan *plan,
                        const run_state *totals, int o, uint64_t rank, uint64_t n_final,
                        uint64_t n_seen, double z);

/* Merge w's windows (overlapping or touching ones of the same output become one), sort them
 * and lay out their counters; returns the counters needed. */
int quantile_windows_finish(quantile_refinement *w);

/* Resolve, with the window counts of a run (all of its draws), every unresolved target whose
 * key range lies inside a window; returns the targets still unresolved. */
int quantile_apply_windows(quantile_refinement *q, const quantile_refinement *windows,
                           const uint64_t *counts);

/* The exact value at rank of output o (which must have been a target). */
double quantile_value(const quantile_refinement *q, int o, uint64_t rank);

/* Ranks (0-based) bounding a distribution-free confidence interval of level `confidence` for
 * the p-quantile of n values: P(X_(lower) <= x_p <= X_(upper)) >= confidence, from
 * Binomial(n, p) (exact for n p (1 - p) < 100, normal approximation above). *lower_open /
 * *upper_open are set when n is too small for a bound (the rank is then 0 or n - 1). */
void quantile_ci_ranks(uint64_t n, double p, double confidence, uint64_t *lower,
                       uint64_t *upper, int *lower_open, int *upper_open);

/* rqmc (DESIGN.md section 11): the half-width in probability of a confidence interval of level
 * `confidence` for a quantile, from the fractions of each of `replicates` replicates' values at
 * or below the pooled estimate (each an unbiased estimate of the CDF there): Student t with
 * replicates - 1 degrees of freedom times their standard error. The binomial order-statistic
 * intervals assume independent draws, which QMC points are not. */
double quantile_replicate_half_width(const double *fractions, int replicates, double confidence);

/* Ranks (0-based) bounding the rqmc interval of the p-quantile of n pooled values whose CDF
 * at the estimate has the half-width `half` (quantile_replicate_half_width): the order
 * statistics at n (p -+ half), as quantile_ci_ranks' normal form with z sqrt(n p (1 - p))
 * replaced by n half; the open flags as there. */
void quantile_replicate_ranks(uint64_t n, double p, double half, uint64_t *lower, uint64_t *upper,
                              int *lower_open, int *upper_open);

/* numpy's linear interpolation (type 7) between order statistics a = X_(r) and b = X_(r+1) at
 * fraction t, written as numpy writes it so that results agree to the last bit. */
double quantile_lerp(double a, double b, double t);

#ifdef __cplusplus
}
#endif

#endif
