/* sensitivity.c: streamed Sobol indices with batch-means intervals, tornado swings and
 * standardised regression coefficients, on the CPU (OpenMP over batches, merged in batch order,
 * so results do not depend on the thread count). */
#include "sensitivity.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/draw.h"
#include "../kernels/launch.h"
#include "../kernels/sobol.h"
#include "engine.h"
#include "special.h"
#include "status.h"

#define SRC_PILOT_DRAWS 4096

_Static_assert(SENSITIVITY_MAX_INPUTS <= SOBOL_MAX_INPUTS, "the Sobol design takes every input");

/* Per-batch sums of one output for the regression (transformed, shifted by pilot means). */
typedef struct {
    double n, sum_z, sum_zz;
    double sum_t[SENSITIVITY_MAX_INPUTS];
    double sum_tz[SENSITIVITY_MAX_INPUTS];
    double sum_tt[SENSITIVITY_MAX_INPUTS][SENSITIVITY_MAX_INPUTS];
} src_sums;

/* Reported outputs (plan order) of the model at inputs that no draw made (tornado). */
static void eval_outputs(const draw_plan *plan, const float *inputs, double *y)
{
    float all[DRAW_OUTPUTS], own_inputs[DRAW_INPUT_SLOTS];
    memcpy(own_inputs, inputs, sizeof own_inputs);   /* formulas may feed some inputs */
    draw_model(plan, own_inputs, all);
    for (int o = 0; o < plan->output_count; o++) y[o] = draw_reported(plan, all, o);
}

/* Draw i of plan (data: its float data) through the one per-draw worker (draw_eval): words,
 * inputs and reported outputs (as doubles). */
static void eval_draw(const draw_plan *plan, const float *data, uint64_t i, uint32_t *words,
                      float *inputs, double *y)
{
    float outputs[DRAW_OUTPUTS];
    draw_plan_words(plan, i, words);
    draw_eval(plan, data, i, words, inputs, outputs);
    for (int o = 0; o < plan->output_count; o++) y[o] = draw_reported(plan, outputs, o);
}

/* Variance of f over A and B together (population variance, as SALib) from one output's sums. */
static double sobol_variance(const double *t, double n)
{
    double m = (t[0] + t[1]) / (2 * n);
    return (t[2] + t[3]) / (2 * n) - m * m;
}

/* Indices and batch-means standard errors from per-batch sums (batches x SOBOL_STRIDE per
 * output). An output that does not vary has no indices (NaN: null in the JSON); one whose terms
 * overflowed float is an error. */
static int sobol_indices(const scenario *s, const draw_plan *plan, const double *sums,
                         const double *batch_n, sensitivity_result *r, char *err, size_t errlen)
{
    const int batches = r->batches, inputs = plan->copula.factor_count;
    const int stride = SOBOL_STRIDE(inputs);
    const int length = plan->output_count * stride;
    for (int o = 0; o < plan->output_count; o++) {
        double total[SOBOL_STRIDE(SENSITIVITY_MAX_INPUTS)] = {0}, n = 0;
        double first_batch[SENSITIVITY_BATCHES][SENSITIVITY_MAX_INPUTS];
        double total_batch[SENSITIVITY_BATCHES][SENSITIVITY_MAX_INPUTS];
        for (int b = 0; b < batches; b++) {
            const double *t = sums + (size_t)b * length + o * stride;
            double v = sobol_variance(t, batch_n[b]);
            n += batch_n[b];
            for (int j = 0; j < stride; j++) total[j] += t[j];
            for (int k = 0; k < inputs; k++) {
                first_batch[b][k] = v > 0 ? t[4 + k] / batch_n[b] / v : 0;
                total_batch[b][k] = v > 0 ? 0.5 * t[4 + inputs + k] / batch_n[b] / v : 0;
            }
        }
        for (int j = 0; j < stride; j++)
            if (!isfinite(total[j]))
                return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                                   "sensitivity: the Sobol terms of %s overflow float (its values "
                                   "reach %g times the spread of the first draws); its variance "
                                   "cannot be estimated", scenario_output_name(s, plan->outputs[o]),
                                   1 / (double)plan->scale[o]);
        double v = sobol_variance(total, n);
        /* The terms were scaled by scale[o] (exactly); the variance in the output's unit: */
        r->variance[o] = v / ((double)plan->scale[o] * plan->scale[o]);
        for (int k = 0; k < inputs; k++) {
            /* factor k: an independent input's own index, or a correlated block's */
            const int factor = plan->copula.factor[k];
            sensitivity_index *x = factor >= 0 ? &r->index[o][factor] : &r->group[o][-1 - factor];
            if (!(v > 0)) {
                x->first = x->first_se = x->total = x->total_se = NAN;
                continue;
            }
            x->first = total[4 + k] / n / v;
            x->total = 0.5 * total[4 + inputs + k] / n / v;
            double m1 = 0, mt = 0, s1 = 0, st = 0;
            for (int b = 0; b < batches; b++) {
                m1 += first_batch[b][k] / batches;
                mt += total_batch[b][k] / batches;
            }
            for (int b = 0; b < batches; b++) {
                s1 += (first_batch[b][k] - m1) * (first_batch[b][k] - m1);
                st += (total_batch[b][k] - mt) * (total_batch[b][k] - mt);
            }
            x->first_se = batches > 1 ? sqrt(s1 / (batches - 1) / batches) : NAN;
            x->total_se = batches > 1 ? sqrt(st / (batches - 1) / batches) : NAN;
        }
    }
    return THIRST_OK;
}

/* The design's batches [0, batches) into state on runs_on: in one call, or, checkpointed,
 * stoppable or resumed (options->checkpointing), from the resumed state's next batch in
 * segments of options->segment_batches, a checkpoint after a segment when due; stopped:
 * THIRST_ERR_INTERRUPTED. The sums equal one call's byte for byte (batches are independent).
 * *resumed: the batches taken from the checkpoint. */
static int sobol_batches(const scenario *s, const sensitivity_options *options,
                         const backend *runs_on, const backend_job *job, int batches,
                         run_state *state, int *resumed, char *err, size_t errlen)
{
    const checkpoint_options *c = &options->checkpointing;
    const uint64_t n = options->base_draws;
    if (!c->path && !c->resume && !c->stop)
        return runs_on->sobol(job, n, 0, batches, state, err, errlen);
    int next = 0, status = THIRST_OK;
    if (c->resume) {
        status = checkpoint_fits(&c->resume_at, runs_on->mantissa_bits, (uint64_t)batches, err,
                                 errlen);
        if (!status && run_state_merge(state, c->resume, err, errlen))
            status = status_fail(err, errlen, THIRST_ERR_INPUT, "--resume: the checkpoint's "
                                 "state does not fit this design (another layout)");
        if (status) return status;
        next = (int)c->resume_at.next_unit;
    }
    const int segment =
        options->segment_batches > 0 ? options->segment_batches : SENSITIVITY_CHECKPOINT_BATCHES;
    struct timespec last;
    clock_gettime(CLOCK_MONOTONIC, &last);
    int computed = 0;   /* batches computed here: the others came from the checkpoint */
    while (next < batches) {
        const int end = batches - next < segment ? batches : next + segment;
        computed += end - next;
        if ((status = runs_on->sobol(job, n, next, end, state, err, errlen))) return status;
        next = end;
        checkpoint_header header = checkpoint_header_of(s, options->seed, n, options->sampler,
                                                        SENSITIVITY_BATCHES, 0, (uint64_t)next);
        header.histogram_bits = runs_on->mantissa_bits;
        header.command = CHECKPOINT_SENSITIVITY;
        int stopping = 0;
        if ((status = checkpoint_segment_end(c, next == batches, &last, &header, state,
                                             &stopping, err, errlen)))
            return status;
        if (stopping)
            return status_fail(err, errlen, THIRST_ERR_INTERRUPTED, "interrupted after batch %d "
                               "of the Sobol design's %d%s%s", next, batches,
                               c->path ? "; resume with --resume " : "", c->path ? c->path : "");
    }
    if (c->resume) *resumed = batches - computed;
    return THIRST_OK;
}

int sensitivity_method_bit(const char *name, size_t length)
{
#define SENSITIVITY_METHOD_BIT(text, bit) \
    if (strlen(text) == length && strncmp(name, text, length) == 0) return bit;
    SENSITIVITY_METHODS(SENSITIVITY_METHOD_BIT)
#undef SENSITIVITY_METHOD_BIT
    return 0;
}

int sensitivity_stopped(const sensitivity_options *options, char *err, size_t errlen)
{
    const checkpoint_options *c = &options->checkpointing;
    if (!checkpoint_stop_asked(c)) return THIRST_OK;
    return status_fail(err, errlen, THIRST_ERR_INTERRUPTED, "interrupted after the Sobol "
                       "design%s%s", c->path ? "; resume with --resume " : "",
                       c->path ? c->path : "");
}

/* The Sobol indices on the chosen backend: the design's batches into a state's Sobol part,
 * then the indices from its batch sums. */
static int sobol(const scenario *s, const draw_plan *plan, const sensitivity_options *options,
                 sensitivity_result *r, char *err, size_t errlen)
{
    const int batches = r->batches;
    const int length = SOBOL_TERMS(plan);
    const uint64_t n = options->base_draws, chunks = launch_unit_count(n, SOBOL_CHUNK);
    double batch_n[SENSITIVITY_BATCHES];
    for (int b = 0; b < batches; b++) {
        uint64_t first = launch_batch_first_chunk(chunks, batches, b) * SOBOL_CHUNK;
        uint64_t end = launch_batch_first_chunk(chunks, batches, b + 1) * SOBOL_CHUNK;
        batch_n[b] = (double)((end < n ? end : n) - first);
    }
    run_state state;
    int status = run_state_alloc(&state, plan->output_count, 0, err, errlen);
    if (!status) status = run_state_alloc_sobol(&state, batches, length, err, errlen);
    backend_job job = {.plan = plan, .data = s->prior_data, .options = &options->engine};
    const backend *runs_on = options->backend ? options->backend : backend_cpu();
    if (options->checkpointing.agree)   /* MPI: a rank out of memory stops them all */
        status = options->checkpointing.agree(status, err, errlen);
    if (!status)
        status = sobol_batches(s, options, runs_on, &job, batches, &state, &r->resumed_batches,
                               err, errlen);
    if (!status) status = sobol_indices(s, plan, state.sobol_sums, batch_n, r, err, errlen);
    run_state_free(&state);
    r->model_evaluations += n * (uint64_t)(plan->copula.factor_count + 2);
    return status;
}

/* Move the correlated partners of input (prior) k, whose normal score is z, to their
 * conditional medians: partner m at probability Phi(r z), r the copula's correlation. */
static void move_partners(const scenario *s, const draw_plan *plan, int k, double z, float *in)
{
    const scenario_correlations *cr = &s->correlations;
    const copula_plan *c = &plan->copula;
    int b = c->in_block[k] - 1;
    if (b < 0) return;
    int self = c->block_first[b];
    while (c->member[self] != k) self++;
    for (int m = c->block_first[b]; m < c->block_first[b] + c->block_size[b]; m++) {
        if (m == self) continue;
        double p = special_normal_cdf(cr->used[self][m] * z);
        prior_apply(&plan->priors[c->member[m]], s->prior_data, prior_at_probability((float)p), in, 1);
    }
}

/* Tornado: each input at the two percentiles, the others at their point values (a correlated
 * input's partners at their conditional medians). */
static void tornado(const scenario *s, const draw_plan *plan,
                    const sensitivity_options *options, sensitivity_result *r)
{
    float point[DRAW_INPUT_SLOTS], in[DRAW_INPUT_SLOTS];
    double y[PLAN_MAX_OUTPUTS];
    scenario_point_inputs(s, point);
    eval_outputs(plan, point, y);
    for (int o = 0; o < plan->output_count; o++) r->point_output[o] = y[o];
    const double levels[2] = {options->tornado_low, options->tornado_high};
    for (int k = 0; k < plan->prior_count; k++) {
        const prior_spec *p = &plan->priors[k];
        for (int side = 0; side < 2; side++) {
            memcpy(in, point, sizeof in);
            prior_apply(p, s->prior_data, prior_at_probability((float)levels[side]), in, 1);
            move_partners(s, plan, k, special_normal_quantile(levels[side]), in);
            eval_outputs(plan, in, y);
            for (int o = 0; o < plan->output_count; o++) {
                if (side) r->index[o][k].tornado_high_output = y[o];
                else r->index[o][k].tornado_low_output = y[o];
            }
            double value = p->dist == PRIOR_CHOICE && p->choice_slot_count > 1
                               ? NAN
                               : (double)in[p->dist == PRIOR_CHOICE ? p->choice_slot[0] : p->slot];
            if (side) r->input_high[k] = value; else r->input_low[k] = value;
        }
    }
    r->model_evaluations += 2 * (uint64_t)plan->prior_count + 1;
}

/* SRC transform of input k of draw i (words, inputs; scores: the correlated blocks' normal
 * scores of the draw in their members' slots, copula_scores): log(x) or the normal score of its
 * uniform (a correlated input's: its correlated score, the one its value is taken at). */
static double src_input(const draw_plan *plan, const sensitivity_result *r, int k, uint64_t i,
                        const uint32_t *words, const float *inputs, const float *scores)
{
    const prior_spec *p = &plan->priors[k];
    if (!r->input_logged[k] && plan->copula.in_block[k]) return (double)scores[copula_home_slot(p)];
    if (!r->input_logged[k]) {
        prior_uniform x = draw_uniform(p, plan->seed, i, words[p->word]);
        return (double)prior_normal_quantile_tail(x.tail, x.upper);
    }
    int slot = p->dist == PRIOR_CHOICE ? p->choice_slot[0] : p->slot;
    return log((double)inputs[slot]);
}

/* The correlated normal scores of draw i (words) into the members' slots of scores. */
static void copula_scores(const draw_plan *plan, const float *data, uint64_t i,
                          const uint32_t *words, float *scores)
{
    for (int b = 0; b < plan->copula.block_count; b++)
        copula_block_scores(&plan->copula, b, plan->priors, data, plan->seed, i, words, 1, scores,
                            1);
}

/* Regression sums over draws [first, first + count), shifted by the pilot means. */
static int src_batch(const draw_plan *plan, const float *data, const sensitivity_result *r,
                     uint64_t first, uint64_t count, const double *mean_t, const double *mean_z,
                     src_sums *sums)
{
    const int inputs = plan->prior_count, outputs = plan->output_count;
    int bad = 0;
    memset(sums, 0, (size_t)outputs * sizeof *sums);
    for (uint64_t i = first; i < first + count; i++) {
        uint32_t words[DRAW_MAX_WORDS];
        float in[DRAW_INPUT_SLOTS];
        double y[PLAN_MAX_OUTPUTS], t[SENSITIVITY_MAX_INPUTS];
        float scores[DRAW_INPUT_SLOTS];
        eval_draw(plan, data, i, words, in, y);
        copula_scores(plan, data, i, words, scores);
        for (int k = 0; k < inputs; k++)
            t[k] = src_input(plan, r, k, i, words, in, scores) - mean_t[k];
        for (int o = 0; o < outputs; o++) {
            if (r->output_logged[o] && !(y[o] > 0)) {
                bad = 1;
                continue;
            }
            double z = (r->output_logged[o] ? log(y[o]) : y[o]) - mean_z[o];
            src_sums *s = &sums[o];
            s->n += 1;
            s->sum_z += z;
            s->sum_zz += z * z;
            for (int k = 0; k < inputs; k++) {
                s->sum_t[k] += t[k];
                s->sum_tz[k] += t[k] * z;
                for (int j = 0; j <= k; j++) s->sum_tt[k][j] += t[k] * t[j];
            }
        }
    }
    return bad;
}

/* Solve the k x k symmetric positive definite system a x = b by Cholesky; 0 or -1. */
static int solve_spd(int k, double a[SENSITIVITY_MAX_INPUTS][SENSITIVITY_MAX_INPUTS],
                     const double *b, double *x)
{
    double l[SENSITIVITY_MAX_INPUTS][SENSITIVITY_MAX_INPUTS] = {{0}};
    for (int i = 0; i < k; i++)
        for (int j = 0; j <= i; j++) {
            double sum = a[i][j];
            for (int m = 0; m < j; m++) sum -= l[i][m] * l[j][m];
            if (i == j) {
                if (!(sum > 0)) return -1;
                l[i][i] = sqrt(sum);
            } else {
                l[i][j] = sum / l[j][j];
            }
        }
    double y[SENSITIVITY_MAX_INPUTS];
    for (int i = 0; i < k; i++) {
        double sum = b[i];
        for (int m = 0; m < i; m++) sum -= l[i][m] * y[m];
        y[i] = sum / l[i][i];
    }
    for (int i = k - 1; i >= 0; i--) {
        double sum = y[i];
        for (int m = i + 1; m < k; m++) sum -= l[m][i] * x[m];
        x[i] = sum / l[i][i];
    }
    return 0;
}

/* Standardised regression coefficients of every output on every input, one pass of draws. */
static int src(const scenario *s, const draw_plan *plan, const sensitivity_options *options,
               sensitivity_result *r, char *err, size_t errlen)
{
    const int inputs = plan->prior_count, outputs = plan->output_count;
    const uint64_t n = options->base_draws;
    /* Transforms: log where the prior (and, from a pilot, the output) stays positive. */
    for (int k = 0; k < inputs; k++) {
        const prior_spec *p = &plan->priors[k];
        double lowest;
        if (p->dist == PRIOR_CHOICE) {
            const float *values = s->prior_data + p->data_offset + p->data_count;
            lowest = INFINITY;
            for (int m = 0; m < p->data_count; m++)
                if (values[m * p->choice_slot_count] < lowest) lowest = values[m * p->choice_slot_count];
            if (p->choice_slot_count > 1) lowest = -INFINITY;   /* a group: normal score */
        } else {
            /* The lowest value draws reach: the deepest refined tail for the priors on the
             * normal quantile (|z| = 11), the smallest u for the others. */
            prior_uniform deepest = prior_at_probability(0x1p-24f);
            deepest.tail = (float)PHILOX_TAIL_SMALLEST;
            lowest = prior_value(p, s->prior_data, deepest);
        }
        r->input_logged[k] = lowest > 0;
    }
    double mean_t[SENSITIVITY_MAX_INPUTS] = {0}, mean_z[PLAN_MAX_OUTPUTS] = {0};
    double lowest_y[PLAN_MAX_OUTPUTS];
    for (int o = 0; o < outputs; o++) lowest_y[o] = INFINITY;
    uint64_t pilot = n < SRC_PILOT_DRAWS ? n : SRC_PILOT_DRAWS;
    for (int pass = 0; pass < 2; pass++)
        for (uint64_t i = 0; i < pilot; i++) {
            uint32_t words[DRAW_MAX_WORDS];
            float in[DRAW_INPUT_SLOTS], scores[DRAW_INPUT_SLOTS];
            double y[PLAN_MAX_OUTPUTS];
            eval_draw(plan, s->prior_data, i, words, in, y);
            copula_scores(plan, s->prior_data, i, words, scores);
            if (pass == 0) {
                for (int o = 0; o < outputs; o++) lowest_y[o] = fmin(lowest_y[o], y[o]);
                continue;
            }
            for (int k = 0; k < inputs; k++)
                mean_t[k] += src_input(plan, r, k, i, words, in, scores) / (double)pilot;
            for (int o = 0; o < outputs; o++) {
                r->output_logged[o] = lowest_y[o] > 0;
                mean_z[o] += (r->output_logged[o] ? log(y[o]) : y[o]) / (double)pilot;
            }
        }
    const int batches = r->batches;
    src_sums *sums = calloc((size_t)batches * (size_t)outputs, sizeof *sums);
    if (!sums) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    int bad = 0, threads = options->engine.threads > 0 ? options->engine.threads : 1;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) reduction(| : bad)
    for (int b = 0; b < batches; b++) {
        uint64_t first = n * (uint64_t)b / (uint64_t)batches;
        uint64_t end = n * (uint64_t)(b + 1) / (uint64_t)batches;
        bad |= src_batch(plan, s->prior_data, r, first, end - first, mean_t, mean_z,
                         sums + (size_t)b * outputs);
    }
    for (int o = 0; o < outputs && !bad; o++) {
        src_sums total;
        memset(&total, 0, sizeof total);
        for (int b = 0; b < batches; b++) {
            const src_sums *x = &sums[(size_t)b * outputs + o];
            total.n += x->n;
            total.sum_z += x->sum_z;
            total.sum_zz += x->sum_zz;
            for (int k = 0; k < inputs; k++) {
                total.sum_t[k] += x->sum_t[k];
                total.sum_tz[k] += x->sum_tz[k];
                for (int j = 0; j <= k; j++) total.sum_tt[k][j] += x->sum_tt[k][j];
            }
        }
        double covariance[SENSITIVITY_MAX_INPUTS][SENSITIVITY_MAX_INPUTS], c[SENSITIVITY_MAX_INPUTS];
        double coefficient[SENSITIVITY_MAX_INPUTS];
        double var_z = total.sum_zz / total.n - pow(total.sum_z / total.n, 2);
        for (int k = 0; k < inputs; k++) {
            c[k] = total.sum_tz[k] / total.n - total.sum_t[k] * total.sum_z / (total.n * total.n);
            for (int j = 0; j <= k; j++)
                covariance[k][j] = covariance[j][k] =
                    total.sum_tt[k][j] / total.n - total.sum_t[k] * total.sum_t[j] / (total.n * total.n);
        }
        if (var_z <= 0 || solve_spd(inputs, covariance, c, coefficient)) {
            for (int k = 0; k < inputs; k++) r->index[o][k].src = NAN;
            r->r_squared[o] = NAN;
            continue;
        }
        double explained = 0;
        for (int k = 0; k < inputs; k++) {
            r->index[o][k].src = coefficient[k] * sqrt(covariance[k][k] / var_z);
            explained += coefficient[k] * c[k];
        }
        r->r_squared[o] = explained / var_z;
    }
    free(sums);
    if (bad)
        return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                           "regression: an output that was positive in the first %llu draws "
                           "was <= 0 later; its logarithm is undefined",
                           (unsigned long long)pilot);
    r->model_evaluations += n;
    return THIRST_OK;
}

int sensitivity_check(const sensitivity_options *options, char *err, size_t errlen)
{
    if (options->sampler != PLAN_SAMPLER_RQMC || !(options->methods & SENSITIVITY_SOBOL))
        return THIRST_OK;
    const uint64_t per = options->base_draws / SENSITIVITY_BATCHES;
    const uint64_t smallest = (uint64_t)SENSITIVITY_BATCHES * SOBOL_CHUNK;
    if (options->base_draws % SENSITIVITY_BATCHES == 0 && per >= SOBOL_CHUNK && !(per & (per - 1)))
        return THIRST_OK;
    uint64_t fit = engine_rqmc_draws_at_most(
        SENSITIVITY_BATCHES, options->base_draws < smallest ? smallest : options->base_draws);
    return status_fail(err, errlen, THIRST_ERR_INPUT,
                       "--base-draws %llu: under --sampler rqmc the Sobol design is %d "
                       "replicates (one per batch of its intervals) x a power of two of at "
                       "least %d points, e.g. %llu (%d x 2^%d)",
                       (unsigned long long)options->base_draws, SENSITIVITY_BATCHES, SOBOL_CHUNK,
                       (unsigned long long)fit, SENSITIVITY_BATCHES,
                       ilogb((double)(fit / SENSITIVITY_BATCHES)));
}

/* The Sobol indices under the options' sampler: plan's Monte Carlo design, or under rqmc a plan
 * of its own (replicate-major, one replicate per batch, so the batch-means intervals are
 * Student t over independent replicates). THIRST_ERR_INPUT when base_draws does not fit. */
static int sobol_sampled(const scenario *s, const draw_plan *plan,
                         const sensitivity_options *options, sensitivity_result *r, char *err,
                         size_t errlen)
{
    if (options->sampler != PLAN_SAMPLER_RQMC) return sobol(s, plan, options, r, err, errlen);
    int status = sensitivity_check(options, err, errlen);
    if (status) return status;
    engine_sampler sampler = {.kind = PLAN_SAMPLER_RQMC, .replicates = SENSITIVITY_BATCHES,
                              .sobol_design = 1};
    draw_plan design;
    status = engine_plan_make_sampled(s, options->base_draws, options->seed,
                                          ENGINE_MANTISSA_BITS, &sampler, &design, err, errlen);
    if (!status) status = sobol(s, &design, options, r, err, errlen);
    engine_plan_release(&design);
    return status;
}

int sensitivity_run(const scenario *s, const sensitivity_options *options,
                    sensitivity_result *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    draw_plan plan;
    int status = engine_plan_make(s, options->base_draws, options->seed, ENGINE_MANTISSA_BITS,
                                  &plan, err, errlen);
    if (status) return status;
    if (plan.prior_count > SENSITIVITY_MAX_INPUTS)
        return status_fail(err, errlen, THIRST_ERR_INPUT, "too many uncertain inputs");
    r->input_count = plan.prior_count;
    r->group_count = plan.copula.block_count;
    for (int k = 0; k < plan.prior_count; k++) r->input_group[k] = plan.copula.in_block[k];
    for (int k = 0, j = 0; k < s->param_count; k++)
        if (s->params[k].sampled) r->input_param[j++] = k;
    r->output_count = plan.output_count;
    memcpy(r->outputs, plan.outputs, sizeof r->outputs);
    r->base_draws = options->base_draws;
    uint64_t chunks = (options->base_draws + SOBOL_CHUNK - 1) / SOBOL_CHUNK;
    r->batches = chunks < SENSITIVITY_BATCHES ? (int)chunks : SENSITIVITY_BATCHES;
    r->t_quantile = r->batches > 1 ? special_t_quantile(0.975, r->batches - 1) : NAN;
    for (int o = 0; o < PLAN_MAX_OUTPUTS; o++) r->r_squared[o] = NAN;
    for (int o = 0; o < PLAN_MAX_OUTPUTS; o++)
        for (int k = 0; k < SENSITIVITY_MAX_INPUTS; k++) {
            sensitivity_index *x = &r->index[o][k];
            x->first = x->first_se = x->total = x->total_se = x->src = NAN;
            x->tornado_low_output = x->tornado_high_output = NAN;
            x->measured_low = x->measured_high = NAN;
            if (k < COPULA_MAX_BLOCKS) r->group[o][k] = *x;
        }
    if (options->methods & SENSITIVITY_SOBOL)
        if ((status = sobol_sampled(s, &plan, options, r, err, errlen))) return status;
    if (options->methods & SENSITIVITY_TORNADO) tornado(s, &plan, options, r);
    if (options->methods & SENSITIVITY_SRC)   /* a stop: the Sobol design's checkpoint stands */
        if ((status = sensitivity_stopped(options, err, errlen)) ||
            (status = src(s, &plan, options, r, err, errlen)))
            return status;
    if (options->methods & SENSITIVITY_MEASURED)
        if ((status = sensitivity_measured(s, options, r, err, errlen))) return status;
    return THIRST_OK;
}
