#include "sim/data/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <set>
#include <sstream>

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

// Label -> index, with file:line errors for unknown labels.
struct label_index {
    std::string what;
    std::map<std::string, std::size_t> index;

    label_index(std::string what_, const std::vector<std::string>& labels) : what(std::move(what_)) {
        for (std::size_t i = 0; i < labels.size(); ++i) index.emplace(labels[i], i);
    }
    std::size_t find(const csv_table& t, std::size_t row, std::size_t col, issues& out) const {
        const auto it = index.find(t.field(row, col));
        if (it != index.end()) return it->second;
        out.add(t.where(row, col), cat("unknown ", what, " '", t.field(row, col), "'"));
        return index.size();
    }
};

std::uint64_t fnv1a(std::uint64_t h, const std::string& bytes) {
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class manifest {
public:
    explicit manifest(const fs::path& folder) : folder_(folder) {
        const fs::path path = folder / "manifest.toml";
        if (!fs::exists(path)) throw dataset_not_found(cat("dataset '", folder.string(), "': not a dataset folder (no manifest.toml)"));
        try {
            table_ = toml::parse_file(path.string());
        } catch (const toml::parse_error& e) {
            throw invalid_input(cat(path.string(), ":", e.source().begin.line, ":", e.source().begin.column, ": ",
                                    e.description()));
        }
        path_ = path;
    }
    std::string text(const std::string& key, bool required = true) const {
        if (auto v = table_[key].value<std::string>()) return *v;
        if (required) throw invalid_input(cat(path_.string(), ": missing string key '", key, "'"));
        return {};
    }
    int integer(const std::string& key) const {
        if (auto v = table_[key].value<int64_t>()) return static_cast<int>(*v);
        throw invalid_input(cat(path_.string(), ": missing integer key '", key, "'"));
    }
    /// The path of the file listed under [files] `key`, or empty if optional and absent.
    fs::path file(const std::string& key, bool required = true) const {
        if (auto v = table_["files"][key].value<std::string>()) {
            const fs::path p = folder_ / *v;
            if (!fs::exists(p)) throw invalid_input(cat(path_.string(), ": [files] ", key, " = '", *v, "': no such file"));
            return p;
        }
        if (required) throw invalid_input(cat(path_.string(), ": [files] is missing the required block '", key, "'"));
        return {};
    }
    /// [tariff_tables]: name -> path.
    std::map<std::string, fs::path> tariff_tables() const {
        std::map<std::string, fs::path> out;
        if (const auto* t = table_["tariff_tables"].as_table())
            for (const auto& [name, value] : *t) {
                const auto file_name = value.value<std::string>();
                if (!file_name || !fs::exists(folder_ / *file_name))
                    throw invalid_input(cat(path_.string(), ": [tariff_tables] ", name.str(), ": expected an existing file name"));
                out[std::string(name.str())] = folder_ / *file_name;
            }
        return out;
    }
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
        h = fnv1a(h, read_file(path_));
        for (const char* section : {"files", "tariff_tables"})
            if (const auto* files = table_[section].as_table())
                for (const auto& [key, value] : *files)
                    if (auto name = value.value<std::string>()) h = fnv1a(h, read_file(folder_ / *name));
        std::ostringstream s;
        s << "fnv1a64:" << std::hex << std::setw(16) << std::setfill('0') << h;
        return s.str();
    }

private:
    fs::path folder_, path_;
    toml::table table_;
};

std::vector<std::string> read_labels(const csv_table& t, const std::string& key, std::vector<std::string>& names) {
    const std::size_t c = t.column(key), n = t.column("name");
    std::vector<std::string> labels;
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        labels.push_back(t.field(r, c));
        names.push_back(t.field(r, n));
    }
    return labels;
}

// Reads a region x sector block ("region,sector,value") into an R x S matrix; every cell
// must appear exactly once.
Eigen::MatrixXd read_region_sector(const fs::path& p, const label_index& regions, const label_index& sectors,
                                   issues& out) {
    const auto t = csv_table::read(p);
    const std::size_t cr = t.column("region"), cs = t.column("sector"), cv = t.column("value");
    Eigen::MatrixXd m = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(regions.index.size()),
                                                  static_cast<Eigen::Index>(sectors.index.size()),
                                                  std::numeric_limits<double>::quiet_NaN());
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        const auto i = regions.find(t, r, cr, out), s = sectors.find(t, r, cs, out);
        const double v = t.number(r, cv, out);
        if (i == regions.index.size() || s == sectors.index.size()) continue;
        if (!std::isnan(m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(s))))
            out.add(t.where(r), cat("duplicate entry for ", t.field(r, cr), "/", t.field(r, cs)));
        m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(s)) = v;
    }
    for (const auto& [rl, i] : regions.index)
        for (const auto& [sl, s] : sectors.index)
            if (std::isnan(m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(s))))
                out.add(p.string(), cat("missing entry for ", rl, "/", sl));
    return m;
}

// Every (year, region) cell of a time series must be given: reports the missing ones (the
// first few by name, then how many).
void report_gaps(const Eigen::MatrixXd& block, const std::vector<int>& years, const std::vector<std::string>& regions,
                 const fs::path& file, const std::string& what, issues& out) {
    std::size_t missing = 0;
    std::string first;
    for (Eigen::Index y = 0; y < block.rows(); ++y)
        for (Eigen::Index n = 0; n < block.cols(); ++n)
            if (std::isnan(block(y, n)) && ++missing <= 5)
                first += cat(first.empty() ? "" : ", ", regions[static_cast<std::size_t>(n)], " ", years[static_cast<std::size_t>(y)]);
    if (missing > 0)
        out.add(file.string(), cat("missing ", what, " for ", missing, " region-year(s): ", first, missing > 5 ? ", ..." : ""));
}

// trade_elasticities.csv ("sector,estimate,standard_error,source"): the standard error of
// each sector's trade elasticity, in model order. Strict: every sector of sectors.csv exactly
// once, the standard error finite and >= 0, and the estimate equal (relative 1e-9) to the
// sector's trade_elasticity in sectors.csv, so that the file describes the theta the model uses.
Eigen::VectorXd read_trade_elasticity_se(const fs::path& p, const std::vector<std::string>& sector_labels,
                                         const Eigen::VectorXd& theta, issues& out) {
    const auto t = csv_table::read(p);
    const std::size_t cs = t.column("sector"), ce = t.column("estimate"), cse = t.column("standard_error");
    (void)t.column("source");  // required, informative
    std::string expected;
    for (const auto& s : sector_labels) expected += (expected.empty() ? "" : ", ") + s;
    const std::size_t S = sector_labels.size();
    Eigen::VectorXd se = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(S), std::numeric_limits<double>::quiet_NaN());
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
            out.add(t.where(r, cs), cat("unknown sector '", label, "', expected one of the sectors of sectors.csv (", expected, ")"));
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
            out.add(t.where(r, cse), cat("standard error of ", label, " must be finite and >= 0, got '", t.field(r, cse), "'"));
        const double theta_s = theta(static_cast<Eigen::Index>(s));
        if (estimate_ok && !(std::abs(estimate - theta_s) <= 1e-9 * std::abs(theta_s)))
            out.add(t.where(r, ce), cat("estimate ", number_text(estimate), " of ", label, " differs from its trade_elasticity ",
                                        number_text(theta_s), " in sectors.csv; expected the same value (relative 1e-9)"));
        se(static_cast<Eigen::Index>(s)) = value;
    }
    for (std::size_t s = 0; s < S; ++s)
        if (row_of[s] == t.n_rows())
            out.add(p.string(), cat("no row for sector '", sector_labels[s], "', expected each sector of sectors.csv exactly once"));
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
    const fs::path folder = resolve_dataset(name_or_path);
    const manifest m(folder);
    dataset d;
    d.folder = folder;
    d.title = m.text("title", false);
    d.currency = m.text("currency", false);
    d.sources = m.sources();
    d.checksum = m.checksum();
    models::economy& e = d.economy;
    e.name = m.text("name");
    e.base_year = m.integer("base_year");
    e.unit = m.text("unit");

    const auto regions_csv = csv_table::read(m.file("regions"));
    e.regions = read_labels(regions_csv, "region", e.region_names);
    const auto sectors_csv = csv_table::read(m.file("sectors"));
    e.sectors = read_labels(sectors_csv, "sector", e.sector_names);

    issues problems;
    const auto R = static_cast<Eigen::Index>(e.regions.size());
    const auto S = static_cast<Eigen::Index>(e.sectors.size());
    const label_index regions("region", e.regions), sectors("sector", e.sectors);

    e.trade_elasticity.resize(S);
    e.tradable.resize(e.sectors.size());
    {
        const std::size_t ct = sectors_csv.column("tradable"), ce = sectors_csv.column("trade_elasticity");
        for (std::size_t r = 0; r < sectors_csv.n_rows(); ++r) {
            const std::string& flag = sectors_csv.field(r, ct);
            if (flag != "0" && flag != "1") problems.add(sectors_csv.where(r, ct), cat("expected 0 or 1, got '", flag, "'"));
            e.tradable[r] = flag == "1";
            e.trade_elasticity(static_cast<Eigen::Index>(r)) = sectors_csv.number(r, ce, problems);
        }
    }
    e.gross_output = read_region_sector(m.file("gross_output"), regions, sectors, problems);
    e.value_added = read_region_sector(m.file("value_added"), regions, sectors, problems);
    e.final_demand_share = read_region_sector(m.file("final_demand_shares"), regions, sectors, problems);

    e.io_coefficients.assign(e.regions.size(), Eigen::MatrixXd::Zero(S, S));
    {
        const auto t = csv_table::read(m.file("io_coefficients"));
        const std::size_t cr = t.column("region"), ck = t.column("input_sector"), cj = t.column("using_sector"),
                          cv = t.column("value");
        for (std::size_t r = 0; r < t.n_rows(); ++r) {
            const auto n = regions.find(t, r, cr, problems), k = sectors.find(t, r, ck, problems),
                       j = sectors.find(t, r, cj, problems);
            const double v = t.number(r, cv, problems);
            if (n < e.regions.size() && k < e.sectors.size() && j < e.sectors.size())
                e.io_coefficients[n](static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) = v;
        }
    }
    // Bilateral blocks: rows that are absent are zero.
    auto read_bilateral = [&](const fs::path& p, const std::string& value_column) {
        std::vector<Eigen::MatrixXd> blocks(e.sectors.size(), Eigen::MatrixXd::Zero(R, R));
        if (p.empty()) return blocks;
        const auto t = csv_table::read(p);
        const std::size_t ci = t.column("exporter"), cn = t.column("importer"), cs = t.column("sector"),
                          cv = t.column(value_column);
        std::set<std::tuple<std::size_t, std::size_t, std::size_t>> seen;
        for (std::size_t r = 0; r < t.n_rows(); ++r) {
            const auto i = regions.find(t, r, ci, problems), n = regions.find(t, r, cn, problems),
                       s = sectors.find(t, r, cs, problems);
            const double v = t.number(r, cv, problems);
            if (i >= e.regions.size() || n >= e.regions.size() || s >= e.sectors.size()) continue;
            if (!seen.insert({i, n, s}).second)
                problems.add(t.where(r), cat("duplicate entry for ", t.field(r, ci), " -> ", t.field(r, cn), ", ",
                                             t.field(r, cs)));
            blocks[s](static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(n)) = v;
        }
        return blocks;
    };
    e.trade = read_bilateral(m.file("trade"), "value");
    e.tariffs = read_bilateral(m.file("tariffs", false), "rate");
    for (const auto& [name, path] : m.tariff_tables()) d.tariff_tables[name] = read_bilateral(path, "rate");

    e.deficit = Eigen::VectorXd::Zero(R);
    {
        const auto t = csv_table::read(m.file("deficits"));
        const std::size_t cr = t.column("region"), cv = t.column("value");
        for (std::size_t r = 0; r < t.n_rows(); ++r) {
            const auto n = regions.find(t, r, cr, problems);
            const double v = t.number(r, cv, problems);
            if (n < e.regions.size()) e.deficit(static_cast<Eigen::Index>(n)) = v;
        }
    }

    if (const fs::path p = m.file("groups", false); !p.empty()) {
        const auto t = csv_table::read(p);
        const std::size_t cg = t.column("group"), cm = t.column("member");
        for (std::size_t r = 0; r < t.n_rows(); ++r) {
            if (regions.find(t, r, cm, problems) < e.regions.size())
                d.groups[t.field(r, cg)].push_back(t.field(r, cm));
        }
    }

    if (const fs::path p = m.file("population", false); !p.empty()) {
        const auto t = csv_table::read(p);
        const std::size_t cr = t.column("region"), cy = t.column("year"), cv = t.column("variant"),
                          cx = t.column("value");
        std::set<int> years;
        for (std::size_t r = 0; r < t.n_rows(); ++r) years.insert(static_cast<int>(t.number(r, cy, problems)));
        d.population_years.assign(years.begin(), years.end());
        for (std::size_t r = 0; r < t.n_rows(); ++r) {
            const auto n = regions.find(t, r, cr, problems);
            const int year = static_cast<int>(t.number(r, cy, problems));
            const double v = t.number(r, cx, problems);
            auto& block = d.population[t.field(r, cv)];
            if (block.size() == 0)
                block = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(years.size()), R,
                                                  std::numeric_limits<double>::quiet_NaN());
            const auto y = std::distance(years.begin(), years.find(year));
            if (n >= e.regions.size()) continue;
            if (!std::isnan(block(y, static_cast<Eigen::Index>(n))))
                problems.add(t.where(r), cat("duplicate population for ", e.regions[n], " ", year, " (", t.field(r, cv), ")"));
            block(y, static_cast<Eigen::Index>(n)) = v;
        }
        for (const auto& [variant, block] : d.population) report_gaps(block, d.population_years, e.regions, p, "population (" + variant + ")", problems);
    }

    if (const fs::path p = m.file("productivity_growth", false); !p.empty()) {
        const auto t = csv_table::read(p);
        const std::size_t cr = t.column("region"), cy = t.column("year"), cx = t.column("value");
        std::set<int> years;
        for (std::size_t r = 0; r < t.n_rows(); ++r) years.insert(static_cast<int>(t.number(r, cy, problems)));
        d.productivity_years.assign(years.begin(), years.end());
        d.productivity_growth = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(years.size()), R,
                                                          std::numeric_limits<double>::quiet_NaN());
        for (std::size_t r = 0; r < t.n_rows(); ++r) {
            const auto n = regions.find(t, r, cr, problems);
            const auto y = std::distance(years.begin(), years.find(static_cast<int>(t.number(r, cy, problems))));
            const double v = t.number(r, cx, problems);
            if (v <= -1.0) problems.add(t.where(r, cx), cat("growth must be above -1 (-100%), got ", v));
            if (n >= e.regions.size()) continue;
            if (!std::isnan(d.productivity_growth(y, static_cast<Eigen::Index>(n))))
                problems.add(t.where(r), cat("duplicate productivity growth for ", e.regions[n], " ", t.field(r, cy)));
            d.productivity_growth(y, static_cast<Eigen::Index>(n)) = v;
        }
        report_gaps(d.productivity_growth, d.productivity_years, e.regions, p, "productivity growth", problems);
    }

    if (const fs::path p = m.file("trade_elasticities", false); !p.empty())
        d.trade_elasticity_se = read_trade_elasticity_se(p, e.sectors, e.trade_elasticity, problems);

    problems.throw_if_any<invalid_input>(cat("dataset '", e.name, "' (", folder.string(), ")"));
    issues inconsistencies;
    models::validate(e, inconsistencies);
    inconsistencies.throw_if_any<inconsistent_input>(cat("dataset '", e.name, "' (", folder.string(), ")"));
    return d;
}

}  // namespace integra::sim
