/* cuda_run.cu: the CUDA backend's one fused kernel: each thread draws its parameters with
 * cuRAND (curand_init(seed, draw, 0) + curand4, the stream the CPU's philox.h reproduces),
 * evaluates the shared model (kernels/model.h) and accumulates moments in float over
 * CUDA_LANE_DRAWS consecutive draws (shifted by the pilot mean) plus integer histogram counts
 * in shared memory; the 256 lanes of a work unit then reduce in a fixed tree order, so a unit's
 * partial sums do not depend on the grid size or on how many units share a block. The host
 * merges unit partials in unit order.
 *
 * Napkin math per draw (GPT-3 training scenario: 6 uncertain inputs, 6 outputs): 3 Philox
 * blocks (curand_init computes one, each curand4 computes the next: 2 used + 1 ahead) x ~40
 * instructions = ~120; 6 uniforms x ~3 = ~18; 4 normal quantiles (both of Giles' polynomials,
 * branch-free) x ~45 and 4 exps x ~15 = ~240; triangular + uniform ~25; model ~20; 6 outputs x
 * (shift, fma, min, max, key, bin, shared atomic) ~12 = ~72. About 500 instructions per draw,
 * so an H100 (132 SMs x 4 x 32 lanes x 1.98 GHz = 3.3e13 lane-instructions/s) tops out near
 * 6.6e10 draws/s at full issue; the 5e10 draws/s target (DESIGN.md section 7) needs ~75 %.
 * Memory traffic is negligible: only unit partials (6 x 40 B per 16,384 draws) leave the chip. */
#include <curand_kernel.h>
#include <stdlib.h>
#include <string.h>

#include "../host/backend_cuda.h"
#include "../host/status.h"
#include "cuda_check.h"
#include "cuda_words.cuh"
#include "draw.h"
#include "model.h"

#define WARP 32
#define CUDA_MAX_BLOCK_THREADS 512   /* launch bound: 128 registers at most per thread */

/* The plan's per-output constants, indexed by report position (0..output_count-1). */
typedef struct {
    int model_output[MODEL_OUTPUT_COUNT];   /* enum model_output of each reported output */
    int hist_offset[MODEL_OUTPUT_COUNT];
    float shift[MODEL_OUTPUT_COUNT];
    accum_hist_spec hist[MODEL_OUTPUT_COUNT];
} cuda_output_layout;

__constant__ draw_plan c_plan;
__constant__ cuda_output_layout c_layout;

/* Units [first_unit, first_unit + unit_count) of the run; partials[u * OUTPUTS + o] gets unit
 * u's moments of reported output o; histogram counts are added to global_hist. OUTPUTS is the
 * scenario's number of reported outputs, so only those carry accumulators (5 registers each). */
template <int OUTPUTS>
__global__ void __launch_bounds__(CUDA_MAX_BLOCK_THREADS)
cuda_run_kernel(uint64_t first_unit, uint64_t unit_count, const float *prior_data,
                unit_moments *partials, unsigned long long *global_hist, int use_shared_hist)
{
    extern __shared__ unsigned int block_hist[];
    __shared__ double warp_sum[CUDA_MAX_BLOCK_THREADS / WARP];
    __shared__ double warp_squares[CUDA_MAX_BLOCK_THREADS / WARP];
    __shared__ float warp_low[CUDA_MAX_BLOCK_THREADS / WARP], warp_high[CUDA_MAX_BLOCK_THREADS / WARP];
    __shared__ unsigned int warp_n[CUDA_MAX_BLOCK_THREADS / WARP];
    __shared__ unsigned int warp_nonfinite[CUDA_MAX_BLOCK_THREADS / WARP];

    const int lane = threadIdx.x % CUDA_UNIT_LANES, slot = threadIdx.x / CUDA_UNIT_LANES;
    const int slots = blockDim.x / CUDA_UNIT_LANES, warp = threadIdx.x / WARP;
    const int warps_per_unit = CUDA_UNIT_LANES / WARP;
    if (use_shared_hist)
        for (int k = threadIdx.x; k < c_plan.hist_total; k += blockDim.x) block_hist[k] = 0;
    __syncthreads();
    const uint64_t end_draw = c_plan.first_draw + c_plan.draws;

    for (uint64_t base = (uint64_t)blockIdx.x * slots; base < unit_count;
         base += (uint64_t)gridDim.x * slots) {
        const uint64_t unit = base + (uint64_t)slot;
        const bool active = unit < unit_count;
        float sum[OUTPUTS], squares[OUTPUTS], low[OUTPUTS], high[OUTPUTS];
        unsigned int nonfinite[OUTPUTS], draws = 0;
#pragma unroll
        for (int o = 0; o < OUTPUTS; o++) {
            sum[o] = squares[o] = 0.0f;
            low[o] = INFINITY;
            high[o] = -INFINITY;
            nonfinite[o] = 0;
        }
        if (active) {
            uint64_t first = c_plan.first_draw + (first_unit + unit) * CUDA_UNIT_DRAWS +
                             (uint64_t)lane * CUDA_LANE_DRAWS;
            for (int d = 0; d < CUDA_LANE_DRAWS && first + d < end_draw; d++) {
                uint32_t words[DRAW_MAX_WORDS];
                float inputs[MODEL_SLOT_COUNT], outputs[MODEL_OUTPUT_COUNT];
                cuda_draw_words(c_plan.seed, first + d, c_plan.word_count, words);
                draw_eval(&c_plan, prior_data, first + d, words, inputs, outputs);
                draws++;
#pragma unroll
                for (int o = 0; o < OUTPUTS; o++) {
                    float x = draw_pick(outputs, c_layout.model_output[o]);
                    if (!accum_is_finite(x)) {
                        nonfinite[o]++;
                        continue;
                    }
                    float shifted = x - c_layout.shift[o];
                    sum[o] += shifted;
                    squares[o] = fmaf(shifted, shifted, squares[o]);
                    low[o] = fminf(low[o], x);
                    high[o] = fmaxf(high[o], x);
                    int bin = c_layout.hist_offset[o] + accum_bin(&c_layout.hist[o], x);
                    if (use_shared_hist) atomicAdd(&block_hist[bin], 1u);
                    else atomicAdd(&global_hist[bin], 1ull);
                }
            }
        }
        /* Fixed-order reduction of the unit's 256 lanes: a shuffle tree in each warp, then the
         * unit's 8 warps in warp order. */
#pragma unroll
        for (int o = 0; o < OUTPUTS; o++) {
            double s = (double)sum[o], q = (double)squares[o];
            float lo = low[o], hi = high[o];
            unsigned int n = draws - nonfinite[o], bad = nonfinite[o];
            for (int offset = WARP / 2; offset > 0; offset /= 2) {
                s += __shfl_down_sync(0xffffffffu, s, offset);
                q += __shfl_down_sync(0xffffffffu, q, offset);
                lo = fminf(lo, __shfl_down_sync(0xffffffffu, lo, offset));
                hi = fmaxf(hi, __shfl_down_sync(0xffffffffu, hi, offset));
                n += __shfl_down_sync(0xffffffffu, n, offset);
                bad += __shfl_down_sync(0xffffffffu, bad, offset);
            }
            if (threadIdx.x % WARP == 0) {
                warp_sum[warp] = s;
                warp_squares[warp] = q;
                warp_low[warp] = lo;
                warp_high[warp] = hi;
                warp_n[warp] = n;
                warp_nonfinite[warp] = bad;
            }
            __syncthreads();
            if (active && lane == 0) {
                unit_moments m;
                m.sum = 0;
                m.sum_squares = 0;
                m.min = INFINITY;
                m.max = -INFINITY;
                m.n = 0;
                m.nonfinite = 0;
                for (int w = slot * warps_per_unit; w < (slot + 1) * warps_per_unit; w++) {
                    m.sum += warp_sum[w];
                    m.sum_squares += warp_squares[w];
                    m.min = fminf(m.min, warp_low[w]);
                    m.max = fmaxf(m.max, warp_high[w]);
                    m.n += warp_n[w];
                    m.nonfinite += warp_nonfinite[w];
                }
                partials[unit * OUTPUTS + o] = m;
            }
            __syncthreads();
        }
    }
    if (use_shared_hist) {
        __syncthreads();
        for (int k = threadIdx.x; k < c_plan.hist_total; k += blockDim.x)
            if (block_hist[k]) atomicAdd(&global_hist[k], (unsigned long long)block_hist[k]);
    }
}

/* The kernel instantiated for the scenario's number of reported outputs: one instantiation per
 * count 1..MODEL_OUTPUT_COUNT, listed by template recursion, so a new output needs no edit. */
typedef void (*run_kernel_fn)(uint64_t, uint64_t, const float *, unit_moments *,
                              unsigned long long *, int);
template <int N> struct run_kernel_table {
    static void fill(run_kernel_fn *table)
    {
        table[N - 1] = cuda_run_kernel<N>;
        run_kernel_table<N - 1>::fill(table);
    }
};
template <> struct run_kernel_table<0> {
    static void fill(run_kernel_fn *) {}
};
static run_kernel_fn run_kernel_for(int outputs)
{
    run_kernel_fn table[MODEL_OUTPUT_COUNT];
    run_kernel_table<MODEL_OUTPUT_COUNT>::fill(table);
    return table[outputs - 1];
}

/* Per-output layout of plan, indexed by report position. */
static cuda_output_layout layout_of(const draw_plan *plan)
{
    cuda_output_layout layout;
    memset(&layout, 0, sizeof layout);
    for (int o = 0; o < plan->output_count; o++) {
        layout.model_output[o] = plan->outputs[o];
        layout.hist_offset[o] = plan->hist_offset[o];
        layout.shift[o] = plan->shift[o];
        layout.hist[o] = plan->hist[o];
    }
    return layout;
}

extern "C" int backend_cuda_run(const draw_plan *plan, const float *data,
                     const engine_options *options,
                                run_state *totals, char *err, size_t errlen)
{
    int status = 0;
    float *device_prior_data = NULL;
    unit_moments *device_partials = NULL, *host_partials = NULL;
    unsigned long long *device_hist = NULL, *host_hist = NULL;
    cudaDeviceProp properties;
    if ((status = cuda_select_device(options->device, &properties, err, errlen))) return status;

    const int block_threads = options->block_threads ? options->block_threads : CUDA_UNIT_LANES;
    run_kernel_fn kernel = run_kernel_for(plan->output_count);
    cudaFuncAttributes attributes;
    if (block_threads % CUDA_UNIT_LANES || block_threads > CUDA_MAX_BLOCK_THREADS) {
        snprintf(err, errlen, "CUDA block size %d: expected a multiple of %d up to %d",
                 block_threads, CUDA_UNIT_LANES, CUDA_MAX_BLOCK_THREADS);
        return THIRST_ERR_INPUT;
    }
    const int grid_blocks = options->grid_blocks ? options->grid_blocks
                                                 : properties.multiProcessorCount * 8;
    const uint64_t units = (plan->draws + CUDA_UNIT_DRAWS - 1) / CUDA_UNIT_DRAWS;
    const uint64_t launch_units = units < 65536 ? units : 65536;
    const size_t partial_count = (size_t)launch_units * (size_t)plan->output_count;
    const size_t hist_bytes = (size_t)plan->hist_total * sizeof(unsigned long long);
    const size_t shared_bytes = (size_t)plan->hist_total * sizeof(unsigned int);
    int use_shared_hist = shared_bytes + 8192 <= (size_t)properties.sharedMemPerBlockOptin;
    cuda_output_layout layout = layout_of(plan);

    host_partials = (unit_moments *)malloc(partial_count * sizeof *host_partials);
    host_hist = (unsigned long long *)malloc(hist_bytes);
    if (!host_partials || !host_hist) {
        snprintf(err, errlen, "out of memory");
        status = 1;
        goto fail;
    }
    CUDA_CHECK(cudaMemcpyToSymbol(c_plan, plan, sizeof *plan));
    CUDA_CHECK(cudaMemcpyToSymbol(c_layout, &layout, sizeof layout));
    if ((status = cuda_upload_prior_data(data, plan->data_count,
                                         &device_prior_data, err, errlen)))
        goto fail;
    CUDA_CHECK(cudaMalloc((void **)&device_partials, partial_count * sizeof(unit_moments)));
    CUDA_CHECK(cudaMalloc((void **)&device_hist, hist_bytes));
    CUDA_CHECK(cudaMemset(device_hist, 0, hist_bytes));
    CUDA_CHECK(cudaFuncGetAttributes(&attributes, kernel));
    if (block_threads > attributes.maxThreadsPerBlock) {
        snprintf(err, errlen, "CUDA block size %d: this kernel allows at most %d threads per block",
                 block_threads, attributes.maxThreadsPerBlock);
        status = 1;
        goto fail;
    }
    if (use_shared_hist)
        CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        (int)shared_bytes));

    for (uint64_t first_unit = 0; first_unit < units; first_unit += launch_units) {
        uint64_t count = units - first_unit < launch_units ? units - first_unit : launch_units;
        kernel<<<grid_blocks, block_threads, use_shared_hist ? shared_bytes : 0>>>(
            first_unit, count, device_prior_data, device_partials, device_hist, use_shared_hist);
        CUDA_CHECK_LAUNCH("cuda_run_kernel");
        CUDA_CHECK(cudaMemcpy(host_partials, device_partials,
                              (size_t)count * plan->output_count * sizeof(unit_moments),
                              cudaMemcpyDeviceToHost));
        for (uint64_t u = 0; u < count; u++)
            for (int o = 0; o < plan->output_count; o++)
                run_state_add_unit(totals, o, &host_partials[u * plan->output_count + o]);
        if (options->progress) {
            uint64_t done = (first_unit + count) * CUDA_UNIT_DRAWS;
            options->progress(options->progress_context, done < plan->draws ? done : plan->draws,
                              plan->draws, NAN);
        }
    }
    CUDA_CHECK(cudaMemcpy(host_hist, device_hist, hist_bytes, cudaMemcpyDeviceToHost));
    for (int k = 0; k < plan->hist_total; k++) totals->hist[k] += host_hist[k];
fail:
    if (device_prior_data) cudaFree(device_prior_data);
    if (device_partials) cudaFree(device_partials);
    if (device_hist) cudaFree(device_hist);
    free(host_partials);
    free(host_hist);
    return status;
}

