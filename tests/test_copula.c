/* test_copula.c: correlated inputs (the Gaussian copula per draw, kernels/copula.h) against
 * their targets and closed forms, on 1e6 draws of the CPU reference (draw_eval). Tolerances
 * come from the Monte Carlo error:
 *  - achieved Spearman's rho within 4 standard errors of the target for -0.9, 0.9, 0.3 and a
 *    3-parameter block, over mixed marginals (lognormal, uniform, triangular, beta); the standard
 *    error from 64 batch estimates (batch means); Kendall's tau (an unbiased estimator) from 20
 *    batches of 2,000 draws, within 4 standard errors;
 *  - every correlated marginal unchanged: the Kolmogorov-Smirnov distance to its exact CDF below
 *    1.95 / sqrt(n), the 0.1 % critical value;
 *  - a single-parameter choice keeps its weights (each frequency within 4 binomial standard
 *    errors), and its partner's mean given the option is the closed form of the Gaussian copula
 *    (within 4 standard errors);
 *  - the mean of the product of two correlated lognormals against its closed form
 *    exp(mu1 + mu2 + (s1^2 + s2^2 + 2 r s1 s2) / 2), within 4 standard errors;
 *  - all correlations 0: every draw's inputs and outputs bit for bit those of the independent
 *    scenario; the CPU batch loop equals draw_eval bit for bit with correlations;
 *  - Sobol indices of y = x1 + x2 + x3 with x1, x2 correlated (Gaussian r) against the closed
 *    form: the group {x1, x2} has S = ST = (s1^2 + s2^2 + 2 r s1 s2) / V, x3 has s3^2 / V,
 *    within 4 batch-means standard errors; tornado moves a correlated input's partner to its
 *    conditional median (closed form for normals: the partner's score r z); regression on a
 *    correlated input that reaches 0 uses its correlated normal score (an exact linear fit);
 *    "if measured" for a correlated input: its partners follow their conditional distribution
 *    (the interval's ends against the closed form, within 4 standard errors). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/draw.h"
#include "check.h"
#include "correlation_achieved.h"
#include "engine.h"
#include "scenario_correlations.h"
#include "sensitivity.h"
#include "special.h"
#include "status.h"

#define N 1000000
#define BATCHES 64

static const char *const MIXED =
    "{\"scenario\": \"mixed\", \"model\": \"formula\", \"seed\": 5, \"params\": {"
    " \"ln1\": {\"dist\": \"lognormal\", \"median\": 2, \"gsd\": 1.5},"
    " \"un1\": {\"dist\": \"uniform\", \"low\": 0, \"high\": 10},"
    " \"tri1\": {\"dist\": \"triangular\", \"low\": 1, \"mode\": 2, \"high\": 5},"
    " \"be1\": {\"dist\": \"beta\", \"alpha\": 2, \"beta\": 5, \"low\": 0, \"high\": 1},"
    " \"ln2\": {\"dist\": \"lognormal\", \"median\": 1, \"gsd\": 2},"
    " \"tri2\": {\"dist\": \"triangular\", \"low\": 0, \"mode\": 1, \"high\": 2},"
    " \"a\": {\"dist\": \"lognormal\", \"median\": 3, \"gsd\": 1.2},"
    " \"b\": {\"dist\": \"beta\", \"alpha\": 3, \"beta\": 3, \"low\": 1, \"high\": 2},"
    " \"c\": {\"dist\": \"uniform\", \"low\": -1, \"high\": 1},"
    " \"k1\": {\"dist\": \"uniform\", \"low\": 0, \"high\": 1},"
    " \"k2\": {\"dist\": \"triangular\", \"low\": 0, \"mode\": 0.2, \"high\": 1}},"
    " \"outputs\": {\"y\": {\"formula\": \"ln1 + un1 + tri1 + be1 + ln2 + tri2 + a + b + c + k1 + "
    "k2\"}}%s}";

static const char *const CORRELATIONS =
    ", \"correlations\": ["
    " {\"params\": [\"ln1\", \"un1\"], \"spearman\": %s, \"source\": \"test\"},"
    " {\"params\": [\"tri1\", \"be1\"], \"spearman\": %s},"
    " {\"params\": [\"ln2\", \"tri2\"], \"spearman\": %s},"
    " {\"params\": [\"a\", \"b\", \"c\"], \"spearman\": [[1, %s, %s], [%s, 1, %s], [%s, %s, 1]]},"
    " {\"params\": [\"k1\", \"k2\"], \"kendall\": %s}]";

/* The mixed scenario with the correlations (text values; NULL: none) loaded into s. */
static int load_mixed(scenario *s, const char *const *v)
{
    char correlations[2048] = "", text[8192], err[THIRST_ERR_LEN];
    if (v)
        snprintf(correlations, sizeof correlations, CORRELATIONS, v[0], v[1], v[2], v[3], v[4],
                 v[3], v[5], v[4], v[5], v[6]);
    snprintf(text, sizeof text, MIXED, correlations);
    int status = scenario_parse("mixed", text, s, err, sizeof err);
    CHECK(status == THIRST_OK, "mixed scenario: %s", err);
    return status;
}

/* Input slot of scenario param `name`. */
static int slot_of(const scenario *s, const char *name)
{
    for (int k = 0; k < s->param_count; k++)
        if (!strcmp(s->params[k].name, name)) return copula_home_slot(&s->params[k].prior);
    return -1;
}

/* Sorting indices by a key array (for the KS distance). */
static const double *rank_keys;
static int by_key(const void *a, const void *b)
{
    double x = rank_keys[*(const int *)a], y = rank_keys[*(const int *)b];
    return (x > y) - (x < y);
}

/* Spearman's rho of x and y over n (scratch: 2 n doubles and n ints). */
static double spearman(const double *x, const double *y, int n, double *scratch, int *order)
{
    correlation_ranks(x, n, order, scratch);
    correlation_ranks(y, n, order, scratch + n);
    return correlation_of_ranks(scratch, scratch + n, n);
}

/* Spearman's rho over all n and its batch-means standard error. */
static double spearman_with_se(const double *x, const double *y, int n, double *se)
{
    double *scratch = malloc(2 * (size_t)n * sizeof *scratch);
    int *order = malloc((size_t)n * sizeof *order);
    double all = spearman(x, y, n, scratch, order), sum = 0, sum2 = 0;
    int m = n / BATCHES;
    for (int b = 0; b < BATCHES; b++) {
        double v = spearman(x + b * m, y + b * m, m, scratch, order);
        sum += v;
        sum2 += v * v;
    }
    double mean = sum / BATCHES;
    *se = sqrt((sum2 / BATCHES - mean * mean) * BATCHES / (BATCHES - 1)) / sqrt(BATCHES);
    free(scratch);
    free(order);
    return all;
}

/* Kolmogorov-Smirnov distance of the sample x[0..n) to cdf. */
static double ks_distance(const double *x, int n, double (*cdf)(double, const double *),
                          const double *parameters)
{
    double *sorted = malloc((size_t)n * sizeof *sorted);
    int *order = malloc((size_t)n * sizeof *order);
    rank_keys = x;
    for (int i = 0; i < n; i++) order[i] = i;
    qsort(order, (size_t)n, sizeof *order, by_key);
    double worst = 0;
    for (int i = 0; i < n; i++) {
        sorted[i] = x[order[i]];
        double f = cdf(sorted[i], parameters);
        worst = fmax(worst, fmax(fabs(f - (double)i / n), fabs((double)(i + 1) / n - f)));
    }
    free(sorted);
    free(order);
    return worst;
}

static double lognormal_cdf(double x, const double *p)
{
    return special_normal_cdf((log(x) - log(p[0])) / log(p[1]));
}

static double uniform_cdf(double x, const double *p)
{
    return fmin(1, fmax(0, (x - p[0]) / (p[1] - p[0])));
}

static double triangular_cdf(double x, const double *p)
{
    double low = p[0], mode = p[1], high = p[2];
    if (x <= low) return 0;
    if (x >= high) return 1;
    if (x <= mode) return (x - low) * (x - low) / ((high - low) * (mode - low));
    return 1 - (high - x) * (high - x) / ((high - low) * (high - mode));
}

static double beta_cdf(double x, const double *p)
{
    double t = (x - p[2]) / (p[3] - p[2]);
    return t <= 0 ? 0 : (t >= 1 ? 1 : special_incomplete_beta(t, p[0], p[1]));
}

/* 1e6 draws of the mixed scenario: each param's input column (inputs[slot][i]). */
static double **draw_columns(const scenario *s, int n)
{
    draw_plan plan;
    char err[THIRST_ERR_LEN];
    if (engine_plan_make(s, (uint64_t)n, s->seed, ENGINE_MANTISSA_BITS, &plan, err, sizeof err)) {
        CHECK(0, "plan: %s", err);
        return NULL;
    }
    double **column = malloc(DRAW_INPUT_SLOTS * sizeof *column);
    for (int slot = 0; slot < DRAW_INPUT_SLOTS; slot++)
        column[slot] = malloc((size_t)n * sizeof **column);
    for (int i = 0; i < n; i++) {
        float inputs[DRAW_INPUT_SLOTS], outputs[PLAN_MAX_OUTPUTS];
        engine_eval_draw(&plan, s->prior_data, (uint64_t)i, NULL, inputs, outputs);
        for (int slot = 0; slot < plan.input_slot_count; slot++) column[slot][i] = inputs[slot];
    }
    return column;
}

static void free_columns(double **column)
{
    for (int slot = 0; column && slot < DRAW_INPUT_SLOTS; slot++) free(column[slot]);
    free(column);
}

/* Achieved Spearman of params a and b within 4 standard errors of target. */
static void check_spearman(const scenario *s, double **column, const char *a, const char *b,
                           double target)
{
    double se, rho = spearman_with_se(column[slot_of(s, a)], column[slot_of(s, b)], N, &se);
    CHECK(fabs(rho - target) < 4 * se, "Spearman %s-%s: %.5f, target %.5f, se %.2g", a, b, rho,
          target, se);
}

static void test_targets(void)
{
    static const char *const values[] = {"-0.9", "0.9", "0.3", "0.5", "-0.3", "0.2", "0.6"};
    scenario s;
    if (load_mixed(&s, values)) return;
    double **column = draw_columns(&s, N);
    if (!column) return;
    check_spearman(&s, column, "ln1", "un1", -0.9);
    check_spearman(&s, column, "tri1", "be1", 0.9);
    check_spearman(&s, column, "ln2", "tri2", 0.3);
    check_spearman(&s, column, "a", "b", 0.5);
    check_spearman(&s, column, "a", "c", -0.3);
    check_spearman(&s, column, "b", "c", 0.2);
    double se, rho = spearman_with_se(column[slot_of(&s, "ln1")], column[slot_of(&s, "tri1")], N, &se);
    CHECK(fabs(rho) < 4 * se, "independent blocks: Spearman ln1-tri1 %.5f, se %.2g", rho, se);
    /* Kendall: 20 batches of 2,000 draws. */
    double sum = 0, sum2 = 0;
    for (int b = 0; b < 20; b++) {
        double tau = correlation_kendall(column[slot_of(&s, "k1")] + b * 2000, column[slot_of(&s, "k2")] + b * 2000, 2000);
        sum += tau;
        sum2 += tau * tau;
    }
    double tau = sum / 20, tau_se = sqrt((sum2 / 20 - tau * tau) * 20 / 19) / sqrt(20);
    CHECK(fabs(tau - 0.6) < 4 * tau_se, "Kendall k1-k2: %.4f, target 0.6, se %.2g", tau, tau_se);
    /* Marginals: KS distance to the exact CDF below the 0.1 % critical value. */
    const double critical = 1.95 / sqrt((double)N);
    struct {
        const char *name;
        double (*cdf)(double, const double *);
        double parameters[4];
    } marginals[] = {{"ln1", lognormal_cdf, {2, 1.5}},      {"un1", uniform_cdf, {0, 10}},
                     {"tri1", triangular_cdf, {1, 2, 5}},   {"be1", beta_cdf, {2, 5, 0, 1}},
                     {"ln2", lognormal_cdf, {1, 2}},        {"tri2", triangular_cdf, {0, 1, 2}},
                     {"a", lognormal_cdf, {3, 1.2}},        {"b", beta_cdf, {3, 3, 1, 2}},
                     {"c", uniform_cdf, {-1, 1}},           {"k2", triangular_cdf, {0, 0.2, 1}}};
    for (size_t k = 0; k < sizeof marginals / sizeof *marginals; k++) {
        double d = ks_distance(column[slot_of(&s, marginals[k].name)], N, marginals[k].cdf,
                               marginals[k].parameters);
        CHECK(d < critical, "KS distance of %s: %.5f (critical %.5f)", marginals[k].name, d, critical);
    }
    free_columns(column);
    scenario_free(&s);
}

/* A single-parameter choice (PUE of three sites) correlated with a normal (grid carbon): it
 * keeps its weights and follows its partner. */
static void test_choice(void)
{
    const char *text =
        "{\"scenario\": \"choice\", \"workload\": \"training\", \"seed\": 4, \"params\": {"
        " \"accelerators\": {\"dist\": \"fixed\", \"value\": 100},"
        " \"hours\": {\"dist\": \"fixed\", \"value\": 10},"
        " \"accelerator_kw\": {\"dist\": \"fixed\", \"value\": 0.3},"
        " \"pue\": {\"dist\": \"choice\", \"options\": [{\"value\": 1.1, \"weight\": 0.2},"
        "   {\"value\": 1.2, \"weight\": 0.5}, {\"value\": 1.3, \"weight\": 0.3}]},"
        " \"wue_onsite\": {\"dist\": \"fixed\", \"value\": 0.5},"
        " \"ewif\": {\"dist\": \"fixed\", \"value\": 3},"
        " \"carbon_intensity\": {\"dist\": \"normal\", \"mean\": 0.4, \"sd\": 0.1, \"low\": 0}},"
        " \"correlations\": [{\"params\": [\"pue\", \"carbon_intensity\"], \"spearman\": 0.7}]}";
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_parse("choice", text, &s, err, sizeof err)) {
        CHECK(0, "choice scenario: %s", err);
        return;
    }
    double **column = draw_columns(&s, N);
    if (!column) return;
    const double weight[3] = {0.2, 0.5, 0.3}, value[3] = {1.1, 1.2, 1.3};
    double count[3] = {0}, partner[3] = {0};
    int stray = 0;
    for (int i = 0; i < N; i++) {
        int option = -1;
        for (int k = 0; k < 3; k++)
            if (column[SLOT_PUE][i] == (double)(float)value[k]) option = k;
        if (option < 0) {
            stray++;
            continue;
        }
        count[option]++;
        partner[option] += column[SLOT_CARBON_INTENSITY][i];
    }
    CHECK(stray == 0, "choice: %d draws with a value that is no option", stray);
    for (int k = 0; k < 3; k++) {
        double se = sqrt(weight[k] * (1 - weight[k]) / N);
        CHECK(fabs(count[k] / N - weight[k]) < 4 * se, "choice option %d: %.5f, weight %.1f", k,
              count[k] / N, weight[k]);
    }
    /* With Gaussian r between the normal scores, the partner's mean given the option is
     * 0.4 + 0.1 r E[Z | option] (E[Z | Z in (a, b)] = (phi(a) - phi(b)) / (Phi(b) - Phi(a)));
     * the truncation at 0 (4 sd below the mean, mass 3e-5) moves it by less than 2e-5. */
    double r = scenario_correlation_gaussian(0.7, 0), edge[4] = {-INFINITY, 0, 0, INFINITY};
    edge[1] = special_normal_quantile(0.2);
    edge[2] = special_normal_quantile(0.7);
    for (int k = 0; k < 3; k++) {
        double pa = isinf(edge[k]) ? 0 : exp(-0.5 * edge[k] * edge[k]) / sqrt(2 * M_PI);
        double pb = isinf(edge[k + 1]) ? 0 : exp(-0.5 * edge[k + 1] * edge[k + 1]) / sqrt(2 * M_PI);
        double expected = 0.4 + 0.1 * r * (pa - pb) / weight[k];
        /* sd of the partner given the option is at most 0.1: se below 0.1 / sqrt(count) */
        double se = 0.1 / sqrt(count[k]);
        CHECK(fabs(partner[k] / count[k] - expected) < 4 * se,
              "partner's mean given option %d: %.5f, expected %.5f (se %.2g)", k,
              partner[k] / count[k], expected, se);
    }
    free_columns(column);
    scenario_free(&s);
}

/* With every correlation 0, each draw's inputs and outputs are the independent draw's bits;
 * with correlations, the CPU batch loop equals draw_eval. */
static void test_zero_and_batch(void)
{
    static const char *const zeros[] = {"0", "0", "0", "0", "0", "0", "0"};
    static const char *const values[] = {"-0.9", "0.9", "0.3", "0.5", "-0.3", "0.2", "0.6"};
    scenario independent, zero, correlated;
    if (load_mixed(&independent, NULL) || load_mixed(&zero, zeros) || load_mixed(&correlated, values))
        return;
    CHECK(zero.correlations.copula.block_count == 0 && zero.correlations.pair_count == 7,
          "all-zero correlations: no block (%d), 7 pairs read", zero.correlations.copula.block_count);
    draw_plan plan_i, plan_z, plan_c;
    char err[THIRST_ERR_LEN];
    int status = engine_plan_make(&independent, 65536, 5, ENGINE_MANTISSA_BITS, &plan_i, err, sizeof err);
    if (!status) status = engine_plan_make(&zero, 65536, 5, ENGINE_MANTISSA_BITS, &plan_z, err, sizeof err);
    if (!status) status = engine_plan_make(&correlated, 65536, 5, ENGINE_MANTISSA_BITS, &plan_c, err, sizeof err);
    CHECK(!status, "plans: %s", err);
    if (status) return;
    int differ = 0, batch_differ = 0;
    static float batch[DRAW_OUTPUTS * ENGINE_CHUNK_DRAWS];
    for (uint64_t first = 0; first < 65536; first += ENGINE_CHUNK_DRAWS) {
        engine_eval_batch(&plan_c, correlated.prior_data, first, ENGINE_CHUNK_DRAWS, batch);
        for (int i = 0; i < ENGINE_CHUNK_DRAWS; i++) {
            float in_i[DRAW_INPUT_SLOTS], in_z[DRAW_INPUT_SLOTS], in_c[DRAW_INPUT_SLOTS];
            float out_i[PLAN_MAX_OUTPUTS], out_z[PLAN_MAX_OUTPUTS], out_c[PLAN_MAX_OUTPUTS];
            engine_eval_draw(&plan_i, independent.prior_data, first + i, NULL, in_i, out_i);
            engine_eval_draw(&plan_z, zero.prior_data, first + i, NULL, in_z, out_z);
            engine_eval_draw(&plan_c, correlated.prior_data, first + i, NULL, in_c, out_c);
            differ += memcmp(in_i, in_z, sizeof(float) * (size_t)plan_i.input_slot_count) != 0 ||
                      memcmp(out_i, out_z, sizeof(float) * (size_t)plan_i.output_count) != 0;
            float from_batch = batch[(size_t)plan_c.outputs[0] * ENGINE_CHUNK_DRAWS + (size_t)i];
            batch_differ += memcmp(&from_batch, &out_c[0], sizeof from_batch) != 0;
        }
    }
    CHECK(differ == 0, "all-zero correlations: %d of 65,536 draws differ from the independent ones", differ);
    CHECK(batch_differ == 0, "batch loop with correlations: %d of 65,536 draws differ from draw_eval",
          batch_differ);
    scenario_free(&independent);
    scenario_free(&zero);
    scenario_free(&correlated);
}

/* The mean of x y, x and y correlated lognormals, against its closed form. */
static void test_lognormal_product(void)
{
    const char *text =
        "{\"scenario\": \"product\", \"model\": \"formula\", \"seed\": 9, \"params\": {"
        " \"x\": {\"dist\": \"lognormal\", \"median\": 2, \"gsd\": 1.5},"
        " \"y\": {\"dist\": \"lognormal\", \"median\": 3, \"gsd\": 1.3}},"
        " \"outputs\": {\"p\": {\"formula\": \"x * y\"}},"
        " \"correlations\": [{\"params\": [\"x\", \"y\"], \"spearman\": 0.7}]}";
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_parse("product", text, &s, err, sizeof err)) {
        CHECK(0, "product scenario: %s", err);
        return;
    }
    draw_plan plan;
    if (engine_plan_make(&s, N, 9, ENGINE_MANTISSA_BITS, &plan, err, sizeof err)) {
        CHECK(0, "plan: %s", err);
        return;
    }
    double sum = 0, sum2 = 0;
    for (int i = 0; i < N; i++) {
        float inputs[DRAW_INPUT_SLOTS], outputs[PLAN_MAX_OUTPUTS];
        engine_eval_draw(&plan, s.prior_data, (uint64_t)i, NULL, inputs, outputs);
        sum += outputs[0];
        sum2 += (double)outputs[0] * outputs[0];
    }
    double mean = sum / N, se = sqrt((sum2 / N - mean * mean) / (N - 1));
    double s1 = log(1.5), s2 = log(1.3), r = scenario_correlation_gaussian(0.7, 0);
    double exact = exp(log(2) + log(3) + 0.5 * (s1 * s1 + s2 * s2 + 2 * r * s1 * s2));
    CHECK(fabs(mean - exact) < 4 * se, "mean of correlated lognormals' product %.6f, exact %.6f, "
          "se %.2g", mean, exact, se);
    double independent = exp(log(6) + 0.5 * (s1 * s1 + s2 * s2));
    CHECK(fabs(independent - exact) > 20 * se, "the test tells correlation from none (%.4f vs %.4f)",
          independent, exact);
    scenario_free(&s);
}

/* Group Sobol indices of y = x1 + x2 + x3 with x1, x2 correlated. */
static void test_group_sobol(void)
{
    const char *text =
        "{\"scenario\": \"sum\", \"model\": \"formula\", \"seed\": 3, \"params\": {"
        " \"x1\": {\"dist\": \"normal\", \"mean\": 0, \"sd\": 1},"
        " \"x3\": {\"dist\": \"normal\", \"mean\": 1, \"sd\": 1.5},"
        " \"x2\": {\"dist\": \"normal\", \"mean\": 2, \"sd\": 2}},"
        " \"outputs\": {\"y\": {\"formula\": \"x1 + x2 + x3\"}},"
        " \"correlations\": [{\"params\": [\"x1\", \"x2\"], \"spearman\": 0.6}]}";
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_parse("sum", text, &s, err, sizeof err)) {
        CHECK(0, "sum scenario: %s", err);
        return;
    }
    char name[256];
    const copula_plan *c = &s.correlations.copula;
    CHECK(c->factor_count == 2 && c->factor[0] == -1 && c->factor[1] == 1 &&
              !strcmp(scenario_factor_name(&s, 0, name, sizeof name), "x1+x2"),
          "factors: the block x1+x2 (first, where x1 is), then x3 (%d factors, '%s')",
          c->factor_count, scenario_factor_name(&s, 0, name, sizeof name));
    sensitivity_options options;
    memset(&options, 0, sizeof options);
    options.methods = SENSITIVITY_SOBOL | SENSITIVITY_TORNADO | SENSITIVITY_MEASURED;
    options.tornado_low = 0.05;
    options.tornado_high = 0.95;
    options.base_draws = 1 << 18;
    options.seed = 3;
    options.engine.threads = 2;
    static sensitivity_result r;
    if (sensitivity_run(&s, &options, &r, err, sizeof err)) {
        CHECK(0, "sensitivity: %s", err);
        return;
    }
    double rho = scenario_correlation_gaussian(0.6, 0);
    double group = 1 + 4 + 2 * rho * 1 * 2, v = group + 2.25;
    const sensitivity_index *g = &r.group[0][0], *x3 = &r.index[0][1];
    CHECK(r.group_count == 1 && isnan(r.index[0][0].first) && isnan(r.index[0][2].total),
          "correlated inputs have no index of their own (groups %d)", r.group_count);
    CHECK(fabs(g->first - group / v) < 4 * g->first_se && fabs(g->total - group / v) < 4 * g->total_se,
          "group x1+x2: S1 %.4f (se %.2g), ST %.4f (se %.2g), exact %.4f", g->first, g->first_se,
          g->total, g->total_se, group / v);
    CHECK(fabs(x3->first - 2.25 / v) < 4 * x3->first_se && fabs(x3->total - 2.25 / v) < 4 * x3->total_se,
          "x3: S1 %.4f (se %.2g), ST %.4f (se %.2g), exact %.4f", x3->first, x3->first_se,
          x3->total, x3->total_se, 2.25 / v);
    CHECK(g->first_se < 0.01 && x3->first_se < 0.01, "standard errors small enough to tell");
    /* Tornado: x1 at its 5th percentile (z = -1.645) moves x2 to its conditional median, 2 + 2 r z
     * (a normal partner: Phi^-1(Phi(r z)) = r z), x3 stays at its median 1: y = (1 + 2 r) z + 3;
     * x2 at its 95th moves x1 to r z: y = (2 + r) z + 3. Float evaluation: within 1e-5. */
    double z = special_normal_quantile(0.95);
    double x1_low = -(1 + 2 * rho) * z + 3, x2_high = (2 + rho) * z + 3;
    CHECK(fabs(r.index[0][0].tornado_low_output - x1_low) < 1e-5 * fabs(x1_low) &&
              fabs(r.index[0][2].tornado_high_output - x2_high) < 1e-5 * fabs(x2_high),
          "tornado with partners at their conditional medians: %.6f (exact %.6f), %.6f (exact "
          "%.6f)", r.index[0][0].tornado_low_output, x1_low, r.index[0][2].tornado_high_output,
          x2_high);
    CHECK(fabs(r.index[0][1].tornado_high_output - (1.5 * z + 3)) < 1e-5 * (1.5 * z + 3),
          "tornado of the independent x3: %.6f", r.index[0][1].tornado_high_output);
    /* If measured: x1 at its median 0 leaves x2 | x1 = 0 ~ N(2, 2 sqrt(1 - r^2)), so y is
     * normal with mean 3 and sd sqrt(4 (1 - r^2) + 2.25); its 95 % interval's ends are exact
     * order statistics of 2^18 draws, each within 4 standard errors (sqrt(p (1 - p) / n) over
     * the density at the end). */
    double sd = sqrt(4 * (1 - rho * rho) + 2.25), z975 = special_normal_quantile(0.975);
    double end_se = sqrt(0.025 * 0.975 / (1 << 18)) / (exp(-0.5 * z975 * z975) / sqrt(2 * M_PI) / sd);
    CHECK(fabs(r.index[0][0].measured_low - (3 - z975 * sd)) < 4 * end_se &&
              fabs(r.index[0][0].measured_high - (3 + z975 * sd)) < 4 * end_se,
          "x1 measured: [%.4f, %.4f], exact [%.4f, %.4f] (se %.2g)", r.index[0][0].measured_low,
          r.index[0][0].measured_high, 3 - z975 * sd, 3 + z975 * sd, end_se);
    double sd_all = sqrt(v);
    CHECK(fabs(r.interval_low[0] - (3 - z975 * sd_all)) < 4 * end_se * sd_all / sd,
          "all uncertain: low %.4f, exact %.4f", r.interval_low[0], 3 - z975 * sd_all);
    scenario_free(&s);
}

/* Regression with a correlated input that reaches 0 or below: it enters as its correlated
 * normal score, the one its value is taken at. y = x2 = 1 + 2 z2 with x2 the second member of a
 * block (x1 uniform, logged): SRC of x2 is 1 and of x1 is 0, R^2 is 1, up to float rounding
 * (1e-6 in z); regressed on x2's own uncorrelated score instead, x1 would carry part of y. */
static void test_src_scores(void)
{
    const char *text =
        "{\"scenario\": \"src\", \"model\": \"formula\", \"seed\": 8, \"params\": {"
        " \"x1\": {\"dist\": \"uniform\", \"low\": 1, \"high\": 2},"
        " \"x2\": {\"dist\": \"normal\", \"mean\": 1, \"sd\": 2}},"
        " \"outputs\": {\"y\": {\"formula\": \"x2 + 0 * x1\"}},"
        " \"correlations\": [{\"params\": [\"x1\", \"x2\"], \"spearman\": 0.9}]}";
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_parse("src", text, &s, err, sizeof err)) {
        CHECK(0, "src scenario: %s", err);
        return;
    }
    sensitivity_options options;
    memset(&options, 0, sizeof options);
    options.methods = SENSITIVITY_SRC;
    options.base_draws = 1 << 16;
    options.seed = 8;
    options.engine.threads = 1;
    static sensitivity_result r;
    if (sensitivity_run(&s, &options, &r, err, sizeof err)) {
        CHECK(0, "sensitivity: %s", err);
        return;
    }
    CHECK(!r.input_logged[1] && fabs(r.index[0][1].src - 1) < 1e-4 &&
              fabs(r.index[0][0].src) < 1e-4 && r.r_squared[0] > 0.9999,
          "SRC with the correlated score: x2 %.6f (1), x1 %.6f (0), R^2 %.6f", r.index[0][1].src,
          r.index[0][0].src, r.r_squared[0]);
    scenario_free(&s);
}

int main(void)
{
    test_src_scores();
    test_targets();
    test_choice();
    test_zero_and_batch();
    test_lognormal_product();
    test_group_sobol();
    return check_done("test_copula");
}
