// Input-output accounting on an MRIO table: the demand-driven (Leontief) and supply-driven
// (Ghosh) quantity models, multipliers, linkages and value added embodied in trade.
//
// Notation (Miller & Blair 2009, "Input-Output Analysis", 2nd ed., ch. 2): n = R*S
// region-sectors in the region-major order of mrio_table; Z intermediate flows, x gross
// output, v value added, f or y final demand, all in the table's currency unit per year;
// a hat is a diagonal matrix (x^ = diag(x)); 1 a vector of ones. Coefficients (A, B, v/x),
// inverses (L, G), multipliers and linkages are dimensionless.
//
// All functions are pure. The large ones (inverses, products with L or G) are parallel
// with TBB over fixed blocks of columns or rows whose boundaries do not depend on the
// number of threads, and every element has one writing task, so results are bitwise
// identical for any thread count. The thread limit is the caller's (tbb::global_control
// in main). Eigen must not be built with OpenMP (house style).
#pragma once

#include <Eigen/Dense>

#include <vector>

#include "models/mrio_table.hpp"

namespace integra::models {

// ---- Demand side (Leontief) -------------------------------------------------------------

/// Technical coefficients A = Z x^-1, A(i,j) = Z(i,j) / x(j): input from i per unit output
/// of j (Miller & Blair 2009, ch. 2, sec. 2.2). Columns with x(j) = 0 are zero.
/// Throws inconsistent_input if Z is not n x n with n = x.size().
[[nodiscard]] Eigen::MatrixXd technical_coefficients(const Eigen::Ref<const Eigen::MatrixXd>& intermediate,
                                                     const Eigen::Ref<const Eigen::VectorXd>& gross_output);
[[nodiscard]] Eigen::MatrixXd technical_coefficients(const mrio_table& table);

/// Where a dense inverse is computed:
///  - eigen: Eigen's PartialPivLU, the columns of the inverse solved in parallel TBB blocks;
///    bitwise the same on any thread count (scenario runs use it);
///  - lapack: LAPACK dgetrf/dgecon/dgetri on OpenBLAS, multithreaded by OpenBLAS; several
///    times faster from a few hundred region-sectors on, but its last bits may depend on
///    OpenBLAS's thread count (models/numerics/lapack_inverse.hpp).
enum class dense_backend { eigen, lapack };

/// Leontief inverse L = (I - A)^-1 (Miller & Blair 2009, ch. 2, sec. 2.2), by LU with
/// partial pivoting. Throws numerical_error naming the reciprocal condition estimate (1-norm)
/// if it is below `min_rcond` (I - A singular or nearly so), inconsistent_input if A is not
/// square.
[[nodiscard]] Eigen::MatrixXd leontief_inverse(const Eigen::Ref<const Eigen::MatrixXd>& technical_coefficients,
                                               double min_rcond = 1e-12, dense_backend backend = dense_backend::eigen);

/// Gross output for final demand y: x = L y (Miller & Blair 2009, ch. 2, secs. 2.2-2.3). Used
/// for final-demand shocks: x' = L y'; by linearity also dx = L dy.
[[nodiscard]] Eigen::VectorXd leontief_output(const Eigen::Ref<const Eigen::MatrixXd>& leontief,
                                              const Eigen::Ref<const Eigen::VectorXd>& final_demand);

/// Simple output multipliers m(j) = sum_i L(i,j), i.e. m' = 1'L: total output in all
/// region-sectors per unit final demand for j (Miller & Blair 2009, ch. 6, sec. 6.2).
[[nodiscard]] Eigen::VectorXd output_multipliers(const Eigen::Ref<const Eigen::MatrixXd>& leontief);

/// Value-added coefficients c = v / x (value added per unit output); 0 where x = 0.
[[nodiscard]] Eigen::VectorXd value_added_coefficients(const Eigen::Ref<const Eigen::VectorXd>& value_added,
                                                       const Eigen::Ref<const Eigen::VectorXd>& gross_output);

/// Value-added multipliers m_v' = c' L: value added generated in all region-sectors per
/// unit final demand for j (Miller & Blair 2009, ch. 6, sec. 6.2: the income multiplier
/// with value added in place of labour income). For a balanced table with x > 0,
/// c' = 1'(I - A), so every multiplier is 1: final demand is exactly paid out as value added.
[[nodiscard]] Eigen::VectorXd value_added_multipliers(const Eigen::Ref<const Eigen::VectorXd>& value_added_coefficients,
                                                      const Eigen::Ref<const Eigen::MatrixXd>& leontief);

// ---- Supply side (Ghosh) ----------------------------------------------------------------

/// Allocation coefficients B = x^-1 Z, B(i,j) = Z(i,j) / x(i): share of i's output sold to j
/// (Miller & Blair 2009, ch. 12, sec. 12.1). Rows with x(i) = 0 are zero.
[[nodiscard]] Eigen::MatrixXd allocation_coefficients(const Eigen::Ref<const Eigen::MatrixXd>& intermediate,
                                                      const Eigen::Ref<const Eigen::VectorXd>& gross_output);
[[nodiscard]] Eigen::MatrixXd allocation_coefficients(const mrio_table& table);

/// Ghosh inverse G = (I - B)^-1 (Miller & Blair 2009, ch. 12, sec. 12.1); same LU,
/// conditioning check and exceptions as leontief_inverse. For x > 0, G = x^-1 L x^.
[[nodiscard]] Eigen::MatrixXd ghosh_inverse(const Eigen::Ref<const Eigen::MatrixXd>& allocation_coefficients,
                                            double min_rcond = 1e-12,
                                            dense_backend backend = dense_backend::eigen);

/// Supply-side output for primary inputs v: x' = v' G (Miller & Blair 2009, ch. 12,
/// sec. 12.1). Returned as a column vector x = G' v.
[[nodiscard]] Eigen::VectorXd ghosh_output(const Eigen::Ref<const Eigen::MatrixXd>& ghosh,
                                           const Eigen::Ref<const Eigen::VectorXd>& value_added);

// ---- Linkages ---------------------------------------------------------------------------

/// Normalized (Rasmussen) backward linkages: BL(j) = sum_i L(i,j) / ((1/n) sum_(i,k) L(i,k)),
/// the output multiplier of j relative to the average one; > 1 marks above-average pull
/// on suppliers (Miller & Blair 2009, ch. 12, sec. 12.2; Rasmussen 1956).
[[nodiscard]] Eigen::VectorXd backward_linkages(const Eigen::Ref<const Eigen::MatrixXd>& leontief);

/// Normalized forward linkages from the Ghosh inverse: FL(i) = sum_j G(i,j) /
/// ((1/n) sum_(k,j) G(k,j)) (Miller & Blair 2009, ch. 12, sec. 12.2, who prefer G over L
/// for forward linkages).
[[nodiscard]] Eigen::VectorXd forward_linkages(const Eigen::Ref<const Eigen::MatrixXd>& ghosh);

// ---- Value added in final demand and in trade --------------------------------------------

/// Value added by origin region absorbed in each region's final demand, the numerator of
/// Johnson & Noguera's (2012, J. Int. Econ. 86(2):224-236) value-added exports:
///   VA(o, q) = sum_(s in o) [ c^ L f_q ](o,s),   f_q = column q of final_demand,
/// an R x R matrix (origin o, absorbing region q). Off-diagonal entries are value-added
/// exports VAX(o -> q); the row sums are each region's GDP and the grand total equals total
/// value added when the table is balanced (c' L F 1 = c' x = 1'v).
[[nodiscard]] Eigen::MatrixXd value_added_in_final_demand(const mrio_table& table,
                                                          const Eigen::Ref<const Eigen::MatrixXd>& leontief);

/// Value added by origin region embodied in gross bilateral exports ("source of value
/// added in gross exports": the V B E matrix of Koopman, Wang & Wei 2014, AER 104(2):459-494,
/// with their global Leontief inverse B = our L; the multiplier logic is Miller & Blair 2009,
/// ch. 6):
///   e_rq((r,s)) = sum_t Z((r,s),(q,t)) + F((r,s),q)   for r != q, zero outside r's block
///   EVA[o](r, q) = sum_(s in o) [ c^ L e_rq ](o,s)
/// Returns one R x R matrix per origin region o (exporter r, importer q; zero diagonal).
/// EVA[r](r,q) is domestic value added in r's exports to q, the o != r terms are foreign
/// value added (vertical specialization, Hummels, Ishii & Yi 2001, J. Int. Econ. 54(1):75-96). For a balanced table
/// with x > 0, c' L = 1', so sum_o EVA[o](r,q) equals the gross exports 1'e_rq exactly.
/// Gross exports count intermediate goods that cross borders several times; use
/// value_added_in_final_demand for double-count-free value-added trade.
[[nodiscard]] std::vector<Eigen::MatrixXd> value_added_in_exports(const mrio_table& table,
                                                                  const Eigen::Ref<const Eigen::MatrixXd>& leontief);

}  // namespace integra::models
