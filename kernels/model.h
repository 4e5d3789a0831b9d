/* model.h: the footprint model (DESIGN.md section 3) as one function shared by both backends.
 * Inputs and outputs are float arrays indexed by the enums below, in canonical units:
 * training in kWh, kW, h, L, kg CO2e, USD; inference per query in Wh, mL, g CO2e, USD.
 * The host decides from the scenario which inputs exist (model_config) and which outputs mean
 * something; this header only does the arithmetic. */
#ifndef THIRST_MODEL_H
#define THIRST_MODEL_H

#include "fastmath.h"
#include "hd.h"
#include "model_lists.h"

/* Model inputs (model_lists.h): SLOT_ACCELERATORS, ..., SLOT_X8. */
enum model_slot {
#define MODEL_SLOT_ENUM(e, ...) SLOT_##e,
    MODEL_INPUTS(MODEL_SLOT_ENUM)
#undef MODEL_SLOT_ENUM
    MODEL_SLOT_COUNT
};

/* Model outputs (model_lists.h), in report order: OUT_IT_ENERGY, ..., OUT_TOTAL_CARBON. */
enum model_output {
#define MODEL_OUTPUT_ENUM(e, ...) OUT_##e,
    MODEL_OUTPUTS(MODEL_OUTPUT_ENUM)
#undef MODEL_OUTPUT_ENUM
    MODEL_OUTPUT_COUNT
};

/* Footprint workloads, and the benchmark models of the sensitivity literature (their one output
 * y is written to output 0). */
enum model_workload { MODEL_TRAINING = 0, MODEL_INFERENCE = 1, MODEL_ISHIGAMI = 2,
                      MODEL_GFUNCTION = 3 };

#define MODEL_MAX_COEFFICIENTS 8

enum model_energy_mode {
    ENERGY_FROM_ACCELERATORS = 0, /* accelerators x hours x accelerator_kw (training) */
    ENERGY_FROM_ACCELERATOR_HOURS,/* accelerator_hours x accelerator_kw (training) */
    ENERGY_GIVEN_IT,              /* energy or wh_per_query is server (IT) energy */
    ENERGY_GIVEN_FACILITY         /* energy or wh_per_query already includes PUE */
};

enum model_onsite_mode {
    ONSITE_NONE = 0,              /* no on-site water input: no on-site or total water output */
    ONSITE_WUE,                   /* wue_onsite prior */
    ONSITE_COOLING_TOWER          /* evaporation_fraction x 3.6 MJ/kWh / latent_heat */
};

/* Which inputs a scenario has; fixed for a run. */
typedef struct {
    int32_t workload;        /* enum model_workload */
    int32_t energy_mode;     /* enum model_energy_mode */
    int32_t onsite_mode;     /* enum model_onsite_mode */
    int32_t has_cycles;      /* cycles_of_concentration given: withdrawal is reported */
    int32_t coefficient_count;                    /* benchmark models: G-function inputs */
    float coefficient[MODEL_MAX_COEFFICIENTS];    /* Ishigami: a, b; G-function: a_1..a_k */
} model_config;

/* MJ of heat in one kWh. */
#define MODEL_MJ_PER_KWH 3.6f

/* Evaluate every output from inputs (canonical units); input slot s is in[s * in_stride] and
 * output o goes to out[o * out_stride] (stride 1 for one draw, the batch size for a CPU batch
 * stored slot by slot). Outputs whose inputs are missing are computed from whatever the slots
 * hold and are not reported by the host. */
HD_STATIC_ALWAYS_INLINE void model_eval_strided(const model_config *m, const float *in,
                                                int in_stride, float *out, int out_stride)
{
#define IN(slot) in[(slot) * in_stride]
#define OUT(o) out[(o) * out_stride]
    /* Every branch below depends only on the scenario (m), and is written as a bitwise
     * selection between values (fastmath_select) so that the CPU's batch loop over draws
     * vectorizes. */
    const int training = m->workload == MODEL_TRAINING;
    float pue = IN(SLOT_PUE);
    float from_accelerators = IN(SLOT_ACCELERATORS) * IN(SLOT_HOURS) * IN(SLOT_ACCELERATOR_KW);
    float from_accelerator_hours = IN(SLOT_ACCELERATOR_HOURS) * IN(SLOT_ACCELERATOR_KW);
    float given = fastmath_select(training, IN(SLOT_ENERGY), IN(SLOT_WH_PER_QUERY));
    float given_it = fastmath_select(m->energy_mode == ENERGY_GIVEN_FACILITY, given / pue, given);
    float it_energy = fastmath_select(
        m->energy_mode == ENERGY_FROM_ACCELERATORS, from_accelerators,
        fastmath_select(m->energy_mode == ENERGY_FROM_ACCELERATOR_HOURS, from_accelerator_hours,
                        given_it));
    float facility_energy = it_energy * pue;

    /* On-site consumption per kWh of IT energy (L/kWh); Wh x L/kWh = mL for inference. */
    float evaporated = IN(SLOT_EVAPORATION_FRACTION) * MODEL_MJ_PER_KWH / IN(SLOT_LATENT_HEAT);
    float onsite_per_kwh = fastmath_select(
        m->onsite_mode == ONSITE_WUE, IN(SLOT_WUE_ONSITE),
        fastmath_select(m->onsite_mode == ONSITE_COOLING_TOWER, evaporated, 0.0f));
    float coc = IN(SLOT_CYCLES_OF_CONCENTRATION);
    float water_onsite = it_energy * onsite_per_kwh;
    float water_offsite = facility_energy * IN(SLOT_EWIF);
    float water_total = water_onsite + water_offsite;
    float carbon = facility_energy * IN(SLOT_CARBON_INTENSITY);
    /* Inference energy is in Wh: USD/kWh x Wh needs / 1000. */
    float price_scale = training ? 1.0f : 1e-3f;
    float queries = IN(SLOT_QUERIES);
    OUT(OUT_IT_ENERGY) = it_energy;
    OUT(OUT_FACILITY_ENERGY) = facility_energy;
    OUT(OUT_WATER_ONSITE) = water_onsite;
    OUT(OUT_WATER_OFFSITE) = water_offsite;
    OUT(OUT_WATER_TOTAL) = water_total;
    OUT(OUT_WATER_WITHDRAWAL_ONSITE) =
        fastmath_select(m->has_cycles, water_onsite * coc / (coc - 1.0f), 0.0f);
    OUT(OUT_CARBON) = carbon;
    OUT(OUT_COST) = facility_energy * IN(SLOT_PRICE) * price_scale;
    OUT(OUT_QUERIES_PER_BOTTLE) = IN(SLOT_BOTTLE_ML) / water_total;
    OUT(OUT_TOTAL_FACILITY_ENERGY) = facility_energy * queries * 1e-3f;  /* Wh -> kWh */
    OUT(OUT_TOTAL_WATER) = water_total * queries * 1e-3f;                /* mL -> L */
    OUT(OUT_TOTAL_CARBON) = carbon * queries * 1e-3f;                    /* g -> kg */
    OUT(OUT_RESIDENTS) = facility_energy / IN(SLOT_RESIDENT_KWH);
#undef IN
#undef OUT
}

/* Ishigami and Homma (1990): y = sin x1 + a sin^2 x2 + b x3^4 sin x1 (a, b: coefficients 0, 1). */
static inline HD float model_ishigami(const model_config *m, float x1, float x2, float x3)
{
    float s2 = fastmath_sinf(x2), x3_squared = x3 * x3;
    return fastmath_sinf(x1) * (1.0f + m->coefficient[1] * x3_squared * x3_squared) +
           m->coefficient[0] * s2 * s2;
}

/* The benchmark models, output y to out[0] (strides as model_eval_strided): Ishigami, or the
 * G-function y = prod_i (|4 x_i - 2| + a_i) / (1 + a_i) (Saltelli and Sobol 1995). */
static inline HD void model_benchmark_strided(const model_config *m, const float *in,
                                              int in_stride, float *out)
{
    if (m->workload == MODEL_ISHIGAMI) {
        out[0] = model_ishigami(m, in[SLOT_X1 * in_stride], in[SLOT_X2 * in_stride],
                                in[SLOT_X3 * in_stride]);
    } else {
        float y = 1.0f;
        for (int i = 0; i < m->coefficient_count; i++) {
            float a = m->coefficient[i];
            y *= (fabsf(4.0f * in[(SLOT_X1 + i) * in_stride] - 2.0f) + a) / (1.0f + a);
        }
        out[0] = y;
    }
}

/* model_eval_strided or the benchmark model, for one draw: in and out are plain arrays, and
 * every one of the MODEL_OUTPUT_COUNT outputs is written (a benchmark's outputs past its one y
 * are NaN), so no caller reads an unset value. */
static inline HD void model_eval(const model_config *m, const float *in, float *out)
{
    if (m->workload >= MODEL_ISHIGAMI) {
        model_benchmark_strided(m, in, 1, out);
        for (int o = 1; o < MODEL_OUTPUT_COUNT; o++) out[o] = NAN;
    } else {
        model_eval_strided(m, in, 1, out, 1);
    }
}

#endif
