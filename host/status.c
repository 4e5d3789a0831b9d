/* status.c: the error-message helper behind every failing library call. */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

void status_one_line(char *text, size_t size)
{
    char escaped[THIRST_ERR_LEN * 2];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && n + 5 < sizeof escaped; p++) {
        int length = *p >= 0x80 ? utf8_sequence(p, 4) : 0;
        if (length) {
            if (n + (size_t)length + 5 >= sizeof escaped) break;
            memcpy(escaped + n, p, (size_t)length);
            n += (size_t)length;
            p += length - 1;
        } else if (*p >= 0x20 && *p < 0x7f) {
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
    /* A cut inside a multi-byte sequence drops that sequence. */
    size_t length = strlen(text), lead = length;
    while (lead > 0 && ((unsigned char)text[lead - 1] & 0xc0) == 0x80) lead--;
    if (lead > 0 && (unsigned char)text[lead - 1] >= 0xc0 &&
        utf8_sequence((const unsigned char *)text + lead - 1, length - lead + 1) !=
            (int)(length - lead + 1))
        text[lead - 1] = '\0';
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
