/* test_engine.c: the engine and the CPU backend.
 * - Every merged statistic is bit-identical for 1, 2 and 3 threads (units merge in order).
 * - A product of independent lognormals (closed form): mean within 5 standard errors, median
 *   within 5 standard errors of the sample median plus the histogram's stated resolution; the
 *   sd equals a two-pass double-precision sd of the same draws (engine_eval_draw) to 1e-9. (Not
 *   the analytic sd: with sigma = 1.36 the sample sd of 4e6 draws is a heavy-tailed statistic;
 *   the draw at z = 5.69 of seed 5 alone holds 16 % of the sum of squares.)
 * - Histogram quantiles agree with exact type-7 order statistics of the same draws to within
 *   the reported quantile_resolution (relative bin width).
 * - n equals the requested draws when it is not a multiple of the work unit.
 * - The CPU's vectorised batch loop (engine_eval_batch) gives the bits of the one per-draw
 *   worker (draw_eval through engine_eval_draw) for every reported output of every scenario in
 *   priors/ and priors/benchmarks/ (the correlated one included) and the formula scenarios of
 *   tests/formulas/, over 65,536 draws (about 4 per word reach a refined tail
 *   cell, the path the batch redoes draw by draw) and a short batch.
 * - Deferred window-counter increments (pending_counts) give the counts of direct increments,
 *   applied straight (few) and sorted by region (many, and past the buffer's capacity).
 * - The CPU's vectorised Sobol batches (engine_sobol_batch) give the bits of sobol_draw's terms
 *   summed one base draw at a time, for the same scenarios (16,384 base draws and a short
 *   batch). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "batch_bits.h"
#include "check.h"
#include "run_pair.h"
#include "backend.h"
#include "engine.h"
#include "pending_counts.h"
#include "quantile.h"
#include "../kernels/sobol.h"
#include "runner.h"
#include "scenario.h"
#include "stats.h"
#include "status.h"

/* Run s for draws on threads; fills plan and totals (caller frees totals). */
static int run(const scenario *s, uint64_t draws, uint64_t seed, int threads, draw_plan *plan,
               run_state *totals)
{
    char err[THIRST_ERR_LEN];
    backend_options options = {.threads = threads};
    (void)draws;
    (void)seed;
    int status = engine_plan_make(s, draws, seed, ENGINE_MANTISSA_BITS, plan, err, sizeof err);
    if (!status) status = run_state_alloc(totals, plan->output_count, plan->hist_total, err, sizeof err);
    if (!status)
        status = backend_cpu()->run(&(backend_job){.plan = plan, .data = s->prior_data,
                                                    .options = &options},
                                    NULL, totals, err, sizeof err);
    CHECK(status == THIRST_OK, "run: %s", err);
    return status;
}

static void test_thread_independence(void)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load("priors/gpt3-training-us.json", &s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    const uint64_t draws = 2000003;   /* 31 units, the last one partial */
    draw_plan plans[3];
    run_state totals[3];
    int threads[3] = {1, 2, 3};
    for (int k = 0; k < 3; k++)
        if (run(&s, draws, 99, threads[k], &plans[k], &totals[k])) return;
    for (int k = 1; k < 3; k++) {
        int same_moments = memcmp(totals[0].moments, totals[k].moments,
                                  sizeof totals[0].moments) == 0;
        int same_hist = memcmp(totals[0].hist, totals[k].hist,
                               (size_t)plans[0].hist_total * sizeof *totals[0].hist) == 0;
        CHECK(same_moments, "moments differ between 1 and %d threads", threads[k]);
        CHECK(same_hist, "histograms differ between 1 and %d threads", threads[k]);
    }
    for (int o = 0; o < plans[0].output_count; o++)
        CHECK(totals[0].moments[o].n == draws, "output %d: n = %llu, expected %llu", o,
              (unsigned long long)totals[0].moments[o].n, (unsigned long long)draws);
    for (int k = 0; k < 3; k++) run_state_free(&totals[k]);
    scenario_free(&s);
}

static void test_lognormal_product(void)
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
        CHECK(0, "parse: %s", err);
        return;
    }
    const uint64_t draws = 4000000;
    draw_plan plan;
    run_state totals;
    if (run(&s, draws, 5, 2, &plan, &totals)) return;
    double sigma2 = pow(log(1.5), 2) + pow(log(2.0), 2) + pow(log(3.0), 2);
    double median = 1000 * 300 * 0.4, mean = median * exp(sigma2 / 2);
    stats_output st;
    stats_compute(&plan, &totals, NULL, 0, &s, &st);   /* output 0 = it_energy_kwh */
    CHECK(fabs(st.mean - mean) <= 5 * st.sem, "mean %.6g, analytic %.6g (5 SE = %.3g)", st.mean,
          mean, 5 * st.sem);
    double sum = 0, squares = 0;
    for (int pass = 0; pass < 2; pass++)
        for (uint64_t i = 0; i < draws; i++) {
            float inputs[DRAW_INPUT_SLOTS], outputs[DRAW_OUTPUTS];
            engine_eval_draw(&plan, s.prior_data, i, NULL, inputs, outputs);
            if (pass == 0) sum += outputs[0];
            else squares += pow(outputs[0] - sum / (double)draws, 2);
        }
    double sd = sqrt(squares / (double)(draws - 1));
    CHECK(fabs(st.sd - sd) <= 1e-9 * sd, "sd %.12g, two-pass reference %.12g", st.sd, sd);
    double density = 1 / (median * sqrt(2 * M_PI * sigma2));
    double se_median = sqrt(0.25 / (double)draws) / density;
    double sample_median = 0;
    for (int k = 0; k < st.quantile_count; k++)
        if (st.probability[k] == 0.5) sample_median = st.quantile[k];
    CHECK(fabs(sample_median - median) <= 5 * se_median + st.quantile_resolution * median,
          "median %.6g, analytic %.6g (5 SE = %.3g)", sample_median, median, 5 * se_median);
    run_state_free(&totals);
    scenario_free(&s);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* numpy.quantile (method "linear") of sorted values, written out independently. */
static double numpy_quantile(const double *sorted, uint64_t n, double p)
{
    double index = (double)(n - 1) * p;
    if (index >= (double)(n - 1)) return sorted[n - 1];
    double below = floor(index);
    double t = index - below, a = sorted[(size_t)below], b = sorted[(size_t)below + 1];
    double d = b - a;
    return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

static void test_quantiles_against_order_statistics(void)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load("priors/gpt3-training-us.json", &s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    const uint64_t draws = 100003;
    runner_options options = {.draws = draws, .seed = 3, .engine = {.threads = 2}};
    runner_result result;
    if (runner_run(&s, &options, &result, err, sizeof err)) {
        CHECK(0, "run: %s", err);
        return;
    }
    const draw_plan *plan = &result.plan;
    double *values = malloc(draws * plan->output_count * sizeof *values);
    if (!values) return;
    for (uint64_t i = 0; i < draws; i++) {
        float inputs[DRAW_INPUT_SLOTS], outputs[DRAW_OUTPUTS];
        engine_eval_draw(plan, s.prior_data, i, NULL, inputs, outputs);
        for (int o = 0; o < plan->output_count; o++) values[o * draws + i] = outputs[o];
    }
    CHECK(result.refinement_passes == 1, "exact quantiles took %d refinement passes, expected 1",
          result.refinement_passes);
    for (int o = 0; o < plan->output_count; o++) {
        double *column = values + o * draws;
        qsort(column, draws, sizeof *column, compare_doubles);
        const stats_output *exact = &result.stats[o];
        stats_output histogram;
        stats_compute(plan, &result.totals, NULL, o, &s, &histogram);
        CHECK(exact->min == column[0] && exact->max == column[draws - 1], "output %d: min/max", o);
        for (int k = 0; k < exact->quantile_count; k++) {
            double expected = numpy_quantile(column, draws, exact->probability[k]);
            CHECK(exact->quantile[k] == expected, "output %d quantile %g: exact %.17g, numpy-style "
                  "%.17g", o, exact->probability[k], exact->quantile[k], expected);
            CHECK(fabs(histogram.quantile[k] - expected) <= histogram.quantile_resolution * fabs(expected),
                  "output %d quantile %g: histogram %.9g, exact %.9g, resolution %.3g", o,
                  exact->probability[k], histogram.quantile[k], expected,
                  histogram.quantile_resolution);
            /* The confidence bounds are order statistics bracketing the estimate. */
            CHECK(exact->quantile_ci_low[k] <= exact->quantile[k] &&
                      exact->quantile[k] <= exact->quantile_ci_high[k],
                  "output %d quantile %g: CI [%g, %g] misses %g", o, exact->probability[k],
                  exact->quantile_ci_low[k], exact->quantile_ci_high[k], exact->quantile[k]);
        }
        CHECK(exact->interval_low == numpy_quantile(column, draws, 0.025) &&
                  exact->interval_high == numpy_quantile(column, draws, 0.975),
              "output %d: 95%% interval", o);
        double sum = 0;
        for (uint64_t i = 0; i < draws; i++) sum += column[i];
        CHECK(fabs(exact->mean - sum / (double)draws) <= 1e-12 * fabs(exact->mean), "output %d mean", o);
    }
    free(values);
    runner_free(&result);
    scenario_free(&s);
}

/* The extremes follow float compares, which keep the zero seen first of -0 and +0: an output
 * that is -0 or +0 at random must report the min and max of a draw-by-draw float loop, bit for
 * bit, whether its draws went through full batches or not (the batch path orders by keys). */
static void test_signed_zero_extremes(void)
{
    const char *text =
        "{\"scenario\": \"signed-zero\", \"model\": \"ishigami\", \"a\": -0.0, \"b\": 0,"
        " \"params\": {"
        "  \"side\": {\"dist\": \"choice\", \"options\": ["
        "    {\"name\": \"negative\", \"weight\": 1, \"values\": {\"x1\": -0.0}},"
        "    {\"name\": \"positive\", \"weight\": 1, \"values\": {\"x1\": 0.0}}]},"
        "  \"x2\": {\"dist\": \"uniform\", \"low\": 1, \"high\": 2},"
        "  \"x3\": {\"dist\": \"uniform\", \"low\": 1, \"high\": 2}}}";
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_parse("signed-zero", text, &s, err, sizeof err)) {
        CHECK(0, "parse: %s", err);
        return;
    }
    const uint64_t draw_counts[] = {100, 1000, 100003};
    for (int c = 0; c < 3; c++) {
        uint64_t draws = draw_counts[c];
        runner_options options = {.draws = draws, .seed = 1, .engine = {.threads = 2}};
        runner_result result;
        if (runner_run(&s, &options, &result, err, sizeof err)) {
            CHECK(0, "run: %s", err);
            continue;
        }
        /* Units are merged in draw order, and within a unit draws are taken in order. */
        float low = INFINITY, high = -INFINITY;
        for (uint64_t i = 0; i < draws; i++) {
            float inputs[DRAW_INPUT_SLOTS], outputs[DRAW_OUTPUTS];
            engine_eval_draw(&result.plan, s.prior_data, i, NULL, inputs, outputs);
            low = outputs[0] < low ? outputs[0] : low;
            high = outputs[0] > high ? outputs[0] : high;
        }
        CHECK(signbit(result.stats[0].min) == signbit(low) && result.stats[0].min == low &&
                  signbit(result.stats[0].max) == signbit(high) && result.stats[0].max == high,
              "%llu draws: min %g (sign %d), max %g (sign %d); float loop %g (%d), %g (%d)",
              (unsigned long long)draws, result.stats[0].min, signbit(result.stats[0].min) != 0,
              result.stats[0].max, signbit(result.stats[0].max) != 0, (double)low,
              signbit(low) != 0, (double)high, signbit(high) != 0);
        runner_free(&result);
    }
    scenario_free(&s);
}

/* An adaptive run that stops at N draws reports what a run of N draws reports. */
static void test_adaptive_equals_fixed(void)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load("priors/gpt3-training-us.json", &s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    runner_options adaptive = {.seed = 9, .engine = {.threads = 2}, .rel_error = 0.001,
                               .max_draws = 100000000};
    runner_result a, b;
    if (runner_run(&s, &adaptive, &a, err, sizeof err)) {
        CHECK(0, "adaptive run: %s", err);
        return;
    }
    CHECK(a.converged && a.rounds > 1 && a.worst_relative_error <= 0.001,
          "adaptive run: converged %d after %d rounds, worst error %g", a.converged, a.rounds,
          a.worst_relative_error);
    /* Its last round (about 1.4e7 draws) counted the quantile windows located by the earlier
     * rounds: no refinement pass over all its draws, only earlier draws counted a second time. */
    CHECK(a.windows > 0 && a.window_misses == 0 && a.refinement_passes == 0 &&
              a.redrawn_draws < a.plan.draws,
          "adaptive run's last round: %d windows, %d misses, %d passes, %llu of %llu redrawn",
          a.windows, a.window_misses, a.refinement_passes, (unsigned long long)a.redrawn_draws,
          (unsigned long long)a.plan.draws);
    runner_options fixed = {.draws = a.plan.draws, .seed = 9, .engine = {.threads = 1}};
    if (runner_run(&s, &fixed, &b, err, sizeof err)) {
        CHECK(0, "fixed run: %s", err);
        return;
    }
    CHECK(memcmp(a.stats, b.stats, sizeof a.stats) == 0,
          "adaptive run of %llu draws differs from a fixed run of as many",
          (unsigned long long)a.plan.draws);
    runner_free(&a);
    runner_free(&b);
    scenario_free(&s);
}

/* The window counters' limit: 2^22 on one and two threads, then what fits 64 MiB (8 bytes of
 * totals and 4 per thread each), never under 2^21 (from six threads). */
static void test_window_counter_limit(void)
{
    const int threads[] = {0, 1, 2, 3, 4, 5, 6, 16, 256};
    const int want[] = {1 << 22, 1 << 22, 1 << 22, 3355443, 2796202, 2396745, 1 << 21, 1 << 21,
                        1 << 21};
    for (int k = 0; k < 9; k++) {
        int limit = quantile_window_counter_limit(threads[k]);
        CHECK(limit == want[k], "window counter limit on %d threads: %d, expected %d",
              threads[k], limit, want[k]);
        CHECK(limit == (1 << 21) ||
                  (double)limit * (8.0 + 4.0 * (threads[k] > 1 ? threads[k] : 1)) <=
                      64.0 * 1024 * 1024,
              "window counters on %d threads take more than 64 MiB", threads[k]);
    }
}

/* Quantile windows counted during the first pass give the same statistics, bit for bit, as
 * refinement passes alone: with the default width (no rank misses its window for this seed:
 * each misses with probability about 6e-7, and a miss costs a pass, not a wrong value), and
 * with windows so narrow that ranks miss them and fall back to a refinement pass, and with the
 * windows' prefix drawn again instead of counted from the values its pass kept. */
static void test_windows_equal_passes(const char *path, uint64_t draws, int continuous)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load(path, &s, err, sizeof err)) {
        CHECK(0, "load %s: %s", path, err);
        return;
    }
    runner_options passes = {.draws = draws, .seed = 5, .engine = {.threads = 1}, .no_windows = 1};
    runner_options windows = {.draws = draws, .seed = 5, .engine = {.threads = 2}};
    runner_options narrow = windows, redraw = windows;
    narrow.window_z = 1e-3;
    redraw.no_keep = 1;
    runner_result a, b, c, d;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    memset(&d, 0, sizeof d);
    int status = runner_run(&s, &passes, &a, err, sizeof err);
    if (!status) status = runner_run(&s, &windows, &b, err, sizeof err);
    if (!status) status = runner_run(&s, &narrow, &c, err, sizeof err);
    if (!status) status = runner_run(&s, &redraw, &d, err, sizeof err);
    CHECK(status == 0, "%s: %s", path, err);
    if (!status) {
        uint64_t units = (draws + ENGINE_UNIT_DRAWS - 1) / ENGINE_UNIT_DRAWS;
        CHECK(a.windows == 0 && a.refinement_passes >= 1 && a.redrawn_draws == draws * (uint64_t)a.refinement_passes,
              "%s: without windows: %d windows, %d passes, %llu redrawn", path, a.windows,
              a.refinement_passes, (unsigned long long)a.redrawn_draws);
        /* The prefix (1/32 of the units, doubled while under a quarter of them; a quarter at
         * most for these two) is kept in memory: one pass; without keeping it, drawn again. */
        CHECK(b.windows > 0 && b.window_misses == 0 && b.refinement_passes == 0 &&
                  b.redrawn_draws == 0,
              "%s: windows: %d windows, %d misses, %d passes, %llu redrawn of %llu", path,
              b.windows, b.window_misses, b.refinement_passes,
              (unsigned long long)b.redrawn_draws, (unsigned long long)draws);
        CHECK(d.windows == b.windows && d.refinement_passes == 0 &&
                  d.redrawn_draws >= (units / 32) * ENGINE_UNIT_DRAWS && d.redrawn_draws <= draws / 4,
              "%s: windows, prefix drawn again: %llu redrawn of %llu", path,
              (unsigned long long)d.redrawn_draws, (unsigned long long)draws);
        /* Values of a continuous output miss windows two ranks wide; a discrete output's
         * point masses may still hold them. */
        CHECK(c.windows > 0 && (c.window_misses > 0 || !continuous) &&
                  (c.window_misses == 0 || c.refinement_passes >= 1),
              "%s: narrow windows: %d windows, %d misses, %d passes", path, c.windows,
              c.window_misses, c.refinement_passes);
        CHECK(memcmp(a.stats, b.stats, sizeof a.stats) == 0,
              "%s: statistics with windows differ from refinement passes", path);
        CHECK(memcmp(a.stats, c.stats, sizeof a.stats) == 0,
              "%s: statistics with narrow windows differ from refinement passes", path);
        CHECK(memcmp(a.stats, d.stats, sizeof a.stats) == 0,
              "%s: statistics with the prefix drawn again differ", path);
    }
    runner_free(&a);
    runner_free(&b);
    runner_free(&c);
    runner_free(&d);
    scenario_free(&s);
}

/* A run too short for windows (1e6 draws), and a longer one whose windows do not fit (3e6
 * draws, windows 1,000 standard deviations wide), keep their values and count their refinement
 * passes from memory: no draw is evaluated twice, and the statistics are those of passes that
 * draw again, bit for bit. */
static void test_runs_kept(uint64_t draws, double window_z)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load("priors/gpt3-training-us.json", &s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    runner_options kept = {.draws = draws, .seed = 9, .engine = {.threads = 2},
                           .window_z = window_z};
    runner_result a, b;
    int status = run_pair(&s, &kept, &a, &b, err, sizeof err);
    CHECK(status == 0, "runs of %llu draws: %s", (unsigned long long)draws, err);
    if (!status) {
        CHECK(a.windows == 0 && b.windows == 0 && a.refinement_passes >= 1 &&
                  a.redrawn_draws == 0 && b.redrawn_draws == draws * (uint64_t)b.refinement_passes,
              "%llu draws without windows: %d and %d windows, %d passes, %llu redrawn kept, %llu "
              "redrawn without", (unsigned long long)draws, a.windows, b.windows,
              a.refinement_passes, (unsigned long long)a.redrawn_draws,
              (unsigned long long)b.redrawn_draws);
        CHECK(memcmp(a.stats, b.stats, sizeof a.stats) == 0,
              "%llu draws: statistics from kept values differ from drawing again",
              (unsigned long long)draws);
    }
    runner_free(&a);
    runner_free(&b);
    scenario_free(&s);
}

/* Load the scenario at path into s and plan 65,536 draws of it with seed 8; 0 when both worked
 * (the caller frees s), else a failed check and nothing to free. */
static int load_plan(const char *path, scenario *s, draw_plan *plan)
{
    char err[THIRST_ERR_LEN];
    if (scenario_load(path, s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return 1;
    }
    if (engine_plan_make(s, 65536, 8, ENGINE_MANTISSA_BITS, plan, err, sizeof err)) {
        CHECK(0, "%s: plan: %s", path, err);
        scenario_free(s);
        return 1;
    }
    return 0;
}

/* engine_eval_batch against engine_eval_draw, bit for bit, for the scenario at path. */
static void test_batch_bits(const char *path)
{
    scenario s;
    draw_plan plan;
    if (load_plan(path, &s, &plan)) return;
    uint64_t first_bad;
    int mismatches = batch_bits_mismatches(&plan, s.prior_data, 65536, &first_bad);
    CHECK(mismatches == 0, "%s: %d batch-loop outputs differ from draw_eval's bits (first at "
          "draw %llu)", path, mismatches, (unsigned long long)first_bad);
    scenario_free(&s);
}

/* engine_sobol_batch's sums against sobol_draw's terms summed one base draw at a time, bit for
 * bit, for the scenario at path: base draws [0, 16384) as one sum, then a short range. */
static void test_sobol_bits(const char *path)
{
    scenario s;
    draw_plan plan;
    if (load_plan(path, &s, &plan)) return;
    const int length = SOBOL_TERMS(&plan);
    static double batch[SOBOL_MAX_TERMS], one[SOBOL_MAX_TERMS];
    const uint64_t first[] = {0, 1000003}, end[] = {16384, 1000003 + 77};
    int mismatches = 0;
    for (int r = 0; r < 2; r++) {
        for (int j = 0; j < length; j++) batch[j] = one[j] = 0;
        if (r == 0)   /* one call, split into columns by engine_sobol_batch */
            engine_sobol_batch(&plan, s.prior_data, first[r], (int)(end[r] - first[r]), batch);
        else
            for (uint64_t start = first[r]; start < end[r]; start += ENGINE_SOBOL_DRAWS) {
                int n = (int)(end[r] - start < ENGINE_SOBOL_DRAWS ? end[r] - start
                                                                  : ENGINE_SOBOL_DRAWS);
                engine_sobol_batch(&plan, s.prior_data, start, n, batch);
            }
        for (uint64_t i = first[r]; i < end[r]; i++) {
            uint32_t words_a[DRAW_MAX_WORDS], words_b[DRAW_MAX_WORDS];
            float terms[SOBOL_MAX_TERMS];
            draw_words(plan.seed, i, plan.word_count, words_a);
            draw_words(plan.seed, SOBOL_B_STREAM + i, plan.word_count, words_b);
            sobol_draw(&plan, s.prior_data, i, words_a, words_b, terms);
            for (int j = 0; j < length; j++) one[j] += terms[j];
        }
        for (int j = 0; j < length; j++) mismatches += memcmp(&batch[j], &one[j], sizeof one[j]) != 0;
    }
    CHECK(mismatches == 0, "%s: %d of %d Sobol sums of the batches differ from one draw at a "
          "time's bits", path, mismatches, 2 * length);
    scenario_free(&s);
}

/* pending_counts against direct increments: 3,000 increments (applied straight), then 2.5
 * capacities' worth (sorted by region, applied when the buffer fills), into 2^21 + 5 counters. */
static void test_pending_counts(void)
{
    const int total = (1 << 21) + 5;
    uint32_t *counts = calloc((size_t)total, sizeof *counts);
    uint32_t *expected = calloc((size_t)total, sizeof *expected);
    pending_counts p;
    if (!counts || !expected || pending_counts_init(&p, counts, total)) {
        CHECK(0, "pending_counts: out of memory");
        free(counts);
        free(expected);
        return;
    }
    uint64_t state = 12345;
    const int sizes[] = {3000, 5 * PENDING_COUNTS_CAPACITY / 2};
    for (int r = 0; r < 2; r++) {
        for (int done = 0; done < sizes[r];) {
            int32_t index[256];
            int n = sizes[r] - done < 200 ? sizes[r] - done : 200;
            for (int k = 0; k < n; k++) {
                state = state * 6364136223846793005ull + 1442695040888963407ull;
                /* clustered: half the increments in the last region, the rest anywhere */
                index[k] = (int32_t)((state >> 33) % (uint64_t)total);
                if (k & 1) index[k] = total - 1 - (index[k] & 1023);
                expected[index[k]]++;
            }
            pending_counts_add(&p, index, n);
            done += n;
        }
        pending_counts_apply(&p);
        CHECK(memcmp(counts, expected, (size_t)total * sizeof *counts) == 0,
              "pending_counts: %d increments differ from direct counting", sizes[r]);
    }
    pending_counts_free(&p);
    free(counts);
    free(expected);
}

int main(void)
{
    const char *scenarios[] = {"priors/gpt3-training-us.json", "priors/gpt3-training-li2023.json",
                               "priors/gpt3-training-sites.json",
                               "priors/gpt3-training-cooling-tower.json",
                               "priors/gpt3-request-us.json", "priors/gpt3-request-sites.json",
                               "priors/chat-query-2025.json", "priors/dgx-a100-fleet-month.json",
                               "priors/benchmarks/ishigami.json",
                               "priors/benchmarks/gfunction.json",
                               /* formulas: the batch loop runs their ops column by column */
                               "priors/epoch-chatgpt-query-2025.json",
                               "priors/reasoning-query-2025.json", "priors/llama31-training.json",
                               "priors/gpt3-training-carbon-accounting.json",
                               "tests/formulas/gpt3-training-us-formulas.json",
                               "tests/formulas/gpt3-request-us-formulas.json",
                               "tests/formulas/ishigami-formulas.json",
                               "tests/formulas/gfunction-formulas.json",
                               "tests/formulas/reasoning-query-example.json",
                               /* correlated inputs: the batch loop's copula over columns */
                               "priors/gpt3-training-us-correlated.json",
                               "tests/correlations/correlated-members.json",
                               "tests/correlations/correlated-choice.json"};
    for (size_t k = 0; k < sizeof scenarios / sizeof *scenarios; k++) test_batch_bits(scenarios[k]);
    for (size_t k = 0; k < sizeof scenarios / sizeof *scenarios; k++) test_sobol_bits(scenarios[k]);
    test_pending_counts();
    test_window_counter_limit();
    test_windows_equal_passes("priors/gpt3-training-us.json", 30000017, 1);
    test_windows_equal_passes("priors/gpt3-request-sites.json", 4000000, 0);
    test_runs_kept(1000000, 0);
    test_runs_kept(3000000, 1000);
    test_thread_independence();
    test_lognormal_product();
    test_quantiles_against_order_statistics();
    test_adaptive_equals_fixed();
    test_signed_zero_extremes();
    return check_done("test_engine");
}
