// Structural path analysis; the method, the pruning bound and its safety are documented in
// structural_paths.hpp.
#include "models/structural_paths.hpp"

#include "core/errors.hpp"
#include "core/issues.hpp"
#include "core/text.hpp"
#include "models/numerics/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>

namespace integra::models {

namespace {

using index_t = Eigen::Index;
using Eigen::VectorXd;

// A relative margin on the bound w m(j): m comes from an iterative solve accurate to
// ~1e-12 relative, and w and m(j) each carry rounding; 1e-9 covers both with room.
constexpr double bound_margin = 1.0 + 1e-9;

// Depth-first search below one root: a serial function of the root, so its output does
// not depend on which thread runs it.
struct path_search {
    const sparse_coefficients& a;
    const VectorXd& s;
    const VectorXd& m_abs;  // L' |s|
    double threshold;       // absolute
    int max_depth;
    std::size_t max_paths;
    /// Paths found by every root's search together: the cap holds for the whole analysis,
    /// so a threshold too low for the table stops all searches, not one root at a time.
    std::atomic<std::size_t>& found_everywhere;
    std::vector<index_t> stack;
    std::vector<structural_path> found;
    bool overflow = false;

    // `weight` = y(i_0) A(i_1,i_0) ... A(j,i_(t-1)), signed; the path so far ends in j = stack.back().
    void visit(index_t j, double weight, int depth) {
        if (overflow) return;
        if (found_everywhere.load(std::memory_order_relaxed) > max_paths) {  // another root overflowed
            overflow = true;
            return;
        }
        const double value = weight * s[j];
        if (std::abs(value) > threshold) {
            if (found_everywhere.fetch_add(1, std::memory_order_relaxed) >= max_paths) {
                overflow = true;
                return;
            }
            found.push_back(structural_path{stack, value, 0.0});
        }
        if (depth == max_depth) return;
        for (sparse_coefficients::InnerIterator it(a, j); it; ++it) {
            const index_t i = it.row();
            const double w = weight * it.value();
            if (std::abs(w) * m_abs[i] * bound_margin <= threshold) continue;  // the whole subtree is below
            stack.push_back(i);
            visit(i, w, depth + 1);
            stack.pop_back();
        }
    }
};

bool path_before(const structural_path& x, const structural_path& y) {
    const double ax = std::abs(x.value);
    const double ay = std::abs(y.value);
    if (ax != ay) return ax > ay;
    return x.nodes < y.nodes;
}

}  // namespace

region_sector split_index(index_t index, index_t n_sectors) {
    if (n_sectors <= 0 || index < 0)
        throw inconsistent_input("split_index: index " + std::to_string(index) + " with " + std::to_string(n_sectors) +
                                 " sectors per region; expected index >= 0 and sectors > 0");
    return {index / n_sectors, index % n_sectors};
}

structural_path_result structural_paths(const sparse_coefficients& technical_coefficients,
                                        const Eigen::Ref<const VectorXd>& stressor_intensity,
                                        const Eigen::Ref<const VectorXd>& final_demand,
                                        const structural_path_options& options) {
    const auto& a = technical_coefficients;
    const index_t n = a.rows();
    issues problems;
    if (a.rows() != a.cols())
        problems.add("technical_coefficients", "is " + std::to_string(a.rows()) + " x " + std::to_string(a.cols()) +
                                                   "; expected a square matrix");
    if (stressor_intensity.size() != n)
        problems.add("stressor_intensity", "has " + std::to_string(stressor_intensity.size()) +
                                               " entries; expected " + std::to_string(n));
    if (final_demand.size() != n)
        problems.add("final_demand",
                     "has " + std::to_string(final_demand.size()) + " entries; expected " + std::to_string(n));
    for (index_t j = 0; j < a.outerSize(); ++j)
        for (sparse_coefficients::InnerIterator it(a, j); it; ++it)
            if (!(it.value() >= 0.0)) {
                problems.add("technical_coefficients(" + std::to_string(it.row()) + ", " + std::to_string(j) + ")",
                             "is " + number_text(it.value(), 6) + "; expected >= 0 (the pruning bound needs A >= 0)");
                j = a.outerSize() - 1;  // one is enough
                break;
            }
    if (!(options.threshold >= 0.0))
        problems.add("structural_path_options.threshold", "is " + number_text(options.threshold, 6) + "; expected >= 0");
    if (options.max_depth < 0)
        problems.add("structural_path_options.max_depth",
                     "is " + std::to_string(options.max_depth) + "; expected >= 0");
    problems.throw_if_any<inconsistent_input>("structural_paths");

    // Total intensities m = L' s (Miller & Blair 2009, ch. 6: multipliers) and, for the bound,
    // L' |s|; the same vector when s >= 0.
    const VectorXd s = stressor_intensity;
    const VectorXd y = final_demand;
    const bool s_non_negative = (s.array() >= 0.0).all();
    Eigen::MatrixXd rhs(n, s_non_negative ? 1 : 2);
    rhs.col(0) = s;
    if (!s_non_negative) rhs.col(1) = s.cwiseAbs();
    const Eigen::MatrixXd m = leontief_solve_transposed(a, rhs, options.solver);
    const VectorXd m_signed = m.col(0);
    const VectorXd m_abs = s_non_negative ? m_signed : VectorXd(m.col(1));

    structural_path_result result;
    for (index_t k = 0; k < n; ++k) result.total += m_signed[k] * y[k];  // serial: deterministic
    const double threshold = options.threshold_kind == path_threshold::absolute
                                 ? options.threshold
                                 : options.threshold * std::abs(result.total);

    // Roots: final-demand entries whose whole tree can reach the threshold.
    std::vector<index_t> roots;
    for (index_t k = 0; k < n; ++k)
        if (y[k] != 0.0 && std::abs(y[k]) * m_abs[k] * bound_margin > threshold) roots.push_back(k);

    std::vector<std::vector<structural_path>> per_root(roots.size());
    std::vector<char> overflow(roots.size(), 0);
    std::atomic<std::size_t> found_everywhere{0};
    numerics::for_each_block(static_cast<index_t>(roots.size()), [&](index_t begin, index_t end) {
        for (index_t r = begin; r < end; ++r) {
            const auto rs = static_cast<std::size_t>(r);
            const index_t k = roots[rs];
            path_search search{a, s, m_abs, threshold, options.max_depth, options.max_paths, found_everywhere, {k}, {}, false};
            search.visit(k, y[k], 0);
            per_root[rs] = std::move(search.found);
            overflow[rs] = search.overflow ? 1 : 0;
        }
    });

    std::size_t count = 0;
    for (std::size_t r = 0; r < roots.size(); ++r) {
        count += per_root[r].size();
        if (overflow[r] != 0 || count > options.max_paths)
            throw numerical_error("structural_paths: more than " + std::to_string(options.max_paths) +
                                  " paths exceed the threshold " + number_text(threshold, 6) + " (depth " +
                                  std::to_string(options.max_depth) +
                                  "); raise the threshold, lower max_depth or raise max_paths");
    }
    result.paths.reserve(count);
    for (auto& v : per_root)
        for (auto& p : v) result.paths.push_back(std::move(p));
    std::sort(result.paths.begin(), result.paths.end(), path_before);

    double covered = 0.0;
    for (auto& p : result.paths) {
        covered += p.value;
        p.share = result.total != 0.0 ? p.value / result.total : 0.0;
    }
    result.covered_share = result.total != 0.0 ? covered / result.total : 0.0;
    return result;
}

}  // namespace integra::models
