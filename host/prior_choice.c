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

/* What a choice prior is built from while its options are read. */
typedef struct {
    const cJSON *options;                               /* the "options" array */
    int count;                                          /* options */
    int is_group;                                       /* options carry "values" */
    const units_param *targets[PRIOR_CHOICE_MAX_SLOTS]; /* the parameters the options set */
    double factors[PRIOR_CHOICE_MAX_SLOTS];             /* unit factor of each target */
    int target_count;
    float *block;                /* count cumulative weights, then count x target_count values */
    double *weights;             /* count weights */
    double total;                /* their sum */
    double support_low[PRIOR_CHOICE_MAX_SLOTS], support_high[PRIOR_CHOICE_MAX_SLOTS];
} choice_build;

/* FAIL with "unknown parameter" at where, with a suggestion when a parameter's name is close. */
static int unknown_parameter(parse_ctx *c, const char *where, const char *name, const char *hint)
{
    const char *names[64];
    int n = units_param_count();
    for (int k = 0; k < n && k < 64; k++) names[k] = units_param_at(k)->name;
    const char *suggestion = units_suggest(name, names, n);
    return FAIL(c, "%s: %s: unknown parameter%s%s%s%s", c->file, where,
                suggestion ? "; did you mean '" : "", suggestion ? suggestion : "",
                suggestion ? "'?" : "", hint);
}

/* The options array and the kind of choice (scalar or group) of the choice at path. */
static int read_kind(parse_ctx *c, const cJSON *object, const char *path, const char *name,
                     choice_build *b)
{
    static const char *const fields[] = {LOADER_COMMON_FIELDS, "options", "units", NULL};
    int status = loader_check_fields(c, object, path, fields, "a choice prior");
    if (status) return status;
    const cJSON *options = cJSON_GetObjectItemCaseSensitive(object, "options");
    if (!options) return FAIL(c, "%s: %s: missing \"options\" (choice prior)", c->file, path);
    if (!cJSON_IsArray(options) || cJSON_GetArraySize(options) == 0)
        return FAIL(c, "%s: %s.options: expected a non-empty array of options, got %s", c->file,
                    path, cJSON_IsArray(options) ? "an empty array" : loader_type_name(options));
    b->options = options;
    b->count = cJSON_GetArraySize(options);
    if (b->count > SCENARIO_MAX_OPTIONS)
        return FAIL(c, "%s: %s.options: expected at most %d options, got %d", c->file, path,
                    SCENARIO_MAX_OPTIONS, b->count);
    const units_param *self = units_param_find(name);
    const cJSON *first = cJSON_GetArrayItem(options, 0);
    b->is_group = cJSON_IsObject(first) && cJSON_GetObjectItemCaseSensitive(first, "values");
    if (b->is_group && self)
        return FAIL(c, "%s: %s: a choice whose options carry \"values\" sets several parameters "
                    "and must not be named after the parameter '%s'", c->file, path, name);
    if (!b->is_group && !self)
        return unknown_parameter(c, path, name, " (a choice over several parameters gives each "
                                 "option \"values\")");
    return THIRST_OK;
}

/* A group choice's targets, from its first option's "values", and their "units". */
static int read_group_targets(parse_ctx *c, const cJSON *object, const char *path,
                              const int *slot_taken, choice_build *b)
{
    const cJSON *values = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(b->options, 0),
                                                           "values");
    char option_path[256];
    snprintf(option_path, sizeof option_path, "%s.options[0].values", path);
    if (!cJSON_IsObject(values) || !values->child)
        return FAIL(c, "%s: %s: expected an object of parameter values, got %s", c->file,
                    option_path, loader_type_name(values));
    for (const cJSON *m = values->child; m; m = m->next) {
        const units_param *u = units_param_find(m->string);
        if (!u) {
            char where[320];
            snprintf(where, sizeof where, "%s.%s", option_path, m->string);
            return unknown_parameter(c, where, m->string, "");
        }
        if (b->target_count == PRIOR_CHOICE_MAX_SLOTS)
            return FAIL(c, "%s: %s: an option sets at most %d parameters", c->file, option_path,
                        PRIOR_CHOICE_MAX_SLOTS);
        if (slot_taken[u->slot])
            return FAIL(c, "%s: %s.%s: parameter given twice (here and elsewhere in params)",
                        c->file, option_path, m->string);
        b->targets[b->target_count] = u;
        b->factors[b->target_count] = 1;
        b->target_count++;
    }
    const cJSON *units = cJSON_GetObjectItemCaseSensitive(object, "units");
    if (units && !cJSON_IsObject(units))
        return FAIL(c, "%s: %s.units: expected an object {parameter: unit}, got %s", c->file,
                    path, loader_type_name(units));
    for (const cJSON *m = units ? units->child : NULL; m; m = m->next) {
        int k = 0;
        while (k < b->target_count && strcmp(b->targets[k]->name, m->string) != 0) k++;
        if (k == b->target_count)
            return FAIL(c, "%s: %s.units.%s: not a parameter the options set", c->file, path,
                        m->string);
        if (!cJSON_IsString(m))
            return FAIL(c, "%s: %s.units.%s: expected a unit string, got %s", c->file, path,
                        m->string, loader_type_name(m));
        b->factors[k] = units_factor(b->targets[k], m->valuestring);
        if (b->factors[k] == 0)
            return FAIL(c, "%s: %s.units.%s: expected a unit of %s (%s), got '%s'", c->file,
                        path, m->string, m->string, units_accepted(b->targets[k]),
                        m->valuestring);
    }
    return THIRST_OK;
}

/* Record value v (in the given unit) of target t for option k, in canonical units. */
static int store_value(parse_ctx *c, const char *where, const char *key, choice_build *b, int k,
                       int t, double v)
{
    double canonical = v * b->factors[t];
    c->unit = b->targets[t]->unit;
    int status = loader_check_float(c, where, key, canonical);
    if (status) return status;
    b->block[b->count + k * b->target_count + t] = (float)canonical;
    if (canonical < b->support_low[t]) b->support_low[t] = canonical;
    if (canonical > b->support_high[t]) b->support_high[t] = canonical;
    return THIRST_OK;
}

/* The "values" of option k of a group choice: every target, no other parameter. */
static int read_group_values(parse_ctx *c, const cJSON *option, const char *option_path,
                             choice_build *b, int k)
{
    const cJSON *given = cJSON_GetObjectItemCaseSensitive(option, "values");
    char values_path[300];
    snprintf(values_path, sizeof values_path, "%s.values", option_path);
    if (!given || !cJSON_IsObject(given))
        return FAIL(c, "%s: %s: expected an object of parameter values, got %s", c->file,
                    values_path, given ? loader_type_name(given) : "nothing");
    int status = loader_check_duplicates(c, given, values_path), seen = 0, present;
    for (const cJSON *m = given->child; m && !status; m = m->next) {
        int t = 0;
        while (t < b->target_count && strcmp(b->targets[t]->name, m->string) != 0) t++;
        if (t == b->target_count)
            return FAIL(c, "%s: %s.%s: option 0 does not set this parameter; every option sets "
                        "the same ones", c->file, values_path, m->string);
        double v = 0;
        if ((status = loader_get_number(c, given, values_path, m->string, &v, &present)) ||
            (status = store_value(c, values_path, m->string, b, k, t, v)))
            return status;
        seen++;
    }
    if (!status && seen != b->target_count)
        status = FAIL(c, "%s: %s: sets %d of the %d parameters that option 0 sets", c->file,
                      values_path, seen, b->target_count);
    return status;
}

/* Option k (at option_path): its weight, its name (unique), its value or values. */
static int read_option(parse_ctx *c, const cJSON *option, const char *option_path,
                       choice_build *b, int k, char (*option_names)[64])
{
    if (!cJSON_IsObject(option))
        return FAIL(c, "%s: %s: expected an object, got %s", c->file, option_path,
                    loader_type_name(option));
    static const char *const scalar_fields[] = {"value", "weight", "name", "source", NULL};
    static const char *const group_fields[] = {"values", "weight", "name", "source", NULL};
    int status, present;
    if ((status = loader_check_fields(c, option, option_path,
                                      b->is_group ? group_fields : scalar_fields,
                                      "a choice option")) ||
        (status = loader_check_duplicates(c, option, option_path)))
        return status;
    double weight = 1;
    if ((status = loader_get_number(c, option, option_path, "weight", &weight, &present)))
        return status;
    if (!(weight >= 0))
        return FAIL(c, "%s: %s.weight: expected a number >= 0, got %g", c->file, option_path,
                    weight);
    b->weights[k] = weight;
    b->total += weight;
    option_names[k][0] = '\0';
    if ((status = loader_get_string(c, option, option_path, "name", option_names[k], 64,
                                    &present)))
        return status;
    if (b->is_group && !present)
        return FAIL(c, "%s: %s: missing \"name\" (each option of a choice over several "
                    "parameters is named, e.g. a site)", c->file, option_path);
    for (int earlier = 0; present && earlier < k; earlier++)
        if (strcmp(option_names[earlier], option_names[k]) == 0)
            return FAIL(c, "%s: %s.name: '%s' names an earlier option too", c->file, option_path,
                        option_names[k]);
    if (b->is_group) return read_group_values(c, option, option_path, b, k);
    double v = 0;
    if ((status = loader_get_number(c, option, option_path, "value", &v, &present))) return status;
    if (!present) return FAIL(c, "%s: %s: missing \"value\"", c->file, option_path);
    return store_value(c, option_path, "value", b, k, 0, v);
}

/* The weights: a positive finite sum, and no positive share below what a draw resolves (a
 * uniform of 2^-23 resolution: a smaller share would be drawn at the wrong rate, or never);
 * then each target's values inside its domain. */
static int check_options(parse_ctx *c, const char *path, const choice_build *b)
{
    if (!(b->total > 0))
        return FAIL(c, "%s: %s.options: the weights sum to 0; expected a positive sum", c->file,
                    path);
    if (!isfinite(b->total))
        return FAIL(c, "%s: %s.options: the weights sum to more than the largest double; scale "
                    "them down (only their ratios matter)", c->file, path);
    for (int o = 0; o < b->count; o++)
        if (b->weights[o] > 0 && b->weights[o] / b->total < 0x1p-23)
            return FAIL(c, "%s: %s.options[%d].weight: its share of the total, %.3g, is below "
                        "the 2^-23 (1.2e-7) a draw resolves; give it weight 0 or more weight",
                        c->file, path, o, b->weights[o] / b->total);
    for (int t = 0; t < b->target_count; t++) {
        char target_path[300];
        snprintf(target_path, sizeof target_path, "%s (%s)", path, b->targets[t]->name);
        int status = prior_parse_domain(c, target_path, b->targets[t], "choice",
                                        b->support_low[t], b->support_high[t]);
        if (status) return status;
    }
    return THIRST_OK;
}

/* The prior: cumulative weights and values appended to the scenario's data, its slots taken. */
static int store_choice(parse_ctx *c, const choice_build *b, scenario_param *sp, int *slot_taken)
{
    double cumulative = 0;
    for (int o = 0; o < b->count; o++) {
        cumulative += b->weights[o];
        b->block[o] = (float)(cumulative / b->total);
    }
    b->block[b->count - 1] = 1.0f;
    int offset = prior_data_append(&c->data, b->block, b->count * (1 + b->target_count));
    int status = offset < 0 ? status_fail(c->err, c->errlen, THIRST_ERR_RUNTIME, "out of memory")
                            : THIRST_OK;
    sp->prior.dist = PRIOR_CHOICE;
    sp->prior.slot = -1;
    sp->prior.data_offset = offset;
    sp->prior.data_count = b->count;
    sp->prior.choice_slot_count = b->target_count;
    for (int t = 0; t < b->target_count; t++) {
        sp->prior.choice_slot[t] = b->targets[t]->slot;
        slot_taken[b->targets[t]->slot] = 1;
    }
    sp->is_group = b->is_group;
    return status;
}

/* Parse a choice prior. A scalar choice (options carry "value") sets the parameter it is named
 * after; a group choice (options carry "values": {param: number}) sets several parameters and
 * may have any name that is not a parameter's. */
int prior_choice_parse(parse_ctx *c, const cJSON *object, const char *path, const char *name,
                        scenario_param *sp, int *slot_taken, char (*option_names)[64])
{
    choice_build b;
    memset(&b, 0, sizeof b);
    int status = read_kind(c, object, path, name, &b);
    if (status) return status;
    if (b.is_group) {
        if ((status = read_group_targets(c, object, path, slot_taken, &b))) return status;
    } else {
        const units_param *self = units_param_find(name);
        if (cJSON_GetObjectItemCaseSensitive(object, "units"))
            return FAIL(c, "%s: %s.units: only a choice over several parameters takes \"units\"; "
                        "use \"unit\"", c->file, path);
        if (slot_taken[self->slot]) return FAIL(c, "%s: %s: parameter given twice", c->file, path);
        b.targets[0] = self;
        b.target_count = 1;
        if ((status = prior_parse_unit(c, object, path, self, sp->unit, sizeof sp->unit,
                                       &b.factors[0])))
            return status;
    }
    b.block = calloc((size_t)b.count * (size_t)(1 + b.target_count), sizeof *b.block);
    b.weights = calloc((size_t)b.count, sizeof *b.weights);
    if (!b.block || !b.weights) {
        free(b.block);
        free(b.weights);
        return status_fail(c->err, c->errlen, THIRST_ERR_RUNTIME, "out of memory");
    }
    for (int t = 0; t < b.target_count; t++) {
        b.support_low[t] = INFINITY;
        b.support_high[t] = -INFINITY;
    }
    int k = 0;
    for (const cJSON *option = b.options->child; option && !status; option = option->next, k++) {
        char option_path[256];
        snprintf(option_path, sizeof option_path, "%s.options[%d]", path, k);
        status = read_option(c, option, option_path, &b, k, option_names);
    }
    if (!status) status = check_options(c, path, &b);
    if (!status) status = store_choice(c, &b, sp, slot_taken);
    free(b.block);
    free(b.weights);
    return status;
}
