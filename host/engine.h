/* engine.h: a run is the range of draw indices [0, draws); the engine plans it (a pilot over the
 * first draws fixes each output's histogram range and moment shift), hands it to a backend in
 * work units of ENGINE_UNIT_DRAWS consecutive draws, and owns the merged totals. Backends
 * compute each unit's partial sums independently and merge them in unit order, so results do
 * not depend on thread count or launch shape. */
#ifndef THIRST_ENGINE_H
#define THIRST_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "../kernels/accum.h"
#include "../kernels/plan.h"
#include "scenario.h"
#include "state.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENGINE_UNIT_DRAWS 65536u        /* draws in one work unit */
#define ENGINE_PILOT_DRAWS 65536u       /* draws the pilot looks at */
#define ENGINE_MANTISSA_BITS 10         /* CPU histogram: 1024 bins per octave */
#define ENGINE_MANTISSA_BITS_GPU 7      /* CUDA histogram: 128 bins per octave (shared memory) */
#define ENGINE_MAX_BINS 65536           /* histogram bins per output at most */
#define ENGINE_MARGIN_OCTAVES 4         /* histogram range beyond the pilot's min and max */

/* Called from the engine's thread between rounds of work (never concurrently): draws done of
 * total, and the worst relative Monte Carlo error so far (NaN until known). */
typedef void (*engine_progress_fn)(void *context, uint64_t done, uint64_t total,
                                   double worst_relative_error);

/* How a backend runs a plan. */
typedef struct {
    int threads;                    /* CPU threads, >= 1 */
    int device;                     /* CUDA device index */
    int block_threads;              /* CUDA threads per block, a multiple of 256 (0: 256) */
    int grid_blocks;                /* CUDA blocks (0: 8 per multiprocessor) */
    engine_progress_fn progress;    /* may be NULL */
    void *progress_context;
} engine_options;

/* Plan a run of s: copy the sampled priors, run the pilot, fix histogram layouts (at most
 * 2^mantissa_bits bins per octave) and shifts. */
int engine_plan_make(const scenario *s, uint64_t draws, uint64_t seed, int mantissa_bits,
                     draw_plan *plan, char *err, size_t errlen);

/* Backends add a plan's draws to a run_state (state.h) of the plan's layout (output_count,
 * hist_total): unit by unit, in unit order, so a run can be extended by more draws. */

/* Draw `draw` of plan on the CPU: its words (Philox; may be NULL), inputs (MODEL_SLOT_COUNT
 * floats) and reported outputs (plan order), through draw_eval (kernels/draw.h); data is the
 * plan's float data. The reference used by the pilot, dumps, `thirst draws` and tests. */
void engine_eval_draw(const draw_plan *plan, const float *data, uint64_t draw, uint32_t *words,
                      float *inputs, float *outputs);

struct quantile_range_s;   /* quantile.h */

/* Key ranges whose values a pass counts in sub-bins: range r's values go to
 * counts[ranges[r].offset + ((key - key_low) >> shift)]. Ranges are sorted by output and key
 * (quantile.h) and first_range comes from quantile_bin_table. A pass adds to counts. */
typedef struct {
    const struct quantile_range_s *ranges;
    int range_count;
    const int32_t *first_range;     /* plan->hist_total entries */
    int count_total;
    uint64_t *counts;               /* count_total counters */
} engine_range_counts;

/* Run the whole plan on the CPU backend into t; with ranges (may be NULL), also count the
 * values in those ranges (the windows of exact quantiles, quantile.h). */
int engine_run_cpu(const draw_plan *plan, const float *data, const engine_options *options,
                   const engine_range_counts *ranges, run_state *t, char *err, size_t errlen);

/* A refinement pass on the CPU backend: re-draw the plan's draws and add the sub-bin counts of
 * the values in ranges to ranges->counts. */
int engine_refine_cpu(const draw_plan *plan, const float *data, const engine_options *options,
                      const engine_range_counts *ranges, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
