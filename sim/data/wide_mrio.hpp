// What the readers of wide MRIO tables (one CSV file, one row and one column per
// region-sector, then final-demand columns and value-added rows: OECD ICIO, WIOD 2016)
// share: CSV line splitting, the ICIO split-region codes, and the last step that checks
// the blocks against the gross output the file gives and builds a models::full_mrio
// (docs/io-accounting.md, "Importing a full MRIO and computing its accounts").
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

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

/// Checks and assembles: every row's Z and Y sum against the gross-output row, the
/// gross-output column (if any) against it, and every column's inputs plus value-added rows
/// against it, each within `options.tolerance`, problems naming file:line, label and both
/// values (inconsistent_input); negative gross output (invalid_input). Builds the full_mrio
/// with x = the gross-output row, the value-added rows as extension "factor_inputs" (F and
/// F_Y, unit options.unit), value_added_given = the sum of value_added_rows; validates it;
/// warns of negative value added.
[[nodiscard]] full_mrio_import finish_wide_mrio(wide_mrio_parts parts, const table_file_options& options);

}  // namespace integra::sim
