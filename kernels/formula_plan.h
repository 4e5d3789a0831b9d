/* formula_plan.h: a scenario's formulas around the built-in model, for one draw: which input
 * slots the program reads (built-in parameters and the user's own, whose slots follow the
 * model's), which built-in inputs formulas feed (run before the model), which model outputs
 * later formulas read, and which values are the scenario's own outputs (after the model's in the
 * outputs array). formula_plan_eval is the composition; the host builds the plan from a scenario
 * (DESIGN.md section 9). Its value file is compact (only what the formulas use), so that the GPU
 * can hold it in shared memory rather than local memory. */
#ifndef THIRST_FORMULA_PLAN_H
#define THIRST_FORMULA_PLAN_H

#include "formula.h"
#include "model.h"

#define FORMULA_MAX_USER_PARAMS 32    /* the user's own parameters (slots after the model's) */
#define FORMULA_MAX_USER_OUTPUTS 16   /* the scenario's own outputs */
#define FORMULA_MAX_LOADS 64          /* input slots the formulas read */
#define FORMULA_MAX_FED 16            /* built-in inputs that formulas feed */

/* Input slots of a draw: the model's, then the user's parameters. */
#define DRAW_INPUT_SLOTS (MODEL_SLOT_COUNT + FORMULA_MAX_USER_PARAMS)
/* Outputs of a draw: the model's (enum model_output), then the scenario's own. */
#define DRAW_OUTPUTS (MODEL_OUTPUT_COUNT + FORMULA_MAX_USER_OUTPUTS)

/* The formulas of a scenario. Values [0, input_count) are the input slots input_slot[], then
 * [input_count, input_count + model_output_count) the model outputs model_output[]; the
 * formulas' own results, constants and temporaries follow (the program's layout). */
typedef struct {
    formula_program program;
    int32_t before_model;                          /* ops [0, before_model) run before the model */
    int32_t uses_model;                            /* 0: "model": "formula", no built-in model */
    int32_t input_count;
    uint16_t input_slot[FORMULA_MAX_LOADS];        /* value k <- inputs[input_slot[k]] */
    int32_t fed_count;
    uint16_t fed_value[FORMULA_MAX_FED];           /* inputs[fed_slot[k]] <- values[fed_value[k]] */
    uint16_t fed_slot[FORMULA_MAX_FED];            /* (before the model runs) */
    int32_t model_output_count;
    uint16_t model_output[MODEL_OUTPUT_COUNT];     /* value input_count + k <- outputs[model_output[k]] */
    int32_t user_output_count;
    uint16_t user_output_value[FORMULA_MAX_USER_OUTPUTS];   /* outputs[MODEL_OUTPUT_COUNT + k] */
} formula_plan;

/* One draw through the formulas and the model: inputs (DRAW_INPUT_SLOTS floats, the priors
 * applied; formulas may feed some of them), outputs (DRAW_OUTPUTS floats), values (at least
 * f->program.value_count values of scratch, value k at values[k * stride]: the GPU's value file
 * in shared memory is strided by the block's threads). */
static inline HD void formula_plan_eval_strided(const formula_plan *f, const model_config *m,
                                                float *inputs, float *outputs, float *values,
                                                int stride)
{
    for (int k = 0; k < f->input_count; k++) values[k * stride] = inputs[f->input_slot[k]];
    formula_load_constants_strided(&f->program, values, stride);
    formula_run_range_strided(&f->program, 0, f->before_model, values, stride);
    for (int k = 0; k < f->fed_count; k++)
        inputs[f->fed_slot[k]] = values[f->fed_value[k] * stride];
    if (f->uses_model) model_eval(m, inputs, outputs);
    for (int k = 0; k < f->model_output_count; k++)
        values[(f->input_count + k) * stride] = outputs[f->model_output[k]];
    formula_run_range_strided(&f->program, f->before_model, f->program.op_count, values, stride);
    for (int k = 0; k < f->user_output_count; k++)
        outputs[MODEL_OUTPUT_COUNT + k] = values[f->user_output_value[k] * stride];
}

/* The same with a contiguous value file (the CPU's). */
static inline HD void formula_plan_eval(const formula_plan *f, const model_config *m,
                                        float *inputs, float *outputs, float *values)
{
    formula_plan_eval_strided(f, m, inputs, outputs, values, 1);
}

#endif
