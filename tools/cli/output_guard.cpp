#include "tools/cli/output_guard.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <sstream>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/io/netcdf_file.hpp"

namespace integra::cli {
namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::map<std::string, std::string> canonical(const std::vector<std::string>& assignments) {
    std::map<std::string, std::string> out;
    for (const auto& a : assignments) {
        const auto eq = a.find('=');
        out[trim(a.substr(0, eq))] = eq == std::string::npos ? std::string() : trim(a.substr(eq + 1));
    }
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// "line 12: the file has `a = 1`, this run `a = 2`"
std::string first_difference(const std::string& in_file, const std::string& wanted) {
    const auto a = lines_of(in_file), b = lines_of(wanted);
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
        const std::string x = i < a.size() ? a[i] : "(end)", y = i < b.size() ? b[i] : "(end)";
        if (x != y) return cat("line ", i + 1, ": the file has `", x, "`, this run `", y, "`");
    }
    return {};
}

}  // namespace

std::string variant_tag(const std::vector<std::string>& sets, const std::vector<std::string>& varies) {
    if (sets.empty() && varies.empty()) return {};
    std::string text;
    for (const auto& [k, v] : canonical(sets)) text += k + "=" + v + "\n";
    for (const auto& [k, v] : canonical(varies)) text += "vary " + k + "=" + v + "\n";
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, 64 bits
    for (const unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return "set-" + std::string(hex, 8);
}

std::filesystem::path default_output(const std::string& stem, const std::string& tag, const std::string& suffix) {
    return std::filesystem::path("results") / (stem + (tag.empty() ? "" : "." + tag) + suffix);
}

existing_output inspect_output(const std::filesystem::path& target,
                               const std::vector<std::pair<std::string, std::string>>& identity) {
    existing_output e;
    std::error_code ec;
    if (!std::filesystem::exists(target, ec)) return e;
    std::vector<std::pair<std::string, std::string>> attributes;
    try {
        attributes = sim::read_summary(target).attributes;
    } catch (const std::exception&) {
        e.what = existing_output::state::unreadable;
        return e;
    }
    auto attribute = [&](const std::string& name) -> const std::string* {
        for (const auto& [n, v] : attributes)
            if (n == name) return &v;
        return nullptr;
    };
    const std::string* end = attribute("end_time");
    const std::string* history = attribute("history");
    if (history) {
        // "2026-11-29T12:00:00Z: integra run s.toml"
        const auto colon = history->find(": ");
        e.made = colon == std::string::npos ? *history : history->substr(0, colon) + " by `" + history->substr(colon + 2) + "`";
    } else if (end) {
        e.made = *end;
    }
    e.what = existing_output::state::same;
    for (const auto& [name, expected] : identity) {
        const std::string* held = attribute(name);
        if (!held) {
            e.what = existing_output::state::unreadable;
            return e;
        }
        if (*held != expected) {
            e.what = existing_output::state::different;
            e.difference = cat(name, " ", first_difference(*held, expected));
            return e;
        }
    }
    return e;
}

void refuse_to_replace(const std::filesystem::path& target, const existing_output& existing) {
    const std::string how = cat("keep it and name the new result with -o NEW.h5, or replace it with --force");
    if (existing.what == existing_output::state::different)
        throw invalid_input(cat(target.string(), ": holds the result of a different scenario",
                                existing.made.empty() ? std::string() : " (made " + existing.made + ")",
                                existing.difference.empty() ? std::string() : "; " + existing.difference, "; not replaced: ", how));
    if (existing.what == existing_output::state::unreadable)
        throw invalid_input(cat(target.string(), ": exists but is not an Integra result (no readable scenario attribute); "
                                                 "not replaced: ", how));
}

std::string what_was_done(const std::filesystem::path& target, const existing_output& existing) {
    switch (existing.what) {
        case existing_output::state::absent: return "wrote " + target.string();
        case existing_output::state::same: return "replaced " + target.string() + " (same scenario)";
        case existing_output::state::different: return "replaced " + target.string() + " (it held a different scenario)";
        case existing_output::state::unreadable: return "replaced " + target.string() + " (it was not a readable Integra result)";
    }
    return "wrote " + target.string();
}

}  // namespace integra::cli
