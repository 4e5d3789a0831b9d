/* runner.h: a whole run of a scenario on one backend: the first pass (moments and histograms,
 * and on the CPU the quantile windows of quantile.h), the refinement passes that make every
 * reported quantile an exact order statistic where no window did, the
 * statistics, and, for adaptive runs, rounds of more draws until the Monte Carlo error of every
 * mean and quantile is below a target. An adaptive run that stops at N draws reports exactly
 * what a run of N draws reports (rounds extend the same sample in whole work units). */
#ifndef THIRST_RUNNER_H
#define THIRST_RUNNER_H

#include <signal.h>

#include "backend.h"
#include "checkpoint.h"
#include "engine.h"
#include "quantile.h"
#include "stats.h"

#define RUNNER_FIRST_ROUND_DRAWS 131072u   /* adaptive runs start here */
#define RUNNER_WINDOW_MIN_UNITS 32          /* fixed CPU runs this long count quantile windows */
#define RUNNER_KEEP_BYTES (256.0 * 1024 * 1024)   /* values counted again are kept in memory
                                               (not drawn again) when they fit: the windows'
                                               prefix, or the whole run of a short run, of one
                                               without windows or of an rqmc run (1e7 draws of
                                               6 outputs: 240 MB; 1e8: 2.4 GB, drawn again) */
#define RUNNER_UNRELIABLE_ROUNDS 3          /* adaptive: rounds (each at least doubling the draws)
                                               after the one that met the errors, with a mean
                                               still unreliable, before the run stops, not
                                               converged */

/* What to run. */
typedef struct {
    uint64_t draws;             /* fixed runs: the draws; adaptive runs: ignored */
    uint64_t seed;
    const backend *backend;     /* backend.h: backend_cpu() or backend_cuda(); NULL: the CPU */
    backend_options engine;     /* threads, device, launch shape, progress */
    double rel_error;           /* adaptive target: CI half-width / |estimate| (0: off) */
    double abs_error;           /* adaptive target: CI half-width in output units (0: off) */
    uint64_t max_draws;         /* adaptive cap */
    int no_windows;             /* 1: exact quantiles by refinement passes only (for tests) */
    int no_keep;                /* 1: no values are kept, later passes draw again (tests) */
    double window_z;            /* width of quantile windows (0: QUANTILE_WINDOW_Z; tests) */
    checkpoint_options checkpointing;   /* the pass over the draws' checkpoints (adaptive runs:
                                   each round's), stops and resumed state (checkpoint.h), in
                                   segments of the backend's segment_units; with any of them,
                                   windows and kept values are off, so that interrupted and
                                   whole runs take one path; a resumed adaptive run starts in
                                   round resume_at.rounds with its draws */
    engine_sampler sampler;     /* Monte Carlo (kind 0, the default) or rqmc: then draws (or
                                   max_draws' largest fit) are replicates x 2^m, adaptive rounds
                                   double the points per replicate, and every interval comes
                                   from the replicates */
} runner_options;

/* A finished run. */
typedef struct {
    draw_plan plan;
    run_state totals;
    quantile_refinement *refinement;
    stats_output stats[PLAN_MAX_OUTPUTS];
    int rounds;                 /* first passes (1 unless adaptive) */
    int refinement_passes;      /* in the last round */
    int windows;                /* quantile windows counted in the first pass (0: none) */
    int window_misses;          /* ranks the windows did not hold (refined by passes) */
    uint64_t redrawn_draws;     /* in the last round: draws evaluated again for exact quantiles */
    int adaptive;
    int converged;              /* adaptive: the target was met */
    int errors_met;             /* adaptive: every error is below the target (in the last round) */
    int stopped_unreliable;     /* adaptive: stopped with the errors met and a mean unreliable
                                   (RUNNER_UNRELIABLE_ROUNDS rounds in a row) */
    int unreliable_rounds;      /* adaptive: rounds in a row with the errors met and a mean
                                   unreliable (checkpointed) */
    int resumed;                /* the resumed state is in the totals */
    uint64_t resumed_units;     /* work units of the first pass taken from a checkpoint (0: none) */
    double worst_relative_error;
    double worst_absolute_error;
} runner_result;

/* Run s; fills result (free with runner_free, also after a failure). */
int runner_run(const scenario *s, const runner_options *options, runner_result *result,
               char *err, size_t errlen);

void runner_free(runner_result *result);

#endif
