#include "sim/data/dataset_writer.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>
#include <random>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::sim {
namespace {

namespace fs = std::filesystem;

std::string csv_cell(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::string toml_string(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    std::array<char, 8> buf{};
                    std::snprintf(buf.data(), buf.size(), "\\u%04x", c);
                    out += buf.data();
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + '"';
}

// Builds a CSV file in memory, then writes it in one go (the files reach ~10 MB for an
// ICIO-sized economy; one buffer keeps writing fast and failures easy to report).
class csv_text {
public:
    explicit csv_text(const std::vector<std::string>& header) { row(header); }
    void row(const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i) text_ += ',';
            text_ += csv_cell(cells[i]);
        }
        text_ += '\n';
    }
    // key cells (already plain codes) followed by one number
    void keyed(std::initializer_list<const std::string*> keys, double value) {
        for (const auto* k : keys) {
            text_ += csv_cell(*k);
            text_ += ',';
        }
        text_ += format_number(value);
        text_ += '\n';
    }
    [[nodiscard]] const std::string& text() const { return text_; }

private:
    std::string text_;
};

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw io_error(cat(path.string(), ": cannot create file (", std::strerror(errno), ")"));
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) throw io_error(cat(path.string(), ": write failed (", std::strerror(errno), ")"));
}

// Indices 0..n-1 sorted by label, byte order.
std::vector<std::size_t> sorted_order(const std::vector<std::string>& labels) {
    std::vector<std::size_t> order(labels.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return labels[a] < labels[b]; });
    return order;
}

std::string unique_suffix() {
    std::random_device rd;
    return std::to_string(rd()) + std::to_string(rd());
}

// Removes a temporary folder unless released: nothing half-written survives an exception.
class folder_guard {
public:
    explicit folder_guard(fs::path p) : path_(std::move(p)) {}
    folder_guard(const folder_guard&) = delete;
    folder_guard& operator=(const folder_guard&) = delete;
    ~folder_guard() {
        if (path_.empty()) return;
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    void release() { path_.clear(); }

private:
    fs::path path_;
};

void write_files(const models::economy& e, const dataset_metadata& meta, const std::string& name,
                 const fs::path& dir) {
    const std::size_t R = e.n_regions(), S = e.n_sectors();
    const auto ro = sorted_order(e.regions), so = sorted_order(e.sectors);
    auto idx = [](std::size_t i) { return static_cast<Eigen::Index>(i); };

    {
        csv_text t({"region", "name"});
        for (std::size_t r = 0; r < R; ++r) t.row({e.regions[r], e.region_names.empty() ? e.regions[r] : e.region_names[r]});
        write_file(dir / "regions.csv", t.text());
    }
    {
        csv_text t({"sector", "name", "tradable", "trade_elasticity"});
        for (std::size_t s = 0; s < S; ++s)
            t.row({e.sectors[s], e.sector_names.empty() ? e.sectors[s] : e.sector_names[s], e.tradable[s] ? "1" : "0",
                   format_number(e.trade_elasticity(idx(s)))});
        write_file(dir / "sectors.csv", t.text());
    }
    auto region_sector = [&](const Eigen::MatrixXd& m, const char* file) {
        csv_text t({"region", "sector", "value"});
        for (auto r : ro)
            for (auto s : so) t.keyed({&e.regions[r], &e.sectors[s]}, m(idx(r), idx(s)));
        write_file(dir / file, t.text());
    };
    region_sector(e.gross_output, "gross_output.csv");
    region_sector(e.value_added, "value_added.csv");
    region_sector(e.final_demand_share, "final_demand_shares.csv");
    {
        csv_text t({"region", "input_sector", "using_sector", "value"});
        for (auto r : ro)
            for (auto k : so)
                for (auto j : so) t.keyed({&e.regions[r], &e.sectors[k], &e.sectors[j]}, e.io_coefficients[r](idx(k), idx(j)));
        write_file(dir / "io_coefficients.csv", t.text());
    }
    {
        csv_text t({"exporter", "importer", "sector", "value"});
        for (auto i : ro)
            for (auto n : ro)
                for (auto s : so)
                    if (const double v = e.trade[s](idx(i), idx(n)); v != 0.0) t.keyed({&e.regions[i], &e.regions[n], &e.sectors[s]}, v);
        write_file(dir / "trade.csv", t.text());
    }
    auto tariff_file = [&](const std::vector<Eigen::MatrixXd>& tariffs, const std::string& file) {
        csv_text t({"importer", "exporter", "sector", "rate"});
        for (auto n : ro)
            for (auto i : ro)
                for (auto s : so)
                    if (const double v = tariffs[s](idx(i), idx(n)); v != 0.0) t.keyed({&e.regions[n], &e.regions[i], &e.sectors[s]}, v);
        write_file(dir / file, t.text());
    };
    tariff_file(e.tariffs, "tariffs.csv");
    for (const auto& [table, tariffs] : meta.tariff_tables) tariff_file(tariffs, "tariffs_" + table + ".csv");
    {
        csv_text t({"region", "value"});
        for (auto r : ro) t.keyed({&e.regions[r]}, e.deficit(idx(r)));
        write_file(dir / "deficits.csv", t.text());
    }
    for (const auto& f : meta.extra_files) {
        csv_text t(f.header);
        for (const auto& row : f.rows) t.row(row);
        write_file(dir / f.file, t.text());
    }

    std::string m;
    m += "# Written by integra (sim::write_dataset); see docs/dataset-format.md.\n";
    m += "name = " + toml_string(name) + "\n";
    m += "title = " + toml_string(meta.title.empty() ? name : meta.title) + "\n";
    m += cat("base_year = ", e.base_year, "\n");
    m += "currency = " + toml_string(meta.currency) + "\n";
    m += "unit = " + toml_string(e.unit) + "\n";
    m += "format_version = 1\n";
    m += "builder = " + toml_string(meta.builder) + "\n";
    m += "\n[files]\n";
    for (const char* key : {"regions", "sectors", "gross_output", "value_added", "io_coefficients", "trade", "tariffs",
                            "final_demand_shares", "deficits"})
        m += cat(key, " = ", toml_string(std::string(key) + ".csv"), "\n");
    for (const auto& f : meta.extra_files) m += f.key + " = " + toml_string(f.file) + "\n";
    if (!meta.tariff_tables.empty()) {
        m += "\n[tariff_tables]\n";
        for (const auto& [table, _] : meta.tariff_tables) m += toml_string(table) + " = " + toml_string("tariffs_" + table + ".csv") + "\n";
    }
    if (!meta.import_notes.empty()) {
        m += "\n[import]\n";
        for (const auto& [key, value] : meta.import_notes) m += key + " = " + toml_string(value) + "\n";
    }
    for (const auto& s : meta.sources) {
        m += "\n[[sources]]\n";
        m += "name = " + toml_string(s.name) + "\n";
        m += "file = " + toml_string(s.file) + "\n";
        m += "licence = " + toml_string(s.licence) + "\n";
        m += "citation = " + toml_string(s.citation) + "\n";
    }
    write_file(dir / "manifest.toml", m);
}

}  // namespace

std::string format_number(double v) {
    if (v == 0.0) return "0";
    std::array<char, 32> buf{};
    const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    if (ec != std::errc{}) throw internal_error("format_number: to_chars failed");
    return {buf.data(), end};
}

informative_file adjustments_file(const std::vector<adjustment>& list) {
    informative_file f{"adjustments", "adjustments.csv", {"block", "region", "sector", "partner", "quantity", "before", "after", "note"}, {}};
    for (const auto& a : list)
        f.rows.push_back({a.block, a.region, a.sector, a.partner, a.quantity, format_number(a.before), format_number(a.after), a.note});
    return f;
}

void write_dataset(const models::economy& e, const dataset_metadata& meta, const fs::path& folder_in, write_mode mode) {
    const fs::path folder = folder_in.has_filename() ? folder_in : folder_in.parent_path();
    const std::string name = e.name.empty() ? folder.filename().string() : e.name;
    {
        issues problems;
        models::validate(e, problems);
        problems.throw_if_any<inconsistent_input>(cat("dataset '", name, "' not written to ", folder.string()));
    }
    for (const auto& f : meta.extra_files)
        for (const char* reserved : {"manifest.toml", "regions.csv", "sectors.csv", "gross_output.csv", "value_added.csv",
                                     "io_coefficients.csv", "trade.csv", "tariffs.csv", "final_demand_shares.csv", "deficits.csv"})
            if (f.file == reserved) throw internal_error("write_dataset: informative file '" + f.file + "' clashes with a data file");

    std::error_code ec;
    const bool exists = fs::exists(folder, ec);
    if (exists) {
        if (mode == write_mode::create_new)
            throw invalid_input(cat(folder.string(), ": already exists; not overwritten (use --force to replace it)"));
        const bool is_dataset = fs::exists(folder / "manifest.toml");
        const bool is_empty_dir = fs::is_directory(folder) && fs::is_empty(folder);
        if (!is_dataset && !is_empty_dir)
            throw invalid_input(cat(folder.string(), ": exists and is not a dataset (no manifest.toml); refusing to replace it"));
    }
    const fs::path parent = folder.has_parent_path() ? folder.parent_path() : fs::path(".");
    fs::create_directories(parent, ec);  // like `mkdir -p`: the data are valid, so the folder will be complete
    if (!fs::is_directory(parent)) throw io_error(cat(parent.string(), ": cannot create the parent folder of ", folder.string()));

    const std::string suffix = unique_suffix();
    const fs::path temp = parent / ("." + folder.filename().string() + ".tmp-" + suffix);
    if (!fs::create_directory(temp, ec) || ec)
        throw io_error(cat(temp.string(), ": cannot create folder (", ec ? ec.message() : "exists", ")"));
    folder_guard temp_guard(temp);
    write_files(e, meta, name, temp);

    if (exists) {
        // Move the old folder aside first: rename cannot replace a non-empty folder. If the
        // second rename fails, the old folder is put back.
        const fs::path old = parent / ("." + folder.filename().string() + ".old-" + suffix);
        fs::rename(folder, old, ec);
        if (ec) throw io_error(cat(folder.string(), ": cannot move the existing folder aside (", ec.message(), ")"));
        fs::rename(temp, folder, ec);
        if (ec) {
            std::error_code ignored;
            fs::rename(old, folder, ignored);
            throw io_error(cat(folder.string(), ": cannot rename the new dataset into place (", ec.message(), ")"));
        }
        temp_guard.release();
        fs::remove_all(old, ec);  // best effort: the new dataset is in place already
    } else {
        fs::rename(temp, folder, ec);
        if (ec) throw io_error(cat(folder.string(), ": cannot rename the new dataset into place (", ec.message(), ")"));
        temp_guard.release();
    }
}

}  // namespace integra::sim
