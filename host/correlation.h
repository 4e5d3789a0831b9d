/* correlation.h: the linear algebra of correlated inputs (DESIGN.md section 10), on the host:
 * rank correlations to the Gaussian copula's correlations and back, the Cholesky factor a draw
 * multiplies its normal scores by, the bounds that make a three-variable matrix valid (for the
 * error that names the pairs), and the nearest valid correlation matrix (Higham 2002) for
 * "repair". Matrices are n x n, row-major, n <= CORRELATION_MAX. */
#ifndef THIRST_CORRELATION_H
#define THIRST_CORRELATION_H

#define CORRELATION_MAX 32

/* The Gaussian copula's correlation r whose Spearman rank correlation is rho, rho in [-1, 1]:
 * r = 2 sin(pi rho / 6) (Pearson 1907); and back, rho = (6 / pi) asin(r / 2). */
double correlation_from_spearman(double rho);
double correlation_to_spearman(double r);

/* The same for Kendall's tau: r = sin(pi tau / 2); tau = (2 / pi) asin(r). */
double correlation_from_kendall(double tau);
double correlation_to_kendall(double r);

/* Cholesky factor l (lower triangular, row-major; zeros above) of the symmetric matrix r with
 * unit diagonal: -1 when r is positive definite, else the first k at which the leading
 * (k + 1) x (k + 1) block is not (its pivot <= 1e-12), l then partly filled. */
int correlation_cholesky(int n, const double *r, double *l);

/* With corr(a, b) = x and corr(a, c) = y, the interval [*low, *high] of corr(b, c) for which the
 * 3 x 3 matrix is positive semidefinite: x y -+ sqrt((1 - x^2)(1 - y^2)). */
void correlation_third_bounds(double x, double y, double *low, double *high);

/* Eigenvalues (ascending) and eigenvectors (columns of vectors, row-major) of the symmetric n x n
 * matrix a, by cyclic Jacobi rotations (to 1e-14 relative off-diagonal mass). */
void correlation_eigen(int n, const double *a, double *values, double *vectors);

/* The correlation matrix nearest to r in the Frobenius norm, with eigenvalues at least floor
 * (> 0, so that its Cholesky factor exists): Higham's alternating projections with Dykstra's
 * correction (N. J. Higham, IMA J. Numer. Anal. 22 (2002) 329-343). Returns the largest absolute
 * change of an entry, or a negative value when it did not converge in 1,000 iterations. */
double correlation_nearest(int n, const double *r, double floor, double *nearest);

#endif
