/* stats.c: moments, standard errors and histogram quantiles of one output. */
#include "stats.h"

#include <math.h>

/* Lower edge (value) of bin b (1..bins + 1) of histogram h. */
static double bin_lower_edge(const accum_hist_spec *h, int b)
{
    uint64_t key = ((uint64_t)h->key_low + (uint64_t)(b - 1)) << h->shift;
    if (key > 0xFFFFFFFFull) return INFINITY;
    return (double)accum_key_value((uint32_t)key);
}

double stats_rank_value(const engine_plan *plan, const engine_totals *totals, int o, uint64_t r)
{
    const accum_hist_spec *h = &plan->hist[o];
    const uint64_t *counts = totals->hist + plan->hist_offset[o];
    const engine_moments *m = &totals->moments[o];
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

/* Type-7 quantile at probability p. */
static double quantile_at(const engine_plan *plan, const engine_totals *totals, int o, double p)
{
    uint64_t n = totals->moments[o].n;
    double h = (double)(n - 1) * p;
    uint64_t r = (uint64_t)floor(h);
    double fraction = h - (double)r;
    double low = stats_rank_value(plan, totals, o, r);
    if (fraction == 0 || r + 1 >= n) return low;
    double high = stats_rank_value(plan, totals, o, r + 1);
    return low + fraction * (high - low);
}

void stats_compute(const engine_plan *plan, const engine_totals *totals, int o,
                   const scenario *s, stats_output *out)
{
    const engine_moments *m = &totals->moments[o];
    double n = (double)m->n;
    out->n = m->n;
    double mean_shifted = m->sum / n;
    out->mean = (double)plan->shift[o] + mean_shifted;
    double variance = m->n > 1 ? (m->sum_squares - m->sum * mean_shifted) / (n - 1) : 0;
    out->sd = variance > 0 ? sqrt(variance) : 0;
    out->sem = out->sd / sqrt(n);
    out->min = m->min;
    out->max = m->max;
    out->quantile_count = s->quantile_count;
    for (int k = 0; k < s->quantile_count; k++) {
        out->probability[k] = s->quantiles[k];
        out->quantile[k] = quantile_at(plan, totals, o, s->quantiles[k]);
    }
    out->interval_probability = s->interval;
    out->interval_low = quantile_at(plan, totals, o, (1 - s->interval) / 2);
    out->interval_high = quantile_at(plan, totals, o, (1 + s->interval) / 2);
    out->quantile_resolution = ldexp(1.0, -(23 - plan->hist[o].shift));
}
