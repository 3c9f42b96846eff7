// bench_import: times `integra data import icio` on a synthetic ICIO-sized table and the
// loading of the embedded celac38 dataset. Not run by ctest; see docs/importers.md.
//
//   bench_import [RUNS]        (default 5 import runs; celac38 is loaded 4x as often)
//
// 1. Writes a synthetic table in the 2023-edition layout to a temporary folder: 77 regions
//    (Mexico and China split into MX1/MX2 and CN1/CN2, so 79 region codes) x 45 sectors,
//    six final-demand columns per region, TLS, VA and OUT rows and an OUT column. Values
//    are pseudo-random (fixed seed), written in shortest round-trip form, balanced exactly,
//    with some negative inventory changes.
// 2. Times parse + convert + validate + write (sim::import_icio + sim::write_dataset) and
//    reports the median and the range over the runs.
// 3. Times sim::load_dataset("celac38").
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "sim/data/dataset.hpp"
#include "sim/data/dataset_writer.hpp"
#include "sim/data/import_icio.hpp"

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

struct table_shape {
    int regions = 77;
    int sectors = 45;
};

// The raw region codes: R00..R74 plus the split MX1, MX2, CN1, CN2 (77 merged regions).
std::vector<std::string> raw_region_codes(int merged) {
    std::vector<std::string> codes;
    for (int r = 0; r < merged - 2; ++r) codes.push_back(integra::cat("R", r / 10, r % 10));
    for (const char* c : {"MX1", "MX2", "CN1", "CN2"}) codes.emplace_back(c);
    return codes;
}

std::string final_region(const std::string& raw) {
    if (raw == "MX1" || raw == "MX2") return "MEX";
    if (raw == "CN1" || raw == "CN2") return "CHN";
    return raw;
}

void write_synthetic_icio(const fs::path& file, const table_shape& shape) {
    const auto raw = raw_region_codes(shape.regions);
    std::vector<std::string> final_regions;
    for (const auto& r : raw)
        if (std::find(final_regions.begin(), final_regions.end(), final_region(r)) == final_regions.end())
            final_regions.push_back(final_region(r));
    std::vector<std::string> labels;
    for (const auto& r : raw)
        for (int s = 0; s < shape.sectors; ++s) labels.push_back(integra::cat(r, "_S", s / 10, s % 10));
    const char* categories[] = {"HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"};
    const std::size_t n = labels.size(), n_final = final_regions.size() * 6;

    std::mt19937_64 rng(20240601);
    std::uniform_real_distribution<double> small(0.0, 2.0), big(500.0, 5000.0);
    std::vector<double> column_inputs(n, 0.0), output(n, 0.0);
    std::string text;
    text.reserve(64u << 20);
    text += "V1";
    for (const auto& l : labels) text += "," + l;
    for (const auto& r : final_regions)
        for (const char* c : categories) text += integra::cat(",", r, "_", c);
    text += ",OUT\n";
    std::vector<double> row(n + n_final);
    for (std::size_t i = 0; i < n; ++i) {
        double sum = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            row[j] = small(rng);
            column_inputs[j] += row[j];
        }
        const std::size_t home = static_cast<std::size_t>(
            std::find(final_regions.begin(), final_regions.end(), final_region(raw[i / static_cast<std::size_t>(shape.sectors)])) -
            final_regions.begin());
        for (std::size_t f = 0; f < n_final; ++f) {
            const bool domestic = f / 6 == home;
            const std::size_t category = f % 6;
            row[n + f] = domestic && category == 0 ? big(rng) : small(rng);
            if (category == 4 && i % 7 == 0) row[n + f] = -small(rng);  // inventory draw-downs
        }
        for (double v : row) sum += v;
        text += labels[i];
        for (double v : row) text += "," + integra::sim::format_number(v);
        output[i] = sum;
        text += "," + integra::sim::format_number(sum) + "\n";
    }
    auto write_row = [&](const char* label, auto value_of) {
        text += label;
        for (std::size_t j = 0; j < n; ++j) text += "," + integra::sim::format_number(value_of(j));
        for (std::size_t f = 0; f < n_final; ++f) text += ",0";
        text += ",0\n";
    };
    write_row("TLS", [](std::size_t) { return 1.0; });
    write_row("VA", [&](std::size_t j) { return output[j] - column_inputs[j] - 1.0; });
    write_row("OUT", [&](std::size_t j) { return output[j]; });
    std::ofstream(file, std::ios::binary) << text;
}

double seconds_since(clock_type::time_point start) {
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

struct summary {
    double median, min, max;
};

summary summarise(std::vector<double> t) {
    std::sort(t.begin(), t.end());
    return {t[t.size() / 2], t.front(), t.back()};
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    const fs::path dir = fs::temp_directory_path() / integra::cat("integra-bench-import-", std::random_device{}());
    fs::create_directories(dir);
    const fs::path csv = dir / "ICIO2023_2019.csv";
    const auto t0 = clock_type::now();
    write_synthetic_icio(csv, {});
    std::printf("synthetic table: %s (%.1f MB, written in %.2f s)\n", csv.string().c_str(),
                static_cast<double>(fs::file_size(csv)) / 1e6, seconds_since(t0));

    std::vector<double> import_times, parse_times;
    integra::sim::import_options options;
    options.command_line = "bench_import";
    for (int r = 0; r < runs; ++r) {
        fs::remove_all(dir / "out");
        const auto start = clock_type::now();
        const auto d = integra::sim::import_icio(csv, options);
        parse_times.push_back(seconds_since(start));
        integra::sim::write_dataset(d.economy, d.metadata, dir / "out");
        import_times.push_back(seconds_since(start));
        if (r == 0)
            std::printf("imported: %zu regions x %zu sectors, %zu adjustment(s)\n", d.economy.n_regions(), d.economy.n_sectors(),
                        d.metadata.extra_files.empty() ? std::size_t{0} : d.metadata.extra_files[0].rows.size());
    }
    const auto imp = summarise(import_times), parse = summarise(parse_times);
    std::printf("import icio 77x45 (parse+convert+validate+write): median %.3f s (min %.3f, max %.3f, %d runs; "
                "of which parse+convert+validate: median %.3f s)  target < 5 s\n",
                imp.median, imp.min, imp.max, runs, parse.median);

    std::vector<double> load_times;
    for (int r = 0; r < 4 * runs; ++r) {
        const auto start = clock_type::now();
        const auto d = integra::sim::load_dataset("celac38");
        load_times.push_back(seconds_since(start));
        if (d.economy.n_regions() == 0) return 1;
    }
    const auto load = summarise(load_times);
    std::printf("load_dataset(celac38): median %.1f ms (min %.1f, max %.1f, %d runs)  target < 50 ms\n", 1e3 * load.median,
                1e3 * load.min, 1e3 * load.max, 4 * runs);
    std::error_code ec;
    fs::remove_all(dir, ec);
    return 0;
}
