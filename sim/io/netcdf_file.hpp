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
// The file is built in memory (HDF5's core driver), written under a temporary name in the
// target folder with plain writes and renamed on success: a failure (a full disk, a file
// size limit) or an interruption never leaves a truncated file under the target name, never
// destroys an existing result, and never leaves HDF5 with a half-closed file. Stale
// temporary files of the same target whose process is gone are removed on the next write.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/results.hpp"

namespace integra::sim {

// How float64 variables are stored, chosen by measurement (docs/performance.md, "Output
// compression"; 2-core EPYC, medians of 31 interleaved runs, CPU time of the whole process).
// The values are full-precision doubles, so gzip saves little on one run: on the flagship
// (`integra run scenarios/celac_customs_union.toml -j 1`, 6.7 MB of float64, 0.77 of it in
// `trade` and `trade_share`) the old default, gzip 4 + shuffle in chunks of up to 2 MiB,
// gave 5.31 MB in 208 ms; gzip 1 + shuffle 5.39 MB in 195 ms; gzip 9 + shuffle 5.20 MB in
// 686 ms; no compression 6.76 MB (1.27x the old default, 1.30x gzip 9) in 91 ms. Half the
// process time bought a fifth of the size, so by default nothing is compressed, and any
// slice of a variable is one contiguous read.
// A sweep file repeats much between points and compresses better: on 1,000 points of
// scenarios/sweeps/celac_cu_elasticities.toml (a 163.6 MB file) gzip 1 + shuffle in
// 256 KiB chunks gives 106.9 MB (0.65x) for 1.5 s more writing; see compact_write_options.

/// gzip level for float64 variables by default; 0 = none.
inline constexpr int default_deflate_level = 0;
/// Byte shuffle before gzip (when compressing): 7% smaller at level 4 (5.73 -> 5.31 MB on
/// the flagship) and faster (222 -> 208 ms), as the exponent bytes then compress together.
inline constexpr bool default_shuffle = true;
/// Largest chunk of a compressed variable, bytes. Chunks take whole trailing dimensions and
/// cut the leading ones (a sweep's `point` first). On the 1,000-point sweep, gzip 1 +
/// shuffle: chunks of 64 KiB / 256 KiB / 1 MiB / 4 MiB give 110.2 / 106.9 / 105.9 / 105.7 MB;
/// reading one point of welfare_change (28 x 38) takes 0.16 / 0.66 / 2.4 / 6.9 ms (h5py,
/// distinct points), the whole variable 22 / 22 / 21 / 21 ms. 256 KiB keeps the size within
/// 1% of the largest chunks and a point's read under a millisecond; it is also well within
/// HDF5's default 1 MiB chunk cache, so readers stepping through points decompress each
/// chunk once.
inline constexpr std::size_t default_chunk_bytes = std::size_t{256} << 10;

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

/// For files written once and kept where size matters, such as a merged sweep: gzip 1 +
/// shuffle in 256 KiB chunks (0.65x the size of an uncompressed sweep file, 0.80x of one
/// run's file; gzip 4 saves another 1% for 10-15% more compression time).
inline constexpr write_options compact_write_options{1, true, default_chunk_bytes};

/// The chunk shape write_netcdf4 uses for a compressed variable of `shape` (cells) with
/// `element_bytes` per cell: whole trailing dimensions; the leading ones cut so a chunk holds
/// at most `chunk_bytes` (but at least one cell), evened out so the last chunk along a cut
/// dimension is not mostly padding. E.g. {10000, 28, 38} doubles in 256 KiB: {30, 28, 38}.
[[nodiscard]] std::vector<std::size_t> chunk_shape(const std::vector<std::size_t>& shape, std::size_t element_bytes,
                                                   std::size_t chunk_bytes);

/// Writes `results` to `target` atomically (creating the folder if needed), first removing
/// the `.NAME.PID.partial` files beside it of processes that no longer exist. Throws io_error
/// ("cannot write TARGET: <OS error> (writing .NAME.PID.partial)" for a full disk, EFBIG, EIO;
/// nothing is left behind), invalid_input for options out of range, internal_error for an
/// inconsistent result_set (an unknown auxiliary coordinate, a global attribute named
/// "coordinates").
void write_netcdf4(const result_set& results, const std::filesystem::path& target, const write_options& options = {});

/// Reads a file written by write_netcdf4 back into the result_set that was written:
/// coordinates, float64 variables, text variables, auxiliary coordinates and global
/// attributes, each in the order written; values bit for bit (NaN payloads included).
/// Throws invalid_input naming the file if it is missing, not a regular file or not HDF5
/// (the user's input error, exit code 2), io_error if it is not laid out as write_netcdf4
/// lays files out (an axis without a dimension scale, a type it never writes).
[[nodiscard]] result_set read_netcdf4(const std::filesystem::path& path);

/// Checks before a run that `target` can receive a results file: not empty, not "-"
/// (standard output), not an existing directory, symbolic link, FIFO, device or other
/// non-regular file (a results file must be seekable), and in a folder that exists and
/// accepts a new file (tried with a probe file, so root and read-only file systems are
/// judged right) or can be created in the nearest existing folder above it. Throws
/// invalid_input naming the path and the problem ("cannot create folder F: ..." or
/// "cannot write in folder F (...)").
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
/// reading the variables' values; throws invalid_input or io_error as read_netcdf4 does.
[[nodiscard]] file_summary read_summary(const std::filesystem::path& path);

}  // namespace integra::sim
