#include "sim/sweep/sweep_files.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::sim {
namespace fs = std::filesystem;

namespace {

std::string attribute_text(const result_set& r, const std::string& name) {
    for (const auto& [n, v] : r.attributes)
        if (n == name) {
            if (const auto* s = std::get_if<std::string>(&v)) return *s;
            return std::visit([](const auto& x) { return cat(x); }, v);
        }
    return {};
}

// Point-leading data in point order: for each (data, slot) of `sources`, the block of
// `block` values of that point.
template <class T>
std::vector<T> gather(const std::vector<std::pair<const std::vector<T>*, std::size_t>>& sources, std::size_t block) {
    std::vector<T> out;
    out.reserve(sources.size() * block);
    for (const auto& [data, slot] : sources)
        out.insert(out.end(), data->begin() + static_cast<long>(slot * block), data->begin() + static_cast<long>((slot + 1) * block));
    return out;
}

}  // namespace

fs::path batch_folder(const fs::path& output) { return fs::path(output.string() + ".batches"); }

std::vector<fs::path> batch_files(const fs::path& folder) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        if (entry.path().extension() == ".h5" && entry.path().filename().string().starts_with("batch-"))
            out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

fs::path batch_file(const fs::path& folder, std::size_t first, std::size_t last) {
    char name[64];
    std::snprintf(name, sizeof name, "batch-%09zu-%09zu.h5", first, last);
    return folder / name;
}

std::vector<std::size_t> points_of(const result_set& part) {
    const auto& p = std::get<std::vector<std::int64_t>>(part.dimension("point").values);
    return {p.begin(), p.end()};
}

result_set merge_parts(std::vector<result_set>&& parts, const std::vector<std::string>& names) {
    if (parts.empty()) throw invalid_input("merge: no parts given");
    const std::string fingerprint = attribute_text(parts.front(), "sweep_fingerprint");
    if (fingerprint.empty()) throw invalid_input(cat(names.front(), ": not a sweep file (no sweep_fingerprint attribute)"));
    // Every point, and which part and slot holds it.
    std::map<std::size_t, std::pair<std::size_t, std::size_t>> where;
    for (std::size_t k = 0; k < parts.size(); ++k) {
        if (attribute_text(parts[k], "sweep_fingerprint") != fingerprint)
            throw invalid_input(cat(names[k], ": a part of another sweep (sweep_fingerprint ",
                                    attribute_text(parts[k], "sweep_fingerprint"), ", not ", fingerprint, " as in ",
                                    names.front(), "); merge parts of one sweep only"));
        const auto points = points_of(parts[k]);
        for (std::size_t slot = 0; slot < points.size(); ++slot)
            if (!where.emplace(points[slot], std::make_pair(k, slot)).second)
                throw invalid_input(cat(names[k], ": point ", points[slot], " is also in ", names[where[points[slot]].first]));
    }
    const result_set& first = parts.front();
    result_set out;
    std::vector<std::int64_t> all;
    for (const auto& [p, _] : where) all.push_back(static_cast<std::int64_t>(p));
    out.add({"point", all, first.dimension("point").long_name, ""});
    for (const auto& c : first.coordinates)
        if (c.name != "point") out.add(c);
    auto block_of = [&](const std::vector<std::string>& dims) {
        std::size_t size = 1;
        for (std::size_t d = 1; d < dims.size(); ++d) size *= first.dimension(dims[d]).size();
        return size;
    };
    auto data_of = [](result_set& part, const std::string& name) -> std::vector<double>& {
        for (auto& v : part.variables)
            if (v.name == name) return v.data;
        throw invalid_input("merge: a part lacks the variable '" + name + "'");
    };
    for (std::size_t i = 0; i < first.variables.size(); ++i) {
        const variable& v = first.variables[i];
        if (v.dims.empty() || v.dims.front() != "point") {
            out.add(v);
            continue;
        }
        std::vector<std::pair<const std::vector<double>*, std::size_t>> sources;
        for (const auto& [p, at] : where) sources.emplace_back(&data_of(parts[at.first], v.name), at.second);
        out.add(variable{v.name, v.dims, gather(sources, block_of(v.dims)), v.units, v.long_name});
        for (std::size_t k = 1; k < parts.size(); ++k) std::vector<double>().swap(data_of(parts[k], v.name));
        std::vector<double>().swap(data_of(parts.front(), v.name));  // its name and dims stay for the next steps
    }
    for (const auto& v : first.text_variables) {
        if (v.dims.empty() || v.dims.front() != "point") {  // the same in every part, e.g. region_name
            out.add(v);
            continue;
        }
        std::vector<std::pair<const std::vector<std::string>*, std::size_t>> sources;
        for (const auto& [p, at] : where) sources.emplace_back(&parts[at.first].find_text(v.name).data, at.second);
        out.add(text_variable{v.name, v.dims, gather(sources, block_of(v.dims)), v.long_name});
    }
    out.auxiliary_coordinates = first.auxiliary_coordinates;
    out.attributes = first.attributes;
    return out;
}

std::vector<std::size_t> missing_points(const result_set& merged, const std::vector<std::size_t>& expected) {
    const auto have = points_of(merged);
    std::vector<std::size_t> out;
    std::set_difference(expected.begin(), expected.end(), have.begin(), have.end(), std::back_inserter(out));
    return out;
}

}  // namespace integra::sim
