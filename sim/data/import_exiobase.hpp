// Reader of EXIOBASE 3 (industry-by-industry "ixi" and product-by-product "pxp") as
// distributed: the zip archive (e.g. IOT_2022_ixi.zip, a top folder IOT_2022_ixi/ inside)
// or the unpacked folder. EXIOBASE 3 is saved in pymrio's text layout, which pymrio's
// parse_exiobase3 reads with its generic loader (docs/io-accounting.md, "EXIOBASE 3"):
// file_parameters.json, A.txt (and Z.txt in some releases), Y.txt, x.txt, unit.txt, and
// one folder per extension (satellite/, impacts/; in 3.9 air_emissions/, employment/,
// factor_inputs/, ...) with F.txt, F_Y.txt (F_hh.txt before 3.7), unit.txt.
#pragma once

#include <filesystem>

#include "sim/data/import_full_mrio.hpp"

namespace integra::sim {

/// Reads EXIOBASE 3 from `input`, a zip archive or a folder (the folder holding
/// file_parameters.json, or a folder whose only such subfolder is the system).
///   - Z: Z.txt if listed, else Z = A diag(x) from A.txt and x.txt (without x.txt, as in
///     pymrio's mock, x = (I - A)^-1 Y 1);
///   - units: unit.txt (one currency, e.g. "M.EUR"), each extension's unit.txt per stressor;
///   - value added as given: the rows of an extension named factor_inputs (3.9), else
///     the factor-input rows of the satellite extension (3.8 and earlier: stressors
///     starting with "Taxes less subsidies on products purchased", "Other net taxes on
///     production", "Compensation of employees" or "Operating surplus"), which must be in
///     the table's currency; else the balancing item x - 1'Z. The rows also stay in the
///     extension.
/// Region codes are kept as the files give them (pymrio renames the three-letter codes of
/// some 3.4 releases; this reader does not). Errors as read_pymrio_folder, naming the
/// archive and entry ("IOT_2022_ixi.zip:IOT_2022_ixi/Y.txt:7: ...").
[[nodiscard]] full_mrio_import read_exiobase3(const std::filesystem::path& input);

}  // namespace integra::sim
