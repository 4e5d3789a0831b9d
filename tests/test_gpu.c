/* test_gpu.c: the CUDA backend against the CPU reference (ctest label gpu). Without a usable
 * CUDA device (or in a build without CUDA) it prints why and exits 77, which ctest reports as
 * skipped, never as passed. bench/gpu_check.sh runs it first.
 *  1. Every draw is the same bits on both backends: for the first 65,536 draws of every
 *     scenario in priors/, priors/benchmarks/ and tests/formulas/ (formulas: the kernels' value
 *     files in shared memory) and of one scenario with every distribution,
 *     the uniform words (cuRAND's curand_Philox4x32_10 on the counters of stream
 *     (seed, draw), kernels/cuda_words.cuh, against kernels/philox.h), the inputs and the reported outputs of draw_eval on the device equal
 *     the CPU reference's bit for bit (no FMA contraction: nvcc -fmad=false; no CUDA math
 *     function whose result differs from the CPU's: kernels/fastmath.h). 65,536 draws of a
 *     scenario with 6 words reach a refined tail cell (probability 6e-5 per word) about 24
 *     times, so the far-tail path is compared too.
 *  2. A 1e8-draw run of the GPT-3 training scenario agrees with the CPU backend's within
 *     tests/gpu_agreement.h's bounds (the same draws in float lanes against doubles: means
 *     within 1e-2 standard errors, sd within 1e-4, extremes and n exactly, quantiles within the
 *     histograms' resolutions; test_reduce holds a CPU emulation of the kernel to the same
 *     bounds), and the histogram holds n.
 *  3. Two launch shapes (256 threads x 37 blocks, 512 x 500: two units per block) give
 *     bit-identical states.
 *  4. Exact quantiles of a 1e7-draw run on the device (refinement passes) equal the CPU's bit
 *     for bit: the same order statistics of the same values.
 *  5. A run in 1, 3 and 7 launches, and with the histogram in global memory, gives the same
 *     state byte for byte; the Sobol design in launches of 5 chunks the same batch sums, equal
 *     to the CPU emulation of its float chunk sums (a partial chunk included); the refinement
 *     passes in launches of 1.6e6 draws the same exact quantiles.
 *  6. The device's unit partials equal the CPU emulation of the kernel (tests/emulate_unit.h)
 *     bit for bit, for two full units and a tail: the same correctly rounded operations in the
 *     same order.
 *  7. Sobol indices of the GPT-3 scenario from 2^18 base draws on the device agree with the
 *     CPU's within 1e-4: the same terms, summed in float chunks of 64 (relative error below
 *     4e-6 of the summed magnitudes) against doubles; indices are ratios of such sums, whose
 *     batch-means standard errors here are about 3e-3, so 1e-4 is far below the statistical
 *     error and far above the rounding.
 *  8. Formulas: the GPT-3 training model written as formulas gives the built-in model's device
 *     state byte for byte (one launch, 7-unit launches, the global histogram, 512-thread
 *     blocks); priors/reasoning-query-2025.json (formulas around the model) passes 2, 4 and 7;
 *     and the GPT-3 formula model's exact
 *     quantiles on the device equal the CPU's, and its Sobol batch sums equal the built-in
 *     model's byte for byte.
 *  9. Correlated inputs: priors/gpt3-training-us-correlated.json (a 3-parameter block, on the
 *     general kernels) passes 1, 2, 4 and 7; tests/correlations/ (every kind of prior, and a
 *     choice, as a correlated member) passes 1. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/draw.h"
#include "backend.h"
#include "backend_cuda.h"
#include "../kernels/cuda_api.h"
#include "../kernels/launch.h"
#include "../kernels/sobol.h"
#include "check.h"
#include "emulate_unit.h"
#include "gpu_agreement.h"
#include "gpu_first_draws.h"
#include "engine.h"
#include "runner.h"
#include "sensitivity.h"
#include "scenario.h"
#include "stats.h"
#include "status.h"

#define SKIP 77
#define FIRST_DRAWS 65536

/* Every distribution the kernels sample, in one inference scenario. */
static const char *ALL_DISTRIBUTIONS =
    "{\"scenario\": \"all\", \"workload\": \"inference\", \"params\": {"
    "\"wh_per_query\": {\"dist\": \"pert\", \"low\": 0.1, \"mode\": 0.3, \"high\": 3, \"basis\": \"it\"},"
    "\"site\": {\"dist\": \"choice\", \"options\": ["
    "  {\"name\": \"a\", \"weight\": 1, \"values\": {\"pue\": 1.1, \"ewif\": 2}},"
    "  {\"name\": \"b\", \"weight\": 2, \"values\": {\"pue\": 1.3, \"ewif\": 5}}]},"
    "\"wue_onsite\": {\"dist\": \"beta\", \"alpha\": 2, \"beta\": 5, \"low\": 0, \"high\": 2},"
    "\"carbon_intensity\": {\"dist\": \"normal\", \"mean\": 0.4, \"sd\": 0.1, \"low\": 0.3, \"high\": 0.6},"
    "\"queries\": {\"dist\": \"loguniform\", \"low\": 1e6, \"high\": 1e9},"
    "\"price\": {\"dist\": \"triangular\", \"low\": 0.05, \"mode\": 0.08, \"high\": 0.2},"
    "\"bottle_ml\": {\"dist\": \"uniform\", \"low\": 330, \"high\": 1000}}}";

/* Draws [0, FIRST_DRAWS) of s on the device equal the CPU reference's bit for bit. */
static void test_first_draws(const scenario *s, const char *name)
{
    char err[THIRST_ERR_LEN];
    draw_plan plan;
    if (engine_plan_make(s, FIRST_DRAWS, 2024, ENGINE_MANTISSA_BITS, &plan, err, sizeof err)) {
        CHECK(0, "%s: plan: %s", name, err);
        return;
    }
    gpu_first_draws_check(&plan, s, FIRST_DRAWS, name);
}

static void test_run_against_cpu(const scenario *s, uint64_t draws)
{
    char err[THIRST_ERR_LEN];
    draw_plan cpu_plan, gpu_plan, shape_plan;
    run_state cpu = {0}, gpu = {0}, shaped = {0};   /* freed on every path */
    backend_options options = {.threads = omp_get_num_procs()};
    backend_options small = {.block_threads = 256, .grid_blocks = 37};
    backend_options large = {.block_threads = 512, .grid_blocks = 500};
    backend_job cpu_job = {.plan = &cpu_plan, .data = s->prior_data, .options = &options};
    backend_job small_job = {.plan = &gpu_plan, .data = s->prior_data, .options = &small};
    backend_job large_job = {.plan = &shape_plan, .data = s->prior_data, .options = &large};
    int status = engine_plan_make(s, draws, 7, ENGINE_MANTISSA_BITS, &cpu_plan, err, sizeof err);
    status = status ? status : engine_plan_make(s, draws, 7, ENGINE_MANTISSA_BITS_GPU, &gpu_plan, err, sizeof err);
    status = status ? status : engine_plan_make(s, draws, 7, ENGINE_MANTISSA_BITS_GPU, &shape_plan, err, sizeof err);
    status = status ? status : run_state_alloc(&cpu, cpu_plan.output_count, cpu_plan.hist_total, err, sizeof err);
    status = status ? status : run_state_alloc(&gpu, gpu_plan.output_count, gpu_plan.hist_total, err, sizeof err);
    status = status ? status : run_state_alloc(&shaped, shape_plan.output_count, shape_plan.hist_total, err, sizeof err);
    status = status ? status : backend_cpu()->run(&cpu_job, NULL, &cpu, err, sizeof err);
    status = status ? status : backend_cuda()->run(&small_job, NULL, &gpu, err, sizeof err);
    status = status ? status : backend_cuda()->run(&large_job, NULL, &shaped, err, sizeof err);
    CHECK(status == THIRST_OK, "1e8-draw runs: %s", err);
    if (status) {
        run_state_free(&cpu);
        run_state_free(&gpu);
        run_state_free(&shaped);
        return;
    }
    size_t bytes = run_state_bytes(&gpu);
    unsigned char *one = malloc(bytes), *other = malloc(bytes);
    CHECK(one && other && run_state_serialize(&gpu, one, bytes) == bytes &&
              run_state_serialize(&shaped, other, bytes) == bytes && memcmp(one, other, bytes) == 0,
          "states differ between launch shapes 256x37 and 512x500");
    free(one);
    free(other);
    gpu_agreement_largest largest = {0};
    for (int o = 0; o < cpu_plan.output_count; o++) {
        stats_output c, g;
        stats_compute(&cpu_plan, &cpu, NULL, o, s, &c);
        stats_compute(&gpu_plan, &gpu, NULL, o, s, &g);
        const char *name = scenario_output_name(s, cpu_plan.outputs[o]);
        CHECK(c.n == g.n && g.n == cpu_plan.draws, "%s: n %llu vs %llu", name, (unsigned long long)c.n,
              (unsigned long long)g.n);
        uint64_t counted = 0;
        for (int k = 0; k < gpu_plan.hist[o].bins + 2; k++)
            counted += gpu.hist[gpu_plan.hist_offset[o] + k];
        CHECK(counted == g.n && gpu.moments[o].nonfinite == 0,
              "%s: the GPU histogram holds %llu values of %llu draws (%llu non-finite)", name,
              (unsigned long long)counted, (unsigned long long)g.n,
              (unsigned long long)gpu.moments[o].nonfinite);
        char why[256];
        CHECK(gpu_agreement(&c, &g, why, sizeof why), "%s: %s", name, why);
        gpu_agreement_track(&largest, &c, &g, name);
    }
    char label[200];
    snprintf(label, sizeof label, "%s, %llu draws on the device", s->id, (unsigned long long)draws);
    gpu_agreement_print(&largest, label);
    run_state_free(&cpu);
    run_state_free(&gpu);
    run_state_free(&shaped);
}

static void test_exact_quantiles(const scenario *s)
{
    char err[THIRST_ERR_LEN];
    runner_options cpu_options = {.draws = 10000000, .seed = 3, .backend = backend_cpu(),
                                  .engine = {.threads = omp_get_num_procs()}};
    runner_options gpu_options = cpu_options;
    gpu_options.backend = backend_cuda();
    runner_options many_options = gpu_options;
    many_options.engine.launch_units = 100;   /* refinement passes in launches of 1.6e6 draws */
    runner_result cpu = {0}, gpu = {0}, many = {0};   /* freed on every path */
    int status = runner_run(s, &cpu_options, &cpu, err, sizeof err);
    CHECK(status == THIRST_OK, "CPU exact run: %s", err);
    if (!status) status = runner_run(s, &gpu_options, &gpu, err, sizeof err);
    CHECK(status == THIRST_OK, "CUDA exact run: %s", err);
    if (!status) status = runner_run(s, &many_options, &many, err, sizeof err);
    CHECK(status == THIRST_OK, "CUDA exact run in short launches: %s", err);
    if (status) {
        runner_free(&cpu);
        runner_free(&gpu);
        runner_free(&many);
        return;
    }
    for (int o = 0; o < gpu.plan.output_count; o++)
        CHECK(memcmp(gpu.stats[o].quantile, many.stats[o].quantile, sizeof gpu.stats[o].quantile) == 0,
              "output %d: exact quantiles differ between refinement launches of 2^30 and 1.6e6 "
              "draws", o);
    runner_free(&many);
    for (int o = 0; o < cpu.plan.output_count; o++)
        for (int k = 0; k < cpu.stats[o].quantile_count; k++) {
            double c = cpu.stats[o].quantile[k], g = gpu.stats[o].quantile[k];
            CHECK(c == g, "output %d quantile %g: CPU %.9g GPU %.9g", o,
                  cpu.stats[o].probability[k], c, g);
        }
    printf("exact quantiles on the device: %d refinement passes\n", gpu.refinement_passes);
    runner_free(&cpu);
    runner_free(&gpu);
}

static void test_sobol(const scenario *s)
{
    char err[THIRST_ERR_LEN];
    sensitivity_options options = {.methods = SENSITIVITY_SOBOL, .base_draws = 262144, .seed = 5,
                                   .engine = {.threads = omp_get_num_procs()}};
    sensitivity_result *cpu = malloc(sizeof *cpu), *gpu = malloc(sizeof *gpu);
    if (!cpu || !gpu) return;
    int status = sensitivity_run(s, &options, cpu, err, sizeof err);
    CHECK(status == THIRST_OK, "CPU Sobol: %s", err);
    options.backend = backend_cuda();
    if (!status) status = sensitivity_run(s, &options, gpu, err, sizeof err);
    CHECK(status == THIRST_OK, "CUDA Sobol: %s", err);
    double largest = 0;
    for (int o = 0; !status && o < cpu->output_count; o++)
        for (int k = 0; k < cpu->input_count; k++) {
            largest = fmax(largest, fmax(fabs(cpu->index[o][k].first - gpu->index[o][k].first),
                                         fabs(cpu->index[o][k].total - gpu->index[o][k].total)));
            CHECK(fabs(cpu->index[o][k].first - gpu->index[o][k].first) <= 1e-4 &&
                      fabs(cpu->index[o][k].total - gpu->index[o][k].total) <= 1e-4,
                  "output %d input %d: S1 %.6f/%.6f ST %.6f/%.6f (CPU/GPU)", o, k,
                  cpu->index[o][k].first, gpu->index[o][k].first, cpu->index[o][k].total,
                  gpu->index[o][k].total);
        }
    if (!status) printf("Sobol indices (2^18 base draws): largest CPU-GPU difference %.3g\n", largest);
    free(cpu);
    free(gpu);
}

/* The serialised bytes of a state (caller frees). */
static unsigned char *state_bytes(const run_state *s, size_t *bytes)
{
    *bytes = run_state_bytes(s);
    unsigned char *out = malloc(*bytes);
    if (out && run_state_serialize(s, out, *bytes) != *bytes) {
        free(out);
        out = NULL;
    }
    return out;
}

/* Paths the default launch never takes: launches after the first (7 units each) and the
 * histogram in global memory give the same state, byte for byte, as one launch with the
 * shared-memory histogram; and the Sobol design in launches of 5 chunks the same batch sums. */
static void test_launch_paths(const scenario *s)
{
    char err[THIRST_ERR_LEN];
    draw_plan plan;
    const uint64_t draws = 20 * (uint64_t)LAUNCH_UNIT_DRAWS + 777;   /* 21 units, a tail */
    if (engine_plan_make(s, draws, 11, ENGINE_MANTISSA_BITS_GPU, &plan, err, sizeof err)) {
        CHECK(0, "plan: %s", err);
        return;
    }
    const backend_options settings[4] = {{.device = 0},
                                         {.device = 0, .launch_units = 7},
                                         {.device = 0, .launch_units = 3},
                                         {.device = 0, .global_histogram = 1}};
    unsigned char *bytes[4] = {NULL, NULL, NULL, NULL};
    size_t sizes[4] = {0, 0, 0, 0};
    for (int k = 0; k < 4; k++) {
        run_state state;
        backend_job job = {.plan = &plan, .data = s->prior_data, .options = &settings[k]};
        int status = run_state_alloc(&state, plan.output_count, plan.hist_total, err, sizeof err);
        if (!status) status = backend_cuda()->run(&job, NULL, &state, err, sizeof err);
        CHECK(status == THIRST_OK, "launch path %d: %s", k, err);
        if (!status) bytes[k] = state_bytes(&state, &sizes[k]);
        run_state_free(&state);
    }
    for (int k = 1; k < 4; k++)
        CHECK(bytes[0] && bytes[k] && sizes[0] == sizes[k] &&
                  memcmp(bytes[0], bytes[k], sizes[0]) == 0,
              "%s differs from one launch with the histogram in shared memory",
              k == 1 ? "a run in 3 launches (7 units each)"
                     : k == 2 ? "a run in 7 launches (3 units each)"
                              : "a run with the histogram in global memory");
    for (int k = 0; k < 4; k++) free(bytes[k]);

    const uint64_t base_draws = 64 * SOBOL_CHUNK * 3 + 50;
    const int batches = 64, terms = SOBOL_TERMS(&plan);
    run_state sobol[2] = {{0}, {0}};
    int sobol_status = THIRST_OK;
    for (int k = 0; k < 2; k++) {
        backend_options options = {.device = 0, .launch_units = k ? 5 : 0};
        backend_job job = {.plan = &plan, .data = s->prior_data, .options = &options};
        int status = run_state_alloc(&sobol[k], plan.output_count, 0, err, sizeof err);
        if (!status) status = run_state_alloc_sobol(&sobol[k], batches, terms, err, sizeof err);
        if (!status) status = backend_cuda()->sobol(&job, base_draws, 0, batches, &sobol[k], err,
                                                    sizeof err);
        CHECK(status == THIRST_OK, "Sobol launch path %d: %s", k, err);
        sobol_status |= status;
    }
    CHECK(!sobol_status && memcmp(sobol[0].sobol_sums, sobol[1].sobol_sums,
                                  (size_t)batches * (size_t)terms * sizeof(double)) == 0,
          "the Sobol design in launches of 5 chunks differs from one launch");
    /* The device's chunk sums (shared rows, per-thread registers, barriers) equal one thread's
     * float sums in draw order, emulated on the CPU (tests/emulate_unit.h), bit for bit. */
    double *emulated = malloc((size_t)batches * (size_t)terms * sizeof *emulated);
    if (emulated && !sobol_status) {
        emulate_sobol_batches(&plan, s->prior_data, base_draws, batches, emulated);
        CHECK(memcmp(sobol[0].sobol_sums, emulated,
                     (size_t)batches * (size_t)terms * sizeof(double)) == 0,
              "the device's Sobol batch sums differ from the CPU emulation of its float chunks");
    }
    free(emulated);
    run_state_free(&sobol[0]);
    run_state_free(&sobol[1]);
}

/* cuda_units_fn: keep the partials of the first units. */
typedef struct {
    accum_moments partials[3 * MODEL_OUTPUT_COUNT];
    uint64_t units;
    int outputs;
} unit_record;

static void record_units(void *context, uint64_t unit_count, const accum_moments *partials,
                         uint64_t draws_done)
{
    unit_record *r = context;
    (void)draws_done;
    for (uint64_t u = 0; u < unit_count && r->units < 3; u++, r->units++)
        memcpy(&r->partials[r->units * (uint64_t)r->outputs], &partials[u * (uint64_t)r->outputs],
               (size_t)r->outputs * sizeof *partials);
}

/* The device's unit partials equal the CPU emulation of the kernel (tests/emulate_unit.h) bit
 * for bit: every operation in them is correctly rounded on both machines and done in the same
 * order, so a wrong but deterministic order, slot or lane on the device shows here. Two full
 * units and a tail of 1,000 draws (a partial warp, seven idle ones). */
static void test_units_against_emulation(const scenario *s)
{
    char err[THIRST_ERR_LEN];
    draw_plan plan;
    const uint64_t draws = 2 * (uint64_t)LAUNCH_UNIT_DRAWS + 1000;
    if (engine_plan_make(s, draws, 12, ENGINE_MANTISSA_BITS_GPU, &plan, err, sizeof err)) {
        CHECK(0, "plan: %s", err);
        return;
    }
    unit_record record;
    memset(&record, 0, sizeof record);
    record.outputs = plan.output_count;
    uint64_t *hist = calloc((size_t)plan.hist_total, sizeof *hist);
    cuda_launch launch = {0, 512, 1, 0, 0};   /* two units per block: slots 0 and 1 */
    int status = hist ? cuda_api_run(&plan, s->prior_data, &launch, record_units, &record, hist,
                                     err, sizeof err)
                      : THIRST_ERR_RUNTIME;
    CHECK(status == THIRST_OK && record.units == 3, "device units: %s", err);
    for (uint64_t u = 0; !status && u < 3; u++)
        for (int o = 0; o < plan.output_count; o++) {
            accum_moments want = emulate_unit(&plan, s->prior_data, u, o);
            const accum_moments *got = &record.partials[u * (uint64_t)plan.output_count + (uint64_t)o];
            CHECK(got->n == want.n && got->nonfinite == want.nonfinite &&
                      memcmp(&got->sum, &want.sum, sizeof want.sum) == 0 &&
                      memcmp(&got->sum_squares, &want.sum_squares, sizeof want.sum) == 0 &&
                      same_bits(got->min, want.min) && same_bits(got->max, want.max),
                  "unit %llu output %d: device n %llu sum %.17g squares %.17g, emulation n %llu "
                  "sum %.17g squares %.17g", (unsigned long long)u, o, (unsigned long long)got->n,
                  got->sum, got->sum_squares, (unsigned long long)want.n, want.sum,
                  want.sum_squares);
        }
    free(hist);
}

/* The GPT-3 training model written as formulas (tests/formulas/) runs on the device to the
 * state of the built-in model, byte for byte: the same draws (the reference test holds them
 * equal on the CPU), through the formula kernels' shared-memory value files; in shared and in
 * global histograms, and in several launches; so do its Sobol batch sums (the Sobol kernel's
 * value files follow its rows in shared memory) and its exact quantiles (the refinement
 * kernel's) equal the CPU's. */
static void test_formulas(const scenario *builtin)
{
    char err[THIRST_ERR_LEN];
    scenario formulas;
    if (scenario_load("tests/formulas/gpt3-training-us-formulas.json", &formulas, err,
                      sizeof err)) {
        CHECK(0, "formula scenario: %s", err);
        return;
    }
    const uint64_t draws = 20 * (uint64_t)LAUNCH_UNIT_DRAWS + 333;
    const backend_options settings[4] = {{.device = 0}, {.device = 0, .launch_units = 7},
                                         {.device = 0, .global_histogram = 1},
                                         {.device = 0, .block_threads = 512}};
    for (int k = 0; k < 4; k++) {
        unsigned char *bytes[2] = {NULL, NULL};
        size_t sizes[2] = {0, 0};
        for (int which = 0; which < 2; which++) {
            const scenario *s = which ? &formulas : builtin;
            draw_plan plan;
            run_state state = {0};
            backend_job job = {.plan = &plan, .data = s->prior_data, .options = &settings[k]};
            int status = engine_plan_make(s, draws, 13, ENGINE_MANTISSA_BITS_GPU, &plan, err,
                                          sizeof err);
            if (!status) status = run_state_alloc(&state, plan.output_count, plan.hist_total, err,
                                                  sizeof err);
            if (!status) status = backend_cuda()->run(&job, NULL, &state, err, sizeof err);
            CHECK(status == THIRST_OK, "%s run, setting %d: %s", which ? "formula" : "built-in",
                  k, err);
            if (!status) bytes[which] = state_bytes(&state, &sizes[which]);
            run_state_free(&state);
        }
        CHECK(bytes[0] && bytes[1] && sizes[0] == sizes[1] &&
                  memcmp(bytes[0], bytes[1], sizes[0]) == 0,
              "setting %d: the formula model's device state differs from the built-in model's", k);
        free(bytes[0]);
        free(bytes[1]);
    }
    /* The Sobol design of both models: the same batch sums, byte for byte. */
    double *sums[2] = {NULL, NULL};
    int terms = 0;
    for (int which = 0; which < 2; which++) {
        const scenario *s = which ? &formulas : builtin;
        draw_plan plan;
        run_state state = {0};
        backend_options options = {.device = 0, .launch_units = 5};
        backend_job job = {.plan = &plan, .data = s->prior_data, .options = &options};
        int status = engine_plan_make(s, 64 * SOBOL_CHUNK * 3 + 50, 5, ENGINE_MANTISSA_BITS_GPU,
                                      &plan, err, sizeof err);
        terms = SOBOL_TERMS(&plan);
        if (!status) status = run_state_alloc(&state, plan.output_count, 0, err, sizeof err);
        if (!status) status = run_state_alloc_sobol(&state, 64, terms, err, sizeof err);
        if (!status) status = backend_cuda()->sobol(&job, plan.draws, 0, 64, &state, err,
                                                    sizeof err);
        CHECK(status == THIRST_OK, "%s Sobol design on the device: %s",
              which ? "formula" : "built-in", err);
        if (!status) {
            sums[which] = malloc((size_t)64 * (size_t)terms * sizeof(double));
            if (sums[which])
                memcpy(sums[which], state.sobol_sums, (size_t)64 * (size_t)terms * sizeof(double));
        }
        run_state_free(&state);
    }
    CHECK(sums[0] && sums[1] &&
              memcmp(sums[0], sums[1], (size_t)64 * (size_t)terms * sizeof(double)) == 0,
          "the formula model's Sobol batch sums on the device differ from the built-in model's");
    free(sums[0]);
    free(sums[1]);
    test_exact_quantiles(&formulas);   /* the refinement kernel's formula path */
    scenario_free(&formulas);
}

int main(void)
{
    cuda_device_info devices[8];
    int count = 0;
    char err[THIRST_ERR_LEN];
    if (backend_cuda_devices(devices, 8, &count, err, sizeof err) || count == 0) {
        printf("SKIPPED: %s\n", err);
        return SKIP;
    }
    printf("device 0: %s (compute %d.%d)\n", devices[0].name, devices[0].major, devices[0].minor);
    scenario gpt3, all;
    if (scenario_load("priors/gpt3-training-us.json", &gpt3, err, sizeof err) ||
        scenario_parse("all", ALL_DISTRIBUTIONS, &all, err, sizeof err)) {
        CHECK(0, "scenarios: %s", err);
        return check_done("test_gpu");
    }
    gpu_first_draws_in("priors", test_first_draws);
    gpu_first_draws_in("priors/benchmarks", test_first_draws);
    gpu_first_draws_in("tests/formulas", test_first_draws);
    gpu_first_draws_in("tests/correlations", test_first_draws);
    test_first_draws(&all, "all distributions");
    test_run_against_cpu(&gpt3, 100000000);
    /* Every distribution, and a histogram of about 98 KB: the opt-in shared-memory path. */
    test_run_against_cpu(&all, 10000000);
    test_launch_paths(&all);
    test_units_against_emulation(&gpt3);
    test_exact_quantiles(&gpt3);
    test_sobol(&gpt3);
    test_formulas(&gpt3);
    /* Formulas around the built-in model: a fed input, model outputs read by formulas, built-in
     * and own outputs reported together (10), on every kernel. */
    scenario reasoning;
    if (scenario_load("priors/reasoning-query-2025.json", &reasoning, err, sizeof err)) {
        CHECK(0, "reasoning scenario: %s", err);
    } else {
        test_run_against_cpu(&reasoning, 10000000);
        test_exact_quantiles(&reasoning);
        test_sobol(&reasoning);
        scenario_free(&reasoning);
    }
    /* Correlated inputs: a 3-parameter block (the general kernels' copula path; its first
     * draws are compared with priors/ above), run, exact quantiles and the Sobol design with
     * the block as one factor. */
    scenario correlated;
    if (scenario_load("priors/gpt3-training-us-correlated.json", &correlated, err, sizeof err)) {
        CHECK(0, "correlated scenario: %s", err);
    } else {
        test_run_against_cpu(&correlated, 10000000);
        test_exact_quantiles(&correlated);
        test_sobol(&correlated);
        scenario_free(&correlated);
    }
    scenario_free(&gpt3);
    scenario_free(&all);
    return check_done("test_gpu");
}
