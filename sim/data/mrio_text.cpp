// Shared text machinery of the full-MRIO readers (see mrio_text.hpp).
#include "sim/data/mrio_text.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/csv_table.hpp"

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
    json_value document() {
        json_value v = value();
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
    json_value value() {
        space();
        json_value v;
        if (at_ >= s_.size()) fail("unexpected end of file");
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
                v.object[key] = value();
                space();
                if (at_ < s_.size() && s_[at_] == ',') { ++at_; continue; }
                if (at_ < s_.size() && s_[at_] == '}') { ++at_; return v; }
                fail("expected ',' or '}'");
            }
        }
        if (s_[at_] == '"') { v.text = string(); return v; }
        if (s_[at_] == '[') {  // arrays are not used by the keys we read: skipped
            int depth = 0;
            do {
                if (s_[at_] == '[') ++depth;
                else if (s_[at_] == ']') --depth;
                ++at_;
            } while (depth > 0 && at_ < s_.size());
            return v;
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
// A finite number filling all of `text`, or nullopt.
std::optional<double> number_in(const std::string& text) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v)) return std::nullopt;
    return v;
}
}  // namespace

std::optional<double> parse_number(const std::string& text, const std::string& where, issues& bad) {
    const auto v = number_in(text);
    if (!v) bad.add(where, cat("malformed number '", quoted_text(text), "' (expected a finite number)"));
    return v;
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
tsv_table read_tsv(const text_source& src, const std::string& rel, std::size_t n_index, std::size_t n_header, issues* numbers) {
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
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        if (line.empty()) continue;
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
            for (std::size_t c = n_index; c < fields.size(); ++c) {
                // The location is composed only for a bad cell: EXIOBASE's A has 10^8 cells.
                if (const auto v = number_in(fields[c])) {
                    t.values.push_back(*v);
                    continue;
                }
                t.values.push_back(0.0);
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
    for (const auto& l : labels) {
        if (l.size() != 2) {
            bad.add(where(0), cat(where_kind, " labels have ", l.size(), " level(s); expected 2 (region and ", where_kind, ")"));
            return;
        }
        if (regions.empty() || regions.back() != l[0]) regions.push_back(l[0]);
        if (regions.size() == 1) seconds.push_back(l[1]);
    }
    if (std::set<std::string>(regions.begin(), regions.end()).size() != regions.size())
        bad.add(where(0), "regions are not contiguous (labels must be region-major: all of one region, then the next)");
    if (std::set<std::string>(seconds.begin(), seconds.end()).size() != seconds.size())
        bad.add(where(0), cat("duplicate ", where_kind, " labels in region '", regions.front(), "'"));
    if (labels.size() != regions.size() * seconds.size()) {
        bad.add(where(0), cat(labels.size(), " labels are not ", regions.size(), " regions x ", seconds.size(), " ", where_kind,
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
        const std::size_t line = columns ? 1 : t.lines.empty() ? 1 : t.lines[std::min(i, t.lines.size() - 1)];
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
            const std::size_t line = columns ? level + 1 : t.lines[i];
            inconsistent.add(cat(t.file, ":", line), cat(what == "columns" ? "column " : "row ", i + 1, " is ", show(got[i]), "; ",
                                                         reference, " has ", show(expected[i]), " (labels differ between files)"));
            return;
        }
}

// Parses every value cell of `t` into an rows x cols matrix; malformed cells go to `bad`.
Eigen::MatrixXd values_of(const tsv_table& t, issues& bad) {
    Eigen::MatrixXd m(static_cast<index_t>(t.rows.size()), static_cast<index_t>(t.columns.size()));
    if (t.numeric) {
        for (std::size_t i = 0; i < t.rows.size(); ++i)
            for (std::size_t j = 0; j < t.columns.size(); ++j)
                m(static_cast<index_t>(i), static_cast<index_t>(j)) = t.values[i * t.columns.size() + j];
        return m;
    }
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

const file_entry* find_file(const folder_parameters& p, std::initializer_list<const char*> keys) {
    for (const char* k : keys)
        if (auto it = p.files.find(k); it != p.files.end()) return &it->second;
    return nullptr;
}

// Negative value added cells as warnings; the gap when value added is given.
void warn_negative_value_added(const models::full_mrio& m, const std::string& what, std::vector<issue>& warnings) {
    const auto& v = m.value_added();
    for (index_t j = 0; j < v.size(); ++j)
        if (v(j) < 0)
            warnings.push_back({what + "[" + m.table.label(static_cast<std::size_t>(j)) + "]",
                                cat("negative value added ", number_text(v(j)), " ", m.table.unit, " (accepted)")});
}

// Gross output must be >= 0: names the file and line that gives (or implies) it.
void check_gross_output(const models::mrio_table& t, const std::function<std::string(std::size_t)>& where, issues& bad) {
    for (index_t i = 0; i < t.gross_output.size(); ++i)
        if (!(t.gross_output(i) >= 0))
            bad.add(where(static_cast<std::size_t>(i)), cat("negative gross output ", number_text(t.gross_output(i)), " ", t.unit,
                                                            " of ", t.label(static_cast<std::size_t>(i))));
}

}  // namespace integra::sim::mrio_text
