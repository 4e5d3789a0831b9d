/* backend_cuda.c: the CUDA backend (backend.h) over the kernels' C interface
 * (kernels/cuda_api.h): maps options onto a launch, merges the kernels' unit partials into the
 * run state in unit order, and maps CUDA's error codes onto thirst's. Built only with CUDA. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "../kernels/sobol.h"
#include "backend.h"
#include "backend_cuda.h"
#include "engine.h"
#include "status.h"

/* thirst's status for a status of kernels/cuda_api.h: a CUDA failure is a device error. */
static int device_status(int status)
{
    return status == CUDA_API_OK ? THIRST_OK
           : status == CUDA_API_INPUT ? THIRST_ERR_INPUT : THIRST_ERR_DEVICE;
}

int backend_cuda_devices(cuda_device_info *list, int capacity, int *count, char *err,
                         size_t errlen)
{
    return cuda_api_devices(list, capacity, count, err, errlen) ? THIRST_ERR_RUNTIME : THIRST_OK;
}

/* The launch that options ask for. */
static cuda_launch launch_of(const backend_options *options)
{
    cuda_launch launch = {options->device, options->block_threads, options->grid_blocks,
                          options->launch_units, options->global_histogram};
    return launch;
}

/* A usable device with index options->device. */
static int cuda_check(const backend_options *options, char *device_name, size_t name_size,
                      char *err, size_t errlen)
{
    cuda_device_info devices[64];
    int count = 0;
    int status = device_status(cuda_api_devices(devices, 64, &count, err, errlen));
    if (status) return status;
    if (options->device < 0 || options->device >= count)
        return status_fail(err, errlen, THIRST_ERR_INPUT,
                           "--device %d: this machine has CUDA devices 0..%d", options->device,
                           count - 1);
    snprintf(device_name, name_size, "%s", devices[options->device].name);
    return device_status(cuda_api_check(options->device, err, errlen));
}

/* Where a run's unit partials go: the state, and the progress callback; the first failure of
 * run_state_add_units is kept. */
typedef struct {
    run_state *state;
    const backend_options *options;
    uint64_t total;
    int status;
    char message[THIRST_ERR_LEN];
} units_sink;

/* cuda_units_fn: add a launch's units to the state in unit order; report progress. */
static void add_units(void *context, uint64_t unit_count, const accum_moments *partials,
                      uint64_t draws_done)
{
    units_sink *sink = context;
    if (!sink->status)
        sink->status = run_state_add_units(sink->state, partials, unit_count, sink->message,
                                           sizeof sink->message);
    if (sink->options->progress)
        sink->options->progress(sink->options->progress_context, draws_done, sink->total, NAN);
}

/* What the kernels can run: at most MODEL_OUTPUT_COUNT reported outputs (one instantiation per
 * count; formulas in every kernel, with the value files in shared memory). A plan beyond that
 * is refused as bad input (THIRST_ERR_INPUT), never run wrong. */
static int plan_fits_device(const draw_plan *plan, char *err, size_t errlen)
{
    int own_outputs = 0;
    for (int o = 0; o < plan->output_count; o++) own_outputs |= plan->outputs[o] >= MODEL_OUTPUT_COUNT;
    if (!plan->has_formulas && (plan->input_slot_count > MODEL_SLOT_COUNT || own_outputs))
        return status_fail(err, errlen, THIRST_ERR_RUNTIME, "a plan with the user's parameters or "
                           "outputs but no formulas (internal error)");
    if (plan->output_count > MODEL_OUTPUT_COUNT)
        return status_fail(err, errlen, THIRST_ERR_INPUT, "%d reported outputs: the GPU takes at "
                           "most %d (use --backend cpu)", plan->output_count, MODEL_OUTPUT_COUNT);
    return THIRST_OK;
}

/* rqmc: the replicates' sums of the job's draws on the device (cuda_replicates.cu), added
 * exactly into state's replicate part. */
static int replicate_sums(const backend_job *job, const cuda_launch *launch, run_state *state,
                          char *err, size_t errlen)
{
    const draw_plan *plan = job->plan;
    if (state->replicates != plan->replicates)
        return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                           "a state of %d replicates for a plan of %d (internal error)",
                           state->replicates, plan->replicates);
    const uint64_t items = cuda_api_replicate_items(plan);
    const size_t values = (size_t)items * (size_t)plan->output_count * 3;
    double *partials = malloc(values * sizeof *partials);
    if (!partials) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    int status = device_status(cuda_api_replicate_sums(plan, job->data, launch, partials, err,
                                                       errlen));
    for (uint64_t item = 0; item < items && !status; item++)
        for (int o = 0; o < plan->output_count; o++) {
            const double *p = partials + (item * (uint64_t)plan->output_count + (uint64_t)o) * 3;
            if (!isfinite(p[1]) || !isfinite(p[2])) {
                status = status_fail(err, errlen, THIRST_ERR_DEVICE,
                                     "reported output %d: a replicate's sums on the device are "
                                     "not finite (internal error)", o);
                break;
            }
            run_state_add_replicate(state, (int)(item % (uint64_t)plan->replicates), o,
                                    (uint64_t)p[0], p[1], p[2]);
        }
    free(partials);
    return status;
}

static int cuda_run(const backend_job *job, const backend_ranges *ranges, run_state *state,
                    char *err, size_t errlen)
{
    if (plan_fits_device(job->plan, err, errlen)) return THIRST_ERR_INPUT;
    if (ranges)
        return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                           "the CUDA backend does not count quantile windows (internal error)");
    cuda_launch launch = launch_of(job->options);
    units_sink sink = {state, job->options, job->plan->draws, THIRST_OK, ""};
    int status = device_status(cuda_api_run(job->plan, job->data, &launch, add_units, &sink,
                                            state->hist, err, errlen));
    if (!status && sink.status)
        status = status_fail(err, errlen, sink.status, "%s", sink.message);
    if (!status)
        status = run_state_check_counts(state, job->plan->hist_offset, job->plan->hist, err,
                                        errlen);
    if (!status && job->plan->sampler == PLAN_SAMPLER_RQMC)
        status = replicate_sums(job, &launch, state, err, errlen);
    return status;
}

/* cuda_progress_fn: the options' progress callback (NaN: no error estimate yet). */
static void report_progress(void *context, uint64_t done, uint64_t total)
{
    const backend_options *options = context;
    if (options->progress) options->progress(options->progress_context, done, total, NAN);
}

static int cuda_refine(const backend_job *job, const backend_ranges *ranges, char *err,
                       size_t errlen)
{
    if (plan_fits_device(job->plan, err, errlen)) return THIRST_ERR_INPUT;
    cuda_launch launch = launch_of(job->options);
    return device_status(cuda_api_refine(job->plan, job->data, &launch, ranges->ranges,
                                         ranges->range_count, ranges->first_range,
                                         ranges->count_total, ranges->counts, report_progress,
                                         (void *)job->options, err, errlen));
}

static int cuda_sobol(const backend_job *job, uint64_t base_draws, int first_batch,
                      int end_batch, run_state *state, char *err, size_t errlen)
{
    if (plan_fits_device(job->plan, err, errlen)) return THIRST_ERR_INPUT;
    const draw_plan *plan = job->plan;
    if (state->sobol_terms != SOBOL_TERMS(plan))
        return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                           "Sobol state of %d terms for a plan of %d (internal error)",
                           state->sobol_terms, SOBOL_TERMS(plan));
    cuda_launch launch = launch_of(job->options);
    double *rows = state->sobol_sums + (size_t)first_batch * (size_t)state->sobol_terms;
    /* The kernels' chunks add into their batch's row: start the rows at 0 (as the CPU does). */
    memset(rows, 0, (size_t)(end_batch - first_batch) * (size_t)state->sobol_terms * sizeof *rows);
    int status = device_status(cuda_api_sobol(job->plan, job->data, &launch, base_draws,
                                              state->sobol_batches, first_batch, end_batch, rows,
                                              report_progress, (void *)job->options, err,
                                              errlen));
    if (!status) run_state_add_sobol_batches(state, first_batch, end_batch);
    return status;
}

static int cuda_first_draws(const backend_job *job, uint64_t first, int count, uint32_t *words,
                            float *inputs, float *outputs, char *err, size_t errlen)
{
    if (plan_fits_device(job->plan, err, errlen)) return THIRST_ERR_INPUT;
    return device_status(cuda_api_first_draws(job->plan, job->data, job->options->device, first,
                                              count, words, inputs, outputs, err, errlen));
}

/* rqmc's replicate counts on the device (cuda_replicates.cu). */
static int cuda_count_replicates(const backend_job *job, int count, const int *outputs,
                                 const float *thresholds, uint64_t *counts, char *err,
                                 size_t errlen)
{
    if (plan_fits_device(job->plan, err, errlen)) return THIRST_ERR_INPUT;
    if (job->plan->sampler != PLAN_SAMPLER_RQMC)
        return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                           "replicate counts of a Monte Carlo plan (internal error)");
    cuda_launch launch = launch_of(job->options);
    return device_status(cuda_api_replicate_counts(job->plan, job->data, &launch, count, outputs,
                                                   thresholds, counts, err, errlen));
}

static const backend cuda_backend = {
    .name = "cuda",
    .mantissa_bits = ENGINE_MANTISSA_BITS_GPU,
    .counts_windows = 0,
    .segment_units = 4096,
    .check = cuda_check,
    .run = cuda_run,
    .refine = cuda_refine,
    .sobol = cuda_sobol,
    .count_replicates = cuda_count_replicates,
    .first_draws = cuda_first_draws,
};

const backend *backend_cuda(void) { return &cuda_backend; }
