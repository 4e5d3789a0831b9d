/* test_statistics.c: the Monte Carlo error statements thirst makes are honest.
 * - Coverage: 1,000 independent runs (seeds 1..1000) of 2,000 draws of a product of three
 *   lognormals (GSD 1.2, 1.3, 1.5; closed-form median exp(sum mu) and mean exp(sum mu +
 *   sum sigma^2 / 2)). The share of runs whose 95 % interval for the median and for the mean
 *   covers the true value must lie in [93 %, 97 %] (the binomial interval of 1,000 runs at 95 %
 *   is +-1.4 %).
 * - Adaptive runs: --rel-error 0.002 on the GPT-3 scenario stops by itself below the target, and
 *   its estimates hold against an independent run 10 times longer: at least 90 % of them within
 *   the target of the long run's, and all within twice the target. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "runner.h"
#include "scenario.h"
#include "status.h"

#define RUNS 1000

static void test_coverage(void)
{
    const char *text =
        "{\"scenario\": \"product\", \"workload\": \"training\", \"params\": {"
        "\"accelerators\": {\"dist\": \"lognormal\", \"median\": 1000, \"gsd\": 1.2},"
        "\"hours\": {\"dist\": \"lognormal\", \"median\": 300, \"gsd\": 1.3},"
        "\"accelerator_kw\": {\"dist\": \"lognormal\", \"median\": 0.4, \"gsd\": 1.5},"
        "\"pue\": {\"dist\": \"fixed\", \"value\": 1}},"
        "\"report\": {\"quantiles\": [0.5]}}";
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_parse("product", text, &s, err, sizeof err)) {
        CHECK(0, "parse: %s", err);
        return;
    }
    double sigma2 = pow(log(1.2), 2) + pow(log(1.3), 2) + pow(log(1.5), 2);
    double median = 1000 * 300 * 0.4, mean = median * exp(sigma2 / 2);
    int median_covered = 0, mean_covered = 0;
    for (int run = 1; run <= RUNS; run++) {
        runner_options options = {.draws = 2000, .seed = (uint64_t)run, .engine = {.threads = 1}};
        runner_result result;
        if (runner_run(&s, &options, &result, err, sizeof err)) {
            CHECK(0, "run %d: %s", run, err);
            runner_free(&result);
            break;
        }
        const stats_output *st = &result.stats[0];   /* it_energy_kwh */
        median_covered += st->quantile_ci_low[0] <= median && median <= st->quantile_ci_high[0];
        mean_covered += st->mean_ci_low <= mean && mean <= st->mean_ci_high;
        runner_free(&result);
    }
    double median_share = (double)median_covered / RUNS, mean_share = (double)mean_covered / RUNS;
    printf("coverage of nominal 95%% intervals over %d runs: median %.1f%%, mean %.1f%%\n", RUNS,
           100 * median_share, 100 * mean_share);
    CHECK(median_share >= 0.93 && median_share <= 0.97, "median interval coverage %.3f", median_share);
    CHECK(mean_share >= 0.93 && mean_share <= 0.97, "mean interval coverage %.3f", mean_share);
    scenario_free(&s);
}

/* Relative difference of a from b. */
static double relative(double a, double b) { return fabs(a - b) / fabs(b); }

static void test_adaptive_precision(void)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load("priors/gpt3-training-us.json", &s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    const double target = 0.002;
    runner_options adaptive = {.seed = 41, .engine = {.threads = 2}, .rel_error = target,
                               .max_draws = 1000000000};
    runner_result a, b;
    if (runner_run(&s, &adaptive, &a, err, sizeof err)) {
        CHECK(0, "adaptive run: %s", err);
        return;
    }
    CHECK(a.converged && a.worst_relative_error <= target,
          "adaptive run did not meet %g: worst %g after %llu draws", target,
          a.worst_relative_error, (unsigned long long)a.plan.draws);
    runner_options longer = {.draws = 10 * a.plan.draws, .seed = 4242, .engine = {.threads = 2}};
    if (runner_run(&s, &longer, &b, err, sizeof err)) {
        CHECK(0, "long run: %s", err);
        return;
    }
    int estimates = 0, within = 0, within_twice = 0;
    for (int o = 0; o < a.plan.output_count; o++) {
        double short_values[SCENARIO_MAX_QUANTILES + 1], long_values[SCENARIO_MAX_QUANTILES + 1];
        int count = 0;
        short_values[count] = a.stats[o].mean;
        long_values[count++] = b.stats[o].mean;
        for (int k = 0; k < a.stats[o].quantile_count; k++) {
            short_values[count] = a.stats[o].quantile[k];
            long_values[count++] = b.stats[o].quantile[k];
        }
        for (int k = 0; k < count; k++) {
            double error = relative(short_values[k], long_values[k]);
            estimates++;
            within += error <= target;
            within_twice += error <= 2 * target;
        }
    }
    printf("adaptive run: %llu draws, %d rounds; %d of %d estimates within %g of a run 10x "
           "longer\n", (unsigned long long)a.plan.draws, a.rounds, within, estimates, target);
    CHECK(within >= 0.9 * estimates, "only %d of %d estimates within the target", within, estimates);
    CHECK(within_twice == estimates, "%d of %d estimates beyond twice the target",
          estimates - within_twice, estimates);
    runner_free(&a);
    runner_free(&b);
    scenario_free(&s);
}

int main(void)
{
    test_coverage();
    test_adaptive_precision();
    return check_done("test_statistics");
}
