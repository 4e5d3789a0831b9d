/* correlation.c: the linear algebra of correlated inputs (host/correlation.h): rank-to-Gaussian
 * conversions, Cholesky with the first failing block, the three-variable bounds, a cyclic Jacobi
 * eigensolver, and Higham's nearest correlation matrix. Small dense matrices (n <= 32), double. */
#include <math.h>
#include <string.h>

#include "correlation.h"

double correlation_from_spearman(double rho) { return 2.0 * sin(M_PI * rho / 6.0); }

double correlation_to_spearman(double r) { return 6.0 / M_PI * asin(r / 2.0); }

double correlation_from_kendall(double tau) { return sin(M_PI * tau / 2.0); }

double correlation_to_kendall(double r) { return 2.0 / M_PI * asin(r); }

int correlation_cholesky(int n, const double *r, double *l)
{
    memset(l, 0, (size_t)n * (size_t)n * sizeof *l);
    for (int j = 0; j < n; j++) {
        double pivot = r[j * n + j];
        for (int k = 0; k < j; k++) pivot -= l[j * n + k] * l[j * n + k];
        if (!(pivot > 1e-12)) return j;
        l[j * n + j] = sqrt(pivot);
        for (int i = j + 1; i < n; i++) {
            double sum = r[i * n + j];
            for (int k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
            l[i * n + j] = sum / l[j * n + j];
        }
    }
    return -1;
}

void correlation_third_bounds(double x, double y, double *low, double *high)
{
    double spread = sqrt((1.0 - x * x) * (1.0 - y * y));
    *low = x * y - spread;
    *high = x * y + spread;
}

void correlation_eigen(int n, const double *a, double *values, double *vectors)
{
    double m[CORRELATION_MAX * CORRELATION_MAX];
    memcpy(m, a, (size_t)n * (size_t)n * sizeof *m);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) vectors[i * n + j] = i == j;
    double total = 0;
    for (int i = 0; i < n * n; i++) total += m[i] * m[i];
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++) off += m[p * n + q] * m[p * n + q];
        if (off <= 1e-28 * total) break;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++) {
                double apq = m[p * n + q];
                if (apq == 0) continue;
                /* The rotation that zeroes m[p][q] (Golub and Van Loan, 8.5.2). */
                double theta = (m[q * n + q] - m[p * n + p]) / (2.0 * apq);
                double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
                double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                for (int k = 0; k < n; k++) {   /* columns p and q */
                    double kp = m[k * n + p], kq = m[k * n + q];
                    m[k * n + p] = c * kp - s * kq;
                    m[k * n + q] = s * kp + c * kq;
                }
                for (int k = 0; k < n; k++) {   /* rows p and q */
                    double pk = m[p * n + k], qk = m[q * n + k];
                    m[p * n + k] = c * pk - s * qk;
                    m[q * n + k] = s * pk + c * qk;
                }
                for (int k = 0; k < n; k++) {
                    double kp = vectors[k * n + p], kq = vectors[k * n + q];
                    vectors[k * n + p] = c * kp - s * kq;
                    vectors[k * n + q] = s * kp + c * kq;
                }
            }
    }
    for (int i = 0; i < n; i++) values[i] = m[i * n + i];
    /* Ascending order, the vectors with their values. */
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (values[j] < values[i]) {
                double v = values[i];
                values[i] = values[j];
                values[j] = v;
                for (int k = 0; k < n; k++) {
                    double w = vectors[k * n + i];
                    vectors[k * n + i] = vectors[k * n + j];
                    vectors[k * n + j] = w;
                }
            }
}

/* The symmetric matrix a with its eigenvalues raised to at least floor (projection onto the
 * positive definite cone, in place). */
static void raise_eigenvalues(int n, double *a, double floor)
{
    double values[CORRELATION_MAX], vectors[CORRELATION_MAX * CORRELATION_MAX];
    correlation_eigen(n, a, values, vectors);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int k = 0; k < n; k++)
                sum += vectors[i * n + k] * fmax(values[k], floor) * vectors[j * n + k];
            a[i * n + j] = sum;
        }
}

double correlation_nearest(int n, const double *r, double floor, double *nearest)
{
    double y[CORRELATION_MAX * CORRELATION_MAX], x[CORRELATION_MAX * CORRELATION_MAX];
    double correction[CORRELATION_MAX * CORRELATION_MAX] = {0};
    const int size = n * n;
    memcpy(y, r, (size_t)size * sizeof *y);
    for (int iteration = 0; iteration < 1000; iteration++) {
        /* Dykstra: project the corrected matrix onto the definite cone, then onto unit
         * diagonals; stop when neither projection moves the matrix. */
        for (int i = 0; i < size; i++) x[i] = y[i] - correction[i];
        double before[CORRELATION_MAX * CORRELATION_MAX];
        memcpy(before, x, (size_t)size * sizeof *x);
        raise_eigenvalues(n, x, floor);
        for (int i = 0; i < size; i++) correction[i] = x[i] - before[i];
        double moved = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double next = i == j ? 1.0 : x[i * n + j];
                moved = fmax(moved, fabs(next - y[i * n + j]));
                y[i * n + j] = next;
            }
        if (moved < 1e-12) break;
        if (iteration == 999) return -1;
    }
    /* The unit-diagonal matrix of the last step may sit just outside the cone: one more
     * projection with the floor, rescaled to a unit diagonal, is positive definite. */
    raise_eigenvalues(n, y, floor);
    double largest = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double v = y[i * n + j] / sqrt(y[i * n + i] * y[j * n + j]);
            nearest[i * n + j] = i == j ? 1.0 : v;
        }
    for (int i = 0; i < size; i++) largest = fmax(largest, fabs(nearest[i] - r[i]));
    return largest;
}
