#include "sim/io/h5.hpp"

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

}  // namespace integra::sim::h5
