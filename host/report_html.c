/* report_html.c: `thirst run --html FILE`: one self-contained XHTML page (inline SVG, inline
 * CSS, no scripts, nothing fetched) with the run's summary table and, per output, a histogram
 * with its central interval shaded and the median marked. Well-formed XML, so any XML parser
 * reads it. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "output_file.h"
#include "report.h"
#include "status.h"
#include "tail.h"
#include "utf8.h"

#define SVG_WIDTH 720
#define SVG_HEIGHT 260
#define PLOT_LEFT 60
#define PLOT_RIGHT 700
#define PLOT_TOP 20
#define PLOT_BOTTOM 220

/* A growing text buffer. */
typedef struct {
    char *text;
    size_t length, capacity;
    int failed;
} html_buffer;

/* Append printf-style text. */
static void put(html_buffer *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(html_buffer *b, const char *fmt, ...)
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

/* Append text with &, <, > and quotes escaped. */
static void put_escaped(html_buffer *b, const char *text)
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

/* x coordinate of value v on the histogram's axis. */
static double x_of(const report_histogram *h, double v)
{
    double low = h->edges[0], high = h->edges[REPORT_PLOT_BINS];
    if (v < low) v = low;
    if (v > high) v = high;
    double t = h->log_scale ? (log(v) - log(low)) / (log(high) - log(low))
                            : (v - low) / (high - low);
    return PLOT_LEFT + t * (PLOT_RIGHT - PLOT_LEFT);
}

/* One output's histogram as an inline SVG. */
static void put_histogram(html_buffer *b, const report_run *r, int o)
{
    const runner_result *result = r->result;
    const stats_output *st = &result->stats[o];
    report_histogram h;
    report_plot_histogram(&result->plan, &result->totals, o, &h);
    uint64_t peak = 1;
    for (int k = 0; k < REPORT_PLOT_BINS; k++) peak = h.counts[k] > peak ? h.counts[k] : peak;
    put(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        "viewBox=\"0 0 %d %d\" role=\"img\">\n", SVG_WIDTH, SVG_HEIGHT, SVG_WIDTH, SVG_HEIGHT);
    double x0 = x_of(&h, st->interval_low), x1 = x_of(&h, st->interval_high);
    put(b, "<rect class=\"interval\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>\n", x0,
        PLOT_TOP, x1 - x0, PLOT_BOTTOM - PLOT_TOP);
    for (int k = 0; k < REPORT_PLOT_BINS; k++) {
        if (!h.counts[k]) continue;
        double left = x_of(&h, h.edges[k]), right = x_of(&h, h.edges[k + 1]);
        double height = (double)(PLOT_BOTTOM - PLOT_TOP) * (double)h.counts[k] / (double)peak;
        put(b, "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>\n", left,
            PLOT_BOTTOM - height, right - left, height);
    }
    double median = NAN;
    for (int k = 0; k < st->quantile_count; k++)
        if (st->probability[k] == 0.5) median = st->quantile[k];
    if (!isnan(median))
        put(b, "<line class=\"median\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
            x_of(&h, median), PLOT_TOP, x_of(&h, median), PLOT_BOTTOM);
    put(b, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", PLOT_LEFT,
        PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM);
    put(b, "<text x=\"%d\" y=\"%d\">%.4g</text>\n", PLOT_LEFT, PLOT_BOTTOM + 18, h.edges[0]);
    put(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.4g</text>\n", PLOT_RIGHT,
        PLOT_BOTTOM + 18, h.edges[REPORT_PLOT_BINS]);
    put(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.4g</text>\n", x0, PLOT_BOTTOM + 34,
        st->interval_low);
    put(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.4g</text>\n", x1, PLOT_BOTTOM + 34,
        st->interval_high);
    put(b, "<text x=\"%d\" y=\"%d\">%s scale; shaded: the central %.10g%% interval; line: the "
        "median</text>\n", PLOT_LEFT, PLOT_TOP - 6, h.log_scale ? "log" : "linear",
        100 * st->interval_probability);
    put(b, "</svg>\n");
}

int report_write_html(const char *path, const report_run *r, char *err, size_t errlen)
{
    const scenario *s = r->s;
    const runner_result *result = r->result;
    const draw_plan *plan = &result->plan;
    html_buffer b = {NULL, 0, 0, 0};
    put(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
        "<meta charset=\"UTF-8\"/>\n<title>thirst: ");
    put_escaped(&b, s->id);
    put(&b, "</title>\n<style>\nbody{font-family:sans-serif;margin:2em;color:#222}"
        "table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #ddd;"
        "text-align:right}td:first-child,th:first-child{text-align:left}"
        ".bar{fill:#4a78b0}.interval{fill:#f2d49b;opacity:0.6}.median{stroke:#b03a2e;"
        "stroke-width:2}.axis{stroke:#444}text{font-size:12px;fill:#333}\n</style>\n</head>\n"
        "<body>\n<h1>");
    put_escaped(&b, s->title[0] ? s->title : s->id);
    put(&b, "</h1>\n<p>Scenario <code>");
    put_escaped(&b, s->id);
    put(&b, "</code> (");
    put_escaped(&b, r->info.scenario_file);
    put(&b, "): %llu draws, seed %llu, %s backend, thirst %s. Quantiles are exact order "
        "statistics; Monte Carlo errors are the half-widths of 95%% confidence intervals.</p>\n",
        (unsigned long long)plan->draws, (unsigned long long)plan->seed, r->info.backend,
        THIRST_VERSION);
    put(&b, "<table>\n<tr><th>output</th><th>unit</th><th>mean</th><th>sd</th>");
    for (int k = 0; k < s->quantile_count; k++) put(&b, "<th>%.10g%%</th>", 100 * s->quantiles[k]);
    put(&b, "<th>%.10g%% interval</th><th>largest relative error</th></tr>\n", 100 * s->interval);
    for (int o = 0; o < plan->output_count; o++) {
        const stats_output *st = &result->stats[o];
        int out = plan->outputs[o];
        put(&b, "<tr><td>%s</td><td>", scenario_output_name(s, out));
        put_escaped(&b, scenario_output_unit(s, out));
        put(&b, "</td><td>%.5g</td><td>%.4g</td>", st->mean, st->sd);
        for (int k = 0; k < st->quantile_count; k++) put(&b, "<td>%.5g</td>", st->quantile[k]);
        put(&b, "<td>[%.5g, %.5g]</td><td>%.2g</td></tr>\n", st->interval_low, st->interval_high,
            st->worst_relative_error);
    }
    put(&b, "</table>\n");
    for (int o = 0; o < plan->output_count; o++)
        if (!result->stats[o].mean_reliable)
            put(&b, "<p><strong>Warning:</strong> the mean of %s may be far off and its interval "
                "too narrow: its tail is heavy (Pareto k = %.2f &#8805; %.1f; Vehtari et al. "
                "2024). The quantiles and their intervals are unaffected.</p>\n",
                scenario_output_name(s, plan->outputs[o]), result->stats[o].pareto_k,
                TAIL_PARETO_K_MAX);
    for (int o = 0; o < plan->output_count; o++) {
        int out = plan->outputs[o];
        put(&b, "<h2 id=\"%s\">%s (", scenario_output_name(s, out), scenario_output_name(s, out));
        put_escaped(&b, scenario_output_unit(s, out));
        put(&b, ")</h2>\n");
        put_histogram(&b, r, o);
    }
    put(&b, "</body>\n</html>\n");
    int status = b.failed ? status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory")
                          : output_file_write(path, b.text, strlen(b.text), err, errlen);
    free(b.text);
    return status;
}
