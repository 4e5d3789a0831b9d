/* backend_cuda_none.c: the CUDA backend in a build configured without CUDA (no nvcc, or
 * THIRST_CUDA=OFF): a backend whose every function says so, so `--backend auto` runs on the
 * CPU and `--backend cuda` fails with the reason. */
#include "backend.h"
#include "backend_cuda.h"
#include "engine.h"
#include "status.h"

/* The one reason every call gives. */
static int not_compiled(char *err, size_t errlen)
{
    return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                       "this thirst was built without the CUDA backend (no nvcc at configure "
                       "time, or THIRST_CUDA=OFF)");
}

int backend_cuda_devices(cuda_device_info *list, int capacity, int *count, char *err,
                         size_t errlen)
{
    (void)list;
    (void)capacity;
    *count = 0;
    return not_compiled(err, errlen);
}

/* The kernels' entry that tests/test_gpu.c calls directly (kernels/cuda_api.h): absent too,
 * so that the test links and reports SKIPPED (it asks the backend's check first). */
int cuda_api_run(const draw_plan *plan, const float *data, const cuda_launch *launch,
                 cuda_units_fn on_units, void *context, uint64_t *hist, char *err,
                 size_t errlen)
{
    (void)plan;
    (void)data;
    (void)launch;
    (void)on_units;
    (void)context;
    (void)hist;
    not_compiled(err, errlen);
    return CUDA_API_RUNTIME;
}

static int none_check(const backend_options *options, char *device_name, size_t name_size,
                      char *err, size_t errlen)
{
    (void)options;
    if (name_size) device_name[0] = '\0';
    return not_compiled(err, errlen);
}

static int none_run(const backend_job *job, const backend_ranges *ranges, run_state *state,
                    char *err, size_t errlen)
{
    (void)job;
    (void)ranges;
    (void)state;
    return not_compiled(err, errlen);
}

static int none_refine(const backend_job *job, const backend_ranges *ranges, char *err,
                       size_t errlen)
{
    (void)job;
    (void)ranges;
    return not_compiled(err, errlen);
}

static int none_sobol(const backend_job *job, uint64_t base_draws, int first_batch,
                      int end_batch, run_state *state, char *err, size_t errlen)
{
    (void)job;
    (void)base_draws;
    (void)first_batch;
    (void)end_batch;
    (void)state;
    return not_compiled(err, errlen);
}

static int none_first_draws(const backend_job *job, uint64_t first, int count, uint32_t *words,
                            float *inputs, float *outputs, char *err, size_t errlen)
{
    (void)job;
    (void)first;
    (void)count;
    (void)words;
    (void)inputs;
    (void)outputs;
    return not_compiled(err, errlen);
}

static int none_count_replicates(const backend_job *job, int count, const int *outputs,
                                 const float *thresholds, uint64_t *counts, char *err,
                                 size_t errlen)
{
    (void)job;
    (void)count;
    (void)outputs;
    (void)thresholds;
    (void)counts;
    return not_compiled(err, errlen);
}

static const backend none_backend = {
    .name = "cuda",
    .mantissa_bits = ENGINE_MANTISSA_BITS_GPU,
    .counts_windows = 0,
    .segment_units = 4096,
    .check = none_check,
    .run = none_run,
    .refine = none_refine,
    .sobol = none_sobol,
    .count_replicates = none_count_replicates,
    .first_draws = none_first_draws,
};

const backend *backend_cuda(void) { return &none_backend; }
