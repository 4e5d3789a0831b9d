/* fastmath.h: expf, logf and sinf written once for both backends, from + - * / only, so that the
 * CPU and GPU compute the same bits (with no FMA contraction on either: -ffp-contract=off,
 * nvcc -fmad=false; glibc's and CUDA's own functions differ from each other in the last bit),
 * and branch-free so that gcc vectorizes the CPU's batch loops (glibc's are calls it cannot
 * vectorize). Accuracy (tests/test_priors.c, tests/test_model.c): expf and logf within 2 ulp
 * of the exact value on the ranges stated below (outside them clamped, as said per function);
 * sinf the correctly rounded value but for inputs within about 2^-50 of a rounding boundary.
 * Formulas: Cody-Waite range reduction with Taylor series (exp, sin, cos) and the atanh series
 * log(m) = 2 atanh((m - 1)/(m + 1)) (log); see J.-M. Muller, Elementary Functions (2016). */
#ifndef THIRST_FASTMATH_H
#define THIRST_FASTMATH_H

#include "hd.h"
#include <string.h>

/* Bits of a float, and the float of bits. */
HD_STATIC_ALWAYS_INLINE uint32_t fastmath_bits(float x)
{
    uint32_t b;
#ifdef __CUDA_ARCH__
    b = __float_as_uint(x);
#else
    memcpy(&b, &x, sizeof b);
#endif
    return b;
}

HD_STATIC_ALWAYS_INLINE float fastmath_float(uint32_t b)
{
    float x;
#ifdef __CUDA_ARCH__
    x = __uint_as_float(b);
#else
    memcpy(&x, &b, sizeof x);
#endif
    return x;
}

/* a where choose is nonzero, else b, by bit masks: exact (no arithmetic on a or b), and a loop
 * whose choose is the same for every element still vectorizes (gcc does not vectorize a float
 * ?: whose condition is a loop-invariant int). */
HD_STATIC_ALWAYS_INLINE float fastmath_select(int choose, float a, float b)
{
    uint32_t mask = 0u - (uint32_t)(choose != 0);
    return fastmath_float((fastmath_bits(a) & mask) | (fastmath_bits(b) & ~mask));
}

/* e^x for x in [-87, 88] (normal float results); x is clamped to that range first, so smaller x
 * gives e^-87 = 1.6e-38 and larger gives e^88 = 1.7e38. */
HD_STATIC_ALWAYS_INLINE float fastmath_expf(float x)
{
    x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
    /* n = round(x / ln 2) with the 1.5 * 2^23 trick (exact for |x / ln 2| < 2^22). */
    float n = (x * 1.44269504f + 12582912.0f) - 12582912.0f;
    /* r = x - n ln 2 in two steps; 0.693145752 has 12 significant bits, so n * it is exact. */
    float r = x - n * 0.693145752f;
    r = r - n * 1.42860677e-6f;
    /* e^r for |r| <= 0.3466: Taylor series to r^7 (truncation below 5e-9 relative). */
    float p = 1.98412698e-4f;
    p = p * r + 1.38888889e-3f;
    p = p * r + 8.33333333e-3f;
    p = p * r + 4.16666667e-2f;
    p = p * r + 1.66666667e-1f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    /* Times 2^n, n in [-126, 127]: build the power of two from its exponent bits. */
    int32_t exponent = (int32_t)n + 127;
    return p * fastmath_float((uint32_t)exponent << 23);
}

/* sin(x + quarter_turns pi/2) for quarter_turns 0 (sin x) or 1 (cos x), computed in double and
 * rounded once: x - k pi/2 with pi/2 in three parts (the first two of 33 bits, so k times them
 * is exact for |k| < 2^20), then the Taylor series of sin (to r^15) or cos (to r^16) on
 * |r| <= pi/4, whose truncation is below 2^-53 relative. Over all 2.16e9 floats in [-pi, pi]
 * sin equals (float)sin((double)x) but for one. Accurate for |x| < 1.6e6; beyond, the reduction
 * loses bits (error above 1e-6 from |x| near 2e10): no Payne-Hanek reduction here, so a model
 * fed such inputs gets the same wrong bits on both machines. Everything stays in double, the
 * quadrant included, so no conversion can overflow. */
HD_STATIC_ALWAYS_INLINE float fastmath_sin_turned(float x, int quarter_turns)
{
    const double two_over_pi = 6.36619772367581382433e-01;
    const double pio2_1 = 1.57079632673412561417e+00;    /* first 33 bits of pi/2 */
    const double pio2_2 = 6.07710050630396597660e-11;    /* next 33 bits */
    const double pio2_3 = 2.02226624879595063154e-21;    /* pi/2 - pio2_1 - pio2_2 */
    double d = (double)x;
    double k = floor(d * two_over_pi + 0.5);
    double r = d - k * pio2_1;
    r = r - k * pio2_2;
    r = r - k * pio2_3;
    double r2 = r * r;
    double s = -1.0 / 1307674368000.0;                     /* -1/15! */
    s = s * r2 + 1.0 / 6227020800.0;
    s = s * r2 - 1.0 / 39916800.0;
    s = s * r2 + 1.0 / 362880.0;
    s = s * r2 - 1.0 / 5040.0;
    s = s * r2 + 1.0 / 120.0;
    s = s * r2 - 1.0 / 6.0;
    s = r + r * r2 * s;
    double c = 1.0 / 20922789888000.0;                     /* 1/16! */
    c = c * r2 - 1.0 / 87178291200.0;
    c = c * r2 + 1.0 / 479001600.0;
    c = c * r2 - 1.0 / 3628800.0;
    c = c * r2 + 1.0 / 40320.0;
    c = c * r2 - 1.0 / 720.0;
    c = c * r2 + 1.0 / 24.0;
    c = c * r2 - 0.5;
    c = 1.0 + r2 * c;
    double turns = k + (double)quarter_turns;
    double quadrant = turns - 4.0 * floor(0.25 * turns);   /* mod 4, exactly: 0, 1, 2 or 3 */
    double v = (quadrant == 1.0 || quadrant == 3.0) ? c : s;
    return (float)(quadrant >= 2.0 ? -v : v);
}

/* sin x (fastmath_sin_turned); sin(-0) = -0. */
HD_STATIC_ALWAYS_INLINE float fastmath_sinf(float x)
{
    float y = fastmath_sin_turned(x, 0);
    return x == 0.0f ? x : y;
}

/* cos x = sin(x + pi/2), the same series with the quadrant turned by one. */
HD_STATIC_ALWAYS_INLINE float fastmath_cosf(float x)
{
    return fastmath_sin_turned(x, 1);
}

/* Natural logarithm of a positive normal float x (>= 1.2e-38); not for 0, negatives,
 * subnormals, infinity or NaN, which no caller passes. */
HD_STATIC_ALWAYS_INLINE float fastmath_logf(float x)
{
    uint32_t bits = fastmath_bits(x);
    int32_t exponent = (int32_t)((bits >> 23) & 0xffu) - 127;
    float m = fastmath_float((bits & 0x007fffffu) | 0x3f800000u);   /* m in [1, 2) */
    /* Fold m into [sqrt(1/2), sqrt(2)) so that |s| <= 0.1716 below. */
    int32_t fold = m > 1.41421356f;
    m = fold ? 0.5f * m : m;
    exponent += fold;
    float f = m - 1.0f;                  /* exact */
    float s = f / (2.0f + f);
    float z = s * s;
    /* 2 atanh(s) = 2 s (1 + z/3 + z^2/5 + z^3/7 + z^4/9), next term below 2e-9 relative. */
    float series = 0.111111111f;
    series = series * z + 0.142857143f;
    series = series * z + 0.2f;
    series = series * z + 0.333333333f;
    float log_m = 2.0f * s + 2.0f * s * (series * z);
    float e = (float)exponent;
    return e * 0.693145752f + (e * 1.42860677e-6f + log_m);
}

#endif
