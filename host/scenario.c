/* scenario.c: reads a scenario file with cJSON, validates every field against the schema in
 * priors/README.md and builds the canonical priors, model configuration and report settings.
 * Every rejection names the file, the JSON path and what was expected, in one line. */
#include "scenario.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"
#include "loader.h"
#include "model_rules.h"
#include "overrides.h"
#include "prior_build.h"
#include "prior_choice.h"
#include "prior_parse.h"
#include "status.h"
#include "scenario_correlations.h"
#include "scenario_formulas.h"
#include "units.h"

#define MAX_FILE_BYTES (16 * 1024 * 1024)

static const double DEFAULT_QUANTILES[] = {0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975};

/* The "basis" of an energy parameter u (it or facility) into *basis_facility; other
 * parameters take none. */
static int parse_basis(parse_ctx *c, const cJSON *object, const char *path,
                       const units_param *u, int *basis_facility)
{
    char basis[16];
    int present, status = loader_get_string(c, object, path, "basis", basis, sizeof basis, &present);
    if (status) return status;
    int takes_basis = u && (u->slot == SLOT_ENERGY || u->slot == SLOT_WH_PER_QUERY);
    if (present && !takes_basis)
        return FAIL(c, "%s: %s.basis: only energy and wh_per_query take a basis", c->file, path);
    if (takes_basis) {
        if (!present)
            return FAIL(c, "%s: %s: missing \"basis\": say whether this energy is \"it\" "
                        "(server) or \"facility\" (already includes PUE)", c->file, path);
        if (strcmp(basis, "it") != 0 && strcmp(basis, "facility") != 0)
            return FAIL(c, "%s: %s.basis: expected \"it\" or \"facility\", got '%s'", c->file,
                        path, basis);
        *basis_facility = strcmp(basis, "facility") == 0;
    }
    return THIRST_OK;
}

/* The choice prior at path (params.<name>) into sp, with its median and its "point" (for a
 * group the name of an option, for a scalar a value in the parameter's unit); self is the
 * parameter a scalar choice is named after (NULL for a group). */
static int parse_choice_param(parse_ctx *c, const cJSON *object, const char *path,
                              const char *name, const units_param *self, scenario_param *sp,
                              int *slot_taken)
{
    char option_names[SCENARIO_MAX_OPTIONS][64];
    int status;
    if ((status = prior_choice_parse(c, object, path, name, sp, slot_taken, option_names)))
        return status;
    sp->sampled = 1;
    const float *cum = c->data.values + sp->prior.data_offset;
    int median_option = prior_choice_index(cum, sp->prior.data_count, 0.5f);
    /* A group's median is the option at the median of the weights; a scalar's its value. */
    sp->median = sp->is_group ? (double)median_option
                              : (double)cum[sp->prior.data_count + median_option];
    const cJSON *point = cJSON_GetObjectItemCaseSensitive(object, "point");
    if (!point) return THIRST_OK;
    sp->has_point = 1;
    if (sp->is_group) {
        if (!cJSON_IsString(point))
            return FAIL(c, "%s: %s.point: expected the name of an option, got %s", c->file,
                        path, loader_type_name(point));
        for (int k = 0; k < sp->prior.data_count; k++)
            if (strcmp(option_names[k], point->valuestring) == 0) {
                sp->point = k;
                return THIRST_OK;
            }
        return FAIL(c, "%s: %s.point: '%s' is not the name of an option", c->file, path,
                    point->valuestring);
    }
    double factor = units_factor(self, sp->unit[0] ? sp->unit : self->unit);
    if (!cJSON_IsNumber(point) || !isfinite(point->valuedouble))
        return FAIL(c, "%s: %s.point: expected a finite number, got %s", c->file, path,
                    loader_type_name(point));
    c->unit = self->unit;
    if ((status = loader_check_float(c, path, "point", point->valuedouble * factor)))
        return status;
    sp->point = point->valuedouble * factor;
    return THIRST_OK;
}

/* A parameter of the user's own (DESIGN.md section 9): any distribution but choice, its value as
 * written (the unit is a label), in the slot after the model's and the earlier own ones. */
static int parse_user_param(parse_ctx *c, const cJSON *object, const char *path,
                            scenario_param *sp)
{
    scenario *s = c->s;
    int status = scenario_formulas_check_user_name(c, path, sp->name), present;
    if (status) return status;
    if (s->user_param_count == FORMULA_MAX_USER_PARAMS)
        return FAIL(c, "%s: %s: more than %d parameters of your own", c->file, path,
                    FORMULA_MAX_USER_PARAMS);
    if (strcmp(sp->dist, "choice") == 0)
        return FAIL(c, "%s: %s: a choice over a parameter of your own is not supported; give it "
                    "a distribution (or a choice over model inputs)", c->file, path);
    if ((status = loader_get_string(c, object, path, "unit", sp->unit, sizeof sp->unit, &present)))
        return status;
    c->unit = sp->unit;
    double low = 0, high = 0, point;
    if ((status = prior_parse_single(c, object, path, sp->dist, 1.0, &sp->prior, &low, &high)))
        return status;
    sp->prior.slot = MODEL_SLOT_COUNT + s->user_param_count++;
    sp->is_user = 1;
    sp->sampled = sp->prior.dist != PRIOR_FIXED;
    sp->median = prior_build_median(&sp->prior, c->data.values);
    if ((status = loader_get_number(c, object, path, "point", &point, &present)) || !present)
        return status;
    if ((status = loader_check_float(c, path, "point", point))) return status;
    if (point < low || point > high)
        return FAIL(c, "%s: %s.point: %g lies outside the prior's range [%g, %g]", c->file, path,
                    point, low, high);
    sp->has_point = 1;
    sp->point = point;
    return THIRST_OK;
}

/* Parse params.<name> into sp. */
static int parse_param(parse_ctx *c, const cJSON *object, const char *name, scenario_param *sp,
                       int *slot_taken, int *basis_facility)
{
    char path[160];
    snprintf(path, sizeof path, "params.%s", name);
    if (strlen(name) >= sizeof sp->name)
        return FAIL(c, "%s: %s: parameter name longer than %zu characters", c->file, path,
                    sizeof sp->name - 1);
    snprintf(sp->name, sizeof sp->name, "%s", name);
    if (!cJSON_IsObject(object))
        return FAIL(c, "%s: %s: expected an object with \"dist\", got %s", c->file, path,
                    loader_type_name(object));
    int status = loader_check_duplicates(c, object, path), present;
    if (status) return status;
    if ((status = loader_get_string(c, object, path, "dist", sp->dist, sizeof sp->dist, &present)))
        return status;
    if (!present) return FAIL(c, "%s: %s: missing \"dist\"", c->file, path);
    if ((status = loader_get_string(c, object, path, "source", sp->source, sizeof sp->source, &present)))
        return status;
    char text[512];
    if ((status = loader_get_string(c, object, path, "reason", text, sizeof text, &present)) ||
        (status = loader_get_string(c, object, path, "note", text, sizeof text, &present)))
        return status;
    sp->prior.slot = -1;

    const units_param *u = units_param_find(name);
    if (!u && c->user_params && strcmp(sp->dist, "choice") != 0)
        return parse_user_param(c, object, path, sp);
    if ((status = parse_basis(c, object, path, u, basis_facility))) return status;
    if (strcmp(sp->dist, "choice") == 0)
        return parse_choice_param(c, object, path, name, u, sp, slot_taken);
    if (!u) {
        const char *names[64];
        int n = units_param_count();
        for (int k = 0; k < n && k < 64; k++) names[k] = units_param_at(k)->name;
        const char *suggestion = units_suggest(name, names, n);
        if (suggestion)
            return FAIL(c, "%s: %s: unknown parameter; did you mean '%s'?", c->file, path,
                        suggestion);
        return FAIL(c, "%s: %s: unknown parameter (see priors/README.md for the list)", c->file,
                    path);
    }
    if (slot_taken[u->slot])
        return FAIL(c, "%s: %s: parameter given twice (also set by a choice)", c->file, path);
    slot_taken[u->slot] = 1;
    double factor;
    if ((status = prior_parse_unit(c, object, path, u, sp->unit, sizeof sp->unit, &factor))) return status;

    c->unit = u->unit;
    double support_low = 0, support_high = 0;
    if ((status = prior_parse_single(c, object, path, sp->dist, factor, &sp->prior, &support_low,
                               &support_high)))
        return status;
    if ((status = prior_parse_domain(c, path, u, sp->dist, support_low, support_high))) return status;
    sp->prior.slot = u->slot;
    sp->sampled = sp->prior.dist != PRIOR_FIXED;
    sp->median = prior_build_median(&sp->prior, c->data.values);
    char implausible[256];   /* a warning, the run goes on: most often a unit slip */
    if (units_implausible(u, sp->median, sp->unit, implausible, sizeof implausible))
        loader_warn(c, "%s: %s: %s", c->file, path, implausible);

    double point;
    if ((status = loader_get_number(c, object, path, "point", &point, &present))) return status;
    if (present) {
        point *= factor;
        if ((status = loader_check_float(c, path, "point", point))) return status;
        if (point < support_low || point > support_high)
            return FAIL(c, "%s: %s.point: %g lies outside the prior's range [%g, %g]", c->file,
                        path, point / factor, support_low / factor, support_high / factor);
        sp->has_point = 1;
        sp->point = point;
    }
    return THIRST_OK;
}

/* ---------------------------------------------------------------- whole file */

/* Parse "report": quantiles and interval. */
static int parse_report(parse_ctx *c, const cJSON *report, scenario *s)
{
    s->quantile_count = (int)(sizeof DEFAULT_QUANTILES / sizeof DEFAULT_QUANTILES[0]);
    memcpy(s->quantiles, DEFAULT_QUANTILES, sizeof DEFAULT_QUANTILES);
    s->interval = 0.95;
    if (!report) return THIRST_OK;
    if (!cJSON_IsObject(report))
        return FAIL(c, "%s: report: expected an object, got %s", c->file, loader_type_name(report));
    static const char *const fields[] = {"quantiles", "interval", NULL};
    int status = loader_check_fields(c, report, "report", fields, "report");
    if (status || (status = loader_check_duplicates(c, report, "report"))) return status;
    const cJSON *quantiles = cJSON_GetObjectItemCaseSensitive(report, "quantiles");
    if (quantiles) {
        if (!cJSON_IsArray(quantiles) || cJSON_GetArraySize(quantiles) == 0)
            return FAIL(c, "%s: report.quantiles: expected a non-empty array of probabilities",
                        c->file);
        int n = cJSON_GetArraySize(quantiles);
        if (n > SCENARIO_MAX_QUANTILES)
            return FAIL(c, "%s: report.quantiles: expected at most %d, got %d", c->file,
                        SCENARIO_MAX_QUANTILES, n);
        int k = 0;
        for (const cJSON *q = quantiles->child; q; q = q->next, k++) {
            if (!cJSON_IsNumber(q) || !(q->valuedouble > 0 && q->valuedouble < 1))
                return FAIL(c, "%s: report.quantiles[%d]: expected a probability in (0, 1), got "
                            "%s", c->file, k, cJSON_IsNumber(q) ? "a number outside" :
                            loader_type_name(q));
            if (k && !(q->valuedouble > s->quantiles[k - 1]))
                return FAIL(c, "%s: report.quantiles[%d]: expected ascending probabilities",
                            c->file, k);
            s->quantiles[k] = q->valuedouble;
        }
        s->quantile_count = n;
    }
    int present;
    if ((status = loader_get_number(c, report, "report", "interval", &s->interval, &present)))
        return status;
    if (present && !(s->interval > 0 && s->interval < 1))
        return FAIL(c, "%s: report.interval: expected a probability in (0, 1), got %g", c->file,
                    s->interval);
    return THIRST_OK;
}

/* Top-level "model" (benchmark models) and its coefficients "a" (and "b"). */
static int parse_benchmark(parse_ctx *c, const cJSON *root, const char *name, scenario *s)
{
    model_config *m = &s->model;
    int present;
    if (strcmp(name, "ishigami") == 0) {
        double a = 7, b = 0.1;
        int status = loader_get_number(c, root, "", "a", &a, &present);
        if (!status) status = loader_get_number(c, root, "", "b", &b, &present);
        if (status) return status;
        c->unit = "";
        if ((status = loader_check_float(c, "", "a", a)) || (status = loader_check_float(c, "", "b", b)))
            return status;
        m->workload = MODEL_ISHIGAMI;
        m->coefficient_count = 3;
        m->coefficient[0] = (float)a;
        m->coefficient[1] = (float)b;
        return THIRST_OK;
    }
    if (strcmp(name, "gfunction") == 0) {
        if (cJSON_GetObjectItemCaseSensitive(root, "b"))
            return FAIL(c, "%s: b: the G-function takes only \"a\"", c->file);
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "a");
        if (!a || !cJSON_IsArray(a) || cJSON_GetArraySize(a) < 1 ||
            cJSON_GetArraySize(a) > MODEL_MAX_COEFFICIENTS)
            return FAIL(c, "%s: a: expected an array of 1 to %d coefficients >= 0 (one per input)",
                        c->file, MODEL_MAX_COEFFICIENTS);
        int k = 0;
        for (const cJSON *v = a->child; v; v = v->next, k++) {
            if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || !isfinite(v->valuedouble))
                return FAIL(c, "%s: a[%d]: expected a number >= 0", c->file, k);
            char index[16];
            snprintf(index, sizeof index, "a[%d]", k);
            c->unit = "";
            int status = loader_check_float(c, "", index, v->valuedouble);
            if (status) return status;
            m->coefficient[k] = (float)v->valuedouble;
        }
        m->workload = MODEL_GFUNCTION;
        m->coefficient_count = k;
        return THIRST_OK;
    }
    if (strcmp(name, "formula") == 0) {   /* the scenario's own model: host/scenario_formulas.c */
        if (cJSON_GetObjectItemCaseSensitive(root, "a") || cJSON_GetObjectItemCaseSensitive(root, "b"))
            return FAIL(c, "%s: %s: \"model\": \"formula\" takes no coefficients", c->file,
                        cJSON_GetObjectItemCaseSensitive(root, "a") ? "a" : "b");
        m->workload = MODEL_FORMULA;
        return THIRST_OK;
    }
    return FAIL(c, "%s: model: expected \"ishigami\", \"gfunction\" or \"formula\", got '%s'",
                c->file, name);
}

/* Line and column (1-based) of position in text. */
static void line_column(const char *text, const char *position, int *line, int *column)
{
    *line = 1;
    *column = 1;
    for (const char *p = text; p < position && *p; p++) {
        if (*p == '\n') {
            (*line)++;
            *column = 1;
        } else {
            (*column)++;
        }
    }
}

int scenario_parse(const char *name, const char *text, scenario *s, char *err, size_t errlen)
{
    return scenario_parse_overrides(name, text, NULL, 0, s, err, errlen);
}

/* The JSON syntax error of text (cJSON stopped at end) as file:line:column. */
static int syntax_error(parse_ctx *c, const char *name, const char *text, const char *end)
{
    int line, column;
    if (!end) end = text;
    line_column(text, end, &line, &column);
    char near[24];
    int k = 0;
    for (; k < 20 && end[k] && end[k] != '\n'; k++) near[k] = end[k];
    near[k] = '\0';
    if (k == 0)
        return FAIL(c, "%s:%d:%d: malformed JSON: unexpected end of input", name, line, column);
    return FAIL(c, "%s:%d:%d: malformed JSON near '%s'", name, line, column, near);
}

/* The top-level fields: id, title, the workload or benchmark model, draws, seed, report. */
static int parse_header(parse_ctx *c, const cJSON *root, const char *name, scenario *s)
{
    static const char *const fields[] = {
        "scenario", "title",    "description", "workload",     "model",  "a",     "b",       "draws",
        "seed",     "params",   "formulas",    "correlations", "outputs", "report", "notes", "sources",
        NULL};
    int status, present, has_model;
    if ((status = loader_check_fields(c, root, "(top level)", fields, "a scenario")) ||
        (status = loader_check_duplicates(c, root, "")))
        return status;
    if ((status = loader_get_string(c, root, "", "scenario", s->id, sizeof s->id, &present)))
        return status;
    if (!present)
        return FAIL(c, "%s: scenario: missing (a short identifier such as \"gpt3-training\")",
                    name);
    if ((status = loader_get_string(c, root, "", "title", s->title, sizeof s->title, &present)))
        return status;
    char workload[32], benchmark[32];
    if ((status = loader_get_string(c, root, "", "workload", workload, sizeof workload,
                                    &present)) ||
        (status = loader_get_string(c, root, "", "model", benchmark, sizeof benchmark,
                                    &has_model)))
        return status;
    if (has_model && present)
        return FAIL(c, "%s: model: a scenario with \"model\" has no \"workload\"; give one of "
                    "them", name);
    if (has_model) {
        if ((status = parse_benchmark(c, root, benchmark, s))) return status;
    } else if (cJSON_GetObjectItemCaseSensitive(root, "a") ||
               cJSON_GetObjectItemCaseSensitive(root, "b")) {
        return FAIL(c, "%s: %s: only benchmark models (\"model\") take coefficients", name,
                    cJSON_GetObjectItemCaseSensitive(root, "a") ? "a" : "b");
    } else if (!present) {
        return FAIL(c, "%s: workload: missing (\"training\" or \"inference\")", name);
    } else if (strcmp(workload, "training") == 0) {
        s->model.workload = MODEL_TRAINING;
    } else if (strcmp(workload, "inference") == 0) {
        s->model.workload = MODEL_INFERENCE;
    } else {
        return FAIL(c, "%s: workload: expected \"training\" or \"inference\", got '%s'", name,
                    workload);
    }
    s->draws = 1000000;
    s->seed = 1;
    if ((status = loader_get_whole(c, root, "draws", 1, SCENARIO_MAX_DRAWS, &s->draws)) ||
        (status = loader_get_whole(c, root, "seed", 0, UINT64_MAX, &s->seed)))
        return status;
    return parse_report(c, cJSON_GetObjectItemCaseSensitive(root, "report"), s);
}

/* The priors of "params", each reading the next uniform word; then the model's wiring rules,
 * the words a draw reads and the fixed inputs. */
static int parse_params(parse_ctx *c, const cJSON *root, const char *name, scenario *s)
{
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(root, "params");
    if (!params) return FAIL(c, "%s: params: missing (an object of priors)", name);
    if (!cJSON_IsObject(params) || !params->child)
        return FAIL(c, "%s: params: expected a non-empty object of priors, got %s", name,
                    cJSON_IsObject(params) ? "an empty object" : loader_type_name(params));
    int status = loader_check_duplicates(c, params, "params");
    if (status) return status;
    int slot_taken[DRAW_INPUT_SLOTS] = {0};
    int basis_facility = 0, word = 0;
    for (const cJSON *p = params->child; p; p = p->next) {
        if (s->param_count == SCENARIO_MAX_PARAMS)
            return FAIL(c, "%s: params.%s: more than %d parameters", name, p->string,
                        SCENARIO_MAX_PARAMS);
        scenario_param *sp = &s->params[s->param_count];
        if ((status = parse_param(c, p, p->string, sp, slot_taken, &basis_facility))) return status;
        sp->prior.word = word++;
        s->param_count++;
    }
    if ((status = scenario_formulas_read(c, root, s, slot_taken, &basis_facility))) return status;
    if (s->model.workload != MODEL_FORMULA &&
        (status = model_rules_configure(name, s, slot_taken, basis_facility, c->err, c->errlen)))
        return status;
    if ((status = scenario_formulas_build(c, s))) return status;
    if ((status = scenario_correlations_read(c, root, s))) return status;
    s->word_count = 0;
    for (int k = 0; k < s->param_count; k++) {
        const scenario_param *sp = &s->params[k];
        if (sp->sampled && sp->prior.word + 1 > s->word_count) s->word_count = sp->prior.word + 1;
        if (!sp->sampled) s->fixed_inputs[sp->prior.slot] = sp->prior.a;
    }
    return THIRST_OK;
}

/* The params that the file itself fixes (before --set), for correlations' messages. */
static void note_fixed_params(parse_ctx *c, const cJSON *root)
{
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(root, "params");
    for (const cJSON *p = cJSON_IsObject(params) ? params->child : NULL;
         p && c->fixed_in_file_count < SCENARIO_MAX_PARAMS; p = p->next) {
        const cJSON *dist = cJSON_GetObjectItemCaseSensitive(p, "dist");
        if (cJSON_IsString(dist) && !strcmp(dist->valuestring, "fixed"))
            snprintf(c->fixed_in_file[c->fixed_in_file_count++], 64, "%s", p->string);
    }
}

/* Keep the scenario's text and overrides (what a result's provenance records). */
static int keep_source(scenario *s, const char *text, const char *const *overrides,
                       int override_count, char *err, size_t errlen)
{
    if (override_count > SCENARIO_MAX_OVERRIDES)
        return status_fail(err, errlen, THIRST_ERR_INPUT, "--set: at most %d overrides",
                           SCENARIO_MAX_OVERRIDES);
    s->text = strdup(text);
    int ok = s->text != NULL;
    for (int k = 0; k < override_count && ok; k++, s->override_count++)
        ok = (s->overrides[k] = strdup(overrides[k])) != NULL;
    return ok ? THIRST_OK : status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
}

int scenario_parse_overrides(const char *name, const char *text, const char *const *overrides,
                             int override_count, scenario *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    snprintf(s->file, sizeof s->file, "%s", name);
    parse_ctx ctx = {.file = name, .err = err, .errlen = errlen, .s = s, .unit = "",
                     .overrides = overrides, .override_count = override_count};
    parse_ctx *c = &ctx;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
    if (!root) return syntax_error(c, name, text, end);
    int status = json_check_tree(name, text, root, &c->numbers, err, errlen);
    if (!status && !cJSON_IsObject(root))
        status = FAIL(c, "%s: expected a JSON object at the top level, got %s", name,
                      loader_type_name(root));
    note_fixed_params(c, root);
    for (int k = 0; !status && k < override_count; k++)
        status = overrides_apply(c, root, overrides[k]);
    if (!status) status = parse_header(c, root, name, s);
    c->user_params = !status && scenario_formulas_present(root);
    if (!status) status = parse_params(c, root, name, s);
    if (!status) {
        s->prior_data = ctx.data.values;
        s->prior_data_count = ctx.data.count;
        ctx.data.values = NULL;
        status = keep_source(s, text, overrides, override_count, err, errlen);
    }
    free(ctx.data.values);
    json_check_free(&ctx.numbers);
    cJSON_Delete(root);
    return status;
}

int scenario_load(const char *path, scenario *s, char *err, size_t errlen)
{
    return scenario_load_overrides(path, NULL, 0, s, err, errlen);
}

int scenario_load_overrides(const char *path, const char *const *overrides, int override_count,
                            scenario *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    FILE *f = fopen(path, "rb");
    if (!f)
        return status_fail(err, errlen, THIRST_ERR_INPUT, "%s: cannot read scenario: %s", path,
                           strerror(errno));
    char *text = malloc(MAX_FILE_BYTES + 1);
    if (!text) {
        fclose(f);
        return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    }
    size_t n = fread(text, 1, MAX_FILE_BYTES + 1, f);
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        free(text);
        return status_fail(err, errlen, THIRST_ERR_INPUT, "%s: cannot read scenario: %s", path,
                           strerror(errno ? errno : EIO));
    }
    if (n > MAX_FILE_BYTES) {
        free(text);
        return status_fail(err, errlen, THIRST_ERR_INPUT, "%s: scenario larger than %d bytes",
                           path, MAX_FILE_BYTES);
    }
    text[n] = '\0';
    if (strlen(text) != n) {
        free(text);
        return status_fail(err, errlen, THIRST_ERR_INPUT, "%s: not a text file (contains a NUL "
                           "byte)", path);
    }
    int status = scenario_parse_overrides(path, text, overrides, override_count, s, err, errlen);
    free(text);
    return status;
}

void scenario_free(scenario *s)
{
    free(s->prior_data);
    s->prior_data = NULL;
    s->prior_data_count = 0;
    free(s->text);
    s->text = NULL;
    for (int k = 0; k < s->override_count; k++) free(s->overrides[k]);
    s->override_count = 0;
}
