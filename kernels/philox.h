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

/* One Philox round on counter c with key (k0, k1). */
static inline HD philox_block philox_round(philox_block c, uint32_t k0, uint32_t k1)
{
    uint64_t p0 = (uint64_t)PHILOX_M0 * c.word[0];
    uint64_t p1 = (uint64_t)PHILOX_M1 * c.word[2];
    philox_block r;
    r.word[0] = (uint32_t)(p1 >> 32) ^ c.word[1] ^ k0;
    r.word[1] = (uint32_t)p1;
    r.word[2] = (uint32_t)(p0 >> 32) ^ c.word[3] ^ k1;
    r.word[3] = (uint32_t)p0;
    return r;
}

/* Philox4x32 with 10 rounds: the bijection of counter c under key (k0, k1). */
static inline HD philox_block philox4x32_10(philox_block c, uint32_t k0, uint32_t k1)
{
    for (int round = 0; round < 9; round++) {
        c = philox_round(c, k0, k1);
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    return philox_round(c, k0, k1);
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
