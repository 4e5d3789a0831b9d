/* provenance.c: the "provenance" section of every JSON result (host/provenance.h): the
 * scenario's text and overrides as read, and the scenario as resolved (canonical priors,
 * formulas, correlations), so that a reader sees what produced the numbers and
 * `thirst run --replay` can produce them again. */
#include "provenance.h"

#include <math.h>
#include <stdio.h>

#include "json_out.h"
#include "prior_build.h"
#include "scenario_correlations.h"
#include "units.h"

/* Add name = v (a number) to object. */
static void add(cJSON *object, const char *name, double v) { json_out_add_number(object, name, v); }

/* The canonical prior of single-valued parameter p (data: the scenario's float data). */
static cJSON *prior_json(const prior_spec *p, const float *data)
{
    cJSON *prior = cJSON_CreateObject();
    const char *names[4];
    double values[4];
    int n = prior_build_describe(p, names, values);
    for (int k = 0; k < n; k++)   /* an infinite bound is no bound: left out */
        if (isfinite(values[k])) add(prior, names[k], values[k]);
    if (p->dist != PRIOR_CHOICE) return prior;
    cJSON *options = cJSON_AddArrayToObject(prior, "options");
    const float *cumulative = data + p->data_offset;
    for (int k = 0; k < p->data_count; k++) {
        cJSON *option = cJSON_CreateObject();
        add(option, "weight", cumulative[k] - (k ? cumulative[k - 1] : 0.0f));
        add(option, "value", data[p->data_offset + p->data_count + k * p->choice_slot_count]);
        cJSON_AddItemToArray(options, option);
    }
    return prior;
}

/* A choice over several parameters: its options' weights and values, by parameter name. */
static cJSON *group_json(const scenario *s, const prior_spec *p)
{
    cJSON *prior = cJSON_CreateObject();
    cJSON *options = cJSON_AddArrayToObject(prior, "options");
    const float *cumulative = s->prior_data + p->data_offset;
    for (int k = 0; k < p->data_count; k++) {
        cJSON *option = cJSON_CreateObject();
        add(option, "weight", cumulative[k] - (k ? cumulative[k - 1] : 0.0f));
        cJSON *values = cJSON_AddObjectToObject(option, "values");
        for (int m = 0; m < p->choice_slot_count; m++)
            add(values, scenario_input_name(s, p->choice_slot[m]),
                s->prior_data[p->data_offset + p->data_count + k * p->choice_slot_count + m]);
        cJSON_AddItemToArray(options, option);
    }
    return prior;
}

/* Each parameter as resolved: distribution as written, prior in canonical units, point,
 * median, unit, source. */
static cJSON *params_json(const scenario *s)
{
    cJSON *params = cJSON_CreateObject();
    for (int k = 0; k < s->param_count; k++) {
        const scenario_param *sp = &s->params[k];
        cJSON *item = cJSON_AddObjectToObject(params, sp->name);
        cJSON_AddStringToObject(item, "dist", sp->dist);
        const units_param *u = sp->is_user || sp->is_group ? NULL : units_param_of_slot(sp->prior.slot);
        cJSON_AddStringToObject(item, "unit", u ? u->unit : sp->unit);
        if (sp->unit[0] && u) cJSON_AddStringToObject(item, "unit_as_written", sp->unit);
        cJSON_AddItemToObject(item, "prior", sp->is_group ? group_json(s, &sp->prior)
                                                          : prior_json(&sp->prior, s->prior_data));
        if (sp->has_point) add(item, sp->is_group ? "point_option" : "point", sp->point);
        add(item, sp->is_group ? "median_option" : "median", sp->median);
        if (sp->source[0]) cJSON_AddStringToObject(item, "source", sp->source);
    }
    return params;
}

/* The correlations as given (rank measure) and as used (the copula's Gaussian correlation). */
static cJSON *correlations_json(const scenario *s)
{
    const scenario_correlations *cr = &s->correlations;
    cJSON *list = cJSON_CreateArray();
    for (int k = 0; k < cr->pair_count; k++) {
        const scenario_pair *p = &cr->pairs[k];
        int a = -1, b = -1;
        for (int m = 0; m < cr->member_count; m++) {
            if (cr->member_param[m] == p->param_a) a = m;
            if (cr->member_param[m] == p->param_b) b = m;
        }
        cJSON *item = cJSON_CreateObject();
        cJSON *names = cJSON_AddArrayToObject(item, "params");
        cJSON_AddItemToArray(names, cJSON_CreateString(s->params[p->param_a].name));
        cJSON_AddItemToArray(names, cJSON_CreateString(s->params[p->param_b].name));
        add(item, cr->entry_kendall[p->entry] ? "kendall" : "spearman", p->given);
        add(item, "gaussian_used", a >= 0 && b >= 0 ? cr->used[a][b] : 0.0);
        if (cr->entry_source[p->entry][0])
            cJSON_AddStringToObject(item, "source", cr->entry_source[p->entry]);
        cJSON_AddItemToArray(list, item);
    }
    return list;
}

cJSON *provenance_json(const scenario *s, const char *command)
{
    cJSON *section = cJSON_CreateObject();
    cJSON_AddStringToObject(section, "thirst_version", THIRST_VERSION);
    add(section, "numbers_version", THIRST_NUMBERS_VERSION);
    cJSON_AddStringToObject(section, "commit", THIRST_COMMIT);
    cJSON_AddStringToObject(section, "command", command);
    cJSON_AddStringToObject(section, "scenario_text", s->text ? s->text : "");
    cJSON *overrides = cJSON_AddArrayToObject(section, "overrides");
    for (int k = 0; k < s->override_count; k++)
        cJSON_AddItemToArray(overrides, cJSON_CreateString(s->overrides[k]));
    cJSON *resolved = cJSON_AddObjectToObject(section, "resolved");
    cJSON_AddStringToObject(resolved, "workload", scenario_workload_name(s));
    cJSON_AddItemToObject(resolved, "params", params_json(s));
    if (s->formula_count) {
        cJSON *formulas = cJSON_AddObjectToObject(resolved, "formulas");
        for (int k = 0; k < s->formula_count; k++)
            cJSON_AddStringToObject(formulas, s->formulas[k].name, s->formulas[k].text);
    }
    if (s->correlations.pair_count)
        cJSON_AddItemToObject(resolved, "correlations", correlations_json(s));
    return section;
}

void provenance_add_seed(cJSON *provenance, uint64_t seed)
{
    char digits[24];
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)seed);
    cJSON_AddStringToObject(provenance, "seed", digits);
}
