/* report.h: writers of run and point results: the aligned human table (stdout), the versioned
 * JSON result (schema in docs/result-schema.md) and CSV. Files are written to a temporary name
 * and renamed into place, so a failed run never leaves a partial file. */
#ifndef THIRST_REPORT_H
#define THIRST_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "runner.h"
#include "stats.h"

#define REPORT_SCHEMA_VERSION 1

/* Run metadata, kept apart from the statistics (it may differ between identical runs). */
typedef struct {
    const char *scenario_file;
    const char *backend;        /* "cpu" or "cuda" */
    const char *device_name;    /* CUDA device name, NULL on the CPU */
    int threads;                /* CPU threads (0 on CUDA) */
    double wall_seconds;
    double rel_error, abs_error;   /* adaptive targets (0: not adaptive) */
    uint64_t max_draws;
} report_run_info;

/* A finished run: the scenario, its result, and the run's metadata. */
typedef struct {
    const scenario *s;
    const runner_result *result;
    report_run_info info;
} report_run;

#define REPORT_PLOT_BINS 120   /* bins of the histogram in the JSON and HTML */

/* A histogram for plotting: REPORT_PLOT_BINS bins from min to max. */
typedef struct {
    int log_scale;                           /* bins log-spaced (min > 0), else linear */
    double edges[REPORT_PLOT_BINS + 1];
    uint64_t counts[REPORT_PLOT_BINS];
} report_histogram;

/* Plot histogram of output o: each fine bin of the first pass (at most 1/128 of an octave
 * wide) goes whole to the plot bin that holds its middle; counts sum to n. */
void report_plot_histogram(const draw_plan *plan, const run_state *totals, int o,
                           report_histogram *out);

/* Write the run as one self-contained HTML file (inline SVG, no scripts, no network). */
int report_write_html(const char *path, const report_run *r, char *err, size_t errlen);

/* The display unit of values of canonical unit near magnitude (MWh, ML, t CO2e...), and the
 * divisor from the canonical unit to it. */
const char *report_display_unit(const char *unit, double magnitude, double *divisor);

/* value (in a display unit) as the tables print it, with digits significant digits: %g, but a
 * count (unit count, residents, queries, USD) from 1,000 to below 1e8 as a whole number with
 * thousands separators ("92,110", not "9.211e+04"). */
void report_format_value(char *out, size_t size, double value, const char *unit, int digits);

/* The "outputs" section of a run's JSON result (each output's statistics and histogram). */
cJSON *report_outputs_json(const report_run *r);

/* The "sampler" of a result's settings: the plan's sampler and the interval methods that follow
 * from it (docs/result-schema.md). */
cJSON *report_sampler_json(const draw_plan *plan);

/* Print the run's table to f. */
void report_table(FILE *f, const report_run *r);

/* The heading line of a table: "thirst VERSION  ID: TITLE" and what (may be ""), with control
 * characters and bytes that are not UTF-8 escaped (a title may hold \u001b from its file). */
void report_heading(FILE *f, const scenario *s, const char *what);

/* Write the run as JSON / CSV to path (atomically). */
int report_write_json(const char *path, const report_run *r, char *err, size_t errlen);
int report_write_csv(const char *path, const report_run *r, char *err, size_t errlen);

/* Point evaluation: inputs (DRAW_INPUT_SLOTS) and all outputs (DRAW_OUTPUTS). */
void report_point_table(FILE *f, const scenario *s, const char *file, const float *inputs,
                        const float *outputs);
int report_write_point_json(const char *path, const scenario *s, const char *file,
                            const float *inputs, const float *outputs, char *err, size_t errlen);

#endif
