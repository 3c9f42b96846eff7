// The trade-equilibrium runner: year by year from the base year, two equilibria a year.
//
//   baseline_t = solve(base, labour path + baseline trade-cost trends in year t)
//   scenario_t = solve(baseline_t taken as a base, policies in force in year t)
//
// Solving the policy relative to the same year's baseline makes every policy effect a
// clean comparison of two equilibria in one year, so the welfare decomposition of
// Caliendo & Parro (2015, eq. 16) measures the scenario against its baseline directly.
// Each solve is warm-started from the previous year's wages. The labour path is the
// dataset's population (a UN WPP 2024 variant for celac38) times its labour-productivity
// path: productivity growth enters as growth of effective labour (labour-augmenting),
// an approximation stated in the output's attributes.
#include <algorithm>
#include <cmath>

#include "models/calibration.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"
#include "models/welfare_decomposition.hpp"
#include "sim/policy_builder.hpp"
#include "sim/runner_internal.hpp"

namespace integra::sim {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// The baseline's labour path relative to the base year: population (the scenario's variant) and
// cumulative labour productivity, by year of the horizon; effective labour is their product.
struct labour_path {
    std::vector<VectorXd> population, productivity;
    std::vector<std::string> notes;
    [[nodiscard]] VectorXd effective(std::size_t y) const { return population[y].cwiseProduct(productivity[y]); }
};

labour_path make_labour_path(const scenario_spec& spec, const dataset& data, int first, int last) {
    const auto& e = data.economy;
    const Index R = static_cast<Index>(e.n_regions());
    const auto n_years = static_cast<std::size_t>(last - first + 1);
    labour_path path{std::vector<VectorXd>(n_years, VectorXd::Ones(R)), std::vector<VectorXd>(n_years, VectorXd::Ones(R)), {}};
    issues problems;
    auto index_of = [](const std::vector<int>& years, int year) {
        const auto it = std::find(years.begin(), years.end(), year);
        return it == years.end() ? Index{-1} : static_cast<Index>(it - years.begin());
    };
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
    problems.throw_if_any<inconsistent_input>(spec.file.string());
    return path;
}

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
// exactly (solving would reproduce it to the solver's tolerance only).
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

// One case's levels in one year, in the numeraire's money (world value added of the base year).
struct levels {
    models::economy economy;
    VectorXd absorption, price_index, wage_index;  // I_n; P_n and w_n relative to the base year
};

// Every output of the run, flat and row-major in the dimension order of the comments;
// levels are sized up front, effects are appended year by year.
struct series {
    series(std::size_t years, std::size_t regions, std::size_t sectors) : n_years(years), R(regions), S(sectors) {
        for (auto* v : {&real_gdp, &real_income, &gdp, &cpi, &real_wage, &exports, &imports, &revenue}) v->assign(2 * n_years * R, 0.0);
        gross_output.assign(2 * n_years * R * S, 0.0);
        value_added.assign(2 * n_years * R * S, 0.0);
        trade.assign(2 * n_years * R * R * S, 0.0);
        iterations.assign(2 * n_years, 0.0);
        residual.assign(2 * n_years, 0.0);
        expenditure.assign(2 * n_years * R * S, 0.0);
        trade_share.assign(2 * n_years * R * R * S, 0.0);
    }
    std::size_t n_years, R, S;
    std::vector<double> real_gdp, real_income, gdp, cpi, real_wage, exports, imports, revenue;  // case, year, region
    std::vector<double> gross_output, value_added;                                                // case, year, region, sector
    std::vector<double> trade;                                                                    // case, year, i, n, sector
    std::vector<double> iterations, residual;                                                     // case, year
    std::vector<double> welfare, linearized, tot, vot, transfer, real_wage_change, real_gdp_change;  // year, region
    std::vector<double> tot_partner, vot_partner, import_change;                                  // year, region, partner
    std::vector<double> tot_sector, vot_sector;                                                   // year, region, sector
    std::vector<double> wage_change, price_index_change;                                          // year, region
    std::vector<double> input_cost_change, sector_price_change;                                   // year, region, sector
    std::vector<double> expenditure, trade_share;  // case, year, region, sector; case, year, importer, exporter, sector
};

void record(series& s, std::size_t c, std::size_t y, const levels& l, const VectorXd& productivity, double deflator) {
    const auto& e = l.economy;
    const std::size_t R = s.R, S = s.S, slice = c * s.n_years + y;
    const VectorXd va = e.value_added.rowwise().sum(), ex = e.exports(), im = e.imports(), rev = e.tariff_revenue();
    for (std::size_t n = 0; n < R; ++n) {
        const auto i = static_cast<Index>(n);
        s.real_gdp[slice * R + n] = va(i) / l.price_index(i);
        s.real_income[slice * R + n] = l.absorption(i) / l.price_index(i);
        s.gdp[slice * R + n] = va(i) * deflator;
        s.cpi[slice * R + n] = l.price_index(i) * deflator;
        s.real_wage[slice * R + n] = l.wage_index(i) * productivity(i) / l.price_index(i);
        s.exports[slice * R + n] = ex(i) * deflator;
        s.imports[slice * R + n] = im(i) * deflator;
        s.revenue[slice * R + n] = rev(i) * deflator;
        for (std::size_t k = 0; k < S; ++k) {
            s.gross_output[(slice * R + n) * S + k] = e.gross_output(i, static_cast<Index>(k)) * deflator;
            s.value_added[(slice * R + n) * S + k] = e.value_added(i, static_cast<Index>(k)) * deflator;
        }
    }
    for (std::size_t k = 0; k < S; ++k)
        for (std::size_t i = 0; i < R; ++i)
            for (std::size_t n = 0; n < R; ++n)
                s.trade[((slice * R + i) * R + n) * S + k] =
                    i == n ? 0.0 : e.trade[k](static_cast<Index>(i), static_cast<Index>(n)) * deflator;
}

// Spending (tariffs included) and its shares by origin, pi^j_{ni} (Caliendo & Parro 2015, eq. 12).
void record_spending(series& s, std::size_t c, std::size_t y, const models::trade_equilibrium_base& b, double deflator) {
    const std::size_t R = s.R, S = s.S, slice = c * s.n_years + y;
    for (std::size_t n = 0; n < R; ++n)
        for (std::size_t k = 0; k < S; ++k) {
            s.expenditure[(slice * R + n) * S + k] = b.expenditure(static_cast<Index>(k), static_cast<Index>(n)) * deflator;
            for (std::size_t i = 0; i < R; ++i)
                s.trade_share[((slice * R + n) * R + i) * S + k] = b.trade_shares[k](static_cast<Index>(n), static_cast<Index>(i));
        }
}

std::vector<double> flat(const MatrixXd& m_region_major) {  // (region, x) row-major
    std::vector<double> out(static_cast<std::size_t>(m_region_major.size()));
    for (Index r = 0; r < m_region_major.rows(); ++r)
        for (Index c = 0; c < m_region_major.cols(); ++c)
            out[static_cast<std::size_t>(r * m_region_major.cols() + c)] = m_region_major(r, c);
    return out;
}

void append(std::vector<double>& to, const std::vector<double>& more) { to.insert(to.end(), more.begin(), more.end()); }

}  // namespace

result_set run_trade_equilibrium(const scenario_spec& spec, const dataset& data, const run_options& options) {
    const auto& e = data.economy;
    models::solver_options solver;
    solver.tolerance = spec.equilibrium.tolerance;
    solver.max_iterations = spec.equilibrium.max_iterations;

    models::trade_equilibrium_base base = models::equilibrium_base(e);
    issues problems;
    models::validate(base, problems);
    problems.throw_if_any<inconsistent_input>(cat("dataset '", e.name, "' as an equilibrium base"));
    if (spec.equilibrium.zero_deficit_base) base = models::calibrate(base, true, solver);
    const auto policies = build_policies(spec, data, base);

    const auto [first, last] = horizon(spec, data);
    const labour_path labour = make_labour_path(spec, data, first, last);
    const std::size_t n_years = static_cast<std::size_t>(last - first + 1), R = e.n_regions(), S = e.n_sectors();
    series s(n_years, R, S);

    // Blocs: the members of every free-trade area and customs union, for intra-bloc shares
    // and members' imports from inside and outside the bloc.
    std::vector<std::string> bloc_labels;
    std::vector<std::vector<bool>> bloc_members;
    for (const auto& p : policies) {
        const models::index_list* members = nullptr;
        if (const auto* f = std::get_if<models::free_trade_area>(&p.policy)) members = &f->members;
        if (const auto* u = std::get_if<models::customs_union>(&p.policy)) members = &u->members;
        if (!members) continue;
        bloc_labels.push_back(p.label);
        bloc_members.emplace_back(R, false);
        for (auto m : *members) bloc_members.back()[static_cast<std::size_t>(m)] = true;
    }
    const std::size_t B = bloc_labels.size();
    std::vector<double> intra_share(2 * n_years * B), intra_change(n_years * B), extra_change(n_years * B);

    VectorXd warm_baseline, warm_policy;
    const VectorXd world_va0 = base.value_added;
    std::size_t done = 0;
    for (std::size_t y = 0; y < n_years; ++y) {
        const int year = first + static_cast<int>(y);
        auto solve_or_explain = [&](const models::trade_equilibrium_base& b, const models::counterfactual_shock& shock,
                                    VectorXd& warm, const char* which) {
            if (changes_nothing(shock, b)) return unchanged(b);
            models::solver_options o = solver;
            o.initial_wage_change = warm;
            models::equilibrium_result r;
            try {
                r = models::solve(b, shock, o);
            } catch (const numerical_error& error) {
                throw numerical_error(cat(year, ", ", which, ": ", error.what()));
            }
            warm = r.wage_change;
            return r;
        };

        // Baseline: the labour path and the baseline trade-cost trends.
        models::counterfactual_shock trend;
        trend.labour_change = labour.effective(y);
        for (const auto& p : policies)
            if (p.baseline) models::apply(p.policy, p.phase->share(year), base, trend);
        if (trend.tariffs.empty()) trend.tariffs = base.tariffs;
        const auto rb = solve_or_explain(base, trend, warm_baseline, "baseline");
        const models::trade_equilibrium_base base_t = models::counterfactual_as_base(base, trend, rb);
        if (options.progress) options.progress(++done, 2 * n_years);

        // Scenario: the policies in force this year, relative to this year's baseline.
        models::counterfactual_shock policy;
        for (const auto& p : policies) {  // build_policies ruled out contradictions, year by year
            const double share = p.phase->share(year);
            if (!p.baseline && share > 0.0) models::apply(p.policy, share, base_t, policy);
        }
        if (policy.tariffs.empty()) policy.tariffs = base_t.tariffs;
        const auto rp = solve_or_explain(base_t, policy, warm_policy, "scenario");
        const models::trade_equilibrium_base scenario_t = models::counterfactual_as_base(base_t, policy, rp);
        if (options.progress) options.progress(++done, 2 * n_years);

        // Levels. Money is deflated by the baseline's world consumer price index (value-added
        // weights of the base year), the same factor in both cases: constant world prices.
        const double world_cpi = world_va0.dot(rb.price_index_change) / world_va0.sum();
        const double deflator = 1.0 / world_cpi;
        const levels baseline_levels{models::to_economy(base_t, e.name, year, e.unit), models::final_absorption(base_t),
                                     rb.price_index_change, rb.wage_change};
        const levels scenario_levels{models::to_economy(scenario_t, e.name, year, e.unit),
                                     rp.final_absorption.size() ? rp.final_absorption : models::final_absorption(scenario_t),
                                     rb.price_index_change.cwiseProduct(rp.price_index_change),
                                     rb.wage_change.cwiseProduct(rp.wage_change)};
        record(s, 0, y, baseline_levels, labour.productivity[y], deflator);
        record(s, 1, y, scenario_levels, labour.productivity[y], deflator);
        record_spending(s, 0, y, base_t, deflator);
        record_spending(s, 1, y, scenario_t, deflator);
        s.iterations[y] = rb.iterations;
        s.residual[y] = rb.residual;
        s.iterations[n_years + y] = rp.iterations;
        s.residual[n_years + y] = rp.residual;

        // The policy's effect against this year's baseline (Caliendo & Parro 2015, eqs. 16-20).
        const models::welfare_decomposition w = models::decompose_welfare(base_t, rp);
        for (std::size_t n = 0; n < R; ++n) {
            const auto i = static_cast<Index>(n);
            s.welfare.push_back(rp.welfare_change(i) - 1.0);
            s.wage_change.push_back(rp.wage_change(i) - 1.0);
            s.price_index_change.push_back(rp.price_index_change(i) - 1.0);
            s.linearized.push_back(w.total(i));
            s.tot.push_back(w.terms_of_trade(i));
            s.vot.push_back(w.volume_of_trade(i));
            s.transfer.push_back(w.revenue_transfer(i));
            s.real_wage_change.push_back(rp.real_wage_change(i) - 1.0);
            s.real_gdp_change.push_back(s.real_gdp[(n_years + y) * R + n] / s.real_gdp[y * R + n] - 1.0);
        }
        append(s.input_cost_change, flat(rp.input_cost_change.transpose().array() - 1.0));
        append(s.sector_price_change, flat(rp.sector_price_change.transpose().array() - 1.0));
        append(s.tot_partner, flat(w.terms_of_trade_by_partner));
        append(s.vot_partner, flat(w.volume_of_trade_by_partner));
        append(s.import_change, flat(models::import_change_by_partner(base_t, rp)));
        append(s.tot_sector, flat(w.terms_of_trade_by_sector.transpose()));
        append(s.vot_sector, flat(w.volume_of_trade_by_sector.transpose()));

        // Blocs: members' imports from members and from non-members, at constant world prices.
        for (std::size_t b = 0; b < B; ++b) {
            double inside[2] = {0, 0}, outside[2] = {0, 0};
            for (std::size_t c = 0; c < 2; ++c) {
                const std::size_t slice = c * n_years + y;
                for (std::size_t i = 0; i < R; ++i)
                    for (std::size_t n = 0; n < R; ++n)
                        if (bloc_members[b][n] && i != n)
                            for (std::size_t k = 0; k < S; ++k)
                                (bloc_members[b][i] ? inside[c] : outside[c]) += s.trade[((slice * R + i) * R + n) * S + k];
                intra_share[(c * n_years + y) * B + b] = inside[c] / (inside[c] + outside[c]);
            }
            intra_change[y * B + b] = inside[1] - inside[0];
            extra_change[y * B + b] = outside[1] - outside[0];
        }
    }

    result_set out = make_base_result(spec, data, first, last);
    out.add({"partner", e.regions, "partner region", ""});
    const std::string money = e.unit + "/year at constant base-year world prices";
    const std::string real = e.unit + "/year at base-year prices";
    const std::vector<std::string> cyr{"case", "year", "region"}, cyrs{"case", "year", "region", "sector"};
    out.add({"real_gdp", cyr, std::move(s.real_gdp), real, "real GDP: value added deflated by the consumer price index"});
    out.add({"real_income", cyr, std::move(s.real_income), real,
             "real income (welfare): final absorption I = VA + tariff revenue + deficit, deflated by the consumer price index"});
    out.add({"gdp", cyr, std::move(s.gdp), money, "nominal GDP (value added)"});
    out.add({"consumer_price_index", cyr, std::move(s.cpi), "1",
             "consumer price index relative to the baseline world average (base year = 1)"});
    out.add({"real_wage_index", cyr, std::move(s.real_wage), "1",
             "real labour income per person: wage x labour productivity / consumer prices (base year = 1)"});
    out.add({"exports", cyr, std::move(s.exports), money, "exports at world prices"});
    out.add({"imports", cyr, std::move(s.imports), money, "imports at world prices (before tariffs)"});
    out.add({"tariff_revenue", cyr, std::move(s.revenue), money, "tariff revenue collected"});
    out.add({"gross_output", cyrs, std::move(s.gross_output), money, "gross output"});
    out.add({"value_added", cyrs, std::move(s.value_added), money, "value added"});
    out.add({"trade", {"case", "year", "exporter", "importer", "sector"}, std::move(s.trade), money,
             "bilateral trade at world prices, zero within a region"});
    const std::vector<std::string> yr{"year", "region"};
    out.add({"welfare_change", yr, std::move(s.welfare), "1",
             "exact welfare change, scenario vs baseline: real income ratio - 1 (0.01 = 1%)"});
    out.add({"welfare_change_linearized", yr, std::move(s.linearized), "1",
             "first-order welfare change: terms of trade + volume of trade (Caliendo & Parro 2015, eq. 16, as in their Table 2) + pooled-revenue transfer"});
    out.add({"terms_of_trade_effect", yr, std::move(s.tot), "1", "terms-of-trade effect (Caliendo & Parro 2015, eq. 16)"});
    out.add({"volume_of_trade_effect", yr, std::move(s.vot), "1", "volume-of-trade effect (Caliendo & Parro 2015, eq. 16)"});
    out.add({"revenue_transfer_effect", yr, std::move(s.transfer), "1",
             "net tariff revenue received from a customs union's pool, share of base absorption (zero when revenue is kept)"});
    out.add({"real_wage_change", yr, std::move(s.real_wage_change), "1", "real wage change, scenario vs baseline"});
    out.add({"real_gdp_change", yr, std::move(s.real_gdp_change), "1", "real GDP change, scenario vs baseline"});
    out.add({"wage_change", yr, std::move(s.wage_change), "1",
             "nominal wage change, scenario vs baseline (numeraire: world value added)"});
    out.add({"price_index_change", yr, std::move(s.price_index_change), "1",
             "consumer price index change, scenario vs baseline (Caliendo & Parro 2015, eq. 5)"});
    out.add({"input_cost_change", {"year", "region", "sector"}, std::move(s.input_cost_change), "1",
             "input-bundle cost change, scenario vs baseline (Caliendo & Parro 2015, eq. 10)"});
    out.add({"sector_price_change", {"year", "region", "sector"}, std::move(s.sector_price_change), "1",
             "sectoral price index change, scenario vs baseline (Caliendo & Parro 2015, eq. 11)"});
    out.add({"expenditure", cyrs, std::move(s.expenditure), money, "spending on each sector's goods, tariffs included"});
    out.add({"trade_share", {"case", "year", "importer", "exporter", "sector"}, std::move(s.trade_share), "1",
             "share of the importer's spending on the sector that goes to the exporter, tariffs included (eq. 12)"});
    out.add({"terms_of_trade_by_partner", {"year", "region", "partner"}, std::move(s.tot_partner), "1",
             "terms-of-trade effect by partner (Caliendo & Parro 2015, eq. 17)"});
    out.add({"volume_of_trade_by_partner", {"year", "region", "partner"}, std::move(s.vot_partner), "1",
             "volume-of-trade effect by partner (Caliendo & Parro 2015, eq. 18)"});
    out.add({"import_change_by_partner", {"year", "region", "partner"}, std::move(s.import_change), "1",
             "change of imports from each partner at world prices, scenario vs baseline (NaN where none)"});
    out.add({"terms_of_trade_by_sector", {"year", "region", "sector"}, std::move(s.tot_sector), "1",
             "terms-of-trade effect by sector (Caliendo & Parro 2015, eq. 19)"});
    out.add({"volume_of_trade_by_sector", {"year", "region", "sector"}, std::move(s.vot_sector), "1",
             "volume-of-trade effect by sector (Caliendo & Parro 2015, eq. 20)"});
    out.add({"solver_iterations", {"case", "year"}, std::move(s.iterations), "1", "equilibrium solver: wage iterations"});
    out.add({"solver_residual", {"case", "year"}, std::move(s.residual), "1",
             "equilibrium solver: final max |trade imbalance| / value added"});
    if (B > 0) {
        out.add({"bloc", bloc_labels, "trade bloc (free-trade area or customs union of the scenario)", ""});
        std::vector<double> membership;
        for (const auto& members : bloc_members)
            for (bool m : members) membership.push_back(m ? 1.0 : 0.0);
        out.add({"bloc_member", {"bloc", "region"}, std::move(membership), "1", "1 if the region is a member of the bloc"});
        out.add({"intra_bloc_trade_share", {"case", "year", "bloc"}, std::move(intra_share), "1",
                 "share of members' imports that come from members"});
        out.add({"intra_bloc_import_change", {"year", "bloc"}, std::move(intra_change), money,
                 "change of members' imports from members, scenario vs baseline"});
        out.add({"extra_bloc_import_change", {"year", "bloc"}, std::move(extra_change), money,
                 "change of members' imports from non-members, scenario vs baseline"});
    }
    out.set_attribute("model", std::string("multi-country multi-sector Ricardian trade equilibrium with input-output "
                                           "linkages (Caliendo & Parro 2015, exact hat algebra)"));
    std::string approximations =
        "Each year is a static equilibrium relative to the base year (no capital accumulation); labour is the only "
        "factor; trade deficits stay at their base-year levels in the numeraire (a fixed share of world value added); "
        "money values are deflated by the baseline's world consumer price index";
    const bool moves_labour = std::any_of(policies.begin(), policies.end(), [](const auto& p) {
        return std::holds_alternative<models::labour_change>(p.policy);
    });
    approximations += moves_labour ? "; labour_change policies move labour, so welfare_change and real_gdp_change are "
                                     "totals, not per person (see real_wage_change)"
                                   : "; labour does not move between regions";
    for (const auto& n : labour.notes) approximations += "; " + n;
    if (labour.notes.empty()) approximations += "; the baseline has no growth (the dataset has no population or productivity path, or they are switched off)";
    if (spec.equilibrium.zero_deficit_base) approximations += "; the base year was recalibrated to zero trade deficits";
    out.set_attribute("approximations", approximations + ".");
    out.set_attribute("solver_tolerance", spec.equilibrium.tolerance);
    return out;
}

}  // namespace integra::sim
