/* fuzz_scenario.c: libFuzzer harness for the scenario loader and --set overrides.
 * An input is the scenario text up to the first NUL byte; each further NUL-separated piece is
 * one --set override (at most 32), so the fuzzer mutates files and overrides together. A loaded
 * scenario is also evaluated at its point values (the model on what the loader built). Any
 * crash, sanitizer report or leak is a finding; a rejected input is not.
 * Build and run: tests/fuzz/README.md. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    if (!copy) return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    const char *overrides[32];
    int override_count = 0;
    size_t text_length = strlen(copy);
    for (size_t at = text_length + 1; at <= size && override_count < 32;) {
        overrides[override_count++] = copy + at;
        at += strlen(copy + at) + 1;
    }
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_parse_overrides("fuzz.json", copy, overrides, override_count, &s, err,
                                 sizeof err) == THIRST_OK) {
        float inputs[DRAW_INPUT_SLOTS], outputs[DRAW_OUTPUTS];
        scenario_point_inputs(&s, inputs);
        scenario_point_eval(&s, inputs, outputs);
    }
    scenario_free(&s);
    free(copy);
    return 0;
}
