/* backend.h: the one interface between the work (runner.c, sensitivity.c, `thirst draws`) and
 * the machines that do it. A backend is a struct of function pointers: cpu (backend_cpu.c)
 * and cuda (backend_cuda.c, or backend_cuda_none.c's stub when CUDA is not built); callers
 * hold a `const backend *` and never call a backend's functions by name. Every function takes
 * a job (the plan, its float data, the options), returns a status and fills err; none prints.
 * backend_choose turns --backend/--device into a backend, and is, with backend_retry_on_cpu,
 * the one place where CUDA falls back to the CPU. */
#ifndef THIRST_BACKEND_H
#define THIRST_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "../kernels/accum.h"
#include "../kernels/plan.h"
#include "state.h"
#include "status.h"

/* Called from the backend's calling thread between rounds of work (never concurrently): draws
 * done of total, and the worst relative Monte Carlo error so far (NaN until known). */
typedef void (*backend_progress_fn)(void *context, uint64_t done, uint64_t total,
                                    double worst_relative_error);

/* How a backend runs a job; launch settings never change results. */
typedef struct {
    int threads;                    /* CPU threads, >= 1 */
    int device;                     /* CUDA device index */
    int block_threads;              /* CUDA threads per block, a multiple of 256 (0: 256) */
    int grid_blocks;                /* CUDA blocks (0: 8 per multiprocessor) */
    int launch_units;               /* CUDA: work units (Sobol: chunks) per launch, 0: the
                                       most (tests set a few to cover every later launch) */
    int global_histogram;           /* CUDA: count the histogram in global memory even where
                                       shared memory would hold it (tests) */
    backend_progress_fn progress;   /* may be NULL */
    void *progress_context;
    const char *cpu_only;           /* why only the CPU backend can run the job (NULL: any) */
} backend_options;

/* One piece of work: draws [plan->first_draw, plan->first_draw + plan->draws) of plan, whose
 * float data (quantile tables, choice options: plan->data_count floats) is data. */
typedef struct {
    const draw_plan *plan;
    const float *data;
    const backend_options *options;
    /* The values of draws kept in memory (backends that count windows): reported output o of
     * draw d at values[(d - values_first) * plan->output_count + o], for draws [values_first,
     * values_first + values_stride). With keep, run() writes the values of the job's draws in
     * that span there; with kept, refine() counts them from there instead of drawing again
     * (the same floats, so the same counts). NULL: neither. */
    float *keep;
    const float *kept;
    uint64_t values_first, values_stride;
} backend_job;

/* Key ranges whose values a pass counts in sub-bins (the windows and passes of exact quantiles,
 * quantile.h): a value of output o in range r adds 1 to counts[accum_range_counter(...)].
 * first_range points each of the plan's histogram counters at the first range that can hold its
 * values (-1: none). A pass adds to counts. */
typedef struct {
    const accum_range *ranges;
    int range_count;
    const int32_t *first_range;     /* plan->hist_total entries */
    int count_total;
    uint64_t *counts;               /* count_total counters */
} backend_ranges;

typedef struct backend_s backend;

struct backend_s {
    const char *name;               /* "cpu" or "cuda", as reports name it */
    int mantissa_bits;              /* histogram resolution of run(): 2^bits bins per octave */
    int counts_windows;             /* 1 when run() also counts quantile windows (ranges) */
    int segment_units;              /* work units per segment of a checkpointed pass (each a
                                       run(), then a check for a stop or a checkpoint): enough
                                       to amortise a run()'s fixed cost. cpu 64 (4.2e6 draws,
                                       0.08 s on 2 cores); cuda 4096 (2.7e8 draws: 4-30 ms at
                                       7e10-1e10 draws/s, against about 1 ms of launches and
                                       copies per run(), napkin math, never measured); the
                                       wrappers: their inner's times their parts, so that every
                                       rank and device gets the inner's share */
    int keeps_values;               /* 1 when run() and the passes honour backend_job keep and
                                       kept (the CPU); the wrappers over ranks and devices: 0
                                       (values stay where they were drawn) */
    /* Whether the backend can run with options (device present, index valid); device_name gets
     * what it runs on. THIRST_ERR_RUNTIME (not usable here) or THIRST_ERR_INPUT (bad index). */
    int (*check)(const backend_options *options, char *device_name, size_t name_size,
                 char *err, size_t errlen);
    /* Add the job's draws to state (the plan's layout), unit by unit in unit order; with
     * ranges (only when counts_windows; else NULL), also count the values in them. */
    int (*run)(const backend_job *job, const backend_ranges *ranges, run_state *state,
               char *err, size_t errlen);
    /* An exact-quantile pass: re-draw the job's draws and add their counts in ranges. */
    int (*refine)(const backend_job *job, const backend_ranges *ranges, char *err,
                  size_t errlen);
    /* Batches [first_batch, end_batch) of the Sobol design of base draws [0, base_draws) into
     * state's Sobol part (run_state_alloc_sobol; state->sobol_end == first_batch). */
    int (*sobol)(const backend_job *job, uint64_t base_draws, int first_batch, int end_batch,
                 run_state *state, char *err, size_t errlen);
    /* rqmc: for each k < count, add to counts[r * count + k] how many of the job's values of
     * reported output outputs[k] in replicate r (draw i in replicate i % plan->replicates) are
     * at or below thresholds[k] (counted from job->kept where it holds them). */
    int (*count_replicates)(const backend_job *job, int count, const int *outputs,
                            const float *thresholds, uint64_t *counts, char *err,
                            size_t errlen);
    /* Draws [first, first + count): words (count x plan->word_count), inputs (count x
     * DRAW_INPUT_SLOTS) and reported outputs (count x plan->output_count). */
    int (*first_draws)(const backend_job *job, uint64_t first, int count, uint32_t *words,
                       float *inputs, float *outputs, char *err, size_t errlen);
};

/* Share k of count of a job's draws as a plan of its own: whole work units
 * [units k / count, units (k + 1) / count) of the plan's (possibly none), contiguous and in
 * order over k, so the shares' states merge in unit order (backend_mpi.c, backend_devices.c). */
draw_plan backend_plan_share(const draw_plan *plan, uint64_t k, uint64_t count);

/* The CPU backend (OpenMP; always present). */
const backend *backend_cpu(void);

/* The CUDA backend; when this build has no CUDA, a stub whose every function says so. */
const backend *backend_cuda(void);

/* A backend chosen from --backend (auto, cpu or cuda) and --device. */
typedef struct {
    const backend *chosen;
    int automatic;                  /* --backend auto: a CUDA failure may fall back */
    char device_name[256];          /* what it runs on ("" for the CPU) */
    char note[THIRST_ERR_LEN];      /* why auto chose the CPU, or which device it chose */
} backend_choice;

/* Resolve name and options->device: cpu; cuda (THIRST_ERR_RUNTIME when unusable); auto: cuda
 * when usable, else cpu with the reason in note. A --device index the machine lacks is
 * THIRST_ERR_INPUT for cuda, and for auto when it is not the default 0. */
int backend_choose(const char *name, const backend_options *options, backend_choice *choice,
                   char *err, size_t errlen);

/* After a job failed with status on choice: 1 when it should run again on the CPU (auto chose
 * CUDA and the device failed: THIRST_ERR_DEVICE), and then choice becomes the CPU, with note
 * saying why; else 0. A failure of the model or of the statistics (non-finite outputs, no
 * convergence) would fail on the CPU too and is not retried. */
int backend_retry_on_cpu(backend_choice *choice, int status, const char *failure);

#endif
