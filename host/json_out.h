/* json_out.h: the JSON and file-writing helpers every writer shares: numbers that read back
 * as the same double, whole numbers written exactly, [low, high] pairs, the "scenario" section,
 * and the serialised write of a JSON tree (through output_file.h). */
#ifndef THIRST_JSON_OUT_H
#define THIRST_JSON_OUT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

/* A JSON number that reads back as exactly v (null when v is not finite). */
cJSON *json_out_number(double v);

/* Add name = v, a whole number written exactly. */
void json_out_add_whole(cJSON *object, const char *name, uint64_t v);

/* Add name = v exactly. */
void json_out_add_number(cJSON *object, const char *name, double v);

/* [low, high] (null for a bound that is not available). */
cJSON *json_out_pair(double low, double high);

/* The "scenario" section: id, title, file, workload. */
cJSON *json_out_scenario(const scenario *s, const char *file);

/* Serialize root (freeing it) and write it to path atomically, with a final newline. */
int json_out_write(const char *path, cJSON *root, char *err, size_t errlen);

#endif
