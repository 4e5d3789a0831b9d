/* replicate_sums.h: rqmc's per-replicate moments on the CPU backend (DESIGN.md section 11). A
 * work unit adds its values to partial sums per replicate and output (doubles, in draw order, so
 * a unit's partials are the same on any thread), which go into the run state's replicate part
 * exactly (run_state_add_replicate) when the unit ends: the totals do not depend on threads.
 * Also the count of each replicate's values at or below a threshold (rqmc quantile intervals). */
#ifndef THIRST_REPLICATE_SUMS_H
#define THIRST_REPLICATE_SUMS_H

#include <stdint.h>

#include "backend.h"
#include "state.h"

/* One thread's partial sums for the unit it runs. */
typedef struct {
    int replicates, outputs;
    double *sum, *sum_squares;   /* replicates x outputs: replicate r's output o at r * outputs + o */
    uint64_t *n;
} replicate_partials;

/* Empty partials for replicates x outputs; THIRST_OK, or THIRST_ERR_RUNTIME (out of memory,
 * nothing to free). */
int replicate_partials_init(replicate_partials *p, int replicates, int outputs);
void replicate_partials_free(replicate_partials *p);

/* Add the values x[0..n) of reported output o of draws [first, first + n) (draw i in replicate
 * i % replicates), less shift; non-finite values are left out (the run fails on them). */
void replicate_partials_add(replicate_partials *p, int o, uint64_t first, const float *x, int n,
                            double shift);

/* Add the unit's partials into s's replicate part (exactly) and clear them. */
void replicate_partials_flush(replicate_partials *p, run_state *s);

/* The CPU backend's count_replicates (backend.h): for each k < count, the job's values of
 * reported output outputs[k] at or below thresholds[k] in each replicate, added to
 * counts[r * count + k]; over work units on the threads, from job->kept where it holds them. */
int replicate_counts_cpu(const backend_job *job, int count, const int *outputs,
                         const float *thresholds, uint64_t *counts, char *err, size_t errlen);

#endif
