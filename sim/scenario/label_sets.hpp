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

/// Sorted indices into `labels` that `set` selects. Labels match exactly; group names
/// match whatever their case ("mercosur" is MERCOSUR: a dataset's groups never differ only
/// in case). Unknown names and empty selections are reported at set.at with the key, a
/// suggestion (suggestion()) and the labels and groups there are. `names` are the labels'
/// long names (e.g. "Brazil" for BRA; may be empty); `what` is "region" or "sector".
[[nodiscard]] std::vector<std::size_t> resolve(const label_set& set, const std::vector<std::string>& labels,
                                               const named_groups& groups, const std::string& what, issues& out,
                                               const std::vector<std::string>& names = {});

/// " (did you mean BRA?)" for the label, group or "all" closest to `term` (edit distance,
/// ignoring case: at most 1 for terms of up to 4 characters, else 2; ties go to the label
/// whose long name holds the term's letters in order, "BRZ" -> BRA for Brazil), also when
/// `term` is a long name ("Brazil" -> " (did you mean BRA (Brazil)?)"); an empty string
/// when nothing is close.
[[nodiscard]] std::string suggestion(const std::string& term, const std::vector<std::string>& labels,
                                     const std::vector<std::string>& names, const std::vector<std::string>& groups = {});

}  // namespace integra::sim
