#include "tools/cli/result_file.hpp"

#include <filesystem>
#include <sstream>
#include <variant>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/io/netcdf_file.hpp"

namespace integra::cli {

sim::result_set read_result_file(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw invalid_input(cat(path, ": no such file; expected a results file (.h5) written by integra run, sweep or merge"));
    if (!std::filesystem::is_regular_file(path, ec))
        throw invalid_input(cat(path, ": not a regular file; expected a results file (.h5) written by integra run, sweep or merge"));
    sim::result_set r;
    try {
        r = sim::read_netcdf4(path);
    } catch (const std::exception& e) {
        throw invalid_input(cat(path, ": not an Integra results file (", e.what(),
                                "); expected an HDF5 file written by integra run, sweep or merge"));
    }
    bool region = false, year = false;
    for (const auto& c : r.coordinates) {
        region = region || c.name == "region";
        year = year || (c.name == "year" && std::holds_alternative<std::vector<std::int64_t>>(c.values));
    }
    if (!region || !year)
        throw invalid_input(cat(path, ": not an Integra results file (no `region` and `year` dimensions); expected a "
                                      "file written by integra run, sweep or merge"));
    return r;
}

std::string attribute_text(const sim::result_set& r, const std::string& name) {
    for (const auto& [n, v] : r.attributes)
        if (n == name) {
            if (const auto* s = std::get_if<std::string>(&v)) return *s;
            if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
            return cat(std::get<double>(v));
        }
    return {};
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        const auto b = item.find_first_not_of(" \t");
        if (b == std::string::npos) continue;
        out.push_back(item.substr(b, item.find_last_not_of(" \t") - b + 1));
    }
    return out;
}

}  // namespace integra::cli
