// Thin RAII over the HDF5 C API: move-only handles whose destructors never throw, and a
// check() that turns a failed call into an io_error carrying HDF5's own error stack.
// The only header (with h5.cpp and netcdf_file.cpp) that includes <hdf5.h>.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace integra::sim::h5 {

/// Throws io_error("<what>: <HDF5 error stack>") if `id` is negative; returns it otherwise.
hid_t check(hid_t id, const std::string& what);
/// Throws io_error if `status` is negative (herr_t and htri_t calls).
herr_t check_status(herr_t status, const std::string& what);

/// Stops HDF5 printing its error stack to stderr; check() reads it instead. Idempotent.
void silence_error_printing();

/// An owned HDF5 identifier of one kind (file, group, dataset, dataspace, type, plist, attribute).
class handle {
public:
    using closer = herr_t (*)(hid_t);
    handle() = default;
    handle(hid_t id, closer close_function) : id_(id), close_(close_function) {}
    handle(const handle&) = delete;
    handle& operator=(const handle&) = delete;
    handle(handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), close_(other.close_) {}
    handle& operator=(handle&& other) noexcept {
        if (this != &other) {
            reset();
            id_ = std::exchange(other.id_, H5I_INVALID_HID);
            close_ = other.close_;
        }
        return *this;
    }
    ~handle() { reset(); }
    [[nodiscard]] hid_t get() const { return id_; }
    operator hid_t() const { return id_; }  // NOLINT: handles pass straight to the C API
    void reset() noexcept {
        if (id_ >= 0 && close_) close_(id_);
        id_ = H5I_INVALID_HID;
    }
    /// Closes now and reports failure (the destructor cannot).
    void close(const std::string& what) {
        if (id_ >= 0) {
            const hid_t id = std::exchange(id_, H5I_INVALID_HID);
            check_status(close_(id), what);
        }
    }

private:
    hid_t id_ = H5I_INVALID_HID;
    closer close_ = nullptr;
};

inline handle file(hid_t id, const std::string& what) { return {check(id, what), H5Fclose}; }
inline handle group(hid_t id, const std::string& what) { return {check(id, what), H5Gclose}; }
inline handle dataset(hid_t id, const std::string& what) { return {check(id, what), H5Dclose}; }
inline handle dataspace(hid_t id, const std::string& what) { return {check(id, what), H5Sclose}; }
inline handle datatype(hid_t id, const std::string& what) { return {check(id, what), H5Tclose}; }
inline handle plist(hid_t id, const std::string& what) { return {check(id, what), H5Pclose}; }
inline handle attribute(hid_t id, const std::string& what) { return {check(id, what), H5Aclose}; }

/// Variable-length UTF-8 string type (what netCDF-4 and xarray read as str).
handle vlen_utf8_type();

/// Writes `values` into `dataset` (of variable-length string type) as UTF-8.
void write_strings(hid_t dataset, const std::vector<std::string>& values, const std::string& what);
/// Reads all of a variable-length string dataset; a null string reads as "".
[[nodiscard]] std::vector<std::string> read_strings(hid_t dataset, const std::string& what);

/// A scalar text attribute in netCDF's NC_CHAR style: fixed-size, null-terminated UTF-8.
void write_text_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, std::int64_t value);  ///< 64-bit integer
void write_attribute(hid_t object, const std::string& name, double value);        ///< float64

/// The value of a scalar attribute: text (fixed-size or variable-length strings), an
/// integer (as int64) or a floating-point number (as double). Throws io_error for arrays
/// and other types.
[[nodiscard]] std::variant<std::string, std::int64_t, double> read_attribute(hid_t attribute, const std::string& what);
/// A text attribute of `object`, or nullopt if it has none of that name.
[[nodiscard]] std::optional<std::string> text_attribute(hid_t object, const std::string& name);

/// The object's path in its file without the leading '/', e.g. "region".
[[nodiscard]] std::string object_name(hid_t object);

}  // namespace integra::sim::h5
