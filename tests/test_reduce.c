/* test_reduce.c: the GPU kernels' index math (kernels/launch.h) and fixed-order reductions
 * (kernels/reduce.h), run on the CPU, so that what only a GPU executes is a few lines of glue.
 *  1. Work units and lanes tile a range of draws exactly, in order, tails and idle lanes
 *     included; every launch shape's grid-stride loop visits every unit of a launch once.
 *  2. Sobol chunks fall into batches consistently (batch_of_chunk inverts first_chunk).
 *  3. The lockstep emulation of a warp's shuffle tree equals the pairwise tree written
 *     recursively (same operations in the same order: bit for bit), for full and partial warps
 *     and an empty one; integer-valued sums are exact.
 *  4. A whole GPU unit emulated on the CPU (lanes over the CPU reference's draws, the warp tree,
 *     the unit's warps in order), for a full unit and a tail of 1,000 draws (a partial warp and
 *     seven empty ones): n, min and max exact, the sums within the float lanes' rounding bound
 *     64 x 2^-24 x sum |x - shift| (plus the double tree's 2^-50 of the same) of the exact
 *     sums.
 *  5. The Sobol design's chunk sums added to their batches in launches of any size give the same
 *     sums (sobol_add_chunks, the host's half of the design on the GPU).
 *  6. A whole GPU run emulated on the CPU (every unit through the kernel's arithmetic, merged as
 *     the CUDA backend merges it, its counts conserved) holds test_gpu's own bounds
 *     (tests/gpu_agreement.h) against the CPU backend. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/launch.h"
#include "../kernels/reduce.h"
#include "../kernels/sobol.h"
#include "check.h"
#include "emulate_unit.h"
#include "gpu_agreement.h"
#include "backend.h"
#include "engine.h"
#include "scenario.h"
#include "status.h"

/* Units of unit_draws tile [first_draw, first_draw + draws) in order; GPU lanes tile each GPU
 * unit in order, idle past the end. */
static void test_units_and_lanes(void)
{
    const uint64_t first_draw = 1000, draws = 3 * (uint64_t)LAUNCH_UNIT_DRAWS + 1000;
    uint64_t units = launch_unit_count(draws, LAUNCH_UNIT_DRAWS), next = first_draw, total = 0;
    CHECK(units == 4, "units of %llu draws: %llu, expected 4", (unsigned long long)draws,
          (unsigned long long)units);
    int lanes_idle = 0, tiled = 1;
    for (uint64_t u = 0; u < units; u++) {
        uint64_t count = launch_unit_draws(first_draw, draws, u, LAUNCH_UNIT_DRAWS);
        tiled &= launch_unit_first(first_draw, u, LAUNCH_UNIT_DRAWS) == next;
        uint64_t lane_next = next;
        for (int lane = 0; lane < LAUNCH_UNIT_LANES; lane++) {
            int lane_draws = launch_lane_draws(first_draw, draws, u, lane);
            if (lane_draws == 0) {
                lanes_idle++;
                continue;
            }
            tiled &= launch_lane_first(first_draw, u, lane) == lane_next;
            tiled &= lane_draws <= LAUNCH_LANE_DRAWS;
            lane_next += (uint64_t)lane_draws;
        }
        tiled &= lane_next == next + count;
        next += count;
        total += count;
    }
    CHECK(tiled && total == draws && next == first_draw + draws,
          "units and lanes do not tile the draws in order");
    /* The tail unit holds 1,000 draws: lanes 0..14 full, lane 15 with 40, 240 lanes idle. */
    CHECK(launch_unit_draws(first_draw, draws, 3, LAUNCH_UNIT_DRAWS) == 1000 &&
              launch_lane_draws(first_draw, draws, 3, 15) == 40 && lanes_idle == 240,
          "tail unit: %llu draws, lane 15 takes %d, %d idle lanes",
          (unsigned long long)launch_unit_draws(first_draw, draws, 3, LAUNCH_UNIT_DRAWS),
          launch_lane_draws(first_draw, draws, 3, 15), lanes_idle);
    CHECK(launch_unit_draws(first_draw, draws, 4, LAUNCH_UNIT_DRAWS) == 0,
          "a unit past the end has draws");
    CHECK(launch_unit_count(4 * (uint64_t)ENGINE_UNIT_DRAWS, ENGINE_UNIT_DRAWS) == 4 &&
              launch_unit_count(4 * (uint64_t)ENGINE_UNIT_DRAWS + 1, ENGINE_UNIT_DRAWS) == 5,
          "CPU unit count");
}

/* The grid-stride loop of cuda_run.cu visits every unit of a launch exactly once, for several
 * shapes (blocks x units per block). */
static void test_grid_stride(void)
{
    const int shapes[][2] = {{37, 1}, {500, 2}, {1, 1}, {3, 2}, {1000, 1}};
    const uint64_t unit_count = 777;
    int *seen = calloc(unit_count, sizeof *seen);
    if (!seen) return;
    for (int k = 0; k < 5; k++) {
        int grid = shapes[k][0], slots = launch_block_slots(shapes[k][1] * LAUNCH_UNIT_LANES);
        memset(seen, 0, unit_count * sizeof *seen);
        for (int block = 0; block < grid; block++)
            for (uint64_t step = 0;; step++) {
                if (launch_slot_unit(block, grid, slots, 0, step) >= unit_count) break;
                for (int slot = 0; slot < slots; slot++) {
                    uint64_t unit = launch_slot_unit(block, grid, slots, slot, step);
                    if (unit < unit_count) seen[unit]++;
                }
            }
        int once = 1;
        for (uint64_t u = 0; u < unit_count; u++) once &= seen[u] == 1;
        CHECK(once, "grid %d x %d units per block does not visit every unit once", grid, slots);
    }
    free(seen);
}

/* Chunks fall into batches: batch_of_chunk(c) = b exactly when first_chunk(b) <= c <
 * first_chunk(b + 1). */
static void test_batches(void)
{
    const uint64_t chunk_counts[] = {1, 7, 63, 64, 65, 1000, 1025, 1048576};
    const int batch_counts[] = {1, 7, 64};
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 3; j++) {
            uint64_t chunks = chunk_counts[i];
            int batches = batch_counts[j] < (int)chunks ? batch_counts[j] : (int)chunks;
            int consistent = launch_batch_first_chunk(chunks, batches, 0) == 0 &&
                             launch_batch_first_chunk(chunks, batches, batches) == chunks;
            uint64_t step = chunks > 5000 ? 997 : 1;
            for (uint64_t c = 0; c < chunks; c += step) {
                int b = launch_batch_of_chunk(chunks, batches, c);
                consistent &= b >= 0 && b < batches &&
                              launch_batch_first_chunk(chunks, batches, b) <= c &&
                              c < launch_batch_first_chunk(chunks, batches, b + 1);
            }
            CHECK(consistent, "%llu chunks in %d batches: inconsistent",
                  (unsigned long long)chunks, batches);
        }
}

/* The pairwise tree of the warp reduction written recursively: after the step with offset d,
 * lane i holds combine(step 2d's lane i, step 2d's lane i + d); before any step (d = 32),
 * the lanes' own values. Lane 0's final value is tree(x, 0, 1). */
static accum_moments tree(const accum_moments *x, int lane, int offset)
{
    if (offset == LAUNCH_WARP) return x[lane];
    return accum_moments_combine(tree(x, lane, 2 * offset), tree(x, lane + offset, 2 * offset));
}

/* Deterministic pseudo-random doubles over many magnitudes (so the order of the adds shows). */
static double wide_value(uint64_t *state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    double mantissa = (double)(*state >> 11) * 0x1p-53;
    int exponent = (int)((*state >> 3) % 40) - 20;
    return ldexp(mantissa - 0.5, exponent);
}

static void test_warp_lockstep(void)
{
    uint64_t state = 12345;
    const int active_counts[] = {32, 31, 17, 16, 1, 0};
    for (int t = 0; t < 6; t++) {
        int active = active_counts[t];
        accum_moments lanes[LAUNCH_WARP], copy[LAUNCH_WARP];
        uint64_t n = 0, bad = 0;
        float low = INFINITY, high = -INFINITY;
        for (int i = 0; i < LAUNCH_WARP; i++) {
            lanes[i] = accum_moments_empty();
            if (i >= active) continue;   /* an idle lane contributes nothing */
            lanes[i].n = (uint64_t)(i % 5 + 1);
            lanes[i].nonfinite = (uint64_t)(i % 3 == 0);
            lanes[i].sum = wide_value(&state);
            lanes[i].sum_squares = fabs(wide_value(&state));
            lanes[i].min = (float)wide_value(&state);
            lanes[i].max = lanes[i].min + 1.0f;
            n += lanes[i].n;
            bad += lanes[i].nonfinite;
            low = fminf(low, lanes[i].min);
            high = fmaxf(high, lanes[i].max);
        }
        memcpy(copy, lanes, sizeof copy);
        accum_moments expected = tree(copy, 0, 1);
        accum_moments got = reduce_warp_lockstep(lanes);
        CHECK(memcmp(&got.sum, &expected.sum, sizeof got.sum) == 0 &&
                  memcmp(&got.sum_squares, &expected.sum_squares, sizeof got.sum) == 0,
              "%d active lanes: the lockstep sums %.17g/%.17g differ from the tree's %.17g/%.17g",
              active, got.sum, got.sum_squares, expected.sum, expected.sum_squares);
        CHECK(got.n == n && got.nonfinite == bad && got.min == low && got.max == high,
              "%d active lanes: n %llu/%llu, bad %llu/%llu, extremes %g %g / %g %g", active,
              (unsigned long long)got.n, (unsigned long long)n, (unsigned long long)got.nonfinite,
              (unsigned long long)bad, (double)got.min, (double)got.max, (double)low,
              (double)high);
    }
    /* Integer-valued sums are exact whatever the order. */
    accum_moments lanes[LAUNCH_WARP];
    double exact = 0;
    for (int i = 0; i < LAUNCH_WARP; i++) {
        lanes[i] = accum_moments_empty();
        lanes[i].sum = (double)((i * 7919) % 1000) - 500;
        exact += lanes[i].sum;
    }
    CHECK(reduce_warp_lockstep(lanes).sum == exact, "integer sums: %g, expected %g",
          reduce_warp_lockstep(lanes).sum, exact);
}

static void test_emulated_unit(void)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load("priors/gpt3-training-us.json", &s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    draw_plan plan;
    const uint64_t draws = (uint64_t)LAUNCH_UNIT_DRAWS + 1000;
    if (engine_plan_make(&s, draws, 99, ENGINE_MANTISSA_BITS_GPU, &plan, err, sizeof err)) {
        CHECK(0, "plan: %s", err);
        scenario_free(&s);
        return;
    }
    for (uint64_t unit = 0; unit < 2; unit++)
        for (int o = 0; o < plan.output_count; o++) {
            accum_moments got = emulate_unit(&plan, s.prior_data, unit, o);
            uint64_t first = launch_unit_first(0, unit, LAUNCH_UNIT_DRAWS);
            uint64_t count = launch_unit_draws(0, draws, unit, LAUNCH_UNIT_DRAWS);
            long double sum = 0, squares = 0, magnitude = 0, magnitude_squares = 0;
            float low = INFINITY, high = -INFINITY;
            for (uint64_t i = first; i < first + count; i++) {
                float inputs[DRAW_INPUT_SLOTS], outputs[DRAW_OUTPUTS];
                engine_eval_draw(&plan, s.prior_data, i, NULL, inputs, outputs);
                float x = outputs[o];
                long double shifted = (long double)(x - plan.shift[o]);   /* as the lanes */
                sum += shifted;
                squares += shifted * shifted;
                magnitude += fabsl(shifted);
                magnitude_squares += shifted * shifted;
                low = fminf(low, x);
                high = fmaxf(high, x);
            }
            const double bound = 64 * 0x1p-24 + 0x1p-50;
            const char *name = scenario_output_name(&s, plan.outputs[o]);
            CHECK(got.n == count && got.nonfinite == 0 && got.min == low && got.max == high,
                  "unit %llu %s: n %llu/%llu, extremes %g %g / %g %g", (unsigned long long)unit,
                  name, (unsigned long long)got.n, (unsigned long long)count, (double)got.min,
                  (double)got.max, (double)low, (double)high);
            CHECK(fabsl((long double)got.sum - sum) <= bound * magnitude &&
                      fabsl((long double)got.sum_squares - squares) <=
                          2 * bound * magnitude_squares,
                  "unit %llu %s: sums %.12g %.12g, exact %.12Lg %.12Lg", (unsigned long long)unit,
                  name, got.sum, got.sum_squares, sum, squares);
        }
    scenario_free(&s);
}

/* The host's half of the Sobol design on the GPU: chunk sums added in launches of 1000, 7 and 3
 * chunks give the same batch sums bit for bit, for all batches and for a range of them. */
static void test_sobol_chunks(void)
{
    enum { CHUNKS = 1000, BATCHES = 64, LENGTH = 10 };
    double *partials = malloc(CHUNKS * LENGTH * sizeof *partials);
    double *sums = calloc(3 * BATCHES * LENGTH, sizeof *sums);
    if (!partials || !sums) return;
    uint64_t state = 7;
    for (int k = 0; k < CHUNKS * LENGTH; k++) partials[k] = wide_value(&state);
    const int launches[3] = {CHUNKS, 7, 3};
    for (int k = 0; k < 3; k++)
        for (uint64_t first = 0; first < CHUNKS; first += (uint64_t)launches[k]) {
            uint64_t count = CHUNKS - first < (uint64_t)launches[k] ? CHUNKS - first
                                                                  : (uint64_t)launches[k];
            sobol_add_chunks(partials + first * LENGTH, first, count, CHUNKS, BATCHES, 0, LENGTH,
                             sums + k * BATCHES * LENGTH);
        }
    for (int k = 1; k < 3; k++)
        CHECK(memcmp(sums, sums + k * BATCHES * LENGTH, BATCHES * LENGTH * sizeof *sums) == 0,
              "Sobol chunks added in launches of %d differ from one launch", launches[k]);
    /* Batches [5, 20) alone, rows 0..14, equal those rows of all batches. */
    double part[15 * LENGTH] = {0};
    uint64_t begin = launch_batch_first_chunk(CHUNKS, BATCHES, 5);
    uint64_t end = launch_batch_first_chunk(CHUNKS, BATCHES, 20);
    sobol_add_chunks(partials + begin * LENGTH, begin, end - begin, CHUNKS, BATCHES, 5, LENGTH, part);
    CHECK(memcmp(part, sums + 5 * LENGTH, sizeof part) == 0,
          "Sobol batches [5, 20) alone differ from the same batches of the whole design");
    free(partials);
    free(sums);
}

/* The Sobol kernel's chunk sums (cuda_sobol.cu): each pass's draws write their terms to shared
 * rows, then each of the chunk's SOBOL_CHUNK threads adds the terms it owns in row order
 * (sobol_rows_add). Emulated here thread by thread for passes of 64, 16, 8 and 1 draws, full
 * chunks and a partial one (50 draws), they equal bit for bit the sums of a single thread adding
 * every term of its chunk in draw order (emulate_sobol_chunk: the kernel's earlier design, which
 * test_gpu holds the device to). The index math only: the device's barriers and launch are
 * test_gpu's. */
static void test_sobol_passes(void)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    draw_plan plan;
    if (scenario_load("priors/gpt3-training-us.json", &s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    const uint64_t base_draws = 2 * SOBOL_CHUNK + 50;
    if (engine_plan_make(&s, base_draws, 11, ENGINE_MANTISSA_BITS_GPU, &plan, err, sizeof err)) {
        CHECK(0, "plan: %s", err);
        scenario_free(&s);
        return;
    }
    const int length = SOBOL_TERMS(&plan);
    const int stride = sobol_row_stride(length);
    CHECK(stride % 2 == 1 && stride >= length, "row stride %d for %d terms", stride, length);
    CHECK(sobol_pass_rows(length, 1, SOBOL_SHARED_BYTES) == SOBOL_CHUNK,
          "the GPT-3 design's %d terms: a chunk's rows should fit 48 KiB in one pass", length);
    CHECK(sobol_pass_rows(SOBOL_DEVICE_MAX_TERMS, 1, SOBOL_SHARED_BYTES) >= 8,
          "the largest design (%d terms) should pass at least 8 draws at once",
          SOBOL_DEVICE_MAX_TERMS);
    float *rows = malloc((size_t)SOBOL_CHUNK * (size_t)stride * sizeof *rows);
    float expected[SOBOL_MAX_TERMS], sums[SOBOL_CHUNK][SOBOL_OWNED_TERMS];
    for (uint64_t first = 0; rows && first < base_draws; first += SOBOL_CHUNK) {
        const int draws = base_draws - first < SOBOL_CHUNK ? (int)(base_draws - first)
                                                           : SOBOL_CHUNK;
        emulate_sobol_chunk(&plan, s.prior_data, first / SOBOL_CHUNK, base_draws, expected);
        const int pass_sizes[4] = {64, 16, 8, 1};
        for (int k = 0; k < 4; k++) {
            const int pass_rows = pass_sizes[k];
            memset(sums, 0, sizeof sums);
            for (int pass = 0; pass < draws; pass += pass_rows) {
                const int pass_draws = draws - pass < pass_rows ? draws - pass : pass_rows;
                for (int thread = 0; thread < pass_draws; thread++) {   /* the evaluation */
                    uint64_t i = first + (uint64_t)(pass + thread);
                    uint32_t words_a[DRAW_MAX_WORDS], words_b[DRAW_MAX_WORDS];
                    draw_words(plan.seed, i, plan.word_count, words_a);
                    draw_words(plan.seed, SOBOL_B_STREAM + i, plan.word_count, words_b);
                    sobol_draw(&plan, s.prior_data, i, words_a, words_b, rows + thread * stride);
                }
                for (int thread = 0; thread < SOBOL_CHUNK; thread++)   /* the row sums */
                    sobol_rows_add(rows, pass_draws, length, thread, sums[thread]);
            }
            int mismatches = 0;
            for (int j = 0; j < length; j++)
                mismatches += memcmp(&sums[j % SOBOL_CHUNK][j / SOBOL_CHUNK], &expected[j],
                                     sizeof(float)) != 0;
            CHECK(mismatches == 0,
                  "chunk at %llu (%d draws), passes of %d: %d of %d term sums differ from one "
                  "thread's sums in draw order", (unsigned long long)first, draws, pass_rows,
                  mismatches, length);
        }
    }
    free(rows);
    scenario_free(&s);
}

/* The Sobol design as the device sums it (float chunks of 64 draws, widened into batches:
 * emulate_sobol_batches) against the CPU backend's double sums of the same terms, GPT-3
 * scenario, 12,338 base draws (a partial chunk), 64 batches: every batch's every term within the
 * float chunks' rounding bound, 64 x 2^-24 of the batch's sum of |term| (computed here in
 * double). */
static void test_emulated_sobol(void)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    draw_plan plan;
    run_state cpu;
    if (scenario_load("priors/gpt3-training-us.json", &s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    const uint64_t base_draws = 3 * 64 * SOBOL_CHUNK + 50;
    const int batches = 64;
    backend_options options = {.threads = 2};
    backend_job job = {.plan = &plan, .data = s.prior_data, .options = &options};
    int status = engine_plan_make(&s, base_draws, 5, ENGINE_MANTISSA_BITS_GPU, &plan, err,
                                  sizeof err);
    const int length = SOBOL_TERMS(&plan);
    if (!status) status = run_state_alloc(&cpu, plan.output_count, 0, err, sizeof err);
    if (!status) status = run_state_alloc_sobol(&cpu, batches, length, err, sizeof err);
    if (!status) status = backend_cpu()->sobol(&job, base_draws, 0, batches, &cpu, err, sizeof err);
    double *emulated = malloc((size_t)batches * (size_t)length * sizeof *emulated);
    double *magnitude = calloc((size_t)batches * (size_t)length, sizeof *magnitude);
    CHECK(status == THIRST_OK && emulated && magnitude, "CPU Sobol design: %s", err);
    if (!status && emulated && magnitude) {
        emulate_sobol_batches(&plan, s.prior_data, base_draws, batches, emulated);
        const uint64_t chunks = launch_unit_count(base_draws, SOBOL_CHUNK);
        for (uint64_t i = 0; i < base_draws; i++) {
            uint32_t words_a[DRAW_MAX_WORDS], words_b[DRAW_MAX_WORDS];
            float terms[SOBOL_MAX_TERMS];
            draw_words(plan.seed, i, plan.word_count, words_a);
            draw_words(plan.seed, SOBOL_B_STREAM + i, plan.word_count, words_b);
            sobol_draw(&plan, s.prior_data, i, words_a, words_b, terms);
            int batch = launch_batch_of_chunk(chunks, batches, i / SOBOL_CHUNK);
            for (int j = 0; j < length; j++)
                magnitude[(size_t)batch * (size_t)length + (size_t)j] += fabs((double)terms[j]);
        }
        int outside = 0;
        double worst = 0;
        for (size_t k = 0; k < (size_t)batches * (size_t)length; k++) {
            double bound = 64.0 * 0x1p-24 * magnitude[k];
            double difference = fabs(cpu.sobol_sums[k] - emulated[k]);
            outside += !(difference <= bound);
            if (bound > 0 && difference / bound > worst) worst = difference / bound;
        }
        CHECK(outside == 0, "%d of %d Sobol batch sums outside the float chunks' bound", outside,
              batches * length);
        printf("emulated Sobol design: largest CPU-GPU difference %.2g of the rounding bound\n",
               worst);
    }
    free(emulated);
    free(magnitude);
    if (!status) run_state_free(&cpu);
    scenario_free(&s);
}

/* A whole GPU run of the GPT-3 scenario (4e6 draws: 245 units, a tail) emulated on the CPU
 * with the kernel's arithmetic, merged as the CUDA backend merges it, holds the GPU test's own
 * bounds (tests/gpu_agreement.h) against the CPU backend: the float-accumulation design is
 * checked without a GPU. */
static void test_emulated_run(void)
{
    scenario s;
    char err[THIRST_ERR_LEN];
    if (scenario_load("priors/gpt3-training-us.json", &s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    const uint64_t draws = 4000000;
    draw_plan cpu_plan, gpu_plan;
    run_state cpu, gpu;
    backend_options options = {.threads = 2};
    backend_job job = {.plan = &cpu_plan, .data = s.prior_data, .options = &options};
    int status = engine_plan_make(&s, draws, 7, ENGINE_MANTISSA_BITS, &cpu_plan, err, sizeof err);
    if (!status) status = engine_plan_make(&s, draws, 7, ENGINE_MANTISSA_BITS_GPU, &gpu_plan, err,
                                           sizeof err);
    if (!status) status = run_state_alloc(&cpu, cpu_plan.output_count, cpu_plan.hist_total, err,
                                          sizeof err);
    if (!status) status = run_state_alloc(&gpu, gpu_plan.output_count, gpu_plan.hist_total, err,
                                          sizeof err);
    if (!status) status = backend_cpu()->run(&job, NULL, &cpu, err, sizeof err);
    uint64_t units = launch_unit_count(draws, LAUNCH_UNIT_DRAWS);
    for (uint64_t u = 0; !status && u < units; u++) {
        accum_moments moments[MODEL_OUTPUT_COUNT];
        emulate_unit_all(&gpu_plan, s.prior_data, u, moments, gpu.hist);
        status = run_state_add_units(&gpu, moments, 1, err, sizeof err);
    }
    if (!status) status = run_state_check_counts(&gpu, gpu_plan.hist_offset, gpu_plan.hist, err,
                                                 sizeof err);
    CHECK(status == THIRST_OK, "emulated run: %s", err);
    gpu_agreement_largest largest = {0};
    for (int o = 0; !status && o < cpu_plan.output_count; o++) {
        stats_output c, g;
        stats_compute(&cpu_plan, &cpu, NULL, o, &s, &c);
        stats_compute(&gpu_plan, &gpu, NULL, o, &s, &g);
        char why[256];
        const char *name = scenario_output_name(&s, cpu_plan.outputs[o]);
        CHECK(gpu_agreement(&c, &g, why, sizeof why), "%s: emulated GPU run against the CPU: %s",
              name, why);
        gpu_agreement_track(&largest, &c, &g, name);
    }
    if (!status) gpu_agreement_print(&largest, "emulated 4e6-draw GPT-3 run (CPU, no GPU)");
    run_state_free(&cpu);
    run_state_free(&gpu);
    scenario_free(&s);
}

int main(void)
{
    test_sobol_chunks();
    test_sobol_passes();
    test_emulated_sobol();
    test_units_and_lanes();
    test_grid_stride();
    test_batches();
    test_warp_lockstep();
    test_emulated_unit();
    test_emulated_run();
    return check_done("test_reduce");
}
