// Writing a result_set as an HDF5 file laid out like netCDF-4, so that
// xarray.open_dataset(path, engine="h5netcdf" or "netcdf4") gives named dimensions, string
// coordinates, units and descriptions with no custom code. The layout (verified for
// Debian 12's HDF5 1.10 and libnetcdf 4.9):
//   - every dimension is a 1-D dataset named after it and marked a dimension scale;
//     labels are variable-length UTF-8 strings (fixed-length ones crash libnetcdf);
//   - every variable is float64, chunked, shuffled and gzip-compressed, with NaN fill,
//     `_FillValue`, `units`, `long_name`, and a scale attached to every axis;
//   - link and attribute creation order are tracked, so variables keep their order;
//   - global attributes are text (netCDF NC_CHAR style) or 64-bit numbers.
// The file is written under a temporary name in the target folder and renamed on success:
// a failure or an interruption never leaves a truncated file under the target name and
// never destroys an existing result.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sim/results.hpp"

namespace integra::sim {

/// Writes `results` to `target` atomically (creating the folder if needed); throws io_error.
void write_netcdf4(const result_set& results, const std::filesystem::path& target);

/// Checks before a run that `target` can receive a results file: not empty, not an
/// existing directory, device or other non-regular file, and in a folder that can be
/// created or written. Throws invalid_input naming the path and the problem.
void check_output_target(const std::filesystem::path& target);

/// What a results file holds, for `integra info`: dimensions with sizes (and the first
/// labels), variables with dims/units/description, global attributes as text.
struct file_summary {
    struct dimension {
        std::string name;
        std::size_t size = 0;
        std::vector<std::string> first_labels;
    };
    struct variable {
        std::string name;
        std::vector<std::string> dims;
        std::string units, long_name;
    };
    std::vector<dimension> dimensions;
    std::vector<variable> variables;
    std::vector<std::pair<std::string, std::string>> attributes;
};

/// Reads the summary of a file written by write_netcdf4 (or any netCDF-4 file); throws io_error.
[[nodiscard]] file_summary read_summary(const std::filesystem::path& path);

}  // namespace integra::sim
