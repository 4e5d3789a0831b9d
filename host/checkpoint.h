/* checkpoint.h: a run's checkpoint (DESIGN.md section 12, issue 19): the merged state of its
 * first pass over work units [0, next_unit), with what the run was (the scenario's hash, the
 * seed, the draws, the sampler, thirst's version and numbers version), written atomically
 * (temporary file, fsync, rename, fsync of the directory) and read back only when every byte
 * checks out (magic, sizes, a checksum over the whole file). `thirst run --resume FILE`
 * continues from it; the states merge exactly (state.h), so the result equals an uninterrupted
 * run's byte for byte. */
#ifndef THIRST_CHECKPOINT_H
#define THIRST_CHECKPOINT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "quantile.h"
#include "scenario.h"
#include "state.h"

enum { CHECKPOINT_RUN = 0, CHECKPOINT_SENSITIVITY = 1 };   /* the command that wrote it */

/* What a checkpoint belongs to, and how far it got. */
typedef struct {
    uint64_t scenario_hash;     /* checkpoint_scenario_hash: the file's text and the overrides */
    uint64_t seed;
    uint64_t draws;
    int32_t sampler;            /* PLAN_SAMPLER_* */
    int32_t replicates;         /* rqmc; 0 under Monte Carlo */
    int32_t numbers_version;    /* THIRST_NUMBERS_VERSION of the build that wrote it */
    char version[32];           /* THIRST_VERSION of the build that wrote it */
    uint64_t next_unit;         /* the first work unit the state does not hold */
    uint64_t rule;              /* adaptive runs: checkpoint_rule of the stopping rule (then draws
                                   is the current round's and is not matched); 0: fixed run */
    int32_t rounds;             /* adaptive: the round whose pass the state holds (1, 2, ...) */
    int32_t unreliable_rounds;  /* adaptive: the runner's count of rounds in a row with the
                                   errors met and a mean unreliable */
    int32_t histogram_bits;     /* the backend's histogram resolution (backend.h mantissa_bits:
                                   the state's layout), set by the runner */
    int32_t command;            /* CHECKPOINT_RUN or CHECKPOINT_SENSITIVITY (then next_unit
                                   counts the Sobol design's batches), set by the writer */
    int32_t complete;           /* 1: a whole fixed run, its exact quantiles too (the
                                   refinement): resumed without drawing; set by the file */
    uint64_t checksum;          /* checkpoint_read: the file's checksum (MPI ranks check that
                                   they read the same file); checkpoint_write ignores it */
} checkpoint_header;

/* What --resume read: a pass's state, and a complete run's exact quantiles (else NULL). */
typedef struct {
    run_state state;
    quantile_refinement *refinement;
} checkpoint_resumed;

/* How a checkpointed pass runs (runner.h, sensitivity.h): where its checkpoint goes, how often,
 * what stops it, and what it resumes from. All zero: no checkpoint, never stopped. */
typedef struct {
    const char *path;              /* write the pass's merged state here (NULL: never) */
    double every;                  /* seconds between checkpoints (0: after every segment) */
    int elsewhere;                 /* 1: another process writes it (MPI ranks other than 0) */
    volatile sig_atomic_t *stop;   /* set (by a signal handler) to stop the pass after its
                                      segment: checkpointed, if asked to, then
                                      THIRST_ERR_INTERRUPTED (NULL: never) */
    int (*agree)(int status, char *err, size_t errlen);   /* the status every process agrees on
                                      (ranks.h ranks_agree), asked by every process at the same
                                      points (NULL: one process, its own) */
    const run_state *resume;       /* the state from a checkpoint (NULL: start at the start) */
    const char *resume_path;       /* its file (messages) */
    checkpoint_header resume_at;   /* its header */
    const quantile_refinement *resume_refinement;   /* a complete run's exact quantiles
                                      (resume_at.complete), else NULL */
} checkpoint_options;

/* Whether the pass stops here: a stop asked of any of its processes (a collective call when
 * c->stop is set, else 0). */
int checkpoint_stop_asked(const checkpoint_options *c);

/* The end of a segment of a checkpointed pass (last: the pass's last) whose merged state is
 * state, described by header: *stopping says whether any process was asked to stop; when
 * stopping, at the last segment or when c->every seconds have passed since *clock, the writing
 * process writes the checkpoint and *clock restarts. Returns the status every process agrees on
 * (the writer's failure is all's). */
int checkpoint_segment_end(const checkpoint_options *c, int last, struct timespec *clock,
                           const checkpoint_header *header, const run_state *state,
                           int *stopping, char *err, size_t errlen);

/* A whole fixed run's checkpoint: header (next_unit: all the units), state and the exact
 * quantiles of refinement (every target resolved), written by the writing process; the status
 * every process agrees on. A resumed run then draws nothing. */
int checkpoint_complete(const checkpoint_options *c, const checkpoint_header *header,
                        const run_state *state, const quantile_refinement *refinement,
                        char *err, size_t errlen);

/* The stopping rule of an adaptive run as a nonzero hash (--rel-error, --abs-error,
 * --max-draws); 0 for a fixed run (both errors 0). */
uint64_t checkpoint_rule(double rel_error, double abs_error, uint64_t max_draws);

/* FNV-1a (64-bit) of the scenario's text as read and its --set overrides, in order. */
uint64_t checkpoint_scenario_hash(const scenario *s);

/* The header of a run of s with seed, draws (an adaptive run: its current round's) and sampler
 * (kind, replicates) under rule (checkpoint_rule) by this build, at next_unit (rounds and
 * unreliable_rounds 0: the caller sets them). */
checkpoint_header checkpoint_header_of(const scenario *s, uint64_t seed, uint64_t draws,
                                       int sampler, int replicates, uint64_t rule,
                                       uint64_t next_unit);

/* Read the checkpoint at path for the run expected describes (checkpoint_header_of, and its
 * command: CHECKPOINT_RUN, or CHECKPOINT_SENSITIVITY with the base draws as draws): its state
 * and a complete run's exact quantiles into resumed (free with checkpoint_resumed_free), its
 * header into found; refused (THIRST_ERR_INPUT, naming path and what differs or is damaged)
 * otherwise. */
int checkpoint_resume(const char *path, const checkpoint_header *expected,
                      checkpoint_resumed *resumed, checkpoint_header *found, char *err,
                      size_t errlen);

/* Free what checkpoint_resume read (a zeroed one too). */
void checkpoint_resumed_free(checkpoint_resumed *resumed);

/* Write header, state and (a complete run; else NULL) the exact quantiles of refinement to path
 * atomically; THIRST_ERR_RUNTIME naming path on failure (the previous checkpoint, if any, is
 * left as it was). */
int checkpoint_write(const char *path, const checkpoint_header *header, const run_state *state,
                     const quantile_refinement *refinement, char *err, size_t errlen);

/* Read path into header, state (allocated here; free with run_state_free) and, when the file
 * is complete, *refinement (allocated here; free with free; else NULL). THIRST_ERR_INPUT naming
 * path and what is wrong for anything but a whole, unaltered checkpoint. */
int checkpoint_read(const char *path, checkpoint_header *header, run_state *state,
                    quantile_refinement **refinement, char *err, size_t errlen);

/* THIRST_OK when a checkpoint's header (found) fits a run on a backend of mantissa_bits
 * histogram bits over units work units, else THIRST_ERR_INPUT saying which backend wrote it or
 * that it holds more units than the run has. */
int checkpoint_fits(const checkpoint_header *found, int mantissa_bits, uint64_t units, char *err,
                    size_t errlen);

/* THIRST_OK when found (a checkpoint's header) belongs to the run expected describes, else
 * THIRST_ERR_INPUT naming path and each field that differs (scenario, seed, draws, sampler,
 * version). */
int checkpoint_match(const char *path, const checkpoint_header *expected,
                     const checkpoint_header *found, char *err, size_t errlen);

#endif
