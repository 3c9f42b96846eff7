// The trade-equilibrium runner: the year loop. Each year `step` (sim/year_state.hpp) solves
// the baseline and the scenario from the previous year's state, and the recorder
// (sim/equilibrium_recorder.hpp) stores both cases and the effects.
#include "sim/equilibrium_recorder.hpp"
#include "sim/runner_internal.hpp"
#include "sim/year_state.hpp"

namespace integra::sim {

result_set run_trade_equilibrium(const bound_scenario& scenario, const run_options& options) {
    const auto& setup = std::get<trade_equilibrium_setup>(scenario.model);
    const std::size_t n_years = scenario.n_years();
    equilibrium_recorder recorder(scenario, options.keep);
    year_state previous = first_year_state(scenario);
    for (std::size_t y = 0; y < n_years; ++y) {
        year_state next;
        next.year_index = y;
        next.year = scenario.first_year + static_cast<int>(y);
        const year_solution solution = step(setup, previous, next, options.shared_baseline.get());
        recorder.record(next, solution);
        if (options.progress) options.progress(y + 1, n_years);
        previous = std::move(next);
    }
    return recorder.finish();
}

}  // namespace integra::sim
