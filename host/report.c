/* report.c: human table, JSON and CSV writers for runs and point evaluations. */
#include "report.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_out.h"
#include "provenance.h"
#include "output_file.h"
#include "status.h"
#include "tail.h"
#include "units.h"

/* A display unit: the canonical unit scaled for reading (MWh, ML, t). */
typedef struct {
    const char *unit;
    double divisor;
} display_unit;

/* Pick a readable unit for magnitude of a value in canonical unit. */
static display_unit display_for(const char *unit, double magnitude)
{
    static const struct {
        const char *canonical, *shown;
        double divisor;
    } SCALES[] = {
        {"kWh", "GWh", 1e6}, {"kWh", "MWh", 1e3}, {"L", "ML", 1e6}, {"L", "kL", 1e3},
        {"kg CO2e", "kt CO2e", 1e6}, {"kg CO2e", "t CO2e", 1e3},
    };
    display_unit d = {unit, 1};
    for (size_t k = 0; k < sizeof SCALES / sizeof SCALES[0]; k++)
        if (strcmp(SCALES[k].canonical, unit) == 0 && fabs(magnitude) >= SCALES[k].divisor) {
            d.unit = SCALES[k].shown;
            d.divisor = SCALES[k].divisor;
            return d;
        }
    return d;
}

const char *report_display_unit(const char *unit, double magnitude, double *divisor)
{
    display_unit d = display_for(unit, magnitude);
    *divisor = d.divisor;
    return d.unit;
}

void report_format_value(char *out, size_t size, double value, const char *unit, int digits)
{
    static const char *const COUNTS[] = {"count", "residents", "queries", "USD"};
    int count = 0;
    for (size_t k = 0; k < sizeof COUNTS / sizeof COUNTS[0]; k++) count |= !strcmp(unit, COUNTS[k]);
    if (!count || !(fabs(value) >= 1000 && fabs(value) < 1e8)) {
        snprintf(out, size, "%.*g", digits, value);
        return;
    }
    char plain[32];
    snprintf(plain, sizeof plain, "%.*e", digits - 1, value);   /* rounded to the digits */
    snprintf(plain, sizeof plain, "%.0f", strtod(plain, NULL));
    size_t length = strlen(plain), sign = plain[0] == '-', at = 0;
    for (size_t k = 0; k < length && at + 2 < size; k++) {
        if (k > sign && (length - k) % 3 == 0) out[at++] = ',';
        out[at++] = plain[k];
    }
    out[at] = 0;
}

/* Format a probability as a percent label: 0.025 -> "2.5%". */
static void percent_label(char *out, size_t size, double p)
{
    snprintf(out, size, "%.10g%%", p * 100);
}

/* Relative half-width of [low, high] around estimate, as text ("0.012%", "n/a"). */
static void relative_text(char *out, size_t size, double estimate, double low, double high)
{
    if (isnan(low) || isnan(high) || estimate == 0) {
        snprintf(out, size, "n/a");
        return;
    }
    snprintf(out, size, "%.2g%%", 50 * (high - low) / fabs(estimate));
}

void report_heading(FILE *f, const scenario *s, const char *what)
{
    char text[2 * THIRST_ERR_LEN];
    if (snprintf(text, sizeof text, "thirst %s  %s%s%s%s", THIRST_VERSION, s->id,
                 s->title[0] ? ": " : "", s->title, what) >= (int)sizeof text)
        memcpy(text + sizeof text - 4, "...", 4);
    status_one_line(text, sizeof text);
    fprintf(f, "%s\n", text);
}

/* Draws of a run's first pass that came from a --resume checkpoint (not drawn by this process). */
static uint64_t resumed_draws(const runner_result *result)
{
    const uint64_t draws = result->resumed_units * ENGINE_UNIT_DRAWS;
    return draws < result->plan.draws ? draws : result->plan.draws;
}

/* Draws per second of the run's first pass in this process (resumed draws not counted). */
static double draw_rate(const report_run *r)
{
    const double drawn = (double)(r->result->plan.draws - resumed_draws(r->result));
    return r->info.wall_seconds > 0 ? drawn / r->info.wall_seconds : 0;
}

/* The line under the table's heading: draws, sampler, seed, backend, time and speed. */
static void table_settings(FILE *f, const report_run *r)
{
    const draw_plan *plan = &r->result->plan;
    char where[300];
    if (r->info.device_name)
        snprintf(where, sizeof where, "%s", r->info.device_name);
    else
        snprintf(where, sizeof where, "%d thread%s", r->info.threads,
                 r->info.threads == 1 ? "" : "s");
    char sampled[96] = "";
    if (plan->sampler == PLAN_SAMPLER_RQMC)
        snprintf(sampled, sizeof sampled, " (rqmc: %d replicates x 2^%d Sobol' points)",
                 plan->replicates, ilogb((double)(plan->draws / (uint64_t)plan->replicates)));
    char resumed[80] = "";
    if (r->result->resumed_units)
        snprintf(resumed, sizeof resumed, ", %llu of them from the --resume checkpoint",
                 (unsigned long long)resumed_draws(r->result));
    fprintf(f, "%llu draws%s%s, seed %llu, %s backend (%s), %.2f s (%.3g draws/s)\n\n",
            (unsigned long long)plan->draws, sampled, resumed, (unsigned long long)plan->seed,
            r->info.backend, where, r->info.wall_seconds, draw_rate(r));
}

void report_table(FILE *f, const report_run *r)
{
    const scenario *s = r->s;
    const draw_plan *plan = &r->result->plan;
    const stats_output *stats = r->result->stats;
    report_heading(f, s, "");
    table_settings(f, r);
    int q = s->quantile_count;
    char label[32];
    fprintf(f, "%-27s %-9s %10s %10s", "output", "unit", "mean", "sd");
    for (int k = 0; k < q; k++) {
        percent_label(label, sizeof label, s->quantiles[k]);
        fprintf(f, " %10s", label);
    }
    percent_label(label, sizeof label, s->interval);
    fprintf(f, "  %s interval\n", label);
    for (int o = 0; o < plan->output_count; o++) {
        const stats_output *st = &stats[o];
        int out = plan->outputs[o];
        display_unit d = display_for(scenario_output_unit(s, out), st->quantile[q / 2]);
        char a[40], b[40];
        report_format_value(a, sizeof a, st->mean / d.divisor, d.unit, 4);
        report_format_value(b, sizeof b, st->sd / d.divisor, d.unit, 4);
        fprintf(f, "%-27s %-9s %10s %10s", scenario_output_name(s, out), d.unit, a, b);
        for (int k = 0; k < q; k++) {
            report_format_value(a, sizeof a, st->quantile[k] / d.divisor, d.unit, 4);
            fprintf(f, " %10s", a);
        }
        report_format_value(a, sizeof a, st->interval_low / d.divisor, d.unit, 4);
        report_format_value(b, sizeof b, st->interval_high / d.divisor, d.unit, 4);
        fprintf(f, "  [%s, %s]\n", a, b);
    }
    fprintf(f, "\nMonte Carlo error: half-width of each estimate's %.0f%% confidence interval, "
            "relative to the estimate\n", 100 * STATS_CONFIDENCE);
    fprintf(f, "%-27s %-9s %10s %10s", "output", "", "mean", "");
    for (int k = 0; k < q; k++) {
        percent_label(label, sizeof label, s->quantiles[k]);
        fprintf(f, " %10s", label);
    }
    fprintf(f, "\n");
    for (int o = 0; o < plan->output_count; o++) {
        const stats_output *st = &stats[o];
        char text[32];
        relative_text(text, sizeof text, st->mean, st->mean_ci_low, st->mean_ci_high);
        fprintf(f, "%-27s %-9s %10s %10s", scenario_output_name(s, plan->outputs[o]), "", text, "");
        for (int k = 0; k < q; k++) {
            relative_text(text, sizeof text, st->quantile[k], st->quantile_ci_low[k],
                          st->quantile_ci_high[k]);
            fprintf(f, " %10s", text);
        }
        fprintf(f, "\n");
    }
    if (plan->sampler == PLAN_SAMPLER_RQMC)
        fprintf(f, "\nQuantiles are exact order statistics of the %llu pooled draws (type 7, as "
                "numpy.quantile).\nEvery interval is Student's t over the %d independently "
                "randomised replicates: the mean's\nfrom their means, a quantile's from each "
                "one's fraction of values at or below it.\nLargest relative half-width: %.2g.\n",
                (unsigned long long)plan->draws, plan->replicates,
                r->result->worst_relative_error);
    else
        fprintf(f, "\nQuantiles are exact order statistics of the %llu draws (type 7, as "
                "numpy.quantile);\ntheir intervals come from binomial order statistics, the "
                "mean's from Student's t.\nLargest relative half-width: %.2g.\n",
                (unsigned long long)plan->draws, r->result->worst_relative_error);
    for (int o = 0; o < plan->output_count; o++)
        if (!stats[o].mean_reliable)
            fprintf(f, "Warning: the mean of %s may be far off and its interval too narrow: its "
                    "tail is heavy\n  (Pareto k = %.2f >= %.1f; Vehtari et al. 2024); the "
                    "quantiles and their intervals are unaffected.\n",
                    scenario_output_name(s, plan->outputs[o]), stats[o].pareto_k,
                    TAIL_PARETO_K_MAX);
    if (r->result->adaptive) {
        if (r->result->converged)
            fprintf(f, "Adaptive run: target met after %d rounds and %llu draws.\n",
                    r->result->rounds, (unsigned long long)plan->draws);
        else if (r->result->stopped_unreliable)
            fprintf(f, "Adaptive run: target NOT met: the errors are below the target, but a "
                    "mean stayed unreliable\n  through %d more rounds (heavy tail); stopped after %d "
                    "rounds and %llu draws.\n", RUNNER_UNRELIABLE_ROUNDS, r->result->rounds,
                    (unsigned long long)plan->draws);
        else
            fprintf(f, "Adaptive run: target NOT met; stopped at --max-draws %llu after %d "
                    "rounds%s.\n", (unsigned long long)plan->draws, r->result->rounds,
                    r->result->errors_met
                        ? " (the errors are below the target, but a mean is unreliable)"
                        : "");
    }
}

void report_plot_histogram(const draw_plan *plan, const run_state *totals, int o,
                           report_histogram *out)
{
    const state_moments *m = &totals->moments[o];
    const accum_hist_spec *h = &plan->hist[o];
    const uint64_t *fine = totals->hist + plan->hist_offset[o];
    double low = m->min, high = m->max;
    out->log_scale = low > 0;
    if (!(high > low)) high = low + (low != 0 ? fabs(low) * 1e-6 : 1e-6);
    for (int k = 0; k <= REPORT_PLOT_BINS; k++) {
        double t = (double)k / REPORT_PLOT_BINS;
        out->edges[k] = out->log_scale ? exp(log(low) + t * (log(high) - log(low)))
                                       : low + t * (high - low);
    }
    out->edges[0] = low;
    out->edges[REPORT_PLOT_BINS] = high;
    /* Each fine bin's count is spread over the plot bins it overlaps, in proportion to the
     * overlap (on the plot's scale); cumulative rounding keeps integer counts that sum to n. */
    double share[REPORT_PLOT_BINS] = {0};
    double scale_low = out->log_scale ? log(low) : low;
    double scale_width = (out->log_scale ? log(high) : high) - scale_low;
    for (int b = 0; b < h->bins + 2; b++) {
        if (!fine[b]) continue;
        double a, c;
        if (b == 0 || b == h->bins + 1) {
            a = c = b == 0 ? low : high;
        } else {
            uint64_t first = ((uint64_t)h->key_low + (uint64_t)(b - 1)) << h->shift;
            uint64_t last = first + (1ull << h->shift) - 1;
            a = fmax(accum_key_value((uint32_t)first), low);
            c = fmin(accum_key_value((uint32_t)last), high);
            if (c < a) c = a;
        }
        double ta = ((out->log_scale ? log(a) : a) - scale_low) / scale_width * REPORT_PLOT_BINS;
        double tc = ((out->log_scale ? log(c) : c) - scale_low) / scale_width * REPORT_PLOT_BINS;
        int ka = (int)floor(ta), kc = (int)floor(tc);
        if (ka < 0) ka = 0;
        if (kc >= REPORT_PLOT_BINS) kc = REPORT_PLOT_BINS - 1;
        if (ka > kc) ka = kc;
        if (ka == kc || !(tc > ta)) {
            share[ka] += (double)fine[b];
            continue;
        }
        for (int k = ka; k <= kc; k++) {
            double overlap = fmin(tc, (double)(k + 1)) - fmax(ta, (double)k);
            if (overlap > 0) share[k] += (double)fine[b] * overlap / (tc - ta);
        }
    }
    double cumulative = 0;
    uint64_t given = 0;
    for (int k = 0; k < REPORT_PLOT_BINS; k++) {
        cumulative += share[k];
        uint64_t target = (uint64_t)llround(cumulative);
        out->counts[k] = target > given ? target - given : 0;
        given += out->counts[k];
    }
}

/* The plotting histogram as JSON. */
static cJSON *plot_histogram(const draw_plan *plan, const run_state *totals, int o)
{
    report_histogram h;
    report_plot_histogram(plan, totals, o, &h);
    cJSON *histogram = cJSON_CreateObject();
    cJSON_AddStringToObject(histogram, "scale", h.log_scale ? "log" : "linear");
    cJSON *edge_array = cJSON_AddArrayToObject(histogram, "edges");
    for (int k = 0; k <= REPORT_PLOT_BINS; k++) cJSON_AddItemToArray(edge_array, json_out_number(h.edges[k]));
    cJSON *count_array = cJSON_AddArrayToObject(histogram, "counts");
    for (int k = 0; k < REPORT_PLOT_BINS; k++) {
        char text[24];
        snprintf(text, sizeof text, "%llu", (unsigned long long)h.counts[k]);
        cJSON_AddItemToArray(count_array, cJSON_CreateRaw(text));
    }
    return histogram;
}

cJSON *report_outputs_json(const report_run *r)
{
    const scenario *s = r->s;
    const runner_result *result = r->result;
    const draw_plan *plan = &result->plan;
    cJSON *outputs = cJSON_CreateObject();
    for (int o = 0; o < plan->output_count; o++) {
        const stats_output *st = &result->stats[o];
        int out = plan->outputs[o];
        cJSON *item = cJSON_AddObjectToObject(outputs, scenario_output_name(s, out));
        cJSON_AddStringToObject(item, "unit", scenario_output_unit(s, out));
        json_out_add_whole(item, "n", st->n);
        json_out_add_number(item, "mean", st->mean);
        cJSON_AddItemToObject(item, "mean_ci", json_out_pair(st->mean_ci_low, st->mean_ci_high));
        json_out_add_number(item, "sd", st->sd);
        if (st->replicates)
            cJSON_AddItemToObject(item, "sd_ci", json_out_pair(st->sd_ci_low, st->sd_ci_high));
        json_out_add_number(item, "sem", st->sem);
        cJSON_AddBoolToObject(item, "mean_reliable", st->mean_reliable);
        json_out_add_number(item, "pareto_k", st->pareto_k);
        json_out_add_number(item, "min", st->min);
        json_out_add_number(item, "max", st->max);
        cJSON *quantiles = cJSON_AddArrayToObject(item, "quantiles");
        for (int k = 0; k < st->quantile_count; k++) {
            cJSON *q = cJSON_CreateObject();
            json_out_add_number(q, "p", st->probability[k]);
            json_out_add_number(q, "value", st->quantile[k]);
            cJSON_AddItemToObject(q, "ci", json_out_pair(st->quantile_ci_low[k], st->quantile_ci_high[k]));
            cJSON_AddItemToArray(quantiles, q);
        }
        cJSON *interval = cJSON_AddObjectToObject(item, "interval");
        json_out_add_number(interval, "probability", st->interval_probability);
        json_out_add_number(interval, "low", st->interval_low);
        json_out_add_number(interval, "high", st->interval_high);
        cJSON_AddItemToObject(interval, "low_ci", json_out_pair(st->interval_low_ci[0], st->interval_low_ci[1]));
        cJSON_AddItemToObject(interval, "high_ci",
                              json_out_pair(st->interval_high_ci[0], st->interval_high_ci[1]));
        json_out_add_number(item, "worst_relative_error", st->worst_relative_error);
        cJSON_AddItemToObject(item, "histogram", plot_histogram(plan, &result->totals, o));
    }
    return outputs;
}

/* The sampler and the interval methods that follow from it (docs/result-schema.md). */
cJSON *report_sampler_json(const draw_plan *plan)
{
    cJSON *sampler = cJSON_CreateObject();
    if (plan->sampler != PLAN_SAMPLER_RQMC) {
        cJSON_AddStringToObject(sampler, "kind", "mc");
        cJSON_AddStringToObject(sampler, "mean_interval", "student_t_over_draws");
        cJSON_AddStringToObject(sampler, "quantile_intervals", "binomial_order_statistics");
        return sampler;
    }
    cJSON_AddStringToObject(sampler, "kind", "rqmc");
    cJSON_AddStringToObject(sampler, "sequence", "sobol_joe_kuo_2008");
    cJSON_AddStringToObject(sampler, "randomization", "linear_matrix_scramble_and_digital_shift");
    json_out_add_number(sampler, "replicates", plan->replicates);
    json_out_add_whole(sampler, "points_per_replicate", plan->draws / (uint64_t)plan->replicates);
    cJSON_AddStringToObject(sampler, "mean_interval", "student_t_over_replicates");
    cJSON_AddStringToObject(sampler, "sd_interval", "student_t_over_replicates");
    cJSON_AddStringToObject(sampler, "quantile_intervals", "replicate_cdf_spread");
    return sampler;
}

int report_write_json(const char *path, const report_run *r, char *err, size_t errlen)
{
    const scenario *s = r->s;
    const runner_result *result = r->result;
    const draw_plan *plan = &result->plan;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "thirst-result");
    json_out_add_number(root, "schema_version", REPORT_SCHEMA_VERSION);
    cJSON_AddItemToObject(root, "scenario", json_out_scenario(s, r->info.scenario_file));
    cJSON *provenance = provenance_json(s, "run");
    provenance_add_seed(provenance, plan->seed);
    cJSON_AddItemToObject(root, "provenance", provenance);
    cJSON *settings = cJSON_AddObjectToObject(root, "settings");
    json_out_add_whole(settings, "draws", plan->draws);
    json_out_add_whole(settings, "seed", plan->seed);
    cJSON *probabilities = cJSON_AddArrayToObject(settings, "quantiles");
    for (int k = 0; k < s->quantile_count; k++)
        cJSON_AddItemToArray(probabilities, json_out_number(s->quantiles[k]));
    json_out_add_number(settings, "interval", s->interval);
    json_out_add_number(settings, "confidence", STATS_CONFIDENCE);
    cJSON_AddItemToObject(settings, "sampler", report_sampler_json(plan));
    if (result->adaptive) {
        cJSON *adaptive = cJSON_AddObjectToObject(settings, "adaptive");
        if (r->info.rel_error > 0) json_out_add_number(adaptive, "rel_error", r->info.rel_error);
        if (r->info.abs_error > 0) json_out_add_number(adaptive, "abs_error", r->info.abs_error);
        json_out_add_whole(adaptive, "max_draws", r->info.max_draws);
    }
    cJSON *precision = cJSON_AddObjectToObject(root, "precision");
    json_out_add_number(precision, "worst_relative_error", result->worst_relative_error);
    json_out_add_number(precision, "worst_absolute_error", result->worst_absolute_error);
    cJSON_AddBoolToObject(precision, "exact_quantiles", 1);
    if (result->adaptive) {
        cJSON_AddBoolToObject(precision, "converged", result->converged);
        cJSON_AddStringToObject(precision, "stopped_by",
                                result->converged            ? "target"
                                : result->stopped_unreliable ? "unreliable_mean"
                                                             : "max_draws");
        json_out_add_number(precision, "rounds", result->rounds);
    }
    cJSON_AddItemToObject(root, "outputs", report_outputs_json(r));
    cJSON *run = cJSON_AddObjectToObject(root, "run");
    cJSON_AddStringToObject(run, "version", THIRST_VERSION);
    cJSON_AddStringToObject(run, "backend", r->info.backend);
    if (r->info.device_name) cJSON_AddStringToObject(run, "device", r->info.device_name);
    else json_out_add_number(run, "threads", r->info.threads);
    json_out_add_number(run, "refinement_passes", result->refinement_passes);
    json_out_add_number(run, "quantile_windows", result->windows);
    json_out_add_number(run, "window_misses", result->window_misses);
    json_out_add_number(run, "redrawn_draws", (double)result->redrawn_draws);
    json_out_add_whole(run, "resumed_units", result->resumed_units);
    json_out_add_number(run, "wall_seconds", r->info.wall_seconds);
    json_out_add_number(run, "draws_per_second", draw_rate(r));   /* drawn here */
    return json_out_write(path, root, err, errlen);
}

/* Append printf-style text to a growing buffer; returns 0 or -1 (memory). */
static int append(char **buffer, size_t *length, size_t *capacity, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int append(char **buffer, size_t *length, size_t *capacity, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof line) return -1;
    if (*length + (size_t)n + 1 > *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 4096;
        while (grown < *length + (size_t)n + 1) grown *= 2;
        char *bigger = realloc(*buffer, grown);
        if (!bigger) return -1;
        *buffer = bigger;
        *capacity = grown;
    }
    memcpy(*buffer + *length, line, (size_t)n + 1);
    *length += (size_t)n;
    return 0;
}

int report_write_csv(const char *path, const report_run *r, char *err, size_t errlen)
{
    const scenario *s = r->s;
    const draw_plan *plan = &r->result->plan;
    char *text = NULL;
    size_t length = 0, capacity = 0;
    int bad = append(&text, &length, &capacity,
                     "output,unit,n,mean,mean_ci_low,mean_ci_high,mean_reliable,sd,sem,min,max");
    for (int k = 0; k < s->quantile_count; k++)
        bad |= append(&text, &length, &capacity, ",q%.10g", s->quantiles[k] * 100);
    bad |= append(&text, &length, &capacity, ",interval_low,interval_high\n");
    for (int o = 0; o < plan->output_count; o++) {
        const stats_output *st = &r->result->stats[o];
        int out = plan->outputs[o];
        bad |= append(&text, &length, &capacity,
                      "%s,%s,%llu,%.17g,%.17g,%.17g,%s,%.17g,%.17g,%.17g,%.17g",
                      scenario_output_name(s, out), scenario_output_unit(s, out),
                      (unsigned long long)st->n, st->mean, st->mean_ci_low, st->mean_ci_high,
                      st->mean_reliable ? "true" : "false", st->sd, st->sem, st->min, st->max);
        for (int k = 0; k < st->quantile_count; k++)
            bad |= append(&text, &length, &capacity, ",%.17g", st->quantile[k]);
        bad |= append(&text, &length, &capacity, ",%.17g,%.17g\n", st->interval_low,
                      st->interval_high);
    }
    int status = bad ? status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory")
                     : output_file_write(path, text, strlen(text), err, errlen);
    free(text);
    return status;
}

void report_point_table(FILE *f, const scenario *s, const char *file, const float *inputs,
                        const float *outputs)
{
    char what[THIRST_ERR_LEN];
    snprintf(what, sizeof what, " (point evaluation of %s)", file);
    report_heading(f, s, what);
    fprintf(f, "\n");
    fprintf(f, "%-27s %12s  %s\n", "input", "value", "unit");
    for (int slot = 0; slot < scenario_input_slots(s); slot++) {
        if (!scenario_slot_used(s, slot)) continue;
        fprintf(f, "%-27s %12.6g  %s\n", scenario_input_name(s, slot), (double)inputs[slot],
                scenario_input_unit(s, slot));
    }
    fprintf(f, "\n%-27s %12s  %s\n", "output", "value", "unit");
    for (int o = 0; o < s->output_count; o++) {
        int out = s->outputs[o];
        display_unit d = display_for(scenario_output_unit(s, out), outputs[out]);
        char value[40];
        report_format_value(value, sizeof value, (double)outputs[out] / d.divisor, d.unit, 6);
        fprintf(f, "%-27s %12s  %s\n", scenario_output_name(s, out), value, d.unit);
    }
}

int report_write_point_json(const char *path, const scenario *s, const char *file,
                            const float *inputs, const float *outputs, char *err, size_t errlen)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "thirst-point");
    json_out_add_number(root, "schema_version", REPORT_SCHEMA_VERSION);
    cJSON_AddItemToObject(root, "scenario", json_out_scenario(s, file));
    cJSON_AddItemToObject(root, "provenance", provenance_json(s, "point"));
    cJSON *in = cJSON_AddObjectToObject(root, "inputs");
    for (int slot = 0; slot < scenario_input_slots(s); slot++) {
        if (!scenario_slot_used(s, slot)) continue;
        cJSON *item = cJSON_AddObjectToObject(in, scenario_input_name(s, slot));
        json_out_add_number(item, "value", inputs[slot]);
        cJSON_AddStringToObject(item, "unit", scenario_input_unit(s, slot));
    }
    cJSON *out_section = cJSON_AddObjectToObject(root, "outputs");
    for (int o = 0; o < s->output_count; o++) {
        int out = s->outputs[o];
        cJSON *item = cJSON_AddObjectToObject(out_section, scenario_output_name(s, out));
        json_out_add_number(item, "value", outputs[out]);
        cJSON_AddStringToObject(item, "unit", scenario_output_unit(s, out));
    }
    cJSON *run = cJSON_AddObjectToObject(root, "run");
    cJSON_AddStringToObject(run, "version", THIRST_VERSION);
    return json_out_write(path, root, err, errlen);
}
