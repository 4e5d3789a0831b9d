/* report_sensitivity_html.c: `thirst sensitivity --html FILE`: one self-contained XHTML page
 * (inline SVG and CSS, no scripts) with, per output, the Sobol indices as bars (first order
 * filled, total outlined, each with its 95 % interval as a whisker; correlated groups as one
 * factor), the tornado (each input's swing from its low to its high percentile, around the
 * output at the point values), and the "what if you measured it" table; then the inputs. */
#include <math.h>
#include <string.h>

#include "html.h"
#include "report.h"
#include "report_sensitivity.h"

#define CHART_WIDTH 720
#define CHART_LEFT 200
#define CHART_RIGHT 690
#define ROW_HEIGHT 22

/* x of value v on a chart axis [low, high]. */
static double x_on(double v, double low, double high)
{
    double t = high > low ? (v - low) / (high - low) : 0.5;
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    return CHART_LEFT + t * (CHART_RIGHT - CHART_LEFT);
}

/* A row label of a chart. */
static void label(html_buffer *b, double y, const char *name)
{
    put(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", CHART_LEFT - 6, y + 15);
    put_escaped(b, name);
    put(b, "</text>\n");
}

/* The Sobol bars of output o: factors (independent inputs, then correlated groups), on [0, 1]. */
static void sobol_chart(html_buffer *b, const scenario *s, const sensitivity_result *r, int o)
{
    int rows = r->input_count + r->group_count, y = 24, shown = r->group_count;
    for (int k = 0; k < r->input_count; k++) shown += !r->input_group[k];
    put(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 "
        "%d %d\" role=\"img\">\n<text x=\"4\" y=\"14\">Sobol indices: first order (filled) and "
        "total (outlined), whiskers their 95%% intervals</text>\n", CHART_WIDTH,
        shown * ROW_HEIGHT + 50, CHART_WIDTH, shown * ROW_HEIGHT + 50);
    for (int k = 0; k < rows; k++) {
        const sensitivity_index *x;
        char name[256];
        if (k < r->input_count) {
            if (r->input_group[k]) continue;   /* its group's row follows */
            x = &r->index[o][k];
            snprintf(name, sizeof name, "%s", s->params[r->input_param[k]].name);
        } else {
            int g = k - r->input_count;
            x = &r->group[o][g];
            name[0] = 0;
            for (int j = 0; j < r->input_count; j++)
                if (r->input_group[j] == g + 1) {
                    if (name[0]) strncat(name, "+", sizeof name - strlen(name) - 1);
                    strncat(name, s->params[r->input_param[j]].name, sizeof name - strlen(name) - 1);
                }
        }
        label(b, y, name);
        if (!isnan(x->total)) {
            double x0 = x_on(0, 0, 1);
            put(b, "<rect class=\"total\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\"/>\n", x0,
                y + 2, x_on(x->total, 0, 1) - x0);
            put(b, "<rect class=\"first\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\"/>\n", x0,
                y + 5, x_on(x->first, 0, 1) - x0 > 0 ? x_on(x->first, 0, 1) - x0 : 0);
            double w = r->t_quantile;
            if (isfinite(w * x->total_se)) {   /* none with fewer than two batches */
                put(b, "<line class=\"whisker\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
                    x_on(x->total - w * x->total_se, 0, 1), y + 10,
                    x_on(x->total + w * x->total_se, 0, 1), y + 10);
            }
            put(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.3f</text>\n", CHART_RIGHT + 28,
                y + 15, x->total);
        }
        y += ROW_HEIGHT;
    }
    for (int t = 0; t <= 4; t++)
        put(b, "<line class=\"tick\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/><text x=\"%.1f\" "
            "y=\"%d\" text-anchor=\"middle\">%g</text>\n", x_on(t / 4.0, 0, 1), y,
            x_on(t / 4.0, 0, 1), y + 5, x_on(t / 4.0, 0, 1), y + 18, t / 4.0);
    put(b, "</svg>\n");
}

/* The tornado of output o: each input's output at its low and high percentile, around the
 * output at the point values, largest swing first; values in the display unit (divisor). */
static void tornado_chart(html_buffer *b, const scenario *s, const sensitivity_result *r, int o,
                          double divisor, const char *unit)
{
    int order[SENSITIVITY_MAX_INPUTS], n = r->input_count, y = 24;
    double low = r->point_output[o], high = r->point_output[o];
    for (int k = 0; k < n; k++) {
        order[k] = k;
        low = fmin(low, fmin(r->index[o][k].tornado_low_output, r->index[o][k].tornado_high_output));
        high = fmax(high, fmax(r->index[o][k].tornado_low_output, r->index[o][k].tornado_high_output));
    }
    for (int a = 1; a < n; a++)
        for (int c = a; c > 0; c--) {
            const sensitivity_index *p = &r->index[o][order[c]], *q = &r->index[o][order[c - 1]];
            if (!(fabs(p->tornado_high_output - p->tornado_low_output) >
                  fabs(q->tornado_high_output - q->tornado_low_output)))
                break;
            int t = order[c];
            order[c] = order[c - 1];
            order[c - 1] = t;
        }
    put(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 "
        "%d %d\" role=\"img\">\n<text x=\"4\" y=\"14\">tornado: the output with each input at "
        "its low (light) and high (dark) percentile, the others at their points</text>\n",
        CHART_WIDTH, n * ROW_HEIGHT + 66, CHART_WIDTH, n * ROW_HEIGHT + 66);
    double mid = x_on(r->point_output[o], low, high);
    for (int j = 0; j < n; j++) {
        const sensitivity_index *x = &r->index[o][order[j]];
        label(b, y, s->params[r->input_param[order[j]]].name);
        for (int side = 0; side < 2; side++) {
            double v = side ? x->tornado_high_output : x->tornado_low_output;
            if (isnan(v)) continue;
            double end = x_on(v, low, high);
            put(b, "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\"/>\n",
                side ? "high" : "low", fmin(mid, end), y + 2, fabs(end - mid));
        }
        y += ROW_HEIGHT;
    }
    put(b, "<line class=\"axis\" x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%d\"/>\n", mid, mid, y);
    put(b, "<text x=\"%d\" y=\"%d\">%.4g</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.4g "
        "</text><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">point: %.4g ", CHART_LEFT, y + 18,
        low / divisor, CHART_RIGHT, y + 18, high / divisor, mid, y + 34,
        r->point_output[o] / divisor);
    put_escaped(b, unit);
    put(b, "</text>\n</svg>\n");
}

/* The "what if you measured it" table of output o. */
static void measured_table(html_buffer *b, const scenario *s, const sensitivity_result *r, int o,
                           double divisor)
{
    put(b, "<div class=\"wide\"><table>\n<tr><th>measured input</th><th>%.10g%% interval</th>"
        "<th>width</th><th>S1</th></tr>\n<tr><td>(none)</td><td>[%.4g, %.4g]</td><td>1</td>"
        "<td></td></tr>\n", 100 * r->interval_probability, r->interval_low[o] / divisor,
        r->interval_high[o] / divisor);
    double width = r->interval_high[o] - r->interval_low[o];
    for (int k = 0; k < r->input_count; k++) {
        const sensitivity_index *x = &r->index[o][k];
        put(b, "<tr><td>");
        put_escaped(b, s->params[r->input_param[k]].name);
        if (isnan(x->measured_low)) put(b, "</td><td>-</td><td></td>");
        else if (width > 0)
            put(b, "</td><td>[%.4g, %.4g]</td><td>%.2f</td>", x->measured_low / divisor,
                x->measured_high / divisor, (x->measured_high - x->measured_low) / width);
        else
            put(b, "</td><td>[%.4g, %.4g]</td><td>-</td>", x->measured_low / divisor,
                x->measured_high / divisor);
        if (isnan(x->first)) put(b, "<td></td></tr>\n");
        else put(b, "<td>%.3f</td></tr>\n", x->first);
    }
    put(b, "</table></div>\n");
}

int report_sensitivity_html(const char *path, const scenario *s, const char *file,
                            const sensitivity_options *options, const sensitivity_result *r,
                            char *err, size_t errlen)
{
    html_buffer b = {NULL, 0, 0, 0};
    html_begin(&b, s);
    put(&b, "Sensitivity: ");
    put_escaped(&b, s->title[0] ? s->title : s->id);
    put(&b, "</h1>\n<p>Scenario <code>");
    put_escaped(&b, file);
    put(&b, "</code>: %llu base draws, seed %llu, thirst %s. Sobol indices: first order "
        "(Saltelli 2010) and total (Jansen 1999), 95%% intervals by batch means; tornado at the "
        "%.10g%% and %.10g%% percentiles; if measured: the output's interval with one input "
        "fixed at its median, the same draws otherwise.</p>\n", (unsigned long long)r->base_draws,
        (unsigned long long)options->seed, THIRST_VERSION, 100 * options->tornado_low,
        100 * options->tornado_high);
    for (int o = 0; o < r->output_count; o++) {
        int out = r->outputs[o];
        double divisor;
        const char *unit = report_display_unit(scenario_output_unit(s, out),
                                               fabs(r->point_output[o]), &divisor);
        put(&b, "<h2 id=\"%s\">%s (", scenario_output_name(s, out), scenario_output_name(s, out));
        put_escaped(&b, unit);
        put(&b, ")</h2>\n");
        if (options->methods & SENSITIVITY_SOBOL && r->variance[o] > 0) sobol_chart(&b, s, r, o);
        if (options->methods & SENSITIVITY_TORNADO) tornado_chart(&b, s, r, o, divisor, unit);
        if (options->methods & SENSITIVITY_MEASURED) measured_table(&b, s, r, o, divisor);
    }
    html_put_inputs(&b, s);
    return html_end(&b, path, err, errlen);
}
