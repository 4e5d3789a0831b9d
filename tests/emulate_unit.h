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

/* One GPU unit of plan emulated on the CPU: lanes over the reference draws, the warp tree of
 * each warp, the unit's warps in order. Reported output o. */
static accum_moments emulate_unit(const draw_plan *plan, const float *data, uint64_t unit, int o)
{
    accum_moments warps[LAUNCH_UNIT_WARPS];
    for (int w = 0; w < LAUNCH_UNIT_WARPS; w++) {
        accum_moments lanes[LAUNCH_WARP];
        for (int i = 0; i < LAUNCH_WARP; i++) {
            int lane = w * LAUNCH_WARP + i;
            accum_lane acc = accum_lane_empty();
            uint64_t first = launch_lane_first(plan->first_draw, unit, lane);
            int draws = launch_lane_draws(plan->first_draw, plan->draws, unit, lane);
            for (int d = 0; d < draws; d++) {
                float inputs[MODEL_SLOT_COUNT], outputs[MODEL_OUTPUT_COUNT];
                engine_eval_draw(plan, data, first + (uint64_t)d, NULL, inputs, outputs);
                accum_lane_add(&acc, outputs[o], plan->shift[o]);
            }
            lanes[i] = accum_lane_moments(acc);
        }
        warps[w] = reduce_warp_lockstep(lanes);
    }
    return reduce_unit_warps(warps);
}

#endif
