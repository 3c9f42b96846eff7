#include "models/leontief_operator.hpp"

#include <stdexcept>
#include <utility>

#include "core/text.hpp"
#include "models/numerics/lapack_inverse.hpp"
#include "models/numerics/parallel.hpp"

namespace integra::models {

namespace {
using Eigen::Index;
using Eigen::MatrixXd;
constexpr Index dense_block = 64;
}  // namespace

leontief_operator leontief_operator::dense(const Eigen::Ref<const MatrixXd>& technical_coefficients,
                                           dense_backend backend) {
    leontief_operator op;
    op.formed_ = true;
    op.thread_independent_ = backend != dense_backend::lapack;
    op.inverse_ = leontief_inverse(technical_coefficients, 1e-12, backend);
    op.n_ = op.inverse_.rows();
    op.description_ = backend == dense_backend::lapack
                          ? "dense L = (I - A)^-1 by LAPACK dgetrf/dgetri on " + numerics::lapack_description()
                          : std::string("dense L = (I - A)^-1 by Eigen's partial-pivoting LU");
    return op;
}

leontief_operator leontief_operator::iterative(sparse_coefficients technical_coefficients,
                                               leontief_solve_options options) {
    leontief_operator op;
    op.n_ = technical_coefficients.rows();
    op.description_ = cat("iterative, L never formed: ",
                          options.method == leontief_iteration::bicgstab ? "Jacobi-preconditioned BiCGSTAB"
                                                                         : "power series",
                          " on sparse A (", technical_coefficients.nonZeros(), " non-zeros), relative residual ",
                          number_text(options.relative_tolerance, 3), " per column");
    op.coefficients_ = std::move(technical_coefficients);
    op.options_ = options;
    return op;
}

MatrixXd leontief_operator::times(const Eigen::Ref<const MatrixXd>& y) const {
    if (!formed_) return leontief_solve(coefficients_, y, options_);
    MatrixXd out(n_, y.cols());
    numerics::for_each_fixed_block(y.cols(), dense_block, [&](Index begin, Index count) {
        out.middleCols(begin, count).noalias() = inverse_ * y.middleCols(begin, count);
    });
    return out;
}

MatrixXd leontief_operator::transposed_times(const Eigen::Ref<const MatrixXd>& y) const {
    if (!formed_) return leontief_solve_transposed(coefficients_, y, options_);
    MatrixXd out(n_, y.cols());
    numerics::for_each_fixed_block(y.cols(), dense_block, [&](Index begin, Index count) {
        out.middleCols(begin, count).noalias() = inverse_.transpose() * y.middleCols(begin, count);
    });
    return out;
}

const MatrixXd& leontief_operator::inverse() const {
    if (!formed_) throw std::logic_error("leontief_operator::inverse: L was not formed (iterative operator)");
    return inverse_;
}

leontief_method choose_leontief_operator(Index n, Index non_zeros, Index products, bool need_inverse) {
    if (need_inverse || n <= dense_max_n) return leontief_method::dense;
    const double nd = static_cast<double>(n);
    const double dense = lapack_inverse_seconds_per_n3 * nd * nd * nd +
                         static_cast<double>(products) * dense_product_seconds_per_n2 * nd * nd;
    const double iterative = static_cast<double>(products) * operator_iterative_seconds_per_nonzero *
                             static_cast<double>(non_zeros + n);
    return dense < iterative ? leontief_method::dense : leontief_method::iterative;
}

}  // namespace integra::models
