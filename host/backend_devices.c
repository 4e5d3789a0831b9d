/* backend_devices.c: a backend that runs each job across several devices of one process
 * (`--devices LIST|all`, DESIGN.md section 12, issue 19): device k takes the k-th contiguous
 * share of the job's work units (or Sobol batches) on the inner backend with its own device
 * index, one host thread per device (the CUDA backend's own stream and pipeline on each), and
 * the shares' states merge in device order, which is unit order, so the result is the one-device
 * result byte for byte; counts are summed (integers), Sobol rows land in their own batches.
 * The same wrapper over the CPU backend (each "device" a share of the units) is how
 * tests/test_devices.c checks the split and the merge on a machine without GPUs. Kept values
 * are not shared between devices: they are off here, and a refinement pass draws again. */
#include "backend_devices.h"

#include <stdlib.h>
#include <string.h>

#include "../kernels/launch.h"
#include "engine.h"
#include "status.h"

static const backend *inner;
static backend across;
static int device_list[BACKEND_MAX_DEVICES], device_count;

/* Share k of count of units [0, units): [units k / count, units (k + 1) / count). */
static void share(uint64_t units, int k, uint64_t *first, uint64_t *end)
{
    *first = units * (uint64_t)k / (uint64_t)device_count;
    *end = units * (uint64_t)(k + 1) / (uint64_t)device_count;
}

/* Per device: its share's plan, options (its device index, no progress: threads would print
 * over each other), job, state, counters and outcome. */
typedef struct {
    draw_plan plan;
    backend_options options;
    backend_job job;
    run_state state;
    uint64_t *counts;
    int status;
    char err[THIRST_ERR_LEN];
} device_share;

/* Shares of job for every device (caller frees with free_shares); NULL when out of memory. */
static device_share *make_shares(const backend_job *job)
{
    device_share *shares = calloc((size_t)device_count, sizeof *shares);
    for (int k = 0; shares && k < device_count; k++) {
        device_share *d = &shares[k];
        d->plan = backend_plan_share(job->plan, (uint64_t)k, (uint64_t)device_count);
        d->options = *job->options;
        d->options.device = device_list[k];
        d->options.progress = NULL;
        d->job = *job;
        d->job.plan = &d->plan;
        d->job.options = &d->options;
        d->job.keep = NULL;
        d->job.kept = NULL;
    }
    return shares;
}

static void free_shares(device_share *shares)
{
    for (int k = 0; shares && k < device_count; k++) {
        run_state_free(&shares[k].state);
        free(shares[k].counts);
    }
    free(shares);
}

/* The first failing share's status and message (device order), or THIRST_OK. */
static int first_failure(const device_share *shares, char *err, size_t errlen)
{
    for (int k = 0; k < device_count; k++)
        if (shares[k].status)
            return status_fail(err, errlen, shares[k].status, "device %d: %s", device_list[k],
                               shares[k].err);
    return THIRST_OK;
}

/* Counters of n for every share (zeroed); THIRST_OK or out of memory. */
static int share_counters(device_share *shares, size_t n, char *err, size_t errlen)
{
    for (int k = 0; k < device_count; k++)
        if (!(shares[k].counts = calloc(n ? n : 1, sizeof *shares[k].counts)))
            return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    return THIRST_OK;
}

/* counts[0..n) += every share's counters. */
static void sum_counters(const device_share *shares, uint64_t *counts, size_t n)
{
    for (int k = 0; k < device_count; k++)
        for (size_t j = 0; j < n; j++) counts[j] += shares[k].counts[j];
}

static int devices_run(const backend_job *job, const backend_ranges *ranges, run_state *state,
                       char *err, size_t errlen)
{
    device_share *shares = make_shares(job);
    const size_t n = ranges ? (size_t)ranges->count_total : 0;
    int status = shares ? THIRST_OK : status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    if (!status && ranges) status = share_counters(shares, n, err, errlen);
    for (int k = 0; k < device_count && !status; k++) {
        status = run_state_alloc(&shares[k].state, state->output_count, state->hist_total, err,
                                 errlen);
        if (!status && state->replicates)
            status = run_state_alloc_replicates(&shares[k].state, state->replicates, err, errlen);
    }
    if (!status) {
#pragma omp parallel for num_threads(device_count) schedule(static, 1)
        for (int k = 0; k < device_count; k++) {
            device_share *d = &shares[k];
            backend_ranges local = ranges ? *ranges : (backend_ranges){0};
            local.counts = d->counts;
            if (d->plan.draws)
                d->status = inner->run(&d->job, ranges ? &local : NULL, &d->state, d->err,
                                       sizeof d->err);
        }
        status = first_failure(shares, err, errlen);
    }
    for (int k = 0; k < device_count && !status; k++)
        status = run_state_merge(state, &shares[k].state, err, errlen);
    if (!status && ranges) sum_counters(shares, ranges->counts, n);
    free_shares(shares);
    return status;
}

static int devices_refine(const backend_job *job, const backend_ranges *ranges, char *err,
                          size_t errlen)
{
    device_share *shares = make_shares(job);
    const size_t n = (size_t)ranges->count_total;
    int status = shares ? share_counters(shares, n, err, errlen)
                        : status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    if (!status) {
#pragma omp parallel for num_threads(device_count) schedule(static, 1)
        for (int k = 0; k < device_count; k++) {
            device_share *d = &shares[k];
            backend_ranges local = *ranges;
            local.counts = d->counts;
            if (d->plan.draws) d->status = inner->refine(&d->job, &local, d->err, sizeof d->err);
        }
        status = first_failure(shares, err, errlen);
    }
    if (!status) sum_counters(shares, ranges->counts, n);
    free_shares(shares);
    return status;
}

static int devices_count_replicates(const backend_job *job, int count, const int *outputs,
                                    const float *thresholds, uint64_t *counts, char *err,
                                    size_t errlen)
{
    device_share *shares = make_shares(job);
    const size_t n = (size_t)job->plan->replicates * (size_t)count;
    int status = shares ? share_counters(shares, n, err, errlen)
                        : status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    if (!status) {
#pragma omp parallel for num_threads(device_count) schedule(static, 1)
        for (int k = 0; k < device_count; k++) {
            device_share *d = &shares[k];
            if (d->plan.draws)
                d->status = inner->count_replicates(&d->job, count, outputs, thresholds,
                                                    d->counts, d->err, sizeof d->err);
        }
        status = first_failure(shares, err, errlen);
    }
    if (!status) sum_counters(shares, counts, n);
    free_shares(shares);
    return status;
}

static int devices_sobol(const backend_job *job, uint64_t base_draws, int first_batch,
                         int end_batch, run_state *state, char *err, size_t errlen)
{
    device_share *shares = make_shares(job);
    const int terms = state->sobol_terms;
    int status = shares ? THIRST_OK : status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    for (int k = 0; k < device_count && !status; k++) {
        shares[k].job.plan = job->plan;   /* batches, not draws, are shared out */
        status = run_state_alloc(&shares[k].state, state->output_count, 0, err, errlen);
        if (!status)
            status = run_state_alloc_sobol(&shares[k].state, state->sobol_batches, terms, err,
                                           errlen);
    }
    if (!status) {
#pragma omp parallel for num_threads(device_count) schedule(static, 1)
        for (int k = 0; k < device_count; k++) {
            uint64_t first, end;
            share((uint64_t)(end_batch - first_batch), k, &first, &end);
            device_share *d = &shares[k];
            if (end > first)
                d->status = inner->sobol(&d->job, base_draws, first_batch + (int)first,
                                         first_batch + (int)end, &d->state, d->err, sizeof d->err);
        }
        status = first_failure(shares, err, errlen);
    }
    for (int k = 0; k < device_count && !status; k++) {
        uint64_t first, end;
        share((uint64_t)(end_batch - first_batch), k, &first, &end);
        const size_t from = (size_t)(first_batch + (int)first) * (size_t)terms;
        memcpy(state->sobol_sums + from, shares[k].state.sobol_sums + from,
               (size_t)(end - first) * (size_t)terms * sizeof *state->sobol_sums);
    }
    if (!status) run_state_add_sobol_batches(state, first_batch, end_batch);
    free_shares(shares);
    return status;
}

static int devices_first_draws(const backend_job *job, uint64_t first, int count,
                               uint32_t *words, float *inputs, float *outputs, char *err,
                               size_t errlen)
{
    backend_options options = *job->options;
    options.device = device_list[0];
    backend_job local = *job;
    local.options = &options;
    return inner->first_draws(&local, first, count, words, inputs, outputs, err, errlen);
}

/* Every device must be usable; device_name gets the last one's (reports name one device). */
static int devices_check(const backend_options *options, char *device_name, size_t name_size,
                         char *err, size_t errlen)
{
    for (int k = 0; k < device_count; k++) {
        backend_options one = *options;
        one.device = device_list[k];
        int status = inner->check(&one, device_name, name_size, err, errlen);
        if (status) return status;
    }
    return THIRST_OK;
}

const backend *backend_devices(const backend *wrapped, const int *devices, int count)
{
    if (count <= 1 || count > BACKEND_MAX_DEVICES) return wrapped;
    inner = wrapped;
    device_count = count;
    memcpy(device_list, devices, (size_t)count * sizeof *devices);
    across = (backend){.name = wrapped->name,
                       .mantissa_bits = wrapped->mantissa_bits,
                       .counts_windows = wrapped->counts_windows,
                       .segment_units = wrapped->segment_units * count,
                       .check = devices_check,
                       .run = devices_run,
                       .refine = devices_refine,
                       .sobol = devices_sobol,
                       .count_replicates = devices_count_replicates,
                       .first_draws = devices_first_draws};
    return &across;
}
