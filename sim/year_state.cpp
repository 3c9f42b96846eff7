#include "sim/year_state.hpp"

#include <algorithm>
#include <array>
#include <limits>

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
    if (s.final_demand_shift.size() > 0 && (s.final_demand_shift.array() != 0.0).any()) return false;
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

// Writes one case's policies (the baseline's trends, or the scenario's policies in force,
// share > 0) in `year` into `shock` on `base`. Customs unions first: they set their
// members' whole schedule, and a union-wide free-trade area or a tariff edit then refines
// it on its cells; the others in the scenario's order.
void apply_policies(const std::vector<scheduled_policy>& policies, bool baseline, int year,
                    const models::trade_equilibrium_base& base, models::counterfactual_shock& shock) {
    for (const bool unions : {true, false})
        for (const auto& p : policies) {
            const double share = p.phase.share(year);
            if (p.baseline != baseline || (!baseline && share <= 0.0) ||
                std::holds_alternative<models::customs_union>(p.policy) != unions)
                continue;
            models::apply(p.policy, share, base, shock);
        }
}

// The baseline's shock in year `year`: the labour path and the baseline trade-cost trends.
models::counterfactual_shock baseline_trend(const trade_equilibrium_setup& setup, std::size_t year_index, int year) {
    models::counterfactual_shock trend;
    trend.labour_change = setup.labour.effective(year_index);
    apply_policies(setup.policies, true, year, setup.base, trend);
    if (trend.tariffs.empty()) trend.tariffs = setup.base.tariffs;
    return trend;
}

bool same_matrices(const std::vector<MatrixXd>& a, const std::vector<MatrixXd>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (a[k].rows() != b[k].rows() || a[k].cols() != b[k].cols() || a[k] != b[k]) return false;
    return true;
}

template <class M>
bool same(const M& a, const M& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() && a == b;
}

}  // namespace

const char* channel_name(bank_channel c) {
    switch (c) {
        case bank_channel::transfer: return "transfer";
        case bank_channel::composition: return "composition";
        case bank_channel::productivity: return "productivity";
        case bank_channel::trade_cost: return "trade_cost";
    }
    return "?";
}

namespace {

// The base year's people by origin and residence and each origin's remittance share
// (models/migration.hpp). Natives at home are the residents less the immigrants (UN WPP
// population less UN DESA stocks); bind checked that the dataset has both.
year_state::migration_state first_migration_state(const bound_scenario& scenario, const trade_equilibrium_setup& setup) {
    const auto& data = *scenario.data;
    const Index N = setup.base.n_regions();
    year_state::migration_state m;
    const auto variant = data.population.find(scenario.spec.population_variant);
    const auto at = std::find(data.population_years.begin(), data.population_years.end(), data.economy.base_year);
    if (variant == data.population.end() || at == data.population_years.end() || data.migrant_stocks.rows() != N)
        throw internal_error("free movement without base-year population or migrant stocks (bind should have refused)");
    const VectorXd residents = variant->second.row(at - data.population_years.begin()).transpose();
    m.base_stocks = data.migrant_stocks;
    const VectorXd immigrants = data.migrant_stocks.colwise().sum().transpose();
    for (Index d = 0; d < N; ++d) {
        const double natives = residents(d) - immigrants(d);
        if (!(natives > 0.0))
            throw inconsistent_input(cat(data.economy.regions[static_cast<std::size_t>(d)], ": ", immigrants(d),
                                         " thousand immigrants but ", residents(d),
                                         " thousand residents in the base year: the dataset's migrant stocks exceed its "
                                         "population"));
        m.base_stocks(d, d) = natives;
    }
    // r_o: calibrated to the dataset's remittances received (a share of GDP; value added
    // stands for GDP) for the members of a free-movement area, whose diasporas the data
    // hold; others (USA, EU27...: most of their remittances come from people outside the
    // data) and implausible ratios get the median calibrated share (models/migration.hpp).
    const auto& settings = setup.migration;
    const VectorXd income = setup.base.value_added.cwiseQuotient(models::effective_labour(m.base_stocks, settings.mover_productivity));
    VectorXd received = VectorXd::Constant(N, std::numeric_limits<double>::quiet_NaN());
    if (setup.calibrate_remittances && data.remittances_share_of_gdp.size() == N)
        for (Index o = 0; o < N; ++o)
            for (const auto& area : setup.free_movement)
                if (area.member_mask(o) > 0.0) received(o) = data.remittances_share_of_gdp(o) * setup.base.value_added(o);
    m.remittance_shares = models::calibrate_remittance_shares(m.base_stocks, income, received, settings, 0.3,
                                                              &m.remittance_calibrated);
    return m;
}

}  // namespace

year_state first_year_state(const bound_scenario& scenario) {
    year_state s;
    s.year = scenario.first_year;
    if (const auto* setup = std::get_if<trade_equilibrium_setup>(&scenario.model)) {
        for (std::size_t b = 0; b < setup->banks.size(); ++b) s.banks.push_back(models::opening_state(setup->base.n_regions()));
        if (!setup->banks.empty()) s.public_capital = models::no_public_capital(setup->base.n_regions());
        if (!setup->free_movement.empty()) s.migration = first_migration_state(scenario, *setup);
    }
    return s;
}

namespace {

// What a bank asks to approve in `year` by its lending rule (sim/bound_scenario.hpp).
models::approvals_request lending_request(const bound_development_bank& bank, int year, const VectorXd& members_gdp) {
    using rule = bound_development_bank::lending_rule;
    models::approvals_request r;
    switch (bank.rule) {
        case rule::amount: r.amounts = bank.envelope * bank.borrower_shares; break;
        case rule::share_of_gdp: r.amounts = bank.share_of_gdp * bank.member_mask.dot(members_gdp) * bank.borrower_shares; break;
        case rule::capacity:
            r.amounts = bank.borrower_shares;
            r.up_to_capacity = true;
            break;
        case rule::pipeline: {
            const auto it = bank.pipeline.find(year);
            if (it == bank.pipeline.end()) {
                r.amounts = VectorXd::Zero(bank.borrower_shares.size());
            } else {
                r.amounts = it->second.amounts;
                r.transport = it->second.transport;
            }
            return r;
        }
    }
    if (bank.transport_share > 0.0) r.transport = bank.transport_share * r.amounts;
    return r;
}

// A bank's corridor projects (pipeline rows with a partner): granted in the proportion the
// bank granted each borrower's request, disbursed with the bank's profile (as the bank's
// own vintages, models/development_bank.cpp), summed into out.corridor_spending.
void step_corridors(const bound_development_bank& bank, std::size_t b, int year, const models::approvals_request& request,
                    const models::bank_year& granted, const year_state& previous, year_state& next, year_solution& out) {
    const auto it = bank.pipeline.find(year);
    const bool signs = it != bank.pipeline.end() && it->second.corridor.size() > 0;
    std::vector<MatrixXd> history = b < previous.corridor_approvals.size() ? previous.corridor_approvals[b]
                                                                          : std::vector<MatrixXd>{};
    if (!signs && history.empty()) return;
    const Index N = request.amounts.size();
    MatrixXd signed_now = MatrixXd::Zero(N, N);
    if (signs)
        for (Index n = 0; n < N; ++n)
            if (request.amounts(n) > 0.0)
                signed_now.row(n) = it->second.corridor.row(n) * (granted.approvals_granted(n) / request.amounts(n));
    history.insert(history.begin(), signed_now);
    const auto& profile = bank.terms.disbursement_profile;
    if (history.size() > profile.size()) history.resize(profile.size());
    MatrixXd disbursed = MatrixXd::Zero(N, N);
    for (std::size_t age = 0; age < history.size(); ++age) disbursed += profile[age] * history[age];
    if (out.corridor_spending.size() == 0) out.corridor_spending = MatrixXd::Zero(N, N);
    out.corridor_spending += disbursed;
    const bool any = std::any_of(history.begin(), history.end(), [](const MatrixXd& m) { return (m.array() != 0.0).any(); });
    next.corridor_approvals[b] = any ? std::move(history) : std::vector<MatrixXd>{};
}

// Each bank's year: the request (its envelope over the borrowers by their key) granted up
// to its capital rule (models/development_bank.hpp). Before its start year a bank is
// closed and its state is carried unchanged. Returns the sum of the banks' net flows
// (Delta D_n), which sums to zero across the world (checked).
VectorXd step_banks(const trade_equilibrium_setup& setup, const year_state& previous, year_state& next,
                    const VectorXd& members_gdp_by_region, year_solution& out) {
    const Index N = setup.base.n_regions();
    VectorXd total = VectorXd::Zero(N);
    next.banks.resize(setup.banks.size());
    out.banks.resize(setup.banks.size());
    out.bank_open.assign(setup.banks.size(), false);
    out.project_spending = out.transport_spending = VectorXd::Zero(N);
    next.corridor_approvals.resize(setup.banks.size());
    for (std::size_t b = 0; b < setup.banks.size(); ++b) {
        const auto& bank = setup.banks[b];
        const models::bank_state& opening = b < previous.banks.size() ? previous.banks[b] : models::opening_state(N);
        if (next.year < bank.start_year) {
            next.banks[b] = opening;
            continue;
        }
        out.bank_open[b] = true;
        const models::approvals_request request = lending_request(bank, next.year, members_gdp_by_region);
        out.banks[b] = models::step(bank.terms, bank.capital, bank.counterparts, opening, request, next.banks[b]);
        step_corridors(bank, b, next.year, request, out.banks[b], previous, next, out);
        total += out.banks[b].net_flows;
        out.project_spending += out.banks[b].disbursements;
        out.transport_spending += out.banks[b].transport_disbursements;
    }
    // The world's deficit changes cancel: every flow has a counterpart (Godley & Lavoie 2007).
    const double scale = std::max(1.0, total.cwiseAbs().sum());
    if (std::abs(total.sum()) > 1e-9 * scale)
        throw numerical_error(cat(next.year, ": the development banks' net flows sum to ", total.sum(), ", not zero"));
    return total;
}

// Free movement (models/migration.hpp; policy-modules D.C): this year's people by origin
// and residence in the baseline and the scenario, and what they change in the scenario's
// shock: labour by residence (L-hat, scenario vs baseline) and, through remittances, the
// deficits. Movers respond to last year's real wages (a lagged response: no fixed point
// inside the year, and the path converges by the partial adjustment; D.C eq. 4). Adds
// nothing, and leaves the scenario bitwise as without it, while no cost is cut and
// nobody has moved.
void step_migration(const trade_equilibrium_setup& setup, const year_state& previous, year_state& next,
                    year_solution& out, models::counterfactual_shock& shock) {
    const auto& mig = previous.migration;
    const auto& settings = setup.migration;
    const Index N = setup.base.n_regions();
    next.migration.base_stocks = mig.base_stocks;
    next.migration.remittance_shares = mig.remittance_shares;
    next.migration.remittance_calibrated = mig.remittance_calibrated;
    // The baseline: each residence region's people grow with its population projection,
    // its composition by origin as in the base year.
    out.baseline_stocks = mig.base_stocks * setup.labour.population[next.year_index].asDiagonal();
    out.scenario_stocks = out.baseline_stocks;
    // Migration costs in force: the largest cut of the areas covering a pair, phased in.
    const MatrixXd mu = free_movement_cost_change(setup.free_movement, next.year, N);
    const bool cut = (mu.array() != 1.0).any();
    if (cut) out.migration_cost_change = mu;
    // Movers respond to last year's real wages once free movement has opened (an area in
    // force with a cut; the year before is the first they see); a zero cut opens nothing.
    const bool open = std::any_of(setup.free_movement.begin(), setup.free_movement.end(),
                                  [&](const bound_free_movement& a) { return a.phase.share(next.year) * a.cost_cut > 0.0; });
    const VectorXd w = open && mig.real_wage_change.size() == N ? mig.real_wage_change : VectorXd::Ones(N);
    const bool moved = mig.share_gap.size() > 0;
    const VectorXd income = (out.baseline.value_added * out.deflator)
                                .cwiseQuotient(models::effective_labour(out.baseline_stocks, settings.mover_productivity));
    out.baseline_remittances = models::remittances(out.baseline_stocks, income, mig.remittance_shares,
                                                   settings.mover_productivity);
    if (settings.elasticity == 0.0 || (!cut && !moved && (w.array() == 1.0).all())) {  // nobody moves
        out.scenario_remittances = out.baseline_remittances;
        out.migration_flows = MatrixXd::Zero(N, N);
        return;
    }
    // D.C eqs. 2-3: desired shares from the baseline's, then partial adjustment.
    const MatrixXd baseline_shares = models::origin_shares(out.baseline_stocks);
    const MatrixXd desired = models::location_shares(baseline_shares, w, cut ? mu : MatrixXd(), settings.elasticity);
    const MatrixXd shares = models::adjust_shares(baseline_shares, mig.share_gap, desired, settings.adjustment_speed);
    if (shares.minCoeff() < -1e-12)
        throw numerical_error(cat(next.year, ": free movement gives a negative share of an origin's people (",
                                  shares.minCoeff(), "): the baseline's composition moved faster than the adjustment"));
    next.migration.share_gap = shares - baseline_shares;
    const VectorXd born = out.baseline_stocks.rowwise().sum();  // a person's origin does not change
    out.scenario_stocks = born.asDiagonal() * shares;
    next.migration.excess_stocks = out.scenario_stocks - out.baseline_stocks;
    out.migration_flows = mig.excess_stocks.size() > 0 ? MatrixXd(next.migration.excess_stocks - mig.excess_stocks)
                                                       : next.migration.excess_stocks;
    // D.C eq. 4: labour by residence, scenario vs baseline.
    const VectorXd labour = models::effective_labour(out.scenario_stocks, settings.mover_productivity)
                                .cwiseQuotient(models::effective_labour(out.baseline_stocks, settings.mover_productivity));
    shock.labour_change = shock.labour_change.size() > 0 ? VectorXd(shock.labour_change.cwiseProduct(labour)) : labour;
    // D.C eq. 5: the change of remittances moves deficits: an origin receives more, a
    // residence region pays more (sums to zero). Movers earn the baseline's income per
    // effective worker where they live, moved by last year's real wage change there.
    out.scenario_remittances = models::remittances(out.scenario_stocks, income.cwiseProduct(w), mig.remittance_shares,
                                                   settings.mover_productivity);
    const MatrixXd change = out.scenario_remittances - out.baseline_remittances;
    const VectorXd deficit = change.rowwise().sum() - change.colwise().sum().transpose();
    if ((deficit.array() != 0.0).any()) {
        if (shock.deficits_rule != models::deficit_closure::given) shock.deficits = out.baseline.deficit;
        shock.deficits_rule = models::deficit_closure::given;
        shock.deficits += deficit / out.deflator;
    }
}

using channel_switches = std::array<bool, n_bank_channels>;

// The banks' channels that are `on`, added to the scenario's shock this year
// (policy-modules D.A 7(a)-(d)). Each adds nothing when it has nothing to add (no flow, no
// capital, a zero elasticity), so a zero-size bank reproduces the run without it bitwise.
channel_switches add_bank_channels(const trade_equilibrium_setup& setup, const year_solution& out,
                                   const channel_switches& on, models::counterfactual_shock& shock) {
    const auto& baseline = out.baseline;
    const auto is_on = [&](bank_channel c) { return on[static_cast<std::size_t>(c)]; };
    channel_switches applied{};
    const auto mark = [&](bank_channel c) { applied[static_cast<std::size_t>(c)] = true; };
    // (a) Transfer: D'_n = D_n + Delta D_n (the banks' net flows, from constant world prices
    // into this year's money: / deflator), solved with the deficits given (Caliendo & Parro
    // 2015 eqs. 13-14 with D'_n in place of D_n).
    if (is_on(bank_channel::transfer) && (out.deficit_change.array() != 0.0).any()) {
        if (shock.deficits_rule != models::deficit_closure::given) shock.deficits = baseline.deficit;
        shock.deficits_rule = models::deficit_closure::given;
        shock.deficits += out.deficit_change / out.deflator;  // on top of other policies' (remittances)
        mark(bank_channel::transfer);
    }
    // (b) Composition: project spending G_n is investment with the sector shares beta, not
    // consumption: final demand moves by (beta - alpha) G (D.A 7(b), CP eq. 13 extended).
    if (is_on(bank_channel::composition) && out.project_spending.size() > 0 &&
        (out.project_spending.array() != 0.0).any()) {
        if (setup.investment_shares.size() == 0)
            throw internal_error("the composition channel is on without investment shares (bind should have refused)");
        shock.final_demand_shift = (setup.investment_shares - baseline.final_demand_share) *
                                   (out.project_spending / out.deflator).asDiagonal();
        mark(bank_channel::composition);
    }
    // (c) Productivity: value-added TFP K-hat^eta in every sector (D.A 7(c)).
    if (is_on(bank_channel::productivity) && out.capital_change.size() > 0 && out.output_elasticity != 0.0 &&
        (out.capital_change.array() != 1.0).any()) {
        const MatrixXd lambda = models::capital_productivity_change(out.capital_change, out.output_elasticity,
                                                                    baseline.theta, baseline.value_added_share);
        shock.productivity_change = shock.productivity_change.size() > 0
                                        ? MatrixXd(shock.productivity_change.cwiseProduct(lambda))
                                        : lambda;
        mark(bank_channel::productivity);
    }
    // (d) Trade costs: transport capital lowers the iceberg costs of the routes at either end
    // (D.A 7(d)).
    if (is_on(bank_channel::trade_cost) && out.transport_capital_change.size() > 0) {
        const VectorXd kappa = models::route_cost_change(setup.public_capital, out.transport_capital_change);
        const MatrixXd& corridor = out.corridor_cost_change;
        if ((kappa.array() != 1.0).any() || (corridor.size() > 0 && (corridor.array() != 1.0).any())) {
            std::vector<bool> tradable;
            for (Index j = 0; j < baseline.n_sectors(); ++j) tradable.push_back(models::is_tradable(baseline, j));
            auto d = models::route_trade_cost_change(kappa, tradable, corridor);
            if (!shock.trade_cost_change.empty())
                for (std::size_t j = 0; j < d.size(); ++j) d[j] = d[j].cwiseProduct(shock.trade_cost_change[j]);
            shock.trade_cost_change = std::move(d);
            mark(bank_channel::trade_cost);
        }
    }
    return applied;
}

}  // namespace

year_solution step(const trade_equilibrium_setup& setup, const year_state& previous, year_state& next,
                   const baseline_path* shared) {
    const int year = next.year;
    const auto& base = setup.base;
    year_solution out;

    // Baseline: the labour path and the baseline trade-cost trends.
    if (shared) {
        const auto& y = shared->years.at(next.year_index);
        out.baseline_result = y.result;
        out.baseline = y.levels;
        out.baseline_productivity_change = y.productivity_change;
        next.baseline_wage_change = y.next_warm_start;
    } else {
        const models::counterfactual_shock trend = baseline_trend(setup, next.year_index, year);
        out.baseline_result = solve_case(base, trend, setup.solver, previous.baseline_wage_change,
                                         next.baseline_wage_change, year, "baseline");
        out.baseline = models::counterfactual_as_base(base, trend, out.baseline_result);
        out.baseline_productivity_change = trend.productivity_change;
    }

    const VectorXd& world_va0 = base.value_added;
    const double world_cpi = world_va0.dot(out.baseline_result.price_index_change) / world_va0.sum();
    out.deflator = 1.0 / world_cpi;

    // Development banks: their year, on the baseline's GDP at constant world prices. Their
    // path does not depend on the equilibrium, so it is the same whatever the channels.
    const VectorXd gdp = out.baseline.value_added * out.deflator;
    out.deficit_change = step_banks(setup, previous, next, gdp, out);
    if (!setup.channels.transfer) out.deficit_change.setZero();
    if (!setup.banks.empty()) {
        // Public capital in use this year is last year's closing stock (a project counts
        // from the year after its tranche is disbursed; policy-modules D.A 7(c)).
        const auto& settings = setup.public_capital;
        // With the trade-cost channel on, transport capital works through trade costs and the
        // productivity channel counts the rest (no double counting of the same roads).
        out.capital_change = models::capital_change(settings, previous.public_capital, gdp, setup.channels.trade_cost);
        out.transport_capital_change = models::transport_capital_change(settings, previous.public_capital, gdp);
        out.corridor_cost_change = models::corridor_cost_change(settings, previous.public_capital, gdp);
        out.output_elasticity = models::output_elasticity(settings, previous.public_capital);
        next.public_capital = models::accumulate(settings, previous.public_capital, out.project_spending,
                                                 out.transport_spending, out.corridor_spending);
    }

    // Scenario: the policies in force this year, relative to this year's baseline
    // (bind ruled out contradictions, year by year), and the banks' channels.
    models::counterfactual_shock policy;
    apply_policies(setup.policies, false, year, out.baseline, policy);
    if (policy.tariffs.empty()) policy.tariffs = out.baseline.tariffs;
    if (!setup.free_movement.empty()) step_migration(setup, previous, next, out, policy);
    const channel_switches all = {setup.channels.transfer, setup.channels.composition, setup.channels.productivity,
                                  setup.channels.trade_cost};
    const models::counterfactual_shock others = policy;  // the scenario without its banks
    const channel_switches active = add_bank_channels(setup, out, all, policy);
    out.policy_result = solve_case(out.baseline, policy, setup.solver, previous.scenario_wage_change,
                                   next.scenario_wage_change, year, "scenario");
    out.scenario = models::counterfactual_as_base(out.baseline, policy, out.policy_result);
    out.policy_productivity_change = policy.productivity_change;
    if (!setup.free_movement.empty()) next.migration.real_wage_change = out.policy_result.real_wage_change;
    if (setup.channels.decompose && !setup.banks.empty()) {
        // Cumulative stages: k = 0 the other policies only, then each channel added in
        // bank_channel order; the last stage is the scenario itself, solved above. A stage
        // that adds no channel with an effect this year is the stage before it (or the
        // scenario), copied: so the split sums to the total exactly and a zero-size bank
        // leaves every result bitwise as without it.
        channel_switches on{}, previous_on{};
        for (std::size_t k = 0; k <= n_bank_channels; ++k) {
            if (k > 0) on[k - 1] = active[k - 1];
            if (on == active) {
                out.stages.push_back({out.policy_result, out.scenario, out.policy_productivity_change});
            } else if (k > 0 && on == previous_on) {
                out.stages.push_back(out.stages.back());
            } else {
                models::counterfactual_shock shock = others;
                add_bank_channels(setup, out, on, shock);
                year_solution::stage st;
                VectorXd ignored;
                st.result = solve_case(out.baseline, shock, setup.solver, previous.scenario_wage_change, ignored, year,
                                       k == 0 ? "scenario without its banks" : "scenario (channel decomposition)");
                st.levels = models::counterfactual_as_base(out.baseline, shock, st.result);
                st.productivity_change = shock.productivity_change;
                out.stages.push_back(std::move(st));
            }
            previous_on = on;
        }
    }
    return out;
}

baseline_path solve_baseline_path(const bound_scenario& scenario) {
    const auto& setup = std::get<trade_equilibrium_setup>(scenario.model);
    baseline_path path;
    Eigen::VectorXd warm;
    for (std::size_t y = 0; y < scenario.n_years(); ++y) {
        const int year = scenario.first_year + static_cast<int>(y);
        const models::counterfactual_shock trend = baseline_trend(setup, y, year);
        baseline_path::year solved;
        solved.result = solve_case(setup.base, trend, setup.solver, warm, solved.next_warm_start, year, "baseline");
        solved.levels = models::counterfactual_as_base(setup.base, trend, solved.result);
        solved.productivity_change = trend.productivity_change;
        warm = solved.next_warm_start;
        path.years.push_back(std::move(solved));
    }
    return path;
}

bool same_baseline(const trade_equilibrium_setup& a, const trade_equilibrium_setup& b) {
    const auto &x = a.base, &y = b.base;
    if (x.regions != y.regions || x.sectors != y.sectors || !same_matrices(x.trade_shares, y.trade_shares) ||
        !same_matrices(x.tariffs, y.tariffs) || !same(x.expenditure, y.expenditure) ||
        !same(x.value_added_share, y.value_added_share) || !same_matrices(x.io_share, y.io_share) ||
        !same(x.final_demand_share, y.final_demand_share) || !same(x.value_added, y.value_added) ||
        !same(x.deficit, y.deficit) || !same(x.theta, y.theta))
        return false;
    const auto &s = a.solver, &t = b.solver;
    if (s.tolerance != t.tolerance || s.max_iterations != t.max_iterations || s.anderson_memory != t.anderson_memory ||
        s.relaxation != t.relaxation || s.max_price_iterations != t.max_price_iterations ||
        s.max_expenditure_iterations != t.max_expenditure_iterations || s.initial_wage_change.size() != 0 ||
        t.initial_wage_change.size() != 0)
        return false;
    if (a.labour.population.size() != b.labour.population.size()) return false;
    for (std::size_t k = 0; k < a.labour.population.size(); ++k) {
        if (!same(a.labour.population[k], b.labour.population[k]) || !same(a.labour.productivity[k], b.labour.productivity[k]))
            return false;
    }
    // Policies on the baseline path (trade-cost trends): share nothing then, and let each
    // point solve its own baseline (conservative: comparing their effects year by year is
    // possible but not worth the risk).
    const auto on_baseline = [](const scheduled_policy& p) { return p.baseline; };
    return std::none_of(a.policies.begin(), a.policies.end(), on_baseline) &&
           std::none_of(b.policies.begin(), b.policies.end(), on_baseline);
}

}  // namespace integra::sim
