/* pending_counts.c: deferred window-counter increments, applied region by region
 * (pending_counts.h). Measured on GPT-3 at 1e8 draws, one thread: the direct increments took
 * about 38 ns each (bench/README.md). */
#include "pending_counts.h"

#include <stdlib.h>
#include <string.h>

#include "status.h"

int pending_counts_init(pending_counts *p, uint32_t *counts, int count_total)
{
    const size_t regions = ((size_t)count_total >> PENDING_COUNTS_REGION_BITS) + 1;
    memset(p, 0, sizeof *p);
    p->counts = counts;
    p->count_total = count_total;
    /* As many as the counters (a sorted application then shares cache lines), at least a few
     * batches' worth and at most 4 MiB each buffer: small windows keep a small buffer. */
    p->capacity = count_total < 4096 ? 4096
                  : (count_total > PENDING_COUNTS_CAPACITY ? PENDING_COUNTS_CAPACITY : count_total);
    p->pending = malloc((size_t)p->capacity * sizeof *p->pending);
    p->sorted = malloc((size_t)p->capacity * sizeof *p->sorted);
    p->region_next = malloc(regions * sizeof *p->region_next);
    if (p->pending && p->sorted && p->region_next) return THIRST_OK;
    pending_counts_free(p);
    return THIRST_ERR_RUNTIME;
}

void pending_counts_add(pending_counts *p, const int32_t *index, int n)
{
    if (p->pending_count + n > p->capacity) pending_counts_apply(p);
    memcpy(p->pending + p->pending_count, index, (size_t)n * sizeof *index);
    p->pending_count += n;
}

/* Below one pending increment per 16 counters (a cache line) the sort would not share lines:
 * the increments go straight to the counters. */
void pending_counts_apply(pending_counts *p)
{
    const int n = p->pending_count;
    const uint32_t *pending = p->pending;
    uint32_t *counts = p->counts;
    p->pending_count = 0;
    if ((size_t)n * 16 < (size_t)p->count_total) {
        for (int k = 0; k < n; k++) counts[pending[k]]++;
        return;
    }
    /* A counting sort by region (index >> PENDING_COUNTS_REGION_BITS), then the increments in
     * that order: each region's 4 KiB of counters is loaded once and stays in L1 meanwhile. */
    const int regions = (p->count_total >> PENDING_COUNTS_REGION_BITS) + 1;
    uint32_t *next = p->region_next;
    memset(next, 0, (size_t)regions * sizeof *next);
    for (int k = 0; k < n; k++) next[pending[k] >> PENDING_COUNTS_REGION_BITS]++;
    uint32_t start = 0;
    for (int r = 0; r < regions; r++) {
        uint32_t size = next[r];
        next[r] = start;
        start += size;
    }
    uint32_t *sorted = p->sorted;
    for (int k = 0; k < n; k++) {
        const uint32_t index = pending[k];
        sorted[next[index >> PENDING_COUNTS_REGION_BITS]++] = index;
    }
    for (int k = 0; k < n; k++) counts[sorted[k]]++;
}

void pending_counts_free(pending_counts *p)
{
    free(p->pending);
    free(p->sorted);
    free(p->region_next);
    p->pending = p->sorted = p->region_next = NULL;
    p->pending_count = 0;
}
