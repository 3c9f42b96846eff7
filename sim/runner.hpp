// The scenario runner: a pure function of a bound scenario -> results, year by year.
//
// Two cases are computed and written, "baseline" and "scenario", so every variable reads
// as a level in each case and as a deviation from baseline. The model is the scenario's:
//   trade_equilibrium  Caliendo & Parro (2015): each year a general equilibrium with
//                      input-output linkages; the baseline follows population and
//                      productivity, the scenario adds the policies (equilibrium_runner.cpp,
//                      year_state.hpp, equilibrium_recorder.hpp);
//   input_output       the demand-driven Leontief quantity model with base-year
//                      coefficients and prices (input_output_runner.cpp).
// Binding (sim/bound_scenario.hpp) comes first and does all name resolution and I/O.
#pragma once

#include <functional>

#include "sim/bound_scenario.hpp"
#include "sim/results.hpp"
#include "sim/year_state.hpp"

namespace integra::sim {

struct run_options {
    /// Called after each step with the count done and the total; may be called from
    /// several threads at once.
    std::function<void(std::size_t done, std::size_t total)> progress;
    /// Worker threads for this run, in a TBB task arena of its own (0 = run in the
    /// caller's arena). A sweep runs each point with 1, points side by side.
    int threads = 0;
    /// The output variables to record (a sweep keeps a few); empty = every one.
    std::vector<std::string> keep;
    /// The baseline path, already solved (a sweep's points that vary only policies share
    /// one; see same_baseline). Null: the run solves its own.
    std::shared_ptr<const baseline_path> shared_baseline;
};

/// Runs a bound scenario. Throws numerical_error if an equilibrium cannot be found (naming
/// the year, the case, the worst region and the residual). Results do not depend on the
/// number of threads, bitwise.
[[nodiscard]] result_set run_scenario(const bound_scenario& scenario, const run_options& options = {});

}  // namespace integra::sim
