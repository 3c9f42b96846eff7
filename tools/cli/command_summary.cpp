// integra summary FILE.h5 [--years Y1,Y2] [--regions SET] [--vars v1,v2] [--format table|csv|markdown]
//                 [--point K | --quantiles q1,q2,...]
#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>

#include <boost/program_options.hpp>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/dataset.hpp"
#include "sim/scenario/label_sets.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/parse_arguments.hpp"
#include "tools/cli/result_file.hpp"
#include "tools/cli/summary.hpp"

namespace integra::cli {
namespace {

namespace po = boost::program_options;

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

// "2030,2040", "2030-2040" or a mix.
std::vector<std::int64_t> parse_years(const std::string& path, const std::string& text, const std::vector<std::int64_t>& have) {
    std::vector<std::int64_t> out;
    const std::string range = cat(have.front(), "-", have.back());
    auto number = [&](const std::string& s) {
        std::int64_t v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc{} || end != s.data() + s.size())
            throw invalid_input(cat(path, ": --years: expected years such as 2030,2040 or 2030-2050, got '", s, "'"));
        return v;
    };
    for (const auto& item : split_list(text)) {
        const auto dash = item.find('-', 1);
        const std::int64_t from = number(item.substr(0, dash));
        const std::int64_t to = dash == std::string::npos ? from : number(item.substr(dash + 1));
        for (std::int64_t y = from; y <= to; ++y) {
            if (std::find(have.begin(), have.end(), y) == have.end())
                throw invalid_input(cat(path, ": --years: ", y, " is not a year of this result; expected years in ", range));
            if (std::find(out.begin(), out.end(), y) == out.end()) out.push_back(y);
        }
    }
    if (out.empty()) throw invalid_input(cat(path, ": --years: expected years such as 2030,2040 or 2030-2050 (in ", range, ")"));
    return out;
}

// Groups a region set may name: those stored in the file (a variable over (group, region)),
// its blocs (bloc_member; in a sweep, (point, bloc, region), offered only where every point
// has the same members), then the groups of the dataset it was made from, if found.
sim::named_groups file_groups(const sim::result_set& r) {
    sim::named_groups groups;
    const auto& regions = std::get<std::vector<std::string>>(r.dimension("region").values);
    const std::size_t R = regions.size();
    for (const auto& v : r.variables) {
        const std::size_t d = v.dims.size();
        if (d < 2 || d > 3 || v.dims[d - 1] != "region" || (v.dims[d - 2] != "group" && v.dims[d - 2] != "bloc") ||
            (d == 3 && v.dims[0] != "point"))
            continue;
        const auto* names = std::get_if<std::vector<std::string>>(&r.dimension(v.dims[d - 2]).values);
        if (!names) continue;
        const std::size_t per_point = names->size() * R, points = d == 3 ? v.data.size() / per_point : 1;
        for (std::size_t g = 0; g < names->size(); ++g) {
            bool same = true;  // the members of point 0 in every point
            for (std::size_t p = 1; p < points && same; ++p)
                for (std::size_t i = 0; i < R && same; ++i)
                    same = (v.data[p * per_point + g * R + i] > 0.5) == (v.data[g * R + i] > 0.5);
            if (!same) continue;
            for (std::size_t i = 0; i < R; ++i)
                if (v.data[g * R + i] > 0.5) groups[(*names)[g]].push_back(regions[i]);
        }
    }
    return groups;
}

std::vector<std::size_t> resolve_regions(const std::string& path, const sim::result_set& r, const std::string& expression,
                                         const std::string& option) {
    const auto& regions = std::get<std::vector<std::string>>(r.dimension("region").values);
    sim::label_set set;
    set.expression = expression;
    std::replace(set.expression.begin(), set.expression.end(), ',', '+');  // "BRA,ARG" = "BRA + ARG"
    set.key = option;
    set.at.file = option;
    sim::named_groups groups = file_groups(r);
    issues problems;
    auto result = sim::resolve(set, regions, groups, "region", problems);
    if (!problems.empty()) {  // perhaps a group of the dataset: load it (a fraction of a second)
        std::string note;
        try {
            std::string where = attribute_text(r, "dataset_path");
            if (where.empty() || !std::filesystem::exists(where)) where = attribute_text(r, "dataset");
            for (auto& [name, members] : sim::load_dataset(where).groups) groups.emplace(name, members);
        } catch (const std::exception&) {
            note = cat(" (the groups of dataset '", attribute_text(r, "dataset"), "' could not be read: only region codes and the file's blocs)");
        }
        problems = issues();
        result = sim::resolve(set, regions, groups, "region", problems);
        if (!problems.empty()) {
            std::string message = problems.list().front().message;
            const std::string prefix = cat("key '", option, "': ");
            if (message.starts_with(prefix)) message = message.substr(prefix.size());
            throw invalid_input(cat(path, ": ", option, ": ", message, note));
        }
    }
    return result;
}

}  // namespace

int summary(const arguments& args) {
    po::options_description options(
        "integra summary FILE.h5 [options]\n\nPrints the headline table of a results file (what `integra run` prints): "
        "welfare, GDP volume and the parts of eq. 16 by region, sorted, with the world and each bloc; re-sliced by "
        "year, region and variable. For a sweep file: quantiles across its points, or one point.\n\nOptions");
    std::string years, regions, vars, format = "table", quantiles;
    std::int64_t point = 0;
    options.add_options()("help,h", "show this help")
        ("years", po::value(&years), "years, e.g. 2030,2040 or 2030-2050 (default: the scenario's summary.years, else the horizon and a midpoint)")
        ("regions", po::value(&regions), "a region set as in scenarios: codes, groups, + and - (a comma means +), e.g. \"CELAC + USA\" or BRA,ARG (default: the scenario's summary.regions, else all)")
        ("vars", po::value(&vars), "variables over (year, region), e.g. welfare_change,gdp_volume_change (default: welfare, GDP volume, eq. 16 and its parts)")
        ("format", po::value(&format), "table, csv or markdown (default: table)")
        ("point", po::value(&point), "a sweep file: show this point (a value of its `point` coordinate)")
        ("quantiles", po::value(&quantiles), "a sweep file: quantiles across the ok points (default: 0.05,0.5,0.95)");
    std::string path;
    const auto vm = parse_arguments(args, options, path);
    if (vm.count("help")) {
        std::cout << options << "\nExamples:\n  integra summary results/celac_customs_union.h5 --years 2040 --regions BRA --vars gdp_volume_change\n"
                  << "  integra summary results/celac_customs_union.h5 --regions \"MERCOSUR + MEX\" --format markdown\n"
                  << "  integra summary results/celac_cu_elasticities.sweep.h5 --years 2050 --regions CELAC\n";
        return 0;
    }
    if (path.empty()) throw po::error("missing the results file (integra summary FILE.h5)");
    summary_options shown;
    if (format == "table") shown.format = summary_format::table;
    else if (format == "csv") shown.format = summary_format::csv;
    else if (format == "markdown" || format == "md") shown.format = summary_format::markdown;
    else throw invalid_input(cat("--format: expected table, csv or markdown, got '", format, "'"));

    sim::result_set r = read_result_file(path);
    const bool sweep = is_sweep(r);
    if (!sweep && (vm.count("point") || vm.count("quantiles")))
        throw invalid_input(cat(path, ": --point and --quantiles need a sweep file (a `point` dimension); this is one run's result"));
    if (vm.count("point") && vm.count("quantiles")) throw invalid_input("--point and --quantiles: give one or the other");

    // The defaults of the scenario that made the file ([summary] years and regions).
    std::string default_regions;
    std::vector<std::int64_t> default_years;
    try {
        const toml::table scenario = toml::parse(attribute_text(r, "scenario"));
        if (const auto* s = scenario["summary"].as_table()) {
            if (auto v = (*s)["regions"].value<std::string>()) default_regions = *v;
            if (const auto* list = (*s)["years"].as_array())
                for (const auto& y : *list)
                    if (auto v = y.value<std::int64_t>()) default_years.push_back(*v);
        }
    } catch (const std::exception&) {  // no scenario text: the built-in defaults
    }

    const auto& have = std::get<std::vector<std::int64_t>>(r.dimension("year").values);
    if (have.empty()) throw invalid_input(cat(path, ": the result has no years"));
    if (vm.count("years")) shown.years = parse_years(path, years, have);
    else
        for (auto y : default_years)
            if (std::find(have.begin(), have.end(), y) != have.end()) shown.years.push_back(y);
    if (vm.count("regions")) shown.regions = resolve_regions(path, r, regions, "--regions");
    else if (!default_regions.empty()) {
        try {
            shown.regions = resolve_regions(path, r, default_regions, "summary.regions");
        } catch (const invalid_input&) {  // the file's own default: never an error
        }
    }
    if (vm.count("vars")) {
        const auto allowed = summary_variables(r);
        shown.vars = split_list(vars);
        if (shown.vars.empty()) throw invalid_input(cat(path, ": --vars: expected variable names, e.g. welfare_change,gdp_volume_change"));
        for (const auto& v : shown.vars)
            if (std::find(allowed.begin(), allowed.end(), v) == allowed.end())
                throw invalid_input(cat(path, ": --vars: '", v, "' is not a variable over (year, region) of this result; expected one of: ",
                                        allowed.empty() ? std::string("(none)") : joined(allowed)));
    }
    if (vm.count("quantiles")) {
        shown.quantiles.clear();
        for (const auto& q : split_list(quantiles)) {
            double v = -1.0;
            const auto [end, ec] = std::from_chars(q.data(), q.data() + q.size(), v);
            if (ec != std::errc{} || end != q.data() + q.size() || !(v >= 0.0 && v <= 1.0))
                throw invalid_input(cat("--quantiles: expected fractions in [0, 1] such as 0.05,0.5,0.95, got '", q, "'"));
            shown.quantiles.push_back(v);
        }
        if (shown.quantiles.empty()) throw invalid_input("--quantiles: expected fractions in [0, 1] such as 0.05,0.5,0.95");
    }
    if (!sweep) print_summary(r, shown, std::cout);
    else if (vm.count("point")) {
        sim::result_set one;
        try {
            one = sweep_point(r, point);
        } catch (const invalid_input& e) {
            throw invalid_input(cat(path, ": ", e.what()));
        }
        if (shown.format == summary_format::table) {  // "Sweep point 7: customs_union.0.revenue = kept, ..."
            const auto& points = std::get<std::vector<std::int64_t>>(r.dimension("point").values);
            const auto p = static_cast<std::size_t>(std::find(points.begin(), points.end(), point) - points.begin());
            std::string values;
            for (const auto& name : r.auxiliary_coordinates) {
                std::string value;
                for (const auto& v : r.variables)
                    if (v.name == name && v.dims == std::vector<std::string>{"point"}) value = cat(v.data[p]);
                for (const auto& v : r.text_variables)
                    if (v.name == name && v.dims == std::vector<std::string>{"point"}) value = v.data[p];
                if (!value.empty()) values += (values.empty() ? ": " : ", ") + name + " = " + value;
            }
            std::cout << "Sweep point " << point << values << "\n";
        }
        print_summary(one, shown, std::cout);
    } else {
        print_sweep_quantiles(r, shown, std::cout);
    }
    return 0;
}

}  // namespace integra::cli
