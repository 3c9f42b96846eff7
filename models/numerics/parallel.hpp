// Owner-computes parallel loops over an index range with oneTBB (docs/architecture.md,
// "Parallelism"): the body is a serial function of a block [begin, end) that writes only
// the elements of its own indices and splits no sum across indices, so the result is
// the same on any number of threads and for any partition of the range, the serial one
// included.
#pragma once

#include <Eigen/Core>

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstddef>

namespace integra::models::numerics {

/// Work, in the caller's estimate of floating-point operations, below which a loop is
/// not worth a parallel_for: some tens of microseconds on one core, well above what
/// spawning, stealing and joining tasks and waking a second thread cost (chosen by
/// measuring the equilibrium solver, docs/performance.md, "Solver").
inline constexpr double min_parallel_work = 50000.0;

/// Threads a parallel loop started here may use: the current task arena's concurrency,
/// capped by the process-wide tbb::global_control limit (which the arena does not
/// report). About 10 ns; a caller running many loops may ask once and pass the value on.
[[nodiscard]] inline int available_threads() {
    const auto limit = tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
    return static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()), limit));
}

/// Calls body(begin, end) on blocks that partition [0, count): with tbb::parallel_for in
/// the caller's arena, or as one call body(0, count) on the calling thread when only one
/// thread is available (`threads` <= 1, e.g. inside a tbb::task_arena of concurrency 1)
/// or when the loop is small: count * work_per_item < min_parallel_work. The default
/// work_per_item never counts as small.
template <class Body>
void for_each_block(Eigen::Index count, const Body& body, double work_per_item = min_parallel_work,
                    int threads = available_threads()) {
    if (count <= 0) return;
    if (threads <= 1 || count == 1 || static_cast<double>(count) * work_per_item < min_parallel_work) {
        body(Eigen::Index{0}, count);
        return;
    }
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, count),
                      [&](const tbb::blocked_range<Eigen::Index>& r) { body(r.begin(), r.end()); });
}

/// Calls f(begin, size) on the fixed blocks [b block, min(n, (b + 1) block)) of [0, n), in
/// parallel. The blocks do not depend on the number of threads, so neither does a result
/// that each block computes with one serial call (dense matrix products by blocks of columns).
template <class F>
void for_each_fixed_block(Eigen::Index n, Eigen::Index block, const F& f) {
    const Eigen::Index n_blocks = (n + block - 1) / block;
    for_each_block(n_blocks, [&](Eigen::Index first, Eigen::Index last) {
        for (Eigen::Index b = first; b != last; ++b) f(b * block, std::min(block, n - b * block));
    });
}

}  // namespace integra::models::numerics
