// Integra's error types: a flat hierarchy thrown at boundaries (house style).
//
// invalid_input      the input cannot be parsed or understood (bad TOML, unknown key)
//   dataset_not_found  a dataset name or folder that does not exist
// inconsistent_input parsed, but contradicts itself or the data (unbalanced table)
// numerical_error    a computation failed (no convergence, NaN); says iteration and residual
// io_error           reading or writing a file failed; says which file and why
// internal_error     a bug in Integra; the message ends with "this is a bug in integra"
#pragma once

#include <stdexcept>
#include <string>

namespace integra {

struct error : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct invalid_input : error {
    using error::error;
};
struct dataset_not_found : invalid_input {
    using invalid_input::invalid_input;
};
struct inconsistent_input : error {
    using error::error;
};
struct numerical_error : error {
    using error::error;
};
struct io_error : error {
    using error::error;
};
struct internal_error : std::logic_error {
    explicit internal_error(const std::string& what)
        : std::logic_error(what + " (this is a bug in integra)") {}
};

}  // namespace integra
