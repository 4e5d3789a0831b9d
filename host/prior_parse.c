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

/* Each reader below fills the canonical prior p of one distribution from its JSON object (the
 * unknown-field check is done), with *support_low/high its support in canonical units; factor
 * converts the file's unit to canonical. */
typedef int (*dist_reader)(parse_ctx *c, const cJSON *object, const char *path, const char *dist,
                           double factor, prior_spec *p, double *support_low, double *support_high);

static int read_fixed(parse_ctx *c, const cJSON *object, const char *path, const char *dist,
                      double factor, prior_spec *p, double *support_low, double *support_high)
{
    (void)dist;
    double value = 0;
    int present, status;
    if ((status = loader_get_number(c, object, path, "value", &value, &present))) return status;
    if (!present) return FAIL(c, "%s: %s: missing \"value\" (fixed prior)", c->file, path);
    if ((status = loader_check_float(c, path, "value", value * factor))) return status;
    p->dist = PRIOR_FIXED;
    p->a = (float)(value * factor);
    *support_low = *support_high = value * factor;
    return THIRST_OK;
}

/* Required low < high (canonical, in float range) of a bounded prior; p->low and p->high too. */
static int read_range(parse_ctx *c, const cJSON *object, const char *path, const char *dist,
                      double factor, prior_spec *p, double *low, double *high)
{
    int has_low, has_high, status;
    if ((status = loader_get_number(c, object, path, "low", low, &has_low)) ||
        (status = loader_get_number(c, object, path, "high", high, &has_high)))
        return status;
    if (!has_low) return FAIL(c, "%s: %s: missing \"low\" (%s prior)", c->file, path, dist);
    if (!has_high) return FAIL(c, "%s: %s: missing \"high\" (%s prior)", c->file, path, dist);
    if (!(*low < *high))
        return FAIL(c, "%s: %s.high: expected a value above low (%g), got %g", c->file, path,
                    *low, *high);
    *low *= factor;
    *high *= factor;
    if ((status = loader_check_float(c, path, "low", *low)) ||
        (status = loader_check_float(c, path, "high", *high)))
        return status;
    p->low = (float)*low;
    p->high = (float)*high;
    return THIRST_OK;
}

/* uniform and loguniform. */
static int read_uniform(parse_ctx *c, const cJSON *object, const char *path, const char *dist,
                        double factor, prior_spec *p, double *support_low, double *support_high)
{
    double low, high;
    int is_log = dist[0] == 'l';
    int status = read_range(c, object, path, dist, factor, p, &low, &high);
    if (status) return status;
    *support_low = low;
    *support_high = high;
    if (is_log && !(low > 0))
        return FAIL(c, "%s: %s.low: expected a number > 0 (loguniform), got %g", c->file, path,
                    low / factor);
    p->dist = is_log ? PRIOR_LOGUNIFORM : PRIOR_UNIFORM;
    p->a = (float)(is_log ? log(low) : low);
    p->b = (float)(is_log ? log(high) : high);
    return THIRST_OK;
}

/* The required mode in [low, high] of a triangular or PERT prior (canonical). */
static int read_mode(parse_ctx *c, const cJSON *object, const char *path, const char *dist,
                     double factor, double low, double high, double *mode)
{
    int has_mode, status;
    if ((status = loader_get_number(c, object, path, "mode", mode, &has_mode))) return status;
    if (!has_mode) return FAIL(c, "%s: %s: missing \"mode\" (%s prior)", c->file, path, dist);
    *mode *= factor;
    if ((status = loader_check_float(c, path, "mode", *mode))) return status;
    if (!(*mode >= low && *mode <= high))
        return FAIL(c, "%s: %s.mode: expected a value in [low, high] = [%g, %g], got %g",
                    c->file, path, low / factor, high / factor, *mode / factor);
    return THIRST_OK;
}

static int read_triangular(parse_ctx *c, const cJSON *object, const char *path,
                           const char *dist, double factor, prior_spec *p, double *support_low,
                           double *support_high)
{
    double low, high, mode;
    int status = read_range(c, object, path, dist, factor, p, &low, &high);
    if (!status) status = read_mode(c, object, path, dist, factor, low, high, &mode);
    if (status) return status;
    *support_low = low;
    *support_high = high;
    p->dist = PRIOR_TRIANGULAR;
    p->a = (float)low;
    p->b = (float)mode;
    p->c = (float)high;
    p->d = (float)((mode - low) / (high - low));
    return THIRST_OK;
}

static int read_pert(parse_ctx *c, const cJSON *object, const char *path, const char *dist,
                     double factor, prior_spec *p, double *support_low, double *support_high)
{
    double low, high, mode, lambda = 4;
    int has_lambda;
    int status = read_range(c, object, path, dist, factor, p, &low, &high);
    if (!status) status = read_mode(c, object, path, dist, factor, low, high, &mode);
    if (!status) status = loader_get_number(c, object, path, "lambda", &lambda, &has_lambda);
    if (status) return status;
    *support_low = low;
    *support_high = high;
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

static int read_beta(parse_ctx *c, const cJSON *object, const char *path, const char *dist,
                     double factor, prior_spec *p, double *support_low, double *support_high)
{
    (void)dist;
    double alpha, beta, low = 0, high = 1;
    int has_low, has_high, status;
    if ((status = loader_get_bounded(c, object, path, "alpha", 0, 1, &alpha))) return status;
    if ((status = loader_get_bounded(c, object, path, "beta", 0, 1, &beta))) return status;
    if (alpha > PRIOR_BUILD_BETA_MAX_SHAPE || beta > PRIOR_BUILD_BETA_MAX_SHAPE)
        return FAIL(c, "%s: %s.%s: expected a shape of at most %g, got %g; a beta this narrow "
                    "is a normal prior (mean alpha / (alpha + beta))", c->file, path,
                    alpha > PRIOR_BUILD_BETA_MAX_SHAPE ? "alpha" : "beta",
                    PRIOR_BUILD_BETA_MAX_SHAPE, alpha > PRIOR_BUILD_BETA_MAX_SHAPE ? alpha : beta);
    if ((status = loader_get_number(c, object, path, "low", &low, &has_low)) ||
        (status = loader_get_number(c, object, path, "high", &high, &has_high)))
        return status;
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

/* mean + sd of a normal or lognormal prior (canonical), sd > 0 when given. */
static int read_mean_sd(parse_ctx *c, const cJSON *object, const char *path, double factor,
                        double *mean, int *has_mean, double *sd, int *has_sd)
{
    int status;
    *mean = *sd = 0;
    if ((status = loader_get_number(c, object, path, "mean", mean, has_mean)) ||
        (status = loader_get_number(c, object, path, "sd", sd, has_sd)))
        return status;
    *mean *= factor;
    *sd *= factor;
    if (*has_sd && !(*sd > 0))
        return FAIL(c, "%s: %s.sd: expected a number > 0, got %g", c->file, path, *sd / factor);
    return THIRST_OK;
}

/* normal: mean + sd or two percentiles, optional low/high truncation. */
static int read_normal(parse_ctx *c, const cJSON *object, const char *path, const char *dist,
                       double factor, prior_spec *p, double *support_low, double *support_high)
{
    (void)dist;
    percentile_pair pp;
    double mean, sd, low = 0, high = 0;
    int has_mean, has_sd, has_low, has_high;
    int status = get_percentiles(c, object, path, factor, &pp);
    if (!status) status = read_mean_sd(c, object, path, factor, &mean, &has_mean, &sd, &has_sd);
    if (status) return status;
    if (pp.count == 2 && (has_mean || has_sd))
        return FAIL(c, "%s: %s: give mean + sd or two percentiles, not both", c->file, path);
    if (pp.count == 2) {
        double z0 = special_normal_quantile(pp.level[0]);
        double z1 = special_normal_quantile(pp.level[1]);
        sd = (pp.value[1] - pp.value[0]) / (z1 - z0);
        mean = pp.value[0] - sd * z0;
    } else if (!has_mean || !has_sd) {
        return FAIL(c, "%s: %s: missing \"%s\" (normal prior: mean + sd, or two percentiles "
                    "such as p5 and p95)", c->file, path, has_mean ? "sd" : "mean");
    }
    if ((status = loader_get_number(c, object, path, "low", &low, &has_low)) ||
        (status = loader_get_number(c, object, path, "high", &high, &has_high)))
        return status;
    low = has_low ? low * factor : -INFINITY;
    high = has_high ? high * factor : INFINITY;
    if (has_low && has_high && !(low < high))
        return FAIL(c, "%s: %s.high: expected a value above low (%g), got %g", c->file, path,
                    low / factor, high / factor);
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
        return FAIL(c, "%s: %s: the truncation [low, high] keeps less than 0.1%% of the normal's "
                    "probability; widen it or choose another prior", c->file, path);
    return THIRST_OK;
}

/* mu and sigma of a lognormal from exactly one of median + gsd, mean + sd, two percentiles. */
static int lognormal_parameters(parse_ctx *c, const cJSON *object, const char *path,
                                double factor, double *mu, double *sigma)
{
    percentile_pair pp;
    double mean, sd, median = 0, gsd = 0;
    int has_mean, has_sd, has_median, has_gsd;
    int status = get_percentiles(c, object, path, factor, &pp);
    if (!status) status = read_mean_sd(c, object, path, factor, &mean, &has_mean, &sd, &has_sd);
    if (!status) status = loader_get_number(c, object, path, "median", &median, &has_median);
    if (!status) status = loader_get_number(c, object, path, "gsd", &gsd, &has_gsd);
    if (status) return status;
    median *= factor;
    int forms = (has_median || has_gsd) + (has_mean || has_sd) + (pp.count == 2);
    if (forms != 1)
        return FAIL(c, "%s: %s: a lognormal takes exactly one of median + gsd, mean + sd, or two "
                    "percentiles", c->file, path);
    if (has_median || has_gsd) {
        if (!has_median || !has_gsd)
            return FAIL(c, "%s: %s: missing \"%s\" (lognormal by median + gsd)", c->file, path,
                        has_median ? "gsd" : "median");
        if (!(median > 0))
            return FAIL(c, "%s: %s.median: expected a number > 0, got %g", c->file, path,
                        median / factor);
        if (!(gsd > 1))
            return FAIL(c, "%s: %s.gsd: expected a number > 1 (geometric sd), got %g", c->file,
                        path, gsd);
        *mu = log(median);
        *sigma = log(gsd);
    } else if (has_mean || has_sd) {
        if (!has_mean || !has_sd)
            return FAIL(c, "%s: %s: missing \"%s\" (lognormal by mean + sd)", c->file, path,
                        has_mean ? "sd" : "mean");
        if (!(mean > 0))
            return FAIL(c, "%s: %s.mean: expected a number > 0, got %g", c->file, path,
                        mean / factor);
        double variance_log = log1p((sd / mean) * (sd / mean));
        *sigma = sqrt(variance_log);
        *mu = log(mean) - 0.5 * variance_log;
    } else {
        if (!(pp.value[0] > 0))
            return FAIL(c, "%s: %s.%s: expected a number > 0 (lognormal), got %g", c->file, path,
                        pp.key[0], pp.value[0] / factor);
        double z0 = special_normal_quantile(pp.level[0]);
        double z1 = special_normal_quantile(pp.level[1]);
        *sigma = (log(pp.value[1]) - log(pp.value[0])) / (z1 - z0);
        *mu = log(pp.value[0]) - *sigma * z0;
    }
    return THIRST_OK;
}

static int read_lognormal(parse_ctx *c, const cJSON *object, const char *path, const char *dist,
                          double factor, prior_spec *p, double *support_low, double *support_high)
{
    (void)dist;
    double mu = 0, sigma = 0;
    int status = lognormal_parameters(c, object, path, factor, &mu, &sigma);
    if (status) return status;
    /* exp(mu + sigma z) must stay a normal float out to |z| = 6 (a 1e-9 tail): beyond
     * fastmath_expf's range [-87, 88] values would be clamped. */
    if (mu - 6 * sigma < -87 || mu + 6 * sigma > 88)
        return FAIL(c, "%s: %s: this lognormal (median %g %s, gsd %g) reaches values outside the "
                    "float range thirst computes in (%.2g to %.2g) within 6 sd of its log",
                    c->file, path, exp(mu), c->unit, exp(sigma), (double)FLT_MIN,
                    (double)FLT_MAX);
    double mean_bias, sd_bias;
    prior_build_lognormal_bias(sigma, &mean_bias, &sd_bias);
    if (fabs(mean_bias) > 0.005 || fabs(sd_bias) > 0.005)
        loader_warn(c, "%s: %s: a lognormal of gsd %.3g is sampled to |z| <= %.1f of its log (the "
                    "refined uniforms' reach), which puts its mean %+.2f %% and its sd %+.2f %% "
                    "off the analytic values", c->file, path, exp(sigma),
                    prior_build_normal_reach(), 100 * mean_bias, 100 * sd_bias);
    p->dist = PRIOR_LOGNORMAL;
    p->a = (float)mu;
    p->b = (float)sigma;
    *support_low = DBL_MIN;   /* open at 0: every value is > 0 */
    *support_high = INFINITY;
    return THIRST_OK;
}

/* The distributions a scenario file names, written once: the unknown-field check, the list in
 * messages and the did-you-mean suggestions read this table. A distribution with percentile
 * keys (pXX) takes them besides its fields; expected says what it takes, for messages. choice
 * has no reader here (prior_choice.c). */
static const char *const FIXED_FIELDS[] = {LOADER_COMMON_FIELDS, "value", NULL};
static const char *const UNIFORM_FIELDS[] = {LOADER_COMMON_FIELDS, "low", "high", NULL};
static const char *const TRIANGULAR_FIELDS[] = {LOADER_COMMON_FIELDS, "low", "mode", "high", NULL};
static const char *const PERT_FIELDS[] = {LOADER_COMMON_FIELDS, "low", "mode", "high", "lambda",
                                          NULL};
static const char *const BETA_FIELDS[] = {LOADER_COMMON_FIELDS, "alpha", "beta", "low", "high",
                                          NULL};
static const char *const NORMAL_FIELDS[] = {LOADER_COMMON_FIELDS, "mean", "sd", "low", "high",
                                            NULL};
static const char *const LOGNORMAL_FIELDS[] = {LOADER_COMMON_FIELDS, "median", "gsd", "mean",
                                               "sd", NULL};

static const struct {
    const char *name;
    const char *const *fields;
    int percentiles;
    const char *expected;
    dist_reader read;
} DISTS[] = {
    {"fixed", FIXED_FIELDS, 0, NULL, read_fixed},
    {"uniform", UNIFORM_FIELDS, 0, NULL, read_uniform},
    {"loguniform", UNIFORM_FIELDS, 0, NULL, read_uniform},
    {"normal", NORMAL_FIELDS, 1, "mean + sd, optional low/high", read_normal},
    {"lognormal", LOGNORMAL_FIELDS, 1, "median + gsd, mean + sd", read_lognormal},
    {"triangular", TRIANGULAR_FIELDS, 0, NULL, read_triangular},
    {"pert", PERT_FIELDS, 0, NULL, read_pert},
    {"beta", BETA_FIELDS, 0, NULL, read_beta},
    {"choice", NULL, 0, NULL, NULL},
};
#define DIST_COUNT ((int)(sizeof DISTS / sizeof DISTS[0]))

/* Reject members that are neither fields of distribution k nor (when it takes them)
 * percentile keys. */
static int check_dist_fields(parse_ctx *c, const cJSON *object, const char *path, int k)
{
    const char *const *fields = DISTS[k].fields;
    if (!DISTS[k].percentiles) {
        char what[32];
        snprintf(what, sizeof what, "a %s prior", DISTS[k].name);
        return loader_check_fields(c, object, path, fields, what);
    }
    for (const cJSON *m = object->child; m; m = m->next) {
        double level;
        int known = percentile_level(m->string, &level);
        for (int f = 0; !known && fields[f]; f++) known = strcmp(m->string, fields[f]) == 0;
        if (known) continue;
        int count = 0;
        while (fields[count]) count++;
        const char *suggestion = units_suggest(m->string, fields, count);
        if (suggestion)
            return FAIL(c, "%s: %s.%s: unknown field of a %s prior; did you mean '%s'?", c->file,
                        path, m->string, DISTS[k].name, suggestion);
        return FAIL(c, "%s: %s.%s: unknown field of a %s prior (expected %s, or two percentiles "
                    "such as p5 and p95)", c->file, path, m->string, DISTS[k].name,
                    DISTS[k].expected);
    }
    return THIRST_OK;
}

int prior_parse_single(parse_ctx *c, const cJSON *object, const char *path, const char *dist,
                       double factor, prior_spec *p, double *support_low, double *support_high)
{
    p->low = -INFINITY;
    p->high = INFINITY;
    for (int k = 0; k < DIST_COUNT; k++) {
        if (strcmp(dist, DISTS[k].name) != 0 || !DISTS[k].read) continue;
        int status = check_dist_fields(c, object, path, k);
        if (status) return status;
        return DISTS[k].read(c, object, path, dist, factor, p, support_low, support_high);
    }
    const char *names[DIST_COUNT];
    char list[256] = "";
    for (int k = 0; k < DIST_COUNT; k++) {
        names[k] = DISTS[k].name;
        if (k) strncat(list, k == DIST_COUNT - 1 ? " or " : ", ", sizeof list - strlen(list) - 1);
        strncat(list, DISTS[k].name, sizeof list - strlen(list) - 1);
    }
    const char *suggestion = units_suggest(dist, names, DIST_COUNT);
    if (suggestion)
        return FAIL(c, "%s: %s.dist: unknown distribution '%s'; did you mean '%s'?", c->file, path,
                    dist, suggestion);
    return FAIL(c, "%s: %s.dist: unknown distribution '%s' (expected %s)", c->file, path, dist,
                list);
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

