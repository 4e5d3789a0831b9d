/* backend_cpu.c: the CPU backend. Work units of ENGINE_UNIT_DRAWS consecutive draws run on
 * OpenMP threads in rounds; each unit's moments are computed sequentially and merged in unit
 * order, histogram counts are integers (any order gives the same sum), so every statistic is
 * bit-identical for any thread count. Memory is constant in the number of draws. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/draw.h"
#include "engine.h"
#include "status.h"

#define ROUND_UNITS 256   /* units between merges and progress reports */

/* Run draws [first, first + count) of the plan: moments into unit (one per output, reset
 * here), counts added to hist (flat layout of the plan). */
static void run_unit(const engine_plan *plan, uint64_t first, uint64_t count,
                     engine_moments *unit, uint64_t *hist)
{
    int outputs = plan->output_count;
    double sum[MODEL_OUTPUT_COUNT] = {0}, sum_squares[MODEL_OUTPUT_COUNT] = {0};
    float low[MODEL_OUTPUT_COUNT], high[MODEL_OUTPUT_COUNT];
    uint64_t nonfinite[MODEL_OUTPUT_COUNT] = {0};
    for (int o = 0; o < outputs; o++) {
        low[o] = INFINITY;
        high[o] = -INFINITY;
    }
    for (uint64_t i = first; i < first + count; i++) {
        uint32_t words[DRAW_MAX_WORDS];
        float inputs[MODEL_SLOT_COUNT], all[MODEL_OUTPUT_COUNT];
        draw_words(plan->seed, i, plan->word_count, words);
        draw_inputs(plan->priors, plan->prior_count, plan->prior_data, plan->fixed_inputs, words,
                    inputs);
        model_eval(&plan->model, inputs, all);
        for (int o = 0; o < outputs; o++) {
            float x = all[plan->outputs[o]];
            if (!accum_is_finite(x)) {
                nonfinite[o]++;
                continue;
            }
            double d = (double)x - (double)plan->shift[o];
            sum[o] += d;
            sum_squares[o] += d * d;
            low[o] = x < low[o] ? x : low[o];
            high[o] = x > high[o] ? x : high[o];
            hist[plan->hist_offset[o] + accum_bin(&plan->hist[o], x)]++;
        }
    }
    for (int o = 0; o < outputs; o++) {
        unit[o].n = count - nonfinite[o];
        unit[o].sum = sum[o];
        unit[o].sum_squares = sum_squares[o];
        unit[o].min = low[o];
        unit[o].max = high[o];
        unit[o].nonfinite = nonfinite[o];
    }
}

int engine_run_cpu(const engine_plan *plan, const engine_options *options, engine_totals *t,
                   char *err, size_t errlen)
{
    int threads = options->threads > 0 ? options->threads : 1;
    int outputs = plan->output_count;
    uint64_t units = (plan->draws + ENGINE_UNIT_DRAWS - 1) / ENGINE_UNIT_DRAWS;
    engine_moments *round = malloc((size_t)ROUND_UNITS * MODEL_OUTPUT_COUNT * sizeof *round);
    uint64_t *hist = calloc((size_t)threads * (size_t)plan->hist_total, sizeof *hist);
    if (!round || !hist) {
        free(round);
        free(hist);
        return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    }
    for (int o = 0; o < outputs; o++) memset(&t->moments[o], 0, sizeof t->moments[o]);

    for (uint64_t start = 0; start < units; start += ROUND_UNITS) {
        int count = (int)(units - start < ROUND_UNITS ? units - start : ROUND_UNITS);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (int k = 0; k < count; k++) {
            uint64_t unit = start + (uint64_t)k;
            uint64_t first = plan->first_draw + unit * ENGINE_UNIT_DRAWS;
            uint64_t end = plan->first_draw + plan->draws;
            uint64_t n = end - first < ENGINE_UNIT_DRAWS ? end - first : ENGINE_UNIT_DRAWS;
            uint64_t *thread_hist = hist + (size_t)omp_get_thread_num() * plan->hist_total;
            run_unit(plan, first, n, round + (size_t)k * MODEL_OUTPUT_COUNT, thread_hist);
        }
        for (int k = 0; k < count; k++)
            for (int o = 0; o < outputs; o++)
                engine_moments_merge(&t->moments[o], &round[(size_t)k * MODEL_OUTPUT_COUNT + o]);
        if (options->progress) {
            uint64_t done = (start + (uint64_t)count) * ENGINE_UNIT_DRAWS;
            options->progress(options->progress_context, done < plan->draws ? done : plan->draws,
                              plan->draws);
        }
    }
    for (int thread = 0; thread < threads; thread++)
        for (int k = 0; k < plan->hist_total; k++)
            t->hist[k] += hist[(size_t)thread * plan->hist_total + k];
    free(round);
    free(hist);
    return THIRST_OK;
}
