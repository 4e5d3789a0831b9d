/* check.h: the tests' assertion macro. CHECK counts failures and goes on (never assert(),
 * which NDEBUG removes); check_done() prints "N passed, M failed" and gives the exit code. */
#ifndef THIRST_CHECK_H
#define THIRST_CHECK_H

#include <stdio.h>

static int check_total = 0, check_failed = 0;

#define CHECK(condition, ...)                                                   \
    do {                                                                        \
        check_total++;                                                          \
        if (!(condition)) {                                                     \
            check_failed++;                                                     \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                \
            fprintf(stderr, __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                \
        }                                                                       \
    } while (0)

/* Print the tally; returns the process exit code (0 when nothing failed). */
static inline int check_done(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, check_total - check_failed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
