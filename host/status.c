/* status.c: the error-message helper behind every failing library call. */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>

void status_one_line(char *text, size_t size)
{
    char escaped[THIRST_ERR_LEN * 2];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && n + 5 < sizeof escaped; p++) {
        if (*p >= 0x20 && *p != 0x7f) {
            escaped[n++] = (char)*p;
        } else if (*p == '\n' || *p == '\t' || *p == '\r') {
            escaped[n++] = '\\';
            escaped[n++] = *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r';
        } else {
            n += (size_t)snprintf(escaped + n, sizeof escaped - n, "\\x%02x", *p);
        }
    }
    escaped[n] = '\0';
    snprintf(text, size, "%s", escaped);
}

/* Fill err printf-style, on one line, and return status (THIRST_ERR_*). */
int status_fail(char *err, size_t errlen, int status, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
        status_one_line(err, errlen);
    }
    return status;
}
