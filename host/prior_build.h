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

/* Beta and PERT sampling. Beta(alpha, beta) on [low, high] is a table of its exact quantiles
 * (double precision, then float) at normal scores z evenly spaced on [-PRIOR_BUILD_TABLE_Z,
 * +PRIOR_BUILD_TABLE_Z], interpolated linearly in z per draw (z from the draw's refined tail
 * mass, so the tails are resolved as finely as the body). The table starts at 64 nodes per unit
 * of z (1,089 nodes) and doubles, up to 2,048 per unit (34,817), until at the middle of every
 * interval with a
 * tail mass of at least PRIOR_BUILD_TABLE_CHECKED_TAIL the exact CDF of the interpolated (float)
 * value is within PRIOR_BUILD_TABLE_TOLERANCE of the tail mass, relative, or the value is within
 * 2 float ulps of the exact quantile (float resolution is the limit). Shapes above
 * PRIOR_BUILD_BETA_MAX_SHAPE are refused (the double incomplete beta loses 1e-9 there, and such
 * a prior is a normal to 1e-3). Beyond the end nodes (tail mass 9.5e-18) draws take the end
 * node. Accuracy tested in tests/test_priors.c. */
#define PRIOR_BUILD_TABLE_Z 8.5
#define PRIOR_BUILD_TABLE_FIRST_PER_UNIT 64
#define PRIOR_BUILD_TABLE_MAX_PER_UNIT 2048
#define PRIOR_BUILD_TABLE_TOLERANCE 1e-3
#define PRIOR_BUILD_TABLE_CHECKED_TAIL 1e-7
#define PRIOR_BUILD_BETA_MAX_SHAPE 1e6

/* Build the table of Beta(alpha, beta) on [low, high] into p and d. Returns 0; -1 when memory
 * runs out; -2 when the accuracy above is out of reach (why says where). */
int prior_build_beta(prior_spec *p, prior_data *d, double alpha, double beta, double low,
                     double high, char *why, size_t why_size);

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

/* The canonical parameters of a single-valued prior for a reader (a result's provenance): up
 * to 4 (name, value) pairs into names and values, e.g. ("median", 0.33), ("gsd", 1.1) for a
 * lognormal; beta and PERT (a quantile table) give low, high and the table's nodes. Returns the
 * count (0 for a choice: its options are the caller's). */
int prior_build_describe(const prior_spec *p, const char **names, double *values);

/* Median of a single-valued prior (float evaluation at u = 1/2, as the backends would). */
float prior_build_median(const prior_spec *p, const float *data);

#endif
