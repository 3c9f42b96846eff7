// The inverse of I - M through LAPACK (dgetrf, dgecon, dgetri) on a tuned, multithreaded
// BLAS: Debian's OpenBLAS (libopenblas-dev, pthread build), linked directly. This is the
// dense path for large input-output tables (docs/io-accounting.md, "Solving x = L y at
// scale"): at n = 10,000 Eigen's own single-threaded LU and solves take minutes, OpenBLAS
// uses blocked, vectorised kernels on every core.
//
// Determinism: unlike the TBB kernels of mrio_accounting.hpp, OpenBLAS splits its work by
// its own thread count, so the last bits of the result may depend on it (2e-16 to 4e-16 in
// absolute value between 1 and 2 threads, docs/io-accounting.md; tested below 1e-14 in
// tests/unit/models/test_io_accounts.cpp). Scenario runs therefore never use this path;
// `integra io accounts --dense-backend` chooses it and records the choice.
//
// Units: M dimensionless (A or B), the inverse too.
#pragma once

#include <Eigen/Dense>

#include <string>

namespace integra::models::numerics {

/// (I - M)^-1 by LU with partial pivoting (LAPACK dgetrf), the reciprocal condition number
/// estimate in the 1-norm (dgecon) and the inverse from the factors (dgetri: 2 n^3 flops,
/// against 8/3 n^3 for solving with the identity as numpy.linalg.inv does). Writes the
/// estimate to `rcond`. Throws numerical_error if LAPACK reports a zero pivot, or
/// inconsistent_input if M is not square or n exceeds LAPACK's 32-bit index range.
/// The caller checks `rcond` (as leontief_inverse does).
[[nodiscard]] Eigen::MatrixXd lapack_inverse_of_identity_minus(const Eigen::Ref<const Eigen::MatrixXd>& m,
                                                               double& rcond);

/// Sets the number of threads OpenBLAS uses from now on (process-wide; 0 leaves its
/// default, which is OPENBLAS_NUM_THREADS or the number of cores).
void set_lapack_threads(int threads);

/// The number of threads OpenBLAS currently uses.
[[nodiscard]] int lapack_threads();

/// What the dense path runs on, for output attributes and benchmark reports, e.g.
/// "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64 (2 threads)".
[[nodiscard]] std::string lapack_description();

}  // namespace integra::models::numerics
