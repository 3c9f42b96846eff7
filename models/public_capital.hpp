// What a development bank's projects do to the economy once built: a public capital
// stock added by the bank's disbursements, the productivity it brings and, for transport
// projects, the trade costs it lowers (issue 9, channels "productivity" and "trade cost";
// docs/development-bank.md). Pure functions; sim/year_state.cpp carries the stocks.
//
// Sources (../shared/docs/policy-modules.md, D.A 7(c) and 7(d), with the tags of D.D):
//   - perpetual inventory with an efficiency factor: K_{t+1} = (1 - delta) K_t + phi I_t,
//     delta = 0.025 (BEA infrastructure rates 1.5-4.3%/yr [V]), phi = 0.70 (1 - the IMF
//     2015 efficiency gap of ~30% [V]); a project counts as capital the year after its
//     tranche is disbursed (D.A: "lag 1 after disbursement");
//   - the output elasticity of public capital eta: Bom & Ligthart (2014, J. Econ. Surveys
//     28(5), 889-916), central government, 0.083 short run and 0.122 long run [V];
//   - value-added productivity A-hat = (K-hat)^eta entered as lambda-hat^j_n =
//     A-hat_n^(theta^j gamma^j_n) (Caliendo & Parro 2015, eq. 4: the unit cost is
//     w^gamma ..., so value-added TFP A lowers the cost by A^-gamma and the Frechet term
//     lambda (c)^-theta rises by A^(theta gamma)); by Hulten's theorem the effect on real
//     GDP is about eta ln K-hat;
//   - trade costs of transport projects: kappa-hat_n = 1 - psi (K-hat^T_n - 1), psi = 0.05
//     [M] (range 0.02-0.12; Limao & Venables 2001, Hummels & Schaur 2013), on every route
//     with n at either end (d-hat^j_{ni} = kappa-hat_n kappa-hat_i for tradable j, n != i).
//
// The baseline's public capital. The baseline has no bank; its public capital is taken to
// grow with its GDP, K^base_{n,t} = k GDP^base_{n,t} (replacement and growth investment
// outside the model; k = 0.6 [M], the IMF Investment and Capital Stock Dataset is the
// recommended source), and transport capital is a share s_T of it [M]. The bank's
// projects add a stock K^bank on top, so K-hat = 1 + K^bank / K^base: the scenario's
// public capital relative to the baseline's in the same year.
#pragma once

#include <vector>

#include <Eigen/Dense>

#include "core/issues.hpp"

namespace integra::models {

/// Parameters of the productivity and trade-cost channels. Defaults and tags from
/// policy-modules.md D.A 7(c)-(d) and D.D.
struct public_capital_settings {
    double depreciation = 0.025;  ///< delta, per year (range 0.015-0.043; BEA [V])
    double efficiency = 0.70;     ///< phi: capital per unit spent (range 0.5-0.9; IMF 2015 [V])
    /// k: the baseline's public capital per unit of GDP (range 0.4-1.0) [M].
    double capital_to_gdp = 0.6;
    /// eta in the first year a bank's capital exists and after adjustment_years (Bom &
    /// Ligthart 2014: 0.083 short run, 0.122 long run [V]; range 0.05-0.20).
    double elasticity_short_run = 0.08, elasticity_long_run = 0.12;
    /// eta moves linearly from short to long run over this many years since the first year
    /// the bank-built capital exists [M]; 0 = the long-run value at once.
    int elasticity_adjustment_years = 10;
    /// s_T: the share of the baseline's public capital that is transport [M].
    double transport_share_of_capital = 0.30;
    /// psi: the cut in trade costs per unit rise of transport capital [M] (range 0.02-0.12).
    double trade_cost_elasticity = 0.05;
    /// kappa-hat_n never falls below 1 - max_trade_cost_cut (D.A: "capped") [M].
    double max_trade_cost_cut = 0.25;
};

/// The bank-built public capital of each region (N each), in the bank's money (constant
/// base-year world prices), at the start of a year.
struct public_capital_stock {
    Eigen::VectorXd added;            ///< K^bank_n, all projects (transport included)
    Eigen::VectorXd added_transport;  ///< K^{bank,T}_n, transport projects only (corridors excluded)
    /// K^{bank,C}_{nm}: corridor capital borrower n has built towards partner m (N x N);
    /// empty = no corridor project yet.
    Eigen::MatrixXd corridors;
    /// Years since the first investment: 0 in the stock closing the year of the first
    /// disbursement, which the next year uses (the first year the capital exists); -1 = none.
    int years_since_first = -1;
};

/// No bank-built capital for N regions.
[[nodiscard]] public_capital_stock no_public_capital(Eigen::Index n_regions);

/// Appends every problem of `settings` (names "public_capital.<key>" and the value).
void validate(const public_capital_settings& settings, issues& out);

/// K_{t+1} = (1 - delta) K_t + phi I_t, for all projects and for transport ones
/// (policy-modules D.A 7(c)); `investment` and `transport_investment` (N, >= 0, transport
/// <= all) are the year's disbursements.
/// `corridor_investment` (N x N, (borrower, partner), or empty): the part of transport
/// investment that builds cross-border corridors; it adds to `corridors`, not to
/// `added_transport` (a corridor lowers the costs of its own pair of routes only; D.A 7(d)).
[[nodiscard]] public_capital_stock accumulate(const public_capital_settings& settings, const public_capital_stock& now,
                                              const Eigen::VectorXd& investment,
                                              const Eigen::VectorXd& transport_investment,
                                              const Eigen::MatrixXd& corridor_investment = {});

/// eta in a year, given the stock's years_since_first (short run in the first year, long
/// run after the adjustment).
[[nodiscard]] double output_elasticity(const public_capital_settings& settings, const public_capital_stock& stock);

/// K-hat_n = 1 + K^bank_n / (k GDP^base_n): public capital relative to the baseline's, N.
/// `baseline_gdp` (N, > 0) in the stock's money. `without_transport`: count the bank's
/// non-transport capital only, K^bank - K^{bank,T} - corridors, when transport capital works through
/// trade costs instead (the output elasticity of public capital is a reduced form that
/// already holds transport's market-access effect; counting it twice would overstate it).
[[nodiscard]] Eigen::VectorXd capital_change(const public_capital_settings& settings, const public_capital_stock& stock,
                                             const Eigen::VectorXd& baseline_gdp, bool without_transport = false);
/// The same for transport capital, K^{bank,T} / (s_T k GDP^base).
[[nodiscard]] Eigen::VectorXd transport_capital_change(const public_capital_settings& settings,
                                                       const public_capital_stock& stock,
                                                       const Eigen::VectorXd& baseline_gdp);

/// lambda-hat^j_n = (K-hat_n^eta)^(theta^j gamma^j_n), J x N: value-added productivity
/// A-hat_n = K-hat_n^eta in every sector. `theta` (J), `value_added_share` (J x N).
[[nodiscard]] Eigen::MatrixXd capital_productivity_change(const Eigen::VectorXd& capital_change, double elasticity,
                                                          const Eigen::VectorXd& theta,
                                                          const Eigen::MatrixXd& value_added_share);

/// kappa-hat_n = max(1 - max_trade_cost_cut, 1 - psi (K-hat^T_n - 1)), N.
[[nodiscard]] Eigen::VectorXd route_cost_change(const public_capital_settings& settings,
                                                const Eigen::VectorXd& transport_capital_change);

/// kappa-hat^C_{nm} = max(1 - max_trade_cost_cut, 1 - psi (C_nm + C_mn) / (s_T k (GDP_n +
/// GDP_m))): a corridor's capital, built from either end, relative to the pair's combined
/// baseline transport capital [M]; N x N, symmetric, 1 on the diagonal; empty without
/// corridors.
[[nodiscard]] Eigen::MatrixXd corridor_cost_change(const public_capital_settings& settings,
                                                   const public_capital_stock& stock, const Eigen::VectorXd& baseline_gdp);

/// d-hat^j_{ni} = kappa-hat_n kappa-hat_i (x kappa-hat^C_{ni} with corridors) for n != i in
/// tradable sectors, 1 on the diagonal and in non-traded sectors; J matrices N x N (the
/// layout of counterfactual_shock::trade_cost_change). `tradable` (J).
[[nodiscard]] std::vector<Eigen::MatrixXd> route_trade_cost_change(const Eigen::VectorXd& route_cost_change,
                                                                   const std::vector<bool>& tradable,
                                                                   const Eigen::MatrixXd& corridor_cost_change = {});

}  // namespace integra::models
