#include "sim/runner.hpp"

#include <tbb/task_arena.h>

#include "sim/runner_internal.hpp"

namespace integra::sim {

result_set make_base_result(const bound_scenario& scenario) {
    const auto& spec = scenario.spec;
    const auto& e = scenario.data->economy;
    result_set out;
    out.add({"case", std::vector<std::string>{"baseline", "scenario"},
             "case: the baseline path, or the baseline plus the scenario's policies", ""});
    std::vector<std::int64_t> years;
    for (int y = scenario.first_year; y <= scenario.last_year; ++y) years.push_back(y);
    out.add({"year", years, "calendar year", ""});
    out.add({"region", e.regions, "region", ""});
    out.add({"sector", e.sectors, "sector", ""});
    out.add({"exporter", e.regions, "exporting region (origin)", ""});
    out.add({"importer", e.regions, "importing region (destination)", ""});
    // Country names beside the codes: an auxiliary coordinate, so that xarray shows
    // ds.region_name and ds.swap_dims(region="region_name").sel(region_name="Brazil") works.
    std::vector<std::string> names = e.region_names;
    if (names.size() != e.regions.size()) names = e.regions;  // a dataset without names: the codes
    out.add(text_variable{"region_name", {"region"}, std::move(names), "region name"});
    out.auxiliary_coordinates.push_back("region_name");
    out.set_attribute("Conventions", std::string("CF-1.10"));
    out.set_attribute("title", spec.description.empty() ? spec.name : spec.description);
    out.set_attribute("scenario_name", spec.name);
    out.set_attribute("first_year", static_cast<std::int64_t>(scenario.first_year));
    out.set_attribute("last_year", static_cast<std::int64_t>(scenario.last_year));
    return out;
}

result_set run_scenario(const bound_scenario& scenario, const run_options& options) {
    auto run = [&] {
        return std::holds_alternative<input_output_setup>(scenario.model) ? run_input_output(scenario, options)
                                                                          : run_trade_equilibrium(scenario, options);
    };
    if (options.threads <= 0) return run();
    tbb::task_arena arena(options.threads);
    return arena.execute(run);
}

}  // namespace integra::sim
