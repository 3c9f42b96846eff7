// Structural path analysis (SPA): the supply-chain paths behind a footprint.
//
// The footprint of final demand y on a stressor with direct intensities s (stressor per
// unit of output) is f = s' L y. Expanding L = I + A + A^2 + ... (Miller & Blair 2009,
// ch. 2, sec. 2.4) splits it into paths (Defourny & Thorbecke 1984, Econ. J. 94:111-136;
// Lenzen 2003, Struct. Change Econ. Dyn. 14:1-34; Peters & Hertwich 2006, Econ. Syst. Res.
// 18(2):155-181):
//   f = sum over paths (k = i_0, i_1, ..., i_t) of  y(i_0) A(i_1,i_0) A(i_2,i_1) ... A(i_t,i_(t-1)) s(i_t),
// i.e. final demand for the product of i_0, which buys from i_1, which buys from i_2, ...,
// and the stressor arises in i_t. The path length t is the number of A factors (t = 0:
// the stressor of the final producer itself). With s = 1 the paths split output
// multipliers 1' L y instead.
//
// Enumeration is a depth-first search from each final-demand root k, going upstream along
// the non-zeros of column i of A (the suppliers of i). Pruning: at a prefix ending in node
// j with weight w = |y(k)| A(i_1,k) ... A(j, .) (the product along the prefix), every path
// that extends the prefix, the prefix itself included, has
//   |value| <= w |s|(j) + w sum_i A(i,j) |s|(i) + ... = w * m(j),   m = L' |s|,
// since A >= 0 makes all the terms of the series non-negative: m(j) is the total (direct
// plus all upstream) intensity of j, so w m(j) is the exact sum of |value| over the whole
// infinite subtree. When w m(j) <= threshold no path below can exceed the threshold and the
// branch is cut; the cut is therefore exact (it loses no path that would have been listed),
// for any depth limit. m is computed with leontief_solve_transposed (residual below 1e-13
// of ||s||) and the comparison uses w m(j) (1 + 1e-9): that margin covers rounding, but the
// solve bounds m's error in norm, not entry by entry, so a path within m's error of the
// threshold at a node with a tiny m(j) could be cut (docs/io-accounting.md).
//
// Parallel with TBB over the roots k; each root's paths are collected separately and the
// final list is sorted by |value| descending, ties by the index sequence (lexicographic),
// a total order, so the output does not depend on the thread count.
#pragma once

#include <Eigen/Dense>

#include <vector>

#include "models/leontief_solve.hpp"

namespace integra::models {

struct structural_path {
    /// Region-major indices (region * n_sectors + sector) from the final-demand producer
    /// i_0 upstream to the emitting region-sector i_t; size() = path length + 1.
    std::vector<Eigen::Index> nodes;
    double value = 0.0;  ///< y(i_0) A(i_1,i_0) ... s(i_t), in the stressor's unit
    double share = 0.0;  ///< value / total footprint
};

struct region_sector {
    Eigen::Index region = 0;
    Eigen::Index sector = 0;
};

/// The (region, sector) of a region-major index, for a table with `n_sectors` sectors per region.
[[nodiscard]] region_sector split_index(Eigen::Index index, Eigen::Index n_sectors);

enum class path_threshold {
    absolute,  ///< list paths with |value| > threshold
    share      ///< list paths with |value| > threshold * |total footprint|
};

struct structural_path_options {
    double threshold = 1e-3;
    path_threshold threshold_kind = path_threshold::share;
    int max_depth = 6;                    ///< longest path length (number of A factors), >= 0
    std::size_t max_paths = 10'000'000;   ///< refuse (numerical_error) rather than list more
    leontief_solve_options solver{.method = leontief_iteration::bicgstab, .relative_tolerance = 1e-13,
                                  .max_iterations = 2000};
};

struct structural_path_result {
    std::vector<structural_path> paths;  ///< sorted by |value| descending, ties by nodes
    double total = 0.0;                  ///< s' L y, the footprint being decomposed
    double covered_share = 0.0;          ///< sum of listed values / total (0 if total = 0)
};

/// Structural paths of s' L y. A: n x n, non-negative; s (stressor per unit output) and y
/// (final demand) of size n, any sign. Throws inconsistent_input on mis-sized arguments,
/// a negative A entry, a negative threshold or depth; numerical_error if the total
/// multiplier solve does not converge or more than max_paths paths pass the threshold.
[[nodiscard]] structural_path_result structural_paths(const sparse_coefficients& technical_coefficients,
                                                      const Eigen::Ref<const Eigen::VectorXd>& stressor_intensity,
                                                      const Eigen::Ref<const Eigen::VectorXd>& final_demand,
                                                      const structural_path_options& options = {});

}  // namespace integra::models
