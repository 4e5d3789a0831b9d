/* test_gpu_rqmc.c: `--sampler rqmc` on the CUDA backend against the CPU (ctest label gpu;
 * without a usable CUDA device it prints why and exits 77, skipped, never passed).
 *  1. Every draw is the same bits on both backends: for the first 16,384 draws of every
 *     scenario in priors/ under rqmc (32 replicates), the uniform words (draw_qmc_word on the
 *     device against the host's table of scrambled direction numbers), the inputs and the
 *     reported outputs of the device's general kernels equal the CPU reference's bit for bit.
 *  2. A run of the GPT-3 training scenario under rqmc, 32 x 2^16 draws, through the runner on
 *     both backends: n and the exact quantiles equal bit for bit (the same values), each
 *     quantile's interval too (the replicates' counts at the same thresholds are integers), the
 *     mean and sd within 1e-12 relative and the replicates' standard error within 1e-9 (the
 *     device sums each replicate in segments of points, the CPU in work units: the same values
 *     rounded in other groups, then added exactly).
 *  3. Sobol indices under rqmc (64 replicates x 2^12 base draws) agree with the CPU's within
 *     1e-4, as test_gpu's Monte Carlo design does (float chunk sums against doubles). */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/draw.h"
#include "backend.h"
#include "backend_cuda.h"
#include "check.h"
#include "engine.h"
#include "gpu_first_draws.h"
#include "runner.h"
#include "scenario.h"
#include "sensitivity.h"
#include "status.h"

#define SKIP 77
#define FIRST_DRAWS 16384

/* Draws [0, FIRST_DRAWS) of s under rqmc on the device equal the CPU reference's bit for bit
 * (scenarios reporting at most MODEL_OUTPUT_COUNT outputs). */
static void test_first_draws(const scenario *s, const char *name)
{
    char err[THIRST_ERR_LEN], label[600];
    draw_plan plan;
    engine_sampler sampler = {.kind = PLAN_SAMPLER_RQMC, .replicates = 32};
    if (s->output_count > MODEL_OUTPUT_COUNT) return;
    if (engine_plan_make_sampled(s, FIRST_DRAWS, 2024, ENGINE_MANTISSA_BITS, &sampler, &plan, err,
                                 sizeof err)) {
        CHECK(0, "%s: plan: %s", name, err);
        return;
    }
    snprintf(label, sizeof label, "%s under rqmc", name);
    gpu_first_draws_check(&plan, s, FIRST_DRAWS, label);
    engine_plan_release(&plan);
}

/* Relative difference of a and b. */
static double relative(double a, double b)
{
    return a == b ? 0 : fabs(a - b) / fmax(fabs(a), fabs(b));
}

/* A whole rqmc run of s on both backends through the runner. */
static void test_run(const scenario *s)
{
    char err[THIRST_ERR_LEN];
    runner_options options = {.draws = 32u << 16, .seed = 3,
                              .engine = {.threads = omp_get_num_procs()},
                              .sampler = {.kind = PLAN_SAMPLER_RQMC, .replicates = 32}};
    runner_result cpu, gpu;
    int status = runner_run(s, &options, &cpu, err, sizeof err);
    CHECK(status == THIRST_OK, "CPU rqmc run: %s", err);
    options.backend = backend_cuda();
    int gpu_status = runner_run(s, &options, &gpu, err, sizeof err);
    CHECK(gpu_status == THIRST_OK, "CUDA rqmc run: %s", err);
    for (int o = 0; !status && !gpu_status && o < cpu.plan.output_count; o++) {
        const stats_output *c = &cpu.stats[o], *g = &gpu.stats[o];
        const char *name = scenario_output_name(s, cpu.plan.outputs[o]);
        CHECK(c->n == g->n, "%s: n %llu vs %llu", name, (unsigned long long)c->n,
              (unsigned long long)g->n);
        CHECK(relative(c->mean, g->mean) <= 1e-12 && relative(c->sd, g->sd) <= 1e-12,
              "%s: mean %.17g / %.17g, sd %.17g / %.17g (CPU / GPU)", name, c->mean, g->mean,
              c->sd, g->sd);
        CHECK(relative(c->sem, g->sem) <= 1e-9, "%s: replicates' standard error %.17g / %.17g",
              name, c->sem, g->sem);
        for (int k = 0; k < c->quantile_count; k++)
            CHECK(c->quantile[k] == g->quantile[k] && c->quantile_ci_low[k] == g->quantile_ci_low[k] &&
                      c->quantile_ci_high[k] == g->quantile_ci_high[k],
                  "%s: quantile %g %.9g [%.9g, %.9g] / %.9g [%.9g, %.9g] (CPU / GPU)", name,
                  c->probability[k], c->quantile[k], c->quantile_ci_low[k],
                  c->quantile_ci_high[k], g->quantile[k], g->quantile_ci_low[k],
                  g->quantile_ci_high[k]);
    }
    runner_free(&cpu);
    runner_free(&gpu);
}

/* Sobol indices under rqmc on both backends. */
static void test_sobol(const scenario *s)
{
    char err[THIRST_ERR_LEN];
    sensitivity_options options = {.methods = SENSITIVITY_SOBOL, .base_draws = 64 * 4096,
                                   .seed = 5, .engine = {.threads = omp_get_num_procs()},
                                   .sampler = PLAN_SAMPLER_RQMC};
    sensitivity_result *cpu = malloc(sizeof *cpu), *gpu = malloc(sizeof *gpu);
    if (!cpu || !gpu) {
        free(cpu);
        free(gpu);
        return;
    }
    int status = sensitivity_run(s, &options, cpu, err, sizeof err);
    CHECK(status == THIRST_OK, "CPU rqmc Sobol: %s", err);
    options.backend = backend_cuda();
    if (!status) status = sensitivity_run(s, &options, gpu, err, sizeof err);
    CHECK(status == THIRST_OK, "CUDA rqmc Sobol: %s", err);
    for (int o = 0; !status && o < cpu->output_count; o++)
        for (int k = 0; k < cpu->input_count; k++)
            CHECK(fabs(cpu->index[o][k].first - gpu->index[o][k].first) <= 1e-4 &&
                      fabs(cpu->index[o][k].total - gpu->index[o][k].total) <= 1e-4,
                  "rqmc output %d input %d: S1 %.6f/%.6f ST %.6f/%.6f (CPU/GPU)", o, k,
                  cpu->index[o][k].first, gpu->index[o][k].first, cpu->index[o][k].total,
                  gpu->index[o][k].total);
    free(cpu);
    free(gpu);
}

int main(void)
{
    cuda_device_info devices[8];
    int count = 0;
    char err[THIRST_ERR_LEN];
    if (backend_cuda_devices(devices, 8, &count, err, sizeof err) || count == 0) {
        printf("SKIPPED: %s\n", err);
        return SKIP;
    }
    printf("device 0: %s (compute %d.%d)\n", devices[0].name, devices[0].major, devices[0].minor);
    gpu_first_draws_in("priors", test_first_draws);
    gpu_first_draws_in("priors/benchmarks", test_first_draws);
    scenario gpt3;
    if (scenario_load("priors/gpt3-training-us.json", &gpt3, err, sizeof err)) {
        CHECK(0, "%s", err);
        return check_done("test_gpu_rqmc");
    }
    test_run(&gpt3);
    test_sobol(&gpt3);
    scenario_free(&gpt3);
    return check_done("test_gpu_rqmc");
}
