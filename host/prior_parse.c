/* prior_parse.c: one prior read from its JSON object: the published parameterisations of each
 * distribution turned into the canonical prior_spec (prior_build.h for tables), the parameter's
 * physical domain and unit checked. */
#include "prior_parse.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "special.h"
#include "units.h"

#define MAX_PERCENTILES 2

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
        int status = loader_get_number(c, object, path, m->string, &value, &present);
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

/* Build the canonical prior of a single-valued distribution; *support_low/high get its
 * support in canonical units. factor converts the file's unit to canonical. */
int prior_parse_single(parse_ctx *c, const cJSON *object, const char *path, const char *dist,
                        double factor, prior_spec *p, double *support_low, double *support_high)
{
    double low = 0, high = 0, mean = 0, sd = 0, value = 0, mode = 0;
    int has_low = 0, has_high = 0, has_mean = 0, has_sd = 0, status;
    p->low = -INFINITY;
    p->high = INFINITY;

    if (strcmp(dist, "fixed") == 0) {
        static const char *const fields[] = {LOADER_COMMON_FIELDS, "value", NULL};
        if ((status = loader_check_fields(c, object, path, fields, "a fixed prior"))) return status;
        int present;
        if ((status = loader_get_number(c, object, path, "value", &value, &present))) return status;
        if (!present) return FAIL(c, "%s: %s: missing \"value\" (fixed prior)", c->file, path);
        if ((status = loader_check_float(c, path, "value", value * factor))) return status;
        p->dist = PRIOR_FIXED;
        p->a = (float)(value * factor);
        *support_low = *support_high = value * factor;
        return THIRST_OK;
    }

    if (strcmp(dist, "uniform") == 0 || strcmp(dist, "loguniform") == 0 ||
        strcmp(dist, "triangular") == 0 || strcmp(dist, "pert") == 0) {
        int is_uniform = dist[0] == 'u', is_log = dist[0] == 'l', is_pert = dist[0] == 'p';
        static const char *const uniform_fields[] = {LOADER_COMMON_FIELDS, "low", "high", NULL};
        static const char *const triangular_fields[] = {LOADER_COMMON_FIELDS, "low", "mode", "high", NULL};
        static const char *const pert_fields[] = {LOADER_COMMON_FIELDS, "low", "mode", "high", "lambda",
                                                  NULL};
        char what[32];
        snprintf(what, sizeof what, "a %s prior", dist);
        status = loader_check_fields(c, object, path,
                              (is_uniform || is_log) ? uniform_fields
                              : is_pert              ? pert_fields
                                                     : triangular_fields,
                              what);
        if (status) return status;
        if ((status = loader_get_number(c, object, path, "low", &low, &has_low))) return status;
        if ((status = loader_get_number(c, object, path, "high", &high, &has_high))) return status;
        if (!has_low) return FAIL(c, "%s: %s: missing \"low\" (%s prior)", c->file, path, dist);
        if (!has_high) return FAIL(c, "%s: %s: missing \"high\" (%s prior)", c->file, path, dist);
        if (!(low < high))
            return FAIL(c, "%s: %s.high: expected a value above low (%g), got %g", c->file, path,
                        low, high);
        low *= factor;
        high *= factor;
        if ((status = loader_check_float(c, path, "low", low)) ||
            (status = loader_check_float(c, path, "high", high)))
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
        if ((status = loader_get_number(c, object, path, "mode", &mode, &has_mode))) return status;
        if (!has_mode) return FAIL(c, "%s: %s: missing \"mode\" (%s prior)", c->file, path, dist);
        mode *= factor;
        if ((status = loader_check_float(c, path, "mode", mode))) return status;
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
        if ((status = loader_get_number(c, object, path, "lambda", &lambda, &has_lambda))) return status;
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
        static const char *const fields[] = {LOADER_COMMON_FIELDS, "alpha", "beta", "low", "high", NULL};
        if ((status = loader_check_fields(c, object, path, fields, "a beta prior"))) return status;
        double alpha, beta;
        if ((status = loader_get_bounded(c, object, path, "alpha", 0, 1, &alpha))) return status;
        if ((status = loader_get_bounded(c, object, path, "beta", 0, 1, &beta))) return status;
        if (alpha > PRIOR_BUILD_BETA_MAX_SHAPE || beta > PRIOR_BUILD_BETA_MAX_SHAPE)
            return FAIL(c, "%s: %s.%s: expected a shape of at most %g, got %g; a beta this narrow "
                        "is a normal prior (mean alpha / (alpha + beta))", c->file, path,
                        alpha > PRIOR_BUILD_BETA_MAX_SHAPE ? "alpha" : "beta",
                        PRIOR_BUILD_BETA_MAX_SHAPE, alpha > PRIOR_BUILD_BETA_MAX_SHAPE ? alpha : beta);
        low = 0;
        high = 1;
        if ((status = loader_get_number(c, object, path, "low", &low, &has_low))) return status;
        if ((status = loader_get_number(c, object, path, "high", &high, &has_high))) return status;
        if (!(low < high))
            return FAIL(c, "%s: %s.high: expected a value above low (%g), got %g", c->file, path,
                        low, high);
        low *= factor;
        high *= factor;
        if ((status = loader_check_float(c, path, "low", low)) ||
            (status = loader_check_float(c, path, "high", high)))
            return status;
        *support_low = low;
        *support_high = high;
        return build_beta(c, path, p, alpha, beta, low, high);
    }

    if (strcmp(dist, "normal") == 0 || strcmp(dist, "lognormal") == 0) {
        int is_log = dist[0] == 'l';
        /* Percentile keys are open-ended, so check the named fields and pXX separately. */
        static const char *const normal_fields[] = {LOADER_COMMON_FIELDS, "mean", "sd", "low", "high",
                                                    NULL};
        static const char *const lognormal_fields[] = {LOADER_COMMON_FIELDS, "median", "gsd", "mean",
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
        if ((status = loader_get_number(c, object, path, "mean", &mean, &has_mean))) return status;
        if ((status = loader_get_number(c, object, path, "sd", &sd, &has_sd))) return status;
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
            if ((status = loader_get_number(c, object, path, "low", &low, &has_low))) return status;
            if ((status = loader_get_number(c, object, path, "high", &high, &has_high))) return status;
            low = has_low ? low * factor : -INFINITY;
            high = has_high ? high * factor : INFINITY;
            if (has_low && has_high && !(low < high))
                return FAIL(c, "%s: %s.high: expected a value above low (%g), got %g", c->file,
                            path, low / factor, high / factor);
            if ((status = loader_check_float(c, path, "mean", mean)) ||
                (status = loader_check_float(c, path, "sd", sd)) ||
                (has_low && (status = loader_check_float(c, path, "low", low))) ||
                (has_high && (status = loader_check_float(c, path, "high", high))))
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
        if ((status = loader_get_number(c, object, path, "median", &median, &has_median))) return status;
        if ((status = loader_get_number(c, object, path, "gsd", &gsd, &has_gsd))) return status;
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
int prior_parse_domain(parse_ctx *c, const char *path, const units_param *u, const char *dist,
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
int prior_parse_unit(parse_ctx *c, const cJSON *object, const char *path, const units_param *u,
                    char *unit, size_t size, double *factor)
{
    int present;
    int status = loader_get_string(c, object, path, "unit", unit, size, &present);
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

