// Running a sweep's points: the scenario document and the dataset are read once; each point
// is the document with the point's values set, parsed and bound (no I/O), then run on one
// thread, points side by side in a TBB arena. Every point is checked before any runs.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "sim/bound_scenario.hpp"
#include "sim/results.hpp"
#include "sim/sweep/design.hpp"
#include "sim/year_state.hpp"

namespace integra::sim {

struct sweep_setup {
    std::filesystem::path file;
    toml::table document;  ///< the scenario after extends and --set
    std::shared_ptr<const dataset> data;
    scenario_spec spec;  ///< the scenario as written (every point's provenance)
    sweep_design design;
    /// The scenario as written: the shape (coordinates) and attributes every point shares.
    result_set shape;
    std::string fingerprint;  ///< same for every part of one sweep: scenario, design, dataset
    /// The scenario as written, bound, and (trade equilibrium) its baseline path, which
    /// every point with the same baseline inputs shares instead of solving it again.
    std::shared_ptr<const bound_scenario> nominal;
    std::shared_ptr<const baseline_path> baseline;
};

/// Reads the scenario, its dataset and the sweep design, and checks every point (parsing
/// and binding it) before anything runs. Throws invalid_input listing every problem; a
/// point whose values make the scenario invalid is named with its values. The checks run
/// on `threads` threads (0 = the caller's arena).
[[nodiscard]] sweep_setup prepare_sweep(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                                        const std::vector<std::string>& vary, int threads = 0);

/// The scenario of point p, bound. Appends problems to `out`.
[[nodiscard]] bound_scenario bind_point(const sweep_setup& sweep, std::size_t p, issues& out);

/// "customs_union.0.revenue = \"kept\", theta... = 6.1": point p's values, for messages.
[[nodiscard]] std::string describe_point(const sweep_setup& sweep, std::size_t p);

/// Runs `points` (indices into the design, rising) with `threads` threads, each point on one
/// thread, and returns them as a sweep part: the kept variables with a leading `point`
/// dimension, the varied keys as coordinates along it, point_status and point_error. A
/// point whose equilibrium fails is recorded as failed (NaN values) and the others go on.
[[nodiscard]] result_set run_points(const sweep_setup& sweep, const std::vector<std::size_t>& points, int threads,
                                    const std::function<void()>& point_done = {});

}  // namespace integra::sim
