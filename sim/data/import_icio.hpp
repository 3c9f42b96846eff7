// Importing an OECD Inter-Country Input-Output (ICIO) table, CSV layout of the 2021 and
// 2023 editions, into an economy (docs/importers.md).
//
// Layout: the first column holds row labels, the header row column labels. Intermediate
// rows and columns are `<REGION>_<SECTOR>` (`ARG_D01T03`, `ARG_01T03`, `ARG_A01_02`: the
// region is the part before the first underscore). Final-demand columns are
// `<REGION>_{HFCE,NPISH,GGFC,GFCF,INVNT,DPABR}`; rows `TLS` (taxes less subsidies), `VA`
// and `OUT` (output) close the columns; a column `OUT` (or `TOTAL`) is optional. Split
// regions `MX1, MX2, ...` are merged into `MEX` and `CN1, CN2, ...` into `CHN` (a `MEX` or
// `CHN` row or column present as well is added in). Values are million USD.
//
// Conversion (Caliendo & Parro 2015 notation; Z intermediate, F final demand):
//   F((i,s),n)   = sum over n's six final-demand columns; a negative net entry (inventory
//                  draw-downs) is set to 0 and logged in adjustments.csv
//   Y(i,s)       = sum_(n,j) Z((i,s),(n,j)) + sum_n F((i,s),n)              (sales)
//   VA(n,j)      = Y(n,j) - sum_(i,k) Z((i,k),(n,j)); this is the table's VA plus TLS on
//                  intermediates (checked within the tolerance). If inputs exceed output,
//                  the column's inputs are scaled down to Y and the excess is booked as
//                  final demand of region n (logged), so sales are unchanged
//   gamma^{k,j}_n = sum_i Z((i,k),(n,j)) / Y(n,j)
//   trade[s](i,n) = sum_j Z((i,s),(n,j)) + F((i,s),n), domestic on the diagonal
//   alpha(n,s)   = sum_i F((i,s),n) / sum_(i,s) F((i,s),n);  tariffs 0;  D = imports - exports
// TLS on final products is not part of the basic-price flows and is dropped (its total is
// written to the manifest).
#pragma once

#include <filesystem>
#include <string>

#include "sim/data/dataset_writer.hpp"

namespace integra::sim {

struct import_options {
    std::string name;               ///< dataset name; empty: the output folder's name
    std::string title;              ///< empty: a generated one
    int year = 0;                   ///< base year; 0: the last 4-digit number in the file name
    double trade_elasticity = 5.0;  ///< theta for every sector (ICIO has none): an assumption
    /// Balance tolerance, relative to the row's or column's output (absolute floor: 1 unit).
    double tolerance = 1e-3;
    std::filesystem::path region_map;  ///< optional `from,to` concordance
    std::filesystem::path sector_map;  ///< optional `from,to` concordance
    std::string command_line;          ///< written to the manifest as `builder`
};

/// Reads, converts, aggregates and validates an ICIO CSV file. Throws invalid_input
/// (unreadable or malformed file, unknown label, missing row or column block, bad number:
/// file:line and label) or inconsistent_input (negative flow, a row or column whose output
/// differs from its sum by more than the tolerance: by how much).
[[nodiscard]] imported_dataset import_icio(const std::filesystem::path& file, const import_options& options);

}  // namespace integra::sim
