/* sensitivity_measured.c: "what if you measured it" (DESIGN.md section 13): for each uncertain
 * input, each output's central interval with that input fixed at its median, next to the
 * interval with every input uncertain; the runs share their draws (common random numbers: the
 * fixed input keeps its word, every other input its values), so the difference between two
 * intervals is the input's, not sampling noise. A choice over several parameters is fixed at its
 * median option; a correlated input at its median with its partners conditional on it. Exact
 * quantiles, the CPU backend. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "correlation.h"
#include "runner.h"
#include "sensitivity.h"
#include "status.h"

/* The central interval of every output of s (runs of base draws on the CPU) into low, high. */
static int intervals(const scenario *s, const sensitivity_options *options, double *low,
                     double *high, char *err, size_t errlen)
{
    runner_options run;
    memset(&run, 0, sizeof run);
    run.draws = options->base_draws;
    run.seed = options->seed;
    run.engine.threads = options->engine.threads;
    runner_result result;
    int status = runner_run(s, &run, &result, err, errlen);
    for (int o = 0; !status && o < result.plan.output_count; o++) {
        low[o] = result.stats[o].interval_low;
        high[o] = result.stats[o].interval_high;
    }
    runner_free(&result);
    return status;
}

/* Floats of a block's packed Cholesky factor at the most. */
#define CONDITIONAL_FLOATS (COPULA_MAX_MEMBERS * (COPULA_MAX_MEMBERS + 1) / 2)

/* Rewrite copula plan c (a copy of s's) so that prior k's block has k first and a factor whose
 * first column is 0, packed into data at offset (after s's own floats). */
static void conditional_block(const scenario *s, copula_plan *c, int k, float *data, int offset)
{
    const scenario_correlations *cr = &s->correlations;
    const int b = c->in_block[k] - 1, first = c->block_first[b], n = c->block_size[b];
    int order[COPULA_MAX_MEMBERS], self = 0;
    while (c->member[first + self] != k) self++;
    order[0] = self;
    for (int m = 0, j = 1; m < n; m++)
        if (m != self) order[j++] = m;
    double r[COPULA_MAX_MEMBERS * COPULA_MAX_MEMBERS] = {0};
    double l[COPULA_MAX_MEMBERS * COPULA_MAX_MEMBERS];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) r[i * n + j] = cr->used[first + order[i]][first + order[j]];
    correlation_cholesky(n, r, l);   /* the block's matrix, reordered: positive definite */
    int member[COPULA_MAX_MEMBERS];
    for (int i = 0; i < n; i++) member[i] = c->member[first + order[i]];
    for (int i = 0, at = offset; i < n; i++) {
        c->member[first + i] = member[i];
        for (int j = 0; j <= i; j++) data[at++] = j == 0 ? 0.0f : (float)l[i * n + j];
    }
    c->block_factor[b] = offset;
}

int sensitivity_measured(const scenario *s, const sensitivity_options *options,
                         sensitivity_result *r, char *err, size_t errlen)
{
    r->interval_probability = s->interval;
    int status = sensitivity_stopped(options, err, errlen);   /* and between the runs below */
    if (!status) status = intervals(s, options, r->interval_low, r->interval_high, err, errlen);
    if (status) return status;
    scenario *fixed = malloc(sizeof *fixed);
    float *median_data = malloc(sizeof(float) * (size_t)(s->prior_data_count + CONDITIONAL_FLOATS));
    status = !fixed || !median_data ? status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory")
                                    : THIRST_OK;
    if (options->checkpointing.agree)   /* MPI: a rank out of memory stops them all */
        status = options->checkpointing.agree(status, err, errlen);
    if (status) {
        free(fixed);
        free(median_data);
        return status;
    }
    if (s->prior_data_count)
        memcpy(median_data, s->prior_data, sizeof(float) * (size_t)s->prior_data_count);
    for (int k = 0; k < r->input_count && !status; k++) {
        if ((status = sensitivity_stopped(options, err, errlen))) break;
        const scenario_param *sp = &s->params[r->input_param[k]];
        for (int o = 0; o < r->output_count; o++)
            r->index[o][k].measured_low = r->index[o][k].measured_high = NAN;
        memcpy(fixed, s, sizeof *fixed);   /* shares prior_data and text: never freed */
        scenario_param *p = &fixed->params[r->input_param[k]];
        if (r->input_group[k]) {
            /* A correlated input at its median, its partners following their conditional
             * distribution given it: its block with it first, whose factor's first column is
             * zeroed (its score is then 0, its median, and each partner's score has mean 0 and
             * the conditional covariance R - r r^T). */
            conditional_block(s, &fixed->correlations.copula, k, median_data, s->prior_data_count);
            fixed->prior_data = median_data;
            fixed->prior_data_count = s->prior_data_count + CONDITIONAL_FLOATS;
        } else if (sp->is_group) {
            /* A choice over several parameters: all the weight on its median option (its word is
             * still read, so the other inputs keep theirs). */
            for (int m = 0; m < p->prior.data_count; m++)
                median_data[p->prior.data_offset + m] = m >= (int)sp->median ? 1.0f : 0.0f;
            fixed->prior_data = median_data;
        } else {
            int slot = p->prior.dist == PRIOR_CHOICE ? p->prior.choice_slot[0] : p->prior.slot;
            p->prior.dist = PRIOR_FIXED;   /* still a prior with its word: the others keep theirs */
            p->prior.slot = slot;
            p->prior.a = (float)sp->median;
        }
        double low[PLAN_MAX_OUTPUTS], high[PLAN_MAX_OUTPUTS];
        status = intervals(fixed, options, low, high, err, errlen);
        if (sp->is_group || r->input_group[k])   /* back to the scenario's data */
            memcpy(median_data, s->prior_data, sizeof(float) * (size_t)s->prior_data_count);
        for (int o = 0; !status && o < r->output_count; o++) {
            r->index[o][k].measured_low = low[o];
            r->index[o][k].measured_high = high[o];
        }
        r->model_evaluations += options->base_draws;
    }
    free(fixed);
    free(median_data);
    r->model_evaluations += options->base_draws;
    return status;
}
