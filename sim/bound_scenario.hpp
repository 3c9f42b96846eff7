// Binding: a scenario and its dataset turned, once, into everything a run needs. Every
// region, group and sector name is resolved to indices, every rule to an enum, every file
// (tariff-edit CSVs) read, the equilibrium base calibrated, the labour path built, and
// every problem reported together. Running a bound scenario (sim/runner.hpp) does no name
// resolution and no I/O, so a process can bind once and run many points (sim/sweep/).
#pragma once

#include <map>
#include <memory>
#include <variant>
#include <vector>

#include <Eigen/Dense>

#include "core/issues.hpp"
#include "models/business_cycle.hpp"
#include "models/clearing_union.hpp"
#include "models/development_bank.hpp"
#include "models/migration.hpp"
#include "models/mrio_table.hpp"
#include "models/public_capital.hpp"
#include "models/trade_equilibrium.hpp"
#include "sim/data/dataset.hpp"
#include "sim/policy_builder.hpp"
#include "sim/scenario/scenario.hpp"

namespace integra::sim {

/// The baseline's labour path relative to the base year, by year of the horizon:
/// population (the scenario's variant) and cumulative labour productivity; effective
/// labour is their product (productivity enters as labour-augmenting growth).
struct labour_path {
    std::vector<Eigen::VectorXd> population, productivity;
    std::vector<std::string> notes;  ///< what drives the path, for the output's attributes
    [[nodiscard]] Eigen::VectorXd effective(std::size_t y) const { return population[y].cwiseProduct(productivity[y]); }
};

/// A development bank (issue 9), bound: its terms, capital and counterparts over region
/// indices (models/development_bank.hpp) and its lending request rule.
struct bound_development_bank {
    std::string label;
    models::bank_terms terms;
    models::bank_capital capital;
    models::bank_counterparts counterparts;
    int start_year = 0;
    /// How the approvals requested each year are set.
    enum class lending_rule {
        amount,        ///< `envelope` x borrower_shares
        share_of_gdp,  ///< `share_of_gdp` x the members' GDP (baseline, constant base-year world prices) x borrower_shares
        capacity,      ///< as much as the capital rule allows, over borrower_shares
        pipeline,      ///< the pipeline CSV's amounts in each year
    };
    lending_rule rule = lending_rule::amount;
    double envelope = 0.0, share_of_gdp = 0.0;
    Eigen::VectorXd member_mask;      ///< 1 for members, N
    Eigen::VectorXd borrower_shares;  ///< allocation key over borrowers, N, sums to 1 (or all 0)
    /// The share of keyed approvals that are transport and logistics projects (rules other
    /// than pipeline), in [0, 1].
    double transport_share = 0.0;
    /// The pipeline (rule pipeline): for each year, the approvals requested per borrower
    /// and the part of them that is transport (purpose "transport"), N each.
    struct pipeline_year {
        Eigen::VectorXd amounts, transport;
        /// Corridor projects: (borrower, partner) -> the amount of the borrower's transport
        /// lending that builds a cross-border corridor to the partner (N x N, a part of
        /// `transport`; rows with a `partner` in the pipeline CSV). Empty = none.
        Eigen::MatrixXd corridor;
    };
    std::map<int, pipeline_year> pipeline;
};

/// A free-movement area (issue 13), bound: at phase share s the migration costs between
/// every pair of members (o != d, both in member_mask) are multiplied by 1 - s cost_cut.
struct bound_free_movement {
    std::string label;
    Eigen::VectorXd member_mask;  ///< 1 for members, N
    double cost_cut = 0.0;        ///< x in [0, 1) at full phase-in
    phase_in phase;
};

/// mu-hat in `year`, N x N (origin, residence): 1 - the largest s x among the areas in
/// force with both ends as members, 1 elsewhere and on the diagonal (docs/scenarios.md:
/// overlapping areas do not compound; a pair takes its largest cut). `n_regions` sizes the
/// matrix when there is no area.
[[nodiscard]] Eigen::MatrixXd free_movement_cost_change(const std::vector<bound_free_movement>& areas, int year,
                                                        Eigen::Index n_regions);

/// A clearing union (issue 10), bound: channelled payments are uptake x phase share of
/// intra-union imports (x (1 + over_invoicing) on the exporter's side).
struct bound_clearing_union {
    std::string label, unit;
    Eigen::VectorXd member_mask;  ///< 1 for members, N
    models::clearing_rules rules;
    double uptake = 0.0, quota_share = 0.0, transaction_cost_saving = 0.0, over_invoicing = 0.0;
    clearing_closure closure = clearing_closure::accounting;
    phase_in phase;
};

/// A currency union (issue 10), bound.
struct bound_currency_union {
    std::string label;
    Eigen::VectorXd member_mask;  ///< 1 for members, N
    double trade_effect = 0.0, trade_elasticity = 0.0;
    bool wage_rigidity = true;
    double wage_floor = 0.98;     ///< gamma_w = 1 - max_wage_fall
    double inflation = 0.0, fiscal_transfer = 0.0;
    phase_in phase;
};

/// The trade equilibrium (Caliendo & Parro 2015), bound.
struct trade_equilibrium_setup {
    models::trade_equilibrium_base base;  ///< the base year, with the scenario's trade elasticities
    std::vector<scheduled_policy> policies;
    labour_path labour;
    models::solver_options solver;
    /// Free-trade areas and customs unions: their labels and, per region, membership.
    std::vector<std::string> bloc_labels;
    std::vector<std::vector<bool>> bloc_members;
    /// Development banks of the scenario (not of the baseline) and their channels.
    std::vector<bound_development_bank> banks;
    channel_settings channels;
    /// The productivity and trade-cost channels' parameters ([public_capital]).
    models::public_capital_settings public_capital;
    /// beta^j_n: the sector shares of project spending (composition channel), J x N, each
    /// column sums to 1: [public_capital] investment_shares, else the dataset's
    /// investment_shares; empty when there is no bank.
    Eigen::MatrixXd investment_shares;
    /// Free movement of workers (issue 13): the scenario's areas (the baseline has none)
    /// and the migration response's parameters ([migration]).
    std::vector<bound_free_movement> free_movement;
    models::migration_settings migration;
    /// Calibrate each origin's remittance share to the dataset's remittances received where
    /// it has them ([migration] calibrate_remittances).
    bool calibrate_remittances = true;
    /// Clearing and currency unions (issue 10), the scenario's only.
    std::vector<bound_clearing_union> clearing_unions;
    std::vector<bound_currency_union> currency_unions;
    /// Tradable-productivity shocks z_{n,t} ([shocks]; models/business_cycle.hpp), years of
    /// the horizon x N, zero before shocks.start_year; they hit the baseline and the
    /// scenario alike (lambda-hat^j_n = exp(z) in shock_sectors; sim/year_state.cpp
    /// baseline_trend). Empty = none.
    Eigen::MatrixXd shocks;
    models::shock_process shock_process;  ///< the process drawn from (empty without shocks)
    std::vector<bool> shock_sectors;      ///< the sectors the shocks hit (J)
};

/// The demand-driven input-output model (Leontief), bound.
struct input_output_setup {
    struct shock {
        std::vector<std::size_t> buyers, origins, sectors;
        double change = 0.0;
        phase_in phase;
    };
    models::mrio_table table;
    Eigen::MatrixXd technical_coefficients, leontief_inverse, ghosh_inverse;
    Eigen::VectorXd value_added_coefficients;
    std::vector<shock> shocks;
};

struct bound_scenario {
    scenario_spec spec;
    std::shared_ptr<const dataset> data;  ///< shared, never modified: points of a sweep share one
    int first_year = 0, last_year = 0;
    std::vector<std::size_t> summary_regions;  ///< regions of the terminal summary (empty: the default)
    std::variant<trade_equilibrium_setup, input_output_setup> model;

    [[nodiscard]] std::size_t n_years() const { return static_cast<std::size_t>(last_year - first_year + 1); }
};

/// Binds `spec` to `data`: checks the names against the dataset, then builds the model and
/// its policies (values, and contradictions among policies in force together, year by
/// year). Appends every problem to `out`; the result is usable only if `out` is empty.
[[nodiscard]] bound_scenario bind(scenario_spec spec, std::shared_ptr<const dataset> data, issues& out);

/// Reads a scenario file with its overrides, loads its dataset and binds them; throws
/// invalid_input listing every problem (file:line:col, key, value, what was expected).
[[nodiscard]] bound_scenario load_scenario(const std::filesystem::path& file,
                                           const std::vector<std::string>& overrides = {});

/// The same for a document already read (read_document) as if from `file`, with the
/// problems found so far in `problems`.
[[nodiscard]] bound_scenario load_scenario(const toml::table& doc, const std::filesystem::path& file, issues& problems);

}  // namespace integra::sim
