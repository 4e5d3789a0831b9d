/* tail.c: the Pareto k diagnostic of an output's tails, from its histogram. */
#include "tail.h"

#include <math.h>
#include <stdlib.h>

/* Value of the lower edge of bin b (1..bins + 1) of h, as stats.c computes it. */
static double edge(const accum_hist_spec *h, int b)
{
    uint64_t key = ((uint64_t)h->key_low + (uint64_t)(b - 1)) << h->shift;
    if (key > 0xFFFFFFFFull) return INFINITY;
    return (double)accum_key_value((uint32_t)key);
}

double tail_pareto_k_fit(const double *y, const double *w, int count)
{
    double n = 0;
    for (int i = 0; i < count; i++) n += w[i];
    double y_max = y[count - 1];
    if (!(y_max > 0)) return -INFINITY;
    /* The excess at rank floor(n / 4 + 0.5) (1-based), the scale of the prior on b. */
    double rank = floor(n / 4 + 0.5), seen = 0, y_quartile = y[count - 1];
    for (int i = 0; i < count; i++) {
        seen += w[i];
        if (seen >= rank) {
            y_quartile = y[i];
            break;
        }
    }
    if (!(y_quartile > 0)) return -INFINITY;
    /* Zhang and Stephens (2009): candidates b_j, profile log-likelihoods L_j, and the posterior
     * mean of b over them; then k for that b, shrunk towards 1/2 by a prior worth 10 draws. */
    int m = 30 + (int)sqrt(n);
    double *b = malloc((size_t)m * sizeof *b), *log_likelihood = malloc((size_t)m * sizeof *b);
    if (!b || !log_likelihood) {
        free(b);
        free(log_likelihood);
        return NAN;
    }
    for (int j = 0; j < m; j++) {
        b[j] = (1 - sqrt(m / (j + 0.5))) / (3 * y_quartile) + 1 / y_max;
        double k = 0;
        for (int i = 0; i < count; i++) k += w[i] * log1p(-b[j] * y[i]);
        k /= n;
        log_likelihood[j] = n * (log(-b[j] / k) - k - 1);
    }
    double b_mean = 0;
    for (int j = 0; j < m; j++) {
        double sum = 0;
        for (int l = 0; l < m; l++) sum += exp(log_likelihood[l] - log_likelihood[j]);
        b_mean += b[j] / sum;
    }
    double k = 0;
    for (int i = 0; i < count; i++) k += w[i] * log1p(-b_mean * y[i]);
    k /= n;
    free(b);
    free(log_likelihood);
    return (n * k + 10 * 0.5) / (n + 10);
}

double tail_pareto_k(const draw_plan *plan, const run_state *totals, int o, int upper)
{
    const accum_hist_spec *h = &plan->hist[o];
    const uint64_t *counts = totals->hist + plan->hist_offset[o];
    const state_moments *mo = &totals->moments[o];
    double n = (double)mo->n;
    uint64_t tail = (uint64_t)fmin(0.2 * n, 3 * sqrt(n));
    if (tail < 5) return NAN;
    int bins = h->bins + 2;
    double *value = malloc((size_t)bins * sizeof *value), *weight = malloc((size_t)bins * sizeof *weight);
    if (!value || !weight) {
        free(value);
        free(weight);
        return NAN;
    }
    /* Walk the bins from the tail inwards, collecting the mean of each bin's values (spread
     * evenly across it; values of the lower tail negated) until tail + 1 values: the last of
     * them is the threshold. */
    int count = 0;
    uint64_t taken = 0;
    double threshold = 0;
    for (int step = 0; step < bins && taken <= tail; step++) {
        int bin = upper ? bins - 1 - step : step;
        uint64_t c = counts[bin];
        if (c == 0) continue;
        double low = bin == 0 ? mo->min : edge(h, bin);
        double high = bin == bins - 1 ? mo->max : edge(h, bin + 1);
        low = fmax(low, mo->min);
        high = fmin(high, mo->max);
        if (!upper) {   /* the lower tail of x is the upper tail of -x */
            double t = -low;
            low = -high;
            high = t;
        }
        uint64_t use = c < tail + 1 - taken ? c : tail + 1 - taken;
        double width = (high - low) / (double)c;
        if (taken + use == tail + 1) {
            /* The threshold is this bin's use-th value from the top; the use - 1 above it are
             * excesses. */
            threshold = high - ((double)use - 0.5) * width;
            if (use > 1) {
                value[count] = high - 0.5 * (double)(use - 1) * width;
                weight[count++] = (double)(use - 1);
            }
        } else {
            value[count] = high - 0.5 * (double)use * width;
            weight[count++] = (double)use;
        }
        taken += use;
    }
    /* Excesses in ascending order (the walk went from the largest value down). */
    double *excess = malloc((size_t)(count ? count : 1) * sizeof *excess);
    double *excess_weight = malloc((size_t)(count ? count : 1) * sizeof *excess_weight);
    double k = NAN;
    if (excess && excess_weight && count > 0) {
        for (int i = 0; i < count; i++) {
            excess[i] = value[count - 1 - i] - threshold;
            excess_weight[i] = weight[count - 1 - i];
        }
        k = tail_pareto_k_fit(excess, excess_weight, count);
    } else if (count == 0) {
        k = -INFINITY;
    }
    free(excess);
    free(excess_weight);
    free(value);
    free(weight);
    return k;
}
