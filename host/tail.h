/* tail.h: can the Monte Carlo error of an output's mean be trusted? A mean's interval rests on
 * the central limit theorem, which a heavy tail delays far beyond the draws at hand: a lognormal
 * of gsd 10 sampled 1e4 times gets a 95 % interval that covers its mean 86 % of the time, gsd 50
 * about half the time, and the interval is narrow just when the sample has missed the tail.
 * The Pareto k diagnostic (Vehtari, Simpson, Gelman, Yao and Gabry, "Pareto smoothed importance
 * sampling", JMLR 25(72), 2024) fits a generalized Pareto distribution to the largest
 * M = min(n / 5, 3 sqrt(n)) draws' excesses over the next one (the estimator of Zhang and
 * Stephens, Technometrics 51(3), 2009, with the weak prior of Vehtari et al.); k >= 1/2 means a
 * tail too heavy for a finite variance at this sample size, so the mean is marked unreliable
 * (stats.h). Coverage measured in tests/test_statistics.c.
 * The values come from the first pass's histogram (each bin's draws spread evenly across it, as
 * stats_rank_value does; bins are at most 2^-7 of an octave wide), so the fit costs O(bins). */
#ifndef THIRST_TAIL_H
#define THIRST_TAIL_H

#include "engine.h"
#include "state.h"

#define TAIL_PARETO_K_MAX 0.5   /* k at or above this marks a mean unreliable */

/* Pareto k of the upper tail (upper = 1) or the lower tail (upper = 0) of output o; NaN when
 * there are too few draws for a fit (M < 5), -infinity when the tail is flat (all top values
 * equal). */
double tail_pareto_k(const draw_plan *plan, const run_state *totals, int o, int upper);

/* The Zhang-Stephens fit on excesses y[0..count) (ascending, > 0 at the end) with weights w
 * (counts of equal excesses, summing to the number of draws); exposed for tests. */
double tail_pareto_k_fit(const double *y, const double *w, int count);

#endif
