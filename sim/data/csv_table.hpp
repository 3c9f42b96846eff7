// A tidy CSV file read into memory, strictly: a header row, then rows with as many fields
// as the header; every error names file:line and the column. Fields are plain (no quotes
// needed for Integra's data; a quoted field may contain commas). CRLF line ends and a
// UTF-8 byte-order mark are accepted.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/issues.hpp"

namespace integra::sim {

class csv_table {
public:
    /// Reads `path`; throws invalid_input naming the file and line on any syntax problem.
    static csv_table read(const std::filesystem::path& path);

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::size_t n_rows() const { return rows_.size(); }
    /// Column index of `name`; throws invalid_input listing the header if it is absent.
    [[nodiscard]] std::size_t column(const std::string& name) const;
    [[nodiscard]] const std::string& field(std::size_t row, std::size_t column) const { return rows_[row][column]; }
    /// The field as a finite number; adds an issue "file:line: column 'c': ..." otherwise.
    [[nodiscard]] double number(std::size_t row, std::size_t column, issues& out) const;
    /// "file:line" of a data row, for messages.
    [[nodiscard]] std::string where(std::size_t row) const;
    [[nodiscard]] std::string where(std::size_t row, std::size_t column) const;

private:
    std::filesystem::path path_;
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
    std::vector<std::size_t> line_of_row_;
};

}  // namespace integra::sim
