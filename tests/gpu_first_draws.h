/* gpu_first_draws.h: a plan's first draws on the CUDA device against the CPU reference's, bit
 * for bit (each draw's uniform words, inputs and reported outputs), and the walk that checks
 * every scenario file of a folder; written once for tests/test_gpu.c (Monte Carlo) and
 * tests/test_gpu_rqmc.c (rqmc), which make the plans. */
#ifndef THIRST_GPU_FIRST_DRAWS_H
#define THIRST_GPU_FIRST_DRAWS_H

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/draw.h"
#include "backend.h"
#include "backend_cuda.h"
#include "check.h"
#include "engine.h"
#include "scenario.h"
#include "status.h"

/* a and b are the same float bit for bit, or both NaN (x86 and CUDA give NaN different bits). */
static int same_bits(float a, float b)
{
    return fastmath_bits(a) == fastmath_bits(b) || (isnan(a) && isnan(b));
}

/* Draws [0, draws) of plan (made from s) on device 0 equal engine_eval_draw's bit for bit:
 * words, inputs and every reported output (up to PLAN_MAX_OUTPUTS); label names the scenario
 * and sampler in the messages. */
static void gpu_first_draws_check(const draw_plan *plan, const scenario *s, int draws,
                                  const char *label)
{
    char err[THIRST_ERR_LEN] = "";
    uint32_t *words = calloc((size_t)draws * DRAW_MAX_WORDS, sizeof *words);
    float *inputs = calloc((size_t)draws * DRAW_INPUT_SLOTS, sizeof *inputs);
    float *outputs = calloc((size_t)draws * PLAN_MAX_OUTPUTS, sizeof *outputs);
    backend_options options = {.device = 0};
    backend_job job = {.plan = plan, .data = s->prior_data, .options = &options};
    int status = words && inputs && outputs
                     ? backend_cuda()->first_draws(&job, 0, draws, words, inputs, outputs, err,
                                                   sizeof err)
                     : status_fail(err, sizeof err, THIRST_ERR_RUNTIME, "out of memory");
    CHECK(status == THIRST_OK, "%s: first draws on the device: %s", label, err);
    int word_mismatches = 0, input_mismatches = 0, output_mismatches = 0, first_bad = -1;
    for (int k = 0; !status && k < draws; k++) {
        uint32_t cpu_words[DRAW_MAX_WORDS];
        float cpu_inputs[DRAW_INPUT_SLOTS], cpu_outputs[PLAN_MAX_OUTPUTS];
        engine_eval_draw(plan, s->prior_data, (uint64_t)k, cpu_words, cpu_inputs, cpu_outputs);
        int words_bad = 0, inputs_bad = 0, outputs_bad = 0;
        for (int j = 0; j < plan->word_count; j++)
            words_bad += cpu_words[j] != words[(size_t)k * plan->word_count + j];
        for (int slot = 0; slot < plan->input_slot_count; slot++)
            inputs_bad += !same_bits(cpu_inputs[slot], inputs[(size_t)k * DRAW_INPUT_SLOTS + slot]);
        for (int o = 0; o < plan->output_count; o++)
            outputs_bad += !same_bits(cpu_outputs[o], outputs[(size_t)k * plan->output_count + o]);
        word_mismatches += words_bad;
        input_mismatches += inputs_bad;
        output_mismatches += outputs_bad;
        if (words_bad + inputs_bad + outputs_bad && first_bad < 0) first_bad = k;
    }
    CHECK(word_mismatches == 0, "%s: %d uniform words differ from the CPU's", label,
          word_mismatches);
    CHECK(input_mismatches == 0 && output_mismatches == 0,
          "%s: %d inputs and %d outputs differ in their bits from the CPU's (first at draw %d)",
          label, input_mismatches, output_mismatches, first_bad);
    free(words);
    free(inputs);
    free(outputs);
}

/* test(s, path) for every scenario file (*.json) in folder; a file that does not load fails. */
static void gpu_first_draws_in(const char *folder, void (*test)(const scenario *, const char *))
{
    DIR *dir = opendir(folder);
    CHECK(dir != NULL, "cannot list %s", folder);
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
        test(&s, path);
        scenario_free(&s);
    }
    closedir(dir);
}

#endif
