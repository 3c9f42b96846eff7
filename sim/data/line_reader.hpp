// The line loop every MRIO text reader shares: std::getline, the line counted (from 1),
// a UTF-8 byte-order mark at the start of the file and a '\r' at the end of a line removed.
#pragma once

#include <cstddef>
#include <istream>
#include <string>

namespace integra::sim {

class line_reader {
public:
    explicit line_reader(std::istream& in) : in_(in) {}
    /// The next line into `line`; false at the end (then `line` is empty). With skip_blank,
    /// empty lines are passed over (and still counted).
    bool next(std::string& line, bool skip_blank = false) {
        while (std::getline(in_, line)) {
            ++number_;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (number_ == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
            if (skip_blank && line.empty()) continue;
            return true;
        }
        line.clear();
        return false;
    }
    /// The line number of the last line read (0 before the first).
    [[nodiscard]] std::size_t number() const { return number_; }

private:
    std::istream& in_;
    std::size_t number_ = 0;
};

}  // namespace integra::sim
