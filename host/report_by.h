/* report_by.h: `thirst run SCENARIO --by NAME`: one run per option of a choice (host/report_by.c):
 * the options as --set overrides, and the table and JSON of their statistics side by side. */
#ifndef THIRST_REPORT_BY_H
#define THIRST_REPORT_BY_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"
#include "scenario.h"

/* The options of choice parameter `param` of s: their labels (an option's "name", else its
 * "value" as written) and the --set override that keeps that option alone. */
typedef struct {
    int count;
    char label[SCENARIO_MAX_OPTIONS][64];
    char override[SCENARIO_MAX_OPTIONS][160];
} report_by_options;

/* Fill out for choice `param` of s (from its text as read). THIRST_ERR_INPUT naming --by when
 * param is not a parameter of s or not a choice. */
int report_by_options_of(const scenario *s, const char *param, report_by_options *out, char *err,
                         size_t errlen);

/* Per output, a row per option: mean, median and the central interval (display units of the
 * first option's median). */
void report_by_table(FILE *f, const char *param, const report_by_options *options,
                     const report_run *runs);

/* The JSON: schema "thirst-by", the base scenario (before any option's --set) and its
 * provenance, "by", settings, and per option
 * its label and the "outputs" section of its run (docs/result-schema.md). */
int report_by_json(const char *path, const scenario *base, const char *param,
                   const report_by_options *options, const report_run *runs, char *err,
                   size_t errlen);

#endif
