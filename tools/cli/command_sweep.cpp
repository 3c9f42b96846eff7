// integra sweep SCENARIO.toml [-o FILE.h5] [-j N] [--vary KEY=SPEC]... [--shard K/N] [--resume]
// integra merge PART.h5... -o SWEEP.h5
#include <algorithm>
#include <cstdlib>
#include <iostream>

#include <boost/program_options.hpp>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/io/netcdf_file.hpp"
#include "sim/provenance.hpp"
#include "sim/sweep/sweep_files.hpp"
#include "sim/sweep/sweep_runner.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/output_guard.hpp"
#include "tools/cli/parse_arguments.hpp"
#include "tools/cli/process_group.hpp"
#include "tools/cli/progress_bar.hpp"
#include "tools/cli/warnings.hpp"
#include "tools/cli/threads.hpp"

namespace integra::cli {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

struct shard {
    std::size_t index = 1, count = 1;  // 1-based
};

std::size_t parse_count(const std::string& text, const std::string& what) {
    std::size_t used = 0;
    long long v = 0;
    try {
        v = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || v < 0) throw invalid_input(cat(what, ": expected a whole number, got '", text, "'"));
    return static_cast<std::size_t>(v);
}

// --shard K/N, else a Slurm array task's place in its array, else the whole sweep.
shard shard_of(const std::string& option) {
    shard s;
    if (!option.empty()) {
        const auto slash = option.find('/');
        if (slash == std::string::npos) throw invalid_input(cat("--shard: expected K/N (e.g. 2/8), got '", option, "'"));
        s.index = parse_count(option.substr(0, slash), "--shard K");
        s.count = parse_count(option.substr(slash + 1), "--shard N");
        if (s.count < 1 || s.index < 1 || s.index > s.count)
            throw invalid_input(cat("--shard: expected 1 <= K <= N, got ", s.index, "/", s.count));
        return s;
    }
    const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
    if (id && count) {
        // --array=MIN-MAX[:STEP]: task ID is shard (ID - MIN) / STEP + 1 of COUNT.
        const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
        const char* step = std::getenv("SLURM_ARRAY_TASK_STEP");
        const std::size_t lowest = min ? parse_count(min, "SLURM_ARRAY_TASK_MIN") : 0;
        const std::size_t stride = step ? std::max<std::size_t>(1, parse_count(step, "SLURM_ARRAY_TASK_STEP")) : 1;
        const std::size_t task = parse_count(id, "SLURM_ARRAY_TASK_ID");
        s.count = parse_count(count, "SLURM_ARRAY_TASK_COUNT");
        if (task < lowest || (task - lowest) % stride != 0)
            throw invalid_input(cat("SLURM_ARRAY_TASK_ID ", id, " is not in the array ", lowest, "-...:", stride,
                                    "; use a range --array=MIN-MAX[:STEP], or --shard K/N"));
        s.index = (task - lowest) / stride + 1;
        if (s.count < 1 || s.index > s.count)
            throw invalid_input(cat("SLURM_ARRAY_TASK_ID ", id, " is not in an array of ", count, " tasks from ", lowest,
                                    " by ", stride, "; use a range --array=MIN-MAX[:STEP], or --shard K/N"));
    }
    return s;
}

std::size_t count_failed(const sim::result_set& r) {
    const auto& status = r.find_text("point_status").data;
    return static_cast<std::size_t>(std::count(status.begin(), status.end(), "failed"));
}

// Every batch in `folder`, read and checked against this sweep.
std::vector<sim::result_set> read_batches(const fs::path& folder, const std::string& fingerprint,
                                          std::vector<std::string>& names) {
    std::vector<sim::result_set> parts;
    for (const auto& file : sim::batch_files(folder)) {
        parts.push_back(sim::read_netcdf4(file));
        names.push_back(file.string());
        for (const auto& [name, value] : parts.back().attributes)
            if (name == "sweep_fingerprint" && std::get<std::string>(value) != fingerprint)
                throw invalid_input(cat(file.string(), ": a batch of another sweep (the scenario, the design or the dataset "
                                                       "changed); remove ", folder.string(), " to start afresh"));
    }
    return parts;
}

}  // namespace

int sweep(const arguments& args, const std::string& command_line) {
    po::options_description options(
        "integra sweep SCENARIO.toml [options]\n\nRuns every point of the sweep that the scenario's [sweep] table and "
        "--vary describe, and writes one HDF5 (netCDF-4) file with a leading `point` dimension.\nUnder mpirun the "
        "points are shared among the ranks; with --shard K/N (or in a Slurm array job) this process runs one slice.\n"
        "Exit codes: 0 every point ran, 3 some points failed (recorded in the file), 2 input error, 1 run failure.\n\nOptions");
    std::string output, shard_option;
    std::vector<std::string> overrides, vary;
    int threads = 0;
    options.add_options()("help,h", "show this help")
        ("output,o", po::value(&output), "results file, replaced if it exists (default: results/<name>.sweep.h5, or results/<name>.part-K-of-N.h5 for a shard; with --set or --vary results/<name>.set-<hash>.sweep.h5)")
        ("set", po::value(&overrides)->composing(), "override a scenario key, as for run (repeatable)")
        ("vary", po::value(&vary)->composing(), "vary a key: KEY=[v1,v2] | KEY={from=,to=,steps=} | KEY={distribution=\"normal\",mean=,sd=} (repeatable)")
        ("threads,j", po::value(&threads), "worker threads per process (default: SLURM_CPUS_PER_TASK, else the CPUs this process may use)")
        ("shard", po::value(&shard_option), "run slice K of N (1 <= K <= N) into a part file; see 'integra merge'")
        ("resume", "finish an interrupted sweep: run only the points no committed batch holds")
        ("force", "replace the default output even if it holds the result of a different sweep")
        ("quiet,q", "no summary on stdout");
    std::string scenario_file;
    const auto vm = parse_arguments(args, options, scenario_file);
    if (vm.count("help")) {
        std::cout << options << "\nExamples:\n  integra sweep scenarios/sweeps/cet_rules.toml -j 2\n"
                  << "  integra sweep scenarios/celac_customs_union.toml --vary 'customs_union.0.revenue=[\"kept\",\"pooled_by_gdp\"]'\n"
                  << "  mpirun -n 4 integra sweep scenarios/sweeps/celac_cu_elasticities.toml\n";
        return 0;
    }
    if (scenario_file.empty()) throw po::error("missing the scenario file (integra sweep SCENARIO.toml)");

    const auto start = std::chrono::system_clock::now();
    process_group group;
    const bool lead = group.rank() == 0;
    const int n_threads = thread_count(vm.count("threads") ? std::optional<int>(threads) : std::nullopt);
    const shard slice = shard_of(shard_option);
    if (vm.count("output") && output.empty()) throw invalid_input("-o/--output: expected a file name, got an empty string");
    if (!output.empty()) sim::check_output_target(output);  // before the design is read and bound
    const sim::sweep_setup sweep = sim::prepare_sweep(scenario_file, overrides, vary, n_threads);
    print_warnings(sweep.spec);
    const std::string tag = variant_tag(overrides, vary);
    const fs::path target = !output.empty() ? fs::path(output)
                            : slice.count > 1 ? default_output(sweep.spec.name, tag, cat(".part-", slice.index, "-of-", slice.count, ".h5"))
                                              : default_output(sweep.spec.name, tag, ".sweep.h5");
    sim::check_output_target(target);
    // As for run: a default output holding another sweep's result is not replaced without --force.
    const existing_output existing =
        inspect_output(target, {{"scenario", sweep.spec.effective_toml}, {"sweep_design", sweep.design.description}});
    if (output.empty() && !vm.count("force")) refuse_to_replace(target, existing);
    const fs::path folder = sim::batch_folder(target);
    const bool resume = vm.count("resume") > 0;
    if (fs::exists(folder) && !resume)
        throw invalid_input(cat(folder.string(), " holds the batches of a sweep that stopped before the end: rerun with "
                                                 "--resume to finish it, or remove the folder to start afresh"));
    group.barrier();
    if (lead) fs::create_directories(folder);
    group.barrier();

    // This process's points: its shard, less those already committed.
    std::vector<std::size_t> mine;
    for (std::size_t p = 0; p < sweep.design.points; ++p)
        if (p % slice.count == slice.index - 1) mine.push_back(p);
    std::vector<std::string> names;
    std::vector<std::size_t> done;
    for (const auto& part : read_batches(folder, sweep.fingerprint, names))
        for (auto p : sim::points_of(part)) done.push_back(p);
    std::sort(done.begin(), done.end());
    std::vector<std::size_t> todo;
    std::set_difference(mine.begin(), mine.end(), done.begin(), done.end(), std::back_inserter(todo));
    const std::size_t batch = sweep.design.batch_size ? sweep.design.batch_size
                                                      : std::max<std::size_t>(16, 4 * static_cast<std::size_t>(n_threads));
    std::vector<std::vector<std::size_t>> batches;
    for (std::size_t k = 0; k < todo.size(); k += batch)
        batches.emplace_back(todo.begin() + static_cast<long>(k), todo.begin() + static_cast<long>(std::min(todo.size(), k + batch)));

    if (lead)
        std::cerr << "integra: sweep " << sweep.spec.name << ": " << sweep.design.points << " point(s)"
                  << (slice.count > 1 ? cat(", shard ", slice.index, "/", slice.count, " runs ", mine.size()) : std::string())
                  << (done.empty() ? std::string() : cat(", ", mine.size() - todo.size(), " already done"))
                  << ", on " << group.size() << " process(es) x " << n_threads << " thread(s)\n";
    {
        progress_bar bar(sweep.spec.name);
        std::size_t finished = 0;
        for (std::size_t b = group.claim_next(); b < batches.size(); b = group.claim_next()) {
            const sim::result_set part = sim::run_points(sweep, batches[b], n_threads, [&] {
                if (lead) bar.update(++finished, todo.size() / static_cast<std::size_t>(group.size()) + 1);
            });
            sim::write_netcdf4(part, sim::batch_file(folder, batches[b].front(), batches[b].back()));
        }
    }
    group.barrier();
    if (!lead) return 0;

    names.clear();
    sim::result_set merged = sim::merge_parts(read_batches(folder, sweep.fingerprint, names), names);
    if (const auto missing = sim::missing_points(merged, mine); !missing.empty())
        throw io_error(cat(folder.string(), ": ", missing.size(), " point(s) have no committed batch, e.g. point ", missing.front()));
    const sim::run_record record{version_string(), command_line, n_threads, start, std::chrono::system_clock::now()};
    sim::stamp_provenance(merged, sweep.spec, *sweep.data, record);
    merged.set_attribute("mpi_ranks", static_cast<std::int64_t>(group.size()));
    if (slice.count > 1) merged.set_attribute("shards", cat(slice.index, "/", slice.count));
    sim::write_netcdf4(merged, target, sim::compact_write_options);  // thousands of points: gzip 1 saves a third
    fs::remove_all(folder);
    const std::size_t failed = count_failed(merged);
    if (!vm.count("quiet"))
        std::cout << sweep.spec.name << ": " << mine.size() - failed << " of " << mine.size() << " point(s) ok"
                  << (failed ? cat(", ", failed, " failed (see point_status and point_error)") : std::string()) << "\n";
    std::cerr << "integra: " << what_was_done(target, existing) << "\n";
    return failed ? 3 : 0;
}

int merge(const arguments& args, const std::string& command_line) {
    po::options_description options("integra merge PART.h5... -o SWEEP.h5\n\nJoins the part files of one sweep (from "
                                    "--shard K/N or a Slurm array job) into the file a single process writes.\n\nOptions");
    std::string output;
    std::vector<std::string> inputs;
    options.add_options()("help,h", "show this help")("output,o", po::value(&output)->required(), "the merged sweep file");
    po::options_description hidden;
    hidden.add_options()("part", po::value(&inputs)->composing());
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description order;
    order.add("part", -1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(order).run(), vm);
    if (vm.count("help")) {
        std::cout << options << "\nExample:\n  integra merge results/s.part-*-of-4.h5 -o results/s.sweep.h5\n";
        return 0;
    }
    po::notify(vm);
    if (inputs.empty()) throw po::error("no part files given (integra merge PART.h5... -o SWEEP.h5)");
    const auto start = std::chrono::system_clock::now();
    sim::check_output_target(output);
    std::vector<sim::result_set> parts;
    for (const auto& file : inputs) {
        if (!fs::is_regular_file(file)) throw invalid_input(cat(file, ": no such file"));
        parts.push_back(sim::read_netcdf4(file));
    }
    sim::result_set merged = sim::merge_parts(std::move(parts), inputs);
    std::int64_t total = 0;
    for (const auto& [name, value] : merged.attributes)
        if (name == "sweep_points") total = std::get<std::int64_t>(value);
    std::vector<std::size_t> all_points(static_cast<std::size_t>(total));
    for (std::size_t p = 0; p < all_points.size(); ++p) all_points[p] = p;
    if (const auto missing = sim::missing_points(merged, all_points); !missing.empty()) {
        std::string listed;
        for (std::size_t k = 0; k < std::min<std::size_t>(missing.size(), 10); ++k) listed += (k ? ", " : "") + std::to_string(missing[k]);
        throw invalid_input(cat("merge: the parts hold ", total - static_cast<std::int64_t>(missing.size()), " of the sweep's ",
                                total, " points; missing ", missing.size(), " (", listed, missing.size() > 10 ? ", ..." : "",
                                "): give every part, or run the missing shards"));
    }
    merged.set_attribute("history", sim::iso8601_utc(start) + ": " + command_line);
    sim::write_netcdf4(merged, output, sim::compact_write_options);
    std::cerr << "integra: merged " << inputs.size() << " part(s), " << total << " point(s), into " << output << "\n";
    return count_failed(merged) ? 3 : 0;
}

}  // namespace integra::cli
