#include "sim/io/h5.hpp"

#include <algorithm>

#include "core/errors.hpp"

namespace integra::sim::h5 {
namespace {

herr_t collect(unsigned n, const H5E_error2_t* e, void* out) {
    auto& text = *static_cast<std::string*>(out);
    text += (n == 0 ? "" : "; ");
    text += e->desc ? e->desc : "(no description)";
    if (e->func_name) text += std::string(" [") + e->func_name + "]";
    return 0;
}

std::string error_stack() {
    std::string text;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect, &text);
    H5Eclear2(H5E_DEFAULT);
    return text.empty() ? "no HDF5 error message" : text;
}

// Frees the strings HDF5 allocated for a variable-length read, whatever happens next.
class vlen_buffer {
public:
    vlen_buffer(hid_t type, hid_t space, std::size_t n) : type_(type), space_(space), pointers_(n, nullptr) {}
    vlen_buffer(const vlen_buffer&) = delete;
    vlen_buffer& operator=(const vlen_buffer&) = delete;
    ~vlen_buffer() {
        if (!pointers_.empty()) H5Dvlen_reclaim(type_, space_, H5P_DEFAULT, pointers_.data());
    }
    [[nodiscard]] char** data() { return pointers_.data(); }
    [[nodiscard]] const std::vector<char*>& pointers() const { return pointers_; }

private:
    hid_t type_;
    hid_t space_;
    std::vector<char*> pointers_;
};

}  // namespace

void silence_error_printing() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

hid_t check(hid_t id, const std::string& what) {
    if (id < 0) throw io_error(what + ": " + error_stack());
    return id;
}

herr_t check_status(herr_t status, const std::string& what) {
    if (status < 0) throw io_error(what + ": " + error_stack());
    return status;
}

handle vlen_utf8_type() {
    handle t = datatype(H5Tcopy(H5T_C_S1), "copy string type");
    check_status(H5Tset_size(t, H5T_VARIABLE), "make string type variable-length");
    check_status(H5Tset_cset(t, H5T_CSET_UTF8), "make string type UTF-8");
    return t;
}

void write_strings(hid_t dataset, const std::vector<std::string>& values, const std::string& what) {
    if (values.empty()) return;
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const auto& v : values) pointers.push_back(v.c_str());
    handle type = vlen_utf8_type();
    check_status(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), what);
}

std::vector<std::string> read_strings(hid_t dataset, const std::string& what) {
    handle space = dataspace(H5Dget_space(dataset), what);
    const hssize_t n = H5Sget_simple_extent_npoints(space);
    if (n < 0) check_status(static_cast<herr_t>(n), what);
    std::vector<std::string> out;
    if (n == 0) return out;
    handle type = vlen_utf8_type();
    vlen_buffer buffer(type, space, static_cast<std::size_t>(n));
    check_status(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), what);
    out.reserve(static_cast<std::size_t>(n));
    for (const char* p : buffer.pointers()) out.emplace_back(p ? p : "");
    return out;
}

void write_text_attribute(hid_t object, const std::string& name, const std::string& value) {
    const std::string what = "write attribute '" + name + "'";
    handle type = datatype(H5Tcopy(H5T_C_S1), what);
    check_status(H5Tset_size(type, std::max<std::size_t>(value.size(), 1)), what);
    check_status(H5Tset_strpad(type, H5T_STR_NULLTERM), what);
    check_status(H5Tset_cset(type, H5T_CSET_UTF8), what);
    handle space = dataspace(H5Screate(H5S_SCALAR), what);
    handle attr = attribute(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), what);
    const std::string padded = value.empty() ? std::string(1, '\0') : value;
    check_status(H5Awrite(attr, type, padded.data()), what);
}

namespace {

template <class T>
void write_scalar_attribute(hid_t object, const std::string& name, T value, hid_t file_type, hid_t memory_type) {
    const std::string what = "write attribute '" + name + "'";
    handle space = dataspace(H5Screate(H5S_SCALAR), what);
    handle attr = attribute(H5Acreate2(object, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT), what);
    check_status(H5Awrite(attr, memory_type, &value), what);
}

}  // namespace

void write_attribute(hid_t object, const std::string& name, std::int64_t value) {
    write_scalar_attribute(object, name, value, H5T_STD_I64LE, H5T_NATIVE_INT64);
}

void write_attribute(hid_t object, const std::string& name, double value) {
    write_scalar_attribute(object, name, value, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
}

std::variant<std::string, std::int64_t, double> read_attribute(hid_t attr, const std::string& what) {
    handle space = dataspace(H5Aget_space(attr), what);
    if (H5Sget_simple_extent_npoints(space) != 1) throw io_error(what + ": expected a single value, got an array");
    handle type = datatype(H5Aget_type(attr), what);
    switch (H5Tget_class(type)) {
        case H5T_STRING: {
            if (H5Tis_variable_str(type) > 0) {
                handle memory = vlen_utf8_type();
                vlen_buffer value(memory, space, 1);
                check_status(H5Aread(attr, memory, value.data()), what);
                return std::string(value.pointers()[0] ? value.pointers()[0] : "");
            }
            std::string out(H5Tget_size(type), '\0');
            check_status(H5Aread(attr, type, out.data()), what);
            return out.substr(0, out.find('\0'));
        }
        case H5T_INTEGER: {
            std::int64_t v = 0;
            check_status(H5Aread(attr, H5T_NATIVE_INT64, &v), what);
            return v;
        }
        case H5T_FLOAT: {
            double v = 0;
            check_status(H5Aread(attr, H5T_NATIVE_DOUBLE, &v), what);
            return v;
        }
        default:
            throw io_error(what + ": expected text or a number, got another HDF5 type");
    }
}

std::optional<std::string> text_attribute(hid_t object, const std::string& name) {
    const std::string what = "attribute '" + name + "'";
    if (check_status(H5Aexists(object, name.c_str()), "look for " + what) == 0) return std::nullopt;
    handle attr = attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), "open " + what);
    auto value = read_attribute(attr, what);
    if (auto* text = std::get_if<std::string>(&value)) return std::move(*text);
    throw io_error(what + ": expected text, got a number");
}

std::string object_name(hid_t object) {
    const ssize_t n = H5Iget_name(object, nullptr, 0);
    if (n < 0) check_status(static_cast<herr_t>(n), "name of an HDF5 object");
    std::string name(static_cast<std::size_t>(n) + 1, '\0');
    if (H5Iget_name(object, name.data(), name.size()) < 0) check_status(-1, "name of an HDF5 object");
    name.resize(static_cast<std::size_t>(n));
    return name.size() > 0 && name[0] == '/' ? name.substr(1) : name;
}

}  // namespace integra::sim::h5
