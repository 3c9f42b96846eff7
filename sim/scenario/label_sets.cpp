#include "sim/scenario/label_sets.hpp"

#include <algorithm>
#include <set>

#include "core/text.hpp"

namespace integra::sim {
namespace {

std::string trim(std::string s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    return s;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

}  // namespace

std::vector<std::size_t> resolve(const label_set& set, const std::vector<std::string>& labels, const named_groups& groups,
                                 const std::string& what, issues& out) {
    std::set<std::size_t> result;
    const std::string& expr = set.expression;
    char op = '+';
    bool ok = true;
    std::size_t i = 0;
    while (true) {
        const std::size_t j = expr.find_first_of("+-", i);
        const std::string term = trim(expr.substr(i, j == std::string::npos ? std::string::npos : j - i));
        std::vector<std::size_t> members;
        if (term == "all") {
            for (std::size_t r = 0; r < labels.size(); ++r) members.push_back(r);
        } else if (auto g = groups.find(term); g != groups.end()) {
            for (const auto& m : g->second)
                if (auto it = std::find(labels.begin(), labels.end(), m); it != labels.end())
                    members.push_back(static_cast<std::size_t>(it - labels.begin()));
        } else if (auto it = std::find(labels.begin(), labels.end(), term); it != labels.end()) {
            members.push_back(static_cast<std::size_t>(it - labels.begin()));
        } else {
            std::vector<std::string> group_names;
            for (const auto& [name, _] : groups) group_names.push_back(name);
            out.add(set.at.str(),
                    cat("key '", set.key, "': unknown ", what, " or group '", term, "' in \"", expr, "\"; expected ",
                        what, "s ", join(labels), group_names.empty() ? std::string(" or \"all\"")
                                                                      : cat(", groups ", join(group_names), " or \"all\"")));
            ok = false;
        }
        for (auto m : members) {
            if (op == '+') result.insert(m);
            else result.erase(m);
        }
        if (j == std::string::npos) break;
        op = expr[j];
        i = j + 1;
    }
    if (!ok) return {};
    if (result.empty()) out.add(set.at.str(), cat("key '", set.key, "': \"", expr, "\" selects no ", what));
    return {result.begin(), result.end()};
}

}  // namespace integra::sim
