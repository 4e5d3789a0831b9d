/* launch.h: the index math that maps work onto threads, written once for both backends and
 * tested on the CPU (tests/test_reduce.c): which draws a work unit holds (the last unit of a
 * run is a tail), which draws one GPU lane of a unit takes, which unit a block's slot takes at
 * each step of a grid-stride loop, and how the Sobol design's chunks of base draws fall into
 * batches. Nothing here depends on the launch shape's effect on results: a unit's draws and
 * their order inside it are fixed by the unit index alone. */
#ifndef THIRST_LAUNCH_H
#define THIRST_LAUNCH_H

#include "hd.h"

#define LAUNCH_WARP 32                 /* lanes of a warp (shuffle width) */
#define LAUNCH_UNIT_LANES 256          /* GPU threads that share one work unit, in lane order */
#define LAUNCH_LANE_DRAWS 64           /* consecutive draws a GPU lane sums in float */
#define LAUNCH_UNIT_DRAWS (LAUNCH_UNIT_LANES * LAUNCH_LANE_DRAWS)   /* 16,384: GPU unit */
#define LAUNCH_UNIT_WARPS (LAUNCH_UNIT_LANES / LAUNCH_WARP)         /* 8 warps per unit */

/* Work units of unit_draws draws that cover `draws` draws (the last one may be short). */
static inline HD uint64_t launch_unit_count(uint64_t draws, uint64_t unit_draws)
{
    return (draws + unit_draws - 1) / unit_draws;
}

/* First draw of unit `unit` of a range of draws that starts at first_draw. */
static inline HD uint64_t launch_unit_first(uint64_t first_draw, uint64_t unit, uint64_t unit_draws)
{
    return first_draw + unit * unit_draws;
}

/* Draws of unit `unit` of the range [first_draw, first_draw + draws): unit_draws, or fewer for
 * the tail unit, 0 past the end. */
static inline HD uint64_t launch_unit_draws(uint64_t first_draw, uint64_t draws, uint64_t unit,
                                            uint64_t unit_draws)
{
    uint64_t start = launch_unit_first(first_draw, unit, unit_draws), end = first_draw + draws;
    if (start >= end) return 0;
    return end - start < unit_draws ? end - start : unit_draws;
}

/* First draw of lane `lane` (0..LAUNCH_UNIT_LANES-1) of GPU unit `unit`. */
static inline HD uint64_t launch_lane_first(uint64_t first_draw, uint64_t unit, int lane)
{
    return launch_unit_first(first_draw, unit, LAUNCH_UNIT_DRAWS) +
           (uint64_t)lane * LAUNCH_LANE_DRAWS;
}

/* Draws lane `lane` of GPU unit `unit` takes, of the range [first_draw, first_draw + draws):
 * LAUNCH_LANE_DRAWS, fewer in the tail, 0 for lanes past the end (a partial warp). */
static inline HD int launch_lane_draws(uint64_t first_draw, uint64_t draws, uint64_t unit,
                                       int lane)
{
    uint64_t start = launch_lane_first(first_draw, unit, lane), end = first_draw + draws;
    if (start >= end) return 0;
    return end - start < LAUNCH_LANE_DRAWS ? (int)(end - start) : LAUNCH_LANE_DRAWS;
}

/* Units a block of block_threads threads works on at once (block_threads is a multiple of
 * LAUNCH_UNIT_LANES); thread t of the block is lane t % LAUNCH_UNIT_LANES of slot
 * t / LAUNCH_UNIT_LANES. */
static inline HD int launch_block_slots(int block_threads)
{
    return block_threads / LAUNCH_UNIT_LANES;
}

/* The unit (counted in a launch) that slot `slot` of block `block` takes at step `step` of the
 * grid-stride loop over grid_blocks blocks; the slot is idle when it is >= the launch's units. */
static inline HD uint64_t launch_slot_unit(int block, int grid_blocks, int slots, int slot,
                                           uint64_t step)
{
    return (step * (uint64_t)grid_blocks + (uint64_t)block) * (uint64_t)slots + (uint64_t)slot;
}

/* First chunk of batch b when `chunks` chunks are cut into `batches` batches (whole chunks, so
 * every backend cuts the same batches): chunks * b / batches. */
static inline HD uint64_t launch_batch_first_chunk(uint64_t chunks, int batches, int b)
{
    return chunks * (uint64_t)b / (uint64_t)batches;
}

/* The batch that holds chunk c (the inverse of launch_batch_first_chunk). */
static inline HD int launch_batch_of_chunk(uint64_t chunks, int batches, uint64_t c)
{
    int b = (int)(c * (uint64_t)batches / (chunks ? chunks : 1));
    while (b > 0 && launch_batch_first_chunk(chunks, batches, b) > c) b--;
    while (b + 1 < batches && launch_batch_first_chunk(chunks, batches, b + 1) <= c) b++;
    return b;
}

#endif
