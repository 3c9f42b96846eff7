// A sweep on disk. Points are committed in batches, each an ordinary sweep file holding
// some points, written atomically into a folder beside the output ("OUT.h5.batches/"); a
// sweep killed at any moment loses at most the batches in flight, and a resumed sweep runs
// only the points no batch holds. Shards (Slurm array tasks) and MPI ranks write batches
// or parts the same way; merging sorts every point into place, so the merged file is the
// one a single process writes, bit for bit.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "sim/results.hpp"

namespace integra::sim {

/// The folder of committed batches of the sweep written to `output`.
[[nodiscard]] std::filesystem::path batch_folder(const std::filesystem::path& output);

/// The batch files in `folder` (sorted by name).
[[nodiscard]] std::vector<std::filesystem::path> batch_files(const std::filesystem::path& folder);

/// The name of the batch holding points first..last.
[[nodiscard]] std::filesystem::path batch_file(const std::filesystem::path& folder, std::size_t first, std::size_t last);

/// The points a sweep file holds.
[[nodiscard]] std::vector<std::size_t> points_of(const result_set& part);

/// Joins parts of one sweep (same sweep_fingerprint) into one, points in rising order,
/// emptying the parts variable by variable as it goes (so the peak memory is about one
/// copy of the sweep). Throws invalid_input naming the files if they come from different
/// sweeps or hold a point twice.
[[nodiscard]] result_set merge_parts(std::vector<result_set>&& parts, const std::vector<std::string>& names);

/// The points of `expected` that `merged` lacks.
[[nodiscard]] std::vector<std::size_t> missing_points(const result_set& merged, const std::vector<std::size_t>& expected);

}  // namespace integra::sim
