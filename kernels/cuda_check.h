/* cuda_check.h: checks for every CUDA runtime call and kernel launch in the .cu files, and the
 * helpers every launcher shares (device selection, the upload of the plan's float data). On
 * failure the checks fill the caller's err with the call, file, line and CUDA's own message,
 * set status to CUDA_API_RUNTIME and jump to the function's `fail` label (which frees what it
 * allocated). */
#ifndef THIRST_CUDA_CHECK_H
#define THIRST_CUDA_CHECK_H

#include <cuda_runtime.h>
#include <stdio.h>

#include "cuda_api.h"

/* Run a CUDA runtime call; on error record it and goto fail. Needs err, errlen, status. */
#define CUDA_CHECK(call)                                                                   \
    do {                                                                                   \
        cudaError_t cuda_check_result = (call);                                            \
        if (cuda_check_result != cudaSuccess) {                                            \
            snprintf(err, errlen, "CUDA error at %s:%d: %s: %s", __FILE__, __LINE__, #call, \
                     cudaGetErrorString(cuda_check_result));                               \
            status = CUDA_API_RUNTIME;                                                     \
            goto fail;                                                                     \
        }                                                                                  \
    } while (0)

/* After a kernel launch: launch errors now, execution errors at the next synchronisation. */
#define CUDA_CHECK_LAUNCH(kernel_name)                                                     \
    do {                                                                                   \
        cudaError_t cuda_check_result = cudaGetLastError();                                \
        if (cuda_check_result != cudaSuccess) {                                            \
            snprintf(err, errlen, "CUDA error at %s:%d: launch of %s: %s", __FILE__,        \
                     __LINE__, kernel_name, cudaGetErrorString(cuda_check_result));        \
            status = CUDA_API_RUNTIME;                                                     \
            goto fail;                                                                     \
        }                                                                                  \
    } while (0)

/* Copy the plan's float data (tables, choice options; count floats) to the device;
 * *device_data stays NULL when there is none. CUDA_API_OK or CUDA_API_RUNTIME with err. */
int cuda_upload_data(const float *data, int count, float **device_data, char *err,
                     size_t errlen);

/* Make device the current one after checking it exists and is usable; fills properties.
 * CUDA_API_OK, CUDA_API_RUNTIME, or CUDA_API_INPUT for a device index this machine lacks. */
int cuda_select_device(int device, cudaDeviceProp *properties, char *err, size_t errlen);

/* Bytes of dynamic shared memory for the formulas' value files of a block of block_threads
 * threads (0 for a plan without formulas): value k of thread t at float k * block_threads + t.
 * CUDA_API_RUNTIME with the reason when they and `reserved` more bytes exceed what a block may
 * have on the device (a device failure: --backend auto then runs on the CPU). */
int cuda_value_file_bytes(const draw_plan *plan, int block_threads, size_t reserved,
                          const cudaDeviceProp *properties, size_t *bytes, char *err,
                          size_t errlen);

/* Blocks of a launch: grid_blocks, or 8 per multiprocessor when it is 0. */
int cuda_grid_blocks(const cuda_launch *launch, const cudaDeviceProp *properties);

#endif
