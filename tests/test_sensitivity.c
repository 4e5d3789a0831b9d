/* test_sensitivity.c: Sobol indices, tornado swings and regression coefficients against closed
 * forms.
 * - Ishigami (a = 7, b = 0.1), N = 1e6 base draws: every S1 and ST within 0.01 of the analytic
 *   values (S = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437) and inside its own 99 %
 *   interval (batch means, Student t with 63 degrees of freedom).
 * - G-function, a = (0, 1, 4.5, 9, 99, 99, 99, 99): within 0.01 of V_i / V and
 *   V_i prod_{j != i} (1 + V_j) / V, V_i = 1 / (3 (1 + a_i)^2), V = prod (1 + V_i) - 1.
 * - A product of independent lognormals (GSD 1.5, 2, 3): S and ST inside their 99 % intervals
 *   around c_i / (prod(1 + c_j) - 1) and c_i prod_{j != i}(1 + c_j) / (prod(1 + c_j) - 1),
 *   1 + c_i = exp((ln GSD_i)^2); tornado outputs equal the product at the percentiles (1e-5);
 *   log y is linear in log x, so R^2 = 1 and SRC_i = sigma_i / sqrt(sum sigma_j^2) (1e-3).
 * - Results are bit-identical for 1 and 2 threads.
 * - Outputs near 2e19 (whose squares overflow float: 0.1 printed -nan) get the indices of
 *   X Y, X ~ U(1e19, 3e19), Y ~ U(1, 2): S_X = V_X / V, ST_X = (V_X + V_XY) / V with
 *   V_X = Var X (E Y)^2, V_Y = Var Y (E X)^2, V_XY = Var X Var Y, V their sum (99 % intervals).
 * - An output that does not vary has no indices (NaN, not 0 [0, 0]); one that does, next to it,
 *   gets S = ST = 1 for its only input.
 * - SRC enters a normal input 5.4 sd above 0 as its normal score, not its log: the refined tails
 *   reach |z| = 11, and seed 5 draws x1 = -0.14 at z = -5.54 (a log there made every SRC NaN). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "scenario.h"
#include "sensitivity.h"
#include "special.h"
#include "status.h"

/* Run all methods on s with N base draws; returns a heap result or NULL. */
static sensitivity_result *analyse(const scenario *s, uint64_t n, int threads)
{
    sensitivity_options options = {.methods = SENSITIVITY_SOBOL | SENSITIVITY_TORNADO |
                                              SENSITIVITY_SRC,
                                   .base_draws = n, .seed = 12, .tornado_low = 0.05,
                                   .tornado_high = 0.95, .engine = {.threads = threads}};
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

/* Check index k of output 0 against analytic first/total values. */
static void check_index(const char *name, const sensitivity_result *r, int k, double first,
                        double total, double tolerance, double t99)
{
    const sensitivity_index *x = &r->index[0][k];
    if (tolerance > 0) {
        CHECK(fabs(x->first - first) <= tolerance, "%s x%d: S1 %.4f, analytic %.4f", name, k + 1,
              x->first, first);
        CHECK(fabs(x->total - total) <= tolerance, "%s x%d: ST %.4f, analytic %.4f", name, k + 1,
              x->total, total);
    }
    CHECK(fabs(x->first - first) <= t99 * x->first_se,
          "%s x%d: S1 %.4f outside its 99%% interval (+-%.4f) of %.4f", name, k + 1, x->first,
          t99 * x->first_se, first);
    CHECK(fabs(x->total - total) <= t99 * x->total_se,
          "%s x%d: ST %.4f outside its 99%% interval (+-%.4f) of %.4f", name, k + 1, x->total,
          t99 * x->total_se, total);
}

static void test_ishigami(double t99)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load("priors/benchmarks/ishigami.json", &s, err, sizeof err)) {
        CHECK(0, "%s", err);
        return;
    }
    sensitivity_result *r = analyse(&s, 1000000, 2);
    if (r) {
        /* Analytic (a = 7, b = 0.1): V1 = 0.5 (1 + b pi^4 / 5)^2, V2 = a^2 / 8,
         * V13 = b^2 pi^8 (1/18 - 1/50), V = V1 + V2 + V13. */
        double a = 7, b = 0.1, pi4 = pow(M_PI, 4);
        double v1 = 0.5 * pow(1 + b * pi4 / 5, 2), v2 = a * a / 8;
        double v13 = b * b * pi4 * pi4 * (1.0 / 18 - 1.0 / 50), v = v1 + v2 + v13;
        check_index("ishigami", r, 0, v1 / v, (v1 + v13) / v, 0.01, t99);
        check_index("ishigami", r, 1, v2 / v, v2 / v, 0.01, t99);
        check_index("ishigami", r, 2, 0, v13 / v, 0.01, t99);
        CHECK(fabs(v1 / v - 0.3139) < 1e-4 && fabs((v1 + v13) / v - 0.5576) < 1e-4,
              "analytic Ishigami values");
    }
    free(r);
    scenario_free(&s);
}

static void test_gfunction(double t99)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load("priors/benchmarks/gfunction.json", &s, err, sizeof err)) {
        CHECK(0, "%s", err);
        return;
    }
    sensitivity_result *r = analyse(&s, 1000000, 2);
    if (r) {
        const double a[8] = {0, 1, 4.5, 9, 99, 99, 99, 99};
        double partial[8], product = 1;
        for (int i = 0; i < 8; i++) {
            partial[i] = 1 / (3 * (1 + a[i]) * (1 + a[i]));
            product *= 1 + partial[i];
        }
        double v = product - 1;
        for (int i = 0; i < 8; i++)
            check_index("gfunction", r, i, partial[i] / v, partial[i] * product / (1 + partial[i]) / v,
                        0.01, t99);
    }
    free(r);
    scenario_free(&s);
}

static void test_lognormal_product(double t99)
{
    const char *text =
        "{\"scenario\": \"product\", \"workload\": \"training\", \"params\": {"
        "\"accelerators\": {\"dist\": \"lognormal\", \"median\": 1000, \"gsd\": 1.5},"
        "\"hours\": {\"dist\": \"lognormal\", \"median\": 300, \"gsd\": 2},"
        "\"accelerator_kw\": {\"dist\": \"lognormal\", \"median\": 0.4, \"gsd\": 3},"
        "\"pue\": {\"dist\": \"fixed\", \"value\": 1}}}";
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_parse("product", text, &s, err, sizeof err)) {
        CHECK(0, "%s", err);
        return;
    }
    sensitivity_result *r = analyse(&s, 1000000, 2), *single = analyse(&s, 100000, 1);
    sensitivity_result *pair = analyse(&s, 100000, 2);
    if (r && single && pair) {
        const double gsd[3] = {1.5, 2, 3}, median[3] = {1000, 300, 0.4};
        double c[3], product = 1, sum_variance = 0;
        for (int i = 0; i < 3; i++) {
            c[i] = exp(pow(log(gsd[i]), 2)) - 1;
            product *= 1 + c[i];
            sum_variance += pow(log(gsd[i]), 2);
        }
        for (int i = 0; i < 3; i++)
            check_index("lognormal product", r, i, c[i] / (product - 1),
                        c[i] * product / (1 + c[i]) / (product - 1), 0, t99);
        double z95 = special_normal_quantile(0.95);
        for (int i = 0; i < 3; i++) {
            double others = median[0] * median[1] * median[2] / median[i];
            double low = others * median[i] / pow(gsd[i], z95);
            double high = others * median[i] * pow(gsd[i], z95);
            CHECK(fabs(r->index[0][i].tornado_low_output - low) <= 1e-5 * low &&
                      fabs(r->index[0][i].tornado_high_output - high) <= 1e-5 * high,
                  "tornado x%d: %.7g..%.7g, expected %.7g..%.7g", i, r->index[0][i].tornado_low_output,
                  r->index[0][i].tornado_high_output, low, high);
            double src = log(gsd[i]) / sqrt(sum_variance);
            CHECK(fabs(r->index[0][i].src - src) <= 1e-3, "SRC x%d: %.5f, expected %.5f", i,
                  r->index[0][i].src, src);
        }
        CHECK(fabs(r->r_squared[0] - 1) <= 1e-6, "R^2 %.9f, expected 1", r->r_squared[0]);
        CHECK(memcmp(single->index, pair->index, sizeof single->index) == 0 &&
                  memcmp(single->variance, pair->variance, sizeof single->variance) == 0,
              "results differ between 1 and 2 threads");
    }
    free(r);
    free(single);
    free(pair);
    scenario_free(&s);
}

static void test_large_and_constant_outputs(double t99)
{
    const char *large =
        "{\"scenario\": \"large\", \"workload\": \"training\", \"params\": {"
        "\"energy\": {\"dist\": \"uniform\", \"low\": 1e19, \"high\": 3e19, \"basis\": \"it\"},"
        "\"pue\": {\"dist\": \"uniform\", \"low\": 1, \"high\": 2}}}";
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_parse("large", large, &s, err, sizeof err)) {
        CHECK(0, "%s", err);
        return;
    }
    sensitivity_result *r = analyse(&s, 262144, 2);
    if (r) {
        double mean_x = 2e19, var_x = 4e38 / 12, mean_y = 1.5, var_y = 1.0 / 12;
        double v_x = var_x * mean_y * mean_y, v_y = var_y * mean_x * mean_x, v_xy = var_x * var_y;
        double v = v_x + v_y + v_xy;
        /* Output 1 is facility energy = energy x pue; input 0 energy, input 1 pue. */
        const sensitivity_index *x = &r->index[1][0], *y = &r->index[1][1];
        CHECK(isfinite(x->first) && isfinite(y->total), "large outputs: indices not finite");
        CHECK(fabs(x->first - v_x / v) <= t99 * x->first_se && fabs(x->total - (v_x + v_xy) / v) <=
                  t99 * x->total_se, "large outputs: S/ST of energy %.4f/%.4f, analytic %.4f/%.4f",
              x->first, x->total, v_x / v, (v_x + v_xy) / v);
        CHECK(fabs(y->first - v_y / v) <= t99 * y->first_se && fabs(y->total - (v_y + v_xy) / v) <=
                  t99 * y->total_se, "large outputs: S/ST of pue %.4f/%.4f, analytic %.4f/%.4f",
              y->first, y->total, v_y / v, (v_y + v_xy) / v);
        CHECK(fabs(r->variance[1] / (v * 1.0) - 1) < 0.05, "large outputs: variance %.4g, analytic %.4g",
              r->variance[1], v);
    }
    free(r);
    scenario_free(&s);
    const char *constant =
        "{\"scenario\": \"constant\", \"workload\": \"training\", \"params\": {"
        "\"energy\": {\"dist\": \"fixed\", \"value\": 1000, \"basis\": \"it\"},"
        "\"pue\": {\"dist\": \"fixed\", \"value\": 1.1},"
        "\"carbon_intensity\": {\"dist\": \"uniform\", \"low\": 0.1, \"high\": 0.2}}}";
    if (scenario_parse("constant", constant, &s, err, sizeof err)) {
        CHECK(0, "%s", err);
        return;
    }
    r = analyse(&s, 65536, 2);
    if (r) {
        /* Outputs: it energy and facility energy (constant), carbon. */
        CHECK(r->variance[0] == 0 && isnan(r->index[0][0].first) && isnan(r->index[0][0].total),
              "constant output: variance %g, S %g, ST %g; expected 0 and undefined (NaN)",
              r->variance[0], r->index[0][0].first, r->index[0][0].total);
        CHECK(fabs(r->index[2][0].first - 1) <= t99 * r->index[2][0].first_se + 1e-9 &&
                  fabs(r->index[2][0].total - 1) <= t99 * r->index[2][0].total_se + 1e-9,
              "carbon: S %.4f ST %.4f, expected 1", r->index[2][0].first, r->index[2][0].total);
    }
    free(r);
    scenario_free(&s);
}

static void test_src_deep_tail(void)
{
    const char *text =
        "{\"scenario\": \"src\", \"model\": \"ishigami\", \"params\": {"
        "\"x1\": {\"dist\": \"normal\", \"mean\": 5.4, \"sd\": 1},"
        "\"x2\": {\"dist\": \"uniform\", \"low\": -3.14159265, \"high\": 3.14159265},"
        "\"x3\": {\"dist\": \"uniform\", \"low\": -3.14159265, \"high\": 3.14159265}}}";
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_parse("src", text, &s, err, sizeof err)) {
        CHECK(0, "%s", err);
        return;
    }
    sensitivity_options options = {.methods = SENSITIVITY_SRC, .base_draws = 1048576, .seed = 5,
                                   .engine = {.threads = 2}};
    sensitivity_result *r = malloc(sizeof *r);
    if (r && sensitivity_run(&s, &options, r, err, sizeof err) == THIRST_OK) {
        CHECK(!r->input_logged[0], "x1 entered SRC as its log though draws reach below 0");
        CHECK(isfinite(r->index[0][0].src) && isfinite(r->r_squared[0]),
              "SRC of x1 %g, R^2 %g: expected finite", r->index[0][0].src, r->r_squared[0]);
    } else {
        CHECK(0, "sensitivity: %s", err);
    }
    free(r);
    scenario_free(&s);
}

int main(void)
{
    double t99 = special_t_quantile(0.995, SENSITIVITY_BATCHES - 1);
    CHECK(fabs(t99 - 2.6561) < 1e-3, "t(0.995, 63) = %.5f, tables give 2.6561", t99);
    CHECK(fabs(special_t_quantile(0.975, 10) - 2.2281) < 1e-3, "t(0.975, 10)");
    test_ishigami(t99);
    test_gfunction(t99);
    test_lognormal_product(t99);
    test_large_and_constant_outputs(t99);
    test_src_deep_tail();
    return check_done("test_sensitivity");
}
