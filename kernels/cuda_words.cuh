/* cuda_words.cuh: a draw's uniform words on the device, from cuRAND's Philox4x32-10: the blocks
 * of the stream curand_init(seed, draw, 0) + curand4() would return, computed directly with
 * cuRAND's stateless curand_Philox4x32_10(counter, key), so that a draw computes exactly the
 * ceil(words / 4) blocks it reads (curand_init and curand4 compute one more, ahead, that is
 * never used). kernels/philox.h reproduces the same blocks on the CPU (DESIGN.md section 1);
 * tests/test_gpu.c compares them word for word. Shared by every kernel. */
#ifndef THIRST_CUDA_WORDS_CUH
#define THIRST_CUDA_WORDS_CUH

#include <cuda_runtime.h>   /* uint2, uint4 for the Philox header */
#include <curand_philox4x32_x.h>   /* cuRAND's Philox alone: no XORWOW/MTGP tables in the module */

#include "draw.h"

/* The first word_count uniform words of draw `draw`: block b of stream (seed, draw) is Philox
 * of the counter (b, 0, draw low, draw high) under the key (seed low, seed high), as cuRAND
 * lays out curand_init(seed, draw, 0) and philox_stream_block does. */
__device__ __forceinline__ void cuda_draw_words(uint64_t seed, uint64_t draw, int word_count,
                                                uint32_t *words)
{
    const uint2 key = make_uint2((uint32_t)seed, (uint32_t)(seed >> 32));
    for (int b = 0; 4 * b < word_count; b++) {
        uint4 w = curand_Philox4x32_10(
            make_uint4((uint32_t)b, 0u, (uint32_t)draw, (uint32_t)(draw >> 32)), key);
        words[4 * b] = w.x;
        words[4 * b + 1] = w.y;
        words[4 * b + 2] = w.z;
        words[4 * b + 3] = w.w;
    }
}

/* The words of draw `draw` of a run under the plan's sampler: rqmc's scrambled and shifted
 * Sobol' point (draw.h draw_qmc_word, the host's definition, with philox.h's Philox) in the
 * general kernels (GENERAL: plan_general_kernels holds every rqmc plan), else cuRAND's Philox
 * (cuda_draw_words), so the fast kernels hold no rqmc code. */
template <bool GENERAL>
__device__ __forceinline__ void cuda_plan_words(const draw_plan &plan, uint64_t draw,
                                                uint32_t *words)
{
    if (GENERAL && plan.sampler == PLAN_SAMPLER_RQMC) {
        const uint64_t replicates = (uint64_t)plan.replicates;
        for (int j = 0; j < plan.word_count; j++)
            words[j] = draw_qmc_word(&plan, draw % replicates, draw / replicates, j);
        return;
    }
    cuda_draw_words(plan.seed, draw, plan.word_count, words);
}

/* Rows A and B of base draw i of the Sobol design: rqmc's one 2d-dimensional point
 * (draw_qmc_sobol_words) in the general kernels, else Philox streams i and SOBOL_B_STREAM + i
 * (b_stream). */
template <bool GENERAL>
__device__ __forceinline__ void cuda_sobol_words(const draw_plan &plan, uint64_t i,
                                                 uint64_t b_stream, uint32_t *words_a,
                                                 uint32_t *words_b)
{
    if (GENERAL && plan.sampler == PLAN_SAMPLER_RQMC) {
        draw_qmc_sobol_words(&plan, i, words_a, words_b);
        return;
    }
    cuda_draw_words(plan.seed, i, plan.word_count, words_a);
    cuda_draw_words(plan.seed, b_stream, plan.word_count, words_b);
}

#endif
