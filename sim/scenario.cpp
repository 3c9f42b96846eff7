#include "sim/scenario.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "models/errors.hpp"
#include "models/text.hpp"

namespace integra::sim {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view override_prefix = "--set ";

source_position position_of(const toml::source_region& src) {
    source_position p;
    if (src.path) p.file = *src.path;
    p.line = static_cast<int>(src.begin.line);
    p.column = static_cast<int>(src.begin.column);
    return p;
}

std::string type_name(const toml::node& n) {
    switch (n.type()) {
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a number";
        case toml::node_type::boolean: return "a boolean";
        case toml::node_type::table: return "a table";
        case toml::node_type::array: return "an array";
        default: return "a date or time";
    }
}

std::string show(const toml::node& n) {
    if (n.is_table()) return "a table";
    if (n.is_array()) return "an array";
    std::ostringstream s;
    n.visit([&](const auto& v) { s << v; });
    return s.str() + " (" + type_name(n) + ")";
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
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

// Reads typed values out of one TOML table, remembering which keys it was asked for, so
// that every other key can be reported as unknown.
class table_reader {
public:
    table_reader(const toml::table& table, std::string path, issues& out)
        : table_(table), path_(std::move(path)), out_(out) {}

    std::string key_path(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }

    const toml::node* node(std::string_view key) {
        known_.insert(std::string(key));
        return table_.get(key);
    }

    void problem(const toml::node& n, std::string_view key, const std::string& message) {
        out_.add(position_of(n.source()).str(), cat("key '", key_path(key), "': ", message));
    }

    std::optional<std::string> text(std::string_view key, const std::string& expected) {
        const toml::node* n = node(key);
        if (!n) return std::nullopt;
        if (auto v = n->value_exact<std::string>()) return *v;
        problem(*n, key, cat("expected ", expected, ", got ", show(*n)));
        return std::nullopt;
    }

    std::optional<int> integer(std::string_view key, const std::string& expected, int min, int max) {
        const toml::node* n = node(key);
        if (!n) return std::nullopt;
        const auto v = n->value_exact<int64_t>();
        if (!v) {
            problem(*n, key, cat("expected ", expected, ", got ", show(*n)));
            return std::nullopt;
        }
        if (*v < min || *v > max) {
            problem(*n, key, cat("expected ", expected, " in [", min, ", ", max, "], got ", *v));
            return std::nullopt;
        }
        return static_cast<int>(*v);
    }

    /// A number strictly above `above` (integers are accepted as numbers).
    std::optional<double> number(std::string_view key, const std::string& expected, double above) {
        const toml::node* n = node(key);
        if (!n) return std::nullopt;
        std::optional<double> v;
        if (auto f = n->value_exact<double>()) v = *f;
        else if (auto i = n->value_exact<int64_t>()) v = static_cast<double>(*i);
        if (!v) {
            problem(*n, key, cat("expected ", expected, ", got ", show(*n)));
            return std::nullopt;
        }
        if (!(*v > above) || !std::isfinite(*v)) {
            problem(*n, key, cat("expected ", expected, " (a number > ", above, "), got ", *v));
            return std::nullopt;
        }
        return v;
    }

    const toml::table* table(std::string_view key) {
        const toml::node* n = node(key);
        if (!n) return nullptr;
        if (const auto* t = n->as_table()) return t;
        problem(*n, key, cat("expected a table ([", key_path(key), "]), got ", show(*n)));
        return nullptr;
    }

    const toml::array* array_of_tables(std::string_view key) {
        const toml::node* n = node(key);
        if (!n) return nullptr;
        const auto* a = n->as_array();
        if (a && a->is_array_of_tables()) return a;
        problem(*n, key, cat("expected an array of tables ([[", key_path(key), "]]), got ", show(*n)));
        return nullptr;
    }

    /// Reports every key that no accessor asked for, with the closest known key.
    void report_unknown_keys() {
        for (const auto& [key, value] : table_) {
            const std::string k(key.str());
            if (known_.count(k)) continue;
            std::string best;
            std::size_t best_distance = 3;
            for (const auto& candidate : known_)
                if (const auto d = edit_distance(k, candidate); d < best_distance) {
                    best_distance = d;
                    best = candidate;
                }
            std::string expected;
            for (const auto& candidate : known_) expected += (expected.empty() ? "" : ", ") + candidate;
            out_.add(position_of(key.source().path ? key.source() : value.source()).str(),
                     cat("unknown key '", key_path(k), "'",
                         best.empty() ? "" : cat(" (did you mean '", key_path(best), "'?)"),
                         "; expected one of: ", expected));
        }
    }

private:
    const toml::table& table_;
    std::string path_;
    issues& out_;
    std::set<std::string> known_;
};

toml::table parse_toml_file(const fs::path& file) {
    try {
        return toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        if (!fs::exists(file)) throw invalid_input(cat(file.string(), ": no such file"));
        throw invalid_input(cat(file.string(), ":", e.source().begin.line, ":", e.source().begin.column,
                                ": TOML syntax error: ", e.description()));
    }
}

// Child values replace base values, tables merge key by key, arrays are replaced whole.
// Values are moved, not copied: toml++ keeps a node's source position only when moving.
void merge_into(toml::table& base, toml::table&& child) {
    for (auto&& [key, value] : child) {
        auto* existing = base.get(key.str());
        if (existing && existing->is_table() && value.is_table())
            merge_into(*existing->as_table(), std::move(*value.as_table()));
        else
            base.insert_or_assign(key, std::move(value));
    }
}

toml::table load_with_extends(const fs::path& file, std::vector<fs::path>& chain) {
    const fs::path canonical = fs::weakly_canonical(file);
    if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
        std::string cycle;
        for (const auto& p : chain) cycle += p.string() + " -> ";
        throw invalid_input(cat(file.string(), ": 'extends' forms a cycle: ", cycle, canonical.string()));
    }
    chain.push_back(canonical);
    toml::table doc = parse_toml_file(file);
    const toml::node* ext = doc.get("extends");
    if (!ext) return doc;
    const auto base_name = ext->value_exact<std::string>();
    if (!base_name)
        throw invalid_input(cat(position_of(ext->source()).str(), ": key 'extends': expected a path to a base scenario, got ",
                                show(*ext)));
    const fs::path base_path = file.parent_path() / *base_name;
    if (!fs::exists(base_path))
        throw invalid_input(cat(position_of(ext->source()).str(), ": key 'extends': base scenario '", *base_name,
                                "' not found (looked for ", base_path.string(), ")"));
    toml::table merged = load_with_extends(base_path, chain);
    doc.erase("extends");
    merge_into(merged, std::move(doc));
    return merged;
}

// Applies "a.b.0.c=value" to the document. The value is read as TOML; if it is not valid
// TOML it is taken as a string, so that --set dataset=celac38 works unquoted.
void apply_override(toml::table& doc, const std::string& assignment, issues& out) {
    const auto eq = assignment.find('=');
    const std::string where = cat(override_prefix, assignment);
    if (eq == std::string::npos || eq == 0) {
        out.add(where, "expected key=value");
        return;
    }
    const std::string key = assignment.substr(0, eq), text = assignment.substr(eq + 1);
    toml::table parsed;
    try {
        parsed = toml::parse("value = " + text, where);
    } catch (const toml::parse_error&) {
        std::string quoted;
        for (char c : text) quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
        parsed = toml::parse("value = \"" + quoted + "\"", where);
    }
    std::vector<std::string> parts;
    std::stringstream ss(key);
    for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);
    toml::node* cursor = &doc;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        const std::string& part = parts[i];
        if (auto* t = cursor->as_table()) {
            if (!t->get(part)) t->insert(part, toml::table{});
            cursor = t->get(part);
        } else if (auto* a = cursor->as_array()) {
            const bool numeric = !part.empty() && std::all_of(part.begin(), part.end(), ::isdigit);
            const std::size_t index = numeric ? std::stoul(part) : a->size();
            if (index >= a->size()) {
                out.add(where, cat("'", part, "' is not an index of the ", a->size(), " element(s) of that array"));
                return;
            }
            cursor = a->get(index);
        } else {
            out.add(where, cat("'", part, "' is not a table or an array"));
            return;
        }
    }
    auto* target = cursor->as_table();
    if (!target) {
        out.add(where, "the key does not name a table entry");
        return;
    }
    target->insert_or_assign(parts.back(), std::move(*parsed.get("value")));
}

region_set read_region_set(table_reader& r, std::string_view key) {
    region_set set;
    set.key = r.key_path(key);
    if (const toml::node* n = r.node(key)) {
        set.at = position_of(n->source());
        if (auto v = n->value_exact<std::string>()) set.expression = *v;
        else r.problem(*n, key, cat("expected a region, a group or an expression such as \"CELAC - VEN\", got ", show(*n)));
    }
    return set;
}

final_demand_shock read_shock(const toml::table& t, const std::string& path, issues& out) {
    table_reader r(t, path, out);
    final_demand_shock s;
    s.buyers = read_region_set(r, "region");
    s.origins = read_region_set(r, "origin");
    if (const toml::node* n = r.node("sector")) s.sector_at = position_of(n->source());
    if (auto v = r.text("sector", "a sector name or \"all\"")) s.sector = *v;
    if (auto v = r.number("change", "a relative change as a fraction, e.g. 0.10 for +10%", -1.0)) s.change = *v;
    else if (!t.get("change")) out.add(position_of(t.source()).str(), cat("table '", path, "': missing required key 'change'"));
    if (const toml::node* n = r.node("start_year")) s.start_year_at = position_of(n->source());
    if (auto v = r.integer("start_year", "a calendar year", 1900, 2200)) s.start_year = *v;
    else if (!t.get("start_year")) out.add(position_of(t.source()).str(), cat("table '", path, "': missing required key 'start_year'"));
    if (auto v = r.integer("phase_in_years", "a number of years >= 0", 0, 200)) s.phase_in_years = *v;
    r.report_unknown_keys();
    if (t.get("region") == nullptr) s.buyers.at = position_of(t.source());
    if (t.get("origin") == nullptr) s.origins.at = position_of(t.source());
    return s;
}

}  // namespace

std::string source_position::str() const {
    if (file.starts_with(override_prefix)) return file;
    return cat(file.empty() ? "<scenario>" : file, ":", line, ":", column);
}

scenario_spec read_scenario(const fs::path& file, const std::vector<std::string>& overrides, issues& problems) {
    std::vector<fs::path> chain;
    toml::table doc = load_with_extends(file, chain);
    for (const auto& o : overrides) apply_override(doc, o, problems);

    scenario_spec spec;
    spec.file = file;
    spec.name = file.stem().string();
    table_reader top(doc, "", problems);
    if (auto v = top.text("name", "a name (letters, digits, '_', '-', '.')")) {
        const bool ok = !v->empty() && std::all_of(v->begin(), v->end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
        });
        if (ok) spec.name = *v;
        else top.problem(*doc.get("name"), "name", cat("expected letters, digits, '_', '-' or '.' (it names the output file), got \"", *v, "\""));
    }
    if (auto v = top.text("description", "a string")) spec.description = *v;
    if (const toml::node* n = top.node("dataset")) spec.dataset_at = position_of(n->source());
    if (auto v = top.text("dataset", "an embedded dataset name (e.g. \"celac38\") or a folder path")) spec.dataset = *v;
    else if (!doc.get("dataset")) problems.add(cat(file.string(), ":1:1"), "missing required key 'dataset' (e.g. dataset = \"demo3x2\")");

    if (const auto* h = top.table("horizon")) {
        table_reader r(*h, "horizon", problems);
        spec.years_at = position_of(h->source());
        spec.first_year = r.integer("first_year", "a calendar year", 1900, 2200);
        spec.last_year = r.integer("last_year", "a calendar year", 1900, 2200);
        if (spec.first_year && spec.last_year && *spec.last_year < *spec.first_year)
            r.problem(*h->get("last_year"), "last_year",
                      cat("must not be before horizon.first_year = ", *spec.first_year, ", got ", *spec.last_year));
        r.report_unknown_keys();
    }
    if (const auto* b = top.table("baseline")) {
        table_reader r(*b, "baseline", problems);
        if (auto v = r.number("final_demand_growth", "an annual growth rate as a fraction, e.g. 0.02", -1.0))
            spec.final_demand_growth = *v;
        r.report_unknown_keys();
    }
    if (const auto* shocks = top.array_of_tables("final_demand_shock"))
        for (std::size_t i = 0; i < shocks->size(); ++i)
            spec.final_demand_shocks.push_back(
                read_shock(*shocks->get(i)->as_table(), cat("final_demand_shock[", i, "]"), problems));
    top.report_unknown_keys();

    std::ostringstream text;
    // Basic "..." strings and shortest round-trip floats read best (0.1, not 0.1000...01).
    constexpr auto flags = (toml::toml_formatter::default_flags & ~toml::format_flags::allow_literal_strings) |
                           toml::format_flags::relaxed_float_precision;
    text << toml::toml_formatter(doc, flags);
    spec.effective_toml = text.str() + "\n";
    return spec;
}

loaded_scenario load_scenario(const fs::path& file, const std::vector<std::string>& overrides) {
    issues problems;
    loaded_scenario out{read_scenario(file, overrides, problems), {}};
    if (!out.spec.dataset.empty()) {
        try {
            out.data = load_dataset(out.spec.dataset);
        } catch (const invalid_input& e) {
            // An unknown dataset name is a scenario problem; report it with the others.
            if (!std::string(e.what()).starts_with("dataset '")) throw;
            problems.add(out.spec.dataset_at.str(), cat("key 'dataset': ", e.what()));
        }
        if (!out.data.economy.regions.empty()) check_against_dataset(out.spec, out.data, problems);
    }
    problems.throw_if_any<invalid_input>(file.string());
    return out;
}

std::vector<std::size_t> resolve_regions(const region_set& set, const dataset& data, issues& out) {
    const auto& regions = data.economy.regions;
    std::set<std::size_t> result;
    // Terms separated by + and -, applied left to right.
    std::string expr = set.expression;
    char op = '+';
    std::size_t i = 0;
    bool ok = true;
    while (i <= expr.size()) {
        const std::size_t j = expr.find_first_of("+-", i);
        std::string term = expr.substr(i, j == std::string::npos ? std::string::npos : j - i);
        term.erase(0, term.find_first_not_of(" \t"));
        term.erase(term.find_last_not_of(" \t") + 1);
        std::vector<std::size_t> members;
        if (term == "all") {
            for (std::size_t r = 0; r < regions.size(); ++r) members.push_back(r);
        } else if (auto g = data.groups.find(term); g != data.groups.end()) {
            for (const auto& m : g->second)
                members.push_back(static_cast<std::size_t>(std::find(regions.begin(), regions.end(), m) - regions.begin()));
        } else if (auto r = std::find(regions.begin(), regions.end(), term); r != regions.end()) {
            members.push_back(static_cast<std::size_t>(r - regions.begin()));
        } else {
            std::string groups, names;
            for (const auto& [name, _] : data.groups) groups += (groups.empty() ? "" : ", ") + name;
            for (const auto& name : regions) names += (names.empty() ? "" : ", ") + name;
            out.add(set.at.str(), cat("key '", set.key, "': unknown region or group '", term, "' in \"", expr,
                                      "\"; dataset '", data.economy.name, "' has regions ", names,
                                      groups.empty() ? std::string(" and no groups") : cat(" and groups ", groups)));
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
    return {result.begin(), result.end()};
}

std::pair<int, int> horizon(const scenario_spec& spec, const dataset& data) {
    const int first = spec.first_year.value_or(data.economy.base_year);
    return {first, spec.last_year.value_or(first + 10)};
}

void check_against_dataset(const scenario_spec& spec, const dataset& data, issues& out) {
    const auto [first, last] = horizon(spec, data);
    if (first < data.economy.base_year)
        out.add(spec.years_at.str(), cat("key 'horizon.first_year': the dataset '", data.economy.name,
                                         "' starts in its base year ", data.economy.base_year, ", got ", first));
    if (last < first)
        out.add(spec.years_at.str(), cat("key 'horizon.last_year': must not be before the first year ", first, ", got ", last));
    const auto& sectors = data.economy.sectors;
    for (std::size_t i = 0; i < spec.final_demand_shocks.size(); ++i) {
        const auto& s = spec.final_demand_shocks[i];
        (void)resolve_regions(s.buyers, data, out);
        (void)resolve_regions(s.origins, data, out);
        if (s.sector != "all" && std::find(sectors.begin(), sectors.end(), s.sector) == sectors.end()) {
            std::string list;
            for (const auto& x : sectors) list += (list.empty() ? "" : ", ") + x;
            out.add(s.sector_at.str(), cat("key 'final_demand_shock[", i, "].sector': unknown sector '", s.sector,
                                           "'; expected \"all\" or one of: ", list));
        }
        if (s.start_year < first || s.start_year > last)
            out.add(s.start_year_at.str(), cat("key 'final_demand_shock[", i, "].start_year': ", s.start_year,
                                               " is outside the horizon ", first, "-", last));
    }
}

}  // namespace integra::sim
