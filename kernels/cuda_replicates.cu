/* cuda_replicates.cu: rqmc's per-replicate work on the device (DESIGN.md section 11, issue 18):
 * each replicate's sums of (x - shift) and (x - shift)^2 per reported output
 * (cuda_api_replicate_sums), and each replicate's count of values at or below thresholds
 * (cuda_api_replicate_counts, for the quantiles' intervals). One thread per (replicate r,
 * segment of consecutive points of r): it evaluates the draws k R + r of its points in order
 * (draw_eval_in, the words of draw_qmc_word), so each partial is one thread's sequential double
 * sum, fixed by the plan alone (not by the launch shape); the host adds the partials exactly
 * (host/state.c run_state_add_replicate). Counts are integer atomics.
 * Napkin math: an rqmc draw's words cost about 9 Philox blocks and 32 masked XORs per dimension
 * (draw_qmc_word: roughly 1,500 instructions for 6 dimensions, 3-4x a Monte Carlo draw's), the
 * model and priors what they cost in cuda_run.cu, the sums 2 double adds and a multiply per
 * output. It is a second pass over a run's draws after cuda_run.cu's moments and histogram;
 * rqmc needs 10^2-10^3 times fewer draws than Monte Carlo for the same means, so the pass is
 * cheap next to what it saves. Fusing it into the run kernel is left for when a GPU has run
 * this code. */
#include <stdlib.h>
#include <string.h>

#include "cuda_check.h"
#include "cuda_words.cuh"
#include "draw.h"

#define CUDA_REPLICATE_ITEMS (1u << 18)   /* (replicate, segment) items at most per pass */
#define CUDA_REPLICATE_THREADS 128

/* Points per segment for a plan of `points` points per replicate: 256, doubled until the
 * items (replicates x segments) are at most CUDA_REPLICATE_ITEMS. A function of the plan
 * alone, so partials do not depend on the launch. */
static uint64_t segment_points(uint64_t points, uint64_t replicates)
{
    uint64_t segment = 256;
    while (replicates * ((points + segment - 1) / segment) > CUDA_REPLICATE_ITEMS) segment *= 2;
    return segment;
}

/* Per (replicate, segment) item: the draws of [plan.first_draw, plan.first_draw + plan.draws)
 * in replicate r whose points lie in the segment, in point order. COUNTS: add 1 to
 * counts[r * count + k] for each value of reported output outputs[k] at or below
 * thresholds[k]; else write the item's n, sum and sum of squares of each reported output to
 * partials[(item * output_count + o) * 3 + 0..2]. */
template <bool COUNTS>
__device__ __forceinline__ void replicates_body(const draw_plan &plan, const float *data,
                                                uint64_t first_point, uint64_t segment,
                                                uint64_t items, double *partials, int count,
                                                const int *outputs, const float *thresholds,
                                                unsigned long long *counts)
{
    extern __shared__ float value_files[];
    float *values = value_files + threadIdx.x;
    const uint64_t replicates = (uint64_t)plan.replicates;
    const uint64_t first = plan.first_draw, end = plan.first_draw + plan.draws;
    const uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
    for (uint64_t item = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; item < items;
         item += stride) {
        const uint64_t r = item % replicates, k0 = first_point + (item / replicates) * segment;
        double n[MODEL_OUTPUT_COUNT], sum[MODEL_OUTPUT_COUNT], squares[MODEL_OUTPUT_COUNT];
        for (int o = 0; o < MODEL_OUTPUT_COUNT; o++) n[o] = sum[o] = squares[o] = 0;
        for (uint64_t k = k0; k < k0 + segment; k++) {
            const uint64_t draw = k * replicates + r;
            if (draw >= end) break;
            if (draw < first) continue;
            uint32_t words[DRAW_MAX_WORDS];
            float inputs[DRAW_INPUT_SLOTS], outputs_of_draw[DRAW_OUTPUTS];
            cuda_plan_words<true>(plan, draw, words);
            draw_eval_in(&plan, data, draw, words, inputs, outputs_of_draw, values, blockDim.x);
            /* COUNTS: the thresholds; else the sums (count is 0 then) */
            for (int j = 0; j < count; j++) {
                float x = draw_pick_any(outputs_of_draw, plan.outputs[outputs[j]]);
                if (x <= thresholds[j] && accum_is_finite(x))
                    atomicAdd(&counts[r * (uint64_t)count + (uint64_t)j], 1ull);
            }
            const int summed = COUNTS ? 0 : plan.output_count;
            for (int o = 0; o < summed && o < MODEL_OUTPUT_COUNT; o++) {
                float x = draw_pick_any(outputs_of_draw, plan.outputs[o]);
                if (!accum_is_finite(x)) continue;
                double d = (double)x - (double)plan.shift[o];
                n[o] += 1;
                sum[o] += d;
                squares[o] += d * d;
            }
        }
        if (!COUNTS)
            for (int o = 0; o < plan.output_count && o < MODEL_OUTPUT_COUNT; o++) {
                double *p = partials + (item * (uint64_t)plan.output_count + (uint64_t)o) * 3;
                p[0] = n[o];
                p[1] = sum[o];
                p[2] = squares[o];
            }
    }
}

/* The two passes as kernels of their own names (the ptxas budgets of tests/test_ptxas.py). */
__global__ void cuda_replicate_sums_kernel(const __grid_constant__ draw_plan plan,
                                           const float *data, uint64_t first_point,
                                           uint64_t segment, uint64_t items, double *partials,
                                           int count, const int *outputs,
                                           const float *thresholds, unsigned long long *counts)
{
    replicates_body<false>(plan, data, first_point, segment, items, partials, 0, outputs,
                           thresholds, counts);
}

__global__ void cuda_replicate_counts_kernel(const __grid_constant__ draw_plan plan,
                                             const float *data, uint64_t first_point,
                                             uint64_t segment, uint64_t items, double *partials,
                                             int count, const int *outputs,
                                             const float *thresholds, unsigned long long *counts)
{
    replicates_body<true>(plan, data, first_point, segment, items, partials, count, outputs,
                          thresholds, counts);
}

/* The items of a pass over the plan's draws: its first point, segment and item count. */
static void pass_items(const draw_plan *plan, uint64_t *first_point, uint64_t *segment,
                       uint64_t *items)
{
    const uint64_t replicates = (uint64_t)plan->replicates;
    const uint64_t first = plan->first_draw / replicates;
    const uint64_t end = (plan->first_draw + plan->draws + replicates - 1) / replicates;
    *segment = segment_points(end - first, replicates);
    *first_point = first;
    *items = replicates * ((end - first + *segment - 1) / *segment);
}

/* One pass over the plan's draws on launch's device: the counts (COUNTS) or the sums. */
template <bool COUNTS>
static int replicate_pass(const draw_plan *plan, const float *data, const cuda_launch *launch,
                          double *host_partials, int count, const int *outputs,
                          const float *thresholds, uint64_t *host_counts, char *err,
                          size_t errlen)
{
    int status = CUDA_API_OK;
    float *device_data = NULL, *device_thresholds = NULL;
    int *device_outputs = NULL;
    double *device_partials = NULL;
    unsigned long long *device_counts = NULL, *counts_back = NULL;
    uint64_t first_point, segment, items;
    pass_items(plan, &first_point, &segment, &items);
    const size_t partial_bytes =
        COUNTS ? 0 : (size_t)items * (size_t)plan->output_count * 3 * sizeof(double);
    const size_t count_bytes =
        COUNTS ? (size_t)plan->replicates * (size_t)count * sizeof(unsigned long long) : 0;
    cudaDeviceProp properties;
    size_t value_bytes = 0;
    void (*kernel)(const draw_plan, const float *, uint64_t, uint64_t, uint64_t, double *, int,
                   const int *, const float *, unsigned long long *) =
        COUNTS ? cuda_replicate_counts_kernel : cuda_replicate_sums_kernel;
    if ((status = cuda_select_device(launch->device, &properties, err, errlen)) ||
        (status = cuda_value_file_bytes(plan, CUDA_REPLICATE_THREADS, 0, &properties,
                                        &value_bytes, err, errlen)))
        return status;
    if ((status = cuda_upload_data(data, plan->data_count, &device_data, err, errlen))) goto fail;
    if (COUNTS) {
        counts_back = (unsigned long long *)malloc(count_bytes);
        if (!counts_back) {
            snprintf(err, errlen, "out of memory");
            status = CUDA_API_RUNTIME;
            goto fail;
        }
        CUDA_CHECK(cudaMalloc((void **)&device_counts, count_bytes));
        CUDA_CHECK(cudaMemset(device_counts, 0, count_bytes));
        CUDA_CHECK(cudaMalloc((void **)&device_outputs, (size_t)count * sizeof(int)));
        CUDA_CHECK(cudaMemcpy(device_outputs, outputs, (size_t)count * sizeof(int),
                              cudaMemcpyHostToDevice));
        CUDA_CHECK(cudaMalloc((void **)&device_thresholds, (size_t)count * sizeof(float)));
        CUDA_CHECK(cudaMemcpy(device_thresholds, thresholds, (size_t)count * sizeof(float),
                              cudaMemcpyHostToDevice));
    } else {
        CUDA_CHECK(cudaMalloc((void **)&device_partials, partial_bytes));
    }
    if (value_bytes)
        CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        (int)value_bytes));
    {
        uint64_t blocks = (items + CUDA_REPLICATE_THREADS - 1) / CUDA_REPLICATE_THREADS;
        kernel<<<(unsigned)blocks, CUDA_REPLICATE_THREADS, value_bytes>>>(
            *plan, device_data, first_point, segment, items, device_partials, count,
            device_outputs, device_thresholds, device_counts);
    }
    CUDA_CHECK_LAUNCH(COUNTS ? "cuda_replicate_counts_kernel" : "cuda_replicate_sums_kernel");
    CUDA_CHECK(cudaDeviceSynchronize());
    if (COUNTS) {
        CUDA_CHECK(cudaMemcpy(counts_back, device_counts, count_bytes, cudaMemcpyDeviceToHost));
        for (size_t k = 0; k < (size_t)plan->replicates * (size_t)count; k++)
            host_counts[k] += counts_back[k];
    } else {
        CUDA_CHECK(cudaMemcpy(host_partials, device_partials, partial_bytes,
                              cudaMemcpyDeviceToHost));
    }
fail:
    if (device_data) cudaFree(device_data);
    if (device_partials) cudaFree(device_partials);
    if (device_counts) cudaFree(device_counts);
    if (device_outputs) cudaFree(device_outputs);
    if (device_thresholds) cudaFree(device_thresholds);
    free(counts_back);
    return status;
}

extern "C" uint64_t cuda_api_replicate_items(const draw_plan *plan)
{
    uint64_t first_point, segment, items;
    pass_items(plan, &first_point, &segment, &items);
    return items;
}

extern "C" int cuda_api_replicate_sums(const draw_plan *plan, const float *data,
                                       const cuda_launch *launch, double *partials, char *err,
                                       size_t errlen)
{
    if (plan->output_count > MODEL_OUTPUT_COUNT) {
        snprintf(err, errlen, "%d reported outputs: the GPU takes at most %d", plan->output_count,
                 MODEL_OUTPUT_COUNT);
        return CUDA_API_INPUT;
    }
    return replicate_pass<false>(plan, data, launch, partials, 0, NULL, NULL, NULL, err, errlen);
}

extern "C" int cuda_api_replicate_counts(const draw_plan *plan, const float *data,
                                         const cuda_launch *launch, int count, const int *outputs,
                                         const float *thresholds, uint64_t *counts, char *err,
                                         size_t errlen)
{
    return replicate_pass<true>(plan, data, launch, NULL, count, outputs, thresholds, counts,
                                err, errlen);
}
