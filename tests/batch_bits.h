/* batch_bits.h: the CPU batch loop (engine_eval_batch) against the reference draw
 * (engine_eval_draw), bit for bit, over whole batches from draw 0 and one short batch far out;
 * written once for tests/test_engine.c (Monte Carlo) and tests/test_rqmc.c (rqmc), which make
 * the plans. */
#ifndef THIRST_BATCH_BITS_H
#define THIRST_BATCH_BITS_H

#include <stdint.h>
#include <string.h>

#include "engine.h"

/* The reported outputs of draws [0, whole) in batches and of the 77 draws from 1,000,003 (a
 * short batch) that differ from engine_eval_draw's bits; *first_bad is the first such draw. */
static int batch_bits_mismatches(const draw_plan *plan, const float *data, uint64_t whole,
                                 uint64_t *first_bad)
{
    static float batch[DRAW_OUTPUTS * ENGINE_CHUNK_DRAWS];
    int mismatches = 0;
    const uint64_t starts[2] = {0, 1000003}, ends[2] = {whole, 1000003 + 77};
    *first_bad = 0;
    for (int r = 0; r < 2; r++)
        for (uint64_t start = starts[r]; start < ends[r]; start += ENGINE_CHUNK_DRAWS) {
            int n = (int)(ends[r] - start < ENGINE_CHUNK_DRAWS ? ends[r] - start
                                                               : ENGINE_CHUNK_DRAWS);
            engine_eval_batch(plan, data, start, n, batch);
            for (int i = 0; i < n; i++) {
                float inputs[DRAW_INPUT_SLOTS], outputs[DRAW_OUTPUTS];
                engine_eval_draw(plan, data, start + (uint64_t)i, NULL, inputs, outputs);
                for (int o = 0; o < plan->output_count; o++) {
                    float x = batch[plan->outputs[o] * ENGINE_CHUNK_DRAWS + i];
                    if (memcmp(&x, &outputs[o], sizeof x) != 0 && mismatches++ == 0)
                        *first_bad = start + (uint64_t)i;
                }
            }
        }
    return mismatches;
}

#endif
