// The Leontief inverse as an operator: products L Y and L' Y either with a formed dense L
// or by iterative solves on sparse A that never form it (models/leontief_solve.hpp), so
// the same accounts run on a 50-sector table and on EXIOBASE's 9,800 region-sectors
// (docs/io-accounting.md, "Solving x = L y at scale").
//
// Units: L dimensionless; the products carry the units of Y.
#pragma once

#include <Eigen/Dense>

#include <string>

#include "models/leontief_solve.hpp"
#include "models/mrio_accounting.hpp"

namespace integra::models {

class leontief_operator {
public:
    /// L = (I - A)^-1 formed with the given back end (leontief_inverse: same conditioning
    /// check and exceptions).
    static leontief_operator dense(const Eigen::Ref<const Eigen::MatrixXd>& technical_coefficients,
                                   dense_backend backend = dense_backend::eigen);
    /// Products by BiCGSTAB on sparse A (leontief_solve: same tolerance and exceptions).
    static leontief_operator iterative(sparse_coefficients technical_coefficients,
                                       leontief_solve_options options = {});

    /// L Y (n x k). Dense: fixed blocks of columns in parallel; iterative: one solve per
    /// column of Y, in parallel. Either way the products are bitwise independent of the TBB
    /// thread count (tested); a dense L formed by LAPACK may itself differ in its last bits
    /// with OpenBLAS's thread count (numerics/lapack_inverse.hpp), Eigen's does not.
    [[nodiscard]] Eigen::MatrixXd times(const Eigen::Ref<const Eigen::MatrixXd>& y) const;
    /// L' Y (n x k), e.g. multipliers 1'L as L' 1 and S L as (L' S')'.
    [[nodiscard]] Eigen::MatrixXd transposed_times(const Eigen::Ref<const Eigen::MatrixXd>& y) const;

    [[nodiscard]] bool is_formed() const { return formed_; }
    /// The dense L; throws std::logic_error for an iterative operator.
    [[nodiscard]] const Eigen::MatrixXd& inverse() const;
    [[nodiscard]] Eigen::Index size() const { return n_; }
    /// False only for a dense L formed by LAPACK (whose last bits may depend on OpenBLAS's
    /// thread count); everything else is bitwise the same on any number of threads.
    [[nodiscard]] bool thread_independent() const { return thread_independent_; }
    /// "dense L (LAPACK on OpenBLAS ...)" or "iterative (BiCGSTAB on sparse A, N non-zeros,
    /// relative residual 1e-12)", for output attributes.
    [[nodiscard]] const std::string& description() const { return description_; }

private:
    leontief_operator() = default;
    bool formed_ = false;
    bool thread_independent_ = true;
    Eigen::Index n_ = 0;
    Eigen::MatrixXd inverse_;
    sparse_coefficients coefficients_;
    leontief_solve_options options_;
    std::string description_;
};

/// Time constants, measured with `bench_leontief dense accounts` (docs/io-accounting.md,
/// "Solving x = L y at scale"), in seconds on one thread: the LAPACK inverse on OpenBLAS
/// (dgetrf + dgecon + dgetri, about 2 n^3 flops; 39 s at n = 10,000), a product of the
/// formed L with one column (n^2), and one iterative solve per non-zero of A (BiCGSTAB with
/// its true-residual checks, as compute_io_accounts mixes products with L and L'; 38 s on
/// 2 threads for 414 products at n = 9,800 with 10% non-zeros).
inline constexpr double lapack_inverse_seconds_per_n3 = 4.0e-11;
inline constexpr double dense_product_seconds_per_n2 = 2.0e-10;
inline constexpr double operator_iterative_seconds_per_nonzero = 1.9e-8;

/// Dense (form L) or iterative for k products with L or L' on an n x n A with `non_zeros`
/// non-zeros: dense when L itself is wanted, when n <= dense_max_n, or when forming L
/// (lapack_inverse_seconds_per_n3 n^3) plus k products (dense_product_seconds_per_n2 n^2
/// each) is estimated cheaper than k iterative solves (operator_iterative_seconds_per_nonzero
/// (nnz + n) each). Both sides scale about alike with threads (OpenBLAS's blocked LU and the
/// independent columns), so one-thread constants are compared. At n = 9,800 with 10%
/// non-zeros the crossover is about 230 products.
[[nodiscard]] leontief_method choose_leontief_operator(Eigen::Index n, Eigen::Index non_zeros, Eigen::Index products,
                                                      bool need_inverse);

}  // namespace integra::models
