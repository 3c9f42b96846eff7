#include "sim/runner.hpp"

#include "models/errors.hpp"
#include "sim/runner_internal.hpp"

namespace integra::sim {

result_set make_base_result(const scenario_spec& spec, const dataset& data, int first, int last) {
    const auto& e = data.economy;
    result_set out;
    out.add({"case", std::vector<std::string>{"baseline", "scenario"},
             "case: the baseline path, or the baseline plus the scenario's policies", ""});
    std::vector<std::int64_t> years;
    for (int y = first; y <= last; ++y) years.push_back(y);
    out.add({"year", years, "calendar year", ""});
    out.add({"region", e.regions, "region", ""});
    out.add({"sector", e.sectors, "sector", ""});
    out.add({"exporter", e.regions, "exporting region (origin)", ""});
    out.add({"importer", e.regions, "importing region (destination)", ""});
    out.set_attribute("Conventions", std::string("CF-1.10"));
    out.set_attribute("title", spec.description.empty() ? spec.name : spec.description);
    out.set_attribute("scenario_name", spec.name);
    out.set_attribute("first_year", static_cast<std::int64_t>(first));
    out.set_attribute("last_year", static_cast<std::int64_t>(last));
    return out;
}

result_set run_scenario(const scenario_spec& spec, const dataset& data, const run_options& options) {
    issues problems;
    check_against_dataset(spec, data, problems);
    problems.throw_if_any<inconsistent_input>(spec.file.string());
    return spec.model == model_kind::input_output ? run_input_output(spec, data, options)
                                                  : run_trade_equilibrium(spec, data, options);
}

}  // namespace integra::sim
