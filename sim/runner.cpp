#include "sim/runner.hpp"

#include "models/calibration.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/policy_builder.hpp"
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

loaded_scenario load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
    issues problems;
    loaded_scenario out{read_scenario(file, overrides, problems), {}};
    if (!out.spec.dataset.empty()) {
        try {
            out.data = load_dataset(out.spec.dataset);
        } catch (const invalid_input& e) {
            // An unknown dataset name is a scenario problem; report it with the others.
            if (!std::string(e.what()).starts_with("dataset '")) throw;
            problems.add(out.spec.dataset_at.str(), cat("key 'dataset': ", e.what()));
        }
        if (!out.data.economy.regions.empty()) check_against_dataset(out.spec, out.data, problems);
    }
    // With the names right, the policies themselves: values, and contradictions by year.
    if (problems.empty() && out.spec.model == model_kind::trade_equilibrium && !out.spec.policies.empty())
        (void)build_policies(out.spec, out.data, models::equilibrium_base(out.data.economy), problems);
    problems.throw_if_any<invalid_input>(file.string());
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
