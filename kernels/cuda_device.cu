/* cuda_device.cu: device discovery and selection for the CUDA backend (`thirst devices`, the
 * checks behind `--backend auto|cuda` and `--device N`, the messages for no device or a driver
 * older than the runtime), and the helpers every launcher shares. */
#include <string.h>

#include "cuda_check.h"

#ifndef THIRST_CUDA_ARCHITECTURES
#define THIRST_CUDA_ARCHITECTURES "(unknown)"
#endif

/* A kernel that does nothing: whether the device has an image of it says whether this build
 * holds code for the device's compute capability. */
__global__ void cuda_probe_kernel(void) {}

extern "C" int cuda_api_devices(cuda_device_info *list, int capacity, int *count, char *err,
                                    size_t errlen)
{
    int status = 0, devices = 0;
    *count = 0;
    cudaError_t result = cudaGetDeviceCount(&devices);
    if (result == cudaErrorNoDevice || (result == cudaSuccess && devices == 0)) {
        snprintf(err, errlen, "no CUDA device found");
        return CUDA_API_RUNTIME;
    }
    if (result == cudaErrorInsufficientDriver) {
        int driver = 0, runtime = 0;
        cudaDriverGetVersion(&driver);
        cudaRuntimeGetVersion(&runtime);
        if (driver == 0) {
            snprintf(err, errlen, "no CUDA device found (no NVIDIA driver is loaded)");
            return CUDA_API_RUNTIME;
        }
        snprintf(err, errlen, "the CUDA driver (%d) is older than the runtime thirst was built "
                 "with (%d): update the driver", driver, runtime);
        return CUDA_API_RUNTIME;
    }
    if (result != cudaSuccess) {
        snprintf(err, errlen, "CUDA error at %s:%d: cudaGetDeviceCount: %s", __FILE__, __LINE__,
                 cudaGetErrorString(result));
        return CUDA_API_RUNTIME;
    }
    for (int d = 0; d < devices && d < capacity; d++) {
        cudaDeviceProp properties;
        CUDA_CHECK(cudaGetDeviceProperties(&properties, d));
        cuda_device_info *info = &list[d];
        info->index = d;
        snprintf(info->name, sizeof info->name, "%s", properties.name);
        info->memory_bytes = properties.totalGlobalMem;
        info->major = properties.major;
        info->minor = properties.minor;
        info->multiprocessors = properties.multiProcessorCount;
    }
    *count = devices < capacity ? devices : capacity;
    return CUDA_API_OK;
fail:
    return status;
}

int cuda_select_device(int device, cudaDeviceProp *properties, char *err, size_t errlen)
{
    int status = 0, count = 0;
    cuda_device_info info[1];
    if (cuda_api_devices(info, 1, &count, err, errlen)) return CUDA_API_RUNTIME;
    CUDA_CHECK(cudaGetDeviceCount(&count));
    if (device < 0 || device >= count) {
        snprintf(err, errlen, "--device %d: this machine has CUDA devices 0..%d", device,
                 count - 1);
        return CUDA_API_INPUT;
    }
    CUDA_CHECK(cudaSetDevice(device));
    CUDA_CHECK(cudaGetDeviceProperties(properties, device));
    return CUDA_API_OK;
fail:
    return status;
}

int cuda_upload_data(const float *data, int count, float **device_data, char *err,
                     size_t errlen)
{
    int status = 0;
    *device_data = NULL;
    if (count <= 0) return CUDA_API_OK;
    CUDA_CHECK(cudaMalloc((void **)device_data, (size_t)count * sizeof(float)));
    CUDA_CHECK(cudaMemcpy(*device_data, data, (size_t)count * sizeof(float),
                          cudaMemcpyHostToDevice));
    return CUDA_API_OK;
fail:
    if (*device_data) cudaFree(*device_data);
    *device_data = NULL;
    return status;
}

int cuda_value_file_bytes(const draw_plan *plan, int block_threads, size_t reserved,
                          const cudaDeviceProp *properties, size_t *bytes, char *err,
                          size_t errlen)
{
    *bytes = plan->has_formulas ? (size_t)plan->formulas.program.value_count *
                                      (size_t)block_threads * sizeof(float)
                                : 0;
    if (*bytes + reserved <= (size_t)properties->sharedMemPerBlockOptin) return CUDA_API_OK;
    snprintf(err, errlen, "the formulas' %d values per thread need %zu bytes of shared memory at "
             "%d threads per block, and the kernel %zu more; the device gives a block %zu",
             plan->formulas.program.value_count, *bytes, block_threads, reserved,
             (size_t)properties->sharedMemPerBlockOptin);
    return CUDA_API_RUNTIME;   /* this device's limit: --backend auto runs it on the CPU */
}

int cuda_grid_blocks(const cuda_launch *launch, const cudaDeviceProp *properties)
{
    return launch->grid_blocks > 0 ? launch->grid_blocks : 8 * properties->multiProcessorCount;
}

extern "C" int cuda_api_check(int device, char *err, size_t errlen)
{
    cudaDeviceProp properties;
    int status = cuda_select_device(device, &properties, err, errlen);
    if (status) return status;
    cudaFuncAttributes attributes;
    cudaError_t result = cudaFuncGetAttributes(&attributes, cuda_probe_kernel);
    if (result == cudaErrorNoKernelImageForDevice || result == cudaErrorInvalidDeviceFunction) {
        cudaGetLastError();   /* not sticky: clear it */
        snprintf(err, errlen, "CUDA device %d (%s) has compute capability %d.%d, and this build "
                 "has kernels for %s only: rebuild with -DCMAKE_CUDA_ARCHITECTURES=%d%d", device,
                 properties.name, properties.major, properties.minor, THIRST_CUDA_ARCHITECTURES,
                 properties.major, properties.minor);
        return CUDA_API_RUNTIME;
    }
    if (result != cudaSuccess) {
        snprintf(err, errlen, "CUDA error at %s:%d: cudaFuncGetAttributes: %s", __FILE__, __LINE__,
                 cudaGetErrorString(result));
        return CUDA_API_RUNTIME;
    }
    return CUDA_API_OK;
}
