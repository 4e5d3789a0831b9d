/* backend_cuda_none.c: the CUDA interface in a build configured without CUDA (no nvcc, or
 * THIRST_CUDA=OFF): every call says so, and `--backend auto` runs on the CPU. */
#include "backend_cuda.h"

#include "status.h"

int backend_cuda_compiled(void) { return 0; }

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

int backend_cuda_run(const draw_plan *plan, const float *data,
                     const engine_options *options,
                     run_state *totals, char *err, size_t errlen)
{
    (void)plan; (void)data; (void)options; (void)totals;
    return not_compiled(err, errlen);
}

int backend_cuda_refine(const draw_plan *plan, const float *data,
                        const engine_options *options,
                        const struct quantile_range_s *ranges, int range_count,
                        const int32_t *first_range, int count_total, uint64_t *counts,
                        char *err, size_t errlen)
{
    (void)plan; (void)data; (void)options; (void)ranges; (void)range_count; (void)first_range;
    (void)count_total; (void)counts;
    return not_compiled(err, errlen);
}

int backend_cuda_sobol(const draw_plan *plan, const float *data,
                       const engine_options *options,
                       uint64_t base_draws, int batches, double *batch_sums, char *err,
                       size_t errlen)
{
    (void)plan; (void)data; (void)options; (void)base_draws; (void)batches; (void)batch_sums;
    return not_compiled(err, errlen);
}

int backend_cuda_first_draws(const draw_plan *plan, const float *data, int device, uint64_t first, int count,
                             uint32_t *words, float *inputs, float *outputs, char *err,
                             size_t errlen)
{
    (void)plan; (void)data; (void)device; (void)first; (void)count; (void)words; (void)inputs; (void)outputs;
    return not_compiled(err, errlen);
}
