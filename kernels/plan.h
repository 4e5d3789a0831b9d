/* plan.h: everything one draw and its accumulation need, as one plain struct that both
 * backends read: the seed and the range of draws, the model configuration, the sampled priors
 * and the words a draw reads, the fixed inputs, the reported outputs and, per reported output,
 * the shift, scale and histogram layout. It holds no pointer, so it is copied to GPU constant
 * memory as it is; the float data of quantile tables and choice options (data_count floats)
 * travels beside it. host/engine.c makes it from a scenario (engine_plan_make). */
#ifndef THIRST_PLAN_H
#define THIRST_PLAN_H

#include "accum.h"
#include "hd.h"
#include "model.h"
#include "prior.h"

#define PLAN_MAX_PRIORS 32   /* sampled priors of one scenario at the most */

typedef struct {
    uint64_t seed;
    uint64_t first_draw;
    uint64_t draws;
    model_config model;
    int32_t prior_count;                          /* sampled priors only */
    prior_spec priors[PLAN_MAX_PRIORS];
    int32_t data_count;                           /* floats of the data beside the plan */
    int32_t word_count;                           /* uniform words a draw reads */
    float fixed_inputs[MODEL_SLOT_COUNT];         /* input slots before the priors apply */
    int32_t output_count;
    int32_t outputs[MODEL_OUTPUT_COUNT];          /* enum model_output per reported output */
    float shift[MODEL_OUTPUT_COUNT];              /* per reported output: pilot mean */
    float scale[MODEL_OUTPUT_COUNT];              /* per reported output: a power of 2 near
                                                     1 / the pilot's largest |x - shift|; Sobol
                                                     terms are scaled by it (exactly), so that
                                                     their squares stay in the float range */
    accum_hist_spec hist[MODEL_OUTPUT_COUNT];     /* per reported output */
    int32_t hist_offset[MODEL_OUTPUT_COUNT];      /* first counter of output o in a flat
                                                     histogram */
    int32_t hist_total;                           /* counters in a flat histogram */
} draw_plan;

#endif
