/* runner.c: first pass, exact-quantile refinement passes, statistics and adaptive rounds, on
 * either backend. */
#include "runner.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checkpoint.h"
#include "runner_rounds.h"
#include "status.h"

/* First pass over the plan's draws into totals, on the chosen backend; with ranges (only on a
 * backend that counts windows), also count the values in them. */
static int first_pass(const scenario *s, const runner_options *o, const draw_plan *plan,
                      const backend_ranges *ranges, run_state *totals, char *err,
                      size_t errlen)
{
    backend_job job = {plan, s->prior_data, &o->engine, NULL, NULL, 0, 0};
    return o->backend->run(&job, ranges, totals, err, errlen);
}

/* The values of the windows' prefix, or of the whole run (a short run, one without windows, a
 * fixed rqmc run), kept when they fit RUNNER_KEEP_BYTES: the later passes count them from
 * memory instead of drawing them again. */
typedef struct {
    float *values;              /* reported outputs x stride floats, or NULL: draw again */
    uint64_t first, stride;     /* draws [first, first + stride) */
} kept_values;

/* Progress of a part of a run, reported as progress of the whole. */
typedef struct {
    backend_progress_fn progress;
    void *context;
    uint64_t offset, total;
} part_progress;

static void part_progress_print(void *context, uint64_t done, uint64_t total, double error)
{
    const part_progress *p = context;
    (void)total;
    p->progress(p->context, p->offset + done, p->total, error);
}

/* Draws [first_unit, end_unit) units of plan as a plan of their own. */
static draw_plan plan_part(const draw_plan *plan, uint64_t first_unit, uint64_t end_unit)
{
    draw_plan part = *plan;
    uint64_t end = plan->first_draw + end_unit * ENGINE_UNIT_DRAWS;
    if (end > plan->first_draw + plan->draws) end = plan->first_draw + plan->draws;
    part.first_draw = plan->first_draw + first_unit * ENGINE_UNIT_DRAWS;
    part.draws = end - part.first_draw;
    return part;
}

/* Room in kv for draws [kv->first, kv->first + draws) of outputs reported outputs (draw-major,
 * growing, the values kept so far in place): 1, or 0 (kv emptied) when that passes
 * RUNNER_KEEP_BYTES or memory runs out. */
static int keep_room(kept_values *kv, uint64_t draws, int outputs)
{
    float *grown = NULL;
    if ((double)draws * outputs * sizeof(float) <= RUNNER_KEEP_BYTES)
        grown = realloc(kv->values, (size_t)draws * (size_t)outputs * sizeof(float));
    if (!grown) {
        free(kv->values);
        kv->values = NULL;
        kv->stride = 0;
        return 0;
    }
    kv->values = grown;
    kv->stride = draws;
    return 1;
}

/* A first pass over plan (a part of the run) that also keeps its values in kv, when kv holds
 * any; with ranges, also counts the values in them. */
static int first_pass_kept(const scenario *s, const runner_options *o, const draw_plan *plan,
                           const backend_ranges *ranges, const kept_values *kv,
                           run_state *totals, char *err, size_t errlen)
{
    backend_job job = {plan, s->prior_data, &o->engine, kv->values, NULL, kv->first, kv->stride};
    return o->backend->run(&job, ranges, totals, err, errlen);
}

/* A refinement pass over plan on the chosen backend, counting kv's values where it holds them
 * (else drawing them again). */
static int refine_kept(const scenario *s, const runner_options *o, const draw_plan *plan,
                       const backend_ranges *ranges, const kept_values *kv, char *err,
                       size_t errlen)
{
    backend_job job = {plan, s->prior_data, &o->engine, NULL, kv->values, kv->first, kv->stride};
    return o->backend->refine(&job, ranges, err, errlen);
}

/* Windows of every rank the report needs, from totals over n_seen draws; fills w and returns
 * its counters, or -1 when some rank has no window or they need more than limit counters. */
static int make_windows(const scenario *s, const runner_result *r, uint64_t n_seen, double z,
                        int limit, quantile_refinement *w)
{
    memset(w, 0, sizeof *w);
    for (int out = 0; out < r->plan.output_count; out++) {
        uint64_t ranks[STATS_MAX_RANKS];
        int count = stats_ranks(r->plan.draws, s, r->plan.sampler == PLAN_SAMPLER_MC, ranks);
        for (int k = 0; k < count; k++)
            if (quantile_add_window(w, &r->plan, &r->totals, out, ranks[k], r->plan.draws,
                                    n_seen, z))
                return -1;
    }
    int counters = quantile_windows_finish(w);
    return counters > limit ? -1 : counters;
}

/* The first pass of a fixed-length CPU run, with the windows that make most quantiles exact
 * without a refinement pass. A prefix of the draws (1/32 of the units, doubled while its
 * windows need more counters than quantile_window_counter_limit allows and it is under a
 * quarter of the units, so it ends under half) locates every rank the report needs; the rest
 * of the draws then also count the values in those windows key by key, and the prefix is
 * re-drawn to count its values in them too, from the values the prefix's pass kept when they
 * fit RUNNER_KEEP_BYTES (one pass in all), else by drawing it again. Moments merge in unit
 * order and counts are integers, so the totals equal those of one pass; ranks whose final bin
 * lies in a window are exact after (1 + prefix share) passes instead of 2, or after one with
 * the kept values. An adaptive round starts at start_units (the units already in r's totals):
 * its earlier draws are the prefix, or its beginning, and are drawn again to be counted. Fills
 * *windows and *counts (caller frees), or leaves them empty when the run is too short or no
 * prefix gives windows that fit. Without windows, or with them under rqmc (whose later passes
 * go over every draw), when the whole run's values fit RUNNER_KEEP_BYTES (and kept_all is
 * given), the rest's values are kept after the prefix's and handed to the caller in *kept_all
 * (caller frees), so that the later passes count them from memory; else they are dropped
 * after the prefix is counted, and later passes draw the run again. */
static int first_pass_windows(const scenario *s, const runner_options *o, runner_result *r,
                              uint64_t start_units, quantile_refinement *windows,
                              uint64_t **counts, kept_values *kept_all, char *err, size_t errlen)
{
    const draw_plan *plan = &r->plan;
    uint64_t units = (plan->draws + ENGINE_UNIT_DRAWS - 1) / ENGINE_UNIT_DRAWS;
    *counts = NULL;
    windows->range_count = windows->count_total = 0;
    if (!o->backend->counts_windows || o->no_windows || units < RUNNER_WINDOW_MIN_UNITS) {
        draw_plan all = plan_part(plan, start_units, units);
        return first_pass(s, o, &all, NULL, &r->totals, err, errlen);
    }
    part_progress progress = {o->engine.progress, o->engine.progress_context, 0, plan->draws};
    runner_options part_options = *o;
    if (o->engine.progress) {
        part_options.engine.progress = part_progress_print;
        part_options.engine.progress_context = &progress;
    }
    uint64_t done = start_units, next = units / 32 > 4 ? units / 32 : 4;
    if (next < done) next = done;
    /* The prefix's values kept in memory while they fit the budget (the buffer grows with the
     * prefix); only when the run starts here (an adaptive round's earlier draws were not kept:
     * they are drawn again). */
    kept_values kv = {NULL, plan->first_draw, 0};
    int keeping = !start_units && !o->no_keep && o->backend->keeps_values, counters = -1,
        status = THIRST_OK;
    for (;;) {
        if (next > done) {
            draw_plan part = plan_part(plan, done, next);
            keeping = keeping && keep_room(&kv, next * ENGINE_UNIT_DRAWS, plan->output_count);
            progress.offset = done * ENGINE_UNIT_DRAWS;
            status = first_pass_kept(s, &part_options, &part, NULL, &kv, &r->totals, err, errlen);
            if (status) break;
            done = next;
        }
        counters = make_windows(s, r, done * ENGINE_UNIT_DRAWS,
                                o->window_z > 0 ? o->window_z : QUANTILE_WINDOW_Z,
                                quantile_window_counter_limit(o->engine.threads), windows);
        if (counters > 0 || 4 * done >= units) break;
        next = 2 * done < units ? 2 * done : units;
    }
    draw_plan rest = plan_part(plan, done, units);
    progress.offset = done * ENGINE_UNIT_DRAWS;
    if (status || counters <= 0) {
        windows->range_count = windows->count_total = 0;
        if (!status && kept_all && keeping && keep_room(&kv, plan->draws, plan->output_count)) {
            if (rest.draws)
                status = first_pass_kept(s, &part_options, &rest, NULL, &kv, &r->totals, err,
                                         errlen);
            *kept_all = kv;
            return status;
        }
        free(kv.values);
        if (status) return status;
        return rest.draws ? first_pass(s, &part_options, &rest, NULL, &r->totals, err, errlen)
                          : THIRST_OK;
    }
    *counts = calloc((size_t)counters, sizeof **counts);
    int32_t *first_range = malloc((size_t)plan->hist_total * sizeof *first_range);
    if (!*counts || !first_range) {
        free(first_range);
        free(kv.values);
        return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    }
    quantile_bin_table(windows, plan, first_range);
    backend_ranges ranges = {windows->ranges, windows->range_count, first_range, counters,
                             *counts};
    /* rqmc passes over the whole run again (the replicates' counts, the intervals' ends): all
     * its values are kept when they fit, for those passes to count them from memory. */
    const int keep_all = kept_all && kv.values && plan->sampler == PLAN_SAMPLER_RQMC &&
                         (double)plan->draws * plan->output_count * sizeof(float) <=
                             RUNNER_KEEP_BYTES &&
                         keep_room(&kv, plan->draws, plan->output_count);
    status = keep_all ? first_pass_kept(s, &part_options, &rest, &ranges, &kv, &r->totals, err,
                                        errlen)
                      : first_pass(s, &part_options, &rest, &ranges, &r->totals, err, errlen);
    draw_plan prefix = plan_part(plan, 0, done);
    if (!status) status = refine_kept(s, o, &prefix, &ranges, &kv, err, errlen);
    if (!kv.values) r->redrawn_draws += prefix.draws;   /* else counted from memory */
    free(first_range);
    if (keep_all) *kept_all = kv;
    else free(kv.values);
    return status;
}

/* THIRST_ERR_INTERRUPTED: the run stopped after units [0, next) of plan (its checkpoint
 * written, if asked for). */
static int interrupted(const runner_options *o, const draw_plan *plan, uint64_t next, char *err,
                       size_t errlen)
{
    const uint64_t done = next * ENGINE_UNIT_DRAWS < plan->draws ? next * ENGINE_UNIT_DRAWS
                                                                 : plan->draws;
    return status_fail(err, errlen, THIRST_ERR_INTERRUPTED, "interrupted after %llu of %llu "
                       "draws%s%s", (unsigned long long)done, (unsigned long long)plan->draws,
                       o->checkpointing.path ? "; resume with --resume " : "",
                       o->checkpointing.path ? o->checkpointing.path : "");
}

/* Resolve every target of r's refinement, pass by pass (over kv's values where it holds the
 * run's). */
static int resolve_targets(const scenario *s, const runner_options *o, runner_result *r,
                           const kept_values *kv, char *err, size_t errlen)
{
    quantile_refinement *q = r->refinement;
    while (quantile_prepare_pass(q) > 0) {
        if (checkpoint_stop_asked(&o->checkpointing))   /* the first pass is checkpointed whole: resume from there */
            return interrupted(o, &r->plan, (r->plan.draws + ENGINE_UNIT_DRAWS - 1) /
                                                ENGINE_UNIT_DRAWS, err, errlen);
        uint64_t *counts = calloc((size_t)q->count_total, sizeof *counts);
        int32_t *first_range = malloc((size_t)r->plan.hist_total * sizeof *first_range);
        if (!counts || !first_range) {
            free(counts);
            free(first_range);
            return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
        }
        quantile_bin_table(q, &r->plan, first_range);
        backend_ranges ranges = {q->ranges, q->range_count, first_range, q->count_total, counts};
        int status = refine_kept(s, o, &r->plan, &ranges, kv, err, errlen);
        if (!kv->values) r->redrawn_draws += r->plan.draws;   /* else counted from memory */
        if (!status) quantile_apply_pass(q, counts);
        free(counts);
        free(first_range);
        if (status) return status;
        if (q->passes > 8)
            return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                               "exact quantiles did not converge in 8 passes (internal error)");
    }
    r->refinement_passes = q->passes;
    return THIRST_OK;
}

/* rqmc: each quantile's interval from the replicates (quantile_replicate_half_width): the
 * fraction of each replicate's values at or below the pooled estimate, counted in one pass (from
 * kv's values where it holds them), then the pooled order statistics at the interval's ends
 * made exact too. */
static int replicate_quantile_intervals(const scenario *s, const runner_options *o,
                                        runner_result *r, const kept_values *kv, char *err,
                                        size_t errlen)
{
    quantile_refinement *q = r->refinement;
    const draw_plan *plan = &r->plan;
    double probabilities[QUANTILE_MAX_PROBABILITIES];
    const int per_output = stats_probabilities(s, probabilities);
    const int count = plan->output_count * per_output;
    int outputs[PLAN_MAX_OUTPUTS * QUANTILE_MAX_PROBABILITIES];
    float thresholds[PLAN_MAX_OUTPUTS * QUANTILE_MAX_PROBABILITIES];
    for (int out = 0; out < plan->output_count; out++)
        for (int k = 0; k < per_output; k++) {
            double estimate = stats_quantile(plan, &r->totals, q, out, probabilities[k]);
            float below = (float)estimate;   /* the largest float at or below the estimate */
            if ((double)below > estimate) below = nextafterf(below, -INFINITY);
            outputs[out * per_output + k] = out;
            thresholds[out * per_output + k] = below;
        }
    uint64_t *counts = calloc((size_t)plan->replicates * (size_t)count, sizeof *counts);
    if (!counts) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    backend_job job = {plan, s->prior_data, &o->engine, NULL, kv->values, kv->first, kv->stride};
    int status = o->backend->count_replicates(&job, count, outputs, thresholds, counts, err,
                                              errlen);
    if (!kv->values) r->redrawn_draws += plan->draws;
    static _Thread_local double fractions[PLAN_MAX_REPLICATES];
    for (int k = 0; k < count && !status; k++) {
        for (int rep = 0; rep < plan->replicates; rep++) {
            const state_replicate *x = &r->totals.replicate[(size_t)rep * (size_t)plan->output_count +
                                                            (size_t)outputs[k]];
            fractions[rep] = (double)counts[(size_t)rep * (size_t)count + (size_t)k] / (double)x->n;
        }
        q->interval_half[outputs[k]][k % per_output] =
            quantile_replicate_half_width(fractions, plan->replicates, STATS_CONFIDENCE);
    }
    free(counts);
    if (status) return status;
    q->replicate_intervals = 1;
    for (int out = 0; out < plan->output_count && !status; out++) {
        uint64_t ranks[2 * QUANTILE_MAX_PROBABILITIES];
        int ends = stats_replicate_interval_ranks(r->totals.moments[out].n, s, q, out, ranks);
        status = quantile_add_targets(q, plan, &r->totals, out, ranks, ends, err, errlen);
    }
    return status ? status : resolve_targets(s, o, r, kv, err, errlen);
}

/* The header of the checkpoint of r's first pass over units [0, next_unit). */
static checkpoint_header run_header(const scenario *s, const runner_options *o,
                                    const runner_result *r, uint64_t next_unit)
{
    checkpoint_header header = checkpoint_header_of(
        s, r->plan.seed, r->plan.draws, r->plan.sampler, r->plan.replicates,
        checkpoint_rule(o->rel_error, o->abs_error, o->max_draws), next_unit);
    header.rounds = r->rounds;
    header.unreliable_rounds = r->unreliable_rounds;
    header.histogram_bits = o->backend->mantissa_bits;
    header.command = CHECKPOINT_RUN;
    return header;
}

/* The pass over the draws of a checkpointed or resumed run, units [start_unit, the plan's) (an
 * adaptive round starts where the last ended; the first call merges the resumed state and
 * starts after it), in segments of the backend's segment_units added to the totals in unit
 * order; after a segment, a checkpoint when checkpointing.every seconds have passed, when
 * stopped and at the end; stopped: THIRST_ERR_INTERRUPTED. The totals equal one pass's byte for byte. */
static int first_pass_segments(const scenario *s, const runner_options *o, runner_result *r,
                               uint64_t start_unit, char *err, size_t errlen)
{
    const draw_plan *plan = &r->plan;
    const uint64_t units = (plan->draws + ENGINE_UNIT_DRAWS - 1) / ENGINE_UNIT_DRAWS;
    uint64_t next = start_unit;
    const checkpoint_options *c = &o->checkpointing;
    const int resuming = c->resume && !r->resumed;
    if (resuming) {
        r->resumed = 1;
        int status = checkpoint_fits(&c->resume_at, o->backend->mantissa_bits, units, err, errlen);
        if (!status && run_state_merge(&r->totals, c->resume, err, errlen))
            status = status_fail(err, errlen, THIRST_ERR_INPUT, "--resume: the checkpoint's "
                                 "state does not fit this run (another layout)");
        if (status) return status;
        next = c->resume_at.next_unit;
    }
    part_progress progress = {o->engine.progress, o->engine.progress_context, 0, plan->draws};
    runner_options part_options = *o;
    if (o->engine.progress) {
        part_options.engine.progress = part_progress_print;
        part_options.engine.progress_context = &progress;
    }
    const uint64_t segment =
        o->backend->segment_units > 0 ? (uint64_t)o->backend->segment_units : 64;
    struct timespec last;
    clock_gettime(CLOCK_MONOTONIC, &last);
    uint64_t drawn = 0;   /* units drawn here: the others came from the checkpoint */
    while (next < units) {
        const uint64_t end = units - next < segment ? units : next + segment;
        drawn += end - next;
        draw_plan part = plan_part(plan, next, end);
        progress.offset = next * ENGINE_UNIT_DRAWS;
        int status = first_pass(s, &part_options, &part, NULL, &r->totals, err, errlen);
        if (status) return status;
        next = end;
        const checkpoint_header header = run_header(s, o, r, next);
        int stopping = 0;
        if ((status = checkpoint_segment_end(c, next == units, &last, &header, &r->totals,
                                             &stopping, err, errlen)))
            return status;
        if (stopping) return interrupted(o, plan, next, err, errlen);
    }
    if (resuming) r->resumed_units = units - drawn;
    return THIRST_OK;
}

/* Make every wanted rank of every output exact: first from the windows counted during the
 * first pass (if any), then pass by pass (over kv's values where it holds the run's); under
 * rqmc, then the replicates' quantile intervals. */
static int refine(const scenario *s, const runner_options *o, runner_result *r,
                  const quantile_refinement *windows, const uint64_t *window_counts,
                  const kept_values *kv, char *err, size_t errlen)
{
    quantile_refinement *q = r->refinement;
    memset(q, 0, sizeof *q);
    const int binomial = r->plan.sampler == PLAN_SAMPLER_MC;
    for (int out = 0; out < r->plan.output_count; out++) {
        uint64_t ranks[STATS_MAX_RANKS];
        int count = stats_ranks(r->totals.moments[out].n, s, binomial, ranks);
        int status = quantile_add_targets(q, &r->plan, &r->totals, out, ranks, count, err, errlen);
        if (status) return status;
    }
    if (windows && window_counts) r->window_misses = quantile_apply_windows(q, windows, window_counts);
    int status = resolve_targets(s, o, r, kv, err, errlen);
    if (!status && !binomial) status = replicate_quantile_intervals(s, o, r, kv, err, errlen);
    return status;
}

/* Statistics of every output, and the worst errors over them. */
static void summarise(const scenario *s, runner_result *r)
{
    r->worst_relative_error = 0;
    r->worst_absolute_error = 0;
    for (int out = 0; out < r->plan.output_count; out++) {
        stats_compute(&r->plan, &r->totals, r->refinement, out, s, &r->stats[out]);
        if (r->stats[out].worst_relative_error > r->worst_relative_error)
            r->worst_relative_error = r->stats[out].worst_relative_error;
        if (r->stats[out].worst_absolute_error > r->worst_absolute_error)
            r->worst_absolute_error = r->stats[out].worst_absolute_error;
    }
}

/* Fail on outputs that were NaN or infinite for some draws. */
static int check_finite(const scenario *s, const runner_result *r, char *err, size_t errlen)
{
    for (int o = 0; o < r->plan.output_count; o++) {
        if (!r->totals.moments[o].nonfinite) continue;
        /* The first such draw, looked for among the first 1e8 (an error path: one thread). */
        const uint64_t searched = r->plan.draws < 100000000u ? r->plan.draws : 100000000u;
        uint64_t first = searched;
        for (uint64_t i = 0; i < searched && first == searched; i++) {
            float inputs[DRAW_INPUT_SLOTS], outputs[PLAN_MAX_OUTPUTS];
            engine_eval_draw(&r->plan, s->prior_data, r->plan.first_draw + i, NULL, inputs,
                             outputs);
            if (!accum_is_finite(outputs[o])) first = r->plan.first_draw + i;
        }
        char where[96];
        if (first < searched)
            snprintf(where, sizeof where, "the first is draw %llu (see it with thirst draws "
                     "--first %llu --count 1)", (unsigned long long)first,
                     (unsigned long long)first);
        else
            snprintf(where, sizeof where, "none among the first %llu",
                     (unsigned long long)searched);
        return status_fail(err, errlen, THIRST_ERR_INPUT,
                           "%s: %llu of %llu draws give a non-finite %s; %s: check the priors and "
                           "formulas for values that divide by zero or leave a function's "
                           "domain", s->file, (unsigned long long)r->totals.moments[o].nonfinite,
                           (unsigned long long)r->plan.draws,
                           scenario_output_name(s, r->plan.outputs[o]), where);
    }
    return THIRST_OK;
}

int runner_run(const scenario *s, const runner_options *given, runner_result *r, char *err,
               size_t errlen)
{
    runner_options with_backend = *given;
    if (!with_backend.backend) with_backend.backend = backend_cpu();
    const runner_options *o = &with_backend;
    memset(r, 0, sizeof *r);
    r->refinement = calloc(1, sizeof *r->refinement);
    if (!r->refinement) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    r->adaptive = o->rel_error > 0 || o->abs_error > 0;
    const int rqmc = o->sampler.kind == PLAN_SAMPLER_RQMC;
    uint64_t n = runner_rounds_first_draws(o, r->adaptive);
    int status = engine_sampler_check_run(&o->sampler, n, "draws", r->adaptive, o->max_draws,
                                          err, errlen);
    if (status) return status;
    const checkpoint_options *c = &o->checkpointing;
    const int segmented = c->path || c->resume || c->stop;   /* checkpointed passes */
    /* a whole fixed run's checkpoint: its pass and exact quantiles, nothing to draw */
    const int complete = !r->adaptive && c->resume && c->resume_refinement;
    int bits = o->backend->mantissa_bits;
    quantile_refinement *windows = calloc(1, sizeof *windows);
    uint64_t *window_counts = NULL;
    if (!windows) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    status = engine_plan_make_sampled(s, n, o->seed, bits, &o->sampler, &r->plan, err, errlen);
    if (!status) status = run_state_alloc(&r->totals, r->plan.output_count, r->plan.hist_total, err, errlen);
    if (!status && rqmc)
        status = run_state_alloc_replicates(&r->totals, r->plan.replicates, err, errlen);
    /* A fixed run too short for windows keeps its values when they fit: its refinement passes
     * then count them from memory (one pass of draws in all). So do a longer one whose
     * windows do not fit and a fixed rqmc run (first_pass_windows fills kv then). */
    kept_values kv = {NULL, r->plan.first_draw, r->plan.draws};
    if (!status && !r->adaptive && o->backend->keeps_values && !o->no_keep && !segmented &&
        (r->plan.draws + ENGINE_UNIT_DRAWS - 1) / ENGINE_UNIT_DRAWS < RUNNER_WINDOW_MIN_UNITS &&
        (double)r->plan.draws * r->plan.output_count * sizeof(float) <= RUNNER_KEEP_BYTES)
        kv.values = malloc((size_t)r->plan.draws * (size_t)r->plan.output_count * sizeof(float));
    if (!status && r->adaptive && c->resume) {   /* resumed at round resume_rounds */
        r->plan.draws = n = c->resume_at.draws;
        r->rounds = c->resume_at.rounds;
        r->unreliable_rounds = c->resume_at.unreliable_rounds;
    }
    if (!status && segmented)
        status = first_pass_segments(s, o, r, 0, err, errlen);
    else if (!status && kv.values)
        status = first_pass_kept(s, o, &r->plan, NULL, &kv, &r->totals, err, errlen);
    else if (!status)
        status = r->adaptive ? first_pass(s, o, &r->plan, NULL, &r->totals, err, errlen)
                             : first_pass_windows(s, o, r, 0, windows, &window_counts, &kv, err,
                                                  errlen);
    r->windows = windows->range_count;
    if (!r->rounds) r->rounds = 1;
    while (!status) {
        if ((status = check_finite(s, r, err, errlen))) break;
        if (complete && stats_refinement_unfit(&r->plan, &r->totals, s, c->resume_refinement)) {
            status = status_fail(err, errlen, THIRST_ERR_INPUT, "--resume %s: damaged (its exact "
                                 "quantiles do not fit its state)", c->resume_path);
            break;
        }
        if (complete) *r->refinement = *c->resume_refinement;
        else if ((status = refine(s, o, r, windows, window_counts, &kv, err, errlen))) break;
        free(window_counts);
        window_counts = NULL;
        summarise(s, r);
        if (o->engine.progress && r->adaptive)
            o->engine.progress(o->engine.progress_context, n, n, r->worst_relative_error);
        if (!r->adaptive) break;
        if ((status = runner_rounds_check_relative(s, o, r, err, errlen))) break;
        r->converged = runner_rounds_target_met(o, r);
        r->errors_met = runner_rounds_errors_met(o, r);
        if (r->converged || n >= o->max_draws ||
            (rqmc && (2 * n > o->max_draws ||
                      2 * n / (uint64_t)o->sampler.replicates > ENGINE_QMC_MAX_POINTS)))
            break;
        /* The errors are met but a mean stays unreliable: the Pareto k of a lognormal-like tail
         * falls only like 1 / sqrt(ln n), so more rounds rarely fix it; stop (not converged). */
        r->unreliable_rounds = r->errors_met ? r->unreliable_rounds + 1 : 0;
        if (r->unreliable_rounds > RUNNER_UNRELIABLE_ROUNDS) {
            r->stopped_unreliable = 1;
            break;
        }
        /* Extend the same sample by draws [n, next), counting the next round's quantile
         * windows as first_pass_windows does, or in checkpointed segments (the backend merges
         * the new draws' moments after the earlier ones in unit order). */
        uint64_t next = rqmc ? 2 * n : runner_rounds_next_draws(o, r, n);
        r->plan.draws = next;
        r->redrawn_draws = 0;
        r->rounds++;
        free(window_counts);
        window_counts = NULL;
        status = segmented ? first_pass_segments(s, o, r, n / ENGINE_UNIT_DRAWS, err, errlen)
                           : first_pass_windows(s, o, r, n / ENGINE_UNIT_DRAWS, windows,
                                                &window_counts, NULL, err, errlen);
        r->windows = windows->range_count;
        n = next;
    }
    free(windows);
    free(window_counts);
    free(kv.values);
    if (!status && !r->adaptive && c->path) {   /* the whole run: resumed, it draws nothing */
        const checkpoint_header header = run_header(s, o, r, (r->plan.draws + ENGINE_UNIT_DRAWS -
                                                              1) / ENGINE_UNIT_DRAWS);
        status = checkpoint_complete(c, &header, &r->totals, r->refinement, err, errlen);
    }
    return status;
}

void runner_free(runner_result *r)
{
    engine_plan_release(&r->plan);
    run_state_free(&r->totals);
    free(r->refinement);
    r->refinement = NULL;
}
