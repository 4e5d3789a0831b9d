/* replay.c: read back the run a JSON result records (host/replay.h): schema "thirst-result" or
 * "thirst-sensitivity", its "provenance" (scenario text, overrides, numbers version, the seed's
 * digits: a double, as cJSON keeps numbers, holds a 64-bit seed only to 2^53), "settings"
 * (draws, the adaptive stopping rule, the sampler; sensitivity: methods, base draws, tornado
 * percentiles, the Sobol design's sampler) and "run" (backend); each checked against the ranges
 * the flags take. */
#include "replay.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "number.h"
#include "provenance.h"
#include "sensitivity.h"
#include "status.h"

#define MAX_RESULT_BYTES (64 << 20)

#define BAD(...) status_fail(err, errlen, THIRST_ERR_INPUT, __VA_ARGS__)

/* The file at path as a NUL-terminated string (malloc), or NULL with err filled. */
static char *read_text(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        BAD("--replay: %s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    char *text = malloc(MAX_RESULT_BYTES + 1);
    size_t n = text ? fread(text, 1, MAX_RESULT_BYTES + 1, f) : 0;
    int failed = !text || ferror(f) || n > MAX_RESULT_BYTES;
    fclose(f);
    if (failed) {
        free(text);
        BAD("--replay: %s: cannot read it (or larger than %d bytes)", path, MAX_RESULT_BYTES);
        return NULL;
    }
    text[n] = 0;
    return text;
}

/* Member key of object as a whole number in [low, high], exactly (draws and max_draws are
 * below 2^53, so a double holds them exactly): 0, or -1. */
static int whole_member(const cJSON *object, const char *key, uint64_t low, uint64_t high,
                        uint64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(object, key);
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= (double)low && v->valuedouble <= (double)high))
        return -1;
    *out = (uint64_t)v->valuedouble;
    return (double)*out == v->valuedouble ? 0 : -1;
}

/* settings.sampler of the result at path into run: absent (a result from before samplers were
 * recorded: Monte Carlo), {"kind": "mc"}, or {"kind": "rqmc", "replicates": 2..1024}. */
static int read_sampler(const char *path, const cJSON *settings, replay_run *run, char *err,
                        size_t errlen)
{
    const cJSON *sampler = cJSON_GetObjectItemCaseSensitive(settings, "sampler");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(sampler, "kind");
    uint64_t replicates = 0;
    run->sampler = PLAN_SAMPLER_MC;
    run->replicates = ENGINE_DEFAULT_REPLICATES;
    if (!sampler) return THIRST_OK;
    const char *name = cJSON_IsString(kind) ? kind->valuestring : "";
    if (!strcmp(name, "mc")) return THIRST_OK;
    const int rqmc = !strcmp(name, "rqmc");
    if (!rqmc || whole_member(sampler, "replicates", ENGINE_MIN_REPLICATES,
                              ENGINE_MAX_REPLICATES, &replicates))
        return BAD("--replay: %s: settings.sampler: expected kind \"mc\", or \"rqmc\" with "
                   "replicates (%d to %d)", path, ENGINE_MIN_REPLICATES, ENGINE_MAX_REPLICATES);
    run->sampler = PLAN_SAMPLER_RQMC;
    run->replicates = (int)replicates;
    return THIRST_OK;
}

/* The sensitivity design a result's settings record into run: methods (their names), base_draws
 * (2 to 1e15), tornado_percentiles (two probabilities, low < high) and sobol_sampler.kind. */
static int read_design(const char *path, const cJSON *settings, replay_run *run, char *err,
                       size_t errlen)
{
    const cJSON *methods = cJSON_GetObjectItemCaseSensitive(settings, "methods");
    const cJSON *pair = cJSON_GetObjectItemCaseSensitive(settings, "tornado_percentiles");
    const cJSON *sampler = cJSON_GetObjectItemCaseSensitive(settings, "sobol_sampler");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(sampler, "kind");
    const cJSON *low = cJSON_GetArrayItem(pair, 0), *high = cJSON_GetArrayItem(pair, 1);
    int known = cJSON_IsArray(methods);
    run->methods = 0;
    for (const cJSON *m = known ? methods->child : NULL; m; m = m->next) {
        const int bit =
            cJSON_IsString(m) ? sensitivity_method_bit(m->valuestring, strlen(m->valuestring)) : 0;
        known &= bit != 0;
        run->methods |= bit;
    }
    const char *name = cJSON_IsString(kind) ? kind->valuestring : "";
    const int rqmc = !strcmp(name, "rqmc"), mc = !strcmp(name, "mc");
    if (!known || !run->methods ||
        whole_member(settings, "base_draws", 2, SCENARIO_MAX_DRAWS, &run->base_draws) ||
        cJSON_GetArraySize(pair) != 2 || !cJSON_IsNumber(low) || !cJSON_IsNumber(high) ||
        !(low->valuedouble > 0 && low->valuedouble < high->valuedouble &&
          high->valuedouble < 1) ||
        !(mc || rqmc))
        return BAD("--replay: %s: settings: expected methods (sobol, tornado, src, measured), "
                   "base_draws (2 to 1e15), tornado_percentiles (two probabilities, low < high) "
                   "and sobol_sampler.kind (mc or rqmc)", path);
    run->tornado_low = low->valuedouble;
    run->tornado_high = high->valuedouble;
    run->sampler = rqmc ? PLAN_SAMPLER_RQMC : PLAN_SAMPLER_MC;
    run->replicates = ENGINE_DEFAULT_REPLICATES;
    return THIRST_OK;
}

int replay_load(const char *path, replay_run *run, char *err, size_t errlen)
{
    memset(run, 0, sizeof *run);
    char *text = read_text(path, err, errlen);
    if (!text) return THIRST_ERR_INPUT;
    cJSON *root = cJSON_Parse(text);
    int status = THIRST_OK;
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    const cJSON *provenance = cJSON_GetObjectItemCaseSensitive(root, "provenance");
    const cJSON *settings = cJSON_GetObjectItemCaseSensitive(root, "settings");
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(root, "run");
    const cJSON *numbers = cJSON_GetObjectItemCaseSensitive(provenance, "numbers_version");
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(provenance, "thirst_version");
    const cJSON *commit = cJSON_GetObjectItemCaseSensitive(provenance, "commit");
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(provenance, "seed");
    const cJSON *scenario_text = cJSON_GetObjectItemCaseSensitive(provenance, "scenario_text");
    const cJSON *overrides = cJSON_GetObjectItemCaseSensitive(provenance, "overrides");
    const cJSON *backend_name = cJSON_GetObjectItemCaseSensitive(info, "backend");
    const cJSON *section = cJSON_GetObjectItemCaseSensitive(root, "scenario");
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(section, "file");
    const char *schema_name = cJSON_IsString(schema) ? schema->valuestring : "";
    const int is_run = !strcmp(schema_name, "thirst-result");
    const int is_sensitivity = !strcmp(schema_name, "thirst-sensitivity");
    run->command = is_run ? CLI_RUN : CLI_SENSITIVITY;
    if (!root)
        status = BAD("--replay: %s: not JSON", path);
    else if (!is_run && !is_sensitivity)
        status = BAD("--replay: %s: not the JSON result of thirst run or sensitivity (schema "
                     "\"thirst-result\" or \"thirst-sensitivity\")", path);
    else if (!cJSON_IsObject(provenance) || !cJSON_IsNumber(numbers) ||
             !cJSON_IsString(scenario_text) || !cJSON_IsArray(overrides) ||
             !cJSON_IsObject(settings) || !cJSON_IsString(backend_name))
        status = BAD("--replay: %s: no complete \"provenance\", \"settings\" and \"run\" (a "
                     "result of thirst before 0.2 cannot be replayed)", path);
    else if (numbers->valuedouble != THIRST_NUMBERS_VERSION)
        status = BAD("--replay: %s was made by thirst %s (commit %s), whose numbers differ from "
                     "this build's (numbers version %g, here %d): its statistics cannot be "
                     "reproduced here; replay it with that version", path,
                     cJSON_IsString(version) ? version->valuestring : "?",
                     cJSON_IsString(commit) ? commit->valuestring : "?", numbers->valuedouble,
                     THIRST_NUMBERS_VERSION);
    else if (cJSON_GetArraySize(overrides) > SCENARIO_MAX_OVERRIDES)
        status = BAD("--replay: %s: more than %d overrides", path, SCENARIO_MAX_OVERRIDES);
    else if (!cJSON_IsString(seed) ||
             number_read_whole(seed->valuestring, 0, UINT64_MAX, &run->seed) ||
             (is_run && whole_member(settings, "draws", 1, SCENARIO_MAX_DRAWS, &run->draws)))
        status = BAD("--replay: %s: expected provenance.seed (the seed's digits) and "
                     "settings.draws (1 to 1e15)", path);
    else if (!is_run)
        status = read_design(path, settings, run, err, errlen);
    if (!status) {
        const cJSON *adaptive = cJSON_GetObjectItemCaseSensitive(settings, "adaptive");
        const cJSON *rel = cJSON_GetObjectItemCaseSensitive(adaptive, "rel_error");
        const cJSON *abs = cJSON_GetObjectItemCaseSensitive(adaptive, "abs_error");
        run->rel_error = cJSON_IsNumber(rel) ? rel->valuedouble : 0;
        run->abs_error = cJSON_IsNumber(abs) ? abs->valuedouble : 0;
        /* The ranges the flags take (cli.c): --rel-error in (0, 1), --abs-error above 0. */
        if (is_run && adaptive && (whole_member(adaptive, "max_draws", 1, SCENARIO_MAX_DRAWS,
                                      &run->max_draws) ||
                         (rel && !(run->rel_error > 0 && run->rel_error < 1)) ||
                         (abs && !(run->abs_error > 0 && isfinite(run->abs_error))) ||
                         (!rel && !abs)))
            status = BAD("--replay: %s: settings.adaptive: expected max_draws (1 to 1e15) and "
                         "rel_error in (0, 1) or abs_error above 0", path);
        if (!status && is_run) status = read_sampler(path, settings, run, err, errlen);
        snprintf(run->backend, sizeof run->backend, "%s", backend_name->valuestring);
        run->scenario_text = strdup(scenario_text->valuestring);
        run->scenario_file = strdup(cJSON_IsString(file) ? file->valuestring : path);
        for (const cJSON *o = overrides->child; o && !status; o = o->next) {
            if (!cJSON_IsString(o))
                status = BAD("--replay: %s: provenance.overrides holds a non-string", path);
            else if (!(run->overrides[run->override_count++] = strdup(o->valuestring)))
                status = status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
        }
        if (!status && (!run->scenario_text || !run->scenario_file))
            status = status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    }
    cJSON_Delete(root);
    free(text);
    if (status) replay_free(run);
    return status;
}

void replay_free(replay_run *run)
{
    free(run->scenario_file);
    free(run->scenario_text);
    for (int k = 0; k < run->override_count; k++) free(run->overrides[k]);
    memset(run, 0, sizeof *run);
}

int replay_apply(cli_args *a, scenario *s, char *err, size_t errlen)
{
    replay_run run;
    memset(s, 0, sizeof *s);
    int status = replay_load(a->replay_path, &run, err, errlen);
    if (status) return status;
    if (run.command != (int)a->command) {
        const char *wrote = run.command == CLI_RUN ? "run" : "sensitivity";
        status = BAD("--replay: %s is a result of thirst %s: replay it with thirst %s --replay %s",
                     a->replay_path, wrote, wrote, a->replay_path);
        replay_free(&run);
        return status;
    }
    status = scenario_parse_overrides(run.scenario_file, run.scenario_text,
                                      (const char *const *)run.overrides, run.override_count, s,
                                      err, errlen);
    a->scenario_path = s->file;   /* the scenario's name as the result gives it */
    if (run.rel_error > 0 || run.abs_error > 0) {
        a->rel_error = run.rel_error;
        a->abs_error = run.abs_error;
        a->max_draws = run.max_draws;
    } else {
        a->draws = run.draws;
        a->has_draws = 1;
    }
    a->seed = run.seed;
    a->has_seed = 1;
    if (run.command == CLI_SENSITIVITY) {
        a->methods = run.methods;
        a->base_draws = run.base_draws;
        a->tornado_low = run.tornado_low;
        a->tornado_high = run.tornado_high;
    }
    a->sampler = run.sampler;
    a->replicates = run.replicates;
    if (!a->has_backend) a->backend = strcmp(run.backend, "cuda") == 0 ? "cuda" : "cpu";
    replay_free(&run);
    return status;
}
