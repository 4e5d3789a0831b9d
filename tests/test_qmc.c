/* test_qmc.c: the Sobol' points of kernels/qmc.h with the direction numbers of
 * host/qmc_directions.c.
 * - Known answers: points 1, 2, 3, 100, 12345, 2^20 + 7 and 2^31 + 12345 in dimensions 0, 1, 2,
 *   5, 17 and 63 equal scipy.stats.qmc.Sobol(d=64, scramble=False, bits=32) (scipy 1.17.1,
 *   fast_forward(k) then one point, times 2^32): the same Joe-Kuo numbers, the same Gray-code
 *   order, no first point skipped.
 * - Balance (the (t, m, s)-net property in one dimension): the first 2^m points put exactly
 *   2^(m - j) words in every dyadic interval of length 2^-j, j <= m, in each of the 64
 *   dimensions, for m = 4, 10 and 16, with and without a digital shift (an XOR of every word).
 * - Stepping (qmc_next) from any point gives the points computed directly. */
#include <stdint.h>
#include <stdlib.h>

#include "../kernels/qmc.h"
#include "check.h"
#include "qmc_directions.h"

/* Points against scipy's. */
static void known_answers(void)
{
    static const struct {
        uint32_t k;
        uint32_t x[6];
    } kat[] = {
    {1u, {0x80000000u, 0x80000000u, 0x80000000u, 0x80000000u, 0x80000000u, 0x80000000u}},
    {2u, {0xc0000000u, 0x40000000u, 0x40000000u, 0xc0000000u, 0x40000000u, 0xc0000000u}},
    {3u, {0x40000000u, 0xc0000000u, 0xc0000000u, 0x40000000u, 0xc0000000u, 0x40000000u}},
    {100u, {0x6a000000u, 0x42000000u, 0xc6000000u, 0xbe000000u, 0xbe000000u, 0xa6000000u}},
    {12345u, {0xa4140000u, 0xd03c0000u, 0x290c0000u, 0x0f140000u, 0x0d0c0000u, 0x77340000u}},
    {1048583u, {0x20001800u, 0xd8007800u, 0xcdf87800u, 0x8380f800u, 0xea0e6800u, 0x57720800u}},
    {2147495993u, {0xa4140003u, 0x85695555u, 0x620cbbbbu, 0xcf796d6du, 0xe9df4d8bu, 0x55d0e10bu}}
    };
    const int dims[6] = {0, 1, 2, 5, 17, 63};
    for (size_t t = 0; t < sizeof kat / sizeof *kat; t++)
        for (int d = 0; d < 6; d++) {
            uint32_t v[QMC_BITS];
            CHECK(qmc_directions(dims[d], v) == 0, "qmc_directions(%d) failed", dims[d]);
            uint32_t x = qmc_point(v, kat[t].k);
            CHECK(x == kat[t].x[d], "point %u of dimension %d: %08x, scipy %08x", kat[t].k,
                  dims[d], x, kat[t].x[d]);
        }
    uint32_t v[QMC_BITS];
    CHECK(qmc_directions(QMC_MAX_DIMS, v) == -1 && qmc_directions(-1, v) == -1,
          "qmc_directions accepts a dimension out of range");
}

/* Every dyadic interval of length 2^-j, j <= m, holds 2^(m - j) of the first 2^m points (shifted
 * by shift), in every dimension; and stepping equals computing each point. */
static void balance(int m, uint32_t shift)
{
    const uint32_t n = 1u << m;
    uint32_t *counts = calloc(n, sizeof *counts);
    if (!counts) {
        CHECK(0, "out of memory");
        return;
    }
    int unbalanced = 0, stepping = 0;
    for (int dim = 0; dim < QMC_MAX_DIMS; dim++) {
        uint32_t v[QMC_BITS];
        qmc_directions(dim, v);
        for (int j = 1; j <= m; j++) {
            for (uint32_t c = 0; c < (1u << j); c++) counts[c] = 0;
            uint32_t x = qmc_point(v, 0);
            for (uint32_t k = 0; k < n; k++) {
                if (k) x = qmc_next(v, x, k - 1);
                stepping += j == 1 && x != qmc_point(v, k);
                counts[(x ^ shift) >> (32 - j)]++;
            }
            for (uint32_t c = 0; c < (1u << j); c++) unbalanced += counts[c] != (n >> j);
        }
    }
    CHECK(unbalanced == 0, "2^%d points (shift %08x): %d dyadic intervals without exactly "
          "2^(m - j) points", m, shift, unbalanced);
    CHECK(stepping == 0, "2^%d points: %d stepped points differ from direct ones", m, stepping);
    free(counts);
}

int main(void)
{
    known_answers();
    const int sizes[] = {4, 10, 16};
    for (int s = 0; s < 3; s++) {
        balance(sizes[s], 0);
        balance(sizes[s], 0x9e3779b9u);
    }
    return check_done("test_qmc");
}
