/* backend_cpu.c: the CPU backend (backend.h). Work units of ENGINE_UNIT_DRAWS consecutive
 * draws run on OpenMP threads in rounds; each unit's moments are computed sequentially (batches
 * of cpu_batch.c) and merged in unit order, histogram counts are integers (any order gives the
 * same sum), so every statistic is bit-identical for any thread count. Memory is constant in
 * the number of draws. Also the Sobol design's batches and single draws for `thirst draws`. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/draw.h"
#include "../kernels/launch.h"
#include "../kernels/sobol.h"
#include "backend.h"
#include "engine.h"
#include "pending_counts.h"
#include "replicate_sums.h"
#include "status.h"

#define ROUND_UNITS 256   /* units between merges and progress reports */

#define BATCH ENGINE_CHUNK_DRAWS   /* draws evaluated together (cpu_batch.c) */
#define LANES 4     /* interleaved partial sums per output, merged in a fixed order */
typedef double lanes_of_double __attribute__((vector_size(LANES * sizeof(double))));
typedef float lanes_of_float __attribute__((vector_size(LANES * sizeof(float))));

/* Per-output accumulators of one unit. */
typedef struct {
    double sum[LANES], sum_squares[LANES];
    float low, high;
    uint64_t n, nonfinite;
} unit_accumulator;

/* Add n values x[0..n) of reported output o to its accumulator and histogram; with bin_mask
 * (range_bin_mask), also list in candidates the indices of the values whose bin a range
 * touches, and return how many (else 0). */
__attribute__((target_clones(THIRST_CPU_CLONES)))
static int accumulate(const draw_plan *plan, int o, const float *x, int n,
                      unit_accumulator *a, uint64_t *hist, const uint64_t *bin_mask,
                      uint16_t *candidates)
{
    int finite = 1;
    for (int i = 0; i < n; i++) finite &= accum_is_finite(x[i]);
    const double shift = (double)plan->shift[o];
    if (finite && n == BATCH) {
        /* LANES running sums, lane l adding values l, l + LANES, ... in order, written on a
         * vector of LANES doubles (GCC's vector extension: one 256-bit register) so that each
         * step is one convert, subtract, add, multiply and add; left to the vectorizer the
         * x86-64-v4 clone shuffled 512-bit registers into the lanes. */
        lanes_of_double sum, sum_squares;
        memcpy(&sum, a->sum, sizeof sum);
        memcpy(&sum_squares, a->sum_squares, sizeof sum_squares);
        const lanes_of_double shift_lanes = {shift, shift, shift, shift};
        for (int i = 0; i < n; i += LANES) {
            lanes_of_float v;
            memcpy(&v, x + i, sizeof v);
            lanes_of_double d = __builtin_convertvector(v, lanes_of_double) - shift_lanes;
            sum += d;
            sum_squares += d * d;
        }
        memcpy(a->sum, &sum, sizeof sum);
        memcpy(a->sum_squares, &sum_squares, sizeof sum_squares);
        /* The extremes through the order-preserving keys of accum.h: integer min and max
         * vectorize where float ones (NaN and signed-zero rules) do not. All values here are
         * finite; keys order them as floats do except that -0 comes before +0, where float
         * compares keep the zero seen first. So a batch holding a zero takes the float loop. */
        uint32_t key_low[16], key_high[16];
        uint32_t zeros = 0;
        for (int l = 0; l < 16; l++) {
            key_low[l] = accum_key(a->low);
            key_high[l] = accum_key(a->high);
        }
        for (int i = 0; i < n; i += 16)
            for (int l = 0; l < 16; l++) {
                uint32_t key = accum_key(x[i + l]);
                key_low[l] = key < key_low[l] ? key : key_low[l];
                key_high[l] = key > key_high[l] ? key : key_high[l];
                zeros |= (uint32_t)((fastmath_bits(x[i + l]) & 0x7fffffffu) == 0);
            }
        if (zeros) {
            for (int i = 0; i < n; i++) {
                a->low = x[i] < a->low ? x[i] : a->low;
                a->high = x[i] > a->high ? x[i] : a->high;
            }
        } else {
            uint32_t low = key_low[0], high = key_high[0];
            for (int l = 1; l < 16; l++) {
                low = key_low[l] < low ? key_low[l] : low;
                high = key_high[l] > high ? key_high[l] : high;
            }
            a->low = accum_key_value(low);
            a->high = accum_key_value(high);
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
    /* The bins first, in a loop without stores to the histogram (so it vectorizes and the spec
     * stays in registers), then the scattered increments. */
    const accum_hist_spec spec = plan->hist[o];
    uint32_t bins[BATCH];
    for (int i = 0; i < n; i++) bins[i] = (uint32_t)accum_bin(&spec, x[i]);
    if (!finite) {
        for (int i = 0; i < n; i++)
            if (!accum_is_finite(x[i])) bins[i] = UINT32_MAX;
    }
    if (!bin_mask) {
        for (int i = 0; i < n; i++)
            if (bins[i] != UINT32_MAX) counts[bins[i]]++;
        return 0;
    }
    int found = 0;
    const uint32_t offset = (uint32_t)plan->hist_offset[o];
    for (int i = 0; i < n; i++) {
        uint32_t bin = bins[i];
        if (bin == UINT32_MAX) continue;
        counts[bin]++;
        bin += offset;
        candidates[found] = (uint16_t)i;
        found += (int)((bin_mask[bin >> 6] >> (bin & 63)) & 1);
    }
    return found;
}

/* Indices of the values x[0..n) of reported output o whose fine-histogram bin a range
 * touches (bin_mask from range_bin_mask), into candidates; returns how many. */
static int range_candidates(const draw_plan *plan, int o, const float *x, int n,
                            const uint64_t *bin_mask, uint16_t *candidates)
{
    int found = 0;
    const uint32_t offset = (uint32_t)plan->hist_offset[o];
    for (int i = 0; i < n; i++) {
        uint32_t bin = offset + (uint32_t)accum_bin(&plan->hist[o], x[i]);
        candidates[found] = (uint16_t)i;
        found += (int)((bin_mask[bin >> 6] >> (bin & 63)) & 1);
    }
    return found;
}

/* Count the candidate values x[candidates[0..found)] of reported output o that fall in rc's
 * ranges into counts (one thread's counters for one round); the fine-histogram bin of a value
 * points at the first range that can hold it. The counters (megabytes) mostly miss the cache,
 * so the counter indices are found here and their increments applied later, region by region
 * (pending_counts.h). */
static void count_in_ranges(const draw_plan *plan, int o, const float *x,
                            const uint16_t *candidates, int found, const backend_ranges *rc,
                            pending_counts *counts)
{
    const int32_t *table = rc->first_range + plan->hist_offset[o];
    int32_t slot[BATCH];
    int hits = 0;
    for (int k = 0; k < found; k++) {
        float value = x[candidates[k]];
        int32_t counter = accum_range_counter(rc->ranges, rc->range_count,
                                              table[accum_bin(&plan->hist[o], value)], o, value);
        slot[hits] = counter;
        hits += counter >= 0;
    }
    pending_counts_add(counts, slot, hits);
}

/* One bit per counter of the plan's histogram: set where rc->first_range is a range, so that
 * the many values outside every range are turned away by a table that stays in L1. */
static uint64_t *range_bin_mask(const draw_plan *plan, const backend_ranges *rc)
{
    uint64_t *mask = calloc(((size_t)plan->hist_total + 63) / 64, sizeof *mask);
    if (!mask) return NULL;
    for (int k = 0; k < plan->hist_total; k++)
        if (rc->first_range[k] >= 0) mask[k >> 6] |= 1ull << (k & 63);
    return mask;
}

/* Per thread: its counters for a round (thread t's at counts + t count_total) and their
 * pending increments; THIRST_OK, or THIRST_ERR_RUNTIME (out of memory; nothing to free). */
static int thread_counts_alloc(const backend_ranges *rc, int threads, uint32_t **counts,
                               pending_counts **pending)
{
    *counts = calloc((size_t)threads * (size_t)rc->count_total, sizeof **counts);
    *pending = calloc((size_t)threads, sizeof **pending);
    int status = *counts && *pending ? THIRST_OK : THIRST_ERR_RUNTIME;
    for (int t = 0; t < threads && !status; t++)
        status = pending_counts_init(&(*pending)[t], *counts + (size_t)t * (size_t)rc->count_total,
                                     rc->count_total);
    if (status) {
        for (int t = 0; *pending && t < threads; t++) pending_counts_free(&(*pending)[t]);
        free(*counts);
        free(*pending);
        *counts = NULL;
        *pending = NULL;
    }
    return status;
}

/* Release what thread_counts_alloc made (NULL: nothing). */
static void thread_counts_free(uint32_t *counts, pending_counts *pending, int threads)
{
    for (int t = 0; pending && t < threads; t++) pending_counts_free(&pending[t]);
    free(pending);
    free(counts);
}

/* Apply the threads' pending increments of one round (each thread's to its own counters) and
 * add their counters (at most ROUND_UNITS units each, so no uint32 overflows) into rc->counts,
 * clearing them; both steps with the threads in parallel (integer sums: the order changes no
 * count). */
static void flush_range_counts(const backend_ranges *rc, uint32_t *thread_counts,
                               pending_counts *pending, int threads)
{
    const size_t total = (size_t)rc->count_total;
#pragma omp parallel num_threads(threads)
    {
#pragma omp for schedule(static, 1)
        for (int t = 0; t < threads; t++) pending_counts_apply(&pending[t]);
#pragma omp for schedule(static)
        for (int k = 0; k < rc->count_total; k++) {
            uint64_t sum = 0;
            for (int t = 0; t < threads; t++) {
                sum += thread_counts[(size_t)t * total + (size_t)k];
                thread_counts[(size_t)t * total + (size_t)k] = 0;
            }
            rc->counts[k] += sum;
        }
    }
}

/* rqmc: one replicate_partials per thread for state t's replicate part (which must match the
 * plan's replicates); THIRST_OK, or a failure with nothing to free. */
static int thread_replicates_alloc(const draw_plan *plan, const run_state *t, int threads,
                                   replicate_partials **partials, char *err, size_t errlen)
{
    if (t->replicates != plan->replicates)
        return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                           "a state of %d replicates for a plan of %d (internal error)",
                           t->replicates, plan->replicates);
    *partials = calloc((size_t)threads, sizeof **partials);
    int status = *partials ? THIRST_OK : THIRST_ERR_RUNTIME;
    int made = 0;
    for (; made < threads && !status; made++)
        status = replicate_partials_init(&(*partials)[made], plan->replicates, plan->output_count);
    if (!status) return THIRST_OK;
    for (int k = 0; *partials && k < made; k++) replicate_partials_free(&(*partials)[k]);
    free(*partials);
    *partials = NULL;
    return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
}

/* Release what thread_replicates_alloc made (NULL: nothing). */
static void thread_replicates_free(replicate_partials *partials, int threads)
{
    for (int k = 0; partials && k < threads; k++) replicate_partials_free(&partials[k]);
    free(partials);
}

/* Run draws [first, first + count) of the plan: moments into unit (one per output, reset
 * here), counts added to hist (flat layout of the plan), with rc, the values in its ranges
 * counted into range_counts, and under rqmc each replicate's sums into replicates. engine_eval_batch and accumulate are compiled for x86-64-v4
 * (AVX-512), AVX2 and the baseline ISA, chosen at load time; all give the same bits (no FMA
 * contraction, no reassociation: the vector code does exactly the scalar operations). */
static void run_unit(const backend_job *job, uint64_t first, uint64_t count, accum_moments *unit,
                     uint64_t *hist, const backend_ranges *rc, const uint64_t *bin_mask,
                     pending_counts *range_counts, replicate_partials *replicates)
{
    const draw_plan *plan = job->plan;
    const float *data = job->data;
    unit_accumulator acc[PLAN_MAX_OUTPUTS];
    float outputs[DRAW_OUTPUTS][BATCH];
    memset(acc, 0, sizeof acc);
    for (int o = 0; o < plan->output_count; o++) {
        acc[o].low = INFINITY;
        acc[o].high = -INFINITY;
    }
    for (uint64_t start = first; start < first + count; start += BATCH) {
        int n = (int)(first + count - start < BATCH ? first + count - start : BATCH);
        engine_eval_batch(plan, data, start, n, outputs[0]);
        for (int o = 0; o < plan->output_count; o++) {
            const float *x = outputs[plan->outputs[o]];
            if (job->keep && start >= job->values_first &&
                start + (uint64_t)n <= job->values_first + job->values_stride) {
                float *kept = job->keep + (size_t)(start - job->values_first) * plan->output_count + o;
                for (int i = 0; i < n; i++) kept[(size_t)i * plan->output_count] = x[i];
            }
            if (replicates)
                replicate_partials_add(replicates, o, start, x, n, (double)plan->shift[o]);
            uint16_t candidates[BATCH];
            int found = accumulate(plan, o, x, n, &acc[o], hist, rc ? bin_mask : NULL, candidates);
            if (found) count_in_ranges(plan, o, x, candidates, found, rc, range_counts);
        }
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

/* The CPU backend's run (backend.h): units in rounds of ROUND_UNITS on the threads, their
 * moments added to t in unit order after each round. */
static int cpu_run(const backend_job *job, const backend_ranges *ranges, run_state *t,
                   char *err, size_t errlen)
{
    const draw_plan *plan = job->plan;
    const backend_options *options = job->options;
    int threads = options->threads > 0 ? options->threads : 1;
    int outputs = plan->output_count;
    uint64_t units = launch_unit_count(plan->draws, ENGINE_UNIT_DRAWS);
    if (ranges && ranges->count_total == 0) ranges = NULL;
    accum_moments *round = malloc((size_t)ROUND_UNITS * PLAN_MAX_OUTPUTS * sizeof *round);
    uint64_t *hist = calloc((size_t)threads * (size_t)plan->hist_total, sizeof *hist);
    uint32_t *range_counts = NULL;
    pending_counts *pending = NULL;
    int counts_status = ranges ? thread_counts_alloc(ranges, threads, &range_counts, &pending)
                               : THIRST_OK;
    uint64_t *bin_mask = ranges ? range_bin_mask(plan, ranges) : NULL;
    replicate_partials *replicates = NULL;
    int replicates_status = plan->sampler == PLAN_SAMPLER_RQMC
                                ? thread_replicates_alloc(plan, t, threads, &replicates, err, errlen)
                                : THIRST_OK;
    if (!round || !hist || counts_status || (ranges && !bin_mask) || replicates_status) {
        free(round);
        free(hist);
        thread_counts_free(range_counts, pending, threads);
        free(bin_mask);
        return replicates_status ? replicates_status
                                 : status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    }

    for (uint64_t start = 0; start < units; start += ROUND_UNITS) {
        int count = (int)(units - start < ROUND_UNITS ? units - start : ROUND_UNITS);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (int k = 0; k < count; k++) {
            uint64_t unit = start + (uint64_t)k;
            int thread = omp_get_thread_num();
            uint64_t *thread_hist = hist + (size_t)thread * plan->hist_total;
            pending_counts *thread_ranges = ranges ? &pending[thread] : NULL;
            run_unit(job, launch_unit_first(plan->first_draw, unit, ENGINE_UNIT_DRAWS),
                     launch_unit_draws(plan->first_draw, plan->draws, unit, ENGINE_UNIT_DRAWS),
                     round + (size_t)k * PLAN_MAX_OUTPUTS, thread_hist, ranges, bin_mask,
                     thread_ranges, replicates ? &replicates[thread] : NULL);
            if (replicates) {
#pragma omp critical(thirst_replicates)
                replicate_partials_flush(&replicates[thread], t);
            }
        }
        if (ranges) flush_range_counts(ranges, range_counts, pending, threads);
        for (int k = 0; k < count; k++)
            for (int o = 0; o < outputs; o++)
                run_state_add_unit(t, o, &round[(size_t)k * PLAN_MAX_OUTPUTS + o]);
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
    thread_counts_free(range_counts, pending, threads);
    free(bin_mask);
    thread_replicates_free(replicates, threads);
    return THIRST_OK;
}

/* Count the values of draws [first, first + count) that fall in rc's ranges. */
static void refine_unit(const backend_job *job, uint64_t first, uint64_t count,
                        const backend_ranges *rc, const uint64_t *bin_mask,
                        pending_counts *counts)
{
    const draw_plan *plan = job->plan;
    float outputs[DRAW_OUTPUTS][BATCH];
    for (uint64_t start = first; start < first + count; start += BATCH) {
        int n = (int)(first + count - start < BATCH ? first + count - start : BATCH);
        /* The values kept by run() (the same floats), else the draws evaluated again. */
        const int kept = job->kept && start >= job->values_first &&
                         start + (uint64_t)n <= job->values_first + job->values_stride;
        if (!kept) engine_eval_batch(plan, job->data, start, n, outputs[0]);
        for (int o = 0; o < plan->output_count; o++) {
            const float *x = outputs[plan->outputs[o]];
            if (kept) {   /* gathered from the draw-major kept values */
                const float *from =
                    job->kept + (size_t)(start - job->values_first) * plan->output_count + o;
                for (int i = 0; i < n; i++) outputs[0][i] = from[(size_t)i * plan->output_count];
                x = outputs[0];
            }
            uint16_t candidates[BATCH];
            int found = range_candidates(plan, o, x, n, bin_mask, candidates);
            if (found) count_in_ranges(plan, o, x, candidates, found, rc, counts);
        }
    }
}

/* The CPU backend's exact-quantile pass (backend.h). */
static int cpu_refine(const backend_job *job, const backend_ranges *ranges, char *err,
                      size_t errlen)
{
    const draw_plan *plan = job->plan;
    int threads = job->options->threads > 0 ? job->options->threads : 1;
    if (ranges->count_total == 0) return THIRST_OK;
    uint32_t *thread_counts = NULL;
    pending_counts *pending = NULL;
    int counts_status = thread_counts_alloc(ranges, threads, &thread_counts, &pending);
    uint64_t *bin_mask = range_bin_mask(plan, ranges);
    if (counts_status || !bin_mask) {
        thread_counts_free(thread_counts, pending, threads);
        free(bin_mask);
        return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    }
    uint64_t units = launch_unit_count(plan->draws, ENGINE_UNIT_DRAWS);
    for (uint64_t start = 0; start < units; start += ROUND_UNITS) {
        int count = (int)(units - start < ROUND_UNITS ? units - start : ROUND_UNITS);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (int k = 0; k < count; k++) {
            uint64_t unit = start + (uint64_t)k;
            refine_unit(job, launch_unit_first(plan->first_draw, unit, ENGINE_UNIT_DRAWS),
                        launch_unit_draws(plan->first_draw, plan->draws, unit, ENGINE_UNIT_DRAWS),
                        ranges, bin_mask,
                        &pending[omp_get_thread_num()]);
        }
        flush_range_counts(ranges, thread_counts, pending, threads);
    }
    thread_counts_free(thread_counts, pending, threads);
    free(bin_mask);
    return THIRST_OK;
}

/* Sobol terms of base draws [first, end) summed in draw order into sums (one batch's row), in
 * vectorised batches of ENGINE_SOBOL_DRAWS (cpu_batch.c). */
static void sobol_batch(const draw_plan *plan, const float *data, uint64_t first, uint64_t end,
                        double *sums)
{
    for (int j = 0; j < SOBOL_TERMS(plan); j++) sums[j] = 0;
    for (uint64_t start = first; start < end; start += ENGINE_SOBOL_DRAWS) {
        int n = (int)(end - start < ENGINE_SOBOL_DRAWS ? end - start : ENGINE_SOBOL_DRAWS);
        engine_sobol_batch(plan, data, start, n, sums);
    }
}

/* The CPU backend's Sobol batches (backend.h): one batch per OpenMP task, each summed in draw
 * order, so the sums do not depend on the thread count. */
static int cpu_sobol(const backend_job *job, uint64_t base_draws, int first_batch, int end_batch,
                     run_state *state, char *err, size_t errlen)
{
    const draw_plan *plan = job->plan;
    const int batches = state->sobol_batches, length = state->sobol_terms;
    const uint64_t chunks = launch_unit_count(base_draws, SOBOL_CHUNK);
    int threads = job->options->threads > 0 ? job->options->threads : 1;
    if (length != SOBOL_TERMS(plan))
        return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                           "Sobol state of %d terms for a plan of %d (internal error)", length,
                           SOBOL_TERMS(plan));
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (int b = first_batch; b < end_batch; b++) {
        uint64_t first = launch_batch_first_chunk(chunks, batches, b) * SOBOL_CHUNK;
        uint64_t end = launch_batch_first_chunk(chunks, batches, b + 1) * SOBOL_CHUNK;
        sobol_batch(plan, job->data, first, end < base_draws ? end : base_draws,
                    state->sobol_sums + (size_t)b * (size_t)length);
    }
    run_state_add_sobol_batches(state, first_batch, end_batch);
    return THIRST_OK;
}

/* Single draws through the reference evaluation (engine_eval_draw). */
static int cpu_first_draws(const backend_job *job, uint64_t first, int count, uint32_t *words,
                           float *inputs, float *outputs, char *err, size_t errlen)
{
    const draw_plan *plan = job->plan;
    (void)err;
    (void)errlen;
    for (int k = 0; k < count; k++) {
        uint32_t all_words[DRAW_MAX_WORDS];
        engine_eval_draw(plan, job->data, first + (uint64_t)k, all_words,
                         inputs + (size_t)k * DRAW_INPUT_SLOTS,
                         outputs + (size_t)k * (size_t)plan->output_count);
        for (int j = 0; j < plan->word_count; j++)
            words[(size_t)k * (size_t)plan->word_count + (size_t)j] = all_words[j];
    }
    return THIRST_OK;
}

/* The CPU is always there. */
static int cpu_check(const backend_options *options, char *device_name, size_t name_size,
                     char *err, size_t errlen)
{
    (void)options;
    (void)err;
    (void)errlen;
    if (name_size) device_name[0] = '\0';
    return THIRST_OK;
}

static const backend cpu_backend = {
    .name = "cpu",
    .mantissa_bits = ENGINE_MANTISSA_BITS,
    .counts_windows = 1,
    .keeps_values = 1,
    .segment_units = 64,
    .check = cpu_check,
    .run = cpu_run,
    .refine = cpu_refine,
    .sobol = cpu_sobol,
    .count_replicates = replicate_counts_cpu,
    .first_draws = cpu_first_draws,
};

const backend *backend_cpu(void) { return &cpu_backend; }
