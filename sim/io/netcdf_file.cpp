#include "sim/io/netcdf_file.hpp"

#include <hdf5_hl.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <sstream>
#include <thread>

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

h5::handle simple_space(const std::vector<hsize_t>& shape, const std::string& what) {
    if (shape.empty()) return h5::dataspace(H5Screate(H5S_SCALAR), what);
    return h5::dataspace(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), what);
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
        h5::write_strings(ds, *labels, what);
    } else {
        const auto& values = std::get<std::vector<std::int64_t>>(c.values);
        ds = h5::dataset(H5Dcreate2(file, c.name.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), what);
        if (n > 0) h5::check_status(H5Dwrite(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), what);
    }
    h5::check_status(H5DSset_scale(ds, c.name.c_str()), what + ": mark as dimension scale");
    if (!c.long_name.empty()) h5::write_text_attribute(ds, "long_name", c.long_name);
    if (!c.units.empty()) h5::write_text_attribute(ds, "units", c.units);
    return ds;
}

}  // namespace

std::vector<std::size_t> chunk_shape(const std::vector<std::size_t>& shape, std::size_t element_bytes, std::size_t chunk_bytes) {
    std::vector<std::size_t> chunk = shape;
    for (auto& c : chunk) c = std::max<std::size_t>(c, 1);
    const std::size_t budget = std::max<std::size_t>(1, chunk_bytes / std::max<std::size_t>(element_bytes, 1));
    for (std::size_t i = 0; i < chunk.size(); ++i) {
        std::size_t rest = 1;  // the chunk's extent over the dimensions after i
        for (std::size_t j = i + 1; j < chunk.size(); ++j) rest *= chunk[j];
        if (chunk[i] * rest <= budget) break;
        // As many cells along i as fit (at least one), then evened out over the chunks
        // needed, so the last chunk along i is not mostly padding.
        const std::size_t fit = std::max<std::size_t>(1, budget / rest);
        const std::size_t pieces = (chunk[i] + fit - 1) / fit;
        chunk[i] = (chunk[i] + pieces - 1) / pieces;
    }
    return chunk;
}

namespace {

// The auxiliary coordinates (other than `name` itself) whose dimensions are all among `dims`,
// space-separated: the CF `coordinates` attribute of a variable.
std::string coordinates_attribute(const result_set& results, const std::string& name, const std::vector<std::string>& dims) {
    std::string out;
    for (const auto& aux : results.auxiliary_coordinates) {
        if (aux == name) continue;
        const auto numeric = std::find_if(results.variables.begin(), results.variables.end(), [&](const auto& v) { return v.name == aux; });
        const auto& aux_dims = numeric != results.variables.end() ? numeric->dims : results.find_text(aux).dims;
        if (std::all_of(aux_dims.begin(), aux_dims.end(), [&](const auto& d) { return std::find(dims.begin(), dims.end(), d) != dims.end(); }))
            out += (out.empty() ? "" : " ") + aux;
    }
    return out;
}

using scale_list = std::vector<std::pair<std::string, h5::handle>>;

void attach_scales(hid_t ds, const std::vector<std::string>& dims, const scale_list& scales, const std::string& what) {
    for (unsigned axis = 0; axis < dims.size(); ++axis) {
        const auto it = std::find_if(scales.begin(), scales.end(), [&](const auto& s) { return s.first == dims[axis]; });
        if (it == scales.end()) throw internal_error(what + ": no dimension '" + dims[axis] + "'");
        h5::check_status(H5DSattach_scale(ds, it->second, axis), what + ": attach dimension '" + dims[axis] + "'");
    }
}

std::vector<hsize_t> shape_of(const result_set& results, const std::vector<std::string>& dims) {
    std::vector<hsize_t> shape;
    for (const auto& d : dims) shape.push_back(results.dimension(d).size());
    return shape;
}

void write_variable(hid_t file, const result_set& results, const variable& v, const scale_list& scales, const write_options& options) {
    const std::string what = "write variable '" + v.name + "'";
    const auto shape = shape_of(results, v.dims);
    h5::handle space = simple_space(shape, what);
    h5::handle dcpl = creation_order_plist(H5P_DATASET_CREATE, what);
    const double fill = std::numeric_limits<double>::quiet_NaN();
    h5::check_status(H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &fill), what + ": fill value");
    const bool empty = std::any_of(shape.begin(), shape.end(), [](hsize_t s) { return s == 0; });
    if (options.deflate_level > 0 && !shape.empty() && !empty) {
        const auto sizes = chunk_shape(std::vector<std::size_t>(shape.begin(), shape.end()), sizeof(double), options.chunk_bytes);
        const std::vector<hsize_t> chunk(sizes.begin(), sizes.end());
        h5::check_status(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), what + ": chunking");
        if (options.shuffle) h5::check_status(H5Pset_shuffle(dcpl), what + ": shuffle");
        h5::check_status(H5Pset_deflate(dcpl, static_cast<unsigned>(options.deflate_level)), what + ": gzip");
    }
    h5::handle ds = h5::dataset(H5Dcreate2(file, v.name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), what);
    if (!v.data.empty()) h5::check_status(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data.data()), what);
    h5::write_attribute(ds, "_FillValue", fill);
    h5::write_text_attribute(ds, "units", v.units.empty() ? "1" : v.units);
    h5::write_text_attribute(ds, "long_name", v.long_name);
    if (const auto aux = coordinates_attribute(results, v.name, v.dims); !aux.empty()) h5::write_text_attribute(ds, "coordinates", aux);
    attach_scales(ds, v.dims, scales, what);
}

void write_text_variable(hid_t file, const result_set& results, const text_variable& v, const scale_list& scales) {
    const std::string what = "write text variable '" + v.name + "'";
    h5::handle space = simple_space(shape_of(results, v.dims), what);
    h5::handle dcpl = creation_order_plist(H5P_DATASET_CREATE, what);
    h5::handle type = h5::vlen_utf8_type();
    h5::handle ds = h5::dataset(H5Dcreate2(file, v.name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), what);
    h5::write_strings(ds, v.data, what);
    h5::write_text_attribute(ds, "long_name", v.long_name);
    if (const auto aux = coordinates_attribute(results, v.name, v.dims); !aux.empty()) h5::write_text_attribute(ds, "coordinates", aux);
    attach_scales(ds, v.dims, scales, what);
}

void check_before_writing(const result_set& results, const write_options& options) {
    if (options.deflate_level < 0 || options.deflate_level > 9)
        throw invalid_input(cat("output: gzip level must be 0 (none) to 9, got ", options.deflate_level));
    if (options.chunk_bytes < sizeof(double))
        throw invalid_input(cat("output: chunk size must be at least ", sizeof(double), " bytes, got ", options.chunk_bytes));
    for (const auto& [name, value] : results.attributes)
        if (name == "coordinates")
            throw internal_error("global attribute 'coordinates' is reserved for the list of auxiliary coordinates");
    for (std::size_t i = 0; i < results.auxiliary_coordinates.size(); ++i) {
        const auto& aux = results.auxiliary_coordinates[i];
        const auto named = [&](const auto& v) { return v.name == aux; };
        if (std::none_of(results.variables.begin(), results.variables.end(), named) &&
            std::none_of(results.text_variables.begin(), results.text_variables.end(), named))
            throw internal_error("auxiliary coordinate '" + aux + "' is not a variable of the result set");
        if (std::find(results.auxiliary_coordinates.begin(), results.auxiliary_coordinates.begin() + static_cast<std::ptrdiff_t>(i), aux) !=
            results.auxiliary_coordinates.begin() + static_cast<std::ptrdiff_t>(i))
            throw internal_error("auxiliary coordinate '" + aux + "' listed twice");
        if (aux.find(' ') != std::string::npos)
            throw internal_error("auxiliary coordinate '" + aux + "' has a space in its name (the coordinates attribute separates names by spaces)");
    }
}

// The whole file is built in memory (HDF5's core driver, no backing store) and written to
// disk by write_image, so every disk error (ENOSPC, EFBIG, EIO) is ours to report and HDF5
// never fails half-way through a flush: in HDF5 1.10 a file whose H5Fclose failed on a
// write error stays half-closed and crashes the library at exit (H5F__close_cb).
std::vector<char> build_image(const result_set& results, const write_options& options) {
    h5::silence_error_printing();
    h5::handle fcpl = creation_order_plist(H5P_FILE_CREATE, "create file");
    h5::handle fapl = h5::plist(H5Pcreate(H5P_FILE_ACCESS), "create file");
    h5::check_status(H5Pset_fapl_core(fapl, std::size_t{4} << 20, false), "create file: in-memory driver");
    // Closing the file closes anything still open in it (an error path), never leaving it half-open.
    h5::check_status(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "create file: close degree");
    // The name only labels the in-memory file: without a backing store nothing touches the disk.
    h5::handle file = h5::file(H5Fcreate("integra-results.h5", H5F_ACC_TRUNC, fcpl, fapl), "create file in memory");
    for (const auto& [name, value] : results.attributes) {
        if (const auto* s = std::get_if<std::string>(&value)) h5::write_text_attribute(file, name, *s);
        else if (const auto* i = std::get_if<std::int64_t>(&value)) h5::write_attribute(file, name, *i);
        else h5::write_attribute(file, name, std::get<double>(value));
    }
    if (!results.auxiliary_coordinates.empty()) {
        std::string all;
        for (const auto& aux : results.auxiliary_coordinates) all += (all.empty() ? "" : " ") + aux;
        h5::write_text_attribute(file, "coordinates", all);
    }
    scale_list scales;
    for (const auto& c : results.coordinates) scales.emplace_back(c.name, write_scale(file, c));
    for (const auto& v : results.variables) write_variable(file, results, v, scales, options);
    for (const auto& v : results.text_variables) write_text_variable(file, results, v, scales);
    for (auto& [name, s] : scales) s.close("close dimension '" + name + "'");
    h5::check_status(H5Fflush(file, H5F_SCOPE_LOCAL), "finish file");
    const ssize_t size = H5Fget_file_image(file, nullptr, 0);
    if (size < 0) h5::check_status(-1, "size of file image");
    std::vector<char> image(static_cast<std::size_t>(size));
    if (H5Fget_file_image(file, image.data(), image.size()) != size) h5::check_status(-1, "copy file image");
    file.close("close file");
    return image;
}

// Writes `image` to the file `path` (created or truncated); on any error removes what it
// wrote and throws io_error naming `shown` (the target) and the OS error.
void write_image(const std::vector<char>& image, const fs::path& path, const fs::path& shown) {
    const auto fail = [&](int error, const char* doing) {
        throw io_error(cat("cannot write ", shown.string(), ": ", std::strerror(error), " (", doing, " ", path.string(), ")"));
    };
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) fail(errno, "creating");
    const char* data = image.data();
    std::size_t left = image.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int error = n < 0 ? errno : ENOSPC;
            ::close(fd);
            ::unlink(path.c_str());
            fail(error, "writing");
        }
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(path.c_str());
        fail(error, "closing");
    }
}

// ".NAME.PID.partial" files beside `target` of processes that no longer run (killed with
// SIGKILL, or by SIGXFSZ under an older Integra): nothing else would ever remove them.
// A PID is dead when kill(pid, 0) says ESRCH; a live process, or one we may not signal,
// keeps its file. Only this host's processes can be checked (docs/output.md, "Faults").
void remove_stale_partials(const fs::path& folder, const std::string& name) {
    const std::string prefix = "." + name + ".", suffix = ".partial";
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string file = it->path().filename().string();
        if (file.size() <= prefix.size() + suffix.size() || file.compare(0, prefix.size(), prefix) != 0 ||
            file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        const std::string digits = file.substr(prefix.size(), file.size() - prefix.size() - suffix.size());
        if (digits.empty() || digits.size() > 18 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
            continue;
        const long long pid = std::stoll(digits);
        if (pid <= 0 || pid == ::getpid()) continue;
        const bool dead = pid > INT_MAX || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH);
        if (!dead) continue;
        std::error_code ignored;
        if (fs::is_regular_file(it->symlink_status(ignored))) fs::remove(it->path(), ignored);
    }
}

// ---- reading ---------------------------------------------------------------------------

std::string attribute_as_text(hid_t attr, const std::string& what) {
    const auto value = h5::read_attribute(attr, what);
    if (const auto* s = std::get_if<std::string>(&value)) return *s;
    if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
    return cat(std::get<double>(value));
}

// Datasets and other links at the root, in creation order when tracked (our files), else by name.
std::vector<std::string> link_names(hid_t file) {
    std::vector<std::string> names;
    auto visit = [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
        static_cast<std::vector<std::string>*>(out)->emplace_back(name);
        return 0;
    };
    hsize_t index = 0;
    if (H5Literate(file, H5_INDEX_CRT_ORDER, H5_ITER_INC, &index, visit, &names) < 0) {
        H5Eclear2(H5E_DEFAULT);
        names.clear();
        index = 0;
        h5::check_status(H5Literate(file, H5_INDEX_NAME, H5_ITER_INC, &index, visit, &names), "list datasets");
    }
    return names;
}

// Global attribute names, in creation order when tracked, else by name.
std::vector<std::string> attribute_names(hid_t object) {
    std::vector<std::string> names;
    auto visit = [](hid_t, const char* name, const H5A_info_t*, void* out) -> herr_t {
        static_cast<std::vector<std::string>*>(out)->emplace_back(name);
        return 0;
    };
    hsize_t index = 0;
    if (H5Aiterate2(object, H5_INDEX_CRT_ORDER, H5_ITER_INC, &index, visit, &names) < 0) {
        H5Eclear2(H5E_DEFAULT);
        names.clear();
        index = 0;
        h5::check_status(H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, visit, &names), "list attributes");
    }
    return names;
}

// The name of the dimension scale attached to each axis of `ds`; "" where none is.
std::vector<std::string> scale_names(hid_t ds, int rank) {
    std::vector<std::string> names;
    for (int axis = 0; axis < rank; ++axis) {
        std::string dim;
        auto visit = [](hid_t, unsigned, hid_t scale, void* name_out) -> herr_t {
            *static_cast<std::string*>(name_out) = h5::object_name(scale);
            return 1;  // the first scale attached to the axis
        };
        if (H5DSget_num_scales(ds, static_cast<unsigned>(axis)) > 0)
            H5DSiterate_scales(ds, static_cast<unsigned>(axis), nullptr, visit, &dim);
        H5Eclear2(H5E_DEFAULT);
        names.push_back(dim);
    }
    return names;
}

struct dataset_shape {
    int rank = 0;
    std::vector<hsize_t> dims;
};

dataset_shape shape_of(hid_t ds, const std::string& what) {
    h5::handle space = h5::dataspace(H5Dget_space(ds), what);
    dataset_shape s;
    s.rank = H5Sget_simple_extent_ndims(space);
    if (s.rank < 0) h5::check_status(-1, what);
    s.dims.resize(static_cast<std::size_t>(s.rank));
    if (s.rank > 0) h5::check_status(H5Sget_simple_extent_dims(space, s.dims.data(), nullptr), what);
    return s;
}

// A missing file, a folder or a file that is not HDF5 is the user's input error (invalid_input,
// exit code 2), like a missing scenario; a failure while reading an HDF5 file is an io_error.
void check_is_hdf5(const fs::path& path) {
    h5::silence_error_printing();
    std::error_code ec;
    if (!fs::exists(path, ec)) throw invalid_input(path.string() + ": no such file; expected a results file (.h5) written by integra");
    if (!fs::is_regular_file(path, ec))
        throw invalid_input(path.string() + ": not a regular file; expected a results file (.h5) written by integra");
    if (H5Fis_hdf5(path.c_str()) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        throw invalid_input(path.string() + ": not an HDF5 file (expected a results file written by integra)");
    }
}

std::vector<std::string> split_on_spaces(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string word; in >> word;) out.push_back(word);
    return out;
}

result_set read_file(const fs::path& path) {
    h5::handle file = h5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open");
    result_set out;
    std::optional<std::string> global_coordinates;
    for (const auto& name : attribute_names(file)) {
        const std::string what = "global attribute '" + name + "'";
        h5::handle attr = h5::attribute(H5Aopen(file, name.c_str(), H5P_DEFAULT), what);
        auto value = h5::read_attribute(attr, what);
        if (name == "coordinates") {
            if (!std::holds_alternative<std::string>(value)) throw io_error(what + ": expected text, got a number");
            global_coordinates = std::get<std::string>(value);
        } else {
            out.attributes.emplace_back(name, std::move(value));
        }
    }
    std::vector<std::string> referenced;  // auxiliary coordinates named by variables, in order of appearance
    for (const auto& name : link_names(file)) {
        H5O_info_t info;
        h5::check_status(H5Oget_info_by_name2(file, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT), "inspect '" + name + "'");
        if (info.type != H5O_TYPE_DATASET) continue;
        h5::handle ds = h5::dataset(H5Dopen2(file, name.c_str(), H5P_DEFAULT), "open '" + name + "'");
        h5::handle type = h5::datatype(H5Dget_type(ds), "type of '" + name + "'");
        const H5T_class_t type_class = H5Tget_class(type);
        const bool vlen_text = type_class == H5T_STRING && H5Tis_variable_str(type) > 0;
        const auto shape = shape_of(ds, "shape of '" + name + "'");
        if (h5::check_status(H5DSis_scale(ds), "inspect '" + name + "'") > 0) {
            const std::string what = "dimension '" + name + "'";
            if (shape.rank != 1) throw io_error(cat(what, ": expected one axis, got ", shape.rank));
            coordinate c{name, {}, h5::text_attribute(ds, "long_name").value_or(""), h5::text_attribute(ds, "units").value_or("")};
            if (vlen_text) {
                c.values = h5::read_strings(ds, "read " + what);
            } else if (type_class == H5T_INTEGER) {
                std::vector<std::int64_t> values(shape.dims[0]);
                if (!values.empty())
                    h5::check_status(H5Dread(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read " + what);
                c.values = std::move(values);
            } else {
                throw io_error(what + ": expected variable-length strings or integers");
            }
            out.add(std::move(c));
            continue;
        }
        const std::string what = "variable '" + name + "'";
        const bool float64 = type_class == H5T_FLOAT && H5Tget_size(type) == sizeof(double);
        if (!vlen_text && !float64) throw io_error(what + ": expected float64 or variable-length strings");
        const auto dims = scale_names(ds, shape.rank);
        for (std::size_t axis = 0; axis < dims.size(); ++axis) {
            if (dims[axis].empty()) throw io_error(cat(what, ": axis ", axis, " has no dimension scale"));
            const auto known = std::find_if(out.coordinates.begin(), out.coordinates.end(), [&](const auto& c) { return c.name == dims[axis]; });
            if (known == out.coordinates.end())
                throw io_error(cat(what, ": axis ", axis, " is attached to '", dims[axis], "', which is not a dimension written before it"));
            if (known->size() != shape.dims[axis])
                throw io_error(cat(what, ": axis ", axis, " has ", shape.dims[axis], " cells but dimension '", dims[axis], "' has ", known->size()));
        }
        if (auto aux = h5::text_attribute(ds, "coordinates"))
            for (auto& a : split_on_spaces(*aux))
                if (std::find(referenced.begin(), referenced.end(), a) == referenced.end()) referenced.push_back(std::move(a));
        if (vlen_text) {
            text_variable v{name, dims, h5::read_strings(ds, "read " + what), h5::text_attribute(ds, "long_name").value_or("")};
            out.add(std::move(v));
        } else {
            std::size_t cells = 1;
            for (auto d : shape.dims) cells *= d;
            variable v{name, dims, std::vector<double>(cells), h5::text_attribute(ds, "units").value_or(""),
                       h5::text_attribute(ds, "long_name").value_or("")};
            if (cells > 0) h5::check_status(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data.data()), "read " + what);
            out.add(std::move(v));
        }
    }
    out.auxiliary_coordinates = global_coordinates ? split_on_spaces(*global_coordinates) : referenced;
    for (const auto& aux : out.auxiliary_coordinates) {
        const auto named = [&](const auto& v) { return v.name == aux; };
        if (std::none_of(out.variables.begin(), out.variables.end(), named) &&
            std::none_of(out.text_variables.begin(), out.text_variables.end(), named))
            throw io_error("auxiliary coordinate '" + aux + "' is not a variable in the file");
    }
    file.close("close");
    return out;
}

}  // namespace

void write_netcdf4(const result_set& results, const fs::path& target, const write_options& options) {
    check_before_writing(results, options);
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw io_error(cat("cannot create folder ", folder.string(), ": ", ec.message()));
    const fs::path temporary = folder / cat(".", target.filename().string(), ".", ::getpid(), ".partial");
    remove_stale_partials(folder, target.filename().string());
    const std::vector<char> image = build_image(results, options);
    interruption_guard guard(temporary);
    try {
        write_image(image, temporary, target);
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

namespace {

// Can this process create files in the existing folder `folder`? Tried, not guessed from
// permission bits: root ignores them, while a read-only file system or /proc refuses anyway.
// The probe has the temporary file's name, so should the process die before removing it,
// the next write to the target removes it as a stale partial file. Returns 0 or the errno
// of the failed attempt.
int probe_folder(const fs::path& folder, const std::string& name) {
    const fs::path probe = folder / cat(".", name, ".", ::getpid(), ".partial");
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return errno == EEXIST ? 0 : errno;
    ::close(fd);
    ::unlink(probe.c_str());
    return 0;
}

}  // namespace

void check_output_target(const fs::path& target) {
    if (target.empty()) throw invalid_input("output: expected a file name, got an empty path");
    if (target == "-")
        throw invalid_input("output -: cannot write results to standard output (a results file must be a seekable regular "
                            "file); give a file name, e.g. -o results/run.h5");
    const auto name = target.filename().string();
    if (name.empty() || name == "." || name == "..")
        throw invalid_input(cat("output ", target.string(), ": expected a path ending in a file name, e.g. results/run.h5"));
    std::error_code ec;
    const auto status = fs::symlink_status(target, ec);
    if (fs::exists(status) && !fs::is_regular_file(status))
        throw invalid_input(cat("output ", target.string(), ": exists and is not a regular file (",
                                fs::is_directory(status)  ? "a directory"
                                : fs::is_symlink(status)  ? "a symbolic link"
                                : fs::is_fifo(status)     ? "a FIFO"
                                : fs::is_socket(status)   ? "a socket"
                                                          : "a device or special file",
                                "); a results file must be a seekable regular file: give its name"));
    // The folder must exist and be writable, or the nearest existing folder above it must
    // be one in which the missing folders can be created.
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    fs::path existing = folder;
    while (!fs::exists(fs::symlink_status(existing, ec))) {
        fs::path parent = existing.parent_path();
        if (parent.empty()) parent = ".";
        if (parent == existing) break;
        existing = parent;
    }
    const bool folder_exists = existing == folder && fs::is_directory(existing, ec);
    const std::string problem = folder_exists ? cat("cannot write in folder ", folder.string())
                                              : cat("cannot create folder ", folder.string());
    if (!fs::is_directory(existing, ec))
        throw invalid_input(cat("output ", target.string(), ": ", problem, ": ", existing.string(), " is ",
                                fs::exists(existing, ec) ? "a file, not a folder" : "missing"));
    if (const int error = probe_folder(existing, name); error != 0)
        throw invalid_input(cat("output ", target.string(), ": ", problem, folder_exists ? "" : cat(" in ", existing.string()),
                                " (", std::strerror(error), ")"));
}

result_set read_netcdf4(const fs::path& path) {
    check_is_hdf5(path);
    try {
        return read_file(path);
    } catch (const io_error& e) {
        throw io_error(path.string() + ": " + e.what());
    }
}

file_summary read_summary(const fs::path& path) {
    check_is_hdf5(path);
    h5::handle file = h5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + path.string());
    file_summary out;
    for (const auto& name : attribute_names(file)) {
        h5::handle attr = h5::attribute(H5Aopen(file, name.c_str(), H5P_DEFAULT), "open file attribute " + name);
        out.attributes.emplace_back(name, attribute_as_text(attr, "read file attribute " + name));
    }
    for (const auto& name : link_names(file)) {
        if (H5Oexists_by_name(file, name.c_str(), H5P_DEFAULT) <= 0) continue;
        H5O_info_t oinfo;
        h5::check_status(H5Oget_info_by_name2(file, name.c_str(), &oinfo, H5O_INFO_BASIC, H5P_DEFAULT), "inspect " + name);
        if (oinfo.type != H5O_TYPE_DATASET) continue;
        h5::handle ds = h5::dataset(H5Dopen2(file, name.c_str(), H5P_DEFAULT), "open " + name);
        const auto shape = shape_of(ds, "shape of " + name);
        h5::handle type = h5::datatype(H5Dget_type(ds), "type of " + name);
        const bool vlen_text = H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0;
        if (H5DSis_scale(ds) > 0) {
            file_summary::dimension d{name, shape.rank == 1 ? shape.dims[0] : 0, {}};
            if (vlen_text && d.size > 0) {
                // Only the first labels are shown: read a hyperslab, not a sweep's thousands.
                const hsize_t start = 0, count = std::min<hsize_t>(d.size, 6);
                h5::handle file_space = h5::dataspace(H5Dget_space(ds), "shape of " + name);
                h5::check_status(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, &start, nullptr, &count, nullptr), "select labels of " + name);
                h5::handle memory_space = h5::dataspace(H5Screate_simple(1, &count, nullptr), "labels of " + name);
                h5::handle memory_type = h5::vlen_utf8_type();
                std::vector<char*> labels(count, nullptr);
                h5::check_status(H5Dread(ds, memory_type, memory_space, file_space, H5P_DEFAULT, labels.data()), "read " + name);
                for (const char* l : labels) d.first_labels.emplace_back(l ? l : "");
                H5Dvlen_reclaim(memory_type, memory_space, H5P_DEFAULT, labels.data());
            } else if (H5Tget_class(type) == H5T_INTEGER && d.size > 0) {
                std::vector<std::int64_t> values(d.size);
                h5::check_status(H5Dread(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read " + name);
                d.first_labels.push_back(std::to_string(values.front()));
                if (values.size() > 1) d.first_labels.push_back(std::to_string(values.back()));
            }
            out.dimensions.push_back(std::move(d));
            continue;
        }
        file_summary::variable v{name, scale_names(ds, shape.rank), {}, {}, vlen_text};
        for (auto& d : v.dims)
            if (d.empty()) d = "?";
        if (H5Aexists(ds, "units") > 0) {
            h5::handle attr = h5::attribute(H5Aopen(ds, "units", H5P_DEFAULT), "open units of " + name);
            v.units = attribute_as_text(attr, "units of " + name);
        }
        if (H5Aexists(ds, "long_name") > 0) {
            h5::handle attr = h5::attribute(H5Aopen(ds, "long_name", H5P_DEFAULT), "open long_name of " + name);
            v.long_name = attribute_as_text(attr, "long_name of " + name);
        }
        out.variables.push_back(std::move(v));
    }
    return out;
}

}  // namespace integra::sim
