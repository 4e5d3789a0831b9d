/* backend_cuda.h: the CUDA backend's C interface (implemented in kernels/cuda_*.cu; in a build
 * without CUDA, host/backend_cuda_none.c answers that CUDA is not compiled in). Every function
 * returns a status and fills err; none prints. */
#ifndef THIRST_BACKEND_CUDA_H
#define THIRST_BACKEND_CUDA_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CUDA_UNIT_LANES 256      /* threads that share one work unit, in a fixed order */
#define CUDA_LANE_DRAWS 64       /* consecutive draws a thread sums in float before promoting */
#define CUDA_UNIT_DRAWS (CUDA_UNIT_LANES * CUDA_LANE_DRAWS)   /* 16384 draws per unit */

/* One CUDA device as `thirst devices` lists it. */
typedef struct {
    int index;
    char name[256];
    size_t memory_bytes;
    int major, minor;            /* compute capability */
    int multiprocessors;
} cuda_device_info;

/* 1 when this build contains the CUDA backend. */
int backend_cuda_compiled(void);

/* Fill up to capacity devices and *count; THIRST_ERR_RUNTIME with the reason (no device, driver
 * older than the runtime, not compiled in) when none is usable. */
int backend_cuda_devices(cuda_device_info *list, int capacity, int *count, char *err,
                         size_t errlen);

/* Run the plan on device options->device with options' launch shape (results do not depend
 * on it); totals as the CPU backend fills them. */
int backend_cuda_run(const draw_plan *plan, const float *data,
                     const engine_options *options,
                     run_state *totals, char *err, size_t errlen);

struct quantile_range_s;   /* quantile.h */

/* A refinement pass on the device: as engine_refine_cpu. */
int backend_cuda_refine(const draw_plan *plan, const float *data,
                        const engine_options *options,
                        const struct quantile_range_s *ranges, int range_count,
                        const int32_t *first_range, int count_total, uint64_t *counts,
                        char *err, size_t errlen);

/* The first `count` draws from draw `first`: uniform words (count x plan->word_count), model
 * inputs (count x MODEL_SLOT_COUNT) and reported outputs (count x plan->output_count), computed
 * on the device, for agreement tests against engine_eval_draw. */
int backend_cuda_first_draws(const draw_plan *plan, const float *data, int device, uint64_t first, int count,
                             uint32_t *words, float *inputs, float *outputs, char *err,
                             size_t errlen);

/* The Sobol design's per-batch sums (batches x output_count x SOBOL_STRIDE(prior_count)
 * doubles, added to batch_sums) for base draws [0, base_draws) on the device. */
int backend_cuda_sobol(const draw_plan *plan, const float *data,
                       const engine_options *options,
                       uint64_t base_draws, int batches, double *batch_sums, char *err,
                       size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
