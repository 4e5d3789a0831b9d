/* engine.h: a run is the range of draw indices [0, draws); the engine plans it (a pilot over the
 * first draws fixes each output's histogram range and moment shift) into a draw_plan
 * (kernels/plan.h) that a backend (backend.h) runs in work units, and evaluates single draws
 * on the CPU as the reference. The CPU backend's work unit is ENGINE_UNIT_DRAWS consecutive
 * draws; backends compute each unit's partial sums independently and merge them in unit order
 * (state.h), so results do not depend on thread count or launch shape. */
#ifndef THIRST_ENGINE_H
#define THIRST_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "../kernels/plan.h"
#include "scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENGINE_UNIT_DRAWS 65536u        /* draws in one work unit */
#define ENGINE_PILOT_DRAWS 65536u       /* draws the pilot looks at */
#define ENGINE_MANTISSA_BITS 10         /* CPU histogram: 1024 bins per octave */
#define ENGINE_MANTISSA_BITS_GPU 7      /* CUDA histogram: 128 bins per octave (shared memory) */
#define ENGINE_CHUNK_DRAWS 256          /* CPU: draws evaluated together in the batch loop */
#define ENGINE_SOBOL_DRAWS 64           /* CPU: base draws of the Sobol design evaluated together */

/* The instruction sets the CPU's batch loops are compiled for (target_clones, chosen at load
 * time; the same bits on each): CMake's THIRST_CPU_CLONES sets them (bench/ builds the AVX2
 * clone alone); targets that do not get the default. */
#ifndef THIRST_CPU_CLONES
#define THIRST_CPU_CLONES "arch=x86-64-v4", "avx2", "default"
#endif
#define ENGINE_MAX_BINS 65536           /* histogram bins per output at most */
#define ENGINE_MARGIN_OCTAVES 4         /* histogram range beyond the pilot's min and max */

/* How a run's draws are sampled (plan.h): plain Monte Carlo, or randomized QMC with
 * `replicates` independently scrambled and shifted replicates (draw i is point i / replicates of replicate
 * i % replicates). */
typedef struct {
    int kind;                   /* PLAN_SAMPLER_MC or PLAN_SAMPLER_RQMC */
    int replicates;             /* rqmc: ENGINE_MIN_REPLICATES..ENGINE_MAX_REPLICATES */
    int sobol_design;           /* rqmc: the plan is the Sobol design's (plan.h qmc_sobol:
                                   replicate-major, rows A and B from one 2d-dimensional point) */
} engine_sampler;

#define ENGINE_MIN_REPLICATES 8       /* rqmc: fewer make the quantiles' intervals collapse (a
                                         replicate's fraction at or below a quantile is a multiple
                                         of 1 / points, and at R = 2 the two are often equal: 7 %
                                         coverage of a 2.5 % quantile measured at R = 2, 0.94 at 3) */
#define ENGINE_MAX_REPLICATES PLAN_MAX_REPLICATES   /* rqmc: replicates at the most */
#define ENGINE_DEFAULT_REPLICATES 32  /* rqmc: Student t with 31 degrees of freedom (2.04) */

/* Plan a run of s: copy the sampled priors, run the pilot, fix histogram layouts (at most
 * 2^mantissa_bits bins per octave) and shifts; Monte Carlo draws. */
int engine_plan_make(const scenario *s, uint64_t draws, uint64_t seed, int mantissa_bits,
                     draw_plan *plan, char *err, size_t errlen);

/* Whether a run of draws fits sampler: always under Monte Carlo; under rqmc the draws must be
 * replicates x 2^m (each replicate's points a power of two: the Sobol' points' balance, and
 * their error, hold for those), 2^m <= 2^32 (QMC_BITS direction numbers). THIRST_ERR_INPUT
 * naming `what` (the flag or the file's field the count came from) and the nearest sizes that
 * fit. */
int engine_sampler_check_draws(const engine_sampler *sampler, uint64_t draws, const char *what,
                               char *err, size_t errlen);

/* engine_sampler_check_draws for a fixed run of draws (named `what`), or for an adaptive run
 * (adaptive != 0) whose cap max_draws must hold one point per replicate (THIRST_ERR_INPUT
 * naming --max-draws). */
int engine_sampler_check_run(const engine_sampler *sampler, uint64_t draws, const char *what,
                             int adaptive, uint64_t max_draws, char *err, size_t errlen);

#define ENGINE_QMC_MAX_POINTS (1ull << QMC_BITS)   /* rqmc: points per replicate at the most */

/* The rqmc size, replicates x 2^m, nearest to draws on a log scale. */
uint64_t engine_rqmc_draws_near(int replicates, uint64_t draws);

/* The largest rqmc size, replicates x 2^m, at most draws (0 when draws < replicates). */
uint64_t engine_rqmc_draws_at_most(int replicates, uint64_t draws);

/* engine_plan_make under sampler (NULL: Monte Carlo); the pilot's draws are the run's own
 * first draws under that sampler. Under rqmc the plan owns the run's table of scrambled
 * direction numbers and shifts (plan->host_qmc_table: replicates x word_count rows of
 * DRAW_QMC_ROW words, from draw_qmc_columns and the shifts): free it with engine_plan_release.
 * THIRST_ERR_INPUT for replicates out of range. */
int engine_plan_make_sampled(const scenario *s, uint64_t draws, uint64_t seed, int mantissa_bits,
                             const engine_sampler *sampler, draw_plan *plan, char *err,
                             size_t errlen);

/* Free what a plan owns (rqmc's table; nothing under Monte Carlo); its copies lose it too. */
void engine_plan_release(draw_plan *plan);

/* Draw `draw` of plan on the CPU: its words (the plan's sampler; may be NULL), inputs (DRAW_INPUT_SLOTS
 * floats) and reported outputs (plan order), through draw_eval (kernels/draw.h); data is the
 * plan's float data. The reference used by dumps, `thirst draws` and tests (the pilot goes
 * through engine_eval_batch, its bits). */
void engine_eval_draw(const draw_plan *plan, const float *data, uint64_t draw, uint32_t *words,
                      float *inputs, float *outputs);

/* The CPU backend's vectorised batch loop (backend_cpu.c) for draws [first, first + n),
 * n <= ENGINE_CHUNK_DRAWS: every output, outputs[k * ENGINE_CHUNK_DRAWS + i] for output
 * k (enum model_output, or the scenario's own MODEL_OUTPUT_COUNT + j; DRAW_OUTPUTS rows) of draw
 * first + i. Bit for bit the outputs of draw_eval (tested). */
void engine_eval_batch(const draw_plan *plan, const float *data, uint64_t first, int n,
                       float *outputs);

/* The CPU backend's vectorised Sobol batches (cpu_batch.c): the Sobol terms (kernels/sobol.h)
 * of base draws [first, first + n), n >= 0, in columns of ENGINE_SOBOL_DRAWS, added in draw
 * order to sums[0..SOBOL_TERMS(plan)). Bit for bit the sums of sobol_draw's terms one draw at
 * a time (tested). */
void engine_sobol_batch(const draw_plan *plan, const float *data, uint64_t first, int n,
                        double *sums);

#ifdef __cplusplus
}
#endif

#endif
