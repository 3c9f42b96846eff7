// Readers of full MRIO tables that keep the origin detail (docs/io-accounting.md,
// "Importing a full MRIO and computing its accounts"):
//   - a folder saved by pymrio's IOSystem.save_all in its text format: file_parameters.json,
//     Z.txt, Y.txt, optional x.txt, unit.txt, and one subfolder per extension with its own
//     file_parameters.json, F.txt, optional F_Y.txt and unit.txt (tab-separated, multi-index
//     headers as pandas writes them);
//   - a folder of long CSV files: intermediate.csv (origin_region,origin_sector,region,
//     sector,value) and final_demand.csv (origin_region,origin_sector,region,category,value).
// Problems are collected and reported together, each with file:line and the value: syntax
// and bad values throw invalid_input, labels that differ between files inconsistent_input.
// Negative value added in a cell is accepted and returned as a warning.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/issues.hpp"
#include "models/full_mrio.hpp"

namespace integra::sim {

struct full_mrio_import {
    models::full_mrio mrio;
    std::vector<issue> warnings;  ///< e.g. negative value added in a cell
    std::string source;           ///< "pymrio folder DIR" or "long CSV folder DIR"
};

/// Reads a pymrio text folder. An extension whose name (or folder) is "factor_inputs"
/// (case and spaces ignored) gives the value added as its column sums, kept as given.
[[nodiscard]] full_mrio_import read_pymrio_folder(const std::filesystem::path& folder);

/// Reads intermediate.csv and final_demand.csv from `folder`; `unit` is the currency unit
/// of the values, recorded as given. Regions and sectors are ordered by first appearance;
/// absent cells are zero; a cell given twice is an error.
[[nodiscard]] full_mrio_import read_long_mrio(const std::filesystem::path& folder, const std::string& unit);

}  // namespace integra::sim
