/* gpu_agreement.h: the bounds within which a GPU run's statistics must agree with the CPU
 * backend's for the same draws, written once for tests/test_gpu.c (which holds the device to
 * them) and tests/test_reduce.c (which holds a CPU emulation of the run kernel's arithmetic to
 * them, so the float-accumulation design is checked without a GPU). The same draws, summed in
 * float lanes of 64 (relative rounding error below 64 x 2^-24 = 4e-6 of the sum of
 * |x - shift|) against the CPU's doubles: n equal; mean within 1e-2 standard errors; sd within
 * 1e-4 relative; min and max equal (the same values); quantiles within the two histograms'
 * resolutions. */
#ifndef THIRST_GPU_AGREEMENT_H
#define THIRST_GPU_AGREEMENT_H

#include <math.h>
#include <stdio.h>

#include "stats.h"

/* 1 when g (GPU) agrees with c (CPU); else 0, with the first disagreement in why. */
static int gpu_agreement(const stats_output *c, const stats_output *g, char *why, size_t size)
{
    if (c->n != g->n) {
        snprintf(why, size, "n CPU %llu GPU %llu", (unsigned long long)c->n,
                 (unsigned long long)g->n);
        return 0;
    }
    if (!(fabs(c->mean - g->mean) <= 0.01 * c->sem)) {
        snprintf(why, size, "mean CPU %.10g GPU %.10g (SE %.3g)", c->mean, g->mean, c->sem);
        return 0;
    }
    if (!(fabs(c->sd - g->sd) <= 1e-4 * c->sd)) {
        snprintf(why, size, "sd CPU %.8g GPU %.8g", c->sd, g->sd);
        return 0;
    }
    if (c->min != g->min || c->max != g->max) {
        snprintf(why, size, "min/max CPU %g/%g GPU %g/%g", c->min, c->max, g->min, g->max);
        return 0;
    }
    for (int k = 0; k < c->quantile_count; k++)
        if (!(fabs(c->quantile[k] - g->quantile[k]) <=
              (c->quantile_resolution + g->quantile_resolution) * fabs(c->quantile[k]))) {
            snprintf(why, size, "quantile %g CPU %.8g GPU %.8g", c->probability[k],
                     c->quantile[k], g->quantile[k]);
            return 0;
        }
    return 1;
}

/* Distance from a to b in units in the last place of a (double): 0 for equal values. */
static double gpu_agreement_ulps(double a, double b)
{
    double ulp = nextafter(fabs(a), INFINITY) - fabs(a);
    return a == b ? 0.0 : fabs(a - b) / ulp;
}

/* The largest CPU-GPU differences over outputs, for the log: mean and sd in ulps (and the
 * mean in standard errors), accumulated by gpu_agreement_track and printed by _print. */
typedef struct {
    double mean_ulps, mean_se, sd_ulps, quantile_relative;
    const char *mean_output, *sd_output;
} gpu_agreement_largest;

static void gpu_agreement_track(gpu_agreement_largest *largest, const stats_output *c,
                                const stats_output *g, const char *output)
{
    double mean_ulps = gpu_agreement_ulps(c->mean, g->mean);
    double sd_ulps = gpu_agreement_ulps(c->sd, g->sd);
    if (mean_ulps >= largest->mean_ulps) {
        largest->mean_ulps = mean_ulps;
        largest->mean_se = c->sem > 0 ? fabs(c->mean - g->mean) / c->sem : 0;
        largest->mean_output = output;
    }
    if (sd_ulps >= largest->sd_ulps) {
        largest->sd_ulps = sd_ulps;
        largest->sd_output = output;
    }
    for (int k = 0; k < c->quantile_count; k++) {
        double relative = c->quantile[k] != 0
                              ? fabs(c->quantile[k] - g->quantile[k]) / fabs(c->quantile[k]) : 0;
        if (relative > largest->quantile_relative) largest->quantile_relative = relative;
    }
}

static void gpu_agreement_print(const gpu_agreement_largest *largest, const char *what)
{
    printf("%s: largest CPU-GPU differences: mean %.3g ulps (%.2g SE, %s), sd %.3g ulps (%s), "
           "histogram quantile %.2g relative\n",
           what, largest->mean_ulps, largest->mean_se,
           largest->mean_output ? largest->mean_output : "-", largest->sd_ulps,
           largest->sd_output ? largest->sd_output : "-", largest->quantile_relative);
}

#endif
