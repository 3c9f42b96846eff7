#include "sim/data/csv_table.hpp"

#include <cerrno>
#include <cstring>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::sim {
namespace {

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
    if (quoted) throw invalid_input(where() + ": unterminated quoted field");
    return fields;
}

}  // namespace

csv_table csv_table::read(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw invalid_input(cat(path.string(), ": cannot open file (", std::strerror(errno), ")"));
    csv_table t;
    t.path_ = path;
    std::string line;
    std::size_t line_number = 0;
    while (std::getline(in, line)) {
        ++line_number;
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
            throw invalid_input(cat(where(), ": expected ", t.header_.size(), " fields (", t.header_.size() - 1,
                                    " commas) as in the header, got ", fields.size()));
        t.rows_.push_back(std::move(fields));
        t.line_of_row_.push_back(line_number);
    }
    if (t.header_.empty()) throw invalid_input(path.string() + ": empty file, expected a header row");
    return t;
}

std::size_t csv_table::column(const std::string& name) const {
    for (std::size_t i = 0; i < header_.size(); ++i)
        if (header_[i] == name) return i;
    std::string have;
    for (const auto& h : header_) have += (have.empty() ? "" : ",") + h;
    throw invalid_input(cat(path_.string(), ":1: missing column '", name, "' (header is '", have, "')"));
}

double csv_table::number(std::size_t row, std::size_t col, issues& out) const {
    const std::string& text = rows_[row][col];
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v)) {
        out.add(where(row, col), cat("expected a finite number, got '", text, "'"));
        return 0.0;
    }
    return v;
}

std::string csv_table::where(std::size_t row) const { return cat(path_.string(), ":", line_of_row_[row]); }

std::string csv_table::where(std::size_t row, std::size_t col) const {
    return cat(where(row), ": column '", header_[col], "'");
}

}  // namespace integra::sim
