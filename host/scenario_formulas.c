/* scenario_formulas.c: a scenario's own model (DESIGN.md section 9): "formulas" (intermediate
 * values, or a model input they feed, such as wh_per_query from tokens), "outputs" (reported
 * outputs of its own) and the user's own parameters, turned into the scenario's formula_plan
 * (kernels/formula_plan.h). Names resolve to, in this order: a formula, a user parameter, a
 * model input a parameter gives (canonical unit), a model output the scenario reports. Formulas
 * are ordered by what they use (a cycle is an error naming it); those that feed a model input,
 * and what they use, run before the model and may not use its outputs. Every error is one line
 * with the file, the JSON path and, inside a formula, the column. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formula.h"
#include "loader.h"
#include "model_rules.h"
#include "scenario_formulas.h"
#include "units.h"

#define MAX_NAMES (FORMULA_MAX_LOADS + MODEL_OUTPUT_COUNT + SCENARIO_MAX_FORMULAS)

/* What a name in a formula is. */
enum { NAME_FORMULA, NAME_INPUT, NAME_OUTPUT };

/* The names the formulas use, each once, and what each is. */
typedef struct {
    char name[MAX_NAMES][64];
    int kind[MAX_NAMES];      /* NAME_* */
    int index[MAX_NAMES];     /* formula index, input slot, or enum model_output */
    int value[MAX_NAMES];     /* value in the formula plan */
    int count;
} used_names;

int scenario_formulas_present(const cJSON *root)
{
    const cJSON *model = cJSON_GetObjectItemCaseSensitive(root, "model");
    return cJSON_GetObjectItemCaseSensitive(root, "formulas") ||
           cJSON_GetObjectItemCaseSensitive(root, "outputs") ||
           (cJSON_IsString(model) && !strcmp(model->valuestring, "formula"));
}

/* 1 when name is a word a formula can use as a name: a letter or '_', then letters, digits or
 * '_', at most 63 characters. */
static int is_identifier(const char *name)
{
    size_t n = strlen(name);
    if (!n || n > 63 || !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') ||
                          name[0] == '_'))
        return 0;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n;
}

/* Why name cannot be the user's own (a function, a constant, a model output of the workload),
 * or NULL. */
static const char *reserved_because(const scenario *s, const char *name)
{
    for (int op = 0; op < FORMULA_OP_COUNT; op++)
        if (formula_op_name(op)[0] && !strcmp(formula_op_name(op), name)) return "a function";
    if (!strcmp(name, "pi") || !strcmp(name, "e")) return "a constant";
    for (int out = 0; s->model.workload <= MODEL_INFERENCE && out < MODEL_OUTPUT_COUNT; out++)
        if (!strcmp(scenario_output_name(s, out), name)) return "an output of the model";
    return NULL;
}

int scenario_formulas_check_user_name(parse_ctx *c, const char *path, const char *name)
{
    if (!is_identifier(name))
        return FAIL(c, "%s: %s: a parameter of your own needs a name a formula can use (a letter "
                    "or '_', then letters, digits or '_', at most 63)", c->file, path);
    const char *why = reserved_because(c->s, name);
    if (why) return FAIL(c, "%s: %s: '%s' is %s; name your parameter otherwise", c->file, path,
                         name, why);
    return THIRST_OK;
}

/* One formula entry: name, path of its text, text, unit; where: 0 a string under "formulas",
 * 1 an object there (path ends in ".formula"), 2 under "outputs" (the same). Named after a model
 * input, it feeds it. */
static int read_one(parse_ctx *c, scenario *s, const char *name, const char *path,
                    const cJSON *text, const char *unit, int where, int *slot_taken)
{
    if (s->formula_count == SCENARIO_MAX_FORMULAS)
        return FAIL(c, "%s: %s: more than %d formulas and outputs", c->file, path,
                    SCENARIO_MAX_FORMULAS);
    scenario_formula *f = &s->formulas[s->formula_count];
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    snprintf(f->path, sizeof f->path, "%s", path);
    snprintf(f->unit, sizeof f->unit, "%s", unit);
    f->fed_slot = -1;
    f->output = -1;
    char entry[96];   /* the entry's own path, for what is wrong with its name */
    snprintf(entry, sizeof entry, "%.*s", (int)(strlen(path) - (where ? 8 : 0)), path);
    if (!is_identifier(name))
        return FAIL(c, "%s: %s: a formula needs a name other formulas can use (a letter or '_', "
                    "then letters, digits or '_', at most 63)", c->file, entry);
    if (!cJSON_IsString(text))
        return FAIL(c, "%s: %s: expected the formula as a string, got %s", c->file, path,
                    loader_type_name(text));
    if (strlen(text->valuestring) > FORMULA_MAX_LENGTH)
        return FAIL(c, "%s: %s: formula of %zu characters: at most %d", c->file, path,
                    strlen(text->valuestring), FORMULA_MAX_LENGTH);
    snprintf(f->text, sizeof f->text, "%s", text->valuestring);
    /* Named after a model input, it feeds it; without a model ("model": "formula") there is
     * nothing to feed, and it is a value like any other. */
    const units_param *u = s->model.workload == MODEL_FORMULA ? NULL : units_param_find(name);
    const char *why = u ? NULL : reserved_because(s, name);
    if (why) return FAIL(c, "%s: %s: '%s' is %s; name the formula otherwise", c->file, entry, name,
                         why);
    for (int k = 0; k < s->param_count; k++)
        if (!strcmp(s->params[k].name, name))
            return FAIL(c, "%s: %s: '%s' is also a parameter", c->file, entry, name);
    for (int k = 0; k < s->formula_count; k++)
        if (!strcmp(s->formulas[k].name, name))
            return FAIL(c, "%s: %s: '%s' is also %s", c->file, entry, name, s->formulas[k].path);
    if (u && where == 2)
        return FAIL(c, "%s: %s: '%s' is a model input: a formula that feeds it goes under "
                    "\"formulas\"", c->file, entry, name);
    if (u) {
        if (slot_taken[u->slot])
            return FAIL(c, "%s: %s: the model input '%s' is also given under params", c->file,
                        entry, name);
        slot_taken[u->slot] = 2;   /* given by a formula (model_rules.c names it so) */
        f->fed_slot = u->slot;
    }
    s->formula_count++;
    return THIRST_OK;
}

/* The "basis" of formula entry `entry` at path (an object; NULL for a plain string), which feeds
 * model slot `slot` (or -1): energy and wh_per_query need one, as their parameters do. */
static int read_basis(parse_ctx *c, const cJSON *entry, const char *path, const char *name,
                      int slot, int *basis_facility)
{
    char basis[16] = "";
    int present = 0, status;
    if (entry && (status = loader_get_string(c, entry, path, "basis", basis, sizeof basis,
                                             &present)))
        return status;
    int takes_basis = slot == SLOT_ENERGY || slot == SLOT_WH_PER_QUERY;
    if (present && !takes_basis)
        return FAIL(c, "%s: %s.basis: only a formula that feeds energy or wh_per_query takes a "
                    "basis", c->file, path);
    if (!takes_basis) return THIRST_OK;
    if (!present)
        return FAIL(c, "%s: %s: feeds the model input '%s', which needs a \"basis\": write "
                    "{\"formula\": ..., \"basis\": \"it\"} (server energy) or \"facility\" "
                    "(already includes PUE)", c->file, path, name);
    if (strcmp(basis, "it") != 0 && strcmp(basis, "facility") != 0)
        return FAIL(c, "%s: %s.basis: expected \"it\" or \"facility\", got '%s'", c->file, path,
                    basis);
    *basis_facility = strcmp(basis, "facility") == 0;
    return THIRST_OK;
}

int scenario_formulas_read(parse_ctx *c, const cJSON *root, scenario *s, int *slot_taken,
                           int *basis_facility)
{
    const cJSON *formulas = cJSON_GetObjectItemCaseSensitive(root, "formulas");
    const cJSON *outputs = cJSON_GetObjectItemCaseSensitive(root, "outputs");
    int status;
    char path[96];
    if (formulas && (!cJSON_IsObject(formulas) || !formulas->child))
        return FAIL(c, "%s: formulas: expected an object of named formulas, got %s", c->file,
                    cJSON_IsObject(formulas) ? "an empty object" : loader_type_name(formulas));
    if (outputs && (!cJSON_IsObject(outputs) || !outputs->child))
        return FAIL(c, "%s: outputs: expected an object of outputs, each {\"formula\": ..., "
                    "\"unit\": ...}, got %s", c->file,
                    cJSON_IsObject(outputs) ? "an empty object" : loader_type_name(outputs));
    if (formulas && (status = loader_check_duplicates(c, formulas, "formulas"))) return status;
    if (outputs && (status = loader_check_duplicates(c, outputs, "outputs"))) return status;
    static const char *const formula_fields[] = {"formula", "basis", "description", "source",
                                                 NULL};
    for (const cJSON *f = formulas ? formulas->child : NULL; f; f = f->next) {
        snprintf(path, sizeof path, "formulas.%.70s", f->string);
        const cJSON *text = f, *entry = NULL;
        char formula_path[96], note[512];
        snprintf(formula_path, sizeof formula_path, "%s", path);
        if (cJSON_IsObject(f)) {   /* {"formula": ..., "basis": ..., "description", "source"} */
            int present;
            entry = f;
            if ((status = loader_check_fields(c, f, path, formula_fields, "a formula")) ||
                (status = loader_check_duplicates(c, f, path)) ||
                (status = loader_get_string(c, f, path, "description", note, sizeof note,
                                            &present)) ||
                (status = loader_get_string(c, f, path, "source", note, sizeof note, &present)))
                return status;
            text = cJSON_GetObjectItemCaseSensitive(f, "formula");
            if (!text) return FAIL(c, "%s: %s: missing \"formula\"", c->file, path);
            snprintf(formula_path, sizeof formula_path, "formulas.%.70s.formula", f->string);
        }
        if ((status = read_one(c, s, f->string, formula_path, text, "", entry != NULL,
                               slot_taken)) ||
            (status = read_basis(c, entry, path, f->string,
                                 s->formulas[s->formula_count - 1].fed_slot, basis_facility)))
            return status;
    }
    static const char *const fields[] = {"formula", "unit", "description", "source", NULL};
    for (const cJSON *o = outputs ? outputs->child : NULL; o; o = o->next) {
        snprintf(path, sizeof path, "outputs.%.70s", o->string);
        if (!cJSON_IsObject(o))
            return FAIL(c, "%s: %s: expected {\"formula\": ..., \"unit\": ...}, got %s", c->file,
                        path, loader_type_name(o));
        char unit[32] = "", text[512];
        int present;
        if ((status = loader_check_fields(c, o, path, fields, "an output")) ||
            (status = loader_check_duplicates(c, o, path)) ||
            (status = loader_get_string(c, o, path, "unit", unit, sizeof unit, &present)) ||
            (status = loader_get_string(c, o, path, "description", text, sizeof text, &present)) ||
            (status = loader_get_string(c, o, path, "source", text, sizeof text, &present)))
            return status;
        const cJSON *formula = cJSON_GetObjectItemCaseSensitive(o, "formula");
        if (!formula) return FAIL(c, "%s: %s: missing \"formula\"", c->file, path);
        char formula_path[96];
        snprintf(formula_path, sizeof formula_path, "outputs.%.70s.formula", o->string);
        if ((status = read_one(c, s, o->string, formula_path, formula, unit, 2, slot_taken)))
            return status;
    }
    return THIRST_OK;
}

/* Add name (of kind and index) to used, once; its position. */
static int use_name(used_names *used, const char *name, int kind, int index)
{
    for (int k = 0; k < used->count; k++)
        if (!strcmp(used->name[k], name)) return k;
    snprintf(used->name[used->count], sizeof used->name[0], "%s", name);
    used->kind[used->count] = kind;
    used->index[used->count] = index;
    return used->count++;
}

/* The model output named name that s reports, or -1; *exists: a model output of that name. */
static int reported_output(const scenario *s, const char *name, int *exists)
{
    *exists = 0;
    if (s->model.workload > MODEL_INFERENCE) return -1;
    for (int out = 0; out < MODEL_OUTPUT_COUNT; out++)
        if (!strcmp(scenario_output_name(s, out), name)) {
            *exists = 1;
            for (int k = 0; k < s->output_count; k++)
                if (s->outputs[k] == out) return out;
        }
    return -1;
}

/* Every name a formula may use, for the suggestion of an unknown one. */
static int visible_names(const scenario *s, const char **names)
{
    int n = 0;
    for (int k = 0; k < s->formula_count; k++) names[n++] = s->formulas[k].name;
    for (int k = 0; k < s->param_count; k++)
        if (s->params[k].is_user || units_param_find(s->params[k].name))
            names[n++] = s->params[k].name;
    for (int k = 0; k < s->output_count && s->outputs[k] < MODEL_OUTPUT_COUNT; k++)
        names[n++] = scenario_output_name(s, s->outputs[k]);
    return n;
}

/* Resolve name (used by formula f at column) into used; which formula it is in *formula. */
static int resolve(parse_ctx *c, const scenario *s, const scenario_formula *f, const char *name,
                   int column, used_names *used, int *formula)
{
    *formula = -1;
    for (int k = 0; k < s->formula_count; k++)
        if (!strcmp(s->formulas[k].name, name)) {
            *formula = k;
            use_name(used, name, NAME_FORMULA, k);
            return THIRST_OK;
        }
    for (int k = 0; k < s->param_count; k++) {
        const scenario_param *p = &s->params[k];
        if (p->is_user && !strcmp(p->name, name)) {
            use_name(used, name, NAME_INPUT, p->prior.slot);
            return THIRST_OK;
        }
    }
    const units_param *u = units_param_find(name);
    if (u && scenario_slot_used(s, u->slot)) {
        use_name(used, name, NAME_INPUT, u->slot);
        return THIRST_OK;
    }
    if (u)
        return FAIL(c, "%s: %s: column %d: the model input '%s' is not given: add it under "
                    "params", c->file, f->path, column, name);
    int exists, out = reported_output(s, name, &exists);
    if (out >= 0) {
        use_name(used, name, NAME_OUTPUT, out);
        return THIRST_OK;
    }
    if (exists)
        return FAIL(c, "%s: %s: column %d: '%s' is not an output of this scenario (its inputs "
                    "do not give it)", c->file, f->path, column, name);
    const char *names[SCENARIO_MAX_FORMULAS + SCENARIO_MAX_PARAMS + MODEL_OUTPUT_COUNT];
    const char *suggestion = units_suggest(name, names, visible_names(s, names));
    return FAIL(c, "%s: %s: column %d: unknown name '%s'%s%s%s", c->file, f->path, column, name,
                suggestion ? "; did you mean '" : "", suggestion ? suggestion : "",
                suggestion ? "'?" : "");
}

/* The graph of the formulas: uses[f][g] when formula f uses formula g. */
typedef struct {
    formula_tree trees[SCENARIO_MAX_FORMULAS];
    unsigned char uses[SCENARIO_MAX_FORMULAS][SCENARIO_MAX_FORMULAS];
    int order[SCENARIO_MAX_FORMULAS];   /* each after every formula it uses */
    int ordered;
    int state[SCENARIO_MAX_FORMULAS];   /* 0 unvisited, 1 on the path, 2 done */
    int path[SCENARIO_MAX_FORMULAS], depth;
} formula_graph;

/* Depth-first from f: append f after what it uses; a formula met again on the path is a cycle,
 * named from it around to itself. */
static int visit(parse_ctx *c, const scenario *s, formula_graph *g, int f)
{
    if (g->state[f] == 2) return THIRST_OK;
    if (g->state[f] == 1) {
        char cycle[512] = "";
        int start = 0;
        while (g->path[start] != f) start++;
        for (int k = start; k < g->depth; k++) {
            strncat(cycle, s->formulas[g->path[k]].name, sizeof cycle - strlen(cycle) - 1);
            strncat(cycle, " -> ", sizeof cycle - strlen(cycle) - 1);
        }
        strncat(cycle, s->formulas[f].name, sizeof cycle - strlen(cycle) - 1);
        return FAIL(c, "%s: %s: a cycle of formulas: %s", c->file, s->formulas[f].path, cycle);
    }
    g->state[f] = 1;
    g->path[g->depth++] = f;
    for (int k = 0; k < s->formula_count; k++)
        if (g->uses[f][k]) {
            int status = visit(c, s, g, k);
            if (status) return status;
        }
    g->depth--;
    g->state[f] = 2;
    g->order[g->ordered++] = f;
    return THIRST_OK;
}

/* Mark f and every formula it uses as computed before the model. */
static void mark_before_model(scenario *s, const formula_graph *g, int f)
{
    if (s->formulas[f].before_model) return;
    s->formulas[f].before_model = 1;
    for (int k = 0; k < s->formula_count; k++)
        if (g->uses[f][k]) mark_before_model(s, g, k);
}

/* Parse every formula and resolve its names into used and the graph. */
static int parse_all(parse_ctx *c, scenario *s, formula_graph *g, used_names *used)
{
    for (int f = 0; f < s->formula_count; f++) {
        scenario_formula *sf = &s->formulas[f];
        char message[THIRST_ERR_LEN];
        if (formula_parse(sf->text, &g->trees[f], message, sizeof message))
            return FAIL(c, "%s: %s: %s", c->file, sf->path, message);
        char name[64];
        int column, status;
        for (int k = 0; formula_tree_name(&g->trees[f], k, name, sizeof name, &column); k++) {
            int formula;
            if ((status = resolve(c, s, sf, name, column, used, &formula))) return status;
            if (formula == f)
                return FAIL(c, "%s: %s: column %d: a formula cannot use itself", c->file,
                            sf->path, column);
            if (formula >= 0) g->uses[f][formula] = 1;
            char listed[516];
            snprintf(listed, sizeof listed, ", %s, ", sf->uses);
            char needle[70];
            snprintf(needle, sizeof needle, ", %s, ", name);
            if (!strstr(listed, needle) && strlen(sf->uses) + strlen(name) + 3 < sizeof sf->uses)
                snprintf(sf->uses + strlen(sf->uses), sizeof sf->uses - strlen(sf->uses), "%s%s",
                         sf->uses[0] ? ", " : "", name);
        }
    }
    return THIRST_OK;
}

/* Every user parameter must be used by a formula (else it is most likely a typo). */
static int check_user_params_used(parse_ctx *c, const scenario *s, const used_names *used)
{
    for (int k = 0; k < s->param_count; k++) {
        const scenario_param *p = &s->params[k];
        int is_used = 0;
        for (int n = 0; n < used->count; n++)
            is_used |= used->kind[n] == NAME_INPUT && used->index[n] == p->prior.slot;
        if (!p->is_user || is_used) continue;
        const char *names[64 + SCENARIO_MAX_FORMULAS];
        int count = 0;
        for (int m = 0; m < units_param_count() && count < 64; m++)
            names[count++] = units_param_at(m)->name;
        const char *suggestion = units_suggest(p->name, names, count);
        return FAIL(c, "%s: params.%s: unknown parameter, and no formula uses it%s%s%s", c->file,
                    p->name, suggestion ? "; did you mean '" : "", suggestion ? suggestion : "",
                    suggestion ? "'?" : "");
    }
    return THIRST_OK;
}

/* Values of the plan: inputs first, then model outputs, then the formulas in order. */
static int lay_out(parse_ctx *c, scenario *s, const formula_graph *g, used_names *used)
{
    formula_plan *plan = &s->formula_plan;
    for (int n = 0; n < used->count; n++) {
        if (used->kind[n] != NAME_INPUT) continue;
        if (plan->input_count == FORMULA_MAX_LOADS)
            return FAIL(c, "%s: formulas: more than %d inputs", c->file, FORMULA_MAX_LOADS);
        used->value[n] = plan->input_count;
        plan->input_slot[plan->input_count++] = (uint16_t)used->index[n];
    }
    for (int n = 0; n < used->count; n++) {
        if (used->kind[n] != NAME_OUTPUT) continue;
        used->value[n] = plan->input_count + plan->model_output_count;
        plan->model_output[plan->model_output_count++] = (uint16_t)used->index[n];
    }
    const int first = plan->input_count + plan->model_output_count;
    for (int k = 0; k < g->ordered; k++) s->formulas[g->order[k]].value = first + k;
    for (int n = 0; n < used->count; n++)
        if (used->kind[n] == NAME_FORMULA) used->value[n] = s->formulas[used->index[n]].value;
    formula_program_init(&plan->program, first + s->formula_count);
    return THIRST_OK;
}

/* A formula that feeds a model input with a constant (its one op moves a constant) must give a
 * value in the input's domain, as a fixed parameter must; a value computed from priors is not
 * checked per draw (priors/README.md says so). */
static int check_constant_fed(parse_ctx *c, const formula_plan *plan, const scenario_formula *f)
{
    const formula_program *program = &plan->program;
    const formula_op *last = &program->ops[program->op_count - 1];
    if (f->fed_slot < 0 || last->op != FORMULA_MOVE || last->a < program->constant_base ||
        last->a >= program->constant_base + program->constant_count)
        return THIRST_OK;
    const double value = program->constants[last->a - program->constant_base];
    const units_param *u = units_param_of_slot(f->fed_slot);
    if ((u->low_open ? value > u->domain_low : value >= u->domain_low) && value <= u->domain_high)
        return THIRST_OK;
    char high[48] = "";
    if (!isinf(u->domain_high)) snprintf(high, sizeof high, " and <= %g", u->domain_high);
    return FAIL(c, "%s: %s: %g, but %s must be %s %g%s (%s)", c->file, f->path, value, u->name,
                u->low_open ? ">" : ">=", u->domain_low, high, u->meaning);
}

/* Compile the formulas in order, those before the model first; then the fed inputs and the
 * scenario's own outputs. */
static int compile_all(parse_ctx *c, scenario *s, const formula_graph *g, const used_names *used)
{
    formula_plan *plan = &s->formula_plan;
    const char *names[MAX_NAMES];
    for (int n = 0; n < used->count; n++) names[n] = used->name[n];
    formula_names table = {names, used->value, used->count};
    char message[THIRST_ERR_LEN];
    for (int pass = 1; pass >= 0; pass--) {
        for (int k = 0; k < g->ordered; k++) {
            const scenario_formula *f = &s->formulas[g->order[k]];
            if (f->before_model != pass) continue;
            if (formula_compile(&plan->program, &g->trees[g->order[k]], &table, f->value, message,
                                sizeof message))
                return FAIL(c, "%s: %s: %s", c->file, f->path, message);
            int status = check_constant_fed(c, plan, f);
            if (status) return status;
        }
        if (pass) plan->before_model = plan->program.op_count;
    }
    if (formula_program_finish(&plan->program, message, sizeof message))
        return FAIL(c, "%s: formulas: %s", c->file, message);
    for (int k = 0; k < s->formula_count; k++) {
        scenario_formula *f = &s->formulas[k];
        if (f->fed_slot >= 0) {
            plan->fed_value[plan->fed_count] = (uint16_t)f->value;
            plan->fed_slot[plan->fed_count++] = (uint16_t)f->fed_slot;
        }
    }
    return THIRST_OK;
}

/* Every formula is used: by an output, another formula or a model input it feeds (a formula
 * nothing uses is most likely a misspelt model input). Under "model": "formula", every
 * parameter is used by a formula too. */
static int check_formulas_used(parse_ctx *c, const scenario *s, const formula_graph *g,
                               const used_names *used)
{
    const char *inputs[64];
    int count = 0;
    for (int m = 0; m < units_param_count() && count < 64; m++) inputs[count++] = units_param_at(m)->name;
    for (int f = 0; f < s->formula_count; f++) {
        const scenario_formula *sf = &s->formulas[f];
        int is_used = sf->fed_slot >= 0 || !strncmp(sf->path, "outputs.", 8);
        for (int k = 0; k < s->formula_count; k++) is_used |= g->uses[k][f];
        if (is_used) continue;
        const char *suggestion = units_suggest(sf->name, inputs, count);
        return FAIL(c, "%s: formulas.%s: nothing uses this formula (no output, no other formula%s)"
                    "%s%s%s", c->file, sf->name,
                    s->model.workload == MODEL_FORMULA ? "" : ", and it feeds no model input",
                    suggestion ? "; did you mean the model input '" : "",
                    suggestion ? suggestion : "", suggestion ? "'?" : "");
    }
    for (int k = 0; s->model.workload == MODEL_FORMULA && k < s->param_count; k++) {
        const scenario_param *p = &s->params[k];
        int is_used = p->prior.dist == PRIOR_CHOICE;   /* a group: its slots are checked alone */
        for (int n = 0; n < used->count; n++)
            is_used |= used->kind[n] == NAME_INPUT && used->index[n] == p->prior.slot;
        if (!is_used)
            return FAIL(c, "%s: params.%s: no formula uses it (\"model\": \"formula\" runs no "
                        "built-in model)", c->file, p->name);
    }
    return THIRST_OK;
}

int scenario_formulas_build(parse_ctx *c, scenario *s)
{
    if (!s->formula_count && s->model.workload != MODEL_FORMULA) return THIRST_OK;
    if (s->model.workload == MODEL_ISHIGAMI || s->model.workload == MODEL_GFUNCTION)
        return FAIL(c, "%s: %s: a benchmark model takes no formulas (write the model itself as "
                    "formulas, with \"model\": \"formula\")", c->file, s->formulas[0].path);
    int own_outputs = 0;
    for (int f = 0; f < s->formula_count; f++)
        own_outputs += !strncmp(s->formulas[f].path, "outputs.", 8);
    if (s->model.workload == MODEL_FORMULA && !own_outputs)
        return FAIL(c, "%s: outputs: \"model\": \"formula\" needs outputs of its own", c->file);
    formula_graph *g = calloc(1, sizeof *g);
    used_names *used = calloc(1, sizeof *used);
    int status = g && used ? THIRST_OK : status_fail(c->err, c->errlen, THIRST_ERR_RUNTIME,
                                                     "out of memory");
    memset(&s->formula_plan, 0, sizeof s->formula_plan);
    s->formula_plan.uses_model = s->model.workload != MODEL_FORMULA;
    if (!status) status = parse_all(c, s, g, used);
    for (int f = 0; !status && f < s->formula_count; f++) status = visit(c, s, g, f);
    for (int f = 0; !status && f < s->formula_count; f++)
        if (s->formulas[f].fed_slot >= 0) mark_before_model(s, g, f);
    for (int f = 0; !status && f < s->formula_count; f++)
        for (int n = 0; !status && s->formulas[f].before_model && n < used->count; n++) {
            char name[64];
            int column;
            for (int k = 0; !status && formula_tree_name(&g->trees[f], k, name, sizeof name,
                                                          &column); k++)
                if (used->kind[n] == NAME_OUTPUT && !strcmp(used->name[n], name))
                    status = FAIL(c, "%s: %s: column %d: computed before the model (it feeds a "
                                  "model input), so it cannot use the model's output '%s'",
                                  c->file, s->formulas[f].path, column, name);
        }
    if (!status) status = check_user_params_used(c, s, used);
    if (!status) status = check_formulas_used(c, s, g, used);
    if (!status) status = lay_out(c, s, g, used);
    if (!status) status = compile_all(c, s, g, used);
    for (int f = 0; !status && f < s->formula_count; f++) {
        scenario_formula *sf = &s->formulas[f];
        if (sf->fed_slot >= 0 || strncmp(sf->path, "outputs.", 8)) continue;
        if (s->user_output_count == FORMULA_MAX_USER_OUTPUTS)
            status = FAIL(c, "%s: %s: more than %d outputs of your own", c->file, sf->path,
                          FORMULA_MAX_USER_OUTPUTS);
        else {
            sf->output = MODEL_OUTPUT_COUNT + s->user_output_count;
            s->formula_plan.user_output_value[s->user_output_count++] = (uint16_t)sf->value;
            s->outputs[s->output_count++] = sf->output;
        }
    }
    s->formula_plan.user_output_count = s->user_output_count;
    free(g);
    free(used);
    return status;
}
