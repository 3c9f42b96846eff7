// x = L y without L; methods, sources and the choice rule are documented in leontief_solve.hpp.
#include "models/leontief_solve.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"
#include "models/numerics/parallel.hpp"

#include <Eigen/IterativeLinearSolvers>
#include <Eigen/LU>

#include <cmath>
#include <string>

namespace integra::models {

namespace {

using index_t = Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

std::string shape(index_t rows, index_t cols) { return std::to_string(rows) + " x " + std::to_string(cols); }

// I - A (or I - A'), sparse, with the diagonal always stored (the Jacobi preconditioner
// reads it, and BiCGSTAB's DiagonalPreconditioner treats a missing diagonal as 1 anyway).
sparse_coefficients identity_minus(const sparse_coefficients& a, bool transposed) {
    sparse_coefficients identity(a.rows(), a.cols());
    identity.setIdentity();
    if (transposed) return sparse_coefficients(identity - sparse_coefficients(a.transpose()));
    return sparse_coefficients(identity - a);
}

double relative_residual(const sparse_coefficients& i_minus_a, const VectorXd& x, const VectorXd& y, double y_norm) {
    return (y - i_minus_a * x).norm() / y_norm;
}

// One column by the power series x_(k+1) = y + M x_k, M = A or A' (Miller & Blair 2009,
// sec. 2.4). The residual of x_k is y - (I - M) x_k = x_(k+1) - x_k, so the check costs
// nothing extra.
int power_series_column(const sparse_coefficients& m, const VectorXd& y, double tolerance, int max_iterations,
                        VectorXd& x) {
    const double y_norm = y.norm();
    x = y;
    VectorXd next(y.size());
    for (int k = 1; k <= max_iterations; ++k) {
        next.noalias() = m * x;
        next += y;
        const double step = (next - x).norm();
        x.swap(next);
        if (step <= tolerance * y_norm) return k;
        if (!std::isfinite(step)) return k;
    }
    return max_iterations;
}

// Solves (I - M) X = Y column by column; M = A, or A' when `transposed`.
MatrixXd solve_columns(const sparse_coefficients& a, const Eigen::Ref<const MatrixXd>& y,
                       const leontief_solve_options& options, leontief_solve_report* report, bool transposed,
                       const std::string& function) {
    if (a.rows() != a.cols())
        throw inconsistent_input(function + ": technical coefficients are " + shape(a.rows(), a.cols()) +
                                 "; expected a square matrix");
    if (y.rows() != a.rows())
        throw inconsistent_input(function + ": right-hand side has " + std::to_string(y.rows()) +
                                 " rows; expected " + std::to_string(a.rows()) + " (the size of A)");
    if (!(options.relative_tolerance > 0.0) || options.max_iterations < 1)
        throw inconsistent_input(function + ": relative_tolerance must be > 0 and max_iterations >= 1, got " +
                                 number_text(options.relative_tolerance, 3) + " and " +
                                 std::to_string(options.max_iterations));
    const index_t n = a.rows();
    const index_t k = y.cols();
    const sparse_coefficients i_minus_a = identity_minus(a, transposed);
    // For the power series: M itself (A or A').
    const sparse_coefficients m = transposed ? sparse_coefficients(a.transpose()) : a;

    MatrixXd x = MatrixXd::Zero(n, k);
    std::vector<int> iterations(static_cast<std::size_t>(k), 0);
    std::vector<double> residuals(static_cast<std::size_t>(k), 0.0);

    // Each column is an independent serial solve (owner computes): the same operations in
    // the same order for any partition of the columns, hence any thread count.
    const double work_per_column = 40.0 * static_cast<double>(a.nonZeros() + n);
    numerics::for_each_block(
        k,
        [&](index_t begin, index_t end) {
            Eigen::BiCGSTAB<sparse_coefficients, Eigen::DiagonalPreconditioner<double>> bicgstab;
            if (options.method == leontief_iteration::bicgstab) {
                bicgstab.setTolerance(options.relative_tolerance);
                bicgstab.compute(i_minus_a);
            }
            VectorXd column(n), solution(n);
            for (index_t j = begin; j < end; ++j) {
                column = y.col(j);
                const double y_norm = column.norm();
                const auto js = static_cast<std::size_t>(j);
                if (y_norm == 0.0) continue;  // x = 0, residual 0
                int taken = 0;
                if (options.method == leontief_iteration::power_series) {
                    taken = power_series_column(m, column, options.relative_tolerance, options.max_iterations,
                                                solution);
                } else {
                    // Eigen's BiCGSTAB stops on its recursively updated residual, which can
                    // drift from the true one; restart from the current x while the true
                    // residual misses the tolerance and iterations remain.
                    solution.setZero();
                    while (taken < options.max_iterations) {
                        bicgstab.setMaxIterations(options.max_iterations - taken);
                        solution = bicgstab.solveWithGuess(column, solution);
                        taken += std::max<int>(1, static_cast<int>(bicgstab.iterations()));
                        const double r = relative_residual(i_minus_a, solution, column, y_norm);
                        if (r <= options.relative_tolerance || !std::isfinite(r) ||
                            bicgstab.info() == Eigen::NumericalIssue)
                            break;
                    }
                }
                x.col(j) = solution;
                iterations[js] = taken;
                residuals[js] = relative_residual(i_minus_a, solution, column, y_norm);
            }
        },
        work_per_column);

    // Report the first failing column (lowest index, so the message is deterministic).
    for (index_t j = 0; j < k; ++j) {
        const auto js = static_cast<std::size_t>(j);
        if (!(residuals[js] <= options.relative_tolerance)) {
            throw numerical_error(
                function + ": column " + std::to_string(j) + " of the right-hand side did not converge: relative residual " +
                number_text(residuals[js], 3) + " after " + std::to_string(iterations[js]) + " iterations (tolerance " +
                number_text(options.relative_tolerance, 3) + ", method " +
                (options.method == leontief_iteration::bicgstab ? "bicgstab" : "power_series") + ", n = " +
                std::to_string(n) +
                "); expected a productive economy (spectral radius of A below 1): I - A may be singular or nearly so");
        }
    }
    if (report != nullptr) {
        report->iterations = std::move(iterations);
        report->relative_residual = std::move(residuals);
    }
    return x;
}

}  // namespace

sparse_coefficients sparse_technical_coefficients(const Eigen::Ref<const MatrixXd>& technical_coefficients) {
    const auto& a = technical_coefficients;
    if (a.rows() != a.cols())
        throw inconsistent_input("sparse_technical_coefficients: technical coefficients are " +
                                 shape(a.rows(), a.cols()) + "; expected a square matrix");
    std::vector<Eigen::Triplet<double, index_t>> triplets;
    for (index_t j = 0; j < a.cols(); ++j)
        for (index_t i = 0; i < a.rows(); ++i)
            if (a(i, j) != 0.0) triplets.emplace_back(i, j, a(i, j));
    sparse_coefficients s(a.rows(), a.cols());
    s.setFromTriplets(triplets.begin(), triplets.end());
    return s;
}

sparse_coefficients sparse_technical_coefficients(index_t n,
                                                  const std::vector<Eigen::Triplet<double, index_t>>& triplets) {
    if (n < 0) throw inconsistent_input("sparse_technical_coefficients: size " + std::to_string(n) + " is negative");
    for (std::size_t t = 0; t < triplets.size(); ++t) {
        const auto& e = triplets[t];
        if (e.row() < 0 || e.row() >= n || e.col() < 0 || e.col() >= n)
            throw inconsistent_input("sparse_technical_coefficients: triplet " + std::to_string(t) + " at (" +
                                     std::to_string(e.row()) + ", " + std::to_string(e.col()) +
                                     ") is outside the " + shape(n, n) + " matrix");
    }
    sparse_coefficients s(n, n);
    s.setFromTriplets(triplets.begin(), triplets.end());
    return s;
}

MatrixXd leontief_solve(const sparse_coefficients& technical_coefficients, const Eigen::Ref<const MatrixXd>& final_demand,
                        const leontief_solve_options& options, leontief_solve_report* report) {
    return solve_columns(technical_coefficients, final_demand, options, report, false, "leontief_solve");
}

MatrixXd leontief_solve_transposed(const sparse_coefficients& technical_coefficients,
                                   const Eigen::Ref<const MatrixXd>& rhs, const leontief_solve_options& options,
                                   leontief_solve_report* report) {
    return solve_columns(technical_coefficients, rhs, options, report, true, "leontief_solve_transposed");
}

leontief_method choose_leontief_method(index_t n, index_t non_zeros, index_t n_rhs, bool need_inverse) {
    if (need_inverse || n <= dense_max_n) return leontief_method::dense;
    const double nd = static_cast<double>(n);
    const double dense_once = dense_lu_seconds_per_n3 * nd * nd * nd;
    const double saved_per_column = iterative_seconds_per_nonzero * static_cast<double>(non_zeros + n) -
                                    dense_solve_seconds_per_n2 * nd * nd;
    return static_cast<double>(n_rhs) * saved_per_column > dense_once ? leontief_method::dense
                                                                       : leontief_method::iterative;
}

MatrixXd leontief_output_auto(const sparse_coefficients& technical_coefficients,
                              const Eigen::Ref<const MatrixXd>& final_demand, const leontief_solve_options& options,
                              leontief_method* used) {
    const auto& a = technical_coefficients;
    const leontief_method method = choose_leontief_method(a.rows(), a.nonZeros(), final_demand.cols());
    if (used != nullptr) *used = method;
    if (method == leontief_method::iterative) return leontief_solve(a, final_demand, options);

    if (a.rows() != a.cols())
        throw inconsistent_input("leontief_output_auto: technical coefficients are " + shape(a.rows(), a.cols()) +
                                 "; expected a square matrix");
    if (final_demand.rows() != a.rows())
        throw inconsistent_input("leontief_output_auto: final demand has " + std::to_string(final_demand.rows()) +
                                 " rows; expected " + std::to_string(a.rows()));
    const index_t n = a.rows();
    if (n == 0) return MatrixXd(0, final_demand.cols());
    MatrixXd i_minus_a = -MatrixXd(a);
    i_minus_a.diagonal().array() += 1.0;
    const Eigen::PartialPivLU<MatrixXd> lu(i_minus_a);  // serial, so deterministic
    const double rcond = lu.rcond();
    constexpr double min_rcond = 1e-12;
    if (!(rcond >= min_rcond))
        throw numerical_error("leontief_output_auto: I - A (" + shape(n, n) +
                              ") is singular or nearly singular: reciprocal condition estimate " + number_text(rcond, 3) +
                              " is below " + number_text(min_rcond, 3) +
                              "; expected a productive economy (every column sum of A below 1)");
    MatrixXd x(n, final_demand.cols());
    // Fixed blocks of 16 columns, one serial triangular solve each (owner computes).
    constexpr index_t block = 16;
    const index_t n_blocks = (final_demand.cols() + block - 1) / block;
    numerics::for_each_block(
        n_blocks,
        [&](index_t begin, index_t end) {
            for (index_t b = begin; b < end; ++b) {
                const index_t c0 = b * block;
                const index_t count = std::min(block, final_demand.cols() - c0);
                x.middleCols(c0, count) = lu.solve(final_demand.middleCols(c0, count));
            }
        },
        2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(block));
    return x;
}

}  // namespace integra::models
