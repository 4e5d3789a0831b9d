/* cuda_run.cu: the CUDA backend's one fused kernel: each lane draws its parameters with cuRAND's
 * Philox4x32-10 (the blocks of stream (seed, draw), cuda_words.cuh; the CPU's philox.h
 * reproduces them), evaluates
 * them with draw_eval (kernels/draw.h) and accumulates LAUNCH_LANE_DRAWS consecutive draws in
 * float (accum_lane, shifted by the pilot mean) plus integer histogram counts in shared memory;
 * the 256 lanes of a work unit then reduce in a fixed tree (kernels/reduce.h: a shuffle tree
 * per warp, then the unit's warps in warp order), so a unit's partial sums do not depend on the
 * grid size or on how many units share a block. The index math is kernels/launch.h; the host
 * merges unit partials in unit order (host/state.h).
 *
 * Napkin math per draw (GPT-3 training scenario: 6 uncertain inputs, 6 outputs): 2 Philox
 * blocks (exactly those the 6 words need; curand_init + curand4 computed a third, unused) x ~40
 * instructions = ~80; 6 uniforms x ~3 = ~18; 4 normal quantiles (both of Giles' polynomials,
 * branch-free) x ~45 and 4 exps x ~15 = ~240; triangular + uniform ~25; model ~20; 6 outputs x
 * (shift, fma, min, max, key, bin, shared atomic) ~12 = ~72. About 460 instructions per draw,
 * so an H100 (132 SMs x 4 x 32 lanes x 1.98 GHz = 3.3e13 lane-instructions/s) tops out near
 * 7.2e10 draws/s at full issue; the 5e10 draws/s target (DESIGN.md section 7) needs ~70 %.
 * Memory traffic is negligible: only unit partials (6 x 40 B per 16,384 draws) leave the chip. */
#include <stdlib.h>
#include <string.h>

#include "cuda_check.h"
#include "cuda_pipeline.h"
#include "cuda_words.cuh"
#include "draw.h"
#include "launch.h"
#include "reduce.h"

#define CUDA_MAX_BLOCK_THREADS 512   /* launch bound: 128 registers at most per thread */
/* The run kernels' register allocation: ptxas's choice under __launch_bounds__(512) (89-128
 * registers for 5-13 outputs, so 16-24 warps per multiprocessor), or a cap for the timing
 * variants of bench/gpu_check.sh (-DTHIRST_RUN_MAX_REGISTERS=64: 32 warps, some spills). */
#ifndef THIRST_RUN_MAX_REGISTERS
#define THIRST_RUN_MAX_REGISTERS 0
#endif
#if THIRST_RUN_MAX_REGISTERS > 0
static_assert(THIRST_RUN_MAX_REGISTERS <= 65536 / CUDA_MAX_BLOCK_THREADS,
              "a register cap above 128 would not launch blocks of 512 threads");
#define RUN_KERNEL_BOUNDS __maxnreg__(THIRST_RUN_MAX_REGISTERS)
#else
#define RUN_KERNEL_BOUNDS __launch_bounds__(CUDA_MAX_BLOCK_THREADS)
#endif
#define CUDA_MAX_LAUNCH_UNITS 65536  /* units per launch (bounds the partials buffer) */

/* A launch's shared-memory histogram counters are 32-bit: one launch's draws must fit. */
static_assert((uint64_t)CUDA_MAX_LAUNCH_UNITS * LAUNCH_UNIT_DRAWS < (1ull << 32),
              "a launch's draws overflow the shared histogram's counters");

/* The moments of every lane of a warp combined by the shuffle tree (reduce.h's order); lane 0
 * of the warp holds the result. */
static __device__ __forceinline__ accum_moments warp_tree(accum_moments m)
{
    for (int offset = REDUCE_FIRST_OFFSET; offset > 0; offset /= 2) {
        accum_moments other;
        other.n = __shfl_down_sync(0xffffffffu, m.n, offset);
        other.sum = __shfl_down_sync(0xffffffffu, m.sum, offset);
        other.sum_squares = __shfl_down_sync(0xffffffffu, m.sum_squares, offset);
        other.min = __shfl_down_sync(0xffffffffu, m.min, offset);
        other.max = __shfl_down_sync(0xffffffffu, m.max, offset);
        other.nonfinite = __shfl_down_sync(0xffffffffu, m.nonfinite, offset);
        m = accum_moments_combine(m, other);
    }
    return m;
}

/* Units [0, unit_count) of a launch that starts at unit first_unit of the plan's draws:
 * partials[u * OUTPUTS + o] gets unit u's moments of reported output o; histogram counts are
 * added to global_hist. OUTPUTS is the plan's number of reported outputs, so only those carry
 * accumulators (registers). FORMULAS: the general instantiation, for a plan with formulas or
 * correlated inputs (plan_general_kernels); each thread's value file is in the dynamic shared
 * memory after the histogram (value k at k * blockDim.x), its per-draw arrays hold the user's
 * parameters and outputs too, and without it the kernel has no formula or copula code. */
template <int OUTPUTS, bool FORMULAS>
__global__ void RUN_KERNEL_BOUNDS
cuda_run_kernel(const __grid_constant__ draw_plan plan, uint64_t first_unit, uint64_t unit_count,
                const float *data, accum_moments *partials, unsigned long long *global_hist,
                int use_shared_hist)
{
    extern __shared__ unsigned int block_hist[];
    __shared__ accum_moments warp_result[CUDA_MAX_BLOCK_THREADS / LAUNCH_WARP];
    const int lane = threadIdx.x % LAUNCH_UNIT_LANES, slot = threadIdx.x / LAUNCH_UNIT_LANES;
    const int slots = launch_block_slots(blockDim.x), warp = threadIdx.x / LAUNCH_WARP;
    float *values = FORMULAS ? reinterpret_cast<float *>(block_hist) +
                                   (use_shared_hist ? plan.hist_total : 0) + threadIdx.x
                             : NULL;
    if (use_shared_hist)
        for (int k = threadIdx.x; k < plan.hist_total; k += blockDim.x) block_hist[k] = 0;
    __syncthreads();

    for (uint64_t step = 0;; step++) {
        /* Every slot of the block steps together (the reduction synchronises the block). */
        if (launch_slot_unit(blockIdx.x, gridDim.x, slots, 0, step) >= unit_count) break;
        const uint64_t unit = launch_slot_unit(blockIdx.x, gridDim.x, slots, slot, step);
        const bool active = unit < unit_count;
        accum_lane acc[OUTPUTS];
#pragma unroll
        for (int o = 0; o < OUTPUTS; o++) acc[o] = accum_lane_empty();
        const int draws = active ? launch_lane_draws(plan.first_draw, plan.draws,
                                                     first_unit + unit, lane) : 0;
        const uint64_t first = launch_lane_first(plan.first_draw, first_unit + unit, lane);
        for (int d = 0; d < draws; d++) {
            uint32_t words[DRAW_MAX_WORDS];
            float inputs[FORMULAS ? DRAW_INPUT_SLOTS : MODEL_SLOT_COUNT];
            float outputs[FORMULAS ? DRAW_OUTPUTS : MODEL_OUTPUT_COUNT];
            cuda_plan_words<FORMULAS>(plan, first + d, words);
            draw_eval_in(&plan, data, first + d, words, inputs, outputs, values, blockDim.x);
#pragma unroll
            for (int o = 0; o < OUTPUTS; o++) {
                float x = FORMULAS ? draw_pick_any(outputs, plan.outputs[o])
                                   : draw_pick(outputs, plan.outputs[o]);
                if (!accum_lane_add(&acc[o], x, plan.shift[o])) continue;
                int bin = plan.hist_offset[o] + accum_bin(&plan.hist[o], x);
                if (use_shared_hist) atomicAdd(&block_hist[bin], 1u);
                else atomicAdd(&global_hist[bin], 1ull);
            }
        }
        /* Fixed-order reduction of the unit's 256 lanes (reduce.h). */
#pragma unroll
        for (int o = 0; o < OUTPUTS; o++) {
            accum_moments m = warp_tree(accum_lane_moments(acc[o]));
            if (threadIdx.x % LAUNCH_WARP == 0) warp_result[warp] = m;
            __syncthreads();
            if (active && lane == 0)
                partials[unit * OUTPUTS + o] =
                    reduce_unit_warps(&warp_result[slot * LAUNCH_UNIT_WARPS]);
            __syncthreads();
        }
    }
    if (use_shared_hist) {
        __syncthreads();
        for (int k = threadIdx.x; k < plan.hist_total; k += blockDim.x)
            if (block_hist[k]) atomicAdd(&global_hist[k], (unsigned long long)block_hist[k]);
    }
}

/* The kernel instantiated for the plan's number of reported outputs, with or without formulas:
 * one instantiation per count 1..MODEL_OUTPUT_COUNT each, listed by template recursion, so a new
 * output needs no edit. */
typedef void (*run_kernel_fn)(const draw_plan, uint64_t, uint64_t, const float *, accum_moments *,
                              unsigned long long *, int);
template <int N> struct run_kernel_table {
    static void fill(run_kernel_fn *table)
    {
        table[N - 1] = cuda_run_kernel<N, false>;
        table[MODEL_OUTPUT_COUNT + N - 1] = cuda_run_kernel<N, true>;
        run_kernel_table<N - 1>::fill(table);
    }
};
template <> struct run_kernel_table<0> {
    static void fill(run_kernel_fn *) {}
};
static run_kernel_fn run_kernel_for(int outputs, int formulas)
{
    run_kernel_fn table[2 * MODEL_OUTPUT_COUNT];
    run_kernel_table<MODEL_OUTPUT_COUNT>::fill(table);
    return table[(formulas ? MODEL_OUTPUT_COUNT : 0) + outputs - 1];
}

/* Hand launch k's unit partials (count units from first_unit, landed in the pipeline's host
 * buffer) to on_units, in launch order. */
static int deliver_launch(cuda_pipeline *pipeline, uint64_t k, uint64_t first_unit,
                          uint64_t count, const draw_plan *plan, cuda_units_fn on_units,
                          void *context, char *err, size_t errlen)
{
    int status = cuda_pipeline_wait(pipeline, k, err, errlen);
    if (status) return status;
    const uint64_t done = (first_unit + count) * LAUNCH_UNIT_DRAWS;
    on_units(context, count, (const accum_moments *)pipeline->host[k % 2],
             done < plan->draws ? done : plan->draws);
    return CUDA_API_OK;
}

extern "C" int cuda_api_run(const draw_plan *plan, const float *data, const cuda_launch *launch,
                            cuda_units_fn on_units, void *context, uint64_t *hist, char *err,
                            size_t errlen)
{
    int status = CUDA_API_OK;
    float *device_data = NULL;
    unsigned long long *device_hist = NULL, *host_hist = NULL;
    cuda_pipeline pipeline;
    cudaDeviceProp properties;
    cudaFuncAttributes attributes;
    memset(&pipeline, 0, sizeof pipeline);
    if ((status = cuda_select_device(launch->device, &properties, err, errlen))) return status;

    const int block_threads = launch->block_threads ? launch->block_threads : LAUNCH_UNIT_LANES;
    if (block_threads % LAUNCH_UNIT_LANES || block_threads <= 0 ||
        block_threads > CUDA_MAX_BLOCK_THREADS) {
        snprintf(err, errlen, "CUDA block size %d: expected a multiple of %d up to %d",
                 block_threads, LAUNCH_UNIT_LANES, CUDA_MAX_BLOCK_THREADS);
        return CUDA_API_INPUT;
    }
    if (plan->output_count > MODEL_OUTPUT_COUNT) {
        snprintf(err, errlen, "%d reported outputs: the GPU takes at most %d (use --backend cpu)",
                 plan->output_count, MODEL_OUTPUT_COUNT);
        return CUDA_API_INPUT;
    }
    run_kernel_fn kernel = run_kernel_for(plan->output_count, plan_general_kernels(plan));
    const int grid_blocks = cuda_grid_blocks(launch, &properties);
    const uint64_t units = launch_unit_count(plan->draws, LAUNCH_UNIT_DRAWS);
    const uint64_t most = launch->launch_units > 0 && launch->launch_units < CUDA_MAX_LAUNCH_UNITS
                              ? (uint64_t)launch->launch_units : CUDA_MAX_LAUNCH_UNITS;
    const uint64_t launch_units = units < most ? units : most;
    const size_t unit_bytes = (size_t)plan->output_count * sizeof(accum_moments);
    const size_t hist_bytes = (size_t)plan->hist_total * sizeof(unsigned long long);
    const size_t shared_bytes = (size_t)plan->hist_total * sizeof(unsigned int);
    /* With formulas, each thread's value file follows the histogram in shared memory. */
    size_t value_bytes = 0;
    if ((status = cuda_value_file_bytes(plan, block_threads, 8192, &properties, &value_bytes, err,
                                        errlen)))
        return status;
    const int use_shared_hist = !launch->global_histogram &&
                                shared_bytes + value_bytes + 8192 <=
                                    (size_t)properties.sharedMemPerBlockOptin;
    const size_t dynamic_bytes = (use_shared_hist ? shared_bytes : 0) + value_bytes;
    uint64_t k = 0, first_unit = 0, previous_first = 0, previous_count = 0;

    host_hist = (unsigned long long *)malloc(hist_bytes);
    if (!host_hist) {
        snprintf(err, errlen, "out of memory");
        status = CUDA_API_RUNTIME;
        goto fail;
    }
    if ((status = cuda_upload_data(data, plan->data_count, &device_data, err, errlen))) goto fail;
    if ((status = cuda_pipeline_open(&pipeline, (size_t)launch_units * unit_bytes, err, errlen)))
        goto fail;
    CUDA_CHECK(cudaMalloc((void **)&device_hist, hist_bytes));
    CUDA_CHECK(cudaMemsetAsync(device_hist, 0, hist_bytes, pipeline.stream));
    CUDA_CHECK(cudaFuncGetAttributes(&attributes, kernel));
    if (block_threads > attributes.maxThreadsPerBlock) {
        snprintf(err, errlen, "CUDA block size %d: this kernel allows at most %d threads per block",
                 block_threads, attributes.maxThreadsPerBlock);
        status = CUDA_API_INPUT;
        goto fail;
    }
    if (dynamic_bytes)
        CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        (int)dynamic_bytes));

    /* Launch k runs while the host merges launch k - 1 (cuda_pipeline.h). */
    for (; first_unit < units; first_unit += launch_units, k++) {
        uint64_t count = units - first_unit < launch_units ? units - first_unit : launch_units;
        kernel<<<grid_blocks, block_threads, dynamic_bytes, pipeline.stream>>>(
            *plan, first_unit, count, device_data, (accum_moments *)pipeline.device[k % 2],
            device_hist, use_shared_hist);
        if ((status = cuda_pipeline_queue(&pipeline, k, (size_t)count * unit_bytes,
                                          "cuda_run_kernel", err, errlen)))
            goto fail;
        if (k > 0 && (status = deliver_launch(&pipeline, k - 1, previous_first, previous_count,
                                              plan, on_units, context, err, errlen)))
            goto fail;
        previous_first = first_unit;
        previous_count = count;
    }
    if (k > 0 && (status = deliver_launch(&pipeline, k - 1, previous_first, previous_count, plan,
                                          on_units, context, err, errlen)))
        goto fail;
    CUDA_CHECK(cudaMemcpyAsync(host_hist, device_hist, hist_bytes, cudaMemcpyDeviceToHost,
                               pipeline.stream));
    CUDA_CHECK(cudaStreamSynchronize(pipeline.stream));
    for (int b = 0; b < plan->hist_total; b++) hist[b] += host_hist[b];
fail:
    cuda_pipeline_close(&pipeline);
    if (device_data) cudaFree(device_data);
    if (device_hist) cudaFree(device_hist);
    free(host_hist);
    return status;
}
