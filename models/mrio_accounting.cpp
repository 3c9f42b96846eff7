// Input-output accounting; formulas and sources are documented in mrio_accounting.hpp.
//
// Parallel pattern: work is cut into blocks of a fixed number of columns (or rows) that do
// not depend on the thread count; each block is one serial Eigen call, and each output
// element belongs to exactly one block (owner computes). TBB only schedules the blocks, so
// 1 and N threads execute the same floating-point operations in the same order.
#include "models/mrio_accounting.hpp"

#include "core/errors.hpp"
#include "core/issues.hpp"
#include "core/text.hpp"
#include "models/numerics/lapack_inverse.hpp"
#include "models/numerics/parallel.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>
#include <string>

namespace integra::models {

namespace {

using index_t = Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// Columns (or rows) per task for dense n x n work: large enough that a block is an
// efficient Eigen call, small enough to give several blocks per thread for n ~ 10^3-10^4.
constexpr index_t dense_block = 64;


// Sum with a fixed reduction tree (deterministic for any thread count).
double deterministic_sum(const VectorXd& v) {
    return tbb::parallel_deterministic_reduce(
        tbb::blocked_range<index_t>(0, v.size(), 1024), 0.0,
        [&v](const tbb::blocked_range<index_t>& r, double acc) {
            for (index_t i = r.begin(); i != r.end(); ++i) acc += v[i];
            return acc;
        },
        std::plus<>());
}


std::string shape(index_t rows, index_t cols) { return std::to_string(rows) + " x " + std::to_string(cols); }

void require_square(const Eigen::Ref<const MatrixXd>& m, const std::string& function, const std::string& name) {
    if (m.rows() != m.cols())
        throw inconsistent_input(function + ": " + name + " is " + shape(m.rows(), m.cols()) +
                                 "; expected a square matrix");
}

void require_size(index_t actual, index_t expected, const std::string& function, const std::string& name) {
    if (actual != expected)
        throw inconsistent_input(function + ": " + name + " has " + std::to_string(actual) + " entries; expected " +
                                 std::to_string(expected));
}

// The arrays of `t` that the table-level functions read, and an n x n `leontief`.
void require_table_shapes(const mrio_table& t, const Eigen::Ref<const MatrixXd>& leontief,
                          const std::string& function) {
    const auto n = static_cast<index_t>(t.size());
    const auto r = static_cast<index_t>(t.n_regions());
    issues problems;
    if (n == 0) problems.add("mrio_table", "has no regions or no sectors");
    if (t.intermediate.rows() != n || t.intermediate.cols() != n)
        problems.add("mrio_table.intermediate",
                     "is " + shape(t.intermediate.rows(), t.intermediate.cols()) + "; expected " + shape(n, n));
    if (t.final_demand.rows() != n || t.final_demand.cols() != r)
        problems.add("mrio_table.final_demand",
                     "is " + shape(t.final_demand.rows(), t.final_demand.cols()) + "; expected " + shape(n, r));
    if (t.value_added.size() != n)
        problems.add("mrio_table.value_added",
                     "has " + std::to_string(t.value_added.size()) + " entries; expected " + std::to_string(n));
    if (t.gross_output.size() != n)
        problems.add("mrio_table.gross_output",
                     "has " + std::to_string(t.gross_output.size()) + " entries; expected " + std::to_string(n));
    if (leontief.rows() != n || leontief.cols() != n)
        problems.add("leontief", "is " + shape(leontief.rows(), leontief.cols()) + "; expected " + shape(n, n));
    problems.throw_if_any<inconsistent_input>(function);
}

// (I - M)^-1 for M = A (Leontief) or M = B (Ghosh). Eigen: one LU factorization (serial,
// so deterministic), then the columns of the inverse solved in parallel blocks. LAPACK:
// dgetrf, dgecon, dgetri on OpenBLAS (numerics/lapack_inverse.hpp).
MatrixXd inverse_of_identity_minus(const Eigen::Ref<const MatrixXd>& m, double min_rcond, dense_backend backend,
                                   const std::string& function, const std::string& name) {
    require_square(m, function, name);
    const index_t n = m.rows();
    if (n == 0) return MatrixXd(0, 0);
    const auto check_conditioning = [&](double rcond) {
        if (!(rcond >= min_rcond)) {
            throw numerical_error(function + ": I - " + name + " (" + shape(n, n) +
                                  ") is singular or nearly singular: reciprocal condition estimate " + number_text(rcond, 3) +
                                  " is below " + number_text(min_rcond, 3) + "; expected a productive economy (every " +
                                  (name == "A" ? "column" : "row") + " sum of " + name + " below 1)");
        }
    };
    double rcond = 0.0;
    MatrixXd inverse;
    if (backend == dense_backend::lapack) {
        inverse = numerics::lapack_inverse_of_identity_minus(m, rcond);
        check_conditioning(rcond);
    } else {
        MatrixXd i_minus_m = -m;
        i_minus_m.diagonal().array() += 1.0;
        const Eigen::PartialPivLU<MatrixXd> lu(i_minus_m);
        rcond = lu.rcond();
        check_conditioning(rcond);
        inverse.resize(n, n);
        numerics::for_each_fixed_block(n, dense_block, [&](index_t begin, index_t count) {
            inverse.middleCols(begin, count) = lu.solve(MatrixXd::Identity(n, n).middleCols(begin, count));
        });
    }
    if (!inverse.allFinite())
        throw numerical_error(function + ": (I - " + name + ")^-1 has NaN or infinite entries (reciprocal "
                              "condition estimate " + number_text(rcond, 3) + ")");
    return inverse;
}

// 1 / x, with 0 where x = 0 (a sector with no output gets zero coefficients).
VectorXd safe_reciprocal(const Eigen::Ref<const VectorXd>& x) {
    return x.unaryExpr([](double value) { return value != 0.0 ? 1.0 / value : 0.0; });
}

// W(o, j) = sum_(s in o) c(o,s) L((o,s), j): value added of origin region o per unit final
// demand for j, i.e. c^ L summed over the sectors of each origin region. R x n.
MatrixXd regional_value_added_multipliers(const mrio_table& t, const Eigen::Ref<const MatrixXd>& leontief) {
    const auto n = static_cast<index_t>(t.size());
    const auto n_regions = static_cast<index_t>(t.n_regions());
    const auto n_sectors = static_cast<index_t>(t.n_sectors());
    const VectorXd c = value_added_coefficients(t.value_added, t.gross_output);
    MatrixXd w(n_regions, n);
    numerics::for_each_fixed_block(n, dense_block, [&](index_t begin, index_t count) {
        for (index_t j = begin; j != begin + count; ++j)
            for (index_t o = 0; o < n_regions; ++o)
                w(o, j) = c.segment(o * n_sectors, n_sectors).dot(leontief.col(j).segment(o * n_sectors, n_sectors));
    });
    return w;
}

}  // namespace

MatrixXd technical_coefficients(const Eigen::Ref<const MatrixXd>& intermediate,
                                const Eigen::Ref<const VectorXd>& gross_output) {
    require_square(intermediate, "technical_coefficients", "intermediate");
    require_size(gross_output.size(), intermediate.cols(), "technical_coefficients", "gross_output");
    // A = Z x^-1 (Miller & Blair 2009, ch. 2, sec. 2.2); zero columns where x = 0.
    return intermediate * safe_reciprocal(gross_output).asDiagonal();
}

MatrixXd technical_coefficients(const mrio_table& table) {
    return technical_coefficients(table.intermediate, table.gross_output);
}

MatrixXd leontief_inverse(const Eigen::Ref<const MatrixXd>& technical_coefficients, double min_rcond,
                          dense_backend backend) {
    // L = (I - A)^-1 (Miller & Blair 2009, ch. 2, sec. 2.2).
    return inverse_of_identity_minus(technical_coefficients, min_rcond, backend, "leontief_inverse", "A");
}

VectorXd leontief_output(const Eigen::Ref<const MatrixXd>& leontief, const Eigen::Ref<const VectorXd>& final_demand) {
    require_square(leontief, "leontief_output", "leontief");
    require_size(final_demand.size(), leontief.cols(), "leontief_output", "final_demand");
    // x = L f (Miller & Blair 2009, ch. 2, secs. 2.2-2.3); each block of rows owns its x.
    VectorXd x(leontief.rows());
    numerics::for_each_fixed_block(leontief.rows(), dense_block, [&](index_t begin, index_t count) {
        x.segment(begin, count).noalias() = leontief.middleRows(begin, count) * final_demand;
    });
    return x;
}

VectorXd output_multipliers(const Eigen::Ref<const MatrixXd>& leontief) {
    require_square(leontief, "output_multipliers", "leontief");
    // m' = 1' L (Miller & Blair 2009, ch. 6, sec. 6.2).
    VectorXd m(leontief.cols());
    numerics::for_each_fixed_block(leontief.cols(), dense_block, [&](index_t begin, index_t count) {
        for (index_t j = begin; j != begin + count; ++j) m(j) = leontief.col(j).sum();
    });
    return m;
}

VectorXd value_added_coefficients(const Eigen::Ref<const VectorXd>& value_added,
                                  const Eigen::Ref<const VectorXd>& gross_output) {
    require_size(value_added.size(), gross_output.size(), "value_added_coefficients", "value_added");
    return value_added.cwiseProduct(safe_reciprocal(gross_output));
}

VectorXd value_added_multipliers(const Eigen::Ref<const VectorXd>& value_added_coefficients,
                                 const Eigen::Ref<const MatrixXd>& leontief) {
    require_square(leontief, "value_added_multipliers", "leontief");
    require_size(value_added_coefficients.size(), leontief.rows(), "value_added_multipliers",
                 "value_added_coefficients");
    // m_v' = c' L (Miller & Blair 2009, ch. 6, sec. 6.2, income multipliers); computed as
    // L' c by column blocks of L.
    VectorXd m(leontief.cols());
    numerics::for_each_fixed_block(leontief.cols(), dense_block, [&](index_t begin, index_t count) {
        m.segment(begin, count).noalias() = leontief.middleCols(begin, count).transpose() * value_added_coefficients;
    });
    return m;
}

MatrixXd allocation_coefficients(const Eigen::Ref<const MatrixXd>& intermediate,
                                 const Eigen::Ref<const VectorXd>& gross_output) {
    require_square(intermediate, "allocation_coefficients", "intermediate");
    require_size(gross_output.size(), intermediate.rows(), "allocation_coefficients", "gross_output");
    // B = x^-1 Z (Miller & Blair 2009, ch. 12, sec. 12.1); zero rows where x = 0.
    return safe_reciprocal(gross_output).asDiagonal() * intermediate;
}

MatrixXd allocation_coefficients(const mrio_table& table) {
    return allocation_coefficients(table.intermediate, table.gross_output);
}

MatrixXd ghosh_inverse(const Eigen::Ref<const MatrixXd>& allocation_coefficients, double min_rcond,
                       dense_backend backend) {
    // G = (I - B)^-1 (Miller & Blair 2009, ch. 12, sec. 12.1).
    return inverse_of_identity_minus(allocation_coefficients, min_rcond, backend, "ghosh_inverse", "B");
}

VectorXd ghosh_output(const Eigen::Ref<const MatrixXd>& ghosh, const Eigen::Ref<const VectorXd>& value_added) {
    require_square(ghosh, "ghosh_output", "ghosh");
    require_size(value_added.size(), ghosh.rows(), "ghosh_output", "value_added");
    // x' = v' G (Miller & Blair 2009, ch. 12, sec. 12.1), as x = G' v by column blocks of G.
    VectorXd x(ghosh.cols());
    numerics::for_each_fixed_block(ghosh.cols(), dense_block, [&](index_t begin, index_t count) {
        x.segment(begin, count).noalias() = ghosh.middleCols(begin, count).transpose() * value_added;
    });
    return x;
}

VectorXd backward_linkages(const Eigen::Ref<const MatrixXd>& leontief) {
    // BL(j) = (1'L)(j) / ((1/n) 1'L1) (Miller & Blair 2009, ch. 12, sec. 12.2).
    const VectorXd column_sums = output_multipliers(leontief);
    const double mean = deterministic_sum(column_sums) / static_cast<double>(column_sums.size());
    return column_sums / mean;
}

VectorXd forward_linkages(const Eigen::Ref<const MatrixXd>& ghosh) {
    require_square(ghosh, "forward_linkages", "ghosh");
    // FL(i) = (G1)(i) / ((1/n) 1'G1) (Miller & Blair 2009, ch. 12, sec. 12.2). Row sums are
    // accumulated column by column (contiguous in column-major storage) per block of rows.
    const index_t n = ghosh.rows();
    VectorXd row_sums = VectorXd::Zero(n);
    numerics::for_each_fixed_block(n, dense_block, [&](index_t begin, index_t count) {
        auto sums = row_sums.segment(begin, count);
        for (index_t j = 0; j < ghosh.cols(); ++j) sums += ghosh.col(j).segment(begin, count);
    });
    const double mean = deterministic_sum(row_sums) / static_cast<double>(n);
    return row_sums / mean;
}

MatrixXd value_added_in_final_demand(const mrio_table& table, const Eigen::Ref<const MatrixXd>& leontief) {
    require_table_shapes(table, leontief, "value_added_in_final_demand");
    // VA(o, q) = sum_(s in o) [c^ L f_q](o,s) = W f_q (Johnson & Noguera 2012); row o owned
    // by one task.
    const MatrixXd w = regional_value_added_multipliers(table, leontief);
    MatrixXd va(w.rows(), table.final_demand.cols());
    numerics::for_each_fixed_block(w.rows(), 1, [&](index_t o, index_t) { va.row(o).noalias() = w.row(o) * table.final_demand; });
    return va;
}

std::vector<MatrixXd> value_added_in_exports(const mrio_table& table, const Eigen::Ref<const MatrixXd>& leontief) {
    require_table_shapes(table, leontief, "value_added_in_exports");
    const auto n = static_cast<index_t>(table.size());
    const auto n_regions = static_cast<index_t>(table.n_regions());
    const auto n_sectors = static_cast<index_t>(table.n_sectors());

    // Gross exports E((r,s), q) = sum_t Z((r,s),(q,t)) + F((r,s),q) for q != r, else 0;
    // column q owned by one task.
    MatrixXd exports(n, n_regions);
    numerics::for_each_fixed_block(n_regions, 1, [&](index_t q, index_t) {
        auto e = exports.col(q);
        e = table.final_demand.col(q);
        for (index_t t = 0; t < n_sectors; ++t) e += table.intermediate.col(q * n_sectors + t);
        e.segment(q * n_sectors, n_sectors).setZero();
    });

    // EVA[o](r, q) = sum_(s in o) [c^ L e_rq](o,s) = sum_s' W(o,(r,s')) E((r,s'),q), since
    // e_rq is zero outside r's block (Koopman, Wang & Wei 2014, V B E); origin o owned by
    // one task.
    const MatrixXd w = regional_value_added_multipliers(table, leontief);
    std::vector<MatrixXd> embodied(table.n_regions(), MatrixXd::Zero(n_regions, n_regions));
    numerics::for_each_fixed_block(n_regions, 1, [&](index_t o, index_t) {
        MatrixXd& eva = embodied[static_cast<std::size_t>(o)];
        for (index_t r = 0; r < n_regions; ++r)
            eva.row(r).noalias() = w.row(o).segment(r * n_sectors, n_sectors) *
                                   exports.middleRows(r * n_sectors, n_sectors);
    });
    return embodied;
}

}  // namespace integra::models
