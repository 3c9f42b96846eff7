// Readers of pymrio text folders and long CSV folders into models::full_mrio.
#include "sim/data/import_full_mrio.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/csv_table.hpp"

namespace integra::sim {
namespace {

namespace fs = std::filesystem;
using index_t = Eigen::Index;
using label = std::vector<std::string>;  // one multi-index label, e.g. {"REG1", "food"}

std::string show(const label& l) {
    std::string s = "(";
    for (std::size_t k = 0; k < l.size(); ++k) s += (k ? ", " : "") + l[k];
    return s + ")";
}

// The value of a field, or nullopt with an issue "file:line: ...: malformed number".
std::optional<double> parse_number(const std::string& text, const std::string& where, issues& bad) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v)) {
        bad.add(where, cat("malformed number '", quoted_text(text), "' (expected a finite number)"));
        return std::nullopt;
    }
    return v;
}

// ---- A tab-separated table as pandas' DataFrame.to_csv(sep="\t") writes it -----------------
//
// nr_header header rows: each starts with nr_index_col label cells (the column level name
// in the first), then one column label part per column. With a multi-level header, or
// index names and a one-level header that hold only the level names, pandas adds a row
// of index names whose column cells are empty; it is skipped. Then one row per index
// label: nr_index_col label cells, then the values.
struct tsv_table {
    std::string file;                   // for messages: path relative to the folder read
    std::vector<label> columns;         // column labels (nr_header parts each)
    std::vector<label> rows;            // row labels (nr_index_col parts each)
    std::vector<std::size_t> lines;     // line of each row
    std::vector<std::vector<std::string>> cells;  // raw value cells
};

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

tsv_table read_tsv(const fs::path& path, const std::string& shown, std::size_t n_index, std::size_t n_header) {
    csv_table::check_readable(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw invalid_input(shown + ": cannot open the file");
    tsv_table t;
    t.file = shown;
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
        if (fields.size() != width)
            throw invalid_input(cat(shown, ":", number, ": ", fields.size(), " field(s); expected ", width, " as in the header"));
        const bool names_row = t.rows.empty() && n_header > 1 &&
                               std::all_of(fields.begin() + static_cast<std::ptrdiff_t>(n_index), fields.end(),
                                           [](const std::string& f) { return f.empty(); });
        if (names_row) continue;
        t.rows.emplace_back(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(n_index));
        t.cells.emplace_back(fields.begin() + static_cast<std::ptrdiff_t>(n_index), fields.end());
        t.lines.push_back(number);
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

struct file_entry {
    std::string name;
    std::size_t n_index = 1, n_header = 1;
};
struct folder_parameters {
    std::string system_type, name;
    std::map<std::string, file_entry> files;
};

folder_parameters read_parameters(const fs::path& folder, const std::string& shown_folder) {
    const fs::path path = folder / "file_parameters.json";
    const std::string shown = shown_folder + "file_parameters.json";
    if (!fs::is_regular_file(path)) throw invalid_input(shown + ": missing (not a pymrio-saved folder?)");
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const json_value doc = json_reader(text.str(), shown).document();
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

}  // namespace

full_mrio_import read_pymrio_folder(const fs::path& folder) {
    if (!fs::is_directory(folder)) throw invalid_input(folder.string() + ": not a folder (expected a pymrio-saved folder)");
    const std::string root = (folder / "").string();
    const folder_parameters p = read_parameters(folder, root);
    const file_entry* z_entry = find_file(p, {"Z"});
    const file_entry* y_entry = find_file(p, {"Y"});
    if (!z_entry || !y_entry)
        throw invalid_input(root + "file_parameters.json: needs the files Z and Y (a folder of coefficients only, A without Z, is "
                                   "not supported: save the system after calc_all or with Z)");
    full_mrio_import out;
    out.source = "pymrio folder " + folder.string();
    auto& m = out.mrio;
    auto& t = m.table;
    issues bad, inconsistent;

    const tsv_table z = read_tsv(folder / z_entry->name, root + z_entry->name, z_entry->n_index, z_entry->n_header);
    const tsv_table y = read_tsv(folder / y_entry->name, root + y_entry->name, y_entry->n_index, y_entry->n_header);
    auto z_line = [&](std::size_t i) { return cat(z.file, ":", z.lines[std::min(i, z.lines.size() - 1)]); };
    grid_of(z.rows, "sector", z_line, t.regions, t.sectors, bad);
    bad.throw_if_any<invalid_input>(z.file);
    same_labels(z, true, z.rows, "its rows", inconsistent);
    same_labels(y, false, z.rows, z.file, inconsistent);
    std::vector<std::string> y_regions;
    grid_of(y.columns, "category", [&](std::size_t) { return y.file + ":1"; }, y_regions, m.categories, bad);
    bad.throw_if_any<invalid_input>(y.file);
    if (y_regions != t.regions)
        inconsistent.add(y.file + ":1", "the regions of the columns (" + cat(y_regions.size()) + ") differ from the rows of " +
                                            z.file + " (" + cat(t.regions.size()) +
                                            "; the same regions in the same order expected)");
    inconsistent.throw_if_any<inconsistent_input>(root);

    t.intermediate = values_of(z, bad);
    m.final_demand_by_category = values_of(y, bad);
    bad.throw_if_any<invalid_input>(root);
    for (index_t i = 0; i < t.intermediate.rows(); ++i)
        for (index_t j = 0; j < t.intermediate.cols(); ++j)
            if (t.intermediate(i, j) < 0)
                bad.add(cat(z.file, ":", z.lines[static_cast<std::size_t>(i)], ": row ", show(z.rows[static_cast<std::size_t>(i)]),
                            ", column ", show(z.columns[static_cast<std::size_t>(j)])),
                        cat("negative intermediate flow ", number_text(t.intermediate(i, j))));

    // Units: one currency unit for every row, as given.
    if (const file_entry* u = find_file(p, {"unit"})) {
        const tsv_table units = read_tsv(folder / u->name, root + u->name, u->n_index, u->n_header);
        same_labels(units, false, z.rows, z.file, inconsistent);
        std::set<std::string> seen;
        for (std::size_t i = 0; i < units.rows.size(); ++i) {
            const std::string& unit = units.cells[i].empty() ? std::string() : units.cells[i][0];
            if (unit.empty()) bad.add(cat(units.file, ":", units.lines[i]), "empty unit of " + show(units.rows[i]));
            seen.insert(unit);
        }
        if (seen.size() > 1) {
            std::string all;
            for (const auto& s : seen) all += (all.empty() ? "'" : ", '") + s + "'";
            inconsistent.add(units.file, "rows have different units (" + all + "); one currency unit is expected");
        }
        if (!seen.empty()) t.unit = *seen.begin();
    } else {
        bad.add(root + "file_parameters.json", "no unit file: the currency unit of Z and Y is needed (unit.txt)");
    }

    // Gross output: x.txt as given (checked against the row sums), else the row sums.
    Eigen::VectorXd x_given;
    std::optional<tsv_table> x_file;
    if (const file_entry* xe = find_file(p, {"x"})) {
        x_file = read_tsv(folder / xe->name, root + xe->name, xe->n_index, xe->n_header);
        same_labels(*x_file, false, z.rows, z.file, inconsistent);
        if (x_file->columns.size() != 1) bad.add(x_file->file, cat(x_file->columns.size(), " value columns; expected 1 (indout)"));
        else x_given = values_of(*x_file, bad).col(0);
    }
    bad.throw_if_any<invalid_input>(root);
    inconsistent.throw_if_any<inconsistent_input>(root);
    models::complete_table(m, x_given);
    check_gross_output(t, [&](std::size_t i) {
        return x_file ? cat(x_file->file, ":", x_file->lines[i]) : cat(z.file, ":", z.lines[i], " (and ", y.file, ")");
    }, bad);
    if (x_file) {
        const Eigen::VectorXd sums = t.intermediate.rowwise().sum() + t.final_demand.rowwise().sum();
        for (index_t i = 0; i < sums.size(); ++i)
            if (std::abs(sums(i) - x_given(i)) > 1e-6 * std::max(1.0, std::abs(x_given(i))))
                inconsistent.add(cat(x_file->file, ":", x_file->lines[static_cast<std::size_t>(i)]),
                                 cat("gross output ", number_text(x_given(i)), " of ", t.label(static_cast<std::size_t>(i)),
                                     " differs from the row sum of Z and Y, ", number_text(sums(i))));
    }
    bad.throw_if_any<invalid_input>(root);
    inconsistent.throw_if_any<inconsistent_input>(root);

    // Extensions: every subfolder with a file_parameters.json, in name order.
    std::vector<fs::path> subfolders;
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.is_directory() && fs::is_regular_file(entry.path() / "file_parameters.json")) subfolders.push_back(entry.path());
    std::sort(subfolders.begin(), subfolders.end());
    for (const auto& sub : subfolders) {
        const std::string shown = root + sub.filename().string() + "/";
        const folder_parameters ep = read_parameters(sub, shown);
        models::named_extension ext;
        ext.name = ep.name.empty() ? sub.filename().string() : ep.name;
        const file_entry* f_entry = find_file(ep, {"F"});
        if (!f_entry) {
            bad.add(shown + "file_parameters.json", "extension '" + ext.name + "' has no F (stressors by region and sector)");
            continue;
        }
        const tsv_table f = read_tsv(sub / f_entry->name, shown + f_entry->name, f_entry->n_index, f_entry->n_header);
        same_labels(f, true, z.columns, z.file, inconsistent);
        for (const auto& r : f.rows) {
            std::string name;
            for (const auto& part : r) name += (name.empty() ? "" : " / ") + part;
            ext.accounts.stressors.push_back(name);
        }
        ext.accounts.production = values_of(f, bad);
        // Units: one per stressor, required.
        const file_entry* u = find_file(ep, {"unit"});
        std::map<label, std::string> unit_of;
        std::string unit_file = shown + "unit.txt";
        if (u) {
            const tsv_table units = read_tsv(sub / u->name, shown + u->name, u->n_index, u->n_header);
            unit_file = units.file;
            for (std::size_t i = 0; i < units.rows.size(); ++i) unit_of[units.rows[i]] = units.cells[i].empty() ? "" : units.cells[i][0];
        }
        for (std::size_t k = 0; k < f.rows.size(); ++k) {
            const auto it = unit_of.find(f.rows[k]);
            if (it == unit_of.end() || it->second.empty())
                bad.add(cat(f.file, ":", f.lines[k]), cat("stressor '", ext.accounts.stressors[k], "' has no unit in ", unit_file));
            ext.accounts.units.push_back(it == unit_of.end() ? "" : it->second);
        }
        if (const file_entry* fy_entry = find_file(ep, {"F_Y", "F_hh", "FY"})) {
            const tsv_table fy = read_tsv(sub / fy_entry->name, shown + fy_entry->name, fy_entry->n_index, fy_entry->n_header);
            same_labels(fy, true, y.columns, y.file, inconsistent);
            same_labels(fy, false, f.rows, f.file, inconsistent);
            if (inconsistent.empty()) {
                const Eigen::MatrixXd by_category = values_of(fy, bad);
                const auto n_cat = static_cast<index_t>(m.n_categories());
                ext.accounts.final_demand = Eigen::MatrixXd::Zero(by_category.rows(), static_cast<index_t>(t.n_regions()));
                for (index_t q = 0; q < ext.accounts.final_demand.cols(); ++q)
                    for (index_t c = 0; c < n_cat; ++c) ext.accounts.final_demand.col(q) += by_category.col(q * n_cat + c);
            }
        }
        if (normalised(ext.name) == "factor_inputs" || normalised(sub.filename().string()) == "factor_inputs") {
            m.value_added_given = ext.accounts.production.colwise().sum().transpose();
            m.value_added_source = cat("extension ", ext.name, " (", f.rows.size(), " row(s), summed)");
        }
        m.extensions.push_back(std::move(ext));
    }
    bad.throw_if_any<invalid_input>(root);
    inconsistent.throw_if_any<inconsistent_input>(root);
    issues problems;
    models::validate(m, problems);
    problems.throw_if_any<inconsistent_input>(root);
    warn_negative_value_added(m, root + (m.has_given_value_added() ? "value added (" + m.value_added_source + ")" : "value added"),
                              out.warnings);
    return out;
}

full_mrio_import read_long_mrio(const fs::path& folder, const std::string& unit) {
    if (!fs::is_directory(folder))
        throw invalid_input(folder.string() + ": not a folder (expected one with intermediate.csv and final_demand.csv)");
    if (unit.empty()) throw invalid_input("--unit: the currency unit of the long CSV values is required");
    const csv_table z = csv_table::read(folder / "intermediate.csv", {"origin_region", "origin_sector", "region", "sector", "value"});
    const csv_table y = csv_table::read(folder / "final_demand.csv", {"origin_region", "origin_sector", "region", "category", "value"});
    full_mrio_import out;
    out.source = "long CSV folder " + folder.string();
    auto& m = out.mrio;
    auto& t = m.table;
    t.unit = unit;
    std::map<std::string, std::size_t> region_at, sector_at, category_at;
    auto add = [](std::map<std::string, std::size_t>& at, std::vector<std::string>& list, const std::string& name) {
        if (at.emplace(name, list.size()).second) list.push_back(name);
    };
    issues bad, inconsistent;
    for (const auto* table : {&z, &y}) {
        const bool is_z = table == &z;
        const auto o_r = table->column("origin_region"), o_s = table->column("origin_sector"), r = table->column("region");
        const auto s = is_z ? table->column("sector") : table->column("category");
        for (std::size_t row = 0; row < table->n_rows(); ++row) {
            for (auto c : {o_r, r})
                if (table->field(row, c).empty()) bad.add(table->where(row, c), "empty region label");
            for (auto c : is_z ? std::vector<std::size_t>{o_s, s} : std::vector<std::size_t>{o_s})
                if (table->field(row, c).empty()) bad.add(table->where(row, c), "empty sector label");
            add(region_at, t.regions, table->field(row, o_r));
            add(region_at, t.regions, table->field(row, r));
            add(sector_at, t.sectors, table->field(row, o_s));
            if (is_z) add(sector_at, t.sectors, table->field(row, s));
            else add(category_at, m.categories, table->field(row, s));
        }
    }
    bad.throw_if_any<invalid_input>(folder.string());
    const auto n = static_cast<index_t>(t.size());
    const auto n_cat = static_cast<index_t>(m.n_categories());
    t.intermediate = Eigen::MatrixXd::Zero(n, n);
    m.final_demand_by_category = Eigen::MatrixXd::Zero(n, static_cast<index_t>(t.n_regions()) * n_cat);
    std::map<std::pair<index_t, index_t>, std::size_t> z_seen, y_seen;
    for (const auto* table : {&z, &y}) {
        const bool is_z = table == &z;
        const auto o_r = table->column("origin_region"), o_s = table->column("origin_sector"), r = table->column("region");
        const auto s = is_z ? table->column("sector") : table->column("category");
        const auto value = table->column("value");
        for (std::size_t row = 0; row < table->n_rows(); ++row) {
            const double v = table->number(row, value, bad);
            const auto i = static_cast<index_t>(region_at[table->field(row, o_r)] * t.n_sectors() + sector_at[table->field(row, o_s)]);
            const auto q = static_cast<index_t>(region_at[table->field(row, r)]);
            const index_t j = is_z ? q * static_cast<index_t>(t.n_sectors()) + static_cast<index_t>(sector_at[table->field(row, s)])
                                   : q * n_cat + static_cast<index_t>(category_at[table->field(row, s)]);
            auto& seen = is_z ? z_seen : y_seen;
            if (const auto [it, fresh] = seen.emplace(std::pair{i, j}, table->line(row)); !fresh)
                inconsistent.add(table->where(row), cat("cell given twice (first at line ", it->second, ")"));
            if (is_z && v < 0)
                bad.add(table->where(row, value), cat("negative intermediate flow ", number_text(v), " from ",
                                                      table->field(row, o_r), "/", table->field(row, o_s), " to ",
                                                      table->field(row, r), "/", table->field(row, s)));
            (is_z ? t.intermediate(i, j) : m.final_demand_by_category(i, j)) = v;
        }
    }
    bad.throw_if_any<invalid_input>(folder.string());
    inconsistent.throw_if_any<inconsistent_input>(folder.string());
    models::complete_table(m);
    check_gross_output(t, [&](std::size_t i) {
        return cat(z.path().string(), " and ", y.path().string(), ": rows of origin ", t.label(i));
    }, bad);
    bad.throw_if_any<invalid_input>(folder.string());
    issues problems;
    models::validate(m, problems);
    problems.throw_if_any<inconsistent_input>(folder.string());
    warn_negative_value_added(m, "value added", out.warnings);
    return out;
}

}  // namespace integra::sim
