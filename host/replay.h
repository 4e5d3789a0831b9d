/* replay.h: `thirst run|sensitivity --replay RESULT.json`: what a result says to run again
 * (host/replay.c): the scenario's text and overrides, the seed, the draws or the stopping rule
 * (sensitivity: the methods, base draws and tornado percentiles), the sampler and the backend. */
#ifndef THIRST_REPLAY_H
#define THIRST_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "scenario.h"

/* A run as its result file records it. Owns its strings (replay_free). */
typedef struct {
    char *scenario_file;                       /* the file's name then (for messages) */
    char *scenario_text;
    int override_count;
    char *overrides[SCENARIO_MAX_OVERRIDES];
    uint64_t draws, seed;
    double rel_error, abs_error;               /* > 0: the run was adaptive */
    uint64_t max_draws;
    char backend[16];                          /* "cpu" or "cuda" */
    int sampler, replicates;                   /* PLAN_SAMPLER_*; rqmc's replicates (results
                                                  before the sampler was recorded: mc) */
    int command;                               /* CLI_RUN or CLI_SENSITIVITY (the schema) */
    int methods;                               /* sensitivity: enum sensitivity_method bits */
    uint64_t base_draws;                       /* sensitivity: the Sobol design's */
    double tornado_low, tornado_high;          /* sensitivity: probabilities */
} replay_run;

/* --replay: the scenario and the settings of the run that wrote a->replay_path into s and a
 * (the backend too, unless --backend was given), refused when a->command is not the command
 * that wrote it; s is to be freed by the caller even after a failure. */
int replay_apply(cli_args *a, scenario *s, char *err, size_t errlen);

/* Read the run recorded in the JSON result at path. THIRST_ERR_INPUT with one line naming the
 * file and what is wrong when it is not a result of thirst run or sensitivity, lacks its
 * provenance, or was made under another numbers version (its statistics cannot be reproduced by
 * this build). */
int replay_load(const char *path, replay_run *run, char *err, size_t errlen);

/* Release what replay_load allocated; run may be partly filled. */
void replay_free(replay_run *run);

#endif
