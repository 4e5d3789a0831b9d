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

#endif
