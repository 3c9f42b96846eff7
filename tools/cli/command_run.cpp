// integra run SCENARIO.toml [-o FILE.h5] [--set key=value]... [-j N] [--force]
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <numeric>

#include <boost/program_options.hpp>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/dataset.hpp"
#include "sim/io/netcdf_file.hpp"
#include "sim/provenance.hpp"
#include "sim/runner.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/sweep/sweep_runner.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/output_guard.hpp"
#include "tools/cli/parse_arguments.hpp"
#include "tools/cli/progress_bar.hpp"
#include "tools/cli/warnings.hpp"
#include "tools/cli/summary.hpp"
#include "tools/cli/threads.hpp"

namespace integra::cli {
namespace {

namespace po = boost::program_options;

}  // namespace

int run(const arguments& args, const std::string& command_line) {
    po::options_description options("integra run SCENARIO.toml [options]\n\nRuns a scenario and writes its results "
                                    "to an HDF5 (netCDF-4) file.\n\nOptions");
    std::string output;
    std::vector<std::string> overrides;
    int threads = 0;
    std::size_t sweep_point = 0;
    options.add_options()("help,h", "show this help")
        ("output,o", po::value(&output), "results file, replaced if it exists (default: results/<scenario name>.h5, with --set results/<name>.set-<hash of the overrides>.h5)")
        ("set", po::value(&overrides)->composing(), "override a scenario key, e.g. --set horizon.last_year=2040 (repeatable)")
        ("threads,j", po::value(&threads), "worker threads (default: SLURM_CPUS_PER_TASK, else the CPUs this process may use)")
        ("sweep-point", po::value(&sweep_point), "run point P of the scenario's [sweep] alone (as `integra sweep` numbers them)")
        ("force", "replace the default output even if it holds the result of a different scenario")
        ("quiet,q", "no summary table on stdout");
    std::string scenario_file;
    const auto vm = parse_arguments(args, options, scenario_file);
    if (vm.count("help")) {
        std::cout << options << "\nExample:\n  integra run scenarios/demo.toml --set horizon.last_year=2035 -j 2\n";
        return 0;
    }
    if (scenario_file.empty()) throw po::error("missing the scenario file (integra run SCENARIO.toml)");
    // An output that cannot be written is a usage error found before anything is loaded or run;
    // the default path, which needs the scenario's name, is checked as soon as it is known.
    if (vm.count("output") && output.empty()) throw invalid_input("-o/--output: expected a file name, got an empty string");
    if (!output.empty()) sim::check_output_target(output);

    const auto start = std::chrono::system_clock::now();
    const bool one_point = vm.count("sweep-point") > 0;
    std::string point_values;
    const sim::bound_scenario bound = [&] {
        if (!one_point) return sim::load_scenario(scenario_file, overrides);
        const sim::sweep_setup sweep = sim::prepare_sweep(scenario_file, overrides, {});
        if (sweep_point >= sweep.design.points)
            throw invalid_input(cat("--sweep-point: the sweep has points 0 to ", sweep.design.points - 1, ", got ", sweep_point));
        issues problems;
        sim::bound_scenario b = sim::bind_point(sweep, sweep_point, problems);
        problems.throw_if_any<invalid_input>(scenario_file);
        point_values = sim::describe_point(sweep, sweep_point);
        return b;
    }();
    const auto& spec = bound.spec;
    print_warnings(spec);
    const auto& data = *bound.data;

    const int n_threads = thread_count(vm.count("threads") ? std::optional<int>(threads) : std::nullopt);
    // The default name shows --set; a default output holding another scenario's result is
    // not replaced without --force (tools/cli/output_guard.hpp).
    const std::string tag = variant_tag(overrides);
    const std::filesystem::path target =
        !output.empty() ? std::filesystem::path(output)
        : one_point     ? default_output(spec.name, tag, cat(".point-", sweep_point, ".h5"))
                        : default_output(spec.name, tag, ".h5");
    sim::check_output_target(target);
    const existing_output existing = inspect_output(target, {{"scenario", spec.effective_toml}});
    if (output.empty() && !vm.count("force")) refuse_to_replace(target, existing);

    std::cerr << "integra: running " << spec.name << " on " << data.economy.name << " with " << n_threads << " thread(s)\n";
    sim::result_set results;
    {
        progress_bar bar(spec.name);
        sim::run_options run_options;
        run_options.progress = [&](std::size_t done, std::size_t total) { bar.update(done, total); };
        run_options.threads = n_threads;
        results = sim::run_scenario(bound, run_options);
    }
    const sim::run_record record{version_string(), command_line, n_threads, start, std::chrono::system_clock::now()};
    sim::stamp_provenance(results, spec, data, record);
    if (one_point) {
        results.set_attribute("sweep_point", static_cast<std::int64_t>(sweep_point));
        results.set_attribute("sweep_point_values", point_values);
    }
    sim::write_netcdf4(results, target);
    if (!vm.count("quiet")) {
        summary_options shown;
        shown.years.assign(spec.summary_years.begin(), spec.summary_years.end());
        shown.regions = bound.summary_regions;
        print_summary(results, shown, std::cout);
    }
    std::cerr << "integra: " << what_was_done(target, existing) << "\n";
    return 0;
}

}  // namespace integra::cli
