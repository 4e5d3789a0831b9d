/* philox.h: Philox4x32-10 (Salmon et al., SC'11) laid out exactly as cuRAND's
 * curand_init(seed, subsequence, 0) + curand4() stream, and the word-to-uniform map that
 * both backends share. Draw i of a run with seed s reads word j of stream (s, i) for its
 * parameter j (DESIGN.md section 1). */
#ifndef THIRST_PHILOX_H
#define THIRST_PHILOX_H

#include "hd.h"

/* Philox multipliers and Weyl key increments (Salmon et al. 2011, Table 2). */
#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

/* 128 bits of Philox output or counter, word 0 first. */
typedef struct {
    uint32_t word[4];
} philox_block;

/* One Philox round on the counter words (x0, x1, x2, x3) with key (k0, k1), in place. */
#define PHILOX_ROUND(x0, x1, x2, x3, k0, k1)                         \
    do {                                                             \
        uint64_t philox_p0 = (uint64_t)PHILOX_M0 * (x0);             \
        uint64_t philox_p1 = (uint64_t)PHILOX_M1 * (x2);             \
        x0 = (uint32_t)(philox_p1 >> 32) ^ (x1) ^ (k0);              \
        x1 = (uint32_t)philox_p1;                                    \
        x2 = (uint32_t)(philox_p0 >> 32) ^ (x3) ^ (k1);              \
        x3 = (uint32_t)philox_p0;                                    \
    } while (0)

/* Philox4x32 with 10 rounds: the bijection of counter c under key (k0, k1). Written on four
 * scalars and fully unrolled so that a CPU loop over draws vectorizes. */
static inline HD philox_block philox4x32_10(philox_block c, uint32_t k0, uint32_t k1)
{
    uint32_t x0 = c.word[0], x1 = c.word[1], x2 = c.word[2], x3 = c.word[3];
    PHILOX_ROUND(x0, x1, x2, x3, k0, k1); k0 += PHILOX_W0; k1 += PHILOX_W1;   /* 1 */
    PHILOX_ROUND(x0, x1, x2, x3, k0, k1); k0 += PHILOX_W0; k1 += PHILOX_W1;   /* 2 */
    PHILOX_ROUND(x0, x1, x2, x3, k0, k1); k0 += PHILOX_W0; k1 += PHILOX_W1;   /* 3 */
    PHILOX_ROUND(x0, x1, x2, x3, k0, k1); k0 += PHILOX_W0; k1 += PHILOX_W1;   /* 4 */
    PHILOX_ROUND(x0, x1, x2, x3, k0, k1); k0 += PHILOX_W0; k1 += PHILOX_W1;   /* 5 */
    PHILOX_ROUND(x0, x1, x2, x3, k0, k1); k0 += PHILOX_W0; k1 += PHILOX_W1;   /* 6 */
    PHILOX_ROUND(x0, x1, x2, x3, k0, k1); k0 += PHILOX_W0; k1 += PHILOX_W1;   /* 7 */
    PHILOX_ROUND(x0, x1, x2, x3, k0, k1); k0 += PHILOX_W0; k1 += PHILOX_W1;   /* 8 */
    PHILOX_ROUND(x0, x1, x2, x3, k0, k1); k0 += PHILOX_W0; k1 += PHILOX_W1;   /* 9 */
    PHILOX_ROUND(x0, x1, x2, x3, k0, k1);                                     /* 10 */
    philox_block out;
    out.word[0] = x0;
    out.word[1] = x1;
    out.word[2] = x2;
    out.word[3] = x3;
    return out;
}

/* Block b (words 4b..4b+3) of cuRAND's stream curand_init(seed, subsequence, 0):
 * counter = (lo(b), hi(b), lo(subsequence), hi(subsequence)), key = (lo(seed), hi(seed)). */
static inline HD philox_block philox_stream_block(uint64_t seed, uint64_t subsequence, uint64_t b)
{
    philox_block c;
    c.word[0] = (uint32_t)b;
    c.word[1] = (uint32_t)(b >> 32);
    c.word[2] = (uint32_t)subsequence;
    c.word[3] = (uint32_t)(subsequence >> 32);
    return philox4x32_10(c, (uint32_t)seed, (uint32_t)(seed >> 32));
}

/* One Philox round as PHILOX_ROUND, on words held in the low halves of 64-bit lanes (upper
 * halves zero) with the multipliers m0, m1 (PHILOX_M0, PHILOX_M1) passed in. */
#define PHILOX_ROUND_WIDE(x0, x1, x2, x3, k0, k1, m0, m1)                    \
    do {                                                                     \
        uint64_t philox_p0 = (uint64_t)(uint32_t)(x0) * (uint64_t)(m0);      \
        uint64_t philox_p1 = (uint64_t)(uint32_t)(x2) * (uint64_t)(m1);      \
        x0 = (philox_p1 >> 32) ^ (x1) ^ (k0);                                \
        x1 = (uint32_t)philox_p1;                                            \
        x2 = (philox_p0 >> 32) ^ (x3) ^ (k1);                                \
        x3 = (uint32_t)philox_p0;                                            \
    } while (0)

/* philox_stream_block for a CPU loop over draws: the same bits, computed on 64-bit lanes so
 * that each product is one 32 x 32 -> 64-bit vector multiply (vpmuludq) with no packing of
 * 32-bit words between rounds, with the multipliers m0 = PHILOX_M0, m1 = PHILOX_M1 as arguments
 * (a caller that hides their values from the compiler keeps GCC from turning the AVX2 products
 * into shifts and adds). The portable fallback of host/philox_simd.c, whose intrinsics are
 * faster still; tests/test_philox.c checks the bits. */
static inline HD philox_block philox_stream_block_wide(uint64_t seed, uint64_t subsequence,
                                                       uint64_t b, uint32_t m0, uint32_t m1)
{
    uint64_t x0 = (uint32_t)b, x1 = (uint32_t)(b >> 32), x2 = (uint32_t)subsequence,
             x3 = (uint32_t)(subsequence >> 32);
    uint64_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    for (int round = 0; round < 10; round++) {
        PHILOX_ROUND_WIDE(x0, x1, x2, x3, k0, k1, m0, m1);
        k0 = (uint32_t)(k0 + PHILOX_W0);
        k1 = (uint32_t)(k1 + PHILOX_W1);
    }
    philox_block out;
    out.word[0] = (uint32_t)x0;
    out.word[1] = (uint32_t)x1;
    out.word[2] = (uint32_t)x2;
    out.word[3] = (uint32_t)x3;
    return out;
}

/* Uniform in [2^-24, 1 - 2^-24], never 0 nor 1: the top 23 bits of a word, centred in their
 * cell, (2k + 1) * 2^-24 for k = word >> 9. Exact in float (24-bit significand) and symmetric
 * (u and 1 - u are equally likely), so inverse transforms never see 0 or 1. */
static inline HD float philox_uniform(uint32_t word)
{
    return (float)(word >> 9) * 0x1p-23f + 0x1p-24f;
}

/* Tails. The 2^23 cells of philox_uniform are too coarse where an unbounded prior's tail
 * matters: they stop the normal at |z| = 5.3, which cuts 2 % off the mean and 23 % off the sd
 * of a lognormal of sigma 2.6. So the tail mass t = min(u, 1 - u) of a word in one of the
 * PHILOX_TAIL_CELLS outermost cells on either side (t < 257 * 2^-23, 3.1e-5; probability 6e-5
 * per word) is refined with further words of the same stream: the cell [c, c + 1) 2^-23 is cut
 * into 2^23 sub-cells by the top 23 bits of the word at cuRAND offset 2^34 L + j (level L = 1,
 * parameter j); a sub-cell that is itself one of the outermost of cell 0 is refined again, for
 * PHILOX_TAIL_LEVELS levels (t down to 2^-93, 1e-28; |z| up to 11.0). Draws stay functions of
 * (seed, stream), and the tail mass is uniform to a relative resolution of 2^-8 or finer. */
#define PHILOX_TAIL_CELLS 256u
#define PHILOX_TAIL_LEVELS 3
#define PHILOX_TAIL_SMALLEST 0x1p-93   /* the smallest tail mass: 2^-24 2^(-23 LEVELS) */

/* Cell c in [0, 2^22) of word's uniform counted from the nearer end, and the side it is on
 * (*upper = 1 when u > 1/2). */
static inline HD uint32_t philox_tail_cell(uint32_t word, int *upper)
{
    uint32_t k = word >> 9;
    *upper = k >= 0x400000u;
    return *upper ? 0x7fffffu - k : k;
}

/* The tail mass of cell c, (2c + 1) 2^-24 (exact): min(u, 1 - u) without refinement. */
static inline HD float philox_tail_of_cell(uint32_t cell)
{
    return (float)(2u * cell + 1u) * 0x1p-24f;
}

/* Word j of the refinement level `level` (1..PHILOX_TAIL_LEVELS) of stream (seed, stream). */
static inline HD uint32_t philox_tail_word(uint64_t seed, uint64_t stream, int j, int level)
{
    philox_block block =
        philox_stream_block(seed, stream, ((uint64_t)level << 32) + (uint64_t)(j >> 2));
    return block.word[j & 3];
}

/* Tail mass t = min(u, 1 - u) in (0, 1/2) of word (word j of stream (seed, stream)), refined in
 * the outermost cells as described above; *upper = 1 when u > 1/2. */
static inline HD float philox_tail(uint64_t seed, uint64_t stream, int j, uint32_t word,
                                   int *upper)
{
    uint32_t cell = philox_tail_cell(word, upper);
    if (cell >= PHILOX_TAIL_CELLS) return philox_tail_of_cell(cell);
    float cell_mass = 0x1p-23f;   /* tail mass of one cell at this level */
    for (int level = 1;; level++) {
        uint32_t sub = philox_tail_word(seed, stream, j, level) >> 9;
        float fraction = (float)(2u * sub + 1u) * 0x1p-24f;   /* where in the cell, (0, 1) */
        if (cell > 0 || sub >= PHILOX_TAIL_CELLS || level == PHILOX_TAIL_LEVELS)
            return ((float)cell + fraction) * cell_mass;
        /* Cell 0 of this level, and its sub-cell is among the outermost: refine it. */
        cell = sub;
        cell_mass *= 0x1p-23f;
    }
}

#endif
