/* json_out.c: shared JSON and atomic-file helpers of the writers. */
#include "json_out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output_file.h"
#include "status.h"
#include "utf8.h"

/* A JSON number that reads back as exactly the same double: the shortest of %.15g, %.16g,
 * %.17g that round-trips (cJSON's own printer tolerates an ulp of error); null if not finite. */
cJSON *json_out_number(double v)
{
    if (!isfinite(v)) return cJSON_CreateNull();
    char text[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, v);
        if (strtod(text, NULL) == v) break;
    }
    return cJSON_CreateRaw(text);
}

/* Add member name = v, a whole number, written exactly (JSON doubles stop at 2^53). */
void json_out_add_whole(cJSON *object, const char *name, uint64_t v)
{
    char text[24];
    snprintf(text, sizeof text, "%llu", (unsigned long long)v);
    cJSON_AddItemToObject(object, name, cJSON_CreateRaw(text));
}

/* Add member name = v (exactly) to object. */
void json_out_add_number(cJSON *object, const char *name, double v)
{
    cJSON_AddItemToObject(object, name, json_out_number(v));
}

/* Serialize root, write it to path and free it. */
int json_out_write(const char *path, cJSON *root, char *err, size_t errlen)
{
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    size_t n = strlen(text);
    char *with_newline = malloc(n + 2);
    int status;
    if (!with_newline) {
        status = status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    } else {
        memcpy(with_newline, text, n);
        with_newline[n] = '\n';
        with_newline[n + 1] = '\0';
        status = output_file_write(path, with_newline, n + 1, err, errlen);
    }
    free(with_newline);
    cJSON_free(text);
    return status;
}

/* The "scenario" section shared by run and point results. */
cJSON *json_out_scenario(const scenario *s, const char *file)
{
    cJSON *section = cJSON_CreateObject();
    cJSON_AddStringToObject(section, "id", s->id);
    cJSON_AddStringToObject(section, "title", s->title);
    char file_utf8[4096];   /* a file name need not be UTF-8; JSON text must */
    cJSON_AddStringToObject(section, "file", utf8_sanitize(file, file_utf8, sizeof file_utf8));
    cJSON_AddStringToObject(section, "workload", scenario_workload_name(s));
    return section;
}

/* A [low, high] pair (null for a bound too few draws can give). */
cJSON *json_out_pair(double low, double high)
{
    cJSON *array = cJSON_CreateArray();
    cJSON_AddItemToArray(array, json_out_number(low));
    cJSON_AddItemToArray(array, json_out_number(high));
    return array;
}

