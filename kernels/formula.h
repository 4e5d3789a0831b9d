/* formula.h: the user's formulas (DESIGN.md section 9) as a flat register program that both
 * backends run: the opcodes, written once (FORMULA_OPS, as Lua's lopcodes.h), each op's float
 * semantics (formula_apply) and the interpreter (formula_run). A program works on one array of
 * float values: the caller's named values first (parameters, model inputs and outputs, at the
 * indices it gave the compiler), then the program's constants, then its temporaries. The host
 * compiles formulas into it (host/formula.c); the program holds no pointer, so it travels in
 * the plan. Every op is correctly rounded or built from kernels/fastmath.h, so the CPU and the
 * GPU compute the same bits. */
#ifndef THIRST_FORMULA_H
#define THIRST_FORMULA_H

#include "fastmath.h"
#include "hd.h"

#define FORMULA_MAX_OPS 256        /* ops of one scenario's program */
#define FORMULA_MAX_CONSTANTS 64   /* distinct constants of one program */
#define FORMULA_MAX_VALUES 512     /* named values, constants and temporaries */

/* Opcodes: X(ENUM, function name ("" for an operator), operands). The parser's table of
 * functions, the interpreter and the op names of `thirst validate` come from this list. */
#define FORMULA_OPS(X)                                                                            \
    X(MOVE, "", 1)      /* a */                                                                   \
    X(NEG, "", 1)       /* -a */                                                                  \
    X(ADD, "", 2)       /* a + b */                                                               \
    X(SUB, "", 2)       /* a - b */                                                               \
    X(MUL, "", 2)       /* a * b */                                                               \
    X(DIV, "", 2)       /* a / b */                                                               \
    X(LT, "", 2)        /* a < b: 1 or 0 */                                                       \
    X(LE, "", 2)        /* a <= b */                                                              \
    X(GT, "", 2)        /* a > b */                                                               \
    X(GE, "", 2)        /* a >= b */                                                              \
    X(EQ, "", 2)        /* a == b */                                                              \
    X(NE, "", 2)        /* a != b */                                                              \
    X(POW, "pow", 2)    /* a^b = exp(b log a) (constant integer b, |b| <= 8: multiplications) */  \
    X(EXP, "exp", 1)                                                                              \
    X(LOG, "log", 1)    /* natural */                                                             \
    X(LOG10, "log10", 1)                                                                          \
    X(SQRT, "sqrt", 1)                                                                            \
    X(ABS, "abs", 1)                                                                              \
    X(FLOOR, "floor", 1)                                                                          \
    X(CEIL, "ceil", 1)                                                                            \
    X(SIN, "sin", 1)                                                                              \
    X(COS, "cos", 1)                                                                              \
    X(MIN, "min", 2)                                                                              \
    X(MAX, "max", 2)                                                                              \
    X(CLAMP, "clamp", 3) /* min(max(a, b), c) */                                                  \
    X(IF, "if", 3)       /* b where a != 0, else c: a select, both sides evaluated */

enum formula_opcode {
#define FORMULA_OP_ENUM(e, name, operands) FORMULA_##e,
    FORMULA_OPS(FORMULA_OP_ENUM)
#undef FORMULA_OP_ENUM
    FORMULA_OP_COUNT
};

/* One op: values[target] = op(values[a], values[b], values[c]) (unused operands are 0). */
typedef struct {
    uint16_t op, target, a, b, c;
} formula_op;

/* A compiled program. Values [0, constant_base) are the caller's; [constant_base,
 * constant_base + constant_count) hold constants[]; temporaries follow, up to value_count. */
typedef struct {
    int32_t op_count;
    int32_t constant_base, constant_count;
    int32_t value_count;
    float constants[FORMULA_MAX_CONSTANTS];
    formula_op ops[FORMULA_MAX_OPS];
} formula_program;

/* NaN when either operand is (so that a comparison or a select never hides a non-finite
 * value from the run's check), else x. */
static inline HD float formula_nan_of(float a, float b, float x)
{
    return a != a ? a : (b != b ? b : x);
}

/* e^x: fastmath_expf on [-87, 88]; +inf above 88 (the run then stops on a non-finite value),
 * 0 below -87 (results under 1.6e-38 flush to zero); NaN stays NaN. */
static inline HD float formula_exp(float x)
{
    float y = fastmath_expf(x != x ? 0.0f : x);
    return x != x ? x : (x > 88.0f ? INFINITY : (x < -87.0f ? 0.0f : y));
}

/* ln x: fastmath_logf for positive normal x (subnormals scaled by 2^24 first); -inf at 0, NaN
 * below 0 and for NaN, +inf at +inf. */
static inline HD float formula_log(float x)
{
    int subnormal = x > 0.0f && x < 1.17549435e-38f;
    float normal = subnormal ? x * 16777216.0f : x;
    float y = fastmath_logf(normal > 0.0f && normal < INFINITY ? normal : 1.0f);
    y = subnormal ? y - 16.6355323f : y;   /* 24 ln 2 */
    return x > 0.0f ? (x < INFINITY ? y : x) : (x == 0.0f ? -INFINITY : NAN);
}

/* op applied to a, b, c: the semantics of every op, for the interpreter and constant folding. */
static inline HD float formula_apply(int op, float a, float b, float c)
{
    switch (op) {
    case FORMULA_MOVE: return a;
    case FORMULA_NEG: return -a;
    case FORMULA_ADD: return a + b;
    case FORMULA_SUB: return a - b;
    case FORMULA_MUL: return a * b;
    case FORMULA_DIV: return a / b;
    case FORMULA_LT: return formula_nan_of(a, b, a < b ? 1.0f : 0.0f);
    case FORMULA_LE: return formula_nan_of(a, b, a <= b ? 1.0f : 0.0f);
    case FORMULA_GT: return formula_nan_of(a, b, a > b ? 1.0f : 0.0f);
    case FORMULA_GE: return formula_nan_of(a, b, a >= b ? 1.0f : 0.0f);
    case FORMULA_EQ: return formula_nan_of(a, b, a == b ? 1.0f : 0.0f);
    case FORMULA_NE: return formula_nan_of(a, b, a != b ? 1.0f : 0.0f);
    case FORMULA_POW: return formula_exp(b * formula_log(a));
    case FORMULA_EXP: return formula_exp(a);
    case FORMULA_LOG: return formula_log(a);
    case FORMULA_LOG10: return formula_log(a) * 0.434294482f;   /* 1 / ln 10 */
    case FORMULA_SQRT: return sqrtf(a);
    case FORMULA_ABS: return fabsf(a);
    case FORMULA_FLOOR: return floorf(a);
    case FORMULA_CEIL: return ceilf(a);
    case FORMULA_SIN: return fastmath_sinf(a);
    case FORMULA_COS: return fastmath_cosf(a);
    case FORMULA_MIN: return formula_nan_of(a, b, a < b ? a : b);
    case FORMULA_MAX: return formula_nan_of(a, b, a > b ? a : b);
    case FORMULA_CLAMP: {
        float low = formula_nan_of(a, b, a > b ? a : b);
        return formula_nan_of(low, c, low < c ? low : c);
    }
    case FORMULA_IF: return a != a ? a : (a != 0.0f ? b : c);
    default: return NAN;
    }
}

/* Put the program's constants into their values: value k at values[k * stride] (the GPU keeps
 * a thread's values in shared memory, strided by the block's threads; the CPU uses stride 1). */
static inline HD void formula_load_constants_strided(const formula_program *p, float *values,
                                                     int stride)
{
    for (int k = 0; k < p->constant_count; k++)
        values[(p->constant_base + k) * stride] = p->constants[k];
}

static inline HD void formula_load_constants(const formula_program *p, float *values)
{
    formula_load_constants_strided(p, values, 1);
}

/* Run ops [first, end) of the program on one draw's values (the caller's named values
 * filled, constants loaded), value k at values[k * stride]. */
static inline HD void formula_run_range_strided(const formula_program *p, int first, int end,
                                                float *values, int stride)
{
    for (int k = first; k < end; k++) {
        const formula_op *o = &p->ops[k];
        values[o->target * stride] = formula_apply(o->op, values[o->a * stride],
                                                   values[o->b * stride], values[o->c * stride]);
    }
}

static inline HD void formula_run_range(const formula_program *p, int first, int end,
                                        float *values)
{
    formula_run_range_strided(p, first, end, values, 1);
}

/* Run the whole program on one draw's values. */
static inline HD void formula_run(const formula_program *p, float *values)
{
    formula_run_range(p, 0, p->op_count, values);
}

#endif
