/* test_devices.c: the split and merge of `--devices` (host/backend_devices.c) on a machine
 * without GPUs: the wrapper over the CPU backend with 2, 3 and 5 "devices" (each a contiguous
 * share of the units, run on a host thread of its own) gives, byte for byte, what the CPU
 * backend alone gives:
 * - a whole run through the runner (first pass with quantile windows, refinement passes,
 *   statistics), as the serialised state and every statistic, Monte Carlo and rqmc (replicate
 *   sums and counts);
 * - the Sobol design's batch sums (sensitivity_run, the indices);
 * and a job too small to give every device a unit (one unit for 3 devices) too. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "backend_devices.h"
#include "check.h"
#include "runner.h"
#include "scenario.h"
#include "sensitivity.h"
#include "status.h"

/* The serialised state of a result (caller frees). */
static unsigned char *bytes_of(const run_state *s, size_t *size)
{
    *size = run_state_bytes(s);
    unsigned char *b = malloc(*size);
    if (b) run_state_serialize(s, b, *size);
    return b;
}

/* A run of s on the CPU and across `count` devices over the CPU: the same state and stats. */
static void test_run(const scenario *s, uint64_t draws, int sampler, int count)
{
    char err[THIRST_ERR_LEN];
    const int devices[5] = {0, 1, 2, 3, 4};
    runner_options options = {.draws = draws, .seed = 11, .engine = {.threads = 2},
                              .sampler = {.kind = sampler, .replicates = 32}};
    runner_result one, split;
    int status = runner_run(s, &options, &one, err, sizeof err);
    CHECK(status == THIRST_OK, "CPU run: %s", err);
    options.backend = backend_devices(backend_cpu(), devices, count);
    int split_status = runner_run(s, &options, &split, err, sizeof err);
    CHECK(split_status == THIRST_OK, "%d devices: %s", count, err);
    if (!status && !split_status) {
        size_t a_size, b_size;
        unsigned char *a = bytes_of(&one.totals, &a_size), *b = bytes_of(&split.totals, &b_size);
        CHECK(a && b && a_size == b_size && memcmp(a, b, a_size) == 0,
              "%s, %llu draws, %d devices: the merged state differs from one device's", s->id,
              (unsigned long long)draws, count);
        CHECK(memcmp(one.stats, split.stats, sizeof one.stats) == 0,
              "%s, %d devices: the statistics differ", s->id, count);
        /* values are not kept across devices: whatever a pass counts after the first pass is
         * drawn again, and the result says so (on one CPU a short run counts from memory) */
        CHECK(!split.refinement_passes || split.redrawn_draws >= split.plan.draws,
              "%s, %llu draws, %d devices: %llu draws said redrawn after %d passes (one CPU: "
              "%llu)", s->id, (unsigned long long)draws, count,
              (unsigned long long)split.redrawn_draws, split.refinement_passes,
              (unsigned long long)one.redrawn_draws);
        free(a);
        free(b);
    }
    runner_free(&one);
    runner_free(&split);
}

/* The Sobol indices on the CPU and across count devices: the same numbers. */
static void test_sobol(const scenario *s, int count, int sampler)
{
    char err[THIRST_ERR_LEN];
    const int devices[5] = {0, 1, 2, 3, 4};
    sensitivity_options options = {.methods = SENSITIVITY_SOBOL, .base_draws = 64 * 1024,
                                   .seed = 4, .engine = {.threads = 2}, .sampler = sampler};
    sensitivity_result *one = malloc(sizeof *one), *split = malloc(sizeof *split);
    if (!one || !split) {
        free(one);
        free(split);
        return;
    }
    int status = sensitivity_run(s, &options, one, err, sizeof err);
    options.backend = backend_devices(backend_cpu(), devices, count);
    if (!status) status = sensitivity_run(s, &options, split, err, sizeof err);
    CHECK(status == THIRST_OK, "Sobol: %s", err);
    if (!status)
        CHECK(memcmp(one->index, split->index, sizeof one->index) == 0 &&
                  memcmp(one->variance, split->variance, sizeof one->variance) == 0,
              "%s, %d devices: Sobol indices differ from one device's", s->id, count);
    free(one);
    free(split);
}

int main(void)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load("priors/gpt3-training-us.json", &s, err, sizeof err)) {
        CHECK(0, "%s", err);
        return check_done("test_devices");
    }
    const int counts[] = {2, 3, 5};
    for (int k = 0; k < 3; k++) {
        test_run(&s, 3000017, PLAN_SAMPLER_MC, counts[k]);   /* windows, a partial unit */
        test_run(&s, 32u << 15, PLAN_SAMPLER_RQMC, counts[k]);
        test_sobol(&s, counts[k], PLAN_SAMPLER_MC);
    }
    test_sobol(&s, 3, PLAN_SAMPLER_RQMC);
    test_run(&s, 50000, PLAN_SAMPLER_MC, 3);   /* one unit: two devices get none */
    scenario_free(&s);
    return check_done("test_devices");
}
