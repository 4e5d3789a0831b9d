/* utf8.h: UTF-8 well-formedness (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF), for the scenario checks, one-line messages and text that goes into JSON and HTML. */
#ifndef THIRST_UTF8_H
#define THIRST_UTF8_H

#include <stddef.h>

/* Length (1 to 4) of the well-formed UTF-8 sequence that starts text (at most `available`
 * bytes readable; a NUL byte ends it too), or 0 when the bytes there do not form one. */
int utf8_sequence(const unsigned char *text, size_t available);

/* Copy text into out (capacity size, always terminated), each byte that is not part of a
 * well-formed sequence replaced by U+FFFD; returns out. */
char *utf8_sanitize(const char *text, char *out, size_t size);

#endif
