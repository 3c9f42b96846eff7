#include "sim/year_state.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"
#include "models/trade_policy.hpp"

namespace integra::sim {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

bool changes_nothing(const models::counterfactual_shock& s, const models::trade_equilibrium_base& base) {
    for (std::size_t j = 0; j < s.tariffs.size(); ++j)
        if (s.tariffs[j] != base.tariffs[j]) return false;
    for (const auto& d : s.trade_cost_change)
        if ((d.array() != 1.0).any()) return false;
    if (s.productivity_change.size() > 0 && (s.productivity_change.array() != 1.0).any()) return false;
    if (s.labour_change.size() > 0 && (s.labour_change.array() != 1.0).any()) return false;
    if (s.revenue_sharing.size() > 0 && s.revenue_sharing != MatrixXd::Identity(base.n_regions(), base.n_regions()))
        return false;
    return s.deficits_rule == models::deficit_closure::hold_fixed;
}

// The solution when nothing changes: every change is one and the base is reproduced
// exactly (solving would reproduce it to the solver's tolerance only). This is what makes
// a zero-size policy reproduce the baseline bitwise.
models::equilibrium_result unchanged(const models::trade_equilibrium_base& b) {
    const Index N = b.n_regions(), J = b.n_sectors();
    models::equilibrium_result r;
    r.wage_change = VectorXd::Ones(N);
    r.input_cost_change = r.sector_price_change = MatrixXd::Ones(J, N);
    r.price_index_change = r.real_wage_change = r.welfare_change = VectorXd::Ones(N);
    r.trade_shares = b.trade_shares;
    r.expenditure = b.expenditure;
    r.value_added = b.value_added;
    r.deficit = b.deficit;
    r.imports = models::bilateral_imports(b);
    r.imports_by_sector.resize(J, N);
    r.exports_by_sector.resize(J, N);
    r.gross_output.resize(J, N);
    r.tariff_revenue = VectorXd::Zero(N);
    for (Index j = 0; j < J; ++j) {
        const MatrixXd& m = r.imports[static_cast<std::size_t>(j)];
        r.imports_by_sector.row(j) = (m.rowwise().sum() - m.diagonal()).transpose();
        r.exports_by_sector.row(j) = (m.colwise().sum().transpose() - m.diagonal()).transpose();
        r.gross_output.row(j) = m.colwise().sum();
        r.tariff_revenue += (m.array() * b.tariffs[static_cast<std::size_t>(j)].array()).matrix().rowwise().sum();
    }
    r.tariff_revenue_received = r.tariff_revenue;
    r.final_absorption = models::final_absorption(b);
    return r;
}

// Solves one case, warm-started from `warm` (updated to the solution).
models::equilibrium_result solve_case(const models::trade_equilibrium_base& b, const models::counterfactual_shock& shock,
                                      const models::solver_options& solver, const VectorXd& warm, VectorXd& next_warm,
                                      int year, const char* which) {
    next_warm = warm;
    if (changes_nothing(shock, b)) return unchanged(b);
    models::solver_options o = solver;
    o.initial_wage_change = warm;
    models::equilibrium_result r;
    try {
        r = models::solve(b, shock, o);
    } catch (const numerical_error& error) {
        throw numerical_error(cat(year, ", ", which, ": ", error.what()));
    }
    next_warm = r.wage_change;
    return r;
}

}  // namespace

year_state first_year_state(const bound_scenario& scenario) {
    year_state s;
    s.year = scenario.first_year;
    return s;
}

year_solution step(const trade_equilibrium_setup& setup, const year_state& previous, year_state& next) {
    const int year = next.year;
    const auto& base = setup.base;
    year_solution out;

    // Baseline: the labour path and the baseline trade-cost trends.
    models::counterfactual_shock trend;
    trend.labour_change = setup.labour.effective(next.year_index);
    for (const auto& p : setup.policies)
        if (p.baseline) models::apply(p.policy, p.phase.share(year), base, trend);
    if (trend.tariffs.empty()) trend.tariffs = base.tariffs;
    out.baseline_result = solve_case(base, trend, setup.solver, previous.baseline_wage_change, next.baseline_wage_change,
                                     year, "baseline");
    out.baseline = models::counterfactual_as_base(base, trend, out.baseline_result);

    // Scenario: the policies in force this year, relative to this year's baseline
    // (bind ruled out contradictions, year by year).
    models::counterfactual_shock policy;
    for (const auto& p : setup.policies) {
        const double share = p.phase.share(year);
        if (!p.baseline && share > 0.0) models::apply(p.policy, share, out.baseline, policy);
    }
    if (policy.tariffs.empty()) policy.tariffs = out.baseline.tariffs;
    out.policy_result = solve_case(out.baseline, policy, setup.solver, previous.scenario_wage_change,
                                   next.scenario_wage_change, year, "scenario");
    out.scenario = models::counterfactual_as_base(out.baseline, policy, out.policy_result);

    const VectorXd& world_va0 = base.value_added;
    const double world_cpi = world_va0.dot(out.baseline_result.price_index_change) / world_va0.sum();
    out.deflator = 1.0 / world_cpi;
    return out;
}

}  // namespace integra::sim
