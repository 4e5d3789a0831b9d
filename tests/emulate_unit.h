/* emulate_unit.h: one GPU work unit of the CUDA run kernel (kernels/cuda_run.cu) computed on the
 * CPU with the kernel's own HD pieces: each lane's accumulators over its draws (the CPU reference
 * draws, which are the GPU's bits), the warp tree in lockstep, the unit's warps in order. Used by
 * tests/test_reduce.c (against exact sums) and tests/test_gpu.c (against the device, bit for bit).
 * Also the Sobol kernel's float sums of one chunk (kernels/cuda_sobol.cu), in draw order. */
#ifndef THIRST_EMULATE_UNIT_H
#define THIRST_EMULATE_UNIT_H

#include "../kernels/launch.h"
#include "../kernels/reduce.h"
#include "../kernels/sobol.h"
#include "engine.h"

/* One GPU unit of plan emulated on the CPU, every reported output at once: lanes over the
 * reference draws, the warp tree of each warp, the unit's warps in order; moments[o] gets output
 * o's partial sums, and with hist (may be NULL) each finite value's bin is counted. */
static void emulate_unit_all(const draw_plan *plan, const float *data, uint64_t unit,
                             accum_moments *moments, uint64_t *hist)
{
    accum_moments warps[MODEL_OUTPUT_COUNT][LAUNCH_UNIT_WARPS];
    for (int w = 0; w < LAUNCH_UNIT_WARPS; w++) {
        accum_moments lanes[MODEL_OUTPUT_COUNT][LAUNCH_WARP];
        for (int i = 0; i < LAUNCH_WARP; i++) {
            int lane = w * LAUNCH_WARP + i;
            accum_lane acc[MODEL_OUTPUT_COUNT];
            for (int o = 0; o < plan->output_count; o++) acc[o] = accum_lane_empty();
            uint64_t first = launch_lane_first(plan->first_draw, unit, lane);
            int draws = launch_lane_draws(plan->first_draw, plan->draws, unit, lane);
            for (int d = 0; d < draws; d++) {
                float inputs[DRAW_INPUT_SLOTS], outputs[DRAW_OUTPUTS];
                engine_eval_draw(plan, data, first + (uint64_t)d, NULL, inputs, outputs);
                for (int o = 0; o < plan->output_count; o++)
                    if (accum_lane_add(&acc[o], outputs[o], plan->shift[o]) && hist)
                        hist[plan->hist_offset[o] + accum_bin(&plan->hist[o], outputs[o])]++;
            }
            for (int o = 0; o < plan->output_count; o++) lanes[o][i] = accum_lane_moments(acc[o]);
        }
        for (int o = 0; o < plan->output_count; o++) warps[o][w] = reduce_warp_lockstep(lanes[o]);
    }
    for (int o = 0; o < plan->output_count; o++) moments[o] = reduce_unit_warps(warps[o]);
}

/* emulate_unit_all for reported output o alone. */
static accum_moments emulate_unit(const draw_plan *plan, const float *data, uint64_t unit, int o)
{
    accum_moments moments[MODEL_OUTPUT_COUNT];
    emulate_unit_all(plan, data, unit, moments, NULL);
    return moments[o];
}

/* The term sums of Sobol chunk `chunk` of base draws [0, base_draws) as the device computes
 * them: each term added in float, in draw order, starting from 0 (length terms into sums). */
static void emulate_sobol_chunk(const draw_plan *plan, const float *data, uint64_t chunk,
                                uint64_t base_draws, float *sums)
{
    const int length = SOBOL_TERMS(plan);
    for (int j = 0; j < length; j++) sums[j] = 0.0f;
    for (uint64_t i = chunk * SOBOL_CHUNK; i < (chunk + 1) * SOBOL_CHUNK && i < base_draws; i++) {
        uint32_t words_a[DRAW_MAX_WORDS], words_b[DRAW_MAX_WORDS];
        float terms[SOBOL_MAX_TERMS];
        draw_words(plan->seed, i, plan->word_count, words_a);
        draw_words(plan->seed, SOBOL_B_STREAM + i, plan->word_count, words_b);
        sobol_draw(plan, data, i, words_a, words_b, terms);
        for (int j = 0; j < length; j++) sums[j] += terms[j];
    }
}

/* Batch sums [0, batches) of the Sobol design of base_draws as the CUDA backend makes them:
 * every chunk's float sums (emulate_sobol_chunk) widened and added into its batch in chunk order
 * (sobol_add_chunks). batch_sums: batches x length doubles, zeroed here. */
static void emulate_sobol_batches(const draw_plan *plan, const float *data, uint64_t base_draws,
                                  int batches, double *batch_sums)
{
    const int length = SOBOL_TERMS(plan);
    const uint64_t chunks = launch_unit_count(base_draws, SOBOL_CHUNK);
    for (size_t k = 0; k < (size_t)batches * (size_t)length; k++) batch_sums[k] = 0;
    for (uint64_t c = 0; c < chunks; c++) {
        float sums[SOBOL_MAX_TERMS];
        double wide[SOBOL_MAX_TERMS];
        emulate_sobol_chunk(plan, data, c, base_draws, sums);
        for (int j = 0; j < length; j++) wide[j] = (double)sums[j];
        sobol_add_chunks(wide, c, 1, chunks, batches, 0, length, batch_sums);
    }
}

#endif
