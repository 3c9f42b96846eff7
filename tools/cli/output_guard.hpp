// Default output names, and the rule that a run never replaces a result silently
// (docs/output.md, "Which file a run writes"):
//   - without -o, a run writes results/<name>.h5, and with --set results/<name>.set-<tag>.h5,
//     <tag> the first 8 hex digits of a hash of its overrides (a sweep: .sweep.h5, with
//     --set or --vary .set-<tag>.sweep.h5);
//   - if that file exists and holds a result of a different effective scenario (the
//     `scenario` attribute; for a sweep also `sweep_design`), or is not a readable Integra
//     result, the run refuses before it starts (exit 2) unless --force;
//   - an explicit -o replaces whatever result is there (the user named it);
//   - the last message says what was done: "wrote F", "replaced F (same scenario)" or
//     "replaced F (it held a different scenario)".
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace integra::cli {

/// "" when there are no overrides; else "set-" and 8 hex digits of an FNV-1a hash of the
/// overrides made canonical: "key=value" split at the first '=', both trimmed, the last
/// value of a key kept, sorted by key (so the order of --set options does not matter);
/// `varies` (a sweep's --vary) are hashed after them, marked as such.
[[nodiscard]] std::string variant_tag(const std::vector<std::string>& sets, const std::vector<std::string>& varies = {});

/// "results/<stem>[.<tag>]<suffix>", e.g. ("celac", "set-1a2b3c4d", ".sweep.h5").
[[nodiscard]] std::filesystem::path default_output(const std::string& stem, const std::string& tag, const std::string& suffix);

/// What is at an output path before a run, compared with what the run will write.
struct existing_output {
    enum class state { absent, same, different, unreadable } what = state::absent;
    std::string made;        ///< "2026-11-29T12:00:00Z by `integra run s.toml`", when known
    std::string difference;  ///< the first line that differs, for a different scenario
};

/// Reads the attributes of `target` (not its values) and compares each (name, expected
/// text) of `identity` with the file's attribute of that name.
[[nodiscard]] existing_output inspect_output(const std::filesystem::path& target,
                                             const std::vector<std::pair<std::string, std::string>>& identity);

/// For a default output path: throws invalid_input (exit 2) naming the file, what it holds
/// and how to proceed (-o NEW.h5 or --force) when it holds a different or unreadable result.
void refuse_to_replace(const std::filesystem::path& target, const existing_output& existing);

/// "wrote F", "replaced F (same scenario)", "replaced F (it held a different scenario)", ...
[[nodiscard]] std::string what_was_done(const std::filesystem::path& target, const existing_output& existing);

}  // namespace integra::cli
