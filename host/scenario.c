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
#include "model_rules.h"
#include "number.h"
#include "prior_build.h"
#include "special.h"
#include "status.h"
#include "units.h"
#include "utf8.h"

#define MAX_FILE_BYTES (16 * 1024 * 1024)
#define MAX_PERCENTILES 2

/* Parsing context: where messages go and what the file is called. */
typedef struct {
    const char *file;
    char *err;
    size_t errlen;
    prior_data data;
    json_check_numbers numbers;   /* source text of the file's numbers */
    scenario *s;                  /* receives warnings */
    const char *unit;             /* canonical unit of the parameter being read (messages) */
} parse_ctx;

#define FAIL(c, ...) status_fail((c)->err, (c)->errlen, THIRST_ERR_INPUT, __VA_ARGS__)

static const double DEFAULT_QUANTILES[] = {0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975};

/* ---------------------------------------------------------------- small JSON helpers */

/* Name of a cJSON value's type for messages. */
static const char *json_type_name(const cJSON *v)
{
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsObject(v)) return "an object";
    return "an invalid value";
}

/* Order member names for check_duplicates. */
static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Reject an object with two members of the same name (sorted, so O(n log n) for a hostile file
 * with a hundred thousand keys). */
static int check_duplicates(parse_ctx *c, const cJSON *object, const char *path)
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
static int check_fields(parse_ctx *c, const cJSON *object, const char *path,
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

/* Read member key of object as a finite number into *out; *present says whether it exists. */
static int get_number(parse_ctx *c, const cJSON *object, const char *path, const char *key,
                      double *out, int *present)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(object, key);
    *present = v != NULL;
    if (!v) return THIRST_OK;
    if (!cJSON_IsNumber(v))
        return FAIL(c, "%s: %s.%s: expected a number, got %s", c->file, path, key,
                    json_type_name(v));
    if (!isfinite(v->valuedouble))
        return FAIL(c, "%s: %s.%s: expected a finite number, got %g", c->file, path, key,
                    v->valuedouble);
    *out = v->valuedouble;
    return THIRST_OK;
}

/* Read member key as a string (copied into out); *present says whether it exists. */
static int get_string(parse_ctx *c, const cJSON *object, const char *path, const char *key,
                      char *out, size_t size, int *present)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(object, key);
    *present = v != NULL;
    if (!v) return THIRST_OK;
    if (!cJSON_IsString(v))
        return FAIL(c, "%s: %s%s%s: expected a string, got %s", c->file, path, *path ? "." : "",
                    key, json_type_name(v));
    if (strlen(v->valuestring) >= size)
        return FAIL(c, "%s: %s%s%s: expected a string of at most %zu characters", c->file, path,
                    *path ? "." : "", key, size - 1);
    strcpy(out, v->valuestring);
    return THIRST_OK;
}

/* Read a required number with a lower bound: value > bound (strict) or >= bound. */
static int get_bounded(parse_ctx *c, const cJSON *object, const char *path, const char *key,
                       double bound, int strict, double *out)
{
    int present = 0;
    int status = get_number(c, object, path, key, out, &present);
    if (status) return status;
    if (!present) return FAIL(c, "%s: %s: missing \"%s\"", c->file, path, key);
    if (strict ? !(*out > bound) : !(*out >= bound))
        return FAIL(c, "%s: %s.%s: expected a number %s %g, got %g", c->file, path, key,
                    strict ? ">" : ">=", bound, *out);
    return THIRST_OK;
}

/* Values are sampled and computed in float: refuse a canonical value v (of member key) that is
 * not 0 and lies outside the normal float range, where it would turn into 0 or infinity. */
static int check_float(parse_ctx *c, const char *path, const char *key, double v)
{
    if (v == 0 || (fabs(v) >= FLT_MIN && fabs(v) <= FLT_MAX)) return THIRST_OK;
    return FAIL(c, "%s: %s%s%s: %g %s lies outside the float range thirst computes in "
                "(magnitudes %.2g to %.2g, or 0)", c->file, path, *path && *key ? "." : "", key, v,
                c->unit, (double)FLT_MIN, (double)FLT_MAX);
}

/* ---------------------------------------------------------------- one prior */

/* Percentile keys: "p" followed by a number in (0, 100), e.g. p5, p97.5. */
static int percentile_level(const char *key, double *level)
{
    double v;
    if (key[0] != 'p' || number_read(key + 1, &v) || !(v > 0 && v < 100)) return 0;
    *level = v / 100;
    return 1;
}

typedef struct {
    int count;
    double level[MAX_PERCENTILES];  /* probability, ascending after sorting */
    double value[MAX_PERCENTILES];  /* canonical unit */
    char key[MAX_PERCENTILES][16];
} percentile_pair;

/* Collect percentile members (scaled by factor), sorted by level; at most two. */
static int get_percentiles(parse_ctx *c, const cJSON *object, const char *path, double factor,
                           percentile_pair *pp)
{
    pp->count = 0;
    for (const cJSON *m = object->child; m; m = m->next) {
        double level;
        if (!percentile_level(m->string, &level)) continue;
        if (pp->count == MAX_PERCENTILES)
            return FAIL(c, "%s: %s.%s: expected exactly two percentiles, got a third", c->file,
                        path, m->string);
        double value;
        int present;
        int status = get_number(c, object, path, m->string, &value, &present);
        if (status) return status;
        int k = pp->count++;
        pp->level[k] = level;
        pp->value[k] = value * factor;
        snprintf(pp->key[k], sizeof pp->key[k], "%s", m->string);
    }
    if (pp->count == 2 && pp->level[0] > pp->level[1]) {
        double t = pp->level[0]; pp->level[0] = pp->level[1]; pp->level[1] = t;
        t = pp->value[0]; pp->value[0] = pp->value[1]; pp->value[1] = t;
        char key[16];
        memcpy(key, pp->key[0], 16); memcpy(pp->key[0], pp->key[1], 16); memcpy(pp->key[1], key, 16);
    }
    if (pp->count == 1)
        return FAIL(c, "%s: %s.%s: a percentile needs a second one (e.g. p5 and p95)", c->file,
                    path, pp->key[0]);
    if (pp->count == 2) {
        if (pp->level[0] == pp->level[1])
            return FAIL(c, "%s: %s.%s: two percentiles at the same level", c->file, path,
                        pp->key[1]);
        if (!(pp->value[1] > pp->value[0]))
            return FAIL(c, "%s: %s.%s: expected a value above %s (%g), got %g", c->file, path,
                        pp->key[1], pp->key[0], pp->value[0] / factor, pp->value[1] / factor);
    }
    return THIRST_OK;
}

/* The quantile table of a beta or PERT prior (prior_build.h), with its errors as messages. */
static int build_beta(parse_ctx *c, const char *path, prior_spec *p, double alpha, double beta,
                      double low, double high)
{
    char why[200];
    int built = prior_build_beta(p, &c->data, alpha, beta, low, high, why, sizeof why);
    if (built == -1) return status_fail(c->err, c->errlen, THIRST_ERR_RUNTIME, "out of memory");
    if (built)
        return FAIL(c, "%s: %s: this beta (alpha %g, beta %g) cannot be sampled within %g of its "
                    "tail probabilities: %s", c->file, path, alpha, beta,
                    PRIOR_BUILD_TABLE_TOLERANCE, why);
    return THIRST_OK;
}

/* Fields every prior may carry besides its distribution's own. */
#define COMMON_FIELDS "dist", "unit", "point", "source", "reason", "note", "basis"

/* Build the canonical prior of a single-valued distribution; *support_low/high get its
 * support in canonical units. factor converts the file's unit to canonical. */
static int parse_single(parse_ctx *c, const cJSON *object, const char *path, const char *dist,
                        double factor, prior_spec *p, double *support_low, double *support_high)
{
    double low = 0, high = 0, mean = 0, sd = 0, value = 0, mode = 0;
    int has_low = 0, has_high = 0, has_mean = 0, has_sd = 0, status;
    p->low = -INFINITY;
    p->high = INFINITY;

    if (strcmp(dist, "fixed") == 0) {
        static const char *const fields[] = {COMMON_FIELDS, "value", NULL};
        if ((status = check_fields(c, object, path, fields, "a fixed prior"))) return status;
        int present;
        if ((status = get_number(c, object, path, "value", &value, &present))) return status;
        if (!present) return FAIL(c, "%s: %s: missing \"value\" (fixed prior)", c->file, path);
        if ((status = check_float(c, path, "value", value * factor))) return status;
        p->dist = PRIOR_FIXED;
        p->a = (float)(value * factor);
        *support_low = *support_high = value * factor;
        return THIRST_OK;
    }

    if (strcmp(dist, "uniform") == 0 || strcmp(dist, "loguniform") == 0 ||
        strcmp(dist, "triangular") == 0 || strcmp(dist, "pert") == 0) {
        int is_uniform = dist[0] == 'u', is_log = dist[0] == 'l', is_pert = dist[0] == 'p';
        static const char *const uniform_fields[] = {COMMON_FIELDS, "low", "high", NULL};
        static const char *const triangular_fields[] = {COMMON_FIELDS, "low", "mode", "high", NULL};
        static const char *const pert_fields[] = {COMMON_FIELDS, "low", "mode", "high", "lambda",
                                                  NULL};
        char what[32];
        snprintf(what, sizeof what, "a %s prior", dist);
        status = check_fields(c, object, path,
                              (is_uniform || is_log) ? uniform_fields
                              : is_pert              ? pert_fields
                                                     : triangular_fields,
                              what);
        if (status) return status;
        if ((status = get_number(c, object, path, "low", &low, &has_low))) return status;
        if ((status = get_number(c, object, path, "high", &high, &has_high))) return status;
        if (!has_low) return FAIL(c, "%s: %s: missing \"low\" (%s prior)", c->file, path, dist);
        if (!has_high) return FAIL(c, "%s: %s: missing \"high\" (%s prior)", c->file, path, dist);
        if (!(low < high))
            return FAIL(c, "%s: %s.high: expected a value above low (%g), got %g", c->file, path,
                        low, high);
        low *= factor;
        high *= factor;
        if ((status = check_float(c, path, "low", low)) ||
            (status = check_float(c, path, "high", high)))
            return status;
        *support_low = low;
        *support_high = high;
        p->low = (float)low;
        p->high = (float)high;
        if (is_uniform || is_log) {
            if (is_log && !(low > 0))
                return FAIL(c, "%s: %s.low: expected a number > 0 (loguniform), got %g", c->file,
                            path, low / factor);
            p->dist = is_log ? PRIOR_LOGUNIFORM : PRIOR_UNIFORM;
            p->a = (float)(is_log ? log(low) : low);
            p->b = (float)(is_log ? log(high) : high);
            return THIRST_OK;
        }
        int has_mode;
        if ((status = get_number(c, object, path, "mode", &mode, &has_mode))) return status;
        if (!has_mode) return FAIL(c, "%s: %s: missing \"mode\" (%s prior)", c->file, path, dist);
        mode *= factor;
        if ((status = check_float(c, path, "mode", mode))) return status;
        if (!(mode >= low && mode <= high))
            return FAIL(c, "%s: %s.mode: expected a value in [low, high] = [%g, %g], got %g",
                        c->file, path, low / factor, high / factor, mode / factor);
        if (!is_pert) {
            p->dist = PRIOR_TRIANGULAR;
            p->a = (float)low;
            p->b = (float)mode;
            p->c = (float)high;
            p->d = (float)((mode - low) / (high - low));
            return THIRST_OK;
        }
        double lambda = 4;
        int has_lambda;
        if ((status = get_number(c, object, path, "lambda", &lambda, &has_lambda))) return status;
        if (has_lambda && !(lambda > 0))
            return FAIL(c, "%s: %s.lambda: expected a number > 0, got %g", c->file, path, lambda);
        double alpha = 1 + lambda * (mode - low) / (high - low);
        double beta = 1 + lambda * (high - mode) / (high - low);
        if (alpha > PRIOR_BUILD_BETA_MAX_SHAPE || beta > PRIOR_BUILD_BETA_MAX_SHAPE)
            return FAIL(c, "%s: %s.lambda: expected at most %g (shapes 1 + lambda (mode - low) / "
                        "(high - low) up to %g), got %g; a PERT this narrow is a normal prior",
                        c->file, path, PRIOR_BUILD_BETA_MAX_SHAPE - 1, PRIOR_BUILD_BETA_MAX_SHAPE,
                        lambda);
        return build_beta(c, path, p, alpha, beta, low, high);
    }

    if (strcmp(dist, "beta") == 0) {
        static const char *const fields[] = {COMMON_FIELDS, "alpha", "beta", "low", "high", NULL};
        if ((status = check_fields(c, object, path, fields, "a beta prior"))) return status;
        double alpha, beta;
        if ((status = get_bounded(c, object, path, "alpha", 0, 1, &alpha))) return status;
        if ((status = get_bounded(c, object, path, "beta", 0, 1, &beta))) return status;
        if (alpha > PRIOR_BUILD_BETA_MAX_SHAPE || beta > PRIOR_BUILD_BETA_MAX_SHAPE)
            return FAIL(c, "%s: %s.%s: expected a shape of at most %g, got %g; a beta this narrow "
                        "is a normal prior (mean alpha / (alpha + beta))", c->file, path,
                        alpha > PRIOR_BUILD_BETA_MAX_SHAPE ? "alpha" : "beta",
                        PRIOR_BUILD_BETA_MAX_SHAPE, alpha > PRIOR_BUILD_BETA_MAX_SHAPE ? alpha : beta);
        low = 0;
        high = 1;
        if ((status = get_number(c, object, path, "low", &low, &has_low))) return status;
        if ((status = get_number(c, object, path, "high", &high, &has_high))) return status;
        if (!(low < high))
            return FAIL(c, "%s: %s.high: expected a value above low (%g), got %g", c->file, path,
                        low, high);
        low *= factor;
        high *= factor;
        if ((status = check_float(c, path, "low", low)) ||
            (status = check_float(c, path, "high", high)))
            return status;
        *support_low = low;
        *support_high = high;
        return build_beta(c, path, p, alpha, beta, low, high);
    }

    if (strcmp(dist, "normal") == 0 || strcmp(dist, "lognormal") == 0) {
        int is_log = dist[0] == 'l';
        /* Percentile keys are open-ended, so check the named fields and pXX separately. */
        static const char *const normal_fields[] = {COMMON_FIELDS, "mean", "sd", "low", "high",
                                                    NULL};
        static const char *const lognormal_fields[] = {COMMON_FIELDS, "median", "gsd", "mean",
                                                       "sd", NULL};
        const char *const *fields = is_log ? lognormal_fields : normal_fields;
        for (const cJSON *m = object->child; m; m = m->next) {
            double level;
            int known = percentile_level(m->string, &level);
            for (int k = 0; !known && fields[k]; k++)
                if (strcmp(m->string, fields[k]) == 0) known = 1;
            if (known) continue;
            int count = 0;
            while (fields[count]) count++;
            const char *suggestion = units_suggest(m->string, fields, count);
            if (suggestion)
                return FAIL(c, "%s: %s.%s: unknown field of a %s prior; did you mean '%s'?",
                            c->file, path, m->string, dist, suggestion);
            return FAIL(c, "%s: %s.%s: unknown field of a %s prior (expected %s, or two "
                        "percentiles such as p5 and p95)", c->file, path, m->string, dist,
                        is_log ? "median + gsd, mean + sd" : "mean + sd, optional low/high");
        }
        percentile_pair pp;
        if ((status = get_percentiles(c, object, path, factor, &pp))) return status;
        if ((status = get_number(c, object, path, "mean", &mean, &has_mean))) return status;
        if ((status = get_number(c, object, path, "sd", &sd, &has_sd))) return status;
        mean *= factor;
        sd *= factor;
        if (has_sd && !(sd > 0))
            return FAIL(c, "%s: %s.sd: expected a number > 0, got %g", c->file, path, sd / factor);

        if (!is_log) {
            if (pp.count == 2 && (has_mean || has_sd))
                return FAIL(c, "%s: %s: give mean + sd or two percentiles, not both", c->file,
                            path);
            if (pp.count == 2) {
                double z0 = special_normal_quantile(pp.level[0]);
                double z1 = special_normal_quantile(pp.level[1]);
                sd = (pp.value[1] - pp.value[0]) / (z1 - z0);
                mean = pp.value[0] - sd * z0;
            } else if (!has_mean || !has_sd) {
                return FAIL(c, "%s: %s: missing \"%s\" (normal prior: mean + sd, or two "
                            "percentiles such as p5 and p95)", c->file, path,
                            has_mean ? "sd" : "mean");
            }
            if ((status = get_number(c, object, path, "low", &low, &has_low))) return status;
            if ((status = get_number(c, object, path, "high", &high, &has_high))) return status;
            low = has_low ? low * factor : -INFINITY;
            high = has_high ? high * factor : INFINITY;
            if (has_low && has_high && !(low < high))
                return FAIL(c, "%s: %s.high: expected a value above low (%g), got %g", c->file,
                            path, low / factor, high / factor);
            if ((status = check_float(c, path, "mean", mean)) ||
                (status = check_float(c, path, "sd", sd)) ||
                (has_low && (status = check_float(c, path, "low", low))) ||
                (has_high && (status = check_float(c, path, "high", high))))
                return status;
            *support_low = low;
            *support_high = high;
            if (!has_low && !has_high) {
                p->dist = PRIOR_NORMAL;
                p->a = (float)mean;
                p->b = (float)sd;
                return THIRST_OK;
            }
            if (prior_build_truncated_normal(p, mean, sd, low, high))
                return FAIL(c, "%s: %s: the truncation [low, high] keeps less than 0.1%% of the "
                            "normal's probability; widen it or choose another prior", c->file,
                            path);
            return THIRST_OK;
        }

        double median = 0, gsd = 0;
        int has_median, has_gsd;
        if ((status = get_number(c, object, path, "median", &median, &has_median))) return status;
        if ((status = get_number(c, object, path, "gsd", &gsd, &has_gsd))) return status;
        median *= factor;
        int forms = (has_median || has_gsd) + (has_mean || has_sd) + (pp.count == 2);
        if (forms != 1)
            return FAIL(c, "%s: %s: a lognormal takes exactly one of median + gsd, mean + sd, or "
                        "two percentiles", c->file, path);
        double mu, sigma;
        if (has_median || has_gsd) {
            if (!has_median || !has_gsd)
                return FAIL(c, "%s: %s: missing \"%s\" (lognormal by median + gsd)", c->file,
                            path, has_median ? "gsd" : "median");
            if (!(median > 0))
                return FAIL(c, "%s: %s.median: expected a number > 0, got %g", c->file, path,
                            median / factor);
            if (!(gsd > 1))
                return FAIL(c, "%s: %s.gsd: expected a number > 1 (geometric sd), got %g",
                            c->file, path, gsd);
            mu = log(median);
            sigma = log(gsd);
        } else if (has_mean || has_sd) {
            if (!has_mean || !has_sd)
                return FAIL(c, "%s: %s: missing \"%s\" (lognormal by mean + sd)", c->file, path,
                            has_mean ? "sd" : "mean");
            if (!(mean > 0))
                return FAIL(c, "%s: %s.mean: expected a number > 0, got %g", c->file, path,
                            mean / factor);
            double variance_log = log1p((sd / mean) * (sd / mean));
            sigma = sqrt(variance_log);
            mu = log(mean) - 0.5 * variance_log;
        } else {
            if (!(pp.value[0] > 0))
                return FAIL(c, "%s: %s.%s: expected a number > 0 (lognormal), got %g", c->file,
                            path, pp.key[0], pp.value[0] / factor);
            double z0 = special_normal_quantile(pp.level[0]);
            double z1 = special_normal_quantile(pp.level[1]);
            sigma = (log(pp.value[1]) - log(pp.value[0])) / (z1 - z0);
            mu = log(pp.value[0]) - sigma * z0;
        }
        /* exp(mu + sigma z) must stay a normal float out to |z| = 6 (a 1e-9 tail): beyond
         * fastmath_expf's range [-87, 88] values would be clamped. */
        if (mu - 6 * sigma < -87 || mu + 6 * sigma > 88)
            return FAIL(c, "%s: %s: this lognormal (median %g %s, gsd %g) reaches values outside "
                        "the float range thirst computes in (%.2g to %.2g) within 6 sd of its log",
                        c->file, path, exp(mu), c->unit, exp(sigma), (double)FLT_MIN,
                        (double)FLT_MAX);
        double mean_bias, sd_bias;
        prior_build_lognormal_bias(sigma, &mean_bias, &sd_bias);
        if ((fabs(mean_bias) > 0.005 || fabs(sd_bias) > 0.005) &&
            c->s->warning_count < SCENARIO_MAX_WARNINGS)
            snprintf(c->s->warnings[c->s->warning_count++], SCENARIO_WARNING_LEN,
                     "%s: %s: a lognormal of gsd %.3g is sampled to |z| <= %.1f of its log "
                     "(the refined uniforms' reach), which puts its mean %+.2f %% and its sd "
                     "%+.2f %% off the analytic values", c->file, path, exp(sigma),
                     prior_build_normal_reach(), 100 * mean_bias, 100 * sd_bias);
        p->dist = PRIOR_LOGNORMAL;
        p->a = (float)mu;
        p->b = (float)sigma;
        *support_low = DBL_MIN;   /* open at 0: every value is > 0 */
        *support_high = INFINITY;
        return THIRST_OK;
    }

    static const char *const dists[] = {"fixed", "uniform", "loguniform", "normal", "lognormal",
                                        "triangular", "pert", "beta", "choice"};
    const char *suggestion = units_suggest(dist, dists, 9);
    if (suggestion)
        return FAIL(c, "%s: %s.dist: unknown distribution '%s'; did you mean '%s'?", c->file, path,
                    dist, suggestion);
    return FAIL(c, "%s: %s.dist: unknown distribution '%s' (expected fixed, uniform, loguniform, "
                "normal, lognormal, triangular, pert, beta or choice)", c->file, path, dist);
}

/* Check that [support_low, support_high] lies in the parameter's physical domain. */
static int check_domain(parse_ctx *c, const char *path, const units_param *u, const char *dist,
                        double support_low, double support_high)
{
    /* A continuous prior reaches an endpoint of its support with probability 0, so only a
     * fixed value or a choice option may not sit on an open domain bound. */
    int discrete = strcmp(dist, "fixed") == 0 || strcmp(dist, "choice") == 0;
    int below = u->low_open && discrete ? !(support_low > u->domain_low)
                                        : !(support_low >= u->domain_low);
    if (below) {
        if (isinf(support_low))
            return FAIL(c, "%s: %s: a %s prior is unbounded below, but %s must be %s %g; add "
                        "\"low\" or choose a bounded prior", c->file, path, dist, u->name,
                        u->low_open ? ">" : ">=", u->domain_low);
        return FAIL(c, "%s: %s: the prior reaches %g %s, but %s must be %s %g (%s)", c->file,
                    path, support_low, u->unit, u->name, u->low_open ? ">" : ">=",
                    u->domain_low, u->meaning);
    }
    if (support_high > u->domain_high) {
        if (isinf(support_high))
            return FAIL(c, "%s: %s: a %s prior is unbounded above, but %s must be <= %g; add "
                        "\"high\" or choose a bounded prior", c->file, path, dist, u->name,
                        u->domain_high);
        return FAIL(c, "%s: %s: the prior reaches %g %s, but %s must be <= %g (%s)", c->file,
                    path, support_high, u->unit, u->name, u->domain_high, u->meaning);
    }
    return THIRST_OK;
}

/* Unit factor of member "unit" of object for parameter u (1 when absent). */
static int get_unit(parse_ctx *c, const cJSON *object, const char *path, const units_param *u,
                    char *unit, size_t size, double *factor)
{
    int present;
    int status = get_string(c, object, path, "unit", unit, size, &present);
    if (status) return status;
    *factor = 1;
    if (!present) {
        unit[0] = '\0';
        return THIRST_OK;
    }
    *factor = units_factor(u, unit);
    if (*factor == 0)
        return FAIL(c, "%s: %s.unit: expected a unit of %s (%s), got '%s'", c->file, path,
                    u->name, units_accepted(u), unit);
    return THIRST_OK;
}

/* Parse a choice prior. A scalar choice (options carry "value") sets the parameter it is named
 * after; a group choice (options carry "values": {param: number}) sets several parameters and
 * may have any name that is not a parameter's. */
static int parse_choice(parse_ctx *c, const cJSON *object, const char *path, const char *name,
                        scenario_param *sp, int *slot_taken, char (*option_names)[64])
{
    static const char *const fields[] = {COMMON_FIELDS, "options", "units", NULL};
    int status = check_fields(c, object, path, fields, "a choice prior");
    if (status) return status;
    const cJSON *options = cJSON_GetObjectItemCaseSensitive(object, "options");
    if (!options) return FAIL(c, "%s: %s: missing \"options\" (choice prior)", c->file, path);
    if (!cJSON_IsArray(options) || cJSON_GetArraySize(options) == 0)
        return FAIL(c, "%s: %s.options: expected a non-empty array of options, got %s", c->file,
                    path, cJSON_IsArray(options) ? "an empty array" : json_type_name(options));
    int count = cJSON_GetArraySize(options);
    if (count > SCENARIO_MAX_OPTIONS)
        return FAIL(c, "%s: %s.options: expected at most %d options, got %d", c->file, path,
                    SCENARIO_MAX_OPTIONS, count);
    const units_param *self = units_param_find(name);
    const cJSON *first = cJSON_GetArrayItem(options, 0);
    int is_group = cJSON_IsObject(first) && cJSON_GetObjectItemCaseSensitive(first, "values");
    if (is_group && self)
        return FAIL(c, "%s: %s: a choice whose options carry \"values\" sets several parameters "
                    "and must not be named after the parameter '%s'", c->file, path, name);
    if (!is_group && !self) {
        const char *names[64];
        int n = units_param_count();
        for (int k = 0; k < n && k < 64; k++) names[k] = units_param_at(k)->name;
        const char *suggestion = units_suggest(name, names, n);
        return FAIL(c, "%s: %s: unknown parameter%s%s%s (a choice over several parameters gives "
                    "each option \"values\")", c->file, path, suggestion ? "; did you mean '" : "",
                    suggestion ? suggestion : "", suggestion ? "'?" : "");
    }

    /* Which slots the options set, from the first option. */
    const units_param *targets[PRIOR_CHOICE_MAX_SLOTS];
    double factors[PRIOR_CHOICE_MAX_SLOTS];
    int target_count = 0;
    const cJSON *units = cJSON_GetObjectItemCaseSensitive(object, "units");
    char option_path[256];
    if (is_group) {
        const cJSON *values = cJSON_GetObjectItemCaseSensitive(first, "values");
        snprintf(option_path, sizeof option_path, "%s.options[0].values", path);
        if (!cJSON_IsObject(values) || !values->child)
            return FAIL(c, "%s: %s: expected an object of parameter values, got %s", c->file,
                        option_path, json_type_name(values));
        for (const cJSON *m = values->child; m; m = m->next) {
            const units_param *u = units_param_find(m->string);
            if (!u) {
                const char *names[64];
                int n = units_param_count();
                for (int k = 0; k < n && k < 64; k++) names[k] = units_param_at(k)->name;
                const char *suggestion = units_suggest(m->string, names, n);
                return FAIL(c, "%s: %s.%s: unknown parameter%s%s%s", c->file, option_path,
                            m->string, suggestion ? "; did you mean '" : "",
                            suggestion ? suggestion : "", suggestion ? "'?" : "");
            }
            if (target_count == PRIOR_CHOICE_MAX_SLOTS)
                return FAIL(c, "%s: %s: an option sets at most %d parameters", c->file,
                            option_path, PRIOR_CHOICE_MAX_SLOTS);
            if (slot_taken[u->slot])
                return FAIL(c, "%s: %s.%s: parameter given twice (here and elsewhere in params)",
                            c->file, option_path, m->string);
            targets[target_count] = u;
            factors[target_count] = 1;
            target_count++;
        }
        if (units && !cJSON_IsObject(units))
            return FAIL(c, "%s: %s.units: expected an object {parameter: unit}, got %s", c->file,
                        path, json_type_name(units));
        for (const cJSON *m = units ? units->child : NULL; m; m = m->next) {
            int k = 0;
            while (k < target_count && strcmp(targets[k]->name, m->string) != 0) k++;
            if (k == target_count)
                return FAIL(c, "%s: %s.units.%s: not a parameter the options set", c->file, path,
                            m->string);
            if (!cJSON_IsString(m))
                return FAIL(c, "%s: %s.units.%s: expected a unit string, got %s", c->file, path,
                            m->string, json_type_name(m));
            factors[k] = units_factor(targets[k], m->valuestring);
            if (factors[k] == 0)
                return FAIL(c, "%s: %s.units.%s: expected a unit of %s (%s), got '%s'", c->file,
                            path, m->string, m->string, units_accepted(targets[k]),
                            m->valuestring);
        }
    } else {
        if (units)
            return FAIL(c, "%s: %s.units: only a choice over several parameters takes \"units\"; "
                        "use \"unit\"", c->file, path);
        if (slot_taken[self->slot])
            return FAIL(c, "%s: %s: parameter given twice", c->file, path);
        targets[0] = self;
        target_count = 1;
        if ((status = get_unit(c, object, path, self, sp->unit, sizeof sp->unit, &factors[0])))
            return status;
    }

    /* Options: cumulative weights, then values option by option. */
    float *block = calloc((size_t)count * (1 + target_count), sizeof *block);
    double *weights = calloc((size_t)count, sizeof *weights);
    if (!block || !weights) {
        free(block);
        free(weights);
        return status_fail(c->err, c->errlen, THIRST_ERR_RUNTIME, "out of memory");
    }
    double total = 0, support_low[PRIOR_CHOICE_MAX_SLOTS], support_high[PRIOR_CHOICE_MAX_SLOTS];
    for (int m = 0; m < target_count; m++) {
        support_low[m] = INFINITY;
        support_high[m] = -INFINITY;
    }
    status = THIRST_OK;
    int k = 0;
    for (const cJSON *option = options->child; option && !status; option = option->next, k++) {
        snprintf(option_path, sizeof option_path, "%s.options[%d]", path, k);
        if (!cJSON_IsObject(option)) {
            status = FAIL(c, "%s: %s: expected an object, got %s", c->file, option_path,
                          json_type_name(option));
            break;
        }
        static const char *const scalar_fields[] = {"value", "weight", "name", "source", NULL};
        static const char *const group_fields[] = {"values", "weight", "name", "source", NULL};
        if ((status = check_fields(c, option, option_path, is_group ? group_fields : scalar_fields,
                                   "a choice option")) ||
            (status = check_duplicates(c, option, option_path)))
            break;
        double weight = 1;
        int present;
        if ((status = get_number(c, option, option_path, "weight", &weight, &present))) break;
        if (!(weight >= 0)) {
            status = FAIL(c, "%s: %s.weight: expected a number >= 0, got %g", c->file,
                          option_path, weight);
            break;
        }
        weights[k] = weight;
        total += weight;
        option_names[k][0] = '\0';
        if ((status = get_string(c, option, option_path, "name", option_names[k], 64, &present)))
            break;
        if (is_group && !present) {
            status = FAIL(c, "%s: %s: missing \"name\" (each option of a choice over several "
                          "parameters is named, e.g. a site)", c->file, option_path);
            break;
        }
        for (int earlier = 0; present && earlier < k; earlier++)
            if (strcmp(option_names[earlier], option_names[k]) == 0) {
                status = FAIL(c, "%s: %s.name: '%s' names an earlier option too", c->file,
                              option_path, option_names[k]);
                break;
            }
        if (status) break;
        float *values = block + count + k * target_count;
        if (!is_group) {
            double v = 0;
            if ((status = get_number(c, option, option_path, "value", &v, &present))) break;
            if (!present) {
                status = FAIL(c, "%s: %s: missing \"value\"", c->file, option_path);
                break;
            }
            c->unit = targets[0]->unit;
            if ((status = check_float(c, option_path, "value", v * factors[0]))) break;
            values[0] = (float)(v * factors[0]);
            if (v * factors[0] < support_low[0]) support_low[0] = v * factors[0];
            if (v * factors[0] > support_high[0]) support_high[0] = v * factors[0];
            continue;
        }
        const cJSON *given = cJSON_GetObjectItemCaseSensitive(option, "values");
        char values_path[300];
        snprintf(values_path, sizeof values_path, "%s.values", option_path);
        if (!given || !cJSON_IsObject(given)) {
            status = FAIL(c, "%s: %s: expected an object of parameter values, got %s", c->file,
                          values_path, given ? json_type_name(given) : "nothing");
            break;
        }
        if ((status = check_duplicates(c, given, values_path))) break;
        int seen = 0;
        for (const cJSON *m = given->child; m && !status; m = m->next) {
            int t = 0;
            while (t < target_count && strcmp(targets[t]->name, m->string) != 0) t++;
            if (t == target_count) {
                status = FAIL(c, "%s: %s.%s: option 0 does not set this parameter; every option "
                              "sets the same ones", c->file, values_path, m->string);
                break;
            }
            double v = 0;
            if ((status = get_number(c, given, values_path, m->string, &v, &present))) break;
            c->unit = targets[t]->unit;
            if ((status = check_float(c, values_path, m->string, v * factors[t]))) break;
            values[t] = (float)(v * factors[t]);
            if (v * factors[t] < support_low[t]) support_low[t] = v * factors[t];
            if (v * factors[t] > support_high[t]) support_high[t] = v * factors[t];
            seen++;
        }
        if (!status && seen != target_count)
            status = FAIL(c, "%s: %s: sets %d of the %d parameters that option 0 sets", c->file,
                          values_path, seen, target_count);
    }
    if (!status && !(total > 0))
        status = FAIL(c, "%s: %s.options: the weights sum to 0; expected a positive sum", c->file,
                      path);
    if (!status && !isfinite(total))
        status = FAIL(c, "%s: %s.options: the weights sum to more than the largest double; "
                      "scale them down (only their ratios matter)", c->file, path);
    /* Draws pick an option with a uniform of 2^-23 resolution: a smaller share would be drawn
     * at the wrong rate, or never. */
    for (int o = 0; !status && o < count; o++)
        if (weights[o] > 0 && weights[o] / total < 0x1p-23)
            status = FAIL(c, "%s: %s.options[%d].weight: its share of the total, %.3g, is below "
                          "the 2^-23 (1.2e-7) a draw resolves; give it weight 0 or more weight",
                          c->file, path, o, weights[o] / total);
    for (int t = 0; !status && t < target_count; t++) {
        char target_path[300];
        snprintf(target_path, sizeof target_path, "%s (%s)", path, targets[t]->name);
        status = check_domain(c, target_path, targets[t], "choice", support_low[t],
                              support_high[t]);
    }
    if (!status) {
        double cumulative = 0;
        for (int o = 0; o < count; o++) {
            cumulative += weights[o];
            block[o] = (float)(cumulative / total);
        }
        block[count - 1] = 1.0f;
        int offset = prior_data_append(&c->data, block, count * (1 + target_count));
        if (offset < 0) status = status_fail(c->err, c->errlen, THIRST_ERR_RUNTIME, "out of memory");
        sp->prior.dist = PRIOR_CHOICE;
        sp->prior.slot = -1;
        sp->prior.data_offset = offset;
        sp->prior.data_count = count;
        sp->prior.choice_slot_count = target_count;
        for (int t = 0; t < target_count; t++) {
            sp->prior.choice_slot[t] = targets[t]->slot;
            slot_taken[targets[t]->slot] = 1;
        }
        sp->is_group = is_group;
    }
    free(block);
    free(weights);
    return status;
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
                    json_type_name(object));
    int status = check_duplicates(c, object, path), present;
    if (status) return status;
    if ((status = get_string(c, object, path, "dist", sp->dist, sizeof sp->dist, &present)))
        return status;
    if (!present) return FAIL(c, "%s: %s: missing \"dist\"", c->file, path);
    if ((status = get_string(c, object, path, "source", sp->source, sizeof sp->source, &present)))
        return status;
    char text[512];
    if ((status = get_string(c, object, path, "reason", text, sizeof text, &present)) ||
        (status = get_string(c, object, path, "note", text, sizeof text, &present)))
        return status;
    sp->prior.slot = -1;

    const units_param *u = units_param_find(name);
    char basis[16];
    if ((status = get_string(c, object, path, "basis", basis, sizeof basis, &present)))
        return status;
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

    if (strcmp(sp->dist, "choice") == 0) {
        char option_names[SCENARIO_MAX_OPTIONS][64];
        if ((status = parse_choice(c, object, path, name, sp, slot_taken, option_names)))
            return status;
        const units_param *self = u;
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
                            path, json_type_name(point));
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
                        json_type_name(point));
        c->unit = self->unit;
        int status_point = check_float(c, path, "point", point->valuedouble * factor);
        if (status_point) return status_point;
        sp->point = point->valuedouble * factor;
        return THIRST_OK;
    }

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
    if ((status = get_unit(c, object, path, u, sp->unit, sizeof sp->unit, &factor))) return status;

    c->unit = u->unit;
    double support_low = 0, support_high = 0;
    if ((status = parse_single(c, object, path, sp->dist, factor, &sp->prior, &support_low,
                               &support_high)))
        return status;
    if ((status = check_domain(c, path, u, sp->dist, support_low, support_high))) return status;
    sp->prior.slot = u->slot;
    sp->sampled = sp->prior.dist != PRIOR_FIXED;
    sp->median = prior_build_median(&sp->prior, c->data.values);

    double point;
    if ((status = get_number(c, object, path, "point", &point, &present))) return status;
    if (present) {
        point *= factor;
        if ((status = check_float(c, path, "point", point))) return status;
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
        return FAIL(c, "%s: report: expected an object, got %s", c->file, json_type_name(report));
    static const char *const fields[] = {"quantiles", "interval", NULL};
    int status = check_fields(c, report, "report", fields, "report");
    if (status || (status = check_duplicates(c, report, "report"))) return status;
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
                            json_type_name(q));
            if (k && !(q->valuedouble > s->quantiles[k - 1]))
                return FAIL(c, "%s: report.quantiles[%d]: expected ascending probabilities",
                            c->file, k);
            s->quantiles[k] = q->valuedouble;
        }
        s->quantile_count = n;
    }
    int present;
    if ((status = get_number(c, report, "report", "interval", &s->interval, &present)))
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
        int status = get_number(c, root, "", "a", &a, &present);
        if (!status) status = get_number(c, root, "", "b", &b, &present);
        if (status) return status;
        c->unit = "";
        if ((status = check_float(c, "", "a", a)) || (status = check_float(c, "", "b", b)))
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
            int status = check_float(c, "", index, v->valuedouble);
            if (status) return status;
            m->coefficient[k] = (float)v->valuedouble;
        }
        m->workload = MODEL_GFUNCTION;
        m->coefficient_count = k;
        return THIRST_OK;
    }
    return FAIL(c, "%s: model: expected \"ishigami\" or \"gfunction\", got '%s'", c->file, name);
}

/* Read a whole number in [low, high] from member key exactly, from its source text (cJSON's
 * double would round a seed above 2^53). */
static int get_whole(parse_ctx *c, const cJSON *root, const char *key, uint64_t low, uint64_t high,
                     uint64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!v) return THIRST_OK;
    if (!cJSON_IsNumber(v))
        return FAIL(c, "%s: %s: expected a whole number, got %s", c->file, key, json_type_name(v));
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

/* Fields of a prior whose --set value is text, never a number. */
static const char *const TEXT_FIELDS[] = {"dist", "unit", "basis", "source", "reason", "note",
                                          NULL};

/* The JSON value of an override's text (*value, owned by the caller): an option's name for a
 * choice over several parameters (NAME=OPTION); the text itself for a text field; a JSON array
 * or object, whole and strictly checked, for one that starts with [ or {; else a number, read
 * by number_parse: the whole text must be a number ("14.8d" and "400W" are refused). */
static int override_value(parse_ctx *c, const char *text, const char *name, const char *field,
                          const char *value_text, const cJSON *item, int group, cJSON **value)
{
    /* A choice over several parameters names its point by an option's name. */
    int is_text = group && (field == NULL || strcmp(field, "point") == 0);
    for (int k = 0; field && TEXT_FIELDS[k]; k++) is_text |= strcmp(field, TEXT_FIELDS[k]) == 0;
    if (is_text) {
        /* The rules of the file's strings: UTF-8, no control characters. */
        for (const unsigned char *t = (const unsigned char *)value_text; *t;) {
            int length = utf8_sequence(t, 4);
            if (!length || *t < 0x20)
                return FAIL(c, "--set %s: the value holds %s (byte 0x%02x)", text,
                            length ? "a control character" : "invalid UTF-8", *t);
            t += length;
        }
        *value = cJSON_CreateString(value_text);
    } else if (field && (value_text[0] == '[' || value_text[0] == '{')) {
        const char *end = NULL;
        *value = cJSON_ParseWithOpts(value_text, &end, 1);
        if (!*value)
            return FAIL(c, "--set %s: params.%s.%s: malformed JSON near '%.20s'", text, name,
                        field, end ? end : value_text);
        json_check_numbers numbers;
        char label[160];
        snprintf(label, sizeof label, "--set %s", name);
        int status = json_check_tree(label, value_text, *value, &numbers, c->err, c->errlen);
        json_check_free(&numbers);
        if (status) {
            cJSON_Delete(*value);
            *value = NULL;
            return status;
        }
    } else {
        double number;
        int problem = number_read(value_text, &number);
        if (problem) {
            const cJSON *unit = cJSON_GetObjectItemCaseSensitive(item, "unit");
            const units_param *u = units_param_find(name);
            const char *unit_text = cJSON_IsString(unit) ? unit->valuestring : u ? u->unit : NULL;
            char field_path[160];
            snprintf(field_path, sizeof field_path, "%s%s%s", name, field ? "." : "",
                     field ? field : "");
            if (problem != NUMBER_SYNTAX)
                return FAIL(c, "--set %s: params.%s: got '%s': %s", text, field_path, value_text,
                            number_problem(problem));
            if (field || !unit_text)
                return FAIL(c, "--set %s: params.%s: expected a number, got '%s'", text,
                            field_path, value_text);
            return FAIL(c, "--set %s: params.%s: expected a bare number in the file's unit (%s), "
                        "got '%s'", text, field_path, unit_text, value_text);
        }
        *value = cJSON_CreateNumber(number);
    }
    return *value ? THIRST_OK : status_fail(c->err, c->errlen, THIRST_ERR_RUNTIME, "out of memory");
}

/* Apply one --set override ("name=value" or "name.field=value") to the scenario tree. A plain
 * value fixes a parameter at that number (in its file unit); a choice over several parameters
 * takes an option's name and keeps only that option; a field override replaces one field. */
static int apply_override(parse_ctx *c, cJSON *root, const char *text)
{
    const char *equals = strchr(text, '=');
    char name[128];
    size_t length = equals ? (size_t)(equals - text) : 0;
    if (!equals || length == 0 || length >= sizeof name || !equals[1])
        return FAIL(c, "--set: expected NAME=VALUE or NAME.FIELD=VALUE, got '%s'", text);
    memcpy(name, text, length);
    name[length] = '\0';
    const char *value_text = equals + 1;
    char *field = strchr(name, '.');
    if (field) *field++ = '\0';
    cJSON *params = cJSON_GetObjectItemCaseSensitive(root, "params");
    cJSON *item = params && cJSON_IsObject(params) ? cJSON_GetObjectItemCaseSensitive(params, name)
                                                   : NULL;
    if (!item) {
        const char *names[SCENARIO_MAX_PARAMS];
        int n = 0;
        for (const cJSON *p = params ? params->child : NULL; p && n < SCENARIO_MAX_PARAMS; p = p->next)
            names[n++] = p->string;
        const char *suggestion = units_suggest(name, names, n);
        return FAIL(c, "--set %s: the scenario has no parameter '%s'%s%s%s", text, name,
                    suggestion ? "; did you mean '" : "", suggestion ? suggestion : "",
                    suggestion ? "'?" : "");
    }
    if (!cJSON_IsObject(item))
        return FAIL(c, "--set %s: params.%s is not an object", text, name);
    const cJSON *dist = cJSON_GetObjectItemCaseSensitive(item, "dist");
    const cJSON *options = cJSON_GetObjectItemCaseSensitive(item, "options");
    int group = cJSON_IsString(dist) && strcmp(dist->valuestring, "choice") == 0 &&
                cJSON_IsArray(options) && options->child &&
                cJSON_GetObjectItemCaseSensitive(options->child, "values");
    cJSON *value = NULL;
    int status = override_value(c, text, name, field, value_text, item, group, &value);
    if (status) return status;
    if (field) {
        if (cJSON_GetObjectItemCaseSensitive(item, field))
            cJSON_ReplaceItemInObjectCaseSensitive(item, field, value);
        else
            cJSON_AddItemToObject(item, field, value);
        return THIRST_OK;
    }
    if (group) {
        for (cJSON *option = options->child; option; option = option->next) {
            const cJSON *option_name = cJSON_GetObjectItemCaseSensitive(option, "name");
            if (!cJSON_IsString(option_name) || strcmp(option_name->valuestring, value->valuestring))
                continue;
            cJSON *kept = cJSON_Duplicate(option, 1);
            cJSON *only = cJSON_CreateArray();
            cJSON_AddItemToArray(only, kept);
            if (cJSON_GetObjectItemCaseSensitive(kept, "weight"))
                cJSON_ReplaceItemInObjectCaseSensitive(kept, "weight", cJSON_CreateNumber(1));
            else
                cJSON_AddItemToObject(kept, "weight", cJSON_CreateNumber(1));
            cJSON_ReplaceItemInObjectCaseSensitive(item, "options", only);
            if (cJSON_GetObjectItemCaseSensitive(item, "point"))
                cJSON_ReplaceItemInObjectCaseSensitive(item, "point", value);
            else
                cJSON_AddItemToObject(item, "point", value);
            return THIRST_OK;
        }
        char list[256] = "";
        for (const cJSON *option = options->child; option; option = option->next) {
            const cJSON *option_name = cJSON_GetObjectItemCaseSensitive(option, "name");
            if (!cJSON_IsString(option_name)) continue;
            if (list[0]) strncat(list, ", ", sizeof list - strlen(list) - 1);
            strncat(list, option_name->valuestring, sizeof list - strlen(list) - 1);
        }
        status = FAIL(c, "--set %s: params.%s has no option named '%s' (options: %s)", text,
                      name, value->valuestring, list);
        cJSON_Delete(value);
        return status;
    }
    /* A fixed prior at the value, keeping the parameter's unit, basis and source. */
    cJSON *fixed = cJSON_CreateObject();
    cJSON_AddStringToObject(fixed, "dist", "fixed");
    cJSON_AddItemToObject(fixed, "value", value);
    cJSON_AddItemToObject(fixed, "point", cJSON_Duplicate(value, 1));
    static const char *const kept[] = {"unit", "basis", "source"};
    for (int k = 0; k < 3; k++) {
        const cJSON *member = cJSON_GetObjectItemCaseSensitive(item, kept[k]);
        if (member) cJSON_AddItemToObject(fixed, kept[k], cJSON_Duplicate(member, 1));
    }
    cJSON_ReplaceItemInObjectCaseSensitive(params, name, fixed);
    return THIRST_OK;
}

int scenario_parse(const char *name, const char *text, scenario *s, char *err, size_t errlen)
{
    return scenario_parse_overrides(name, text, NULL, 0, s, err, errlen);
}

int scenario_parse_overrides(const char *name, const char *text, const char *const *overrides,
                             int override_count, scenario *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    parse_ctx ctx = {name, err, errlen, {NULL, 0, 0}, {NULL, 0}, s, ""};
    parse_ctx *c = &ctx;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
    if (!root) {
        int line, column;
        if (!end) end = text;
        line_column(text, end, &line, &column);
        char near[24];
        int k = 0;
        for (; k < 20 && end[k] && end[k] != '\n'; k++) near[k] = end[k];
        near[k] = '\0';
        if (k == 0)
            return FAIL(c, "%s:%d:%d: malformed JSON: unexpected end of input", name, line,
                        column);
        return FAIL(c, "%s:%d:%d: malformed JSON near '%s'", name, line, column, near);
    }
    int status = json_check_tree(name, text, root, &c->numbers, err, errlen);
    if (status) goto done;
    if (!cJSON_IsObject(root)) {
        status = FAIL(c, "%s: expected a JSON object at the top level, got %s", name,
                      json_type_name(root));
        goto done;
    }
    for (int k = 0; k < override_count; k++)
        if ((status = apply_override(c, root, overrides[k]))) goto done;
    static const char *const fields[] = {"scenario", "title",  "description", "workload", "model",
                                         "a",        "b",      "draws",       "seed",     "params",
                                         "report",   "notes",  "sources",     NULL};
    if ((status = check_fields(c, root, "(top level)", fields, "a scenario")) ||
        (status = check_duplicates(c, root, "")))
        goto done;
    int present;
    if ((status = get_string(c, root, "", "scenario", s->id, sizeof s->id, &present))) goto done;
    if (!present) {
        status = FAIL(c, "%s: scenario: missing (a short identifier such as \"gpt3-training\")",
                      name);
        goto done;
    }
    if ((status = get_string(c, root, "", "title", s->title, sizeof s->title, &present))) goto done;
    char workload[32];
    if ((status = get_string(c, root, "", "workload", workload, sizeof workload, &present)))
        goto done;
    char benchmark[32];
    int has_model;
    if ((status = get_string(c, root, "", "model", benchmark, sizeof benchmark, &has_model)))
        goto done;
    if (has_model && present) {
        status = FAIL(c, "%s: model: a benchmark model has no \"workload\"; give one of them",
                      name);
        goto done;
    }
    if (has_model) {
        if ((status = parse_benchmark(c, root, benchmark, s))) goto done;
    } else if (cJSON_GetObjectItemCaseSensitive(root, "a") ||
               cJSON_GetObjectItemCaseSensitive(root, "b")) {
        status = FAIL(c, "%s: %s: only benchmark models (\"model\") take coefficients", name,
                      cJSON_GetObjectItemCaseSensitive(root, "a") ? "a" : "b");
        goto done;
    } else if (!present) {
        status = FAIL(c, "%s: workload: missing (\"training\" or \"inference\")", name);
        goto done;
    } else if (strcmp(workload, "training") == 0) {
        s->model.workload = MODEL_TRAINING;
    } else if (strcmp(workload, "inference") == 0) {
        s->model.workload = MODEL_INFERENCE;
    } else {
        status = FAIL(c, "%s: workload: expected \"training\" or \"inference\", got '%s'", name,
                      workload);
        goto done;
    }
    s->draws = 1000000;
    s->seed = 1;
    if ((status = get_whole(c, root, "draws", 1, SCENARIO_MAX_DRAWS, &s->draws)) ||
        (status = get_whole(c, root, "seed", 0, UINT64_MAX, &s->seed)))
        goto done;
    if ((status = parse_report(c, cJSON_GetObjectItemCaseSensitive(root, "report"), s))) goto done;

    const cJSON *params = cJSON_GetObjectItemCaseSensitive(root, "params");
    if (!params) {
        status = FAIL(c, "%s: params: missing (an object of priors)", name);
        goto done;
    }
    if (!cJSON_IsObject(params) || !params->child) {
        status = FAIL(c, "%s: params: expected a non-empty object of priors, got %s", name,
                      cJSON_IsObject(params) ? "an empty object" : json_type_name(params));
        goto done;
    }
    if ((status = check_duplicates(c, params, "params"))) goto done;
    int slot_taken[MODEL_SLOT_COUNT] = {0};
    int basis_facility = 0;
    int word = 0;
    for (const cJSON *p = params->child; p; p = p->next) {
        if (s->param_count == SCENARIO_MAX_PARAMS) {
            status = FAIL(c, "%s: params.%s: more than %d parameters", name, p->string,
                          SCENARIO_MAX_PARAMS);
            goto done;
        }
        scenario_param *sp = &s->params[s->param_count];
        if ((status = parse_param(c, p, p->string, sp, slot_taken, &basis_facility))) goto done;
        sp->prior.word = word++;
        s->param_count++;
    }
    if ((status = model_rules_configure(name, s, slot_taken, basis_facility, err, errlen)))
        goto done;
    s->word_count = 0;
    for (int k = 0; k < s->param_count; k++) {
        const scenario_param *sp = &s->params[k];
        if (sp->sampled && sp->prior.word + 1 > s->word_count) s->word_count = sp->prior.word + 1;
        if (!sp->sampled) s->fixed_inputs[sp->prior.slot] = sp->prior.a;
    }
    s->prior_data = ctx.data.values;
    s->prior_data_count = ctx.data.count;
    ctx.data.values = NULL;
done:
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
}

const char *scenario_workload_name(const scenario *s)
{
    static const char *const NAMES[] = {"training", "inference", "ishigami", "gfunction"};
    return NAMES[s->model.workload];
}

const char *scenario_output_name(const scenario *s, int out)
{
    return model_rules_output_name(s->model.workload, out);
}

const char *scenario_output_unit(const scenario *s, int out)
{
    return model_rules_output_unit(s->model.workload, out);
}

void scenario_point_inputs(const scenario *s, float *inputs)
{
    memcpy(inputs, s->fixed_inputs, sizeof s->fixed_inputs);
    for (int k = 0; k < s->param_count; k++) {
        const scenario_param *sp = &s->params[k];
        double v = sp->has_point ? sp->point : sp->median;
        if (sp->prior.dist != PRIOR_CHOICE) {
            inputs[sp->prior.slot] = (float)v;
            continue;
        }
        if (!sp->is_group) {
            inputs[sp->prior.choice_slot[0]] = (float)v;
            continue;
        }
        const float *values = s->prior_data + sp->prior.data_offset + sp->prior.data_count +
                              (int)v * sp->prior.choice_slot_count;
        for (int m = 0; m < sp->prior.choice_slot_count; m++)
            inputs[sp->prior.choice_slot[m]] = values[m];
    }
}

int scenario_slot_used(const scenario *s, int slot)
{
    for (int k = 0; k < s->param_count; k++) {
        const prior_spec *p = &s->params[k].prior;
        if (p->dist != PRIOR_CHOICE && p->slot == slot) return 1;
        for (int m = 0; p->dist == PRIOR_CHOICE && m < p->choice_slot_count; m++)
            if (p->choice_slot[m] == slot) return 1;
    }
    return 0;
}
