/* draw.h: one Monte Carlo draw, from its uniform words to the model outputs, shared by the CPU
 * and CUDA backends. The caller supplies the words (CPU: philox_stream_block; GPU: curand4 on
 * curand_init(seed, draw, 0)), so both backends evaluate the same function of (seed, draw). */
#ifndef THIRST_DRAW_H
#define THIRST_DRAW_H

#include "hd.h"
#include "model.h"
#include "philox.h"
#include "prior.h"

/* Most uniform words one draw reads (one per parameter). */
#define DRAW_MAX_WORDS 32

/* The uniform of prior p from its word (word p->word of stream (seed, stream)): u, and for a
 * prior that reads the tail mass, that mass refined far into the tails (philox_tail). */
static inline HD prior_uniform draw_uniform(const prior_spec *p, uint64_t seed, uint64_t stream,
                                            uint32_t word)
{
    prior_uniform x;
    x.u = philox_uniform(word);
    int upper;
    x.tail = prior_uses_tail(p) ? philox_tail(seed, stream, p->word, word, &upper)
                                : philox_tail_of_cell(philox_tail_cell(word, &upper));
    x.upper = upper;
    return x;
}

/* Fill inputs (MODEL_SLOT_COUNT floats, canonical units) for one draw of stream (seed, stream)
 * whose words are words: start from fixed_inputs, then apply each sampled prior to the uniform
 * of its own word. */
static inline HD void draw_inputs(const prior_spec *priors, int prior_count, const float *data,
                                  const float *fixed_inputs, uint64_t seed, uint64_t stream,
                                  const uint32_t *words, float *inputs)
{
    for (int s = 0; s < MODEL_SLOT_COUNT; s++) inputs[s] = fixed_inputs[s];
    for (int k = 0; k < prior_count; k++)
        prior_apply(&priors[k], data, draw_uniform(&priors[k], seed, stream, words[priors[k].word]),
                    inputs, 1);
}

/* The first word_count words of draw `draw` with seed `seed`, as curand4 would return them. */
static inline HD void draw_words(uint64_t seed, uint64_t draw, int word_count, uint32_t *words)
{
    for (int b = 0; 4 * b < word_count; b++) {
        philox_block block = philox_stream_block(seed, draw, (uint64_t)b);
        for (int j = 0; j < 4 && 4 * b + j < DRAW_MAX_WORDS; j++) words[4 * b + j] = block.word[j];
    }
}

#endif
