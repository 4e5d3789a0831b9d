/* exact_sum.c: the long accumulator: adding a double, adding two sums, rounding to a double. */
#include "exact_sum.h"

#include <math.h>
#include <string.h>

/* Add (or with negative set, subtract) the 64-bit value v << shift (shift < 64) at limb k. */
static void add_at(exact_sum *s, int k, uint64_t v, int shift, int negative)
{
    uint64_t low = shift ? v << shift : v;
    uint64_t high = shift ? v >> (64 - shift) : 0;
    uint64_t parts[2] = {low, high};
    if (!negative) {
        unsigned carry = 0;
        for (int j = k; j < EXACT_SUM_LIMBS; j++) {
            uint64_t add = j - k < 2 ? parts[j - k] : 0;
            if (j - k >= 2 && !carry) break;
            uint64_t before = s->limb[j];
            uint64_t after = before + add + carry;
            carry = after < before || (carry && after == before);
            s->limb[j] = after;
        }
    } else {
        unsigned borrow = 0;
        for (int j = k; j < EXACT_SUM_LIMBS; j++) {
            uint64_t sub = j - k < 2 ? parts[j - k] : 0;
            if (j - k >= 2 && !borrow) break;
            uint64_t before = s->limb[j];
            uint64_t after = before - sub - borrow;
            borrow = before < sub || (borrow && before == sub);
            s->limb[j] = after;
        }
    }
}

void exact_sum_add(exact_sum *s, double x)
{
    if (x == 0 || !isfinite(x)) return;
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int negative = (int)(bits >> 63);
    int biased = (int)((bits >> 52) & 0x7ff);
    uint64_t mantissa = bits & 0xfffffffffffffull;
    int exponent;   /* x = +-mantissa 2^exponent with mantissa an integer */
    if (biased == 0) {
        exponent = -1074;
    } else {
        mantissa |= 1ull << 52;
        exponent = biased - 1075;
    }
    int position = exponent - EXACT_SUM_LOW_EXPONENT;   /* >= 14 */
    add_at(s, position / 64, mantissa, position % 64, negative);
}

void exact_sum_merge(exact_sum *a, const exact_sum *b)
{
    unsigned carry = 0;
    for (int j = 0; j < EXACT_SUM_LIMBS; j++) {
        uint64_t before = a->limb[j];
        uint64_t after = before + b->limb[j] + carry;
        carry = after < before || (carry && after == before);
        a->limb[j] = after;
    }
}

double exact_sum_value(const exact_sum *s)
{
    exact_sum magnitude = *s;
    int negative = (int)(s->limb[EXACT_SUM_LIMBS - 1] >> 63);
    if (negative) {   /* two's complement negation */
        unsigned carry = 1;
        for (int j = 0; j < EXACT_SUM_LIMBS; j++) {
            uint64_t inverted = ~magnitude.limb[j];
            magnitude.limb[j] = inverted + carry;
            carry = carry && magnitude.limb[j] == 0;
        }
    }
    int top = EXACT_SUM_LIMBS - 1;
    while (top >= 0 && magnitude.limb[top] == 0) top--;
    if (top < 0) return 0.0;
    /* The 64 bits from the highest set bit down, and whether any bit below them is set. */
    int lead = 63;
    while (!((magnitude.limb[top] >> lead) & 1)) lead--;
    int high_bit = 64 * top + lead;   /* index of the highest set bit */
    uint64_t window = 0;
    int sticky = 0;
    for (int bit = high_bit; bit > high_bit - 64 && bit >= 0; bit--)
        window = (window << 1) | ((magnitude.limb[bit / 64] >> (bit % 64)) & 1);
    int low_bit = high_bit - 63;   /* weight of the window's lowest bit, as a bit index */
    if (low_bit < 0) {
        window <<= -low_bit;   /* fewer than 64 bits in all: exact, no sticky bits */
    } else {
        for (int j = 0; j < low_bit / 64 && !sticky; j++) sticky = magnitude.limb[j] != 0;
        if (!sticky && low_bit % 64)
            sticky = (magnitude.limb[low_bit / 64] & ((1ull << (low_bit % 64)) - 1)) != 0;
    }
    /* A set sticky bit keeps a window that looks like an exact tie from rounding to even. */
    if (sticky) window |= 1;
    double value = ldexp((double)window, low_bit + EXACT_SUM_LOW_EXPONENT);
    return negative ? -value : value;
}
