/* correlation_achieved.c: the rank correlations a scenario's draws achieve (for `thirst
 * validate`): the first draws on the CPU reference (draw_eval), each given pair's Spearman rho
 * (ranks with ties averaged) or Kendall's tau-a (on the first CORRELATION_KENDALL_DRAWS). */
#include "correlation_achieved.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/draw.h"
#include "engine.h"
#include "scenario_correlations.h"
#include "status.h"

static const double *sort_keys;
static int by_key(const void *a, const void *b)
{
    double x = sort_keys[*(const int *)a], y = sort_keys[*(const int *)b];
    return (x > y) - (x < y);
}

void correlation_ranks(const double *x, int n, int *order, double *rank)
{
    for (int i = 0; i < n; i++) order[i] = i;
    sort_keys = x;
    qsort(order, (size_t)n, sizeof *order, by_key);
    for (int i = 0; i < n;) {
        int j = i;
        while (j + 1 < n && x[order[j + 1]] == x[order[i]]) j++;
        for (int k = i; k <= j; k++) rank[order[k]] = 0.5 * (i + j) + 1;
        i = j + 1;
    }
}

double correlation_of_ranks(const double *a, const double *b, int n)
{
    double mean = 0.5 * (n + 1), sab = 0, saa = 0, sbb = 0;
    for (int i = 0; i < n; i++) {
        sab += (a[i] - mean) * (b[i] - mean);
        saa += (a[i] - mean) * (a[i] - mean);
        sbb += (b[i] - mean) * (b[i] - mean);
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : NAN;
}

double correlation_kendall(const double *x, const double *y, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double p = (x[i] - x[j]) * (y[i] - y[j]);
            sum += p > 0 ? 1 : (p < 0 ? -1 : 0);
        }
    return n > 1 ? sum / (0.5 * n * (n - 1.0)) : NAN;
}

int correlation_achieved(const scenario *s, int draws, double *achieved, char *err, size_t errlen)
{
    const scenario_correlations *cr = &s->correlations;
    draw_plan plan;
    int status = engine_plan_make(s, (uint64_t)draws, s->seed, ENGINE_MANTISSA_BITS, &plan, err,
                                  errlen);
    if (status) return status;
    int slot_of[SCENARIO_MAX_PARAMS], used[SCENARIO_MAX_PARAMS] = {0}, columns = 0;
    for (int k = 0; k < cr->pair_count; k++) used[cr->pairs[k].param_a] = used[cr->pairs[k].param_b] = 1;
    for (int k = 0; k < s->param_count; k++) slot_of[k] = used[k] ? columns++ : -1;
    double *value = malloc((size_t)columns * (size_t)draws * sizeof *value);
    double *rank = malloc((size_t)columns * (size_t)draws * sizeof *rank);
    int *order = malloc((size_t)draws * sizeof *order);
    if (!value || !rank || !order) {
        free(value);
        free(rank);
        free(order);
        return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    }
    for (int i = 0; i < draws; i++) {
        float inputs[DRAW_INPUT_SLOTS], outputs[PLAN_MAX_OUTPUTS];
        engine_eval_draw(&plan, s->prior_data, (uint64_t)i, NULL, inputs, outputs);
        for (int k = 0; k < s->param_count; k++)
            if (slot_of[k] >= 0)
                value[(size_t)slot_of[k] * draws + i] = inputs[copula_home_slot(&s->params[k].prior)];
    }
    for (int c = 0; c < columns; c++)
        correlation_ranks(value + (size_t)c * draws, draws, order, rank + (size_t)c * draws);
    for (int k = 0; k < cr->pair_count; k++) {
        const scenario_pair *p = &cr->pairs[k];
        size_t a = (size_t)slot_of[p->param_a] * draws, b = (size_t)slot_of[p->param_b] * draws;
        int kendall_draws = draws < CORRELATION_KENDALL_DRAWS ? draws : CORRELATION_KENDALL_DRAWS;
        achieved[k] = cr->entry_kendall[p->entry]
                          ? correlation_kendall(value + a, value + b, kendall_draws)
                          : correlation_of_ranks(rank + a, rank + b, draws);
    }
    free(value);
    free(rank);
    free(order);
    return THIRST_OK;
}

/* thirst validate, correlations: each pair as given, as the copula uses it (its Gaussian
 * correlation, after "repair" if any) and as the first draws achieve it. */
int correlation_report(FILE *f, const scenario *s, char *err, size_t errlen)
{
    const scenario_correlations *cr = &s->correlations;
    if (!cr->pair_count) return THIRST_OK;
    static double achieved[SCENARIO_MAX_PAIRS];
    int status = correlation_achieved(s, CORRELATION_ACHIEVED_DRAWS, achieved, err, errlen);
    if (status) return status;
    fprintf(f, "  correlations (a Gaussian copula per draw): given, used (the copula's Gaussian "
           "correlation, and the rank correlation it gives), achieved by draws 0-%d (Spearman's "
           "standard error about %.3f; Kendall's from the first %d draws)\n",
           CORRELATION_ACHIEVED_DRAWS - 1, 1 / sqrt(CORRELATION_ACHIEVED_DRAWS),
           CORRELATION_KENDALL_DRAWS);
    for (int k = 0; k < cr->pair_count; k++) {
        const scenario_pair *p = &cr->pairs[k];
        int kendall = cr->entry_kendall[p->entry], a = -1, b = -1;
        for (int m = 0; m < cr->member_count; m++) {
            if (cr->member_param[m] == p->param_a) a = m;
            if (cr->member_param[m] == p->param_b) b = m;
        }
        double used = a >= 0 && b >= 0 ? cr->used[a][b] : 0;
        fprintf(f, "    %s-%s: %s %.4g given; %.4f used (%s %.4g); %.4f achieved  "
                "[correlations[%d]%s%s]\n",
               s->params[p->param_a].name, s->params[p->param_b].name,
               kendall ? "Kendall" : "Spearman", p->given, used, kendall ? "Kendall" : "Spearman",
               scenario_correlation_rank(used, kendall), achieved[k], p->entry,
               cr->entry_source[p->entry][0] ? ": " : "", cr->entry_source[p->entry]);
    }
    for (int b = 0; b < cr->copula.block_count; b++)
        if (cr->repair_change[b] > 0)
            fprintf(f, "    block %d repaired (Higham 2002): largest change %.4f on the Gaussian "
                   "scale\n", b + 1, cr->repair_change[b]);
    return THIRST_OK;
}
