/* cuda_draws.cu: the agreement kernel: one thread per draw writes its uniform words, model
 * inputs and reported outputs (draw_eval, as every caller), so `thirst draws --backend cuda`
 * and tests can compare the device with the CPU reference bit for bit. Not used by runs. */
#include <stdlib.h>

#include "cuda_check.h"
#include "cuda_words.cuh"
#include "draw.h"

/* One thread per draw of [first, first + count): its words, inputs and reported outputs.
 * FORMULAS: the plan has formulas, each thread's value file in dynamic shared memory (value k
 * at k * blockDim.x), per-draw arrays with the user's parameters and outputs. */
template <bool FORMULAS>
__global__ void cuda_first_draws_kernel(const __grid_constant__ draw_plan plan, const float *data,
                                        uint64_t first, int count, uint32_t *words_out,
                                        float *inputs_out, float *outputs_out)
{
    extern __shared__ float value_files[];
    float *values = FORMULAS ? value_files + threadIdx.x : NULL;
    int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= count) return;
    uint32_t words[DRAW_MAX_WORDS];
    float inputs[FORMULAS ? DRAW_INPUT_SLOTS : MODEL_SLOT_COUNT];
    float outputs[FORMULAS ? DRAW_OUTPUTS : MODEL_OUTPUT_COUNT];
    const int slots = FORMULAS ? DRAW_INPUT_SLOTS : MODEL_SLOT_COUNT;
    cuda_plan_words<FORMULAS>(plan, first + (uint64_t)k, words);
    draw_eval_in(&plan, data, first + (uint64_t)k, words, inputs, outputs, values, blockDim.x);
    for (int j = 0; j < plan.word_count; j++) words_out[(size_t)k * plan.word_count + j] = words[j];
    for (int s = 0; s < DRAW_INPUT_SLOTS; s++)   /* the interface's stride (host/backend.h) */
        inputs_out[(size_t)k * DRAW_INPUT_SLOTS + s] =
            (FORMULAS ? s < plan.input_slot_count : s < slots) ? inputs[s] : 0.0f;
    for (int o = 0; o < plan.output_count; o++)
        outputs_out[(size_t)k * plan.output_count + o] =
            FORMULAS ? draw_pick_any(outputs, plan.outputs[o]) : draw_reported(&plan, outputs, o);
}

extern "C" int cuda_api_first_draws(const draw_plan *plan, const float *data, int device,
                                    uint64_t first, int count, uint32_t *words, float *inputs,
                                    float *outputs, char *err, size_t errlen)
{
    int status = CUDA_API_OK;
    float *device_data = NULL, *device_inputs = NULL, *device_outputs = NULL;
    uint32_t *device_words = NULL;
    cudaDeviceProp properties;
    const size_t word_bytes = (size_t)count * (size_t)plan->word_count * sizeof(uint32_t);
    const size_t input_bytes = (size_t)count * DRAW_INPUT_SLOTS * sizeof(float);
    const size_t output_bytes = (size_t)count * (size_t)plan->output_count * sizeof(float);
    size_t value_bytes = 0;
    void (*kernel)(const draw_plan, const float *, uint64_t, int, uint32_t *, float *, float *) =
        plan_general_kernels(plan) ? cuda_first_draws_kernel<true> : cuda_first_draws_kernel<false>;
    if (count <= 0) return CUDA_API_OK;
    if ((status = cuda_select_device(device, &properties, err, errlen)) ||
        (status = cuda_value_file_bytes(plan, 128, 0, &properties, &value_bytes, err, errlen)))
        return status;
    if ((status = cuda_upload_data(data, plan->data_count, &device_data, err, errlen))) goto fail;
    CUDA_CHECK(cudaMalloc((void **)&device_words, word_bytes ? word_bytes : sizeof(uint32_t)));
    CUDA_CHECK(cudaMalloc((void **)&device_inputs, input_bytes));
    CUDA_CHECK(cudaMalloc((void **)&device_outputs, output_bytes));
    if (value_bytes)
        CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        (int)value_bytes));
    kernel<<<(count + 127) / 128, 128, value_bytes>>>(*plan, device_data, first, count,
                                                      device_words, device_inputs,
                                                      device_outputs);
    CUDA_CHECK_LAUNCH("cuda_first_draws_kernel");
    if (word_bytes)
        CUDA_CHECK(cudaMemcpy(words, device_words, word_bytes, cudaMemcpyDeviceToHost));
    CUDA_CHECK(cudaMemcpy(inputs, device_inputs, input_bytes, cudaMemcpyDeviceToHost));
    CUDA_CHECK(cudaMemcpy(outputs, device_outputs, output_bytes, cudaMemcpyDeviceToHost));
fail:
    if (device_data) cudaFree(device_data);
    if (device_words) cudaFree(device_words);
    if (device_inputs) cudaFree(device_inputs);
    if (device_outputs) cudaFree(device_outputs);
    return status;
}
