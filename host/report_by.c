/* report_by.c: `thirst run SCENARIO --by NAME` (host/report_by.h): a choice's options from the
 * scenario's text, each kept alone by a --set override (a choice over several parameters by its
 * option's name, a choice over one by the option's value as written), and the per-option table
 * and JSON. Each option's run has the same seed and draws: the other inputs take the same values
 * in every run. */
#include "report_by.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "provenance.h"
#include "status.h"

int report_by_options_of(const scenario *s, const char *param, report_by_options *out, char *err,
                         size_t errlen)
{
    memset(out, 0, sizeof *out);
    cJSON *root = cJSON_Parse(s->text ? s->text : "");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(root, "params");
    const cJSON *prior = cJSON_GetObjectItemCaseSensitive(params, param);
    const cJSON *dist = cJSON_GetObjectItemCaseSensitive(prior, "dist");
    const cJSON *options = cJSON_GetObjectItemCaseSensitive(prior, "options");
    int status = THIRST_OK;
    const int choice = cJSON_IsString(dist) && !strcmp(dist->valuestring, "choice") &&
                       cJSON_IsArray(options);
    if (!prior)
        status = status_fail(err, errlen, THIRST_ERR_INPUT, "--by: '%s' is not a parameter of %s",
                             param, s->file);
    else if (!choice)
        status = status_fail(err, errlen, THIRST_ERR_INPUT, "--by: '%s' is not a choice (--by "
                             "takes a choice, e.g. a site); its dist is '%s'", param,
                             cJSON_IsString(dist) ? dist->valuestring : "?");
    for (const cJSON *o = status ? NULL : options->child; o; o = o->next) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "name");
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(o, "value");
        const int group = cJSON_GetObjectItemCaseSensitive(o, "values") != NULL;
        char number[40] = "";
        /* the shortest of 15 or 17 digits that reads back as the same double */
        if (cJSON_IsNumber(value)) snprintf(number, sizeof number, "%.15g", value->valuedouble);
        if (cJSON_IsNumber(value) && strtod(number, NULL) != value->valuedouble)
            snprintf(number, sizeof number, "%.17g", value->valuedouble);
        snprintf(out->label[out->count], sizeof out->label[0], "%s",
                 cJSON_IsString(name) ? name->valuestring : number);
        snprintf(out->override[out->count], sizeof out->override[0], "%s=%s", param,
                 group ? (cJSON_IsString(name) ? name->valuestring : "") : number);
        out->count++;
    }
    cJSON_Delete(root);
    return status;
}

/* value as the table prints it: 4 significant digits. */
static void cell(FILE *f, double value, double divisor)
{
    fprintf(f, " %10.4g", value / divisor);
}

void report_by_table(FILE *f, const char *param, const report_by_options *options,
                     const report_run *runs)
{
    const scenario *s = runs[0].s;
    const draw_plan *plan = &runs[0].result->plan;
    char what[128];
    snprintf(what, sizeof what, " (by %s: %d options)", param, options->count);
    report_heading(f, s, what);
    fprintf(f, "%llu draws each, seed %llu, %s backend; the other inputs take the same values in "
            "every option's run\n", (unsigned long long)plan->draws,
            (unsigned long long)plan->seed, runs[0].info.backend);
    const int q = s->quantile_count;
    int median = -1;
    for (int k = 0; k < q; k++)
        if (s->quantiles[k] == 0.5) median = k;
    for (int o = 0; o < plan->output_count; o++) {
        int out = plan->outputs[o];
        double divisor;
        const char *unit = report_display_unit(scenario_output_unit(s, out),
                                               fabs(runs[0].result->stats[o].mean), &divisor);
        fprintf(f, "\n%s (%s)\n%-24s %10s %10s %10s %10s\n", scenario_output_name(s, out), unit,
                param, "mean", "median", "low", "high");
        for (int k = 0; k < options->count; k++) {
            const stats_output *st = &runs[k].result->stats[o];
            fprintf(f, "%-24s", options->label[k]);
            cell(f, st->mean, divisor);
            if (median >= 0) cell(f, st->quantile[median], divisor);
            else fprintf(f, " %10s", "-");
            cell(f, st->interval_low, divisor);
            cell(f, st->interval_high, divisor);
            fprintf(f, "\n");
        }
    }
    fprintf(f, "\nlow, high: the central %.10g%% interval of each option's draws\n",
            100 * s->interval);
}

int report_by_json(const char *path, const scenario *base, const char *param,
                   const report_by_options *options, const report_run *runs, char *err,
                   size_t errlen)
{
    const scenario *s = base;
    const draw_plan *plan = &runs[0].result->plan;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "thirst-by");
    json_out_add_number(root, "schema_version", 1);
    cJSON_AddItemToObject(root, "scenario", json_out_scenario(s, runs[0].info.scenario_file));
    cJSON *provenance = provenance_json(s, "run");
    provenance_add_seed(provenance, plan->seed);
    cJSON_AddItemToObject(root, "provenance", provenance);
    cJSON_AddStringToObject(root, "by", param);
    cJSON *settings = cJSON_AddObjectToObject(root, "settings");
    json_out_add_whole(settings, "draws", plan->draws);
    json_out_add_whole(settings, "seed", plan->seed);
    json_out_add_number(settings, "interval", s->interval);
    cJSON_AddItemToObject(settings, "sampler", report_sampler_json(plan));
    cJSON *list = cJSON_AddArrayToObject(root, "options");
    for (int k = 0; k < options->count; k++) {
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "option", options->label[k]);
        cJSON_AddStringToObject(item, "set", options->override[k]);
        cJSON_AddItemToObject(item, "outputs", report_outputs_json(&runs[k]));
        cJSON_AddItemToArray(list, item);
    }
    cJSON *run = cJSON_AddObjectToObject(root, "run");
    cJSON_AddStringToObject(run, "version", THIRST_VERSION);
    cJSON_AddStringToObject(run, "backend", runs[0].info.backend);
    cJSON *resumed = cJSON_AddArrayToObject(run, "resumed_units");   /* per option */
    cJSON *passes = cJSON_AddArrayToObject(run, "refinement_passes");
    for (int k = 0; k < options->count; k++) {
        cJSON_AddItemToArray(resumed, cJSON_CreateNumber((double)runs[k].result->resumed_units));
        cJSON_AddItemToArray(passes, cJSON_CreateNumber(runs[k].result->refinement_passes));
    }
    return json_out_write(path, root, err, errlen);
}
