/* cuda_pipeline.h: launches that overlap the host's merge. Launch k runs on the pipeline's
 * stream and writes its partials to device buffer k % 2; their copy to pinned host buffer
 * k % 2 is queued behind it, so while launch k runs the host merges launch k - 1 (whose copy
 * has landed) in launch order, and results are those of launching, copying and merging one
 * launch at a time (issue 13: the GPU idled during each pageable copy and merge). */
#ifndef THIRST_CUDA_PIPELINE_H
#define THIRST_CUDA_PIPELINE_H

#include <cuda_runtime.h>
#include <stdint.h>

/* The stream is a blocking one (cudaStreamCreate): its work waits for what the caller issued
 * before on the legacy default stream (the uploads of cuda_upload_data), so the build must not
 * use nvcc's --default-stream per-thread. */
typedef struct {
    cudaStream_t stream;       /* every launch, copy and event of the pipeline */
    void *device[2];           /* partials of launches k % 2 == 0, 1 (bytes each; may be NULL) */
    void *host[2];             /* their pinned host copies */
    cudaEvent_t copied[2];     /* recorded after launch k's copy (or after launch k) */
    int events;                /* events created (0..2), for cuda_pipeline_close */
} cuda_pipeline;

/* Stream, events and two device and two pinned host buffers of `bytes` each (none for 0).
 * CUDA_API_OK or CUDA_API_RUNTIME with err; close it either way. */
int cuda_pipeline_open(cuda_pipeline *pipeline, size_t bytes, char *err, size_t errlen);

/* After launch k on the stream: queue the copy of its first `bytes` bytes of partials to
 * host[k % 2] (none for 0) and record copied[k % 2]. Launch errors are reported here. */
int cuda_pipeline_queue(cuda_pipeline *pipeline, uint64_t k, size_t bytes, const char *kernel,
                        char *err, size_t errlen);

/* Wait until launch k and its copy are done: host[k % 2] holds its partials. Errors of the
 * launch's execution are reported here. */
int cuda_pipeline_wait(cuda_pipeline *pipeline, uint64_t k, char *err, size_t errlen);

/* Free what cuda_pipeline_open made (after waiting for the stream). */
void cuda_pipeline_close(cuda_pipeline *pipeline);

#endif
