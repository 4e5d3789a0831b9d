/* exact_sum.h: sums of doubles without rounding, so that merging partial results is associative:
 * the merged totals of work units [0, a) and [a, n) equal those of [0, n) bit for bit, however a
 * run is split (threads, launches, ranks, checkpoints). A sum is a two's complement fixed-point
 * integer of EXACT_SUM_LIMBS 64-bit limbs whose lowest bit weighs 2^-1088: every double (the
 * smallest subnormal is 2^-1074) adds in exactly, and 2^64 doubles of magnitude up to 2^1024 fit
 * (the top bit weighs 2^1151). The value is rounded to the nearest double once, when read.
 * Kulisch's long accumulator is the model (U. Kulisch, Computer Arithmetic and Validity, 2008). */
#ifndef THIRST_EXACT_SUM_H
#define THIRST_EXACT_SUM_H

#include <stddef.h>
#include <stdint.h>

#define EXACT_SUM_LIMBS 35
#define EXACT_SUM_LOW_EXPONENT (-1088)   /* weight of bit 0: 2^-1088 */

typedef struct {
    uint64_t limb[EXACT_SUM_LIMBS];   /* little-endian, two's complement */
} exact_sum;

/* Add the finite double x (a NaN or an infinity is not added; callers count those apart). */
void exact_sum_add(exact_sum *s, double x);

/* Add the sum b into a. */
void exact_sum_merge(exact_sum *a, const exact_sum *b);

/* The sum rounded to the nearest double (ties to even). */
double exact_sum_value(const exact_sum *s);

#endif
