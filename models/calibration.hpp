// From data to a model-consistent base year, and back.
//
// The trade equilibrium of Caliendo & Parro (2015) works on a base year in its own
// objects (trade shares, expenditure, cost and demand shares: trade_equilibrium_base);
// datasets hold flows in levels (economy). This file converts between the two and makes a
// base consistent with the model the way the authors' replication package
// (Data_and_Codes_CP) does; docs/model.md, section 6, writes the steps out:
//   steps 1-4: build shares from observed flows, gross output at least exports, domestic
//              sales as the residual, final-demand shares as the residual of eq. 7 with
//              negative values set to zero (base_from_observed);
//   steps 5-7: solve the model at unchanged tariffs, with the observed deficits or with
//              zero deficits, and take the solution as the base (calibrate).
#pragma once

#include <string>
#include <vector>

#include <Eigen/Dense>

#include "models/economy.hpp"
#include "models/trade_equilibrium.hpp"

namespace integra::models {

/// Observed base-year data in the Caliendo-Parro layout (J sectors, N regions).
struct observed_flows {
    std::vector<std::string> regions, sectors;
    /// imports[j](n,i): n's imports of sector-j goods from i at world prices, before tariffs;
    /// the diagonal is ignored (domestic sales are derived). J matrices N x N.
    std::vector<Eigen::MatrixXd> imports;
    /// tariffs[j](n,i): tariff n levies on sector-j goods from i, a fraction.
    std::vector<Eigen::MatrixXd> tariffs;
    Eigen::MatrixXd gross_output;       ///< Y^j_n, J x N (raised to exports where below)
    Eigen::MatrixXd value_added_share;  ///< gamma^j_n, J x N
    /// Input shares of materials, per region J x J (input k, using j), each column summing
    /// to 1 (or all zero): the paper's G; gamma^{k,j}_n = (1 - gamma^j_n) G_n(k, j).
    std::vector<Eigen::MatrixXd> material_shares;
    Eigen::VectorXd theta;  ///< J
};

/// Steps 1-4 of the replication package's calibration; counts the final-demand shares set
/// to zero in `clipped_final_demand_shares` if given. The result is not yet an equilibrium.
[[nodiscard]] trade_equilibrium_base base_from_observed(const observed_flows& data,
                                                        int* clipped_final_demand_shares = nullptr);

/// Steps 5-7: the equilibrium at unchanged tariffs, trade costs and productivities, with
/// the base's deficits held (zero_deficits = false) or set to zero, taken as the new base.
/// Solving the model on the result at unchanged tariffs reproduces it exactly.
[[nodiscard]] trade_equilibrium_base calibrate(const trade_equilibrium_base& base, bool zero_deficits,
                                               const solver_options& options = {});

/// The equilibrium objects of an economy's base year (an economy that passes validate()
/// is already an equilibrium at its tariffs: eqs. 7 and 9 hold in levels).
[[nodiscard]] trade_equilibrium_base equilibrium_base(const economy& e);

/// The economy in levels described by an equilibrium base: gross output, value added,
/// trade at world prices and deficits follow from eqs. 7-9.
[[nodiscard]] economy to_economy(const trade_equilibrium_base& base, const std::string& name, int base_year,
                                 const std::string& unit);

}  // namespace integra::models
