// The headline table of a result: welfare and GDP effects by region in chosen years,
// sorted, with the world and each trade bloc's aggregate. `integra run` prints it at the
// end of a run; `integra summary FILE.h5` reprints or re-slices it from any result file,
// and from a sweep file per point or as quantiles across points (command_summary.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sim/results.hpp"

namespace integra::cli {

enum class summary_format { table, csv, markdown };

struct summary_options {
    /// Years to show; empty: the horizon, and a midpoint for runs with an effect over 4+ years
    /// (an input-output run: the horizon).
    std::vector<std::int64_t> years;
    /// Indices of the regions to list; empty: all.
    std::vector<std::size_t> regions;
    /// Variables over (year, region) to show as columns; empty: the headline columns
    /// (welfare, GDP volume, eq. 16 and its parts) that the file holds.
    std::vector<std::string> vars;
    summary_format format = summary_format::table;
    /// A sweep file: quantiles across its ok points (fractions in [0, 1]).
    std::vector<double> quantiles{0.05, 0.5, 0.95};
};

/// The variables --vars accepts for `results` (a run or a sweep): those over (year, region),
/// after a sweep's `point`.
[[nodiscard]] std::vector<std::string> summary_variables(const sim::result_set& results);

/// True for a sweep file (a `point` dimension).
[[nodiscard]] bool is_sweep(const sim::result_set& results);

/// Point `point` (a value of the `point` coordinate) of a sweep file, as a run's result_set:
/// every variable over `point` sliced, the rest kept. Throws invalid_input if absent.
[[nodiscard]] sim::result_set sweep_point(const sim::result_set& sweep, std::int64_t point);

/// Prints the headline table of a run's result (not a sweep). Options must be valid for
/// the file (years in it, variables from summary_variables).
void print_summary(const sim::result_set& results, const summary_options& options, std::ostream& out);

/// A sweep file: each cell is the quantile across the points whose point_status is "ok".
void print_sweep_quantiles(const sim::result_set& sweep, const summary_options& options, std::ostream& out);

}  // namespace integra::cli
