/* engine.c: planning a run (pilot, histogram layout, shifts), the CPU reference evaluation of
 * one draw, and the merge of partial results. */
#include "engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/draw.h"
#include "qmc_directions.h"
#include "status.h"

_Static_assert(SCENARIO_MAX_PARAMS <= PLAN_MAX_PRIORS, "a plan holds every sampled prior");

void engine_eval_draw(const draw_plan *plan, const float *data, uint64_t draw, uint32_t *words,
                      float *inputs, float *outputs)
{
    uint32_t own_words[DRAW_MAX_WORDS];
    float all[DRAW_OUTPUTS];
    if (!words) words = own_words;
    draw_plan_words(plan, draw, words);
    draw_eval(plan, data, draw, words, inputs, all);
    for (int o = 0; o < plan->output_count; o++) outputs[o] = draw_reported(plan, all, o);
}

/* Histogram layout covering [low, high] with a margin, at the finest resolution that fits. */
static accum_hist_spec hist_layout(float low, float high, int mantissa_bits)
{
    accum_hist_spec h;
    for (int bits = mantissa_bits; bits >= 0; bits--) {
        h.shift = 23 - bits;
        int64_t margin = (int64_t)ENGINE_MARGIN_OCTAVES << bits;
        int64_t first = (int64_t)(accum_key(low) >> h.shift) - margin;
        int64_t last = (int64_t)(accum_key(high) >> h.shift) + margin;
        int64_t top = (int64_t)(0xFFFFFFFFu >> h.shift);
        if (first < 0) first = 0;
        if (last > top) last = top;
        h.key_low = (uint32_t)first;
        h.bins = (int32_t)(last - first + 1);
        if (h.bins <= ENGINE_MAX_BINS) break;
    }
    return h;
}

int engine_plan_make(const scenario *s, uint64_t draws, uint64_t seed, int mantissa_bits,
                     draw_plan *plan, char *err, size_t errlen)
{
    return engine_plan_make_sampled(s, draws, seed, mantissa_bits, NULL, plan, err, errlen);
}

uint64_t engine_rqmc_draws_at_most(int replicates, uint64_t draws)
{
    uint64_t points = draws / (uint64_t)replicates, power = 1;
    if (!points) return 0;
    while (power <= points / 2) power *= 2;
    return power * (uint64_t)replicates;
}

uint64_t engine_rqmc_draws_near(int replicates, uint64_t draws)
{
    uint64_t below = engine_rqmc_draws_at_most(replicates, draws);
    uint64_t above = below ? 2 * below : (uint64_t)replicates;
    return below && (double)draws / (double)below < (double)above / (double)draws ? below : above;
}

int engine_sampler_check_draws(const engine_sampler *sampler, uint64_t draws, const char *what,
                               char *err, size_t errlen)
{
    if (!sampler || sampler->kind != PLAN_SAMPLER_RQMC) return THIRST_OK;
    const uint64_t replicates = (uint64_t)sampler->replicates;
    uint64_t points = draws / replicates;
    if (points > ENGINE_QMC_MAX_POINTS)
        return status_fail(err, errlen, THIRST_ERR_INPUT,
                           "%s %llu: under --sampler rqmc at most 2^32 points per replicate "
                           "(%llu draws with %llu replicates)", what, (unsigned long long)draws,
                           (unsigned long long)(ENGINE_QMC_MAX_POINTS * replicates),
                           (unsigned long long)replicates);
    if (draws % replicates == 0 && points && !(points & (points - 1))) return THIRST_OK;
    uint64_t below = engine_rqmc_draws_at_most(sampler->replicates, draws);
    uint64_t above = below ? 2 * below : replicates;
    char nearest[96];
    if (below)
        snprintf(nearest, sizeof nearest, "%llu (%llu x 2^%d) or %llu (%llu x 2^%d)",
                 (unsigned long long)below, (unsigned long long)replicates,
                 ilogb((double)(below / replicates)), (unsigned long long)above,
                 (unsigned long long)replicates, ilogb((double)(above / replicates)));
    else
        snprintf(nearest, sizeof nearest, "%llu (%llu x 2^0)", (unsigned long long)above,
                 (unsigned long long)replicates);
    return status_fail(err, errlen, THIRST_ERR_INPUT,
                       "%s %llu: under --sampler rqmc the draws are %llu replicates x a power "
                       "of two points each (a Sobol' point set is balanced, and its error small, "
                       "only at powers of two), e.g. %s", what, (unsigned long long)draws,
                       (unsigned long long)replicates, nearest);
}

int engine_sampler_check_run(const engine_sampler *sampler, uint64_t draws, const char *what,
                             int adaptive, uint64_t max_draws, char *err, size_t errlen)
{
    if (!sampler || sampler->kind != PLAN_SAMPLER_RQMC) return THIRST_OK;
    if (!adaptive) return engine_sampler_check_draws(sampler, draws, what, err, errlen);
    if (max_draws < (uint64_t)sampler->replicates)
        return status_fail(err, errlen, THIRST_ERR_INPUT,
                           "--max-draws %llu: under --sampler rqmc at least one point per "
                           "replicate, %d draws", (unsigned long long)max_draws,
                           sampler->replicates);
    return THIRST_OK;
}

/* The plan's sampler: Monte Carlo, or rqmc with its replicates and the direction numbers of
 * the dimensions its words read. */
static int plan_sampler(const engine_sampler *sampler, draw_plan *plan, char *err, size_t errlen)
{
    plan->sampler = PLAN_SAMPLER_MC;
    plan->replicates = 1;
    if (!sampler || sampler->kind == PLAN_SAMPLER_MC) return THIRST_OK;
    if (sampler->replicates < ENGINE_MIN_REPLICATES || sampler->replicates > ENGINE_MAX_REPLICATES)
        return status_fail(err, errlen, THIRST_ERR_INPUT,
                           "--replicates: expected a whole number from %d to %d, not %d",
                           ENGINE_MIN_REPLICATES, ENGINE_MAX_REPLICATES, sampler->replicates);
    _Static_assert(PLAN_QMC_DIMS <= QMC_MAX_DIMS, "every dimension has direction numbers");
    plan->sampler = PLAN_SAMPLER_RQMC;
    plan->replicates = sampler->replicates;
    plan->qmc_sobol = sampler->sobol_design != 0;
    plan->qmc_points = plan->draws / (uint64_t)plan->replicates;
    plan->qmc_dims = (plan->qmc_sobol ? 2 : 1) * plan->word_count;
    for (int d = 0; d < plan->qmc_dims; d++) qmc_directions(d, plan->qmc_directions[d]);
    /* The run's table: each replicate's scrambled direction numbers and shift per dimension. */
    const size_t dims = plan->qmc_dims ? (size_t)plan->qmc_dims : 1;
    uint32_t *table = malloc((size_t)plan->replicates * dims * DRAW_QMC_ROW * sizeof *table);
    if (!table) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    for (int r = 0; r < plan->replicates; r++)
        for (int d = 0; d < plan->qmc_dims; d++) {
            uint32_t columns[QMC_BITS], *row = table + ((size_t)r * dims + (size_t)d) * DRAW_QMC_ROW;
            draw_qmc_columns(plan->seed, (uint64_t)r, d, columns);
            for (int i = 0; i < QMC_BITS; i++)
                row[i] = qmc_scramble(columns, plan->qmc_directions[d][i]);
            row[QMC_BITS] = draw_qmc_shift(plan->seed, (uint64_t)r, d);
        }
    plan->host_qmc_table = table;
    return THIRST_OK;
}

void engine_plan_release(draw_plan *plan)
{
    free((void *)plan->host_qmc_table);
    plan->host_qmc_table = NULL;
}

int engine_plan_make_sampled(const scenario *s, uint64_t draws, uint64_t seed, int mantissa_bits,
                             const engine_sampler *sampler, draw_plan *plan, char *err,
                             size_t errlen)
{
    memset(plan, 0, sizeof *plan);
    plan->seed = seed;
    plan->first_draw = 0;
    plan->draws = draws;
    plan->model = s->model;
    for (int k = 0; k < s->param_count; k++)
        if (s->params[k].sampled) plan->priors[plan->prior_count++] = s->params[k].prior;
    plan->copula = s->correlations.copula;
    plan->data_count = s->prior_data_count;
    plan->word_count = s->word_count;
    plan->input_slot_count = scenario_input_slots(s);
    memcpy(plan->fixed_inputs, s->fixed_inputs, sizeof plan->fixed_inputs);
    plan->has_formulas = s->formula_count > 0;
    if (plan->has_formulas) plan->formulas = s->formula_plan;
    plan->output_count = s->output_count;
    memcpy(plan->outputs, s->outputs, sizeof plan->outputs);
    int status = plan_sampler(sampler, plan, err, errlen);
    if (status) return status;

    /* Pilot: the run's own first draws (deterministic), for ranges and shifts. */
    uint64_t pilot = draws < ENGINE_PILOT_DRAWS ? draws : ENGINE_PILOT_DRAWS;
    float low[PLAN_MAX_OUTPUTS], high[PLAN_MAX_OUTPUTS];
    double sum[PLAN_MAX_OUTPUTS] = {0};
    for (int o = 0; o < plan->output_count; o++) {
        low[o] = INFINITY;
        high[o] = -INFINITY;
    }
    uint64_t first_bad = pilot, bad = 0;
    int bad_output = -1;
    /* In the CPU's batches (the bits of engine_eval_draw, tested), draw by draw in order. */
    static _Thread_local float batch[DRAW_OUTPUTS * ENGINE_CHUNK_DRAWS];
    for (uint64_t i = 0; i < pilot; i++) {
        const int column = (int)(i % ENGINE_CHUNK_DRAWS);
        if (column == 0) {
            uint64_t left = pilot - i;
            engine_eval_batch(plan, s->prior_data, i,
                              (int)(left < ENGINE_CHUNK_DRAWS ? left : ENGINE_CHUNK_DRAWS), batch);
        }
        for (int o = 0; o < plan->output_count; o++) {
            float x = batch[(size_t)plan->outputs[o] * ENGINE_CHUNK_DRAWS + (size_t)column];
            if (!accum_is_finite(x)) {
                if (bad_output < 0) {
                    bad_output = o;
                    first_bad = i;
                }
                bad += o == bad_output;
                continue;
            }
            if (x < low[o]) low[o] = x;
            if (x > high[o]) high[o] = x;
            sum[o] += x;
        }
    }
    if (bad_output >= 0) {  /* never averaged away: the run stops, naming the first such draw */
        engine_plan_release(plan);
        return status_fail(err, errlen, THIRST_ERR_INPUT,
                           "%s: %llu of the first %llu draws give a non-finite %s; the first is draw "
                           "%llu (see it with thirst draws --first %llu --count 1): check the "
                           "priors and formulas for values that divide by zero or leave a "
                           "function's domain", s->file, (unsigned long long)bad,
                           (unsigned long long)pilot,
                           scenario_output_name(s, plan->outputs[bad_output]),
                           (unsigned long long)first_bad, (unsigned long long)first_bad);
    }
    int offset = 0;
    for (int o = 0; o < plan->output_count; o++) {
        plan->shift[o] = (float)(sum[o] / (double)pilot);
        double spread = fmax(fabs((double)high[o] - plan->shift[o]),
                             fabs((double)low[o] - plan->shift[o]));
        int exponent = spread > 0 && isfinite(spread) ? ilogb(spread) : 0;
        exponent = exponent < -126 ? -126 : (exponent > 126 ? 126 : exponent);
        plan->scale[o] = ldexpf(1.0f, -exponent);   /* a normal float power of 2 */
        plan->hist[o] = hist_layout(low[o], high[o], mantissa_bits);
        plan->hist_offset[o] = offset;
        offset += plan->hist[o].bins + 2;
    }
    plan->hist_total = offset;
    return THIRST_OK;
}
