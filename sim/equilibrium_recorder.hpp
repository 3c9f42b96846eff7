// The trade-equilibrium run's outputs: one recorder owns every series, records a year's
// solution into all of them, and hands over the finished result_set.
#pragma once

#include <memory>
#include <vector>

#include "sim/bound_scenario.hpp"
#include "sim/results.hpp"
#include "sim/series.hpp"
#include "sim/year_state.hpp"

namespace integra::sim {

class equilibrium_recorder {
public:
    /// Records the outputs named in `keep`, or every output when it is empty.
    explicit equilibrium_recorder(const bound_scenario& scenario, const std::vector<std::string>& keep = {});
    ~equilibrium_recorder();
    equilibrium_recorder(const equilibrium_recorder&) = delete;
    equilibrium_recorder& operator=(const equilibrium_recorder&) = delete;

    /// Records year `state.year_index` of both cases and the effects of the scenario.
    void record(const year_state& state, const year_solution& solution);
    /// The results with their attributes (model, approximations, tolerance).
    [[nodiscard]] result_set finish();

private:
    struct outputs;
    const bound_scenario& scenario_;
    result_set out_;
    std::unique_ptr<outputs> series_;
};

}  // namespace integra::sim
