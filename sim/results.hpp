// A run's results in memory, shaped like an xarray Dataset: named dimensions with
// coordinate values, variables over those dimensions with units and a description, and
// global attributes (provenance). The HDF5 writer turns it into a netCDF-4 file.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace integra::sim {

/// A dimension with its coordinate values: string labels (region, sector) or integers (year).
struct coordinate {
    std::string name;
    std::variant<std::vector<std::string>, std::vector<std::int64_t>> values;
    std::string long_name;
    std::string units;  ///< empty for labels
    [[nodiscard]] std::size_t size() const;
};

/// A float64 array over named dimensions, stored row-major (last dimension fastest).
struct variable {
    std::string name;
    std::vector<std::string> dims;
    std::vector<double> data;
    std::string units;  ///< "1" for dimensionless; add() turns an empty one into "1"
    std::string long_name;
};

/// Text over named dimensions (e.g. a sweep point's status, a varied enum's value), row-major.
struct text_variable {
    std::string name;
    std::vector<std::string> dims;
    std::vector<std::string> data;
    std::string long_name;
};

using attribute_value = std::variant<std::string, std::int64_t, double>;

struct result_set {
    std::vector<coordinate> coordinates;
    std::vector<variable> variables;
    std::vector<text_variable> text_variables;
    /// Names of variables (numeric or text) that readers must treat as coordinates, e.g. a
    /// sweep's varied parameters over `point`: written as CF `coordinates` attributes, so
    /// xarray lists them in `ds.coords`.
    std::vector<std::string> auxiliary_coordinates;
    /// Global attributes, in order. The name "coordinates" is reserved for the file's list
    /// of auxiliary coordinates.
    std::vector<std::pair<std::string, attribute_value>> attributes;

    void add(coordinate c);
    /// Checks that every dim exists, data has the product of their sizes, and the name is not
    /// taken by a dimension or another variable, numeric or text (internal_error otherwise: a
    /// mismatch is a bug, not bad input).
    void add(variable v);
    /// The same checks as add(variable).
    void add(text_variable v);
    void set_attribute(const std::string& name, attribute_value value);
    [[nodiscard]] const coordinate& dimension(const std::string& name) const;
    [[nodiscard]] const variable& find(const std::string& name) const;
    [[nodiscard]] const text_variable& find_text(const std::string& name) const;

private:
    void check_new_variable(const std::string& name, const std::vector<std::string>& dims, std::size_t size) const;
};

}  // namespace integra::sim
