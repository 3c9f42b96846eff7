// integra export FILE.h5 --csv DIR [--vars v1,v2] [--force]
// Every variable as a tidy long CSV (one column per dimension, then `value`), one file per
// variable; each dimension's labels in DIR/<dimension>.csv; DIR/variables.csv (name, kind,
// dims, units, long_name, file, rows) and DIR/attributes.csv (the global attributes).
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include <boost/program_options.hpp>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/parse_arguments.hpp"
#include "tools/cli/result_file.hpp"

namespace integra::cli {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

std::string field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos && (s.empty() || (s.front() != ' ' && s.back() != ' '))) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

// Shortest text that reads back as the same double; NaN as an empty cell.
void append_number(std::string& out, double v) {
    if (std::isnan(v)) return;
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    out.append(buffer, ec == std::errc{} ? end : buffer);
}

std::vector<std::string> label_fields(const sim::coordinate& c) {
    std::vector<std::string> out;
    if (const auto* labels = std::get_if<std::vector<std::string>>(&c.values))
        for (const auto& l : *labels) out.push_back(field(l));
    else
        for (auto v : std::get<std::vector<std::int64_t>>(c.values)) out.push_back(std::to_string(v));
    return out;
}

struct table_file {
    std::string name, kind, units, long_name;
    std::vector<std::string> dims;
    fs::path file;
    std::size_t rows = 0;
};

// Writes `text` to `target` through a temporary file beside it, renamed when complete.
void write_file(const fs::path& target, const std::string& text) {
    const fs::path temporary = target.parent_path() / ("." + target.filename().string() + ".partial");
    {
        std::ofstream out(temporary, std::ios::binary);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.flush();
        if (!out) {
            std::error_code ec;
            fs::remove(temporary, ec);
            throw io_error(cat("cannot write ", target.string(), " (writing ", temporary.string(), ")"));
        }
    }
    fs::rename(temporary, target);
}

// dims..., value: one row per cell, row-major (the last dimension fastest).
template <class Cell>
std::size_t tidy(const sim::result_set& r, const std::vector<std::string>& dims, std::size_t cells, const Cell& cell, std::string& out) {
    std::vector<std::vector<std::string>> labels;
    for (const auto& d : dims) {
        labels.push_back(label_fields(r.dimension(d)));
        out += field(d) + ",";
    }
    out += "value\n";
    std::vector<std::size_t> index(dims.size(), 0);
    for (std::size_t k = 0; k < cells; ++k) {
        for (std::size_t d = 0; d < dims.size(); ++d) out += labels[d][index[d]] + ",";
        cell(k, out);
        out += '\n';
        for (std::size_t d = dims.size(); d-- > 0;) {
            if (++index[d] < labels[d].size()) break;
            index[d] = 0;
        }
    }
    return cells;
}

}  // namespace

int export_results(const arguments& args) {
    po::options_description options(
        "integra export FILE.h5 --csv DIR [options]\n\nWrites every variable of a results file (a run or a sweep) as a tidy "
        "long CSV that a spreadsheet opens: DIR/<variable>.csv with one column per dimension, then `value` (empty for "
        "NaN); DIR/<dimension>.csv with each dimension's labels; DIR/variables.csv (name, kind, dims, units, long_name, "
        "file, rows) and DIR/attributes.csv (provenance: the global attributes).\n\nOptions");
    std::string folder, vars;
    options.add_options()("help,h", "show this help")
        ("csv", po::value(&folder), "the folder to write (created if needed)")
        ("vars", po::value(&vars), "only these variables, e.g. welfare_change,gdp_volume_change (default: all)")
        ("force", "replace files of the same names in DIR");
    std::string path;
    const auto vm = parse_arguments(args, options, path);
    if (vm.count("help")) {
        std::cout << options << "\nExamples:\n  integra export results/celac_customs_union.h5 --csv results/celac_customs_union_csv\n"
                  << "  integra export results/celac_customs_union.h5 --csv out --vars gdp_volume_change\n";
        return 0;
    }
    if (path.empty()) throw po::error("missing the results file (integra export FILE.h5 --csv DIR)");
    if (folder.empty()) throw po::error("missing --csv DIR: the folder to write the CSV files in");
    const fs::path dir(folder);
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        throw invalid_input(cat("--csv ", folder, ": exists and is not a folder; expected a folder for the CSV files"));
    const sim::result_set r = read_result_file(path);

    std::vector<std::string> wanted = split_list(vars);
    if (vm.count("vars") && wanted.empty()) throw invalid_input("--vars: expected variable names, e.g. welfare_change,gdp_volume_change");
    auto selected = [&](const std::string& name) { return wanted.empty() || std::find(wanted.begin(), wanted.end(), name) != wanted.end(); };
    std::vector<std::string> all;
    for (const auto& v : r.variables) all.push_back(v.name);
    for (const auto& v : r.text_variables) all.push_back(v.name);
    for (const auto& w : wanted)
        if (std::find(all.begin(), all.end(), w) == all.end()) {
            std::string names;
            for (const auto& a : all) names += (names.empty() ? "" : ", ") + a;
            throw invalid_input(cat(path, ": --vars: no variable '", w, "' in this result; expected one of: ", names));
        }

    std::vector<table_file> files;
    for (const auto& c : r.coordinates)
        files.push_back({c.name, "dimension", c.units, c.long_name, {c.name}, dir / (c.name + ".csv"), c.size()});
    for (const auto& v : r.variables)
        if (selected(v.name)) files.push_back({v.name, "number", v.units, v.long_name, v.dims, dir / (v.name + ".csv"), v.data.size()});
    for (const auto& v : r.text_variables)
        if (selected(v.name)) files.push_back({v.name, "text", "", v.long_name, v.dims, dir / (v.name + ".csv"), v.data.size()});
    for (auto& f : files)
        if (std::find(r.auxiliary_coordinates.begin(), r.auxiliary_coordinates.end(), f.name) != r.auxiliary_coordinates.end())
            f.kind += " (coordinate)";
    std::vector<fs::path> targets{dir / "variables.csv", dir / "attributes.csv"};
    for (const auto& f : files) targets.push_back(f.file);
    if (!vm.count("force")) {
        std::vector<std::string> taken;
        for (const auto& t : targets)
            if (fs::exists(t, ec)) taken.push_back(t.string());
        if (!taken.empty())
            throw invalid_input(cat(taken.front(), ": exists", taken.size() > 1 ? cat(" (and ", taken.size() - 1, " more file(s) in ", folder, ")") : std::string(),
                                    "; not overwritten: use --force to replace them, or another folder"));
    }
    fs::create_directories(dir, ec);
    if (ec) throw invalid_input(cat("--csv ", folder, ": cannot create the folder (", ec.message(), ")"));

    std::string text;
    for (const auto& f : files) {
        text.clear();
        if (f.kind == "dimension") {
            text = field(f.name) + "\n";
            for (const auto& l : label_fields(r.dimension(f.name))) text += l + "\n";
        } else if (f.kind.starts_with("number")) {
            const auto& v = r.find(f.name);
            text.reserve(v.data.size() * 32);
            tidy(r, v.dims, v.data.size(), [&](std::size_t k, std::string& out) { append_number(out, v.data[k]); }, text);
        } else {
            const auto& v = r.find_text(f.name);
            tidy(r, v.dims, v.data.size(), [&](std::size_t k, std::string& out) { out += field(v.data[k]); }, text);
        }
        write_file(f.file, text);
    }
    text = "name,kind,dims,units,long_name,file,rows\n";
    for (const auto& f : files) {
        std::string dims;
        for (const auto& d : f.dims) dims += (dims.empty() ? "" : " ") + d;
        text += cat(field(f.name), ",", f.kind, ",", field(dims), ",", field(f.units), ",", field(f.long_name), ",",
                    field(f.file.filename().string()), ",", f.rows, "\n");
    }
    write_file(dir / "variables.csv", text);
    text = "name,value\n";
    for (const auto& [name, value] : r.attributes) text += field(name) + "," + field(attribute_text(r, name)) + "\n";
    write_file(dir / "attributes.csv", text);
    std::cerr << "integra: wrote " << files.size() << " CSV file(s), variables.csv and attributes.csv in " << dir.string() << "\n";
    return 0;
}

}  // namespace integra::cli
