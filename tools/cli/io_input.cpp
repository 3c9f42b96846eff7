// Reading a full MRIO and stacking its extensions for the io commands (io_input.hpp).
#include "tools/cli/io_input.hpp"

#include <algorithm>
#include <iostream>

#include "core/text.hpp"
#include "models/full_mrio_aggregation.hpp"
#include "models/economy.hpp"
#include "sim/data/aggregation.hpp"
#include "sim/data/dataset.hpp"
#include "sim/data/import_eora.hpp"
#include "sim/data/import_exiobase.hpp"
#include "sim/data/import_icio_full.hpp"
#include "sim/data/import_wiod.hpp"

namespace integra::cli {

namespace po = boost::program_options;
using Eigen::MatrixXd;
using index_t = Eigen::Index;

namespace {

// An Integra dataset (a name such as celac38 or a folder) as a full MRIO: the table its
// economy implies under the proportionality assumption (models::to_mrio_table), with one
// final-demand category; value added is the balancing item (value added plus tariffs on
// imported inputs, at world prices).
sim::full_mrio_import dataset_mrio(const std::string& name_or_path) {
    const sim::dataset d = sim::load_dataset(name_or_path);
    sim::full_mrio_import out;
    out.mrio.table = models::to_mrio_table(d.economy);
    out.mrio.categories = {"final demand"};
    out.mrio.final_demand_by_category = out.mrio.table.final_demand;
    out.source = "Integra dataset " + d.folder.string() + " (" + d.title +
                 "): the MRIO its economy implies under the proportionality assumption (no origin detail)";
    return out;
}

}  // namespace

void add_mrio_input_options(po::options_description& described, mrio_input_options& options) {
    described.add_options()
        ("format", po::value(&options.format)->default_value("pymrio"),
         "pymrio (a folder saved by pymrio's save_all, text), long (intermediate.csv, final_demand.csv), exiobase "
         "(EXIOBASE 3 ixi or pxp: the .zip as distributed or its unpacked folder; Z = A diag(x) without Z.txt), eora26 "
         "(Eora26_YYYY_bp_*.txt and labels_*.txt; the ROW region is dropped, with a warning), icio (an OECD ICIO CSV "
         "file, 2021, 2023 or 2025 edition), wiod (WIOTyyyy_Nov16_ROW.xlsx saved as CSV) or dataset (an Integra "
         "dataset such as celac38, by name or folder: the MRIO its economy implies, proportional view)")
        ("unit", po::value(&options.unit), "currency unit of the values, recorded as given: required for long and eora26; icio "
         "and wiod: default 'USD million'; pymrio and exiobase give theirs in unit.txt")
        ("tolerance", po::value(&options.tolerance)->default_value(1e-6, "1e-6"), "(icio, wiod) relative tolerance of the balance checks "
         "(row sums and column totals against gross output)")
        ("regions-map", po::value(&options.regions_map), "CSV from,to: aggregate the regions (every region mapped once)")
        ("sectors-map", po::value(&options.sectors_map), "CSV from,to: aggregate the sectors (every sector mapped once)");
}

void check_mrio_input_options(const mrio_input_options& options) {
    const std::string& format = options.format;
    if (format != "pymrio" && format != "long" && format != "exiobase" && format != "eora26" && format != "icio" &&
        format != "wiod" && format != "dataset")
        throw po::error("--format: expected pymrio, long, exiobase, eora26, icio, wiod or dataset, got '" + format + "'");
    if (!(options.tolerance > 0)) throw po::error("--tolerance: expected a number > 0");
    if (options.tolerance_given && format != "icio" && format != "wiod")
        throw po::error("--tolerance is for --format icio and wiod (their balance checks); --format " + format +
                        " checks its tables at 1e-6");
    const bool needs_unit = format == "long" || format == "eora26";
    if (needs_unit && options.unit.empty())
        throw po::error("--format " + format + " needs --unit (the currency unit of the values)");
    if ((format == "pymrio" || format == "exiobase" || format == "dataset") && !options.unit.empty())
        throw po::error("--unit is for --format long, eora26, icio and wiod; --format " + format +
                        " gives its own unit");
}

mrio_input read_mrio_input(const std::string& input, const mrio_input_options& options) {
    sim::table_file_options file_options;
    if (!options.unit.empty()) file_options.unit = options.unit;
    file_options.tolerance = options.tolerance;
    mrio_input out;
    sim::full_mrio_import& imported = out.imported;
    const std::string& format = options.format;
    imported = format == "pymrio"     ? sim::read_pymrio_folder(input)
               : format == "exiobase" ? sim::read_exiobase3(input)
               : format == "eora26"   ? sim::read_eora26(input, options.unit)
               : format == "icio"     ? sim::read_icio_full(input, file_options)
               : format == "wiod"     ? sim::read_wiod(input, file_options)
               : format == "dataset"  ? dataset_mrio(input)
                                      : sim::read_long_mrio(input, options.unit);
    for (const auto& w : imported.warnings) std::cerr << w.where << ": warning: " << w.message << "\n";
    if (!options.regions_map.empty() || !options.sectors_map.empty()) {  // docs/io-accounting.md, "Aggregation by concordance"
        auto map_to = [](const std::string& file, const std::vector<std::string>& labels, const char* what) {
            std::vector<std::string> to;
            if (file.empty()) return to;
            const sim::concordance c = sim::read_concordance(file, labels, what);
            for (const auto k : c.target_of) to.push_back(c.targets[k]);
            return to;
        };
        const auto region_to = map_to(options.regions_map, imported.mrio.table.regions, "region");
        const auto sector_to = map_to(options.sectors_map, imported.mrio.table.sectors, "sector");
        imported.mrio = models::aggregate(imported.mrio, region_to, sector_to);
        out.aggregation = cat("regions by ", options.regions_map.empty() ? "(kept)" : options.regions_map, ", sectors by ",
                              options.sectors_map.empty() ? "(kept)" : options.sectors_map,
                              " (flows summed, origin detail kept)");
    }
    return out;
}

stacked_stressors stack_extensions(const models::full_mrio& m) {
    const auto n = static_cast<index_t>(m.table.size());
    const models::mrio_table& t = m.table;
    std::vector<std::string> names, units, extension_of;
    std::size_t k_total = 0;
    for (const auto& e : m.extensions) k_total += e.accounts.n_stressors();
    models::satellite all;
    all.production = MatrixXd::Zero(static_cast<index_t>(k_total), n);
    all.final_demand = MatrixXd::Zero(static_cast<index_t>(k_total), static_cast<index_t>(t.n_regions()));
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

    return {std::move(all), std::move(extension_of)};
}

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

}  // namespace integra::cli
