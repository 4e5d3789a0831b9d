/* correlation_achieved.h: the rank correlations a scenario's first draws achieve, pair by pair,
 * in the measure each was given in (host/correlation_achieved.c; `thirst validate`). */
#ifndef THIRST_CORRELATION_ACHIEVED_H
#define THIRST_CORRELATION_ACHIEVED_H

#include <stddef.h>
#include <stdio.h>

#include "scenario.h"

#define CORRELATION_ACHIEVED_DRAWS 100000   /* Spearman: standard error about 1 / sqrt(n) */
#define CORRELATION_KENDALL_DRAWS 4000      /* Kendall's tau costs n^2 / 2 comparisons */

/* Ranks 1..n of x (ties averaged) into rank, sorting the indices order (n ints) by x. */
void correlation_ranks(const double *x, int n, int *order, double *rank);

/* Pearson correlation of the ranks a and b (n each, ranks 1..n): Spearman's rho. */
double correlation_of_ranks(const double *a, const double *b, int n);

/* Kendall's tau-a of x and y (n each; O(n^2) comparisons). */
double correlation_kendall(const double *x, const double *y, int n);

/* For each pair of s->correlations, the Spearman rho (or Kendall's tau, on at most
 * CORRELATION_KENDALL_DRAWS of them) of the first `draws` draws of s (its seed) into
 * achieved[pair]. THIRST_OK, or a status with err filled. */
int correlation_achieved(const scenario *s, int draws, double *achieved, char *err, size_t errlen);

/* thirst validate's correlations, to f: each pair as given, as the copula uses it (its
 * Gaussian correlation, after "repair" if any) and as the first draws achieve it; nothing when
 * the scenario has none. A failure of the short run is returned with err. */
int correlation_report(FILE *f, const scenario *s, char *err, size_t errlen);

#endif
