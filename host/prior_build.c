/* prior_build.c: host-side set-up of priors that need more than arithmetic: quantile tables
 * for beta and PERT, and the CDF bounds of truncated normals. */
#include "prior_build.h"

#include <math.h>
#include <stdlib.h>

#include "../kernels/philox.h"
#include "special.h"

int prior_data_append(prior_data *d, const float *values, int n)
{
    if (d->count + n > d->capacity) {
        int capacity = d->capacity ? d->capacity : 1024;
        while (capacity < d->count + n) capacity *= 2;
        float *grown = realloc(d->values, (size_t)capacity * sizeof *grown);
        if (!grown) return -1;
        d->values = grown;
        d->capacity = capacity;
    }
    int offset = d->count;
    for (int k = 0; k < n; k++) d->values[offset + k] = values[k];
    d->count += n;
    return offset;
}

int prior_build_beta(prior_spec *p, prior_data *d, double alpha, double beta, double low,
                     double high, int points)
{
    float *table = malloc((size_t)points * sizeof *table);
    if (!table) return -1;
    for (int k = 0; k < points; k++) {
        double u = (double)k / (points - 1);
        table[k] = (float)(low + (high - low) * special_beta_quantile(u, alpha, beta));
    }
    table[0] = (float)low;
    table[points - 1] = (float)high;
    int offset = prior_data_append(d, table, points);
    free(table);
    if (offset < 0) return -1;
    p->dist = PRIOR_TABLE;
    p->data_offset = offset;
    p->data_count = points;
    p->low = (float)low;
    p->high = (float)high;
    return 0;
}

int prior_build_truncated_normal(prior_spec *p, double mean, double sd, double low, double high)
{
    double z_low = (low - mean) / sd, z_high = (high - mean) / sd;
    /* Sample the side nearer the lower tail, where float CDF values keep their precision. */
    double sign = (z_low + z_high > 0) ? -1.0 : 1.0;
    double a = sign > 0 ? z_low : -z_high, b = sign > 0 ? z_high : -z_low;
    const double smallest_u = 0x1p-24;   /* the smallest uniform the backends produce */
    double cdf_a = special_normal_cdf(a), cdf_b = special_normal_cdf(b);
    if (cdf_b - cdf_a < 1e-3) return -1;
    if (cdf_a < smallest_u) cdf_a = 0;   /* bound lies beyond what untruncated draws reach */
    if (cdf_b > 1 - smallest_u) cdf_b = 1;
    p->dist = PRIOR_TRUNCATED_NORMAL;
    p->a = (float)mean;
    p->b = (float)sd;
    p->c = (float)cdf_a;
    p->d = (float)(cdf_b - cdf_a);
    p->sign = (float)sign;
    p->low = isfinite(low) ? (float)low : -INFINITY;
    p->high = isfinite(high) ? (float)high : INFINITY;
    return 0;
}

double prior_build_normal_reach(void)
{
    return -special_normal_quantile(2 * PHILOX_TAIL_SMALLEST);
}

void prior_build_lognormal_bias(double sigma, double *mean_bias, double *sd_bias)
{
    double reach = prior_build_normal_reach();
    double kept = special_normal_cdf(reach) - special_normal_cdf(-reach);
    double first = (special_normal_cdf(reach - sigma) - special_normal_cdf(-reach - sigma)) / kept;
    double second =
        (special_normal_cdf(reach - 2 * sigma) - special_normal_cdf(-reach - 2 * sigma)) / kept;
    /* With E[X^2] / E[X]^2 = e^(sigma^2): sd ratio = sqrt((second e^(s^2) - first^2) / (e^(s^2) - 1)). */
    double growth = expm1(sigma * sigma);
    *mean_bias = first - 1;
    *sd_bias = sqrt(fmax(second * (growth + 1) - first * first, 0) / growth) - 1;
}

float prior_build_median(const prior_spec *p, const float *data)
{
    return prior_value(p, data, prior_uniform_at(0.5f));
}
