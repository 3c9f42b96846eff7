// Building messages without std::format (GCC 12 has no <format>): cat(...) streams its
// arguments, printing doubles with 6 significant digits, as in "got 1.0312";
// number_text(v, digits) prints one number with the significant digits a message needs.
#pragma once

#include <sstream>
#include <string>

namespace integra {

template <class... Args>
std::string cat(const Args&... args) {
    std::ostringstream s;
    s.precision(6);
    (s << ... << args);
    return s.str();
}

/// `value` with `digits` significant digits (shortest form, like printf's %g).
inline std::string number_text(double value, int digits = 10) {
    std::ostringstream s;
    s.precision(digits);
    s << value;
    return s.str();
}

}  // namespace integra
