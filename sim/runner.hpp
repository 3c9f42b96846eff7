// The scenario runner: a pure function of (scenario, dataset) -> results, year by year.
//
// Two cases are computed and written, "baseline" and "scenario", so every variable reads
// as a level in each case and as a deviation from baseline. The model is the scenario's:
//   trade_equilibrium  Caliendo & Parro (2015): each year a general equilibrium with
//                      input-output linkages; the baseline follows population and
//                      productivity, the scenario adds trade policies (equilibrium_runner.cpp);
//   input_output       the demand-driven Leontief quantity model with base-year
//                      coefficients and prices (input_output_runner.cpp).
#pragma once

#include <functional>

#include "sim/data/dataset.hpp"
#include "sim/results.hpp"
#include "sim/scenario/scenario.hpp"

namespace integra::sim {

struct run_options {
    /// Called after each (case, year) with the count done and the total; may be called
    /// from several threads at once.
    std::function<void(std::size_t done, std::size_t total)> progress;
};

struct loaded_scenario {
    scenario_spec spec;
    dataset data;
};

/// Reads a scenario, loads its dataset and checks everything a run needs before it runs:
/// the file and the overrides, the names against the dataset, and, for the trade
/// equilibrium, the policies' values and their contradictions year by year. Throws
/// invalid_input listing every problem together.
[[nodiscard]] loaded_scenario load_scenario(const std::filesystem::path& file,
                                            const std::vector<std::string>& overrides = {});

/// Runs `spec` on `data`. Throws inconsistent_input if the scenario does not fit the
/// dataset (every problem listed), numerical_error if an equilibrium cannot be found
/// (naming the year, the case, the worst region and the residual). Results do not depend
/// on the number of threads.
[[nodiscard]] result_set run_scenario(const scenario_spec& spec, const dataset& data, const run_options& options = {});

}  // namespace integra::sim
