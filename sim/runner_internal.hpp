// The two model runners behind run_scenario, and what their results share.
#pragma once

#include "sim/runner.hpp"

namespace integra::sim {

[[nodiscard]] result_set run_input_output(const bound_scenario& scenario, const run_options& options);
[[nodiscard]] result_set run_trade_equilibrium(const bound_scenario& scenario, const run_options& options);

/// Coordinates case, year, region, sector, exporter, importer, and the attributes every
/// run has (title, scenario name, horizon).
[[nodiscard]] result_set make_base_result(const bound_scenario& scenario);

}  // namespace integra::sim
