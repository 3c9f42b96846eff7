#include "sim/scenario/toml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::sim {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view override_prefix = "--set ";

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

// "-", /dev/stdin and the like: a scenario's location names its output and anchors its
// `extends` and tariff-file paths, so a scenario is never read from standard input.
bool names_standard_input(const fs::path& file) {
    const std::string text = file.lexically_normal().string();
    return text == "-" || text == "/dev/stdin" || text == "/dev/fd/0" || text == "/proc/self/fd/0";
}

std::string kind_of(fs::file_type type) {
    switch (type) {
        case fs::file_type::fifo: return "a FIFO (named pipe)";
        case fs::file_type::character: return "a character device";
        case fs::file_type::block: return "a block device";
        case fs::file_type::socket: return "a socket";
        default: return "not a file";
    }
}

// Why `file` cannot be read as a scenario (checked before opening it, so that a FIFO never
// blocks and a device is never read), or an empty string.
std::string unreadable_because(const fs::path& file) {
    if (names_standard_input(file))
        return "reading a scenario from standard input is not supported (its location names the output and anchors "
               "'extends'); save it to a .toml file";
    std::error_code ec;
    const fs::file_status status = fs::status(file, ec);  // follows symbolic links
    if (status.type() == fs::file_type::not_found) return "no such file";
    if (ec) return cat("cannot read: ", ec.message());
    if (status.type() == fs::file_type::directory) return "is a folder, expected a scenario file (.toml)";
    if (status.type() != fs::file_type::regular)
        return cat("not a regular file (", kind_of(status.type()), "), expected a scenario file (.toml)");
    const auto size = fs::file_size(file, ec);
    if (ec) return cat("cannot read: ", ec.message());
    if (size > max_scenario_bytes)
        return cat("the file has ", size, " bytes, more than a scenario may have (", max_scenario_bytes, " bytes = 1 MiB)");
    return {};
}

// For a syntax error on a line such as `revenue = kept`, a word where a value belongs (most
// likely a string without its quotes): "; strings must be quoted: revenue = "kept"". Else "".
std::string unquoted_string_hint(const std::string& text, std::size_t line) {
    std::size_t begin = 0;
    for (std::size_t n = 1; n < line && begin != std::string::npos; ++n) {
        begin = text.find('\n', begin);
        if (begin != std::string::npos) ++begin;
    }
    if (begin == std::string::npos || line == 0) return {};
    const std::size_t end = text.find('\n', begin);
    std::string row = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    if (!row.empty() && row.back() == '\r') row.pop_back();
    // key = word [words] [# comment]; the value starts with a letter and holds no TOML punctuation.
    auto is_key_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; };
    auto trim = [](std::string s) {
        s.erase(0, s.find_first_not_of(" \t"));
        s.erase(s.find_last_not_of(" \t") + 1);
        return s;
    };
    row = trim(row);
    std::size_t k = 0;
    while (k < row.size() && is_key_char(row[k])) ++k;
    const std::string key = row.substr(0, k);
    std::string rest = trim(row.substr(k));
    if (key.empty() || rest.empty() || rest.front() != '=') return {};
    std::string value = trim(rest.substr(1, rest.find('#') == std::string::npos ? std::string::npos : rest.find('#') - 1));
    if (value.empty() || !(std::isalpha(static_cast<unsigned char>(value.front())) || value.front() == '_') ||
        value.find_first_of("\"'[]{}=,") != std::string::npos)
        return {};
    if (value == "true" || value == "false" || value == "inf" || value == "nan") return {};
    return cat("; strings must be quoted: ", key, " = \"", value, "\"");
}

toml::table parse_toml_file(const fs::path& file) {
    if (const std::string why = unreadable_because(file); !why.empty()) throw invalid_input(cat(file.string(), ": ", why));
    std::ifstream in(file, std::ios::binary);
    if (!in) throw invalid_input(cat(file.string(), ": cannot open the file"));
    std::string text(max_scenario_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_scenario_bytes)  // grew since it was checked
        throw invalid_input(cat(file.string(), ": more than a scenario may have (", max_scenario_bytes, " bytes = 1 MiB)"));
    try {
        return toml::parse(text, file.string());
    } catch (const toml::parse_error& e) {
        throw invalid_input(cat(file.string(), ":", e.source().begin.line, ":", e.source().begin.column,
                                ": TOML syntax error: ", e.description(), unquoted_string_hint(text, e.source().begin.line)));
    }
}

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
    if (names_standard_input(file)) throw invalid_input(cat(file.string(), ": ", unreadable_because(file)));
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(file, ec);
    if (ec) canonical = file.lexically_normal();
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
    if (const std::string why = unreadable_because(base_path); why == "no such file")
        throw invalid_input(cat(position_of(ext->source()).str(), ": key 'extends': base scenario '", *base_name,
                                "' not found (looked for ", base_path.string(), ")"));
    else if (!why.empty())
        throw invalid_input(cat(position_of(ext->source()).str(), ": key 'extends': base scenario '", *base_name, "': ", why));
    toml::table merged = load_with_extends(base_path, chain);
    doc.erase("extends");
    merge_into(merged, std::move(doc));
    return merged;
}

// Applies "a.b.0.c=value". The value is read as TOML; if it is not valid TOML it is taken
// as a string, so that --set dataset=celac38 works unquoted.
void apply_override(toml::table& doc, const std::string& assignment, issues& out) {
    const auto eq = assignment.find('=');
    const std::string where = cat(override_prefix, assignment);
    if (eq == std::string::npos || eq == 0) {
        out.add(where, "expected key=value");
        return;
    }
    const std::string key = assignment.substr(0, eq);
    if (auto value = parse_value(assignment.substr(eq + 1), where, out)) set_value(doc, key, std::move(*value), where, out);
}

// An empty table whose source is `where` ("--set key=value"), so that problems found in a
// table an override created are located at the override.
toml::table table_made_by(const std::string& where) {
    toml::table holder = toml::parse("value = {}", where);
    auto& made = *holder.get("value")->as_table();
    made.is_inline(false);
    return std::move(made);
}

}  // namespace

std::optional<toml::table> parse_value(const std::string& text, const std::string& where, issues& out) {
    try {
        return toml::parse("value = " + text, where);
    } catch (const toml::parse_error&) {
        std::string quoted;
        for (char c : text) quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
        try {
            return toml::parse("value = \"" + quoted + "\"", where);
        } catch (const toml::parse_error& e) {
            out.add(where, cat("cannot read the value: ", e.description()));
            return std::nullopt;
        }
    }
}

void set_value(toml::table& doc, const std::string& key, toml::table&& holder, const std::string& where, issues& out) {
    std::vector<std::string> parts;
    std::stringstream ss(key);
    for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);
    if (parts.empty()) {
        out.add(where, "expected a key");
        return;
    }
    toml::node* cursor = &doc;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        const std::string& part = parts[i];
        if (auto* t = cursor->as_table()) {
            if (!t->get(part)) t->insert(part, table_made_by(where));
            cursor = t->get(part);
        } else if (auto* a = cursor->as_array()) {
            std::size_t index = a->size();
            const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
            if (ec != std::errc{} || end != part.data() + part.size()) index = a->size();
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
    target->insert_or_assign(parts.back(), std::move(*holder.get("value")));
}

bool source_position::is_override() const { return file.starts_with(override_prefix) || file.starts_with("sweep "); }

std::string source_position::str() const {
    if (is_override()) return file;
    return cat(file.empty() ? "<scenario>" : file, ":", line, ":", column);
}

source_position position_of(const toml::source_region& src) {
    source_position p;
    if (src.path) p.file = *src.path;
    p.line = static_cast<int>(src.begin.line);
    p.column = static_cast<int>(src.begin.column);
    return p;
}

std::string show(const toml::node& n) {
    if (n.is_table()) return "a table";
    if (n.is_array()) return "an array";
    std::ostringstream s;
    n.visit([&](const auto& v) { s << v; });
    return s.str() + " (" + type_name(n) + ")";
}

toml::table read_document(const fs::path& file, const std::vector<std::string>& overrides, issues& out) {
    std::vector<fs::path> chain;
    toml::table doc = load_with_extends(file, chain);
    for (const auto& o : overrides) apply_override(doc, o, out);
    return doc;
}

std::string to_toml_text(const toml::table& doc) {
    constexpr auto flags = (toml::toml_formatter::default_flags & ~toml::format_flags::allow_literal_strings) |
                           toml::format_flags::relaxed_float_precision;
    std::ostringstream text;
    text << toml::toml_formatter(doc, flags);
    return text.str() + "\n";
}

std::string table_reader::key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const toml::node* table_reader::node(std::string_view key) {
    known_.insert(std::string(key));
    return table_.get(key);
}

source_position table_reader::position(std::string_view key) const {
    if (const toml::node* n = table_.get(key)) return position_of(n->source());
    return position_of(table_.source());
}

void table_reader::problem(std::string_view key, const std::string& message) {
    out_.add(position(key).str(), cat("key '", key_path(key), "': ", message));
}

std::optional<std::string> table_reader::text(std::string_view key, const std::string& expected) {
    const toml::node* n = node(key);
    if (!n) return std::nullopt;
    if (auto v = n->value_exact<std::string>()) return *v;
    problem(key, cat("expected ", expected, ", got ", show(*n)));
    return std::nullopt;
}

std::optional<std::string> table_reader::choice(std::string_view key, const std::vector<std::string>& choices) {
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "\"" : ", \"") + c + "\"";
    const auto v = text(key, "one of " + list);
    if (!v) return std::nullopt;
    if (std::find(choices.begin(), choices.end(), *v) != choices.end()) return v;
    problem(key, cat("expected one of ", list, ", got \"", *v, "\""));
    return std::nullopt;
}

std::optional<int> table_reader::integer(std::string_view key, const std::string& expected, int min, int max) {
    const toml::node* n = node(key);
    if (!n) return std::nullopt;
    const auto v = n->value_exact<int64_t>();
    if (!v) {
        problem(key, cat("expected ", expected, ", got ", show(*n)));
        return std::nullopt;
    }
    if (*v < min || *v > max) {
        problem(key, cat("expected ", expected, " in [", min, ", ", max, "], got ", *v));
        return std::nullopt;
    }
    return static_cast<int>(*v);
}

std::optional<double> table_reader::numeric(std::string_view key, const std::string& expected) {
    const toml::node* n = node(key);
    if (!n) return std::nullopt;
    if (auto f = n->value_exact<double>()) {
        if (std::isfinite(*f)) return *f;
        problem(key, cat("expected ", expected, " (a finite number), got ", show(*n)));
        return std::nullopt;
    }
    if (auto i = n->value_exact<int64_t>()) return static_cast<double>(*i);
    problem(key, cat("expected ", expected, ", got ", show(*n)));
    return std::nullopt;
}

std::optional<double> table_reader::number(std::string_view key, const std::string& expected, double above,
                                           double at_most) {
    const auto v = numeric(key, expected);
    if (v && (!(*v > above) || !(*v <= at_most) || !std::isfinite(*v))) {
        problem(key, cat("expected ", expected, " (a number > ", above, at_most < 1e300 ? cat(" and <= ", at_most) : "",
                         "), got ", *v));
        return std::nullopt;
    }
    return v;
}

std::optional<double> table_reader::number_between(std::string_view key, const std::string& expected, double min,
                                                   double max) {
    const auto v = numeric(key, expected);
    if (v && !(*v >= min && *v <= max)) {
        problem(key, cat("expected ", expected, " in [", min, ", ", max, "], got ", *v));
        return std::nullopt;
    }
    return v;
}

std::optional<bool> table_reader::boolean(std::string_view key) {
    const toml::node* n = node(key);
    if (!n) return std::nullopt;
    if (auto v = n->value_exact<bool>()) return *v;
    problem(key, cat("expected true or false, got ", show(*n)));
    return std::nullopt;
}

const toml::table* table_reader::table(std::string_view key) {
    const toml::node* n = node(key);
    if (!n) return nullptr;
    if (const auto* t = n->as_table()) return t;
    problem(key, cat("expected a table ([", key_path(key), "]), got ", show(*n)));
    return nullptr;
}

const toml::array* table_reader::array_of_tables(std::string_view key) {
    const toml::node* n = node(key);
    if (!n) return nullptr;
    const auto* a = n->as_array();
    if (a && (a->empty() || a->is_array_of_tables())) return a;  // [] in a child: none of this kind
    problem(key, cat("expected an array of tables ([[", key_path(key), "]]), got ", show(*n)));
    return nullptr;
}

void table_reader::require(std::string_view key, const std::string& example) {
    if (table_.get(key)) return;
    deferred_.push_back({std::string(key), position_of(table_.source()).str(),
                         cat(path_.empty() ? std::string("the scenario") : cat("table '", path_, "'"),
                             ": missing required key '", key, "' (e.g. ", example, ")"),
                         "a required key"});
}

void table_reader::problem_unless_misspelt(std::string_view key, std::string_view missing, const std::string& message,
                                           const std::string& note) {
    deferred_.push_back({std::string(missing), position(key).str(), cat("key '", key_path(key), "': ", message), note});
}

table_reader::~table_reader() {
    if (!reported_) report_unknown_keys();
}

void table_reader::report_unknown_keys() {
    reported_ = true;
    std::set<std::string> misspelt;  // known keys an unknown key is taken for
    for (const auto& [key, value] : table_) {
        const std::string k(key.str());
        if (known_.count(k)) continue;
        if (out_.full()) {  // only counted: no suggestion to compute, no message to compose
            out_.add({}, {});
            continue;
        }
        std::string best;
        std::size_t best_distance = 3;
        for (const auto& candidate : known_)
            if (const auto d = edit_distance(k, candidate); d < best_distance) {
                best_distance = d;
                best = candidate;
            }
        std::string expected;
        for (const auto& candidate : known_) expected += (expected.empty() ? "" : ", ") + candidate;
        // The key it stands for is absent, and required or needed by another key: say so
        // here, once, instead of a second message about the absence.
        std::string note;
        if (!best.empty() && !table_.get(best))
            for (const auto& d : deferred_)
                if (d.missing == best) {
                    misspelt.insert(best);
                    note = ", " + d.note;
                    break;
                }
        out_.add(position_of(key.source().path ? key.source() : value.source()).str(),
                 cat("unknown key '", key_path(k), "'",
                     best.empty() ? "" : cat(" (did you mean '", key_path(best), "'", note, "?)"),
                     "; expected one of: ", expected));
    }
    for (auto& d : deferred_)
        if (!misspelt.count(d.missing)) out_.add(std::move(d.where), std::move(d.message));
    deferred_.clear();
}

}  // namespace integra::sim
