/* state.h: the mergeable state of a range of work units: per reported output the draw count,
 * the exact sums of (x - shift) and (x - shift)^2, the extremes and the bad-draw count, the
 * flat histogram, and for the Sobol design the term sums of a range of its batches. Threads,
 * GPU launches and (later) MPI ranks and checkpoints all produce and merge this one type with
 * this one function, in unit order; sums are exact (exact_sum.h), counts are integers and a
 * Sobol batch is computed whole by one state, so the merged state of [0, a) and [a, n) is that
 * of [0, n) bit for bit. The one order-dependent part: of equal extremes (-0 and +0) the
 * earlier unit's is kept. */
#ifndef THIRST_STATE_H
#define THIRST_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "../kernels/accum.h"
#include "../kernels/model.h"
#include "../kernels/plan.h"
#include "exact_sum.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The merged moments of one output over a range of units. */
typedef struct {
    uint64_t n;
    exact_sum sum, sum_squares;
    float min, max;          /* +inf / -inf while n = 0 */
    uint64_t nonfinite;
} state_moments;

/* rqmc (DESIGN.md section 11): the exact sums of one output over one replicate's draws. */
typedef struct {
    uint64_t n;
    exact_sum sum, sum_squares;   /* of (x - shift) and (x - shift)^2 */
} state_replicate;

/* The state of a range of work units. */
typedef struct {
    int output_count;
    state_moments moments[PLAN_MAX_OUTPUTS];
    int hist_total;          /* counters in hist */
    uint64_t *hist;          /* flat histogram of every output (the plan's layout) */
    int sobol_batches;       /* batches of the Sobol design (0: no Sobol part) */
    int sobol_terms;         /* doubles per batch: output_count x SOBOL_STRIDE(inputs) */
    int sobol_first, sobol_end;   /* the batches held, [first, end) (empty: first = end) */
    double *sobol_sums;      /* sobol_batches x sobol_terms; rows outside [first, end) are 0 */
    int replicates;          /* rqmc: replicates with sums of their own (0: none) */
    state_replicate *replicate;   /* replicates x output_count: replicate r's output o at
                                     [r * output_count + o] */
} run_state;

/* An empty state for output_count outputs and hist_total histogram counters. */
int run_state_alloc(run_state *s, int output_count, int hist_total, char *err, size_t errlen);
void run_state_free(run_state *s);

/* Give s a Sobol part: batches x terms sums, none held yet. */
int run_state_alloc_sobol(run_state *s, int batches, int terms, char *err, size_t errlen);

/* Give s a replicate part (rqmc): replicates x output_count sums, all empty. */
int run_state_alloc_replicates(run_state *s, int replicates, char *err, size_t errlen);

/* Add n finite values of output o in replicate r, whose (x - shift) and (x - shift)^2 sum to sum
 * and sum_squares (a work unit's partial sums, in its draw order): exactly, so any order of
 * units and threads gives the same state. */
void run_state_add_replicate(run_state *s, int r, int o, uint64_t n, double sum,
                             double sum_squares);

/* Add the partial sums of one unit of output o (units in order). */
void run_state_add_unit(run_state *s, int o, const accum_moments *unit);

/* Add the partials of unit_count consecutive units (unit-major: unit u's output o at
 * partials[u * output_count + o]) in unit order, as a device returns them. THIRST_ERR_DEVICE
 * when a unit's sums are not finite though its values were (a device's float sums overflow
 * where the CPU's doubles do not: |x - shift| above about 1.8e19): the caller may run the job
 * on the CPU instead. */
int run_state_add_units(run_state *s, const accum_moments *partials, uint64_t unit_count,
                        char *err, size_t errlen);

/* Count conservation: every finite value of output o was binned once, so its histogram
 * counters (plan layout: hist_offset, hist[o].bins + 2) sum to moments[o].n. THIRST_ERR_DEVICE
 * naming the output when they do not (a device lost or doubled counts). */
int run_state_check_counts(const run_state *s, const int32_t *hist_offset,
                           const accum_hist_spec *hist, char *err, size_t errlen);

/* Record that s now holds Sobol batches [first, end) too, whose rows the caller filled; first
 * is s->sobol_end unless s held none. */
void run_state_add_sobol_batches(run_state *s, int first, int end);

/* Merge src (the units and batches after dst's) into dst; both of the same layout.
 * THIRST_ERR_RUNTIME when they do not fit (another layout, or src's batches do not start where
 * dst's end). */
int run_state_merge(run_state *dst, const run_state *src, char *err, size_t errlen);

/* The sums of output o rounded to doubles. */
double run_state_sum(const run_state *s, int o);
double run_state_sum_squares(const run_state *s, int o);

/* Bytes of the serialised state, and the serialisation (little-endian, versioned): returns the
 * bytes written, or 0 when size is too small. */
size_t run_state_bytes(const run_state *s);
size_t run_state_serialize(const run_state *s, unsigned char *out, size_t size);

/* Read a serialised state into s (allocated here; free with run_state_free); THIRST_ERR_INPUT
 * with a message when the bytes are not one. */
int run_state_deserialize(run_state *s, const unsigned char *in, size_t size, char *err,
                          size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
