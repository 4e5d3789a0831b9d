/* loader.c: the scenario loader's JSON helpers: type names, duplicate and unknown keys, numbers
 * (finite, whole numbers exactly from their source text, inside the float range) and strings,
 * each failure one line naming the file and the JSON path. */
#include "loader.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "units.h"

/* Name of a cJSON value's type for messages. */
const char *loader_type_name(const cJSON *v)
{
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsObject(v)) return "an object";
    return "an invalid value";
}

/* Order member names for loader_check_duplicates. */
static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Reject an object with two members of the same name (sorted, so O(n log n) for a hostile file
 * with a hundred thousand keys). */
int loader_check_duplicates(parse_ctx *c, const cJSON *object, const char *path)
{
    int count = 0;
    for (const cJSON *m = object->child; m; m = m->next) count++;
    if (count < 2) return THIRST_OK;
    const char **names = malloc((size_t)count * sizeof *names);
    if (!names) return status_fail(c->err, c->errlen, THIRST_ERR_RUNTIME, "out of memory");
    int k = 0;
    for (const cJSON *m = object->child; m; m = m->next) names[k++] = m->string;
    qsort(names, (size_t)count, sizeof *names, compare_names);
    int status = THIRST_OK;
    for (k = 1; k < count && !status; k++)
        if (strcmp(names[k - 1], names[k]) == 0)
            status = FAIL(c, "%s: %s%s%s: duplicate key", c->file, path, *path ? "." : "",
                          names[k]);
    free(names);
    return status;
}

/* Reject members not in allowed[] (NULL-terminated), suggesting the closest allowed name. */
int loader_check_fields(parse_ctx *c, const cJSON *object, const char *path,
                        const char *const *allowed, const char *what)
{
    int count = 0;
    while (allowed[count]) count++;
    for (const cJSON *m = object->child; m; m = m->next) {
        int known = 0;
        for (int k = 0; k < count; k++)
            if (strcmp(m->string, allowed[k]) == 0) known = 1;
        if (known) continue;
        const char *suggestion = units_suggest(m->string, allowed, count);
        char list[512] = "";
        for (int k = 0; k < count; k++) {
            if (k) strncat(list, ", ", sizeof list - strlen(list) - 1);
            strncat(list, allowed[k], sizeof list - strlen(list) - 1);
        }
        if (suggestion)
            return FAIL(c, "%s: %s.%s: unknown field of %s; did you mean '%s'?", c->file, path,
                        m->string, what, suggestion);
        return FAIL(c, "%s: %s.%s: unknown field of %s (expected one of: %s)", c->file, path,
                    m->string, what, list);
    }
    return THIRST_OK;
}

void loader_warn(parse_ctx *c, const char *format, ...)
{
    if (c->s->warning_count >= SCENARIO_MAX_WARNINGS) return;
    va_list args;
    va_start(args, format);
    vsnprintf(c->s->warnings[c->s->warning_count++], SCENARIO_WARNING_LEN, format, args);
    va_end(args);
}

/* Read member key of object as a finite number into *out; *present says whether it exists. */
int loader_get_number(parse_ctx *c, const cJSON *object, const char *path, const char *key,
                      double *out, int *present)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(object, key);
    *present = v != NULL;
    if (!v) return THIRST_OK;
    if (!cJSON_IsNumber(v))
        return FAIL(c, "%s: %s.%s: expected a number, got %s", c->file, path, key,
                    loader_type_name(v));
    if (!isfinite(v->valuedouble))
        return FAIL(c, "%s: %s.%s: expected a finite number, got %g", c->file, path, key,
                    v->valuedouble);
    *out = v->valuedouble;
    return THIRST_OK;
}

/* Read member key as a string (copied into out); *present says whether it exists. */
int loader_get_string(parse_ctx *c, const cJSON *object, const char *path, const char *key,
                      char *out, size_t size, int *present)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(object, key);
    *present = v != NULL;
    if (!v) return THIRST_OK;
    if (!cJSON_IsString(v))
        return FAIL(c, "%s: %s%s%s: expected a string, got %s", c->file, path, *path ? "." : "",
                    key, loader_type_name(v));
    if (strlen(v->valuestring) >= size)
        return FAIL(c, "%s: %s%s%s: expected a string of at most %zu characters", c->file, path,
                    *path ? "." : "", key, size - 1);
    strcpy(out, v->valuestring);
    return THIRST_OK;
}

/* Read a required number with a lower bound: value > bound (strict) or >= bound. */
int loader_get_bounded(parse_ctx *c, const cJSON *object, const char *path, const char *key,
                       double bound, int strict, double *out)
{
    int present = 0;
    int status = loader_get_number(c, object, path, key, out, &present);
    if (status) return status;
    if (!present) return FAIL(c, "%s: %s: missing \"%s\"", c->file, path, key);
    if (strict ? !(*out > bound) : !(*out >= bound))
        return FAIL(c, "%s: %s.%s: expected a number %s %g, got %g", c->file, path, key,
                    strict ? ">" : ">=", bound, *out);
    return THIRST_OK;
}

/* Values are sampled and computed in float: refuse a canonical value v (of member key) that is
 * not 0 and lies outside the normal float range, where it would turn into 0 or infinity. */
int loader_check_float(parse_ctx *c, const char *path, const char *key, double v)
{
    if (v == 0 || (fabs(v) >= FLT_MIN && fabs(v) <= FLT_MAX)) return THIRST_OK;
    return FAIL(c, "%s: %s%s%s: %g %s lies outside the float range thirst computes in "
                "(magnitudes %.2g to %.2g, or 0)", c->file, path, *path && *key ? "." : "", key, v,
                c->unit, (double)FLT_MIN, (double)FLT_MAX);
}

/* Read a whole number in [low, high] from member key exactly, from its source text (cJSON's
 * double would round a seed above 2^53). */
int loader_get_whole(parse_ctx *c, const cJSON *root, const char *key, uint64_t low, uint64_t high,
                     uint64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!v) return THIRST_OK;
    if (!cJSON_IsNumber(v))
        return FAIL(c, "%s: %s: expected a whole number, got %s", c->file, key, loader_type_name(v));
    int length = 0;
    const char *text = json_check_number_text(&c->numbers, v, &length);
    if (!text)
        return status_fail(c->err, c->errlen, THIRST_ERR_RUNTIME,
                           "%s: %s: no source text for the number (internal error)", c->file, key);
    int problem = number_parse_whole(text, (size_t)length, low, high, out);
    if (problem)
        return FAIL(c, "%s: %s: expected a whole number in [%llu, %llu], got %.*s (%s)", c->file,
                    key, (unsigned long long)low, (unsigned long long)high, length, text,
                    number_problem(problem));
    return THIRST_OK;
}

