/* replicate_sums.c: a work unit's partial sums per rqmc replicate (replicate_sums.h). */
#include "replicate_sums.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/accum.h"
#include "../kernels/draw.h"
#include "../kernels/launch.h"
#include "engine.h"
#include "quantile.h"
#include "status.h"

int replicate_partials_init(replicate_partials *p, int replicates, int outputs)
{
    size_t count = (size_t)replicates * (size_t)outputs;
    p->replicates = replicates;
    p->outputs = outputs;
    p->sum = calloc(count, sizeof *p->sum);
    p->sum_squares = calloc(count, sizeof *p->sum_squares);
    p->n = calloc(count, sizeof *p->n);
    if (p->sum && p->sum_squares && p->n) return THIRST_OK;
    replicate_partials_free(p);
    return THIRST_ERR_RUNTIME;
}

void replicate_partials_free(replicate_partials *p)
{
    free(p->sum);
    free(p->sum_squares);
    free(p->n);
    p->sum = p->sum_squares = NULL;
    p->n = NULL;
}

void replicate_partials_add(replicate_partials *p, int o, uint64_t first, const float *x, int n,
                            double shift)
{
    size_t at = (size_t)(first % (uint64_t)p->replicates) * (size_t)p->outputs + (size_t)o;
    const size_t end = (size_t)p->replicates * (size_t)p->outputs;
    for (int i = 0; i < n; i++) {
        if (accum_is_finite(x[i])) {
            double d = (double)x[i] - shift;
            p->sum[at] += d;
            p->sum_squares[at] += d * d;
            p->n[at]++;
        }
        at += (size_t)p->outputs;
        if (at >= end) at -= end;
    }
}

void replicate_partials_flush(replicate_partials *p, run_state *s)
{
    for (int r = 0; r < p->replicates; r++)
        for (int o = 0; o < p->outputs; o++) {
            size_t at = (size_t)r * (size_t)p->outputs + (size_t)o;
            run_state_add_replicate(s, r, o, p->n[at], p->sum[at], p->sum_squares[at]);
        }
    size_t count = (size_t)p->replicates * (size_t)p->outputs;
    memset(p->sum, 0, count * sizeof *p->sum);
    memset(p->sum_squares, 0, count * sizeof *p->sum_squares);
    memset(p->n, 0, count * sizeof *p->n);
}

/* The thresholds of count_replicates sorted by output and value: output o's m_o thresholds at
 * sorted[first[o] ..), and its m_o + 1 buckets at bucket_base[o] (a value falls in bucket
 * "how many of its output's thresholds lie below it"). */
typedef struct {
    int count, buckets;
    int order[PLAN_MAX_OUTPUTS * QUANTILE_MAX_PROBABILITIES];    /* sorted position -> k */
    float sorted[PLAN_MAX_OUTPUTS * QUANTILE_MAX_PROBABILITIES];
    int first[PLAN_MAX_OUTPUTS + 1], bucket_base[PLAN_MAX_OUTPUTS];
} threshold_layout;

/* Lay out count thresholds of outputs[k] (reported outputs < output_count): sorted by
 * (output, threshold) by insertion (count is a few hundred at most). */
static void layout_thresholds(threshold_layout *l, int count, const int *outputs,
                              const float *thresholds, int output_count)
{
    l->count = count;
    for (int k = 0; k < count; k++) {
        int s = k;
        for (; s > 0; s--) {
            const int before = l->order[s - 1];
            if (outputs[before] < outputs[k] ||
                (outputs[before] == outputs[k] && thresholds[before] <= thresholds[k]))
                break;
            l->order[s] = before;
        }
        l->order[s] = k;
    }
    int s = 0, buckets = 0;
    for (int o = 0; o < output_count; o++) {
        l->first[o] = s;
        l->bucket_base[o] = buckets;
        for (; s < count && outputs[l->order[s]] == o; s++) l->sorted[s] = thresholds[l->order[s]];
        buckets += s - l->first[o] + 1;
    }
    l->first[output_count] = s;
    l->buckets = buckets;
}

/* Add the values of draws [first, first + n) to their replicate's buckets (one thread's,
 * replicates x l->buckets), from job->kept where it holds them, else drawn again. */
static void count_unit(const backend_job *job, uint64_t first, uint64_t n,
                       const threshold_layout *l, uint64_t *buckets)
{
    const draw_plan *plan = job->plan;
    const uint64_t replicates = (uint64_t)plan->replicates;
    static _Thread_local float batch[DRAW_OUTPUTS * ENGINE_CHUNK_DRAWS];
    for (uint64_t start = first; start < first + n; start += ENGINE_CHUNK_DRAWS) {
        int size = (int)(first + n - start < ENGINE_CHUNK_DRAWS ? first + n - start
                                                                 : ENGINE_CHUNK_DRAWS);
        const int kept = job->kept && start >= job->values_first &&
                         start + (uint64_t)size <= job->values_first + job->values_stride;
        if (!kept) engine_eval_batch(plan, job->data, start, size, batch);
        for (int o = 0; o < plan->output_count; o++) {
            const float *t = l->sorted + l->first[o];
            const int m = l->first[o + 1] - l->first[o];
            if (!m) continue;
            uint64_t r = start % replicates;
            for (int i = 0; i < size; i++) {
                float x = kept ? job->kept[(size_t)(start + (uint64_t)i - job->values_first) *
                                               (size_t)plan->output_count + (size_t)o]
                               : batch[(size_t)plan->outputs[o] * ENGINE_CHUNK_DRAWS + (size_t)i];
                int below = 0;
                for (int q = 0; q < m; q++) below += t[q] < x;
                if (accum_is_finite(x))
                    buckets[r * (uint64_t)l->buckets + (uint64_t)(l->bucket_base[o] + below)]++;
                if (++r == replicates) r = 0;
            }
        }
    }
}

int replicate_counts_cpu(const backend_job *job, int count, const int *outputs,
                         const float *thresholds, uint64_t *counts, char *err, size_t errlen)
{
    const draw_plan *plan = job->plan;
    const int threads = job->options->threads > 0 ? job->options->threads : 1;
    threshold_layout layout;   /* shared by the threads below (a thread-local one would not be) */
    if (count > (int)(sizeof layout.order / sizeof *layout.order))
        return status_fail(err, errlen, THIRST_ERR_RUNTIME, "too many thresholds (internal error)");
    layout_thresholds(&layout, count, outputs, thresholds, plan->output_count);
    const size_t per_thread = (size_t)plan->replicates * (size_t)layout.buckets;
    uint64_t *buckets = calloc((size_t)threads * per_thread, sizeof *buckets);
    if (!buckets) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    const uint64_t units = launch_unit_count(plan->draws, ENGINE_UNIT_DRAWS);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (uint64_t unit = 0; unit < units; unit++)
        count_unit(job, launch_unit_first(plan->first_draw, unit, ENGINE_UNIT_DRAWS),
                   launch_unit_draws(plan->first_draw, plan->draws, unit, ENGINE_UNIT_DRAWS),
                   &layout, buckets + (size_t)omp_get_thread_num() * per_thread);
    /* A value is at or below the threshold of sorted rank q of its output when fewer than
     * q + 1 of the output's thresholds lie below it: buckets 0..q. */
    for (int r = 0; r < plan->replicates; r++)
        for (int o = 0; o < plan->output_count; o++) {
            uint64_t running = 0;
            for (int s = layout.first[o]; s < layout.first[o + 1]; s++) {
                const int bucket = layout.bucket_base[o] + (s - layout.first[o]);
                for (int t = 0; t < threads; t++)
                    running += buckets[(size_t)t * per_thread + (size_t)r * layout.buckets + (size_t)bucket];
                counts[(size_t)r * (size_t)count + (size_t)layout.order[s]] += running;
            }
        }
    free(buckets);
    return THIRST_OK;
}
