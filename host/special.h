/* special.h: double-precision special functions used on the host to set priors up (percentile
 * parameterisations, truncation masses, beta and PERT quantile tables) and by the tests as
 * independent references. Not used per draw. */
#ifndef THIRST_SPECIAL_H
#define THIRST_SPECIAL_H

/* Standard normal CDF Phi(z), any z. */
double special_normal_cdf(double z);

/* Standard normal quantile Phi^-1(p) for p in (0, 1), to about 1e-15 relative (bisection on
 * erfc, then Newton steps). */
double special_normal_quantile(double p);

/* Regularized incomplete beta I_x(a, b) for x in [0, 1], a, b > 0 (continued fraction,
 * modified Lentz; Numerical Recipes 3rd ed. section 6.4 gives the formula). */
double special_incomplete_beta(double x, double a, double b);

/* Quantile of Beta(a, b) at p in [0, 1]: Newton steps on special_incomplete_beta in ln x,
 * safeguarded by bisection, to about 1e-15 relative (also for quantiles far below 1e-16; for
 * one near 1, ask for 1 - x as the quantile of Beta(b, a) at 1 - p). */
double special_beta_quantile(double p, double a, double b);

/* Quantile of Student's t with dof degrees of freedom at p in (0, 1): bisection on its CDF
 * (through the incomplete beta) up to 1000 degrees of freedom, the Cornish-Fisher expansion
 * in 1/dof to its fourth term above (Abramowitz and Stegun 26.7.5; error below 1e-10 there). */
double special_t_quantile(double p, double dof);

#endif
