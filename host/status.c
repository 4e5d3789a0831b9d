/* status.c: the error-message helper behind every failing library call. */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>

/* Fill err printf-style and return status (THIRST_ERR_*). */
int status_fail(char *err, size_t errlen, int status, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return status;
}
