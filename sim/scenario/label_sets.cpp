#include "sim/scenario/label_sets.hpp"

#include <algorithm>
#include <cctype>
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

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool equal_ignoring_case(const std::string& a, const std::string& b) { return lower(a) == lower(b); }

// The letters of `term` appear in `name` in order, the first one first ("brz" in "brazil").
bool abbreviates(const std::string& term, const std::string& name) {
    if (term.empty() || name.empty() || term.front() != name.front()) return false;
    std::size_t k = 0;
    for (char c : name)
        if (k < term.size() && c == term[k]) ++k;
    return k == term.size();
}

}  // namespace

std::string suggestion(const std::string& term, const std::vector<std::string>& labels,
                       const std::vector<std::string>& names, const std::vector<std::string>& groups) {
    const std::string t = lower(term);
    if (t.empty()) return {};
    const std::size_t limit = t.size() <= 4 ? 1 : 2;
    struct candidate {
        std::string text;  // as suggested
        std::size_t distance;
        bool abbreviation;  // the term abbreviates its long name
    };
    std::vector<candidate> found;
    auto consider = [&](const std::string& label, const std::string& name) {
        const std::string n = lower(name);
        if (const std::size_t d = n.empty() ? limit + 1 : edit_distance(t, n); d == 0 || (t.size() > 4 && d <= limit)) {
            found.push_back({cat(label, " (", name, ")"), d, true});  // a long name, or close to one
            return;
        }
        const std::size_t d = edit_distance(t, lower(label));
        if (d <= limit) found.push_back({label, d, abbreviates(t, n)});
    };
    for (std::size_t i = 0; i < labels.size(); ++i) consider(labels[i], i < names.size() ? names[i] : std::string());
    for (const auto& g : groups) consider(g, {});
    consider("all", {});
    if (found.empty()) return {};
    const auto best = std::min_element(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.distance != b.distance ? a.distance < b.distance : a.abbreviation > b.abbreviation;
    });
    std::vector<std::string> ties;
    for (const auto& c : found)
        if (c.distance == best->distance && c.abbreviation == best->abbreviation &&
            std::find(ties.begin(), ties.end(), c.text) == ties.end())
            ties.push_back(c.text);
    std::string text;
    for (std::size_t i = 0; i < ties.size() && i < 3; ++i) text += (i == 0 ? "" : i + 1 == std::min<std::size_t>(ties.size(), 3) ? " or " : ", ") + ties[i];
    return cat(" (did you mean ", text, "?)");
}

std::vector<std::size_t> resolve(const label_set& set, const std::vector<std::string>& labels, const named_groups& groups,
                                 const std::string& what, issues& out, const std::vector<std::string>& names) {
    std::set<std::size_t> result;
    const std::string& expr = set.expression;
    char op = '+';
    bool ok = true;
    std::size_t i = 0;
    while (true) {
        const std::size_t j = expr.find_first_of("+-", i);
        const std::string term = trim(expr.substr(i, j == std::string::npos ? std::string::npos : j - i));
        std::vector<std::size_t> members;
        // A label, then a group in any case: a label wins over a group that differs from it only in case.
        const auto label = std::find(labels.begin(), labels.end(), term);
        auto group = groups.find(term);
        if (group == groups.end() && label == labels.end())
            group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return equal_ignoring_case(g.first, term); });
        if (term == "all") {
            for (std::size_t r = 0; r < labels.size(); ++r) members.push_back(r);
        } else if (group != groups.end()) {
            for (const auto& m : group->second)
                if (auto it = std::find(labels.begin(), labels.end(), m); it != labels.end())
                    members.push_back(static_cast<std::size_t>(it - labels.begin()));
        } else if (label != labels.end()) {
            members.push_back(static_cast<std::size_t>(label - labels.begin()));
        } else {
            std::vector<std::string> group_names;
            for (const auto& [name, _] : groups) group_names.push_back(name);
            out.add(set.at.str(),
                    cat("key '", set.key, "': unknown ", what, " or group '", term, "' in \"", expr, "\"",
                        suggestion(term, labels, names, group_names), "; expected ",
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
