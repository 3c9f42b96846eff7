#include "sim/io/netcdf_file.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <cstdlib>
#include <thread>
#include <chrono>
#include <limits>
#include <unistd.h>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/io/h5.hpp"

namespace integra::sim {
namespace {

namespace fs = std::filesystem;

// The temporary file being written, removed if the process is interrupted. A plain char
// buffer, because a signal handler may only call async-signal-safe functions (unlink).
char temporary_path[4096] = {0};

extern "C" void remove_temporary_and_reraise(int signal_number) {
    if (temporary_path[0] != '\0') ::unlink(temporary_path);
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

class interruption_guard {
public:
    explicit interruption_guard(const fs::path& temporary) {
        std::strncpy(temporary_path, temporary.c_str(), sizeof temporary_path - 1);
        previous_int_ = std::signal(SIGINT, remove_temporary_and_reraise);
        previous_term_ = std::signal(SIGTERM, remove_temporary_and_reraise);
    }
    interruption_guard(const interruption_guard&) = delete;
    interruption_guard& operator=(const interruption_guard&) = delete;
    ~interruption_guard() {
        std::signal(SIGINT, previous_int_);
        std::signal(SIGTERM, previous_term_);
        temporary_path[0] = '\0';
    }

private:
    void (*previous_int_)(int) = SIG_DFL;
    void (*previous_term_)(int) = SIG_DFL;
};

h5::handle creation_order_plist(hid_t cls, const std::string& what) {
    h5::handle p = h5::plist(H5Pcreate(cls), what);
    const unsigned flags = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    if (cls == H5P_FILE_CREATE || cls == H5P_GROUP_CREATE)
        h5::check_status(H5Pset_link_creation_order(p, flags), what + ": track link order");
    h5::check_status(H5Pset_attr_creation_order(p, flags), what + ": track attribute order");
    return p;
}

void write_text_attribute(hid_t object, const std::string& name, const std::string& value) {
    const std::string what = "write attribute '" + name + "'";
    h5::handle type = h5::datatype(H5Tcopy(H5T_C_S1), what);
    h5::check_status(H5Tset_size(type, std::max<std::size_t>(value.size(), 1)), what);
    h5::check_status(H5Tset_strpad(type, H5T_STR_NULLTERM), what);
    h5::check_status(H5Tset_cset(type, H5T_CSET_UTF8), what);
    h5::handle space = h5::dataspace(H5Screate(H5S_SCALAR), what);
    h5::handle attr = h5::attribute(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), what);
    const std::string padded = value.empty() ? std::string(1, '\0') : value;
    h5::check_status(H5Awrite(attr, type, padded.data()), what);
}

template <class T>
void write_number_attribute(hid_t object, const std::string& name, T value, hid_t type) {
    const std::string what = "write attribute '" + name + "'";
    h5::handle space = h5::dataspace(H5Screate(H5S_SCALAR), what);
    h5::handle attr = h5::attribute(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), what);
    h5::check_status(H5Awrite(attr, type, &value), what);
}

h5::handle write_scale(hid_t file, const coordinate& c) {
    const std::string what = "write dimension '" + c.name + "'";
    const hsize_t n = c.size();
    h5::handle space = h5::dataspace(H5Screate_simple(1, &n, nullptr), what);
    h5::handle dcpl = creation_order_plist(H5P_DATASET_CREATE, what);
    h5::handle ds;
    if (const auto* labels = std::get_if<std::vector<std::string>>(&c.values)) {
        h5::handle type = h5::vlen_utf8_type();
        ds = h5::dataset(H5Dcreate2(file, c.name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), what);
        std::vector<const char*> pointers;
        for (const auto& l : *labels) pointers.push_back(l.c_str());
        if (n > 0) h5::check_status(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), what);
    } else {
        const auto& values = std::get<std::vector<std::int64_t>>(c.values);
        ds = h5::dataset(H5Dcreate2(file, c.name.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), what);
        if (n > 0) h5::check_status(H5Dwrite(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), what);
    }
    h5::check_status(H5DSset_scale(ds, c.name.c_str()), what + ": mark as dimension scale");
    if (!c.long_name.empty()) write_text_attribute(ds, "long_name", c.long_name);
    if (!c.units.empty()) write_text_attribute(ds, "units", c.units);
    return ds;
}

// Chunks of whole trailing dimensions, leading dimensions cut to 1 until a chunk holds at
// most 2^18 values (2 MiB): one chunk per (case, year) slice for time series.
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& shape) {
    std::vector<hsize_t> chunk = shape;
    for (auto& c : chunk) c = std::max<hsize_t>(c, 1);
    hsize_t total = 1;
    for (auto c : chunk) total *= c;
    for (std::size_t i = 0; i + 1 < chunk.size() && total > (1u << 18); ++i) {
        total /= chunk[i];
        chunk[i] = 1;
    }
    return chunk;
}

void write_variable(hid_t file, const result_set& results, const variable& v,
                    const std::vector<std::pair<std::string, h5::handle>>& scales) {
    const std::string what = "write variable '" + v.name + "'";
    std::vector<hsize_t> shape;
    for (const auto& d : v.dims) shape.push_back(results.dimension(d).size());
    const auto rank = static_cast<int>(shape.size());
    h5::handle space = h5::dataspace(rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, shape.data(), nullptr), what);
    h5::handle dcpl = creation_order_plist(H5P_DATASET_CREATE, what);
    const double fill = std::numeric_limits<double>::quiet_NaN();
    h5::check_status(H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &fill), what + ": fill value");
    const bool empty = std::any_of(shape.begin(), shape.end(), [](hsize_t s) { return s == 0; });
    if (rank > 0 && !empty) {
        const auto chunk = chunk_shape(shape);
        h5::check_status(H5Pset_chunk(dcpl, rank, chunk.data()), what + ": chunking");
        h5::check_status(H5Pset_shuffle(dcpl), what + ": shuffle");
        h5::check_status(H5Pset_deflate(dcpl, 4), what + ": gzip");
    }
    h5::handle ds = h5::dataset(H5Dcreate2(file, v.name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), what);
    if (!v.data.empty()) h5::check_status(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data.data()), what);
    write_number_attribute(ds.get(), "_FillValue", fill, H5T_IEEE_F64LE);
    write_text_attribute(ds, "units", v.units.empty() ? "1" : v.units);
    write_text_attribute(ds, "long_name", v.long_name);
    for (unsigned axis = 0; axis < v.dims.size(); ++axis) {
        const auto it = std::find_if(scales.begin(), scales.end(), [&](const auto& s) { return s.first == v.dims[axis]; });
        h5::check_status(H5DSattach_scale(ds, it->second, axis), what + ": attach dimension '" + v.dims[axis] + "'");
    }
}

void write_file(const result_set& results, const fs::path& path) {
    h5::silence_error_printing();
    h5::handle fcpl = creation_order_plist(H5P_FILE_CREATE, "create file");
    h5::handle file = h5::file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT), "create " + path.string());
    for (const auto& [name, value] : results.attributes) {
        if (const auto* s = std::get_if<std::string>(&value)) write_text_attribute(file, name, *s);
        else if (const auto* i = std::get_if<std::int64_t>(&value)) write_number_attribute(file.get(), name, *i, H5T_STD_I64LE);
        else write_number_attribute(file.get(), name, std::get<double>(value), H5T_IEEE_F64LE);
    }
    std::vector<std::pair<std::string, h5::handle>> scales;
    for (const auto& c : results.coordinates) scales.emplace_back(c.name, write_scale(file, c));
    for (const auto& v : results.variables) write_variable(file, results, v, scales);
    for (auto& [name, s] : scales) s.close("close dimension '" + name + "'");
    file.close("close " + path.string());
}

std::string read_text_attribute(hid_t attr) {
    h5::handle type = h5::datatype(H5Aget_type(attr), "attribute type");
    if (H5Tget_class(type) == H5T_STRING) {
        if (H5Tis_variable_str(type) > 0) {
            char* value = nullptr;
            h5::handle mem = h5::vlen_utf8_type();
            h5::check_status(H5Aread(attr, mem, &value), "read attribute");
            std::string out = value ? value : "";
            H5free_memory(value);
            return out;
        }
        std::string out(H5Tget_size(type), '\0');
        h5::check_status(H5Aread(attr, type, out.data()), "read attribute");
        return out.substr(0, out.find('\0'));
    }
    if (H5Tget_class(type) == H5T_INTEGER) {
        std::int64_t v = 0;
        h5::check_status(H5Aread(attr, H5T_NATIVE_INT64, &v), "read attribute");
        return std::to_string(v);
    }
    if (H5Tget_class(type) == H5T_FLOAT) {
        double v = 0;
        h5::check_status(H5Aread(attr, H5T_NATIVE_DOUBLE, &v), "read attribute");
        return cat(v);
    }
    return "(unsupported type)";
}

std::string attribute_text(hid_t object, const char* name) {
    if (H5Aexists(object, name) <= 0) return {};
    h5::handle attr = h5::attribute(H5Aopen(object, name, H5P_DEFAULT), std::string("open attribute ") + name);
    return read_text_attribute(attr);
}

std::vector<std::string> link_names(hid_t file) {
    std::vector<std::string> names;
    auto visit = [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
        static_cast<std::vector<std::string>*>(out)->emplace_back(name);
        return 0;
    };
    hsize_t index = 0;
    // Creation order when tracked (our files), else by name.
    if (H5Literate(file, H5_INDEX_CRT_ORDER, H5_ITER_INC, &index, visit, &names) < 0) {
        H5Eclear2(H5E_DEFAULT);
        names.clear();
        index = 0;
        h5::check_status(H5Literate(file, H5_INDEX_NAME, H5_ITER_INC, &index, visit, &names), "list datasets");
    }
    return names;
}

}  // namespace

void write_netcdf4(const result_set& results, const fs::path& target) {
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw io_error(cat("cannot create folder ", folder.string(), ": ", ec.message()));
    const fs::path temporary = folder / cat(".", target.filename().string(), ".", ::getpid(), ".partial");
    interruption_guard guard(temporary);
    try {
        write_file(results, temporary);
        // Fault injection for the interruption test (tests/cli/interrupted_run_keeps_output.sh):
        // hold the finished temporary file before the rename so a signal can land there.
        if (const char* pause = std::getenv("INTEGRA_TEST_PAUSE_BEFORE_RENAME_SECONDS"))
            std::this_thread::sleep_for(std::chrono::duration<double>(std::atof(pause)));
    } catch (...) {
        fs::remove(temporary, ec);
        throw;
    }
    fs::rename(temporary, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw io_error(cat("cannot move the finished file into place as ", target.string(), ": ", ec.message()));
    }
}

void check_output_target(const fs::path& target) {
    if (target.empty()) throw invalid_input("output: expected a file name, got an empty path");
    const auto name = target.filename().string();
    if (name.empty() || name == "." || name == "..")
        throw invalid_input(cat("output ", target.string(), ": expected a path ending in a file name, e.g. results/run.h5"));
    std::error_code ec;
    const auto status = fs::symlink_status(target, ec);
    if (fs::exists(status) && !fs::is_regular_file(status))
        throw invalid_input(cat("output ", target.string(), ": exists and is not a regular file (",
                                fs::is_directory(status) ? "a directory" : fs::is_symlink(status) ? "a symbolic link" : "a device or special file",
                                "); give the name of a results file"));
    // The nearest existing folder must be a folder we may write in.
    fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    while (!fs::exists(folder, ec) && folder.has_parent_path() && folder != folder.parent_path()) folder = folder.parent_path();
    if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
        throw invalid_input(cat("output ", target.string(), ": ", folder.string(), " is not a folder"));
    if (fs::exists(folder, ec) && ::access(folder.c_str(), W_OK) != 0)
        throw invalid_input(cat("output ", target.string(), ": cannot write in ", folder.string(), " (", std::strerror(errno), ")"));
}

file_summary read_summary(const fs::path& path) {
    h5::silence_error_printing();
    if (!fs::exists(path)) throw io_error(path.string() + ": no such file");
    if (H5Fis_hdf5(path.c_str()) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        throw invalid_input(path.string() + ": not an HDF5 file (expected a results file written by integra run)");
    }
    h5::handle file = h5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + path.string());
    file_summary out;
    H5O_info_t info;
    h5::check_status(H5Oget_info2(file, &info, H5O_INFO_NUM_ATTRS), "read file attributes");
    for (hsize_t i = 0; i < info.num_attrs; ++i) {
        h5::handle attr = h5::attribute(H5Aopen_by_idx(file, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT),
                                        "open file attribute");
        char name[256] = {0};
        H5Aget_name(attr, sizeof name, name);
        out.attributes.emplace_back(name, read_text_attribute(attr));
    }
    for (const auto& name : link_names(file)) {
        if (H5Oexists_by_name(file, name.c_str(), H5P_DEFAULT) <= 0) continue;
        H5O_info_t oinfo;
        h5::check_status(H5Oget_info_by_name2(file, name.c_str(), &oinfo, H5O_INFO_BASIC, H5P_DEFAULT), "inspect " + name);
        if (oinfo.type != H5O_TYPE_DATASET) continue;
        h5::handle ds = h5::dataset(H5Dopen2(file, name.c_str(), H5P_DEFAULT), "open " + name);
        h5::handle space = h5::dataspace(H5Dget_space(ds), "shape of " + name);
        const int rank = H5Sget_simple_extent_ndims(space);
        std::vector<hsize_t> shape(static_cast<std::size_t>(std::max(rank, 0)));
        if (rank > 0) H5Sget_simple_extent_dims(space, shape.data(), nullptr);
        if (H5DSis_scale(ds) > 0) {
            file_summary::dimension d{name, rank == 1 ? shape[0] : 0, {}};
            h5::handle type = h5::datatype(H5Dget_type(ds), "type of " + name);
            if (H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0 && d.size > 0) {
                std::vector<char*> labels(d.size);
                h5::handle mem = h5::vlen_utf8_type();
                h5::check_status(H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, labels.data()), "read " + name);
                for (std::size_t k = 0; k < labels.size(); ++k) {
                    if (k < 6) d.first_labels.emplace_back(labels[k] ? labels[k] : "");
                }
                H5Dvlen_reclaim(mem, space, H5P_DEFAULT, labels.data());
            } else if (H5Tget_class(type) == H5T_INTEGER && d.size > 0) {
                std::vector<std::int64_t> values(d.size);
                h5::check_status(H5Dread(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read " + name);
                d.first_labels.push_back(std::to_string(values.front()));
                if (values.size() > 1) d.first_labels.push_back(std::to_string(values.back()));
            }
            out.dimensions.push_back(std::move(d));
            continue;
        }
        file_summary::variable v{name, {}, attribute_text(ds, "units"), attribute_text(ds, "long_name")};
        for (int axis = 0; axis < rank; ++axis) {
            std::string dim = "?";
            auto visit = [](hid_t, unsigned, hid_t scale, void* name_out) -> herr_t {
                char buffer[256] = {0};
                H5DSget_scale_name(scale, buffer, sizeof buffer);
                *static_cast<std::string*>(name_out) = buffer;
                return 1;
            };
            H5DSiterate_scales(ds, static_cast<unsigned>(axis), nullptr, visit, &dim);
            v.dims.push_back(dim);
        }
        out.variables.push_back(std::move(v));
    }
    return out;
}

}  // namespace integra::sim
