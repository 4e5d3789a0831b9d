/* qmc.h: points of the Sobol' sequence (Sobol' 1967; Bratley and Fox 1988) in Gray-code order
 * as 32-bit words, from a dimension's 32 direction numbers (host/qmc_directions.c: Joe and Kuo
 * 2008), for randomized quasi-Monte Carlo (DESIGN.md section 11): point k directly from k (one
 * XOR per set bit of k's Gray code), or from point k - 1 with one XOR, so that a work unit
 * starts anywhere and steps through its points. A replicate's random linear scramble
 * (qmc_scramble) and digital shift (an XOR of the word) keep every property of the points below. Word w stands for the point
 * w 2^-32 of [0, 1); the first 2^m points of the sequence put exactly 2^(m - j) words in each
 * dyadic interval [i 2^-j, (i + 1) 2^-j), j <= m, in every dimension (tests/test_qmc.c). */
#ifndef THIRST_QMC_H
#define THIRST_QMC_H

#include "hd.h"

#define QMC_BITS 32   /* direction numbers per dimension: points k < 2^32 per replicate */

/* Point k (k < 2^32) of the dimension whose direction numbers are v[0..QMC_BITS), in Gray-code
 * order: the XOR of v[i] over the set bits i of k ^ (k >> 1). */
static inline HD uint32_t qmc_point(const uint32_t *v, uint64_t k)
{
    uint32_t gray = (uint32_t)(k ^ (k >> 1)), x = 0;
    for (int i = 0; gray; i++, gray >>= 1)
        if (gray & 1u) x ^= v[i];
    return x;
}

/* Point k + 1 from point k (x): the Gray codes of k and k + 1 differ in the bit of k's lowest
 * zero, so one XOR. */
static inline HD uint32_t qmc_next(const uint32_t *v, uint32_t x, uint64_t k)
{
    int bit = 0;
    while ((k >> bit) & 1u) bit++;
    return x ^ v[bit];
}

/* L x over the binary digits, for the matrix L given by its QMC_BITS columns (columns[p]: the
 * image of bit p): the XOR of the columns of x's set bits. A random linear scramble
 * (Matousek 1998) has column p = bit p and random bits below it: lower triangular with a unit
 * diagonal in digit order (bit 31 is the first binary digit), so the first t digits of L x are
 * an invertible function of the first t digits of x and every dyadic stratum keeps its count.
 * Linear: L (x ^ y) = L x ^ L y, so scrambling the direction numbers scrambles every point. */
static inline HD uint32_t qmc_scramble(const uint32_t *columns, uint32_t x)
{
    uint32_t y = 0;
    for (int p = 0; p < QMC_BITS; p++) y ^= columns[p] & (0u - ((x >> p) & 1u));
    return y;
}

#endif
