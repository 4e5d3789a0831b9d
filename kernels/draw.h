/* draw.h: one Monte Carlo draw, from its uniform words to the model outputs: draw_eval is the one
 * composition words -> uniforms -> inputs -> model that every per-draw caller uses (the CPU
 * reference and batch fix-ups, the GPU kernels, the GPU's Sobol, regression, dumps, `thirst
 * draws`); the CPU's batch loops (host/cpu_batch.c: runs, the pilot, the Sobol design) compose
 * the same functions over columns and are tested against it bit for bit.
 * The caller supplies the words (CPU: draw_plan_words, Philox or a scrambled, shifted Sobol' point; GPU:
 * cuRAND's Philox4x32-10 on the same counters, cuda_words.cuh), so both backends evaluate the
 * same function of (seed, draw). */
#ifndef THIRST_DRAW_H
#define THIRST_DRAW_H

#include "copula.h"
#include "hd.h"
#include "model.h"
#include "philox.h"
#include "plan.h"
#include "prior.h"

/* Most uniform words one draw reads (one per parameter). */
#define DRAW_MAX_WORDS PLAN_MAX_WORDS

/* rqmc: replicate r's digital shift and scramble come from the Philox stream
 * (seed, DRAW_SHIFT_STREAM + r), apart from the draws' own streams (below SCENARIO_MAX_DRAWS,
 * 1e15 < 2^50) and the Sobol design's B rows (SOBOL_B_STREAM + i = 2^63 + i). */
#define DRAW_SHIFT_STREAM 0x4000000000000000ull

/* rqmc: one row of the host's table per replicate and dimension: QMC_BITS scrambled direction
 * numbers, then the shift word (draw_qmc_row). */
#define DRAW_QMC_ROW (QMC_BITS + 1)

/* The inputs and outputs arrays of one draw for code shared by both machines (sobol.h): with the
 * user's own parameters and outputs on the CPU; the model's alone on the GPU, where only the
 * formula kernels (their own arrays, draw_eval_in) hold more, so the other kernels' per-draw
 * arrays stay as small as ptxas's budgets in tests/test_ptxas.py hold them. */
#ifdef __CUDA_ARCH__
#define DRAW_EVAL_INPUTS MODEL_SLOT_COUNT
#define DRAW_EVAL_OUTPUTS MODEL_OUTPUT_COUNT
#else
#define DRAW_EVAL_INPUTS DRAW_INPUT_SLOTS
#define DRAW_EVAL_OUTPUTS DRAW_OUTPUTS
#endif

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

/* Whether a caller's code holds the correlated path (copula.h): always on the CPU; on the GPU
 * only the general kernels (those given a value file: plan_general_kernels), so that the fast
 * kernels' code and registers are what they were without correlations (tests/test_ptxas.py). */
#ifdef __CUDA_ARCH__
#define DRAW_WITH_COPULA(values) ((values) != NULL)
#else
#define DRAW_WITH_COPULA(values) 1
#endif

/* Fill inputs (plan->input_slot_count floats, canonical units; the user's own parameters as
 * written) for one draw of stream `stream` whose words are words: start from the fixed inputs;
 * with_copula (a constant per caller), put each correlated block's normal scores, correlated,
 * in its members' slots (copula.h); then apply each prior to its uniform: an independent
 * prior's from its own word, a member's from its score. */
HD_STATIC_OUTLINED_ON_HOST void draw_inputs(const draw_plan *plan, const float *data,
                                         uint64_t stream, const uint32_t *words, float *inputs,
                                         int with_copula)
{
    for (int s = 0; s < plan->input_slot_count; s++) inputs[s] = plan->fixed_inputs[s];
    const int blocks = with_copula ? plan->copula.block_count : 0;
    HD_NO_UNROLL
    for (int b = 0; b < blocks; b++)
        copula_block_scores(&plan->copula, b, plan->priors, data, plan->seed, stream, words, 1,
                            inputs, 1);
    for (int k = 0; k < plan->prior_count; k++) {
        const prior_spec *p = &plan->priors[k];
        prior_uniform x = blocks && plan->copula.in_block[k]
                              ? copula_uniform(inputs[copula_home_slot(p)])
                              : draw_uniform(p, plan->seed, stream, words[p->word]);
        prior_apply(p, data, x, inputs, 1);
    }
}

/* The first word_count words of draw `draw` with seed `seed`: cuRAND's stream
 * curand_init(seed, draw, 0) + curand4 (philox.h). */
static inline HD void draw_words(uint64_t seed, uint64_t draw, int word_count, uint32_t *words)
{
    for (int b = 0; 4 * b < word_count; b++) {
        philox_block block = philox_stream_block(seed, draw, (uint64_t)b);
        for (int j = 0; j < 4 && 4 * b + j < DRAW_MAX_WORDS; j++) words[4 * b + j] = block.word[j];
    }
}

/* rqmc: word `dim` of replicate r's digital shift: word dim of blocks 0 to 15 of the
 * replicate's Philox stream (seed, DRAW_SHIFT_STREAM + r). */
static inline HD uint32_t draw_qmc_shift(uint64_t seed, uint64_t replicate, int dim)
{
    philox_block block = philox_stream_block(seed, DRAW_SHIFT_STREAM + replicate,
                                             (uint64_t)(dim >> 2));
    return block.word[dim & 3];
}

/* rqmc: the QMC_BITS columns of replicate r's random linear scramble of dimension `dim` (qmc.h,
 * qmc_scramble: column p is bit p and random bits below it), from blocks 16 + 8 dim to
 * 23 + 8 dim of the replicate's Philox stream. */
static inline HD void draw_qmc_columns(uint64_t seed, uint64_t replicate, int dim,
                                       uint32_t *columns)
{
    for (int b = 0; b < QMC_BITS / 4; b++) {
        philox_block block = philox_stream_block(seed, DRAW_SHIFT_STREAM + replicate,
                                                 16 + 8 * (uint64_t)dim + (uint64_t)b);
        for (int w = 0; w < 4; w++) {
            const int p = 4 * b + w;
            columns[p] = (1u << p) | (block.word[w] & ((1u << p) - 1u));
        }
    }
}

/* rqmc: point `point` of replicate r in dimension `dim`: the Sobol' point, scrambled by the
 * replicate's random linear scramble of that dimension (draw_qmc_columns), XOR the replicate's
 * shift word (draw_qmc_shift). Scramble and shift keep each replicate's balance
 * (kernels/qmc.h), and each point is uniform on [0, 1). The definition, computed afresh (the
 * host uses the run's table of scrambled direction numbers: draw_qmc_table_word). */
static inline HD uint32_t draw_qmc_word(const draw_plan *plan, uint64_t replicate,
                                        uint64_t point, int dim)
{
    /* qmc_scramble(draw_qmc_columns(...), x), a block of 4 columns at a time (no array of 32
     * columns in a GPU thread's registers) */
    const uint32_t x = qmc_point(plan->qmc_directions[dim], point);
    uint32_t y = 0;
    for (int b = 0; b < QMC_BITS / 4; b++) {
        philox_block block = philox_stream_block(plan->seed, DRAW_SHIFT_STREAM + replicate,
                                                 16 + 8 * (uint64_t)dim + (uint64_t)b);
        for (int w = 0; w < 4; w++) {
            const int p = 4 * b + w;
            const uint32_t column = (1u << p) | (block.word[w] & ((1u << p) - 1u));
            y ^= column & (0u - ((x >> p) & 1u));
        }
    }
    return y ^ draw_qmc_shift(plan->seed, replicate, dim);
}

/* rqmc on the host: draw_qmc_word from the run's table (plan->host_qmc_table, engine.c
 * engine_plan_make_sampled: replicate r's dimension d at row r * qmc_dims + d, its QMC_BITS
 * scrambled direction numbers then its shift word): the same bits, since scrambling is
 * linear (qmc_scramble). */
static inline const uint32_t *draw_qmc_row(const draw_plan *plan, uint64_t replicate, int dim)
{
    return plan->host_qmc_table +
           ((size_t)replicate * (size_t)plan->qmc_dims + (size_t)dim) * DRAW_QMC_ROW;
}

/* The rqmc word of (replicate, point, dim): from the host's table when it has one, else
 * computed afresh (draw_qmc_word). */
static inline HD uint32_t draw_qmc_word_any(const draw_plan *plan, uint64_t replicate,
                                            uint64_t point, int dim)
{
#ifndef __CUDA_ARCH__
    if (plan->host_qmc_table) {
        const uint32_t *row = draw_qmc_row(plan, replicate, dim);
        return qmc_point(row, point) ^ row[QMC_BITS];
    }
#endif
    return draw_qmc_word(plan, replicate, point, dim);
}

/* rqmc: the words of draw `draw` of a run (point k = draw / replicates of replicate
 * r = draw % replicates): word j from dimension j. */
static inline HD void draw_qmc_words(const draw_plan *plan, uint64_t draw, uint32_t *words)
{
    const uint64_t replicates = (uint64_t)plan->replicates;
    for (int j = 0; j < plan->word_count; j++)
        words[j] = draw_qmc_word_any(plan, draw % replicates, draw / replicates, j);
}

/* rqmc: the words of rows A and B of base draw i of the Sobol design (plan->qmc_sobol): point
 * k = i % P of replicate r = i / P (P = plan->qmc_points), A's word j from dimension j, B's
 * from dimension word_count + j: one 2d-dimensional point per base draw. */
static inline HD void draw_qmc_sobol_words(const draw_plan *plan, uint64_t i, uint32_t *words_a,
                                           uint32_t *words_b)
{
    const uint64_t per = plan->qmc_points;
    for (int j = 0; j < plan->word_count; j++) {
        words_a[j] = draw_qmc_word_any(plan, i / per, i % per, j);
        words_b[j] = draw_qmc_word_any(plan, i / per, i % per, plan->word_count + j);
    }
}

/* The first plan->word_count words of draw `draw` of a run under the plan's sampler: Philox
 * (mc, draw_words) or the scrambled and shifted Sobol' point (rqmc, draw_qmc_words). */
static inline HD void draw_plan_words(const draw_plan *plan, uint64_t draw, uint32_t *words)
{
    if (plan->sampler == PLAN_SAMPLER_RQMC)
        draw_qmc_words(plan, draw, words);
    else
        draw_words(plan->seed, draw, plan->word_count, words);
}

/* The outputs of a draw whose inputs are set: the model, or with formulas (and a value file:
 * value k at values[k * stride]) the formula plan around it (formulas may feed some inputs).
 * inputs and outputs hold DRAW_INPUT_SLOTS and DRAW_OUTPUTS floats where the plan has formulas,
 * else at least the model's slots and outputs; values NULL: the model alone (the GPU kernels for
 * plans without formulas pass a constant NULL, so their code has no formula path). */
static inline HD void draw_model_in(const draw_plan *plan, float *inputs, float *outputs,
                                    float *values, int stride)
{
    if (values && plan->has_formulas) {
        formula_plan_eval_strided(&plan->formulas, &plan->model, inputs, outputs, values, stride);
        return;
    }
    model_eval(&plan->model, inputs, outputs);
}

/* The outputs (DRAW_EVAL_OUTPUTS) of a draw whose inputs (DRAW_EVAL_INPUTS) are set: on the CPU
 * with the formulas in a local value file; on the GPU the model alone (the formula kernels call
 * draw_model_in with their shared value file). */
static inline HD void draw_model(const draw_plan *plan, float *inputs, float *outputs)
{
#ifndef __CUDA_ARCH__
    if (plan->has_formulas) {
        float values[FORMULA_MAX_VALUES];
        draw_model_in(plan, inputs, outputs, values, 1);
        return;
    }
#endif
    model_eval(&plan->model, inputs, outputs);
}

/* Inputs (DRAW_EVAL_INPUTS floats: plan->input_slot_count set) and every output
 * (DRAW_EVAL_OUTPUTS floats: the model's by enum model_output, then the scenario's own) of draw
 * `stream` of plan, from its words; data is the plan's float data. With formulas the formula
 * plan runs around the model (on the CPU; the GPU's formula kernels call draw_eval_in). */
static inline HD void draw_eval(const draw_plan *plan, const float *data, uint64_t stream,
                                const uint32_t *words, float *inputs, float *outputs)
{
    draw_inputs(plan, data, stream, words, inputs, DRAW_WITH_COPULA(NULL));
    draw_model(plan, inputs, outputs);
}

/* draw_eval with the formulas' value file given (value k at values[k * stride]; NULL: none):
 * the GPU's formula kernels, whose value file is in shared memory. */
static inline HD void draw_eval_in(const draw_plan *plan, const float *data, uint64_t stream,
                                   const uint32_t *words, float *inputs, float *outputs,
                                   float *values, int stride)
{
    draw_inputs(plan, data, stream, words, inputs, DRAW_WITH_COPULA(values));
    draw_model_in(plan, inputs, outputs, values, stride);
}

/* Model output k (enum model_output) of outputs, for a k the same in every GPU thread: a switch
 * over the list keeps outputs[] in registers (a run-time index would put it in local memory). */
static inline HD float draw_pick(const float *outputs, int k)
{
    switch (k) {
#define DRAW_PICK_CASE(e, ...) \
    case OUT_##e: return outputs[OUT_##e];
        MODEL_OUTPUTS(DRAW_PICK_CASE)
#undef DRAW_PICK_CASE
    default: return NAN;
    }
}

/* Model output or the scenario's own output k (a value the same in every GPU thread): built-in
 * outputs through draw_pick's switch, the scenario's own by index (the formula kernels'
 * outputs array is local memory anyway). */
static inline HD float draw_pick_any(const float *outputs, int k)
{
    return k < MODEL_OUTPUT_COUNT ? draw_pick(outputs, k) : outputs[k];
}

/* Reported output o (plan order) of a draw's model outputs: through draw_pick's switch on the
 * GPU (registers), by index on the CPU (a switch there costs a jump per value); the same
 * element either way. */
static inline HD float draw_reported(const draw_plan *plan, const float *outputs, int o)
{
#ifdef __CUDA_ARCH__
    return draw_pick(outputs, plan->outputs[o]);
#else
    return outputs[plan->outputs[o]];
#endif
}

#endif
