/* test_rqmc_sobol.c: Sobol indices under `thirst sensitivity --sampler rqmc` (issue 18: rows A and
 * B from one 2d-dimensional scrambled Sobol' point per base draw, each batch of the design one
 * independently randomised replicate).
 * - The CPU's vectorised Sobol batches (engine_sobol_batch) under rqmc give the bits of
 *   sobol_draw's terms one base draw at a time, with rows A and B from the definition computed
 *   afresh (draw_qmc_word: dimensions j and word_count + j of the replicate's point), for every
 *   scenario of priors/benchmarks/ and several footprint scenarios (formulas and a correlated
 *   block among them), over a replicate boundary.
 * - Ishigami (a = 7, b = 0.1) and the G-function, N = 64 x 2^12 base draws: every S1 and ST
 *   inside its own 99 % interval (Student t, 63 degrees of freedom: the replicates) around the
 *   analytic value, and those intervals narrower than Monte Carlo's at the same N: the sum of
 *   the indices' standard errors at most 0.5 of Monte Carlo's (measured 0.16 and 0.14).
 * - --base-draws that are not 64 x 2^m >= 4,096 are refused with the nearest fit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine.h"
#include "scenario.h"
#include "sensitivity.h"
#include "special.h"
#include "status.h"
#include "../kernels/sobol.h"

/* engine_sobol_batch against sobol_draw with freshly computed rqmc words, bit for bit. */
static void test_sobol_bits(const char *path)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load(path, &s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    engine_sampler sampler = {.kind = PLAN_SAMPLER_RQMC, .replicates = 64, .sobol_design = 1};
    draw_plan plan;
    if (engine_plan_make_sampled(&s, 64 * 4096, 3, ENGINE_MANTISSA_BITS, &sampler, &plan, err,
                                 sizeof err)) {
        CHECK(0, "%s: plan: %s", path, err);
        scenario_free(&s);
        return;
    }
    const int length = SOBOL_TERMS(&plan);
    static double batch[SOBOL_MAX_TERMS], one[SOBOL_MAX_TERMS];
    const uint64_t first = 4096 - 100, end = 4096 + 200;   /* replicates 0 and 1 */
    for (int j = 0; j < length; j++) batch[j] = one[j] = 0;
    engine_sobol_batch(&plan, s.prior_data, first, (int)(end - first), batch);
    for (uint64_t i = first; i < end; i++) {
        uint32_t words_a[DRAW_MAX_WORDS], words_b[DRAW_MAX_WORDS];
        float terms[SOBOL_MAX_TERMS];
        for (int j = 0; j < plan.word_count; j++) {
            words_a[j] = draw_qmc_word(&plan, i / 4096, i % 4096, j);
            words_b[j] = draw_qmc_word(&plan, i / 4096, i % 4096, plan.word_count + j);
        }
        sobol_draw(&plan, s.prior_data, i, words_a, words_b, terms);
        for (int j = 0; j < length; j++) one[j] += terms[j];
    }
    int mismatches = 0;
    for (int j = 0; j < length; j++) mismatches += memcmp(&batch[j], &one[j], sizeof one[j]) != 0;
    CHECK(mismatches == 0, "%s: %d of %d rqmc Sobol sums differ from one draw at a time's bits",
          path, mismatches, length);
    engine_plan_release(&plan);
    scenario_free(&s);
}

/* Sobol indices of s at n base draws under sampler (heap result, or NULL after a failed check). */
static sensitivity_result *sobol_of(const scenario *s, uint64_t n, int sampler)
{
    sensitivity_options options = {.methods = SENSITIVITY_SOBOL, .base_draws = n, .seed = 12,
                                   .tornado_low = 0.05, .tornado_high = 0.95,
                                   .engine = {.threads = 2}, .sampler = sampler};
    sensitivity_result *r = malloc(sizeof *r);
    char err[THIRST_ERR_LEN];
    if (!r) return NULL;
    int status = sensitivity_run(s, &options, r, err, sizeof err);
    CHECK(status == THIRST_OK, "sensitivity: %s", err);
    if (status) {
        free(r);
        return NULL;
    }
    return r;
}

/* Indices of output 0 under rqmc inside their 99 % intervals around first[k] and total[k], and
 * their summed standard errors against Monte Carlo's at the same n. */
static void check_analytic(const char *path, const double *first, const double *total)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load(path, &s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    sensitivity_result *q = sobol_of(&s, 64 * 4096, PLAN_SAMPLER_RQMC);
    sensitivity_result *m = sobol_of(&s, 64 * 4096, PLAN_SAMPLER_MC);
    if (q && m) {
        const double t99 = special_t_quantile(0.995, q->batches - 1);
        double se_q = 0, se_m = 0;
        for (int k = 0; k < q->input_count; k++) {
            const sensitivity_index *x = &q->index[0][k];
            CHECK(fabs(x->first - first[k]) <= t99 * x->first_se,
                  "%s x%d: S1 %.5f outside its 99%% interval (+-%.5f) of %.5f", path, k + 1,
                  x->first, t99 * x->first_se, first[k]);
            CHECK(fabs(x->total - total[k]) <= t99 * x->total_se,
                  "%s x%d: ST %.5f outside its 99%% interval (+-%.5f) of %.5f", path, k + 1,
                  x->total, t99 * x->total_se, total[k]);
            se_q += x->first_se + x->total_se;
            se_m += m->index[0][k].first_se + m->index[0][k].total_se;
        }
        printf("%s: summed standard errors, rqmc / mc = %.3f\n", path, se_q / se_m);
        CHECK(se_q <= 0.5 * se_m, "%s: rqmc's standard errors sum to %.4g, Monte Carlo's %.4g",
              path, se_q, se_m);
    }
    free(q);
    free(m);
    scenario_free(&s);
}

static void test_ishigami(void)
{
    /* V1 = 0.5 (1 + b pi^4 / 5)^2, V2 = a^2 / 8, V13 = b^2 pi^8 (1/18 - 1/50) */
    double a = 7, b = 0.1, pi4 = pow(M_PI, 4);
    double v1 = 0.5 * pow(1 + b * pi4 / 5, 2), v2 = a * a / 8;
    double v13 = b * b * pi4 * pi4 * (1.0 / 18 - 1.0 / 50), v = v1 + v2 + v13;
    const double first[3] = {v1 / v, v2 / v, 0}, total[3] = {(v1 + v13) / v, v2 / v, v13 / v};
    check_analytic("priors/benchmarks/ishigami.json", first, total);
}

static void test_gfunction(void)
{
    const double a[8] = {0, 1, 4.5, 9, 99, 99, 99, 99};
    double partial[8], product = 1, first[8], total[8];
    for (int i = 0; i < 8; i++) {
        partial[i] = 1 / (3 * (1 + a[i]) * (1 + a[i]));
        product *= 1 + partial[i];
    }
    for (int i = 0; i < 8; i++) {
        first[i] = partial[i] / (product - 1);
        total[i] = partial[i] * product / (1 + partial[i]) / (product - 1);
    }
    check_analytic("priors/benchmarks/gfunction.json", first, total);
}

/* Sizes that are not 64 x 2^m with 2^m >= 64 are refused, naming the flag and a fit. */
static void test_sizes(void)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load("priors/benchmarks/ishigami.json", &s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    const uint64_t bad[] = {1000000, 2048, 64 * 3 * 64};
    for (int k = 0; k < 3; k++) {
        sensitivity_options options = {.methods = SENSITIVITY_SOBOL, .base_draws = bad[k],
                                       .seed = 1, .engine = {.threads = 1},
                                       .sampler = PLAN_SAMPLER_RQMC};
        sensitivity_result *r = malloc(sizeof *r);
        int status = r ? sensitivity_run(&s, &options, r, err, sizeof err) : THIRST_ERR_RUNTIME;
        CHECK(status == THIRST_ERR_INPUT && strstr(err, "--base-draws") && strstr(err, "64 x 2^"),
              "--base-draws %llu under rqmc: status %d, '%s'", (unsigned long long)bad[k], status,
              status ? err : "");
        free(r);
    }
    scenario_free(&s);
}

int main(void)
{
    const char *scenarios[] = {"priors/benchmarks/ishigami.json",
                               "priors/benchmarks/gfunction.json",
                               "priors/gpt3-training-us.json", "priors/gpt3-training-sites.json",
                               "priors/reasoning-query-2025.json",
                               "priors/gpt3-training-us-correlated.json"};
    for (size_t k = 0; k < sizeof scenarios / sizeof *scenarios; k++) test_sobol_bits(scenarios[k]);
    test_ishigami();
    test_gfunction();
    test_sizes();
    return check_done("test_rqmc_sobol");
}
