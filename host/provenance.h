/* provenance.h: what produced a result (DESIGN.md section 13), in every JSON result (run, point,
 * sensitivity): the scenario file's text and the --set overrides, which `thirst run --replay`
 * re-runs, and the scenario as resolved for a reader (host/provenance.c). */
#ifndef THIRST_PROVENANCE_H
#define THIRST_PROVENANCE_H

#include <cjson/cJSON.h>

#include "scenario.h"

/* Bumped by every change that moves a statistic for the same scenario, seed, draws and backend
 * (tests/golden/ remade for anything but new files): a result made under another numbers
 * version cannot be replayed byte for byte, and --replay refuses it. */
#define THIRST_NUMBERS_VERSION 1

/* The build's git commit (CMake writes it at build time: cmake/commit.cmake), or "unknown" in
 * builds without it (the sanitized test build). */
#ifdef THIRST_COMMIT_HEADER
#include THIRST_COMMIT_HEADER
#endif
#ifndef THIRST_COMMIT
#define THIRST_COMMIT "unknown"
#endif

/* The "provenance" section of a result of `command` ("run", "point", "sensitivity") for s:
 * thirst_version, numbers_version, commit, command, scenario_file, scenario_text, overrides,
 * and "resolved": each parameter's prior in canonical units with its point, median and source,
 * the formulas and outputs, and the correlations as given and as used. */
cJSON *provenance_json(const scenario *s, const char *command);

/* Add "seed": the seed's decimal digits as a string (exact for any 64-bit seed, which a JSON
 * number read as a double is not), to a result's provenance. */
void provenance_add_seed(cJSON *provenance, uint64_t seed);

#endif
