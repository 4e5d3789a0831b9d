/* runner_rounds.c: the stopping rule of adaptive runs (runner.h rel_error, abs_error,
 * max_draws): whether a round met the target, whether a relative target can be met at all, and
 * the draws of the first and of the next round. */
#include "runner_rounds.h"

#include <math.h>
#include <stdio.h>

#include "status.h"

/* Whether every error is below the adaptive target. */
int runner_rounds_errors_met(const runner_options *o, const runner_result *r)
{
    int met = 1;
    if (o->rel_error > 0) met &= r->worst_relative_error <= o->rel_error;
    if (o->abs_error > 0) met &= r->worst_absolute_error <= o->abs_error;
    return met;
}

/* Whether the adaptive target is met: every error below it and no mean marked unreliable (a
 * heavy tail makes its small interval a false promise, tail.h). */
int runner_rounds_target_met(const runner_options *o, const runner_result *r)
{
    int met = runner_rounds_errors_met(o, r);
    for (int out = 0; out < r->plan.output_count; out++) met &= r->stats[out].mean_reliable;
    return met;
}

/* A relative target cannot be met by an estimate whose interval holds 0 (a mean or quantile
 * near 0): more draws would only chase it. Refuse with a pointer to --abs-error. */
int runner_rounds_check_relative(const scenario *s, const runner_options *o,
                                   const runner_result *r, char *err, size_t errlen)
{
    if (!(o->rel_error > 0)) return THIRST_OK;
    for (int out = 0; out < r->plan.output_count; out++) {
        const stats_output *st = &r->stats[out];
        const char *name = scenario_output_name(s, r->plan.outputs[out]);
        const char *unit = scenario_output_unit(s, r->plan.outputs[out]);
        int k = -1;   /* -1: the mean; else quantile k */
        double low = st->mean_ci_low, high = st->mean_ci_high, estimate = st->mean;
        for (; k < st->quantile_count; k++) {
            if (k >= 0) {
                low = st->quantile_ci_low[k];
                high = st->quantile_ci_high[k];
                estimate = st->quantile[k];
            }
            if (low <= 0 && high >= 0 && high > low) {
                char what[48];
                if (k < 0) snprintf(what, sizeof what, "the mean");
                else snprintf(what, sizeof what, "the %g%% quantile", 100 * st->probability[k]);
                return status_fail(err, errlen, THIRST_ERR_INPUT,
                                   "--rel-error: %s of %s is 0 within its Monte Carlo error (%g, "
                                   "95%% interval [%g, %g] after %llu draws), so no number of "
                                   "draws makes its relative error small; use --abs-error in "
                                   "%s's unit (%s)", what, name, estimate, low, high,
                                   (unsigned long long)st->n, name, unit);
            }
        }
    }
    return THIRST_OK;
}

/* Draws for the next round: enough by 1/sqrt(n) scaling (10 % spare), at least double, whole
 * work units, at most the cap. */
uint64_t runner_rounds_next_draws(const runner_options *o, const runner_result *r, uint64_t n)
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

/* The draws of the first round: the run's, or an adaptive run's first round (rqmc:
 * replicates x 2^m from the start, and whole work units, as a round extends the sample from a
 * unit boundary, else the largest size max_draws allows: one round, its double passes the
 * cap). */
uint64_t runner_rounds_first_draws(const runner_options *o, int adaptive)
{
    if (!adaptive) return o->draws;
    uint64_t n = o->max_draws < RUNNER_FIRST_ROUND_DRAWS ? o->max_draws : RUNNER_FIRST_ROUND_DRAWS;
    if (o->sampler.kind != PLAN_SAMPLER_RQMC) return n;
    uint64_t fit = (uint64_t)o->sampler.replicates;
    while (fit < RUNNER_FIRST_ROUND_DRAWS || fit % ENGINE_UNIT_DRAWS) fit *= 2;
    n = fit <= o->max_draws ? fit : engine_rqmc_draws_at_most(o->sampler.replicates, o->max_draws);
    if (n / (uint64_t)o->sampler.replicates > ENGINE_QMC_MAX_POINTS)
        n = ENGINE_QMC_MAX_POINTS * (uint64_t)o->sampler.replicates;
    return n;
}
