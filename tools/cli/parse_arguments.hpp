// Shared command-line parsing for the subcommands: named options plus one positional
// argument (the scenario, the results file or the dataset).
#pragma once

#include <iostream>
#include <string>

#include <boost/program_options.hpp>

#include "tools/cli/commands.hpp"

namespace integra::cli {

/// Parses `args` against `options`; the one positional argument goes into `positional`.
/// Throws boost::program_options::error on unknown options, a second positional argument
/// or a missing required option (not checked when --help is given).
inline boost::program_options::variables_map parse_arguments(const arguments& args,
                                                             const boost::program_options::options_description& options,
                                                             std::string& positional) {
    namespace po = boost::program_options;
    po::options_description hidden;
    hidden.add_options()("positional", po::value(&positional));
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description order;
    order.add("positional", 1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(order).run(), vm);
    if (!vm.count("help")) po::notify(vm);
    return vm;
}

/// For subcommands with one argument and only --help: the argument, or "" with `help_only`
/// set after printing the help. Throws boost::program_options::error if it is missing.
inline std::string single_positional(const arguments& args, const std::string& usage, const std::string& description,
                                     bool& help_only) {
    namespace po = boost::program_options;
    po::options_description options(usage + "\n\n" + description + "\n\nOptions");
    options.add_options()("help,h", "show this help");
    std::string value;
    const auto vm = parse_arguments(args, options, value);
    help_only = vm.count("help") > 0;
    if (help_only) std::cout << options;
    else if (value.empty()) throw po::error("missing argument: " + usage);
    return value;
}

}  // namespace integra::cli
