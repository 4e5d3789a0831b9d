/* report_sensitivity.c: table and JSON writers for sensitivity results. */
#include "report_sensitivity.h"

#include <math.h>
#include <string.h>

#include "json_out.h"
#include "provenance.h"
#include "report.h"

/* Name of correlated group g of s: its members joined by '+'. */
static const char *group_name(const scenario *s, int g, char *out, size_t size)
{
    for (int k = 0; k < s->correlations.copula.factor_count; k++)
        if (s->correlations.copula.factor[k] == -1 - g) return scenario_factor_name(s, k, out, size);
    out[0] = 0;
    return out;
}

/* The Sobol columns of one row of the table: S1 and ST with their 95 % intervals, or dashes. */
static void print_sobol(FILE *f, const sensitivity_result *r, const sensitivity_index *x)
{
    if (isnan(x->first)) {
        fprintf(f, " %7s %-18s %7s %-18s", "-", "-", "-", "-");
        return;
    }
    char first[40], total[40];
    snprintf(first, sizeof first, "[%.3f, %.3f]", x->first - r->t_quantile * x->first_se,
             x->first + r->t_quantile * x->first_se);
    snprintf(total, sizeof total, "[%.3f, %.3f]", x->total - r->t_quantile * x->total_se,
             x->total + r->t_quantile * x->total_se);
    fprintf(f, " %7.3f %-18s %7.3f %-18s", x->first, first, x->total, total);
}

/* Sobol indices (first, total, their intervals and errors) of x into entry. */
static void add_sobol(cJSON *entry, const sensitivity_result *r, const sensitivity_index *x)
{
    json_out_add_number(entry, "first", x->first);
    cJSON_AddItemToObject(entry, "first_ci",
                          json_out_pair(x->first - r->t_quantile * x->first_se,
                                        x->first + r->t_quantile * x->first_se));
    json_out_add_number(entry, "first_se", x->first_se);
    json_out_add_number(entry, "total", x->total);
    cJSON_AddItemToObject(entry, "total_ci",
                          json_out_pair(x->total - r->t_quantile * x->total_se,
                                        x->total + r->t_quantile * x->total_se));
    json_out_add_number(entry, "total_se", x->total_se);
}

/* Inputs of output o in report order: by total index (a correlated input: its group's), else by tornado swing, descending. */
static void report_order(const sensitivity_options *options, const sensitivity_result *r, int o,
                         int *order)
{
    double key[SENSITIVITY_MAX_INPUTS];
    for (int k = 0; k < r->input_count; k++) {
        const sensitivity_index *x = &r->index[o][k];
        order[k] = k;
        /* a correlated input sorts by its group's total index */
        double total = r->input_group[k] ? r->group[o][r->input_group[k] - 1].total : x->total;
        key[k] = (options->methods & SENSITIVITY_SOBOL)     ? total
                 : (options->methods & SENSITIVITY_TORNADO) ? fabs(x->tornado_high_output -
                                                                   x->tornado_low_output)
                                                            : fabs(x->src);
        if (isnan(key[k])) key[k] = -INFINITY;
    }
    for (int a = 1; a < r->input_count; a++)   /* insertion sort: stable, few inputs */
        for (int b = a; b > 0 && key[order[b]] > key[order[b - 1]]; b--) {
            int t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
}

void report_sensitivity_table(FILE *f, const scenario *s, const sensitivity_options *options,
                              const sensitivity_result *r, double wall_seconds)
{
    report_heading(f, s, "");
    fprintf(f, "sensitivity of %d outputs to %d uncertain inputs: %llu base draws, seed %llu, "
            "%llu model evaluations, %.2f s\n", r->output_count, r->input_count,
            (unsigned long long)r->base_draws, (unsigned long long)options->seed,
            (unsigned long long)r->model_evaluations, wall_seconds);
    if (options->methods & SENSITIVITY_SOBOL)
        fprintf(f, "Sobol: S1 (Saltelli 2010), ST (Jansen 1999); 95%% intervals by batch means "
                "over %d %s\n", r->batches,
                options->sampler == PLAN_SAMPLER_RQMC
                    ? "independently scrambled Sobol' replicates (--sampler rqmc)"
                    : "batches");
    if (options->methods & SENSITIVITY_TORNADO)
        fprintf(f, "tornado: each input at its %.10g%% and %.10g%% percentiles, the others at "
                "their point values\n", 100 * options->tornado_low, 100 * options->tornado_high);
    if (options->methods & SENSITIVITY_SRC)
        fprintf(f, "SRC: standardised coefficients of log(output) on log(input) (normal scores "
                "for inputs that reach 0)%s\n",
                r->group_count ? "; not additive here: with correlated inputs their squares do "
                                 "not sum to R^2"
                               : "");
    if (options->methods & SENSITIVITY_MEASURED)
        fprintf(f, "if measured: each output's %.10g%% interval with the input fixed at its median "
                "and the same draws otherwise (the first-order Sobol index is the expected share "
                "of the variance it removes)\n", 100 * r->interval_probability);
    if (r->group_count && options->methods & (SENSITIVITY_SOBOL | SENSITIVITY_TORNADO))
        fprintf(f, "correlated inputs: %s%s\n",
                options->methods & SENSITIVITY_SOBOL
                    ? "Sobol indices assume independent inputs, so each correlated group is one "
                      "factor (its members have none of their own)"
                    : "",
                options->methods & SENSITIVITY_TORNADO
                    ? (options->methods & SENSITIVITY_SOBOL
                           ? "; tornado moves an input's partners to their conditional medians"
                           : "tornado moves an input's partners to their conditional medians")
                    : "");
    for (int o = 0; o < r->output_count; o++) {
        int out = r->outputs[o];
        fprintf(f, "\n%s (%s)", scenario_output_name(s, out), scenario_output_unit(s, out));
        if (options->methods & SENSITIVITY_TORNADO)
            fprintf(f, ", at the point values %.4g", r->point_output[o]);
        if (options->methods & SENSITIVITY_SOBOL && !(r->variance[o] > 0))
            fprintf(f, "; Sobol indices undefined: the output does not vary");
        if (options->methods & SENSITIVITY_MEASURED)
            fprintf(f, ", %.10g%% interval [%.4g, %.4g]", 100 * r->interval_probability,
                    r->interval_low[o], r->interval_high[o]);
        if (options->methods & SENSITIVITY_SRC && !isnan(r->r_squared[o]))
            fprintf(f, ", regression R^2 %.3f%s", r->r_squared[o],
                    r->output_logged[o] ? "" : " (output not logged: it reaches 0)");
        fprintf(f, "\n%-26s", "input");
        if (options->methods & SENSITIVITY_SOBOL)
            fprintf(f, " %7s %-18s %7s %-18s", "S1", "95% interval", "ST", "95% interval");
        if (options->methods & SENSITIVITY_TORNADO)
            fprintf(f, " %11s %11s %11s", "output lo", "output hi", "swing");
        if (options->methods & SENSITIVITY_SRC) fprintf(f, " %7s", "SRC");
        if (options->methods & SENSITIVITY_MEASURED) fprintf(f, "  %s", "if measured");
        fprintf(f, "\n");
        int order[SENSITIVITY_MAX_INPUTS];
        report_order(options, r, o, order);
        for (int j = 0; j < r->input_count; j++) {
            int k = order[j];
            const sensitivity_index *x = &r->index[o][k];
            fprintf(f, "%-26s", s->params[r->input_param[k]].name);
            if (options->methods & SENSITIVITY_SOBOL && r->input_group[k])
                fprintf(f, " %7s %-18s %7s %-18s", "group", "", "group", "");
            else if (options->methods & SENSITIVITY_SOBOL)
                print_sobol(f, r, x);
            if (options->methods & SENSITIVITY_TORNADO)
                fprintf(f, " %11.4g %11.4g %11.4g", x->tornado_low_output, x->tornado_high_output,
                        x->tornado_high_output - x->tornado_low_output);
            if (options->methods & SENSITIVITY_SRC && isnan(x->src)) fprintf(f, " %7s", "-");
            else if (options->methods & SENSITIVITY_SRC) fprintf(f, " %7.3f", x->src);
            if (options->methods & SENSITIVITY_MEASURED && isnan(x->measured_low))
                fprintf(f, "  -");
            else if (options->methods & SENSITIVITY_MEASURED)
                fprintf(f, "  [%.4g, %.4g]", x->measured_low, x->measured_high);
            fprintf(f, "\n");
        }
        for (int g = 0; options->methods & SENSITIVITY_SOBOL && g < r->group_count; g++) {
            const sensitivity_index *x = &r->group[o][g];
            char name[256];
            fprintf(f, "%-26s", group_name(s, g, name, sizeof name));
            print_sobol(f, r, x);
            fprintf(f, "\n");
        }
    }
}

/* The "settings" section of a sensitivity result. */
static cJSON *settings_json(const sensitivity_options *options, const sensitivity_result *r)
{
    cJSON *settings = cJSON_CreateObject();
    cJSON *methods = cJSON_AddArrayToObject(settings, "methods");
#define REPORT_METHOD(name, bit) \
    if (options->methods & (bit)) cJSON_AddItemToArray(methods, cJSON_CreateString(name));
    SENSITIVITY_METHODS(REPORT_METHOD)
#undef REPORT_METHOD
    json_out_add_whole(settings, "base_draws", r->base_draws);
    json_out_add_whole(settings, "seed", options->seed);
    json_out_add_number(settings, "confidence", 0.95);
    json_out_add_number(settings, "batches", r->batches);
    cJSON *sampler = cJSON_AddObjectToObject(settings, "sobol_sampler");
    cJSON_AddStringToObject(sampler, "kind", options->sampler == PLAN_SAMPLER_RQMC ? "rqmc" : "mc");
    if (options->sampler == PLAN_SAMPLER_RQMC) {
        cJSON_AddStringToObject(sampler, "sequence", "sobol_joe_kuo_2008");
        cJSON_AddStringToObject(sampler, "randomization", "linear_matrix_scramble_and_digital_shift");
        json_out_add_number(sampler, "replicates", r->batches);
        cJSON_AddStringToObject(sampler, "intervals", "student_t_over_replicates");
    } else {
        cJSON_AddStringToObject(sampler, "intervals", "batch_means");
    }
    cJSON_AddItemToObject(settings, "tornado_percentiles",
                          json_out_pair(options->tornado_low, options->tornado_high));
    if (options->methods & SENSITIVITY_MEASURED)
        json_out_add_number(settings, "interval", r->interval_probability);
    if (r->group_count) {
        cJSON_AddStringToObject(settings, "correlated_inputs",
                                "Sobol indices assume independent inputs: each correlated group "
                                "is one factor (outputs.*.groups) and its members have no index "
                                "of their own; tornado moves an input's partners to their "
                                "conditional medians; the regression coefficients are not "
                                "additive");
        cJSON_AddBoolToObject(settings, "src_additive", 0);
    }
    return settings;
}

int report_sensitivity_json(const char *path, const scenario *s, const char *file,
                            const sensitivity_options *options, const sensitivity_result *r,
                            double wall_seconds, int threads, char *err, size_t errlen)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "thirst-sensitivity");
    json_out_add_number(root, "schema_version", REPORT_SCHEMA_VERSION);
    cJSON_AddItemToObject(root, "scenario", json_out_scenario(s, file));
    cJSON *provenance = provenance_json(s, "sensitivity");
    provenance_add_seed(provenance, options->seed);
    cJSON_AddItemToObject(root, "provenance", provenance);
    cJSON_AddItemToObject(root, "settings", settings_json(options, r));
    cJSON *outputs = cJSON_AddObjectToObject(root, "outputs");
    for (int o = 0; o < r->output_count; o++) {
        int out = r->outputs[o];
        cJSON *item = cJSON_AddObjectToObject(outputs, scenario_output_name(s, out));
        cJSON_AddStringToObject(item, "unit", scenario_output_unit(s, out));
        if (options->methods & SENSITIVITY_SOBOL) json_out_add_number(item, "variance", r->variance[o]);
        if (options->methods & SENSITIVITY_TORNADO)
            json_out_add_number(item, "point_value", r->point_output[o]);
        if (options->methods & SENSITIVITY_MEASURED)
            cJSON_AddItemToObject(item, "interval",
                                  json_out_pair(r->interval_low[o], r->interval_high[o]));
        if (options->methods & SENSITIVITY_SRC) {
            json_out_add_number(item, "r_squared", r->r_squared[o]);
            cJSON_AddStringToObject(item, "src_output", r->output_logged[o] ? "log" : "linear");
        }
        cJSON *inputs = cJSON_AddObjectToObject(item, "inputs");
        int order[SENSITIVITY_MAX_INPUTS];
        report_order(options, r, o, order);
        for (int j = 0; j < r->input_count; j++) {
            int k = order[j];
            const sensitivity_index *x = &r->index[o][k];
            cJSON *entry = cJSON_AddObjectToObject(inputs, s->params[r->input_param[k]].name);
            if (options->methods & SENSITIVITY_SOBOL && r->input_group[k]) {
                char name[256];
                cJSON_AddStringToObject(entry, "sobol_group",
                                        group_name(s, r->input_group[k] - 1, name, sizeof name));
            } else if (options->methods & SENSITIVITY_SOBOL) {
                add_sobol(entry, r, x);
            }
            if (options->methods & SENSITIVITY_TORNADO) {
                cJSON *tornado = cJSON_AddObjectToObject(entry, "tornado");
                json_out_add_number(tornado, "input_low", r->input_low[k]);
                json_out_add_number(tornado, "input_high", r->input_high[k]);
                json_out_add_number(tornado, "output_low", x->tornado_low_output);
                json_out_add_number(tornado, "output_high", x->tornado_high_output);
                json_out_add_number(tornado, "swing", x->tornado_high_output - x->tornado_low_output);
            }
            if (options->methods & SENSITIVITY_SRC) {
                json_out_add_number(entry, "src", x->src);
                cJSON_AddStringToObject(entry, "src_input",
                                        r->input_logged[k] ? "log" : "normal_score");
            }
            if (options->methods & SENSITIVITY_MEASURED) {
                cJSON *measured = cJSON_AddObjectToObject(entry, "if_measured");
                cJSON_AddItemToObject(measured, "interval",
                                      json_out_pair(x->measured_low, x->measured_high));
                double width = r->interval_high[o] - r->interval_low[o];
                json_out_add_number(measured, "width_ratio",
                                    width > 0 ? (x->measured_high - x->measured_low) / width : NAN);
            }
        }
        if (r->group_count && options->methods & SENSITIVITY_SOBOL) {
            cJSON *groups = cJSON_AddObjectToObject(item, "groups");
            for (int g = 0; g < r->group_count; g++) {
                char name[256];
                cJSON *entry = cJSON_AddObjectToObject(groups, group_name(s, g, name, sizeof name));
                cJSON *members = cJSON_AddArrayToObject(entry, "members");
                for (int k = 0; k < r->input_count; k++)
                    if (r->input_group[k] == g + 1)
                        cJSON_AddItemToArray(members,
                                             cJSON_CreateString(s->params[r->input_param[k]].name));
                add_sobol(entry, r, &r->group[o][g]);
            }
        }
    }
    cJSON *run = cJSON_AddObjectToObject(root, "run");
    cJSON_AddStringToObject(run, "version", THIRST_VERSION);
    cJSON_AddStringToObject(run, "backend", options->backend ? options->backend->name : "cpu");
    json_out_add_number(run, "threads", threads);
    json_out_add_whole(run, "model_evaluations", r->model_evaluations);
    json_out_add_whole(run, "resumed_batches", (uint64_t)r->resumed_batches);
    json_out_add_number(run, "wall_seconds", wall_seconds);
    return json_out_write(path, root, err, errlen);
}
