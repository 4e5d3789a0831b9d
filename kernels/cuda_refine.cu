/* cuda_refine.cu: the refinement pass of exact quantiles (host/quantile.h) on the device:
 * every thread re-draws draws in a grid-stride loop, evaluates them with draw_eval, and for
 * each reported output whose value falls in one of the pass's key ranges adds one to that
 * range's sub-bin (accum_range_counter, the lookup the CPU uses too; integer atomics in global
 * memory, so the counts do not depend on the launch shape).
 * Napkin math: the same ~430 instructions per draw as cuda_run.cu to re-draw, plus a few
 * compares per output; the atomics are rare (only values inside the ranges, a few per cent of
 * draws), so a pass costs about what the first pass does. */
#include <stdlib.h>
#include <string.h>

#include "cuda_check.h"
#include "cuda_pipeline.h"
#include "cuda_words.cuh"
#include "draw.h"
#include "launch.h"

/* Draws of plan in a grid-stride loop; counts[k] += 1 for each value's counter k. FORMULAS:
 * the plan has formulas, each thread's value file in dynamic shared memory (value k at
 * k * blockDim.x), per-draw arrays with the user's parameters and outputs. */
template <bool FORMULAS>
__global__ void cuda_refine_kernel(const __grid_constant__ draw_plan plan, const float *data,
                                   const accum_range *ranges, int range_count,
                                   const int32_t *first_range, unsigned long long *counts)
{
    extern __shared__ float value_files[];
    float *values = FORMULAS ? value_files + threadIdx.x : NULL;
    const uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
    const uint64_t end = plan.first_draw + plan.draws;
    for (uint64_t i = plan.first_draw + (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; i < end;
         i += stride) {
        uint32_t words[DRAW_MAX_WORDS];
        float inputs[FORMULAS ? DRAW_INPUT_SLOTS : MODEL_SLOT_COUNT];
        float outputs[FORMULAS ? DRAW_OUTPUTS : MODEL_OUTPUT_COUNT];
        cuda_plan_words<FORMULAS>(plan, i, words);
        draw_eval_in(&plan, data, i, words, inputs, outputs, values, blockDim.x);
        for (int o = 0; o < plan.output_count; o++) {
            float x = FORMULAS ? draw_pick_any(outputs, plan.outputs[o])
                               : draw_reported(&plan, outputs, o);
            int32_t r = first_range[plan.hist_offset[o] + accum_bin(&plan.hist[o], x)];
            int32_t counter = accum_range_counter(ranges, range_count, r, o, x);
            if (counter >= 0) atomicAdd(&counts[counter], 1ull);
        }
    }
}

typedef void (*refine_kernel_fn)(const draw_plan, const float *, const accum_range *, int,
                                 const int32_t *, unsigned long long *);

#define CUDA_REFINE_LAUNCH_DRAWS (65536ull * LAUNCH_UNIT_DRAWS)   /* 2^30 draws per launch */

extern "C" int cuda_api_refine(const draw_plan *plan, const float *data,
                               const cuda_launch *launch, const accum_range *ranges,
                               int range_count, const int32_t *first_range, int count_total,
                               uint64_t *counts, cuda_progress_fn progress, void *context,
                               char *err, size_t errlen)
{
    int status = CUDA_API_OK;
    float *device_data = NULL;
    int32_t *device_first_range = NULL;
    accum_range *device_ranges = NULL;
    unsigned long long *device_counts = NULL, *host_counts = NULL;
    const size_t count_bytes = (size_t)count_total * sizeof(unsigned long long);
    const size_t range_bytes = (size_t)range_count * sizeof *ranges;
    const size_t table_bytes = (size_t)plan->hist_total * sizeof(int32_t);
    cudaDeviceProp properties;
    cuda_pipeline pipeline;
    memset(&pipeline, 0, sizeof pipeline);
    size_t value_bytes = 0;
    refine_kernel_fn kernel = plan_general_kernels(plan) ? cuda_refine_kernel<true>
                                                 : cuda_refine_kernel<false>;
    if (count_total <= 0) return CUDA_API_OK;
    if ((status = cuda_select_device(launch->device, &properties, err, errlen)) ||
        (status = cuda_value_file_bytes(plan, 256, 0, &properties, &value_bytes, err, errlen)))
        return status;
    host_counts = (unsigned long long *)malloc(count_bytes);
    if (!host_counts) {
        snprintf(err, errlen, "out of memory");
        return CUDA_API_RUNTIME;
    }
    if ((status = cuda_upload_data(data, plan->data_count, &device_data, err, errlen))) goto fail;
    CUDA_CHECK(cudaMalloc((void **)&device_ranges, range_bytes));
    CUDA_CHECK(cudaMemcpy(device_ranges, ranges, range_bytes, cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMalloc((void **)&device_first_range, table_bytes));
    CUDA_CHECK(cudaMemcpy(device_first_range, first_range, table_bytes, cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMalloc((void **)&device_counts, count_bytes));
    if ((status = cuda_pipeline_open(&pipeline, 0, err, errlen))) goto fail;
    CUDA_CHECK(cudaMemsetAsync(device_counts, 0, count_bytes, pipeline.stream));
    if (value_bytes)
        CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        (int)value_bytes));
    {
        /* Bounded launches (a display's watchdog kills long kernels), each a plan of its own;
         * launch k is queued before the host waits for launch k - 1 to report progress, so the
         * device never waits for the host (cuda_pipeline.h). */
        const uint64_t step = launch->launch_units > 0
                                  ? (uint64_t)launch->launch_units * LAUNCH_UNIT_DRAWS
                                  : CUDA_REFINE_LAUNCH_DRAWS;
        uint64_t k = 0, queued = 0, previous_done = 0;
        for (; queued < plan->draws; k++) {
            draw_plan part = *plan;
            part.first_draw = plan->first_draw + queued;
            part.draws = plan->draws - queued < step ? plan->draws - queued : step;
            kernel<<<cuda_grid_blocks(launch, &properties), 256, value_bytes, pipeline.stream>>>(
                part, device_data, device_ranges, range_count, device_first_range,
                device_counts);
            if ((status = cuda_pipeline_queue(&pipeline, k, 0, "cuda_refine_kernel", err,
                                              errlen)))
                goto fail;
            if (k > 0) {
                if ((status = cuda_pipeline_wait(&pipeline, k - 1, err, errlen))) goto fail;
                if (progress) progress(context, previous_done, plan->draws);
            }
            queued += part.draws;
            previous_done = queued;
        }
        if (k > 0) {
            if ((status = cuda_pipeline_wait(&pipeline, k - 1, err, errlen))) goto fail;
            if (progress) progress(context, previous_done, plan->draws);
        }
    }
    CUDA_CHECK(cudaMemcpyAsync(host_counts, device_counts, count_bytes, cudaMemcpyDeviceToHost,
                               pipeline.stream));
    CUDA_CHECK(cudaStreamSynchronize(pipeline.stream));
    for (int k = 0; k < count_total; k++) counts[k] += host_counts[k];
fail:
    cuda_pipeline_close(&pipeline);
    if (device_data) cudaFree(device_data);
    if (device_counts) cudaFree(device_counts);
    if (device_first_range) cudaFree(device_first_range);
    if (device_ranges) cudaFree(device_ranges);
    free(host_counts);
    return status;
}
