/* accum.h: per-draw accumulation shared by both backends: the order-preserving histogram key
 * of a float and the bin it falls in, the partial moments a backend computes for one work unit
 * (accum_moments), and the key ranges of an exact-quantile pass with the lookup of a value's
 * counter in them. A histogram bin holds every float whose key agrees in its top
 * (9 + mantissa_bits) bits, so bins are log-spaced (2^mantissa_bits per octave, relative
 * width at most 2^-mantissa_bits) for either sign, and binning costs no logarithm. */
#ifndef THIRST_ACCUM_H
#define THIRST_ACCUM_H

#include "fastmath.h"
#include "hd.h"

/* Histogram layout for one output: bin 0 = underflow, 1..bins = key range, bins + 1 = overflow. */
typedef struct {
    uint32_t key_low;   /* first key (already shifted) of bin 1 */
    int32_t bins;       /* bins inside the range */
    int32_t shift;      /* 23 - mantissa_bits: low key bits dropped */
} accum_hist_spec;

/* Order-preserving unsigned key of a float: a < b (as floats) iff key(a) < key(b). */
static inline HD uint32_t accum_key(float x)
{
    uint32_t bits = fastmath_bits(x);
    return (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
}

/* Inverse of accum_key. */
static inline HD float accum_key_value(uint32_t key)
{
    return fastmath_float((key & 0x80000000u) ? (key & 0x7fffffffu) : ~key);
}

/* Histogram bin of x: 0 below the range, 1..bins inside, bins + 1 above (NaN goes above). */
static inline HD int32_t accum_bin(const accum_hist_spec *h, float x)
{
    uint32_t k = accum_key(x) >> h->shift;
    if (k < h->key_low) return 0;
    uint32_t offset = k - h->key_low;
    return offset >= (uint32_t)h->bins ? h->bins + 1 : (int32_t)offset + 1;
}

/* True when x is a finite float. */
static inline HD int accum_is_finite(float x)
{
    return fabsf(x) <= 3.402823466e38f;
}

/* Partial sums of one reported output over one work unit (or part of one), as a backend
 * computes them in a fixed order; x is shifted by the plan's shift. host/state.h merges them. */
typedef struct {
    uint64_t n;              /* finite draws */
    double sum;              /* sum of (x - shift) */
    double sum_squares;      /* sum of (x - shift)^2 */
    float min, max;          /* extremes of x (+inf / -inf while n = 0) */
    uint64_t nonfinite;      /* draws where x was NaN or infinite (an error) */
} accum_moments;

/* One key range counted in an exact-quantile pass (host/quantile.h): the value with key k in
 * [key_low, key_high] of reported output `output` adds 1 to counter
 * offset + ((k - key_low) >> shift). Ranges are sorted by output, then key. */
typedef struct {
    int32_t output;
    uint32_t key_low, key_high;
    int32_t shift;
    int32_t bins;
    int32_t offset;
} accum_range;

/* The counter of value x of reported output o in ranges[0..range_count), starting the search at
 * range r (the first range that can hold x's histogram bin, -1 for none); -1 when no range
 * holds x. */
static inline HD int32_t accum_range_counter(const accum_range *ranges, int range_count,
                                             int32_t r, int o, float x)
{
    uint32_t key = accum_key(x);
    for (; r >= 0 && r < range_count && ranges[r].output == o && key >= ranges[r].key_low; r++)
        if (key <= ranges[r].key_high)
            return ranges[r].offset + (int32_t)((key - ranges[r].key_low) >> ranges[r].shift);
    return -1;
}

#endif
