/* cuda_check.h: checks for every CUDA runtime call and kernel launch in the .cu files. On
 * failure they fill the caller's err with the call, file, line and CUDA's own message, and
 * jump to the function's `fail` label (which frees what it allocated). */
#ifndef THIRST_CUDA_CHECK_H
#define THIRST_CUDA_CHECK_H

#include <cuda_runtime.h>
#include <stdio.h>

/* Run a CUDA runtime call; on error record it and goto fail. Needs err, errlen, status. */
#define CUDA_CHECK(call)                                                                   \
    do {                                                                                   \
        cudaError_t cuda_check_result = (call);                                            \
        if (cuda_check_result != cudaSuccess) {                                            \
            snprintf(err, errlen, "CUDA error at %s:%d: %s: %s", __FILE__, __LINE__, #call, \
                     cudaGetErrorString(cuda_check_result));                               \
            status = 1;                                                                    \
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
            status = 1;                                                                    \
            goto fail;                                                                     \
        }                                                                                  \
    } while (0)

/* Copy the plan's prior data (tables, choice options) to the device; *device_data stays NULL
 * when there is none. Returns 0 or 1 with err filled. */
int cuda_upload_prior_data(const float *data, int count, float **device_data, char *err,
                           size_t errlen);

/* Make device the current one after checking it exists and is usable; fills properties.
 * Returns 0, THIRST_ERR_RUNTIME (1) or THIRST_ERR_INPUT (2, no such device index). */
int cuda_select_device(int device, cudaDeviceProp *properties, char *err, size_t errlen);

#endif
