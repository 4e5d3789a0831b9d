/* sobol.h: one base draw of the streamed Sobol design, shared by the CPU and CUDA backends.
 * Row i of A is the run's draw i (stream (seed, i)); row i of B is stream (seed, 2^63 + i);
 * A_B^k is A with factor k redrawn from B's words: an independent prior, or a correlated block
 * (copula.h) whose members move together (Sobol indices assume independent factors). The draw's contributions to the
 * estimators go to terms[], per reported output o at o * SOBOL_STRIDE(k):
 *   [0] a = f(A) - shift, [1] b = f(B) - shift, [2] a^2, [3] b^2,
 *   [4 + k] b (f(A_B^k) - f(A)) scale      (Saltelli et al. 2010, first order),
 *   [4 + K + k] ((f(A) - f(A_B^k)) scale)^2  (Jansen 1999, total).
 * k + 2 model evaluations per base draw; nothing is stored. */
#ifndef THIRST_SOBOL_H
#define THIRST_SOBOL_H

#include "draw.h"
#include "launch.h"
#include "model.h"

#define SOBOL_B_STREAM 0x8000000000000000ull
#define SOBOL_STRIDE(inputs) (4 + 2 * (inputs))
/* Terms per base draw of plan: per reported output, SOBOL_STRIDE of its factors. */
#define SOBOL_TERMS(plan) ((plan)->output_count * SOBOL_STRIDE((plan)->copula.factor_count))
#define SOBOL_CHUNK 64   /* consecutive base draws summed together (in float on the GPU) */
#define SOBOL_MAX_INPUTS PLAN_MAX_PRIORS
#define SOBOL_MAX_TERMS (DRAW_EVAL_OUTPUTS * SOBOL_STRIDE(SOBOL_MAX_INPUTS))   /* per base draw */
/* The device's largest design: at most MODEL_OUTPUT_COUNT reported outputs (the GPU's limit,
 * formulas or not). */
#define SOBOL_DEVICE_MAX_TERMS (MODEL_OUTPUT_COUNT * SOBOL_STRIDE(SOBOL_MAX_INPUTS))
/* On the device one thread per draw of a chunk: thread t of a chunk owns the sums of terms t,
 * t + SOBOL_CHUNK, ... (at most SOBOL_OWNED_TERMS, in registers). */
#define SOBOL_OWNED_TERMS ((SOBOL_DEVICE_MAX_TERMS + SOBOL_CHUNK - 1) / SOBOL_CHUNK)
/* Shared memory for a chunk's rows of terms: 48 KiB needs no opt-in on any GPU, and holds all
 * 64 draws of a chunk for designs of up to 191 terms (GPT-3's: 96); wider designs pass fewer
 * draws at once (sobol_pass_rows). */
#define SOBOL_SHARED_BYTES (48 * 1024)

/* Reported output o of a draw's outputs y: on the GPU through draw_pick's switch (registers),
 * or, in the formula kernels (values given), draw_pick_any for the scenario's own outputs. */
static inline HD float sobol_reported(const draw_plan *plan, const float *y, int o,
                                      const float *values)
{
#ifdef __CUDA_ARCH__
    if (values) return draw_pick_any(y, plan->outputs[o]);
#endif
    (void)values;
    return draw_reported(plan, y, o);
}

/* The terms of base draw i of plan (data: its float data), from the words of rows A and B, with
 * the caller's arrays for the three draws' inputs (in_*) and outputs (y_*), sized for the plan,
 * the formulas' value file (value k at values[k * stride]; NULL: no formulas) and with_copula
 * (the plan may have correlated blocks). Always inlined: with a constant NULL and 0 its formula
 * and copula paths disappear from the caller. */
HD_STATIC_ALWAYS_INLINE void sobol_draw_in(const draw_plan *plan, const float *data, uint64_t i,
                                           const uint32_t *words_a, const uint32_t *words_b,
                                           float *__restrict terms, float *in_a, float *in_b,
                                           float *in_ab, float *y_a, float *y_b, float *y_ab,
                                           float *values, int stride, int with_copula)
{
    draw_inputs(plan, data, i, words_a, in_a, with_copula);
    draw_model_in(plan, in_a, y_a, values, stride);
    draw_inputs(plan, data, SOBOL_B_STREAM + i, words_b, in_b, with_copula);
    draw_model_in(plan, in_b, y_b, values, stride);
    const int inputs = plan->copula.factor_count, length = SOBOL_STRIDE(inputs);
    for (int o = 0; o < plan->output_count; o++) {
        float a = (sobol_reported(plan, y_a, o, values) - plan->shift[o]) * plan->scale[o];
        float b = (sobol_reported(plan, y_b, o, values) - plan->shift[o]) * plan->scale[o];
        float *t = terms + o * length;
        t[0] = a;
        t[1] = b;
        t[2] = a * a;
        t[3] = b * b;
    }
    for (int k = 0; k < inputs; k++) {
        /* Without formulas the model's slots alone, a constant bound (the loop unrolls). */
        const int slots = values ? plan->input_slot_count : MODEL_SLOT_COUNT;
        for (int s = 0; s < slots; s++) in_ab[s] = in_a[s];
        /* Factor k from B: one prior, or (in code that holds the correlated path) a
         * correlated block whose members move together. */
        const int factor = with_copula ? plan->copula.factor[k] : k;
        if (with_copula && factor < 0) {
            copula_apply_block(&plan->copula, -1 - factor, plan->priors, data, plan->seed,
                               SOBOL_B_STREAM + i, words_b, 1, in_ab, 1);
        } else {
            const prior_spec *p = &plan->priors[factor];
            prior_apply(p, data, draw_uniform(p, plan->seed, SOBOL_B_STREAM + i, words_b[p->word]),
                        in_ab, 1);
        }
        draw_model_in(plan, in_ab, y_ab, values, stride);
        for (int o = 0; o < plan->output_count; o++) {
            float *t = terms + o * length;
            float difference = (sobol_reported(plan, y_ab, o, values) -
                                sobol_reported(plan, y_a, o, values)) * plan->scale[o];
            t[4 + k] = t[1] * difference;
            t[4 + inputs + k] = difference * difference;
        }
    }
}

/* sobol_draw for a plan with formulas on the CPU: the user's parameters and outputs and a local
 * value file. Out of line, so that a per-draw loop without formulas keeps the model inlined
 * (the CPU's Sobol design, when it went draw by draw, took 8 % longer with both inlined:
 * bench/README.md). The CPU's Sobol design now runs in batches (engine_sobol_batch); the tests
 * compare it with this. */
HD_STATIC_OUTLINED_ON_HOST void sobol_draw_formulas(const draw_plan *plan, const float *data,
                                                    uint64_t i, const uint32_t *words_a,
                                                    const uint32_t *words_b,
                                                    float *__restrict terms)
{
    float in_a[DRAW_INPUT_SLOTS], in_b[DRAW_INPUT_SLOTS], in_ab[DRAW_INPUT_SLOTS];
    float y_a[DRAW_OUTPUTS], y_b[DRAW_OUTPUTS], y_ab[DRAW_OUTPUTS];
    float values[FORMULA_MAX_VALUES];
    sobol_draw_in(plan, data, i, words_a, words_b, terms, in_a, in_b, in_ab, y_a, y_b, y_ab,
                  values, 1, 1);
}

/* sobol_draw for a plan with correlated blocks but no formulas on the CPU. Out of line, like
 * sobol_draw_formulas, so that the Sobol loop without either keeps its code (bench/README.md). */
HD_STATIC_OUTLINED_ON_HOST void sobol_draw_correlated(const draw_plan *plan, const float *data,
                                                      uint64_t i, const uint32_t *words_a,
                                                      const uint32_t *words_b,
                                                      float *__restrict terms)
{
    float in_a[MODEL_SLOT_COUNT], in_b[MODEL_SLOT_COUNT], in_ab[MODEL_SLOT_COUNT];
    float y_a[MODEL_OUTPUT_COUNT], y_b[MODEL_OUTPUT_COUNT], y_ab[MODEL_OUTPUT_COUNT];
    sobol_draw_in(plan, data, i, words_a, words_b, terms, in_a, in_b, in_ab, y_a, y_b, y_ab, NULL,
                  1, 1);
}

/* The terms of base draw i of plan: sobol_draw_in with arrays of its own, the model's slots and
 * outputs alone (the GPU's non-formula kernel, and the CPU without formulas), or on the CPU
 * sobol_draw_formulas or sobol_draw_correlated. */
static inline HD void sobol_draw(const draw_plan *plan, const float *data, uint64_t i,
                                 const uint32_t *words_a, const uint32_t *words_b,
                                 float *__restrict terms)
{
#ifndef __CUDA_ARCH__
    if (plan->has_formulas) {
        sobol_draw_formulas(plan, data, i, words_a, words_b, terms);
        return;
    }
    if (plan->copula.block_count) {
        sobol_draw_correlated(plan, data, i, words_a, words_b, terms);
        return;
    }
#endif
    float in_a[MODEL_SLOT_COUNT], in_b[MODEL_SLOT_COUNT], in_ab[MODEL_SLOT_COUNT];
    float y_a[MODEL_OUTPUT_COUNT], y_b[MODEL_OUTPUT_COUNT], y_ab[MODEL_OUTPUT_COUNT];
    sobol_draw_in(plan, data, i, words_a, words_b, terms, in_a, in_b, in_ab, y_a, y_b, y_ab, NULL,
                  1, 0);
}

/* Floats between consecutive draws' terms in the device's shared rows: length made odd, so
 * that the threads of a warp writing one row each hit distinct banks. */
static inline HD int sobol_row_stride(int length)
{
    return length % 2 ? length : length + 1;
}

/* Draws of a chunk evaluated per pass on the device: the largest power of two up to
 * SOBOL_CHUNK whose rows for `slots` chunks fit in shared_bytes (at least 1). */
static inline HD int sobol_pass_rows(int length, int slots, uint64_t shared_bytes)
{
    int rows = SOBOL_CHUNK;
    while (rows > 1 && (uint64_t)slots * (uint64_t)rows * (uint64_t)sobol_row_stride(length) *
                               sizeof(float) > shared_bytes)
        rows /= 2;
    return rows;
}

/* One pass of the device's chunk sums: rows [0, row_count) (row r, the terms of the pass's
 * draw r, at rows + r * sobol_row_stride(length)) added in row order to the sums of the terms
 * that thread `owner` (0 .. SOBOL_CHUNK - 1) owns: sums[m] is term owner + m * SOBOL_CHUNK.
 * Each term is thus summed in draw order, as the CPU's chunk loop would. */
static inline HD void sobol_rows_add(const float *rows, int row_count, int length, int owner,
                                     float sums[SOBOL_OWNED_TERMS])
{
    const int stride = sobol_row_stride(length);
    for (int r = 0; r < row_count; r++) {
        HD_UNROLL
        for (int m = 0; m < SOBOL_OWNED_TERMS; m++) {
            int j = owner + m * SOBOL_CHUNK;
            if (j < length) sums[m] += rows[r * stride + j];
        }
    }
}

/* Add the term sums of chunks [first, first + count) (count x length doubles, chunk-major) to
 * their batches' rows, in chunk order: chunk c of `chunks` goes to batch
 * launch_batch_of_chunk(chunks, batches, c), row batch - first_batch of batch_sums. The host's
 * half of the Sobol design on the GPU; in chunk order, so any cut into launches gives the same
 * sums (tests/test_reduce.c). */
static inline HD void sobol_add_chunks(const double *partials, uint64_t first, uint64_t count,
                                       uint64_t chunks, int batches, int first_batch, int length,
                                       double *batch_sums)
{
    for (uint64_t c = 0; c < count; c++) {
        int batch = launch_batch_of_chunk(chunks, batches, first + c);
        double *target = batch_sums + (size_t)(batch - first_batch) * (size_t)length;
        for (int j = 0; j < length; j++) target[j] += partials[c * (uint64_t)length + (uint64_t)j];
    }
}

#endif
