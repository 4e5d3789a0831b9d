/* scenario_correlations.c: "correlations" (DESIGN.md section 10): pairs and block matrices of
 * rank correlations (Spearman's rho, or Kendall's tau) between sampled parameters, each with its
 * source. Parameters linked by nonzero correlations form a block; each block's matrix of the
 * copula's correlations must be positive definite (else an error naming the pairs, or with
 * "repair": true the nearest valid matrix, Higham 2002), and its Cholesky factor goes to the
 * scenario's float data for the copula (kernels/copula.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "correlation.h"
#include "scenario_correlations.h"
#include "units.h"

_Static_assert(SCENARIO_MAX_PARAMS <= COPULA_MAX_MEMBERS, "every parameter can be correlated");
_Static_assert(SCENARIO_MAX_PARAMS <= CORRELATION_MAX, "a block's matrix fits correlation.c");

#define REPAIR_FLOOR 1e-6   /* the repaired matrix's smallest eigenvalue */

double scenario_correlation_gaussian(double given, int kendall)
{
    return kendall ? correlation_from_kendall(given) : correlation_from_spearman(given);
}

double scenario_correlation_rank(double gaussian, int kendall)
{
    return kendall ? correlation_to_kendall(gaussian) : correlation_to_spearman(gaussian);
}

/* 1 when a --set override of c names parameter `name` ("name=..." or "name.field=..."): a
 * parameter sampled in the file that --set fixed has its correlations left out. */
static int overridden(const parse_ctx *c, const char *name)
{
    size_t n = strlen(name);
    for (int k = 0; k < c->override_count; k++)
        if (!strncmp(c->overrides[k], name, n) &&
            (c->overrides[k][n] == '=' || c->overrides[k][n] == '.'))
            return 1;
    return 0;
}

/* 1 when parameter `name` is fixed in the file itself (before any --set). */
static int fixed_in_file(const parse_ctx *c, const char *name)
{
    for (int k = 0; k < c->fixed_in_file_count; k++)
        if (!strcmp(c->fixed_in_file[k], name)) return 1;
    return 0;
}

/* The scenario param named by item (path: its JSON path) into *param; *dropped = 1 when --set
 * fixed it (its correlations are then left out). */
static int resolve_param(parse_ctx *c, const char *path, const cJSON *item, const scenario *s,
                         int *param, int *dropped)
{
    if (!cJSON_IsString(item))
        return FAIL(c, "%s: %s: expected a parameter name (a string), got %s", c->file, path,
                    loader_type_name(item));
    const char *name = item->valuestring;
    const char *names[SCENARIO_MAX_PARAMS];
    for (int k = 0; k < s->param_count; k++) {
        names[k] = s->params[k].name;
        if (strcmp(names[k], name)) continue;
        const scenario_param *sp = &s->params[k];
        if (sp->is_group)
            return FAIL(c, "%s: %s: '%s' is a choice over several parameters, whose options set "
                        "them together; only a choice over one parameter can be correlated",
                        c->file, path, name);
        if (!sp->sampled && overridden(c, name) && !fixed_in_file(c, name)) {
            *dropped = 1;
        } else if (!sp->sampled) {
            return FAIL(c, "%s: %s: '%s' is fixed (dist \"fixed\"): only a parameter with an "
                        "uncertain prior can be correlated", c->file, path, name);
        }
        *param = k;
        return THIRST_OK;
    }
    for (int k = 0; k < s->param_count; k++)
        for (int m = 0; s->params[k].is_group && m < s->params[k].prior.choice_slot_count; m++)
            if (!strcmp(scenario_input_name(s, s->params[k].prior.choice_slot[m]), name))
                return FAIL(c, "%s: %s: '%s' is set by the choice '%s' together with other "
                            "parameters (each option fixes them all), so it cannot be correlated "
                            "on its own", c->file, path, name, s->params[k].name);
    const char *suggestion = units_suggest(name, names, s->param_count);
    if (suggestion)
        return FAIL(c, "%s: %s: unknown parameter '%s'; did you mean '%s'?", c->file, path, name,
                    suggestion);
    return FAIL(c, "%s: %s: unknown parameter '%s' (correlations name parameters under "
                "\"params\")", c->file, path, name);
}

/* A correlation as given at path: a number strictly between -1 and 1. */
static int check_value(parse_ctx *c, const char *path, const cJSON *v, double *out)
{
    if (!cJSON_IsNumber(v))
        return FAIL(c, "%s: %s: expected a correlation (a number in (-1, 1)), got %s", c->file,
                    path, loader_type_name(v));
    if (!(fabs(v->valuedouble) < 1))
        return FAIL(c, "%s: %s: expected a correlation strictly between -1 and 1, got %.10g%s",
                    c->file, path, v->valuedouble,
                    fabs(v->valuedouble) == 1 ? " (a perfect rank correlation makes one parameter "
                                                "a function of the other: write it as a formula)"
                                              : "");
    *out = v->valuedouble;
    return THIRST_OK;
}

/* Record the pair (a, b) of entry `entry` (path: where its value is) unless given before. */
static int add_pair(parse_ctx *c, const char *path, scenario *s, int a, int b, double given,
                    int entry)
{
    scenario_correlations *r = &s->correlations;
    if (a > b) {
        int t = a;
        a = b;
        b = t;
    }
    for (int k = 0; k < r->pair_count; k++)
        if (r->pairs[k].param_a == a && r->pairs[k].param_b == b)
            return FAIL(c, "%s: %s: the pair %s-%s is given twice (also at correlations[%d])",
                        c->file, path, s->params[a].name, s->params[b].name, r->pairs[k].entry);
    scenario_pair *p = &r->pairs[r->pair_count++];
    p->param_a = a;
    p->param_b = b;
    p->given = given;
    p->gaussian = scenario_correlation_gaussian(given, r->entry_kendall[entry]);
    p->entry = entry;
    return THIRST_OK;
}

/* The value of an entry over n params: a number (a pair) or an n x n symmetric matrix with a
 * unit diagonal; its pairs recorded (those of a dropped param left out). */
static int read_values(parse_ctx *c, const char *path, const cJSON *value, scenario *s, int n,
                       const int *param, const int *dropped, int entry)
{
    char at[160];
    if (n == 2 && cJSON_IsNumber(value)) {
        double v;
        int status = check_value(c, path, value, &v);
        if (status || dropped[0] || dropped[1]) return status;
        return add_pair(c, path, s, param[0], param[1], v, entry);
    }
    if (cJSON_GetArraySize(value) != n || !cJSON_IsArray(value))
        return FAIL(c, "%s: %s: expected %s%d x %d matrix (one row per parameter), got %s",
                    c->file, path, n == 2 ? "a number or a " : "a ", n, n,
                    cJSON_IsArray(value) ? "another size" : loader_type_name(value));
    double m[SCENARIO_MAX_PARAMS][SCENARIO_MAX_PARAMS];
    for (int j = 0; j < n; j++) {
        const cJSON *row = cJSON_GetArrayItem(value, j);
        snprintf(at, sizeof at, "%s[%d]", path, j);
        if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != n)
            return FAIL(c, "%s: %s: expected a row of %d numbers, got %s", c->file, at, n,
                        cJSON_IsArray(row) ? "another length" : loader_type_name(row));
        for (int k = 0; k < n; k++) {
            const cJSON *v = cJSON_GetArrayItem(row, k);
            snprintf(at, sizeof at, "%s[%d][%d]", path, j, k);
            if (j == k) {
                if (!cJSON_IsNumber(v) || v->valuedouble != 1)
                    return FAIL(c, "%s: %s: expected 1 on the diagonal, got %s", c->file, at,
                                cJSON_IsNumber(v) ? "another number" : loader_type_name(v));
                continue;
            }
            int status = check_value(c, at, v, &m[j][k]);
            if (status) return status;
        }
    }
    for (int j = 0; j < n; j++)
        for (int k = j + 1; k < n; k++) {
            snprintf(at, sizeof at, "%s[%d][%d]", path, k, j);
            if (m[k][j] != m[j][k])
                return FAIL(c, "%s: %s: %.10g differs from [%d][%d] = %.10g: a correlation "
                            "matrix is symmetric", c->file, at, m[k][j], j, k, m[j][k]);
            int status = dropped[j] || dropped[k]
                             ? THIRST_OK
                             : add_pair(c, at, s, param[j], param[k], m[j][k], entry);
            if (status) return status;
        }
    return THIRST_OK;
}

/* Entry `entry` of "correlations" (object e). */
static int read_entry(parse_ctx *c, const cJSON *e, int entry, scenario *s)
{
    static const char *const fields[] = {"params", "spearman", "kendall", "source", "repair",
                                         NULL};
    scenario_correlations *r = &s->correlations;
    char path[64], at[96];
    snprintf(path, sizeof path, "correlations[%d]", entry);
    if (!cJSON_IsObject(e))
        return FAIL(c, "%s: %s: expected an object {\"params\": [...], \"spearman\": ...}, got %s",
                    c->file, path, loader_type_name(e));
    int status = loader_check_fields(c, e, path, fields, "a correlation");
    if (status || (status = loader_check_duplicates(c, e, path))) return status;
    int present;
    if ((status = loader_get_string(c, e, path, "source", r->entry_source[entry],
                                    sizeof r->entry_source[entry], &present)))
        return status;
    const cJSON *repair = cJSON_GetObjectItemCaseSensitive(e, "repair");
    if (repair && !cJSON_IsBool(repair))
        return FAIL(c, "%s: %s.repair: expected true or false, got %s", c->file, path,
                    loader_type_name(repair));
    r->entry_repair[entry] = cJSON_IsTrue(repair);
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(e, "params");
    int n = cJSON_GetArraySize(params);
    if (!params || !cJSON_IsArray(params) || n < 2)
        return FAIL(c, "%s: %s.params: expected a list of at least two parameter names, got %s",
                    c->file, path, params ? (cJSON_IsArray(params) ? "fewer" : loader_type_name(params))
                                          : "nothing");
    if (n > SCENARIO_MAX_PARAMS)
        return FAIL(c, "%s: %s.params: more than %d parameters", c->file, path, SCENARIO_MAX_PARAMS);
    int param[SCENARIO_MAX_PARAMS], dropped[SCENARIO_MAX_PARAMS] = {0};
    for (int k = 0; k < n; k++) {
        snprintf(at, sizeof at, "%s.params[%d]", path, k);
        if ((status = resolve_param(c, at, cJSON_GetArrayItem(params, k), s, &param[k], &dropped[k])))
            return status;
        for (int j = 0; j < k; j++)
            if (param[j] == param[k])
                return FAIL(c, "%s: %s: '%s' appears twice (also at params[%d])", c->file, at,
                            s->params[param[k]].name, j);
        if (dropped[k] && !r->entry_dropped[entry]) {
            r->entry_dropped[entry] = 1;
            loader_warn(c, "%s: '%s' is fixed by --set: its correlations there are left out",
                        path, s->params[param[k]].name);
        }
    }
    const cJSON *spearman = cJSON_GetObjectItemCaseSensitive(e, "spearman");
    const cJSON *kendall = cJSON_GetObjectItemCaseSensitive(e, "kendall");
    if (spearman && kendall)
        return FAIL(c, "%s: %s: give \"spearman\" or \"kendall\", not both", c->file, path);
    if (!spearman && !kendall)
        return FAIL(c, "%s: %s: missing \"spearman\" (Spearman's rho; or \"kendall\", Kendall's "
                    "tau)", c->file, path);
    r->entry_kendall[entry] = kendall != NULL;
    snprintf(at, sizeof at, "%s.%s", path, kendall ? "kendall" : "spearman");
    return read_values(c, at, kendall ? kendall : spearman, s, n, param, dropped, entry);
}

/* The root of param k in the union-find forest `parent`. */
static int root_of(int *parent, int k)
{
    while (parent[k] != k) k = parent[k] = parent[parent[k]];
    return k;
}

/* Pair index of params a and b (either order), or -1 when not given. */
static int pair_of(const scenario_correlations *r, int a, int b)
{
    for (int k = 0; k < r->pair_count; k++)
        if ((r->pairs[k].param_a == a && r->pairs[k].param_b == b) ||
            (r->pairs[k].param_a == b && r->pairs[k].param_b == a))
            return k;
    return -1;
}

/* 1 when the pair (a, b) was given as Kendall's tau, 0 as Spearman's rho; otherwise (a pair not
 * given) the block's measure. */
static int measure_of(const scenario *s, int a, int b, int block_measure)
{
    int k = pair_of(&s->correlations, a, b);
    return k < 0 ? block_measure : s->correlations.entry_kendall[s->correlations.pairs[k].entry];
}

/* "a-b 0.9 (correlations[0])" or "a-b 0 (not given)", the pair's value as given, into out. */
static void describe_pair(const scenario *s, int a, int b, char *out, size_t size)
{
    int k = pair_of(&s->correlations, a, b);
    if (k < 0) snprintf(out, size, "%s-%s 0 (not given)", s->params[a].name, s->params[b].name);
    else
        snprintf(out, size, "%s-%s %.4g (correlations[%d])", s->params[a].name,
                 s->params[b].name, s->correlations.pairs[k].given, s->correlations.pairs[k].entry);
}

/* The error for a block (members: params) whose leading (bad + 1) x (bad + 1) matrix r (n x n)
 * is not positive definite: the pairs among its first bad + 1 members, and for three of them
 * the interval the third pair must lie in. */
static int not_definite(parse_ctx *c, const scenario *s, const int *member, int n,
                        const double *r, int bad, int kendall)
{
    char pairs[1024] = "", one[192], bound[512] = "";
    for (int j = 0; j <= bad; j++)
        for (int k = j + 1; k <= bad; k++) {
            describe_pair(s, member[j], member[k], one, sizeof one);
            if (pairs[0]) strncat(pairs, ", ", sizeof pairs - strlen(pairs) - 1);
            strncat(pairs, one, sizeof pairs - strlen(pairs) - 1);
        }
    if (bad == 2) {   /* the free pair: one not given, else the last; the third member common */
        int x = 1, y = 2, common = 0;
        for (int j = 0; j < 3; j++)
            for (int k = j + 1; k < 3; k++)
                if (pair_of(&s->correlations, member[j], member[k]) < 0) {
                    x = j;
                    y = k;
                    common = 3 - j - k;
                }
        double low, high;
        correlation_third_bounds(r[common * n + x], r[common * n + y], &low, &high);
        kendall = measure_of(s, member[x], member[y], kendall);
        const char *measure = kendall ? "Kendall's tau" : "Spearman's rho";
        snprintf(bound, sizeof bound, ": with the other two, %s-%s must lie in [%.3f, %.3f] as "
                 "%s ([%.4f, %.4f] as the copula's Gaussian correlation)",
                 s->params[member[x]].name, s->params[member[y]].name,
                 scenario_correlation_rank(low, kendall), scenario_correlation_rank(high, kendall),
                 measure, low, high);
    }
    return FAIL(c, "%s: correlations: %s are not possible together (their matrix is not "
                "positive definite)%s; correct them, or set \"repair\": true to use the nearest "
                "valid matrix", c->file, pairs, bound);
}

/* Check block b (members: params, n of them) and factor its matrix into the float data; with
 * "repair" on one of its entries, the nearest valid matrix, its largest change a warning. */
static int build_block(parse_ctx *c, scenario *s, int b, const int *member, int n)
{
    scenario_correlations *cr = &s->correlations;
    double r[SCENARIO_MAX_PARAMS * SCENARIO_MAX_PARAMS] = {0};
    double l[SCENARIO_MAX_PARAMS * SCENARIO_MAX_PARAMS];
    int repair = 0, kendall = -1;
    for (int j = 0; j < n; j++)
        for (int k = 0; k < n; k++) {
            int p = j == k ? -1 : pair_of(cr, member[j], member[k]);
            r[j * n + k] = j == k ? 1 : (p < 0 ? 0 : cr->pairs[p].gaussian);
            if (p >= 0) repair |= cr->entry_repair[cr->pairs[p].entry];
            if (p >= 0 && kendall < 0) kendall = cr->entry_kendall[cr->pairs[p].entry];
        }
    int bad = correlation_cholesky(n, r, l);
    if (bad >= 0 && !repair) return not_definite(c, s, member, n, r, bad, kendall > 0);
    if (bad >= 0) {
        double nearest[SCENARIO_MAX_PARAMS * SCENARIO_MAX_PARAMS];
        double change = correlation_nearest(n, r, REPAIR_FLOOR, nearest);
        if (change < 0 || correlation_cholesky(n, nearest, l) >= 0)
            return FAIL(c, "%s: correlations: the nearest valid matrix of %s and its partners "
                        "was not found (Higham's projections did not converge)", c->file,
                        s->params[member[0]].name);
        int worst_j = 0, worst_k = 1;
        for (int j = 0; j < n; j++)
            for (int k = j + 1; k < n; k++)
                if (fabs(nearest[j * n + k] - r[j * n + k]) >
                    fabs(nearest[worst_j * n + worst_k] - r[worst_j * n + worst_k])) {
                    worst_j = j;
                    worst_k = k;
                }
        int worst_kendall = measure_of(s, member[worst_j], member[worst_k], kendall > 0);
        loader_warn(c, "correlations: the matrix of %s and its partners is not "
                 "positive definite; \"repair\" uses the nearest valid one (Higham 2002), whose "
                 "largest change is %s-%s %.4g -> %.4g (%s; %.4f on the Gaussian scale)",
                 s->params[member[0]].name, s->params[member[worst_j]].name,
                 s->params[member[worst_k]].name,
                 scenario_correlation_rank(r[worst_j * n + worst_k], worst_kendall),
                 scenario_correlation_rank(nearest[worst_j * n + worst_k], worst_kendall),
                 worst_kendall ? "Kendall's tau" : "Spearman's rho", change);
        cr->repair_change[b] = change;
        memcpy(r, nearest, sizeof(double) * (size_t)(n * n));
    }
    float packed[SCENARIO_MAX_PARAMS * (SCENARIO_MAX_PARAMS + 1) / 2];
    for (int j = 0, at = 0; j < n; j++)
        for (int k = 0; k <= j; k++) packed[at++] = (float)l[j * n + k];
    int offset = prior_data_append(&c->data, packed, n * (n + 1) / 2);
    if (offset < 0) return status_fail(c->err, c->errlen, THIRST_ERR_RUNTIME, "out of memory");
    cr->copula.block_factor[b] = offset;
    int first = cr->member_count;
    for (int j = 0; j < n; j++)
        for (int k = 0; k < n; k++) cr->used[first + j][first + k] = r[j * n + k];
    return THIRST_OK;
}

/* Link the params of nonzero pairs into blocks (params order), build each, and make the copula
 * plan: members and blocks by prior index, and the Sobol factors. */
static int build_blocks(parse_ctx *c, scenario *s)
{
    scenario_correlations *cr = &s->correlations;
    copula_plan *plan = &cr->copula;
    int parent[SCENARIO_MAX_PARAMS], prior_of[SCENARIO_MAX_PARAMS], size[SCENARIO_MAX_PARAMS] = {0};
    for (int k = 0, prior = 0; k < s->param_count; k++) {
        parent[k] = k;
        prior_of[k] = s->params[k].sampled ? prior++ : -1;
    }
    for (int k = 0; k < cr->pair_count; k++)
        if (cr->pairs[k].given != 0)
            parent[root_of(parent, cr->pairs[k].param_a)] = root_of(parent, cr->pairs[k].param_b);
    for (int k = 0; k < s->param_count; k++) size[root_of(parent, k)]++;
    int done[SCENARIO_MAX_PARAMS] = {0};
    for (int k = 0; k < s->param_count; k++) {
        int root = root_of(parent, k);
        if (size[root] < 2 || done[root]) continue;
        done[root] = 1;
        int member[SCENARIO_MAX_PARAMS], n = 0, b = plan->block_count;
        for (int j = k; j < s->param_count; j++)
            if (root_of(parent, j) == root) member[n++] = j;
        int status = build_block(c, s, b, member, n);
        if (status) return status;
        plan->block_first[b] = cr->member_count;
        plan->block_size[b] = n;
        for (int j = 0; j < n; j++) {
            cr->member_param[cr->member_count] = member[j];
            plan->member[cr->member_count++] = prior_of[member[j]];
            plan->in_block[prior_of[member[j]]] = b + 1;
        }
        plan->block_count++;
    }
    int factor_done[COPULA_MAX_BLOCKS] = {0};
    for (int k = 0; k < s->param_count; k++) {
        if (prior_of[k] < 0) continue;
        int b = plan->in_block[prior_of[k]] - 1;
        if (b >= 0 && factor_done[b]) continue;
        if (b >= 0) factor_done[b] = 1;
        plan->factor[plan->factor_count++] = b >= 0 ? -1 - b : prior_of[k];
    }
    return THIRST_OK;
}

int scenario_correlations_read(parse_ctx *c, const cJSON *root, scenario *s)
{
    scenario_correlations *r = &s->correlations;
    memset(r, 0, sizeof *r);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "correlations");
    if (list && !cJSON_IsArray(list))
        return FAIL(c, "%s: correlations: expected a list of correlations, got %s", c->file,
                    loader_type_name(list));
    int count = cJSON_GetArraySize(list);
    if (count > SCENARIO_MAX_CORRELATIONS)
        return FAIL(c, "%s: correlations: more than %d entries", c->file, SCENARIO_MAX_CORRELATIONS);
    int entry = 0;
    for (const cJSON *e = list ? list->child : NULL; e; e = e->next, entry++) {
        r->entry_count = entry + 1;
        int status = read_entry(c, e, entry, s);
        if (status) return status;
    }
    return build_blocks(c, s);
}

const char *scenario_factor_name(const scenario *s, int k, char *out, size_t size)
{
    const scenario_correlations *cr = &s->correlations;
    const copula_plan *plan = &cr->copula;
    int factor = plan->factor[k];
    out[0] = 0;
    if (factor >= 0) {
        for (int j = 0, prior = 0; j < s->param_count; j++)
            if (s->params[j].sampled && prior++ == factor) snprintf(out, size, "%s", s->params[j].name);
        return out;
    }
    int b = -1 - factor;
    for (int m = 0; m < plan->block_size[b]; m++) {
        if (m) strncat(out, "+", size - strlen(out) - 1);
        strncat(out, s->params[cr->member_param[plan->block_first[b] + m]].name,
                size - strlen(out) - 1);
    }
    return out;
}
