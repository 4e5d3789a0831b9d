/* prior_build.c: host-side set-up of priors that need more than arithmetic: quantile tables
 * for beta and PERT, and the CDF bounds of truncated normals. */
#include "prior_build.h"

#include <math.h>
#include <stdio.h>
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

/* Quantile of Beta(alpha, beta) at normal score z, as a fraction of [0, 1]: from the lower tail
 * mass Phi(z), unless z > 0 and the quantile exceeds 1/2; then 1 minus the mirror image
 * Beta(beta, alpha)'s quantile at the upper tail mass Phi(-z), so that neither a tail mass
 * near 1 nor a quantile near 1 loses digits. */
static double beta_at_score(double z, double alpha, double beta)
{
    double x = special_beta_quantile(special_normal_cdf(z), alpha, beta);
    if (z <= 0 || x <= 0.5) return x;
    return 1 - special_beta_quantile(special_normal_cdf(-z), beta, alpha);
}

/* Float distance between x and y measured in ulps of y (float). */
static double float_ulps(double x, double y)
{
    float fy = (float)y;
    double ulp = (double)nextafterf(fabsf(fy), INFINITY) - (double)fabsf(fy);
    return fabs(x - y) / ulp;
}

/* Check the table in p (points nodes at data) as the header says; 0, or -2 with why. */
static int check_beta_table(const prior_spec *p, const float *data, double alpha, double beta,
                            double low, double high, char *why, size_t why_size)
{
    const double checked_z = -special_normal_quantile(PRIOR_BUILD_TABLE_CHECKED_TAIL);
    for (int k = 0; k + 1 < p->data_count; k++) {
        float z = p->c + ((float)k + 0.5f) / p->d;
        if (fabs((double)z) > checked_z) continue;
        double sampled = (double)prior_table_at_score(p, data, z);
        double exact = low + (high - low) * beta_at_score((double)z, alpha, beta);
        double tail = special_normal_cdf(-fabs((double)z));
        double fraction = (sampled - low) / (high - low);
        double sampled_tail = z <= 0 ? special_incomplete_beta(fraction, alpha, beta)
                                     : fraction <= 0.5
                                         ? 1 - special_incomplete_beta(fraction, alpha, beta)
                                         : special_incomplete_beta(1 - fraction, beta, alpha);
        double error = fabs(sampled_tail - tail) / tail;
        if (error > PRIOR_BUILD_TABLE_TOLERANCE && float_ulps(sampled, exact) > 2) {
            snprintf(why, why_size, "at tail mass %.2g the table's value %.9g has tail mass "
                     "%.3g (%.2g %% off)", tail, sampled, sampled_tail, 100 * error);
            return -2;
        }
    }
    return 0;
}

int prior_build_beta(prior_spec *p, prior_data *d, double alpha, double beta, double low,
                     double high, char *why, size_t why_size)
{
    float *table = malloc((size_t)(2 * PRIOR_BUILD_TABLE_Z * PRIOR_BUILD_TABLE_MAX_PER_UNIT + 1) * sizeof *table);
    if (!table) return -1;
    p->dist = PRIOR_TABLE;
    p->low = (float)low;
    p->high = (float)high;
    p->c = (float)-PRIOR_BUILD_TABLE_Z;
    int status = -2;
    for (int per_unit = PRIOR_BUILD_TABLE_FIRST_PER_UNIT; per_unit <= PRIOR_BUILD_TABLE_MAX_PER_UNIT;
         per_unit *= 2) {
        /* Node k at z = -Z + k h with h a power of 2, so that z and (z + Z) / h are exact. */
        int points = (int)(2 * PRIOR_BUILD_TABLE_Z * per_unit) + 1;
        double h = 1.0 / per_unit;
        p->d = (float)per_unit;
        p->data_count = points;
        for (int k = 0; k < points; k++) {
            double z = -PRIOR_BUILD_TABLE_Z + k * h;
            table[k] = (float)(low + (high - low) * beta_at_score(z, alpha, beta));
        }
        p->data_offset = 0;
        status = check_beta_table(p, table, alpha, beta, low, high, why, why_size);
        if (status == 0) break;
    }
    if (status == 0) {
        int offset = prior_data_append(d, table, p->data_count);
        if (offset < 0) status = -1;
        p->data_offset = offset;
    }
    free(table);
    return status;
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
    return prior_value(p, data, prior_at_probability(0.5f));
}

int prior_build_describe(const prior_spec *p, const char **names, double *values)
{
    int n = 0;
#define PAIR(name, value) (names[n] = (name), values[n++] = (value))
    switch (p->dist) {
    case PRIOR_FIXED: PAIR("value", p->a); break;
    case PRIOR_UNIFORM: PAIR("low", p->a); PAIR("high", p->b); break;
    case PRIOR_LOGUNIFORM: PAIR("low", p->low); PAIR("high", p->high); break;
    case PRIOR_NORMAL: PAIR("mean", p->a); PAIR("sd", p->b); break;
    case PRIOR_TRUNCATED_NORMAL:
        PAIR("mean", p->a);
        PAIR("sd", p->b);
        PAIR("low", p->low);
        PAIR("high", p->high);
        break;
    case PRIOR_LOGNORMAL: PAIR("median", exp(p->a)); PAIR("gsd", exp(p->b)); break;
    case PRIOR_TRIANGULAR: PAIR("low", p->a); PAIR("mode", p->b); PAIR("high", p->c); break;
    case PRIOR_TABLE: PAIR("low", p->low); PAIR("high", p->high); PAIR("table_nodes", p->data_count); break;
    default: break;
    }
#undef PAIR
    return n;
}
