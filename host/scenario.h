/* scenario.h: a scenario file (JSON) loaded, validated and turned into what the engine runs:
 * the model configuration, one canonical prior per parameter, the shared float data of
 * quantile tables and choice options, the outputs to report and the report settings.
 * The schema is documented in priors/README.md. */
#ifndef THIRST_SCENARIO_H
#define THIRST_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "../kernels/copula.h"
#include "../kernels/formula_plan.h"
#include "../kernels/model.h"
#include "../kernels/prior.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SCENARIO_MAX_PARAMS 32
#define SCENARIO_MAX_OPTIONS 256
#define SCENARIO_MAX_QUANTILES 32
#define SCENARIO_MAX_DRAWS 1000000000000000ull   /* 1e15 */
#define SCENARIO_MAX_WARNINGS 8
#define SCENARIO_MAX_OVERRIDES 32
#define SCENARIO_WARNING_LEN 512
#define SCENARIO_MAX_FORMULAS 32     /* under "formulas" and "outputs" together */
#define MODEL_FORMULA 4              /* model_config.workload of "model": "formula" */

/* One entry under "params". */
typedef struct {
    char name[64];              /* key in the file */
    char dist[16];              /* distribution name as written */
    char unit[32];              /* unit as written ("" when absent: canonical assumed) */
    char source[256];           /* "source" text, "" when absent */
    prior_spec prior;           /* canonical prior (canonical unit) */
    int is_group;               /* a choice whose options set several parameters */
    int sampled;                /* 1 when it consumes a uniform (every dist but fixed) */
    double point;               /* canonical unit; for a group: the option index */
    int has_point;              /* 1 when the file gave "point" */
    double median;              /* the prior's median (group: index of the median option) */
    int is_user;                /* the user's own (not a model input): slot after the model's,
                                   value as written, unit a label (DESIGN.md section 9) */
} scenario_param;

/* One formula, under "formulas" (an intermediate value, or a model input it feeds) or
 * "outputs" (a reported output of the scenario's own). */
typedef struct {
    char name[64];
    char path[96];              /* JSON path of its text, for messages */
    char text[1024];            /* the formula (at most FORMULA_MAX_LENGTH characters) */
    char unit[32];              /* outputs: the unit label ("" when absent) */
    int fed_slot;               /* the model input it feeds (enum model_slot), else -1 */
    int output;                 /* its output index (MODEL_OUTPUT_COUNT + k), else -1 */
    int value;                  /* its value in the formula plan */
    int before_model;           /* computed before the model runs (it feeds an input) */
    char uses[512];             /* the names it uses, once each, ", "-separated */
} scenario_formula;

#define SCENARIO_MAX_CORRELATIONS 64          /* entries under "correlations" */
#define SCENARIO_MAX_PAIRS (SCENARIO_MAX_PARAMS * (SCENARIO_MAX_PARAMS - 1) / 2)

/* One correlated pair as the file gives it (a block matrix gives each of its pairs). */
typedef struct {
    int param_a, param_b;       /* scenario params, param_a < param_b */
    double given;               /* as written: Spearman's rho or Kendall's tau */
    double gaussian;            /* the copula's correlation it asks for */
    int entry;                  /* its entry under "correlations" */
} scenario_pair;

/* "correlations" (DESIGN.md section 10): the entries, their pairs, and the blocks the copula
 * samples (params linked by a nonzero correlation, in params order). */
typedef struct {
    int entry_count;
    char entry_source[SCENARIO_MAX_CORRELATIONS][256];   /* "source", "" when absent */
    int entry_kendall[SCENARIO_MAX_CORRELATIONS];        /* 1: Kendall's tau, 0: Spearman's rho */
    int entry_repair[SCENARIO_MAX_CORRELATIONS];         /* "repair": true */
    int entry_dropped[SCENARIO_MAX_CORRELATIONS];        /* names a parameter --set fixed */
    int pair_count;
    scenario_pair pairs[SCENARIO_MAX_PAIRS];
    int member_count;                                    /* correlated params, blocks in order */
    int member_param[COPULA_MAX_MEMBERS];                /* their scenario params */
    double used[COPULA_MAX_MEMBERS][COPULA_MAX_MEMBERS]; /* the copula's correlations between
                                                            members (0 across blocks) */
    double repair_change[COPULA_MAX_BLOCKS];             /* largest change "repair" made, 0 */
    copula_plan copula;                                  /* blocks (prior indices), factors */
} scenario_correlations;

/* A loaded scenario. Owns prior_data (free with scenario_free). */
typedef struct {
    char file[256];                        /* the file's name as given (messages) */
    char id[128];                          /* "scenario" */
    char title[256];                       /* "title" */
    model_config model;                    /* which inputs the model uses */
    uint64_t draws;                        /* "draws" (default 1e6) */
    uint64_t seed;                         /* "seed" (default 1) */
    int param_count;
    scenario_param params[SCENARIO_MAX_PARAMS];
    float *prior_data;                     /* quantile tables and choice options */
    int prior_data_count;
    int word_count;                        /* uniform words a draw reads */
    float fixed_inputs[DRAW_INPUT_SLOTS];  /* slot values before priors apply (defaults, 0) */
    int output_count;
    int outputs[DRAW_OUTPUTS];             /* enum model_output, or MODEL_OUTPUT_COUNT + k for
                                              the scenario's own output k; in report order */
    int formula_count;                     /* "formulas" then "outputs" */
    scenario_formula formulas[SCENARIO_MAX_FORMULAS];
    int user_param_count;                  /* params that are the user's own */
    int user_output_count;                 /* outputs that are the scenario's own */
    formula_plan formula_plan;             /* compiled; used when formula_count > 0 */
    scenario_correlations correlations;    /* "correlations"; copula.block_count 0 without */
    int quantile_count;
    double quantiles[SCENARIO_MAX_QUANTILES]; /* probabilities in (0, 1), ascending */
    double interval;                       /* central interval probability, e.g. 0.95 */
    char *text;                            /* the scenario file's text as read (owned) */
    int override_count;                    /* the --set overrides applied to it, in order */
    char *overrides[SCENARIO_MAX_OVERRIDES];
    int warning_count;                     /* what the sampler cannot do exactly (one line each) */
    char warnings[SCENARIO_MAX_WARNINGS][SCENARIO_WARNING_LEN];
} scenario;

/* Load and validate the scenario file at path (its text and the overrides are kept in s). On failure fills err with one line naming the
 * file and the JSON path and returns THIRST_ERR_INPUT (or THIRST_ERR_RUNTIME for I/O). */
int scenario_load(const char *path, scenario *s, char *err, size_t errlen);

/* Same from a JSON text already in memory; name is used in messages. */
int scenario_parse(const char *name, const char *text, scenario *s, char *err, size_t errlen);

/* scenario_load / scenario_parse after applying --set overrides to the file's JSON: "name=value"
 * fixes a parameter at a number (in its file unit) or picks one option of a choice over several
 * parameters by name; "name.field=value" replaces one field (value parsed as JSON, else taken
 * as a string). The result is validated like the file itself. */
int scenario_load_overrides(const char *path, const char *const *overrides, int override_count,
                            scenario *s, char *err, size_t errlen);
int scenario_parse_overrides(const char *name, const char *text, const char *const *overrides,
                             int override_count, scenario *s, char *err, size_t errlen);

/* Release what scenario_load allocated; s may be partly filled. */
void scenario_free(scenario *s);

/* "training", "inference", "ishigami", "gfunction" or "formula". */
const char *scenario_workload_name(const scenario *s);

/* Name and unit of output out for this scenario's workload. */
const char *scenario_output_name(const scenario *s, int out);
const char *scenario_output_unit(const scenario *s, int out);

/* 1 when a parameter of s sets input slot `slot` (directly or through a choice), or a formula
 * feeds it. */
int scenario_slot_used(const scenario *s, int slot);

/* Input slots of a draw of s: the model's, then the user's own parameters'. */
int scenario_input_slots(const scenario *s);

/* Name and unit of input slot `slot` (a model input and its canonical unit, or the user's own
 * parameter and its unit label). */
const char *scenario_input_name(const scenario *s, int slot);
const char *scenario_input_unit(const scenario *s, int slot);

/* Name of Sobol factor k of s's copula plan: the parameter, or a correlated block's members
 * joined by '+', into out (size bytes); returns out. */
const char *scenario_factor_name(const scenario *s, int k, char *out, size_t size);

/* Inputs (DRAW_INPUT_SLOTS) at each parameter's point value (its median where the file gives
 * none). */
void scenario_point_inputs(const scenario *s, float *inputs);

/* The outputs (DRAW_OUTPUTS) at those inputs: the model, or the formulas around it (which may
 * feed some of the inputs). */
void scenario_point_eval(const scenario *s, float *inputs, float *outputs);

#ifdef __cplusplus
}
#endif

#endif
