// EXIOBASE 3: locate the system (folder or zip), read it in pymrio's layout, then take
// the value added as given from its factor inputs.
#include "sim/data/import_exiobase.hpp"

#include <array>
#include <string_view>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/mrio_text.hpp"

namespace integra::sim {
namespace {

namespace fs = std::filesystem;
using namespace mrio_text;

// The rows of EXIOBASE 3.8's satellite account that are value added at basic prices (its
// "factor inputs" block less "Taxes less subsidies on products purchased", which, as ICIO's
// TLS and WIOD's TXSP, is a tax on products: kept in the extension, it is the balancing gap,
// so that value added means the same in every format).
constexpr std::array<std::string_view, 3> factor_input_prefixes{"Other net taxes on production",
                                                                "Compensation of employees", "Operating surplus"};

bool is_factor_input(const std::string& stressor) {
    for (const auto prefix : factor_input_prefixes)
        if (stressor.compare(0, prefix.size(), prefix) == 0) return true;
    return false;
}

bool is_io_system(const text_source& src) {
    if (!src.has("file_parameters.json")) return false;
    return read_parameters(src).system_type == "IOSystem";
}

// The folder in the archive whose file_parameters.json is an IOSystem's: exactly one.
text_source system_in_archive(const fs::path& file) {
    auto archive = std::make_shared<const zip_archive>(file);
    std::vector<std::string> found;
    for (const auto& e : archive->entries()) {
        const std::string_view name = e.name;
        const std::string_view leaf = "file_parameters.json";
        if (name.size() < leaf.size() || name.substr(name.size() - leaf.size()) != leaf) continue;
        if (name.size() > leaf.size() && name[name.size() - leaf.size() - 1] != '/') continue;
        const std::string prefix(name.substr(0, name.size() - leaf.size()));
        if (is_io_system(text_source::zip(archive, prefix))) found.push_back(prefix);
    }
    if (found.empty())
        throw invalid_input(file.string() + ": no file_parameters.json with \"systemtype\": \"IOSystem\" in the archive (not an "
                                            "EXIOBASE 3 zip archive?)");
    if (found.size() > 1) {
        std::string all;
        for (const auto& f : found) all += (all.empty() ? "'" : ", '") + f + "'";
        throw invalid_input(cat(file.string(), ": ", found.size(), " systems in the archive (", all, "); expected one"));
    }
    return text_source::zip(archive, found.front());
}

text_source system_in_folder(const fs::path& folder) {
    const text_source src = text_source::folder(folder);
    if (src.has("file_parameters.json")) return src;
    std::vector<std::string> found;
    for (const auto& sub : src.subfolders())
        if (is_io_system(src.sub(sub))) found.push_back(sub);
    if (found.size() == 1) return src.sub(found.front());
    throw invalid_input(src.shown("file_parameters.json") + ": missing, and " +
                        (found.empty() ? std::string("no subfolder holds an EXIOBASE 3 system")
                                       : cat(found.size(), " subfolders hold one; give the one to read")) +
                        " (expected the unpacked EXIOBASE 3 folder, e.g. IOT_2022_ixi/, or its zip archive)");
}

// Value added as given from the 3.8 satellite's factor-input rows (when no factor_inputs
// extension gave it): summed over the rows, which must be in the table's currency.
void value_added_from_satellite(full_mrio_import& in, issues& inconsistent) {
    auto& m = in.mrio;
    for (std::size_t e = 0; e < m.extensions.size(); ++e) {
        if (normalised(in.extension_folders[e]) != "satellite") continue;
        const std::string& file = in.extension_files[e];
        const auto& x = m.extensions[e].accounts;
        Eigen::VectorXd v = Eigen::VectorXd::Zero(x.production.cols());
        std::size_t rows = 0;
        for (std::size_t k = 0; k < x.n_stressors(); ++k) {
            if (!is_factor_input(x.stressors[k])) continue;
            if (x.units[k] != m.table.unit)
                inconsistent.add(cat(file, ":", in.extension_lines[e][k]),
                                 cat("factor input '", x.stressors[k], "' is in '", x.units[k],
                                     "'; value added must be in the table's currency '", m.table.unit, "'"));
            v += x.production.row(static_cast<Eigen::Index>(k)).transpose();
            ++rows;
        }
        if (rows == 0) return;
        m.value_added_given = v;
        m.value_added_source = cat("extension ", m.extensions[e].name, ": ", rows,
                                   " factor-input row(s) (other net taxes on production, compensation of employees, "
                                   "operating surplus: value added at basic prices; taxes less subsidies on products "
                                   "purchased are the balancing gap), summed");
        return;
    }
}

}  // namespace

full_mrio_import read_exiobase3(const fs::path& input) {
    std::error_code ec;
    const bool folder = fs::is_directory(input, ec);
    if (!folder && !looks_like_zip(input))
        throw invalid_input(input.string() + (fs::exists(input, ec) ? ": neither a folder nor a zip archive" : ": no such file or folder") +
                            " (expected EXIOBASE 3 as distributed: IOT_YYYY_ixi.zip or IOT_YYYY_pxp.zip, or its unpacked folder)");
    const text_source src = folder ? system_in_folder(input) : system_in_archive(input);
    std::string system = "EXIOBASE 3";
    if (src.has("metadata.json")) {
        const auto meta = read_json_strings(src, "metadata.json");
        for (const char* key : {"version", "system"})
            if (auto it = meta.find(key); it != meta.end() && !it->second.empty()) system += " " + it->second;
    }
    full_mrio_import out = read_pymrio_system(src, system + (src.in_archive() ? " zip archive " : " folder ") + src.shown(""), true);
    issues inconsistent;
    if (!out.mrio.has_given_value_added()) value_added_from_satellite(out, inconsistent);
    inconsistent.throw_if_any<inconsistent_input>(src.shown(""));
    issues problems;
    models::validate(out.mrio, problems);
    problems.throw_if_any<inconsistent_input>(src.shown(""));
    const auto& m = out.mrio;
    warn_negative_value_added(m, src.shown("") + (m.has_given_value_added() ? "value added (" + m.value_added_source + ")" : "value added"),
                              out.warnings);
    return out;
}

}  // namespace integra::sim
