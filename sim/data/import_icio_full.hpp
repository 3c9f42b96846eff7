// Reading an OECD Inter-Country Input-Output (ICIO) CSV file with its origin detail into a
// models::full_mrio, for `integra io accounts --format icio` (docs/io-accounting.md,
// "Importing a full MRIO and computing its accounts"). Unlike import_icio (which builds the
// economy of the trade equilibrium and folds origin away), every cell is kept.
//
// Layout (the 2021 edition, ICIO2021_YYYY.csv, and the 2023 and 2025 editions, YYYY.csv and
// YYYY_SML.csv; the same as import_icio.hpp describes): the header row holds the column
// labels after one row-label cell ("V1" in 2021, empty later); rows and columns of the
// intermediate block are `<REGION>_<SECTOR>` (`ARG_D01T03` in 2021, `ARG_01T02` in 2023,
// `ARG_A01_02` in 2025: the region is the part before the first underscore, the sector the
// rest); final-demand columns `<REGION>_{HFCE,NPISH,GGFC,GFCF,INVNT,DPABR}`; an optional
// column `OUT` (or `TOTAL`); rows `TLS` (or `TAXSUB`), `VA` (or `VALU`) and `OUT` (or
// `OUTPUT`) close the table. Split regions MX1, MX2, ... are merged into MEX and CN1, CN2,
// ... into CHN, on both sides (origin rows and using columns, and final demand).
//
// What is kept: Z((i,s),(n,j)) for every cell; final demand by origin, destination region
// and the six categories (negative entries, inventory draw-downs in INVNT, as given); gross
// output x = the OUT row; value added as given = TLS + VA, with both rows kept in the
// extension "factor_inputs" (their final-demand cells, TLS on final products, as its F_Y).
// Checked within options.tolerance: each row's sales against OUT, the OUT column (if any)
// against the OUT row, and each column's inputs + TLS + VA against OUT (inconsistent_input,
// file:line, label, both values). Invalid (invalid_input, file:line): an unknown row or
// column label, a missing row or column, a malformed number, a negative intermediate flow,
// negative gross output. Negative value added is accepted with a warning.
#pragma once

#include <filesystem>

#include "sim/data/import_full_mrio.hpp"
#include "sim/data/wide_mrio.hpp"

namespace integra::sim {

[[nodiscard]] full_mrio_import read_icio_full(const std::filesystem::path& file, const table_file_options& options = {});

}  // namespace integra::sim
