// integra io accounts INPUT -o OUT.h5: reads a full MRIO (a pymrio-saved folder, a folder
// of long CSV files, EXIOBASE 3 zipped or unpacked, an Eora26 folder, an OECD ICIO CSV file
// or the WIOD 2016 world table saved as CSV), optionally aggregates it by region and sector
// concordances, computes its input-output and satellite accounts and writes them as a
// netCDF-4 file with named dimensions (docs/io-accounting.md, "Importing a full MRIO and
// computing its accounts").
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

#include <boost/program_options.hpp>
#include <tbb/global_control.h>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "models/full_mrio.hpp"
#include "models/io_accounts.hpp"
#include "models/leontief_operator.hpp"
#include "models/mrio_accounting.hpp"
#include "models/numerics/lapack_inverse.hpp"
#include "models/satellite_accounts.hpp"
#include "models/structural_paths.hpp"
#include "sim/data/csv_table.hpp"
#include "sim/io/netcdf_file.hpp"
#include "sim/provenance.hpp"
#include "sim/results.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/io_input.hpp"
#include "tools/cli/parse_arguments.hpp"
#include "tools/cli/threads.hpp"

namespace integra::cli {
namespace {

namespace po = boost::program_options;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using index_t = Eigen::Index;

constexpr const char* overview = R"(integra io accounts INPUT -o OUT.h5 [options]
integra io decompose --before T0 --after T1 -o OUT.h5 [options]

accounts   reads a full multi-regional input-output table with origin detail and writes
           its accounts (docs/io-accounting.md, "Importing a full MRIO and computing its
           accounts")
decompose  structural decomposition of the change of gross output and footprints between
           two tables (docs/io-accounting.md, "Structural decomposition analysis")

Run 'integra io accounts --help' or 'integra io decompose --help' for the options.
)";

// Population by region from a CSV "region,population" (persons); every region needed.
VectorXd read_population(const std::string& file, const std::vector<std::string>& regions) {
    const sim::csv_table t = sim::csv_table::read(file, {"region", "population"});
    std::map<std::string, double> by_region;
    issues problems;
    for (std::size_t row = 0; row < t.n_rows(); ++row) {
        const double v = t.number(row, t.column("population"), problems);
        if (!(v > 0)) problems.add(t.where(row, t.column("population")), cat("expected a population > 0, got ", v));
        if (!by_region.emplace(t.field(row, t.column("region")), v).second)
            problems.add(t.where(row), "region '" + t.field(row, t.column("region")) + "' given twice");
    }
    VectorXd p(static_cast<index_t>(regions.size()));
    for (std::size_t r = 0; r < regions.size(); ++r) {
        const auto it = by_region.find(regions[r]);
        if (it == by_region.end()) problems.add(file, "no population for region '" + regions[r] + "' of the table");
        p(static_cast<index_t>(r)) = it == by_region.end() ? 1.0 : it->second;
    }
    problems.throw_if_any<invalid_input>(file);
    return p;
}

// "'a', 'b', 'c'" (the first few labels, then "and N more").
std::string join_labels(const std::vector<std::string>& labels) {
    constexpr std::size_t shown = 6;
    std::string out;
    for (std::size_t i = 0; i < labels.size() && i < shown; ++i) out += (i ? ", '" : "'") + labels[i] + "'";
    if (labels.size() > shown) out += cat(" and ", labels.size() - shown, " more");
    return out;
}

// A change of final demand from a CSV "origin_region,origin_sector,region,category,change"
// (the table's currency unit; absent cells are 0), as an n x R*C matrix like
// full_mrio::final_demand_by_category. Every label must be the table's; a cell given twice
// is an error.
MatrixXd read_shock(const std::string& file, const models::full_mrio& m) {
    const sim::csv_table csv = sim::csv_table::read(file, {"origin_region", "origin_sector", "region", "category", "change"});
    const models::mrio_table& t = m.table;
    auto positions = [](const std::vector<std::string>& labels) {
        std::map<std::string, std::size_t> at;
        for (std::size_t i = 0; i < labels.size(); ++i) at.emplace(labels[i], i);
        return at;
    };
    const auto region_at = positions(t.regions), sector_at = positions(t.sectors), category_at = positions(m.categories);
    MatrixXd change = MatrixXd::Zero(static_cast<index_t>(t.size()), static_cast<index_t>(t.n_regions() * m.n_categories()));
    std::set<std::tuple<std::size_t, std::size_t, std::size_t, std::size_t>> seen;
    issues problems;
    for (std::size_t row = 0; row < csv.n_rows(); ++row) {
        auto find = [&](const std::map<std::string, std::size_t>& at, const char* column, const char* what,
                        const std::vector<std::string>& labels) -> std::optional<std::size_t> {
            const std::string& label = csv.field(row, csv.column(column));
            const auto it = at.find(label);
            if (it != at.end()) return it->second;
            problems.add(csv.where(row, csv.column(column)),
                         cat(what, " '", label, "' is not in the table; expected one of ", join_labels(labels)));
            return std::nullopt;
        };
        const auto o = find(region_at, "origin_region", "region", t.regions);
        const auto s = find(sector_at, "origin_sector", "sector", t.sectors);
        const auto q = find(region_at, "region", "region", t.regions);
        const auto c = find(category_at, "category", "final-demand category", m.categories);
        const double value = csv.number(row, csv.column("change"), problems);
        if (!o || !s || !q || !c) continue;
        if (!seen.emplace(*o, *s, *q, *c).second) {
            problems.add(csv.where(row), "this origin, region and category is given twice");
            continue;
        }
        change(static_cast<index_t>(t.index(*o, *s)), static_cast<index_t>(*q * m.n_categories() + *c)) = value;
    }
    problems.throw_if_any<invalid_input>(file);
    return change;
}

// Which footprint --paths decomposes: "STRESSOR,REGION", checked against the table before
// any computation.
struct paths_request {
    std::size_t stressor = 0;
    std::size_t region = 0;
};
paths_request parse_paths(const std::string& spec, double threshold, int depth, const models::satellite& stressors,
                          const models::mrio_table& t) {
    const auto comma = spec.rfind(',');
    if (comma == std::string::npos)
        throw po::error("--paths: expected STRESSOR,REGION (e.g. 'CO2,BRA'), got '" + spec + "'");
    const std::string stressor = spec.substr(0, comma), region = spec.substr(comma + 1);
    const auto k = std::find(stressors.stressors.begin(), stressors.stressors.end(), stressor);
    if (k == stressors.stressors.end())
        throw po::error("--paths: stressor '" + stressor + "' is not in the table; expected one of " +
                        join_labels(stressors.stressors));
    const auto q = std::find(t.regions.begin(), t.regions.end(), region);
    if (q == t.regions.end())
        throw po::error("--paths: region '" + region + "' is not in the table; expected one of " + join_labels(t.regions));
    if (!(threshold > 0.0 && threshold <= 1.0)) throw po::error("--paths-threshold: expected a share in (0, 1]");
    if (depth < 0) throw po::error("--paths-depth: expected 0 or more steps");
    return {static_cast<std::size_t>(k - stressors.stressors.begin()), static_cast<std::size_t>(q - t.regions.begin())};
}

// Structural path analysis (models/structural_paths.hpp) of the requested footprint,
// written over the dimensions path and step: value, share and length of each path and the
// region and sector at each step (step 0 sells to final demand; empty labels beyond a
// path's end).
void add_structural_paths(sim::result_set& rs, const paths_request& request, double threshold, int depth,
                          const models::full_mrio& m, const models::satellite& stressors,
                          const models::sparse_coefficients& a) {
    const auto& t = m.table;
    models::structural_path_options options;
    options.threshold = threshold;
    options.max_depth = depth;
    const VectorXd s = models::stressor_intensities(stressors.production, t.gross_output)
                           .row(static_cast<index_t>(request.stressor))
                           .transpose();
    const VectorXd y = t.final_demand.col(static_cast<index_t>(request.region));
    const models::structural_path_result r = models::structural_paths(a, s, y, options);
    std::vector<std::int64_t> path_index(r.paths.size()), step_index(static_cast<std::size_t>(depth) + 1);
    for (std::size_t i = 0; i < path_index.size(); ++i) path_index[i] = static_cast<std::int64_t>(i);
    for (std::size_t i = 0; i < step_index.size(); ++i) step_index[i] = static_cast<std::int64_t>(i);
    rs.add({"path", path_index, "structural path, largest first", ""});
    rs.add({"step", step_index, "steps upstream from the seller to final demand (0)", ""});
    std::vector<double> value, share, length;
    std::vector<std::string> regions, sectors;
    const auto n_sectors = static_cast<index_t>(t.n_sectors());
    for (const auto& p : r.paths) {
        value.push_back(p.value);
        share.push_back(p.share);
        length.push_back(static_cast<double>(p.nodes.size() - 1));
        for (std::size_t step = 0; step < step_index.size(); ++step) {
            const bool on = step < p.nodes.size();
            regions.push_back(on ? t.regions[static_cast<std::size_t>(p.nodes[step] / n_sectors)] : "");
            sectors.push_back(on ? t.sectors[static_cast<std::size_t>(p.nodes[step] % n_sectors)] : "");
        }
    }
    rs.add(sim::variable{"path_value", {"path"}, value, "stressor_unit",
                         "y(i0) A(i1,i0) ... s(it): the stressor emitted at the end of the path for the region's final demand"});
    rs.add(sim::variable{"path_share", {"path"}, share, "1", "path value / the footprint decomposed"});
    rs.add(sim::variable{"path_length", {"path"}, length, "1", "steps upstream (0: emitted by the seller to final demand)"});
    rs.add(sim::text_variable{"path_region", {"path", "step"}, regions, "region at each step (empty beyond the path)"});
    rs.add(sim::text_variable{"path_sector", {"path", "step"}, sectors, "sector at each step (empty beyond the path)"});
    rs.set_attribute("paths_of", "stressor '" + stressors.stressors[request.stressor] + "' in the footprint of region " +
                                     t.regions[request.region]);
    rs.set_attribute("paths_footprint", r.total);
    rs.set_attribute("paths_covered_share", r.covered_share);
    rs.set_attribute("paths_threshold_share", threshold);
    rs.set_attribute("paths_max_depth", static_cast<std::int64_t>(depth));
    std::cerr << "integra: " << r.paths.size() << " structural paths above " << number_text(threshold, 3)
              << " of the footprint, covering " << number_text(100.0 * r.covered_share, 4) << "% of it\n";
}

int accounts(const arguments& args, const std::string& command_line) {
    const auto start = std::chrono::system_clock::now();
    std::string input, output, population_file, write_list, shock_file, method = "auto", backend = "auto",
                view = "full", paths;
    mrio_input_options input_options;
    double paths_threshold = 1e-4;
    int paths_depth = 6;
    int threads = 0;
    std::size_t max_dense = 5000;
    bool force = false;
    po::options_description described(
        "integra io accounts INPUT -o OUT.h5 [options]\n\nReads a full MRIO with origin detail (INPUT: a pymrio-saved "
        "folder; a folder with intermediate.csv and final_demand.csv; EXIOBASE 3, ixi or pxp, as its zip archive "
        "IOT_YYYY_ixi.zip or the unpacked folder; an unpacked Eora26 folder; an OECD ICIO CSV file; the WIOD 2016 world "
        "table saved as CSV) and writes gross output, value added and its "
        "balancing gap, multipliers, linkages, stressor intensities and multipliers, production- and consumption-based "
        "accounts, embodied trade, footprints by origin and destination, and value added in final demand and in gross "
        "exports.\n\nOptions");
    described.add_options()
        ("help,h", "show this help")
        ("output,o", po::value(&output)->required(), "netCDF-4 file to write; an existing file is refused unless --force");
    add_mrio_input_options(described, input_options);
    described.add_options()
        ("population", po::value(&population_file), "CSV region,population (persons): adds the accounts per person")
        ("shock", po::value(&shock_file), "CSV origin_region,origin_sector,region,category,change: a change of final demand (in the table's unit); writes its effect on output, value added and stressors")
        ("write", po::value(&write_list), "also write some of A, L, G, B (each n x n for n region-sectors: refused above --max-dense), downstream (downstream and full-scope stressor multipliers), by_final_product (footprints by final product, K x n x R)")
        ("max-dense", po::value(&max_dense)->default_value(5000), "refuse to write A, L, G or B above this many region-sectors (5,000: 200 MB per matrix in memory and on disk)")
        ("method", po::value(&method)->default_value("auto"), "how products with L are computed: dense (form L), iterative (BiCGSTAB on sparse A, L never formed) or auto (by size, sparsity and the number of products; dense when L or G is written)")
        ("dense-backend", po::value(&backend)->default_value("auto"), "the dense inverse: lapack (OpenBLAS, multithreaded; its last bits may depend on the thread count), eigen (bitwise the same on any thread count) or auto (lapack above 300 region-sectors, where it is several times faster)")
        ("threads,j", po::value(&threads)->default_value(0), "threads for TBB and OpenBLAS (0: SLURM_CPUS_PER_TASK inside a Slurm job, else the CPUs this process may run on)")
        ("paths", po::value(&paths), "STRESSOR,REGION: structural path analysis of that region's footprint of the stressor (its whole final demand; the direct stressors of final users are not paths): every supply chain above --paths-threshold, up to --paths-depth steps")
        ("paths-threshold", po::value(&paths_threshold)->default_value(1e-4, "1e-4"), "list the paths above this share of the footprint")
        ("paths-depth", po::value(&paths_depth)->default_value(6), "longest path (number of steps upstream)")
        ("view", po::value(&view)->default_value("full"), "full (the origin detail as given) or proportional (every user of a sector in a region buys from each origin in the region's proportions, as the trade equilibrium assumes): the accounts of that view")
        ("force", po::bool_switch(&force), "replace an existing output file");
    const auto vm = parse_arguments(args, described, input);
    if (vm.count("help")) {
        std::cout << described;
        return 0;
    }
    if (input.empty()) throw po::error("missing argument: the INPUT folder");
    input_options.tolerance_given = !vm["tolerance"].defaulted();
    check_mrio_input_options(input_options);
    std::set<std::string> wanted;
    {
        std::stringstream list(write_list);
        std::string item;
        while (std::getline(list, item, ','))
            if (!item.empty()) {
                if (item != "A" && item != "L" && item != "G" && item != "B" && item != "downstream" && item != "by_final_product")
                    throw po::error("--write: expected A, L, G, B, downstream or by_final_product, got '" + item + "'");
                wanted.insert(item);
            }
    }
    if (method != "auto" && method != "dense" && method != "iterative")
        throw po::error("--method: expected auto, dense or iterative, got '" + method + "'");
    if (backend != "auto" && backend != "lapack" && backend != "eigen")
        throw po::error("--dense-backend: expected auto, lapack or eigen, got '" + backend + "'");
    if (view != "full" && view != "proportional")
        throw po::error("--view: expected full or proportional, got '" + view + "'");
    if (threads < 0) throw po::error("--threads: expected 0 (all cores) or a positive number, got " + std::to_string(threads));
    const bool square_wanted = wanted.count("A") || wanted.count("L") || wanted.count("G") || wanted.count("B");
    if (method == "iterative" && !vm["dense-backend"].defaulted())
        throw po::error("--dense-backend is for the dense method; --method iterative never forms L");
    if (method == "iterative" && (wanted.count("L") || wanted.count("G")))
        throw po::error("--method iterative never forms L: --write L or G needs --method dense or auto");
    const std::filesystem::path target(output);
    sim::check_output_target(target);
    if (std::filesystem::exists(target) && !force)
        throw invalid_input(output + ": exists; not replaced (give another -o, or --force to replace it)");

    const mrio_input read = read_mrio_input(input, input_options);
    const sim::full_mrio_import& imported = read.imported;
    const std::string& aggregation = read.aggregation;
    std::size_t left_as_given = 0;
    const models::full_mrio proportional =
        view == "proportional" ? models::proportional_view(imported.mrio, &left_as_given) : models::full_mrio{};
    if (left_as_given > 0)
        std::cerr << "integra: warning: --view proportional: " << left_as_given
                  << " (region, sector) pair(s) absorb a non-positive total; their flows are left as given\n";
    const models::full_mrio& m = view == "proportional" ? proportional : imported.mrio;
    const models::mrio_table& t = m.table;
    const auto n = static_cast<index_t>(t.size());
    if (square_wanted && t.size() > max_dense)
        throw invalid_input(cat("--write ", write_list, ": the table has ", t.size(), " region-sectors, above --max-dense ",
                                max_dense, " (each matrix would take ", number_text(8.0 * double(n) * double(n) / 1e6, 4),
                                " MB); raise --max-dense to write it"));
    const VectorXd population = population_file.empty() ? VectorXd() : read_population(population_file, t.regions);

    // The satellites: all extensions stacked on one stressor dimension.
    const stacked_stressors stack = stack_extensions(m);
    const models::satellite& all = stack.all;
    const std::vector<std::string>& names = all.stressors;
    const std::vector<std::string>& units = all.units;
    const std::vector<std::string>& extension_of = stack.extension_of;
    const std::size_t k_total = all.n_stressors();

    const paths_request request =
        paths.empty() ? paths_request{} : parse_paths(paths, paths_threshold, paths_depth, all, t);

    models::io_accounts_options options;
    options.downstream_stressors = wanted.count("downstream") != 0;
    options.footprint_by_final_product = wanted.count("by_final_product") != 0;
    if (!shock_file.empty()) options.final_demand_change = read_shock(shock_file, m);

    // The Leontief operator: dense L (LAPACK or Eigen) or iterative solves on sparse A.
    const int workers = thread_count(threads > 0 ? std::optional<int>(threads) : std::nullopt);
    const tbb::global_control thread_limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(workers));
    models::numerics::set_lapack_threads(workers);
    const MatrixXd a = models::technical_coefficients(t);
    const auto a_sparse = models::sparse_technical_coefficients(a);
    const index_t products = models::io_accounts_products(m, all, options);
    const bool dense = method == "dense" ||
                       (method == "auto" && models::choose_leontief_operator(n, a_sparse.nonZeros(), products,
                                                                             wanted.count("L") || wanted.count("G")) ==
                                                models::leontief_method::dense);
    const auto operator_start = std::chrono::steady_clock::now();
    const models::leontief_operator leontief =
        dense ? models::leontief_operator::dense(a, backend == "lapack" || (backend == "auto" && n > models::dense_max_n)
                                                        ? models::dense_backend::lapack
                                                        : models::dense_backend::eigen)
              : models::leontief_operator::iterative(a_sparse);
    const models::io_accounts r = models::compute_io_accounts(m, all, leontief, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - operator_start).count();
    std::cerr << "integra: " << products << " products with L or L' for " << n << " region-sectors ("
              << a_sparse.nonZeros() << " non-zeros in A), " << leontief.description() << ": "
              << number_text(seconds, 3) << " s\n";

    sim::result_set rs;
    const std::size_t n_regions = t.n_regions();
    rs.add({"region", t.regions, "region (destination, user or producer)", ""});
    rs.add({"sector", t.sectors, "sector", ""});
    rs.add({"origin_region", t.regions, "region of origin (seller)", ""});
    rs.add({"origin_sector", t.sectors, "sector of origin (seller)", ""});
    rs.add({"category", m.categories, "final-demand category", ""});
    rs.add({"exporter", t.regions, "exporting region", ""});
    rs.add({"importer", t.regions, "importing region", ""});
    const std::string money = t.unit;
    auto vec = [&](const std::string& name, const VectorXd& v, const std::string& unit_text, const std::string& long_name) {
        rs.add(sim::variable{name, {"region", "sector"}, std::vector<double>(v.data(), v.data() + v.size()), unit_text, long_name});
    };
    vec("gross_output", t.gross_output, money, "gross output x = Z 1 + Y 1");
    vec("value_added", m.value_added(), money,
        m.has_given_value_added() ? "value added as given (" + m.value_added_source + ")" : "value added (balancing item x - 1'Z)");
    vec("balancing_gap", models::balancing_gap(m), money, "x - 1'Z - v: what the given value added leaves unexplained");
    vec("output_multiplier", r.output_multiplier, "1", "output multipliers 1'L (M&B ch. 6)");
    vec("value_added_multiplier", r.value_added_multiplier, "1", "value-added multipliers c'L, c = v/x (M&B ch. 6)");
    vec("backward_linkage", r.backward_linkage, "1", "normalised backward linkages (Rasmussen; M&B ch. 12)");
    vec("forward_linkage", r.forward_linkage, "1", "normalised forward linkages from the Ghosh inverse (M&B ch. 12)");
    vec("downstream_output_multiplier", r.downstream_output_multiplier, "1", "downstream (Ghosh) output multipliers G 1 (M&B ch. 12)");
    vec("full_scope_output_multiplier", r.full_scope_output_multiplier, "1",
        "full-scope output multipliers 1'L + G 1 - 1 (an attribution index, not a shock response)");
    rs.add(sim::variable{"final_demand", {"origin_region", "origin_sector", "region", "category"},
                         row_major(m.final_demand_by_category), money, "final demand by origin, destination and category"});
    rs.add(sim::variable{"value_added_in_final_demand", {"origin_region", "region"}, row_major(r.value_added_in_final_demand), money,
                         "value added of the origin region absorbed in the final demand of region (VAX matrix, Johnson & Noguera 2012)"});
    rs.add(sim::variable{"value_added_in_final_demand_by_category", {"origin_region", "region", "category"},
                         row_major(r.value_added_in_final_demand_by_category), money,
                         "value added of the origin region absorbed by each final-demand category of region"});
    rs.add(sim::variable{"value_added_in_exports", {"origin_region", "exporter", "importer"}, stacked(r.value_added_in_exports), money,
                         "value added of the origin region embodied in gross exports (Koopman, Wang & Wei 2014)"});
    if (options.final_demand_change.size() != 0) {
        vec("shock_output_change", r.shock_output_change, money, "change of gross output dx = L dY 1 for the final-demand change of --shock");
        rs.add(sim::variable{"shock_value_added_change", {"origin_region", "region", "category"},
                             row_major(r.shock_value_added_change), money,
                             "change of value added by origin region for the change of final demand of each region and category"});
    }

    if (k_total > 0) {
        rs.add({"stressor", names, "stressor (satellite row)", ""});
        rs.add(sim::text_variable{"stressor_unit", {"stressor"}, units, "unit of the stressor (per year)"});
        rs.add(sim::text_variable{"extension", {"stressor"}, extension_of, "satellite extension of the stressor"});
        rs.auxiliary_coordinates = {"stressor_unit", "extension"};
        const std::string per_money = "stressor_unit per " + money;
        const std::string su = "stressor_unit";
        rs.add(sim::variable{"stressor_intensity", {"stressor", "region", "sector"}, row_major(r.intensity), per_money, "direct intensities S = F x^-1"});
        rs.add(sim::variable{"stressor_multiplier", {"stressor", "region", "sector"}, row_major(r.multiplier),
                             per_money, "total multipliers M = S L (M&B ch. 10)"});
        rs.add(sim::variable{"production_based", {"stressor", "region"}, row_major(r.production_based), su, "production-based (territorial) accounts F 1 + F_y"});
        rs.add(sim::variable{"consumption_based", {"stressor", "region"}, row_major(r.consumption_based), su, "consumption-based accounts (footprints) S L y_q + F_y"});
        rs.add(sim::variable{"consumption_based_by_category", {"stressor", "region", "category"}, row_major(r.consumption_based_by_category), su,
                             "footprint of each final-demand category S L y_(q,c), without the direct stressors of final users"});
        rs.add(sim::variable{"footprint_by_origin", {"stressor", "origin_region", "region"}, stacked(r.footprint_by_origin), su,
                             "footprint by region of emission (origin) and region of final demand"});
        rs.add(sim::variable{"embodied_in_imports", {"stressor", "region"}, row_major(r.embodied.imports), su, "stressors emitted abroad for the region's final demand"});
        rs.add(sim::variable{"embodied_in_exports", {"stressor", "region"}, row_major(r.embodied.exports), su, "stressors emitted in the region for final demand abroad"});
        if (options.downstream_stressors) {
            rs.add(sim::variable{"downstream_stressor_multiplier", {"stressor", "region", "sector"}, row_major(r.downstream_multiplier), per_money,
                                 "downstream stressor multipliers S (G' - I) (pymrio's M_down; M&B ch. 12)"});
            rs.add(sim::variable{"full_scope_stressor_multiplier", {"stressor", "region", "sector"}, row_major(r.full_scope_multiplier), per_money,
                                 "full-scope stressor multipliers S L + S (G' - I) (an attribution index)"});
        }
        if (options.footprint_by_final_product)
            rs.add(sim::variable{"footprint_by_final_product", {"stressor", "origin_region", "origin_sector", "region"},
                                 stacked(r.footprint_by_final_product), su,
                                 "footprint of region's final purchases from each origin region-sector, whole upstream chain M(k,j) Y(j,q)"});
        if (options.final_demand_change.size() != 0)
            rs.add(sim::variable{"shock_stressor_change", {"stressor", "region", "category"}, row_major(r.shock_stressor_change), su,
                                 "change of stressors S L dy_(q,c) for the final-demand change of each region and category"});
        if (population.size() != 0) {
            rs.add(sim::variable{"production_based_per_person", {"stressor", "region"}, row_major(models::per_person(r.production_based, population, t.regions)),
                                 "stressor_unit per person", "production-based accounts per person"});
            rs.add(sim::variable{"consumption_based_per_person", {"stressor", "region"}, row_major(models::per_person(r.consumption_based, population, t.regions)),
                                 "stressor_unit per person", "consumption-based accounts per person"});
        }
    }
    if (!paths.empty()) add_structural_paths(rs, request, paths_threshold, paths_depth, m, all, a_sparse);
    if (population.size() != 0)
        rs.add(sim::variable{"population", {"region"}, std::vector<double>(population.data(), population.data() + population.size()),
                             "persons", "population (from " + population_file + ")"});
    const std::vector<std::string> square{"origin_region", "origin_sector", "region", "sector"};
    if (wanted.count("A")) rs.add(sim::variable{"A", square, row_major(a), "1", "technical coefficients A = Z x^-1"});
    if (wanted.count("B")) rs.add(sim::variable{"B", square, row_major(models::allocation_coefficients(t)), "1", "allocation coefficients B = x^-1 Z"});
    if (wanted.count("L")) rs.add(sim::variable{"L", square, row_major(leontief.inverse()), "1", "Leontief inverse (I - A)^-1"});
    if (wanted.count("G")) {
        // G = x^-1 L x^ (M&B ch. 12, sec. 12.1); identity rows and columns where x = 0.
        const VectorXd& x = t.gross_output;
        MatrixXd g = leontief.inverse();
        for (index_t i = 0; i < n; ++i)
            for (index_t j = 0; j < n; ++j) g(i, j) = x(i) != 0.0 ? g(i, j) * x(j) / x(i) : (i == j ? 1.0 : 0.0);
        rs.add(sim::variable{"G", square, row_major(g), "1", "Ghosh inverse (I - B)^-1 = x^-1 L x^"});
    }
    rs.set_attribute("leontief_method", leontief.description());
    rs.set_attribute("bitwise_reproducible_across_threads",
                     leontief.thread_independent()
                         ? std::string("yes")
                         : std::string("no: L was formed by LAPACK on OpenBLAS, whose last bits may depend on the "
                                       "thread count (use --dense-backend eigen for bitwise reproducible output)"));
    rs.set_attribute("output_relative_residual", r.output_relative_residual);
    rs.set_attribute("Conventions", std::string("CF-1.10"));
    rs.set_attribute("title", std::string("input-output accounts of ") + input);
    rs.set_attribute("source", version_string());
    rs.set_attribute("history", sim::iso8601_utc(start) + ": " + command_line);
    rs.set_attribute("input", imported.source);
    rs.set_attribute("unit", money);
    rs.set_attribute("value_added_source", m.has_given_value_added() ? m.value_added_source : std::string("balancing item x - 1'Z"));
    rs.set_attribute("view", view);
    rs.set_attribute("origin_detail",
                     view == "full" ? std::string("as given by the input (no proportionality assumption)")
                                    : std::string("proportional view: each user of a sector in a region buys from each origin in "
                                                  "the region's total proportions (Chenery-Moses; models/full_mrio.hpp, "
                                                  "proportional_view), not the origin detail of the input"));
    if (!aggregation.empty()) rs.set_attribute("aggregation", aggregation);
    sim::write_netcdf4(rs, target);
    std::cerr << "integra: wrote " << output << " (" << n_regions << " regions x " << t.n_sectors() << " sectors, "
              << m.n_categories() << " final-demand categories, " << k_total << " stressor(s); " << imported.warnings.size()
              << " warning(s))\n";
    return 0;
}

}  // namespace

int io(const arguments& args, const std::string& command_line) {
    if (args.empty()) {
        std::cerr << overview;
        return 2;
    }
    if (args[0] == "--help" || args[0] == "-h") {
        std::cout << overview;
        return 0;
    }
    if (args[0] == "accounts") return accounts(arguments(args.begin() + 1, args.end()), command_line);
    if (args[0] == "decompose") return io_decompose(arguments(args.begin() + 1, args.end()), command_line);
    throw po::error("unknown io subcommand '" + args[0] + "' (expected: accounts, decompose)");
}

}  // namespace integra::cli
