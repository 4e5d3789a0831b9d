/* report_sensitivity.h: the table and JSON of `thirst sensitivity` (schema in
 * docs/result-schema.md): per output, its inputs sorted by total Sobol index (else by tornado
 * swing), with first and total indices and their 95 % intervals, tornado swings and SRCs. */
#ifndef THIRST_REPORT_SENSITIVITY_H
#define THIRST_REPORT_SENSITIVITY_H

#include <stdio.h>

#include "sensitivity.h"

/* Print r for scenario s to f. */
void report_sensitivity_table(FILE *f, const scenario *s, const sensitivity_options *options,
                              const sensitivity_result *r, double wall_seconds);

/* Write r as JSON to path (atomically). */
int report_sensitivity_json(const char *path, const scenario *s, const char *file,
                            const sensitivity_options *options, const sensitivity_result *r,
                            double wall_seconds, int threads, char *err, size_t errlen);

/* Write r as one self-contained HTML page to path (atomically): per output the Sobol bars with
 * their intervals, the tornado and the "what if you measured it" table; then the inputs. */
int report_sensitivity_html(const char *path, const scenario *s, const char *file,
                            const sensitivity_options *options, const sensitivity_result *r,
                            char *err, size_t errlen);

#endif
