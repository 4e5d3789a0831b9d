/* formula_compile.c: a parsed formula (host/formula.h) into register-program ops
 * (kernels/formula.h). Each node gives an operand: a named value, a constant (folded: every
 * operation on constants only is computed here with formula_apply, the same function the
 * interpreter runs, so folding changes no bit), or a temporary. Temporaries are freed as soon as
 * their one use is emitted, so a formula needs about as many as its depth; they are numbered
 * apart from the values (TEMPORARY flag) and placed after the constants by
 * formula_program_finish. A constant integer power up to 8 (x^2, x^-3) becomes multiplications
 * (negative bases work); other powers are exp(b log a) (FORMULA_POW). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "formula.h"
#include "status.h"
#include "units.h"

#define TEMPORARY 0x8000u       /* operand flag: temporary (index below) until finish */
#define MAX_TEMPORARIES 256
#define MAX_INTEGER_POWER 8

/* What a node gives: a constant, or a value index (a named value or TEMPORARY | k). */
typedef struct {
    int is_constant;
    float constant;
    unsigned index;
} operand;

/* The compiler's state for one formula. */
typedef struct {
    formula_program *program;
    const formula_tree *tree;
    const formula_names *names;
    unsigned char temporary_used[MAX_TEMPORARIES];
    char *err;
    size_t errlen;
} compiler;

static operand constant_operand(float value)
{
    operand o = {1, value, 0};
    return o;
}

/* Free o if it is a temporary. */
static void release(compiler *c, operand o)
{
    if (!o.is_constant && (o.index & TEMPORARY)) c->temporary_used[o.index & ~TEMPORARY] = 0;
}

/* The value index holding o: a named value or temporary as it is; a constant gets (or shares)
 * a slot after the named values. -1 when the program has no room. */
static int value_of(compiler *c, operand o)
{
    formula_program *p = c->program;
    if (!o.is_constant) return (int)o.index;
    for (int k = 0; k < p->constant_count; k++)
        if (!memcmp(&p->constants[k], &o.constant, sizeof o.constant))
            return p->constant_base + k;
    if (p->constant_count == FORMULA_MAX_CONSTANTS)
        return status_fail(c->err, c->errlen, THIRST_ERR_INPUT, "the formulas use more than %d "
                           "distinct constants", FORMULA_MAX_CONSTANTS), -1;
    p->constants[p->constant_count] = o.constant;
    return p->constant_base + p->constant_count++;
}

/* Append op over operands (count of them) into a new temporary; the operands are released,
 * but for a temporary whose index is `kept` (pass 0 for none: 0 is never a temporary). */
static int emit(compiler *c, int op, const operand *operands, int count, unsigned kept,
                operand *result)
{
    formula_program *p = c->program;
    int values[3] = {0, 0, 0};
    for (int k = 0; k < count; k++)
        if ((values[k] = value_of(c, operands[k])) < 0) return THIRST_ERR_INPUT;
    for (int k = count; k < 3; k++) values[k] = values[0];   /* unused: a value that is set */
    if (p->op_count == FORMULA_MAX_OPS)
        return status_fail(c->err, c->errlen, THIRST_ERR_INPUT, "the formulas need more than %d "
                           "operations", FORMULA_MAX_OPS);
    for (int k = 0; k < count; k++)
        if (operands[k].is_constant || operands[k].index != kept) release(c, operands[k]);
    int t = 0;
    while (t < MAX_TEMPORARIES && c->temporary_used[t]) t++;
    if (t == MAX_TEMPORARIES)
        return status_fail(c->err, c->errlen, THIRST_ERR_INPUT, "a formula needs more than %d "
                           "intermediate values", MAX_TEMPORARIES);
    c->temporary_used[t] = 1;
    formula_op *o = &p->ops[p->op_count++];
    *o = (formula_op){(uint16_t)op, (uint16_t)(TEMPORARY | (unsigned)t), (uint16_t)values[0],
                      (uint16_t)values[1], (uint16_t)values[2]};
    result->is_constant = 0;
    result->index = TEMPORARY | (unsigned)t;
    return THIRST_OK;
}

/* op over operands: folded when every operand is a constant, else emitted (releasing the
 * operands but a temporary `kept`, as emit). */
static int apply_keeping(compiler *c, int op, const operand *operands, int count, unsigned kept,
                         operand *result)
{
    int constant = 1;
    for (int k = 0; k < count; k++) constant &= operands[k].is_constant;
    if (!constant) return emit(c, op, operands, count, kept, result);
    *result = constant_operand(formula_apply(op, operands[0].constant,
                                             count > 1 ? operands[1].constant : 0.0f,
                                             count > 2 ? operands[2].constant : 0.0f));
    return THIRST_OK;
}

static int apply(compiler *c, int op, const operand *operands, int count, operand *result)
{
    return apply_keeping(c, op, operands, count, 0, result);
}

/* base^n for an integer n, 0 < n <= MAX_INTEGER_POWER, by a fixed chain: x^1 = x,
 * x^2k = x^k x^k, x^(2k+1) = x^2k x. base stays live throughout (the caller releases it). */
static int power_chain(compiler *c, operand base, int n, operand *result)
{
    if (n == 1) {
        *result = base;
        return THIRST_OK;
    }
    operand part, pair[2];
    int status = power_chain(c, base, n % 2 ? n - 1 : n / 2, &part);
    if (status) return status;
    pair[0] = part;
    pair[1] = n % 2 ? base : part;
    return apply_keeping(c, FORMULA_MUL, pair, 2, base.is_constant ? 0 : base.index, result);
}

/* base^n as power_chain, base released after. */
static int integer_power(compiler *c, operand base, int n, operand *result)
{
    int status = power_chain(c, base, n, result);
    if (!status && n > 1) release(c, base);
    return status;
}

static int compile_node(compiler *c, int n, operand *result);

/* a^b: multiplications for a constant integer b with 0 < |b| <= 8 (1 / that for b < 0;
 * a x 0 + 1 for b = 0: 1, but NaN for a non-finite a, which is not hidden), else FORMULA_POW. */
static int compile_power(compiler *c, const operand *operands, operand *result)
{
    float b = operands[1].constant;
    if (!operands[1].is_constant || b != floorf(b) || fabsf(b) > MAX_INTEGER_POWER)
        return apply(c, FORMULA_POW, operands, 2, result);
    if (b == 0) {
        operand product, pair[2] = {operands[0], constant_operand(0.0f)};
        int status = apply(c, FORMULA_MUL, pair, 2, &product);
        if (status) return status;
        pair[0] = product;
        pair[1] = constant_operand(1.0f);
        return apply(c, FORMULA_ADD, pair, 2, result);
    }
    operand power;
    int status = integer_power(c, operands[0], (int)fabsf(b), &power);
    if (status || b > 0) {
        *result = power;
        return status;
    }
    operand quotient[2] = {constant_operand(1.0f), power};
    return apply(c, FORMULA_DIV, quotient, 2, result);
}

/* The operand of node n: a number, a named value, or the op over its compiled children. */
static int compile_node(compiler *c, int n, operand *result)
{
    const formula_node *node = &c->tree->nodes[n];
    if (node->kind == FORMULA_NODE_NUMBER) {
        *result = constant_operand(node->number);
        return THIRST_OK;
    }
    if (node->kind == FORMULA_NODE_NAME) {
        const char *name = c->tree->text + node->start;
        for (int k = 0; k < c->names->count; k++)
            if ((int)strlen(c->names->names[k]) == node->length &&
                !strncmp(c->names->names[k], name, (size_t)node->length)) {
                result->is_constant = 0;
                result->index = (unsigned)c->names->values[k];
                return THIRST_OK;
            }
        char word[80];
        snprintf(word, sizeof word, "%.*s", node->length, name);
        const char *suggestion = units_suggest(word, c->names->names, c->names->count);
        return status_fail(c->err, c->errlen, THIRST_ERR_INPUT, "column %d: unknown name '%s'%s%s%s",
                           node->column, word, suggestion ? "; did you mean '" : "",
                           suggestion ? suggestion : "", suggestion ? "'?" : "");
    }
    operand operands[3];
    for (int k = 0; k < node->child_count; k++) {
        int status = compile_node(c, node->child[k], &operands[k]);
        if (status) return status;
    }
    int status = node->op == FORMULA_POW ? compile_power(c, operands, result)
                                         : apply(c, node->op, operands, node->child_count, result);
    if (!status && result->is_constant && !isfinite(result->constant))
        return status_fail(c->err, c->errlen, THIRST_ERR_INPUT, "column %d: this constant "
                           "expression is %s", node->column,
                           isnan(result->constant) ? "not a number (NaN)" : "infinite");
    return status;
}

void formula_program_init(formula_program *program, int named_values)
{
    memset(program, 0, sizeof *program);
    program->constant_base = named_values;
    program->value_count = named_values;
}

int formula_compile(formula_program *program, const formula_tree *tree, const formula_names *names,
                    int target, char *err, size_t errlen)
{
    compiler c = {program, tree, names, {0}, err, errlen};
    operand result;
    const int ops_before = program->op_count;
    int status = compile_node(&c, tree->root, &result);
    if (status) {
        program->op_count = ops_before;
        return status;
    }
    /* The last op writes the target directly when it made the result; else a move. */
    if (!result.is_constant && (result.index & TEMPORARY) && program->op_count > ops_before &&
        program->ops[program->op_count - 1].target == result.index) {
        program->ops[program->op_count - 1].target = (uint16_t)target;
        return THIRST_OK;
    }
    operand moved;
    if ((status = emit(&c, FORMULA_MOVE, &result, 1, 0, &moved))) {
        program->op_count = ops_before;
        return status;
    }
    program->ops[program->op_count - 1].target = (uint16_t)target;
    return THIRST_OK;
}

int formula_program_finish(formula_program *program, char *err, size_t errlen)
{
    const int first = program->constant_base + program->constant_count;
    int highest = -1;
    for (int k = 0; k < program->op_count; k++) {
        uint16_t *fields[4] = {&program->ops[k].target, &program->ops[k].a, &program->ops[k].b,
                               &program->ops[k].c};
        for (int f = 0; f < 4; f++)   /* unused operands repeat the first (emit) */
            if (*fields[f] & TEMPORARY) {
                int t = *fields[f] & ~TEMPORARY;
                highest = t > highest ? t : highest;
                *fields[f] = (uint16_t)(first + t);
            }
    }
    program->value_count = first + highest + 1;
    if (program->value_count > FORMULA_MAX_VALUES)
        return status_fail(err, errlen, THIRST_ERR_INPUT, "the formulas need %d values (named, "
                           "constants and intermediate): at most %d", program->value_count,
                           FORMULA_MAX_VALUES);
    return THIRST_OK;
}
