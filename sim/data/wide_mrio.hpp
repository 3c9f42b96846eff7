// What the readers of wide MRIO tables (one CSV file, one row and one column per
// region-sector, then final-demand columns and value-added rows: OECD ICIO, WIOD 2016)
// share: CSV line splitting, the ICIO split-region codes, and the last step that checks
// the blocks against the gross output the file gives and builds a models::full_mrio
// (docs/io-accounting.md, "Importing a full MRIO and computing its accounts").
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/issues.hpp"
#include "sim/data/line_reader.hpp"

#include "sim/data/import_full_mrio.hpp"

namespace integra::sim {

/// Options of the single-file readers (ICIO, WIOD).
struct table_file_options {
    /// Currency unit of every value: neither ICIO nor the WIOD CSV names it in a cell the
    /// readers use; both document "million USD" (OECD ICIO: "USD million"; WIOD 2016:
    /// "millions of US$"). Recorded as given.
    std::string unit = "USD million";
    /// Balance tolerance, relative to the gross output of the row or column, with a floor
    /// of 1e-9 absolute: row sums against gross output, the gross-output column against
    /// the row, and each column's inputs plus value-added rows against its output.
    double tolerance = 1e-6;
};

/// MX1, MX2, ... -> MEX and CN1, CN2, ... -> CHN (OECD ICIO's split of Mexico and China
/// into processing and non-processing activity); any other code unchanged.
[[nodiscard]] std::string icio_merged_region(std::string_view code);

/// The six final-demand categories of OECD ICIO, in its column order.
inline constexpr std::array<std::string_view, 6> icio_final_demand_codes{"HFCE", "NPISH", "GGFC",
                                                                        "GFCF", "INVNT", "DPABR"};

enum class icio_column_kind { unknown, intermediate, final_demand, total };

/// One column of an ICIO table's header.
struct icio_column {
    std::string label;
    icio_column_kind kind = icio_column_kind::unknown;
    std::size_t target = 0;    ///< intermediate: region * S + sector; final demand: region
    std::size_t category = 0;  ///< final demand: index into icio_final_demand_codes
};

/// The header row of an ICIO CSV (the first line that is not empty), its columns classified,
/// with regions (split regions merged, icio_merged_region) and sectors in order of first
/// appearance. Field 0 labels the rows. Throws invalid_input for an empty file or a broken
/// quote; other problems (a duplicate label, a label that is neither <REGION>_<SECTOR>,
/// <REGION>_<CATEGORY> nor OUT/TOTAL, final demand of a region without intermediate
/// columns) are added to `problems` at `file:line: column N 'label'`; which blocks are
/// complete is for the caller to check.
struct icio_header {
    std::size_t line = 0;  ///< line number of the header row
    std::vector<icio_column> columns;
    std::vector<std::string> regions;
    std::vector<std::string> sectors;
    std::map<std::string, std::size_t> region_index;  ///< merged region -> index in regions
    std::map<std::string, std::size_t> sector_index;  ///< sector code -> index in sectors
    std::map<std::string, std::size_t> column_of_label;  ///< column label -> index in columns
};
[[nodiscard]] icio_header read_icio_header(line_reader& lines, const std::string& file, issues& problems);

/// Splits one CSV line into `fields` (reusing their storage; `count` of them used);
/// "..." quoting with "" escapes. Throws invalid_input at `where` for a broken quote.
void split_csv_line(const std::string& line, std::vector<std::string>& fields, std::size_t& count, const std::string& where);

// Value cells are parsed with parse_mrio_number (sim/data/mrio_number.hpp), as in every MRIO reader.

/// The blocks of a wide table as read, before the balance checks. n = R*S region-sectors,
/// region-major; C categories; K value-added rows (factor inputs).
struct wide_mrio_parts {
    std::string file;                       ///< as shown in messages
    std::string source;                     ///< full_mrio_import::source
    std::vector<std::string> regions, sectors, categories;
    Eigen::MatrixXd intermediate;           ///< Z (n x n)
    Eigen::MatrixXd final_demand;           ///< Y (n x R*C), column q*C + c
    std::vector<std::string> factor_names;  ///< the value-added rows, e.g. "TLS", "VA"
    std::vector<std::size_t> factor_lines;  ///< line of each
    Eigen::MatrixXd factors;                ///< (K x n) value-added rows in the intermediate columns
    Eigen::MatrixXd factors_final;          ///< (K x R) value-added rows in final-demand columns, by region
    std::vector<std::size_t> value_added_rows;  ///< indices into factor_names summed as the given value added
    std::string value_added_source;
    Eigen::VectorXd gross_output;           ///< the gross-output row (by column), as given
    std::string gross_output_row;           ///< its label, e.g. "OUT"
    std::size_t gross_output_line = 0;
    Eigen::VectorXd gross_output_column;    ///< the gross-output column (by row), size 0 if absent
    std::string gross_output_column_label;
    std::vector<std::size_t> row_lines;     ///< line of each intermediate row (the first, if merged)
    std::vector<std::string> row_labels;    ///< label of each row as written (e.g. "MX1_D01T03+MX2_D01T03")
    std::vector<std::string> column_labels; ///< label of each intermediate column as written
};

/// Parts sized for R regions x S sectors and C final-demand categories, every flow and the
/// gross-output row zero, the labels and per-row bookkeeping set; with
/// `gross_output_column_label` non-empty, a gross-output column of that label too. The
/// reader fills the flows and its value-added rows.
[[nodiscard]] wide_mrio_parts start_wide_mrio(std::string file, std::string source, std::vector<std::string> regions,
                                              std::vector<std::string> sectors, std::vector<std::string> categories,
                                              std::vector<std::string> column_labels, std::string gross_output_row,
                                              const std::string& gross_output_column_label);

/// Checks and assembles: every row's Z and Y sum against the gross-output row, the
/// gross-output column (if any) against it, and every column's inputs plus value-added rows
/// against it, each within `options.tolerance`, problems naming file:line, label and both
/// values (inconsistent_input); negative gross output (invalid_input). Builds the full_mrio
/// with x = the gross-output row, the value-added rows as extension "factor_inputs" (F and
/// F_Y, unit options.unit), value_added_given = the sum of value_added_rows; validates it;
/// warns of negative value added.
[[nodiscard]] full_mrio_import finish_wide_mrio(wide_mrio_parts parts, const table_file_options& options);

}  // namespace integra::sim
