/* loader.h: what the scenario loader's files share (scenario.c, prior_parse.c, prior_choice.c,
 * overrides.c): the parsing context and the JSON helpers. Every failure is one line naming the
 * file and the JSON path; these functions return THIRST_OK or a status (status.h). */
#ifndef THIRST_LOADER_H
#define THIRST_LOADER_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "json_check.h"
#include "prior_build.h"
#include "scenario.h"
#include "status.h"

/* Parsing context: where messages go, what the file is called, what is being built. */
typedef struct {
    const char *file;
    char *err;
    size_t errlen;
    prior_data data;              /* quantile tables and choice options, growing */
    json_check_numbers numbers;   /* source text of the file's top-level numbers */
    scenario *s;                  /* receives warnings */
    const char *unit;             /* canonical unit of the parameter being read (messages) */
    int user_params;              /* the file has formulas: unknown parameters are the user's */
    const char *const *overrides; /* --set overrides ("name=value", "name.field=value") */
    int override_count;
    char fixed_in_file[SCENARIO_MAX_PARAMS][64];   /* params with "dist": "fixed" in the file, */
    int fixed_in_file_count;                       /* before the overrides */
} parse_ctx;

#define FAIL(c, ...) status_fail((c)->err, (c)->errlen, THIRST_ERR_INPUT, __VA_ARGS__)

/* Fields every prior may carry besides its distribution's own. */
#define LOADER_COMMON_FIELDS "dist", "unit", "point", "source", "reason", "note", "basis"

/* Add a warning line (printf format) to the scenario being read; the run goes on (at most
 * SCENARIO_MAX_WARNINGS are kept). */
void loader_warn(parse_ctx *c, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Name of a cJSON value's type for messages ("a number", "an object", ...). */
const char *loader_type_name(const cJSON *v);

/* Reject an object with two members of the same name (O(n log n)). */
int loader_check_duplicates(parse_ctx *c, const cJSON *object, const char *path);

/* Reject members not in allowed[] (NULL-terminated), suggesting the closest allowed name; what
 * names the object in the message ("a fixed prior"). */
int loader_check_fields(parse_ctx *c, const cJSON *object, const char *path,
                        const char *const *allowed, const char *what);

/* Member key of object as a finite number into *out; *present says whether it exists. */
int loader_get_number(parse_ctx *c, const cJSON *object, const char *path, const char *key,
                      double *out, int *present);

/* Member key as a string (copied into out, size bytes); *present says whether it exists. */
int loader_get_string(parse_ctx *c, const cJSON *object, const char *path, const char *key,
                      char *out, size_t size, int *present);

/* A required number above bound (strict) or at least bound. */
int loader_get_bounded(parse_ctx *c, const cJSON *object, const char *path, const char *key,
                       double bound, int strict, double *out);

/* Refuse a canonical value v (member key) that is neither 0 nor inside the float range. */
int loader_check_float(parse_ctx *c, const char *path, const char *key, double v);

/* Top-level member key as a whole number in [low, high], read exactly from its source text;
 * *out is left alone when the member is absent. */
int loader_get_whole(parse_ctx *c, const cJSON *root, const char *key, uint64_t low,
                     uint64_t high, uint64_t *out);

#endif
