// Building messages without std::format (GCC 12 has no <format>): cat(...) streams its
// arguments, printing doubles with 6 significant digits, as in "got 1.0312".
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

}  // namespace integra
