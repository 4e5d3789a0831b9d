/* cuda_refine.cu: the refinement pass of exact quantiles (host/quantile.h) on the device:
 * every thread re-draws draws in a grid-stride loop, evaluates the model, and for each reported
 * output whose value falls in one of the pass's key ranges adds one to that range's sub-bin
 * (integer atomics in global memory, so the counts do not depend on the launch shape).
 * Napkin math: the same ~430 instructions per draw as cuda_run.cu to re-draw, plus a few
 * compares per output; the atomics are rare (only values inside the ranges, a few per cent of
 * draws), so a pass costs about what the first pass does. */
#include <stdlib.h>

#include "../host/backend_cuda.h"
#include "../host/quantile.h"
#include "cuda_check.h"
#include "cuda_words.cuh"
#include "model.h"

__constant__ draw_plan c_refine_plan;
__constant__ int c_range_count;
__constant__ accum_hist_spec c_hist[MODEL_OUTPUT_COUNT];

__global__ void cuda_refine_kernel(const float *prior_data, const quantile_range *ranges,
                                   const int32_t *first_range, unsigned long long *counts)
{
    const uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
    const uint64_t end = c_refine_plan.first_draw + c_refine_plan.draws;
    for (uint64_t i = c_refine_plan.first_draw + (uint64_t)blockIdx.x * blockDim.x + threadIdx.x;
         i < end; i += stride) {
        uint32_t words[DRAW_MAX_WORDS];
        float inputs[MODEL_SLOT_COUNT], outputs[MODEL_OUTPUT_COUNT];
        cuda_draw_words(c_refine_plan.seed, i, c_refine_plan.word_count, words);
        draw_eval(&c_refine_plan, prior_data, i, words, inputs, outputs);
        for (int o = 0; o < c_refine_plan.output_count; o++) {
            float x = draw_reported(&c_refine_plan, outputs, o);
            int r = first_range[c_refine_plan.hist_offset[o] + accum_bin(&c_hist[o], x)];
            if (r < 0) continue;
            uint32_t key = accum_key(x);
            for (; r < c_range_count && ranges[r].output == o && key >= ranges[r].key_low; r++)
                if (key <= ranges[r].key_high) {
                    atomicAdd(&counts[ranges[r].offset +
                                      ((key - ranges[r].key_low) >> ranges[r].shift)],
                              1ull);
                    break;
                }
        }
    }
}

extern "C" int backend_cuda_refine(const draw_plan *plan, const float *data,
                        const engine_options *options,
                                   const struct quantile_range_s *ranges, int range_count,
                                   const int32_t *first_range, int count_total, uint64_t *counts,
                                   char *err, size_t errlen)
{
    int status = 0;
    float *device_prior_data = NULL;
    int32_t *device_first_range = NULL;
    quantile_range *device_ranges = NULL;
    unsigned long long *device_counts = NULL;
    const size_t count_bytes = (size_t)count_total * sizeof(unsigned long long);
    cudaDeviceProp properties;
    if ((status = cuda_select_device(options->device, &properties, err, errlen))) return status;
    CUDA_CHECK(cudaMemcpyToSymbol(c_refine_plan, plan, sizeof *plan));
    CUDA_CHECK(cudaMalloc((void **)&device_ranges, (size_t)range_count * sizeof *ranges));
    CUDA_CHECK(cudaMemcpy(device_ranges, ranges, (size_t)range_count * sizeof *ranges,
                          cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpyToSymbol(c_range_count, &range_count, sizeof range_count));
    CUDA_CHECK(cudaMemcpyToSymbol(c_hist, plan->hist, sizeof plan->hist));
    CUDA_CHECK(cudaMalloc((void **)&device_first_range, (size_t)plan->hist_total * sizeof(int32_t)));
    CUDA_CHECK(cudaMemcpy(device_first_range, first_range,
                          (size_t)plan->hist_total * sizeof(int32_t), cudaMemcpyHostToDevice));
    if ((status = cuda_upload_prior_data(data, plan->data_count,
                                         &device_prior_data, err, errlen)))
        goto fail;
    CUDA_CHECK(cudaMalloc((void **)&device_counts, count_bytes));
    CUDA_CHECK(cudaMemset(device_counts, 0, count_bytes));
    cuda_refine_kernel<<<properties.multiProcessorCount * 8, 256>>>(
        device_prior_data, device_ranges, device_first_range, device_counts);
    CUDA_CHECK_LAUNCH("cuda_refine_kernel");
    CUDA_CHECK(cudaMemcpy(counts, device_counts, count_bytes, cudaMemcpyDeviceToHost));
fail:
    if (device_prior_data) cudaFree(device_prior_data);
    if (device_counts) cudaFree(device_counts);
    if (device_first_range) cudaFree(device_first_range);
    if (device_ranges) cudaFree(device_ranges);
    return status;
}
