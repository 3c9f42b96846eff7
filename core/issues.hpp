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

class issues {
public:
    void add(std::string where, std::string message) {
        list_.push_back({std::move(where), std::move(message)});
    }
    void append(const issues& other) { list_.insert(list_.end(), other.list_.begin(), other.list_.end()); }
    [[nodiscard]] bool empty() const { return list_.empty(); }
    [[nodiscard]] std::size_t size() const { return list_.size(); }
    [[nodiscard]] const std::vector<issue>& list() const { return list_; }

    /// "N problem(s)" followed by one indented "where: message" line per problem.
    [[nodiscard]] std::string report(const std::string& subject) const {
        std::string out = subject + ": " + std::to_string(list_.size()) + " problem(s)";
        for (const auto& i : list_) out += "\n  " + i.where + ": " + i.message;
        return out;
    }

    /// Throws E with report(subject) if any problem was recorded.
    template <class E>
    void throw_if_any(const std::string& subject) const {
        if (!list_.empty()) throw E(report(subject));
    }

private:
    std::vector<issue> list_;
};

}  // namespace integra
