// Aggregating an economy to coarser regions and sectors with concordance files.
//
// A concordance is a CSV file with the columns `from,to`: every label of the economy
// appears exactly once in `from`; `to` names its aggregate. Aggregates appear in the order
// of their first row. Flows are summed; coefficients and shares are recomputed from the
// summed flows (Miller & Blair 2009, section 4.3: aggregation of input-output tables):
//   Y' = sum Y,  VA' = sum VA,  trade' = sum trade,  deficit' = sum deficit
//   gamma'^{K,J}_{N} = sum_{n in N, k in K, j in J} gamma^{k,j}_n Y(n,j) / Y'(N,J)
//   tau'(I,N,K) = sum tau * trade / sum trade   (trade-weighted; tariff revenue preserved)
//   alpha'(N,K) = final use'(N,K) / sum_K final use'(N,K), with final use = X - intermediate use
// Trade between members of one aggregate region becomes domestic, and its tariffs vanish:
// their revenue leaves both spending and income (final use), so the CP (2015) eq. 7
// identity X = gamma Y + alpha I holds in the aggregate. theta' is the world-output-weighted
// mean of the members' theta; an aggregate sector is tradable if any member is.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "models/economy.hpp"

namespace integra::sim {

struct concordance {
    std::filesystem::path file;
    std::vector<std::string> targets;    ///< aggregate labels, in order of first appearance
    std::vector<std::size_t> target_of;  ///< for label i of the economy: index into targets
};

/// Reads a `from,to` concordance for `labels` (what = "region" or "sector"). Throws
/// invalid_input listing every problem: file:line of a label that is not in `labels`, a
/// label mapped twice (both lines), an empty `to`, and each label that is not mapped.
[[nodiscard]] concordance read_concordance(const std::filesystem::path& file, const std::vector<std::string>& labels,
                                           const std::string& what);

/// The identity concordance of `labels` (each label its own aggregate).
[[nodiscard]] concordance identity_concordance(const std::vector<std::string>& labels);

/// Aggregates `e`; a missing concordance keeps that dimension. Throws inconsistent_input
/// if an aggregate's final use would be negative (by more than a rounding error).
[[nodiscard]] models::economy aggregate(const models::economy& e, const std::optional<concordance>& regions,
                                        const std::optional<concordance>& sectors);

/// Reads the concordances that are given (an empty path: keep that dimension) and
/// aggregates `e` with them.
[[nodiscard]] models::economy apply_concordances(const models::economy& e, const std::filesystem::path& region_map,
                                                 const std::filesystem::path& sector_map);

}  // namespace integra::sim
