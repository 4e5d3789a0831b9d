/* report_html.c: `thirst run --html FILE`: one self-contained XHTML page (inline SVG, inline
 * CSS, no scripts, nothing fetched) with the run's summary table in display units (as the
 * terminal's), per output a histogram with round-number ticks on both axes, its central interval
 * shaded, the median and the output at the published point values marked, and the inputs (prior
 * in canonical units, point, source). Tables scroll inside their box and figures shrink, so the
 * page fits a 1,000-pixel window and a phone. Well-formed XML, so any XML parser reads it. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "html.h"
#include "report.h"
#include "status.h"
#include "tail.h"

#define SVG_WIDTH 720
#define SVG_HEIGHT 260
#define PLOT_LEFT 60
#define PLOT_RIGHT 700
#define PLOT_TOP 20
#define PLOT_BOTTOM 220

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

/* Round-number ticks in [low, high] (low < high) into ticks (at most 12): multiples of 1, 2 or 5
 * times a power of ten, the step that gives 4 to 10 of them; on a log axis spanning more than a
 * factor of 10, the powers of ten (and 2 and 5 times them when there are few). */
static int round_ticks(double low, double high, int log_scale, double *ticks)
{
    int n = 0;
    if (log_scale && high / low > 10) {
        static const double MANTISSAS[3] = {1, 2, 5};
        int decades = (int)(floor(log10(high)) - floor(log10(low)));
        for (double power = pow(10, floor(log10(low))); power <= high && n < 12; power *= 10)
            for (int m = 0; m < (decades > 3 ? 1 : 3) && n < 12; m++) {
                double t = power * MANTISSAS[m];
                if (t >= low && t <= high) ticks[n++] = t;
            }
        return n;
    }
    double span = high - low, step = pow(10, floor(log10(span)));
    if (span / step < 4) step /= span / step < 2 ? 5 : 2;
    for (double t = ceil(low / step) * step; t <= high * (1 + 1e-12) && n < 12; t += step)
        ticks[n++] = fabs(t) < step * 1e-9 ? 0 : t;
    return n;
}

/* One output's histogram as an inline SVG, values in the display unit (divisor from the
 * canonical unit): round-number ticks on both axes, the central interval shaded, the median and
 * the output at the scenario's point (published) values marked. */
static void put_histogram(html_buffer *b, const report_run *r, int o, double divisor,
                          const char *unit, double point)
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
    int shown = isfinite(point) && point >= h.edges[0] && point <= h.edges[REPORT_PLOT_BINS];
    if (shown)
        put(b, "<line class=\"point\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
            x_of(&h, point), PLOT_TOP, x_of(&h, point), PLOT_BOTTOM);
    put(b, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", PLOT_LEFT,
        PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM);
    put(b, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", PLOT_LEFT,
        PLOT_TOP, PLOT_LEFT, PLOT_BOTTOM);
    double ticks[12];
    int n = round_ticks(h.edges[0] / divisor, h.edges[REPORT_PLOT_BINS] / divisor, h.log_scale,
                        ticks);
    for (int k = 0; k < n; k++) {
        double x = x_of(&h, ticks[k] * divisor);
        put(b, "<line class=\"tick\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
            "<text class=\"xtick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n", x,
            PLOT_BOTTOM, x, PLOT_BOTTOM + 5, x, PLOT_BOTTOM + 18, ticks[k]);
    }
    n = round_ticks(0, (double)peak, 0, ticks);
    for (int k = 0; k < n; k++) {
        double y = PLOT_BOTTOM - (double)(PLOT_BOTTOM - PLOT_TOP) * ticks[k] / (double)peak;
        put(b, "<line class=\"tick\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
            "<text class=\"ytick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
            PLOT_LEFT - 5, y, PLOT_LEFT, y, PLOT_LEFT - 7, y + 4, ticks[k]);
    }
    put(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", (PLOT_LEFT + PLOT_RIGHT) / 2,
        PLOT_BOTTOM + 36);
    put_escaped(b, unit);
    put(b, " (%s scale)</text>\n<text x=\"%d\" y=\"%d\">draws per bin</text>\n",
        h.log_scale ? "log" : "linear", 4, PLOT_TOP - 6);
    put(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">shaded: the central %.10g%% "
        "interval [%.4g, %.4g]; red: the median%s</text>\n", PLOT_RIGHT, PLOT_TOP - 6,
        100 * st->interval_probability, st->interval_low / divisor, st->interval_high / divisor,
        shown ? "; dashed: at the published point values" : "");
    put(b, "</svg>\n");
}

int report_write_html(const char *path, const report_run *r, char *err, size_t errlen)
{
    const scenario *s = r->s;
    const runner_result *result = r->result;
    const draw_plan *plan = &result->plan;
    html_buffer b = {NULL, 0, 0, 0};
    html_begin(&b, s);
    put_escaped(&b, s->title[0] ? s->title : s->id);
    put(&b, "</h1>\n<p>Scenario <code>");
    put_escaped(&b, s->id);
    put(&b, "</code> (");
    put_escaped(&b, r->info.scenario_file);
    put(&b, "): %llu draws, seed %llu, %s backend, thirst %s. Quantiles are exact order "
        "statistics; Monte Carlo errors are the half-widths of 95%% confidence intervals",
        (unsigned long long)plan->draws, (unsigned long long)plan->seed, r->info.backend,
        THIRST_VERSION);
    if (plan->sampler == PLAN_SAMPLER_RQMC)
        put(&b, ", here from the spread of %d independently scrambled replicates of %llu Sobol' "
            "points each (randomized quasi-Monte Carlo)", plan->replicates,
            (unsigned long long)(plan->draws / (uint64_t)plan->replicates));
    put(&b, ".</p>\n");
    put(&b, "<div class=\"wide\"><table>\n<tr><th>output</th><th>unit</th><th>mean</th>"
        "<th>sd</th>");
    for (int k = 0; k < s->quantile_count; k++) put(&b, "<th>%.10g%%</th>", 100 * s->quantiles[k]);
    put(&b, "<th>%.10g%% interval</th><th>largest relative error</th></tr>\n", 100 * s->interval);
    double divisor[PLAN_MAX_OUTPUTS];
    const char *unit[PLAN_MAX_OUTPUTS];
    for (int o = 0; o < plan->output_count; o++) {
        const stats_output *st = &result->stats[o];
        int out = plan->outputs[o];
        unit[o] = report_display_unit(scenario_output_unit(s, out),
                                      st->quantile[s->quantile_count / 2], &divisor[o]);
        const double d = divisor[o];
        put(&b, "<tr><td>%s</td><td>", scenario_output_name(s, out));
        put_escaped(&b, unit[o]);
        char x[40], y[40];
        report_format_value(x, sizeof x, st->mean / d, unit[o], 4);
        report_format_value(y, sizeof y, st->sd / d, unit[o], 4);
        put(&b, "</td><td>%s</td><td>%s</td>", x, y);
        for (int k = 0; k < st->quantile_count; k++) {
            report_format_value(x, sizeof x, st->quantile[k] / d, unit[o], 4);
            put(&b, "<td>%s</td>", x);
        }
        report_format_value(x, sizeof x, st->interval_low / d, unit[o], 4);
        report_format_value(y, sizeof y, st->interval_high / d, unit[o], 4);
        put(&b, "<td>[%s, %s]</td><td>%.2g</td></tr>\n", x, y, st->worst_relative_error);
    }
    put(&b, "</table></div>\n");
    for (int o = 0; o < plan->output_count; o++)
        if (!result->stats[o].mean_reliable)
            put(&b, "<p><strong>Warning:</strong> the mean of %s may be far off and its interval "
                "too narrow: its tail is heavy (Pareto k = %.2f &#8805; %.1f; Vehtari et al. "
                "2024). The quantiles and their intervals are unaffected.</p>\n",
                scenario_output_name(s, plan->outputs[o]), result->stats[o].pareto_k,
                TAIL_PARETO_K_MAX);
    float point_inputs[DRAW_INPUT_SLOTS], point_outputs[DRAW_OUTPUTS];
    scenario_point_inputs(s, point_inputs);
    scenario_point_eval(s, point_inputs, point_outputs);
    for (int o = 0; o < plan->output_count; o++) {
        int out = plan->outputs[o];
        put(&b, "<h2 id=\"%s\">%s (", scenario_output_name(s, out), scenario_output_name(s, out));
        put_escaped(&b, unit[o]);
        put(&b, ")</h2>\n");
        put_histogram(&b, r, o, divisor[o], unit[o], (double)point_outputs[out]);
    }
    html_put_inputs(&b, s);
    return html_end(&b, path, err, errlen);
}
