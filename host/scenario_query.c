/* scenario_query.c: what a loaded scenario says: its workload's name, the names and units of its
 * outputs and input slots (the model's and the user's own), which slots its parameters or
 * formulas set, and the inputs and outputs at its point values. */
#include <string.h>

#include "model_rules.h"
#include "scenario.h"
#include "units.h"

const char *scenario_workload_name(const scenario *s)
{
    static const char *const NAMES[] = {"training", "inference", "ishigami", "gfunction",
                                        "formula"};
    return NAMES[s->model.workload];
}

/* The formula that is output out (MODEL_OUTPUT_COUNT + k), or NULL. */
static const scenario_formula *own_output(const scenario *s, int out)
{
    for (int k = 0; k < s->formula_count; k++)
        if (s->formulas[k].output == out) return &s->formulas[k];
    return NULL;
}

const char *scenario_output_name(const scenario *s, int out)
{
    const scenario_formula *f = out >= MODEL_OUTPUT_COUNT ? own_output(s, out) : NULL;
    if (out >= MODEL_OUTPUT_COUNT) return f ? f->name : "?";
    return model_rules_output_name(s->model.workload, out);
}

const char *scenario_output_unit(const scenario *s, int out)
{
    const scenario_formula *f = out >= MODEL_OUTPUT_COUNT ? own_output(s, out) : NULL;
    if (out >= MODEL_OUTPUT_COUNT) return f ? f->unit : "";
    return model_rules_output_unit(s->model.workload, out);
}

int scenario_input_slots(const scenario *s) { return MODEL_SLOT_COUNT + s->user_param_count; }

/* The user's own parameter of slot, or NULL. */
static const scenario_param *own_param(const scenario *s, int slot)
{
    for (int k = 0; k < s->param_count; k++)
        if (s->params[k].is_user && s->params[k].prior.slot == slot) return &s->params[k];
    return NULL;
}

const char *scenario_input_name(const scenario *s, int slot)
{
    const scenario_param *p = slot >= MODEL_SLOT_COUNT ? own_param(s, slot) : NULL;
    if (slot >= MODEL_SLOT_COUNT) return p ? p->name : "?";
    return units_param_of_slot(slot)->name;
}

const char *scenario_input_unit(const scenario *s, int slot)
{
    const scenario_param *p = slot >= MODEL_SLOT_COUNT ? own_param(s, slot) : NULL;
    if (slot >= MODEL_SLOT_COUNT) return p ? p->unit : "";
    return units_param_of_slot(slot)->unit;
}

void scenario_point_eval(const scenario *s, float *inputs, float *outputs)
{
    if (s->formula_count) {
        float values[FORMULA_MAX_VALUES];
        formula_plan_eval(&s->formula_plan, &s->model, inputs, outputs, values);
    } else {
        model_eval(&s->model, inputs, outputs);
    }
}

void scenario_point_inputs(const scenario *s, float *inputs)
{
    memcpy(inputs, s->fixed_inputs, sizeof s->fixed_inputs);
    for (int k = 0; k < s->param_count; k++) {
        const scenario_param *sp = &s->params[k];
        double v = sp->has_point ? sp->point : sp->median;
        if (sp->prior.dist != PRIOR_CHOICE) {
            inputs[sp->prior.slot] = (float)v;
            continue;
        }
        if (!sp->is_group) {
            inputs[sp->prior.choice_slot[0]] = (float)v;
            continue;
        }
        const float *values = s->prior_data + sp->prior.data_offset + sp->prior.data_count +
                              (int)v * sp->prior.choice_slot_count;
        for (int m = 0; m < sp->prior.choice_slot_count; m++)
            inputs[sp->prior.choice_slot[m]] = values[m];
    }
}

int scenario_slot_used(const scenario *s, int slot)
{
    for (int k = 0; k < s->formula_count; k++)
        if (s->formulas[k].fed_slot == slot) return 1;
    for (int k = 0; k < s->param_count; k++) {
        const prior_spec *p = &s->params[k].prior;
        if (p->dist != PRIOR_CHOICE && p->slot == slot) return 1;
        for (int m = 0; p->dist == PRIOR_CHOICE && m < p->choice_slot_count; m++)
            if (p->choice_slot[m] == slot) return 1;
    }
    return 0;
}
