/* test_formula.c: the formula language (host/formula.c, host/formula_compile.c,
 * kernels/formula.h) against a golden list: precedence and associativity (2^3^2 = 512, -2^2 =
 * -4, -a^b, a/b/c, a-b-c), integer powers of negative bases, the functions and constants,
 * comparisons and if, what constant folding and the power expansion leave to run, and every kind
 * of error with its column. Values are exact where every operation is correctly rounded (the
 * expected value is the same float expression in C); where exp or log is involved, within the
 * 2 ulp of kernels/fastmath.h per call (stated per case). Names: a = 2, b = 3, c = 5, x = -2,
 * y = 0.5, z = 0, tokens_per_query = 2000.
 * And the reference (DESIGN.md section 9): the GPT-3 training model, Ishigami and the G-function
 * written as formulas, run through formula_plan_eval without the built-in model (with a
 * contiguous value file, and strided as the GPU keeps it in shared memory), equal the built-in
 * model bit for bit on the first 1e5 draws of their scenarios. */
#include <math.h>
#include <string.h>

#include "../kernels/draw.h"
#include "../kernels/formula_plan.h"
#include "check.h"
#include "engine.h"
#include "formula.h"
#include "scenario.h"
#include "status.h"
#include "units.h"

#define NAMED 8   /* the 7 names and the result */
static const char *const test_names[7] = {"a", "b", "c", "x", "y", "z", "tokens_per_query"};
static const int indices[7] = {0, 1, 2, 3, 4, 5, 6};
static const float named_values[7] = {2, 3, 5, -2, 0.5f, 0, 2000};
enum { RESULT = 7 };

/* Compile text into a program writing RESULT and run it once; status of the compilation. */
static int evaluate(const char *text, formula_program *program, float *result, char *err,
                    size_t errlen)
{
    static formula_tree tree;
    formula_names table = {test_names, indices, 7};
    float values[FORMULA_MAX_VALUES];
    formula_program_init(program, NAMED);
    int status = formula_parse(text, &tree, err, errlen);
    if (!status) status = formula_compile(program, &tree, &table, RESULT, err, errlen);
    if (!status) status = formula_program_finish(program, err, errlen);
    if (status) return status;
    for (int k = 0; k < FORMULA_MAX_VALUES; k++) values[k] = NAN;
    memcpy(values, named_values, sizeof named_values);
    formula_load_constants(program, values);
    formula_run(program, values);
    *result = values[RESULT];
    return THIRST_OK;
}

/* Distance in float ulps of got from the exact value expected (double). */
static double ulps(float got, double expected)
{
    float nearest = (float)expected;
    double ulp = nextafterf(fabsf(nearest), INFINITY) - fabsf(nearest);
    return fabs((double)got - expected) / ulp;
}

typedef struct {
    const char *text;
    double expected;
    double tolerance_ulps;   /* 0: the float must equal (float)expected exactly */
} value_case;

static void test_values(void)
{
    const value_case cases[] = {
        {"1 + 2 * 3", 7, 0},
        {"(1 + 2) * 3", 9, 0},
        {"a - b - c", -6, 0},                             /* left: (a - b) - c */
        {"a / b / c", (2.0f / 3.0f) / 5.0f, 0},           /* left: (a / b) / c */
        {"2^3^2", 512, 4},                                /* right: 2^(3^2) = 2^9 */
        {"(2^3)^2", 64, 0},
        {"-2^2", -4, 0},                                  /* -(2^2) */
        {"-a^b", -8, 0},                                  /* -(a^b), b = 3 */
        {"(-2)^3", -8, 0},
        {"x^3", -8, 0},                                   /* negative base, integer power */
        {"x^2", 4, 0},
        {"x^-2", 0.25, 0},
        {"x^-1", -0.5, 0},
        {"x^0", 1, 0},
        {"a^8", 256, 0},
        {"2^-1", 0.5, 0},
        {"a^b", 8, 4},                                    /* exp(b log a) at run time */
        {"pow(a, 2)", 4, 0},
        {"a*-b", -6, 0},
        {"- -a", 2, 0},
        {"+a", 2, 0},
        {"log(e)", 1, 2},                                 /* natural */
        {"log(1)", 0, 0},
        {"log10(1000)", 3, 3},
        {"exp(0)", 1, 0},
        {"exp(1)", 2.718281828459045, 2},
        {"sqrt(c)", sqrtf(5.0f), 0},
        {"abs(x)", 2, 0},
        {"floor(y)", 0, 0},
        {"ceil(y)", 1, 0},
        {"floor(-2.5)", -3, 0},
        {"ceil(-2.5)", -2, 0},
        {"min(a, b)", 2, 0},
        {"max(min(a, b), sqrt(c))", sqrtf(5.0f), 0},       /* nested functions */
        {"clamp(x, 0, 1)", 0, 0},
        {"clamp(c, 0, 1)", 1, 0},
        {"clamp(y, 0, 1)", 0.5, 0},
        {"a < b", 1, 0},
        {"a <= 2", 1, 0},
        {"a >= b", 0, 0},
        {"a > b", 0, 0},
        {"a == 2", 1, 0},
        {"a != 2", 0, 0},
        {"a + 1 < b * 2", 1, 0},                          /* comparisons bind loosest */
        {"if(a < b, 10, 20)", 10, 0},
        {"if(a > b, 10, 20)", 20, 0},
        {"pi", 3.14159265358979f, 0},
        {"e", 2.71828182845905f, 0},
        {"sin(0)", 0, 0},
        {"cos(0)", 1, 0},
        {"sin(pi / 2)", 1, 1},
        {"1e3 * y", 500, 0},
        {".5 + 0.25", 0.75, 0},
        {"2E-1", 0.2f, 0},
        {"tokens_per_query / 1000 * 0.3", (2000.0f / 1000.0f) * 0.3f, 0},
        {"  a\t+\nb ", 5, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char err[THIRST_ERR_LEN];
        formula_program program;
        float got = NAN;
        int status = evaluate(cases[k].text, &program, &got, err, sizeof err);
        CHECK(status == THIRST_OK, "'%s': %s", cases[k].text, err);
        if (status) continue;
        if (cases[k].tolerance_ulps == 0)
            CHECK(got == (float)cases[k].expected, "'%s' = %.9g, expected %.9g", cases[k].text,
                  got, (float)cases[k].expected);
        else
            CHECK(ulps(got, cases[k].expected) <= cases[k].tolerance_ulps,
                  "'%s' = %.9g, %.2g ulps from %.9g (at most %g)", cases[k].text, got,
                  ulps(got, cases[k].expected), cases[k].expected, cases[k].tolerance_ulps);
    }
}

/* Values that are not finite at run time stay so (the run stops on them, not averages them). */
static void test_non_finite(void)
{
    const struct {
        const char *text;
        int nan;   /* 1: NaN, 0: +-inf */
    } cases[] = {{"1 / z", 0}, {"log(z)", 0}, {"log(x)", 1}, {"x^0.5", 1}, {"sqrt(x)", 1},
                 {"exp(a * 100)", 0}, {"min(log(x), 1)", 1}, {"log(x) < 1", 1},
                 {"if(log(x), 1, 2)", 1}, {"clamp(log(x), 0, 1)", 1}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char err[THIRST_ERR_LEN];
        formula_program program;
        float got = 0;
        int status = evaluate(cases[k].text, &program, &got, err, sizeof err);
        CHECK(status == THIRST_OK && (cases[k].nan ? isnan(got) : isinf(got)),
              "'%s' = %g, expected %s (%s)", cases[k].text, got, cases[k].nan ? "NaN" : "inf",
              status ? err : "compiled");
    }
}

/* What folding and the power expansion leave: op and constant counts, and few temporaries. */
static void test_program_shape(void)
{
    const struct {
        const char *text;
        int ops, constants;
    } cases[] = {
        {"2 * 3 + 1", 1, 1},          /* folded to 7: one move */
        {"a * (2 + 3)", 1, 1},        /* a * 5 */
        {"-2^2 + a", 1, 1},           /* -4 + a */
        {"x^2", 1, 0},                /* x * x */
        {"x^3", 2, 0},
        {"x^8", 3, 0},                /* squared three times */
        {"x^-2", 2, 1},               /* 1 / (x * x) */
        {"x^9", 1, 1},                /* pow(x, 9): exp(9 log x) */
        {"a", 1, 0},                  /* a move */
        {"log(1) + a", 1, 1},         /* 0 + a: folding does not simplify algebra */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char err[THIRST_ERR_LEN];
        formula_program program;
        float got;
        int status = evaluate(cases[k].text, &program, &got, err, sizeof err);
        CHECK(status == THIRST_OK && program.op_count == cases[k].ops &&
                  program.constant_count == cases[k].constants,
              "'%s': %d ops and %d constants, expected %d and %d (%s)", cases[k].text,
              program.op_count, program.constant_count, cases[k].ops, cases[k].constants,
              status ? err : "compiled");
    }
    /* A long sum reuses its temporaries: a handful of values past the named ones. */
    char err[THIRST_ERR_LEN];
    formula_program program;
    float got;
    int status = evaluate("a + b * (c + x * (y + a * (b + c))) + a * b + c * x + y", &program,
                          &got, err, sizeof err);
    CHECK(status == THIRST_OK && program.value_count - NAMED - program.constant_count <= 4,
          "a nested formula uses %d temporaries (expected at most 4)",
          program.value_count - NAMED - program.constant_count);
}

typedef struct {
    const char *text;
    const char *message;   /* the whole error line */
} error_case;

static void test_errors(void)
{
    static char deep[200], long_text[1100], many[800];
    memset(deep, '(', 60);
    strcpy(deep + 60, "a");
    memset(long_text, ' ', 1001);
    long_text[0] = 'a';
    long_text[1001] = 0;
    strcpy(many, "a");
    for (int k = 0; k < 150; k++) strcat(many, "+a");
    const error_case cases[] = {
        {"", "empty formula"},
        {"   ", "empty formula"},
        {"a +", "column 4: expected a number, a name or '(', found the end of the formula"},
        {"(a + b", "column 7: expected ')' to close the '(' at column 1, found the end of the "
                   "formula"},
        {"a + b)", "column 6: unexpected ')' after a complete expression (no '(' is open)"},
        {"a ** b", "column 3: unexpected '*' after a complete expression (powers are written "
                   "a^b)"},
        {"a = b", "column 3: unexpected '=' after a complete expression (equality is written ==)"},
        {"(a ** 2)", "column 4: expected ')' to close the '(' at column 1, found '*' (powers are "
                     "written a^b)"},
        {"a b", "column 3: unexpected 'b' after a complete expression"},
        {"tokens_per_qery / 1000",
         "column 1: unknown name 'tokens_per_qery'; did you mean 'tokens_per_query'?"},
        {"a + qqqqqqq", "column 5: unknown name 'qqqqqqq'"},
        {"sqrtt(a)", "column 1: unknown function 'sqrtt'; did you mean 'sqrt'?"},
        {"a(2)", "column 1: unknown function 'a'"},
        {"min(a)", "column 1: min takes 2 arguments, not 1"},
        {"1 + clamp(a, b)", "column 5: clamp takes 3 arguments, not 2"},
        {"if(a, b, c, a)", "column 1: if takes 3 arguments, not 4"},
        {"sqrt()", "column 1: sqrt takes 1 argument, not 0"},
        {"min(a,)", "column 7: expected a number, a name or '(', found ')'"},
        {"min(a b)", "column 7: expected ',' or ')' to close the '(' at column 4, found 'b'"},
        {"exp", "column 1: 'exp' is a function: write exp(...)"},
        {"2a", "column 1: number '2a' runs into a name: put an operator between them"},
        {"1e", "column 1: number '1e' has no exponent digits"},
        {"1e39", "column 1: number '1e39' is outside the float range (about 1.2e-38 to 3.4e38)"},
        {"1e-50", "column 1: number '1e-50' is outside the float range (about 1.2e-38 to "
                  "3.4e38)"},
        {".", "column 1: '.' is not a number"},
        {"$a", "column 1: expected a number, a name or '(', found '$'"},
        {"a \xc3\x97 b", "column 3: unexpected character 0xc3 after a complete expression"},
        {"log(-1)", "column 1: this constant expression is not a number (NaN)"},
        {"a + 1 / 0", "column 7: this constant expression is infinite"},
        {deep, "column 49: nested too deeply (at most 48 levels)"},
        {long_text, "formula of 1001 characters: at most 1000"},
        {many, "column 256: the formula is too long: more than 256 numbers, names and "
               "operations"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char err[THIRST_ERR_LEN] = "";
        formula_program program;
        float got;
        int status = evaluate(cases[k].text, &program, &got, err, sizeof err);
        CHECK(status == THIRST_ERR_INPUT && !strcmp(err, cases[k].message),
              "'%.40s': status %d, message\n  '%s'\nexpected\n  '%s'", cases[k].text, status, err,
              cases[k].message);
    }
}

/* Several formulas in one program: later ones read earlier results; constants are shared. */
static void test_program_of_several(void)
{
    char err[THIRST_ERR_LEN];
    formula_program program;
    static formula_tree tree;
    static const char *const more_names[3] = {"a", "b", "twice_a"};
    static const int more_values[3] = {0, 1, 2};
    formula_names table = {more_names, more_values, 3};
    formula_program_init(&program, 4);
    int status = formula_parse("a * 2", &tree, err, sizeof err);
    if (!status) status = formula_compile(&program, &tree, &table, 2, err, sizeof err);
    if (!status) status = formula_parse("twice_a * 2 + b", &tree, err, sizeof err);
    if (!status) status = formula_compile(&program, &tree, &table, 3, err, sizeof err);
    if (!status) status = formula_program_finish(&program, err, sizeof err);
    CHECK(status == THIRST_OK && program.constant_count == 1, "two formulas: %s, %d constants",
          status ? err : "compiled", program.constant_count);
    float values[FORMULA_MAX_VALUES] = {1.5f, 4};
    formula_load_constants(&program, values);
    formula_run(&program, values);
    CHECK(values[2] == 3.0f && values[3] == 10.0f, "twice_a = %g (3), result = %g (10)",
          values[2], values[3]);
    char name[64];
    int column = 0;
    CHECK(formula_tree_name(&tree, 0, name, sizeof name, &column) && !strcmp(name, "twice_a") &&
              column == 1 && formula_tree_name(&tree, 1, name, sizeof name, &column) &&
              !strcmp(name, "b") && column == 15 &&
              !formula_tree_name(&tree, 2, name, sizeof name, &column),
          "names of 'twice_a * 2 + b'");
}

/* The model of scenario `path` written as formulas (texts[k] computes model output outs[k],
 * reading the input parameters inputs[]; later formulas read earlier results as y0, y1, ...):
 * on the first 1e5 draws, formula_plan_eval without the built-in model gives the built-in
 * model's outputs bit for bit. */
static void check_reference(const char *path, const char *const *inputs, int input_count,
                            const char *const *texts, const int *outs, int count)
{
    char err[THIRST_ERR_LEN];
    scenario s;
    draw_plan plan;
    static formula_plan f;
    static formula_tree tree;
    static char result_names[MODEL_OUTPUT_COUNT][16];
    if (scenario_load(path, &s, err, sizeof err) ||
        engine_plan_make(&s, 100000, 0, ENGINE_MANTISSA_BITS, &plan, err, sizeof err)) {
        CHECK(0, "%s: %s", path, err);
        return;
    }
    const char *names[FORMULA_MAX_LOADS];
    int values[FORMULA_MAX_LOADS];
    memset(&f, 0, sizeof f);
    f.input_count = input_count;
    for (int k = 0; k < input_count; k++) {
        const units_param *u = units_param_find(inputs[k]);
        f.input_slot[k] = (uint16_t)(u ? u->slot : 0);
        names[k] = inputs[k];
        values[k] = k;
    }
    formula_program_init(&f.program, input_count + count);
    int status = THIRST_OK;
    for (int k = 0; k < count && !status; k++) {
        formula_names table = {names, values, input_count + k};
        status = formula_parse(texts[k], &tree, err, sizeof err);
        if (!status) status = formula_compile(&f.program, &tree, &table, input_count + k, err,
                                              sizeof err);
        snprintf(result_names[k], sizeof result_names[k], "y%d", k);
        names[input_count + k] = result_names[k];
        values[input_count + k] = input_count + k;
        f.user_output_value[k] = (uint16_t)(input_count + k);
    }
    if (!status) status = formula_program_finish(&f.program, err, sizeof err);
    CHECK(status == THIRST_OK, "%s: formulas: %s", path, err);
    f.user_output_count = count;
    long mismatches = 0;
    for (uint64_t i = 0; !status && i < plan.draws; i++) {
        uint32_t words[DRAW_MAX_WORDS];
        float inputs_of_draw[DRAW_INPUT_SLOTS] = {0}, model[DRAW_OUTPUTS];
        float formula_outputs[DRAW_OUTPUTS], strided_outputs[DRAW_OUTPUTS];
        static float scratch[FORMULA_MAX_VALUES], strided[FORMULA_MAX_VALUES * 7];
        draw_words(plan.seed, i, plan.word_count, words);
        draw_eval(&plan, s.prior_data, i, words, inputs_of_draw, model);
        formula_plan_eval(&f, &plan.model, inputs_of_draw, formula_outputs, scratch);
        /* the GPU's layout: value k of this thread at k * threads (here 7 threads) */
        formula_plan_eval_strided(&f, &plan.model, inputs_of_draw, strided_outputs, strided + 3, 7);
        for (int k = 0; k < count; k++)
            mismatches += memcmp(&model[outs[k]], &formula_outputs[MODEL_OUTPUT_COUNT + k],
                                 sizeof(float)) != 0 ||
                          memcmp(&model[outs[k]], &strided_outputs[MODEL_OUTPUT_COUNT + k],
                                 sizeof(float)) != 0;
    }
    CHECK(mismatches == 0, "%s: %ld of %llu x %d outputs differ from the built-in model", path,
          mismatches, (unsigned long long)plan.draws, count);
    scenario_free(&s);
}

static void test_reference_models(void)
{
    const char *const footprint_inputs[] = {"accelerators", "hours", "accelerator_kw", "pue",
                                            "wue_onsite", "ewif", "carbon_intensity"};
    const char *const footprint[] = {
        "accelerators * hours * accelerator_kw",    /* y0: IT energy, kWh */
        "y0 * pue",                                  /* y1: facility energy */
        "y0 * wue_onsite",                           /* y2: on-site water, L */
        "y1 * ewif",                                 /* y3: off-site water */
        "y2 + y3",                                   /* y4: total water */
        "y1 * carbon_intensity"};                    /* y5: carbon, kg */
    const int footprint_outputs[] = {OUT_IT_ENERGY, OUT_FACILITY_ENERGY, OUT_WATER_ONSITE,
                                     OUT_WATER_OFFSITE, OUT_WATER_TOTAL, OUT_CARBON};
    check_reference("priors/gpt3-training-us.json", footprint_inputs, 7, footprint,
                    footprint_outputs, 6);

    /* Ishigami with a = 7, b = 0.1 (the scenario's), in the built-in model's order of
     * operations: b x3^2 x3^2 is (b x3^2) x3^2, and a sin^2 x2 is (a sin x2) sin x2. */
    const char *const ishigami_inputs[] = {"x1", "x2", "x3"};
    const char *const ishigami[] = {"sin(x1) * (1 + 0.1 * x3^2 * x3^2) + 7 * sin(x2) * sin(x2)"};
    const int first_output[] = {0};
    check_reference("priors/benchmarks/ishigami.json", ishigami_inputs, 3, ishigami,
                    first_output, 1);

    scenario g;
    char err[THIRST_ERR_LEN], text[1000] = "1";
    if (scenario_load("priors/benchmarks/gfunction.json", &g, err, sizeof err)) {
        CHECK(0, "gfunction: %s", err);
        return;
    }
    const char *const g_inputs[] = {"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8"};
    for (int i = 0; i < g.model.coefficient_count; i++) {
        char factor[120];
        snprintf(factor, sizeof factor, " * ((abs(4 * x%d - 2) + %.9g) / (1 + %.9g))", i + 1,
                 (double)g.model.coefficient[i], (double)g.model.coefficient[i]);
        strcat(text, factor);
    }
    const char *const gfunction[] = {text};
    check_reference("priors/benchmarks/gfunction.json", g_inputs, g.model.coefficient_count,
                    gfunction, first_output, 1);
    scenario_free(&g);
}

int main(void)
{
    test_values();
    test_non_finite();
    test_program_shape();
    test_errors();
    test_program_of_several();
    test_reference_models();
    return check_done("test_formula");
}
