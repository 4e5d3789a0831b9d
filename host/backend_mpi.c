/* backend_mpi.c: a backend that runs each job across the MPI ranks (DESIGN.md section 12,
 * issue 19; built with CMake THIRST_MPI). Every rank runs the same command, so every rank calls
 * each function with the same job: rank r takes the r-th contiguous share of the job's work
 * units (or Sobol batches) on the inner backend (CPU or CUDA), then the ranks agree on the
 * status (ranks_agree: a failure on one rank ends the job on all, with its message) and
 * exchange what they computed: serialised states (state.h) gathered by every rank and merged
 * in rank order, which is unit order, so the merged state is the one-process state byte for
 * byte; integer counts summed (exact in any order); Sobol batch rows gathered. Every rank ends
 * with the same state and takes the same decisions (windows, refinement passes, adaptive
 * rounds) without further messages.
 * Bytes per call: run, every rank's serialised state to every rank (about 8 bytes per histogram
 * counter and 600 per output: 0.5 MB for the GPT-3 scenario, N times over); refine and the
 * replicate counts, the counters (8 bytes each, an allreduce); sobol, the batch rows (8 bytes
 * per term and batch). Kept values (backend_job keep/kept) are not shared between ranks: under
 * MPI they are off, and a refinement pass draws again. */
#include <limits.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/launch.h"
#include "engine.h"
#include "ranks.h"
#include "status.h"

static const backend *inner;
static backend across;

/* Rank r's share of units [0, units): [units r / n, units (r + 1) / n). */
static void share(uint64_t units, uint64_t *first, uint64_t *end)
{
    const uint64_t rank = (uint64_t)ranks_rank(), count = (uint64_t)ranks_count();
    *first = units * rank / count;
    *end = units * (rank + 1) / count;
}

/* This rank's share of the job's draws (backend_plan_share). */
static draw_plan plan_share(const draw_plan *plan)
{
    return backend_plan_share(plan, (uint64_t)ranks_rank(), (uint64_t)ranks_count());
}

/* The job on this rank's share, without kept values (not shared between ranks). */
static backend_job job_share(const backend_job *job, const draw_plan *part)
{
    backend_job local = *job;
    local.plan = part;
    local.keep = NULL;
    local.kept = NULL;
    return local;
}

/* Every rank's state gathered and merged into state in rank order. */
static int gather_states(const run_state *local, run_state *state, char *err, size_t errlen)
{
    const int count = ranks_count();
    const size_t bytes = run_state_bytes(local);
    unsigned char *mine = malloc(bytes);
    int *sizes = calloc((size_t)count, sizeof *sizes);
    int *offsets = calloc((size_t)count, sizeof *offsets);
    int status = mine && sizes && offsets && bytes <= INT_MAX ? THIRST_OK : THIRST_ERR_RUNTIME;
    if (!status) run_state_serialize(local, mine, bytes);
    status = ranks_agree(status ? status_fail(err, errlen, status, "out of memory (or a state "
                                              "over 2 GB) to exchange states between ranks")
                                : THIRST_OK, err, errlen);
    int size = (int)bytes;
    unsigned char *all = NULL;
    if (!status) {
        MPI_Allgather(&size, 1, MPI_INT, sizes, 1, MPI_INT, MPI_COMM_WORLD);
        size_t total = 0;
        for (int r = 0; r < count; r++) {
            offsets[r] = (int)total;
            total += (size_t)sizes[r];
        }
        all = total <= INT_MAX ? malloc(total ? total : 1) : NULL;
        status = ranks_agree(all ? THIRST_OK : status_fail(err, errlen, THIRST_ERR_RUNTIME,
                                                           "out of memory for the ranks' states"),
                             err, errlen);
    }
    if (!status)
        MPI_Allgatherv(mine, size, MPI_UNSIGNED_CHAR, all, sizes, offsets, MPI_UNSIGNED_CHAR,
                       MPI_COMM_WORLD);
    for (int r = 0; r < count && !status; r++) {
        run_state other;
        status = run_state_deserialize(&other, all + offsets[r], (size_t)sizes[r], err, errlen);
        if (!status) status = run_state_merge(state, &other, err, errlen);
        run_state_free(&other);
    }
    free(mine);
    free(sizes);
    free(offsets);
    free(all);
    return status;
}

/* An empty state of state's layout (its Sobol part left out). */
static int empty_like(const run_state *state, run_state *local, char *err, size_t errlen)
{
    int status = run_state_alloc(local, state->output_count, state->hist_total, err, errlen);
    if (!status && state->replicates)
        status = run_state_alloc_replicates(local, state->replicates, err, errlen);
    return status;
}

/* counts[0..n) += the sum over the ranks of local[0..n) (a collective call). */
static int add_counts(const uint64_t *local, uint64_t *counts, size_t n, char *err, size_t errlen)
{
    uint64_t *sum = malloc((n ? n : 1) * sizeof *sum);
    int status = sum && n <= INT_MAX ? THIRST_OK
                                     : status_fail(err, errlen, THIRST_ERR_RUNTIME,
                                                   "out of memory to sum the ranks' counts");
    status = ranks_agree(status, err, errlen);
    if (!status) {
        MPI_Allreduce(local, sum, (int)n, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
        for (size_t k = 0; k < n; k++) counts[k] += sum[k];
    }
    free(sum);
    return status;
}

static int across_run(const backend_job *job, const backend_ranges *ranges, run_state *state,
                      char *err, size_t errlen)
{
    draw_plan part = plan_share(job->plan);
    backend_job local_job = job_share(job, &part);
    run_state local;
    memset(&local, 0, sizeof local);
    uint64_t *counts = ranges ? calloc(ranges->count_total ? (size_t)ranges->count_total : 1,
                                       sizeof *counts)
                              : NULL;
    backend_ranges local_ranges = ranges ? *ranges : (backend_ranges){0};
    local_ranges.counts = counts;
    int status = ranges && !counts ? status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory")
                                   : empty_like(state, &local, err, errlen);
    if (!status && part.draws)
        status = inner->run(&local_job, ranges ? &local_ranges : NULL, &local, err, errlen);
    status = ranks_agree(status, err, errlen);
    if (!status) status = gather_states(&local, state, err, errlen);
    if (!status && ranges)
        status = add_counts(counts, ranges->counts, (size_t)ranges->count_total, err, errlen);
    run_state_free(&local);
    free(counts);
    return status;
}

static int across_refine(const backend_job *job, const backend_ranges *ranges, char *err,
                         size_t errlen)
{
    draw_plan part = plan_share(job->plan);
    backend_job local_job = job_share(job, &part);
    const size_t n = ranges->count_total ? (size_t)ranges->count_total : 1;
    uint64_t *counts = calloc(n, sizeof *counts);
    backend_ranges local_ranges = *ranges;
    local_ranges.counts = counts;
    int status = counts ? THIRST_OK : status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    if (!status && part.draws) status = inner->refine(&local_job, &local_ranges, err, errlen);
    status = ranks_agree(status, err, errlen);
    if (!status)
        status = add_counts(counts, ranges->counts, (size_t)ranges->count_total, err, errlen);
    free(counts);
    return status;
}

static int across_count_replicates(const backend_job *job, int count, const int *outputs,
                                   const float *thresholds, uint64_t *counts, char *err,
                                   size_t errlen)
{
    draw_plan part = plan_share(job->plan);
    backend_job local_job = job_share(job, &part);
    const size_t n = (size_t)job->plan->replicates * (size_t)count;
    uint64_t *local = calloc(n ? n : 1, sizeof *local);
    int status = local ? THIRST_OK : status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    if (!status && part.draws)
        status = inner->count_replicates(&local_job, count, outputs, thresholds, local, err,
                                         errlen);
    status = ranks_agree(status, err, errlen);
    if (!status) status = add_counts(local, counts, n, err, errlen);
    free(local);
    return status;
}

static int across_sobol(const backend_job *job, uint64_t base_draws, int first_batch,
                        int end_batch, run_state *state, char *err, size_t errlen)
{
    uint64_t first, end;
    share((uint64_t)(end_batch - first_batch), &first, &end);
    const int b0 = first_batch + (int)first, b1 = first_batch + (int)end;
    const int terms = state->sobol_terms, count = ranks_count();
    run_state local;
    int status = run_state_alloc(&local, state->output_count, 0, err, errlen);
    if (!status) status = run_state_alloc_sobol(&local, state->sobol_batches, terms, err, errlen);
    if (!status && b1 > b0) status = inner->sobol(job, base_draws, b0, b1, &local, err, errlen);
    status = ranks_agree(status, err, errlen);
    int *sizes = calloc((size_t)count, sizeof *sizes);
    int *offsets = calloc((size_t)count, sizeof *offsets);
    if (!status)   /* every rank is here with the same status: agree on the memory too */
        status = ranks_agree(!(sizes && offsets)
                                 ? status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory")
                                 : THIRST_OK, err, errlen);
    if (!status) {
        for (int r = 0; r < count; r++) {   /* rank r's rows, as share() cuts them */
            uint64_t rf = (uint64_t)(end_batch - first_batch) * (uint64_t)r / (uint64_t)count;
            uint64_t re = (uint64_t)(end_batch - first_batch) * (uint64_t)(r + 1) / (uint64_t)count;
            sizes[r] = (int)((re - rf) * (uint64_t)terms);
            offsets[r] = (int)(rf * (uint64_t)terms);
        }
        MPI_Allgatherv(local.sobol_sums + (size_t)b0 * (size_t)terms, (int)((b1 - b0) * terms),
                       MPI_DOUBLE, state->sobol_sums + (size_t)first_batch * (size_t)terms, sizes,
                       offsets, MPI_DOUBLE, MPI_COMM_WORLD);
        run_state_add_sobol_batches(state, first_batch, end_batch);
    }
    free(sizes);
    free(offsets);
    run_state_free(&local);
    return status;
}

static int across_first_draws(const backend_job *job, uint64_t first, int count, uint32_t *words,
                              float *inputs, float *outputs, char *err, size_t errlen)
{
    int status = inner->first_draws(job, first, count, words, inputs, outputs, err, errlen);
    return ranks_agree(status, err, errlen);
}

static int across_check(const backend_options *options, char *device_name, size_t name_size,
                        char *err, size_t errlen)
{
    return inner->check(options, device_name, name_size, err, errlen);
}

const backend *ranks_backend(const backend *wrapped)
{
    if (ranks_count() == 1) return wrapped;
    inner = wrapped;
    across = (backend){.name = wrapped->name,
                       .mantissa_bits = wrapped->mantissa_bits,
                       .counts_windows = wrapped->counts_windows,
                       .segment_units = wrapped->segment_units * ranks_count(),
                       .check = across_check,
                       .run = across_run,
                       .refine = across_refine,
                       .sobol = across_sobol,
                       .count_replicates = across_count_replicates,
                       .first_draws = across_first_draws};
    return &across;
}
