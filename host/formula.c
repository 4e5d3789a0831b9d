/* formula.c: the formula parser (host/formula.h): a recursive-descent parser, one function per
 * precedence level, loosest first:
 *   expression := additive (('<' | '<=' | '>' | '>=' | '==' | '!=') additive)*
 *   additive   := term (('+' | '-') term)*
 *   term       := unary (('*' | '/') unary)*
 *   unary      := ('-' | '+') unary | power
 *   power      := primary ('^' unary)?          right-associative: 2^3^2 = 2^9; -a^b = -(a^b)
 *   primary    := number | name | function '(' expression (',' expression)* ')' | '(' expression ')'
 * Numbers: digits with an optional fraction and exponent (1, 0.5, .5, 2e-3), read as the nearest
 * float. Names: a letter or '_', then letters, digits, '_'. pi and e are constants. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formula.h"
#include "status.h"
#include "units.h"

/* Function names, operand counts and the list of function names (for suggestions). */
static const char *const op_names[FORMULA_OP_COUNT] = {
#define FORMULA_OP_NAME(e, name, operands) name,
    FORMULA_OPS(FORMULA_OP_NAME)
#undef FORMULA_OP_NAME
};
static const int op_operands[FORMULA_OP_COUNT] = {
#define FORMULA_OP_OPERANDS(e, name, operands) operands,
    FORMULA_OPS(FORMULA_OP_OPERANDS)
#undef FORMULA_OP_OPERANDS
};

const char *formula_op_name(int op) { return op >= 0 && op < FORMULA_OP_COUNT ? op_names[op] : "?"; }

int formula_op_operands(int op) { return op >= 0 && op < FORMULA_OP_COUNT ? op_operands[op] : 0; }

/* The parser's position and output. */
typedef struct {
    const char *text;
    int at;            /* next character */
    int depth;         /* current nesting */
    formula_tree *tree;
    char *err;
    size_t errlen;
} parser;

/* The 1-based column of byte position at in text: UTF-8 characters, not bytes, before it. */
static int column_of(const char *text, int at)
{
    int column = 1;
    for (int k = 0; k < at && text[k]; k++) column += ((unsigned char)text[k] & 0xc0) != 0x80;
    return column;
}

/* Record "column N: message" (the format's first argument is N) and give -1. */
#define PARSE_FAIL(p, ...) \
    (status_fail((p)->err, (p)->errlen, THIRST_ERR_INPUT, "column %d: " __VA_ARGS__), -1)

static void skip_spaces(parser *p)
{
    while (p->text[p->at] == ' ' || p->text[p->at] == '\t' || p->text[p->at] == '\n' ||
           p->text[p->at] == '\r')
        p->at++;
}

/* A short description of what is at the parser's position, for messages. */
static void describe_next(const parser *p, char *out, size_t size)
{
    char c = p->text[p->at];
    if (!c)
        snprintf(out, size, "the end of the formula");
    else if (isalnum((unsigned char)c) || c == '_' || c == '.')
        snprintf(out, size, "'%.*s'", (int)strspn(p->text + p->at,
                                                   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
                                                   "TUVWXYZ0123456789_."), p->text + p->at);
    else if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
        snprintf(out, size, "character 0x%02x", (unsigned char)c);
    else
        snprintf(out, size, "'%c'", c);
}

/* A hint for what is at the parser's position when it is a common slip: `**` or a single `=`. */
static const char *power_hint(const parser *p)
{
    const char *s = p->text + p->at;
    if (!strncmp(s, "**", 2)) return " (powers are written a^b)";
    if (s[0] == '=' && s[1] != '=') return " (equality is written ==)";
    return "";
}

/* A new node; -1 (with the message) when the formula has too many. */
static int new_node(parser *p, int kind, int column)
{
    if (p->tree->node_count == FORMULA_MAX_NODES)
        return PARSE_FAIL(p, "the formula is too long: more than %d numbers, names and "
                          "operations", column, FORMULA_MAX_NODES);
    formula_node *n = &p->tree->nodes[p->tree->node_count];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->column = column;
    return p->tree->node_count++;
}

/* An op node over children (each already a node index). */
static int op_node(parser *p, int op, int column, const int *children, int count)
{
    int n = new_node(p, FORMULA_NODE_OP, column);
    if (n < 0) return -1;
    p->tree->nodes[n].op = op;
    p->tree->nodes[n].child_count = count;
    for (int k = 0; k < count; k++) p->tree->nodes[n].child[k] = children[k];
    return n;
}

static int parse_expression(parser *p);
static int parse_unary(parser *p);

/* A number at the position (the caller saw a digit or '.'). */
static int parse_number(parser *p)
{
    const char *start = p->text + p->at;
    int column = column_of(p->text, p->at), length = 0;
    while (isdigit((unsigned char)start[length])) length++;
    if (start[length] == '.') {
        length++;
        while (isdigit((unsigned char)start[length])) length++;
    }
    if (length == 1 && start[0] == '.')
        return PARSE_FAIL(p, "'.' is not a number", column);
    if (start[length] == 'e' || start[length] == 'E') {
        int k = length + 1;
        if (start[k] == '+' || start[k] == '-') k++;
        if (!isdigit((unsigned char)start[k]))
            return PARSE_FAIL(p, "number '%.*s' has no exponent digits", column, k,
                              start);
        while (isdigit((unsigned char)start[k])) k++;
        length = k;
    }
    if (isalpha((unsigned char)start[length]) || start[length] == '_')
        return PARSE_FAIL(p, "number '%.*s' runs into a name: put an operator between "
                          "them", column, length + 1, start);
    char digits[64];
    if (length >= (int)sizeof digits)
        return PARSE_FAIL(p, "number of %d characters: at most %d", column, length,
                          (int)sizeof digits - 1);
    memcpy(digits, start, (size_t)length);
    digits[length] = 0;
    errno = 0;
    float value = strtof(digits, NULL);
    if (errno == ERANGE || value > 3.40282347e38f)
        return PARSE_FAIL(p, "number '%s' is outside the float range (about 1.2e-38 to "
                          "3.4e38)", column, digits);
    int n = new_node(p, FORMULA_NODE_NUMBER, column);
    if (n < 0) return -1;
    p->tree->nodes[n].number = value;
    p->tree->nodes[n].start = p->at;
    p->tree->nodes[n].length = length;
    p->at += length;
    return n;
}

/* The function of name[0, length), or -1. */
static int function_of(const char *name, int length)
{
    for (int op = 0; op < FORMULA_OP_COUNT; op++)
        if (op_names[op][0] && (int)strlen(op_names[op]) == length &&
            !strncmp(op_names[op], name, (size_t)length))
            return op;
    return -1;
}

/* The arguments of a call to op whose name starts at column (the position is at '('). */
static int parse_call(parser *p, int op, const char *name, int length, int column)
{
    int children[3], count = 0, open = column_of(p->text, p->at);
    p->at++;   /* '(' */
    skip_spaces(p);
    if (p->text[p->at] != ')')
        for (;;) {
            int child = parse_expression(p);
            if (child < 0) return -1;
            if (count < 3) children[count] = child;
            count++;
            skip_spaces(p);
            if (p->text[p->at] != ',') break;
            p->at++;
        }
    if (p->text[p->at] != ')') {
        char next[80];
        describe_next(p, next, sizeof next);
        return PARSE_FAIL(p, "expected ',' or ')' to close the '(' at column %d, "
                          "found %s%s", column_of(p->text, p->at), open, next, power_hint(p));
    }
    p->at++;
    if (count != op_operands[op])
        return PARSE_FAIL(p, "%.*s takes %d argument%s, not %d", column, length, name,
                          op_operands[op], op_operands[op] == 1 ? "" : "s", count);
    return op_node(p, op, column, children, count);
}

/* A name, a constant or a call (the position is at a letter or '_'). */
static int parse_name(parser *p)
{
    const char *name = p->text + p->at;
    int column = column_of(p->text, p->at), length = 0;
    while (isalnum((unsigned char)name[length]) || name[length] == '_') length++;
    p->at += length;
    skip_spaces(p);
    int op = function_of(name, length);
    if (p->text[p->at] == '(') {
        if (op >= 0) return parse_call(p, op, name, length, column);
        const char *suggestion = NULL;
        const char *functions[FORMULA_OP_COUNT];
        int count = 0;
        for (int k = 0; k < FORMULA_OP_COUNT; k++)
            if (op_names[k][0]) functions[count++] = op_names[k];
        char word[64];
        snprintf(word, sizeof word, "%.*s", length, name);
        suggestion = units_suggest(word, functions, count);
        return PARSE_FAIL(p, "unknown function '%.*s'%s%s%s", column, length, name,
                          suggestion ? "; did you mean '" : "", suggestion ? suggestion : "",
                          suggestion ? "'?" : "");
    }
    if (op >= 0)
        return PARSE_FAIL(p, "'%.*s' is a function: write %.*s(...)", column, length,
                          name, length, name);
    int n = new_node(p, FORMULA_NODE_NAME, column);
    if (n < 0) return -1;
    formula_node *node = &p->tree->nodes[n];
    node->start = column - 1;
    node->length = length;
    if (length == 2 && !strncmp(name, "pi", 2)) {
        node->kind = FORMULA_NODE_NUMBER;
        node->number = 3.14159265358979f;
    } else if (length == 1 && name[0] == 'e') {
        node->kind = FORMULA_NODE_NUMBER;
        node->number = 2.71828182845905f;
    }
    return n;
}

static int parse_primary(parser *p)
{
    skip_spaces(p);
    char c = p->text[p->at];
    if (isdigit((unsigned char)c) || c == '.') return parse_number(p);
    if (isalpha((unsigned char)c) || c == '_') return parse_name(p);
    if (c == '(') {
        int open = column_of(p->text, p->at);
        p->at++;
        int inner = parse_expression(p);
        if (inner < 0) return -1;
        skip_spaces(p);
        if (p->text[p->at] != ')') {
            char next[80];
            describe_next(p, next, sizeof next);
            return PARSE_FAIL(p, "expected ')' to close the '(' at column %d, found %s%s",
                              column_of(p->text, p->at), open, next, power_hint(p));
        }
        p->at++;
        return inner;
    }
    char next[80];
    describe_next(p, next, sizeof next);
    return PARSE_FAIL(p, "expected a number, a name or '(', found %s",
                      column_of(p->text, p->at), next);
}

static int parse_power(parser *p)
{
    int base = parse_primary(p);
    if (base < 0) return -1;
    skip_spaces(p);
    if (p->text[p->at] != '^') return base;
    int column = column_of(p->text, p->at);
    p->at++;
    int exponent = parse_unary(p);   /* 2^-1, and 2^3^2 = 2^(3^2) */
    if (exponent < 0) return -1;
    int children[2] = {base, exponent};
    return op_node(p, FORMULA_POW, column, children, 2);
}

static int parse_unary(parser *p)
{
    skip_spaces(p);
    char c = p->text[p->at];
    if (c != '-' && c != '+') return parse_power(p);
    int column = column_of(p->text, p->at);
    p->at++;
    if (++p->depth > FORMULA_MAX_DEPTH)
        return PARSE_FAIL(p, "nested too deeply (at most %d levels)", column,
                          FORMULA_MAX_DEPTH);
    int operand = parse_unary(p);
    p->depth--;
    if (operand < 0 || c == '+') return operand;
    return op_node(p, FORMULA_NEG, column, &operand, 1);
}

/* The binary operator at the position among those of one level: its op and length, else 0. */
static int binary_operator(const parser *p, int level, int *op)
{
    const char *s = p->text + p->at;
    if (level == 0) {
        static const struct { const char *text; int op; } comparisons[] = {
            {"<=", FORMULA_LE}, {">=", FORMULA_GE}, {"==", FORMULA_EQ}, {"!=", FORMULA_NE},
            {"<", FORMULA_LT},  {">", FORMULA_GT}};
        for (size_t k = 0; k < sizeof comparisons / sizeof comparisons[0]; k++)
            if (!strncmp(s, comparisons[k].text, strlen(comparisons[k].text))) {
                *op = comparisons[k].op;
                return (int)strlen(comparisons[k].text);
            }
        return 0;
    }
    if (level == 1 && (*s == '+' || *s == '-')) {
        *op = *s == '+' ? FORMULA_ADD : FORMULA_SUB;
        return 1;
    }
    if (level == 2 && (*s == '*' || *s == '/') && s[1] != '*') {
        *op = *s == '*' ? FORMULA_MUL : FORMULA_DIV;
        return 1;
    }
    return 0;
}

/* Left-associative level (0: comparisons, 1: + -, 2: * /). */
static int parse_level(parser *p, int level)
{
    int left = level < 2 ? parse_level(p, level + 1) : parse_unary(p);
    for (;;) {
        if (left < 0) return -1;
        skip_spaces(p);
        int op, length = binary_operator(p, level, &op);
        if (!length) break;
        int column = column_of(p->text, p->at);
        p->at += length;
        int right = level < 2 ? parse_level(p, level + 1) : parse_unary(p);
        if (right < 0) return -1;
        int children[2] = {left, right};
        left = op_node(p, op, column, children, 2);
    }
    return left;
}

/* A whole expression (the formula, a parenthesis, an argument), at most FORMULA_MAX_DEPTH
 * nested (with unary signs). */
static int parse_expression(parser *p)
{
    if (++p->depth > FORMULA_MAX_DEPTH)
        return PARSE_FAIL(p, "nested too deeply (at most %d levels)",
                          column_of(p->text, p->at), FORMULA_MAX_DEPTH);
    int result = parse_level(p, 0);
    p->depth--;
    return result;
}

int formula_parse(const char *text, formula_tree *tree, char *err, size_t errlen)
{
    parser p = {text, 0, 0, tree, err, errlen};
    memset(tree, 0, sizeof *tree);
    tree->text = text;
    size_t length = strlen(text);
    if (length > FORMULA_MAX_LENGTH)
        return status_fail(err, errlen, THIRST_ERR_INPUT, "formula of %zu characters: at most %d",
                           length, FORMULA_MAX_LENGTH);
    skip_spaces(&p);
    if (!text[p.at]) return status_fail(err, errlen, THIRST_ERR_INPUT, "empty formula");
    tree->root = parse_expression(&p);
    if (tree->root < 0) return THIRST_ERR_INPUT;
    skip_spaces(&p);
    if (text[p.at]) {
        char next[80];
        describe_next(&p, next, sizeof next);
        const char *hint = text[p.at] == ')' ? " (no '(' is open)" : power_hint(&p);
        return status_fail(err, errlen, THIRST_ERR_INPUT, "column %d: unexpected %s after a "
                           "complete expression%s", column_of(text, p.at), next, hint);
    }
    return THIRST_OK;
}

int formula_tree_name(const formula_tree *tree, int k, char *name, size_t size, int *column)
{
    for (int n = 0; n < tree->node_count; n++) {
        const formula_node *node = &tree->nodes[n];
        if (node->kind != FORMULA_NODE_NAME || k--) continue;
        snprintf(name, size, "%.*s", node->length, tree->text + node->start);
        *column = node->column;
        return 1;
    }
    return 0;
}
