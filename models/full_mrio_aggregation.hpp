// Aggregating a full MRIO to coarser regions and sectors while keeping the origin detail
// (docs/io-accounting.md, "Aggregation by concordance"). With C_r (R' x R) and C_s
// (S' x S) the 0/1 concordance matrices (C(I, i) = 1 if label i maps to aggregate I) and
// C = C_r (x) C_s (the Kronecker product, (R'S' x RS), region-major like the table):
//   Z'   = C Z C'                 the same concordance on the selling and the using side
//   Y'   = C Y (C_r (x) I_K)'     origin rows aggregated, destination regions summed,
//                                 the K final-demand categories kept
//   x'   = C x,   v'_given = C v_given,   value added (balancing item) = x' - 1'Z' = C (x - 1'Z)
//   F'   = F C',  F_Y' = F_Y C_r' every extension, stressors and units kept
// (Miller & Blair 2009, section 4.3, aggregation of the interindustry flows; Lenzen 2011,
// Econ. Syst. Res. 23(1):73-89, for aggregating MRIO tables.) Flows are summed, so totals
// and the accounting identities are preserved; coefficients A' = Z' x'^-1 are the
// output-weighted means of the members' columns. Multipliers and footprints are NOT
// invariant in general (aggregation bias, Miller & Blair 2009, section 4.3.2): they are when
// the merged region-sectors have identical columns of A and identical stressor intensities.
#pragma once

#include <string>
#include <vector>

#include "models/full_mrio.hpp"

namespace integra::models {

/// Aggregates `m`: region_to[r] is the new label of region r, sector_to[s] that of sector s;
/// aggregates are ordered by first appearance. An empty vector keeps that dimension. Throws
/// inconsistent_input if a map has the wrong size or an empty label.
[[nodiscard]] full_mrio aggregate(const full_mrio& m, const std::vector<std::string>& region_to,
                                  const std::vector<std::string>& sector_to);

/// The aggregation matrix of a map (targets by first appearance; (targets x labels), 0/1),
/// and the targets themselves.
[[nodiscard]] Eigen::MatrixXd concordance_matrix(const std::vector<std::string>& to, std::vector<std::string>& targets);

}  // namespace integra::models
