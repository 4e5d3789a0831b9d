/* prior_choice.c: a choice prior: weighted options of one parameter's value, or of several
 * parameters at once (a site with its PUE, WUE, EWIF), with their weights, names and domains
 * checked. */
#include "prior_choice.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prior_parse.h"
#include "units.h"

/* Parse a choice prior. A scalar choice (options carry "value") sets the parameter it is named
 * after; a group choice (options carry "values": {param: number}) sets several parameters and
 * may have any name that is not a parameter's. */
int prior_choice_parse(parse_ctx *c, const cJSON *object, const char *path, const char *name,
                        scenario_param *sp, int *slot_taken, char (*option_names)[64])
{
    static const char *const fields[] = {LOADER_COMMON_FIELDS, "options", "units", NULL};
    int status = loader_check_fields(c, object, path, fields, "a choice prior");
    if (status) return status;
    const cJSON *options = cJSON_GetObjectItemCaseSensitive(object, "options");
    if (!options) return FAIL(c, "%s: %s: missing \"options\" (choice prior)", c->file, path);
    if (!cJSON_IsArray(options) || cJSON_GetArraySize(options) == 0)
        return FAIL(c, "%s: %s.options: expected a non-empty array of options, got %s", c->file,
                    path, cJSON_IsArray(options) ? "an empty array" : loader_type_name(options));
    int count = cJSON_GetArraySize(options);
    if (count > SCENARIO_MAX_OPTIONS)
        return FAIL(c, "%s: %s.options: expected at most %d options, got %d", c->file, path,
                    SCENARIO_MAX_OPTIONS, count);
    const units_param *self = units_param_find(name);
    const cJSON *first = cJSON_GetArrayItem(options, 0);
    int is_group = cJSON_IsObject(first) && cJSON_GetObjectItemCaseSensitive(first, "values");
    if (is_group && self)
        return FAIL(c, "%s: %s: a choice whose options carry \"values\" sets several parameters "
                    "and must not be named after the parameter '%s'", c->file, path, name);
    if (!is_group && !self) {
        const char *names[64];
        int n = units_param_count();
        for (int k = 0; k < n && k < 64; k++) names[k] = units_param_at(k)->name;
        const char *suggestion = units_suggest(name, names, n);
        return FAIL(c, "%s: %s: unknown parameter%s%s%s (a choice over several parameters gives "
                    "each option \"values\")", c->file, path, suggestion ? "; did you mean '" : "",
                    suggestion ? suggestion : "", suggestion ? "'?" : "");
    }

    /* Which slots the options set, from the first option. */
    const units_param *targets[PRIOR_CHOICE_MAX_SLOTS];
    double factors[PRIOR_CHOICE_MAX_SLOTS];
    int target_count = 0;
    const cJSON *units = cJSON_GetObjectItemCaseSensitive(object, "units");
    char option_path[256];
    if (is_group) {
        const cJSON *values = cJSON_GetObjectItemCaseSensitive(first, "values");
        snprintf(option_path, sizeof option_path, "%s.options[0].values", path);
        if (!cJSON_IsObject(values) || !values->child)
            return FAIL(c, "%s: %s: expected an object of parameter values, got %s", c->file,
                        option_path, loader_type_name(values));
        for (const cJSON *m = values->child; m; m = m->next) {
            const units_param *u = units_param_find(m->string);
            if (!u) {
                const char *names[64];
                int n = units_param_count();
                for (int k = 0; k < n && k < 64; k++) names[k] = units_param_at(k)->name;
                const char *suggestion = units_suggest(m->string, names, n);
                return FAIL(c, "%s: %s.%s: unknown parameter%s%s%s", c->file, option_path,
                            m->string, suggestion ? "; did you mean '" : "",
                            suggestion ? suggestion : "", suggestion ? "'?" : "");
            }
            if (target_count == PRIOR_CHOICE_MAX_SLOTS)
                return FAIL(c, "%s: %s: an option sets at most %d parameters", c->file,
                            option_path, PRIOR_CHOICE_MAX_SLOTS);
            if (slot_taken[u->slot])
                return FAIL(c, "%s: %s.%s: parameter given twice (here and elsewhere in params)",
                            c->file, option_path, m->string);
            targets[target_count] = u;
            factors[target_count] = 1;
            target_count++;
        }
        if (units && !cJSON_IsObject(units))
            return FAIL(c, "%s: %s.units: expected an object {parameter: unit}, got %s", c->file,
                        path, loader_type_name(units));
        for (const cJSON *m = units ? units->child : NULL; m; m = m->next) {
            int k = 0;
            while (k < target_count && strcmp(targets[k]->name, m->string) != 0) k++;
            if (k == target_count)
                return FAIL(c, "%s: %s.units.%s: not a parameter the options set", c->file, path,
                            m->string);
            if (!cJSON_IsString(m))
                return FAIL(c, "%s: %s.units.%s: expected a unit string, got %s", c->file, path,
                            m->string, loader_type_name(m));
            factors[k] = units_factor(targets[k], m->valuestring);
            if (factors[k] == 0)
                return FAIL(c, "%s: %s.units.%s: expected a unit of %s (%s), got '%s'", c->file,
                            path, m->string, m->string, units_accepted(targets[k]),
                            m->valuestring);
        }
    } else {
        if (units)
            return FAIL(c, "%s: %s.units: only a choice over several parameters takes \"units\"; "
                        "use \"unit\"", c->file, path);
        if (slot_taken[self->slot])
            return FAIL(c, "%s: %s: parameter given twice", c->file, path);
        targets[0] = self;
        target_count = 1;
        if ((status = prior_parse_unit(c, object, path, self, sp->unit, sizeof sp->unit, &factors[0])))
            return status;
    }

    /* Options: cumulative weights, then values option by option. */
    float *block = calloc((size_t)count * (1 + target_count), sizeof *block);
    double *weights = calloc((size_t)count, sizeof *weights);
    if (!block || !weights) {
        free(block);
        free(weights);
        return status_fail(c->err, c->errlen, THIRST_ERR_RUNTIME, "out of memory");
    }
    double total = 0, support_low[PRIOR_CHOICE_MAX_SLOTS], support_high[PRIOR_CHOICE_MAX_SLOTS];
    for (int m = 0; m < target_count; m++) {
        support_low[m] = INFINITY;
        support_high[m] = -INFINITY;
    }
    status = THIRST_OK;
    int k = 0;
    for (const cJSON *option = options->child; option && !status; option = option->next, k++) {
        snprintf(option_path, sizeof option_path, "%s.options[%d]", path, k);
        if (!cJSON_IsObject(option)) {
            status = FAIL(c, "%s: %s: expected an object, got %s", c->file, option_path,
                          loader_type_name(option));
            break;
        }
        static const char *const scalar_fields[] = {"value", "weight", "name", "source", NULL};
        static const char *const group_fields[] = {"values", "weight", "name", "source", NULL};
        if ((status = loader_check_fields(c, option, option_path, is_group ? group_fields : scalar_fields,
                                   "a choice option")) ||
            (status = loader_check_duplicates(c, option, option_path)))
            break;
        double weight = 1;
        int present;
        if ((status = loader_get_number(c, option, option_path, "weight", &weight, &present))) break;
        if (!(weight >= 0)) {
            status = FAIL(c, "%s: %s.weight: expected a number >= 0, got %g", c->file,
                          option_path, weight);
            break;
        }
        weights[k] = weight;
        total += weight;
        option_names[k][0] = '\0';
        if ((status = loader_get_string(c, option, option_path, "name", option_names[k], 64, &present)))
            break;
        if (is_group && !present) {
            status = FAIL(c, "%s: %s: missing \"name\" (each option of a choice over several "
                          "parameters is named, e.g. a site)", c->file, option_path);
            break;
        }
        for (int earlier = 0; present && earlier < k; earlier++)
            if (strcmp(option_names[earlier], option_names[k]) == 0) {
                status = FAIL(c, "%s: %s.name: '%s' names an earlier option too", c->file,
                              option_path, option_names[k]);
                break;
            }
        if (status) break;
        float *values = block + count + k * target_count;
        if (!is_group) {
            double v = 0;
            if ((status = loader_get_number(c, option, option_path, "value", &v, &present))) break;
            if (!present) {
                status = FAIL(c, "%s: %s: missing \"value\"", c->file, option_path);
                break;
            }
            c->unit = targets[0]->unit;
            if ((status = loader_check_float(c, option_path, "value", v * factors[0]))) break;
            values[0] = (float)(v * factors[0]);
            if (v * factors[0] < support_low[0]) support_low[0] = v * factors[0];
            if (v * factors[0] > support_high[0]) support_high[0] = v * factors[0];
            continue;
        }
        const cJSON *given = cJSON_GetObjectItemCaseSensitive(option, "values");
        char values_path[300];
        snprintf(values_path, sizeof values_path, "%s.values", option_path);
        if (!given || !cJSON_IsObject(given)) {
            status = FAIL(c, "%s: %s: expected an object of parameter values, got %s", c->file,
                          values_path, given ? loader_type_name(given) : "nothing");
            break;
        }
        if ((status = loader_check_duplicates(c, given, values_path))) break;
        int seen = 0;
        for (const cJSON *m = given->child; m && !status; m = m->next) {
            int t = 0;
            while (t < target_count && strcmp(targets[t]->name, m->string) != 0) t++;
            if (t == target_count) {
                status = FAIL(c, "%s: %s.%s: option 0 does not set this parameter; every option "
                              "sets the same ones", c->file, values_path, m->string);
                break;
            }
            double v = 0;
            if ((status = loader_get_number(c, given, values_path, m->string, &v, &present))) break;
            c->unit = targets[t]->unit;
            if ((status = loader_check_float(c, values_path, m->string, v * factors[t]))) break;
            values[t] = (float)(v * factors[t]);
            if (v * factors[t] < support_low[t]) support_low[t] = v * factors[t];
            if (v * factors[t] > support_high[t]) support_high[t] = v * factors[t];
            seen++;
        }
        if (!status && seen != target_count)
            status = FAIL(c, "%s: %s: sets %d of the %d parameters that option 0 sets", c->file,
                          values_path, seen, target_count);
    }
    if (!status && !(total > 0))
        status = FAIL(c, "%s: %s.options: the weights sum to 0; expected a positive sum", c->file,
                      path);
    if (!status && !isfinite(total))
        status = FAIL(c, "%s: %s.options: the weights sum to more than the largest double; "
                      "scale them down (only their ratios matter)", c->file, path);
    /* Draws pick an option with a uniform of 2^-23 resolution: a smaller share would be drawn
     * at the wrong rate, or never. */
    for (int o = 0; !status && o < count; o++)
        if (weights[o] > 0 && weights[o] / total < 0x1p-23)
            status = FAIL(c, "%s: %s.options[%d].weight: its share of the total, %.3g, is below "
                          "the 2^-23 (1.2e-7) a draw resolves; give it weight 0 or more weight",
                          c->file, path, o, weights[o] / total);
    for (int t = 0; !status && t < target_count; t++) {
        char target_path[300];
        snprintf(target_path, sizeof target_path, "%s (%s)", path, targets[t]->name);
        status = prior_parse_domain(c, target_path, targets[t], "choice", support_low[t],
                              support_high[t]);
    }
    if (!status) {
        double cumulative = 0;
        for (int o = 0; o < count; o++) {
            cumulative += weights[o];
            block[o] = (float)(cumulative / total);
        }
        block[count - 1] = 1.0f;
        int offset = prior_data_append(&c->data, block, count * (1 + target_count));
        if (offset < 0) status = status_fail(c->err, c->errlen, THIRST_ERR_RUNTIME, "out of memory");
        sp->prior.dist = PRIOR_CHOICE;
        sp->prior.slot = -1;
        sp->prior.data_offset = offset;
        sp->prior.data_count = count;
        sp->prior.choice_slot_count = target_count;
        for (int t = 0; t < target_count; t++) {
            sp->prior.choice_slot[t] = targets[t]->slot;
            slot_taken[targets[t]->slot] = 1;
        }
        sp->is_group = is_group;
    }
    free(block);
    free(weights);
    return status;
}

