/* cuda_draws.cu: the agreement kernel: one thread per draw writes its uniform words, model
 * inputs and reported outputs, so tests can compare the device with the CPU reference
 * (engine_eval_draw) draw by draw. Not used by runs. */
#include <stdlib.h>

#include "../host/backend_cuda.h"
#include "cuda_check.h"
#include "cuda_words.cuh"
#include "model.h"

__constant__ draw_plan c_draws_plan;

/* One thread per draw: its words, inputs and reported outputs, for agreement tests. */
__global__ void cuda_first_draws_kernel(uint64_t first, int count, const float *prior_data,
                                        uint32_t *words_out, float *inputs_out,
                                        float *outputs_out)
{
    int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= count) return;
    uint32_t words[DRAW_MAX_WORDS];
    float inputs[MODEL_SLOT_COUNT], outputs[MODEL_OUTPUT_COUNT];
    cuda_draw_words(c_draws_plan.seed, first + (uint64_t)k, c_draws_plan.word_count, words);
    draw_eval(&c_draws_plan, prior_data, first + (uint64_t)k, words, inputs, outputs);
    for (int j = 0; j < c_draws_plan.word_count; j++) words_out[(size_t)k * c_draws_plan.word_count + j] = words[j];
    for (int s = 0; s < MODEL_SLOT_COUNT; s++) inputs_out[(size_t)k * MODEL_SLOT_COUNT + s] = inputs[s];
    for (int o = 0; o < c_draws_plan.output_count; o++)
        outputs_out[(size_t)k * c_draws_plan.output_count + o] =
            draw_reported(&c_draws_plan, outputs, o);
}

extern "C" int backend_cuda_first_draws(const draw_plan *plan, const float *data, int device, uint64_t first,
                                        int count, uint32_t *words, float *inputs,
                                        float *outputs, char *err, size_t errlen)
{
    int status = 0;
    float *device_prior_data = NULL, *device_inputs = NULL, *device_outputs = NULL;
    uint32_t *device_words = NULL;
    cudaDeviceProp properties;
    const size_t word_bytes = (size_t)count * (plan->word_count ? plan->word_count : 1) * sizeof(uint32_t);
    const size_t input_bytes = (size_t)count * MODEL_SLOT_COUNT * sizeof(float);
    const size_t output_bytes = (size_t)count * plan->output_count * sizeof(float);
    if (count <= 0) return 0;
    if ((status = cuda_select_device(device, &properties, err, errlen))) return status;
    CUDA_CHECK(cudaMemcpyToSymbol(c_draws_plan, plan, sizeof *plan));
    if ((status = cuda_upload_prior_data(data, plan->data_count,
                                         &device_prior_data, err, errlen)))
        goto fail;
    CUDA_CHECK(cudaMalloc((void **)&device_words, word_bytes));
    CUDA_CHECK(cudaMalloc((void **)&device_inputs, input_bytes));
    CUDA_CHECK(cudaMalloc((void **)&device_outputs, output_bytes));
    cuda_first_draws_kernel<<<(count + 127) / 128, 128>>>(first, count, device_prior_data,
                                                          device_words, device_inputs,
                                                          device_outputs);
    CUDA_CHECK_LAUNCH("cuda_first_draws_kernel");
    CUDA_CHECK(cudaMemcpy(words, device_words, (size_t)count * plan->word_count * sizeof(uint32_t),
                          cudaMemcpyDeviceToHost));
    CUDA_CHECK(cudaMemcpy(inputs, device_inputs, input_bytes, cudaMemcpyDeviceToHost));
    CUDA_CHECK(cudaMemcpy(outputs, device_outputs, output_bytes, cudaMemcpyDeviceToHost));
fail:
    if (device_prior_data) cudaFree(device_prior_data);
    if (device_words) cudaFree(device_words);
    if (device_inputs) cudaFree(device_inputs);
    if (device_outputs) cudaFree(device_outputs);
    return status;
}
