/* formula.h: the scenario's formulas from text to a register program (kernels/formula.h), in
 * two steps: formula_parse makes a tree (grammar of DESIGN.md section 9: `^` right-associative
 * and tighter than unary minus, comparisons loosest, functions and constants of FORMULA_OPS),
 * and formula_compile turns a tree into ops that write one named value, folding constant
 * subexpressions and expanding constant integer powers up to 8 into multiplications. Errors are
 * one line with the column ("column 18: unknown name 'x'; did you mean 'y'?"); the scenario
 * loader prefixes the file and the JSON path. Between the steps the caller orders formulas by the
 * names each uses (formula_tree_name) and finds cycles. */
#ifndef THIRST_HOST_FORMULA_H
#define THIRST_HOST_FORMULA_H

#include <stddef.h>

#include "../kernels/formula.h"

#define FORMULA_MAX_LENGTH 1000   /* characters of one formula */
#define FORMULA_MAX_NODES 256     /* numbers, names and operations of one formula */
#define FORMULA_MAX_DEPTH 48      /* nesting of parentheses, calls and operators */

enum formula_node_kind { FORMULA_NODE_NUMBER, FORMULA_NODE_NAME, FORMULA_NODE_OP };

/* One node of a parsed formula. */
typedef struct {
    int kind;                  /* enum formula_node_kind */
    int op;                    /* FORMULA_NODE_OP: enum formula_opcode */
    float number;              /* FORMULA_NODE_NUMBER: the value (pi and e included) */
    int start, length;         /* the node's name or number in the text (0-based, characters) */
    int column;                /* 1-based column for messages */
    int child[3], child_count; /* FORMULA_NODE_OP: operand nodes */
} formula_node;

/* A parsed formula; text is the caller's and must outlive the tree. */
typedef struct {
    const char *text;
    int root;
    int node_count;
    formula_node nodes[FORMULA_MAX_NODES];
} formula_tree;

/* The names a formula may use and the value index of each (below the program's constants). */
typedef struct {
    const char *const *names;
    const int *values;
    int count;
} formula_names;

/* Parse text into tree. THIRST_OK, or THIRST_ERR_INPUT with "column N: ..." in err. */
int formula_parse(const char *text, formula_tree *tree, char *err, size_t errlen);

/* Name k (0-based, in order of appearance, repeats included) that the tree uses, copied into
 * name (size bytes) with its column; 0 when there is no name k. */
int formula_tree_name(const formula_tree *tree, int k, char *name, size_t size, int *column);

/* An empty program whose caller-named values are [0, named_values). */
void formula_program_init(formula_program *program, int named_values);

/* Append the ops that compute tree into value `target` (a named value). THIRST_OK, or
 * THIRST_ERR_INPUT with "column N: ..." (an unknown name, with a suggestion; a non-finite
 * constant) or a size limit of the program in err. */
int formula_compile(formula_program *program, const formula_tree *tree, const formula_names *names,
                    int target, char *err, size_t errlen);

/* Give the temporaries their final indices, after the constants; call once after the last
 * formula_compile. THIRST_ERR_INPUT when the values exceed FORMULA_MAX_VALUES. */
int formula_program_finish(formula_program *program, char *err, size_t errlen);

/* The function name of op ("" for an operator) and its operand count. */
const char *formula_op_name(int op);
int formula_op_operands(int op);

#endif
