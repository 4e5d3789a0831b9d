/* test_correlation.c: the linear algebra of correlated inputs (host/correlation.c) against
 * known values:
 *  - Spearman's and Kendall's maps (r = 2 sin(pi rho / 6), r = sin(pi tau / 2)) at 0 and +-1
 *    exactly, at 0.5 against the closed forms, and back (round trip within 1e-15);
 *  - the Cholesky factor reproduces its matrix (within 1e-14), and a matrix that is not positive
 *    definite is reported at its first failing block;
 *  - the three-variable bound: corr(a, b) = 0.9 and corr(a, c) = 0.8 allow corr(b, c) in
 *    [0.4585, 0.9815] (DESIGN.md section 10), and Cholesky agrees just inside and outside it;
 *  - Jacobi eigenvalues of a matrix with known ones (within 1e-12), eigenvectors orthonormal;
 *  - the nearest correlation matrix: Higham's (2002) example [[1 1 0] [1 1 1] [0 1 1]] gives
 *    [[1 .7607 .1573] [.7607 1 .7607] [.1573 .7607 1]] (his 4 digits), a valid matrix is left
 *    as it is, and every result has a unit diagonal and a Cholesky factor;
 *  - the copula's normal tail mass (kernels/copula.h) against erfc, and a normal score through
 *    the copula's uniform and back. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../kernels/copula.h"
#include "check.h"
#include "correlation.h"

static void test_maps(void)
{
    CHECK(correlation_from_spearman(0) == 0 && fabs(correlation_from_spearman(1) - 1) < 1e-15 &&
              fabs(correlation_from_spearman(-1) + 1) < 1e-15,
          "Spearman map at 0 and +-1");
    CHECK(fabs(correlation_from_spearman(0.5) - 2 * sin(M_PI / 12)) < 1e-15 &&
              fabs(correlation_from_kendall(0.5) - sin(M_PI / 4)) < 1e-15,
          "the maps at 0.5");
    double worst = 0;
    for (double rho = -1; rho <= 1.0001; rho += 0.05) {
        worst = fmax(worst, fabs(correlation_to_spearman(correlation_from_spearman(rho)) - rho));
        worst = fmax(worst, fabs(correlation_to_kendall(correlation_from_kendall(rho)) - rho));
    }
    CHECK(worst < 1e-14, "round trips within %g", worst);
}

static void test_cholesky(void)
{
    const double r[9] = {1, 0.5, 0.3, 0.5, 1, 0.2, 0.3, 0.2, 1};
    double l[16], worst = 0;
    CHECK(correlation_cholesky(3, r, l) == -1, "a valid 3 x 3 matrix has a Cholesky factor");
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double sum = 0;
            for (int k = 0; k < 3; k++) sum += l[i * 3 + k] * l[j * 3 + k];
            worst = fmax(worst, fabs(sum - r[i * 3 + j]));
        }
    CHECK(worst < 1e-14, "L L^T reproduces the matrix within %g", worst);
    const double bad[16] = {1, 0.9, 0.8, 0, 0.9, 1, 0.3, 0, 0.8, 0.3, 1, 0, 0, 0, 0, 1};
    CHECK(correlation_cholesky(4, bad, l) == 2, "(0.9, 0.8, 0.3) fails at its third variable");
}

static void test_third_bounds(void)
{
    double low, high;
    correlation_third_bounds(0.9, 0.8, &low, &high);
    CHECK(fabs(low - 0.458466) < 1e-6 && fabs(high - 0.981534) < 1e-6,
          "0.9 and 0.8 allow [%.6f, %.6f], expected [0.458466, 0.981534]", low, high);
    double l[9];
    for (int side = 0; side < 2; side++)
        for (int inside = 0; inside < 2; inside++) {
            double edge = side ? high : low, step = (side ? -1 : 1) * (inside ? 1e-4 : -1e-4);
            double bc = edge + step;
            const double r[9] = {1, 0.9, 0.8, 0.9, 1, bc, 0.8, bc, 1};
            int fails = correlation_cholesky(3, r, l) >= 0;
            CHECK(fails == !inside, "corr(b, c) = %.6f (%s the bound): Cholesky %s", bc,
                  inside ? "inside" : "outside", fails ? "fails" : "succeeds");
        }
}

static void test_eigen(void)
{
    /* [[2 1 0] [1 2 1] [0 1 2]]: eigenvalues 2 - sqrt 2, 2, 2 + sqrt 2. */
    const double a[9] = {2, 1, 0, 1, 2, 1, 0, 1, 2};
    double values[3], vectors[9];
    correlation_eigen(3, a, values, vectors);
    CHECK(fabs(values[0] - (2 - sqrt(2))) < 1e-12 && fabs(values[1] - 2) < 1e-12 &&
              fabs(values[2] - (2 + sqrt(2))) < 1e-12,
          "eigenvalues %.15g %.15g %.15g", values[0], values[1], values[2]);
    double worst = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double dot = 0;
            for (int k = 0; k < 3; k++) dot += vectors[k * 3 + i] * vectors[k * 3 + j];
            worst = fmax(worst, fabs(dot - (i == j)));
        }
    CHECK(worst < 1e-12, "eigenvectors orthonormal within %g", worst);
}

static void test_nearest(void)
{
    const double higham[9] = {1, 1, 0, 1, 1, 1, 0, 1, 1};
    const double expected[9] = {1, 0.7607, 0.1573, 0.7607, 1, 0.7607, 0.1573, 0.7607, 1};
    double nearest[9], l[9];
    double change = correlation_nearest(3, higham, 1e-8, nearest);
    double worst = 0;
    for (int i = 0; i < 9; i++) worst = fmax(worst, fabs(nearest[i] - expected[i]));
    CHECK(change > 0 && worst < 1e-4, "Higham's example: off by %g (change %g)", worst, change);
    CHECK(correlation_cholesky(3, nearest, l) == -1, "the repaired matrix has a Cholesky factor");
    const double bad[9] = {1, 0.9, 0.8, 0.9, 1, 0.3, 0.8, 0.3, 1};
    change = correlation_nearest(3, bad, 1e-8, nearest);
    CHECK(change > 0 && change < 0.2 && correlation_cholesky(3, nearest, l) == -1 &&
              nearest[0] == 1 && nearest[4] == 1 && nearest[8] == 1 && nearest[1] == nearest[3],
          "(0.9, 0.8, 0.3) repaired: largest change %g", change);
    const double good[9] = {1, 0.5, 0.3, 0.5, 1, 0.2, 0.3, 0.2, 1};
    change = correlation_nearest(3, good, 1e-8, nearest);
    CHECK(change >= 0 && change < 1e-10, "a valid matrix is left as it is (change %g)", change);
}

/* copula_normal_tail against 0.5 erfc(|z| / sqrt 2) in double, relative, over z in [-13, 13]
 * every 1/1024 and at the float neighbours of the branch point 7.07; the uniform a normal
 * score maps to, and back through prior_normal_quantile_tail (measured: 4.1e-7 and 3.1e-7). */
static void test_normal_tail(void)
{
    double worst = 0, worst_z = 0;
    for (int k = -13 * 1024; k <= 13 * 1024; k++) {
        float z = (float)k / 1024.0f;
        double exact = 0.5 * erfc(fabs((double)z) / sqrt(2.0));
        double error = fabs(copula_normal_tail(z) / exact - 1);
        if (error > worst) {
            worst = error;
            worst_z = z;
        }
    }
    float edge = 7.07106781f;
    for (int k = 0; k < 2; k++, edge = nextafterf(edge, 0.0f)) {
        double exact = 0.5 * erfc((double)edge / sqrt(2.0));
        worst = fmax(worst, fabs(copula_normal_tail(edge) / exact - 1));
    }
    CHECK(worst < 1e-6, "normal tail within 1e-6 relative (worst %.3g at z = %g)", worst, worst_z);
    CHECK(copula_normal_tail(0.0f) == 0.5f && copula_normal_tail(-2.5f) == copula_normal_tail(2.5f),
          "normal tail: 1/2 at 0, symmetric");
    /* A normal score through copula_uniform and the normal quantile comes back within float
     * accuracy: 2e-6 relative to max(1, |z|), for |z| up to 10.5 (tail mass 4e-26). */
    double back = 0;
    for (int k = -10752; k <= 10752; k += 7) {
        float z = (float)k / 1024.0f;
        prior_uniform x = copula_uniform(z);
        float again = prior_normal_quantile_tail(x.tail, x.upper);
        back = fmax(back, fabs((double)again - z) / fmax(1.0, fabs((double)z)));
        if (x.upper != (z > 0) || x.u < 0x1p-24f || x.u > 1 - 0x1p-24f) back = INFINITY;
    }
    CHECK(back < 2e-6, "normal score -> uniform -> normal score within %.3g", back);
}

int main(void)
{
    test_normal_tail();
    test_maps();
    test_cholesky();
    test_third_bounds();
    test_eigen();
    test_nearest();
    return check_done("test_correlation");
}
