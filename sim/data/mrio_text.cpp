// Shared text machinery of the full-MRIO readers (see mrio_text.hpp).
#include "sim/data/mrio_text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/csv_table.hpp"
#include "sim/data/line_reader.hpp"
#include "sim/data/mrio_number.hpp"

namespace integra::sim::mrio_text {
namespace {

namespace fs = std::filesystem;
using index_t = Eigen::Index;

// ---- file_parameters.json: a minimal reader of its objects of strings ------------------------
struct json_value {
    std::string text;                         // a string or a bare number/true/false/null
    std::map<std::string, json_value> object;
    bool is_object = false;
};

class json_reader {
public:
    json_reader(std::string text, std::string file) : s_(std::move(text)), file_(std::move(file)) {}
    static constexpr int max_depth = 64;  ///< nesting beyond it is an error, not a deep recursion
    json_value document() {
        json_value v = value(1);
        space();
        if (at_ != s_.size()) fail("unexpected text after the document");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        const auto line = 1 + std::count(s_.begin(), s_.begin() + static_cast<std::ptrdiff_t>(std::min(at_, s_.size())), '\n');
        throw invalid_input(cat(file_, ":", line, ": JSON syntax error: ", what));
    }
    void space() {
        while (at_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[at_]))) ++at_;
    }
    std::string string() {
        if (at_ >= s_.size() || s_[at_] != '"') fail("expected a string");
        ++at_;
        std::string out;
        while (at_ < s_.size() && s_[at_] != '"') {
            if (s_[at_] == '\\' && at_ + 1 < s_.size()) ++at_;
            out += s_[at_++];
        }
        if (at_ >= s_.size()) fail("unterminated string");
        ++at_;
        return out;
    }
    json_value value(int depth) {
        space();
        json_value v;
        if (at_ >= s_.size()) fail("unexpected end of file");
        if ((s_[at_] == '{' || s_[at_] == '[') && depth > max_depth)
            fail(cat("objects and arrays nested deeper than ", max_depth, " levels"));
        if (s_[at_] == '{') {
            v.is_object = true;
            ++at_;
            space();
            if (at_ < s_.size() && s_[at_] == '}') { ++at_; return v; }
            while (true) {
                space();
                std::string key = string();
                space();
                if (at_ >= s_.size() || s_[at_] != ':') fail("expected ':'");
                ++at_;
                v.object[key] = value(depth + 1);
                space();
                if (at_ < s_.size() && s_[at_] == ',') { ++at_; continue; }
                if (at_ < s_.size() && s_[at_] == '}') { ++at_; return v; }
                fail("expected ',' or '}'");
            }
        }
        if (s_[at_] == '"') { v.text = string(); return v; }
        if (s_[at_] == '[') {  // arrays are not used by the keys we read: parsed (strings and all) and dropped
            ++at_;
            space();
            if (at_ < s_.size() && s_[at_] == ']') { ++at_; return v; }
            while (true) {
                (void)value(depth + 1);
                space();
                if (at_ < s_.size() && s_[at_] == ',') { ++at_; continue; }
                if (at_ < s_.size() && s_[at_] == ']') { ++at_; return v; }
                fail("expected ',' or ']'");
            }
        }
        const auto from = at_;
        while (at_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[at_])) || s_[at_] == '.' || s_[at_] == '-' || s_[at_] == '+')) ++at_;
        if (from == at_) fail(cat("unexpected character '", s_[at_], "'"));
        v.text = s_.substr(from, at_ - from);
        return v;
    }
    std::string s_, file_;
    std::size_t at_ = 0;
};

}  // namespace

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (true) {
        const auto at = line.find('\t', from);
        out.push_back(line.substr(from, at == std::string::npos ? std::string::npos : at - from));
        if (at == std::string::npos) break;
        from = at + 1;
    }
    return out;
}

std::string show(const label& l) {
    std::string s = "(";
    for (std::size_t k = 0; k < l.size(); ++k) s += (k ? ", " : "") + l[k];
    return s + ")";
}

// The value of a field, or nullopt with an issue "file:line: ...: malformed number".
namespace {
// A finite number filling all of `text` (the shared parser, mrio_number.hpp), or nullopt.
std::optional<double> number_in(const std::string& text) {
    double v = 0.0;
    if (parse_mrio_number(text, v) != mrio_number::ok) return std::nullopt;
    return v;
}
}  // namespace

std::optional<double> parse_number(const std::string& text, const std::string& where, issues& bad) {
    double v = 0.0;
    const mrio_number status = parse_mrio_number(text, v);
    if (status == mrio_number::ok) return v;
    bad.add(where, mrio_number_problem(text, status));
    return std::nullopt;
}

// ---- Where the files come from -------------------------------------------------------------

text_source text_source::folder(const fs::path& dir) {
    text_source s;
    s.dir_ = dir;
    return s;
}

text_source text_source::zip(std::shared_ptr<const zip_archive> archive, std::string prefix) {
    text_source s;
    s.archive_ = std::move(archive);
    s.prefix_ = std::move(prefix);
    return s;
}

bool text_source::has(const std::string& rel) const {
    if (archive_) return archive_->find(prefix_ + rel) != nullptr;
    std::error_code ec;
    return fs::is_regular_file(dir_ / rel, ec);
}

std::string text_source::shown(const std::string& rel) const {
    if (archive_) return archive_->path().string() + ":" + prefix_ + rel;
    return (dir_ / "").string() + rel;
}

std::unique_ptr<std::istream> text_source::open(const std::string& rel) const {
    if (archive_) {
        const auto* e = archive_->find(prefix_ + rel);
        if (!e) throw invalid_input(shown(rel) + ": missing (no such entry in the archive)");
        return archive_->open(*e);
    }
    const fs::path path = dir_ / rel;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw invalid_input(shown(rel) + ": missing");
    csv_table::check_readable(path);
    auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*in) throw invalid_input(shown(rel) + ": cannot open the file");
    return in;
}

std::string text_source::read(const std::string& rel) const {
    const auto in = open(rel);
    return {std::istreambuf_iterator<char>(*in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> text_source::subfolders() const {
    std::set<std::string> names;
    if (archive_) {
        for (const auto& e : archive_->entries()) {
            if (e.name.size() <= prefix_.size() || e.name.compare(0, prefix_.size(), prefix_) != 0) continue;
            const auto slash = e.name.find('/', prefix_.size());
            if (slash != std::string::npos && slash > prefix_.size()) names.insert(e.name.substr(prefix_.size(), slash - prefix_.size()));
        }
    } else {
        for (const auto& entry : fs::directory_iterator(dir_))
            if (entry.is_directory()) names.insert(entry.path().filename().string());
    }
    return {names.begin(), names.end()};
}

text_source text_source::sub(const std::string& name) const {
    text_source s = *this;
    if (archive_) s.prefix_ += name + "/";
    else s.dir_ /= name;
    return s;
}

// ---- A tab-separated table as pandas' DataFrame.to_csv(sep="\t") writes it -----------------
//
// nr_header header rows: each starts with nr_index_col label cells (the column level name
// in the first), then one column label part per column. With a multi-level header, or
// index names and a one-level header that hold only the level names, pandas adds a row
// of index names whose column cells are empty; it is skipped. Then one row per index
// label: nr_index_col label cells, then the values.
tsv_table read_tsv(const text_source& src, const std::string& rel, std::size_t n_index, std::size_t n_header, issues* numbers,
                   std::size_t expected_rows) {
    const std::string shown = src.shown(rel);
    const auto stream = src.open(rel);
    std::istream& in = *stream;
    tsv_table t;
    t.file = shown;
    t.numeric = numbers != nullptr;
    std::string line;
    std::size_t number = 0;
    std::vector<std::vector<std::string>> header;
    std::size_t width = 0;
    line_reader reader(in);
    while (reader.next(line, true)) {
        number = reader.number();
        auto fields = split_tabs(line);
        // Headerless matrices (Eora) may end their rows with a tab.
        if (n_header == 0 && n_index == 0)
            while (fields.size() > 1 && fields.back().empty()) fields.pop_back();
        if (header.size() < n_header) {
            if (fields.size() <= n_index)
                throw invalid_input(cat(shown, ":", number, ": header row has ", fields.size(), " field(s); expected more than ",
                                        n_index, " (", n_index, " label column(s), then the columns)"));
            if (header.empty()) width = fields.size();
            else if (fields.size() != width)
                throw invalid_input(cat(shown, ":", number, ": header row has ", fields.size(), " fields; expected ", width));
            header.push_back(std::move(fields));
            t.header_lines.push_back(number);
            continue;
        }
        if (n_header == 0 && width == 0) {
            if (fields.size() <= n_index)
                throw invalid_input(cat(shown, ":", number, ": ", fields.size(), " field(s); expected more than ", n_index,
                                        " (", n_index, " label column(s), then the values)"));
            width = fields.size();
        }
        if (fields.size() != width)
            throw invalid_input(cat(shown, ":", number, ": ", fields.size(), " field(s); expected ", width,
                                    n_header ? " as in the header" : " as in the first row"));
        const bool names_row = t.rows.empty() && n_header > 1 &&
                               std::all_of(fields.begin() + static_cast<std::ptrdiff_t>(n_index), fields.end(),
                                           [](const std::string& f) { return f.empty(); });
        if (names_row) continue;
        t.rows.emplace_back(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(n_index));
        t.lines.push_back(number);
        if (numbers) {
            // Straight into the matrix (8 bytes a cell, one copy): sized once when the row
            // count is known (expected_rows), else grown by doubling and trimmed at the end.
            auto& m = t.values;
            const auto n_values = static_cast<index_t>(width - n_index);
            const auto r = static_cast<index_t>(t.rows.size() - 1);
            if (r >= m.rows()) {
                const std::size_t first = expected_rows == square_rows ? width - n_index : expected_rows ? expected_rows : 256;
                m.conservativeResize(m.rows() == 0 ? static_cast<index_t>(std::max<std::size_t>(first, 1)) : 2 * m.rows(), n_values);
            }
            for (std::size_t c = n_index; c < fields.size(); ++c) {
                // The location is composed only for a bad cell: EXIOBASE's A has 10^8 cells.
                double& cell = m(r, static_cast<index_t>(c - n_index));
                if (const auto v = number_in(fields[c])) {
                    cell = *v;
                    continue;
                }
                cell = 0.0;
                if (numbers->full()) continue;
                std::string where = cat(shown, ":", number, ": ");
                if (n_index > 0) where += "row " + show(t.rows.back()) + ", ";
                if (header.empty()) {
                    where += cat("column ", c - n_index + 1);
                } else {
                    label l;
                    for (const auto& h : header) l.push_back(h[c]);
                    where += "column " + show(l);
                }
                (void)parse_number(fields[c], where, *numbers);
            }
        } else {
            t.cells.emplace_back(fields.begin() + static_cast<std::ptrdiff_t>(n_index), fields.end());
        }
    }
    if (header.size() < n_header) throw invalid_input(cat(shown, ": ", header.size(), " header row(s); expected ", n_header));
    for (std::size_t c = n_index; c < width; ++c) {
        label l;
        for (const auto& h : header) l.push_back(h[c]);
        t.columns.push_back(std::move(l));
    }
    if (t.rows.empty()) throw invalid_input(shown + ": no data rows");
    if (t.numeric && t.values.rows() != static_cast<index_t>(t.rows.size()))
        t.values.conservativeResize(static_cast<index_t>(t.rows.size()), Eigen::NoChange);
    return t;
}

folder_parameters read_parameters(const text_source& src) {
    const std::string shown = src.shown("file_parameters.json");
    if (!src.has("file_parameters.json")) throw invalid_input(shown + ": missing (not a pymrio-saved folder?)");
    const json_value doc = json_reader(src.read("file_parameters.json"), shown).document();
    folder_parameters p;
    if (!doc.is_object) throw invalid_input(shown + ": expected a JSON object");
    if (auto it = doc.object.find("systemtype"); it != doc.object.end()) p.system_type = it->second.text;
    if (auto it = doc.object.find("name"); it != doc.object.end()) p.name = it->second.text;
    const auto files = doc.object.find("files");
    if (files == doc.object.end() || !files->second.is_object) throw invalid_input(shown + ": no \"files\" object");
    for (const auto& [key, entry] : files->second.object) {
        file_entry f;
        auto get = [&](const char* k) -> std::string {
            const auto it = entry.object.find(k);
            if (it == entry.object.end()) throw invalid_input(cat(shown, ": files.", key, ": missing \"", k, "\""));
            return it->second.text;
        };
        f.name = get("name");
        auto count = [&](const char* k) {
            const std::string t = get(k);
            if (t != "1" && t != "2" && t != "3")
                throw invalid_input(cat(shown, ": files.", key, ".", k, ": expected 1, 2 or 3, got '", t, "'"));
            return static_cast<std::size_t>(std::stoul(t));
        };
        f.n_index = count("nr_index_col");
        f.n_header = count("nr_header");
        p.files[key] = f;
    }
    return p;
}

std::map<std::string, std::string> read_json_strings(const text_source& src, const std::string& rel) {
    const json_value doc = json_reader(src.read(rel), src.shown(rel)).document();
    if (!doc.is_object) throw invalid_input(src.shown(rel) + ": expected a JSON object");
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : doc.object)
        if (!value.is_object) out[key] = value.text;
    return out;
}

// ---- Label checks ---------------------------------------------------------------------------

// Regions and second-level labels of a region-major grid of (region, x) labels: the regions
// in order of first appearance, the x of the first region; every label must follow the grid.
void grid_of(const std::vector<label>& labels, const std::string& where_kind, const std::function<std::string(std::size_t)>& where,
             std::vector<std::string>& regions, std::vector<std::string>& seconds, issues& bad) {
    regions.clear();
    seconds.clear();
    // Each problem at the label that shows it: where(i) of the offending index.
    std::set<std::string> region_set, second_set;
    bool contiguous = true, unique = true;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const auto& l = labels[i];
        if (l.size() != 2) {
            bad.add(where(i), cat(where_kind, " label ", show(l), " has ", l.size(), " level(s); expected 2 (region and ", where_kind, ")"));
            return;
        }
        if (regions.empty() || regions.back() != l[0]) {
            if (!region_set.insert(l[0]).second && contiguous) {
                contiguous = false;
                bad.add(where(i), cat("regions are not contiguous: '", l[0], "' appears again after other regions (labels must be region-major: all of one region, then the next)"));
            }
            regions.push_back(l[0]);
        }
        if (regions.size() == 1) {
            if (!second_set.insert(l[1]).second && unique) {
                unique = false;
                bad.add(where(i), cat("duplicate ", where_kind, " label ", show(l), " in region '", regions.front(), "'"));
            }
            seconds.push_back(l[1]);
        }
    }
    if (labels.size() != regions.size() * seconds.size()) {
        // The first label off the grid: a region with fewer or more labels than the first.
        std::size_t i = 0, r = 0, k = 0;
        for (; i < labels.size(); ++i) {
            if (k == seconds.size()) k = 0, ++r;
            if (r >= regions.size() || labels[i] != label{regions[r], seconds[k]}) break;
            ++k;
        }
        bad.add(where(std::min(i, labels.size() - 1)),
                cat(labels.size(), " labels are not ", regions.size(), " regions x ", seconds.size(), " ", where_kind,
                    "s (every region needs the same ", where_kind, "s in the same order)"));
        return;
    }
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const label expected{regions[i / seconds.size()], seconds[i % seconds.size()]};
        if (labels[i] != expected) {
            bad.add(where(i), cat("label ", show(labels[i]), ": expected ", show(expected),
                                  " (every region needs the same ", where_kind, "s in the same order)"));
            return;
        }
    }
}

// Labels that must equal a reference list: the first difference, at the line of `t` that
// holds it (the header row of the differing level for columns, the data row for rows).
void same_labels(const tsv_table& t, bool columns, const std::vector<label>& expected, const std::string& reference,
                 issues& inconsistent) {
    const auto& got = columns ? t.columns : t.rows;
    const std::string what = columns ? "columns" : "rows";
    const std::size_t common = std::min(got.size(), expected.size());
    if (got.size() != expected.size()) {
        // The first label missing or extra, at the line where it should be: the header for
        // columns, the data row (or the last one) for rows.
        std::size_t i = 0;
        while (i < common && got[i] == expected[i]) ++i;
        const std::size_t line = columns ? t.header_line(0) : t.lines.empty() ? 1 : t.lines[std::min(i, t.lines.size() - 1)];
        const std::string where = i < expected.size() ? cat(reference, "'s ", show(expected[i]), " is missing here")
                                                      : cat(show(got[i]), " is not in ", reference);
        inconsistent.add(cat(t.file, ":", line), cat(got.size(), " ", what, "; ", reference, " has ", expected.size(), ": ",
                                                     where, " (labels missing between files)"));
        return;
    }
    for (std::size_t i = 0; i < got.size(); ++i)
        if (got[i] != expected[i]) {
            std::size_t level = 0;
            while (level + 1 < got[i].size() && level < expected[i].size() && got[i][level] == expected[i][level]) ++level;
            const std::size_t line = columns ? t.header_line(level) : t.lines[i];
            inconsistent.add(cat(t.file, ":", line), cat(what == "columns" ? "column " : "row ", i + 1, " is ", show(got[i]), "; ",
                                                         reference, " has ", show(expected[i]), " (labels differ between files)"));
            return;
        }
}

// The rows x cols matrix of `t`: a numeric table's, moved out (no copy); else its text
// cells parsed, malformed ones to `bad`.
Eigen::MatrixXd values_of(tsv_table& t, issues& bad) {
    if (t.numeric) return std::move(t.values);
    Eigen::MatrixXd m(static_cast<index_t>(t.rows.size()), static_cast<index_t>(t.columns.size()));
    for (std::size_t i = 0; i < t.rows.size(); ++i)
        for (std::size_t j = 0; j < t.columns.size(); ++j) {
            if (bad.full()) return m;
            const auto v = parse_number(t.cells[i][j], cat(t.file, ":", t.lines[i], ": row ", show(t.rows[i]), ", column ",
                                                        show(t.columns[j])), bad);
            m(static_cast<index_t>(i), static_cast<index_t>(j)) = v.value_or(0.0);
        }
    return m;
}

std::string normalised(std::string s) {
    for (auto& c : s) c = c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool is_tax_on_products(const std::string& row) {
    const std::string n = normalised(row);
    static const std::string prefix = "taxes_less_subsidies_on_products";
    return n.compare(0, prefix.size(), prefix) == 0 || n == "tls" || n == "taxsub" || n == "txsp";
}

const file_entry* find_file(const folder_parameters& p, std::initializer_list<const char*> keys) {
    for (const char* k : keys)
        if (auto it = p.files.find(k); it != p.files.end()) return &it->second;
    return nullptr;
}

// Negative value added cells as warnings; the gap when value added is given.
void warn_negative_value_added(const models::full_mrio& m, const std::function<std::string(std::size_t)>& where,
                               const std::string& note, std::vector<issue>& warnings) {
    const auto& v = m.value_added();
    for (index_t j = 0; j < v.size(); ++j)
        if (v(j) < 0)
            warnings.push_back({where(static_cast<std::size_t>(j)), cat("negative value added ", number_text(v(j)), " ", m.table.unit,
                                                                        " (", note, note.empty() ? "" : "; ", "accepted)")});
}

void warn_negative_value_added(const models::full_mrio& m, const std::string& what, std::vector<issue>& warnings) {
    warn_negative_value_added(
        m, [&](std::size_t j) { return what + "[" + m.table.label(j) + "]"; }, "", warnings);
}

// Gross output must be >= 0: names the file and line that gives (or implies) it.
void check_gross_output(const models::mrio_table& t, const std::function<std::string(std::size_t)>& where, issues& bad) {
    for (index_t i = 0; i < t.gross_output.size(); ++i)
        if (!(t.gross_output(i) >= 0))
            bad.add(where(static_cast<std::size_t>(i)), cat("negative gross output ", number_text(t.gross_output(i)), " ", t.unit,
                                                            " of ", t.label(static_cast<std::size_t>(i))));
}

}  // namespace integra::sim::mrio_text
