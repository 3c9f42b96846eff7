// Sets of regions or sectors as scenario files write them: a label, a group name, "all",
// or an expression combining them left to right with + (union) and - (difference), such
// as "CELAC - VEN", "MERCOSUR + CHL" or "all - services".
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "core/issues.hpp"
#include "sim/scenario/toml_reader.hpp"

namespace integra::sim {

struct label_set {
    std::string expression = "all";
    std::string key;  ///< the scenario key it was read from, for messages
    source_position at;
};

using named_groups = std::map<std::string, std::vector<std::string>>;

/// Sorted indices into `labels` that `set` selects. Unknown names and empty selections
/// are reported at set.at with the key, listing the labels and groups there are.
/// `what` is "region" or "sector" (for messages).
[[nodiscard]] std::vector<std::size_t> resolve(const label_set& set, const std::vector<std::string>& labels,
                                               const named_groups& groups, const std::string& what, issues& out);

}  // namespace integra::sim
