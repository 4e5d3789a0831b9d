/* cuda_words.cuh: a draw's uniform words on the device, from cuRAND's Philox4x32-10 stream
 * curand_init(seed, draw, 0) + curand4(), which kernels/philox.h reproduces on the CPU
 * (DESIGN.md section 1). Shared by every kernel. */
#ifndef THIRST_CUDA_WORDS_CUH
#define THIRST_CUDA_WORDS_CUH

#include <curand_kernel.h>

#include "draw.h"

/* The first word_count uniform words of draw `draw`: cuRAND's Philox stream (seed, draw). */
__device__ __forceinline__ void cuda_draw_words(uint64_t seed, uint64_t draw, int word_count,
                                                uint32_t *words)
{
    curandStatePhilox4_32_10_t state;
    curand_init(seed, draw, 0, &state);
    for (int b = 0; 4 * b < word_count; b++) {
        uint4 w = curand4(&state);
        words[4 * b] = w.x;
        words[4 * b + 1] = w.y;
        words[4 * b + 2] = w.z;
        words[4 * b + 3] = w.w;
    }
}

#endif
