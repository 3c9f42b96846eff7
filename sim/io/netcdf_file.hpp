// Writing a result_set as an HDF5 file laid out like netCDF-4, and reading it back, so that
// xarray.open_dataset(path, engine="h5netcdf" or "netcdf4") gives named dimensions, string
// coordinates, units and descriptions with no custom code. The layout (verified for
// Debian 12's HDF5 1.10 and libnetcdf 4.9; docs/output.md, "File layout"):
//   - every dimension is a 1-D dataset named after it and marked a dimension scale;
//     labels are variable-length UTF-8 strings (fixed-length ones crash libnetcdf);
//   - every numeric variable is float64 with NaN fill, `_FillValue`, `units`, `long_name`
//     and a scale attached to every axis; stored as write_options says (by default
//     uncompressed and contiguous);
//   - every text variable is variable-length UTF-8 strings with `long_name` and a scale
//     attached to every axis (not itself a scale);
//   - a variable whose dimensions include all those of an auxiliary coordinate lists it in
//     its CF `coordinates` attribute, and the global `coordinates` attribute lists them all
//     (xarray's own convention), so xarray puts them in `ds.coords`;
//   - link and attribute creation order are tracked, so variables keep their order;
//   - global attributes are text (netCDF NC_CHAR style) or 64-bit numbers.
// The file is written under a temporary name in the target folder and renamed on success:
// a failure or an interruption never leaves a truncated file under the target name and
// never destroys an existing result.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/results.hpp"

namespace integra::sim {

// The storage defaults, chosen by measurement on the flagship run (`integra run
// scenarios/celac_customs_union.toml -j 1`: 6.7 MB of float64, 0.26 of it in the two
// bilateral-by-sector variables; docs/performance.md, "Output compression"). The values are
// full-precision doubles, so gzip saves little: today's level 4 + shuffle gave 5.31 MB in
// 0.205 s of CPU for the whole process, level 1 5.38 MB in 0.195 s, level 9 5.20 MB in
// 0.69 s; no compression 6.76 MB (1.27x level 4, 1.30x level 9) in 0.091 s. Half the
// process time bought a fifth of the size, so by default nothing is compressed.

/// gzip level for float64 variables; 0 = none.
inline constexpr int default_deflate_level = 0;
/// Byte shuffle before gzip (when compressing): -6% size at level 4 (5.73 -> 5.31 MB).
inline constexpr bool default_shuffle = true;
/// Largest chunk of a compressed variable, bytes. Chunks take whole trailing dimensions and
/// cut the leading ones (a sweep's `point` first), balanced so no edge chunk is padded: one
/// point of a sweep variable is one or a few chunks, and reading a whole variable takes
/// few chunk lookups. 1 MiB is also the default chunk cache of HDF5 (and so of h5py and
/// h5netcdf), so a chunk read once stays cached.
inline constexpr std::size_t default_chunk_bytes = std::size_t{1} << 20;

/// How write_netcdf4 stores float64 variables. Coordinates and text variables are always
/// contiguous and uncompressed.
struct write_options {
    /// gzip (deflate) level 0-9. 0 stores variables contiguous and uncompressed, the fastest
    /// to write and to read any slice from; 1-9 store them chunked and compressed.
    int deflate_level = default_deflate_level;
    /// Byte-shuffle before gzip (ignored without compression).
    bool shuffle = default_shuffle;
    /// Largest chunk when compressing, bytes (at least 8).
    std::size_t chunk_bytes = default_chunk_bytes;
};

/// The chunk shape write_netcdf4 uses for a compressed variable of `shape` (cells) with
/// `element_bytes` per cell: whole trailing dimensions; the leading ones cut so a chunk holds
/// at most `chunk_bytes` (but at least one cell), evened out so the last chunk along a cut
/// dimension is not mostly padding. E.g. {10000, 28, 38} doubles in 1 MiB: {122, 28, 38}.
[[nodiscard]] std::vector<std::size_t> chunk_shape(const std::vector<std::size_t>& shape, std::size_t element_bytes,
                                                   std::size_t chunk_bytes);

/// Writes `results` to `target` atomically (creating the folder if needed); throws io_error,
/// invalid_input for options out of range, internal_error for an inconsistent result_set
/// (an unknown auxiliary coordinate, a global attribute named "coordinates").
void write_netcdf4(const result_set& results, const std::filesystem::path& target, const write_options& options = {});

/// Reads a file written by write_netcdf4 back into the result_set that was written:
/// coordinates, float64 variables, text variables, auxiliary coordinates and global
/// attributes, each in the order written; values bit for bit (NaN payloads included).
/// Throws io_error naming the file if it is missing, not HDF5, or not laid out as
/// write_netcdf4 lays files out (an axis without a dimension scale, a type it never writes).
[[nodiscard]] result_set read_netcdf4(const std::filesystem::path& path);

/// Checks before a run that `target` can receive a results file: not empty, not an
/// existing directory, device or other non-regular file, and in a folder that can be
/// created or written. Throws invalid_input naming the path and the problem.
void check_output_target(const std::filesystem::path& target);

/// What a results file holds, for `integra info`: dimensions with sizes (and the first
/// labels), variables (numeric and text) with dims/units/description, global attributes as
/// text.
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
        bool text = false;  ///< strings (a text variable) rather than numbers
    };
    std::vector<dimension> dimensions;
    std::vector<variable> variables;
    std::vector<std::pair<std::string, std::string>> attributes;
};

/// Reads the summary of a file written by write_netcdf4 (or any netCDF-4 file) without
/// reading the variables' values; throws io_error.
[[nodiscard]] file_summary read_summary(const std::filesystem::path& path);

}  // namespace integra::sim
