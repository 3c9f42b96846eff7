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
    /// The folder of each extension (parallel to mrio.extensions; pymrio layouts).
    std::vector<std::string> extension_folders;
    /// The F file each extension was read from (parallel to mrio.extensions; pymrio layouts).
    std::vector<std::string> extension_files;
    /// The line of each stressor row in its F file (parallel to extension_files).
    std::vector<std::vector<std::size_t>> extension_lines;
};

namespace mrio_text {
class text_source;
}

/// The pymrio text layout read from a folder on disk or in a zip archive (EXIOBASE 3 is
/// distributed in it): file_parameters.json, Z (or, with `coefficients_allowed`, A and x:
/// Z = A diag(x), with x = (I - A)^-1 Y 1 when x is not listed), Y, x, unit and one
/// subfolder per extension. Value added: an extension named factor_inputs, as
/// read_pymrio_folder. Returns before models::validate and the
/// value-added warnings, which the callers add.
[[nodiscard]] full_mrio_import read_pymrio_system(const mrio_text::text_source& src, const std::string& source,
                                                  bool coefficients_allowed);

/// Reads a pymrio text folder. An extension whose name (or folder) is "factor_inputs"
/// (case and spaces ignored) gives the value added as its column sums, kept as given.
[[nodiscard]] full_mrio_import read_pymrio_folder(const std::filesystem::path& folder);

/// Reads intermediate.csv and final_demand.csv from `folder`; `unit` is the currency unit
/// of the values, recorded as given. Regions and sectors are ordered by first appearance;
/// absent cells are zero; a cell given twice is an error.
[[nodiscard]] full_mrio_import read_long_mrio(const std::filesystem::path& folder, const std::string& unit);

}  // namespace integra::sim
