/* copula.h: correlated inputs for one draw (DESIGN.md section 10), shared by both backends: a
 * Gaussian copula applied per draw. The members of a correlated block take the normal scores of
 * their own uniforms (their own words, refined in the tails), multiply them by the block's
 * Cholesky factor, and take their values at the normal CDF of the result, so a draw stays a
 * function of (seed, draw) and every marginal is unchanged. host/scenario_correlations.c builds
 * the blocks and the factor; the factor's rows are in the plan's float data. */
#ifndef THIRST_COPULA_H
#define THIRST_COPULA_H

#include "fastmath.h"
#include "hd.h"
#include "philox.h"
#include "prior.h"

#define COPULA_MAX_MEMBERS 32                       /* correlated priors of one plan */
#define COPULA_MAX_BLOCKS (COPULA_MAX_MEMBERS / 2)  /* a block has two members at least */

/* The correlated blocks of a plan, and the factors of its Sobol design (each block one factor,
 * each independent prior one). Without correlations: no block, factor k = prior k (host/engine.c
 * sets the factors of every plan). */
typedef struct {
    int32_t block_count;
    int32_t block_first[COPULA_MAX_BLOCKS];    /* its first member in member[] */
    int32_t block_size[COPULA_MAX_BLOCKS];     /* its members, >= 2 */
    int32_t block_factor[COPULA_MAX_BLOCKS];   /* data offset of its Cholesky factor: row m
                                                  (m + 1 floats) at offset + m (m + 1) / 2 */
    int32_t member[COPULA_MAX_MEMBERS];        /* prior index of each member, blocks in order */
    int32_t in_block[COPULA_MAX_MEMBERS];      /* per prior (index < prior_count): 1 + its
                                                  block, or 0 when it is independent */
    int32_t factor_count;                      /* Sobol factors */
    int32_t factor[COPULA_MAX_MEMBERS];        /* factor k: a prior index, or -1 - block */
} copula_plan;

/* Phi(-|z|), the standard normal tail mass beyond |z|, for any float z (|z| above 13 is taken
 * as 13: 6e-39), relative error below 1e-6 (tests/test_correlation.c against erfc). Hart's
 * rational function below |z| = 7.07 and its continued fraction above (J. F. Hart et al.,
 * Computer Approximations, 1968, algorithm 5666, in the form of G. West, "Better
 * approximations to cumulative normal functions", Wilmott, 2005); e^(-z^2 / 2) as two factors,
 * the first at z rounded down to 1/16 (exact square), as in W. J. Cody's erfc (Math. Comp. 23,
 * 1969), so that rounding z^2 costs no relative accuracy. Branch-free (fastmath_select). */
static inline HD float copula_normal_tail(float z)
{
    float x = z < 0.0f ? -z : z;
    x = x > 13.0f ? 13.0f : x;
    float head = (float)(int32_t)(x * 16.0f) * 0.0625f;
    float density = fastmath_expf(-0.5f * (head * head)) *
                    fastmath_expf(-0.5f * ((x - head) * (x + head)));
    float p = 0.0352624965998911f;
    p = p * x + 0.700383064443688f;
    p = p * x + 6.37396220353165f;
    p = p * x + 33.912866078383f;
    p = p * x + 112.079291497871f;
    p = p * x + 221.213596169931f;
    p = p * x + 220.206867912376f;
    float q = 0.0883883476483184f;
    q = q * x + 1.75566716318264f;
    q = q * x + 16.064177579207f;
    q = q * x + 86.7807322029461f;
    q = q * x + 296.564248779674f;
    q = q * x + 637.333633378831f;
    q = q * x + 793.826512519948f;
    q = q * x + 440.413735824752f;
    float fraction = x + 4.0f / (x + 0.65f);
    fraction = x + 3.0f / fraction;
    fraction = x + 2.0f / fraction;
    fraction = x + 1.0f / fraction;
    /* both branches evaluated and one selected, so the CPU's batch loop vectorizes */
    return fastmath_select(x < 7.07106781f, density * p / q, density / fraction / 2.50662827463f);
}

/* The uniform (prior.h) whose normal score is z: tail mass Phi(-|z|) (at least the smallest
 * refined tail mass), its side, and u in [2^-24, 1 - 2^-24]. */
static inline HD prior_uniform copula_uniform(float z)
{
    prior_uniform x;
    float tail = copula_normal_tail(z);
    x.tail = tail < (float)PHILOX_TAIL_SMALLEST ? (float)PHILOX_TAIL_SMALLEST : tail;
    x.upper = z > 0.0f;
    float u = fastmath_select(x.upper, 1.0f - x.tail, x.tail);
    x.u = u < 0x1p-24f ? 0x1p-24f : (u > 1.0f - 0x1p-24f ? 1.0f - 0x1p-24f : u);
    return x;
}

/* The input slot a prior writes first (a single-parameter choice: its parameter's). */
static inline HD int copula_home_slot(const prior_spec *p)
{
    return p->dist == PRIOR_CHOICE ? p->choice_slot[0] : p->slot;
}

/* The normal scores of block b of c for draw `stream` of seed (words: word w at
 * words[w * word_stride]), correlated, into its members' own input slots (slot s at
 * inputs[s * stride]): each member's score from its own refined tail mass, then, last member
 * first, the factor's row (data: the plan's float data) times the scores in member order, which
 * overwrites the score that no later row reads. The caller then gives each member its value at
 * copula_uniform of its slot. */
static inline HD void copula_block_scores(const copula_plan *c, int b, const prior_spec *priors,
                                          const float *data, uint64_t seed, uint64_t stream,
                                          const uint32_t *words, int word_stride, float *inputs,
                                          int stride)
{
    const int32_t *member = c->member + c->block_first[b];
    const int size = c->block_size[b];
    const float *factor = data + c->block_factor[b];
    HD_NO_UNROLL
    for (int m = 0; m < size; m++) {
        const prior_spec *p = &priors[member[m]];
        int upper;
        float tail = philox_tail(seed, stream, p->word, words[p->word * word_stride], &upper);
        inputs[copula_home_slot(p) * stride] = prior_normal_quantile_tail(tail, upper);
    }
    HD_NO_UNROLL
    for (int m = size - 1; m >= 0; m--) {
        const float *row = factor + m * (m + 1) / 2;
        float z = 0.0f;
        HD_NO_UNROLL
        for (int k = 0; k <= m; k++)
            z = z + row[k] * inputs[copula_home_slot(&priors[member[k]]) * stride];
        inputs[copula_home_slot(&priors[member[m]]) * stride] = z;
    }
}

/* Block b applied whole: its correlated scores, then each member's value (a Sobol factor;
 * draw_inputs interleaves the members with the independent priors). Out of line on the CPU, so
 * that the Sobol loop without correlations keeps its inlining (bench/README.md). */
HD_STATIC_OUTLINED_ON_HOST void copula_apply_block(const copula_plan *c, int b, const prior_spec *priors,
                                         const float *data, uint64_t seed, uint64_t stream,
                                         const uint32_t *words, int word_stride, float *inputs,
                                         int stride)
{
    copula_block_scores(c, b, priors, data, seed, stream, words, word_stride, inputs, stride);
    HD_NO_UNROLL
    for (int m = 0; m < c->block_size[b]; m++) {
        const prior_spec *p = &priors[c->member[c->block_first[b] + m]];
        prior_apply(p, data, copula_uniform(inputs[copula_home_slot(p) * stride]), inputs, stride);
    }
}

#endif
