#include "sim/data/csv_table.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "core/text.hpp"

namespace integra::sim {
namespace {

namespace fs = std::filesystem;

// `where` builds "file:line" for a message; only an error pays for it.
template <class Where>
std::vector<std::string> split_fields(const std::string& line, const Where& where) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    if (quoted) throw csv_error(where(), "unterminated quoted field");
    return fields;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
    return out;
}

}  // namespace

std::string quoted_text(const std::string& text, std::size_t max_chars) {
    std::string out;
    std::size_t shown = 0;
    for (const char ch : text) {
        if (shown == max_chars) return out + "...";
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f) {
            static const char* hex = "0123456789ABCDEF";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += ch;
        }
        ++shown;
    }
    return out;
}

void csv_table::check_readable(const fs::path& path) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (!fs::exists(status)) throw csv_error(path.string(), "no such file");
    if (ec) throw csv_error(path.string(), cat("cannot open file (", ec.message(), ")"));
    if (fs::is_directory(status)) throw csv_error(path.string(), "is a directory, expected a regular file");
    if (!fs::is_regular_file(status))
        throw csv_error(path.string(), "is not a regular file (a device, FIFO or socket), expected a regular file");
    const auto size = fs::file_size(path, ec);
    if (ec) throw csv_error(path.string(), cat("cannot read file size (", ec.message(), ")"));
    if (size > max_file_bytes)
        throw csv_error(path.string(), cat("file is ", size, " bytes, larger than the limit of ", max_file_bytes, " bytes (1 GiB)"));
}

csv_table csv_table::read(const fs::path& path) {
    check_readable(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw csv_error(path.string(), cat("cannot open file (", std::strerror(errno), ")"));
    csv_table t;
    t.path_ = path;
    std::string line;
    std::size_t line_number = 0;
    std::uintmax_t bytes = 0;
    while (std::getline(in, line)) {
        ++line_number;
        bytes += line.size() + 1;
        if (bytes > max_file_bytes + 1)
            throw csv_error(path.string(), cat("file grew beyond the limit of ", max_file_bytes, " bytes (1 GiB) while being read"));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line_number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        if (line.empty()) continue;
        const auto where = [&] { return cat(path.string(), ":", line_number); };
        auto fields = split_fields(line, where);
        if (t.header_.empty()) {
            t.header_ = std::move(fields);
            continue;
        }
        if (fields.size() != t.header_.size())
            throw csv_error(where(), cat("expected ", t.header_.size(), " fields (", t.header_.size() - 1,
                                         " commas) as in the header, got ", fields.size()));
        t.rows_.push_back(std::move(fields));
        t.line_of_row_.push_back(line_number);
    }
    if (t.header_.empty()) throw csv_error(path.string(), "empty file, expected a header row");
    return t;
}

csv_table csv_table::read(const fs::path& path, const std::vector<std::string>& columns) {
    csv_table t = read(path);
    std::string problem;
    const auto note = [&](const std::string& text) { problem += (problem.empty() ? "" : ", ") + text; };
    for (std::size_t i = 0; i < t.header_.size(); ++i) {
        const std::string& h = t.header_[i];
        if (std::find(columns.begin(), columns.end(), h) == columns.end())
            note(cat("extra column '", quoted_text(h), "' (column ", i + 1, ")"));
        else if (std::find(t.header_.begin(), t.header_.begin() + static_cast<std::ptrdiff_t>(i), h) !=
                 t.header_.begin() + static_cast<std::ptrdiff_t>(i))
            note(cat("repeated column '", h, "' (column ", i + 1, ")"));
    }
    for (const auto& c : columns)
        if (std::find(t.header_.begin(), t.header_.end(), c) == t.header_.end()) note(cat("missing column '", c, "'"));
    if (!problem.empty())
        throw csv_error(cat(path.string(), ":1"),
                        cat(problem, "; expected the header '", join(columns), "', got '", quoted_text(join(t.header_), 120), "'"));
    return t;
}

std::size_t csv_table::column(const std::string& name) const {
    for (std::size_t i = 0; i < header_.size(); ++i)
        if (header_[i] == name) return i;
    throw csv_error(cat(path_.string(), ":1"),
                    cat("missing column '", name, "' (header is '", quoted_text(join(header_), 120), "')"));
}

double csv_table::number(std::size_t row, std::size_t col, issues& out) const {
    const std::string& text = rows_[row][col];
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v)) {
        out.add(where(row, col), cat("expected a finite number, got '", quoted_text(text), "'"));
        return 0.0;
    }
    return v;
}

std::optional<long long> csv_table::integer(std::size_t row, std::size_t col, long long low, long long high,
                                            issues& out) const {
    const std::string& text = rows_[row][col];
    const std::size_t digits_from = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
    const bool digits = text.size() > digits_from && text.size() - digits_from <= 18 &&
                        std::all_of(text.begin() + static_cast<std::ptrdiff_t>(digits_from), text.end(),
                                    [](char c) { return c >= '0' && c <= '9'; });
    const long long v = digits ? std::strtoll(text.c_str(), nullptr, 10) : 0;
    if (!digits || v < low || v > high) {
        out.add(where(row, col), cat("expected a whole number in ", low, "-", high, ", got '", quoted_text(text), "'"));
        return std::nullopt;
    }
    return v;
}

std::string csv_table::where(std::size_t row) const { return cat(path_.string(), ":", line_of_row_[row]); }

std::string csv_table::where(std::size_t row, std::size_t col) const {
    return cat(where(row), ": column '", header_[col], "'");
}

}  // namespace integra::sim
