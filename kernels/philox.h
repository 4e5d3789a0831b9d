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

/* Uniform in [2^-24, 1 - 2^-24], never 0 nor 1: the top 23 bits of a word, centred in their
 * cell, (2k + 1) * 2^-24 for k = word >> 9. Exact in float (24-bit significand) and symmetric
 * (u and 1 - u are equally likely), so inverse transforms never see 0 or 1. */
static inline HD float philox_uniform(uint32_t word)
{
    return (float)(word >> 9) * 0x1p-23f + 0x1p-24f;
}

#endif
