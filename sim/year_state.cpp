#include "sim/year_state.hpp"

#include <algorithm>
#include <limits>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "models/currency_union.hpp"
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
    // Wage floors at or below 1 do not bind where nothing else changes (w-hat = 1 is at or
    // above every floor, with full employment).
    if (s.wage_floor.size() > 0 && (s.wage_floor.array() > 1.0).any()) return false;
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
    // With wage floors the solver's unknown is the wage bill w-hat e (ones without them).
    next_warm = r.wage_change.cwiseProduct(r.employment);
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

// The baseline's shock in year `year`: the labour path, the baseline trade-cost trends and
// the productivity shocks z of [shocks] in the sectors they hit, lambda-hat^j_n = exp(z_n):
// z shifts the region's market shares at given costs by z (docs/currency.md: z is fitted to
// the cycle of real tradable value added, a volume, and in Eaton-Kortum a TFP change
// A-hat moves volumes by theta log A-hat, so the TFP change is z / theta^j;
// policy-modules D.B.2's lambda-hat = exp(theta z) would read the volume cycle as TFP and
// scale it up by theta = 6-14).
models::counterfactual_shock baseline_trend(const trade_equilibrium_setup& setup, std::size_t year_index, int year) {
    models::counterfactual_shock trend;
    trend.labour_change = setup.labour.effective(year_index);
    apply_policies(setup.policies, true, year, setup.base, trend);
    if (trend.tariffs.empty()) trend.tariffs = setup.base.tariffs;
    if (setup.shocks.size() > 0 && (setup.shocks.row(static_cast<Index>(year_index)).array() != 0.0).any()) {
        const auto& b = setup.base;
        MatrixXd lambda = MatrixXd::Ones(b.n_sectors(), b.n_regions());
        for (Index j = 0; j < b.n_sectors(); ++j)
            if (setup.shock_sectors[static_cast<std::size_t>(j)])
                lambda.row(j) = setup.shocks.row(static_cast<Index>(year_index)).array().exp().matrix();
        trend.productivity_change = trend.productivity_change.size() > 0
                                        ? MatrixXd(trend.productivity_change.cwiseProduct(lambda))
                                        : lambda;
    }
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

std::vector<std::string> channel_names(const trade_equilibrium_setup& setup) {
    std::vector<std::string> names;
    if (!setup.currency_unions.empty()) names.insert(names.end(), {"currency_trade_cost", "wage_rigidity", "fiscal_transfer"});
    if (!setup.clearing_unions.empty()) names.insert(names.end(), {"clearing_transaction_cost", "clearing_credit"});
    if (!setup.banks.empty()) names.insert(names.end(), {"transfer", "composition", "productivity", "trade_cost"});
    return names;
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
        for (std::size_t u = 0; u < setup->clearing_unions.size(); ++u)
            s.clearing.push_back(models::opening_clearing_state(setup->base.n_regions()));
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

/// One switch per channel of channel_names (char, not bool: groups are passed as slices).
using channel_switches = std::vector<char>;

/// A development bank's channels in the order the decomposition adds them (D.A 7(a)-(d)).
enum class bank_channel { transfer, composition, productivity, trade_cost };

// D'_n = D_n + change_n / deflator, on top of what other channels added (the change is at
// constant base-year world prices; CP 2015 eqs. 13-14 with given deficits).
void add_deficit_change(const year_solution& out, const VectorXd& change, models::counterfactual_shock& shock) {
    if (shock.deficits_rule != models::deficit_closure::given) shock.deficits = out.baseline.deficit;
    shock.deficits_rule = models::deficit_closure::given;
    shock.deficits += change / out.deflator;
}

// d-hat^j *= pair for tradable sectors j (pair: N x N, symmetric, 1 on the diagonal).
void add_pair_cost_change(const models::trade_equilibrium_base& b, const MatrixXd& pair, models::counterfactual_shock& shock) {
    if (shock.trade_cost_change.empty())
        shock.trade_cost_change.assign(static_cast<std::size_t>(b.n_sectors()), MatrixXd::Ones(b.n_regions(), b.n_regions()));
    for (Index j = 0; j < b.n_sectors(); ++j)
        if (models::is_tradable(b, j))
            shock.trade_cost_change[static_cast<std::size_t>(j)] =
                shock.trade_cost_change[static_cast<std::size_t>(j)].cwiseProduct(pair);
}

// A currency union's channels that are `on` (on[0..2]: trade cost, wage rigidity, fiscal
// transfers), marked in `applied` when they add something this year.
void add_currency_channels(const year_solution& out, const char* on, char* applied, models::counterfactual_shock& shock) {
    if (on[0] && out.currency_cost_change.size() > 0 && (out.currency_cost_change.array() != 1.0).any()) {
        add_pair_cost_change(out.baseline, out.currency_cost_change, shock);  // policy-modules B2.2
        applied[0] = 1;
    }
    if (on[1] && out.wage_floor.size() > 0 && (out.wage_floor.array() > 0.0).any()) {  // D.B.2 eq. 2
        shock.wage_floor = out.wage_floor;
        shock.wage_union = out.wage_union;
        shock.wage_index_weight = out.wage_index_weight;
        applied[1] = 1;
    }
    if (on[2] && out.fiscal_transfer.size() > 0 && (out.fiscal_transfer.array() != 0.0).any()) {  // D.B.2 Costs 3
        add_deficit_change(out, out.fiscal_transfer, shock);
        applied[2] = 1;
    }
}

// A clearing union's channels (on[0..1]: the transaction-cost closure's cut, the credit
// closure's financing; policy-modules D.B.1 eq. 6 (iii) and (ii)).
void add_clearing_channels(const year_solution& out, const char* on, char* applied, models::counterfactual_shock& shock) {
    if (on[0] && out.clearing_cost_change.size() > 0 && (out.clearing_cost_change.array() != 1.0).any()) {
        add_pair_cost_change(out.baseline, out.clearing_cost_change, shock);
        applied[0] = 1;
    }
    if (on[1] && out.clearing_deficit_change.size() > 0 && (out.clearing_deficit_change.array() != 0.0).any()) {
        add_deficit_change(out, out.clearing_deficit_change, shock);
        applied[1] = 1;
    }
}

// The banks' channels that are `on` (on[0..3] in bank_channel order), added to the
// scenario's shock this year (policy-modules D.A 7(a)-(d)). Each adds nothing when it has
// nothing to add (no flow, no capital, a zero elasticity), so a zero-size bank reproduces
// the run without it bitwise.
void add_bank_channels(const trade_equilibrium_setup& setup, const year_solution& out, const char* on, char* applied,
                       models::counterfactual_shock& shock) {
    const auto& baseline = out.baseline;
    const auto is_on = [&](bank_channel c) { return on[static_cast<std::size_t>(c)] != 0; };
    const auto mark = [&](bank_channel c) { applied[static_cast<std::size_t>(c)] = 1; };
    // (a) Transfer: D'_n = D_n + Delta D_n (the banks' net flows, from constant world prices
    // into this year's money: / deflator), solved with the deficits given (Caliendo & Parro
    // 2015 eqs. 13-14 with D'_n in place of D_n).
    if (is_on(bank_channel::transfer) && (out.deficit_change.array() != 0.0).any()) {
        add_deficit_change(out, out.deficit_change, shock);  // on top of other policies' (remittances)
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
}

// Every channel that is `on` (channel_names order), added to `shock`; returns those that
// added something this year.
channel_switches add_channels(const trade_equilibrium_setup& setup, const year_solution& out, const channel_switches& on,
                              models::counterfactual_shock& shock) {
    channel_switches applied(on.size(), 0);
    std::size_t k = 0;
    if (!setup.currency_unions.empty()) {
        add_currency_channels(out, on.data() + k, applied.data() + k, shock);
        k += 3;
    }
    if (!setup.clearing_unions.empty()) {
        add_clearing_channels(out, on.data() + k, applied.data() + k, shock);
        k += 2;
    }
    if (!setup.banks.empty()) add_bank_channels(setup, out, on.data() + k, applied.data() + k, shock);
    return applied;
}

// Currency unions before the scenario's solve (policy-modules D.B.2): the trade-cost cut of
// the unions in force, the wage floors of their members (from last year's relative wages
// and this year's baseline wage growth), and the fiscal transfers (from last year's
// income changes). A union acts from its start year; its trade effect phases in.
void prepare_currency_unions(const trade_equilibrium_setup& setup, const year_state& previous, year_state& next,
                             year_solution& out) {
    if (setup.currency_unions.empty()) return;
    const Index N = setup.base.n_regions();
    const auto& state = previous.currency;
    // The baseline's wage per person at constant world prices (value added over the
    // population index; the base year's level cancels in growth rates).
    const VectorXd wage = (out.baseline.value_added * out.deflator).cwiseQuotient(setup.labour.population[next.year_index]);
    const VectorXd growth = state.baseline_wage.size() > 0 ? VectorXd(wage.cwiseQuotient(state.baseline_wage)) : VectorXd::Ones(N);
    // The trend growth of wages: the labour-productivity path (the first year: none).
    const auto y = next.year_index;
    const VectorXd trend = y > 0 ? VectorXd(setup.labour.productivity[y].cwiseQuotient(setup.labour.productivity[y - 1]))
                                 : VectorXd::Ones(N);
    const VectorXd last_relative = state.relative_wage.size() > 0 ? state.relative_wage : VectorXd::Ones(N);
    next.currency.baseline_wage = wage;
    out.currency_cost_change = MatrixXd::Ones(N, N);
    out.fiscal_transfer = VectorXd::Zero(N);
    VectorXd floor = VectorXd::Zero(N), weight = VectorXd::Zero(N);
    std::vector<int> member_of(static_cast<std::size_t>(N), -1);
    bool in_force = false;
    for (std::size_t u = 0; u < setup.currency_unions.size(); ++u) {
        const auto& cu = setup.currency_unions[u];
        if (next.year < cu.phase.start_year) continue;
        in_force = true;
        const double kappa = models::currency_trade_cost_change(cu.trade_effect, cu.trade_elasticity, cu.phase.share(next.year));
        for (Index n = 0; n < N; ++n)
            for (Index i = 0; i < N; ++i)
                if (n != i && cu.member_mask(n) > 0.0 && cu.member_mask(i) > 0.0) out.currency_cost_change(n, i) = kappa;
        const VectorXd a = models::wage_index_weights(out.baseline.value_added, cu.member_mask);
        weight += a;
        for (Index n = 0; n < N; ++n)
            if (cu.member_mask(n) > 0.0) member_of[static_cast<std::size_t>(n)] = static_cast<int>(u);
        if (cu.wage_rigidity) {
            // The member's wage growth relative to the union's under the float, times the
            // union's trend: a shock common to all members moves the union's exchange rate.
            const VectorXd relative_growth = growth * (a.dot(trend) / a.dot(growth));
            floor += models::wage_floors(last_relative, relative_growth, cu.wage_floor, cu.inflation, cu.member_mask);
        }
        if (cu.fiscal_transfer > 0.0 && state.employment_gap.size() > 0)
            out.fiscal_transfer += models::fiscal_transfers(state.employment_gap, out.baseline.value_added * out.deflator,
                                                            cu.fiscal_transfer, cu.member_mask);
    }
    if (in_force) {
        out.wage_floor = floor;
        out.wage_index_weight = weight;
        out.wage_union = std::move(member_of);
    }
}

// After the scenario's solve: each member's wage relative to its union's index and its
// employment gap, which next year's floors and transfers start from.
void record_currency_unions(const trade_equilibrium_setup& setup, const year_solution& out, year_state& next) {
    if (setup.currency_unions.empty()) return;
    const Index N = setup.base.n_regions();
    next.currency.relative_wage = VectorXd::Ones(N);
    for (const auto& cu : setup.currency_unions) {
        const VectorXd a = models::wage_index_weights(out.baseline.value_added, cu.member_mask);
        const VectorXd omega = models::relative_wages(out.policy_result.wage_change, a, cu.member_mask);
        for (Index n = 0; n < N; ++n)
            if (cu.member_mask(n) > 0.0) next.currency.relative_wage(n) = omega(n);
    }
    next.currency.employment_gap = out.policy_result.employment.size() > 0
                                       ? VectorXd(out.policy_result.employment.array() - 1.0)
                                       : VectorXd::Zero(N);
}

// Clearing unions before the scenario's solve (policy-modules D.B.1 eq. 6): the
// transaction-cost closure's cut kappa-hat = 1 / (1 + c_tx u_t) between members, and the
// credit closure's financing, decided at last year's settlements (previous.clearing_financing).
void prepare_clearing_unions(const trade_equilibrium_setup& setup, const year_state& previous, int year, year_solution& out) {
    if (setup.clearing_unions.empty()) return;
    const Index N = setup.base.n_regions();
    out.clearing_cost_change = MatrixXd::Ones(N, N);
    out.clearing_deficit_change = VectorXd::Zero(N);
    for (std::size_t u = 0; u < setup.clearing_unions.size(); ++u) {
        const auto& cu = setup.clearing_unions[u];
        const double uptake = cu.uptake * cu.phase.share(year);
        if (cu.closure == clearing_closure::transaction_cost && uptake * cu.transaction_cost_saving > 0.0) {
            const double kappa = 1.0 / (1.0 + cu.transaction_cost_saving * uptake);
            for (Index n = 0; n < N; ++n)
                for (Index i = 0; i < N; ++i)
                    if (n != i && cu.member_mask(n) > 0.0 && cu.member_mask(i) > 0.0)
                        out.clearing_cost_change(n, i) *= kappa;
        }
        if (cu.closure == clearing_closure::credit && u < previous.clearing_financing.size())
            out.clearing_deficit_change += previous.clearing_financing[u];
    }
}

// After the scenario's solve: each clearing union's year on the scenario's trade (imports at
// constant base-year world prices), quotas on the baseline's (the SUCRE rule: projected
// imports), and, for the credit closure, next year's financing: members who borrowed from
// the union (their balance fell) may run a larger deficit by as much, creditors a smaller
// one; the clearing house's own net position and the charges are shared by quota, so the
// changes sum to zero.
void step_clearing_unions(const trade_equilibrium_setup& setup, const year_state& previous, year_state& next,
                          year_solution& out) {
    if (setup.clearing_unions.empty()) return;
    const Index N = setup.base.n_regions();
    MatrixXd imports = MatrixXd::Zero(N, N), projected = MatrixXd::Zero(N, N);
    for (const auto& m : out.policy_result.imports) imports += m;
    for (const auto& m : out.baseline_result.imports) projected += m;
    imports *= out.deflator;
    projected *= out.deflator;
    const std::size_t U = setup.clearing_unions.size();
    next.clearing.resize(U);
    next.clearing_financing.assign(U, VectorXd::Zero(N));
    out.clearing.resize(U);
    out.clearing_open.assign(U, false);
    for (std::size_t u = 0; u < U; ++u) {
        const auto& cu = setup.clearing_unions[u];
        if (next.year < cu.phase.start_year) {
            next.clearing[u] = previous.clearing[u];
            continue;
        }
        out.clearing_open[u] = true;
        const double uptake = cu.uptake * cu.phase.share(next.year);
        MatrixXd customs = imports;
        for (Index n = 0; n < N; ++n)
            for (Index i = 0; i < N; ++i)
                if (n == i || cu.member_mask(n) == 0.0 || cu.member_mask(i) == 0.0) customs(n, i) = 0.0;
        const MatrixXd channelled = models::channelled_payments(imports, cu.member_mask, uptake, cu.over_invoicing);
        const VectorXd quota = models::quotas(projected, cu.member_mask, cu.quota_share, cu.rules.periods_per_year);
        const auto& year = out.clearing[u] =
            models::clear(cu.rules, previous.clearing[u], channelled, customs, quota, cu.member_mask, next.clearing[u]);
        if (cu.closure != clearing_closure::credit || !(quota.sum() > 0.0)) continue;
        const VectorXd key = quota / quota.sum();
        next.clearing_financing[u] = -year.balance_change + key * year.balance_change.sum() - year.charges +
                                     key * year.charges.sum();
    }
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
    prepare_currency_unions(setup, previous, next, out);
    prepare_clearing_unions(setup, previous, year, out);
    const std::vector<std::string> names = channel_names(setup);
    channel_switches all(names.size(), 1);
    if (!setup.banks.empty()) {  // the last four: [channels]
        const std::size_t b = names.size() - 4;
        all[b] = setup.channels.transfer;
        all[b + 1] = setup.channels.composition;
        all[b + 2] = setup.channels.productivity;
        all[b + 3] = setup.channels.trade_cost;
    }
    const models::counterfactual_shock others = policy;  // the scenario without its stateful instruments
    const channel_switches active = add_channels(setup, out, all, policy);
    out.policy_result = solve_case(out.baseline, policy, setup.solver, previous.scenario_wage_change,
                                   next.scenario_wage_change, year, "scenario");
    out.scenario = models::counterfactual_as_base(out.baseline, policy, out.policy_result);
    out.policy_productivity_change = policy.productivity_change;
    if (!setup.free_movement.empty()) next.migration.real_wage_change = out.policy_result.real_wage_change;
    record_currency_unions(setup, out, next);
    step_clearing_unions(setup, previous, next, out);
    if (setup.channels.decompose && !names.empty()) {
        // Cumulative stages: k = 0 the other policies only, then each channel added in
        // channel_names order; the last stage is the scenario itself, solved above. A stage
        // that adds no channel with an effect this year is the stage before it (or the
        // scenario), copied: so the split sums to the total exactly and a zero-size
        // instrument leaves every result bitwise as without it.
        channel_switches on(names.size(), 0), previous_on(names.size(), 0);
        for (std::size_t k = 0; k <= names.size(); ++k) {
            if (k > 0) on[k - 1] = active[k - 1];
            if (on == active) {
                out.stages.push_back({out.policy_result, out.scenario, out.policy_productivity_change});
            } else if (k > 0 && on == previous_on) {
                out.stages.push_back(out.stages.back());
            } else {
                models::counterfactual_shock shock = others;
                (void)add_channels(setup, out, on, shock);
                year_solution::stage st;
                VectorXd ignored;
                st.result = solve_case(out.baseline, shock, setup.solver, previous.scenario_wage_change, ignored, year,
                                       k == 0 ? "scenario without its stateful instruments" : "scenario (channel decomposition)");
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
    if (!same(a.shocks, b.shocks) || a.shock_sectors != b.shock_sectors) return false;  // [shocks] hit the baseline
    // Policies on the baseline path (trade-cost trends): share nothing then, and let each
    // point solve its own baseline (conservative: comparing their effects year by year is
    // possible but not worth the risk).
    const auto on_baseline = [](const scheduled_policy& p) { return p.baseline; };
    return std::none_of(a.policies.begin(), a.policies.end(), on_baseline) &&
           std::none_of(b.policies.begin(), b.policies.end(), on_baseline);
}

}  // namespace integra::sim
