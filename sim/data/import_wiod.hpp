// Reading the WIOD 2016 release's world input-output table (WIOTyyyy_Nov16_ROW.xlsx, one
// sheet) saved as CSV, with its origin detail, into a models::full_mrio, for
// `integra io accounts --format wiod` (docs/io-accounting.md, "Importing a full MRIO and
// computing its accounts"). The xlsx itself is not read (it would need a zip and an XML
// reader): save the sheet as CSV first, e.g. with LibreOffice (docs give the command).
//
// Layout of the sheet (Timmer et al. 2015; the WIOD 2016 release, 43 countries + ROW x 56
// industries): a few title lines in the first column; then four header rows above the
// first data row, in this order: industry codes (A01 ... U, then the final-demand codes
// CONS_h, CONS_np, CONS_g, GFCF, INVEN, then GO), descriptions, country codes (TOT for GO),
// column numbers (c1 ... c56 for industries, c57 ... c61 for final demand); four label
// columns (code, description, country, row number r1 ... r56) before the values. Data rows:
// one per country and industry; then the rows II_fob (total intermediate consumption),
// TXSP (taxes less subsidies on products), EXP_adj (cif/fob adjustments on exports), PURR
// (direct purchases abroad by residents), PURNR (purchases on the domestic territory by
// non-residents), VA (value added at basic prices), IntTTM (international transport
// margins; IntTTL accepted as an alias), GO (output at basic prices); their country cell is
// TOT.
//
// What is kept: Z and final demand by origin, destination and the five categories, as given
// (negative INVEN entries too); gross output x = the GO row; value added as given = the VA
// row; TXSP, EXP_adj, PURR, PURNR, VA and IntTTM in the extension "factor_inputs" (with
// their final-demand cells as F_Y), so that the balancing gap x - 1'Z - VA is their sum.
// II_fob is checked against the column sums of Z and then dropped. Checks and errors as for
// read_icio_full (import_icio_full.hpp).
#pragma once

#include <filesystem>

#include "sim/data/import_full_mrio.hpp"
#include "sim/data/wide_mrio.hpp"

namespace integra::sim {

[[nodiscard]] full_mrio_import read_wiod(const std::filesystem::path& file, const table_file_options& options = {});

}  // namespace integra::sim
