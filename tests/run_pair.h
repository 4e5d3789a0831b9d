/* run_pair.h: a run and the same run with its kept values refused (runner_options.no_keep, so
 * every later pass draws again), for the tests that hold counting from memory to the bits of
 * drawing again; written once for tests/test_engine.c and tests/test_rqmc.c. */
#ifndef THIRST_RUN_PAIR_H
#define THIRST_RUN_PAIR_H

#include <string.h>

#include "runner.h"

/* Runs s with options into kept and again with no_keep into redrawn (both zeroed first, so
 * runner_free is safe on each whatever happens); the first failing run's status, else 0. */
static int run_pair(const scenario *s, const runner_options *options, runner_result *kept,
                    runner_result *redrawn, char *err, size_t errlen)
{
    runner_options redraw = *options;
    redraw.no_keep = 1;
    memset(kept, 0, sizeof *kept);
    memset(redrawn, 0, sizeof *redrawn);
    int status = runner_run(s, options, kept, err, errlen);
    if (!status) status = runner_run(s, &redraw, redrawn, err, errlen);
    return status;
}

#endif
