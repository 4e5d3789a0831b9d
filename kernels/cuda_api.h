/* cuda_api.h: the plain C interface of the CUDA code in kernels/cuda_*.cu, for the host's CUDA
 * backend (host/backend_cuda.c). It names only kernels/ types (the plan, accumulators, key
 * ranges), so the .cu files include nothing outside kernels/. Every function returns
 * CUDA_API_OK or an error code with err filled (the call, file, line and CUDA's message); none
 * prints. The host maps the codes onto its status codes. */
#ifndef THIRST_CUDA_API_H
#define THIRST_CUDA_API_H

#include <stddef.h>
#include <stdint.h>

#include "accum.h"
#include "plan.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    CUDA_API_OK = 0,
    CUDA_API_RUNTIME = 1,   /* no device, driver, out of memory, a failed launch */
    CUDA_API_INPUT = 2      /* a launch setting or device index the user gave is not possible */
};

/* One CUDA device. */
typedef struct {
    int index;
    char name[256];
    size_t memory_bytes;
    int major, minor;            /* compute capability */
    int multiprocessors;
} cuda_device_info;

/* Where and how to launch; results do not depend on block_threads or grid_blocks. */
typedef struct {
    int device;                  /* device index */
    int block_threads;           /* threads per block of the run and refinement kernels, a
                                    multiple of LAUNCH_UNIT_LANES (0: 256); the Sobol kernel's
                                    blocks are one chunk's SOBOL_CHUNK threads */
    int grid_blocks;             /* blocks (0: 8 per multiprocessor; Sobol: as many as fit) */
    int launch_units;            /* work units (Sobol: chunks) per launch (0: the most) */
    int global_histogram;        /* 1: the histogram in global memory even where shared memory
                                    would hold it (for tests of that path) */
} cuda_launch;

/* Called after each launch of a run with its units' partials, in unit order: unit_count x
 * plan->output_count moments (unit-major), and the draws done so far of the plan's. */
typedef void (*cuda_units_fn)(void *context, uint64_t unit_count, const accum_moments *partials,
                              uint64_t draws_done);

/* Called after each launch of a refinement pass or of the Sobol design: the draws (base draws)
 * done so far of total. */
typedef void (*cuda_progress_fn)(void *context, uint64_t done, uint64_t total);

/* Up to capacity devices into list and *count; CUDA_API_RUNTIME with the reason (no device, no
 * driver, a driver older than the runtime) when none is usable. */
int cuda_api_devices(cuda_device_info *list, int capacity, int *count, char *err, size_t errlen);

/* Whether device can run this build's kernels: it exists, and the build holds code for its
 * compute capability (CUDA_API_RUNTIME with a one-line reason naming both, else CUDA_API_OK).
 * Checked before the first launch, so that --backend auto can choose the CPU instead. */
int cuda_api_check(int device, char *err, size_t errlen);

/* The plan's draws on the device in GPU units of LAUNCH_UNIT_DRAWS (kernels/launch.h): unit
 * partials go to on_units in unit order, histogram counts are added to hist (plan->hist_total
 * counters). data: the plan's float data (plan->data_count floats). */
int cuda_api_run(const draw_plan *plan, const float *data, const cuda_launch *launch,
                 cuda_units_fn on_units, void *context, uint64_t *hist, char *err,
                 size_t errlen);

/* An exact-quantile pass on the device: re-draw the plan's draws and add to counts
 * (count_total counters) the values in ranges; first_range (plan->hist_total entries) points
 * each histogram bin at the first range that can hold its values (-1: none). Launches of at
 * most 2^30 draws (launch->launch_units units of LAUNCH_UNIT_DRAWS, if set), each followed by
 * progress (may be NULL). */
int cuda_api_refine(const draw_plan *plan, const float *data, const cuda_launch *launch,
                    const accum_range *ranges, int range_count, const int32_t *first_range,
                    int count_total, uint64_t *counts, cuda_progress_fn progress,
                    void *context, char *err, size_t errlen);

/* Batches [first_batch, end_batch) of the Sobol design of base draws [0, base_draws) cut into
 * `batches` batches of whole chunks (kernels/sobol.h, launch.h): their term sums (each
 * SOBOL_TERMS(plan) doubles) are added to batch_sums, row b - first_batch
 * for batch b. */
int cuda_api_sobol(const draw_plan *plan, const float *data, const cuda_launch *launch,
                   uint64_t base_draws, int batches, int first_batch, int end_batch,
                   double *batch_sums, cuda_progress_fn progress, void *context, char *err,
                   size_t errlen);

/* Draws [first, first + count) on the device: uniform words (count x plan->word_count), inputs
 * (count x MODEL_SLOT_COUNT) and reported outputs (count x plan->output_count). */
int cuda_api_first_draws(const draw_plan *plan, const float *data, int device, uint64_t first,
                         int count, uint32_t *words, float *inputs, float *outputs, char *err,
                         size_t errlen);

/* rqmc (kernels/cuda_replicates.cu): the number of (replicate, segment) partials of a pass over
 * the plan's draws, each an item: replicate item % replicates, a segment of its points fixed
 * by the plan alone. */
uint64_t cuda_api_replicate_items(const draw_plan *plan);

/* rqmc: each item's n, sum of (x - shift) and sum of (x - shift)^2 per reported output, into
 * partials[(item * plan->output_count + o) * 3 + 0..2] (cuda_api_replicate_items items), each
 * summed by one thread in point order; the host adds them exactly. */
int cuda_api_replicate_sums(const draw_plan *plan, const float *data, const cuda_launch *launch,
                            double *partials, char *err, size_t errlen);

/* rqmc: add to counts[r * count + k] the values of reported output outputs[k] of the plan's
 * draws in replicate r at or below thresholds[k]. */
int cuda_api_replicate_counts(const draw_plan *plan, const float *data, const cuda_launch *launch,
                              int count, const int *outputs, const float *thresholds,
                              uint64_t *counts, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
