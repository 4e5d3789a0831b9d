/* model_rules.c: the wiring rules of the built-in footprint model and of the benchmark models. */
#include "model_rules.h"

#include <string.h>

#include "status.h"
#include "units.h"

#define FAIL(...) status_fail(err, errlen, THIRST_ERR_INPUT, __VA_ARGS__)
/* Where the input of slot is given, for messages: has[] holds 1 for a parameter, 2 for a formula
 * that feeds it (host/scenario_formulas.c). */
#define GIVEN_IN(slot) (has[slot] == 2 ? "formulas" : "params")

/* Output names and units per workload, from the list. */
#define OUTPUT_TRAINING_NAME(e, tn, tu, in, iu, when) tn,
#define OUTPUT_TRAINING_UNIT(e, tn, tu, in, iu, when) tu,
#define OUTPUT_INFERENCE_NAME(e, tn, tu, in, iu, when) in,
#define OUTPUT_INFERENCE_UNIT(e, tn, tu, in, iu, when) iu,
static const char *const TRAINING_NAMES[] = {MODEL_OUTPUTS(OUTPUT_TRAINING_NAME)};
static const char *const TRAINING_UNITS[] = {MODEL_OUTPUTS(OUTPUT_TRAINING_UNIT)};
static const char *const INFERENCE_NAMES[] = {MODEL_OUTPUTS(OUTPUT_INFERENCE_NAME)};
static const char *const INFERENCE_UNITS[] = {MODEL_OUTPUTS(OUTPUT_INFERENCE_UNIT)};
_Static_assert(sizeof TRAINING_NAMES / sizeof TRAINING_NAMES[0] == MODEL_OUTPUT_COUNT,
               "one name per model output");

const char *model_rules_output_name(int workload, int out)
{
    if (workload >= MODEL_ISHIGAMI) return "y";
    return workload == MODEL_TRAINING ? TRAINING_NAMES[out] : INFERENCE_NAMES[out];
}

const char *model_rules_output_unit(int workload, int out)
{
    if (workload >= MODEL_ISHIGAMI) return "1";
    return workload == MODEL_TRAINING ? TRAINING_UNITS[out] : INFERENCE_UNITS[out];
}

/* A benchmark model takes exactly x1..xk and reports y (written to output 0). */
static int configure_benchmark(const char *file, scenario *s, const int *has, char *err,
                               size_t errlen)
{
    int k = s->model.coefficient_count;
    for (int slot = 0; slot < MODEL_SLOT_COUNT; slot++) {
        int wanted = slot >= SLOT_X1 && slot < SLOT_X1 + k;
        if (has[slot] && !wanted)
            return FAIL("%s: %s.%s: this %s model takes x1..x%d only", file, GIVEN_IN(slot),
                        units_param_of_slot(slot)->name,
                        s->model.workload == MODEL_ISHIGAMI ? "Ishigami" : "G-function", k);
        if (!has[slot] && wanted)
            return FAIL("%s: params: missing \"%s\" (the model takes x1..x%d)", file,
                        units_param_of_slot(slot)->name, k);
    }
    s->outputs[0] = 0;
    s->output_count = 1;
    return THIRST_OK;
}

/* Inputs of the wrong kind of scenario: benchmark inputs in a footprint model, training inputs
 * in an inference scenario and the reverse. */
static int check_workloads(const char *file, int training, const int *has, char *err,
                           size_t errlen)
{
    for (int slot = 0; slot < MODEL_SLOT_COUNT; slot++)
        if (has[slot] && units_param_of_slot(slot)->workloads == MODEL_FOR_BENCHMARK)
            return FAIL("%s: %s.%s: only benchmark models (\"model\") take x1..x8", file,
                        GIVEN_IN(slot), units_param_of_slot(slot)->name);
    for (int slot = 0; slot < MODEL_SLOT_COUNT; slot++) {
        int workloads = units_param_of_slot(slot)->workloads;
        if (has[slot] && !training && workloads == MODEL_FOR_TRAINING)
            return FAIL("%s: %s.%s: a training input in an inference scenario", file,
                        GIVEN_IN(slot), units_param_of_slot(slot)->name);
        if (has[slot] && training && workloads == MODEL_FOR_INFERENCE)
            return FAIL("%s: %s.%s: an inference input in a training scenario", file,
                        GIVEN_IN(slot), units_param_of_slot(slot)->name);
    }
    return THIRST_OK;
}

/* The energy chain: exactly one of accelerators x hours x kW, accelerator-hours x kW, or a given
 * energy (training); a given energy per query (inference). */
static int configure_energy(const char *file, model_config *m, const int *has,
                            int basis_facility, char *err, size_t errlen)
{
    int given = basis_facility ? ENERGY_GIVEN_FACILITY : ENERGY_GIVEN_IT;
    if (m->workload != MODEL_TRAINING) {
        if (!has[SLOT_WH_PER_QUERY])
            return FAIL("%s: params: missing \"wh_per_query\" (inference scenario)", file);
        m->energy_mode = given;
        return THIRST_OK;
    }
    int chain_accelerators = has[SLOT_ACCELERATORS] || has[SLOT_HOURS];
    int chain_hours = has[SLOT_ACCELERATOR_HOURS] != 0;
    int chain_energy = has[SLOT_ENERGY] != 0;
    if (chain_accelerators + chain_hours + chain_energy != 1 ||
        (chain_energy && has[SLOT_ACCELERATOR_KW]))
        return FAIL("%s: params: expected exactly one energy chain: accelerators + hours + "
                    "accelerator_kw, accelerator_hours + accelerator_kw, or energy", file);
    if (chain_accelerators) {
        const char *missing = !has[SLOT_ACCELERATORS]     ? "accelerators"
                              : !has[SLOT_HOURS]          ? "hours"
                              : !has[SLOT_ACCELERATOR_KW] ? "accelerator_kw"
                                                          : NULL;
        if (missing)
            return FAIL("%s: params: missing \"%s\" (energy = accelerators x hours x "
                        "accelerator_kw)", file, missing);
        m->energy_mode = ENERGY_FROM_ACCELERATORS;
    } else if (chain_hours) {
        if (!has[SLOT_ACCELERATOR_KW])
            return FAIL("%s: params: missing \"accelerator_kw\" (energy = accelerator_hours x "
                        "accelerator_kw)", file);
        m->energy_mode = ENERGY_FROM_ACCELERATOR_HOURS;
    } else {
        m->energy_mode = given;
    }
    return THIRST_OK;
}

/* PUE and the on-site water mode (WUE or cooling-tower physics, with optional cycles). */
static int configure_water(const char *file, model_config *m, const int *has, char *err,
                           size_t errlen)
{
    if (!has[SLOT_PUE])
        return FAIL("%s: params: missing \"pue\" (power usage effectiveness, >= 1)", file);
    if (has[SLOT_WUE_ONSITE] && has[SLOT_EVAPORATION_FRACTION])
        return FAIL("%s: %s.evaporation_fraction: give wue_onsite or the cooling-tower "
                    "inputs (evaporation_fraction), not both", file,
                    GIVEN_IN(SLOT_EVAPORATION_FRACTION));
    if (has[SLOT_LATENT_HEAT] && !has[SLOT_EVAPORATION_FRACTION])
        return FAIL("%s: %s.latent_heat: only used with evaporation_fraction", file,
                    GIVEN_IN(SLOT_LATENT_HEAT));
    if (has[SLOT_CYCLES_OF_CONCENTRATION] && !has[SLOT_WUE_ONSITE] &&
        !has[SLOT_EVAPORATION_FRACTION])
        return FAIL("%s: %s.cycles_of_concentration: needs an on-site water input "
                    "(wue_onsite or evaporation_fraction)", file,
                    GIVEN_IN(SLOT_CYCLES_OF_CONCENTRATION));
    m->onsite_mode = has[SLOT_WUE_ONSITE]             ? ONSITE_WUE
                     : has[SLOT_EVAPORATION_FRACTION] ? ONSITE_COOLING_TOWER
                                                      : ONSITE_NONE;
    m->has_cycles = has[SLOT_CYCLES_OF_CONCENTRATION] != 0;
    return THIRST_OK;
}

int model_rules_configure(const char *file, scenario *s, const int *has, int basis_facility,
                          char *err, size_t errlen)
{
    model_config *m = &s->model;
    if (m->workload >= MODEL_ISHIGAMI) return configure_benchmark(file, s, has, err, errlen);
    int status = check_workloads(file, m->workload == MODEL_TRAINING, has, err, errlen);
    if (!status) status = configure_energy(file, m, has, basis_facility, err, errlen);
    if (!status) status = configure_water(file, m, has, err, errlen);
    if (status) return status;

    /* Documented defaults for inputs the file may leave out. */
    s->fixed_inputs[SLOT_LATENT_HEAT] = 2.45f;   /* MJ/kg at 20-25 C */
    s->fixed_inputs[SLOT_BOTTLE_ML] = 500.0f;    /* Li et al.'s 500 mL bottle */

    model_presence p;
    p.training = m->workload == MODEL_TRAINING;
    p.onsite = m->onsite_mode != ONSITE_NONE;
    p.offsite = has[SLOT_EWIF];
    p.cycles = m->has_cycles;
    memcpy(p.has, has, sizeof p.has);
    int n = 0;
#define REPORT_OUTPUT(e, tn, tu, in, iu, when) \
    if (when) s->outputs[n++] = OUT_##e;
    MODEL_OUTPUTS(REPORT_OUTPUT)
#undef REPORT_OUTPUT
    s->output_count = n;
    return THIRST_OK;
}
