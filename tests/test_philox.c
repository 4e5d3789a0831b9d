/* test_philox.c: Philox4x32-10 known-answer vectors (Random123) and the cuRAND stream layout
 * of curand_init(seed, subsequence, 0) + curand(), emulated here word by word from cuRAND's
 * documented state machine, independently of kernels/philox.h's block formula; and the
 * word-to-uniform map's range and exactness.
 * Refined tails (philox_tail): the refinement words are cuRAND's at word offset 2^34 L + j of
 * the same stream (curand_init(seed, stream, 2^34 L + j)); a refined tail mass lies in its
 * word's cell; over 2^24 draws the words in refined cells are as many as 512 / 2^23 predicts
 * and their tail masses are uniform over the refined region (Kolmogorov-Smirnov below its
 * 0.1 % critical value), with binomial counts below 1e-6.
 * The CPU batch loop's block on 64-bit lanes (philox_stream_block_wide) has the bits of
 * philox_stream_block, for the known-answer keys and counters and for seeds, streams and blocks
 * with every half set (B rows at 2^63 + i, refinement blocks at 2^32 L); so do the batch loop's
 * vector versions (host/philox_simd.c: AVX-512, AVX2 where the build and CPU have them, and the
 * portable loop), for every count of streams from 1 to 40 (the vectors' remainders) and 256. */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#include "../kernels/draw.h"
#include "../kernels/philox.h"
#include "check.h"
#include "philox_simd.h"

/* Random123 kat_vectors: philox4x32 10 rounds, CTR[4] KEY[2] -> OUT[4]. */
static void known_answers(void)
{
    static const uint32_t vectors[3][10] = {
        {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
        {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d,
         0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
        {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09,
         0x94fdcceb, 0x5001e420, 0x24126ea1},
    };
    for (int v = 0; v < 3; v++) {
        philox_block c = {{vectors[v][0], vectors[v][1], vectors[v][2], vectors[v][3]}};
        philox_block out = philox4x32_10(c, vectors[v][4], vectors[v][5]);
        for (int j = 0; j < 4; j++)
            CHECK(out.word[j] == vectors[v][6 + j], "vector %d word %d: %08x, expected %08x", v,
                  j, out.word[j], vectors[v][6 + j]);
        /* The same block through the batch loop's 64-bit lanes: counter (b, stream), key seed. */
        philox_block wide = philox_stream_block_wide(
            vectors[v][4] | (uint64_t)vectors[v][5] << 32,
            vectors[v][2] | (uint64_t)vectors[v][3] << 32,
            vectors[v][0] | (uint64_t)vectors[v][1] << 32, PHILOX_M0, PHILOX_M1);
        for (int j = 0; j < 4; j++)
            CHECK(wide.word[j] == vectors[v][6 + j], "vector %d word %d (wide): %08x, expected %08x",
                  v, j, wide.word[j], vectors[v][6 + j]);
    }
}

/* An emulation of cuRAND's Philox state: counter, key, buffered output, position. */
typedef struct {
    uint32_t ctr[4], key[2], output[4];
    int position;
} emulated_state;

/* Philox round written out on named lanes (independent of philox_round's layout). */
static void emulated_bijection(const uint32_t *ctr_in, const uint32_t *key_in, uint32_t *out)
{
    uint32_t x = ctr_in[0], y = ctr_in[1], z = ctr_in[2], w = ctr_in[3];
    uint32_t k0 = key_in[0], k1 = key_in[1];
    for (int r = 0; r < 10; r++) {
        uint64_t product_x = (uint64_t)x * 0xD2511F53u;
        uint64_t product_z = (uint64_t)z * 0xCD9E8D57u;
        uint32_t nx = (uint32_t)(product_z >> 32) ^ y ^ k0;
        uint32_t ny = (uint32_t)product_z;
        uint32_t nz = (uint32_t)(product_x >> 32) ^ w ^ k1;
        uint32_t nw = (uint32_t)product_x;
        x = nx; y = ny; z = nz; w = nw;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    out[0] = x; out[1] = y; out[2] = z; out[3] = w;
}

/* curand_init(seed, subsequence, 0): key = seed, counter high half += subsequence. */
static void emulated_init(emulated_state *s, uint64_t seed, uint64_t subsequence)
{
    s->ctr[0] = s->ctr[1] = s->ctr[2] = s->ctr[3] = 0;
    s->key[0] = (uint32_t)seed;
    s->key[1] = (uint32_t)(seed >> 32);
    uint32_t low = (uint32_t)subsequence, high = (uint32_t)(subsequence >> 32);
    s->ctr[2] += low;
    if (s->ctr[2] < low) high++;
    s->ctr[3] += high;
    emulated_bijection(s->ctr, s->key, s->output);
    s->position = 0;
}

/* curand(): next word; the 128-bit counter's low half advances after every fourth word. */
static uint32_t emulated_next(emulated_state *s)
{
    uint32_t word = s->output[s->position++];
    if (s->position == 4) {
        if (++s->ctr[0] == 0 && ++s->ctr[1] == 0 && ++s->ctr[2] == 0) ++s->ctr[3];
        emulated_bijection(s->ctr, s->key, s->output);
        s->position = 0;
    }
    return word;
}

static void stream_layout(void)
{
    static const uint64_t seeds[] = {0, 1, 2023, 0xFFFFFFFFull, 0x100000000ull,
                                     0xDEADBEEFCAFEF00Dull};
    static const uint64_t draws[] = {0, 1, 7, 65535, 65536, 0xFFFFFFFFull, 0x100000001ull,
                                     123456789012345ull, 0xFFFFFFFFFFFFFFFFull};
    for (int a = 0; a < 6; a++)
        for (int b = 0; b < 9; b++) {
            uint32_t words[DRAW_MAX_WORDS];
            draw_words(seeds[a], draws[b], DRAW_MAX_WORDS, words);
            emulated_state state;
            emulated_init(&state, seeds[a], draws[b]);
            int mismatches = 0;
            for (int j = 0; j < DRAW_MAX_WORDS; j++) mismatches += words[j] != emulated_next(&state);
            CHECK(mismatches == 0, "seed %llx draw %llx: %d of %d words differ from curand()",
                  (unsigned long long)seeds[a], (unsigned long long)draws[b], mismatches,
                  DRAW_MAX_WORDS);
        }
    /* The all-zero key and counter is the first known-answer vector. */
    uint32_t words[4];
    draw_words(0, 0, 4, words);
    CHECK(words[0] == 0x6627e8d5u && words[3] == 0x9b00dbd8u, "stream (0, 0) word 0 is %08x",
          words[0]);
}

static void uniform_map(void)
{
    CHECK(philox_uniform(0) == 0x1p-24f, "u(0) = %a", (double)philox_uniform(0));
    CHECK(philox_uniform(0xFFFFFFFFu) == 1.0f - 0x1p-24f, "u(max) = %a",
          (double)philox_uniform(0xFFFFFFFFu));
    CHECK(philox_uniform(0x80000000u) == 0.5f + 0x1p-24f, "u(2^31) = %a",
          (double)philox_uniform(0x80000000u));
    /* Every value is an odd multiple of 2^-24 (exact), strictly inside (0, 1), symmetric. */
    int bad = 0;
    for (uint64_t w = 0; w <= 0xFFFFFFFFull; w += 0x1FF3) {
        float u = philox_uniform((uint32_t)w);
        double scaled = (double)u * 16777216.0;
        if (!(u > 0 && u < 1) || scaled != floor(scaled) || fmod(scaled, 2.0) != 1.0) bad++;
        if (philox_uniform((uint32_t)w) + philox_uniform(~(uint32_t)w) != 1.0f) bad++;
    }
    CHECK(bad == 0, "%d words map outside the documented uniform grid", bad);
}

/* curand_init(seed, subsequence, offset) for an offset that is a multiple of 4 words. */
static void emulated_init_at(emulated_state *s, uint64_t seed, uint64_t subsequence,
                             uint64_t block)
{
    emulated_init(s, seed, subsequence);
    s->ctr[0] = (uint32_t)block;
    s->ctr[1] = (uint32_t)(block >> 32);
    emulated_bijection(s->ctr, s->key, s->output);
}

static int compare_floats(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static void refined_tails(void)
{
    int mismatches = 0;
    for (int level = 1; level <= PHILOX_TAIL_LEVELS; level++)
        for (int j = 0; j < DRAW_MAX_WORDS; j++) {
            emulated_state state;
            emulated_init_at(&state, 2023, 77, ((uint64_t)level << 32) + (uint64_t)(j / 4));
            uint32_t word = 0;
            for (int k = 0; k <= j % 4; k++) word = emulated_next(&state);
            mismatches += word != philox_tail_word(2023, 77, j, level);
        }
    CHECK(mismatches == 0, "%d refinement words differ from cuRAND's at offset 2^34 L + j",
          mismatches);
    const uint64_t draws = 1u << 24;
    const double region = PHILOX_TAIL_CELLS * 0x1p-23;   /* tail mass of the refined cells */
    float *refined = malloc(4096 * sizeof *refined);
    int count = 0, outside = 0;
    uint64_t below_1e6 = 0;
    for (uint64_t i = 0; i < draws && refined; i++) {
        uint32_t words[4];
        draw_words(31, i, 1, words);
        int upper;
        uint32_t cell = philox_tail_cell(words[0], &upper);
        if (cell >= PHILOX_TAIL_CELLS) continue;
        int side;
        float tail = philox_tail(31, i, 0, words[0], &side);
        outside += side != upper || !(tail >= (float)cell * 0x1p-23f) ||
                   !(tail <= (float)(cell + 1) * 0x1p-23f) || tail != philox_tail(31, i, 0, words[0], &side);
        below_1e6 += tail < 1e-6f;
        if (count < 4096) refined[count++] = tail;
    }
    CHECK(outside == 0, "%d refined tails outside their cell, on the wrong side, or not repeatable",
          outside);
    double expected = (double)draws * 2 * region, sd = sqrt(expected);
    CHECK(fabs(count - expected) <= 4 * sd, "%d words in refined cells of %llu, expected %.0f",
          count, (unsigned long long)draws, expected);
    double expected_below = (double)draws * 2e-6;
    CHECK(fabs((double)below_1e6 - expected_below) <= 4 * sqrt(expected_below),
          "%llu tail masses below 1e-6, expected %.1f", (unsigned long long)below_1e6, expected_below);
    if (refined) {
        qsort(refined, (size_t)count, sizeof *refined, compare_floats);
        double d = 0;
        for (int k = 0; k < count; k++) {
            double f = (double)refined[k] / region;
            d = fmax(d, fmax(fabs(f - (double)k / count), fabs(f - (double)(k + 1) / count)));
        }
        CHECK(d < 1.9495 / sqrt((double)count), "refined tail masses: KS distance %.4f from "
              "uniform over %d values", d, count);
    }
    free(refined);
}

/* philox_stream_block_wide against philox_stream_block (which the vectors above pin down). */
static void wide_lanes(void)
{
    const uint64_t seeds[] = {0, 2023, 0xffffffffffffffffull, 0x243f6a8885a308d3ull};
    const uint64_t streams[] = {0, 1, 0xffffffffull, 0x8000000000000000ull + 12345,
                                0xffffffffffffffffull};
    const uint64_t blocks[] = {0, 1, 7, 0x100000000ull, 0x300000005ull, 0xffffffffffffffffull};
    int mismatches = 0;
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 5; b++)
            for (int c = 0; c < 6; c++)
                for (uint64_t i = 0; i < 64; i++) {
                    philox_block x = philox_stream_block(seeds[a], streams[b] + i, blocks[c]);
                    philox_block y = philox_stream_block_wide(seeds[a], streams[b] + i, blocks[c],
                                                              PHILOX_M0, PHILOX_M1);
                    for (int j = 0; j < 4; j++) mismatches += x.word[j] != y.word[j];
                }
    CHECK(mismatches == 0, "philox_stream_block_wide: %d words differ from philox_stream_block",
          mismatches);
}

/* philox_simd.c's versions against philox_stream_block, for seeds with either half set and
 * streams crossing 2^32 and 2^64. */
static void vector_versions(void)
{
    const philox_words_fn versions[] = {philox_words_avx512_if_any(), philox_words_avx2_if_any(),
                                        philox_words_portable};
    const char *names[] = {"AVX-512", "AVX2", "portable"};
    const uint64_t firsts[] = {0, 0xfffffff0ull, 0x8000000000000000ull, 0xffffffffffffffe0ull};
    const uint64_t blocks[] = {0, 1, 0x300000005ull};
    const uint64_t seeds[] = {2023, 0xffffffffffffffffull, 0x243f6a8885a308d3ull};
    for (int v = 0; v < 3; v++) {
        if (!versions[v]) {
            printf("test_philox: the %s words are not in this build or CPU: not checked\n", names[v]);
            continue;
        }
        int mismatches = 0;
        for (int a = 0; a < 3; a++)
            for (int f = 0; f < 4; f++)
                for (int c = 0; c < 3; c++)
                    for (int n = 1; n <= 256; n = n < 40 ? n + 1 : 256) {
                        uint32_t w[4][256];
                        versions[v](seeds[a], firsts[f], blocks[c], n, w[0], w[1], w[2], w[3]);
                        for (int i = 0; i < n; i++) {
                            philox_block x =
                                philox_stream_block(seeds[a], firsts[f] + (uint64_t)i, blocks[c]);
                            for (int j = 0; j < 4; j++) mismatches += x.word[j] != w[j][i];
                        }
                        if (n == 256) break;
                    }
        CHECK(mismatches == 0, "%s words: %d differ from philox_stream_block", names[v], mismatches);
    }
}

int main(void)
{
    known_answers();
    wide_lanes();
    vector_versions();
    stream_layout();
    uniform_map();
    refined_tails();
    return check_done("test_philox");
}
