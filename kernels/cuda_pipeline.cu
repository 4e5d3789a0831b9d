/* cuda_pipeline.cu: the double-buffered launch pipeline of cuda_pipeline.h: one stream, two
 * device partial buffers, two pinned host buffers and two events. A launch's copy is small
 * next to its run (the GPT-3 run: 65,536 units x 6 x 40 B = 15.7 MB, ~0.3 ms over PCIe 5 against
 * ~20 ms for its 2^30 draws at 5e10 draws/s), so with the merge of launch k - 1 hidden behind
 * launch k the device is idle only for the last launch's copy and merge. */
#include <string.h>

#include "cuda_check.h"
#include "cuda_pipeline.h"

int cuda_pipeline_open(cuda_pipeline *pipeline, size_t bytes, char *err, size_t errlen)
{
    int status = CUDA_API_OK;
    memset(pipeline, 0, sizeof *pipeline);
    CUDA_CHECK(cudaStreamCreate(&pipeline->stream));
    for (int b = 0; b < 2; b++) {
        CUDA_CHECK(cudaEventCreateWithFlags(&pipeline->copied[b], cudaEventDisableTiming));
        pipeline->events = b + 1;
        if (bytes) {
            CUDA_CHECK(cudaMalloc(&pipeline->device[b], bytes));
            CUDA_CHECK(cudaMallocHost(&pipeline->host[b], bytes));
        }
    }
fail:
    return status;
}

int cuda_pipeline_queue(cuda_pipeline *pipeline, uint64_t k, size_t bytes, const char *kernel,
                        char *err, size_t errlen)
{
    int status = CUDA_API_OK;
    CUDA_CHECK_LAUNCH(kernel);
    if (bytes)
        CUDA_CHECK(cudaMemcpyAsync(pipeline->host[k % 2], pipeline->device[k % 2], bytes,
                                   cudaMemcpyDeviceToHost, pipeline->stream));
    CUDA_CHECK(cudaEventRecord(pipeline->copied[k % 2], pipeline->stream));
fail:
    return status;
}

int cuda_pipeline_wait(cuda_pipeline *pipeline, uint64_t k, char *err, size_t errlen)
{
    int status = CUDA_API_OK;
    CUDA_CHECK(cudaEventSynchronize(pipeline->copied[k % 2]));
fail:
    return status;
}

void cuda_pipeline_close(cuda_pipeline *pipeline)
{
    if (pipeline->stream) cudaStreamSynchronize(pipeline->stream);
    for (int b = 0; b < 2; b++) {
        if (pipeline->device[b]) cudaFree(pipeline->device[b]);
        if (pipeline->host[b]) cudaFreeHost(pipeline->host[b]);
        if (b < pipeline->events) cudaEventDestroy(pipeline->copied[b]);
    }
    if (pipeline->stream) cudaStreamDestroy(pipeline->stream);
    memset(pipeline, 0, sizeof *pipeline);
}
