/* philox_simd.h: the CPU batch loop's Philox words with explicit vector instructions (x86-64:
 * AVX-512 and AVX2), chosen to match the batch loop's clone: the blocks of kernels/philox.h's
 * philox_stream_block, bit for bit (tests/test_philox.c), for consecutive streams. */
#ifndef THIRST_PHILOX_SIMD_H
#define THIRST_PHILOX_SIMD_H

#include <stdint.h>

/* Block b of streams first + i, i in [0, n), under key seed: word j of stream first + i goes to
 * w_j[i]. */
typedef void (*philox_words_fn)(uint64_t seed, uint64_t first, uint64_t b, int n, uint32_t *w0,
                                uint32_t *w1, uint32_t *w2, uint32_t *w3);

/* The fastest version this CPU runs among those the build's batch-loop clones allow
 * (THIRST_CPU_CLONES: AVX-512 with the x86-64-v4 clone, AVX2 with the avx2 clone), else the
 * portable loop over philox_stream_block_wide. */
philox_words_fn philox_words_for_cpu(void);

/* Each version, for the tests (NULL where this build or CPU has none). */
philox_words_fn philox_words_avx512_if_any(void);
philox_words_fn philox_words_avx2_if_any(void);
void philox_words_portable(uint64_t seed, uint64_t first, uint64_t b, int n, uint32_t *w0,
                           uint32_t *w1, uint32_t *w2, uint32_t *w3);

#endif
