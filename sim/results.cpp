#include "sim/results.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::sim {

std::size_t coordinate::size() const {
    return std::visit([](const auto& v) { return v.size(); }, values);
}

void result_set::add(coordinate c) {
    for (const auto& existing : coordinates)
        if (existing.name == c.name) throw internal_error("dimension '" + c.name + "' added twice");
    coordinates.push_back(std::move(c));
}

void result_set::add(variable v) {
    std::size_t expected = 1;
    for (const auto& d : v.dims) expected *= dimension(d).size();
    if (expected != v.data.size())
        throw internal_error(cat("variable '", v.name, "' has ", v.data.size(), " values for ", expected, " cells"));
    for (const auto& existing : variables)
        if (existing.name == v.name) throw internal_error("variable '" + v.name + "' added twice");
    variables.push_back(std::move(v));
}

void result_set::set_attribute(const std::string& name, attribute_value value) {
    for (auto& [n, v] : attributes)
        if (n == name) {
            v = std::move(value);
            return;
        }
    attributes.emplace_back(name, std::move(value));
}

const coordinate& result_set::dimension(const std::string& name) const {
    const auto it = std::find_if(coordinates.begin(), coordinates.end(), [&](const auto& c) { return c.name == name; });
    if (it == coordinates.end()) throw internal_error("no dimension '" + name + "'");
    return *it;
}

const variable& result_set::find(const std::string& name) const {
    const auto it = std::find_if(variables.begin(), variables.end(), [&](const auto& v) { return v.name == name; });
    if (it == variables.end()) throw internal_error("no variable '" + name + "'");
    return *it;
}

}  // namespace integra::sim
