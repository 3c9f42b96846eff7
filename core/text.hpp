// Building messages without std::format (GCC 12 has no <format>): cat(...) streams its
// arguments, printing doubles with 6 significant digits, as in "got 1.0312";
// number_text(v, digits) prints one number with the significant digits a message needs;
// edit_distance ranks the "did you mean" suggestions.
#pragma once

#include <algorithm>
#include <cstddef>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

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

/// The Levenshtein distance between `a` and `b`: the fewest insertions, deletions and
/// substitutions of one character that turn one into the other (one row of the dynamic
/// programme, O(|a| |b|) time).
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

}  // namespace integra
