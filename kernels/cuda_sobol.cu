/* cuda_sobol.cu: the streamed Sobol design on the device. One thread takes one chunk of
 * SOBOL_CHUNK consecutive base draws, draws rows i of A and B with cuRAND (streams (seed, i)
 * and (seed, 2^63 + i)), evaluates A, B and every A_B^k with the shared sobol_draw()
 * (kernels/sobol.h), sums the terms over its chunk in float (shifted by the pilot means) and
 * writes them as doubles; the host side adds chunks into their batches (launch.h) in chunk
 * order, so results do not depend on the launch shape.
 * Napkin math (GPT-3 scenario, k = 6 inputs, 6 outputs): 8 model evaluations and 2 x 2 Philox
 * blocks (3 per curand_init + curand4 pair) per base draw, ~9 x 150 + 6 x 120 = ~2,000
 * instructions; 6 x 16 term updates. About 1.6e10 base draws/s at full H100 issue; the terms
 * (up to SOBOL_MAX_TERMS floats per thread) live in local memory, so the real rate is lower. */
#include <stdlib.h>

#include "cuda_check.h"
#include "cuda_words.cuh"
#include "launch.h"
#include "sobol.h"

#define SOBOL_LAUNCH_CHUNKS 65536

/* Chunks [first_chunk, first_chunk + chunk_count) of base draws [0, base_draws): the term sums
 * of chunk first_chunk + c go to partials[c * length ...]. */
__global__ void cuda_sobol_kernel(const __grid_constant__ draw_plan plan, const float *data,
                                  uint64_t first_chunk, uint64_t chunk_count, uint64_t base_draws,
                                  double *partials)
{
    const int length = plan.output_count * SOBOL_STRIDE(plan.prior_count);
    for (uint64_t c = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; c < chunk_count;
         c += (uint64_t)gridDim.x * blockDim.x) {
        float sums[SOBOL_MAX_TERMS], terms[SOBOL_MAX_TERMS];
        for (int j = 0; j < length; j++) sums[j] = 0.0f;
        uint64_t first = (first_chunk + c) * SOBOL_CHUNK;
        for (uint64_t i = first; i < first + SOBOL_CHUNK && i < base_draws; i++) {
            uint32_t words_a[DRAW_MAX_WORDS], words_b[DRAW_MAX_WORDS];
            cuda_draw_words(plan.seed, i, plan.word_count, words_a);
            cuda_draw_words(plan.seed, SOBOL_B_STREAM + i, plan.word_count, words_b);
            sobol_draw(&plan, data, i, words_a, words_b, terms);
            for (int j = 0; j < length; j++) sums[j] += terms[j];
        }
        for (int j = 0; j < length; j++) partials[c * length + j] = (double)sums[j];
    }
}

extern "C" int cuda_api_sobol(const draw_plan *plan, const float *data, const cuda_launch *launch,
                              uint64_t base_draws, int batches, int first_batch, int end_batch,
                              double *batch_sums, cuda_progress_fn progress, void *context,
                              char *err, size_t errlen)
{
    int status = CUDA_API_OK;
    float *device_data = NULL;
    double *device_partials = NULL, *host_partials = NULL;
    cudaDeviceProp properties;
    const int length = plan->output_count * SOBOL_STRIDE(plan->prior_count);
    const uint64_t chunks = launch_unit_count(base_draws, SOBOL_CHUNK);
    const uint64_t begin = launch_batch_first_chunk(chunks, batches, first_batch);
    const uint64_t end = launch_batch_first_chunk(chunks, batches, end_batch);
    const uint64_t most = launch->launch_units > 0 && launch->launch_units < SOBOL_LAUNCH_CHUNKS
                              ? (uint64_t)launch->launch_units : SOBOL_LAUNCH_CHUNKS;
    const uint64_t launch_chunks = end - begin < most ? end - begin : most;
    const size_t partial_bytes = (size_t)launch_chunks * length * sizeof(double);
    const int block = launch->block_threads ? launch->block_threads : 128;
    if (end <= begin) return CUDA_API_OK;
    if ((status = cuda_select_device(launch->device, &properties, err, errlen))) return status;
    host_partials = (double *)malloc(partial_bytes);
    if (!host_partials) {
        snprintf(err, errlen, "out of memory");
        return CUDA_API_RUNTIME;
    }
    if ((status = cuda_upload_data(data, plan->data_count, &device_data, err, errlen))) goto fail;
    CUDA_CHECK(cudaMalloc((void **)&device_partials, partial_bytes));
    for (uint64_t first = begin; first < end; first += launch_chunks) {
        uint64_t count = end - first < launch_chunks ? end - first : launch_chunks;
        cuda_sobol_kernel<<<cuda_grid_blocks(launch, &properties), block>>>(
            *plan, device_data, first, count, base_draws, device_partials);
        CUDA_CHECK_LAUNCH("cuda_sobol_kernel");
        CUDA_CHECK(cudaMemcpy(host_partials, device_partials, (size_t)count * length * sizeof(double),
                              cudaMemcpyDeviceToHost));
        sobol_add_chunks(host_partials, first, count, chunks, batches, first_batch, length,
                         batch_sums);
        if (progress) {
            uint64_t done = (first + count) * SOBOL_CHUNK;
            progress(context, done < base_draws ? done : base_draws, base_draws);
        }
    }
fail:
    if (device_data) cudaFree(device_data);
    if (device_partials) cudaFree(device_partials);
    free(host_partials);
    return status;
}
