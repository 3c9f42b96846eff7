// Free movement of workers (issue 13; docs/free-movement.md): where people born in each
// region live, how that responds to real wages and migration costs, the labour it gives
// each region, and the remittances migrants send home. Pure functions; sim/year_state.cpp
// carries the state from year to year.
//
// Sources (../shared/docs/policy-modules.md, C and D.C, with the tags of D.D):
//   - location choice in changes, the logit/Frechet form of Tombe & Zhu (2019, AER
//     109(5)), Caliendo, Opromolla, Parro & Sforza (2021, JPE 129(12)) and Redding's spatial
//     models (D.C eqs. 1-2): m'_{od} = m_{od} (w-hat_d / mu-hat_{od})^kappa /
//     sum_k m_{ok} (w-hat_k / mu-hat_{ok})^kappa, kappa = 2.0 a year [M] (range 1-4);
//   - partial adjustment towards the desired shares, rho = 0.15 a year [M] (D.C eq. 3;
//     Artuc, Chaudhuri & McLaren 2010: high switching costs, slow adjustment [V]);
//   - effective labour by residence, movers at a productivity zeta [M] (D.C eq. 4);
//   - remittances, a share of movers' labour income sent to their origin (D.C eq. 5),
//     calibrated to WDI remittances received where the data have them;
//   - welfare per person of each origin, the Frechet expected utility
//     W-hat_o = (sum_d m_{od} (w-hat_d / mu-hat_{od})^kappa)^(1/kappa) (the standard
//     welfare of a logit location choice; its kappa -> 0 limit is the share-weighted
//     geometric mean).
//
// The baseline. The baseline's population by residence follows the dataset's projection
// (UN WPP 2024, whose own migration assumptions it keeps), and the composition of each
// residence region by origin stays at the base year's. Migration here is the scenario's
// response relative to that baseline: shares move only where the scenario's real wages
// or migration costs differ from the baseline's, so a zero cost change (or kappa = 0)
// reproduces the baseline exactly. Baseline flows are those of the projection.
//
// Layout: N x N matrices are (origin o, residence d); the diagonal holds the natives who
// live at home. People are in the dataset's unit (thousands).
#pragma once

#include <vector>

#include <Eigen/Dense>

#include "core/issues.hpp"

namespace integra::models {

struct migration_settings {
    double elasticity = 2.0;          ///< kappa: of location shares to real wages, annual [M] (1-4)
    double adjustment_speed = 0.15;   ///< rho: share of the gap to the desired stocks closed a year [M] (0.05-0.3), (0, 1]
    double mover_productivity = 1.0;  ///< zeta: a mover's efficiency relative to a native's [M] (0.7-1)
    double remittance_share = 0.10;   ///< r: share of movers' labour income sent home, where not calibrated [M] (0.05-0.2)
};

/// Appends every problem of `settings` ("migration.<key>" and the value).
void validate(const migration_settings& settings, issues& out);

/// D.C eq. 2: the shares of each origin's people living in each region after a change
/// of real wages `real_wage_change` (N, > 0, by residence) and migration costs
/// `cost_change` (N x N, > 0; empty = unchanged), from `shares` (N x N, rows sum to 1).
/// kappa = 0 returns `shares` unchanged.
[[nodiscard]] Eigen::MatrixXd location_shares(const Eigen::MatrixXd& shares, const Eigen::VectorXd& real_wage_change,
                                              const Eigen::MatrixXd& cost_change, double elasticity);

/// D.C eq. 3 on shares: the scenario's shares this year, closing rho of the gap to the
/// desired shares: m_t = m*_t + (1 - rho) (m_{t-1} - m*_{t-1}) written as
/// baseline_t + (1 - rho) gap_{t-1} + rho (desired_t - baseline_t), with
/// gap_{t-1} = scenario_{t-1} - baseline_{t-1}. Rows sum to 1.
[[nodiscard]] Eigen::MatrixXd adjust_shares(const Eigen::MatrixXd& baseline, const Eigen::MatrixXd& previous_gap,
                                            const Eigen::MatrixXd& desired, double adjustment_speed);

/// Origin shares of a stock matrix: each row divided by its sum (a row of zeros stays).
[[nodiscard]] Eigen::MatrixXd origin_shares(const Eigen::MatrixXd& stocks);

/// D.C eq. 4: effective labour by residence, sum_o N_{od} (zeta off the diagonal), N.
[[nodiscard]] Eigen::VectorXd effective_labour(const Eigen::MatrixXd& stocks, double mover_productivity);

/// D.C eq. 5: remittances, N x N (origin o receives from residence d): r_o x the labour
/// income of o's movers in d, zeta N_{od} x `income_per_worker`_d (N). `share_by_origin`
/// (N): r_o. Zero on the diagonal.
[[nodiscard]] Eigen::MatrixXd remittances(const Eigen::MatrixXd& stocks, const Eigen::VectorXd& income_per_worker,
                                          const Eigen::VectorXd& share_by_origin, double mover_productivity);

/// r_o calibrated so that the base year's remittances match `received` (N, money; NaN
/// where unknown or not to be calibrated): received_o / (zeta sum_{d != o} N_{od}
/// income_per_worker_d), kept where it is at most `plausible` (a higher share means the
/// data miss part of o's diaspora, and the ratio is not a remittance share). Elsewhere:
/// the median of the kept shares, or settings.remittance_share if none is kept.
/// `calibrated` (if given) reports which were kept.
[[nodiscard]] Eigen::VectorXd calibrate_remittance_shares(const Eigen::MatrixXd& stocks,
                                                          const Eigen::VectorXd& income_per_worker,
                                                          const Eigen::VectorXd& received,
                                                          const migration_settings& settings, double plausible = 0.3,
                                                          std::vector<bool>* calibrated = nullptr);

/// W-hat_o = (sum_d m_{od} (w-hat_d / mu-hat_{od})^kappa)^(1/kappa): the welfare change of a
/// person born in o (Frechet expected utility), N; kappa = 0: exp(sum_d m ln(w-hat/mu-hat)).
[[nodiscard]] Eigen::VectorXd origin_welfare(const Eigen::MatrixXd& shares, const Eigen::VectorXd& real_wage_change,
                                             const Eigen::MatrixXd& cost_change, double elasticity);

}  // namespace integra::models
