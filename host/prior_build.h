/* prior_build.h: turns one parameter's published parameterisation (already read from JSON and
 * converted to canonical units) into a canonical prior_spec, building quantile tables where
 * there is no closed-form quantile function. */
#ifndef THIRST_PRIOR_BUILD_H
#define THIRST_PRIOR_BUILD_H

#include <stddef.h>

#include "../kernels/prior.h"

/* Growable float array that holds every table and option list of a scenario. */
typedef struct {
    float *values;
    int count;
    int capacity;
} prior_data;

/* Append n floats; returns the offset of the first, or -1 when memory runs out. */
int prior_data_append(prior_data *d, const float *values, int n);

/* Beta(alpha, beta) on [low, high] as a quantile table of points values (u = k / (points - 1)),
 * linear interpolation between them. The sampled CDF is within 1 / (points - 1) of the exact
 * CDF everywhere (each table cell carries exactly its probability mass). Returns 0 or -1 (memory). */
int prior_build_beta(prior_spec *p, prior_data *d, double alpha, double beta, double low,
                     double high, int points);

/* Truncated normal N(mean, sd) restricted to [low, high] (either may be infinite). Returns 0,
 * or -1 when the interval keeps less than 1e-3 of the mass (not representable with 2^-24 uniforms). */
int prior_build_truncated_normal(prior_spec *p, double mean, double sd, double low, double high);

/* The normal quantile's reach: draws stop at |z| = prior_build_normal_reach() (11.0), the
 * quantile of the smallest tail mass the refined uniforms give (philox.h). For a lognormal of
 * log-sd sigma, the relative bias of the sampled mean and sd against the analytic ones that this
 * reach implies (a truncation at +-reach: mean ratio Phi(reach - sigma) - Phi(-reach - sigma),
 * second-moment ratio the same at 2 sigma); both 0 to 1e-15 up to sigma = 4.3 (gsd 75). */
double prior_build_normal_reach(void);
void prior_build_lognormal_bias(double sigma, double *mean_bias, double *sd_bias);

/* Median of a single-valued prior (float evaluation at u = 1/2, as the backends would). */
float prior_build_median(const prior_spec *p, const float *data);

#endif
