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
    double low = 0, high = 1;
    for (int k = 0; k < 60; k++) {
        double middle = 0.5 * (low + high);
        if (special_incomplete_beta(middle, a, b) < p) low = middle; else high = middle;
    }
    return 0.5 * (low + high);
}
