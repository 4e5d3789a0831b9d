/* reduce.h: the fixed-order reductions of the CUDA run kernel, as HD functions that the kernel
 * calls and tests/test_reduce.c runs on the CPU: a lane's float accumulators over its draws
 * (accum_lane), their combination (accum_moments_combine, the one step of every tree), the
 * shuffle tree of a 32-lane warp, and a unit's warps combined in warp order. The shuffle itself
 * is the only device-only part; reduce_warp_lockstep emulates it on the CPU with the semantics
 * of __shfl_down_sync (a lane whose source lies past the warp keeps its own value), so that a
 * unit's partial sums can be reproduced and checked without a GPU, partial warps included. */
#ifndef THIRST_REDUCE_H
#define THIRST_REDUCE_H

#include "accum.h"
#include "hd.h"
#include "launch.h"

/* One lane's accumulators of one reported output over its (at most LAUNCH_LANE_DRAWS) draws:
 * float sums of x - shift and its square, extremes, counts. */
typedef struct {
    float sum, squares;
    float low, high;
    uint32_t n, nonfinite;
} accum_lane;

/* Empty lane accumulators. */
static inline HD accum_lane accum_lane_empty(void)
{
    accum_lane a;
    a.sum = a.squares = 0.0f;
    a.low = INFINITY;
    a.high = -INFINITY;
    a.n = a.nonfinite = 0;
    return a;
}

/* Add value x (shift: the output's pilot mean); returns 1 when x is finite (and so was added). */
static inline HD int accum_lane_add(accum_lane *a, float x, float shift)
{
    if (!accum_is_finite(x)) {
        a->nonfinite++;
        return 0;
    }
    float shifted = x - shift;
    a->n++;
    a->sum += shifted;
    a->squares = fmaf(shifted, shifted, a->squares);   /* one rounding, on either machine */
    a->low = fminf(a->low, x);
    a->high = fmaxf(a->high, x);
    return 1;
}

/* A lane's accumulators as moments (sums promoted to double). */
static inline HD accum_moments accum_lane_moments(accum_lane a)
{
    accum_moments m;
    m.n = a.n;
    m.sum = (double)a.sum;
    m.sum_squares = (double)a.squares;
    m.min = a.low;
    m.max = a.high;
    m.nonfinite = a.nonfinite;
    return m;
}

/* Moments of nothing: the identity of accum_moments_combine. */
static inline HD accum_moments accum_moments_empty(void)
{
    accum_moments m;
    m.n = m.nonfinite = 0;
    m.sum = m.sum_squares = 0.0;
    m.min = INFINITY;
    m.max = -INFINITY;
    return m;
}

/* a then b: sums a + b (in that order), extremes, counts. */
static inline HD accum_moments accum_moments_combine(accum_moments a, accum_moments b)
{
    a.n += b.n;
    a.sum += b.sum;
    a.sum_squares += b.sum_squares;
    a.min = fminf(a.min, b.min);
    a.max = fmaxf(a.max, b.max);
    a.nonfinite += b.nonfinite;
    return a;
}

/* The shuffle offsets of a warp's tree, in the order the kernel applies them: 16, 8, 4, 2, 1.
 * After the step with offset d, lane i holds combine(lane i, lane i + d) of the step before. */
#define REDUCE_FIRST_OFFSET (LAUNCH_WARP / 2)

/* A CPU emulation of the warp tree: the 32 lanes step in lockstep; a lane whose source lane
 * i + d is past the warp reads its own value, as __shfl_down_sync returns. lanes[] is
 * overwritten with every lane's final value; the warp's result is lanes[0]. */
static inline HD accum_moments reduce_warp_lockstep(accum_moments lanes[LAUNCH_WARP])
{
    for (int offset = REDUCE_FIRST_OFFSET; offset > 0; offset /= 2) {
        accum_moments before[LAUNCH_WARP];
        for (int i = 0; i < LAUNCH_WARP; i++) before[i] = lanes[i];
        for (int i = 0; i < LAUNCH_WARP; i++) {
            int source = i + offset < LAUNCH_WARP ? i + offset : i;
            lanes[i] = accum_moments_combine(before[i], before[source]);
        }
    }
    return lanes[0];
}

/* A unit's moments from its warps' results (LAUNCH_UNIT_WARPS of them), in warp order. */
static inline HD accum_moments reduce_unit_warps(const accum_moments *warps)
{
    accum_moments m = accum_moments_empty();
    for (int w = 0; w < LAUNCH_UNIT_WARPS; w++) m = accum_moments_combine(m, warps[w]);
    return m;
}

#endif
