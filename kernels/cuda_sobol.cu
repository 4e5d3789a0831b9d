/* cuda_sobol.cu: the streamed Sobol design on the device. SOBOL_CHUNK threads share a chunk of
 * SOBOL_CHUNK consecutive base draws: in each pass thread d draws rows i of A and B with cuRAND
 * (streams (seed, i) and (seed, 2^63 + i)), evaluates A, B and every A_B^k with the shared
 * sobol_draw() (kernels/sobol.h) and writes its draw's terms to a row in shared memory; then
 * each thread adds the terms it owns (d, d + SOBOL_CHUNK, ...) over the pass's rows in draw
 * order, in float registers shifted by the pilot means (sobol_rows_add). A chunk's sums are
 * thus the ones a thread summing its chunk alone would get, without a per-thread array of
 * every term (issue 13: that design needed a 7.6 KiB local-memory frame per thread). The host
 * adds chunks into their batches (launch.h) in chunk order, so results do not depend on the
 * launch shape.
 * A block is one chunk's SOBOL_CHUNK threads (launch->block_threads is for the run kernels).
 * Napkin math (GPT-3 scenario, k = 6 inputs, 6 outputs, 96 terms): 8 model evaluations and
 * 2 x 2 Philox blocks per base draw, ~8 x 150 + 4 x 40 = ~1,400 instructions; writing 96 terms
 * to shared memory and adding 96 (spread over the chunk's threads) ~200. About 2e10 base
 * draws/s at full H100 issue. Shared memory: 64 rows x 97 floats = 24.8 KB per chunk, so
 * about 9 chunks (576 threads) per multiprocessor; registers (~90) allow ~640. */
#include <stdlib.h>
#include <string.h>

#include "cuda_check.h"
#include "cuda_pipeline.h"
#include "cuda_words.cuh"
#include "launch.h"
#include "sobol.h"

#define SOBOL_LAUNCH_CHUNKS 65536
/* Partials per launch are copied into two pinned host buffers: at most this many bytes each. */
#define SOBOL_LAUNCH_BYTES (64u << 20)
/* Blocks (of SOBOL_CHUNK threads) per multiprocessor that the register allocation must allow:
 * 9 caps the kernel at 96 registers (ptxas spills 16 bytes), the most that do not cut the
 * occupancy below what the GPT-3 design's shared rows allow (9 x 24.8 KB on an H100); 8 lets
 * ptxas take 128. bench/gpu_check.sh times the variants (-DTHIRST_SOBOL_MIN_BLOCKS=N). */
#ifndef THIRST_SOBOL_MIN_BLOCKS
#define THIRST_SOBOL_MIN_BLOCKS 9
#endif

/* Chunks [first_chunk, first_chunk + chunk_count) of base draws [0, base_draws), one per block
 * of SOBOL_CHUNK threads at a time, pass_rows draws per pass (sobol_pass_rows): the term sums
 * of chunk first_chunk + c go to partials[c * length ...]. FORMULAS: the plan has formulas; each
 * thread's value file follows the rows in dynamic shared memory (value k at k * SOBOL_CHUNK), and
 * its three draws' arrays hold the user's parameters and outputs. */
template <bool FORMULAS>
__global__ void __launch_bounds__(SOBOL_CHUNK, THIRST_SOBOL_MIN_BLOCKS)
cuda_sobol_kernel(const __grid_constant__ draw_plan plan, const float *data, uint64_t first_chunk,
                  uint64_t chunk_count, uint64_t base_draws, int pass_rows, double *partials)
{
    extern __shared__ float rows[];
    const int length = SOBOL_TERMS(&plan);
    const int stride = sobol_row_stride(length), thread = threadIdx.x;
    float *values = FORMULAS ? rows + pass_rows * stride + thread : NULL;
    for (uint64_t c = blockIdx.x; c < chunk_count; c += gridDim.x) {
        const uint64_t first = (first_chunk + c) * SOBOL_CHUNK;
        const int draws = base_draws - first < SOBOL_CHUNK ? (int)(base_draws - first)
                                                           : SOBOL_CHUNK;
        float sums[SOBOL_OWNED_TERMS];
        HD_UNROLL
        for (int m = 0; m < SOBOL_OWNED_TERMS; m++) sums[m] = 0.0f;
        for (int pass = 0; pass < draws; pass += pass_rows) {
            const int pass_draws = draws - pass < pass_rows ? draws - pass : pass_rows;
            if (thread < pass_draws) {
                const uint64_t i = first + (uint64_t)(pass + thread);
                uint32_t words_a[DRAW_MAX_WORDS], words_b[DRAW_MAX_WORDS];
                cuda_sobol_words<FORMULAS>(plan, i, SOBOL_B_STREAM + i, words_a, words_b);
                float in_a[FORMULAS ? DRAW_INPUT_SLOTS : MODEL_SLOT_COUNT];
                float in_b[FORMULAS ? DRAW_INPUT_SLOTS : MODEL_SLOT_COUNT];
                float in_ab[FORMULAS ? DRAW_INPUT_SLOTS : MODEL_SLOT_COUNT];
                float y_a[FORMULAS ? DRAW_OUTPUTS : MODEL_OUTPUT_COUNT];
                float y_b[FORMULAS ? DRAW_OUTPUTS : MODEL_OUTPUT_COUNT];
                float y_ab[FORMULAS ? DRAW_OUTPUTS : MODEL_OUTPUT_COUNT];
                sobol_draw_in(&plan, data, i, words_a, words_b, rows + thread * stride, in_a,
                              in_b, in_ab, y_a, y_b, y_ab, values, SOBOL_CHUNK, FORMULAS);
            }
            __syncthreads();
            sobol_rows_add(rows, pass_draws, length, thread, sums);
            __syncthreads();
        }
        HD_UNROLL
        for (int m = 0; m < SOBOL_OWNED_TERMS; m++) {
            const int j = thread + m * SOBOL_CHUNK;
            if (j < length) partials[c * length + j] = (double)sums[m];
        }
    }
}

/* Add launch k's chunk sums (count chunks from first, landed in the pipeline's host buffer)
 * to their batches in chunk order, then report progress. */
static int add_launch(cuda_pipeline *pipeline, uint64_t k, uint64_t first, uint64_t count,
                      uint64_t chunks, int batches, int first_batch, int length,
                      double *batch_sums, uint64_t base_draws, cuda_progress_fn progress,
                      void *context, char *err, size_t errlen)
{
    int status = cuda_pipeline_wait(pipeline, k, err, errlen);
    if (status) return status;
    sobol_add_chunks((const double *)pipeline->host[k % 2], first, count, chunks, batches,
                     first_batch, length, batch_sums);
    if (progress) {
        uint64_t done = (first + count) * SOBOL_CHUNK;
        progress(context, done < base_draws ? done : base_draws, base_draws);
    }
    return CUDA_API_OK;
}

extern "C" int cuda_api_sobol(const draw_plan *plan, const float *data, const cuda_launch *launch,
                              uint64_t base_draws, int batches, int first_batch, int end_batch,
                              double *batch_sums, cuda_progress_fn progress, void *context,
                              char *err, size_t errlen)
{
    int status = CUDA_API_OK;
    float *device_data = NULL;
    cuda_pipeline pipeline;
    cudaDeviceProp properties;
    const int length = SOBOL_TERMS(plan);
    const uint64_t chunks = launch_unit_count(base_draws, SOBOL_CHUNK);
    const uint64_t begin = launch_batch_first_chunk(chunks, batches, first_batch);
    const uint64_t end = launch_batch_first_chunk(chunks, batches, end_batch);
    const uint64_t most = launch->launch_units > 0 && launch->launch_units < SOBOL_LAUNCH_CHUNKS
                              ? (uint64_t)launch->launch_units : SOBOL_LAUNCH_CHUNKS;
    const size_t chunk_bytes = (size_t)length * sizeof(double);
    const uint64_t fit = SOBOL_LAUNCH_BYTES / chunk_bytes < most ? SOBOL_LAUNCH_BYTES / chunk_bytes
                                                                 : most;
    const uint64_t launch_chunks = end - begin < fit ? end - begin : fit;
    const int pass_rows = sobol_pass_rows(length, 1, SOBOL_SHARED_BYTES);
    size_t value_bytes = 0;
    const size_t row_bytes = (size_t)pass_rows * sobol_row_stride(length) * sizeof(float);
    void (*kernel)(const draw_plan, const float *, uint64_t, uint64_t, uint64_t, int, double *) =
        plan_general_kernels(plan) ? cuda_sobol_kernel<true> : cuda_sobol_kernel<false>;
    int grid = launch->grid_blocks;
    uint64_t k = 0, first = begin, previous_first = 0, previous_count = 0;
    memset(&pipeline, 0, sizeof pipeline);
    if (end <= begin) return CUDA_API_OK;
    if (plan->output_count > MODEL_OUTPUT_COUNT) {   /* SOBOL_OWNED_TERMS holds 13 outputs' */
        snprintf(err, errlen, "%d reported outputs: the GPU takes at most %d (use --backend cpu)",
                 plan->output_count, MODEL_OUTPUT_COUNT);
        return CUDA_API_INPUT;
    }
    if ((status = cuda_select_device(launch->device, &properties, err, errlen)) ||
        (status = cuda_value_file_bytes(plan, SOBOL_CHUNK, row_bytes, &properties, &value_bytes,
                                        err, errlen)))
        return status;
    const size_t shared_bytes = row_bytes + value_bytes;   /* rows, then the value files */
    if (shared_bytes > SOBOL_SHARED_BYTES)
        CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        (int)shared_bytes));
    if (grid <= 0) {   /* as many blocks as the device holds at once: every slot busy */
        int per_multiprocessor = 0;
        CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(
            &per_multiprocessor, kernel, SOBOL_CHUNK, shared_bytes));
        grid = (per_multiprocessor > 0 ? per_multiprocessor : 1) * properties.multiProcessorCount;
    }
    if ((status = cuda_upload_data(data, plan->data_count, &device_data, err, errlen))) goto fail;
    if ((status = cuda_pipeline_open(&pipeline, (size_t)launch_chunks * chunk_bytes, err, errlen)))
        goto fail;
    /* Launch k runs while the host adds launch k - 1's chunks (cuda_pipeline.h). */
    for (; first < end; first += launch_chunks, k++) {
        uint64_t count = end - first < launch_chunks ? end - first : launch_chunks;
        kernel<<<grid, SOBOL_CHUNK, shared_bytes, pipeline.stream>>>(
            *plan, device_data, first, count, base_draws, pass_rows,
            (double *)pipeline.device[k % 2]);
        if ((status = cuda_pipeline_queue(&pipeline, k, (size_t)count * chunk_bytes,
                                          "cuda_sobol_kernel", err, errlen)))
            goto fail;
        if (k > 0 && (status = add_launch(&pipeline, k - 1, previous_first, previous_count,
                                          chunks, batches, first_batch, length, batch_sums,
                                          base_draws, progress, context, err, errlen)))
            goto fail;
        previous_first = first;
        previous_count = count;
    }
    if (k > 0)
        status = add_launch(&pipeline, k - 1, previous_first, previous_count, chunks, batches,
                            first_batch, length, batch_sums, base_draws, progress, context, err,
                            errlen);
fail:
    cuda_pipeline_close(&pipeline);
    if (device_data) cudaFree(device_data);
    return status;
}
