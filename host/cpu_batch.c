/* cpu_batch.c: the CPU backend's vectorised evaluation of a batch of consecutive draws
 * (engine_eval_batch): the words of every draw, then each prior over the whole batch (one loop
 * per prior kind, made from PRIOR_KINDS), then the model over the batch. It computes what
 * draw_eval (kernels/draw.h) computes draw by draw, in the same operations, so the bits agree
 * (tests/test_engine.c checks every scenario); the rare words in a refined tail cell are
 * redone one by one with draw_uniform; correlated blocks go through the copula over columns
 * (copula_batch). Also the Sobol design's base draws in batches (engine_sobol_batch). */
#include "../kernels/draw.h"
#include "../kernels/sobol.h"
#include "engine.h"
#include "philox_simd.h"

/* The formula plan (kernels/formula_plan.h) over a batch, op by op with the values as columns:
 * formula_plan_eval's operations, in its order, so the bits are the same. */
static void formulas_batch(const draw_plan *plan, float (*inputs)[ENGINE_CHUNK_DRAWS], int n,
                           float *outputs)
{
    static _Thread_local float values[FORMULA_MAX_VALUES][ENGINE_CHUNK_DRAWS];
    const formula_plan *f = &plan->formulas;
    const formula_program *program = &f->program;
    for (int k = 0; k < f->input_count; k++)
        for (int i = 0; i < n; i++) values[k][i] = inputs[f->input_slot[k]][i];
    for (int k = 0; k < program->constant_count; k++)
        for (int i = 0; i < n; i++) values[program->constant_base + k][i] = program->constants[k];
    for (int step = 0; step < 2; step++) {
        int first = step ? f->before_model : 0, end = step ? program->op_count : f->before_model;
        for (int k = first; k < end; k++) {
            const formula_op *o = &program->ops[k];
            const int op = o->op;
            float *target = values[o->target];
            const float *a = values[o->a], *b = values[o->b], *c = values[o->c];
            for (int i = 0; i < n; i++) target[i] = formula_apply(op, a[i], b[i], c[i]);
        }
        if (step) break;
        for (int k = 0; k < f->fed_count; k++)
            for (int i = 0; i < n; i++) inputs[f->fed_slot[k]][i] = values[f->fed_value[k]][i];
        if (f->uses_model)
            for (int i = 0; i < n; i++)
                model_eval_strided(&plan->model, &inputs[0][i], ENGINE_CHUNK_DRAWS, &outputs[i],
                                   ENGINE_CHUNK_DRAWS);
        for (int k = 0; k < f->model_output_count; k++)
            for (int i = 0; i < n; i++)
                values[f->input_count + k][i] =
                    outputs[(size_t)f->model_output[k] * ENGINE_CHUNK_DRAWS + (size_t)i];
    }
    for (int k = 0; k < f->user_output_count; k++)
        for (int i = 0; i < n; i++)
            outputs[(size_t)(MODEL_OUTPUT_COUNT + k) * ENGINE_CHUNK_DRAWS + (size_t)i] =
                values[f->user_output_value[k]][i];
}

/* Correlated block b of plan over a batch (copula.h's copula_block_scores, then each member's
 * value, as draw_inputs computes them draw by draw, in the same operations): the scores from the
 * unrefined uniforms as columns (prior_normal_quantile equals prior_normal_quantile_tail there
 * bit for bit), the rare refined tail cells redone one by one, the factor's rows over the
 * columns, then each member's values. Out of line: inlined into engine_eval_batch it made runs
 * without correlations 4x slower; compiled for the baseline ISA alone it is faster than its
 * target_clones (0.15 s against 0.21 s for 1e6 draws of gpt3-training-us-correlated.json on
 * this 2-core machine). */
static __attribute__((noinline)) void copula_batch(
    const draw_plan *plan, const float *data, int b, uint64_t first, int n,
    uint32_t (*words)[ENGINE_CHUNK_DRAWS], float (*inputs)[ENGINE_CHUNK_DRAWS])
{
    static _Thread_local float score[COPULA_MAX_MEMBERS][ENGINE_CHUNK_DRAWS];
    const copula_plan *c = &plan->copula;
    const int32_t *member = c->member + c->block_first[b];
    const int size = c->block_size[b];
    const float *factor = data + c->block_factor[b];
    for (int m = 0; m < size; m++) {
        const prior_spec *p = &plan->priors[member[m]];
        const uint32_t *column = words[p->word];
        float *z = score[m];
        for (int i = 0; i < n; i++) z[i] = prior_normal_quantile(philox_uniform(column[i]));
        int upper;
        uint32_t extreme = 0;
        for (int i = 0; i < n; i++)
            extreme |= (uint32_t)(philox_tail_cell(column[i], &upper) < PHILOX_TAIL_CELLS);
        for (int i = 0; extreme && i < n; i++)
            if (philox_tail_cell(column[i], &upper) < PHILOX_TAIL_CELLS) {
                float tail = philox_tail(plan->seed, first + (uint64_t)i, p->word, column[i], &upper);
                z[i] = prior_normal_quantile_tail(tail, upper);
            }
    }
    for (int m = size - 1; m >= 0; m--) {
        const float *row = factor + m * (m + 1) / 2;
        float sum[ENGINE_CHUNK_DRAWS];
        for (int i = 0; i < n; i++) sum[i] = 0.0f;
        for (int k = 0; k <= m; k++)
            for (int i = 0; i < n; i++) sum[i] = sum[i] + row[k] * score[k][i];
        for (int i = 0; i < n; i++) score[m][i] = sum[i];
    }
    /* Each member's uniforms in one loop (branch-free: it vectorizes), then its values. */
    float u[ENGINE_CHUNK_DRAWS], tail[ENGINE_CHUNK_DRAWS];
    int32_t upper[ENGINE_CHUNK_DRAWS];
    for (int m = 0; m < size; m++) {
        const prior_spec *p = &plan->priors[member[m]];
        const float *z = score[m];
        for (int i = 0; i < n; i++) {
            prior_uniform x = copula_uniform(z[i]);
            u[i] = x.u;
            tail[i] = x.tail;
            upper[i] = x.upper;
        }
        if (p->dist == PRIOR_CHOICE) {
            for (int i = 0; i < n; i++)
                prior_apply(p, data, (prior_uniform){u[i], tail[i], upper[i]}, &inputs[0][i],
                            ENGINE_CHUNK_DRAWS);
            continue;
        }
        float *target = inputs[p->slot];
        switch (p->dist) {
#define COPULA_BATCH_KIND_LOOP(kind, name, uses_tail)                                     \
    case PRIOR_##kind:                                                                   \
        for (int i = 0; i < n; i++)                                                      \
            target[i] = prior_##name##_value(p, data, (prior_uniform){u[i], tail[i], upper[i]}); \
        break;
            PRIOR_KINDS(COPULA_BATCH_KIND_LOOP)
#undef COPULA_BATCH_KIND_LOOP
        default: break;
        }
    }
}

/* rqmc words of draws [first, first + n) (draw_qmc_words' bits), word j of draw i at
 * words[j][i], from the run's table (plan->host_qmc_table): the first column of each replicate
 * in the batch (i < replicates) directly (qmc_point of the replicate's scrambled direction
 * numbers, XOR its shift), each later one from the replicate's previous point, column
 * i - replicates, with one XOR (qmc_next; the shift is linear too). Without a table, draw by
 * draw (draw_qmc_words). */
static void qmc_words_batch(const draw_plan *plan, uint64_t first, int n,
                            uint32_t (*words)[ENGINE_CHUNK_DRAWS])
{
    const uint64_t replicates = (uint64_t)plan->replicates;
    if (!plan->host_qmc_table) {
        for (int i = 0; i < n; i++) {
            uint32_t own[DRAW_MAX_WORDS];
            draw_qmc_words(plan, first + (uint64_t)i, own);
            for (int j = 0; j < plan->word_count; j++) words[j][i] = own[j];
        }
        return;
    }
    const int direct = (uint64_t)n < replicates ? n : (int)replicates;
    for (int j = 0; j < plan->word_count; j++) {
        uint64_t point = first / replicates, replicate = first % replicates;
        for (int i = 0; i < direct; i++) {
            const uint32_t *row = draw_qmc_row(plan, replicate, j);
            words[j][i] = qmc_point(row, point) ^ row[QMC_BITS];
            if (++replicate == replicates) {
                replicate = 0;
                point++;
            }
        }
        /* column i's point is one after column i - replicates' point (of the same replicate) */
        point = first / replicates;
        replicate = first % replicates;
        for (int i = direct; i < n; i++) {
            const uint32_t *row = draw_qmc_row(plan, replicate, j);
            words[j][i] = qmc_next(row, words[j][i - direct], point);
            if (++replicate == replicates) {
                replicate = 0;
                point++;
            }
        }
    }
}

/* rqmc: the words of rows A and B of base draws [first, first + n) of the Sobol design
 * (draw_qmc_sobol_words' bits), word j of base draw i at words_a[j][i] and words_b[j][i]: a
 * base draw's point directly where the batch or a replicate starts, else from the previous
 * base draw's with one XOR (qmc_next). */
static void qmc_sobol_words_batch(const draw_plan *plan, uint64_t first, int n,
                                  uint32_t (*words_a)[ENGINE_CHUNK_DRAWS],
                                  uint32_t (*words_b)[ENGINE_CHUNK_DRAWS])
{
    const uint64_t per = plan->qmc_points;
    for (int i = 0; i < n; i++) {
        const uint64_t draw = first + (uint64_t)i, replicate = draw / per, point = draw % per;
        for (int d = 0; d < plan->qmc_dims; d++) {
            uint32_t *word = d < plan->word_count ? &words_a[d][i] : &words_b[d - plan->word_count][i];
            if (!plan->host_qmc_table) {
                *word = draw_qmc_word(plan, replicate, point, d);
            } else if (i && point) {   /* the previous base draw's point, one XOR on */
                const uint32_t *row = draw_qmc_row(plan, replicate, d);
                const uint32_t previous = d < plan->word_count
                                              ? words_a[d][i - 1]
                                              : words_b[d - plan->word_count][i - 1];
                *word = qmc_next(row, previous, point - 1);
            } else {
                const uint32_t *row = draw_qmc_row(plan, replicate, d);
                *word = qmc_point(row, point) ^ row[QMC_BITS];
            }
        }
    }
}

/* The words of draws [first, first + n) under the plan's sampler, word j of draw i at
 * words[j][i]: Philox (stream first + i) with the vector instructions of the batch loop's clone
 * (philox_simd.c), or rqmc's shifted points (qmc_words_batch); the bits of draw_plan_words. */
HD_STATIC_ALWAYS_INLINE void words_batch(const draw_plan *plan, uint64_t first, int n,
                                         uint32_t (*words)[ENGINE_CHUNK_DRAWS])
{
    if (plan->sampler == PLAN_SAMPLER_RQMC) {
        qmc_words_batch(plan, first, n, words);
        return;
    }
    const philox_words_fn words_of = philox_words_for_cpu();
    for (int b = 0; 4 * b < plan->word_count; b++)
        words_of(plan->seed, first, (uint64_t)b, n, words[4 * b], words[4 * b + 1],
                 words[4 * b + 2], words[4 * b + 3]);
}

/* Independent prior k of plan over draws [first, first + n) from its words' column into the
 * inputs' columns. One loop per prior kind (made from PRIOR_KINDS), so each vectorizes, on the
 * kinds' _word functions: the unrefined uniform, the same bits as the reference there; then the
 * rare words in a refined cell (6e-5 of them) are redone one by one with draw_uniform. */
HD_STATIC_ALWAYS_INLINE void prior_batch(const draw_plan *plan, const float *data, int k,
                                         uint64_t first, int n, const uint32_t *column,
                                         float (*inputs)[ENGINE_CHUNK_DRAWS])
{
    const prior_spec *p = &plan->priors[k];
    if (p->dist == PRIOR_CHOICE) {
        for (int i = 0; i < n; i++)
            prior_apply(p, data, prior_at_probability(philox_uniform(column[i])), &inputs[0][i],
                        ENGINE_CHUNK_DRAWS);
        return;
    }
    float *target = inputs[p->slot];
    switch (p->dist) {
#define PRIOR_BATCH_KIND_LOOP(kind, name, tail)                                          \
    case PRIOR_##kind:                                                                   \
        for (int i = 0; i < n; i++) target[i] = prior_##name##_word(p, data, column[i]); \
        break;
        PRIOR_KINDS(PRIOR_BATCH_KIND_LOOP)
#undef PRIOR_BATCH_KIND_LOOP
    default: break;
    }
    int upper;
    if (!prior_uses_tail(p)) return;
    uint32_t extreme = 0;
    for (int i = 0; i < n; i++)
        extreme |= (uint32_t)(philox_tail_cell(column[i], &upper) < PHILOX_TAIL_CELLS);
    for (int i = 0; extreme && i < n; i++)
        if (philox_tail_cell(column[i], &upper) < PHILOX_TAIL_CELLS)
            target[i] = prior_value(p, data,
                                    draw_uniform(p, plan->seed, first + (uint64_t)i, column[i]));
}

/* The inputs of draws [first, first + n) from their words: the fixed inputs, each independent
 * prior, then each correlated block. */
HD_STATIC_ALWAYS_INLINE void inputs_batch(const draw_plan *plan, const float *data, uint64_t first,
                                          int n, uint32_t (*words)[ENGINE_CHUNK_DRAWS],
                                          float (*inputs)[ENGINE_CHUNK_DRAWS])
{
    for (int slot = 0; slot < plan->input_slot_count; slot++)
        for (int i = 0; i < n; i++) inputs[slot][i] = plan->fixed_inputs[slot];
    for (int k = 0; k < plan->prior_count; k++)
        if (!plan->copula.in_block[k])   /* correlated: below */
            prior_batch(plan, data, k, first, n, words[plan->priors[k].word], inputs);
    for (int b = 0; b < plan->copula.block_count; b++)
        copula_batch(plan, data, b, first, n, words, inputs);
}

/* Every output of n draws from their inputs' columns (the formulas write their fed slots). */
HD_STATIC_ALWAYS_INLINE void outputs_batch(const draw_plan *plan,
                                           float (*inputs)[ENGINE_CHUNK_DRAWS], int n,
                                           float *outputs)
{
    if (plan->has_formulas)
        formulas_batch(plan, inputs, n, outputs);
    else if (plan->model.workload == MODEL_ISHIGAMI)   /* a plain loop: vectorizes */
        for (int i = 0; i < n; i++)
            outputs[i] = model_ishigami(&plan->model, inputs[SLOT_X1][i], inputs[SLOT_X2][i],
                                        inputs[SLOT_X3][i]);
    else if (plan->model.workload > MODEL_ISHIGAMI)
        for (int i = 0; i < n; i++)
            model_benchmark_strided(&plan->model, &inputs[0][i], ENGINE_CHUNK_DRAWS, &outputs[i]);
    else
        for (int i = 0; i < n; i++)
            model_eval_strided(&plan->model, &inputs[0][i], ENGINE_CHUNK_DRAWS, &outputs[i],
                               ENGINE_CHUNK_DRAWS);
}

/* Compiled for x86-64-v4 (AVX-512), AVX2 and the baseline ISA, chosen at load time; all give
 * the same bits (no FMA contraction, no reassociation: the vector code does exactly the scalar
 * operations). */
__attribute__((target_clones(THIRST_CPU_CLONES)))
void engine_eval_batch(const draw_plan *plan, const float *data, uint64_t first, int n,
                       float *outputs)
{
    uint32_t words[DRAW_MAX_WORDS][ENGINE_CHUNK_DRAWS];
    float inputs[DRAW_INPUT_SLOTS][ENGINE_CHUNK_DRAWS];
    words_batch(plan, first, n, words);
    inputs_batch(plan, data, first, n, words, inputs);
    outputs_batch(plan, inputs, n, outputs);
}

/* The inputs of draws [first, first + n) (stream first + i) from given words: inputs_batch,
 * for the Sobol batches under rqmc. */
__attribute__((target_clones(THIRST_CPU_CLONES)))
static void words_inputs_batch(const draw_plan *plan, const float *data, uint64_t first, int n,
                               uint32_t (*words)[ENGINE_CHUNK_DRAWS],
                               float (*inputs)[ENGINE_CHUNK_DRAWS])
{
    inputs_batch(plan, data, first, n, words, inputs);
}

/* The inputs of draws [first, first + n) (stream first + i) from their words, which stay in
 * words for the caller: engine_eval_batch's first two stages, for the Sobol batches. */
__attribute__((target_clones(THIRST_CPU_CLONES)))
static void draw_inputs_batch(const draw_plan *plan, const float *data, uint64_t first, int n,
                              uint32_t (*words)[ENGINE_CHUNK_DRAWS],
                              float (*inputs)[ENGINE_CHUNK_DRAWS])
{
    words_batch(plan, first, n, words);
    inputs_batch(plan, data, first, n, words, inputs);
}

/* Every output of n draws from their inputs' columns: engine_eval_batch's last stage. */
__attribute__((target_clones(THIRST_CPU_CLONES)))
static void draw_outputs_batch(const draw_plan *plan, float (*inputs)[ENGINE_CHUNK_DRAWS], int n,
                               float *outputs)
{
    outputs_batch(plan, inputs, n, outputs);
}

/* Factor `factor` of the Sobol design (a choice prior, or the correlated block -1 - factor) over
 * draws [first, first + n) from their words into the inputs' columns, as inputs_batch makes it. */
__attribute__((target_clones(THIRST_CPU_CLONES)))
static void factor_batch(const draw_plan *plan, const float *data, int factor, uint64_t first,
                         int n, uint32_t (*words)[ENGINE_CHUNK_DRAWS],
                         float (*inputs)[ENGINE_CHUNK_DRAWS])
{
    if (factor < 0)
        copula_batch(plan, data, -1 - factor, first, n, words, inputs);
    else
        prior_batch(plan, data, factor, first, n, words[plan->priors[factor].word], inputs);
}

/* The Sobol terms (kernels/sobol.h) of base draws [first, first + n), n <= ENGINE_SOBOL_DRAWS
 * (engine_sobol_batch splits longer ranges), added in draw order to sums[0..SOBOL_TERMS(plan)):
 * sobol_draw_in's operations over columns.
 * Rows A and B are batches of their own; each A_B^k is A's inputs with factor k's from B (a
 * prior's column copied from B's inputs, which the same prior made from the same word; a choice
 * or a correlated block evaluated again from B's words), then the model over the batch. The
 * terms go to a draw-major tile, so that each sum takes them in draw order, as one draw at a
 * time adds them, while the adds run across terms in vectors: the same bits
 * (tests/test_engine.c). */
__attribute__((target_clones(THIRST_CPU_CLONES)))
static void sobol_columns(const draw_plan *plan, const float *data, uint64_t first, int n,
                          double *sums)
{
    /* Thread-local: about 835 KB in all (the tile 505 KB), of which a GPT-3 batch touches
     * about 200 KB: words and inputs at 64 of their 256 columns, the tile's first 27 KB. */
    static _Thread_local uint32_t words_a[DRAW_MAX_WORDS][ENGINE_CHUNK_DRAWS],
        words_b[DRAW_MAX_WORDS][ENGINE_CHUNK_DRAWS];
    static _Thread_local float in_a[DRAW_INPUT_SLOTS][ENGINE_CHUNK_DRAWS],
        in_b[DRAW_INPUT_SLOTS][ENGINE_CHUNK_DRAWS], in_ab[DRAW_INPUT_SLOTS][ENGINE_CHUNK_DRAWS];
    static _Thread_local float y_a[DRAW_OUTPUTS * ENGINE_CHUNK_DRAWS],
        y_b[DRAW_OUTPUTS * ENGINE_CHUNK_DRAWS], y_ab[DRAW_OUTPUTS * ENGINE_CHUNK_DRAWS];
    static _Thread_local float tile[ENGINE_SOBOL_DRAWS * SOBOL_MAX_TERMS];
    const int inputs = plan->copula.factor_count, length = SOBOL_STRIDE(inputs);
    const int terms = plan->output_count * length;   /* the tile's row: one draw's terms */
    const uint64_t first_b = SOBOL_B_STREAM + first;
    if (plan->sampler == PLAN_SAMPLER_RQMC) {   /* one 2d-dimensional point per base draw */
        qmc_sobol_words_batch(plan, first, n, words_a, words_b);
        words_inputs_batch(plan, data, first, n, words_a, in_a);
        words_inputs_batch(plan, data, first_b, n, words_b, in_b);
    } else {
        draw_inputs_batch(plan, data, first, n, words_a, in_a);
        draw_inputs_batch(plan, data, first_b, n, words_b, in_b);
    }
    draw_outputs_batch(plan, in_a, n, y_a);
    draw_outputs_batch(plan, in_b, n, y_b);
    for (int o = 0; o < plan->output_count; o++) {
        const float *row_a = y_a + (size_t)plan->outputs[o] * ENGINE_CHUNK_DRAWS;
        const float *row_b = y_b + (size_t)plan->outputs[o] * ENGINE_CHUNK_DRAWS;
        const float shift = plan->shift[o], scale = plan->scale[o];
        for (int i = 0; i < n; i++) {
            float a = (row_a[i] - shift) * scale, b = (row_b[i] - shift) * scale;
            float *t = &tile[i * terms + o * length];
            t[0] = a;
            t[1] = b;
            t[2] = a * a;
            t[3] = b * b;
        }
    }
    /* in_ab holds A's inputs again after a factor that is one prior's column without formulas
     * (its column is put back); after a choice, a block or formulas (which write fed slots) it
     * is copied from in_a whole. */
    int ab_is_a = 0;
    for (int k = 0; k < inputs; k++) {
        if (!ab_is_a)
            for (int slot = 0; slot < plan->input_slot_count; slot++)
                for (int i = 0; i < n; i++) in_ab[slot][i] = in_a[slot][i];
        const int factor =
            plan->has_formulas || plan->copula.block_count ? plan->copula.factor[k] : k;
        const int column = factor >= 0 && plan->priors[factor].dist != PRIOR_CHOICE;
        const int slot = column ? plan->priors[factor].slot : 0;
        if (column)
            for (int i = 0; i < n; i++) in_ab[slot][i] = in_b[slot][i];
        else
            factor_batch(plan, data, factor, first_b, n, words_b, in_ab);
        draw_outputs_batch(plan, in_ab, n, y_ab);
        ab_is_a = column && !plan->has_formulas;
        if (ab_is_a)
            for (int i = 0; i < n; i++) in_ab[slot][i] = in_a[slot][i];
        for (int o = 0; o < plan->output_count; o++) {
            const float *row_a = y_a + (size_t)plan->outputs[o] * ENGINE_CHUNK_DRAWS;
            const float *row_ab = y_ab + (size_t)plan->outputs[o] * ENGINE_CHUNK_DRAWS;
            const float scale = plan->scale[o];
            for (int i = 0; i < n; i++) {
                float difference = (row_ab[i] - row_a[i]) * scale;
                float *t = &tile[i * terms + o * length];
                t[4 + k] = t[1] * difference;
                t[4 + inputs + k] = difference * difference;
            }
        }
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < terms; j++) sums[j] += tile[i * terms + j];
}

void engine_sobol_batch(const draw_plan *plan, const float *data, uint64_t first, int n,
                        double *sums)
{
    for (int done = 0; done < n; done += ENGINE_SOBOL_DRAWS)
        sobol_columns(plan, data, first + (uint64_t)done,
                      n - done < ENGINE_SOBOL_DRAWS ? n - done : ENGINE_SOBOL_DRAWS, sums);
}
