// The text machinery the full-MRIO readers share (pymrio folders, EXIOBASE 3, Eora26):
// where the files come from (a folder or a folder inside a zip archive), tab-separated
// tables with multi-index labels as pandas writes them, pymrio's file_parameters.json, and
// the label checks that name file:line. Internal to sim/data; not a public reader.
#pragma once

#include <Eigen/Dense>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/issues.hpp"
#include "models/full_mrio.hpp"
#include "sim/data/zip_archive.hpp"

namespace integra::sim::mrio_text {

using label = std::vector<std::string>;  ///< one multi-index label, e.g. {"REG1", "food"}

/// The tab-separated fields of a line (an empty line gives one empty field).
[[nodiscard]] std::vector<std::string> split_tabs(const std::string& line);

/// "(REG1, food)".
[[nodiscard]] std::string show(const label& l);

/// A folder of text files, on disk or inside a zip archive. `rel` paths are '/'-separated
/// and relative to the folder; shown() is what messages print: "DIR/rel" on disk,
/// "ARCHIVE.zip:PREFIX/rel" in an archive.
class text_source {
public:
    [[nodiscard]] static text_source folder(const std::filesystem::path& dir);
    /// The folder `prefix` ("" for the archive's root, else ending in '/') of an archive.
    [[nodiscard]] static text_source zip(std::shared_ptr<const zip_archive> archive, std::string prefix);

    [[nodiscard]] bool has(const std::string& rel) const;
    /// Throws invalid_input "shown(rel): missing" when absent.
    [[nodiscard]] std::unique_ptr<std::istream> open(const std::string& rel) const;
    [[nodiscard]] std::string read(const std::string& rel) const;
    [[nodiscard]] std::string shown(const std::string& rel) const;
    /// Names of the direct subfolders, sorted.
    [[nodiscard]] std::vector<std::string> subfolders() const;
    [[nodiscard]] text_source sub(const std::string& name) const;
    [[nodiscard]] bool in_archive() const { return archive_ != nullptr; }

private:
    std::filesystem::path dir_;
    std::shared_ptr<const zip_archive> archive_;
    std::string prefix_;
};

/// A tab-separated table as pandas' DataFrame.to_csv(sep="\t") writes it: nr_header header
/// rows, each with nr_index_col label cells (the level name in the first) and one column
/// label part per column; with a multi-level header, a row of index names whose value
/// cells are empty may follow (skipped); then one row per index label. Without a header
/// (n_header 0, Eora), every row is data.
struct tsv_table {
    std::string file;                             ///< shown name, for messages
    std::vector<label> columns;                   ///< column labels (n_header parts each)
    std::vector<label> rows;                      ///< row labels (n_index parts each)
    std::vector<std::size_t> lines;               ///< line of each row
    std::vector<std::size_t> header_lines;        ///< line of each header row (after blank or BOM-only lines, not 1, 2, ...)
    std::vector<std::vector<std::string>> cells;  ///< raw value cells (text tables only)
    Eigen::MatrixXd values;                       ///< rows x columns numbers (numeric tables only; values_of moves them out)
    bool numeric = false;
    /// The line of header row `level` (1 when there is none, as for headerless tables).
    [[nodiscard]] std::size_t header_line(std::size_t level) const {
        return header_lines.empty() ? 1 : header_lines[std::min(level, header_lines.size() - 1)];
    }
};

/// Reads `rel` from `src`. With `numbers`, the value cells are parsed as they are read
/// (memory: 8 bytes a cell, not a string) and malformed ones are added to *numbers as
/// "file:line: row (...), column (...): malformed number 'x' (...)"; without, kept as text.
/// Syntax errors (ragged rows, missing header) throw invalid_input with file:line.
/// With `numbers`, `expected_rows` (when known; square_rows: as many as the columns) sizes
/// the matrix once, so that a 9,800 x 9,800 A takes its 768 MB once, not a growing vector
/// and a copy; a wrong guess only costs a resize.
inline constexpr std::size_t square_rows = static_cast<std::size_t>(-1);
[[nodiscard]] tsv_table read_tsv(const text_source& src, const std::string& rel, std::size_t n_index, std::size_t n_header,
                                 issues* numbers = nullptr, std::size_t expected_rows = 0);

/// The rows x columns matrix of a table's values: a numeric table's matrix, moved out of
/// `t` (which keeps its labels and lines), or its text cells parsed (malformed into `bad`).
[[nodiscard]] Eigen::MatrixXd values_of(tsv_table& t, issues& bad);

/// The value of a field (parse_mrio_number, sim/data/mrio_number.hpp), or nullopt with an
/// issue "where: malformed number '...'" or "where: number '...' is out of the range of a double".
[[nodiscard]] std::optional<double> parse_number(const std::string& text, const std::string& where, issues& bad);

/// One table of a pymrio file_parameters.json.
struct file_entry {
    std::string name;
    std::size_t n_index = 1, n_header = 1;
};
struct folder_parameters {
    std::string system_type, name;
    std::map<std::string, file_entry> files;
};
/// Reads src's file_parameters.json (a minimal JSON reader of objects of strings).
[[nodiscard]] folder_parameters read_parameters(const text_source& src);
/// The top-level string (or bare) values of a JSON object file, e.g. metadata.json.
[[nodiscard]] std::map<std::string, std::string> read_json_strings(const text_source& src, const std::string& rel);
/// The first of `keys` that the parameters list, or nullptr.
[[nodiscard]] const file_entry* find_file(const folder_parameters& p, std::initializer_list<const char*> keys);

/// Regions and second-level labels of a region-major grid of (region, x) labels: the
/// regions in order of first appearance, the x of the first region; every label must
/// follow the grid, else an issue at where(i) of the first label i that shows the problem.
void grid_of(const std::vector<label>& labels, const std::string& where_kind, const std::function<std::string(std::size_t)>& where,
             std::vector<std::string>& regions, std::vector<std::string>& seconds, issues& bad);

/// Labels (rows, or columns) of `t` that must equal `expected`: the first difference, at
/// the line of `t` that holds it.
void same_labels(const tsv_table& t, bool columns, const std::vector<label>& expected, const std::string& reference,
                 issues& inconsistent);

/// Lower case, spaces to '_': "Factor Inputs" -> "factor_inputs".
[[nodiscard]] std::string normalised(std::string s);

/// Whether a factor-input row is a tax on products, not value added at basic prices:
/// "Taxes less subsidies on products..." (EXIOBASE, pymrio), "TLS", "TAXSUB" (ICIO), "TXSP"
/// (WIOD); case and spaces ignored.
[[nodiscard]] bool is_tax_on_products(const std::string& row);

/// Negative value added cells as warnings "what[REG/sector]: negative value added ...".
void warn_negative_value_added(const models::full_mrio& m, const std::string& what, std::vector<issue>& warnings);
/// The same at where(j) of region-sector j, the message ending "(note; accepted)".
void warn_negative_value_added(const models::full_mrio& m, const std::function<std::string(std::size_t)>& where,
                               const std::string& note, std::vector<issue>& warnings);

/// Gross output must be >= 0: an issue at where(i) naming the value and the region-sector.
void check_gross_output(const models::mrio_table& t, const std::function<std::string(std::size_t)>& where, issues& bad);

}  // namespace integra::sim::mrio_text
