/* number.c: strict number syntax (JSON's), doubles through strtod with overflow and underflow
 * checks, and whole numbers in exact integer arithmetic. */
#include "number.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The parts of a number in JSON syntax. */
typedef struct {
    int negative;
    const char *integer;      /* digits before the point */
    size_t integer_length;
    const char *fraction;     /* digits after the point (may be empty) */
    size_t fraction_length;
    long exponent;            /* clamped to +-100000 (far beyond any double) */
    int nonzero;              /* some digit is not 0 */
} number_parts;

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Split text[0..length) into parts; NUMBER_SYNTAX unless it is exactly one JSON number. */
static int split(const char *text, size_t length, number_parts *p)
{
    size_t i = 0;
    memset(p, 0, sizeof *p);
    if (i < length && text[i] == '-') {
        p->negative = 1;
        i++;
    }
    p->integer = text + i;
    while (i < length && is_digit(text[i])) i++;
    p->integer_length = (size_t)(text + i - p->integer);
    if (p->integer_length == 0 || (p->integer_length > 1 && p->integer[0] == '0'))
        return NUMBER_SYNTAX;
    p->fraction = text + i;
    if (i < length && text[i] == '.') {
        p->fraction = text + ++i;
        while (i < length && is_digit(text[i])) i++;
        p->fraction_length = (size_t)(text + i - p->fraction);
        if (p->fraction_length == 0) return NUMBER_SYNTAX;
    }
    if (i < length && (text[i] == 'e' || text[i] == 'E')) {
        i++;
        int exponent_negative = 0;
        if (i < length && (text[i] == '+' || text[i] == '-')) exponent_negative = text[i++] == '-';
        size_t start = i;
        long exponent = 0;
        while (i < length && is_digit(text[i])) {
            if (exponent < 100000) exponent = 10 * exponent + (text[i] - '0');
            i++;
        }
        if (i == start) return NUMBER_SYNTAX;
        p->exponent = exponent_negative ? -exponent : exponent;
    }
    if (i != length) return NUMBER_SYNTAX;
    for (size_t k = 0; k < p->integer_length; k++) p->nonzero |= p->integer[k] != '0';
    for (size_t k = 0; k < p->fraction_length; k++) p->nonzero |= p->fraction[k] != '0';
    return NUMBER_OK;
}

int number_parse(const char *text, size_t length, double *out)
{
    number_parts p;
    if (split(text, length, &p)) return NUMBER_SYNTAX;
    char buffer[128];
    char *copy = length < sizeof buffer ? buffer : malloc(length + 1);
    if (!copy) return NUMBER_SYNTAX;
    memcpy(copy, text, length);
    copy[length] = '\0';
    double v = strtod(copy, NULL);
    if (copy != buffer) free(copy);
    if (isinf(v)) return NUMBER_OVERFLOW;
    if (p.nonzero && fabs(v) < DBL_MIN) return NUMBER_UNDERFLOW;
    *out = v;
    return NUMBER_OK;
}

int number_parse_whole(const char *text, size_t length, uint64_t low, uint64_t high,
                       uint64_t *out)
{
    number_parts p;
    if (split(text, length, &p)) return NUMBER_SYNTAX;
    if (!p.nonzero) {
        if (low > 0) return NUMBER_RANGE;
        *out = 0;
        return NUMBER_OK;
    }
    /* The digits (integer, then fraction) from the first to the last nonzero one, d, times
     * 10^scale: the number is whole when scale >= 0. */
    size_t total = p.integer_length + p.fraction_length, first = 0, last = total - 1;
#define DIGIT(k) ((k) < p.integer_length ? p.integer[k] : p.fraction[(k) - p.integer_length])
    while (DIGIT(first) == '0') first++;
    while (DIGIT(last) == '0') last--;
    long scale = p.exponent - (long)p.fraction_length + (long)(total - 1 - last);
    if (scale < 0) return NUMBER_NOT_WHOLE;
    if (p.negative || (long)(last - first + 1) + scale > 20) return NUMBER_RANGE;
    uint64_t v = 0;
    for (size_t k = first; k < last + 1 + (size_t)scale; k++) {
        unsigned digit = k <= last ? (unsigned)(DIGIT(k) - '0') : 0;
        if (v > (UINT64_MAX - digit) / 10) return NUMBER_RANGE;
        v = 10 * v + digit;
    }
#undef DIGIT
    if (v < low || v > high) return NUMBER_RANGE;
    *out = v;
    return NUMBER_OK;
}

int number_read(const char *text, double *out)
{
    return number_parse(text, strlen(text), out);
}

int number_read_whole(const char *text, uint64_t low, uint64_t high, uint64_t *out)
{
    return number_parse_whole(text, strlen(text), low, high, out);
}

const char *number_problem(int status)
{
    switch (status) {
    case NUMBER_SYNTAX: return "not a number as JSON writes them (12, 0.5, 1e9)";
    case NUMBER_OVERFLOW: return "a number too large for a double";
    case NUMBER_UNDERFLOW: return "a number too small for a double (it would read as 0)";
    case NUMBER_NOT_WHOLE: return "not a whole number";
    case NUMBER_RANGE: return "out of range";
    default: return "a number";
    }
}
