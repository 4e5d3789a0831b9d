/* test_priors.c: every distribution and parameterisation of DESIGN.md section 2, built through
 * the scenario loader as a user would write it, sampled by inverse transform of the Philox
 * uniforms at n = 1e6. Checks: sample mean and variance within 5 standard errors of the
 * analytic values; Kolmogorov-Smirnov statistic below its 0.1% critical value 1.9495/sqrt(n);
 * percentile parameterisations give back their percentiles; choice frequencies within 5 SE.
 * Also the float normal quantile against the double reference, and the incomplete beta against
 * its closed form for integer parameters.
 * Beta and PERT (prior_build.h: a table over the normal score), for concentrated, skewed and
 * U-shaped shapes, PERT lambda 4 and 100: (1) deterministic: the sampler's own tail mass at the
 * exact 1e-5, 1e-6 and 1e-7 quantiles of each tail (found by bisection on the sampler's value
 * as a function of the tail mass, which the refined uniforms give continuously) is within 1 %
 * of it (0.1's table was off by orders of magnitude there); (2) 4e6 draws through the full
 * path (words, refined tails, table): sd within 3 standard errors of the analytic sd (SE from
 * the beta's kurtosis), and the draws beyond the exact 1e-5 and 1 - 1e-5 quantiles within 4
 * binomial sd of 40 each; (3) shapes above 1e6 (alpha, beta or PERT lambda) are refused. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/draw.h"
#include "check.h"
#include "scenario.h"
#include "special.h"
#include "status.h"

#define N 1000000
#define KS_CRITICAL_0_1_PERCENT 1.9495   /* sqrt(-ln(0.001 / 2) / 2) */

typedef double (*cdf_fn)(double x, const double *args);

static double *samples;

/* Load a training scenario whose "energy" prior is param_json; returns its prior. */
static int load_energy_prior(const char *param_json, scenario *s)
{
    char text[4096];
    snprintf(text, sizeof text,
             "{\"scenario\": \"t\", \"workload\": \"training\", \"params\": {"
             "\"energy\": %s, \"pue\": {\"dist\": \"fixed\", \"value\": 1}}}",
             param_json);
    char err[THIRST_ERR_LEN];
    int status = scenario_parse("test", text, s, err, sizeof err);
    CHECK(status == THIRST_OK, "%s: %s", param_json, err);
    return status;
}

/* Draw N values of prior p (uniform word p->word of draws 0..N-1, seed 7). */
static void sample(const prior_spec *p, const float *data)
{
    for (int i = 0; i < N; i++) {
        uint32_t words[DRAW_MAX_WORDS] = {0};
        draw_words(7, (uint64_t)i, p->word + 1, words);
        samples[i] = prior_value(p, data, draw_uniform(p, 7, (uint64_t)i, words[p->word]));
    }
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Mean/variance within 5 SE and KS below the 0.1% critical value. */
static void check_distribution(const char *name, double mean, double variance, cdf_fn cdf,
                               const double *args)
{
    double sum = 0;
    for (int i = 0; i < N; i++) sum += samples[i];
    double sample_mean = sum / N;
    double m2 = 0, m4 = 0;
    for (int i = 0; i < N; i++) {
        double d = samples[i] - sample_mean;
        m2 += d * d;
        m4 += d * d * d * d;
    }
    double sample_variance = m2 / (N - 1);
    m4 /= N;
    double se_mean = sqrt(variance / N);
    double se_variance = sqrt(fmax(m4 - variance * variance, 0) / N);
    CHECK(fabs(sample_mean - mean) <= 5 * se_mean, "%s: mean %.8g, expected %.8g (5 SE = %.3g)",
          name, sample_mean, mean, 5 * se_mean);
    CHECK(fabs(sample_variance - variance) <= 5 * se_variance,
          "%s: variance %.8g, expected %.8g (5 SE = %.3g)", name, sample_variance, variance,
          5 * se_variance);
    qsort(samples, N, sizeof *samples, compare_doubles);
    double d_max = 0;
    for (int i = 0; i < N; i++) {
        double f = cdf(samples[i], args);
        double above = (double)(i + 1) / N - f, below = f - (double)i / N;
        if (above > d_max) d_max = above;
        if (below > d_max) d_max = below;
    }
    double critical = KS_CRITICAL_0_1_PERCENT / sqrt((double)N);
    CHECK(d_max < critical, "%s: KS D = %.5f, 0.1%% critical value %.5f", name, d_max, critical);
}

/* ----------------------------------------------------------------- analytic CDFs */

static double cdf_uniform(double x, const double *a) { return fmin(1, fmax(0, (x - a[0]) / (a[1] - a[0]))); }
static double cdf_loguniform(double x, const double *a) { return fmin(1, fmax(0, log(x / a[0]) / log(a[1] / a[0]))); }
static double cdf_normal(double x, const double *a) { return special_normal_cdf((x - a[0]) / a[1]); }
static double cdf_lognormal(double x, const double *a) { return special_normal_cdf((log(x) - a[0]) / a[1]); }
static double cdf_truncated(double x, const double *a)
{
    double low = special_normal_cdf((a[2] - a[0]) / a[1]), high = special_normal_cdf((a[3] - a[0]) / a[1]);
    return fmin(1, fmax(0, (special_normal_cdf((x - a[0]) / a[1]) - low) / (high - low)));
}
static double cdf_triangular(double x, const double *a)
{
    double low = a[0], mode = a[1], high = a[2];
    if (x <= low) return 0;
    if (x >= high) return 1;
    if (x <= mode) return (x - low) * (x - low) / ((high - low) * (mode - low));
    return 1 - (high - x) * (high - x) / ((high - low) * (high - mode));
}

/* Beta(a, b) CDF on [low, high] for integer a, b: I_x(a, b) = P(Binomial(a+b-1, x) >= a). */
static double cdf_beta_integer(double x, const double *p)
{
    int a = (int)p[0], b = (int)p[1];
    double t = (x - p[2]) / (p[3] - p[2]);
    if (t <= 0) return 0;
    if (t >= 1) return 1;
    int n = a + b - 1;
    double total = 0, binomial = 1;
    for (int j = 0; j <= n; j++) {
        if (j) binomial = binomial * (n - j + 1) / j;
        if (j >= a) total += binomial * pow(t, j) * pow(1 - t, n - j);
    }
    return total;
}

/* ----------------------------------------------------------------- tests */

static void test_continuous(void)
{
    scenario s;
    double args[4];

    if (!load_energy_prior("{\"dist\": \"uniform\", \"low\": 2, \"high\": 5, \"basis\": \"it\"}", &s)) {
        sample(&s.params[0].prior, s.prior_data);
        args[0] = 2; args[1] = 5;
        check_distribution("uniform(2, 5)", 3.5, 9.0 / 12, cdf_uniform, args);
    }
    scenario_free(&s);

    if (!load_energy_prior("{\"dist\": \"loguniform\", \"low\": 1, \"high\": 100, \"basis\": \"it\"}", &s)) {
        sample(&s.params[0].prior, s.prior_data);
        double L = log(100.0), mean = 99 / L, second = (10000.0 - 1) / (2 * L);
        args[0] = 1; args[1] = 100;
        check_distribution("loguniform(1, 100)", mean, second - mean * mean, cdf_loguniform, args);
    }
    scenario_free(&s);

    /* An untruncated normal cannot be a scenario input (every input is >= 0), so this one is
     * built directly in canonical form; the parameterisations are checked through the loader
     * below with far-away truncation. */
    prior_spec normal = {0};
    normal.dist = PRIOR_NORMAL;
    normal.a = 3;
    normal.b = 2;
    sample(&normal, NULL);
    args[0] = 3; args[1] = 2;
    check_distribution("normal(3, 2)", 3, 4, cdf_normal, args);

    if (!load_energy_prior("{\"dist\": \"normal\", \"mean\": 1, \"sd\": 1, \"low\": 0, \"high\": 2.5, \"basis\": \"it\"}", &s)) {
        sample(&s.params[0].prior, s.prior_data);
        double alpha = -1, beta = 1.5;
        double phi_a = exp(-0.5 * alpha * alpha) / sqrt(2 * M_PI);
        double phi_b = exp(-0.5 * beta * beta) / sqrt(2 * M_PI);
        double Z = special_normal_cdf(beta) - special_normal_cdf(alpha);
        double mean = 1 + (phi_a - phi_b) / Z;
        double variance = 1 + (alpha * phi_a - beta * phi_b) / Z - pow((phi_a - phi_b) / Z, 2);
        args[0] = 1; args[1] = 1; args[2] = 0; args[3] = 2.5;
        check_distribution("normal(1, 1) truncated to [0, 2.5]", mean, variance, cdf_truncated, args);
    }
    scenario_free(&s);

    /* Truncation in the upper tail is sampled as its mirror image. */
    if (!load_energy_prior("{\"dist\": \"normal\", \"mean\": 1, \"sd\": 1, \"low\": 2, \"basis\": \"it\"}", &s)) {
        sample(&s.params[0].prior, s.prior_data);
        double alpha = 1;
        double phi_a = exp(-0.5) / sqrt(2 * M_PI), Z = 1 - special_normal_cdf(alpha);
        double lambda = phi_a / Z;
        args[0] = 1; args[1] = 1; args[2] = 2; args[3] = INFINITY;
        check_distribution("normal(1, 1) truncated to [2, inf)", 1 + lambda,
                           1 + alpha * lambda - lambda * lambda, cdf_truncated, args);
    }
    scenario_free(&s);

    if (!load_energy_prior("{\"dist\": \"lognormal\", \"median\": 2, \"gsd\": 1.5, \"basis\": \"it\"}", &s)) {
        sample(&s.params[0].prior, s.prior_data);
        double mu = log(2.0), sigma = log(1.5);
        args[0] = mu; args[1] = sigma;
        check_distribution("lognormal(median 2, gsd 1.5)", exp(mu + sigma * sigma / 2),
                           (exp(sigma * sigma) - 1) * exp(2 * mu + sigma * sigma), cdf_lognormal, args);
    }
    scenario_free(&s);

    if (!load_energy_prior("{\"dist\": \"lognormal\", \"mean\": 10, \"sd\": 5, \"basis\": \"it\"}", &s)) {
        sample(&s.params[0].prior, s.prior_data);
        double sigma2 = log(1.25), mu = log(10.0) - sigma2 / 2;
        args[0] = mu; args[1] = sqrt(sigma2);
        check_distribution("lognormal(mean 10, sd 5)", 10, 25, cdf_lognormal, args);
    }
    scenario_free(&s);

    if (!load_energy_prior("{\"dist\": \"triangular\", \"low\": 1, \"mode\": 2, \"high\": 5, \"basis\": \"it\"}", &s)) {
        sample(&s.params[0].prior, s.prior_data);
        args[0] = 1; args[1] = 2; args[2] = 5;
        check_distribution("triangular(1, 2, 5)", 8.0 / 3, (1 + 4 + 25 - 2 - 5 - 10) / 18.0,
                           cdf_triangular, args);
    }
    scenario_free(&s);

    /* PERT(0, 0.25, 1), lambda 4 = Beta(2, 4) on [0, 1]: mean (low + 4 mode + high) / 6. */
    if (!load_energy_prior("{\"dist\": \"pert\", \"low\": 0.001, \"mode\": 0.25075, \"high\": 1.0, \"basis\": \"it\"}", &s)) {
        sample(&s.params[0].prior, s.prior_data);
        double low = 0.001, high = 1.0, w = high - low;
        args[0] = 2; args[1] = 4; args[2] = low; args[3] = high;
        check_distribution("pert(0.001, 0.25075, 1) = beta(2, 4)", low + w * 2.0 / 6,
                           w * w * 8.0 / (36 * 7), cdf_beta_integer, args);
    }
    scenario_free(&s);

    /* PERT with lambda 2 and a central mode: Beta(2, 2). */
    if (!load_energy_prior("{\"dist\": \"pert\", \"low\": 10, \"mode\": 15, \"high\": 20, \"lambda\": 2, \"basis\": \"it\"}", &s)) {
        sample(&s.params[0].prior, s.prior_data);
        args[0] = 2; args[1] = 2; args[2] = 10; args[3] = 20;
        check_distribution("pert(10, 15, 20, lambda 2) = beta(2, 2)", 15, 100 * 4.0 / (16 * 5),
                           cdf_beta_integer, args);
    }
    scenario_free(&s);

    if (!load_energy_prior("{\"dist\": \"beta\", \"alpha\": 2, \"beta\": 5, \"low\": 1, \"high\": 11, \"basis\": \"it\"}", &s)) {
        sample(&s.params[0].prior, s.prior_data);
        args[0] = 2; args[1] = 5; args[2] = 1; args[3] = 11;
        check_distribution("beta(2, 5) on [1, 11]", 1 + 10 * 2.0 / 7, 100 * 10.0 / (49 * 8),
                           cdf_beta_integer, args);
    }
    scenario_free(&s);
}

/* Percentile parameterisations give back their percentiles (quantile function, and the
 * fraction of draws below each within 5 SE). */
static void test_percentiles(void)
{
    static const struct {
        const char *json;
        double level[2], value[2];
    } cases[] = {
        {"{\"dist\": \"lognormal\", \"p5\": 0.2, \"p95\": 1.6, \"basis\": \"it\"}", {0.05, 0.95}, {0.2, 1.6}},
        {"{\"dist\": \"lognormal\", \"p10\": 3, \"p97.5\": 40, \"basis\": \"it\"}", {0.10, 0.975}, {3, 40}},
        {"{\"dist\": \"normal\", \"p5\": 80, \"p95\": 120, \"low\": 0, \"basis\": \"it\"}", {0.05, 0.95}, {80, 120}},
        {"{\"dist\": \"normal\", \"p2.5\": 50, \"p50\": 60, \"low\": 0, \"basis\": \"it\"}", {0.025, 0.5}, {50, 60}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        scenario s;
        if (load_energy_prior(cases[c].json, &s)) continue;
        const prior_spec *p = &s.params[0].prior;
        sample(p, s.prior_data);
        for (int k = 0; k < 2; k++) {
            double x = prior_value(p, s.prior_data, prior_at_probability((float)cases[c].level[k]));
            CHECK(fabs(x - cases[c].value[k]) <= 2e-6 * cases[c].value[k],
                  "%s: quantile at %g is %.9g, expected %g", cases[c].json, cases[c].level[k], x,
                  cases[c].value[k]);
            int below = 0;
            for (int i = 0; i < N; i++) below += samples[i] < cases[c].value[k];
            double fraction = (double)below / N, level = cases[c].level[k];
            double se = sqrt(level * (1 - level) / N);
            CHECK(fabs(fraction - level) <= 5 * se, "%s: %.5f of draws below %g, expected %g",
                  cases[c].json, fraction, cases[c].value[k], level);
        }
        scenario_free(&s);
    }
}

/* Choice: scalar options and a group of parameters, frequencies within 5 SE of the weights. */
static void test_choice(void)
{
    const char *text =
        "{\"scenario\": \"t\", \"workload\": \"training\", \"params\": {"
        "\"energy\": {\"dist\": \"choice\", \"basis\": \"it\", \"options\": ["
        "  {\"value\": 1, \"weight\": 1}, {\"value\": 2, \"weight\": 2}, {\"value\": 3, \"weight\": 7}]},"
        "\"site\": {\"dist\": \"choice\", \"options\": ["
        "  {\"name\": \"A\", \"weight\": 3, \"values\": {\"pue\": 1.1, \"ewif\": 2}},"
        "  {\"name\": \"B\", \"weight\": 0, \"values\": {\"pue\": 1.2, \"ewif\": 3}},"
        "  {\"name\": \"C\", \"weight\": 1, \"values\": {\"pue\": 1.3, \"ewif\": 4}}]}}}";
    scenario s;
    char err[THIRST_ERR_LEN];
    int status = scenario_parse("choice", text, &s, err, sizeof err);
    CHECK(status == THIRST_OK, "choice scenario: %s", err);
    if (status) return;
    static const double energy_weights[3] = {0.1, 0.2, 0.7}, site_weights[3] = {0.75, 0, 0.25};
    static const double pue_of[3] = {1.1, 1.2, 1.3}, ewif_of[3] = {2, 3, 4};
    int energy_count[3] = {0}, site_count[3] = {0}, mismatched = 0;
    static draw_plan plan;   /* the two priors alone, independent */
    memset(&plan, 0, sizeof plan);
    plan.seed = 11;
    plan.prior_count = 2;
    plan.priors[0] = s.params[0].prior;
    plan.priors[1] = s.params[1].prior;
    plan.input_slot_count = MODEL_SLOT_COUNT;
    memcpy(plan.fixed_inputs, s.fixed_inputs, sizeof plan.fixed_inputs);
    for (int i = 0; i < N; i++) {
        uint32_t words[DRAW_MAX_WORDS];
        float inputs[DRAW_INPUT_SLOTS];
        draw_words(11, (uint64_t)i, s.word_count, words);
        draw_inputs(&plan, s.prior_data, (uint64_t)i, words, inputs, 1);
        energy_count[(int)inputs[SLOT_ENERGY] - 1]++;
        int site = -1;
        for (int k = 0; k < 3; k++)
            if (inputs[SLOT_PUE] == (float)pue_of[k]) site = k;
        if (site < 0 || inputs[SLOT_EWIF] != (float)ewif_of[site]) mismatched++;
        else site_count[site]++;
    }
    CHECK(mismatched == 0, "%d draws mixed values of different options", mismatched);
    for (int k = 0; k < 3; k++) {
        double se = sqrt(energy_weights[k] * (1 - energy_weights[k]) / N);
        CHECK(fabs((double)energy_count[k] / N - energy_weights[k]) <= 5 * se + 1e-12,
              "scalar option %d: frequency %.5f, weight %.3f", k, (double)energy_count[k] / N,
              energy_weights[k]);
        se = sqrt(site_weights[k] * (1 - site_weights[k]) / N);
        CHECK(fabs((double)site_count[k] / N - site_weights[k]) <= 5 * se + 1e-12,
              "site option %d: frequency %.5f, weight %.3f", k, (double)site_count[k] / N,
              site_weights[k]);
    }
    /* Point evaluation of a group without "point": the option at the median of the weights. */
    float inputs[DRAW_INPUT_SLOTS];
    scenario_point_inputs(&s, inputs);
    CHECK(inputs[SLOT_PUE] == 1.1f && inputs[SLOT_EWIF] == 2.0f && inputs[SLOT_ENERGY] == 3.0f,
          "point inputs: pue %g ewif %g energy %g", inputs[SLOT_PUE], inputs[SLOT_EWIF],
          inputs[SLOT_ENERGY]);
    scenario_free(&s);
}

/* The float normal quantile against the double reference on the whole uniform grid's range. */
static void test_normal_quantile(void)
{
    double worst = 0, worst_u = 0;
    for (uint32_t k = 0; k < (1u << 23); k += 37) {
        float u = philox_uniform(k << 9);
        double reference = special_normal_quantile((double)u);
        double error = fabs((double)prior_normal_quantile(u) - reference) / fmax(1, fabs(reference));
        if (error > worst) {
            worst = error;
            worst_u = u;
        }
    }
    float extremes[2] = {0x1p-24f, 1 - 0x1p-24f};
    for (int k = 0; k < 2; k++) {
        double reference = special_normal_quantile((double)extremes[k]);
        double error = fabs((double)prior_normal_quantile(extremes[k]) - reference) / fabs(reference);
        if (error > worst) {
            worst = error;
            worst_u = extremes[k];
        }
    }
    CHECK(worst < 1e-6, "normal quantile: worst error %.3g at u = %.9g", worst, worst_u);
    /* The form on u (CPU batch loops) and the form on the tail mass (every other caller) give
     * the same bits at every one of the 2^23 unrefined uniforms. */
    int differ = 0;
    for (uint32_t k = 0; k < (1u << 23); k++) {
        float u = philox_uniform(k << 9);
        int upper;
        float tail = philox_tail_of_cell(philox_tail_cell(k << 9, &upper));
        float a = prior_normal_quantile(u), b = prior_normal_quantile_tail(tail, upper);
        differ += memcmp(&a, &b, sizeof a) != 0;
    }
    CHECK(differ == 0, "normal quantile: %d of 2^23 uniforms differ between the u and tail forms",
          differ);
    /* The refined tails: tail masses from 2^-93 to 2^-24, both sides (Acklam's branch). */
    worst = 0;
    for (int k = 0; k <= 6900; k++) {
        double t = ldexp(1.0, -93) * pow(2.0, k / 100.0);
        float tail = (float)t;
        double reference = special_normal_quantile((double)tail);
        for (int upper = 0; upper < 2; upper++) {
            double z = (double)prior_normal_quantile_tail(tail, upper);
            double error = fabs(z - (upper ? -reference : reference)) / fabs(reference);
            if (error > worst) {
                worst = error;
                worst_u = tail;
            }
        }
    }
    CHECK(worst < 1e-6, "normal quantile in the refined tails: worst relative error %.3g at "
          "tail mass %.3g", worst, worst_u);
    CHECK(fabs(special_normal_quantile(0.975) - 1.959963984540054) < 1e-14,
          "Phi^-1(0.975) = %.17g", special_normal_quantile(0.975));
}

/* The incomplete beta against its closed form for integer parameters. */
static void test_incomplete_beta(void)
{
    static const double shapes[][2] = {{1, 1}, {2, 5}, {3, 3}, {7, 2}, {10, 12}};
    double worst = 0;
    for (int k = 0; k < 5; k++)
        for (double x = 0.01; x < 1; x += 0.01) {
            double args[4] = {shapes[k][0], shapes[k][1], 0, 1};
            double error = fabs(special_incomplete_beta(x, shapes[k][0], shapes[k][1]) -
                                cdf_beta_integer(x, args));
            if (error > worst) worst = error;
        }
    CHECK(worst < 1e-12, "incomplete beta: worst absolute error %.3g", worst);
    double q = special_beta_quantile(0.3, 2, 5);
    CHECK(fabs(special_incomplete_beta(q, 2, 5) - 0.3) < 1e-13, "beta quantile inverts the CDF");
}

/* Mean and second moment of lognormal prior p as the sampler draws it: the 2^23 - 512 unrefined
 * cells of the uniform summed exactly (each 2^-23 of the mass), the refined tails (tail mass
 * below 256 2^-23 on each side, philox_tail) integrated over ln t with the sampler's own value
 * function (their cells are at most 2^-8 of t wide, so this is the sampler to 1e-6), and the
 * mass below the smallest tail PHILOX_TAIL_SMALLEST at its value. refined = 0 does the same for
 * 0.1's uniforms: every cell unrefined, |z| <= 5.3. */
static void sampled_moments(const prior_spec *p, int refined, double *mean, double *second)
{
    double m1 = 0, m2 = 0;
    uint32_t first_cell = refined ? PHILOX_TAIL_CELLS : 0;
    for (int upper = 0; upper < 2; upper++)
        for (uint32_t c = first_cell; c < 0x400000u; c++) {
            double x = prior_lognormal_value(p, NULL, (prior_uniform){0.5f, philox_tail_of_cell(c), upper});
            m1 += x;
            m2 += x * x;
        }
    m1 *= 0x1p-23;
    m2 *= 0x1p-23;
    if (refined) {
        const int steps = 200000;
        double low = log(PHILOX_TAIL_SMALLEST), high = log(PHILOX_TAIL_CELLS * 0x1p-23);
        double h = (high - low) / steps;
        for (int upper = 0; upper < 2; upper++) {
            for (int k = 0; k < steps; k++) {
                double t = exp(low + (k + 0.5) * h);
                double x = prior_lognormal_value(p, NULL, (prior_uniform){0.5f, (float)t, upper});
                m1 += x * t * h;
                m2 += x * x * t * h;
            }
            double x = prior_lognormal_value(p, NULL, (prior_uniform){0.5f, (float)PHILOX_TAIL_SMALLEST, upper});
            m1 += x * PHILOX_TAIL_SMALLEST;
            m2 += x * x * PHILOX_TAIL_SMALLEST;
        }
    }
    *mean = m1;
    *second = m2;
}

/* Lognormal tails: the mean and sd that the sampler draws (sampled_moments: exact, not a
 * sample) are within 0.5 % of the analytic values up to sigma = 3 (gsd 20), including the prior
 * "mean 1, sd 30" (sigma 2.6) whose sd 0.1 sampled as 22.9. With 0.1's uniforms the same
 * computation is more than 5 % off at sigma 2.6 and 3, so the check can fail. */
static void test_lognormal_tails(void)
{
    const double sigmas[] = {1, 2, sqrt(log(901.0)), 3};
    for (int k = 0; k < 4; k++) {
        prior_spec p;
        memset(&p, 0, sizeof p);
        p.dist = PRIOR_LOGNORMAL;
        p.a = 0;
        p.b = (float)sigmas[k];
        double sigma = (double)p.b;
        double mean = exp(sigma * sigma / 2), sd = sqrt(expm1(sigma * sigma)) * mean;
        for (int refined = 1; refined >= 0; refined--) {
            double m1, m2;
            sampled_moments(&p, refined, &m1, &m2);
            double mean_error = m1 / mean - 1, sd_error = sqrt(m2 - m1 * m1) / sd - 1;
            printf("lognormal sigma %.3f, %s uniforms: mean %+.4f %%, sd %+.4f %%\n", sigma,
                   refined ? "refined" : "0.1's", 100 * mean_error, 100 * sd_error);
            if (refined)
                CHECK(fabs(mean_error) <= 0.005 && fabs(sd_error) <= 0.005,
                      "lognormal sigma %.3f: sampled mean %+.3g, sd %+.3g relative to analytic",
                      sigma, mean_error, sd_error);
            else if (sigma > 2.5)
                CHECK(fabs(sd_error) > 0.05, "lognormal sigma %.3f: 0.1's uniforms give sd %+.3g: "
                      "this test could not tell them apart", sigma, sd_error);
        }
    }
}

/* The sampler's value of table prior p at tail mass t on one side (what draw_uniform feeds it). */
static double table_at_tail(const prior_spec *p, const float *data, double t, int upper)
{
    return (double)prior_table_at_score(p, data, prior_normal_quantile_tail((float)t, upper));
}

/* The tail mass the sampler puts beyond x on one side: the largest t whose value is still
 * beyond x (bisection in ln t; the value is monotone in t). */
static double sampled_tail_beyond(const prior_spec *p, const float *data, double x, int upper)
{
    double low = log(PHILOX_TAIL_SMALLEST), high = log(0.5);
    for (int k = 0; k < 100; k++) {
        double middle = 0.5 * (low + high);
        double v = table_at_tail(p, data, exp(middle), upper);
        int beyond = upper ? v > x : v < x;
        if (beyond) low = middle; else high = middle;
    }
    return exp(low);
}

static void test_beta_tables(void)
{
    static const struct {
        const char *json;
        double alpha, beta, low, high;
    } cases[] = {
        {"{\"dist\": \"beta\", \"alpha\": 50, \"beta\": 200, \"basis\": \"it\"}", 50, 200, 0, 1},
        {"{\"dist\": \"beta\", \"alpha\": 1000, \"beta\": 1000, \"basis\": \"it\"}", 1000, 1000, 0, 1},
        {"{\"dist\": \"beta\", \"alpha\": 2, \"beta\": 5, \"low\": 1, \"high\": 11, \"basis\": \"it\"}", 2, 5, 1, 11},
        {"{\"dist\": \"beta\", \"alpha\": 0.5, \"beta\": 0.5, \"basis\": \"it\"}", 0.5, 0.5, 0, 1},
        {"{\"dist\": \"beta\", \"alpha\": 0.3, \"beta\": 3, \"basis\": \"it\"}", 0.3, 3, 0, 1},
        {"{\"dist\": \"pert\", \"low\": 100, \"mode\": 150, \"high\": 400, \"basis\": \"it\"}",
         1 + 4 * 50.0 / 300, 1 + 4 * 250.0 / 300, 100, 400},
        {"{\"dist\": \"pert\", \"low\": 100, \"mode\": 150, \"high\": 400, \"lambda\": 100, \"basis\": \"it\"}",
         1 + 100 * 50.0 / 300, 1 + 100 * 250.0 / 300, 100, 400},
    };
    const uint64_t draws = 4000000;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        scenario s;
        if (load_energy_prior(cases[c].json, &s)) continue;
        const prior_spec *p = &s.params[0].prior;
        double a = cases[c].alpha, b = cases[c].beta, width = cases[c].high - cases[c].low;
        /* (1) the sampler's tail masses at exact quantiles */
        const double tails[3] = {1e-5, 1e-6, 1e-7};
        for (int k = 0; k < 3; k++)
            for (int upper = 0; upper < 2; upper++) {
                double q = upper ? 1 - special_beta_quantile(tails[k], b, a)
                                 : special_beta_quantile(tails[k], a, b);
                double x = cases[c].low + width * q;
                if ((double)(float)x == (double)p->low || (double)(float)x == (double)p->high)
                    continue;   /* a quantile float cannot tell from the bound */
                double sampled = sampled_tail_beyond(p, s.prior_data, x, upper);
                CHECK(fabs(sampled / tails[k] - 1) <= 0.01,
                      "%s: the sampler puts %.4g beyond the exact %s %g quantile %.9g",
                      cases[c].json, sampled, upper ? "upper" : "lower", tails[k], x);
            }
        /* (2) draws through the whole path */
        double sum = 0, squares = 0, mean_exact = cases[c].low + width * a / (a + b);
        uint64_t beyond_low = 0, beyond_high = 0;
        double q_low = cases[c].low + width * special_beta_quantile(1e-5, a, b);
        double q_high = cases[c].low + width * (1 - special_beta_quantile(1e-5, b, a));
        for (uint64_t i = 0; i < draws; i++) {
            uint32_t words[DRAW_MAX_WORDS];
            draw_words(17, i, 1, words);
            double x = prior_value(p, s.prior_data, draw_uniform(p, 17, i, words[0]));
            sum += x - mean_exact;
            squares += (x - mean_exact) * (x - mean_exact);
            beyond_low += x < q_low;
            beyond_high += x > q_high;
        }
        double n = (double)draws, m = sum / n;
        double sd = sqrt((squares - n * m * m) / (n - 1));
        double variance = a * b / ((a + b) * (a + b) * (a + b + 1));
        double sd_exact = width * sqrt(variance);
        double excess = 6 * ((a - b) * (a - b) * (a + b + 1) - a * b * (a + b + 2)) /
                        (a * b * (a + b + 2) * (a + b + 3));
        double se_sd = sd_exact * sqrt((excess + 2) / (4 * n));
        CHECK(fabs(sd - sd_exact) <= 3 * se_sd, "%s: sd %.8g, analytic %.8g (3 SE = %.3g)",
              cases[c].json, sd, sd_exact, 3 * se_sd);
        /* A quantile that rounds to the bound in float cannot be told apart from it. */
        if ((float)q_low == p->low) beyond_low = (uint64_t)(n * 1e-5);
        if ((float)q_high == p->high) beyond_high = (uint64_t)(n * 1e-5);
        double expected = n * 1e-5, limit = 4 * sqrt(expected * (1 - 1e-5));
        CHECK(fabs((double)beyond_low - expected) <= limit &&
                  fabs((double)beyond_high - expected) <= limit,
              "%s: %llu and %llu draws beyond the exact 1e-5 quantiles, expected %.0f +- %.0f",
              cases[c].json, (unsigned long long)beyond_low, (unsigned long long)beyond_high,
              expected, limit);
        scenario_free(&s);
    }
    /* (3) shapes beyond the method */
    scenario s;
    char err[THIRST_ERR_LEN];
    const char *huge[] = {
        "{\"scenario\": \"t\", \"workload\": \"training\", \"params\": {\"energy\": {\"dist\": "
        "\"beta\", \"alpha\": 1e200, \"beta\": 1e200, \"basis\": \"it\"}, \"pue\": {\"dist\": "
        "\"fixed\", \"value\": 1}}}",
        "{\"scenario\": \"t\", \"workload\": \"training\", \"params\": {\"energy\": {\"dist\": "
        "\"pert\", \"low\": 0, \"mode\": 0.5, \"high\": 1, \"lambda\": 1e300, \"basis\": \"it\"}, "
        "\"pue\": {\"dist\": \"fixed\", \"value\": 1}}}"};
    for (int k = 0; k < 2; k++) {
        int status = scenario_parse("huge", huge[k], &s, err, sizeof err);
        CHECK(status == THIRST_ERR_INPUT && strstr(err, k ? "lambda" : "alpha"),
              "shape case %d: status %d, message '%s'", k, status, err);
        scenario_free(&s);
    }
}

int main(void)
{
    samples = malloc(N * sizeof *samples);
    if (!samples) return 1;
    test_beta_tables();
    test_lognormal_tails();
    test_normal_quantile();
    test_incomplete_beta();
    test_continuous();
    test_percentiles();
    test_choice();
    free(samples);
    return check_done("test_priors");
}
