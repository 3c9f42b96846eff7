// How many worker threads a run uses: -j N if given, else SLURM_CPUS_PER_TASK (inside a
// Slurm job), else the number of CPUs in this process's affinity mask.
#pragma once

#include <optional>

namespace integra::cli {

[[nodiscard]] int thread_count(std::optional<int> requested);

}  // namespace integra::cli
