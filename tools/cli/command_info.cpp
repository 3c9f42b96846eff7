// integra info FILE.h5
#include <cstdio>
#include <iostream>

#include "sim/io/netcdf_file.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/parse_arguments.hpp"

namespace integra::cli {
namespace {

std::string first_line(const std::string& text, std::size_t max = 100) {
    std::string line = text.substr(0, text.find('\n'));
    if (line.size() > max) line = line.substr(0, max) + "...";
    return line + (text.find('\n') != std::string::npos ? " [...]" : "");
}

}  // namespace

int info(const arguments& args) {
    bool help = false;
    const std::string path = single_positional(args, "integra info FILE.h5",
                                               "Shows what a results file holds: scenario, dataset, dimensions, "
                                               "variables and provenance.", help);
    if (help) return 0;
    const auto s = sim::read_summary(path);
    std::cout << path << "\n\nDimensions\n";
    for (const auto& d : s.dimensions) {
        std::string labels;
        for (const auto& l : d.first_labels) labels += (labels.empty() ? "" : ", ") + l;
        std::printf("  %-12s %6zu  %s%s\n", d.name.c_str(), d.size, labels.c_str(),
                    d.first_labels.size() < d.size && d.first_labels.size() > 2 ? ", ..." : "");
    }
    std::fflush(stdout);
    std::cout << "\nVariables\n";
    for (const auto& v : s.variables) {
        std::string dims;
        for (const auto& d : v.dims) dims += (dims.empty() ? "" : ", ") + d;
        std::printf("  %-24s (%s) [%s]\n      %s\n", v.name.c_str(), dims.c_str(), v.text ? "text" : v.units.c_str(), v.long_name.c_str());
    }
    std::fflush(stdout);
    std::cout << "\nProvenance\n";
    for (const auto& [name, value] : s.attributes)
        if (name != "scenario") std::printf("  %-18s %s\n", name.c_str(), first_line(value).c_str());
    std::fflush(stdout);
    for (const auto& [name, value] : s.attributes)
        if (name == "scenario") std::cout << "\nEffective scenario\n" << value;
    return 0;
}

}  // namespace integra::cli
