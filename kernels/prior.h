/* prior.h: inverse-transform sampling of every prior from one uniform each, shared by the CPU
 * and CUDA backends. The host (host/prior_build.c) turns the published parameterisations into
 * the canonical prior_spec below; this header only maps a uniform in (0, 1) to a value.
 * Quantile tables (beta, PERT) live in a float array owned by the caller. */
#ifndef THIRST_PRIOR_H
#define THIRST_PRIOR_H

#include "fastmath.h"
#include "hd.h"

enum prior_dist {
    PRIOR_FIXED = 0,          /* a = value */
    PRIOR_UNIFORM,            /* a = low, b = high */
    PRIOR_LOGUNIFORM,         /* a = ln(low), b = ln(high) */
    PRIOR_NORMAL,             /* a = mean, b = sd */
    PRIOR_TRUNCATED_NORMAL,   /* a = mean, b = sd, c = Phi(lower bound in z), d = mass kept,
                                 sign = +1, or -1 when sampled as the mirror image; clamped to [low, high] */
    PRIOR_LOGNORMAL,          /* a = mu (ln of median), b = sigma (ln of GSD) */
    PRIOR_TRIANGULAR,         /* a = low, b = mode, c = high, d = CDF at the mode */
    PRIOR_TABLE,              /* quantile table: data[offset + k] = x at u = k / (count - 1) */
    PRIOR_CHOICE              /* data[offset + k] = cumulative weight of option k (last = 1),
                                 then data[offset + count + k * slots + m] = value m of option k */
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

/* Standard normal quantile Phi^-1(u) for u in [2^-24, 1 - 2^-24] (every uniform thirst makes),
 * from erfinv by M. Giles, "Approximating the erfinv function" (GPU Computing Gems, 2011),
 * single-precision coefficients. Error below 1e-6 relative to max(1, |z|) on that range
 * (tests/test_priors.c); accuracy degrades for u below about 1e-8, which no caller passes.
 * Both of Giles' branches are evaluated and one is selected, so CPU loops vectorize. */
static inline HD float prior_normal_quantile(float u)
{
    float x = 2.0f * u - 1.0f;                       /* exact: u is a multiple of 2^-24 */
    float w = -fastmath_logf(4.0f * u * (1.0f - u)); /* = -ln(1 - x^2), from u for accuracy */
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
    return 1.41421356f * (w < 5.0f ? p : q) * x;
}

/* Clamp x into [low, high] (guards float rounding at a bounded prior's edges). */
static inline HD float prior_clamp(float x, float low, float high)
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

/* One function per distribution: the value of prior p at uniform u in (0, 1). */
static inline HD float prior_uniform_value(const prior_spec *p, float u)
{
    return prior_clamp(p->a + u * (p->b - p->a), p->low, p->high);
}

static inline HD float prior_loguniform_value(const prior_spec *p, float u)
{
    return prior_clamp(fastmath_expf(p->a + u * (p->b - p->a)), p->low, p->high);
}

static inline HD float prior_normal_value(const prior_spec *p, float u)
{
    return p->a + p->b * prior_normal_quantile(u);
}

static inline HD float prior_truncated_normal_value(const prior_spec *p, float u)
{
    /* The mirror image runs from the top, so the quantile function stays increasing. */
    float v = p->c + (p->sign > 0.0f ? u : 1.0f - u) * p->d;
    float z = prior_normal_quantile(v < 0x1p-24f ? 0x1p-24f : v);
    return prior_clamp(p->a + p->sign * p->b * z, p->low, p->high);
}

static inline HD float prior_lognormal_value(const prior_spec *p, float u)
{
    return fastmath_expf(p->a + p->b * prior_normal_quantile(u));
}

static inline HD float prior_triangular_value(const prior_spec *p, float u)
{
    float width = p->c - p->a;
    float below = p->a + sqrtf(u * width * (p->b - p->a));
    float above = p->c - sqrtf((1.0f - u) * width * (p->c - p->b));
    return prior_clamp(u < p->d ? below : above, p->low, p->high);
}

static inline HD float prior_table_value(const prior_spec *p, const float *data, float u)
{
    const float *table = data + p->data_offset;
    float position = u * (float)(p->data_count - 1);
    int k = (int)position;
    if (k > p->data_count - 2) k = p->data_count - 2;
    float t = position - (float)k;
    return table[k] + t * (table[k + 1] - table[k]);
}

/* Value of a single-valued prior (every dist but PRIOR_CHOICE) at uniform u in (0, 1). */
static inline HD float prior_value(const prior_spec *p, const float *data, float u)
{
    switch (p->dist) {
    case PRIOR_UNIFORM: return prior_uniform_value(p, u);
    case PRIOR_LOGUNIFORM: return prior_loguniform_value(p, u);
    case PRIOR_NORMAL: return prior_normal_value(p, u);
    case PRIOR_TRUNCATED_NORMAL: return prior_truncated_normal_value(p, u);
    case PRIOR_LOGNORMAL: return prior_lognormal_value(p, u);
    case PRIOR_TRIANGULAR: return prior_triangular_value(p, u);
    case PRIOR_TABLE: return prior_table_value(p, data, u);
    default: return p->a;   /* PRIOR_FIXED */
    }
}

/* Write the value(s) of prior p at uniform u into the model inputs (canonical units); input
 * slot s is at inputs[s * stride]. */
static inline HD void prior_apply(const prior_spec *p, const float *data, float u, float *inputs,
                                  int stride)
{
    if (p->dist == PRIOR_CHOICE) {
        const float *cum = data + p->data_offset;
        int k = prior_choice_index(cum, p->data_count, u);
        const float *values = cum + p->data_count + k * p->choice_slot_count;
        for (int m = 0; m < p->choice_slot_count; m++)
            inputs[p->choice_slot[m] * stride] = values[m];
        if (p->slot >= 0) inputs[p->slot * stride] = (float)k;
    } else {
        inputs[p->slot * stride] = prior_value(p, data, u);
    }
}

#endif
