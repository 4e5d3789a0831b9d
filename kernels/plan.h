/* plan.h: everything one draw and its accumulation need, as one plain struct that both
 * backends read: the seed and the range of draws, the model configuration, the sampled priors
 * and the words a draw reads, the fixed inputs, the reported outputs and, per reported output,
 * the shift, scale and histogram layout, and the scenario's formulas. It holds no pointer that
 * a device reads (rqmc's host_qmc_table is the host's alone), so it is copied to the GPU as it
 * is; the float data of quantile tables and choice options (data_count floats) travels beside
 * it. host/engine.c makes it from a scenario (engine_plan_make). */
#ifndef THIRST_PLAN_H
#define THIRST_PLAN_H

#include "accum.h"
#include "copula.h"
#include "formula_plan.h"
#include "hd.h"
#include "model.h"
#include "prior.h"
#include "qmc.h"

#define PLAN_MAX_PRIORS 32   /* sampled priors of one scenario at the most */
#define PLAN_MAX_WORDS 32    /* uniform words one draw reads at the most (one per prior) */
#define PLAN_MAX_REPLICATES 1024   /* rqmc replicates at the most (their sums are in the state) */
#define PLAN_QMC_DIMS (2 * PLAN_MAX_WORDS)   /* Sobol' dimensions: rows A and B of the Sobol design */

/* How draw i's uniform words are made (DESIGN.md sections 1 and 11). */
#define PLAN_SAMPLER_MC 0     /* Monte Carlo: words of the Philox stream (seed, i) */
#define PLAN_SAMPLER_RQMC 1   /* randomized QMC: point i / replicates of the Sobol' sequence,
                                 word j from dimension j, scrambled and XOR the digital shift of replicate
                                 i % replicates (draw.h: draw_plan_words) */
#define PLAN_MAX_OUTPUTS DRAW_OUTPUTS   /* reported outputs: the model's and the scenario's own */

typedef struct {
    uint64_t seed;
    uint64_t first_draw;
    uint64_t draws;
    model_config model;
    int32_t prior_count;                          /* sampled priors only */
    prior_spec priors[PLAN_MAX_PRIORS];
    copula_plan copula;                           /* correlated blocks; the Sobol factors */
    int32_t data_count;                           /* floats of the data beside the plan */
    int32_t word_count;                           /* uniform words a draw reads */
    int32_t sampler;                              /* PLAN_SAMPLER_MC or PLAN_SAMPLER_RQMC */
    int32_t replicates;                           /* rqmc: independently randomised replicates
                                                     (draw i in replicate i % replicates) */
    int32_t qmc_dims;                             /* rqmc: Sobol' dimensions in use: the
                                                     words (runs), or twice them (the Sobol
                                                     design: row B's words after row A's) */
    int32_t qmc_sobol;                            /* rqmc: 1 for the Sobol design's layout:
                                                     base draw i is point i % P of replicate
                                                     i / P, P = qmc_points (a replicate is one
                                                     batch of the design); 0: draw i is point
                                                     i / replicates of replicate
                                                     i % replicates */
    uint64_t qmc_points;                          /* rqmc, Sobol design: P, the base draws per
                                                     replicate (the plan's draws / replicates;
                                                     kept apart, as a launch's part of the plan
                                                     has fewer draws) */
    uint32_t qmc_directions[PLAN_QMC_DIMS][QMC_BITS];   /* rqmc: dimension d's (Joe and Kuo
                                                     2008, host/qmc_directions.c) */
    const uint32_t *host_qmc_table;               /* rqmc, host only (never read on a device):
                                                     the run's scrambled direction numbers and
                                                     shifts (host/engine.c engine_plan_make_sampled
                                                     makes it, engine_plan_release frees it; a
                                                     copy of the plan borrows it); NULL: each draw
                                                     computes its own (draw.h draw_qmc_words) */
    int32_t input_slot_count;                     /* the model's slots and the user's params */
    float fixed_inputs[DRAW_INPUT_SLOTS];         /* input slots before the priors apply */
    int32_t has_formulas;                         /* run formulas (then the model per them) */
    formula_plan formulas;                        /* the scenario's own model, when has_formulas */
    int32_t output_count;
    int32_t outputs[PLAN_MAX_OUTPUTS];            /* draw output index per reported output: enum
                                                     model_output, or MODEL_OUTPUT_COUNT + k */
    float shift[PLAN_MAX_OUTPUTS];                /* per reported output: pilot mean */
    float scale[PLAN_MAX_OUTPUTS];                /* per reported output: a power of 2 near
                                                     1 / the pilot's largest |x - shift|; Sobol
                                                     terms are scaled by it (exactly), so that
                                                     their squares stay in the float range */
    accum_hist_spec hist[PLAN_MAX_OUTPUTS];       /* per reported output */
    int32_t hist_offset[PLAN_MAX_OUTPUTS];        /* first counter of output o in a flat
                                                     histogram */
    int32_t hist_total;                           /* counters in a flat histogram */
} draw_plan;

/* 1 when plan needs the GPU's general kernels (the <..., true> instantiations: formulas,
 * correlated blocks, or rqmc words), 0 when the fast ones hold everything it does. */
static inline HD int plan_general_kernels(const draw_plan *plan)
{
    return plan->has_formulas || plan->copula.block_count > 0 || plan->sampler != PLAN_SAMPLER_MC;
}

#endif
