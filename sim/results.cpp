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

void result_set::check_new_variable(const std::string& name, const std::vector<std::string>& dims, std::size_t size) const {
    std::size_t expected = 1;
    for (const auto& d : dims) expected *= dimension(d).size();
    if (expected != size) throw internal_error(cat("variable '", name, "' has ", size, " values for ", expected, " cells"));
    const auto named = [&](const auto& x) { return x.name == name; };
    if (std::any_of(variables.begin(), variables.end(), named) || std::any_of(text_variables.begin(), text_variables.end(), named))
        throw internal_error("variable '" + name + "' added twice");
    if (std::any_of(coordinates.begin(), coordinates.end(), named))
        throw internal_error("variable '" + name + "' has the name of a dimension");
}

void result_set::add(variable v) {
    check_new_variable(v.name, v.dims, v.data.size());
    if (v.units.empty()) v.units.push_back('1');  // "1"; push_back sidesteps GCC bug 105329 (-Wrestrict)
    variables.push_back(std::move(v));
}

void result_set::add(text_variable v) {
    check_new_variable(v.name, v.dims, v.data.size());
    text_variables.push_back(std::move(v));
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

const text_variable& result_set::find_text(const std::string& name) const {
    const auto it = std::find_if(text_variables.begin(), text_variables.end(), [&](const auto& v) { return v.name == name; });
    if (it == text_variables.end()) throw internal_error("no text variable '" + name + "'");
    return *it;
}

}  // namespace integra::sim
