// A list of problems found while validating input. Validation appends every problem it
// finds, so that the user sees all of them at once (GROMACS developer manual,
// "collect all issues, then report"); the boundary then throws one exception.
#pragma once

#include <string>
#include <vector>

namespace integra {

/// One problem: where it is (a file:line:col, a key, or a data location such as
/// "flows[BRA/agriculture, ARG/services]") and what is wrong, with the value and what
/// was expected.
struct issue {
    std::string where;
    std::string message;
};

/// Memory and output are bounded: every problem is counted, the first `max_stored` are
/// kept (a 1 MiB scenario of unknown keys stays cheap), and report() lists the first
/// `max_reported` of them, then "... and N more problem(s)".
class issues {
public:
    static constexpr std::size_t max_stored = 1000;   ///< problems kept with their text
    static constexpr std::size_t max_reported = 50;   ///< problems listed by report()

    void add(std::string where, std::string message) {
        if (list_.size() < max_stored) list_.push_back({std::move(where), std::move(message)});
        ++count_;
    }
    void append(const issues& other) {
        for (const auto& i : other.list_) {
            if (list_.size() >= max_stored) break;
            list_.push_back(i);
        }
        count_ += other.count_;
    }
    [[nodiscard]] bool empty() const { return count_ == 0; }
    /// Every problem counted, including those beyond max_stored.
    [[nodiscard]] std::size_t size() const { return count_; }
    /// True when further problems are only counted: callers may skip composing messages.
    [[nodiscard]] bool full() const { return list_.size() >= max_stored; }
    /// The problems kept (at most max_stored).
    [[nodiscard]] const std::vector<issue>& list() const { return list_; }

    /// "N problem(s)" followed by one indented "where: message" line per problem, at most
    /// max_reported of them, then "... and M more problem(s)".
    [[nodiscard]] std::string report(const std::string& subject) const {
        std::string out = subject + ": " + std::to_string(count_) + " problem(s)";
        const std::size_t shown = list_.size() < max_reported ? list_.size() : max_reported;
        for (std::size_t k = 0; k < shown; ++k) out += "\n  " + list_[k].where + ": " + list_[k].message;
        if (count_ > shown) out += "\n  ... and " + std::to_string(count_ - shown) + " more problem(s)";
        return out;
    }

    /// Throws E with report(subject) if any problem was recorded.
    template <class E>
    void throw_if_any(const std::string& subject) const {
        if (count_ != 0) throw E(report(subject));
    }

private:
    std::vector<issue> list_;
    std::size_t count_ = 0;
};

}  // namespace integra
