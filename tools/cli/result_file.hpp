// Reading a results file for `integra summary` and `integra export`: bad input (a missing
// file, one that is not an Integra result) is a usage error (exit 2) naming the file and
// what was expected.
#pragma once

#include <string>

#include "sim/results.hpp"

namespace integra::cli {

/// The whole file (read_netcdf4). Throws invalid_input: "F: no such file", "F: not an
/// Integra results file (...): expected an HDF5 file written by integra run, sweep or merge".
[[nodiscard]] sim::result_set read_result_file(const std::string& path);

/// The global attribute `name` as text ("" if absent).
[[nodiscard]] std::string attribute_text(const sim::result_set& r, const std::string& name);

/// "a, b,c" -> {"a", "b", "c"} (items trimmed, empty ones dropped).
[[nodiscard]] std::vector<std::string> split_list(const std::string& text);

}  // namespace integra::cli
