// The scenario runner: a pure function of (scenario, dataset) -> results, year by year.
//
// Today's model is the demand-driven multiregional input-output (Leontief) quantity model
// (Miller & Blair 2009, ch. 3): technical coefficients and prices stay at the base year,
// final demand grows at the baseline rate, and the scenario's final-demand shocks phase in
// on top; gross output follows x = L f each year. Two cases are computed and written,
// "baseline" and "scenario", so every variable reads as a level in each case and as a
// deviation from baseline. The trade equilibrium replaces the quantity model here once
// it is wired in; the case/year layout stays.
#pragma once

#include <functional>

#include "sim/data/dataset.hpp"
#include "sim/results.hpp"
#include "sim/scenario.hpp"

namespace integra::sim {

struct run_options {
    /// Called once per finished (case, year) with the count done and the total; may be
    /// called from several threads at once, never concurrently for the same count.
    std::function<void(std::size_t done, std::size_t total)> progress;
};

/// Runs `spec` on `data`; the scenario must have passed check_against_dataset (throws
/// inconsistent_input listing every problem otherwise). Results are independent of the
/// number of threads: each (case, year) is computed by one task.
[[nodiscard]] result_set run_scenario(const scenario_spec& spec, const dataset& data, const run_options& options = {});

/// Share of a policy in force in `year`: 0 before `start_year`, then rising linearly to 1
/// over `phase_in_years` years (1 from `start_year` on when phase_in_years is 0).
[[nodiscard]] double phase_in(int year, int start_year, int phase_in_years);

}  // namespace integra::sim
