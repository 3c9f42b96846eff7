// Every account `integra io accounts` writes, computed from products with the Leontief
// operator (models/leontief_operator.hpp), so that nothing needs L formed: the same
// formulas as mrio_accounting.hpp and satellite_accounts.hpp (which take a dense L and are
// the reference the tests compare with), rearranged into as few products as possible:
//   transposed products L' u   1 (output multipliers), the R region indicators of c (value
//                              added by origin, W = c^ L summed by region), K rows of S
//                              (stressor multipliers M = S L);
//   direct products L y       the R*C final-demand columns by category (footprints and
//                              value added by destination and category), x (downstream
//                              multipliers G 1 = x^-1 L x), the shock if any, and K columns
//                              x^ s_k for downstream stressor multipliers when asked.
// Sources: Miller & Blair (2009) ch. 2, 6, 10, 12; Johnson & Noguera (2012); Koopman, Wang
// & Wei (2014); Peters (2008); Kanemoto et al. (2012); docs/io-accounting.md per quantity.
//
// Notation as in satellite_accounts.hpp; C final-demand categories, Y_c (n x R*C) with
// column q*C + c the final demand of category c in region q. Units: the table's currency
// for money, each stressor's own unit for stressors.
#pragma once

#include <Eigen/Dense>

#include <vector>

#include "models/full_mrio.hpp"
#include "models/leontief_operator.hpp"
#include "models/satellite_accounts.hpp"

namespace integra::models {

struct io_accounts_options {
    bool downstream_stressors = false;  ///< M_down = S (G' - I) and M + M_down: K more products
    bool footprint_by_final_product = false;  ///< P[k] = M(k,j) Y(j,q): K x n x R numbers
    /// A change of final demand dY by origin region-sector x (destination region, category),
    /// n x R*C like full_mrio::final_demand_by_category; empty: none.
    Eigen::MatrixXd final_demand_change;
};

struct io_accounts {
    // ---- Economic accounts (n unless noted) ----
    Eigen::VectorXd output_multiplier;        ///< 1'L (M&B ch. 6, sec. 6.2)
    Eigen::VectorXd value_added_multiplier;   ///< c'L with c = v/x, v as given (M&B ch. 6, sec. 6.2)
    Eigen::VectorXd backward_linkage;         ///< 1'L / mean (M&B ch. 12, sec. 12.2)
    Eigen::VectorXd downstream_output_multiplier;  ///< G 1 = x^-1 L x (M&B ch. 12, secs. 12.1-12.2)
    Eigen::VectorXd forward_linkage;          ///< G 1 / mean (M&B ch. 12, sec. 12.2)
    Eigen::VectorXd full_scope_output_multiplier;  ///< 1'L + G 1 - 1
    /// VA(o, q*C + c): value added of origin o absorbed by category c of region q's final
    /// demand (Johnson & Noguera 2012 by category); (R x R*C).
    Eigen::MatrixXd value_added_in_final_demand_by_category;
    /// Sum over categories: VA(o, q); (R x R).
    Eigen::MatrixXd value_added_in_final_demand;
    /// EVA[o](r, q): value added of o in r's gross exports to q (Koopman, Wang & Wei 2014).
    std::vector<Eigen::MatrixXd> value_added_in_exports;
    /// ||x - L Y 1|| / ||x||: how well the operator reproduces gross output (a check).
    double output_relative_residual = 0.0;

    // ---- Satellite accounts (K stressors; empty when K = 0) ----
    Eigen::MatrixXd intensity;                ///< S = F x^-1 (K x n)
    Eigen::MatrixXd multiplier;               ///< M = S L (K x n)
    Eigen::MatrixXd production_based;         ///< PBA (K x R)
    Eigen::MatrixXd consumption_based;        ///< CBA = M Y + F_y (K x R)
    /// S L y_(q,c): the footprint of category c of q's final demand, without the direct
    /// stressors of final users F_y (which the input gives by region only); (K x R*C).
    Eigen::MatrixXd consumption_based_by_category;
    std::vector<Eigen::MatrixXd> footprint_by_origin;  ///< D[k](o, q) (R x R each)
    embodied_trade embodied;                  ///< imports, exports, balance (K x R)
    Eigen::MatrixXd downstream_multiplier;    ///< M_down = S (G' - I), if asked (K x n)
    Eigen::MatrixXd full_scope_multiplier;    ///< M + M_down, if asked (K x n)
    std::vector<Eigen::MatrixXd> footprint_by_final_product;  ///< P[k] (n x R each), if asked

    // ---- A final-demand shock dY, if given ----
    Eigen::VectorXd shock_output_change;      ///< dx = L dY 1 (n)
    Eigen::MatrixXd shock_value_added_change; ///< c^ L dy_(q,c) summed over o's sectors (R x R*C)
    Eigen::MatrixXd shock_stressor_change;    ///< S L dy_(q,c) (K x R*C)
};

/// All accounts for `mrio` with the stressors `stressors` (K may be 0) through `leontief`,
/// which must be for A of mrio.table. Value added is mrio.value_added() (as given when the
/// input gives it). Throws inconsistent_input on mis-sized inputs (a shock not n x R*C) and
/// whatever the operator's products throw (numerical_error on no convergence).
[[nodiscard]] io_accounts compute_io_accounts(const full_mrio& mrio, const satellite& stressors,
                                              const leontief_operator& leontief,
                                              const io_accounts_options& options = {});

/// How many products with L or L' compute_io_accounts takes, for choose_leontief_operator.
[[nodiscard]] Eigen::Index io_accounts_products(const full_mrio& mrio, const satellite& stressors,
                                                const io_accounts_options& options);

}  // namespace integra::models
