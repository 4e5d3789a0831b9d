/* pending_counts.h: increments of one thread's exact-quantile window counters (megabytes of
 * uint32, host/quantile.h) collected and applied in address order, region by region, so that a
 * run's scattered increments load each cache line of the counters about once per application
 * instead of missing the cache on nearly every increment. Counts are integers: the order of
 * the increments changes no count. */
#ifndef THIRST_PENDING_COUNTS_H
#define THIRST_PENDING_COUNTS_H

#include <stdint.h>

#define PENDING_COUNTS_CAPACITY (1 << 20)   /* increments held at most before they are applied */
#define PENDING_COUNTS_REGION_BITS 10       /* 1,024 counters (4 KiB) per region */

typedef struct {
    uint32_t *counts;          /* the counters the increments go to (count_total of them) */
    int count_total;
    uint32_t *pending;         /* counter indices not yet applied (pending_count of capacity) */
    uint32_t *sorted;          /* the same, by region (scratch) */
    uint32_t *region_next;     /* per region: where its indices go in sorted (scratch) */
    int pending_count;
    int capacity;              /* count_total, within [4,096, PENDING_COUNTS_CAPACITY] */
} pending_counts;

/* Start collecting increments of counts[0..count_total); THIRST_OK or THIRST_ERR_RUNTIME (out of
 * memory, p left empty). */
int pending_counts_init(pending_counts *p, uint32_t *counts, int count_total);

/* Add 1 to counts[index[k]] for k in [0, n), n <= 256 (at most ENGINE_CHUNK_DRAWS): later, or
 * now when the buffer is full. */
void pending_counts_add(pending_counts *p, const int32_t *index, int n);

/* Apply every pending increment (in region order when there are enough to share cache lines). */
void pending_counts_apply(pending_counts *p);

/* Release p's buffers (not counts). */
void pending_counts_free(pending_counts *p);

#endif
