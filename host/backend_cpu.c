/* backend_cpu.c: the CPU backend. Work units of ENGINE_UNIT_DRAWS consecutive draws run on
 * OpenMP threads in rounds; each unit's moments are computed sequentially and merged in unit
 * order, histogram counts are integers (any order gives the same sum), so every statistic is
 * bit-identical for any thread count. Memory is constant in the number of draws. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/draw.h"
#include "engine.h"
#include "quantile.h"
#include "status.h"

#define ROUND_UNITS 256   /* units between merges and progress reports */

#define BATCH 256   /* draws evaluated together, parameter by parameter (vectorizable loops) */
#define LANES 4     /* interleaved partial sums per output, merged in a fixed order */

/* Per-output accumulators of one unit. */
typedef struct {
    double sum[LANES], sum_squares[LANES];
    float low, high;
    uint64_t n, nonfinite;
} unit_accumulator;

/* Evaluate draws [first, first + n) (n <= BATCH) into outputs[o][i] (model output o). */
__attribute__((target_clones("avx2", "default")))
static void eval_batch(const engine_plan *plan, uint64_t first, int n,
                       float outputs[MODEL_OUTPUT_COUNT][BATCH])
{
    uint32_t words[DRAW_MAX_WORDS][BATCH];
    float inputs[MODEL_SLOT_COUNT][BATCH];
    for (int b = 0; 4 * b < plan->word_count; b++) {
        uint32_t *w0 = words[4 * b], *w1 = words[4 * b + 1], *w2 = words[4 * b + 2],
                 *w3 = words[4 * b + 3];
        for (int i = 0; i < n; i++) {
            philox_block block = philox_stream_block(plan->seed, first + (uint64_t)i, (uint64_t)b);
            w0[i] = block.word[0];
            w1[i] = block.word[1];
            w2[i] = block.word[2];
            w3[i] = block.word[3];
        }
    }
    for (int slot = 0; slot < MODEL_SLOT_COUNT; slot++)
        for (int i = 0; i < n; i++) inputs[slot][i] = plan->fixed_inputs[slot];
    for (int k = 0; k < plan->prior_count; k++) {
        const prior_spec *p = &plan->priors[k];
        const uint32_t *column = words[p->word];
        if (p->dist == PRIOR_CHOICE) {
            for (int i = 0; i < n; i++)
                prior_apply(p, plan->prior_data, philox_uniform(column[i]), &inputs[0][i], BATCH);
        } else {
            float *target = inputs[p->slot];
            /* One loop per distribution, so each vectorizes. */
            switch (p->dist) {
            case PRIOR_UNIFORM:
                for (int i = 0; i < n; i++) target[i] = prior_uniform_value(p, philox_uniform(column[i]));
                break;
            case PRIOR_LOGUNIFORM:
                for (int i = 0; i < n; i++) target[i] = prior_loguniform_value(p, philox_uniform(column[i]));
                break;
            case PRIOR_NORMAL:
                for (int i = 0; i < n; i++) target[i] = prior_normal_value(p, philox_uniform(column[i]));
                break;
            case PRIOR_TRUNCATED_NORMAL:
                for (int i = 0; i < n; i++)
                    target[i] = prior_truncated_normal_value(p, philox_uniform(column[i]));
                break;
            case PRIOR_LOGNORMAL:
                for (int i = 0; i < n; i++) target[i] = prior_lognormal_value(p, philox_uniform(column[i]));
                break;
            case PRIOR_TRIANGULAR:
                for (int i = 0; i < n; i++) target[i] = prior_triangular_value(p, philox_uniform(column[i]));
                break;
            default:
                for (int i = 0; i < n; i++)
                    target[i] = prior_value(p, plan->prior_data, philox_uniform(column[i]));
                break;
            }
        }
    }
    if (plan->model.workload >= MODEL_ISHIGAMI)
        for (int i = 0; i < n; i++)
            model_benchmark_strided(&plan->model, &inputs[0][i], BATCH, &outputs[0][i]);
    else
        for (int i = 0; i < n; i++)
            model_eval_strided(&plan->model, &inputs[0][i], BATCH, &outputs[0][i], BATCH);
}

/* Add n values x[0..n) of reported output o to its accumulator and histogram. */
__attribute__((target_clones("avx2", "default")))
static void accumulate(const engine_plan *plan, int o, const float *x, int n,
                       unit_accumulator *a, uint64_t *hist)
{
    int finite = 1;
    for (int i = 0; i < n; i++) finite &= accum_is_finite(x[i]);
    const double shift = (double)plan->shift[o];
    if (finite && n == BATCH) {
        for (int i = 0; i < n; i += LANES)
            for (int l = 0; l < LANES; l++) {
                double d = (double)x[i + l] - shift;
                a->sum[l] += d;
                a->sum_squares[l] += d * d;
            }
        /* Eight interleaved extremes (order does not matter for min and max). */
        float low[8], high[8];
        for (int l = 0; l < 8; l++) {
            low[l] = a->low;
            high[l] = a->high;
        }
        for (int i = 0; i < n; i += 8)
            for (int l = 0; l < 8; l++) {
                low[l] = x[i + l] < low[l] ? x[i + l] : low[l];
                high[l] = x[i + l] > high[l] ? x[i + l] : high[l];
            }
        for (int l = 0; l < 8; l++) {
            a->low = low[l] < a->low ? low[l] : a->low;
            a->high = high[l] > a->high ? high[l] : a->high;
        }
        a->n += (uint64_t)n;
    } else {
        for (int i = 0; i < n; i++) {
            if (!accum_is_finite(x[i])) {
                a->nonfinite++;
                continue;
            }
            double d = (double)x[i] - shift;
            a->sum[0] += d;
            a->sum_squares[0] += d * d;
            a->low = x[i] < a->low ? x[i] : a->low;
            a->high = x[i] > a->high ? x[i] : a->high;
            a->n++;
        }
    }
    uint64_t *counts = hist + plan->hist_offset[o];
    for (int i = 0; i < n; i++)
        if (accum_is_finite(x[i])) counts[accum_bin(&plan->hist[o], x[i])]++;
}

/* Run draws [first, first + count) of the plan: moments into unit (one per output, reset
 * here), counts added to hist (flat layout of the plan). eval_batch and accumulate are compiled
 * for AVX2 and for the baseline ISA, chosen at load time; both give the same bits (no FMA
 * contraction, no reassociation: the vector code does exactly the scalar operations). */
static void run_unit(const engine_plan *plan, uint64_t first, uint64_t count,
                     engine_moments *unit, uint64_t *hist)
{
    unit_accumulator acc[MODEL_OUTPUT_COUNT];
    float outputs[MODEL_OUTPUT_COUNT][BATCH];
    memset(acc, 0, sizeof acc);
    for (int o = 0; o < plan->output_count; o++) {
        acc[o].low = INFINITY;
        acc[o].high = -INFINITY;
    }
    for (uint64_t start = first; start < first + count; start += BATCH) {
        int n = (int)(first + count - start < BATCH ? first + count - start : BATCH);
        eval_batch(plan, start, n, outputs);
        for (int o = 0; o < plan->output_count; o++)
            accumulate(plan, o, outputs[plan->outputs[o]], n, &acc[o], hist);
    }
    for (int o = 0; o < plan->output_count; o++) {
        unit[o].n = acc[o].n;
        unit[o].sum = (acc[o].sum[0] + acc[o].sum[1]) + (acc[o].sum[2] + acc[o].sum[3]);
        unit[o].sum_squares = (acc[o].sum_squares[0] + acc[o].sum_squares[1]) +
                              (acc[o].sum_squares[2] + acc[o].sum_squares[3]);
        unit[o].min = acc[o].low;
        unit[o].max = acc[o].high;
        unit[o].nonfinite = acc[o].nonfinite;
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
                              plan->draws, NAN);
        }
    }
    for (int thread = 0; thread < threads; thread++)
        for (int k = 0; k < plan->hist_total; k++)
            t->hist[k] += hist[(size_t)thread * plan->hist_total + k];
    free(round);
    free(hist);
    return THIRST_OK;
}

/* Count the values of draws [first, first + count) that fall in the refinement ranges; the
 * fine-histogram bin of a value points at the first range that can hold it. */
__attribute__((target_clones("avx2", "default")))
static void refine_unit(const engine_plan *plan, uint64_t first, uint64_t count,
                        const quantile_range *ranges, int range_count,
                        const int32_t *first_range, uint64_t *counts)
{
    float outputs[MODEL_OUTPUT_COUNT][BATCH];
    for (uint64_t start = first; start < first + count; start += BATCH) {
        int n = (int)(first + count - start < BATCH ? first + count - start : BATCH);
        eval_batch(plan, start, n, outputs);
        for (int o = 0; o < plan->output_count; o++) {
            const float *x = outputs[plan->outputs[o]];
            const int32_t *table = first_range + plan->hist_offset[o];
            for (int i = 0; i < n; i++) {
                int32_t r = table[accum_bin(&plan->hist[o], x[i])];
                if (r < 0) continue;
                uint32_t key = accum_key(x[i]);
                for (; r < range_count && ranges[r].output == o && key >= ranges[r].key_low; r++)
                    if (key <= ranges[r].key_high) {
                        counts[ranges[r].offset + ((key - ranges[r].key_low) >> ranges[r].shift)]++;
                        break;
                    }
            }
        }
    }
}

int engine_refine_cpu(const engine_plan *plan, const engine_options *options,
                      const quantile_range *ranges, int range_count, const int32_t *first_range,
                      int count_total, uint64_t *counts, char *err, size_t errlen)
{
    int threads = options->threads > 0 ? options->threads : 1;
    uint64_t *thread_counts = calloc((size_t)threads * (size_t)count_total, sizeof *thread_counts);
    if (!thread_counts) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    uint64_t units = (plan->draws + ENGINE_UNIT_DRAWS - 1) / ENGINE_UNIT_DRAWS;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (uint64_t unit = 0; unit < units; unit++) {
        uint64_t first = plan->first_draw + unit * ENGINE_UNIT_DRAWS;
        uint64_t end = plan->first_draw + plan->draws;
        uint64_t n = end - first < ENGINE_UNIT_DRAWS ? end - first : ENGINE_UNIT_DRAWS;
        refine_unit(plan, first, n, ranges, range_count, first_range,
                    thread_counts + (size_t)omp_get_thread_num() * (size_t)count_total);
    }
    for (int k = 0; k < count_total; k++) {
        counts[k] = 0;
        for (int t = 0; t < threads; t++) counts[k] += thread_counts[(size_t)t * count_total + k];
    }
    free(thread_counts);
    return THIRST_OK;
}
