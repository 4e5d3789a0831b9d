/* test_rqmc.c: the randomized quasi-Monte Carlo sampler (DESIGN.md section 11, issue 18) in the
 * engine.
 * - Words: draw i is point i / R of replicate i % R. For each of several replicates, the
 *   uniforms of its first 2^m points (the words the engine gives draws r, r + R, ...) put
 *   exactly 2^(m - j) values in every dyadic interval [a 2^-j, (a + 1) 2^-j) in every dimension
 *   the scenario reads (m = 4 and 10, j up to m), and the replicates' shifts differ.
 * - The CPU's vectorised batch loop (engine_eval_batch) gives the bits of the per-draw worker
 *   (engine_eval_draw) under rqmc for every shipped scenario, with R = 32 (divides a batch),
 *   3 (does not) and 300 (more than a batch), from draw 0 and from a batch that starts inside a
 *   point. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine.h"
#include "scenario.h"
#include "status.h"
#include "../kernels/draw.h"

/* Load path and plan draws of it under rqmc with `replicates`; 0 when both worked (the caller
 * frees s), else a failed check and nothing to free. */
static int load_rqmc_plan(const char *path, uint64_t draws, int replicates, scenario *s,
                          draw_plan *plan)
{
    char err[THIRST_ERR_LEN];
    if (scenario_load(path, s, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return 1;
    }
    engine_sampler sampler = {PLAN_SAMPLER_RQMC, replicates};
    if (engine_plan_make_sampled(s, draws, 8, ENGINE_MANTISSA_BITS, &sampler, plan, err,
                                 sizeof err)) {
        CHECK(0, "%s: plan: %s", path, err);
        scenario_free(s);
        return 1;
    }
    return 0;
}

/* The balance of replicate r's first 2^m points in every dimension of the scenario at path. */
static void test_balance(const char *path, int replicates)
{
    scenario s;
    draw_plan plan;
    if (load_rqmc_plan(path, 1024u * (uint64_t)replicates, replicates, &s, &plan)) return;
    const int m_values[] = {4, 10};
    const int replicate_list[] = {0, 1, replicates - 1};
    static uint32_t words[1024][DRAW_MAX_WORDS];
    int failures = 0;
    for (int a = 0; a < 3; a++) {
        const uint64_t r = (uint64_t)replicate_list[a];
        for (uint64_t k = 0; k < 1024; k++) {
            float inputs[DRAW_INPUT_SLOTS], outputs[DRAW_OUTPUTS];
            engine_eval_draw(&plan, s.prior_data, k * (uint64_t)replicates + r, words[k],
                             inputs, outputs);
        }
        for (int mi = 0; mi < 2; mi++) {
            const int m = m_values[mi];
            for (int d = 0; d < plan.word_count; d++)
                for (int j = 1; j <= m; j++) {
                    static int counts[1024];
                    memset(counts, 0, sizeof counts);
                    /* the uniform's cell: philox_uniform reads the top 23 bits */
                    for (uint64_t k = 0; k < (1u << m); k++) counts[words[k][d] >> (32 - j)]++;
                    for (int cell = 0; cell < (1 << j); cell++)
                        if (counts[cell] != 1 << (m - j) && failures++ < 5)
                            CHECK(0, "%s: replicate %d, dimension %d: %d of the first 2^%d "
                                  "points in cell %d of 2^%d, expected %d", path, (int)r, d,
                                  counts[cell], m, cell, j, 1 << (m - j));
                }
        }
    }
    CHECK(failures == 0, "%s: %d balance failures", path, failures);
    /* Replicates differ by their shifts: point 0 of replicates 0 and 1 are their shifts. */
    uint32_t w0[DRAW_MAX_WORDS], w1[DRAW_MAX_WORDS];
    draw_plan_words(&plan, 0, w0);
    draw_plan_words(&plan, 1, w1);
    CHECK(memcmp(w0, w1, (size_t)plan.word_count * sizeof *w0) != 0,
          "%s: replicates 0 and 1 have the same shift", path);
    scenario_free(&s);
}

/* engine_eval_batch against engine_eval_draw under rqmc, bit for bit. */
static void test_batch_bits(const char *path, int replicates)
{
    scenario s;
    draw_plan plan;
    if (load_rqmc_plan(path, 65536, replicates, &s, &plan)) return;
    static float batch[DRAW_OUTPUTS * ENGINE_CHUNK_DRAWS];
    int mismatches = 0;
    uint64_t first_bad = 0;
    const uint64_t starts[] = {0, 1000003};   /* whole batches from 0, then one short batch */
    for (int r = 0; r < 2; r++) {
        uint64_t end = r == 0 ? 16384 : starts[1] + 77;
        for (uint64_t start = starts[r]; start < end; start += ENGINE_CHUNK_DRAWS) {
            int n = (int)(end - start < ENGINE_CHUNK_DRAWS ? end - start : ENGINE_CHUNK_DRAWS);
            engine_eval_batch(&plan, s.prior_data, start, n, batch);
            for (int i = 0; i < n; i++) {
                float inputs[DRAW_INPUT_SLOTS], outputs[DRAW_OUTPUTS];
                engine_eval_draw(&plan, s.prior_data, start + (uint64_t)i, NULL, inputs, outputs);
                for (int o = 0; o < plan.output_count; o++) {
                    float x = batch[plan.outputs[o] * ENGINE_CHUNK_DRAWS + i];
                    if (memcmp(&x, &outputs[o], sizeof x) != 0 && mismatches++ == 0)
                        first_bad = start + (uint64_t)i;
                }
            }
        }
    }
    CHECK(mismatches == 0, "%s (R = %d): %d batch-loop outputs differ from draw_eval's bits "
          "(first at draw %llu)", path, replicates, mismatches, (unsigned long long)first_bad);
    scenario_free(&s);
}

int main(void)
{
    const char *scenarios[] = {"priors/gpt3-training-us.json", "priors/gpt3-training-sites.json",
                               "priors/gpt3-request-us.json", "priors/chat-query-2025.json",
                               "priors/dgx-a100-fleet-month.json",
                               "priors/benchmarks/ishigami.json",
                               "priors/benchmarks/gfunction.json",
                               "priors/epoch-chatgpt-query-2025.json",
                               "priors/reasoning-query-2025.json",
                               "priors/gpt3-training-us-correlated.json",
                               "tests/correlations/correlated-choice.json"};
    const int replicate_counts[] = {32, 3, 300};
    for (size_t k = 0; k < sizeof scenarios / sizeof *scenarios; k++)
        for (int r = 0; r < 3; r++) test_batch_bits(scenarios[k], replicate_counts[r]);
    test_balance("priors/gpt3-training-us.json", 32);
    test_balance("priors/benchmarks/gfunction.json", 7);
    return check_done("test_rqmc");
}
