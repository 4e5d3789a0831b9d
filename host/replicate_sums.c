/* replicate_sums.c: a work unit's partial sums per rqmc replicate (replicate_sums.h). */
#include "replicate_sums.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/accum.h"
#include "../kernels/draw.h"
#include "../kernels/launch.h"
#include "engine.h"
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

/* Count the values of draws [first, first + n) at or below the thresholds into counts (one
 * thread's, replicates x count), from job->kept where it holds them, else drawn again. */
static void count_unit(const backend_job *job, uint64_t first, uint64_t n, int count,
                       const int *outputs, const float *thresholds, uint64_t *counts)
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
        for (int k = 0; k < count; k++) {
            const int o = outputs[k];
            uint64_t r = start % replicates;
            for (int i = 0; i < size; i++) {
                float x = kept ? job->kept[(size_t)(start + (uint64_t)i - job->values_first) *
                                               (size_t)plan->output_count + (size_t)o]
                               : batch[(size_t)plan->outputs[o] * ENGINE_CHUNK_DRAWS + (size_t)i];
                counts[r * (uint64_t)count + (uint64_t)k] += x <= thresholds[k];
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
    const size_t per_thread = (size_t)plan->replicates * (size_t)count;
    uint64_t *thread_counts = calloc((size_t)threads * per_thread, sizeof *thread_counts);
    if (!thread_counts) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    const uint64_t units = launch_unit_count(plan->draws, ENGINE_UNIT_DRAWS);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (uint64_t unit = 0; unit < units; unit++)
        count_unit(job, launch_unit_first(plan->first_draw, unit, ENGINE_UNIT_DRAWS),
                   launch_unit_draws(plan->first_draw, plan->draws, unit, ENGINE_UNIT_DRAWS),
                   count, outputs, thresholds,
                   thread_counts + (size_t)omp_get_thread_num() * per_thread);
    for (int t = 0; t < threads; t++)
        for (size_t k = 0; k < per_thread; k++) counts[k] += thread_counts[(size_t)t * per_thread + k];
    free(thread_counts);
    return THIRST_OK;
}
