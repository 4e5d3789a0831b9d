/* test_state.c: the mergeable state (host/state.h) and its exact sums (host/exact_sum.h).
 * - exact_sum against an independent exact reference: 20,000 random doubles in
 *   [2^-20, 2^20) of either sign summed in a 128-bit integer (lowest bit 2^-80, so every one of
 *   them is exact) and rounded by the compiler's 128-bit integer to double conversion; the long
 *   accumulator's value equals it bit for bit, and does not depend on the order of the adds or
 *   on how they are split and merged. Cancellation (x, then -x) returns exactly to 0; extremes
 *   (the largest double, the smallest subnormal) survive a round trip.
 * - The run state of the GPT-3 scenario's work units [0, a) merged with that of [a, n) equals
 *   the state of [0, n) byte for byte (serialised), for a = 1, 7, 16 and n - 1 of n = 31 units
 *   (the last one partial), and the serialisation reads back into the same bytes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "backend.h"
#include "engine.h"
#include "exact_sum.h"
#include "state.h"
#include "../kernels/sobol.h"
#include "status.h"

__extension__ typedef __int128 int128;   /* gcc's and clang's 128-bit integer */

/* A reproducible random double in [2^-20, 2^20) of either sign (xorshift64*). */
static double random_double(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    uint64_t r = *state * 0x2545F4914F6CDD1Dull;
    double mantissa = (double)(r >> 11) * 0x1p-53;   /* [0, 1) */
    int exponent = (int)((r >> 3) % 40) - 20;
    double x = ldexp(1.0 + mantissa, exponent);
    return (r & 1) ? -x : x;
}

static void test_exact_sum(void)
{
    enum { COUNT = 20000 };
    double *values = malloc(COUNT * sizeof *values);
    if (!values) return;
    uint64_t seed = 12345;
    int128 reference = 0;   /* in units of 2^-80 */
    for (int k = 0; k < COUNT; k++) {
        values[k] = random_double(&seed);
        reference += (int128)ldexp(values[k], 80);   /* exact: at most 21 + 52 + 80 bits */
    }
    double expected = ldexp((double)reference, -80);
    exact_sum forward, backward, split_a, split_b;
    memset(&forward, 0, sizeof forward);
    memset(&backward, 0, sizeof backward);
    memset(&split_a, 0, sizeof split_a);
    memset(&split_b, 0, sizeof split_b);
    for (int k = 0; k < COUNT; k++) exact_sum_add(&forward, values[k]);
    for (int k = COUNT - 1; k >= 0; k--) exact_sum_add(&backward, values[k]);
    for (int k = 0; k < COUNT; k++) exact_sum_add(k < 7777 ? &split_a : &split_b, values[k]);
    exact_sum_merge(&split_a, &split_b);
    double value = exact_sum_value(&forward);
    CHECK(value == expected, "exact sum %.17g, reference %.17g", value, expected);
    CHECK(memcmp(&forward, &backward, sizeof forward) == 0 &&
              memcmp(&forward, &split_a, sizeof forward) == 0,
          "exact sum depends on the order or the split of the adds");
    /* Cancellation and extremes. */
    exact_sum s;
    memset(&s, 0, sizeof s);
    for (int k = 0; k < COUNT; k++) exact_sum_add(&s, values[k]);
    for (int k = 0; k < COUNT; k++) exact_sum_add(&s, -values[k]);
    CHECK(exact_sum_value(&s) == 0, "x then -x: %g", exact_sum_value(&s));
    const double extremes[] = {1.7976931348623157e308, -1.7976931348623157e308, 4.9e-324,
                               -4.9e-324, 2.2250738585072014e-308, 1.0, -0.75};
    for (size_t k = 0; k < sizeof extremes / sizeof extremes[0]; k++) {
        memset(&s, 0, sizeof s);
        exact_sum_add(&s, extremes[k]);
        CHECK(exact_sum_value(&s) == extremes[k], "round trip of %.17g gave %.17g", extremes[k],
              exact_sum_value(&s));
    }
    /* 1 + 2^-60 + 2^-60 ... (2^10 times) = 1 + 2^-50: a sequential double sum stays at 1. */
    memset(&s, 0, sizeof s);
    exact_sum_add(&s, 1.0);
    for (int k = 0; k < 1024; k++) exact_sum_add(&s, 0x1p-60);
    CHECK(exact_sum_value(&s) == 1.0 + 0x1p-50, "1 + 1024 x 2^-60 = %.17g", exact_sum_value(&s));
    free(values);
}

/* Run draws [first unit, end unit) of plan into a fresh state. */
static int run_units(const draw_plan *plan, const float *data, uint64_t first_unit,
                     uint64_t end_unit, run_state *state)
{
    char err[THIRST_ERR_LEN];
    draw_plan part = *plan;
    uint64_t end = end_unit * ENGINE_UNIT_DRAWS;
    if (end > plan->draws) end = plan->draws;
    part.first_draw = first_unit * ENGINE_UNIT_DRAWS;
    part.draws = end - part.first_draw;
    backend_options options = {.threads = 2};
    int status = run_state_alloc(state, plan->output_count, plan->hist_total, err, sizeof err);
    backend_job job = {.plan = &part, .data = data, .options = &options};
    if (!status) status = backend_cpu()->run(&job, NULL, state, err, sizeof err);
    CHECK(status == THIRST_OK, "run units [%llu, %llu): %s", (unsigned long long)first_unit,
          (unsigned long long)end_unit, err);
    return status;
}

/* The serialised bytes of a state (caller frees). */
static unsigned char *serialise(const run_state *s, size_t *bytes)
{
    *bytes = run_state_bytes(s);
    unsigned char *out = malloc(*bytes);
    if (out && run_state_serialize(s, out, *bytes) != *bytes) {
        free(out);
        out = NULL;
    }
    return out;
}

static void test_merge_split(void)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load("priors/gpt3-training-us.json", &s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    const uint64_t draws = 30 * ENGINE_UNIT_DRAWS + 12345, units = 31;
    draw_plan plan;
    if (engine_plan_make(&s, draws, 77, ENGINE_MANTISSA_BITS, &plan, err, sizeof err)) {
        CHECK(0, "plan: %s", err);
        scenario_free(&s);
        return;
    }
    run_state whole;
    if (run_units(&plan, s.prior_data, 0, units, &whole)) return;
    size_t whole_bytes;
    unsigned char *expected = serialise(&whole, &whole_bytes);
    const uint64_t splits[] = {1, 7, 16, units - 1};
    for (int k = 0; k < 4 && expected; k++) {
        run_state head, tail;
        if (run_units(&plan, s.prior_data, 0, splits[k], &head)) continue;
        if (run_units(&plan, s.prior_data, splits[k], units, &tail)) {
            run_state_free(&head);
            continue;
        }
        CHECK(run_state_merge(&head, &tail, err, sizeof err) == THIRST_OK, "merge: %s", err);
        size_t bytes;
        unsigned char *merged = serialise(&head, &bytes);
        CHECK(merged && bytes == whole_bytes && memcmp(merged, expected, bytes) == 0,
              "state of units [0, %llu) + [%llu, %llu) differs from [0, %llu)",
              (unsigned long long)splits[k], (unsigned long long)splits[k],
              (unsigned long long)units, (unsigned long long)units);
        free(merged);
        run_state_free(&head);
        run_state_free(&tail);
    }
    /* The serialisation reads back into the same bytes. */
    run_state copy;
    if (expected && run_state_deserialize(&copy, expected, whole_bytes, err, sizeof err) == THIRST_OK) {
        size_t bytes;
        unsigned char *again = serialise(&copy, &bytes);
        CHECK(again && bytes == whole_bytes && memcmp(again, expected, bytes) == 0,
              "serialised state does not read back");
        free(again);
        run_state_free(&copy);
    } else {
        CHECK(0, "deserialise: %s", err);
    }
    /* A damaged serialisation is refused, not read. */
    if (expected) {
        CHECK(run_state_deserialize(&copy, expected, whole_bytes - 1, err, sizeof err) ==
                  THIRST_ERR_INPUT, "a truncated state was accepted");
        expected[0] = 'X';
        CHECK(run_state_deserialize(&copy, expected, whole_bytes, err, sizeof err) ==
                  THIRST_ERR_INPUT, "a state with a bad header was accepted");
    }
    free(expected);
    run_state_free(&whole);
    scenario_free(&s);
}

/* Sobol batches [first, end) of plan's design (base draws plan->draws) on the CPU backend into
 * a fresh state with a Sobol part of `batches` batches. */
static int sobol_batches(const draw_plan *plan, const float *data, int batches, int first,
                         int end, run_state *state)
{
    char err[THIRST_ERR_LEN];
    backend_options options = {.threads = 2};
    backend_job job = {.plan = plan, .data = data, .options = &options};
    int terms = SOBOL_TERMS(plan);
    int status = run_state_alloc(state, plan->output_count, 0, err, sizeof err);
    if (!status) status = run_state_alloc_sobol(state, batches, terms, err, sizeof err);
    if (!status) status = backend_cpu()->sobol(&job, plan->draws, first, end, state, err, sizeof err);
    CHECK(status == THIRST_OK, "Sobol batches [%d, %d): %s", first, end, err);
    return status;
}

/* The Sobol part merges too: batches [0, a) then [a, 64) give the bytes of [0, 64), for several
 * a; batches that do not follow on are refused. */
static void test_merge_sobol(void)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load("priors/gpt3-training-us.json", &s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    const int batches = 64;
    draw_plan plan;
    if (engine_plan_make(&s, 64 * SOBOL_CHUNK * 5 + 17, 31, ENGINE_MANTISSA_BITS, &plan, err,
                         sizeof err)) {
        CHECK(0, "plan: %s", err);
        scenario_free(&s);
        return;
    }
    run_state whole;
    if (sobol_batches(&plan, s.prior_data, batches, 0, batches, &whole)) return;
    size_t whole_bytes;
    unsigned char *expected = serialise(&whole, &whole_bytes);
    const int splits[] = {1, 17, 40, 63};
    for (int k = 0; k < 4 && expected; k++) {
        run_state head, tail;
        if (sobol_batches(&plan, s.prior_data, batches, 0, splits[k], &head)) continue;
        if (sobol_batches(&plan, s.prior_data, batches, splits[k], batches, &tail)) {
            run_state_free(&head);
            continue;
        }
        CHECK(run_state_merge(&head, &tail, err, sizeof err) == THIRST_OK, "merge: %s", err);
        size_t bytes;
        unsigned char *merged = serialise(&head, &bytes);
        CHECK(merged && bytes == whole_bytes && memcmp(merged, expected, bytes) == 0,
              "Sobol state of batches [0, %d) + [%d, %d) differs from [0, %d)", splits[k],
              splits[k], batches, batches);
        free(merged);
        run_state_free(&head);
        run_state_free(&tail);
    }
    /* A state holding batches [3, 10) reads back into the same bytes and the same range. */
    run_state part, copy;
    if (!sobol_batches(&plan, s.prior_data, batches, 3, 10, &part)) {
        size_t bytes;
        unsigned char *serialised = serialise(&part, &bytes);
        int status = serialised ? run_state_deserialize(&copy, serialised, bytes, err, sizeof err)
                                : THIRST_ERR_RUNTIME;
        CHECK(status == THIRST_OK, "deserialise a Sobol state: %s", err);
        if (!status) {
            size_t again_bytes;
            unsigned char *again = serialise(&copy, &again_bytes);
            CHECK(again && again_bytes == bytes && memcmp(again, serialised, bytes) == 0 &&
                      copy.sobol_first == 3 && copy.sobol_end == 10,
                  "a Sobol state does not read back (batches [%d, %d))", copy.sobol_first,
                  copy.sobol_end);
            free(again);
            run_state_free(&copy);
        }
        free(serialised);
        run_state_free(&part);
    }
    run_state early, late;
    if (!sobol_batches(&plan, s.prior_data, batches, 0, 10, &early) &&
        !sobol_batches(&plan, s.prior_data, batches, 20, 30, &late)) {
        CHECK(run_state_merge(&early, &late, err, sizeof err) == THIRST_ERR_RUNTIME,
              "merging Sobol batches [20, 30) after [0, 10) was accepted");
        run_state_free(&early);
        run_state_free(&late);
    }
    free(expected);
    run_state_free(&whole);
    scenario_free(&s);
}

/* Merges whose limbs carry and borrow across the sign (two's complement limbs): every pair of a
 * few values, split at every point, merged, equals the exact sum; and the rounding to double
 * keeps a sticky bit below the last place. */
static void test_exact_merge_signs(void)
{
    const double values[] = {1.0, -0.5, -1.0, 0.25, 0x1p-1000, -0x1p-1000, 0x1p900, -0x1p900,
                             3.0, -0x1p-60};
    const int count = (int)(sizeof values / sizeof values[0]);
    int failures = 0;
    for (int a = 0; a < count; a++)
        for (int b = 0; b < count; b++)
            for (int c = 0; c < count; c++) {
                const double triple[3] = {values[a], values[b], values[c]};
                exact_sum whole, left, right;
                memset(&whole, 0, sizeof whole);
                for (int k = 0; k < 3; k++) exact_sum_add(&whole, triple[k]);
                for (int split = 0; split <= 3; split++) {
                    memset(&left, 0, sizeof left);
                    memset(&right, 0, sizeof right);
                    for (int k = 0; k < 3; k++) exact_sum_add(k < split ? &left : &right, triple[k]);
                    exact_sum_merge(&left, &right);
                    failures += memcmp(&left, &whole, sizeof whole) != 0;
                }
            }
    CHECK(failures == 0, "%d merges of signed triples differ from one accumulator", failures);
    exact_sum one, minus_half;
    memset(&one, 0, sizeof one);
    memset(&minus_half, 0, sizeof minus_half);
    exact_sum_add(&one, 1.0);
    exact_sum_add(&minus_half, -0.5);
    exact_sum_merge(&one, &minus_half);
    CHECK(exact_sum_value(&one) == 0.5, "1 merged with -0.5: %.17g", exact_sum_value(&one));
    exact_sum_add(&one, -0.75);
    CHECK(exact_sum_value(&one) == -0.25, "then -0.75: %.17g", exact_sum_value(&one));
    /* 1 + 2^-53 is a tie, which rounds to even (1); 2^-200 more breaks it upwards. */
    exact_sum tie;
    memset(&tie, 0, sizeof tie);
    exact_sum_add(&tie, 1.0);
    exact_sum_add(&tie, 0x1p-53);
    CHECK(exact_sum_value(&tie) == 1.0, "1 + 2^-53 = %.17g, expected 1 (tie to even)",
          exact_sum_value(&tie));
    exact_sum_add(&tie, 0x1p-200);
    CHECK(exact_sum_value(&tie) == 1.0 + 0x1p-52, "1 + 2^-53 + 2^-200 = %.17g, expected "
          "1 + 2^-52", exact_sum_value(&tie));
}

/* Non-finite counts, extremes and both sums survive unit adds and merges. */
static void test_merge_counts(void)
{
    char err[THIRST_ERR_LEN];
    run_state a, b;
    if (run_state_alloc(&a, 2, 4, err, sizeof err) || run_state_alloc(&b, 2, 4, err, sizeof err)) {
        CHECK(0, "alloc: %s", err);
        return;
    }
    accum_moments first = {3, 1.5, 2.25, -1.0f, 4.0f, 2}, second = {5, -0.5, 0.75, -3.0f, 2.0f, 1};
    run_state_add_unit(&a, 1, &first);
    run_state_add_unit(&b, 1, &second);
    b.hist[2] = 7;
    CHECK(run_state_merge(&a, &b, err, sizeof err) == THIRST_OK, "merge: %s", err);
    const state_moments *m = &a.moments[1];
    CHECK(m->n == 8 && m->nonfinite == 3 && m->min == -3.0f && m->max == 4.0f &&
              run_state_sum(&a, 1) == 1.0 && run_state_sum_squares(&a, 1) == 3.0 && a.hist[2] == 7,
          "merged: n %llu, non-finite %llu, extremes %g %g, sums %g %g, counter %llu",
          (unsigned long long)m->n, (unsigned long long)m->nonfinite, (double)m->min,
          (double)m->max, run_state_sum(&a, 1), run_state_sum_squares(&a, 1),
          (unsigned long long)a.hist[2]);
    run_state_free(&a);
    run_state_free(&b);
}

/* The host's half of a GPU run: unit partials added in launches of 21, 7 and 3 units give the
 * same state byte for byte; a unit whose float sums overflowed is a device error; the count
 * check passes a real run and catches a lost or doubled count. */
static void test_device_merge(void)
{
    char err[THIRST_ERR_LEN];
    enum { UNITS = 21, OUTPUTS = 3 };
    accum_moments partials[UNITS * OUTPUTS];
    uint64_t seed = 99;
    for (int k = 0; k < UNITS * OUTPUTS; k++) {
        double a = random_double(&seed), b = random_double(&seed);
        accum_moments m = {(uint64_t)(k % 7 + 1), a, b * b, (float)-fabs(a), (float)fabs(b), 0};
        partials[k] = m;
    }
    const int launches[3] = {21, 7, 3};
    unsigned char *bytes[3] = {NULL, NULL, NULL};
    size_t sizes[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        run_state s;
        int status = run_state_alloc(&s, OUTPUTS, 0, err, sizeof err);
        for (int first = 0; !status && first < UNITS; first += launches[k]) {
            int count = UNITS - first < launches[k] ? UNITS - first : launches[k];
            status = run_state_add_units(&s, &partials[first * OUTPUTS], (uint64_t)count, err,
                                         sizeof err);
        }
        CHECK(status == THIRST_OK, "units in launches of %d: %s", launches[k], err);
        if (!status) bytes[k] = serialise(&s, &sizes[k]);
        run_state_free(&s);
    }
    for (int k = 1; k < 3; k++)
        CHECK(bytes[0] && bytes[k] && sizes[0] == sizes[k] && memcmp(bytes[0], bytes[k], sizes[0]) == 0,
              "units added in launches of %d differ from one launch", launches[k]);
    for (int k = 0; k < 3; k++) free(bytes[k]);
    run_state s;
    if (run_state_alloc(&s, OUTPUTS, 0, err, sizeof err) == THIRST_OK) {
        partials[4].sum_squares = INFINITY;
        CHECK(run_state_add_units(&s, partials, UNITS, err, sizeof err) == THIRST_ERR_DEVICE,
              "a unit whose float sums overflowed was accepted");
        run_state_free(&s);
    }

    scenario sc;
    if (scenario_load("priors/gpt3-training-us.json", &sc, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    draw_plan plan;
    run_state run;
    if (engine_plan_make(&sc, 100000, 5, ENGINE_MANTISSA_BITS, &plan, err, sizeof err) ||
        run_units(&plan, sc.prior_data, 0, 2, &run)) {
        CHECK(0, "plan: %s", err);
        scenario_free(&sc);
        return;
    }
    CHECK(run_state_check_counts(&run, plan.hist_offset, plan.hist, err, sizeof err) == THIRST_OK,
          "a CPU run fails the count check: %s", err);
    run.hist[plan.hist_offset[1] + 3] += 1;
    CHECK(run_state_check_counts(&run, plan.hist_offset, plan.hist, err, sizeof err) ==
              THIRST_ERR_DEVICE && strstr(err, "output 1"),
          "a doubled count passes the count check");
    run_state_free(&run);
    scenario_free(&sc);
}

int main(void)
{
    test_exact_sum();
    test_device_merge();
    test_exact_merge_signs();
    test_merge_counts();
    test_merge_split();
    test_merge_sobol();
    return check_done("test_state");
}
