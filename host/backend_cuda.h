/* backend_cuda.h: what the host knows of CUDA beyond the backend interface (backend.h): the
 * device list for `thirst devices`. Implemented by backend_cuda.c over kernels/cuda_api.h, or,
 * in a build without CUDA, by backend_cuda_none.c, which says so. */
#ifndef THIRST_BACKEND_CUDA_H
#define THIRST_BACKEND_CUDA_H

#include <stddef.h>

#include "../kernels/cuda_api.h"

/* Fill up to capacity devices and *count; THIRST_ERR_RUNTIME with the reason (no device, driver
 * older than the runtime, not compiled in) when none is usable. */
int backend_cuda_devices(cuda_device_info *list, int capacity, int *count, char *err,
                         size_t errlen);

#endif
