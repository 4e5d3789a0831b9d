/* test_model.c: the footprint model (kernels/model.h) against hand-computed values for each
 * energy chain, both workloads and the cooling-tower sub-model; and the published figures the
 * scenarios in priors/ must reproduce in point evaluation:
 *   Patterson et al. 2021: GPT-3 1,287 MWh (incl. PUE 1.10) and 552.1 tCO2e, within 0.5 %;
 *   Li et al. 2025 Table 1, US average: 0.708 million L on-site (within 1 %), 4.731 off-site,
 *   5.439 million L in total, when 1,287 MWh is taken as server energy.
 * And the shared sin of the benchmark model (kernels/fastmath.h): over every 64th float of
 * [-pi, pi] (34 million values) it equals the correctly rounded (float)sin((double)x) but for
 * at most one (the exhaustive count over all 2.16e9 floats is one) and never by more than 1
 * ulp; sin(+-0) = +-0. The same for cos (formulas). */
#include <math.h>
#include <string.h>

#include "../kernels/model.h"
#include "check.h"
#include "scenario.h"
#include "status.h"

/* fn over every 64th float of [-pi, pi] against the correctly rounded (float)reference(x):
 * at most one value may differ, by at most 1 ulp. */
static void sweep(const char *name, float (*fn)(float), double (*reference)(double))
{
    long mismatches = 0, values = 0;
    double worst = 0;
    const uint32_t top = fastmath_bits(3.14159274f);   /* pi rounded up */
    for (uint32_t bits = 0; bits <= top; bits += 64)
        for (int sign = 0; sign < 2; sign++) {
            float x = fastmath_float(bits | (sign ? 0x80000000u : 0));
            float got = fn(x), expected = (float)reference((double)x);
            values++;
            if (memcmp(&got, &expected, sizeof got) != 0) {
                mismatches++;
                double ulp = nextafterf(fabsf(expected), INFINITY) - fabsf(expected);
                double ulps = fabs((double)got - expected) / ulp;
                worst = ulps > worst ? ulps : worst;
            }
        }
    printf("%s: %ld values compared, %ld differ\n", name, values, mismatches);
    CHECK(mismatches <= 1 && worst <= 1, "%s: %ld of %ld values differ from the correctly "
          "rounded value (worst by %g ulp)", name, mismatches, values, worst);
}

static float sin_of(float x) { return fastmath_sinf(x); }
static float cos_of(float x) { return fastmath_cosf(x); }

static void test_sin(void)
{
    sweep("sin", sin_of, sin);
    CHECK(signbit(fastmath_sinf(-0.0f)) && fastmath_sinf(-0.0f) == 0 && !signbit(fastmath_sinf(0.0f)),
          "sin(-0) must be -0 and sin(+0) +0");
}

/* cos (formulas): the same sweep. */
static void test_cos(void)
{
    sweep("cos", cos_of, cos);
    CHECK(fastmath_cosf(0.0f) == 1.0f && fastmath_cosf(-0.0f) == 1.0f, "cos(+-0) must be 1");
}

/* Relative difference of a from b. */
static double relative(double a, double b) { return fabs(a - b) / fabs(b); }

static void test_chains(void)
{
    float in[MODEL_SLOT_COUNT] = {0}, out[MODEL_OUTPUT_COUNT];
    model_config m = {.workload = MODEL_TRAINING, .energy_mode = ENERGY_FROM_ACCELERATORS,
                      .onsite_mode = ONSITE_WUE};
    in[SLOT_ACCELERATORS] = 1000;
    in[SLOT_HOURS] = 100;
    in[SLOT_ACCELERATOR_KW] = 0.5f;
    in[SLOT_PUE] = 1.2f;
    in[SLOT_WUE_ONSITE] = 0.5f;
    in[SLOT_EWIF] = 3;
    in[SLOT_CARBON_INTENSITY] = 0.4f;
    in[SLOT_PRICE] = 0.1f;
    model_eval(&m, in, out);
    /* 1000 x 100 h x 0.5 kW = 50,000 kWh IT; x 1.2 = 60,000 kWh facility. */
    CHECK(relative(out[OUT_IT_ENERGY], 50000) < 1e-6, "IT energy %g", out[OUT_IT_ENERGY]);
    CHECK(relative(out[OUT_FACILITY_ENERGY], 60000) < 1e-6, "facility %g", out[OUT_FACILITY_ENERGY]);
    CHECK(relative(out[OUT_WATER_ONSITE], 25000) < 1e-6, "on-site %g", out[OUT_WATER_ONSITE]);
    CHECK(relative(out[OUT_WATER_OFFSITE], 180000) < 1e-6, "off-site %g", out[OUT_WATER_OFFSITE]);
    CHECK(relative(out[OUT_WATER_TOTAL], 205000) < 1e-6, "total %g", out[OUT_WATER_TOTAL]);
    CHECK(relative(out[OUT_CARBON], 24000) < 1e-6, "carbon %g", out[OUT_CARBON]);
    CHECK(relative(out[OUT_COST], 6000) < 1e-6, "cost %g", out[OUT_COST]);

    m.energy_mode = ENERGY_FROM_ACCELERATOR_HOURS;
    in[SLOT_ACCELERATOR_HOURS] = 2e5f;
    model_eval(&m, in, out);
    CHECK(relative(out[OUT_IT_ENERGY], 1e5) < 1e-6, "accelerator-hours chain %g", out[OUT_IT_ENERGY]);

    m.energy_mode = ENERGY_GIVEN_FACILITY;
    in[SLOT_ENERGY] = 1200;
    model_eval(&m, in, out);
    CHECK(relative(out[OUT_IT_ENERGY], 1000) < 1e-6, "facility basis: IT %g", out[OUT_IT_ENERGY]);
    CHECK(relative(out[OUT_FACILITY_ENERGY], 1200) < 1e-6, "facility basis: %g", out[OUT_FACILITY_ENERGY]);

    /* Cooling tower: 1,000 kWh x 0.8 x 3.6 MJ/kWh / 2.45 MJ/kg = 1,175.5 L; COC 5: x 5/4. */
    m.energy_mode = ENERGY_GIVEN_IT;
    m.onsite_mode = ONSITE_COOLING_TOWER;
    m.has_cycles = 1;
    in[SLOT_ENERGY] = 1000;
    in[SLOT_EVAPORATION_FRACTION] = 0.8f;
    in[SLOT_LATENT_HEAT] = 2.45f;
    in[SLOT_CYCLES_OF_CONCENTRATION] = 5;
    model_eval(&m, in, out);
    double evaporated = 1000 * 0.8 * 3.6 / 2.45;
    CHECK(relative(out[OUT_WATER_ONSITE], evaporated) < 1e-6, "evaporation %g, expected %g",
          out[OUT_WATER_ONSITE], evaporated);
    CHECK(relative(out[OUT_WATER_WITHDRAWAL_ONSITE], evaporated * 1.25) < 1e-6, "withdrawal %g",
          out[OUT_WATER_WITHDRAWAL_ONSITE]);
    /* Physics check from published-figures.md: 1 kWh fully evaporated is about 1.47 L. */
    in[SLOT_ENERGY] = 1;
    in[SLOT_EVAPORATION_FRACTION] = 1;
    model_eval(&m, in, out);
    CHECK(fabs(out[OUT_WATER_ONSITE] - 1.47) < 0.005, "1 kWh evaporates %g L", out[OUT_WATER_ONSITE]);

    /* Inference, Li et al. US average: 4 Wh IT/request, PUE 1.17, WUE 0.55, EWIF 3.142:
     * 2.200 + 14.704 = 16.904 mL, 29.6 requests per 500 mL (published to 3 decimals; the
     * inputs give 14.7046, so the tolerance is 0.001 mL). */
    model_config inference = {.workload = MODEL_INFERENCE, .energy_mode = ENERGY_GIVEN_IT,
                              .onsite_mode = ONSITE_WUE};
    float q[MODEL_SLOT_COUNT] = {0};
    q[SLOT_WH_PER_QUERY] = 4;
    q[SLOT_PUE] = 1.17f;
    q[SLOT_WUE_ONSITE] = 0.55f;
    q[SLOT_EWIF] = 3.142f;
    q[SLOT_BOTTLE_ML] = 500;
    q[SLOT_QUERIES] = 1e6f;
    q[SLOT_CARBON_INTENSITY] = 0.4f;
    model_eval(&inference, q, out);
    CHECK(fabs(out[OUT_WATER_ONSITE] - 2.200) < 0.0005, "per request on-site %g mL", out[OUT_WATER_ONSITE]);
    CHECK(fabs(out[OUT_WATER_OFFSITE] - 14.704) < 0.001, "per request off-site %g mL", out[OUT_WATER_OFFSITE]);
    CHECK(fabs(out[OUT_WATER_TOTAL] - 16.904) < 0.001, "per request %g mL", out[OUT_WATER_TOTAL]);
    CHECK(fabs(out[OUT_QUERIES_PER_BOTTLE] - 29.6) < 0.05, "requests per bottle %g", out[OUT_QUERIES_PER_BOTTLE]);
    CHECK(relative(out[OUT_CARBON], 4 * 1.17 * 0.4) < 1e-6, "carbon %g g", out[OUT_CARBON]);
    CHECK(relative(out[OUT_TOTAL_WATER], 16904) < 1e-4, "1e6 requests: %g L", out[OUT_TOTAL_WATER]);
    CHECK(relative(out[OUT_TOTAL_FACILITY_ENERGY], 4680) < 1e-6, "1e6 requests: %g kWh",
          out[OUT_TOTAL_FACILITY_ENERGY]);
}

/* Point evaluation of a scenario file: all outputs. */
static int point_of(const char *path, float *out)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    int status = scenario_load(path, &s, err, sizeof err);
    CHECK(status == THIRST_OK, "%s: %s", path, err);
    if (status) return status;
    float in[MODEL_SLOT_COUNT];
    scenario_point_inputs(&s, in);
    model_eval(&s.model, in, out);
    scenario_free(&s);
    return THIRST_OK;
}

static void test_published(void)
{
    float out[MODEL_OUTPUT_COUNT];
    /* Patterson et al. 2021: 1,287 MWh (incl. PUE) and 552.1 tCO2e for GPT-3. */
    if (!point_of("priors/gpt3-training-us.json", out)) {
        CHECK(relative(out[OUT_FACILITY_ENERGY], 1287000) < 0.005,
              "Patterson: facility energy %.0f kWh, published 1,287,000", out[OUT_FACILITY_ENERGY]);
        CHECK(relative(out[OUT_CARBON], 552100) < 0.005, "Patterson: carbon %.0f kg, published 552,100",
              out[OUT_CARBON]);
    }
    /* Li et al. 2025, Table 1 US average: 0.708 + 4.731 = 5.439 million L. */
    if (!point_of("priors/gpt3-training-li2023.json", out)) {
        CHECK(relative(out[OUT_WATER_ONSITE], 708000) < 0.01, "Li: on-site %.0f L, published 0.708 M",
              out[OUT_WATER_ONSITE]);
        CHECK(relative(out[OUT_WATER_OFFSITE], 4731000) < 0.001, "Li: off-site %.0f L, published 4.731 M",
              out[OUT_WATER_OFFSITE]);
        CHECK(relative(out[OUT_WATER_TOTAL], 5439000) < 0.001, "Li: total %.0f L, published 5.439 M",
              out[OUT_WATER_TOTAL]);
    }
}

int main(void)
{
    test_sin();
    test_cos();
    test_chains();
    test_published();
    return check_done("test_model");
}
