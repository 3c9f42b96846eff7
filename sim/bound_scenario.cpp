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
