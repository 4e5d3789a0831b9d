/* report_draws.h: `thirst draws` as CSV: one row per draw with its index, its Philox (or rqmc)
 * words in hex, the inputs the scenario uses and its reported outputs, each float with 9
 * significant digits (enough to read back the same float). */
#ifndef THIRST_REPORT_DRAWS_H
#define THIRST_REPORT_DRAWS_H

#include <stdint.h>
#include <stdio.h>

#include "../kernels/plan.h"
#include "scenario.h"

/* Draws [first, first + count) of plan to f: the header line, then a row per draw from words
 * (count x max(plan->word_count, 1)), inputs (count x DRAW_INPUT_SLOTS) and outputs (count x
 * plan->output_count). */
void report_draws_csv(FILE *f, const scenario *s, const draw_plan *plan, uint64_t first,
                      size_t count, const uint32_t *words, const float *inputs,
                      const float *outputs);

#endif
