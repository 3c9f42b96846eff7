#include "tools/cli/threads.hpp"

#include <sched.h>

#include <cstdlib>
#include <string>

#include "core/errors.hpp"

namespace integra::cli {

int thread_count(std::optional<int> requested) {
    if (requested) {
        if (*requested < 1) throw invalid_input("-j/--threads: expected a thread count >= 1, got " + std::to_string(*requested));
        return *requested;
    }
    if (const char* slurm = std::getenv("SLURM_CPUS_PER_TASK"); slurm && *slurm) {
        char* end = nullptr;
        const long n = std::strtol(slurm, &end, 10);
        if (*end == '\0' && n >= 1) return static_cast<int>(n);
        throw invalid_input(std::string("SLURM_CPUS_PER_TASK: expected a thread count >= 1, got '") + slurm + "'");
    }
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
    return 1;
}

}  // namespace integra::cli
