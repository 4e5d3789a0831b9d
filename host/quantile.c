/* quantile.c: exact order statistics by histogram refinement, and the ranks behind quantiles
 * and their binomial confidence intervals. */
#include "quantile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "special.h"
#include "status.h"

/* Lowest key of fine-histogram bin b of h (b in 1..bins + 1); keys above 2^32 cap at 2^32. */
static uint64_t bin_first_key(const accum_hist_spec *h, int b)
{
    uint64_t key = ((uint64_t)h->key_low + (uint64_t)(b - 1)) << h->shift;
    return key > 0x100000000ull ? 0x100000000ull : key;
}

int quantile_add_targets(quantile_refinement *q, const draw_plan *plan,
                         const run_state *totals, int o, const uint64_t *ranks, int count,
                         char *err, size_t errlen)
{
    const accum_hist_spec *h = &plan->hist[o];
    const uint64_t *counts = totals->hist + plan->hist_offset[o];
    for (int k = 0; k < count; k++) {
        int duplicate = 0;
        for (int t = 0; t < q->target_count; t++)
            if (q->targets[t].output == o && q->targets[t].rank == ranks[k]) duplicate = 1;
        if (duplicate) continue;
        if (q->target_count == QUANTILE_MAX_TARGETS)
            return status_fail(err, errlen, THIRST_ERR_INPUT, "too many quantiles requested");
        uint64_t below = 0;
        int b = 0;
        while (b < h->bins + 1 && below + counts[b] <= ranks[k]) below += counts[b++];
        quantile_target *t = &q->targets[q->target_count++];
        t->output = o;
        t->rank = ranks[k];
        t->below = below;
        uint64_t low = b == 0 ? 0 : bin_first_key(h, b);
        uint64_t high = b == h->bins + 1 ? 0x100000000ull : bin_first_key(h, b + 1);
        t->key_low = (uint32_t)low;
        t->key_high = (uint32_t)(high - 1);
        t->resolved = t->key_low == t->key_high;
        t->value = accum_key_value(t->key_low);
    }
    return THIRST_OK;
}

/* Order targets' ranges by (output, key_low) for qsort. */
static int compare_ranges(const void *a, const void *b)
{
    const accum_range *x = a, *y = b;
    if (x->output != y->output) return x->output < y->output ? -1 : 1;
    return (x->key_low > y->key_low) - (x->key_low < y->key_low);
}

int quantile_prepare_pass(quantile_refinement *q)
{
    q->range_count = 0;
    q->count_total = 0;
    for (int t = 0; t < q->target_count; t++) {
        const quantile_target *target = &q->targets[t];
        if (target->resolved) continue;
        int seen = 0;
        for (int r = 0; r < q->range_count; r++)
            if (q->ranges[r].output == target->output && q->ranges[r].key_low == target->key_low)
                seen = 1;
        if (seen) continue;
        accum_range *range = &q->ranges[q->range_count++];
        range->output = target->output;
        range->key_low = target->key_low;
        range->key_high = target->key_high;
        uint64_t keys = (uint64_t)target->key_high - target->key_low + 1;
        int shift = 0;
        while ((keys + ((1ull << shift) - 1)) >> shift > QUANTILE_SUBBINS) shift++;
        range->shift = shift;
        range->bins = (int32_t)((keys + ((1ull << shift) - 1)) >> shift);
    }
    qsort(q->ranges, (size_t)q->range_count, sizeof q->ranges[0], compare_ranges);
    for (int r = 0; r < q->range_count; r++) {
        q->ranges[r].offset = q->count_total;
        q->count_total += q->ranges[r].bins;
    }
    return q->range_count;
}

void quantile_bin_table(const quantile_refinement *q, const draw_plan *plan,
                        int32_t *first_range)
{
    for (int k = 0; k < plan->hist_total; k++) first_range[k] = -1;
    /* Ranges are sorted by (output, key), so walking them backwards leaves each bin with the
     * lowest range that touches it. */
    for (int r = q->range_count - 1; r >= 0; r--) {
        const accum_range *range = &q->ranges[r];
        const accum_hist_spec *h = &plan->hist[range->output];
        int first = accum_bin(h, accum_key_value(range->key_low));
        int last = accum_bin(h, accum_key_value(range->key_high));
        for (int b = first; b <= last; b++) first_range[plan->hist_offset[range->output] + b] = r;
    }
}

void quantile_apply_pass(quantile_refinement *q, const uint64_t *counts)
{
    for (int t = 0; t < q->target_count; t++) {
        quantile_target *target = &q->targets[t];
        if (target->resolved) continue;
        const accum_range *range = NULL;
        for (int r = 0; r < q->range_count && !range; r++)
            if (q->ranges[r].output == target->output && q->ranges[r].key_low == target->key_low)
                range = &q->ranges[r];
        if (!range) continue;
        const uint64_t *c = counts + range->offset;
        uint64_t below = target->below;
        int b = 0;
        while (b < range->bins - 1 && below + c[b] <= target->rank) below += c[b++];
        uint64_t low = (uint64_t)range->key_low + ((uint64_t)b << range->shift);
        uint64_t high = low + (1ull << range->shift) - 1;
        if (high > range->key_high) high = range->key_high;
        target->key_low = (uint32_t)low;
        target->key_high = (uint32_t)high;
        target->below = below;
        target->resolved = target->key_low == target->key_high;
        target->value = accum_key_value(target->key_low);
    }
    q->passes++;
}

/* Fine-histogram bin of output o that holds rank r (0-based) of the values in totals. */
static int bin_of_rank(const draw_plan *plan, const run_state *totals, int o, uint64_t r)
{
    const uint64_t *counts = totals->hist + plan->hist_offset[o];
    uint64_t below = 0;
    int b = 0;
    while (b < plan->hist[o].bins + 1 && below + counts[b] <= r) below += counts[b++];
    return b;
}

int quantile_add_window(quantile_refinement *w, const draw_plan *plan,
                        const run_state *totals, int o, uint64_t rank, uint64_t n_final,
                        uint64_t n_seen, double z)
{
    const accum_hist_spec *h = &plan->hist[o];
    if (w->range_count == QUANTILE_MAX_TARGETS || n_seen == 0 || n_final == 0) return -1;
    double p = ((double)rank + 0.5) / (double)n_final;
    double centre = p * (double)n_seen;
    double half = z * sqrt((double)n_seen * p * (1 - p)) + 2;
    double low = floor(centre - half), high = ceil(centre + half);
    uint64_t low_rank = low <= 0 ? 0 : (uint64_t)low;
    uint64_t high_rank = high >= (double)(n_seen - 1) ? n_seen - 1 : (uint64_t)high;
    int first = bin_of_rank(plan, totals, o, low_rank);
    int last = bin_of_rank(plan, totals, o, high_rank);
    if (first == 0 || last == h->bins + 1) return -1;
    uint64_t key_high = bin_first_key(h, last + 1) - 1;
    if (key_high > 0xffffffffull) return -1;
    accum_range *range = &w->ranges[w->range_count++];
    range->output = o;
    range->key_low = (uint32_t)bin_first_key(h, first);
    range->key_high = (uint32_t)key_high;
    range->shift = 0;
    return 0;
}

int quantile_window_counter_limit(int threads)
{
    double fit = QUANTILE_WINDOW_COUNTER_BYTES / (8.0 + 4.0 * (threads > 1 ? threads : 1));
    if (fit > QUANTILE_WINDOW_MAX_COUNTERS) fit = QUANTILE_WINDOW_MAX_COUNTERS;
    if (fit < QUANTILE_WINDOW_MIN_LIMIT) fit = QUANTILE_WINDOW_MIN_LIMIT;
    return (int)fit;
}

int quantile_windows_finish(quantile_refinement *w)
{
    qsort(w->ranges, (size_t)w->range_count, sizeof w->ranges[0], compare_ranges);
    int merged = 0;
    for (int r = 0; r < w->range_count; r++) {
        accum_range *last = merged ? &w->ranges[merged - 1] : NULL;
        if (last && last->output == w->ranges[r].output &&
            (uint64_t)w->ranges[r].key_low <= (uint64_t)last->key_high + 1) {
            if (w->ranges[r].key_high > last->key_high) last->key_high = w->ranges[r].key_high;
        } else {
            w->ranges[merged++] = w->ranges[r];
        }
    }
    w->range_count = merged;
    uint64_t total = 0;
    for (int r = 0; r < w->range_count; r++) {
        uint64_t keys = (uint64_t)w->ranges[r].key_high - w->ranges[r].key_low + 1;
        w->ranges[r].offset = (int32_t)(total < 0x7fffffffull ? total : 0x7fffffffull);
        w->ranges[r].bins = (int32_t)(keys < 0x7fffffffull ? keys : 0x7fffffffull);
        total += keys;
    }
    w->count_total = (int)(total < 0x7fffffffull ? total : 0x7fffffffull);
    return w->count_total;
}

int quantile_apply_windows(quantile_refinement *q, const quantile_refinement *windows,
                           const uint64_t *counts)
{
    int unresolved = 0;
    for (int t = 0; t < q->target_count; t++) {
        quantile_target *target = &q->targets[t];
        if (target->resolved) continue;
        const accum_range *range = NULL;
        for (int r = 0; r < windows->range_count && !range; r++)
            if (windows->ranges[r].output == target->output &&
                windows->ranges[r].key_low <= target->key_low &&
                target->key_high <= windows->ranges[r].key_high)
                range = &windows->ranges[r];
        if (!range) {
            unresolved++;
            continue;
        }
        /* Walk the target's keys, one counter each, from its low end. */
        const uint64_t *c = counts + range->offset;
        uint64_t key = target->key_low, below = target->below;
        while (key < target->key_high && below + c[key - range->key_low] <= target->rank)
            below += c[key++ - range->key_low];
        target->key_low = target->key_high = (uint32_t)key;
        target->below = below;
        target->resolved = 1;
        target->value = accum_key_value(target->key_low);
    }
    return unresolved;
}

double quantile_value(const quantile_refinement *q, int o, uint64_t rank)
{
    for (int t = 0; t < q->target_count; t++)
        if (q->targets[t].output == o && q->targets[t].rank == rank) return q->targets[t].value;
    return NAN;
}

/* P(B <= k) for B ~ Binomial(n, p), where n min(p, 1 - p) < 200 (the exact branch below): the
 * probabilities summed from 0 by their recurrence, relative error about k 1e-16. (The incomplete
 * beta loses everything to cancellation in lgamma at n = 1e15.) Beyond 40 sd above the mean the
 * sum is 1 to double precision. */
static double binomial_cdf(uint64_t n, double p, uint64_t k)
{
    if (k >= n) return 1;
    if (p > 0.5) return 1 - binomial_cdf(n, 1 - p, n - k - 1);   /* P(n - B <= n - k - 1) */
    double mean = (double)n * p;
    if ((double)k > mean + 40 * sqrt(mean) + 40) return 1;
    double term = exp((double)n * log1p(-p)), sum = term, ratio = p / (1 - p);
    for (uint64_t j = 0; j < k; j++) {
        term *= (double)(n - j) / (double)(j + 1) * ratio;
        sum += term;
    }
    return sum < 1 ? sum : 1;
}

void quantile_ci_ranks(uint64_t n, double p, double confidence, uint64_t *lower,
                       uint64_t *upper, int *lower_open, int *upper_open)
{
    /* B = number of values below the true p-quantile ~ Binomial(n, p). With 1-based order
     * statistics, P(X_(l) <= x_p <= X_(u)) = P(l <= B <= u - 1); take the largest l with
     * P(B <= l - 1) <= alpha / 2 and the smallest u with P(B >= u) <= alpha / 2. */
    double alpha = 1 - confidence, variance = (double)n * p * (1 - p);
    double l, u;   /* 1-based */
    if (variance >= 100) {
        double z = special_normal_quantile(1 - alpha / 2), sd = sqrt(variance);
        l = floor((double)n * p - z * sd);
        u = ceil((double)n * p + z * sd) + 1;
    } else {
        /* Both searches are bisections on the increasing CDF: O(log n) evaluations. */
        uint64_t low = 0, above = n;   /* the first k with P(B <= k) > alpha/2 lies in [low, above] */
        while (low < above) {
            uint64_t middle = low + (above - low) / 2;
            if (binomial_cdf(n, p, middle) <= alpha / 2) low = middle + 1; else above = middle;
        }
        l = (double)low;           /* P(B <= low - 1) <= alpha/2 < P(B <= low) */
        uint64_t first = 1, last = n + 1;   /* the first h >= 1 with P(B >= h) <= alpha/2 */
        while (first < last) {
            uint64_t middle = first + (last - first) / 2;
            if (1 - binomial_cdf(n, p, middle - 1) <= alpha / 2) last = middle; else first = middle + 1;
        }
        u = (double)first;         /* P(B >= u) <= alpha/2 < P(B >= u - 1) */
    }
    *lower_open = l < 1;
    *upper_open = u > (double)n;
    if (l < 1) l = 1;
    if (u > (double)n) u = (double)n;
    *lower = (uint64_t)l - 1;
    *upper = (uint64_t)u - 1;
}

double quantile_replicate_half_width(const double *fractions, int replicates, double confidence)
{
    double mean = 0, squares = 0;
    for (int r = 0; r < replicates; r++) mean += fractions[r];
    mean /= replicates;
    for (int r = 0; r < replicates; r++) squares += (fractions[r] - mean) * (fractions[r] - mean);
    double standard_error = sqrt(squares / (replicates - 1) / replicates);
    return special_t_quantile(0.5 + confidence / 2, replicates - 1) * standard_error;
}

void quantile_replicate_ranks(uint64_t n, double p, double half, uint64_t *lower, uint64_t *upper,
                              int *lower_open, int *upper_open)
{
    double l = floor((double)n * (p - half)), u = ceil((double)n * (p + half)) + 1;   /* 1-based */
    *lower_open = !(l >= 1);   /* NaN (a half-width that is not a number) too */
    *upper_open = !(u <= (double)n);
    if (!(l >= 1)) l = 1;
    if (l > (double)n) l = (double)n;
    if (!(u <= (double)n)) u = (double)n;
    if (u < 1) u = 1;
    *lower = (uint64_t)l - 1;
    *upper = (uint64_t)u - 1;
}

double quantile_lerp(double a, double b, double t)
{
    double difference = b - a;
    return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
}
