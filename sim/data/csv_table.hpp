// A tidy CSV file read into memory, strictly: a header row, then rows with as many fields
// as the header; every error names file:line and the column. Fields are plain (no quotes
// needed for Integra's data; a quoted field may contain commas). CRLF line ends and a
// UTF-8 byte-order mark are accepted. Only regular files are read, and at most
// csv_table::max_file_bytes of them (docs/dataset-format.md, "Limits").
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/issues.hpp"

namespace integra::sim {

/// A problem that makes a whole file unreadable (syntax, header, size, type of file):
/// an invalid_input whose location and message are also kept apart, so that a loader can
/// list it among other problems.
struct csv_error : invalid_input {
    csv_error(std::string where_, std::string message_)
        : invalid_input(where_ + ": " + message_), where(std::move(where_)), message(std::move(message_)) {}
    std::string where, message;
};

class csv_table {
public:
    /// Largest file read: 1 GiB. Larger files are refused before reading.
    static constexpr std::uintmax_t max_file_bytes = std::uintmax_t{1} << 30;

    /// Reads `path`; throws csv_error naming the file and line on any syntax problem, and
    /// refuses what is not a regular file (directory, device, FIFO) or is larger than
    /// max_file_bytes.
    static csv_table read(const std::filesystem::path& path);
    /// As read(path), and the header must be exactly `columns` (each once, any order);
    /// throws csv_error naming the extra, missing or repeated column.
    static csv_table read(const std::filesystem::path& path, const std::vector<std::string>& columns);

    /// Throws csv_error unless `path` is a regular file of at most max_file_bytes.
    static void check_readable(const std::filesystem::path& path);

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::size_t n_rows() const { return rows_.size(); }
    [[nodiscard]] const std::vector<std::string>& header() const { return header_; }
    /// Column index of `name`; throws invalid_input listing the header if it is absent.
    [[nodiscard]] std::size_t column(const std::string& name) const;
    [[nodiscard]] const std::string& field(std::size_t row, std::size_t column) const { return rows_[row][column]; }
    /// The field as a finite number; adds an issue "file:line: column 'c': ..." otherwise.
    [[nodiscard]] double number(std::size_t row, std::size_t column, issues& out) const;
    /// The field as a whole number (optional sign and decimal digits only) in [low, high];
    /// adds an issue naming the range and returns nullopt otherwise.
    [[nodiscard]] std::optional<long long> integer(std::size_t row, std::size_t column, long long low, long long high,
                                                   issues& out) const;
    /// "file:line" of a data row, for messages.
    [[nodiscard]] std::string where(std::size_t row) const;
    [[nodiscard]] std::string where(std::size_t row, std::size_t column) const;
    /// Line number of a data row in the file (the header is line 1, if nothing precedes it).
    [[nodiscard]] std::size_t line(std::size_t row) const { return line_of_row_[row]; }

private:
    std::filesystem::path path_;
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
    std::vector<std::size_t> line_of_row_;
};

/// `text` as a message may quote it: control and non-ASCII bytes escaped (\xNN), at most
/// `max_chars` characters, then "...".
[[nodiscard]] std::string quoted_text(const std::string& text, std::size_t max_chars = 40);

}  // namespace integra::sim
