// integra io decompose --before T0 --after T1 -o OUT.h5: structural decomposition of the
// change of gross output and of footprints between two full MRIO tables of the same regions,
// sectors and unit (models/structural_decomposition.hpp; docs/io-accounting.md,
// "Structural decomposition analysis").
#include <chrono>
#include <filesystem>
#include <iostream>

#include <boost/program_options.hpp>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "models/structural_decomposition.hpp"
#include "sim/io/netcdf_file.hpp"
#include "sim/provenance.hpp"
#include "sim/results.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/io_input.hpp"
#include "tools/cli/parse_arguments.hpp"

namespace integra::cli {

namespace po = boost::program_options;

int io_decompose(const arguments& args, const std::string& command_line) {
    const auto start = std::chrono::system_clock::now();
    std::string before_path, after_path, output, ordering = "average", positional;
    mrio_input_options input_options;
    bool split_technology = false, whole_final_demand = false, force = false;
    po::options_description described(
        "integra io decompose --before T0 --after T1 -o OUT.h5 [options]\n\nStructural decomposition analysis (Miller & "
        "Blair 2009, ch. 13, sec. 13.1; Dietzenbacher & Los 1998) of the change of gross output x = L Y 1 and of the "
        "footprints S L Y between two full MRIO tables in the same layout, with the same regions, sectors and currency "
        "unit (deflate one first if they are in current prices of different years). Each factor's contribution is the "
        "average over all orders of switching the factors from the first table to the second; the contributions add up "
        "to the change.\n\nOptions");
    described.add_options()
        ("help,h", "show this help")
        ("before", po::value(&before_path)->required(), "the first table (time 0)")
        ("after", po::value(&after_path)->required(), "the second table (time 1), in the same format")
        ("output,o", po::value(&output)->required(), "netCDF-4 file to write; an existing file is refused unless --force")
        ("ordering", po::value(&ordering)->default_value("average"), "average (of all orders of the factors), first_polar or second_polar")
        ("split-technology", po::bool_switch(&split_technology), "technology as input mix and input origin (default: one factor, A)")
        ("whole-final-demand", po::bool_switch(&whole_final_demand), "final demand as one factor (default: level, product mix and origin)")
        ("force", po::bool_switch(&force), "replace an existing output file");
    add_mrio_input_options(described, input_options);
    const auto vm = parse_arguments(args, described, positional);
    if (vm.count("help")) {
        std::cout << described;
        return 0;
    }
    if (!positional.empty()) throw po::error("unexpected argument '" + positional + "': give the tables as --before and --after");
    input_options.tolerance_given = !vm["tolerance"].defaulted();
    check_mrio_input_options(input_options);
    models::sda_options options;
    if (ordering == "average") options.ordering = models::sda_ordering::average_of_all_orders;
    else if (ordering == "first_polar") options.ordering = models::sda_ordering::first_polar;
    else if (ordering == "second_polar") options.ordering = models::sda_ordering::second_polar;
    else throw po::error("--ordering: expected average, first_polar or second_polar, got '" + ordering + "'");
    options.split_technology = split_technology;
    options.split_final_demand = !whole_final_demand;
    const std::filesystem::path target(output);
    sim::check_output_target(target);
    if (std::filesystem::exists(target) && !force)
        throw invalid_input(output + ": exists; not replaced (give another -o, or --force to replace it)");

    const mrio_input before = read_mrio_input(before_path, input_options);
    const mrio_input after = read_mrio_input(after_path, input_options);
    const models::mrio_table& t0 = before.imported.mrio.table;
    const models::mrio_table& t1 = after.imported.mrio.table;
    const models::structural_decomposition output_sda = models::decompose_gross_output(t0, t1, options);

    sim::result_set rs;
    rs.add({"factor", output_sda.factors, "determinant switched from the first table to the second", ""});
    rs.add({"region", t0.regions, "region", ""});
    rs.add({"sector", t0.sectors, "sector", ""});
    const std::string money = t0.unit;
    rs.add(sim::variable{"gross_output_before", {"region", "sector"}, row_major(output_sda.before), money,
                         "gross output L Y 1 of the first table"});
    rs.add(sim::variable{"gross_output_after", {"region", "sector"}, row_major(output_sda.after), money,
                         "gross output L Y 1 of the second table"});
    rs.add(sim::variable{"gross_output_change_by_factor", {"factor", "region", "sector"}, stacked(output_sda.contributions),
                         money, "contribution of each factor to the change of gross output (they add up to it)"});

    const stacked_stressors s0 = stack_extensions(before.imported.mrio);
    const stacked_stressors s1 = stack_extensions(after.imported.mrio);
    if (s0.all.n_stressors() > 0 || s1.all.n_stressors() > 0) {
        const models::structural_decomposition footprint_sda =
            models::decompose_footprint(t0, s0.all, t1, s1.all, options);
        rs.add({"stressor", s0.all.stressors, "stressor (satellite row)", ""});
        rs.add(sim::text_variable{"stressor_unit", {"stressor"}, s0.all.units, "unit of the stressor (per year)"});
        rs.auxiliary_coordinates = {"stressor_unit"};
        rs.add({"footprint_factor", footprint_sda.factors, "determinant of the footprint switched from the first table to the second", ""});
        rs.add(sim::variable{"footprint_before", {"stressor", "region"}, row_major(footprint_sda.before), "stressor_unit",
                             "footprint S L y_q of the first table (without the direct stressors of final users)"});
        rs.add(sim::variable{"footprint_after", {"stressor", "region"}, row_major(footprint_sda.after), "stressor_unit",
                             "footprint S L y_q of the second table (without the direct stressors of final users)"});
        rs.add(sim::variable{"footprint_change_by_factor", {"footprint_factor", "stressor", "region"},
                             stacked(footprint_sda.contributions), "stressor_unit",
                             "contribution of each factor to the change of the footprint (they add up to it)"});
    }
    rs.set_attribute("Conventions", std::string("CF-1.10"));
    rs.set_attribute("title", "structural decomposition from " + before_path + " to " + after_path);
    rs.set_attribute("source", version_string());
    rs.set_attribute("history", sim::iso8601_utc(start) + ": " + command_line);
    rs.set_attribute("before", before.imported.source);
    rs.set_attribute("after", after.imported.source);
    rs.set_attribute("unit", money);
    rs.set_attribute("ordering", ordering == "average" ? std::string("average of all orders (Dietzenbacher & Los 1998)")
                                                       : ordering);
    if (!before.aggregation.empty()) rs.set_attribute("aggregation", before.aggregation);
    sim::write_netcdf4(rs, target);
    std::cerr << "integra: wrote " << output << " (" << output_sda.factors.size() << " factors, " << t0.n_regions()
              << " regions x " << t0.n_sectors() << " sectors, " << s0.all.n_stressors() << " stressor(s))\n";
    return 0;
}

}  // namespace integra::cli
