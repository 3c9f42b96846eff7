// integra run SCENARIO.toml [-o FILE.h5] [--set key=value]... [-j N]
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <numeric>

#include <boost/program_options.hpp>
#include <tbb/global_control.h>

#include "models/errors.hpp"
#include "models/text.hpp"
#include "sim/data/dataset.hpp"
#include "sim/io/netcdf_file.hpp"
#include "sim/provenance.hpp"
#include "sim/runner.hpp"
#include "sim/scenario.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/parse_arguments.hpp"
#include "tools/cli/progress_bar.hpp"
#include "tools/cli/threads.hpp"

namespace integra::cli {
namespace {

namespace po = boost::program_options;

// Real GDP by region in the last year, baseline and scenario, sorted by deviation.
void print_summary(const sim::result_set& r, std::ostream& out) {
    const auto& gdp = r.find("gdp");
    const auto& regions = std::get<std::vector<std::string>>(r.dimension("region").values);
    const auto& years = std::get<std::vector<std::int64_t>>(r.dimension("year").values);
    const std::size_t R = regions.size(), Y = years.size();
    auto at = [&](std::size_t c, std::size_t y, std::size_t i) { return gdp.data[(c * Y + y) * R + i]; };
    std::vector<std::size_t> order(R);
    std::iota(order.begin(), order.end(), 0);
    auto deviation = [&](std::size_t i) { return 100.0 * (at(1, Y - 1, i) / at(0, Y - 1, i) - 1.0); };
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return deviation(a) > deviation(b); });
    char line[160];
    std::snprintf(line, sizeof line, "GDP in %lld (%s), scenario vs baseline\n", static_cast<long long>(years.back()),
                  gdp.units.c_str());
    out << line;
    std::snprintf(line, sizeof line, "  %-12s %16s %16s %10s\n", "region", "baseline", "scenario", "change %");
    out << line;
    double base_total = 0.0, scenario_total = 0.0;
    for (auto i : order) {
        std::snprintf(line, sizeof line, "  %-12s %16.1f %16.1f %+10.3f\n", regions[i].c_str(), at(0, Y - 1, i),
                      at(1, Y - 1, i), deviation(i));
        out << line;
        base_total += at(0, Y - 1, i);
        scenario_total += at(1, Y - 1, i);
    }
    std::snprintf(line, sizeof line, "  %-12s %16.1f %16.1f %+10.3f\n", "world", base_total, scenario_total,
                  100.0 * (scenario_total / base_total - 1.0));
    out << line;
}

}  // namespace

int run(const arguments& args, const std::string& command_line) {
    po::options_description options("integra run SCENARIO.toml [options]\n\nRuns a scenario and writes its results "
                                    "to an HDF5 (netCDF-4) file.\n\nOptions");
    std::string output;
    std::vector<std::string> overrides;
    int threads = 0;
    options.add_options()("help,h", "show this help")
        ("output,o", po::value(&output), "results file (default: results/<scenario name>.h5)")
        ("set", po::value(&overrides)->composing(), "override a scenario key, e.g. --set horizon.last_year=2040 (repeatable)")
        ("threads,j", po::value(&threads), "worker threads (default: SLURM_CPUS_PER_TASK, else the CPUs this process may use)")
        ("quiet,q", "no summary table on stdout");
    std::string scenario_file;
    const auto vm = parse_arguments(args, options, scenario_file);
    if (vm.count("help")) {
        std::cout << options << "\nExample:\n  integra run scenarios/demo.toml --set horizon.last_year=2035 -j 2\n";
        return 0;
    }
    if (scenario_file.empty()) throw po::error("missing the scenario file (integra run SCENARIO.toml)");

    const auto start = std::chrono::system_clock::now();
    const auto [spec, data] = sim::load_scenario(scenario_file, overrides);

    const int n_threads = thread_count(vm.count("threads") ? std::optional<int>(threads) : std::nullopt);
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(n_threads));
    const std::filesystem::path target =
        output.empty() ? std::filesystem::path("results") / (spec.name + ".h5") : std::filesystem::path(output);

    std::cerr << "integra: running " << spec.name << " on " << data.economy.name << " with " << n_threads << " thread(s)\n";
    sim::result_set results;
    {
        progress_bar bar(spec.name);
        sim::run_options run_options;
        run_options.progress = [&](std::size_t done, std::size_t total) { bar.update(done, total); };
        results = sim::run_scenario(spec, data, run_options);
    }
    const sim::run_record record{version_string(), command_line, n_threads, start, std::chrono::system_clock::now()};
    sim::stamp_provenance(results, spec, data, record);
    sim::write_netcdf4(results, target);
    if (!vm.count("quiet")) print_summary(results, std::cout);
    std::cerr << "integra: wrote " << target.string() << "\n";
    return 0;
}

}  // namespace integra::cli
