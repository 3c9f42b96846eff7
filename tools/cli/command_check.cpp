// integra check SCENARIO.toml [--set key=value]... [--print]
#include <iostream>

#include <boost/program_options.hpp>

#include "core/errors.hpp"
#include "sim/data/dataset.hpp"
#include "sim/bound_scenario.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/sweep/sweep_runner.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/parse_arguments.hpp"
#include "tools/cli/warnings.hpp"

namespace integra::cli {

int check(const arguments& args) {
    namespace po = boost::program_options;
    po::options_description options("integra check SCENARIO.toml [options]\n\nValidates a scenario against its dataset "
                                    "without running it and lists every problem.\n\nOptions");
    std::vector<std::string> overrides;
    options.add_options()("help,h", "show this help")
        ("set", po::value(&overrides)->composing(), "override a scenario key (repeatable), as for run")
        ("print", "print the effective scenario (after extends and --set) as TOML on stdout");
    std::string scenario_file;
    const auto vm = parse_arguments(args, options, scenario_file);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    if (scenario_file.empty()) throw po::error("missing the scenario file (integra check SCENARIO.toml)");

    const sim::bound_scenario bound = sim::load_scenario(scenario_file, overrides);
    const auto& spec = bound.spec;
    print_warnings(spec);
    if (vm.count("print")) {
        std::cout << spec.effective_toml;
    } else {
        std::cout << scenario_file << ": ok (scenario '" << spec.name << "', dataset '" << bound.data->economy.name << "', "
                  << bound.first_year << "-" << bound.last_year << ", "
                  << (spec.model == sim::model_kind::input_output
                          ? std::to_string(spec.final_demand_shocks.size()) + " final-demand shock(s)"
                          : std::to_string(spec.policies.size()) + " polic" + (spec.policies.size() == 1 ? "y" : "ies"))
                  << (spec.development_banks.empty()
                          ? std::string()
                          : ", " + std::to_string(spec.development_banks.size()) + " development bank" +
                                (spec.development_banks.size() == 1 ? "" : "s"))
                  << ")\n";
        if (spec.has_sweep) {  // every point of its sweep, too
            const sim::sweep_setup sweep = sim::prepare_sweep(scenario_file, overrides, {});
            std::cout << scenario_file << ": sweep ok (" << sweep.design.points << " point(s): " << sweep.design.description << ")\n";
        }
    }
    return 0;
}

}  // namespace integra::cli
