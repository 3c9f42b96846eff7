#include "sim/data/dataset.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iomanip>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

#include <toml++/toml.h>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/csv_table.hpp"

#ifndef INTEGRA_SOURCE_DATA_DIR
#define INTEGRA_SOURCE_DATA_DIR ""
#endif

namespace integra::sim {
namespace {

namespace fs = std::filesystem;
using Eigen::Index;

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
    return out;
}

// Label -> index, with file:line errors for unknown labels.
struct label_index {
    std::string what, file;
    std::map<std::string, std::size_t> index;

    label_index(std::string what_, std::string file_, const std::vector<std::string>& labels)
        : what(std::move(what_)), file(std::move(file_)) {
        for (std::size_t i = 0; i < labels.size(); ++i) index.emplace(labels[i], i);
    }
    std::size_t size() const { return index.size(); }
    std::size_t find(const csv_table& t, std::size_t row, std::size_t col, issues& out) const {
        const auto it = index.find(t.field(row, col));
        if (it != index.end()) return it->second;
        out.add(t.where(row, col), cat("unknown ", what, " '", quoted_text(t.field(row, col)), "' (not in ", file, ")"));
        return index.size();
    }
};

std::uint64_t fnv1a(std::uint64_t h, const char* bytes, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) {
        h ^= static_cast<unsigned char>(bytes[k]);
        h *= 0x100000001b3ULL;
    }
    return h;
}

// FNV-1a over a file, read in chunks (the same value as over its whole text).
std::uint64_t fnv1a_file(std::uint64_t h, const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::vector<char> buffer(1 << 20);
    std::uintmax_t total = 0;
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        total += n;
        if (total > csv_table::max_file_bytes)
            throw invalid_input(cat(p.string(), ": file grew beyond the limit of ", csv_table::max_file_bytes, " bytes (1 GiB) while being read"));
        h = fnv1a(h, buffer.data(), n);
    }
    return h;
}

bool is_identifier(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

class manifest {
public:
    explicit manifest(const fs::path& folder) : folder_(folder) {
        const fs::path path = folder / "manifest.toml";
        std::error_code ec;
        const auto status = fs::status(path, ec);
        if (!fs::exists(status)) throw dataset_not_found(cat("dataset '", folder.string(), "': not a dataset folder (no manifest.toml)"));
        if (!fs::is_regular_file(status))
            throw invalid_input(cat(path.string(), ": not a regular file (a directory, device or FIFO), expected a TOML file"));
        if (const auto size = fs::file_size(path, ec); ec || size > dataset_limits::max_manifest_bytes)
            throw invalid_input(cat(path.string(), ": file is ", size, " bytes, larger than the limit of ",
                                    dataset_limits::max_manifest_bytes, " bytes (1 MiB)"));
        try {
            table_ = toml::parse_file(path.string());
        } catch (const toml::parse_error& e) {
            throw invalid_input(cat(path.string(), ":", e.source().begin.line, ":", e.source().begin.column, ": ",
                                    e.description()));
        }
        path_ = path;
        check_keys();
        resolve_files();
        problems_.throw_if_any<invalid_input>(cat("dataset '", folder.string(), "' manifest"));
    }
    std::string text(const std::string& key) const { return table_[key].value_or(std::string{}); }
    int base_year() const { return base_year_; }
    /// The path of the file listed under [files] `key`, or empty if optional and absent.
    fs::path file(const std::string& key) const {
        const auto it = files_.find(key);
        return it == files_.end() ? fs::path() : it->second;
    }
    /// "[files] key = 'value'" for messages.
    std::string entry(const std::string& key) const { return entries_.at(key); }
    /// [tariff_tables]: name -> path.
    const std::map<std::string, fs::path>& tariff_tables() const { return tariff_tables_; }
    std::vector<data_source> sources() const {
        std::vector<data_source> out;
        if (const auto* arr = table_["sources"].as_array())
            for (const auto& node : *arr)
                if (const auto* t = node.as_table())
                    out.push_back({(*t)["name"].value_or(std::string{}), (*t)["file"].value_or(std::string{}),
                                   (*t)["licence"].value_or(std::string{}), (*t)["citation"].value_or(std::string{})});
        return out;
    }
    std::string checksum() const {
        std::uint64_t h = 0xcbf29ce484222325ULL;
        h = fnv1a_file(h, path_);
        for (const char* section : {"files", "tariff_tables"})
            if (const auto* files = table_[section].as_table())
                for (const auto& [key, value] : *files) h = fnv1a_file(h, resolved_.at(cat(section, ".", key.str())));
        std::ostringstream s;
        s << "fnv1a64:" << std::hex << std::setw(16) << std::setfill('0') << h;
        return s.str();
    }

private:
    std::string at(const toml::node& node) const {
        return cat(path_.string(), ":", node.source().begin.line, ":", node.source().begin.column);
    }
    std::string at_key(const std::string& key) const {
        if (const auto* node = table_.get(key)) return at(*node);
        return path_.string();
    }

    void check_keys() {
        for (const char* key : {"name", "unit"}) {
            const auto* node = table_.get(key);
            if (!node) problems_.add(path_.string(), cat("missing key '", key, "', expected a string"));
            else if (!node->is_string() || node->value_or(std::string{}).empty())
                problems_.add(at(*node), cat("key '", key, "': expected a non-empty string"));
        }
        for (const char* key : {"title", "currency"})
            if (const auto* node = table_.get(key); node && !node->is_string())
                problems_.add(at(*node), cat("key '", key, "': expected a string"));
        const auto* year = table_.get("base_year");
        if (!year) {
            problems_.add(path_.string(), cat("missing key 'base_year', expected a whole year in ", dataset_limits::min_year, "-",
                                              dataset_limits::max_year));
        } else if (const auto v = year->value_exact<std::int64_t>();
                   !v || *v < dataset_limits::min_year || *v > dataset_limits::max_year) {
            problems_.add(at(*year), cat("key 'base_year': expected a whole year in ", dataset_limits::min_year, "-",
                                         dataset_limits::max_year, ", got '", quoted_text(toml_text(*year)), "'"));
        } else {
            base_year_ = static_cast<int>(*v);
        }
        if (const auto* version = table_.get("format_version"))
            if (const auto v = version->value_exact<std::int64_t>(); !v || *v != 1)
                problems_.add(at(*version), cat("key 'format_version': this version of integra reads format 1, got '",
                                                quoted_text(toml_text(*version)), "'"));
    }

    static std::string toml_text(const toml::node& node) {
        std::ostringstream s;
        node.visit([&](const auto& v) { s << v; });
        return s.str();
    }

    // Every [files] and [tariff_tables] entry: a relative path that stays inside the
    // dataset folder once resolved (symbolic links followed), naming a regular file of at
    // most csv_table::max_file_bytes.
    void resolve_files() {
        std::error_code ec;
        const fs::path root = fs::weakly_canonical(fs::absolute(folder_), ec);
        const auto* files = table_["files"].as_table();
        if (table_.get("files") && !files) problems_.add(at_key("files"), "[files] must be a table of name = \"file\"");
        for (const char* key : {"regions", "sectors", "gross_output", "value_added", "io_coefficients", "trade",
                                "final_demand_shares", "deficits"})
            if (!files || !files->get(key))
                problems_.add(path_.string(), cat("[files] is missing the required block '", key, "'"));
        const auto* tables = table_["tariff_tables"].as_table();
        if (table_.get("tariff_tables") && !tables)
            problems_.add(at_key("tariff_tables"), "[tariff_tables] must be a table of name = \"file\"");
        for (const auto& [section, table] : {std::pair{"files", files}, std::pair{"tariff_tables", tables}}) {
            if (!table) continue;
            for (const auto& [key_node, value] : *table) {
                const std::string key(key_node.str());
                const std::string entry = cat("[", section, "] ", key);
                const auto name = value.value_exact<std::string>();
                if (!name || name->empty()) {
                    problems_.add(at(value), cat(entry, ": expected a file name (a non-empty string)"));
                    continue;
                }
                const std::string described = cat(entry, " = '", quoted_text(*name, 120), "'");
                const fs::path relative(*name);
                if (relative.is_absolute() || relative.has_root_name() || relative.has_root_directory()) {
                    problems_.add(at(value), cat(described, ": an absolute path; expected a file name relative to the dataset folder"));
                    continue;
                }
                const fs::path resolved = fs::weakly_canonical(root / relative, ec);
                const fs::path inside = ec ? fs::path() : resolved.lexically_relative(root);
                if (ec || inside.empty() || *inside.begin() == ".." || inside == ".") {
                    problems_.add(at(value), cat(described, ": leads outside the dataset folder ", root.string(),
                                                 "; expected a file inside it"));
                    continue;
                }
                try {
                    csv_table::check_readable(resolved);
                } catch (const csv_error& e) {
                    problems_.add(at(value), cat(described, ": ", e.message));
                    continue;
                }
                resolved_[cat(section, ".", key)] = resolved;
                if (std::string(section) == "files") {
                    files_[key] = resolved;
                    entries_[key] = described;
                } else {
                    tariff_tables_[key] = resolved;
                }
            }
        }
    }

    fs::path folder_, path_;
    toml::table table_;
    issues problems_;
    int base_year_ = 0;
    std::map<std::string, fs::path> files_, tariff_tables_, resolved_;
    std::map<std::string, std::string> entries_;
};

// At most dataset_limits::max_problems_per_file problems of one file, then how many more.
void append_limited(issues& to, const issues& from, const fs::path& file) {
    const std::size_t limit = dataset_limits::max_problems_per_file;
    for (std::size_t k = 0; k < std::min(limit, from.size()); ++k) to.add(from.list()[k].where, from.list()[k].message);
    if (from.size() > limit)
        to.add(file.string(), cat("and ", from.size() - limit, " more problem(s) in this file (the first ", limit, " are shown)"));
}

// Reads one file with its exact header and hands it to `read`; a file that cannot be read
// as a table is one problem, and its problems are limited (append_limited).
void with_table(const fs::path& p, const std::vector<std::string>& columns, issues& problems,
                const std::function<void(const csv_table&, issues&)>& read) {
    issues local;
    try {
        const auto t = csv_table::read(p, columns);
        read(t, local);
    } catch (const csv_error& e) {
        local.add(e.where, e.message);
    }
    append_limited(problems, local, p);
}

// Where a key was first given, for "duplicate" messages.
template <class Key>
class first_rows {
public:
    /// True the first time; otherwise reports the duplicate with the line of the first row.
    bool insert(const Key& key, const csv_table& t, std::size_t row, const std::string& what, issues& out) {
        const auto [it, inserted] = rows_.emplace(key, row);
        if (!inserted)
            out.add(t.where(row), cat("duplicate row for ", what, " (first at line ", t.line(it->second),
                                      "); expected each key once"));
        return inserted;
    }
    [[nodiscard]] bool contains(const Key& key) const { return rows_.count(key) > 0; }

private:
    std::map<Key, std::size_t> rows_;
};

// The labels of regions.csv or sectors.csv, in model order: at least one, none empty, none
// repeated.
std::vector<std::string> read_labels(const csv_table& t, const std::string& key, std::vector<std::string>& names,
                                     issues& out) {
    const std::size_t c = t.column(key), n = t.column("name");
    std::vector<std::string> labels;
    std::map<std::string, std::size_t> first;
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        const std::string& label = t.field(r, c);
        if (label.empty() || label.find_first_of(" \t") == 0 || label.find_last_of(" \t") == label.size() - 1) {
            out.add(t.where(r, c), cat("empty ", key, " label or label with surrounding spaces '", quoted_text(label), "'"));
        } else if (const auto [it, inserted] = first.emplace(label, r); !inserted) {
            out.add(t.where(r, c), cat("duplicate label '", quoted_text(label), "' (first at line ", t.line(it->second),
                                       "); expected each ", key, " once"));
        }
        labels.push_back(label);
        names.push_back(t.field(r, n));
    }
    if (labels.empty()) out.add(t.path().string(), cat("no ", key, "s (a header and no rows); expected at least one ", key));
    return labels;
}

// A number in a documented range, checked where it is read.
struct range {
    double low, high;
    bool low_open, high_open;
    const char* text;  // e.g. "in (0, 1]"
    bool contains(double v) const {
        return (low_open ? v > low : v >= low) && (high_open ? v < high : v <= high);
    }
};

// The field as a finite number in `r`; NaN (and an issue) otherwise.
double number_in(const csv_table& t, std::size_t row, std::size_t col, const range& r, const std::string& what, issues& out) {
    const std::size_t before = out.size();
    const double v = t.number(row, col, out);
    if (out.size() != before) return nan_value;
    if (!r.contains(v)) {
        out.add(t.where(row, col), cat(what, " must be ", r.text, ", got '", quoted_text(t.field(row, col)), "'"));
        return nan_value;
    }
    return v;
}

// Reads a region x sector block ("region,sector,value") into an R x S matrix; every cell
// must appear exactly once, with a value in `r`.
Eigen::MatrixXd read_region_sector(const fs::path& p, const label_index& regions, const label_index& sectors,
                                   const range& r, const std::string& what, issues& problems) {
    Eigen::MatrixXd m = Eigen::MatrixXd::Constant(static_cast<Index>(regions.size()), static_cast<Index>(sectors.size()), nan_value);
    with_table(p, {"region", "sector", "value"}, problems, [&](const csv_table& t, issues& out) {
        const std::size_t cr = t.column("region"), cs = t.column("sector"), cv = t.column("value");
        first_rows<std::pair<std::size_t, std::size_t>> seen;
        for (std::size_t row = 0; row < t.n_rows(); ++row) {
            const auto i = regions.find(t, row, cr, out), s = sectors.find(t, row, cs, out);
            const double v = number_in(t, row, cv, r, what, out);
            if (i == regions.size() || s == sectors.size()) continue;
            if (!seen.insert({i, s}, t, row, cat(t.field(row, cr), "/", t.field(row, cs)), out)) continue;
            m(static_cast<Index>(i), static_cast<Index>(s)) = std::isnan(v) ? 0.0 : v;
        }
        std::size_t missing = 0;
        std::string first;
        for (const auto& [rl, i] : regions.index)
            for (const auto& [sl, s] : sectors.index)
                if (!seen.contains({i, s}) && ++missing <= 5) first += cat(first.empty() ? "" : ", ", rl, "/", sl);
        if (missing > 0)
            out.add(p.string(), cat("missing rows for ", missing, " region/sector pair(s): ", first, missing > 5 ? ", ..." : "",
                                    "; expected every region/sector pair once"));
    });
    return m;
}

// Every (year, region) cell of a time series must be given: reports the missing ones (the
// first few by name, then how many).
void report_gaps(const Eigen::MatrixXd& block, const std::vector<int>& years, const std::vector<std::string>& regions,
                 const fs::path& file, const std::string& what, issues& out) {
    std::size_t missing = 0;
    std::string first;
    for (Index y = 0; y < block.rows(); ++y)
        for (Index n = 0; n < block.cols(); ++n)
            if (std::isnan(block(y, n)) && ++missing <= 5)
                first += cat(first.empty() ? "" : ", ", regions[static_cast<std::size_t>(n)], " ", years[static_cast<std::size_t>(y)]);
    if (missing > 0)
        out.add(file.string(), cat("missing ", what, " for ", missing, " region-year(s): ", first, missing > 5 ? ", ..." : ""));
}

// trade_elasticities.csv ("sector,estimate,standard_error,source"): the standard error of
// each sector's trade elasticity, in model order. Strict: every sector of sectors.csv exactly
// once, the standard error finite and >= 0, and the estimate equal (relative 1e-9) to the
// sector's trade_elasticity in sectors.csv, so that the file describes the theta the model uses.
Eigen::VectorXd read_trade_elasticity_se(const csv_table& t, const std::vector<std::string>& sector_labels,
                                         const Eigen::VectorXd& theta, issues& out) {
    const std::size_t cs = t.column("sector"), ce = t.column("estimate"), cse = t.column("standard_error");
    std::string expected;
    for (const auto& s : sector_labels) expected += (expected.empty() ? "" : ", ") + s;
    const std::size_t S = sector_labels.size();
    Eigen::VectorXd se = Eigen::VectorXd::Constant(static_cast<Index>(S), nan_value);
    std::vector<std::size_t> row_of(S, t.n_rows());
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        const std::string& label = t.field(r, cs);
        const auto it = std::find(sector_labels.begin(), sector_labels.end(), label);
        const std::size_t before = out.size();
        const double estimate = t.number(r, ce, out);
        const bool estimate_ok = out.size() == before;
        const double value = t.number(r, cse, out);
        const bool value_ok = out.size() == before + (estimate_ok ? 0 : 1);
        if (it == sector_labels.end()) {
            out.add(t.where(r, cs), cat("unknown sector '", quoted_text(label), "', expected one of the sectors of sectors.csv (", expected, ")"));
            continue;
        }
        const auto s = static_cast<std::size_t>(std::distance(sector_labels.begin(), it));
        if (row_of[s] != t.n_rows()) {
            out.add(t.where(r, cs), cat("duplicate sector '", label, "' (already given at ", t.where(row_of[s]),
                                        "), expected each sector exactly once"));
            continue;
        }
        row_of[s] = r;
        if (value_ok && !(value >= 0.0))
            out.add(t.where(r, cse), cat("standard error of ", label, " must be finite and >= 0, got '", quoted_text(t.field(r, cse)), "'"));
        const double theta_s = theta(static_cast<Index>(s));
        if (estimate_ok && !(std::abs(estimate - theta_s) <= 1e-9 * std::abs(theta_s)))
            out.add(t.where(r, ce), cat("estimate ", number_text(estimate), " of ", label, " differs from its trade_elasticity ",
                                        number_text(theta_s), " in sectors.csv; expected the same value (relative 1e-9)"));
        se(static_cast<Index>(s)) = value;
    }
    for (std::size_t s = 0; s < S; ++s)
        if (row_of[s] == t.n_rows())
            out.add(t.path().string(), cat("no row for sector '", sector_labels[s], "', expected each sector of sectors.csv exactly once"));
    return se;
}

}  // namespace

std::vector<fs::path> data_search_path() {
    std::vector<fs::path> path;
    if (const char* env = std::getenv("INTEGRA_DATA_PATH"); env && *env) {
        std::stringstream list(env);
        for (std::string folder; std::getline(list, folder, ':');)
            if (!folder.empty()) path.emplace_back(folder);
    }
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    const fs::path installed = ec ? fs::path() : exe.parent_path().parent_path() / "share" / "integra" / "data";
    path.push_back(!installed.empty() && fs::is_directory(installed) ? installed : fs::path(INTEGRA_SOURCE_DATA_DIR));
    return path;
}

fs::path resolve_dataset(const std::string& name_or_path) {
    const fs::path as_path(name_or_path);
    if (name_or_path.find('/') != std::string::npos || name_or_path.starts_with(".")) {
        if (fs::is_directory(as_path)) return as_path;
        throw dataset_not_found(cat("dataset '", name_or_path, "': no such folder"));
    }
    const auto search = data_search_path();
    for (const auto& root : search)
        if (fs::exists(root / name_or_path / "manifest.toml")) return root / name_or_path;
    std::set<std::string> names;
    std::string roots;
    for (const auto& root : search) {
        roots += (roots.empty() ? "" : ", ") + root.string();
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(root, ec))
            if (fs::exists(entry.path() / "manifest.toml")) names.insert(entry.path().filename().string());
    }
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    throw dataset_not_found(cat("dataset '", name_or_path, "': not found in ", roots, " (there: ", list.empty() ? "none" : list,
                            "); give a folder path with a '/' or add its parent folder to INTEGRA_DATA_PATH"));
}

dataset load_dataset(const std::string& name_or_path) {
    using L = dataset_limits;
    const fs::path folder = resolve_dataset(name_or_path);
    const manifest m(folder);
    dataset d;
    d.folder = folder;
    d.title = m.text("title");
    d.currency = m.text("currency");
    d.sources = m.sources();
    d.checksum = m.checksum();
    models::economy& e = d.economy;
    e.name = m.text("name");
    e.base_year = m.base_year();
    e.unit = m.text("unit");
    const std::string subject = cat("dataset '", e.name, "' (", folder.string(), ")");

    // Regions and sectors first: every other file is read against them, so a problem here
    // is reported alone (no follow-on error for each cell of the other files).
    issues problems;
    with_table(m.file("regions"), {"region", "name"}, problems, [&](const csv_table& t, issues& out) {
        e.regions = read_labels(t, "region", e.region_names, out);
    });
    with_table(m.file("sectors"), {"sector", "name", "tradable", "trade_elasticity"}, problems,
               [&](const csv_table& t, issues& out) {
                   e.sectors = read_labels(t, "sector", e.sector_names, out);
                   const std::size_t ct = t.column("tradable"), ce = t.column("trade_elasticity");
                   e.trade_elasticity.resize(static_cast<Index>(t.n_rows()));
                   e.tradable.resize(t.n_rows());
                   for (std::size_t r = 0; r < t.n_rows(); ++r) {
                       const std::string& flag = t.field(r, ct);
                       if (flag != "0" && flag != "1") out.add(t.where(r, ct), cat("expected 0 or 1, got '", quoted_text(flag), "'"));
                       e.tradable[r] = flag == "1";
                       e.trade_elasticity(static_cast<Index>(r)) =
                           number_in(t, r, ce, {0.0, L::max_trade_elasticity, true, false, "in (0, 1000]"}, "trade elasticity", out);
                   }
               });
    problems.throw_if_any<invalid_input>(subject);

    const auto R = static_cast<Index>(e.regions.size());
    const auto S = static_cast<Index>(e.sectors.size());
    const label_index regions("region", "regions.csv", e.regions), sectors("sector", "sectors.csv", e.sectors);
    const std::size_t nR = e.regions.size(), nS = e.sectors.size();

    e.gross_output = read_region_sector(m.file("gross_output"), regions, sectors,
                                        {0.0, infinity, false, true, "finite and >= 0"},
                                        "gross output", problems);
    e.value_added = read_region_sector(m.file("value_added"), regions, sectors, {0.0, infinity, false, true, "finite and >= 0"},
                                       "value added", problems);
    e.final_demand_share = read_region_sector(m.file("final_demand_shares"), regions, sectors,
                                              {0.0, 1.0, false, false, "in [0, 1]"}, "final-demand share", problems);
    {
        // Shares sum to 1 per region (relative 1e-6), reported with the file.
        issues local;
        for (Index n = 0; n < R; ++n) {
            const double sum = e.final_demand_share.row(n).sum();
            if (std::isfinite(sum) && !(std::abs(sum - 1.0) <= 1e-6))
                local.add(m.file("final_demand_shares").string(),
                          cat("region '", e.regions[static_cast<std::size_t>(n)], "': shares sum to ", number_text(sum, 10),
                              ", expected 1 (within 1e-6)"));
        }
        append_limited(problems, local, m.file("final_demand_shares"));
    }
    if (const fs::path p = m.file("investment_shares"); !p.empty()) {
        // Optional beta^j_n (the sector composition of GFCF): read like the final-demand
        // shares (every region/sector once, in [0, 1], each region's shares sum to 1 within
        // 1e-6) and stored sectors x regions.
        const Eigen::MatrixXd beta = read_region_sector(p, regions, sectors, {0.0, 1.0, false, false, "in [0, 1]"},
                                                        "investment share", problems);
        issues local;
        for (Index n = 0; n < R; ++n) {
            const double sum = beta.row(n).sum();
            if (std::isfinite(sum) && !(std::abs(sum - 1.0) <= 1e-6))
                local.add(p.string(), cat("region '", e.regions[static_cast<std::size_t>(n)], "': investment shares sum to ",
                                          number_text(sum, 10), ", expected 1 (within 1e-6)"));
        }
        append_limited(problems, local, p);
        d.investment_shares = beta.transpose();
    }

    e.io_coefficients.assign(nR, Eigen::MatrixXd::Zero(S, S));
    with_table(m.file("io_coefficients"), {"region", "input_sector", "using_sector", "value"}, problems,
               [&](const csv_table& t, issues& out) {
                   const std::size_t cr = t.column("region"), ck = t.column("input_sector"), cj = t.column("using_sector"),
                                     cv = t.column("value");
                   first_rows<std::tuple<std::size_t, std::size_t, std::size_t>> seen;
                   for (std::size_t r = 0; r < t.n_rows(); ++r) {
                       const auto n = regions.find(t, r, cr, out), k = sectors.find(t, r, ck, out), j = sectors.find(t, r, cj, out);
                       const double v = number_in(t, r, cv, {0.0, 1.0, false, true, "in [0, 1)"}, "input coefficient", out);
                       if (n == nR || k == nS || j == nS) continue;
                       if (!seen.insert({n, k, j}, t, r, cat(t.field(r, cr), " ", t.field(r, ck), " -> ", t.field(r, cj)), out)) continue;
                       if (!std::isnan(v)) e.io_coefficients[n](static_cast<Index>(k), static_cast<Index>(j)) = v;
                   }
                   std::size_t missing = 0;
                   std::string first;
                   for (std::size_t n = 0; n < nR; ++n)
                       for (std::size_t k = 0; k < nS; ++k)
                           for (std::size_t j = 0; j < nS; ++j)
                               if (!seen.contains({n, k, j}) && ++missing <= 5)
                                   first += cat(first.empty() ? "" : ", ", e.regions[n], " ", e.sectors[k], " -> ", e.sectors[j]);
                   if (missing > 0)
                       out.add(t.path().string(), cat("missing rows for ", missing, " region/input/using combination(s): ", first,
                                                      missing > 5 ? ", ..." : "", "; expected all of them (write 0 for none)"));
               });

    // Bilateral blocks: rows that are absent are zero.
    auto read_bilateral = [&](const fs::path& p, const std::string& value_column, bool is_tariff) {
        std::vector<Eigen::MatrixXd> blocks(nS, Eigen::MatrixXd::Zero(R, R));
        if (p.empty()) return blocks;
        const std::vector<std::string> columns = is_tariff ? std::vector<std::string>{"importer", "exporter", "sector", "rate"}
                                                           : std::vector<std::string>{"exporter", "importer", "sector", "value"};
        with_table(p, columns, problems, [&](const csv_table& t, issues& out) {
            const std::size_t ci = t.column("exporter"), cn = t.column("importer"), cs = t.column("sector"),
                              cv = t.column(value_column);
            first_rows<std::tuple<std::size_t, std::size_t, std::size_t>> seen;
            const range r = is_tariff ? range{0.0, L::max_tariff, false, false, "in [0, 10] (a fraction: 0.05 = 5%, at most 1000%)"}
                                      : range{0.0, infinity, false, true, "finite and >= 0"};
            for (std::size_t row = 0; row < t.n_rows(); ++row) {
                const auto i = regions.find(t, row, ci, out), n = regions.find(t, row, cn, out),
                           s = sectors.find(t, row, cs, out);
                const double v = number_in(t, row, cv, r, is_tariff ? "tariff" : "trade flow", out);
                if (i == nR || n == nR || s == nS) continue;
                if (!seen.insert({i, n, s}, t, row, cat(t.field(row, ci), " -> ", t.field(row, cn), ", ", t.field(row, cs)), out)) continue;
                if (std::isnan(v)) continue;
                if (is_tariff && i == n && v != 0.0)
                    out.add(t.where(row, cv), cat("a region does not tax its own goods: expected 0 for ", e.regions[i], " -> ",
                                                  e.regions[n], ", got ", quoted_text(t.field(row, cv))));
                else if (is_tariff && !e.tradable[s] && v != 0.0)
                    out.add(t.where(row, cv), cat("sector '", e.sectors[s], "' is not tradable (sectors.csv): expected tariff 0, got ",
                                                  quoted_text(t.field(row, cv))));
                else if (!is_tariff && i != n && !e.tradable[s] && v != 0.0)
                    out.add(t.where(row, cv), cat("sector '", e.sectors[s], "' is not tradable (sectors.csv): expected no trade between ",
                                                  "regions, got ", quoted_text(t.field(row, cv))));
                blocks[s](static_cast<Index>(i), static_cast<Index>(n)) = v;
            }
        });
        return blocks;
    };
    e.trade = read_bilateral(m.file("trade"), "value", false);
    e.tariffs = read_bilateral(m.file("tariffs"), "rate", true);
    for (const auto& [name, path] : m.tariff_tables()) d.tariff_tables[name] = read_bilateral(path, "rate", true);
    if (const fs::path p = m.file("non_preferential_tariffs"); !p.empty()) {
        d.non_preferential_tariffs = read_bilateral(p, "rate", true);
        // A preference lowers a tariff; a non-preferential rate below the applied one is a
        // swapped or misaligned file. Reported once per file, at the worst cell.
        double worst = 0.0;
        std::string where;
        for (std::size_t s = 0; s < d.non_preferential_tariffs.size() && s < e.tariffs.size(); ++s) {
            const auto& np = d.non_preferential_tariffs[s];
            const auto& applied = e.tariffs[s];
            if (np.rows() != applied.rows() || np.cols() != applied.cols()) continue;
            for (Index i = 0; i < np.rows(); ++i)
                for (Index n = 0; n < np.cols(); ++n)
                    if (const double gap = applied(i, n) - np(i, n); gap > worst + 1e-9) {
                        worst = gap;
                        where = cat(e.regions[static_cast<std::size_t>(i)], " -> ", e.regions[static_cast<std::size_t>(n)], ", ",
                                    e.sectors[s], ": non-preferential ", np(i, n), " < applied ", applied(i, n));
                    }
        }
        if (!where.empty())
            problems.add(p.string(), cat("a non-preferential rate is below the applied rate in tariffs.csv (largest gap ",
                                         where, "); expected rates at or above the applied ones"));
    }

    e.deficit = Eigen::VectorXd::Zero(R);
    with_table(m.file("deficits"), {"region", "value"}, problems, [&](const csv_table& t, issues& out) {
        const std::size_t cr = t.column("region"), cv = t.column("value");
        first_rows<std::size_t> seen;
        for (std::size_t r = 0; r < t.n_rows(); ++r) {
            const auto n = regions.find(t, r, cr, out);
            const double v = t.number(r, cv, out);
            if (n == nR || !seen.insert(n, t, r, cat("region ", e.regions[n]), out)) continue;
            e.deficit(static_cast<Index>(n)) = v;
        }
        std::vector<std::string> missing;
        for (std::size_t n = 0; n < nR; ++n)
            if (!seen.contains(n)) missing.push_back(e.regions[n]);
        if (!missing.empty())
            out.add(t.path().string(), cat("no row for region(s) ", join(missing), "; expected every region once"));
    });

    if (const fs::path p = m.file("groups"); !p.empty())
        with_table(p, {"group", "member"}, problems, [&](const csv_table& t, issues& out) {
            const std::size_t cg = t.column("group"), cm = t.column("member");
            first_rows<std::pair<std::string, std::string>> seen;
            std::map<std::string, std::size_t> first_of;  // group -> first row
            std::map<std::string, std::string> by_case;   // lower-case name -> name
            std::string previous;
            for (std::size_t r = 0; r < t.n_rows(); ++r) {
                const std::string& g = t.field(r, cg);
                const auto n = regions.find(t, r, cm, out);
                if (!is_identifier(g)) {
                    out.add(t.where(r, cg), cat("group name '", quoted_text(g), "' is not an identifier; expected letters, digits and '_'"));
                    continue;
                }
                if (regions.index.count(g)) {
                    out.add(t.where(r, cg), cat("group '", g, "' has the name of a region; expected a name that is not a region code"));
                    continue;
                }
                if (g == "all") {
                    out.add(t.where(r, cg), "group name 'all' is reserved (it means every region); expected another name");
                    continue;
                }
                if (const auto [it, inserted] = by_case.emplace(lower(g), g); !inserted && it->second != g) {
                    out.add(t.where(r, cg), cat("group '", g, "' shadows group '", it->second, "' (names differ only in case); expected distinct names"));
                    continue;
                }
                if (const auto [it, inserted] = first_of.emplace(g, r); !inserted && g != previous) {
                    out.add(t.where(r, cg), cat("group '", g, "' is defined again (its first block starts at line ", t.line(it->second),
                                                "); expected one block of rows per group"));
                    previous = g;
                    continue;
                }
                previous = g;
                if (n == nR || !seen.insert({g, t.field(r, cm)}, t, r, cat("group ", g, " member ", t.field(r, cm)), out)) continue;
                d.groups[g].push_back(t.field(r, cm));
            }
        });

    if (const fs::path p = m.file("population"); !p.empty())
        with_table(p, {"region", "year", "variant", "value"}, problems, [&](const csv_table& t, issues& out) {
            const std::size_t cr = t.column("region"), cy = t.column("year"), cv = t.column("variant"), cx = t.column("value");
            std::vector<std::optional<long long>> year_of(t.n_rows());
            std::set<int> years;
            for (std::size_t r = 0; r < t.n_rows(); ++r)
                if ((year_of[r] = t.integer(r, cy, L::min_year, L::max_year, out))) years.insert(static_cast<int>(*year_of[r]));
            d.population_years.assign(years.begin(), years.end());
            first_rows<std::tuple<std::size_t, int, std::string>> seen;
            for (std::size_t r = 0; r < t.n_rows(); ++r) {
                const auto n = regions.find(t, r, cr, out);
                const std::string& variant = t.field(r, cv);
                const bool variant_ok = variant == "medium" || variant == "low" || variant == "high";
                if (!variant_ok) out.add(t.where(r, cv), cat("unknown variant '", quoted_text(variant), "'; expected medium, low or high"));
                const double v = number_in(t, r, cx, {0.0, L::max_population, true, false, "in (0, 1e8] (thousand persons)"},
                                           "population", out);
                if (n == nR || !year_of[r] || !variant_ok) continue;
                const int year = static_cast<int>(*year_of[r]);
                if (!seen.insert({n, year, variant}, t, r, cat(e.regions[n], " ", year, " (", variant, ")"), out)) continue;
                auto& block = d.population[variant];
                if (block.size() == 0) block = Eigen::MatrixXd::Constant(static_cast<Index>(years.size()), R, nan_value);
                block(std::distance(years.begin(), years.find(year)), static_cast<Index>(n)) = std::isnan(v) ? 1.0 : v;
            }
            for (const auto& [variant, block] : d.population)
                report_gaps(block, d.population_years, e.regions, p, "population (" + variant + ")", out);
        });

    if (const fs::path p = m.file("productivity_growth"); !p.empty())
        with_table(p, {"region", "year", "value"}, problems, [&](const csv_table& t, issues& out) {
            const std::size_t cr = t.column("region"), cy = t.column("year"), cx = t.column("value");
            std::vector<std::optional<long long>> year_of(t.n_rows());
            std::set<int> years;
            for (std::size_t r = 0; r < t.n_rows(); ++r)
                if ((year_of[r] = t.integer(r, cy, L::min_year, L::max_year, out))) years.insert(static_cast<int>(*year_of[r]));
            d.productivity_years.assign(years.begin(), years.end());
            d.productivity_growth = Eigen::MatrixXd::Constant(static_cast<Index>(years.size()), R, nan_value);
            first_rows<std::pair<std::size_t, int>> seen;
            for (std::size_t r = 0; r < t.n_rows(); ++r) {
                const auto n = regions.find(t, r, cr, out);
                const double v = number_in(t, r, cx, {-1.0, 1.0, true, false, "in (-1, 1] (a fraction per year)"},
                                           "productivity growth", out);
                if (n == nR || !year_of[r]) continue;
                const int year = static_cast<int>(*year_of[r]);
                if (!seen.insert({n, year}, t, r, cat(e.regions[n], " ", year), out)) continue;
                d.productivity_growth(std::distance(years.begin(), years.find(year)), static_cast<Index>(n)) = std::isnan(v) ? 0.0 : v;
            }
            report_gaps(d.productivity_growth, d.productivity_years, e.regions, p, "productivity growth", out);
        });

    if (const fs::path p = m.file("migrant_stocks"); !p.empty()) {
        // Optional stocks of migrants by origin (row) and destination (column), thousand
        // persons; absent cells are zero; a region's own residents are not migrants.
        d.migrant_stocks = Eigen::MatrixXd::Zero(R, R);
        with_table(p, {"origin", "destination", "value"}, problems, [&](const csv_table& t, issues& out) {
            const std::size_t co = t.column("origin"), cd = t.column("destination"), cv = t.column("value");
            first_rows<std::pair<std::size_t, std::size_t>> seen;
            for (std::size_t r = 0; r < t.n_rows(); ++r) {
                const auto o = regions.find(t, r, co, out), n = regions.find(t, r, cd, out);
                const double v = number_in(t, r, cv, {0.0, infinity, false, true, "finite and >= 0 (thousand persons)"},
                                           "migrant stock", out);
                if (o == nR || n == nR) continue;
                if (!seen.insert({o, n}, t, r, cat(e.regions[o], " -> ", e.regions[n]), out)) continue;
                if (o == n) {
                    out.add(t.where(r, cd), cat("origin and destination are both '", e.regions[o],
                                                "': a region's own residents are not migrants; expected cells between two different regions"));
                    continue;
                }
                if (!std::isnan(v)) d.migrant_stocks(static_cast<Index>(o), static_cast<Index>(n)) = v;
            }
        });
    }

    if (const fs::path p = m.file("remittances"); !p.empty()) {
        // Optional remittances received / GDP per region (a fraction), with the year of each
        // value; regions without a row are NaN (year 0).
        d.remittances_share_of_gdp = Eigen::VectorXd::Constant(R, nan_value);
        d.remittances_year.assign(nR, 0);
        with_table(p, {"region", "year", "value"}, problems, [&](const csv_table& t, issues& out) {
            const std::size_t cr = t.column("region"), cy = t.column("year"), cv = t.column("value");
            first_rows<std::size_t> seen;
            for (std::size_t r = 0; r < t.n_rows(); ++r) {
                const auto n = regions.find(t, r, cr, out);
                const auto year = t.integer(r, cy, L::min_year, L::max_year, out);
                const double v = number_in(t, r, cv, {0.0, 1.0, false, true, "in [0, 1) (a fraction of GDP: 0.26 = 26%)"},
                                           "remittances share of GDP", out);
                if (n == nR || !seen.insert(n, t, r, cat("region ", e.regions[n]), out)) continue;
                if (!year || std::isnan(v)) continue;
                d.remittances_share_of_gdp(static_cast<Index>(n)) = v;
                d.remittances_year[n] = static_cast<int>(*year);
            }
        });
    }

    if (const fs::path p = m.file("output_history"); !p.empty())
        // Optional real GDP and real tradable value added by year (million constant US$):
        // years x regions, NaN where a region has no row for a year (gaps are allowed).
        with_table(p, {"region", "year", "gdp", "tradable_va"}, problems, [&](const csv_table& t, issues& out) {
            const std::size_t cr = t.column("region"), cy = t.column("year"), cg = t.column("gdp"), cv = t.column("tradable_va");
            std::vector<std::optional<long long>> year_of(t.n_rows());
            std::set<int> years;
            for (std::size_t r = 0; r < t.n_rows(); ++r)
                if ((year_of[r] = t.integer(r, cy, L::min_year, L::max_year, out))) years.insert(static_cast<int>(*year_of[r]));
            d.output_history_years.assign(years.begin(), years.end());
            d.output_history_gdp = Eigen::MatrixXd::Constant(static_cast<Index>(years.size()), R, nan_value);
            d.output_history_tradable = d.output_history_gdp;
            first_rows<std::pair<std::size_t, int>> seen;
            const range positive{0.0, infinity, true, true, "finite and > 0 (million constant US$)"};
            for (std::size_t r = 0; r < t.n_rows(); ++r) {
                const auto n = regions.find(t, r, cr, out);
                const double g = number_in(t, r, cg, positive, "real GDP", out);
                const double v = number_in(t, r, cv, positive, "real tradable value added", out);
                if (n == nR || !year_of[r]) continue;
                const int year = static_cast<int>(*year_of[r]);
                if (!seen.insert({n, year}, t, r, cat(e.regions[n], " ", year), out)) continue;
                const Index y = std::distance(years.begin(), years.find(year));
                d.output_history_gdp(y, static_cast<Index>(n)) = g;
                d.output_history_tradable(y, static_cast<Index>(n)) = v;
            }
        });

    if (const fs::path p = m.file("business_cycles"); !p.empty()) {
        // Optional AR(1) process of each region's tradable-sector shock (policy-modules D.B.2):
        // persistence rho in [0, 1), volatility sigma >= 0; every region exactly once.
        d.cycle_persistence = Eigen::VectorXd::Constant(R, nan_value);
        d.cycle_volatility = Eigen::VectorXd::Constant(R, nan_value);
        with_table(p, {"region", "rho", "sigma", "years", "method"}, problems, [&](const csv_table& t, issues& out) {
            const std::size_t cr = t.column("region"), crho = t.column("rho"), cs = t.column("sigma"), cy = t.column("years");
            first_rows<std::size_t> seen;
            for (std::size_t r = 0; r < t.n_rows(); ++r) {
                const auto n = regions.find(t, r, cr, out);
                const double rho = number_in(t, r, crho, {0.0, 1.0, false, true, "in [0, 1) (a stationary AR(1))"},
                                             "persistence rho", out);
                const double sigma = number_in(t, r, cs, {0.0, infinity, false, true, "finite and >= 0 (log points per year)"},
                                               "volatility sigma", out);
                (void)t.integer(r, cy, 0, 10000, out);
                if (n == nR || !seen.insert(n, t, r, cat("region ", e.regions[n]), out)) continue;
                d.cycle_persistence(static_cast<Index>(n)) = rho;
                d.cycle_volatility(static_cast<Index>(n)) = sigma;
            }
            std::vector<std::string> missing;
            for (std::size_t n = 0; n < nR; ++n)
                if (!seen.contains(n)) missing.push_back(e.regions[n]);
            if (!missing.empty())
                out.add(t.path().string(), cat("no row for region(s) ", join(missing), "; expected every region once"));
        });
    }

    if (const fs::path p = m.file("shock_correlation"); !p.empty()) {
        // Optional correlation of the regions' shocks, R x R: every cell given, in [-1, 1],
        // diagonal 1, symmetric within 1e-9. Positive semi-definiteness is the model's check
        // (models::validate(shock_process)), not the loader's.
        d.shock_correlation = Eigen::MatrixXd::Constant(R, R, nan_value);
        with_table(p, {"region", "partner", "value"}, problems, [&](const csv_table& t, issues& out) {
            const std::size_t cr = t.column("region"), cp = t.column("partner"), cv = t.column("value");
            first_rows<std::pair<std::size_t, std::size_t>> seen;
            std::vector<std::size_t> row_of(nR * nR, t.n_rows());
            for (std::size_t r = 0; r < t.n_rows(); ++r) {
                const auto i = regions.find(t, r, cr, out), j = regions.find(t, r, cp, out);
                const double v = number_in(t, r, cv, {-1.0, 1.0, false, false, "in [-1, 1]"}, "correlation", out);
                if (i == nR || j == nR) continue;
                if (!seen.insert({i, j}, t, r, cat(e.regions[i], " / ", e.regions[j]), out)) continue;
                if (std::isnan(v)) continue;
                if (i == j && v != 1.0) {
                    out.add(t.where(r, cv), cat("the correlation of ", e.regions[i], " with itself must be 1, got '",
                                                quoted_text(t.field(r, cv)), "'"));
                    continue;
                }
                d.shock_correlation(static_cast<Index>(i), static_cast<Index>(j)) = v;
                row_of[i * nR + j] = r;
            }
            std::size_t missing = 0;
            std::string first;
            for (std::size_t i = 0; i < nR; ++i)
                for (std::size_t j = 0; j < nR; ++j)
                    if (!seen.contains({i, j}) && ++missing <= 5)
                        first += cat(first.empty() ? "" : ", ", e.regions[i], " / ", e.regions[j]);
            if (missing > 0)
                out.add(t.path().string(), cat("missing rows for ", missing, " region/partner pair(s): ", first,
                                               missing > 5 ? ", ..." : "", "; expected all ", nR, " x ", nR, " cells"));
            for (std::size_t i = 0; i < nR; ++i)
                for (std::size_t j = i + 1; j < nR; ++j) {
                    const double a = d.shock_correlation(static_cast<Index>(i), static_cast<Index>(j)),
                                 b = d.shock_correlation(static_cast<Index>(j), static_cast<Index>(i));
                    if (std::isnan(a) || std::isnan(b) || std::abs(a - b) <= 1e-9) continue;
                    out.add(t.where(row_of[j * nR + i], cv), cat("asymmetric correlation: ", e.regions[j], " / ", e.regions[i], " is ",
                                                                 number_text(b), " but ", e.regions[i], " / ", e.regions[j], " (line ",
                                                                 t.line(row_of[i * nR + j]), ") is ", number_text(a),
                                                                 "; expected equal values (within 1e-9)"));
                }
        });
    }

    if (const fs::path p = m.file("trade_elasticities"); !p.empty())
        with_table(p, {"sector", "estimate", "standard_error", "source"}, problems, [&](const csv_table& t, issues& out) {
            d.trade_elasticity_se = read_trade_elasticity_se(t, e.sectors, e.trade_elasticity, out);
        });

    problems.throw_if_any<invalid_input>(subject);
    issues inconsistencies;
    models::validate(e, inconsistencies);
    inconsistencies.throw_if_any<inconsistent_input>(subject);
    return d;
}

}  // namespace integra::sim
