/* number.h: the one strict reader of numbers, for the command line and the scenario file alike.
 * The whole text must be a number as JSON writes it (optional minus, digits without a leading
 * zero, optional fraction and exponent: 1000000, 1e9, 2.5e6, -0.04, 3.5E-2), finite in double
 * precision and not so small that a double loses it (underflow). Whole numbers (draw counts,
 * seeds, indices) are read exactly, digit by digit, never through a double: a seed of
 * 2^53 + 1 stays 2^53 + 1. */
#ifndef THIRST_NUMBER_H
#define THIRST_NUMBER_H

#include <stddef.h>
#include <stdint.h>

enum number_status {
    NUMBER_OK = 0,
    NUMBER_SYNTAX,      /* not a number, or text after it */
    NUMBER_OVERFLOW,    /* beyond the largest double (about 1.8e308) */
    NUMBER_UNDERFLOW,   /* nonzero but below the smallest normal double (about 2.2e-308) */
    NUMBER_NOT_WHOLE,   /* a whole number was wanted */
    NUMBER_RANGE        /* a whole number outside the allowed range */
};

/* Read text[0..length) as a finite double into *out; NUMBER_OK or the problem. */
int number_parse(const char *text, size_t length, double *out);

/* Read text[0..length) as a whole number in [low, high] into *out, exactly (1e9 and 2.5e6
 * are whole; 1.5 and 1e-3 are not); NUMBER_OK or the problem. */
int number_parse_whole(const char *text, size_t length, uint64_t low, uint64_t high,
                       uint64_t *out);

/* The same for a NUL-terminated string (command-line values). */
int number_read(const char *text, double *out);
int number_read_whole(const char *text, uint64_t low, uint64_t high, uint64_t *out);

/* A few words for a problem, to follow "expected ...": e.g. "a number is too large". */
const char *number_problem(int status);

#endif
