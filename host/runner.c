/* runner.c: first pass, exact-quantile refinement passes, statistics and adaptive rounds, on
 * either backend. */
#include "runner.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backend_cuda.h"
#include "status.h"

/* First pass over the plan's draws into totals, on the chosen backend. */
static int first_pass(const runner_options *o, const engine_plan *plan, engine_totals *totals,
                      char *err, size_t errlen)
{
    return o->backend == RUNNER_CUDA ? backend_cuda_run(plan, &o->engine, totals, err, errlen)
                                     : engine_run_cpu(plan, &o->engine, totals, err, errlen);
}

/* Make every wanted rank of every output exact, pass by pass. */
static int refine(const scenario *s, const runner_options *o, runner_result *r, char *err,
                  size_t errlen)
{
    quantile_refinement *q = r->refinement;
    memset(q, 0, sizeof *q);
    for (int out = 0; out < r->plan.output_count; out++) {
        uint64_t ranks[STATS_MAX_RANKS];
        int count = stats_ranks(r->totals.moments[out].n, s, ranks);
        int status = quantile_add_targets(q, &r->plan, &r->totals, out, ranks, count, err, errlen);
        if (status) return status;
    }
    while (quantile_prepare_pass(q) > 0) {
        uint64_t *counts = calloc((size_t)q->count_total, sizeof *counts);
        int32_t *first_range = malloc((size_t)r->plan.hist_total * sizeof *first_range);
        if (!counts || !first_range) {
            free(counts);
            free(first_range);
            return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
        }
        quantile_bin_table(q, &r->plan, first_range);
        int status = o->backend == RUNNER_CUDA
                         ? backend_cuda_refine(&r->plan, &o->engine, q->ranges, q->range_count,
                                               first_range, q->count_total, counts, err, errlen)
                         : engine_refine_cpu(&r->plan, &o->engine, q->ranges, q->range_count,
                                             first_range, q->count_total, counts, err, errlen);
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
    for (int o = 0; o < r->plan.output_count; o++)
        if (r->totals.moments[o].nonfinite)
            return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                               "%llu draws gave a non-finite %s: check the priors for values "
                               "that divide by zero",
                               (unsigned long long)r->totals.moments[o].nonfinite,
                               scenario_output_name(s, r->plan.outputs[o]));
    return THIRST_OK;
}

/* Whether the adaptive target is met. */
static int target_met(const runner_options *o, const runner_result *r)
{
    int met = 1;
    if (o->rel_error > 0) met &= r->worst_relative_error <= o->rel_error;
    if (o->abs_error > 0) met &= r->worst_absolute_error <= o->abs_error;
    return met;
}

/* Draws for the next round: enough by 1/sqrt(n) scaling (10 % spare), at least double, whole
 * work units, at most the cap. */
static uint64_t next_draws(const runner_options *o, const runner_result *r, uint64_t n)
{
    double factor = 2;
    if (o->rel_error > 0 && r->worst_relative_error > o->rel_error)
        factor = fmax(factor, 1.1 * pow(r->worst_relative_error / o->rel_error, 2));
    if (o->abs_error > 0 && r->worst_absolute_error > o->abs_error)
        factor = fmax(factor, 1.1 * pow(r->worst_absolute_error / o->abs_error, 2));
    if (!isfinite(factor) || factor > 1e6) factor = 1e6;
    double next = (double)n * factor;
    if (next > (double)o->max_draws) next = (double)o->max_draws;
    uint64_t draws = (uint64_t)next;
    draws = (draws + ENGINE_UNIT_DRAWS - 1) / ENGINE_UNIT_DRAWS * ENGINE_UNIT_DRAWS;
    return draws > o->max_draws ? o->max_draws : draws;
}

int runner_run(const scenario *s, const runner_options *o, runner_result *r, char *err,
               size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->refinement = calloc(1, sizeof *r->refinement);
    if (!r->refinement) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    r->adaptive = o->rel_error > 0 || o->abs_error > 0;
    uint64_t n = o->draws;
    if (r->adaptive) n = o->max_draws < RUNNER_FIRST_ROUND_DRAWS ? o->max_draws : RUNNER_FIRST_ROUND_DRAWS;
    int bits = o->backend == RUNNER_CUDA ? ENGINE_MANTISSA_BITS_GPU : ENGINE_MANTISSA_BITS;
    int status = engine_plan_make(s, n, o->seed, bits, &r->plan, err, errlen);
    if (!status) status = engine_totals_alloc(&r->plan, &r->totals, err, errlen);
    if (!status) status = first_pass(o, &r->plan, &r->totals, err, errlen);
    r->rounds = 1;
    while (!status) {
        if ((status = check_finite(s, r, err, errlen))) break;
        if ((status = refine(s, o, r, err, errlen))) break;
        summarise(s, r);
        if (o->engine.progress && r->adaptive)
            o->engine.progress(o->engine.progress_context, n, n, r->worst_relative_error);
        if (!r->adaptive) break;
        r->converged = target_met(o, r);
        if (r->converged || n >= o->max_draws) break;
        /* Extend the same sample by draws [n, next): the backend merges their moments after
         * the earlier ones in unit order and adds their histogram counts. */
        uint64_t next = next_draws(o, r, n);
        engine_plan extension = r->plan;
        extension.first_draw = n;
        extension.draws = next - n;
        if ((status = first_pass(o, &extension, &r->totals, err, errlen))) break;
        n = next;
        r->plan.draws = n;
        r->rounds++;
    }
    return status;
}

void runner_free(runner_result *r)
{
    engine_totals_free(&r->totals);
    free(r->refinement);
    r->refinement = NULL;
}
