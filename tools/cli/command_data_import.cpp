// integra data import icio|long|cp FILE -o FOLDER ...: converts external data into the
// canonical dataset format (docs/importers.md).
#include <iostream>

#include <boost/program_options.hpp>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/dataset.hpp"
#include "sim/data/dataset_writer.hpp"
#include "sim/data/import_cp.hpp"
#include "sim/data/import_icio.hpp"
#include "sim/data/import_long_csv.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/parse_arguments.hpp"

namespace integra::cli {
namespace {

namespace po = boost::program_options;

constexpr const char* overview = R"(integra data import FORMAT FILE -o FOLDER [options]

Formats:
  icio   OECD Inter-Country Input-Output table, CSV (2021 and 2023 editions)
  long   generic long CSV: region,sector,partner,variable,value[,unit] (needs --unit)
  cp     the Caliendo & Parro (2015) replication package's raw/ folder (31 regions x 40
         sectors, 1993), calibrated to an equilibrium as the package does

Run 'integra data import FORMAT --help' for the options.
)";

// integra data import cp RAW_FOLDER -o FOLDER [--deficits zero|observed] [--force]
int import_caliendo_parro(const arguments& args) {
    std::string input, output, deficits = "zero";
    bool force = false;
    po::options_description described(
        "integra data import cp RAW_FOLDER -o FOLDER [options]\n\nImports the Caliendo & Parro (2015) replication "
        "inputs (xbilat1993.txt, tariffs1993.txt, tariffs2005.txt, B.txt, GO.txt, IO.txt, T.txt) and calibrates the "
        "1993 base year as the package does. The 2005 tariffs become the tariff table \"2005\".\n\nOptions");
    described.add_options()("help,h", "show this help")("output,o", po::value(&output)->required(), "dataset folder to create")(
        "deficits", po::value(&deficits)->default_value("zero"), "zero (the paper's headline base) or observed (1993 deficits)")(
        "force", po::bool_switch(&force), "replace an existing dataset folder (atomically)");
    std::string positional;
    const auto vm = parse_arguments(args, described, positional);
    if (vm.count("help")) {
        std::cout << described;
        return 0;
    }
    if (positional.empty()) throw po::error("missing argument: the package's raw/ folder");
    if (deficits != "zero" && deficits != "observed")
        throw po::error("--deficits: expected zero or observed, got '" + deficits + "'");
    sim::cp_import d = sim::import_caliendo_parro(positional, deficits == "zero");
    std::string command_line = "integra data import cp";
    for (const auto& a : args) command_line += " " + a;
    d.dataset.metadata.builder = command_line;
    const std::filesystem::path folder(output);
    d.dataset.economy.name = (folder.has_filename() ? folder : folder.parent_path()).filename().string();
    sim::write_dataset(d.dataset.economy, d.dataset.metadata, folder, force ? sim::write_mode::replace : sim::write_mode::create_new);
    std::cerr << "integra: wrote " << folder.string() << " (31 regions x 40 sectors, base year 1993, " << deficits
              << " deficits; " << d.clipped_final_demand_shares << " final-demand shares clipped, "
              << d.clamped_io_coefficients << " input share(s) clamped)\n";
    return 0;
}

}  // namespace

int data_import(const arguments& args) {
    if (args.empty()) {
        std::cerr << overview;
        return 2;
    }
    if (args[0] == "--help" || args[0] == "-h") {
        std::cout << overview;
        return 0;
    }
    const std::string format = args[0];
    if (format == "cp") return import_caliendo_parro(arguments(args.begin() + 1, args.end()));
    if (format != "icio" && format != "long")
        throw po::error("unknown import format '" + format + "' (expected: icio, long, cp)");

    sim::import_options options;
    std::string input, output, unit, region_map, sector_map;
    bool force = false;
    po::options_description described("integra data import " + format + " FILE -o FOLDER [options]\n\n" +
                                      (format == "icio" ? "Imports an OECD ICIO CSV table (million USD)."
                                                        : "Imports a long CSV file (columns region,sector,partner,variable,value[,unit]).") +
                                      "\nThe folder is written atomically; nothing is left behind on error.\n\nOptions");
    described.add_options()
        ("help,h", "show this help")
        ("output,o", po::value(&output)->required(), "dataset folder to create")
        ("name", po::value(&options.name), "dataset name (default: the folder name)")
        ("title", po::value(&options.title), "one-line title for the manifest")
        ("year", po::value(&options.year), format == "icio" ? "base year (default: the last 4-digit number in the file name)" : "base year (required)")
        ("regions", po::value(&region_map), "region concordance CSV (from,to) to aggregate with")
        ("sectors", po::value(&sector_map), "sector concordance CSV (from,to) to aggregate with")
        ("trade-elasticity", po::value(&options.trade_elasticity)->default_value(5.0), "theta for sectors without one (an assumption, written to the manifest)")
        ("tolerance", po::value(&options.tolerance)->default_value(1e-3), "relative tolerance of the balance checks")
        ("force", po::bool_switch(&force), "replace an existing dataset folder (atomically)");
    if (format == "long") described.add_options()("unit", po::value(&unit)->required(), "unit of the money values: USD, thousand USD, million USD or billion USD");
    const auto vm = parse_arguments(arguments(args.begin() + 1, args.end()), described, input);
    if (vm.count("help")) {
        std::cout << described;
        return 0;
    }
    if (input.empty()) throw po::error("missing argument: the input FILE");
    if (vm.count("year") && (options.year < sim::dataset_limits::min_year || options.year > sim::dataset_limits::max_year))
        throw po::error(cat("--year: expected a year in ", sim::dataset_limits::min_year, "-", sim::dataset_limits::max_year,
                            ", got ", options.year));
    if (!(options.trade_elasticity > 0.0)) throw po::error(cat("expected a trade elasticity > 0, got ", options.trade_elasticity));
    if (!(options.tolerance >= 0.0)) throw po::error(cat("expected a tolerance >= 0, got ", options.tolerance));
    options.region_map = region_map;
    options.sector_map = sector_map;
    options.command_line = "integra data import " + format;
    for (auto it = args.begin() + 1; it != args.end(); ++it) options.command_line += " " + *it;
    const std::filesystem::path folder(output);
    if (options.name.empty()) options.name = (folder.has_filename() ? folder : folder.parent_path()).filename().string();

    const sim::imported_dataset d = format == "icio" ? sim::import_icio(input, options)
                                                     : sim::import_long_csv(input, unit, options);
    if (d.economy.base_year < sim::dataset_limits::min_year || d.economy.base_year > sim::dataset_limits::max_year)
        throw invalid_input(cat(input, ": base year ", d.economy.base_year, " is outside ", sim::dataset_limits::min_year, "-",
                                sim::dataset_limits::max_year, "; give --year"));
    sim::write_dataset(d.economy, d.metadata, folder, force ? sim::write_mode::replace : sim::write_mode::create_new);
    std::size_t adjustments = 0;
    for (const auto& f : d.metadata.extra_files)
        if (f.key == "adjustments") adjustments = f.rows.size();
    std::cerr << "integra: wrote " << folder.string() << " (" << d.economy.n_regions() << " regions x " << d.economy.n_sectors()
              << " sectors, base year " << d.economy.base_year << ", " << adjustments << " adjustment(s))\n";
    return 0;
}

}  // namespace integra::cli
