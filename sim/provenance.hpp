// Provenance: what every results file records about how it was made.
#pragma once

#include <chrono>
#include <string>

#include "sim/data/dataset.hpp"
#include "sim/results.hpp"
#include "sim/scenario/scenario.hpp"

namespace integra::sim {

struct run_record {
    std::string program_version;  ///< "integra 0.1.0 (git abc123)"
    std::string command_line;
    int threads = 1;
    std::chrono::system_clock::time_point start, end;
};

/// Writes the global attributes: source (version and commit), history, the effective
/// scenario text and file, dataset name, folder, title, unit, checksum and sources,
/// thread count, start and end time (UTC, ISO 8601) and host name.
void stamp_provenance(result_set& results, const scenario_spec& spec, const dataset& data, const run_record& run);

/// "2026-11-27T21:03:04Z"
[[nodiscard]] std::string iso8601_utc(std::chrono::system_clock::time_point t);

}  // namespace integra::sim
