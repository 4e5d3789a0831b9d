/* overrides.c: --set NAME=VALUE and NAME.FIELD=VALUE applied to a scenario's JSON tree before it
 * is validated like the file: values read strictly (number.c), text checked as the file's. */
#include "overrides.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "units.h"
#include "utf8.h"

/* Fields of a prior whose --set value is text, never a number. */
static const char *const TEXT_FIELDS[] = {"dist", "unit", "basis", "source", "reason", "note",
                                          NULL};

/* The JSON value of an override's text (*value, owned by the caller): an option's name for a
 * choice over several parameters (NAME=OPTION); the text itself for a text field; a JSON array
 * or object, whole and strictly checked, for one that starts with [ or {; else a number, read
 * by number_parse: the whole text must be a number ("14.8d" and "400W" are refused). */
static int override_value(parse_ctx *c, const char *text, const char *name, const char *field,
                          const char *value_text, const cJSON *item, int group, cJSON **value)
{
    /* A choice over several parameters names its point by an option's name. */
    int is_text = group && (field == NULL || strcmp(field, "point") == 0);
    for (int k = 0; field && TEXT_FIELDS[k]; k++) is_text |= strcmp(field, TEXT_FIELDS[k]) == 0;
    if (is_text) {
        /* The rules of the file's strings: UTF-8, no control characters. */
        for (const unsigned char *t = (const unsigned char *)value_text; *t;) {
            int length = utf8_sequence(t, 4);
            if (!length || *t < 0x20)
                return FAIL(c, "--set %s: the value holds %s (byte 0x%02x)", text,
                            length ? "a control character" : "invalid UTF-8", *t);
            t += length;
        }
        *value = cJSON_CreateString(value_text);
    } else if (field && (value_text[0] == '[' || value_text[0] == '{')) {
        const char *end = NULL;
        *value = cJSON_ParseWithOpts(value_text, &end, 1);
        if (!*value)
            return FAIL(c, "--set %s: params.%s.%s: malformed JSON near '%.20s'", text, name,
                        field, end ? end : value_text);
        json_check_numbers numbers;
        char label[160];
        snprintf(label, sizeof label, "--set %s", name);
        int status = json_check_tree(label, value_text, *value, &numbers, c->err, c->errlen);
        json_check_free(&numbers);
        if (status) {
            cJSON_Delete(*value);
            *value = NULL;
            return status;
        }
    } else {
        double number;
        int problem = number_read(value_text, &number);
        if (problem) {
            const cJSON *unit = cJSON_GetObjectItemCaseSensitive(item, "unit");
            const units_param *u = units_param_find(name);
            const char *unit_text = cJSON_IsString(unit) ? unit->valuestring : u ? u->unit : NULL;
            char field_path[160];
            snprintf(field_path, sizeof field_path, "%s%s%s", name, field ? "." : "",
                     field ? field : "");
            if (problem != NUMBER_SYNTAX)
                return FAIL(c, "--set %s: params.%s: got '%s': %s", text, field_path, value_text,
                            number_problem(problem));
            if (field || !unit_text)
                return FAIL(c, "--set %s: params.%s: expected a number, got '%s'", text,
                            field_path, value_text);
            return FAIL(c, "--set %s: params.%s: expected a bare number in the file's unit (%s), "
                        "got '%s'", text, field_path, unit_text, value_text);
        }
        *value = cJSON_CreateNumber(number);
    }
    return *value ? THIRST_OK : status_fail(c->err, c->errlen, THIRST_ERR_RUNTIME, "out of memory");
}

/* Apply one --set override ("name=value" or "name.field=value") to the scenario tree. A plain
 * value fixes a parameter at that number (in its file unit); a choice over several parameters
 * takes an option's name and keeps only that option; a field override replaces one field, or
 * with the value null removes it. */
int overrides_apply(parse_ctx *c, cJSON *root, const char *text)
{
    const char *equals = strchr(text, '=');
    char name[128];
    size_t length = equals ? (size_t)(equals - text) : 0;
    if (!equals || length == 0 || length >= sizeof name || !equals[1])
        return FAIL(c, "--set: expected NAME=VALUE or NAME.FIELD=VALUE, got '%s'", text);
    memcpy(name, text, length);
    name[length] = '\0';
    const char *value_text = equals + 1;
    char *field = strchr(name, '.');
    if (field) *field++ = '\0';
    cJSON *params = cJSON_GetObjectItemCaseSensitive(root, "params");
    cJSON *item = params && cJSON_IsObject(params) ? cJSON_GetObjectItemCaseSensitive(params, name)
                                                   : NULL;
    const cJSON *formulas = cJSON_GetObjectItemCaseSensitive(root, "formulas");
    if (!item && cJSON_IsObject(formulas) && cJSON_GetObjectItemCaseSensitive(formulas, name))
        return FAIL(c, "--set %s: '%s' is a formula (formulas.%s), not a parameter: set the "
                    "parameters it uses", text, name, name);
    if (!item) {
        const char *names[SCENARIO_MAX_PARAMS];
        int n = 0;
        for (const cJSON *p = params ? params->child : NULL; p && n < SCENARIO_MAX_PARAMS; p = p->next)
            names[n++] = p->string;
        const char *suggestion = units_suggest(name, names, n);
        return FAIL(c, "--set %s: the scenario has no parameter '%s'%s%s%s", text, name,
                    suggestion ? "; did you mean '" : "", suggestion ? suggestion : "",
                    suggestion ? "'?" : "");
    }
    if (!cJSON_IsObject(item))
        return FAIL(c, "--set %s: params.%s is not an object", text, name);
    const cJSON *dist = cJSON_GetObjectItemCaseSensitive(item, "dist");
    const cJSON *options = cJSON_GetObjectItemCaseSensitive(item, "options");
    int group = cJSON_IsString(dist) && strcmp(dist->valuestring, "choice") == 0 &&
                cJSON_IsArray(options) && options->child &&
                cJSON_GetObjectItemCaseSensitive(options->child, "values");
    /* NAME.FIELD=null removes the field (to turn a prior into another kind, e.g. a fixed
     * value into a lognormal: --set x.dist=lognormal --set x.value=null --set x.median=...). */
    const int remove = field && strcmp(value_text, "null") == 0;
    if (remove) {
        if (!cJSON_GetObjectItemCaseSensitive(item, field))
            return FAIL(c, "--set %s: params.%s has no field '%s' to remove", text, name, field);
        cJSON_DeleteItemFromObjectCaseSensitive(item, field);
        return THIRST_OK;
    }
    cJSON *value = NULL;
    int status = override_value(c, text, name, field, value_text, item, group, &value);
    if (status) return status;
    if (field) {
        if (cJSON_GetObjectItemCaseSensitive(item, field))
            cJSON_ReplaceItemInObjectCaseSensitive(item, field, value);
        else
            cJSON_AddItemToObject(item, field, value);
        return THIRST_OK;
    }
    if (group) {
        for (cJSON *option = options->child; option; option = option->next) {
            const cJSON *option_name = cJSON_GetObjectItemCaseSensitive(option, "name");
            if (!cJSON_IsString(option_name) || strcmp(option_name->valuestring, value->valuestring))
                continue;
            cJSON *kept = cJSON_Duplicate(option, 1);
            cJSON *only = cJSON_CreateArray();
            cJSON_AddItemToArray(only, kept);
            if (cJSON_GetObjectItemCaseSensitive(kept, "weight"))
                cJSON_ReplaceItemInObjectCaseSensitive(kept, "weight", cJSON_CreateNumber(1));
            else
                cJSON_AddItemToObject(kept, "weight", cJSON_CreateNumber(1));
            cJSON_ReplaceItemInObjectCaseSensitive(item, "options", only);
            if (cJSON_GetObjectItemCaseSensitive(item, "point"))
                cJSON_ReplaceItemInObjectCaseSensitive(item, "point", value);
            else
                cJSON_AddItemToObject(item, "point", value);
            return THIRST_OK;
        }
        char list[256] = "";
        for (const cJSON *option = options->child; option; option = option->next) {
            const cJSON *option_name = cJSON_GetObjectItemCaseSensitive(option, "name");
            if (!cJSON_IsString(option_name)) continue;
            if (list[0]) strncat(list, ", ", sizeof list - strlen(list) - 1);
            strncat(list, option_name->valuestring, sizeof list - strlen(list) - 1);
        }
        status = FAIL(c, "--set %s: params.%s has no option named '%s' (options: %s)", text,
                      name, value->valuestring, list);
        cJSON_Delete(value);
        return status;
    }
    /* A fixed prior at the value, keeping the parameter's unit, basis and source. */
    cJSON *fixed = cJSON_CreateObject();
    cJSON_AddStringToObject(fixed, "dist", "fixed");
    cJSON_AddItemToObject(fixed, "value", value);
    cJSON_AddItemToObject(fixed, "point", cJSON_Duplicate(value, 1));
    static const char *const kept[] = {"unit", "basis", "source"};
    for (int k = 0; k < 3; k++) {
        const cJSON *member = cJSON_GetObjectItemCaseSensitive(item, kept[k]);
        if (member) cJSON_AddItemToObject(fixed, kept[k], cJSON_Duplicate(member, 1));
    }
    cJSON_ReplaceItemInObjectCaseSensitive(params, name, fixed);
    return THIRST_OK;
}

