/* html.c: what the HTML reports share (host/html.h): the text buffer, XML escaping, the page's
 * head and style, the inputs table and the write. */
#include "html.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output_file.h"
#include "prior_build.h"
#include "status.h"
#include "units.h"
#include "utf8.h"

void put(html_buffer *b, const char *fmt, ...)
{
    if (b->failed) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if (b->length + (size_t)n + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 65536;
        while (capacity < b->length + (size_t)n + 1) capacity *= 2;
        char *grown = realloc(b->text, capacity);
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->text = grown;
        b->capacity = capacity;
    }
    va_start(ap, fmt);
    vsnprintf(b->text + b->length, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->length += (size_t)n;
}

void put_escaped(html_buffer *b, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        int length = utf8_sequence(p, 4);
        if (length > 1) {
            put(b, "%.*s", length, (const char *)p);
            p += length - 1;
            continue;
        }
        switch (*p) {
        case '&': put(b, "&amp;"); break;
        case '<': put(b, "&lt;"); break;
        case '>': put(b, "&gt;"); break;
        case '"': put(b, "&quot;"); break;
        case '\t': case '\n': case '\r': put(b, "%c", *p); break;
        /* XML allows no other control character; bytes that are not UTF-8 are replaced. */
        default:
            if (*p < 0x20 || *p >= 0x80) put(b, "\xef\xbf\xbd");   /* U+FFFD */
            else put(b, "%c", *p);
        }
    }
}

void html_begin(html_buffer *b, const scenario *s)
{
    put(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
        "<meta charset=\"UTF-8\"/>\n<title>thirst: ");
    put_escaped(b, s->id);
    put(b, "</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        "<style>\nbody{font-family:sans-serif;margin:2em auto;padding:0 1em;max-width:960px;"
        "color:#222}table{border-collapse:collapse;font-size:14px}td,th{padding:3px 5px;"
        "border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}th{white-space:normal}td:first-child,th:first-child{text-align:left}"
        ".wide{overflow-x:auto;max-width:100%%}td.source{white-space:normal;text-align:left;"
        "min-width:16em}svg{max-width:100%%;height:auto}"
        ".bar{fill:#4a78b0}.interval{fill:#f2d49b;opacity:0.6}.median{stroke:#b03a2e;"
        "stroke-width:2}.point{stroke:#222;stroke-width:1.5;stroke-dasharray:5 3}"
        ".axis,.tick,.whisker{stroke:#444}text{font-size:12px;fill:#333}"
        ".first{fill:#4a78b0}.total{fill:none;stroke:#4a78b0}.low{fill:#9cb7d8}.high{fill:#2f5a8f}"
        "@media (max-width:600px){body{margin:0.5em auto}td,th{padding:2px 4px}}\n</style>\n"
        "</head>\n<body>\n<h1>");
}

void html_put_inputs(html_buffer *b, const scenario *s)
{
    put(b, "<h2 id=\"inputs\">Inputs</h2>\n<div class=\"wide\"><table class=\"inputs\">\n<tr><th>"
        "parameter</th><th>unit</th><th>prior</th><th>point</th><th>source</th></tr>\n");
    for (int k = 0; k < s->param_count; k++) {
        const scenario_param *sp = &s->params[k];
        const units_param *u = sp->is_user || sp->is_group ? NULL : units_param_of_slot(sp->prior.slot);
        put(b, "<tr><td>");
        put_escaped(b, sp->name);
        put(b, "</td><td>");
        put_escaped(b, u ? u->unit : sp->unit);
        put(b, "</td><td>");
        put_escaped(b, sp->dist);
        const char *names[4];
        double values[4];
        int n = sp->is_group ? 0 : prior_build_describe(&sp->prior, names, values);
        for (int m = 0; m < n; m++)
            if (isfinite(values[m])) put(b, "%s %s %.4g", m ? "," : "", names[m], values[m]);
        if (sp->prior.dist == PRIOR_CHOICE)
            put(b, ", %d options", sp->prior.data_count);
        put(b, "</td><td>");
        if (sp->has_point && !sp->is_group) put(b, "%.6g", sp->point);
        put(b, "</td><td class=\"source\">");
        put_escaped(b, sp->source);
        put(b, "</td></tr>\n");
    }
    put(b, "</table></div>\n");
}

int html_end(html_buffer *b, const char *path, char *err, size_t errlen)
{
    put(b, "</body>\n</html>\n");
    int status = b->failed ? status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory")
                           : output_file_write(path, b->text, strlen(b->text), err, errlen);
    free(b->text);
    b->text = NULL;
    return status;
}
