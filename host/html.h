/* html.h: what the HTML reports share (host/html.c): a growing text buffer with printf and
 * XML escaping, the page's head and style, the inputs table, and the atomic write. */
#ifndef THIRST_HTML_H
#define THIRST_HTML_H

#include <stddef.h>

#include "scenario.h"

/* A growing text buffer; failed is set when memory runs out (later appends do nothing). */
typedef struct {
    char *text;
    size_t length, capacity;
    int failed;
} html_buffer;

/* Append printf-style text. */
void put(html_buffer *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append text with &, <, > and quotes escaped (and bytes that are not UTF-8 replaced). */
void put_escaped(html_buffer *b, const char *text);

/* The XHTML head (title from s, the reports' style: tables that scroll in their box, figures
 * that shrink, a phone layout) and the opening <h1>. */
void html_begin(html_buffer *b, const scenario *s);

/* The inputs table: each parameter's distribution, prior in canonical units, point, source. */
void html_put_inputs(html_buffer *b, const scenario *s);

/* Close the page and write it to path atomically; frees the buffer. */
int html_end(html_buffer *b, const char *path, char *err, size_t errlen);

#endif
