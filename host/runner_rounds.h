/* runner_rounds.h: the stopping rule of adaptive runs, for runner.c (runner_rounds.c): whether
 * a round met the target, whether a relative target can be met, the draws of each round. */
#ifndef THIRST_RUNNER_ROUNDS_H
#define THIRST_RUNNER_ROUNDS_H

#include <stddef.h>
#include <stdint.h>

#include "runner.h"

/* 1 when every error of r is at or below o's targets (relative and absolute, where set). */
int runner_rounds_errors_met(const runner_options *o, const runner_result *r);

/* 1 when the errors are met and no mean is marked unreliable (tail.h). */
int runner_rounds_target_met(const runner_options *o, const runner_result *r);

/* THIRST_ERR_INPUT (naming the estimate and pointing at --abs-error) when a relative target
 * cannot be met: an estimate's interval holds 0; else THIRST_OK. */
int runner_rounds_check_relative(const scenario *s, const runner_options *o,
                                 const runner_result *r, char *err, size_t errlen);

/* The draws of the round after one of n draws with r's errors (whole work units, at most
 * o->max_draws). */
uint64_t runner_rounds_next_draws(const runner_options *o, const runner_result *r, uint64_t n);

/* The draws of the first round: o->draws for a fixed run, else an adaptive run's first. */
uint64_t runner_rounds_first_draws(const runner_options *o, int adaptive);

#endif
