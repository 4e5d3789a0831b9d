/* prior.h: inverse-transform sampling of every prior from one uniform each, shared by the CPU
 * and CUDA backends. The host (host/prior_build.c) turns the published parameterisations into
 * the canonical prior_spec below; this header only maps a uniform in (0, 1) to a value.
 * Quantile tables (beta, PERT) live in a float array owned by the caller. */
#ifndef THIRST_PRIOR_H
#define THIRST_PRIOR_H

#include "fastmath.h"
#include "hd.h"
#include "philox.h"

/* The prior kinds, written once: X(KIND, name, 1 when it reads the tail mass of its uniform,
 * else u). Each kind has two value functions below: prior_<name>_value(p, data, x) at any
 * uniform x (the reference every caller uses), and prior_<name>_word(p, data, word) at the
 * unrefined uniform of a word, written so that the CPU's batch loops vectorize and equal to
 * _value there bit for bit. enum prior_dist, prior_value, prior_uses_tail and the batch loops
 * (host/backend_cpu.c) are made from the list. Parameters by kind:
 *   FIXED: a = value.  UNIFORM: a = low, b = high.  LOGUNIFORM: a = ln(low), b = ln(high).
 *   NORMAL: a = mean, b = sd.  TRUNCATED_NORMAL: a = mean, b = sd, c = Phi(lower bound in z),
 *   d = mass kept, sign = +1, or -1 when sampled as the mirror image; clamped to [low, high].
 *   LOGNORMAL: a = mu (ln of median), b = sigma (ln of GSD).  TRIANGULAR: a = low, b = mode,
 *   c = high, d = CDF at the mode.  TABLE: quantile table over the normal score, data[offset +
 *   k] = x at z = c + k / d (c = lowest z, d = nodes per unit of z).  CHOICE: data[offset + k]
 *   = cumulative weight of option k (last = 1), then data[offset + count + k * slots + m] =
 *   value m of option k. */
#define PRIOR_KINDS(X)                            \
    X(FIXED, fixed, 0)                            \
    X(UNIFORM, uniform, 0)                        \
    X(LOGUNIFORM, loguniform, 0)                  \
    X(NORMAL, normal, 1)                          \
    X(TRUNCATED_NORMAL, truncated_normal, 0)      \
    X(LOGNORMAL, lognormal, 1)                    \
    X(TRIANGULAR, triangular, 0)                  \
    X(TABLE, table, 1)                            \
    X(CHOICE, choice, 0)

enum prior_dist {
#define PRIOR_KIND_ENUM(kind, name, tail) PRIOR_##kind,
    PRIOR_KINDS(PRIOR_KIND_ENUM)
#undef PRIOR_KIND_ENUM
    PRIOR_KIND_COUNT
};

#define PRIOR_CHOICE_MAX_SLOTS 8

/* One prior in canonical form; values are in the model slot's canonical unit. */
typedef struct {
    int32_t dist;               /* enum prior_dist */
    int32_t word;               /* which uniform word of the draw's stream it consumes (>= 0) */
    int32_t slot;               /* model input slot it writes (PRIOR_CHOICE: see choice_slot) */
    int32_t data_offset;        /* first float of its table or options in the shared data array */
    int32_t data_count;         /* table points (PRIOR_TABLE) or options (PRIOR_CHOICE) */
    int32_t choice_slot_count;  /* PRIOR_CHOICE: model slots each option sets */
    int32_t choice_slot[PRIOR_CHOICE_MAX_SLOTS];
    float a, b, c, d;           /* parameters, meaning by dist (enum prior_dist) */
    float sign;                 /* PRIOR_TRUNCATED_NORMAL: +1 or -1 */
    float low, high;            /* support, used to clamp rounding at the bounds */
} prior_spec;

/* The uniform a parameter's inverse transform reads: u for the priors that take a probability
 * (bounded ones, choices), and for those built on the normal quantile the tail mass t =
 * min(u, 1 - u) and its side, refined far into the tails (philox.h: philox_tail). */
typedef struct {
    float u;          /* in [2^-24, 1 - 2^-24] */
    float tail;       /* in [2^-93, 1/2]: the mass beyond the value on its side */
    int32_t upper;    /* 1 when the value lies above the median (u > 1/2) */
} prior_uniform;

/* The uniform at probability p in (0, 1), for evaluations at given percentiles (tornado,
 * medians): u = p, tail = min(p, 1 - p). */
static inline HD prior_uniform prior_at_probability(float p)
{
    prior_uniform x;
    x.u = p;
    x.upper = p > 0.5f;
    x.tail = x.upper ? 1.0f - p : p;
    return x;
}

/* The erfinv of M. Giles, "Approximating the erfinv function" (GPU Computing Gems, 2011),
 * single-precision coefficients: Phi^-1(u) = this scale times x for w = -ln(1 - x^2),
 * x = 2u - 1; error below 1e-6 relative to max(1, |z|) for u in [2^-24, 1 - 2^-24]
 * (tests/test_priors.c). Both of its branches are evaluated and one selected, so CPU loops
 * vectorize. */
HD_STATIC_ALWAYS_INLINE float prior_giles_scale(float w)
{
    float central = w - 2.5f;
    float p = 2.81022636e-08f;
    p = 3.43273939e-07f + p * central;
    p = -3.5233877e-06f + p * central;
    p = -4.39150654e-06f + p * central;
    p = 0.00021858087f + p * central;
    p = -0.00125372503f + p * central;
    p = -0.00417768164f + p * central;
    p = 0.246640727f + p * central;
    p = 1.50140941f + p * central;
    float tail = sqrtf(w) - 3.0f;
    float q = -0.000200214257f;
    q = 0.000100950558f + q * tail;
    q = 0.00134934322f + q * tail;
    q = -0.00367342844f + q * tail;
    q = 0.00573950773f + q * tail;
    q = -0.0076224613f + q * tail;
    q = 0.00943887047f + q * tail;
    q = 1.00167406f + q * tail;
    q = 2.83297682f + q * tail;
    return 1.41421356f * (w < 5.0f ? p : q);
}

/* Standard normal quantile from a tail mass t in [2^-93, 1/2] and its side: -Phi^-1(t) above the
 * median, Phi^-1(t) below. Giles' erfinv for t >= 2^-24 (every unrefined uniform); below
 * (refined tails only, |z| > 5.3) the tail rational function of P. J. Acklam, "An algorithm
 * for computing the inverse normal cumulative distribution function" (2003), relative error
 * 1.2e-9 in exact arithmetic, 1e-6 in float (tests/test_priors.c). */
static inline HD float prior_normal_quantile_tail(float t, int upper)
{
    if (t >= 0x1p-24f) {
        float x = 1.0f - 2.0f * t;                         /* |2u - 1|, exact */
        float w = -fastmath_logf(4.0f * t * (1.0f - t));   /* = -ln(1 - x^2), from t for accuracy */
        return prior_giles_scale(w) * (upper ? x : -x);
    }
    float r = sqrtf(-2.0f * fastmath_logf(t));
    float num = -7.784894002430293e-03f;
    num = num * r - 3.223964580411365e-01f;
    num = num * r - 2.400758277161838e+00f;
    num = num * r - 2.549732539343734e+00f;
    num = num * r + 4.374664141464968e+00f;
    num = num * r + 2.938163982698783e+00f;
    float den = 7.784695709041462e-03f;
    den = den * r + 3.224671290700398e-01f;
    den = den * r + 2.445134137142996e+00f;
    den = den * r + 3.754408661907416e+00f;
    den = den * r + 1.0f;
    float z = num / den;                               /* Phi^-1(t), negative */
    return upper ? -z : z;
}

/* Standard normal quantile Phi^-1(u) for u in [2^-24, 1 - 2^-24] (every unrefined uniform):
 * Giles' erfinv written on u, as the CPU's vectorized loops use it. For every u of the uniform
 * grid it equals prior_normal_quantile_tail(min(u, 1 - u), u > 1/2) bit for bit: 2u - 1 and
 * 1 - 2t are the same exact number, and 4u(1 - u) and 4t(1 - t) the same product of two exact
 * factors (tests/test_priors.c checks all 2^23 values). */
HD_STATIC_ALWAYS_INLINE float prior_normal_quantile(float u)
{
    float x = 2.0f * u - 1.0f;                         /* exact: u is a multiple of 2^-24 */
    float w = -fastmath_logf(4.0f * u * (1.0f - u));   /* = -ln(1 - x^2), from u for accuracy */
    return prior_giles_scale(w) * x;
}

/* Clamp x into [low, high] (guards float rounding at a bounded prior's edges). */
HD_STATIC_ALWAYS_INLINE float prior_clamp(float x, float low, float high)
{
    return x < low ? low : (x > high ? high : x);
}

/* Option index k in [0, count) picked by u in (0, 1) from cumulative weights cum[0..count-1]. */
static inline HD int prior_choice_index(const float *cum, int count, float u)
{
    int k = 0;
    while (k < count - 1 && u >= cum[k]) k++;
    return k;
}

/* The kinds' value functions (see PRIOR_KINDS), on the u or tail forms of their uniform. */
static inline HD float prior_fixed_value(const prior_spec *p, const float *data, prior_uniform x)
{
    (void)data;
    (void)x;
    return p->a;
}

HD_STATIC_ALWAYS_INLINE float prior_fixed_word(const prior_spec *p, const float *data,
                                               uint32_t word)
{
    (void)data;
    (void)word;
    return p->a;
}

HD_STATIC_ALWAYS_INLINE float prior_uniform_u(const prior_spec *p, float u)
{
    return prior_clamp(p->a + u * (p->b - p->a), p->low, p->high);
}

static inline HD float prior_uniform_value(const prior_spec *p, const float *data, prior_uniform x)
{
    (void)data;
    return prior_uniform_u(p, x.u);
}

HD_STATIC_ALWAYS_INLINE float prior_uniform_word(const prior_spec *p, const float *data,
                                                 uint32_t word)
{
    (void)data;
    return prior_uniform_u(p, philox_uniform(word));
}

HD_STATIC_ALWAYS_INLINE float prior_loguniform_u(const prior_spec *p, float u)
{
    return prior_clamp(fastmath_expf(p->a + u * (p->b - p->a)), p->low, p->high);
}

static inline HD float prior_loguniform_value(const prior_spec *p, const float *data,
                                              prior_uniform x)
{
    (void)data;
    return prior_loguniform_u(p, x.u);
}

HD_STATIC_ALWAYS_INLINE float prior_loguniform_word(const prior_spec *p, const float *data,
                                                    uint32_t word)
{
    (void)data;
    return prior_loguniform_u(p, philox_uniform(word));
}

static inline HD float prior_normal_value(const prior_spec *p, const float *data, prior_uniform x)
{
    (void)data;
    return p->a + p->b * prior_normal_quantile_tail(x.tail, x.upper);
}

HD_STATIC_ALWAYS_INLINE float prior_normal_word(const prior_spec *p, const float *data,
                                                uint32_t word)
{
    (void)data;
    return p->a + p->b * prior_normal_quantile(philox_uniform(word));
}

HD_STATIC_ALWAYS_INLINE float prior_truncated_normal_u(const prior_spec *p, float u)
{
    /* The mirror image runs from the top, so the quantile function stays increasing. */
    float v = p->c + (p->sign > 0.0f ? u : 1.0f - u) * p->d;
    float z = prior_normal_quantile(v < 0x1p-24f ? 0x1p-24f : v);
    return prior_clamp(p->a + p->sign * p->b * z, p->low, p->high);
}

static inline HD float prior_truncated_normal_value(const prior_spec *p, const float *data,
                                                    prior_uniform x)
{
    (void)data;
    return prior_truncated_normal_u(p, x.u);
}

HD_STATIC_ALWAYS_INLINE float prior_truncated_normal_word(const prior_spec *p,
                                                          const float *data, uint32_t word)
{
    (void)data;
    return prior_truncated_normal_u(p, philox_uniform(word));
}

static inline HD float prior_lognormal_value(const prior_spec *p, const float *data,
                                             prior_uniform x)
{
    (void)data;
    return fastmath_expf(p->a + p->b * prior_normal_quantile_tail(x.tail, x.upper));
}

HD_STATIC_ALWAYS_INLINE float prior_lognormal_word(const prior_spec *p, const float *data,
                                                   uint32_t word)
{
    (void)data;
    return fastmath_expf(p->a + p->b * prior_normal_quantile(philox_uniform(word)));
}

HD_STATIC_ALWAYS_INLINE float prior_triangular_u(const prior_spec *p, float u)
{
    float width = p->c - p->a;
    float below = p->a + sqrtf(u * width * (p->b - p->a));
    float above = p->c - sqrtf((1.0f - u) * width * (p->c - p->b));
    return prior_clamp(u < p->d ? below : above, p->low, p->high);
}

static inline HD float prior_triangular_value(const prior_spec *p, const float *data,
                                              prior_uniform x)
{
    (void)data;
    return prior_triangular_u(p, x.u);
}

HD_STATIC_ALWAYS_INLINE float prior_triangular_word(const prior_spec *p, const float *data,
                                                    uint32_t word)
{
    (void)data;
    return prior_triangular_u(p, philox_uniform(word));
}

/* A quantile table at normal score z (prior_normal_quantile_tail of the draw's tail mass):
 * linear interpolation between the nodes, the end nodes beyond them. */
HD_STATIC_ALWAYS_INLINE float prior_table_at_score(const prior_spec *p, const float *data, float z)
{
    const float *table = data + p->data_offset;
    float last = (float)(p->data_count - 1);
    float position = (z - p->c) * p->d;
    position = position < 0.0f ? 0.0f : (position > last ? last : position);
    int k = (int)position;
    if (k > p->data_count - 2) k = p->data_count - 2;
    float t = position - (float)k;
    return prior_clamp(table[k] + t * (table[k + 1] - table[k]), p->low, p->high);
}

static inline HD float prior_table_value(const prior_spec *p, const float *data, prior_uniform x)
{
    return prior_table_at_score(p, data, prior_normal_quantile_tail(x.tail, x.upper));
}

HD_STATIC_ALWAYS_INLINE float prior_table_word(const prior_spec *p, const float *data,
                                               uint32_t word)
{
    return prior_table_at_score(p, data, prior_normal_quantile(philox_uniform(word)));
}

/* A choice's option at u, and the value it gives its first parameter. */
static inline HD int prior_choice_option(const prior_spec *p, const float *data, float u)
{
    return prior_choice_index(data + p->data_offset, p->data_count, u);
}

static inline HD float prior_choice_value(const prior_spec *p, const float *data, prior_uniform x)
{
    int k = prior_choice_option(p, data, x.u);
    return data[p->data_offset + p->data_count + k * p->choice_slot_count];
}

HD_STATIC_ALWAYS_INLINE float prior_choice_word(const prior_spec *p, const float *data,
                                                uint32_t word)
{
    int k = prior_choice_option(p, data, philox_uniform(word));
    return data[p->data_offset + p->data_count + k * p->choice_slot_count];
}

/* 1 when prior p reads the tail mass of its uniform (refined far into the tails), 0 when it
 * reads u. */
static inline HD int prior_uses_tail(const prior_spec *p)
{
    switch (p->dist) {
#define PRIOR_USES_TAIL_CASE(kind, name, tail) \
    case PRIOR_##kind: return tail;
        PRIOR_KINDS(PRIOR_USES_TAIL_CASE)
#undef PRIOR_USES_TAIL_CASE
    default: return 0;
    }
}

/* Value of prior p at uniform x (a choice: the value of its first parameter). */
HD_STATIC_ALWAYS_INLINE float prior_value(const prior_spec *p, const float *data, prior_uniform x)
{
    switch (p->dist) {
#define PRIOR_VALUE_CASE(kind, name, tail) \
    case PRIOR_##kind: return prior_##name##_value(p, data, x);
        PRIOR_KINDS(PRIOR_VALUE_CASE)
#undef PRIOR_VALUE_CASE
    default: return p->a;
    }
}

/* Write the value(s) of prior p at uniform x into the model inputs (canonical units); input
 * slot s is at inputs[s * stride]. */
HD_STATIC_ALWAYS_INLINE void prior_apply(const prior_spec *p, const float *data, prior_uniform x,
                                         float *inputs, int stride)
{
    if (p->dist == PRIOR_CHOICE) {
        int k = prior_choice_option(p, data, x.u);
        const float *values = data + p->data_offset + p->data_count + k * p->choice_slot_count;
        for (int m = 0; m < p->choice_slot_count; m++)
            inputs[p->choice_slot[m] * stride] = values[m];
        if (p->slot >= 0) inputs[p->slot * stride] = (float)k;
    } else {
        inputs[p->slot * stride] = prior_value(p, data, x);
    }
}

#endif
