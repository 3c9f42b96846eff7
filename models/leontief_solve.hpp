// Gross output x = L y = (I - A)^-1 y without forming L, for large sparse technical
// coefficients (EXIOBASE 3: 9,800 region-sectors, a dense L of 96 M doubles).
//
// Two iterative methods on the sparse system (I - A) x = y:
//  - BiCGSTAB (van der Vorst 1992, SIAM J. Sci. Stat. Comput. 13(2):631-644; Saad 2003,
//    "Iterative Methods for Sparse Linear Systems", 2nd ed., sec. 7.4.2) with a Jacobi
//    (diagonal) preconditioner, from Eigen's IterativeLinearSolvers. The default.
//  - The power (Neumann) series x = y + A y + A^2 y + ... (Miller & Blair 2009, ch. 2,
//    sec. 2.4, "power series approximation"), summed as x_(k+1) = y + A x_k until the
//    residual ||y - (I - A) x_k||_2 falls below the tolerance. It converges when the
//    spectral radius of A is below 1 (a productive economy), at the rate of that radius:
//    kept as the textbook reference and for tables with a dominant diagonal.
// Both stop on the true residual ||y - (I - A) x||_2 <= relative_tolerance * ||y||_2,
// recomputed at the end, and throw integra::numerical_error naming the residual reached
// (and the column of Y) when they do not get there.
//
// Several right-hand sides (the columns of Y: final-demand categories, regions or shocks)
// are solved independently, in parallel with TBB over columns. Each column is one serial
// solve whose operations do not depend on the other columns, so the result is bitwise the
// same on any number of threads.
//
// Units: y in the table's currency per year, x the same; A dimensionless.
#pragma once

#include <Eigen/Dense>
#include <Eigen/SparseCore>

#include <vector>

namespace integra::models {

/// Sparse technical coefficients, column-major: column j lists the suppliers i of j.
using sparse_coefficients = Eigen::SparseMatrix<double, Eigen::ColMajor, Eigen::Index>;

/// Sparse A from a dense one, keeping every entry that is not exactly zero. Throws
/// inconsistent_input if `technical_coefficients` is not square.
[[nodiscard]] sparse_coefficients sparse_technical_coefficients(
    const Eigen::Ref<const Eigen::MatrixXd>& technical_coefficients);

/// Sparse n x n A from (row i, column j, A(i,j)) triplets; duplicates are summed. Throws
/// inconsistent_input naming the first triplet whose index is outside [0, n).
[[nodiscard]] sparse_coefficients sparse_technical_coefficients(
    Eigen::Index n, const std::vector<Eigen::Triplet<double, Eigen::Index>>& triplets);

enum class leontief_iteration {
    bicgstab,     ///< Jacobi-preconditioned BiCGSTAB (Eigen::BiCGSTAB); the default
    power_series  ///< x_(k+1) = y + A x_k (Miller & Blair 2009, sec. 2.4)
};

struct leontief_solve_options {
    leontief_iteration method = leontief_iteration::bicgstab;
    /// Stop when ||y - (I - A) x||_2 <= relative_tolerance * ||y||_2 for every column.
    /// With column sums of A below 0.8, cond_1(I - A) < 9, so 1e-12 gives x to ~1e-11.
    double relative_tolerance = 1e-12;
    /// Iterations per column (BiCGSTAB: two products with A each; power series: one).
    int max_iterations = 1000;
};

/// Per-column diagnostics of an iterative solve.
struct leontief_solve_report {
    std::vector<int> iterations;            ///< iterations taken, per column of Y
    std::vector<double> relative_residual;  ///< ||y - (I - A) x||_2 / ||y||_2, per column, recomputed
};

/// X = (I - A)^-1 Y by the chosen iteration, column by column in parallel (bitwise
/// deterministic). A zero column of Y gives a zero column of X. Throws numerical_error
/// "leontief_solve: column j of final demand did not converge: relative residual r after
/// k iterations (tolerance t) ..." when a column misses the tolerance (I - A singular or
/// nearly so, e.g. spectral radius of A at or near 1), inconsistent_input on mis-sized
/// arguments. `report`, if given, receives the per-column iteration counts and residuals.
[[nodiscard]] Eigen::MatrixXd leontief_solve(const sparse_coefficients& technical_coefficients,
                                             const Eigen::Ref<const Eigen::MatrixXd>& final_demand,
                                             const leontief_solve_options& options = {},
                                             leontief_solve_report* report = nullptr);

/// The transposed system X = (I - A')^-1 Y = L' Y, e.g. total stressor intensities
/// m = L' s for footprints and structural path analysis. Same method, options and errors.
[[nodiscard]] Eigen::MatrixXd leontief_solve_transposed(const sparse_coefficients& technical_coefficients,
                                                        const Eigen::Ref<const Eigen::MatrixXd>& rhs,
                                                        const leontief_solve_options& options = {},
                                                        leontief_solve_report* report = nullptr);

// ---- Choosing between the dense inverse and the iterative solve --------------------------

enum class leontief_method {
    dense,     ///< dense LU of I - A (what leontief_inverse factorizes), then solves
    iterative  ///< leontief_solve on sparse A, never forming L
};

/// The rule (constants measured with tests/bench/bench_leontief on random tables with 7%
/// non-zeros and column sums below 0.8, Eigen 3.4's own kernels, no tuned BLAS; see
/// docs/io-accounting.md, "Solving x = L y at scale"):
///  - L itself is wanted (`need_inverse`): dense, there is no other way to get it;
///  - n <= dense_max_n (300): dense. BiCGSTAB is faster even there (0.1 ms against 1.5 ms
///    at n = 300), but the LU costs under 2 ms, is direct (no tolerance, no convergence
///    question) and checks the conditioning of I - A;
///  - otherwise the estimated times are compared: dense costs one LU, a n^3, plus b n^2
///    per column for the two triangular solves; iterative costs c (nnz + n) per column
///    (BiCGSTAB's 5-7 iterations of two products with A each, plus the residual checks).
///    Dense when n_rhs (c (nnz + n) - b n^2) > a n^3: for n = 1,000 at 7% non-zeros from
///    about 70 columns on, for n = 4,000 from about 290. Tables that need more iterations
///    (column sums near 1) move the crossover down in proportion.
inline constexpr Eigen::Index dense_max_n = 300;
inline constexpr double dense_lu_seconds_per_n3 = 4.6e-11;          ///< a: PartialPivLU, 1 thread
inline constexpr double dense_solve_seconds_per_n2 = 2.0e-10;       ///< b: per column, blocked solves
inline constexpr double iterative_seconds_per_nonzero = 1.2e-8;     ///< c: per column, whole BiCGSTAB solve
[[nodiscard]] leontief_method choose_leontief_method(Eigen::Index n, Eigen::Index non_zeros, Eigen::Index n_rhs,
                                                     bool need_inverse = false);

/// X = L Y with the method choose_leontief_method picks for A's size, non-zeros and the
/// number of columns of Y. The dense path factorizes I - A once (partial pivoting) and
/// throws numerical_error naming the reciprocal condition estimate if it is below 1e-12,
/// as leontief_inverse does; the iterative path throws as leontief_solve does. `used`, if
/// given, receives the method taken.
[[nodiscard]] Eigen::MatrixXd leontief_output_auto(const sparse_coefficients& technical_coefficients,
                                                   const Eigen::Ref<const Eigen::MatrixXd>& final_demand,
                                                   const leontief_solve_options& options = {},
                                                   leontief_method* used = nullptr);

}  // namespace integra::models
