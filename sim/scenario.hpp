// Scenario files: TOML, parsed once and strictly into a typed scenario_spec.
//
// Every problem is collected and reported together, each naming file:line:col, the key,
// the value and what was expected. A scenario may `extends = "base.toml"` (a path relative
// to the file); `--set key=value` overrides are applied to the merged document and go
// through the same validation. The effective document (after extends and overrides) is
// kept as text: `integra check --print` shows it and every result file stores it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "models/issues.hpp"
#include "sim/data/dataset.hpp"

namespace integra::sim {

/// Where a value came from: "scenarios/x.toml:12:5", or "--set key=value".
struct source_position {
    std::string file;
    int line = 0;
    int column = 0;
    [[nodiscard]] std::string str() const;
};

/// A region set as written: a region label, a group name, or an expression of them with
/// + (union) and - (difference), e.g. "CELAC - VEN" or "north + south". "all" is every region.
struct region_set {
    std::string expression = "all";
    std::string key;  ///< the scenario key it was read from, for messages
    source_position at;
};

/// A relative change of final demand, phased in linearly from `start_year` over
/// `phase_in_years` years (0: a step). Final demand of the buying regions for goods of
/// `sector` from the origin regions is multiplied by 1 + change once fully phased in.
struct final_demand_shock {
    region_set buyers;
    region_set origins;
    std::string sector = "all";
    source_position sector_at;
    double change = 0.0;  ///< fraction, > -1 (0.10 = +10%)
    int start_year = 0;
    source_position start_year_at;
    int phase_in_years = 0;  ///< >= 0
};

struct scenario_spec {
    std::filesystem::path file;  ///< the file given on the command line
    std::string name;            ///< output name; defaults to the file's stem
    std::string description;
    std::string dataset;  ///< embedded dataset name or folder path
    source_position dataset_at;
    std::optional<int> first_year;  ///< default: the dataset's base year
    std::optional<int> last_year;   ///< default: first_year + 10
    source_position years_at;
    double final_demand_growth = 0.0;  ///< baseline growth of all final demand, fraction per year
    std::vector<final_demand_shock> final_demand_shocks;
    std::string effective_toml;  ///< the document after extends and overrides
};

/// Reads `file` (following `extends`) and applies `overrides` ("key=value", dotted keys,
/// array elements by index: "final_demand_shock.0.change=0.2"). Appends every problem with
/// a value to `out`; throws invalid_input only when the document cannot be read at all
/// (missing file, TOML syntax error, a cycle of `extends`).
[[nodiscard]] scenario_spec read_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                                          issues& out);

struct loaded_scenario {
    scenario_spec spec;
    dataset data;
};

/// Reads a scenario, loads its dataset and checks the one against the other; throws
/// invalid_input listing every problem of the file, the overrides and the names together.
[[nodiscard]] loaded_scenario load_scenario(const std::filesystem::path& file,
                                            const std::vector<std::string>& overrides = {});

/// Checks the parts of a scenario that depend on the dataset: region, group and sector
/// names, and years against the base year. Appends every problem to `out`.
void check_against_dataset(const scenario_spec& spec, const dataset& data, issues& out);

/// Resolves a region set to sorted region indices, or adds an issue at `set.at`.
[[nodiscard]] std::vector<std::size_t> resolve_regions(const region_set& set, const dataset& data, issues& out);

/// The first and last year a scenario runs on this dataset.
[[nodiscard]] std::pair<int, int> horizon(const scenario_spec& spec, const dataset& data);

}  // namespace integra::sim
