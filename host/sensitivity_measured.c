/* sensitivity_measured.c: "what if you measured it" (DESIGN.md section 13): for each uncertain
 * input, each output's central interval with that input fixed at its median, next to the
 * interval with every input uncertain; the runs share their draws (common random numbers: the
 * fixed input keeps its word, every other input its values), so the difference between two
 * intervals is the input's, not sampling noise. Exact quantiles, the CPU backend. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

int sensitivity_measured(const scenario *s, const sensitivity_options *options,
                         sensitivity_result *r, char *err, size_t errlen)
{
    r->interval_probability = s->interval;
    int status = intervals(s, options, r->interval_low, r->interval_high, err, errlen);
    if (status) return status;
    scenario *fixed = malloc(sizeof *fixed);
    if (!fixed) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    for (int k = 0; k < r->input_count && !status; k++) {
        const scenario_param *sp = &s->params[r->input_param[k]];
        for (int o = 0; o < r->output_count; o++)
            r->index[o][k].measured_low = r->index[o][k].measured_high = NAN;
        /* A choice over several parameters, and a correlated input (whose partners would then
         * follow their conditional distribution), are not fixed here. */
        if (sp->is_group || r->input_group[k]) continue;
        memcpy(fixed, s, sizeof *fixed);   /* shares prior_data and text: never freed */
        scenario_param *p = &fixed->params[r->input_param[k]];
        int slot = p->prior.dist == PRIOR_CHOICE ? p->prior.choice_slot[0] : p->prior.slot;
        p->prior.dist = PRIOR_FIXED;   /* still a prior with its word: the others keep theirs */
        p->prior.slot = slot;
        p->prior.a = (float)sp->median;
        double low[PLAN_MAX_OUTPUTS], high[PLAN_MAX_OUTPUTS];
        status = intervals(fixed, options, low, high, err, errlen);
        for (int o = 0; !status && o < r->output_count; o++) {
            r->index[o][k].measured_low = low[o];
            r->index[o][k].measured_high = high[o];
        }
        r->model_evaluations += options->base_draws;
    }
    free(fixed);
    r->model_evaluations += options->base_draws;
    return status;
}
