#include "sim/bound_scenario.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "models/calibration.hpp"
#include "models/mrio_accounting.hpp"

namespace integra::sim {
namespace {

using Eigen::Index;
using Eigen::VectorXd;

Index index_of(const std::vector<int>& years, int year) {
    const auto it = std::find(years.begin(), years.end(), year);
    return it == years.end() ? Index{-1} : static_cast<Index>(it - years.begin());
}

labour_path make_labour_path(const scenario_spec& spec, const dataset& data, int first, int last, issues& problems) {
    const auto& e = data.economy;
    const Index R = static_cast<Index>(e.n_regions());
    const auto n_years = static_cast<std::size_t>(last - first + 1);
    labour_path path{std::vector<VectorXd>(n_years, VectorXd::Ones(R)), std::vector<VectorXd>(n_years, VectorXd::Ones(R)), {}};
    const auto variant = data.population.find(spec.population_variant);
    if (spec.population_growth && variant != data.population.end()) {
        const Index base = index_of(data.population_years, e.base_year);
        for (int year = first; year <= last; ++year) {
            const Index y = index_of(data.population_years, year);
            if (base < 0 || y < 0) {
                problems.add(cat("dataset '", e.name, "' population"),
                             cat("no ", spec.population_variant, "-variant population for ", y < 0 ? year : e.base_year));
                continue;
            }
            path.population[static_cast<std::size_t>(year - first)] =
                variant->second.row(y).transpose().cwiseQuotient(variant->second.row(base).transpose());
        }
        path.notes.push_back("labour grows with the dataset's population (" + spec.population_variant + " variant)");
    }
    if (spec.productivity_growth && data.productivity_growth.size() > 0) {
        VectorXd cumulative = VectorXd::Ones(R);
        for (int year = e.base_year + 1; year <= last; ++year) {
            const Index y = index_of(data.productivity_years, year);
            if (y < 0) {
                problems.add(cat("dataset '", e.name, "' productivity_growth"), cat("no labour-productivity growth for ", year));
                break;
            }
            cumulative = cumulative.cwiseProduct((1.0 + data.productivity_growth.row(y).array()).matrix().transpose());
            if (year >= first) path.productivity[static_cast<std::size_t>(year - first)] = cumulative;
        }
        path.notes.push_back("labour productivity follows the dataset's path and enters as effective labour "
                             "(labour-augmenting, the same in every sector)");
    }
    return path;
}

// The scenario's trade elasticities: the dataset's, replaced sector by sector where the
// scenario sets one, times the scenario's scale factor.
void set_trade_elasticities(const equilibrium_settings& settings, models::trade_equilibrium_base& base) {
    for (Index j = 0; j < base.n_sectors(); ++j) {
        const auto it = settings.trade_elasticity.find(base.sectors[static_cast<std::size_t>(j)]);
        if (it != settings.trade_elasticity.end()) base.theta(j) = it->second;
    }
    if (settings.trade_elasticity_scale != 1.0) base.theta *= settings.trade_elasticity_scale;
}

// Shares over regions of a key (gdp: base-year value added; equal; population: the
// base year's, of the scenario's variant) restricted to `regions`.
VectorXd key_shares(const std::vector<std::size_t>& regions, const std::string& key, const scenario_spec& spec,
                    const dataset& data, const models::trade_equilibrium_base& base, const std::string& where, issues& problems) {
    const Index R = static_cast<Index>(data.economy.n_regions());
    VectorXd weight = VectorXd::Zero(R);
    const auto variant = data.population.find(spec.population_variant);
    const Index year = index_of(data.population_years, data.economy.base_year);
    if (key == "population" && (variant == data.population.end() || year < 0)) {
        problems.add(where, cat("the key \"population\" needs the dataset's ", spec.population_variant,
                                "-variant population in its base year"));
        return weight;
    }
    for (const auto r : regions) {
        const auto n = static_cast<Index>(r);
        weight(n) = key == "equal" ? 1.0 : key == "population" ? variant->second(year, n) : base.value_added(n);
    }
    const double total = weight.sum();
    return total > 0.0 ? VectorXd(weight / total) : weight;
}

// Shares read from a scenario (summing to 1 within the reader's tolerance) rescaled to sum
// to 1 to rounding, as models::validate asks.
std::vector<double> rescaled(std::vector<double> shares) {
    double sum = 0.0;
    for (const double s : shares) sum += s;
    if (sum > 0.0)
        for (double& s : shares) s /= sum;
    return shares;
}

bound_development_bank bind_bank(const development_bank_spec& b, const scenario_spec& spec, const dataset& data,
                                 const models::trade_equilibrium_base& base, issues& problems) {
    const auto& e = data.economy;
    const Index R = static_cast<Index>(e.n_regions());
    issues ignore;  // names were checked by check_against_dataset
    bound_development_bank out;
    out.label = b.label;
    out.start_year = b.start_year;
    if (b.grace_years) out.terms.grace_years = *b.grace_years;
    if (b.maturity_years) out.terms.maturity_years = *b.maturity_years;
    if (b.lending_spread) out.terms.lending_spread = *b.lending_spread;
    if (b.funding_rate) out.terms.funding_rate = *b.funding_rate;
    if (b.min_equity_to_loans) out.terms.min_equity_to_loans = *b.min_equity_to_loans;
    if (b.liquid_asset_rate) out.terms.liquid_asset_rate = *b.liquid_asset_rate;
    if (b.inflation) out.terms.inflation = *b.inflation;
    if (b.expected_loss) out.terms.expected_loss = *b.expected_loss;
    if (b.operating_cost_rate) out.terms.operating_cost_rate = *b.operating_cost_rate;
    if (b.liquidity_rule) out.terms.liquidity_rule = *b.liquidity_rule;
    if (b.liquidity_share) out.terms.liquidity_share = *b.liquidity_share;
    if (b.capital_rule) out.terms.capital_rule = *b.capital_rule;
    if (b.max_gearing) out.terms.max_gearing = *b.max_gearing;
    if (b.dividend_share) out.terms.dividend_share = *b.dividend_share;
    if (!b.disbursement_profile.empty()) out.terms.disbursement_profile = rescaled(b.disbursement_profile);
    const auto members = resolve_regions(b.members, data, ignore);
    out.member_mask = VectorXd::Zero(R);
    for (const auto m : members) out.member_mask(static_cast<Index>(m)) = 1.0;
    out.capital.paid_in_share = b.paid_in_share;
    if (!b.paid_in_schedule.empty()) out.capital.paid_in_schedule = rescaled(b.paid_in_schedule);
    if (b.capital_key == "explicit") {
        out.capital.subscribed = VectorXd::Zero(R);
        for (const auto& [region, amount] : b.capital_by_member) {
            const auto it = std::find(e.regions.begin(), e.regions.end(), region);
            if (it != e.regions.end()) out.capital.subscribed(static_cast<Index>(it - e.regions.begin())) = amount;
        }
    } else {
        out.capital.subscribed = b.capital * key_shares(members, b.capital_key, spec, data, base, b.capital_key_at.str(), problems);
    }
    using rule = bound_development_bank::lending_rule;
    out.envelope = b.lending_envelope.value_or(0.0);
    out.share_of_gdp = b.lending_share_of_gdp.value_or(0.0);
    out.rule = b.lending_share_of_gdp ? rule::share_of_gdp
               : b.lending_capacity   ? rule::capacity
               : !b.pipeline.empty()  ? rule::pipeline
                                      : rule::amount;
    out.borrower_shares = key_shares(resolve_regions(b.borrowers, data, ignore), b.borrower_key, spec, data, base,
                                     b.borrower_key_at.str(), problems);
    out.transport_share = b.transport_share;
    bool pipeline_lends = false;
    if (out.rule == rule::pipeline) {
        // Every year from the bank's start in the horizon, zero where the CSV has no row.
        const auto [first, last] = horizon(spec, data);
        for (int year = std::max(first, b.start_year); year <= last; ++year)
            out.pipeline[year] = {VectorXd::Zero(R), VectorXd::Zero(R), {}};  // corridor: none yet
        for (const auto& row : read_pipeline(b, spec, data, problems)) {  // rows add up
            auto& y = out.pipeline[row.year];
            if (y.amounts.size() == 0) y = {VectorXd::Zero(R), VectorXd::Zero(R), {}};
            const auto n = static_cast<Index>(row.borrower);
            y.amounts(n) += row.amount;
            if (row.transport) y.transport(n) += row.amount;
            if (row.partner) {  // a corridor: a part of the borrower's transport; N x N only in years that have one
                if (y.corridor.size() == 0) y.corridor = Eigen::MatrixXd::Zero(R, R);
                y.corridor(n, static_cast<Index>(*row.partner)) += row.amount;
            }
            pipeline_lends = true;
        }
    }
    // Bondholders: each set's share spread over its regions by GDP.
    std::vector<std::pair<label_set, double>> holders = b.bond_holders;
    if (holders.empty()) {
        auto set = [&](const std::string& expression) {
            label_set l;
            l.expression = expression;
            l.key = b.key + ".bond_holders (the default)";
            l.at = b.at;
            return l;
        };
        holders.clear();  // USA 0.35, EU27 0.35, ROW 0.20 (check_against_dataset has checked the labels), the members 0.10
        for (const auto& [label, share] : default_bond_holders()) holders.emplace_back(set(label), share);
        holders.emplace_back(set(b.members.expression), default_members_bond_share);
    }
    out.counterparts.bond_holders = VectorXd::Zero(R);
    for (const auto& [set, share] : holders) {
        const auto regions = resolve_regions(set, data, problems);
        out.counterparts.bond_holders += share * key_shares(regions, "gdp", spec, data, base, set.key, problems);
    }
    // [M] The bank's liquid assets are claims on its bondholders' regions; it operates in its members.
    out.counterparts.liquid_asset_issuers = out.counterparts.bond_holders;
    out.counterparts.operating_cost_recipients = key_shares(members, "gdp", spec, data, base, b.label, problems);
    issues invalid;
    models::validate(out.terms, invalid);
    models::validate(out.capital, R, invalid);
    if (out.capital.subscribed.sum() > 0.0 || out.envelope > 0.0 || out.share_of_gdp > 0.0 || pipeline_lends)
        models::validate(out.counterparts, R, invalid);
    if (!invalid.empty()) problems.add(b.at.str(), invalid.report(b.key));
    return out;
}

// [shocks]: the process (the dataset's estimates, or the placeholders of policy-modules
// D.B.2 for every region), checked (a correlation matrix must be positive semi-definite),
// and one draw of its paths over the horizon from the seed, zero before start_year.
void bind_shocks(const scenario_spec& spec, const dataset& data, int first, int last, trade_equilibrium_setup& s,
                 issues& problems) {
    const auto& k = spec.shocks;
    const Index N = static_cast<Index>(data.economy.n_regions());
    models::shock_process p;
    if (k.process == "data") {
        p.persistence = data.cycle_persistence;
        p.volatility = data.cycle_volatility;
        p.correlation = data.shock_correlation;
    } else {
        p.persistence = Eigen::VectorXd::Constant(N, k.persistence);
        p.volatility = Eigen::VectorXd::Constant(N, k.volatility);
        p.correlation = Eigen::MatrixXd::Constant(N, N, k.correlation);
        p.correlation.diagonal().setOnes();
    }
    p.volatility *= k.scale;
    issues bad;
    models::validate(p, bad);
    if (!bad.empty()) {
        // The placeholder's ranges are checked by the reader: only an equal correlation too
        // negative for the number of regions gets here, said in the usual one-line form.
        if (k.process == "placeholder")
            problems.add(k.correlation_at.str(),
                         cat("key 'shocks.correlation': expected a pairwise correlation of at least -1/(N-1) = ",
                             -1.0 / static_cast<double>(N - 1), " for the dataset's N = ", N,
                             " regions (below it an equal correlation is not positive semi-definite: no random vector "
                             "has it), got ", k.correlation));
        else
            problems.add(k.process_at.str(), bad.report("key 'shocks.process': the dataset's shock process"));
        return;
    }
    const int start = k.start_year.value_or(std::min(first + 1, last));
    const int years = last - first + 1;
    s.shock_sectors.assign(data.economy.n_sectors(), false);
    issues ignore;  // names were checked by check_against_dataset
    for (const auto j : resolve_sectors(k.sectors, data, ignore)) s.shock_sectors[j] = true;
    s.shocks = Eigen::MatrixXd::Zero(years, N);
    const int drawn = last - start + 1;
    if (drawn > 0) s.shocks.bottomRows(drawn) = models::draw_shocks(p, drawn, static_cast<std::uint64_t>(k.seed));
    s.shock_process = std::move(p);
}

trade_equilibrium_setup bind_trade_equilibrium(const scenario_spec& spec, const dataset& data, int first, int last,
                                               issues& problems) {
    const auto& e = data.economy;
    trade_equilibrium_setup s;
    s.solver.tolerance = spec.equilibrium.tolerance;
    s.solver.max_iterations = spec.equilibrium.max_iterations;
    s.base = models::equilibrium_base(e);
    set_trade_elasticities(spec.equilibrium, s.base);
    issues invalid;
    models::validate(s.base, invalid);
    if (!invalid.empty()) {
        problems.add(cat("dataset '", e.name, "'"), invalid.report("as an equilibrium base"));
        return s;
    }
    if (spec.equilibrium.zero_deficit_base) s.base = models::calibrate(s.base, true, s.solver);
    s.policies = build_policies(spec, data, s.base, problems);
    s.labour = make_labour_path(spec, data, first, last, problems);
    for (const auto& p : s.policies) {
        const models::index_list* members = nullptr;
        if (const auto* f = std::get_if<models::free_trade_area>(&p.policy)) members = &f->members;
        if (const auto* u = std::get_if<models::customs_union>(&p.policy)) members = &u->members;
        if (!members) continue;
        s.bloc_labels.push_back(p.label);
        s.bloc_members.emplace_back(e.n_regions(), false);
        for (auto m : *members) s.bloc_members.back()[static_cast<std::size_t>(m)] = true;
    }
    for (const auto& f : spec.free_movement) {
        issues ignore;  // names were checked by check_against_dataset
        bound_free_movement area{f.label, Eigen::VectorXd::Zero(static_cast<Index>(e.n_regions())), f.cost_cut, f.phase};
        for (const auto m : resolve_regions(f.members, data, ignore)) area.member_mask(static_cast<Index>(m)) = 1.0;
        s.free_movement.push_back(std::move(area));
    }
    s.migration = spec.migration.settings;
    s.calibrate_remittances = spec.migration.calibrate_remittances;
    {
        issues bad_settings;  // the reader has checked the ranges: a guard
        models::validate(s.migration, bad_settings);
        if (!bad_settings.empty())
            problems.add((spec.migration.at.file.empty() ? spec.dataset_at : spec.migration.at).str(),
                         bad_settings.report("[migration]"));
    }
    const auto mask = [&](const label_set& members) {
        issues ignore;  // names were checked by check_against_dataset
        Eigen::VectorXd m = Eigen::VectorXd::Zero(static_cast<Index>(e.n_regions()));
        for (const auto n : resolve_regions(members, data, ignore)) m(static_cast<Index>(n)) = 1.0;
        return m;
    };
    for (const auto& c : spec.clearing_unions) {
        bound_clearing_union u;
        u.label = c.label;
        u.unit = c.unit;
        u.member_mask = mask(c.members);
        u.rules.periods_per_year = c.periods_per_year;
        u.rules.margin = c.margin;
        u.rules.charge = c.charge;
        u.uptake = c.uptake;
        u.quota_share = c.quota_share;
        u.transaction_cost_saving = c.transaction_cost_saving;
        u.over_invoicing = c.over_invoicing;
        u.closure = c.closure;
        u.phase = c.phase;
        issues bad;  // the reader has checked the ranges: a guard
        models::validate(u.rules, bad);
        if (!bad.empty()) problems.add(c.at.str(), bad.report(c.key));
        s.clearing_unions.push_back(std::move(u));
    }
    for (const auto& c : spec.currency_unions) {
        bound_currency_union u;
        u.label = c.label;
        u.member_mask = mask(c.members);
        u.trade_effect = c.trade_effect;
        u.trade_elasticity = c.trade_elasticity;
        u.wage_rigidity = c.wage_rigidity;
        u.wage_floor = 1.0 - c.max_wage_fall;
        u.inflation = c.inflation;
        u.fiscal_transfer = c.fiscal_transfer;
        u.phase = c.phase;
        s.currency_unions.push_back(std::move(u));
    }
    if (spec.shocks.given) bind_shocks(spec, data, first, last, s, problems);
    for (const auto& b : spec.development_banks) s.banks.push_back(bind_bank(b, spec, data, s.base, problems));
    s.channels = spec.channels;
    s.public_capital = spec.public_capital.settings;
    if (!spec.development_banks.empty()) {
        // beta^j_n: the scenario's shares (the same for every region), else the dataset's.
        // Without either, check_against_dataset has reported the composition channel.
        const auto& given = spec.public_capital.investment_shares;
        if (!given.empty()) {
            Eigen::VectorXd beta = Eigen::VectorXd::Zero(static_cast<Index>(e.n_sectors()));
            for (std::size_t j = 0; j < e.n_sectors(); ++j)
                if (const auto it = given.find(e.sectors[j]); it != given.end()) beta(static_cast<Index>(j)) = it->second;
            if (beta.sum() > 0.0) beta /= beta.sum();
            s.investment_shares = beta.replicate(1, static_cast<Index>(e.n_regions()));
        } else if (data.investment_shares.size() > 0) {
            s.investment_shares = data.investment_shares;
        }
    }
    return s;
}

input_output_setup bind_input_output(const scenario_spec& spec, const dataset& data, issues& problems) {
    input_output_setup s;
    s.table = models::to_mrio_table(data.economy);
    s.technical_coefficients = models::technical_coefficients(s.table);
    s.leontief_inverse = models::leontief_inverse(s.technical_coefficients);
    s.value_added_coefficients = models::value_added_coefficients(s.table.value_added, s.table.gross_output);
    s.ghosh_inverse = models::ghosh_inverse(models::allocation_coefficients(s.table));
    for (const auto& shock : spec.final_demand_shocks)
        s.shocks.push_back({resolve_regions(shock.buyers, data, problems), resolve_regions(shock.origins, data, problems),
                            resolve_sectors(shock.sectors, data, problems), shock.change, shock.phase});
    return s;
}

}  // namespace

Eigen::MatrixXd free_movement_cost_change(const std::vector<bound_free_movement>& areas, int year, Index n_regions) {
    Eigen::MatrixXd cut = Eigen::MatrixXd::Zero(n_regions, n_regions);
    for (const auto& a : areas) {
        const double c = a.phase.share(year) * a.cost_cut;
        if (!(c > 0.0)) continue;
        for (Index o = 0; o < n_regions; ++o)
            for (Index d = 0; d < n_regions; ++d)
                if (o != d && a.member_mask(o) > 0.0 && a.member_mask(d) > 0.0) cut(o, d) = std::max(cut(o, d), c);
    }
    return Eigen::MatrixXd::Ones(n_regions, n_regions) - cut;
}

bound_scenario bind(scenario_spec spec, std::shared_ptr<const dataset> data, issues& out) {
    bound_scenario b;
    const std::size_t before = out.size();
    check_against_dataset(spec, *data, out);
    std::tie(b.first_year, b.last_year) = horizon(spec, *data);
    if (!spec.summary_regions.at.file.empty()) {
        issues ignored;  // reported by check_against_dataset
        b.summary_regions = resolve_regions(spec.summary_regions, *data, ignored);
    }
    if (out.size() == before) {  // with the names right, the model and its policies
        if (spec.model == model_kind::input_output) b.model = bind_input_output(spec, *data, out);
        else b.model = bind_trade_equilibrium(spec, *data, b.first_year, b.last_year, out);
    }
    b.spec = std::move(spec);
    b.data = std::move(data);
    return b;
}

bound_scenario load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
    issues problems;
    const toml::table doc = read_document(file, overrides, problems);
    return load_scenario(doc, file, problems);
}

bound_scenario load_scenario(const toml::table& doc, const std::filesystem::path& file, issues& problems) {
    scenario_spec spec = parse_scenario(doc, file, problems);
    std::shared_ptr<const dataset> data;
    if (!spec.dataset.empty()) {
        try {
            data = std::make_shared<const dataset>(load_dataset(spec.dataset));
        } catch (const dataset_not_found& e) {  // a scenario problem: report it with the others
            problems.add(spec.dataset_at.str(), cat("key 'dataset': ", e.what()));
        }
    }
    if (!data) {
        problems.throw_if_any<invalid_input>(file.string());
        throw internal_error("a scenario without a dataset passed its checks");
    }
    if (!problems.empty()) {  // names can still be checked against the dataset
        check_against_dataset(spec, *data, problems);
        problems.throw_if_any<invalid_input>(file.string());
    }
    bound_scenario bound = bind(std::move(spec), std::move(data), problems);
    problems.throw_if_any<invalid_input>(file.string());
    return bound;
}

}  // namespace integra::sim
