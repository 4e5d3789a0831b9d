/* scenario_correlations.h: the loader's part for correlated inputs (DESIGN.md section 10):
 * "correlations" read and checked (host/scenario_correlations.c), linked into blocks, each
 * block's matrix checked (or repaired) and factored into the scenario's copula plan. */
#ifndef THIRST_SCENARIO_CORRELATIONS_H
#define THIRST_SCENARIO_CORRELATIONS_H

#include "loader.h"

/* After the params (and formulas) are read: read "correlations" into s->correlations, build
 * the blocks and their Cholesky factors (appended to the parsing context's float data) and
 * the copula plan with the Sobol factors. Without "correlations": no block, one factor per
 * sampled prior. Every error is one line with the JSON path. */
int scenario_correlations_read(parse_ctx *c, const cJSON *root, scenario *s);

/* The copula's correlation r for a rank correlation as given (Kendall's tau when kendall, else
 * Spearman's rho), and back. */
double scenario_correlation_gaussian(double given, int kendall);
double scenario_correlation_rank(double gaussian, int kendall);

#endif
