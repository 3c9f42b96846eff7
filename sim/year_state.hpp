// The trade-equilibrium year loop: what it carries from one year to the next, and one step.
//
//   baseline_t = solve(base, labour path + baseline trade-cost trends in year t)
//   scenario_t = solve(baseline_t taken as a base, policies in force in year t)
//
// Solving the policy relative to the same year's baseline makes every policy effect a
// clean comparison of two equilibria in one year, so the welfare decomposition of
// Caliendo & Parro (2015, eq. 16) measures the scenario against its baseline directly
// (docs/model.md, "Years"). Each solve is warm-started from the previous year's wages.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Dense>

#include "models/clearing_union.hpp"
#include "models/development_bank.hpp"
#include "models/migration.hpp"
#include "models/trade_equilibrium.hpp"
#include "sim/bound_scenario.hpp"

namespace integra::sim {

/// What one year hands to the next. Modules with state of their own (a development
/// bank's loans, a clearing union's balances, migrant stocks) add it here, with the
/// update rule as a pure function in models/.
struct year_state {
    std::size_t year_index = 0;  ///< position in the horizon (0 = first year)
    int year = 0;
    /// Warm starts: the last solved wage changes of each case (empty = none yet).
    Eigen::VectorXd baseline_wage_change, scenario_wage_change;
    /// Each development bank's stocks at the start of the year (setup.banks' order); the
    /// scenario's only: the baseline has no bank. Empty = no bank opened yet.
    std::vector<models::bank_state> banks;
    /// The public capital the banks' projects have added in each region at the start of the
    /// year (models/public_capital.hpp), the scenario's only; empty without banks.
    models::public_capital_stock public_capital;
    /// Each bank's corridor approvals granted in recent years, newest first, as long as
    /// its disbursement profile (N x N, (borrower, partner)); empty without corridors.
    std::vector<std::vector<Eigen::MatrixXd>> corridor_approvals;

    /// Free movement of workers (issue 13), the scenario's only; empty without it.
    struct migration_state {
        /// People born in o (row) living in d (column) in the base year, thousands; natives
        /// at home on the diagonal (residents less immigrants). Constant.
        Eigen::MatrixXd base_stocks;
        /// r_o, each origin's share of its movers' labour income sent home (N), and whether
        /// it was calibrated to the dataset's remittances (else the fallback).
        Eigen::VectorXd remittance_shares;
        std::vector<bool> remittance_calibrated;
        /// The scenario's origin shares less the baseline's (N x N; rows sum to 0), and its
        /// stocks less the baseline's (N x N), at the end of the year; empty = none yet.
        Eigen::MatrixXd share_gap, excess_stocks;
        /// The scenario's real wage change against the baseline in the year (N): next
        /// year's movers respond to it (a lagged response); empty = none yet.
        Eigen::VectorXd real_wage_change;
    } migration;

    /// Currency unions (issue 10), the scenario's only; empty without them or before the
    /// first year is solved.
    struct currency_state {
        /// omega_n: last year's wage change (scenario vs baseline) relative to the union's
        /// wage index, N (1 outside unions): this year's wage floor starts from it.
        Eigen::VectorXd relative_wage;
        /// The baseline's wage per person last year at constant base-year world prices, N.
        Eigen::VectorXd baseline_wage;
        /// Last year's employment gap e_n - 1 in the scenario, N: fiscal transfers respond to
        /// it (a one-year lag, as budgets do).
        Eigen::VectorXd employment_gap;
    } currency;
    /// Each clearing union's balances and counters (setup.clearing_unions' order), and what
    /// its credit closure finances next year: the change of each region's deficit at
    /// constant base-year world prices (N; zero for the other closures).
    std::vector<models::clearing_state> clearing;
    std::vector<Eigen::VectorXd> clearing_financing;
};

/// The channels of a scenario's stateful instruments, in the order the decomposition adds
/// them (channels.decompose): a currency union's (currency_trade_cost, wage_rigidity,
/// fiscal_transfer), a clearing union's (clearing_transaction_cost, clearing_credit), a
/// development bank's (transfer, composition, productivity, trade_cost; policy-modules D.A
/// 7(a)-(d)); only the groups the scenario has. Empty: nothing to split.
[[nodiscard]] std::vector<std::string> channel_names(const trade_equilibrium_setup& setup);

/// One year's two equilibria, as the recorder needs them.
struct year_solution {
    models::trade_equilibrium_base baseline, scenario;  ///< the two cases' levels this year
    models::equilibrium_result baseline_result;          ///< baseline vs the base year
    models::equilibrium_result policy_result;            ///< scenario vs this year's baseline
    /// Money is deflated by the baseline's world consumer price index (value-added weights
    /// of the base year), the same factor in both cases: constant world prices.
    double deflator = 1.0;
    /// lambda-hat^j_n (CP eq. 4) of the shocks solved, J x N, empty = unchanged: the
    /// baseline's since the base year, the scenario's relative to its baseline. GDP volume
    /// needs them (models/national_accounts.hpp).
    Eigen::MatrixXd baseline_productivity_change, policy_productivity_change;
    /// Each development bank's year (setup.banks' order); `bank_open[b]` is false before its
    /// start year (nothing flows). Amounts at constant base-year world prices.
    std::vector<models::bank_year> banks;
    std::vector<bool> bank_open;
    /// The change of each region's deficit the banks cause in the scenario (transfer
    /// channel), sum over banks of bank_year::net_flows, in the dataset's money at constant
    /// base-year world prices (N; zero without banks or with channels.transfer = false).
    Eigen::VectorXd deficit_change;
    /// The banks' disbursements this year (all projects, and transport ones), summed over
    /// banks, at constant base-year world prices, N; empty without banks.
    Eigen::VectorXd project_spending, transport_spending;
    /// The part of transport_spending that builds cross-border corridors, N x N (borrower,
    /// partner); empty without corridor projects.
    Eigen::MatrixXd corridor_spending;
    /// Public capital relative to the baseline's this year (K-hat, K-hat^T, N) and the
    /// output elasticity used; empty without banks.
    Eigen::VectorXd capital_change, transport_capital_change;
    /// kappa-hat^C of the corridors in use this year, N x N; empty without corridors.
    Eigen::MatrixXd corridor_cost_change;
    double output_elasticity = 0.0;

    /// The channel decomposition (channels.decompose): the scenario solved cumulatively,
    /// stage 0 with the scenario's other policies only, then adding each channel in the
    /// order of channel_names; the last stage is the scenario itself. Empty unless decomposing.
    struct stage {
        models::equilibrium_result result;       ///< relative to this year's baseline
        models::trade_equilibrium_base levels;   ///< the stage's economy
        Eigen::MatrixXd productivity_change;     ///< lambda-hat of the stage (empty = none)
    };
    std::vector<stage> stages;

    /// Free movement (empty without it): the baseline's and the scenario's people by
    /// origin and residence (N x N, thousands), the migration costs in force (N x N, 1 =
    /// unchanged; empty = none), the remittances origin o receives from d in each case (N x
    /// N, money at constant base-year world prices), and the year's policy-induced flows
    /// (the change of the scenario's excess stocks, N x N).
    Eigen::MatrixXd baseline_stocks, scenario_stocks, migration_cost_change, baseline_remittances,
        scenario_remittances, migration_flows;

    /// Currency unions (empty without them): kappa-hat of member pairs this year (N x N, 1
    /// elsewhere), the wage floors in force (counterfactual_shock::wage_floor and its union
    /// and weights; empty before any union is in force), and the fiscal transfers received
    /// (N, money at constant base-year world prices).
    Eigen::MatrixXd currency_cost_change;
    Eigen::VectorXd wage_floor, wage_index_weight, fiscal_transfer;
    std::vector<int> wage_union;
    /// The tradable-productivity shocks z_{n,t} of the year (N; empty without [shocks]).
    Eigen::VectorXd shock;
    /// Clearing unions (setup.clearing_unions' order; `clearing_open[u]` is false before its
    /// start year), the transaction-cost closure's kappa-hat (N x N, empty = none) and the
    /// credit closure's deficit changes (N, constant base-year world prices, empty = none).
    std::vector<models::clearing_year> clearing;
    std::vector<bool> clearing_open;
    Eigen::MatrixXd clearing_cost_change;
    Eigen::VectorXd clearing_deficit_change;
};

/// The baseline of every year of a horizon, solved once: the points of a sweep that vary
/// only the scenario's policies share it (the baseline a point would solve is the same,
/// bit for bit, so sharing it changes no result).
struct baseline_path {
    struct year {
        models::trade_equilibrium_base levels;
        models::equilibrium_result result;
        Eigen::VectorXd next_warm_start;
        Eigen::MatrixXd productivity_change;  ///< the trend's lambda-hat (empty = unchanged)
    };
    std::vector<year> years;
};

/// The state of the first year of the horizon (no warm starts).
[[nodiscard]] year_state first_year_state(const bound_scenario& scenario);

/// Solves year next.year (set by the caller, with next.year_index) given the previous
/// year's state; fills `next` with what the following year needs. With `shared`, the
/// baseline is taken from it instead of solved. Throws numerical_error naming the year
/// and the case if an equilibrium cannot be found.
[[nodiscard]] year_solution step(const trade_equilibrium_setup& setup, const year_state& previous, year_state& next,
                                 const baseline_path* shared = nullptr);

/// Solves the baseline of every year of `scenario` (a trade equilibrium).
[[nodiscard]] baseline_path solve_baseline_path(const bound_scenario& scenario);

/// Would `a` and `b` solve the same baseline path, bit for bit? The same base year (every
/// array, the elasticities), solver settings, labour path and baseline trends, year by year.
[[nodiscard]] bool same_baseline(const trade_equilibrium_setup& a, const trade_equilibrium_setup& b);

}  // namespace integra::sim
