// Welfare decomposition of a Caliendo & Parro (2015) counterfactual into terms-of-trade
// and volume-of-trade effects (eqs. 16-20), evaluated the way the paper's tables are:
// eq. 16 is applied once with discrete changes in place of d ln (d ln c -> c-hat - 1,
// d ln M -> M'/M - 1), base-year weights M, E, tau and I_n, and cells with M = 0 dropped.
// This is a first-order measure; the exact welfare change is
// equilibrium_result::welfare_change. All values are fractions of base-year absorption
// I_n (0.0131 = 1.31%). Layouts as in trade_equilibrium.hpp.
#pragma once

#include <Eigen/Dense>

#include "models/trade_equilibrium.hpp"

namespace integra::models {

struct welfare_decomposition {
    Eigen::VectorXd terms_of_trade;   ///< N: (1/I_n) sum_j sum_i [E^j_{ni} dc^j_n - M^j_{ni} dc^j_i] (eq. 16)
    Eigen::VectorXd volume_of_trade;  ///< N: (1/I_n) sum_j sum_i tau^j_{ni} M^j_{ni} [dM^j_{ni} - dc^j_i] (eq. 16)
    /// N: (received - collected tariff revenue) / I_n: the net transfer of a customs union
    /// that pools its revenue; zero when every region keeps its own.
    Eigen::VectorXd revenue_transfer;
    Eigen::VectorXd total;            ///< N: terms_of_trade + volume_of_trade + revenue_transfer (Table 2 "Total")
    /// N x N, (n, i): the terms of eq. 16 restricted to partner i (eqs. 17-18);
    /// rows sum to terms_of_trade / volume_of_trade.
    Eigen::MatrixXd terms_of_trade_by_partner;
    Eigen::MatrixXd volume_of_trade_by_partner;
    /// J x N, (j, n): the terms of eq. 16 restricted to sector j (eqs. 19-20); columns sum
    /// to the totals. The paper's Table 4 reports these divided by the country total.
    Eigen::MatrixXd terms_of_trade_by_sector;
    Eigen::MatrixXd volume_of_trade_by_sector;
};

/// The decomposition of `result`, a solution of `solve(base, shock)`.
[[nodiscard]] welfare_decomposition decompose_welfare(const trade_equilibrium_base& base,
                                                      const equilibrium_result& result);

/// Change of imports of n from i at world prices, summed over sectors (the paper's
/// Table 5): sum_j M'^j_{ni} / sum_j M^j_{ni} - 1, N x N (row importer, column exporter);
/// NaN on the diagonal and where base imports are zero.
[[nodiscard]] Eigen::MatrixXd import_change_by_partner(const trade_equilibrium_base& base,
                                                       const equilibrium_result& result);

}  // namespace integra::models
