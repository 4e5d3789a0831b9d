/* cuda_sobol.cu: the streamed Sobol design on the device. One thread takes one chunk of
 * SOBOL_CHUNK consecutive base draws, draws rows i of A and B with cuRAND (streams (seed, i)
 * and (seed, 2^63 + i)), evaluates A, B and every A_B^k with the shared sobol_draw()
 * (kernels/sobol.h), sums the terms over its chunk in float (shifted by the pilot means) and
 * writes them as doubles; the host adds chunks into batches in chunk order, so results do not
 * depend on the launch shape.
 * Napkin math (GPT-3 scenario, k = 6 inputs, 6 outputs): 8 model evaluations and 2 x 2 Philox
 * blocks (3 per curand_init + curand4 pair) per base draw, ~9 x 150 + 6 x 120 = ~2,000
 * instructions; 6 x 16 term updates. About 1.6e10 base draws/s at full H100 issue; the terms
 * (up to 816 floats per thread) live in local memory, so the real rate is lower. */
#include <stdlib.h>

#include "../host/backend_cuda.h"
#include "../host/sensitivity.h"
#include "cuda_check.h"
#include "cuda_words.cuh"
#include "sobol.h"

#define SOBOL_MAX_TERMS (MODEL_OUTPUT_COUNT * SOBOL_STRIDE(SENSITIVITY_MAX_INPUTS))
#define SOBOL_LAUNCH_CHUNKS 65536

__constant__ draw_plan c_sobol_plan;

__global__ void cuda_sobol_kernel(uint64_t first_chunk, uint64_t chunk_count, uint64_t base_draws,
                                  const float *prior_data, double *partials)
{
    const int length = c_sobol_plan.output_count * SOBOL_STRIDE(c_sobol_plan.prior_count);
    for (uint64_t c = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; c < chunk_count;
         c += (uint64_t)gridDim.x * blockDim.x) {
        float sums[SOBOL_MAX_TERMS], terms[SOBOL_MAX_TERMS];
        for (int j = 0; j < length; j++) sums[j] = 0.0f;
        uint64_t first = (first_chunk + c) * SOBOL_CHUNK;
        for (uint64_t i = first; i < first + SOBOL_CHUNK && i < base_draws; i++) {
            uint32_t words_a[DRAW_MAX_WORDS], words_b[DRAW_MAX_WORDS];
            cuda_draw_words(c_sobol_plan.seed, i, c_sobol_plan.word_count, words_a);
            cuda_draw_words(c_sobol_plan.seed, SOBOL_B_STREAM + i, c_sobol_plan.word_count,
                            words_b);
            sobol_draw(&c_sobol_plan, prior_data, i, words_a, words_b, terms);
            for (int j = 0; j < length; j++) sums[j] += terms[j];
        }
        for (int j = 0; j < length; j++) partials[c * length + j] = (double)sums[j];
    }
}

extern "C" int backend_cuda_sobol(const draw_plan *plan, const float *data,
                       const engine_options *options,
                                  uint64_t base_draws, int batches, double *batch_sums,
                                  char *err, size_t errlen)
{
    int status = 0;
    float *device_prior_data = NULL;
    double *device_partials = NULL, *host_partials = NULL;
    cudaDeviceProp properties;
    const int length = plan->output_count * SOBOL_STRIDE(plan->prior_count);
    const uint64_t chunks = (base_draws + SOBOL_CHUNK - 1) / SOBOL_CHUNK;
    const uint64_t launch_chunks = chunks < SOBOL_LAUNCH_CHUNKS ? chunks : SOBOL_LAUNCH_CHUNKS;
    const size_t partial_bytes = (size_t)launch_chunks * length * sizeof(double);
    int batch = 0;
    if ((status = cuda_select_device(options->device, &properties, err, errlen))) return status;
    host_partials = (double *)malloc(partial_bytes);
    if (!host_partials) {
        snprintf(err, errlen, "out of memory");
        return 1;
    }
    CUDA_CHECK(cudaMemcpyToSymbol(c_sobol_plan, plan, sizeof *plan));
    if ((status = cuda_upload_prior_data(data, plan->data_count,
                                         &device_prior_data, err, errlen)))
        goto fail;
    CUDA_CHECK(cudaMalloc((void **)&device_partials, partial_bytes));
    for (uint64_t first = 0; first < chunks; first += launch_chunks) {
        uint64_t count = chunks - first < launch_chunks ? chunks - first : launch_chunks;
        int block = options->block_threads ? options->block_threads : 128;
        int grid = options->grid_blocks ? options->grid_blocks : properties.multiProcessorCount * 8;
        cuda_sobol_kernel<<<grid, block>>>(first, count, base_draws, device_prior_data,
                                           device_partials);
        CUDA_CHECK_LAUNCH("cuda_sobol_kernel");
        CUDA_CHECK(cudaMemcpy(host_partials, device_partials, (size_t)count * length * sizeof(double),
                              cudaMemcpyDeviceToHost));
        /* Chunks add into their batch in chunk order (batch b holds chunks
         * [chunks b / batches, chunks (b + 1) / batches)). */
        for (uint64_t c = 0; c < count; c++) {
            uint64_t chunk = first + c;
            while (batch + 1 < batches && chunk >= chunks * (uint64_t)(batch + 1) / (uint64_t)batches)
                batch++;
            double *target = batch_sums + (size_t)batch * length;
            for (int j = 0; j < length; j++) target[j] += host_partials[c * length + j];
        }
    }
fail:
    if (device_prior_data) cudaFree(device_prior_data);
    if (device_partials) cudaFree(device_partials);
    free(host_partials);
    return status;
}
