// What `integra io accounts` and `integra io decompose` share: the options that say how to
// read a full MRIO (format, unit, tolerance, concordances), reading and aggregating it, the
// extensions stacked on one stressor dimension, and row-major copies for the output
// (docs/io-accounting.md, "Importing a full MRIO and computing its accounts").
#pragma once

#include <Eigen/Dense>
#include <boost/program_options.hpp>

#include <string>
#include <vector>

#include "models/full_mrio.hpp"
#include "models/satellite_accounts.hpp"
#include "sim/data/import_full_mrio.hpp"

namespace integra::cli {

struct mrio_input_options {
    std::string format = "pymrio";
    std::string unit;
    double tolerance = 1e-6;
    bool tolerance_given = false;  ///< --tolerance given explicitly (it applies to icio and wiod only)
    std::string regions_map;
    std::string sectors_map;
};

/// --format, --unit, --tolerance, --regions-map, --sectors-map.
void add_mrio_input_options(boost::program_options::options_description& described, mrio_input_options& options);

/// Throws boost::program_options::error for an unknown format, a missing or misplaced unit,
/// a tolerance that is not positive or given for a format that has no balance checks.
void check_mrio_input_options(const mrio_input_options& options);

struct mrio_input {
    sim::full_mrio_import imported;
    std::string aggregation;  ///< what the concordances did; empty if none were given
};

/// Reads `input` in its format, prints the reader's warnings to stderr, and aggregates by
/// the concordances if given (models::aggregate; origin detail kept).
[[nodiscard]] mrio_input read_mrio_input(const std::string& input, const mrio_input_options& options);

/// All extensions of `m` on one stressor dimension; a stressor name two extensions share is
/// prefixed "extension: ". `extension_of` names each stressor's extension.
struct stacked_stressors {
    models::satellite all;
    std::vector<std::string> extension_of;
};
[[nodiscard]] stacked_stressors stack_extensions(const models::full_mrio& m);

/// Row-major copy of a matrix (Eigen stores column-major), for a variable whose dims are
/// (rows..., cols...); `stacked` concatenates several.
[[nodiscard]] std::vector<double> row_major(const Eigen::MatrixXd& m);
[[nodiscard]] std::vector<double> stacked(const std::vector<Eigen::MatrixXd>& ms);

}  // namespace integra::cli
