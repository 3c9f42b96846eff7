// The one number parser of the MRIO readers (pymrio folders, EXIOBASE, Eora, ICIO, WIOD):
// std::from_chars on the field, so the same text means the same number in every reader.
// Accepted: decimal numbers in fixed or scientific notation, an optional leading '+' or
// '-', subnormals; spaces around the field and a trailing '\r' are trimmed. Refused:
// empty fields, hexadecimal ("0x1p3"), inf and nan, and numbers a double cannot hold
// ("1e400", or a nonzero "1e-400" that would become 0), the last with its own message.
#pragma once

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <system_error>

#include "core/text.hpp"
#include "sim/data/csv_table.hpp"

namespace integra::sim {

enum class mrio_number { ok, malformed, out_of_range };

/// Parses all of `text` (trimmed) into `value`.
[[nodiscard]] inline mrio_number parse_mrio_number(std::string_view text, double& value) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    if (text.empty()) return mrio_number::malformed;
    const char* begin = text.data();
    const char* end = begin + text.size();
    if (*begin == '+') {
        ++begin;
        if (begin == end || *begin == '-' || *begin == '+') return mrio_number::malformed;
    }
    // from_chars takes "inf", "nan" and (with chars_format::hex only) hexadecimal; general
    // stops at the 'x' of "0x1p3", which leaves text unread.
    double v = 0.0;
    const auto [stop, ec] = std::from_chars(begin, end, v, std::chars_format::general);
    if (stop != end) return mrio_number::malformed;
    if (ec == std::errc::result_out_of_range) return mrio_number::out_of_range;
    if (ec != std::errc{} || !std::isfinite(v)) return mrio_number::malformed;
    value = v;
    return mrio_number::ok;
}

/// The message of a refused field: "malformed number 'x' (expected a finite number)" or
/// "number 'x' is out of the range of a double (...)".
[[nodiscard]] inline std::string mrio_number_problem(std::string_view text, mrio_number status) {
    if (status == mrio_number::out_of_range)
        return cat("number '", quoted_text(std::string(text)),
                   "' is out of the range of a double (magnitude above 1.8e308, or nonzero below 4.9e-324)");
    return cat("malformed number '", quoted_text(std::string(text)), "' (expected a finite number)");
}

}  // namespace integra::sim
