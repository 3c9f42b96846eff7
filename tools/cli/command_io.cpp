// integra io accounts INPUT -o OUT.h5: reads a full MRIO (a pymrio-saved folder, a folder
// of long CSV files, EXIOBASE 3 zipped or unpacked, or an Eora26 folder), computes its input-output and satellite accounts and writes them as a
// netCDF-4 file with named dimensions (docs/io-accounting.md, "Importing a full MRIO and
// computing its accounts").
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <boost/program_options.hpp>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "models/full_mrio.hpp"
#include "models/mrio_accounting.hpp"
#include "models/satellite_accounts.hpp"
#include "sim/data/csv_table.hpp"
#include "sim/data/import_eora.hpp"
#include "sim/data/import_exiobase.hpp"
#include "sim/data/import_full_mrio.hpp"
#include "sim/io/netcdf_file.hpp"
#include "sim/provenance.hpp"
#include "sim/results.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/parse_arguments.hpp"

namespace integra::cli {
namespace {

namespace po = boost::program_options;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using index_t = Eigen::Index;

constexpr const char* overview = R"(integra io accounts INPUT -o OUT.h5 [options]

Reads a full multi-regional input-output table with origin detail and writes its accounts
(docs/io-accounting.md, "Importing a full MRIO and computing its accounts").

Run 'integra io accounts --help' for the options.
)";

// Row-major copy of an Eigen matrix (Eigen stores column-major), for a variable whose dims
// are (rows..., cols...).
std::vector<double> row_major(const MatrixXd& m) {
    std::vector<double> out(static_cast<std::size_t>(m.size()));
    std::size_t k = 0;
    for (index_t i = 0; i < m.rows(); ++i)
        for (index_t j = 0; j < m.cols(); ++j) out[k++] = m(i, j);
    return out;
}
std::vector<double> stacked(const std::vector<MatrixXd>& ms) {
    std::vector<double> out;
    for (const auto& m : ms) {
        const auto part = row_major(m);
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

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

int accounts(const arguments& args, const std::string& command_line) {
    const auto start = std::chrono::system_clock::now();
    std::string input, output, format = "pymrio", population_file, write_list, unit;
    std::size_t max_dense = 5000;
    bool force = false;
    po::options_description described(
        "integra io accounts INPUT -o OUT.h5 [options]\n\nReads a full MRIO with origin detail (INPUT: a pymrio-saved "
        "folder; a folder with intermediate.csv and final_demand.csv; EXIOBASE 3, ixi or pxp, as its zip archive "
        "IOT_YYYY_ixi.zip or the unpacked folder; an unpacked Eora26 folder) and writes gross output, value added and its "
        "balancing gap, multipliers, linkages, stressor intensities and multipliers, production- and consumption-based "
        "accounts, embodied trade, footprints by origin and destination, and value added in final demand and in gross "
        "exports.\n\nOptions");
    described.add_options()
        ("help,h", "show this help")
        ("output,o", po::value(&output)->required(), "netCDF-4 file to write; an existing file is refused unless --force")
        ("format", po::value(&format)->default_value("pymrio"),
         "pymrio (a folder saved by pymrio's save_all, text), long (intermediate.csv, final_demand.csv), exiobase "
         "(EXIOBASE 3 ixi or pxp: the .zip as distributed or its unpacked folder; Z = A diag(x) without Z.txt) or eora26 "
         "(Eora26_YYYY_bp_*.txt and labels_*.txt; the ROW region is dropped, with a warning)")
        ("unit", po::value(&unit), "(long and eora26, required) currency unit of the values, recorded as given")
        ("population", po::value(&population_file), "CSV region,population (persons): adds the accounts per person")
        ("write", po::value(&write_list), "also write some of A, L, G (comma-separated), each n x n for n region-sectors")
        ("max-dense", po::value(&max_dense)->default_value(5000), "refuse --write above this many region-sectors (5,000: 200 MB per matrix in memory and on disk)")
        ("force", po::bool_switch(&force), "replace an existing output file");
    const auto vm = parse_arguments(args, described, input);
    if (vm.count("help")) {
        std::cout << described;
        return 0;
    }
    if (input.empty()) throw po::error("missing argument: the INPUT folder");
    if (format != "pymrio" && format != "long" && format != "exiobase" && format != "eora26")
        throw po::error("--format: expected pymrio, long, exiobase or eora26, got '" + format + "'");
    const bool needs_unit = format == "long" || format == "eora26";
    if (needs_unit && unit.empty()) throw po::error("--format " + format + " needs --unit (the currency unit of the values)");
    if (!needs_unit && !unit.empty())
        throw po::error("--unit is for --format long and eora26; --format " + format + " gives its unit in unit.txt");
    std::set<std::string> wanted;
    {
        std::stringstream list(write_list);
        std::string item;
        while (std::getline(list, item, ','))
            if (!item.empty()) {
                if (item != "A" && item != "L" && item != "G") throw po::error("--write: expected A, L or G, got '" + item + "'");
                wanted.insert(item);
            }
    }
    const std::filesystem::path target(output);
    sim::check_output_target(target);
    if (std::filesystem::exists(target) && !force)
        throw invalid_input(output + ": exists; not replaced (give another -o, or --force to replace it)");

    const sim::full_mrio_import imported = format == "pymrio"     ? sim::read_pymrio_folder(input)
                                           : format == "exiobase" ? sim::read_exiobase3(input)
                                           : format == "eora26"   ? sim::read_eora26(input, unit)
                                                                  : sim::read_long_mrio(input, unit);
    for (const auto& w : imported.warnings) std::cerr << w.where << ": warning: " << w.message << "\n";
    const models::full_mrio& m = imported.mrio;
    const models::mrio_table& t = m.table;
    const auto n = static_cast<index_t>(t.size());
    if (!wanted.empty() && t.size() > max_dense)
        throw invalid_input(cat("--write ", write_list, ": the table has ", t.size(), " region-sectors, above --max-dense ",
                                max_dense, " (each matrix would take ", number_text(8.0 * double(n) * double(n) / 1e6, 4),
                                " MB); raise --max-dense to write it"));
    const VectorXd population = population_file.empty() ? VectorXd() : read_population(population_file, t.regions);

    // The accounts. L and G are dense (8 n^2 bytes each).
    const MatrixXd a = models::technical_coefficients(t);
    const MatrixXd l = models::leontief_inverse(a);
    const MatrixXd b = models::allocation_coefficients(t);
    const MatrixXd g = models::ghosh_inverse(b);
    const models::mrio_table tv = m.table_with_given_value_added();  // value added as given
    const VectorXd c = models::value_added_coefficients(tv.value_added, t.gross_output);

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
    auto vec = [&](const std::string& name, const VectorXd& v, const std::string& units, const std::string& long_name) {
        rs.add(sim::variable{name, {"region", "sector"}, std::vector<double>(v.data(), v.data() + v.size()), units, long_name});
    };
    vec("gross_output", t.gross_output, money, "gross output x = Z 1 + Y 1");
    vec("value_added", m.value_added(), money,
        m.has_given_value_added() ? "value added as given (" + m.value_added_source + ")" : "value added (balancing item x - 1'Z)");
    vec("balancing_gap", models::balancing_gap(m), money, "x - 1'Z - v: what the given value added leaves unexplained");
    vec("output_multiplier", models::output_multipliers(l), "1", "output multipliers 1'L (M&B ch. 6)");
    vec("value_added_multiplier", models::value_added_multipliers(c, l), "1", "value-added multipliers c'L, c = v/x (M&B ch. 6)");
    vec("backward_linkage", models::backward_linkages(l), "1", "normalised backward linkages (Rasmussen; M&B ch. 12)");
    vec("forward_linkage", models::forward_linkages(g), "1", "normalised forward linkages from the Ghosh inverse (M&B ch. 12)");
    rs.add(sim::variable{"final_demand", {"origin_region", "origin_sector", "region", "category"},
                         row_major(m.final_demand_by_category), money, "final demand by origin, destination and category"});
    rs.add(sim::variable{"value_added_in_final_demand", {"origin_region", "region"},
                         row_major(models::value_added_in_final_demand(tv, l)), money,
                         "value added of the origin region absorbed in the final demand of region (VAX matrix, Johnson & Noguera 2012)"});
    rs.add(sim::variable{"value_added_in_exports", {"origin_region", "exporter", "importer"},
                         stacked(models::value_added_in_exports(tv, l)), money,
                         "value added of the origin region embodied in gross exports (Koopman, Wang & Wei 2014)"});

    // Satellites: all extensions stacked on one stressor dimension.
    std::vector<std::string> names, units, extension_of;
    std::size_t k_total = 0;
    for (const auto& e : m.extensions) k_total += e.accounts.n_stressors();
    models::satellite all;
    all.production = MatrixXd::Zero(static_cast<index_t>(k_total), n);
    all.final_demand = MatrixXd::Zero(static_cast<index_t>(k_total), static_cast<index_t>(n_regions));
    index_t k = 0;
    for (const auto& e : m.extensions) {
        const auto kk = static_cast<index_t>(e.accounts.n_stressors());
        all.production.middleRows(k, kk) = e.accounts.production;
        if (e.accounts.has_final_demand()) all.final_demand.middleRows(k, kk) = e.accounts.final_demand;
        for (std::size_t s = 0; s < e.accounts.n_stressors(); ++s) {
            std::size_t same = 0;
            for (const auto& other : m.extensions)
                same += static_cast<std::size_t>(std::count(other.accounts.stressors.begin(), other.accounts.stressors.end(),
                                                            e.accounts.stressors[s]));
            names.push_back(same > 1 ? e.name + ": " + e.accounts.stressors[s] : e.accounts.stressors[s]);
            units.push_back(e.accounts.units[s]);
            extension_of.push_back(e.name);
        }
        k += kk;
    }
    all.stressors = names;
    all.units = units;
    if (k_total > 0) {
        rs.add({"stressor", names, "stressor (satellite row)", ""});
        rs.add(sim::text_variable{"stressor_unit", {"stressor"}, units, "unit of the stressor (per year)"});
        rs.add(sim::text_variable{"extension", {"stressor"}, extension_of, "satellite extension of the stressor"});
        rs.auxiliary_coordinates = {"stressor_unit", "extension"};
        const std::string per_money = "stressor_unit per " + money;
        const std::string su = "stressor_unit";
        const MatrixXd s = models::stressor_intensities(all, t);
        rs.add(sim::variable{"stressor_intensity", {"stressor", "region", "sector"}, row_major(s), per_money, "direct intensities S = F x^-1"});
        rs.add(sim::variable{"stressor_multiplier", {"stressor", "region", "sector"}, row_major(models::stressor_multipliers(s, l)),
                             per_money, "total multipliers M = S L (M&B ch. 10)"});
        const MatrixXd pba = models::production_based_accounts(all, t);
        const MatrixXd cba = models::consumption_based_accounts(all, t, l);
        rs.add(sim::variable{"production_based", {"stressor", "region"}, row_major(pba), su, "production-based (territorial) accounts F 1 + F_y"});
        rs.add(sim::variable{"consumption_based", {"stressor", "region"}, row_major(cba), su, "consumption-based accounts (footprints) S L y_q + F_y"});
        const auto by_origin = models::footprint_by_origin(all, t, l);
        rs.add(sim::variable{"footprint_by_origin", {"stressor", "origin_region", "region"}, stacked(by_origin), su,
                             "footprint by region of emission (origin) and region of final demand"});
        const auto trade = models::embodied_in_trade(by_origin);
        rs.add(sim::variable{"embodied_in_imports", {"stressor", "region"}, row_major(trade.imports), su, "stressors emitted abroad for the region's final demand"});
        rs.add(sim::variable{"embodied_in_exports", {"stressor", "region"}, row_major(trade.exports), su, "stressors emitted in the region for final demand abroad"});
        if (population.size() != 0) {
            rs.add(sim::variable{"production_based_per_person", {"stressor", "region"}, row_major(models::per_person(pba, population, t.regions)),
                                 "stressor_unit per person", "production-based accounts per person"});
            rs.add(sim::variable{"consumption_based_per_person", {"stressor", "region"}, row_major(models::per_person(cba, population, t.regions)),
                                 "stressor_unit per person", "consumption-based accounts per person"});
        }
    }
    if (population.size() != 0)
        rs.add(sim::variable{"population", {"region"}, std::vector<double>(population.data(), population.data() + population.size()),
                             "persons", "population (from " + population_file + ")"});
    const std::vector<std::string> square{"origin_region", "origin_sector", "region", "sector"};
    if (wanted.count("A")) rs.add(sim::variable{"A", square, row_major(a), "1", "technical coefficients A = Z x^-1"});
    if (wanted.count("L")) rs.add(sim::variable{"L", square, row_major(l), "1", "Leontief inverse (I - A)^-1"});
    if (wanted.count("G")) rs.add(sim::variable{"G", square, row_major(g), "1", "Ghosh inverse (I - B)^-1"});

    rs.set_attribute("Conventions", std::string("CF-1.10"));
    rs.set_attribute("title", std::string("input-output accounts of ") + input);
    rs.set_attribute("source", version_string());
    rs.set_attribute("history", sim::iso8601_utc(start) + ": " + command_line);
    rs.set_attribute("input", imported.source);
    rs.set_attribute("unit", money);
    rs.set_attribute("value_added_source", m.has_given_value_added() ? m.value_added_source : std::string("balancing item x - 1'Z"));
    rs.set_attribute("origin_detail", std::string("as given by the input (no proportionality assumption)"));
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
    throw po::error("unknown io subcommand '" + args[0] + "' (expected: accounts)");
}

}  // namespace integra::cli
