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

#include <dirent.h>

#include "../kernels/draw.h"
#include "backend.h"
#include "backend_cuda.h"
#include "check.h"
#include "engine.h"
#include "runner.h"
#include "scenario.h"
#include "sensitivity.h"
#include "status.h"

#define SKIP 77
#define FIRST_DRAWS 16384

/* Whether two floats have the same bits (or are both NaN). */
static int same_bits(float a, float b)
{
    return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b));
}

/* Draws [0, FIRST_DRAWS) of s under rqmc on the device equal the CPU reference's bit for bit. */
static void test_first_draws(const scenario *s, const char *name)
{
    char err[THIRST_ERR_LEN];
    draw_plan plan;
    engine_sampler sampler = {.kind = PLAN_SAMPLER_RQMC, .replicates = 32};
    if (engine_plan_make_sampled(s, FIRST_DRAWS, 2024, ENGINE_MANTISSA_BITS, &sampler, &plan, err,
                                 sizeof err)) {
        CHECK(0, "%s: plan: %s", name, err);
        return;
    }
    uint32_t *words = calloc((size_t)FIRST_DRAWS * DRAW_MAX_WORDS, sizeof *words);
    float *inputs = calloc((size_t)FIRST_DRAWS * DRAW_INPUT_SLOTS, sizeof *inputs);
    float *outputs = calloc((size_t)FIRST_DRAWS * PLAN_MAX_OUTPUTS, sizeof *outputs);
    backend_options options = {.device = 0};
    backend_job job = {.plan = &plan, .data = s->prior_data, .options = &options};
    int status = words && inputs && outputs
                     ? backend_cuda()->first_draws(&job, 0, FIRST_DRAWS, words, inputs, outputs,
                                                   err, sizeof err)
                     : status_fail(err, sizeof err, THIRST_ERR_RUNTIME, "out of memory");
    CHECK(status == THIRST_OK, "%s: rqmc first draws on the device: %s", name, err);
    int word_mismatches = 0, value_mismatches = 0, first_bad = -1;
    for (int k = 0; !status && k < FIRST_DRAWS; k++) {
        uint32_t cpu_words[DRAW_MAX_WORDS];
        float cpu_inputs[DRAW_INPUT_SLOTS], cpu_outputs[PLAN_MAX_OUTPUTS];
        engine_eval_draw(&plan, s->prior_data, (uint64_t)k, cpu_words, cpu_inputs, cpu_outputs);
        int bad = 0;
        for (int j = 0; j < plan.word_count; j++)
            word_mismatches += cpu_words[j] != words[(size_t)k * plan.word_count + j];
        for (int slot = 0; slot < plan.input_slot_count; slot++)
            bad += !same_bits(cpu_inputs[slot], inputs[(size_t)k * DRAW_INPUT_SLOTS + slot]);
        for (int o = 0; o < plan.output_count; o++)
            bad += !same_bits(cpu_outputs[o], outputs[(size_t)k * plan.output_count + o]);
        value_mismatches += bad;
        if (bad && first_bad < 0) first_bad = k;
    }
    CHECK(word_mismatches == 0, "%s: %d rqmc words differ from the CPU's", name, word_mismatches);
    CHECK(value_mismatches == 0, "%s: %d rqmc inputs and outputs differ from the CPU's bits (first "
          "at draw %d)", name, value_mismatches, first_bad);
    free(words);
    free(inputs);
    free(outputs);
    engine_plan_release(&plan);
}

/* test_first_draws for every scenario file in folder. */
static void test_first_draws_in(const char *folder)
{
    DIR *dir = opendir(folder);
    CHECK(dir != NULL, "cannot open %s", folder);
    if (!dir) return;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        size_t length = strlen(entry->d_name);
        if (length < 6 || strcmp(entry->d_name + length - 5, ".json") != 0) continue;
        char path[512], err[THIRST_ERR_LEN];
        snprintf(path, sizeof path, "%s/%s", folder, entry->d_name);
        scenario s;
        if (scenario_load(path, &s, err, sizeof err)) {
            CHECK(0, "%s: %s", path, err);
            continue;
        }
        if (s.output_count <= MODEL_OUTPUT_COUNT) test_first_draws(&s, path);
        scenario_free(&s);
    }
    closedir(dir);
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
    test_first_draws_in("priors");
    test_first_draws_in("priors/benchmarks");
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
