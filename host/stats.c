/* stats.c: moments, confidence intervals and quantiles of one output. */
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "special.h"
#include "tail.h"

/* Lower edge (value) of bin b (1..bins + 1) of histogram h. */
static double bin_lower_edge(const accum_hist_spec *h, int b)
{
    uint64_t key = ((uint64_t)h->key_low + (uint64_t)(b - 1)) << h->shift;
    if (key > 0xFFFFFFFFull) return INFINITY;
    return (double)accum_key_value((uint32_t)key);
}

double stats_rank_value(const draw_plan *plan, const run_state *totals, int o, uint64_t r)
{
    const accum_hist_spec *h = &plan->hist[o];
    const uint64_t *counts = totals->hist + plan->hist_offset[o];
    const state_moments *m = &totals->moments[o];
    uint64_t below = 0;
    for (int b = 0; b < h->bins + 2; b++) {
        if (counts[b] == 0 || below + counts[b] <= r) {
            below += counts[b];
            continue;
        }
        double low = b == 0 ? m->min : bin_lower_edge(h, b);
        double high = b == h->bins + 1 ? m->max : bin_lower_edge(h, b + 1);
        if (low < m->min) low = m->min;
        if (high > m->max) high = m->max;
        /* The counts[b] values of the bin are spread evenly across it. */
        double t = ((double)(r - below) + 0.5) / (double)counts[b];
        return low + t * (high - low);
    }
    return m->max;
}

/* numpy's virtual index for method "linear" (its default): (n - 1) p, computed as numpy does. */
static double virtual_index(uint64_t n, double p)
{
    return (double)(n - 1) * p;
}

/* Probability of the lower (side 0) or upper (side 1) end of the central interval, rounded to
 * 15 significant digits so that a 95 % interval asks for exactly p = 0.025 and 0.975 (as a
 * user comparing with numpy.quantile(x, 0.025) would), not (1 - 0.95) / 2 = 0.025000000000000022. */
static double interval_end(const scenario *s, int side)
{
    double p = side ? (1 + s->interval) / 2 : (1 - s->interval) / 2;
    char text[32];
    snprintf(text, sizeof text, "%.15g", p);
    return strtod(text, NULL);
}

int stats_probabilities(const scenario *s, double *probabilities)
{
    int k = 0;
    for (; k < s->quantile_count; k++) probabilities[k] = s->quantiles[k];
    probabilities[k++] = interval_end(s, 0);
    probabilities[k++] = interval_end(s, 1);
    return k;
}

/* The ranks of the confidence interval of the quantile at probability p (index k of
 * stats_probabilities) of output o's n values: binomial order statistics, or under rqmc
 * (refinement->replicate_intervals) the replicates' interval. */
static void interval_ranks(uint64_t n, double p, const quantile_refinement *refinement, int o,
                           int k, uint64_t *low, uint64_t *high, int *low_open, int *high_open)
{
    if (refinement && refinement->replicate_intervals)
        quantile_replicate_ranks(n, p, refinement->interval_half[o][k], low, high, low_open,
                                 high_open);
    else
        quantile_ci_ranks(n, p, STATS_CONFIDENCE, low, high, low_open, high_open);
}

int stats_ranks(uint64_t n, const scenario *s, int binomial_intervals, uint64_t *ranks)
{
    int count = 0;
    double probabilities[QUANTILE_MAX_PROBABILITIES];
    int k = stats_probabilities(s, probabilities);
    for (int j = 0; j < k; j++) {
        double h = virtual_index(n, probabilities[j]);
        uint64_t r = h <= 0 ? 0 : (uint64_t)floor(h);
        if (r > n - 1) r = n - 1;
        ranks[count++] = r;
        if (r + 1 < n) ranks[count++] = r + 1;
        if (!binomial_intervals) continue;
        uint64_t low, high;
        int low_open, high_open;
        quantile_ci_ranks(n, probabilities[j], STATS_CONFIDENCE, &low, &high, &low_open,
                          &high_open);
        ranks[count++] = low;
        ranks[count++] = high;
    }
    return count;
}

int stats_replicate_interval_ranks(uint64_t n, const scenario *s,
                                   const quantile_refinement *refinement, int o, uint64_t *ranks)
{
    double probabilities[QUANTILE_MAX_PROBABILITIES];
    int k = stats_probabilities(s, probabilities), count = 0;
    for (int j = 0; j < k; j++) {
        uint64_t low, high;
        int low_open, high_open;
        interval_ranks(n, probabilities[j], refinement, o, j, &low, &high, &low_open, &high_open);
        ranks[count++] = low;
        ranks[count++] = high;
    }
    return count;
}

int stats_refinement_unfit(const draw_plan *plan, const run_state *totals, const scenario *s,
                           const quantile_refinement *refinement)
{
    const int rqmc = plan->sampler == PLAN_SAMPLER_RQMC;
    if (refinement->replicate_intervals != rqmc) return 1;
    double probabilities[QUANTILE_MAX_PROBABILITIES];
    const int per_output = stats_probabilities(s, probabilities);
    for (int o = 0; o < plan->output_count; o++) {
        const state_moments *m = &totals->moments[o];
        for (int k = 0; rqmc && k < per_output; k++)
            if (!(refinement->interval_half[o][k] >= 0 && refinement->interval_half[o][k] <= 1))
                return 1;
        uint64_t ranks[STATS_MAX_RANKS + 2 * QUANTILE_MAX_PROBABILITIES];
        int count = m->n ? stats_ranks(m->n, s, !rqmc, ranks) : 0;
        if (rqmc && m->n)
            count += stats_replicate_interval_ranks(m->n, s, refinement, o, ranks + count);
        for (int j = 0; j < count; j++) {
            const double value = quantile_value(refinement, o, ranks[j]);   /* NaN: missing */
            if (!(value >= (double)m->min && value <= (double)m->max)) return 1;
        }
    }
    return 0;
}

/* Value at rank r: exact when refined, else from the histogram. */
static double rank_value(const draw_plan *plan, const run_state *totals,
                         const quantile_refinement *refinement, int o, uint64_t r)
{
    return refinement ? quantile_value(refinement, o, r) : stats_rank_value(plan, totals, o, r);
}

double stats_quantile(const draw_plan *plan, const run_state *totals,
                      const quantile_refinement *refinement, int o, double p)
{
    uint64_t n = totals->moments[o].n;
    double h = virtual_index(n, p);
    if (h >= (double)(n - 1)) return rank_value(plan, totals, refinement, o, n - 1);
    uint64_t r = h <= 0 ? 0 : (uint64_t)floor(h);
    double t = h - (double)r;
    double low = rank_value(plan, totals, refinement, o, r);
    double high = rank_value(plan, totals, refinement, o, r + 1);
    return quantile_lerp(low, high, t);
}

/* Type-7 quantile at probability p (index k of stats_probabilities), with its confidence
 * bounds. */
static double quantile_at(const draw_plan *plan, const run_state *totals,
                          const quantile_refinement *refinement, int o, double p, int k,
                          double *ci)
{
    uint64_t n = totals->moments[o].n;
    double value = stats_quantile(plan, totals, refinement, o, p);
    uint64_t low_rank, high_rank;
    int low_open, high_open;
    interval_ranks(n, p, refinement, o, k, &low_rank, &high_rank, &low_open, &high_open);
    ci[0] = low_open ? NAN : rank_value(plan, totals, refinement, o, low_rank);
    ci[1] = high_open ? NAN : rank_value(plan, totals, refinement, o, high_rank);
    return value;
}

/* Track the worst half-width of an interval [low, high] around estimate. */
static void track_error(stats_output *out, double estimate, double low, double high)
{
    double half = isnan(low) || isnan(high) ? INFINITY : 0.5 * (high - low);
    if (half > out->worst_absolute_error) out->worst_absolute_error = half;
    double relative = estimate != 0 ? half / fabs(estimate) : (half > 0 ? INFINITY : 0);
    if (relative > out->worst_relative_error) out->worst_relative_error = relative;
}

/* The sample variance of x[0..count) (two passes: the replicates' means may differ by far less
 * than their size). */
static double spread_variance(const double *x, int count)
{
    double mean = 0, squares = 0;
    for (int k = 0; k < count; k++) mean += x[k];
    mean /= count;
    for (int k = 0; k < count; k++) squares += (x[k] - mean) * (x[k] - mean);
    return squares / (count - 1);
}

/* rqmc: the mean's standard error (out->sem) from the spread of the replicates' means, the
 * sd's interval from the spread of their variances, and *t, Student's factor with replicates - 1
 * degrees of freedom (DESIGN.md section 11: the replicates are independent; the draws within
 * one are not). The estimates stay those of the pooled sample. */
static void replicate_moment_intervals(const run_state *totals, int o, stats_output *out, double *t)
{
    const int replicates = totals->replicates;
    static _Thread_local double means[PLAN_MAX_REPLICATES], variances[PLAN_MAX_REPLICATES];
    for (int r = 0; r < replicates; r++) {
        const state_replicate *x = &totals->replicate[(size_t)r * (size_t)totals->output_count + o];
        double n = (double)x->n, sum = exact_sum_value(&x->sum);
        /* (x - shift) sums: the shift cancels from the spread, so it is left out */
        means[r] = sum / n;
        double variance = (exact_sum_value(&x->sum_squares) - sum * (sum / n)) / (n - 1);
        variances[r] = variance;
    }
    *t = special_t_quantile(0.5 + STATS_CONFIDENCE / 2, replicates - 1);
    out->replicates = replicates;
    out->sem = sqrt(spread_variance(means, replicates) / replicates);
    /* The variance's interval (the replicates' variances are unbiased), as sds. */
    double variance = out->sd * out->sd;
    double half = *t * sqrt(spread_variance(variances, replicates) / replicates);
    out->sd_ci_low = isnan(half) ? NAN : sqrt(fmax(0, variance - half));
    out->sd_ci_high = sqrt(variance + half);
}

void stats_compute(const draw_plan *plan, const run_state *totals,
                   const quantile_refinement *refinement, int o, const scenario *s,
                   stats_output *out)
{
    const state_moments *m = &totals->moments[o];
    double n = (double)m->n;
    out->n = m->n;
    double sum = run_state_sum(totals, o), sum_squares = run_state_sum_squares(totals, o);
    double mean_shifted = sum / n;
    out->mean = (double)plan->shift[o] + mean_shifted;
    /* One draw has no sd and no interval for its mean (NaN: null in the JSON). */
    double variance = m->n > 1 ? (sum_squares - sum * mean_shifted) / (n - 1) : NAN;
    out->sd = variance > 0 ? sqrt(variance) : (variance == variance ? 0 : NAN);
    out->sem = out->sd / sqrt(n);
    /* Student t with n - 1 degrees of freedom: at n = 2 the 95 % factor is 12.7, not 1.96. */
    double t = m->n > 1 ? special_t_quantile(0.5 + STATS_CONFIDENCE / 2, n - 1) : NAN;
    out->sd_ci_low = out->sd_ci_high = NAN;
    out->replicates = 0;
    if (totals->replicates > 1) replicate_moment_intervals(totals, o, out, &t);
    out->mean_ci_low = out->mean - t * out->sem;
    out->mean_ci_high = out->mean + t * out->sem;
    out->pareto_k = fmax(tail_pareto_k(plan, totals, o, 1), tail_pareto_k(plan, totals, o, 0));
    out->mean_reliable = !(out->pareto_k >= TAIL_PARETO_K_MAX);
    out->min = m->min;
    out->max = m->max;
    out->exact = refinement != NULL;
    out->quantile_resolution = refinement ? 0 : ldexp(1.0, -(23 - plan->hist[o].shift));
    out->worst_relative_error = 0;
    out->worst_absolute_error = 0;
    track_error(out, out->mean, out->mean_ci_low, out->mean_ci_high);
    out->quantile_count = s->quantile_count;
    for (int k = 0; k < s->quantile_count; k++) {
        double ci[2];
        out->probability[k] = s->quantiles[k];
        out->quantile[k] = quantile_at(plan, totals, refinement, o, s->quantiles[k], k, ci);
        out->quantile_ci_low[k] = ci[0];
        out->quantile_ci_high[k] = ci[1];
        track_error(out, out->quantile[k], ci[0], ci[1]);
    }
    out->interval_probability = s->interval;
    out->interval_low = quantile_at(plan, totals, refinement, o, interval_end(s, 0),
                                    s->quantile_count, out->interval_low_ci);
    out->interval_high = quantile_at(plan, totals, refinement, o, interval_end(s, 1),
                                     s->quantile_count + 1, out->interval_high_ci);
    track_error(out, out->interval_low, out->interval_low_ci[0], out->interval_low_ci[1]);
    track_error(out, out->interval_high, out->interval_high_ci[0], out->interval_high_ci[1]);
}
