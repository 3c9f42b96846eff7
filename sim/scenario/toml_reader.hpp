// Reading TOML documents strictly: the document behind a scenario (following `extends`
// and applying `--set` overrides), and a reader of one table that knows which keys it was
// asked for, so that every other key is reported as unknown. Every message starts with
// the value's own file:line:col (or "--set key=value").
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/issues.hpp"

namespace integra::sim {

/// Scenario files (and each file they extend) larger than this are refused before they are
/// parsed (docs/scenarios.md, "Errors"): scenarios are a few kilobytes.
inline constexpr std::uintmax_t max_scenario_bytes = std::uintmax_t{1} << 20;  // 1 MiB

/// Where a value came from: "scenarios/x.toml:12:5", or "--set key=value".
struct source_position {
    std::string file;
    int line = 0;
    int column = 0;
    [[nodiscard]] std::string str() const;
    /// Set by a --set override (or a sweep), not read from a file.
    [[nodiscard]] bool is_override() const;
};

[[nodiscard]] source_position position_of(const toml::source_region& source);

/// "2030 (an integer)", "'text' (a string)", "a table".
[[nodiscard]] std::string show(const toml::node& node);

/// Reads `file`, merges it over the scenario it `extends` (recursively; tables merge key
/// by key, the child wins, arrays are replaced whole; each value keeps its own position),
/// then applies the overrides ("a.b.0.c=value"). Problems with overrides go to `out`;
/// a missing file, one that is not a regular file (FIFO, device, folder), larger than
/// max_scenario_bytes or named "-" or /dev/stdin, a TOML syntax error or a cycle of
/// `extends` throws invalid_input.
[[nodiscard]] toml::table read_document(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                                        issues& out);

/// `text` read as a TOML value, held as the key "value" of the returned table (so it keeps
/// its source position `where`); text that is not valid TOML is taken as a string, so that
/// dataset=celac38 works unquoted. Problems go to `out`.
[[nodiscard]] std::optional<toml::table> parse_value(const std::string& text, const std::string& where, issues& out);

/// Sets "a.b.0.c" in `doc` to the "value" held by `holder` (from parse_value), creating
/// tables on the way; array elements are addressed by index. Problems go to `out`, each
/// at `where`.
void set_value(toml::table& doc, const std::string& key, toml::table&& holder, const std::string& where, issues& out);

/// The document as TOML text: basic "..." strings and shortest round-trip numbers.
[[nodiscard]] std::string to_toml_text(const toml::table& document);

class table_reader {
public:
    table_reader(const toml::table& table, std::string path, issues& out)
        : table_(table), path_(std::move(path)), out_(out) {}
    /// Reports what report_unknown_keys() would have, if it was not called.
    ~table_reader();
    table_reader(const table_reader&) = delete;
    table_reader& operator=(const table_reader&) = delete;

    [[nodiscard]] const toml::table& table() const { return table_; }
    /// "horizon.first_year" for key "first_year" of table "horizon".
    [[nodiscard]] std::string key_path(std::string_view key) const;
    /// The node under `key` (nullptr if absent), marking the key as known.
    const toml::node* node(std::string_view key);
    /// Position of the value under `key`, or of the table itself if the key is absent.
    [[nodiscard]] source_position position(std::string_view key) const;
    void problem(std::string_view key, const std::string& message);

    std::optional<std::string> text(std::string_view key, const std::string& expected);
    /// One of `choices`; anything else is reported with the list.
    std::optional<std::string> choice(std::string_view key, const std::vector<std::string>& choices);
    std::optional<int> integer(std::string_view key, const std::string& expected, int min, int max);
    /// A finite number strictly above `above` and at most `at_most` (integers accepted).
    std::optional<double> number(std::string_view key, const std::string& expected, double above,
                                 double at_most = 1e300);
    /// A finite number in [min, max] (integers accepted).
    std::optional<double> number_between(std::string_view key, const std::string& expected, double min, double max);
    std::optional<bool> boolean(std::string_view key);
    const toml::table* table(std::string_view key);
    const toml::array* array_of_tables(std::string_view key);
    /// Reports a missing key that must be present. The report waits for
    /// report_unknown_keys(): when an unknown key is a misspelling of `key` ("member" for
    /// "members"), that one message says so and the missing key is not reported again.
    void require(std::string_view key, const std::string& example);
    /// Reports `message` about `key` that holds only because `missing` is absent
    /// ("\"member\" needs external_tariff_member"); like require(), it is dropped when an
    /// unknown key is a misspelling of `missing`, whose message then ends with `note`
    /// ("which external_tariff = \"member\" needs").
    void problem_unless_misspelt(std::string_view key, std::string_view missing, const std::string& message,
                                 const std::string& note);
    /// Reports every key that no accessor asked for, with the closest known key, then the
    /// deferred problems of require() and problem_unless_misspelt() that no misspelling explains.
    void report_unknown_keys();

private:
    /// The value under `key` as a number (integers accepted), or a reported problem.
    std::optional<double> numeric(std::string_view key, const std::string& expected);

    const toml::table& table_;
    std::string path_;
    issues& out_;
    std::set<std::string> known_;
    struct deferred {
        std::string missing;  ///< the absent key whose misspelling would explain the problem
        std::string where, message;
        std::string note;  ///< said of `missing` when a misspelling explains it
    };
    std::vector<deferred> deferred_;
    bool reported_ = false;
};

}  // namespace integra::sim
