/* emulate_unit.h: one GPU work unit of the CUDA run kernel (kernels/cuda_run.cu) computed on the
 * CPU with the kernel's own HD pieces: each lane's accumulators over its draws (the CPU reference
 * draws, which are the GPU's bits), the warp tree in lockstep, the unit's warps in order. Used by
 * tests/test_reduce.c (against exact sums) and tests/test_gpu.c (against the device, bit for bit).
 */
#ifndef THIRST_EMULATE_UNIT_H
#define THIRST_EMULATE_UNIT_H

#include "../kernels/launch.h"
#include "../kernels/reduce.h"
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
                float inputs[MODEL_SLOT_COUNT], outputs[MODEL_OUTPUT_COUNT];
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

#endif
