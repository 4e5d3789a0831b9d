/* special.c: double-precision normal and beta functions for host-side set-up and tests. */
#include "special.h"

#include <math.h>

double special_normal_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

double special_normal_quantile(double p)
{
    if (p <= 0) return -INFINITY;
    if (p >= 1) return INFINITY;
    double low = -40, high = 40;
    for (int k = 0; k < 80; k++) {
        double middle = 0.5 * (low + high);
        if (special_normal_cdf(middle) < p) low = middle; else high = middle;
    }
    double z = 0.5 * (low + high);
    for (int k = 0; k < 3; k++) {
        double density = exp(-0.5 * z * z) / sqrt(2 * M_PI);
        if (density < 1e-300) break;
        double step = (special_normal_cdf(z) - p) / density;
        if (!isfinite(step) || fabs(step) > 1e-3) break;
        z -= step;
    }
    return z;
}

/* Continued fraction of the incomplete beta, valid for x < (a + 1) / (a + b + 2). */
static double beta_continued_fraction(double x, double a, double b)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    if (fabs(d) < tiny) d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 1000; m++) {
        double m2 = 2.0 * m;
        double numerator = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
        d = 1 + numerator * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1 + numerator / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1 / d;
        h *= d * c;
        numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
        d = 1 + numerator * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1 + numerator / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1 / d;
        double delta = d * c;
        h *= delta;
        if (fabs(delta - 1) < 1e-16) break;
    }
    return h;
}

double special_incomplete_beta(double x, double a, double b)
{
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    double log_front = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    double front = exp(log_front);
    if (x < (a + 1) / (a + b + 2)) return front * beta_continued_fraction(x, a, b) / a;
    return 1 - front * beta_continued_fraction(1 - x, b, a) / b;
}

double special_beta_quantile(double p, double a, double b)
{
    if (p <= 0) return 0;
    if (p >= 1) return 1;
    /* Newton steps on I_x(a, b) - p in s = ln x, inside a bracket that every evaluation narrows
     * (a step that leaves it is replaced by bisection in s), so quantiles far below 1e-16 come
     * out to full relative precision. Start: the mean, or where the leading term of the lower
     * tail, x^a / (a B(a, b)), reaches p when that is smaller. */
    double log_beta = lgamma(a) + lgamma(b) - lgamma(a + b);
    double low = -745, high = 0;   /* bracket for s: e^-745 is the smallest double */
    double s = fmin(log(a / (a + b)), (log(p) + log(a) + log_beta) / a);
    if (!(s > low && s < high)) s = 0.5 * (low + high);
    for (int k = 0; k < 400; k++) {
        double x = exp(s);
        double f = special_incomplete_beta(x, a, b) - p;
        if (f == 0) return x;
        if (f < 0) low = s; else high = s;
        if (high - low <= 1e-15) break;
        double slope = exp(a * s + (b - 1) * log1p(-x) - log_beta);   /* x times the density */
        double next = s - f / slope;
        if (!(next > low && next < high)) next = 0.5 * (low + high);
        if (fabs(next - s) <= 1e-15) {
            s = next;
            break;
        }
        s = next;
    }
    return exp(s);
}

double special_t_quantile(double p, double dof)
{
    if (p == 0.5) return 0;
    if (p < 0.5) return -special_t_quantile(1 - p, dof);
    if (dof > 1000) {
        double z = special_normal_quantile(p), z2 = z * z;
        double g1 = (z2 + 1) * z / 4;
        double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
        double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
        double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
        return z + (g1 + (g2 + (g3 + g4 / dof) / dof) / dof) / dof;
    }
    /* P(T <= t) = 1 - I_{dof / (dof + t^2)}(dof / 2, 1 / 2) / 2 for t >= 0. */
    double low = 0, high = 1;
    while (1 - 0.5 * special_incomplete_beta(dof / (dof + high * high), dof / 2, 0.5) < p)
        high *= 2;
    for (int k = 0; k < 200 && high - low > 1e-15 * high; k++) {
        double t = 0.5 * (low + high);
        double cdf = 1 - 0.5 * special_incomplete_beta(dof / (dof + t * t), dof / 2, 0.5);
        if (cdf < p) low = t; else high = t;
    }
    return 0.5 * (low + high);
}
