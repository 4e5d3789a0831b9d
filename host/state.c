/* state.c: allocation, the one merge, and the byte serialisation of a run's state. */
#include "state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

int run_state_alloc(run_state *s, int output_count, int hist_total, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->output_count = output_count;
    s->hist_total = hist_total;
    for (int o = 0; o < PLAN_MAX_OUTPUTS; o++) {
        s->moments[o].min = INFINITY;
        s->moments[o].max = -INFINITY;
    }
    s->hist = calloc(hist_total > 0 ? (size_t)hist_total : 1, sizeof *s->hist);
    if (!s->hist) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    return THIRST_OK;
}

void run_state_free(run_state *s)
{
    free(s->hist);
    free(s->sobol_sums);
    free(s->replicate);
    s->hist = NULL;
    s->sobol_sums = NULL;
    s->replicate = NULL;
}

int run_state_alloc_replicates(run_state *s, int replicates, char *err, size_t errlen)
{
    free(s->replicate);
    s->replicates = replicates;
    size_t count = (size_t)replicates * (size_t)s->output_count;
    s->replicate = calloc(count ? count : 1, sizeof *s->replicate);
    if (!s->replicate) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    return THIRST_OK;
}

void run_state_add_replicate(run_state *s, int r, int o, uint64_t n, double sum,
                             double sum_squares)
{
    state_replicate *x = &s->replicate[(size_t)r * (size_t)s->output_count + (size_t)o];
    if (!n) return;
    x->n += n;
    exact_sum_add(&x->sum, sum);
    exact_sum_add(&x->sum_squares, sum_squares);
}

int run_state_alloc_sobol(run_state *s, int batches, int terms, char *err, size_t errlen)
{
    free(s->sobol_sums);
    s->sobol_batches = batches;
    s->sobol_terms = terms;
    s->sobol_first = s->sobol_end = 0;
    size_t count = (size_t)batches * (size_t)terms;
    s->sobol_sums = calloc(count ? count : 1, sizeof *s->sobol_sums);
    if (!s->sobol_sums) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    return THIRST_OK;
}

void run_state_add_sobol_batches(run_state *s, int first, int end)
{
    if (s->sobol_first == s->sobol_end) s->sobol_first = first;
    s->sobol_end = end;
}

/* The earlier range's extremes win ties (-0 against +0), as a draw-by-draw loop keeps them. */
static void merge_extremes(state_moments *a, float min, float max)
{
    if (min < a->min) a->min = min;
    if (max > a->max) a->max = max;
}

void run_state_add_unit(run_state *s, int o, const accum_moments *unit)
{
    state_moments *m = &s->moments[o];
    m->nonfinite += unit->nonfinite;
    if (unit->n == 0) return;
    m->n += unit->n;
    exact_sum_add(&m->sum, unit->sum);
    exact_sum_add(&m->sum_squares, unit->sum_squares);
    merge_extremes(m, unit->min, unit->max);
}

int run_state_merge(run_state *dst, const run_state *src, char *err, size_t errlen)
{
    if (dst->output_count != src->output_count || dst->hist_total != src->hist_total ||
        dst->sobol_batches != src->sobol_batches || dst->sobol_terms != src->sobol_terms ||
        dst->replicates != src->replicates)
        return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                           "cannot merge states of different layouts");
    int src_batches = src->sobol_end > src->sobol_first;
    if (src_batches && dst->sobol_end > dst->sobol_first && src->sobol_first != dst->sobol_end)
        return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                           "cannot merge Sobol batches [%d, %d) after [%d, %d): not adjacent",
                           src->sobol_first, src->sobol_end, dst->sobol_first, dst->sobol_end);
    for (int o = 0; o < dst->output_count; o++) {
        state_moments *a = &dst->moments[o];
        const state_moments *b = &src->moments[o];
        a->nonfinite += b->nonfinite;
        if (b->n == 0) continue;
        a->n += b->n;
        exact_sum_merge(&a->sum, &b->sum);
        exact_sum_merge(&a->sum_squares, &b->sum_squares);
        merge_extremes(a, b->min, b->max);
    }
    for (int k = 0; k < dst->hist_total; k++) dst->hist[k] += src->hist[k];
    if (src_batches) {
        size_t row = (size_t)src->sobol_terms;
        memcpy(dst->sobol_sums + (size_t)src->sobol_first * row,
               src->sobol_sums + (size_t)src->sobol_first * row,
               (size_t)(src->sobol_end - src->sobol_first) * row * sizeof *dst->sobol_sums);
        if (dst->sobol_end == dst->sobol_first) dst->sobol_first = src->sobol_first;
        dst->sobol_end = src->sobol_end;
    }
    for (size_t k = 0; k < (size_t)src->replicates * (size_t)src->output_count; k++) {
        dst->replicate[k].n += src->replicate[k].n;
        exact_sum_merge(&dst->replicate[k].sum, &src->replicate[k].sum);
        exact_sum_merge(&dst->replicate[k].sum_squares, &src->replicate[k].sum_squares);
    }
    return THIRST_OK;
}

double run_state_sum(const run_state *s, int o)
{
    return exact_sum_value(&s->moments[o].sum);
}

double run_state_sum_squares(const run_state *s, int o)
{
    return exact_sum_value(&s->moments[o].sum_squares);
}

int run_state_add_units(run_state *s, const accum_moments *partials, uint64_t unit_count,
                        char *err, size_t errlen)
{
    for (uint64_t u = 0; u < unit_count; u++)
        for (int o = 0; o < s->output_count; o++) {
            const accum_moments *m = &partials[u * (uint64_t)s->output_count + (uint64_t)o];
            if (m->n && (!isfinite(m->sum) || !isfinite(m->sum_squares)))
                return status_fail(err, errlen, THIRST_ERR_DEVICE,
                                   "reported output %d: a work unit's float sums on the device "
                                   "overflow (values reach about 1e19 away from the mean); the "
                                   "CPU's double sums do not: run it with --backend cpu", o);
            run_state_add_unit(s, o, m);
        }
    return THIRST_OK;
}

int run_state_check_counts(const run_state *s, const int32_t *hist_offset,
                           const accum_hist_spec *hist, char *err, size_t errlen)
{
    for (int o = 0; o < s->output_count; o++) {
        uint64_t counted = 0;
        for (int k = 0; k < hist[o].bins + 2; k++) counted += s->hist[hist_offset[o] + k];
        if (counted != s->moments[o].n)
            return status_fail(err, errlen, THIRST_ERR_DEVICE,
                               "reported output %d: the histogram holds %llu values of %llu "
                               "draws (counts lost or doubled on the device)", o,
                               (unsigned long long)counted, (unsigned long long)s->moments[o].n);
    }
    return THIRST_OK;
}

/* Serialisation: "THIRSTS2"; output_count, hist_total, sobol_batches, sobol_terms,
 * sobol_first, sobol_end, replicates (uint32); per output n, nonfinite (uint64), min, max
 * (float bits), the limbs of both sums; the histogram counters; the Sobol sums (double bits,
 * every row); per replicate and output n and the limbs of both sums. */
#define STATE_MAGIC "THIRSTS2"

static unsigned char *put_u64(unsigned char *p, uint64_t v)
{
    for (int k = 0; k < 8; k++) *p++ = (unsigned char)(v >> (8 * k));
    return p;
}

static const unsigned char *get_u64(const unsigned char *p, uint64_t *v)
{
    *v = 0;
    for (int k = 0; k < 8; k++) *v |= (uint64_t)*p++ << (8 * k);
    return p;
}

static size_t moments_bytes(void)
{
    return 8 + 8 + 4 + 4 + 2 * 8 * EXACT_SUM_LIMBS;
}

#define STATE_HEADER_WORDS 7

/* Bytes of the serialisation of a state of this layout. */
static size_t layout_bytes(size_t outputs, size_t hist_total, size_t batches, size_t terms,
                           size_t replicates)
{
    return 8 + 4 * STATE_HEADER_WORDS + outputs * moments_bytes() + 8 * hist_total +
           8 * batches * terms + replicates * outputs * (8 + 2 * 8 * EXACT_SUM_LIMBS);
}

size_t run_state_bytes(const run_state *s)
{
    return layout_bytes((size_t)s->output_count, (size_t)s->hist_total,
                        (size_t)s->sobol_batches, (size_t)s->sobol_terms,
                        (size_t)s->replicates);
}

size_t run_state_serialize(const run_state *s, unsigned char *out, size_t size)
{
    size_t bytes = run_state_bytes(s);
    if (size < bytes) return 0;
    unsigned char *p = out;
    memcpy(p, STATE_MAGIC, 8);
    p += 8;
    uint32_t header[STATE_HEADER_WORDS] = {
        (uint32_t)s->output_count, (uint32_t)s->hist_total, (uint32_t)s->sobol_batches,
        (uint32_t)s->sobol_terms, (uint32_t)s->sobol_first, (uint32_t)s->sobol_end,
        (uint32_t)s->replicates};
    for (int h = 0; h < STATE_HEADER_WORDS; h++)
        for (int k = 0; k < 4; k++) *p++ = (unsigned char)(header[h] >> (8 * k));
    for (int o = 0; o < s->output_count; o++) {
        const state_moments *m = &s->moments[o];
        p = put_u64(p, m->n);
        p = put_u64(p, m->nonfinite);
        uint32_t extremes[2];
        memcpy(&extremes[0], &m->min, 4);
        memcpy(&extremes[1], &m->max, 4);
        for (int e = 0; e < 2; e++)
            for (int k = 0; k < 4; k++) *p++ = (unsigned char)(extremes[e] >> (8 * k));
        for (int j = 0; j < EXACT_SUM_LIMBS; j++) p = put_u64(p, m->sum.limb[j]);
        for (int j = 0; j < EXACT_SUM_LIMBS; j++) p = put_u64(p, m->sum_squares.limb[j]);
    }
    for (int k = 0; k < s->hist_total; k++) p = put_u64(p, s->hist[k]);
    for (size_t k = 0; k < (size_t)s->sobol_batches * (size_t)s->sobol_terms; k++) {
        uint64_t bits;
        memcpy(&bits, &s->sobol_sums[k], 8);
        p = put_u64(p, bits);
    }
    for (size_t k = 0; k < (size_t)s->replicates * (size_t)s->output_count; k++) {
        const state_replicate *x = &s->replicate[k];
        p = put_u64(p, x->n);
        for (int j = 0; j < EXACT_SUM_LIMBS; j++) p = put_u64(p, x->sum.limb[j]);
        for (int j = 0; j < EXACT_SUM_LIMBS; j++) p = put_u64(p, x->sum_squares.limb[j]);
    }
    return (size_t)(p - out);
}

int run_state_deserialize(run_state *s, const unsigned char *in, size_t size, char *err,
                          size_t errlen)
{
    memset(s, 0, sizeof *s);
    const size_t header_bytes = 8 + 4 * STATE_HEADER_WORDS;
    if (size < header_bytes || memcmp(in, STATE_MAGIC, 8) != 0)
        return status_fail(err, errlen, THIRST_ERR_INPUT, "not a thirst state (bad header)");
    uint32_t header[STATE_HEADER_WORDS] = {0};
    for (int h = 0; h < STATE_HEADER_WORDS; h++)
        for (int k = 0; k < 4; k++) header[h] |= (uint32_t)in[8 + 4 * h + k] << (8 * k);
    if (header[0] > PLAN_MAX_OUTPUTS || header[1] > (1u << 28) || header[2] > (1u << 16) ||
        header[3] > (1u << 16) || header[4] > header[5] || header[5] > header[2] ||
        (header[2] == 0) != (header[3] == 0) || header[6] > PLAN_MAX_REPLICATES)
        return status_fail(err, errlen, THIRST_ERR_INPUT, "not a thirst state (bad sizes)");
    /* The size first: a damaged header must not make us allocate what the bytes cannot hold. */
    size_t expected = layout_bytes(header[0], header[1], header[2], header[3], header[6]);
    if (size != expected)
        return status_fail(err, errlen, THIRST_ERR_INPUT,
                           "not a thirst state (%zu bytes, expected %zu)", size, expected);
    int status = run_state_alloc(s, (int)header[0], (int)header[1], err, errlen);
    if (!status && header[2])
        status = run_state_alloc_sobol(s, (int)header[2], (int)header[3], err, errlen);
    if (!status && header[6])
        status = run_state_alloc_replicates(s, (int)header[6], err, errlen);
    if (status) {
        run_state_free(s);
        return status;
    }
    s->sobol_first = (int)header[4];
    s->sobol_end = (int)header[5];
    const unsigned char *p = in + header_bytes;
    for (int o = 0; o < s->output_count; o++) {
        state_moments *m = &s->moments[o];
        p = get_u64(p, &m->n);
        p = get_u64(p, &m->nonfinite);
        uint32_t extremes[2] = {0, 0};
        for (int e = 0; e < 2; e++)
            for (int k = 0; k < 4; k++) extremes[e] |= (uint32_t)*p++ << (8 * k);
        memcpy(&m->min, &extremes[0], 4);
        memcpy(&m->max, &extremes[1], 4);
        for (int j = 0; j < EXACT_SUM_LIMBS; j++) p = get_u64(p, &m->sum.limb[j]);
        for (int j = 0; j < EXACT_SUM_LIMBS; j++) p = get_u64(p, &m->sum_squares.limb[j]);
    }
    for (int k = 0; k < s->hist_total; k++) p = get_u64(p, &s->hist[k]);
    for (size_t k = 0; k < (size_t)s->sobol_batches * (size_t)s->sobol_terms; k++) {
        uint64_t bits;
        p = get_u64(p, &bits);
        memcpy(&s->sobol_sums[k], &bits, 8);
    }
    for (size_t k = 0; k < (size_t)s->replicates * (size_t)s->output_count; k++) {
        state_replicate *x = &s->replicate[k];
        p = get_u64(p, &x->n);
        for (int j = 0; j < EXACT_SUM_LIMBS; j++) p = get_u64(p, &x->sum.limb[j]);
        for (int j = 0; j < EXACT_SUM_LIMBS; j++) p = get_u64(p, &x->sum_squares.limb[j]);
    }
    return THIRST_OK;
}
