// Scenario files: strict parsing, every problem at once with file:line:col, extends and --set.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "core/errors.hpp"
#include "sim/bound_scenario.hpp"
#include "sim/runner.hpp"
#include "temp_folder.hpp"

#include <sys/stat.h>

using Catch::Matchers::Contains;
using integra::sim::load_scenario;

namespace {

const std::string demo_dataset = "dataset = \"" INTEGRA_SOURCE_DATA_DIR "/demo3x2\"\nmodel = \"input_output\"\n";

std::string problems_of(const std::filesystem::path& file, const std::vector<std::string>& overrides = {}) {
    try {
        (void)load_scenario(file, overrides);
    } catch (const integra::invalid_input& e) {
        return e.what();
    }
    return "no problem reported";
}

}  // namespace

TEST_CASE("a valid scenario is parsed into typed values", "[sim][scenario]") {
    integra::testing::temp_folder dir;
    const auto file = dir.write("ok.toml", demo_dataset + R"(
name = "ok"
[horizon]
first_year = 2024
last_year = 2030
[baseline]
final_demand_growth = 0.01
[[final_demand_shock]]
region = "all - north"
sector = "goods"
change = 0.05
start_year = 2025
phase_in_years = 2
)");
    const auto bound = load_scenario(file);
    [[maybe_unused]] const auto& spec = bound.spec;
    [[maybe_unused]] const auto& data = *bound.data;
    CHECK(spec.name == "ok");
    CHECK(spec.first_year == 2024);
    CHECK(spec.last_year == 2030);
    CHECK(spec.final_demand_growth == 0.01);
    REQUIRE(spec.final_demand_shocks.size() == 1);
    CHECK(spec.final_demand_shocks[0].change == 0.05);
    integra::issues found;
    CHECK(integra::sim::resolve_regions(spec.final_demand_shocks[0].buyers, data, found) == std::vector<std::size_t>{1, 2});
    CHECK(found.empty());
}

TEST_CASE("four kinds of problem are reported together with file:line:col", "[sim][scenario]") {
    integra::testing::temp_folder dir;
    const auto file = dir.write("bad.toml", demo_dataset + R"([horizon]
frist_year = 2023
last_year = "2030"
[[final_demand_shock]]
region = "atlantis"
change = 0.1
start_year = 2026
phase_in_years = -2
)");
    const std::string text = problems_of(file);
    const std::string f = file.string();
    CHECK_THAT(text, Contains("4 problem(s)"));
    CHECK_THAT(text, Contains(f + ":4:1: unknown key 'horizon.frist_year' (did you mean 'horizon.first_year'?)"));
    CHECK_THAT(text, Contains(f + ":5:13: key 'horizon.last_year': expected a calendar year, got '2030' (a string)"));
    CHECK_THAT(text, Contains(f + ":10:18: key 'final_demand_shock[0].phase_in_years': expected a number of years >= 0"));
    CHECK_THAT(text, Contains(f + ":7:10: key 'final_demand_shock[0].region': unknown region or group 'atlantis'"));
}

TEST_CASE("extends merges tables and keeps each value's own file and line", "[sim][scenario]") {
    integra::testing::temp_folder dir;
    dir.write("base.toml", demo_dataset + R"(
[horizon]
first_year = 2023
last_year = 2040
[baseline]
final_demand_growth = 0.02
)");
    const auto child = dir.write("variant/child.toml", R"(extends = "../base.toml"
name = "child"
[horizon]
last_year = 2030
)");
    const auto bound = load_scenario(child);
    [[maybe_unused]] const auto& spec = bound.spec;
    [[maybe_unused]] const auto& data = *bound.data;
    CHECK(spec.first_year == 2023);  // from the base
    CHECK(spec.last_year == 2030);   // the child wins
    CHECK(spec.final_demand_growth == 0.02);
    CHECK_THAT(spec.effective_toml, Contains("last_year = 2030") && !Contains("extends"));

    const auto broken = dir.write("variant/broken.toml", "extends = \"../base.toml\"\n[baseline]\nfinal_demand_growth = \"fast\"\n");
    CHECK_THAT(problems_of(broken), Contains("broken.toml:3:23: key 'baseline.final_demand_growth'"));
    const auto missing = dir.write("orphan.toml", "extends = \"nowhere.toml\"\n");
    CHECK_THAT(problems_of(missing), Contains("orphan.toml:1:11: key 'extends': base scenario 'nowhere.toml' not found"));
    dir.write("a.toml", "extends = \"b.toml\"\n");
    const auto cyclic = dir.write("b.toml", "extends = \"a.toml\"\n");
    CHECK_THAT(problems_of(cyclic), Contains("'extends' forms a cycle"));
}

TEST_CASE("overrides (--set) go through the same validation", "[sim][scenario]") {
    integra::testing::temp_folder dir;
    const auto file = dir.write("s.toml", demo_dataset + R"(
[[final_demand_shock]]
region = "south"
change = 0.1
start_year = 2025
)");
    const auto bound = load_scenario(file, {"final_demand_shock.0.change=0.25", "horizon.last_year=2031", "name=over"});
    [[maybe_unused]] const auto& spec = bound.spec;
    [[maybe_unused]] const auto& data = *bound.data;
    CHECK(spec.final_demand_shocks[0].change == 0.25);
    CHECK(spec.last_year == 2031);
    CHECK(spec.name == "over");

    const std::string text = problems_of(file, {"horizon.last_year=soon", "final_demand_shock.0.change=-3",
                                                "final_demand_shock.4.change=1", "nokey"});
    CHECK_THAT(text, Contains("--set horizon.last_year=soon: key 'horizon.last_year': expected a calendar year, got 'soon'"));
    CHECK_THAT(text, Contains("--set final_demand_shock.0.change=-3: key 'final_demand_shock[0].change'"));
    CHECK_THAT(text, Contains("--set final_demand_shock.4.change=1: '4' is not an index of the 1 element(s)"));
    CHECK_THAT(text, Contains("--set nokey: expected key=value"));
}

TEST_CASE("years and names are checked against the dataset", "[sim][scenario]") {
    integra::testing::temp_folder dir;
    const auto file = dir.write("y.toml", demo_dataset + R"(
[horizon]
first_year = 2020
last_year = 2030
[[final_demand_shock]]
region = "south"
origin = "north + mars"
sector = "steel"
change = 0.1
start_year = 2035
)");
    const std::string text = problems_of(file);
    CHECK_THAT(text, Contains("key 'horizon.first_year': the dataset 'demo3x2' starts in its base year 2023, got 2020"));
    CHECK_THAT(text, Contains("key 'final_demand_shock[0].origin': unknown region or group 'mars' in \"north + mars\""));
    CHECK_THAT(text, Contains("key 'final_demand_shock[0].sector': unknown sector or group 'steel' in \"steel\"; expected sectors goods, services, groups non_tradable, tradable or \"all\""));
    CHECK_THAT(text, Contains("start_year': 2035 is outside the horizon 2020-2030"));
}

TEST_CASE("TOML syntax errors and a missing dataset key are input errors", "[sim][scenario]") {
    integra::testing::temp_folder dir;
    CHECK_THAT(problems_of(dir.write("syntax.toml", "name = \"x\"\n[horizon\n")), Contains("syntax.toml:2:") && Contains("TOML syntax error"));
    CHECK_THAT(problems_of(dir.write("nodata.toml", "name = \"x\"\n")), Contains("missing required key 'dataset'"));
    CHECK_THAT(problems_of(dir.path() / "absent.toml"), Contains("absent.toml: no such file"));
}

// ---------------------------------------------------------------------------------------
// Hardening (issue 14): bounded reports, odd files, one message per problem, finite
// numbers, removing an inherited policy.

namespace {

const std::string trade_dataset = "dataset = \"" INTEGRA_SOURCE_DATA_DIR "/demo3x2\"\n";

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("a report lists at most max_reported problems, then how many more", "[sim][scenario][issues]") {
    integra::issues found;
    for (int k = 0; k < 5000; ++k) found.add("w" + std::to_string(k), "bad");
    CHECK(found.size() == 5000);
    CHECK(found.list().size() == integra::issues::max_stored);
    const std::string text = found.report("s.toml");
    CHECK_THAT(text, Contains("s.toml: 5000 problem(s)\n  w0: bad"));
    CHECK_THAT(text, Contains("w49: bad") && !Contains("w50: bad"));
    CHECK_THAT(text, Contains("\n  ... and 4950 more problem(s)"));
    integra::issues more;
    more.append(found);
    CHECK(more.size() == 5000);

    integra::testing::temp_folder dir;
    std::string many = demo_dataset;
    for (int k = 0; k < 2000; ++k) many += "unknown_" + std::to_string(k) + " = 1\n";
    const std::string report = problems_of(dir.write("many.toml", many));
    CHECK_THAT(report, Contains("2000 problem(s)") && Contains("... and 1950 more problem(s)"));
    CHECK(count_of(report, "unknown key") == integra::issues::max_reported);
}

TEST_CASE("scenario files above the size limit are refused before parsing", "[sim][scenario][issues]") {
    integra::testing::temp_folder dir;
    std::string big = demo_dataset;
    while (big.size() <= integra::sim::max_scenario_bytes) big += "# padding padding padding padding padding padding\n";
    CHECK_THAT(problems_of(dir.write("big.toml", big)), Contains("big.toml: the file has") && Contains("1 MiB"));
    dir.write("bigbase.toml", big);
    CHECK_THAT(problems_of(dir.write("child.toml", "extends = \"bigbase.toml\"\n")),
               Contains("child.toml:1:11: key 'extends': base scenario 'bigbase.toml': the file has"));
}

TEST_CASE("FIFOs, folders, devices and standard input are refused as scenarios", "[sim][scenario][issues]") {
    integra::testing::temp_folder dir;
    const auto fifo = dir.path() / "pipe.toml";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THAT(problems_of(fifo), Contains("pipe.toml: not a regular file (a FIFO"));
    CHECK_THAT(problems_of(dir.write("child.toml", "extends = \"pipe.toml\"\n")),
               Contains("child.toml:1:11: key 'extends': base scenario 'pipe.toml': not a regular file (a FIFO"));
    std::filesystem::create_directories(dir.path() / "folder.toml");
    CHECK_THAT(problems_of(dir.path() / "folder.toml"), Contains("is a folder"));
    CHECK_THAT(problems_of(dir.write("zero.toml", "extends = \"/dev/zero\"\n")),
               Contains("base scenario '/dev/zero': not a regular file (a character device"));
    CHECK_THAT(problems_of("/dev/null"), Contains("/dev/null: not a regular file (a character device"));
    CHECK_THAT(problems_of("/dev/stdin"), Contains("/dev/stdin: reading a scenario from standard input is not supported"));
    CHECK_THAT(problems_of("-"), Contains("-: reading a scenario from standard input is not supported"));
}

TEST_CASE("a wrong start_year or horizon is reported once, without follow-on messages", "[sim][scenario][issues]") {
    integra::testing::temp_folder dir;
    const std::string text = problems_of(dir.write("s.toml", trade_dataset + R"(
[horizon]
last_year = 2030
[[free_trade_area]]
members = "north + south"
start_year = "2027"
[[free_trade_area]]
members = "north + east"
)"));
    CHECK_THAT(text, Contains("2 problem(s)"));
    CHECK_THAT(text, Contains("s.toml:7:14: key 'free_trade_area[0].start_year': expected a calendar year, got '2027' (a string)"));
    CHECK_THAT(text, Contains("missing required key 'start_year'"));
    CHECK_THAT(text, !Contains("outside the horizon"));

    const std::string years = problems_of(dir.write("y.toml", trade_dataset + R"(
[horizon]
first_year = 2030
last_year = 2025.5
[[free_trade_area]]
members = "north + south"
start_year = 2027
)"));
    CHECK_THAT(years, Contains("1 problem(s)") && Contains("key 'horizon.last_year': expected a calendar year"));
    const std::string reversed = problems_of(dir.write("r.toml", trade_dataset + R"(
[horizon]
first_year = 2030
last_year = 2025
)"));
    CHECK_THAT(reversed, Contains("1 problem(s)") && Contains("r.toml:5:13: key 'horizon.last_year': must not be before"));
}

TEST_CASE("problems of --set values are located at the --set, also in tables it creates", "[sim][scenario][issues]") {
    integra::testing::temp_folder dir;
    const auto file = dir.write("s.toml", trade_dataset);
    const std::string text = problems_of(file, {"horizon.first_year=2000", "equilibrium.trade_elasticity.steel=4"});
    CHECK_THAT(text, Contains("--set horizon.first_year=2000: key 'horizon.first_year': the dataset 'demo3x2' starts"));
    CHECK_THAT(text, Contains("--set equilibrium.trade_elasticity.steel=4: key 'equilibrium.trade_elasticity.steel': unknown sector"));
    CHECK_THAT(text, !Contains("<scenario>") && !Contains(":0:0"));
    CHECK_THAT(problems_of(file, {"summary.regions=mars"}), Contains("--set summary.regions=mars: key 'summary.regions': unknown region"));
}

TEST_CASE("non-finite numbers and tariffs above the ceiling are rejected", "[sim][scenario][issues]") {
    integra::testing::temp_folder dir;
    const std::string text = problems_of(dir.write("n.toml", trade_dataset + R"(
[equilibrium]
trade_elasticity_scale = inf
[[tariff_change]]
rate = 1e12
start_year = 2024
[[tariff_change]]
rate = nan
start_year = 2024
[[customs_union]]
members = "north + south"
external_tariff = "explicit"
external_rates = { goods = 1e300 }
start_year = 2025
schedule = { 2025 = nan, 2026 = 1.0 }
[[trade_cost_change]]
ave = -inf
start_year = 2025
)"));
    CHECK_THAT(text, Contains("6 problem(s)"));
    CHECK_THAT(text, Contains("n.toml:4:26: key 'equilibrium.trade_elasticity_scale'") && Contains("finite"));
    CHECK_THAT(text, Contains("n.toml:6:8: key 'tariff_change[0].rate'") && Contains("<= 10), got 1e+12"));
    CHECK_THAT(text, Contains("n.toml:9:8: key 'tariff_change[1].rate'") && Contains("(a finite number), got nan"));
    CHECK_THAT(text, Contains("key 'customs_union[0].external_rates': rate for 'goods' must be a finite fraction above -1 and at most 10"));
    CHECK_THAT(text, Contains("key 'customs_union[0].schedule': the share for 2025 must be a finite number in [0, 1], got nan"));
    CHECK_THAT(text, Contains("key 'trade_cost_change[0].ave'") && Contains("got -inf"));
}

TEST_CASE("equilibrium.tolerance has a floor", "[sim][scenario][issues]") {
    integra::testing::temp_folder dir;
    const auto file = dir.write("t.toml", trade_dataset + "[equilibrium]\ntolerance = 1e-300\n");
    CHECK_THAT(problems_of(file), Contains("t.toml:3:13: key 'equilibrium.tolerance'") && Contains("in [1e-14, 0.01], got 1e-300"));
    CHECK(load_scenario(file, {"equilibrium.tolerance=1e-14"}).spec.equilibrium.tolerance == 1e-14);
}

TEST_CASE("an empty array of tables in a child removes the inherited policies", "[sim][scenario][issues]") {
    integra::testing::temp_folder dir;
    dir.write("base.toml", trade_dataset + R"(
[horizon]
last_year = 2030
[[customs_union]]
members = "north + south"
start_year = 2025
[[trade_cost_change]]
cut = 0.1
start_year = 2025
)");
    const auto child = dir.write("child.toml", "extends = \"base.toml\"\ncustoms_union = []\n");
    const auto bound = load_scenario(child);
    REQUIRE(bound.spec.policies.size() == 1);
    CHECK(integra::sim::label_of(bound.spec.policies[0]) == "trade_cost_change[0]");
    CHECK(load_scenario(dir.path() / "base.toml", {"customs_union=[]", "trade_cost_change=[]"}).spec.policies.empty());
    CHECK_THAT(problems_of(dir.write("wrong.toml", "extends = \"base.toml\"\ncustoms_union = [1]\n")),
               Contains("key 'customs_union': expected an array of tables"));
}

// ---------------------------------------------------------------------------------------
// Issue 12: --set problems at the --set, one message per misspelt key, "did you mean" for
// names, groups in any case, a hint for unquoted strings, a warning for negative tariffs.

TEST_CASE("problems a --set causes are located at the --set, also against the dataset", "[sim][scenario][issues]") {
    integra::testing::temp_folder dir;
    const auto file = dir.write("cu.toml", trade_dataset + R"(
[horizon]
last_year = 2030
[[customs_union]]
members = "north + south"
external_tariff = "explicit"
external_rates = { goods = 0.1 }
start_year = 2025
)");
    const std::string rates = problems_of(file, {"customs_union.0.external_rates.steel=0.1"});
    CHECK_THAT(rates, Contains("--set customs_union.0.external_rates.steel=0.1: key 'customs_union[0].external_rates': unknown sector 'steel'"));
    CHECK(count_of(rates, "cu.toml") == 1);  // only the header names the file
    const std::string member = problems_of(file, {"customs_union.0.external_tariff=member", "customs_union.0.external_rates={}",
                                                  "customs_union.0.external_tariff_member=east"});
    CHECK_THAT(member, Contains("--set customs_union.0.external_tariff_member=east: key 'customs_union[0].external_tariff_member': "
                                "'east' is not a member"));
    const std::string missing_member = problems_of(file, {"customs_union.0.external_tariff=member", "customs_union.0.external_rates={}"});
    CHECK_THAT(missing_member, Contains("needs external_tariff_member") && !Contains("'' is not a member"));
}

TEST_CASE("a misspelt key is one message, not also a missing or needed key", "[sim][scenario][issues]") {
    integra::testing::temp_folder dir;
    const std::string text = problems_of(dir.write("m.toml", trade_dataset + R"(
[[customs_union]]
member = "north + south"
start_yaer = 2025
external_tariff = "explicit"
external_rate = { goods = 0.1 }
)"));
    CHECK_THAT(text, Contains("3 problem(s)"));
    CHECK_THAT(text, Contains("m.toml:4:1: unknown key 'customs_union[0].member' (did you mean 'customs_union[0].members', a required key?)"));
    CHECK_THAT(text, Contains("unknown key 'customs_union[0].start_yaer' (did you mean 'customs_union[0].start_year', a required key?)"));
    CHECK_THAT(text, Contains("(did you mean 'customs_union[0].external_rates', which external_tariff = \"explicit\" needs?)"));
    CHECK_THAT(text, !Contains("missing required key") && !Contains("\"explicit\" needs external_rates"));
    // A key that is missing with no misspelling in sight is still reported.
    CHECK_THAT(problems_of(dir.write("n.toml", trade_dataset + "[[customs_union]]\nstart_year = 2025\n")),
               Contains("table 'customs_union[0]': missing required key 'members'"));
}

TEST_CASE("unknown names get the closest label, group or long name", "[sim][scenario][issues]") {
    using integra::sim::suggestion;
    const std::vector<std::string> labels{"ARG", "BRA", "BRB", "USA"}, names{"Argentina", "Brazil", "Barbados", "United States"};
    CHECK(suggestion("BRZ", labels, names) == " (did you mean BRA?)");  // BRB is as close; Brazil has the letters B, R, Z
    CHECK(suggestion("bra", labels, names) == " (did you mean BRA?)");
    CHECK(suggestion("Brazil", labels, names) == " (did you mean BRA (Brazil)?)");
    CHECK(suggestion("united states", labels, names) == " (did you mean USA (United States)?)");
    CHECK(suggestion("BRX", labels, names) == " (did you mean BRA or BRB?)");
    CHECK(suggestion("Mercosr", labels, names, {"MERCOSUR", "CELAC"}) == " (did you mean MERCOSUR?)");
    CHECK(suggestion("XYZ", labels, names).empty());
    CHECK(suggestion("atlantis", labels, names).empty());
}

TEST_CASE("groups match whatever their case; labels exactly", "[sim][scenario]") {
    const std::vector<std::string> labels{"ARG", "BRA", "CHL"};
    const integra::sim::named_groups groups{{"MERCOSUR", {"ARG", "BRA"}}};
    integra::issues out;
    integra::sim::label_set set;
    set.expression = "mercosur + CHL - BRA";
    CHECK(integra::sim::resolve(set, labels, groups, "region", out) == std::vector<std::size_t>{0, 2});
    CHECK(out.empty());
    set.expression = "chl";
    CHECK(integra::sim::resolve(set, labels, groups, "region", out).empty());
    REQUIRE(out.size() == 1);
    CHECK_THAT(out.list()[0].message, Contains("unknown region or group 'chl' in \"chl\" (did you mean CHL?)"));
}

TEST_CASE("a TOML error on an unquoted word says to quote it", "[sim][scenario][issues]") {
    integra::testing::temp_folder dir;
    CHECK_THAT(problems_of(dir.write("q.toml", trade_dataset + "[[customs_union]]\nrevenue = kept  # a comment\n")),
               Contains("q.toml:3:") && Contains("TOML syntax error") && Contains("; strings must be quoted: revenue = \"kept\""));
    CHECK_THAT(problems_of(dir.write("r.toml", trade_dataset + "members = CELAC - VEN\n")),
               Contains("strings must be quoted: members = \"CELAC - VEN\""));
    CHECK_THAT(problems_of(dir.write("s.toml", trade_dataset + "[horizon\n")), !Contains("must be quoted"));
    CHECK_THAT(problems_of(dir.write("t.toml", trade_dataset + "rate = 0.5.1\n")), !Contains("must be quoted"));
}

TEST_CASE("a negative tariff is allowed with a warning: an import subsidy", "[sim][scenario][issues]") {
    integra::testing::temp_folder dir;
    const auto file = dir.write("neg.toml", trade_dataset + R"(
[horizon]
last_year = 2030
[[tariff_change]]
importers = "north"
exporters = "south"
rate = -0.05
start_year = 2025
[[customs_union]]
members = "south + east"
external_tariff = "explicit"
external_rates = { goods = -0.1 }
start_year = 2026
)");
    const auto bound = load_scenario(file);
    const auto& warnings = bound.spec.warnings;
    REQUIRE(warnings.size() == 2);
    CHECK(warnings[0].where == file.string() + ":8:8");
    CHECK_THAT(warnings[0].message, Contains("key 'tariff_change[0].rate': -0.05 is below zero: a negative tariff is an import subsidy "
                                             "(the importing region pays 5% of the import value)"));
    CHECK_THAT(warnings[1].message, Contains("key 'customs_union[0].external_rates.goods': -0.1 is below zero"));
    CHECK(load_scenario(file, {"tariff_change.0.rate=0.05", "customs_union.0.external_rates.goods=0"}).spec.warnings.empty());
}

TEST_CASE("summary.years: sorted without repeats, checked against the horizon", "[sim][scenario]") {
    integra::testing::temp_folder dir;
    const auto file = dir.write("years.toml", demo_dataset + R"(
[horizon]
first_year = 2024
last_year = 2030
[summary]
years = [2030, 2026, 2030]
)");
    CHECK(load_scenario(file).spec.summary_years == std::vector<int>{2026, 2030});
    CHECK(load_scenario(file, {"summary.years=[2025]"}).spec.summary_years == std::vector<int>{2025});
    CHECK_THAT(problems_of(file, {"summary.years=[2024, 2031]"}),
               Contains("key 'summary.years': 2031 is outside the horizon 2024-2030"));
    CHECK_THAT(problems_of(file, {"summary.years=2030"}),
               Contains("key 'summary.years': expected a non-empty list of calendar years, e.g. [2030, 2040, 2050], got 2030"));
    CHECK_THAT(problems_of(file, {"summary.years=[\"2030\"]"}), Contains("expected calendar years in [1900, 2200], got '2030'"));
}

// Development banks (issue 9): the lending rules, the pipeline CSV, the terms, [channels]
// and [public_capital], read and bound.
namespace {

const std::string demo_equilibrium = "dataset = \"" INTEGRA_SOURCE_DATA_DIR "/demo3x2\"\n[horizon]\nlast_year = 2030\n";

const std::string demo_bank =
    "[[development_bank]]\nmembers = \"north + south\"\ncapital = 100\nbond_holders = { north = 1.0 }\nstart_year = 2025\n";

Eigen::Index region_index(const integra::sim::bound_scenario& b, const std::string& label) {
    const auto& r = b.data->economy.regions;
    return static_cast<Eigen::Index>(std::find(r.begin(), r.end(), label) - r.begin());
}

const integra::sim::trade_equilibrium_setup& equilibrium_of(const integra::sim::bound_scenario& b) {
    return std::get<integra::sim::trade_equilibrium_setup>(b.model);
}

}  // namespace

TEST_CASE("development bank: a pipeline CSV is bound into its years and regions", "[sim][scenario][bank]") {
    integra::testing::temp_folder dir;
    dir.write("projects/pipeline.csv", "borrower,purpose,year,amount,note\n"
                                       "north,transport,2026,10,a road\n"
                                       "north,energy,2026,5,\n"
                                       "south,other,2027,7,\n"
                                       "north,transport,2026,2.5,the same road again\n"
                                       "east,social,2030,3,not a member nor a borrower\n");
    const auto bound = load_scenario(dir.write("p.toml", demo_equilibrium + "[channels]\ncomposition = false\n" + demo_bank +
                                                         "pipeline = \"projects/pipeline.csv\"\n"));
    const auto& setup = equilibrium_of(bound);
    REQUIRE(setup.banks.size() == 1);
    const auto& b = setup.banks[0];
    using rule = integra::sim::bound_development_bank::lending_rule;
    CHECK(b.rule == rule::pipeline);
    CHECK(b.transport_share == 0.0);
    const auto north = region_index(bound, "north"), south = region_index(bound, "south"), east = region_index(bound, "east");
    // Every year from the bank's start to the end of the horizon, zero where the CSV has none.
    REQUIRE(b.pipeline.size() == 6);
    CHECK(b.pipeline.begin()->first == 2025);
    CHECK(b.pipeline.rbegin()->first == 2030);
    for (const auto& [year, y] : b.pipeline) {
        CHECK(y.amounts.size() == 3);
        CHECK(y.transport.size() == 3);
    }
    CHECK(b.pipeline.at(2025).amounts.sum() == 0.0);
    // Rows of the same borrower and year add up; only "transport" is transport.
    CHECK(b.pipeline.at(2026).amounts(north) == 17.5);
    CHECK(b.pipeline.at(2026).transport(north) == 12.5);
    CHECK(b.pipeline.at(2026).amounts(south) == 0.0);
    CHECK(b.pipeline.at(2027).amounts(south) == 7.0);
    CHECK(b.pipeline.at(2027).transport(south) == 0.0);
    CHECK(b.pipeline.at(2030).amounts(east) == 3.0);  // a borrower need not be a member
    CHECK(b.pipeline.at(2028).amounts.sum() == 0.0);
}

TEST_CASE("development bank: a pipeline's corridor rows (column partner) are bound into an N x N matrix, a part of transport", "[sim][scenario][bank]") {
    integra::testing::temp_folder dir;
    dir.write("pipeline.csv", "borrower,purpose,year,amount,partner,note\n"
                              "north,transport,2026,10,south,a corridor\n"
                              "north,transport,2026,4,,a road at home\n"
                              "north,transport,2026,2.5,south,the same corridor again\n"
                              "north,transport,2026,1,east,\n"
                              "south,energy,2026,6,,\n"
                              "east,transport,2027,3,north,\"a bridge, east to north\"\n"
                              "south,transport,2028,5,,\n");
    const auto bound = load_scenario(dir.write("p.toml", demo_equilibrium + "[channels]\ncomposition = false\n" + demo_bank +
                                                         "pipeline = \"pipeline.csv\"\n"));
    const auto& b = equilibrium_of(bound).banks.at(0);
    const auto north = region_index(bound, "north"), south = region_index(bound, "south"), east = region_index(bound, "east");
    REQUIRE(b.pipeline.size() == 6);
    // A corridor row counts in the borrower's amounts and transport, and in corridor(borrower, partner).
    const auto& y2026 = b.pipeline.at(2026);
    CHECK(y2026.amounts(north) == 17.5);
    CHECK(y2026.transport(north) == 17.5);
    CHECK(y2026.amounts(south) == 6.0);
    CHECK(y2026.transport(south) == 0.0);
    REQUIRE(y2026.corridor.rows() == 3);
    REQUIRE(y2026.corridor.cols() == 3);
    CHECK(y2026.corridor(north, south) == 12.5);  // rows of the same borrower, partner and year add up
    CHECK(y2026.corridor(north, east) == 1.0);
    CHECK(y2026.corridor(south, north) == 0.0);  // borrower -> partner, not symmetric
    CHECK(y2026.corridor.sum() == 13.5);
    CHECK(y2026.corridor.row(north).sum() <= y2026.transport(north));
    const auto& y2027 = b.pipeline.at(2027);
    CHECK(y2027.amounts(east) == 3.0);
    CHECK(y2027.transport(east) == 3.0);
    REQUIRE(y2027.corridor.size() == 9);
    CHECK(y2027.corridor(east, north) == 3.0);
    CHECK(y2027.corridor.sum() == 3.0);
    // Years without a corridor row leave it empty: transport lending of the borrower alone, or none.
    CHECK(b.pipeline.at(2028).transport(south) == 5.0);
    CHECK(b.pipeline.at(2028).corridor.size() == 0);
    CHECK(b.pipeline.at(2025).corridor.size() == 0);
    CHECK(b.pipeline.at(2030).corridor.size() == 0);
}

TEST_CASE("development bank: a pipeline's header may have partner, note, both or neither", "[sim][scenario][bank]") {
    integra::testing::temp_folder dir;
    const auto bind = [&](const std::string& csv) {
        dir.write("pipeline.csv", csv);
        return load_scenario(dir.write("p.toml", demo_equilibrium + "[channels]\ncomposition = false\n" + demo_bank +
                                                     "pipeline = \"pipeline.csv\"\n"));
    };
    for (const std::string header : {"borrower,purpose,year,amount\n", "borrower,purpose,year,amount,note\n"}) {
        const std::string note = header.find("note") != std::string::npos ? ",a road" : "";
        const auto bound = bind(header + "north,transport,2026,10" + note + "\n");
        const auto& y = equilibrium_of(bound).banks.at(0).pipeline.at(2026);
        CHECK(y.transport(region_index(bound, "north")) == 10.0);
        CHECK(y.corridor.size() == 0);
    }
    for (const std::string header : {"borrower,purpose,year,amount,partner\n", "borrower,purpose,year,amount,partner,note\n"}) {
        const std::string note = header.find("note") != std::string::npos ? ",a corridor" : "";
        const auto bound = bind(header + "north,transport,2026,10,south" + note + "\n");
        const auto& y = equilibrium_of(bound).banks.at(0).pipeline.at(2026);
        const auto north = region_index(bound, "north"), south = region_index(bound, "south");
        CHECK(y.transport(north) == 10.0);
        REQUIRE(y.corridor.size() == 9);
        CHECK(y.corridor(north, south) == 10.0);
    }
    // partner after note, or a column of another name, is not a pipeline header.
    for (const std::string header : {"borrower,purpose,year,amount,note,partner", "borrower,purpose,year,amount,partners"}) {
        const auto commas = static_cast<std::size_t>(std::count(header.begin(), header.end(), ','));
        dir.write("pipeline.csv", header + "\nnorth,transport,2026,10" + std::string(commas - 3, ',') + "\n");
        CHECK_THAT(problems_of(dir.write("p.toml", demo_equilibrium + "[channels]\ncomposition = false\n" + demo_bank +
                                                       "pipeline = \"pipeline.csv\"\n")),
                   Contains("pipeline.csv:1: expected the header 'borrower,purpose,year,amount' (optionally then ',partner' "
                            "and/or ',note', in this order), got '" + header + "' (development_bank[0].pipeline)"));
    }
}

TEST_CASE("development bank: a pipeline's partner is another region of the dataset, with purpose transport", "[sim][scenario][bank]") {
    integra::testing::temp_folder dir;
    dir.write("pipeline.csv", "borrower,purpose,year,amount,partner\n"
                              "north,transport,2026,10,soth\n"
                              "north,transport,2026,10,north\n"
                              "north,energy,2026,10,south\n"
                              "north,transport,2026,10,\n"
                              "south,transport,2026,10,CELAC\n");
    const std::string text = problems_of(dir.write("p.toml", demo_equilibrium + "[channels]\ncomposition = false\n" + demo_bank +
                                                                 "pipeline = \"pipeline.csv\"\n"));
    CHECK_THAT(text, Contains("pipeline.csv:2: column 'partner': unknown region 'soth' (did you mean south?); expected a region "
                              "label of dataset 'demo3x2' (the other end of a corridor project) or an empty field "
                              "(development_bank[0].pipeline)"));
    CHECK_THAT(text, Contains("pipeline.csv:3: column 'partner': the partner 'north' is the borrower itself; expected another "
                              "region of dataset 'demo3x2' (the other end of a corridor project) or an empty field "
                              "(development_bank[0].pipeline)"));
    CHECK_THAT(text, Contains("pipeline.csv:4: column 'partner': a partner ('south') makes a cross-border corridor project, "
                              "which needs purpose 'transport', got purpose 'energy'; expected an empty partner or purpose "
                              "transport (development_bank[0].pipeline)"));
    CHECK_THAT(text, Contains("pipeline.csv:6: column 'partner': unknown region 'CELAC'"));
    CHECK_THAT(text, Contains("4 problem(s)"));
}

TEST_CASE("development bank: dividend_share is read in [0, 1], default 0", "[sim][scenario][bank]") {
    integra::testing::temp_folder dir;
    const auto file = dir.write("d.toml", demo_equilibrium + "[channels]\ncomposition = false\n" + demo_bank + "lending_envelope = 10\n");
    CHECK(equilibrium_of(load_scenario(file)).banks.at(0).terms.dividend_share == 0.0);
    CHECK(equilibrium_of(load_scenario(file, {"development_bank.0.dividend_share=0.4"})).banks.at(0).terms.dividend_share == 0.4);
    CHECK(equilibrium_of(load_scenario(file, {"development_bank.0.dividend_share=1"})).banks.at(0).terms.dividend_share == 1.0);
    CHECK_THAT(problems_of(file, {"development_bank.0.dividend_share=1.5"}),
               Contains("key 'development_bank[0].dividend_share': expected the share of a year's positive net income paid to "
                        "the members as dividends (0 = retained) in [0, 1], got 1.5"));
    CHECK_THAT(problems_of(file, {"development_bank.0.dividend_share=-0.1"}), Contains("in [0, 1], got -0.1"));
    CHECK_THAT(problems_of(file, {"development_bank.0.dividend_share=\"half\""}),
               Contains("key 'development_bank[0].dividend_share': expected the share of a year's positive net income"));
}

TEST_CASE("development bank: a pipeline's problems name the CSV file, line, column, value and what was expected", "[sim][scenario][bank]") {
    integra::testing::temp_folder dir;
    dir.write("pipeline.csv", "borrower,purpose,year,amount\n"
                              "norht,transport,2026,10\n"
                              "south,bridges,2027,7\n"
                              "south,energy,2022,7\n"
                              "south,energy,2027,-1\n"
                              "south,energy,2027,lots\n");
    const std::string text = problems_of(dir.write("p.toml", demo_equilibrium + "[channels]\ncomposition = false\n" + demo_bank +
                                                                 "pipeline = \"pipeline.csv\"\ntransport_share = 0.2\n"));
    CHECK_THAT(text, Contains("pipeline.csv:2: column 'borrower': unknown region 'norht' (did you mean north?); expected a region label of dataset 'demo3x2' (development_bank[0].pipeline)"));
    CHECK_THAT(text, Contains("pipeline.csv:3: column 'purpose': unknown purpose 'bridges'; expected one of transport, energy, social, productive, other"));
    CHECK_THAT(text, Contains("pipeline.csv:4: column 'year': year 2022 is outside the horizon 2023-2030"));
    CHECK_THAT(text, Contains("pipeline.csv:5: column 'amount': expected an amount > 0 (approvals in million USD at constant base-year prices), got '-1'"));
    CHECK_THAT(text, Contains("pipeline.csv:6: column 'amount': expected a finite number, got 'lots' (development_bank[0].pipeline)"));
    CHECK_THAT(text, Contains("p.toml:12:19: key 'development_bank[0].transport_share': not used with pipeline"));
    CHECK_THAT(text, Contains("6 problem(s)"));
}

TEST_CASE("development bank: capital by population, lending up to capacity and the terms are bound", "[sim][scenario][bank]") {
    integra::testing::temp_folder dir;
    const auto bound = load_scenario(dir.write("c.toml", demo_equilibrium + "[channels]\ncomposition = false\n" + demo_bank + R"(
capital_key = "population"
borrower_key = "population"
lending = "capacity"
transport_share = 0.4
paid_in_schedule = [0.1, 0.3, 0.3, 0.3]
capital_rule = "gearing"
max_gearing = 2.9
liquidity_rule = "next_year_disbursements"
liquidity_share = 0.5
expected_loss = 0.01
operating_cost_rate = 0.002
liquid_asset_rate = 0.035
disbursement_profile = [0.5, 0.3, 0.2]
)"));
    const auto& b = equilibrium_of(bound).banks.at(0);
    using rule = integra::sim::bound_development_bank::lending_rule;
    CHECK(b.rule == rule::capacity);
    CHECK(b.transport_share == 0.4);
    CHECK(b.pipeline.empty());
    // Subscriptions by the base year's population (the medium variant), members only.
    const auto& data = *bound.data;
    const auto& population = data.population.at("medium");
    const auto base = static_cast<Eigen::Index>(std::find(data.population_years.begin(), data.population_years.end(),
                                                          data.economy.base_year) - data.population_years.begin());
    const auto north = region_index(bound, "north"), south = region_index(bound, "south"), east = region_index(bound, "east");
    CHECK(b.capital.subscribed.sum() == Approx(100.0));
    CHECK(b.capital.subscribed(east) == 0.0);
    CHECK(b.capital.subscribed(north) / b.capital.subscribed(south) == Approx(population(base, north) / population(base, south)));
    CHECK(b.borrower_shares.sum() == Approx(1.0));
    CHECK(b.borrower_shares(north) == Approx(population(base, north) / (population(base, north) + population(base, south))));
    CHECK(b.capital.paid_in_schedule == std::vector<double>{0.1, 0.3, 0.3, 0.3});
    CHECK(b.terms.capital_rule == integra::models::bank_terms::capital_rule_kind::gearing);
    CHECK(b.terms.max_gearing == 2.9);
    CHECK(b.terms.liquidity_rule == integra::models::bank_terms::liquidity_base::next_year_disbursements);
    CHECK(b.terms.liquidity_share == 0.5);
    CHECK(b.terms.expected_loss == 0.01);
    CHECK(b.terms.operating_cost_rate == 0.002);
    CHECK(b.terms.liquid_asset_rate == 0.035);
    CHECK(b.terms.disbursement_profile == std::vector<double>{0.5, 0.3, 0.2});
    // The defaults: an envelope is rule amount, a share of GDP rule share_of_gdp.
    const auto amount = load_scenario(dir.write("a.toml", demo_equilibrium + "[channels]\ncomposition = false\n" + demo_bank + "lending_envelope = 10\n"));
    CHECK(equilibrium_of(amount).banks.at(0).rule == rule::amount);
    CHECK(equilibrium_of(amount).banks.at(0).capital.paid_in_schedule == integra::models::bank_capital{}.paid_in_schedule);
    const auto share = load_scenario(dir.write("s.toml", demo_equilibrium + "[channels]\ncomposition = false\n" + demo_bank + "lending_share_of_gdp = 0.01\n"));
    CHECK(equilibrium_of(share).banks.at(0).rule == rule::share_of_gdp);
}

TEST_CASE("development bank: the lending rule is exactly one of four keys", "[sim][scenario][bank]") {
    integra::testing::temp_folder dir;
    dir.write("pipeline.csv", "borrower,purpose,year,amount\nnorth,transport,2026,10\n");
    const std::string two = problems_of(dir.write("two.toml", demo_equilibrium + "[channels]\ncomposition = false\n" + demo_bank +
                                                              "lending_share_of_gdp = 0.01\npipeline = \"pipeline.csv\"\n"));
    CHECK_THAT(two, Contains("two.toml:12:12: key 'development_bank[0].pipeline': give exactly one of lending_envelope, "
                             "lending_share_of_gdp, lending = \"capacity\" or pipeline, got lending_share_of_gdp and pipeline"));
    const std::string none = problems_of(dir.write("none.toml", demo_equilibrium + "[channels]\ncomposition = false\n" + demo_bank));
    CHECK_THAT(none, Contains("none.toml:6:1: key 'development_bank[0].lending_envelope': a bank needs one lending rule"));
    const std::string schedule = problems_of(dir.write("sched.toml", demo_equilibrium + "[channels]\ncomposition = false\n" + demo_bank +
                                                                   "lending = \"capacity\"\npaid_in_schedule = [0.5, 0.4]\n"));
    CHECK_THAT(schedule, Contains("sched.toml:12:20: key 'development_bank[0].paid_in_schedule': the shares must sum to 1, got 0.9"));
}

TEST_CASE("[channels] and [public_capital] are read and bound, investment shares the same for every region", "[sim][scenario][bank]") {
    integra::testing::temp_folder dir;
    const auto bound = load_scenario(dir.write("pc.toml", demo_equilibrium + demo_bank + R"(lending_envelope = 10
[channels]
transfer = false
composition = true
productivity = false
trade_cost = false
decompose = true
[public_capital]
depreciation = 0.03
efficiency = 0.8
capital_to_gdp = 0.5
elasticity_short_run = 0.05
elasticity_long_run = 0.15
elasticity_adjustment_years = 0
transport_share_of_capital = 0.25
trade_cost_elasticity = 0.1
max_trade_cost_cut = 0.2
investment_shares = { goods = 0.7, services = 0.3 }
)"));
    const auto& s = equilibrium_of(bound);
    CHECK_FALSE(s.channels.transfer);
    CHECK(s.channels.composition);
    CHECK_FALSE(s.channels.productivity);
    CHECK_FALSE(s.channels.trade_cost);
    CHECK(s.channels.decompose);
    CHECK(s.channels.at.line == 10);
    CHECK(s.public_capital.depreciation == 0.03);
    CHECK(s.public_capital.efficiency == 0.8);
    CHECK(s.public_capital.capital_to_gdp == 0.5);
    CHECK(s.public_capital.elasticity_short_run == 0.05);
    CHECK(s.public_capital.elasticity_long_run == 0.15);
    CHECK(s.public_capital.elasticity_adjustment_years == 0);
    CHECK(s.public_capital.transport_share_of_capital == 0.25);
    CHECK(s.public_capital.trade_cost_elasticity == 0.1);
    CHECK(s.public_capital.max_trade_cost_cut == 0.2);
    const auto& sectors = bound.data->economy.sectors;
    const auto goods = static_cast<Eigen::Index>(std::find(sectors.begin(), sectors.end(), "goods") - sectors.begin());
    REQUIRE(s.investment_shares.rows() == 2);
    REQUIRE(s.investment_shares.cols() == 3);
    for (Eigen::Index n = 0; n < 3; ++n) {
        CHECK(s.investment_shares(goods, n) == Approx(0.7));
        CHECK(s.investment_shares.col(n).sum() == Approx(1.0));
    }
    // A sector not given gets 0.
    const auto one = load_scenario(dir.write("one.toml", demo_equilibrium + demo_bank +
                                                         "lending_envelope = 10\n[public_capital]\ninvestment_shares = { services = 1 }\n"));
    CHECK(equilibrium_of(one).investment_shares(goods, 0) == 0.0);
    CHECK(equilibrium_of(one).investment_shares.col(2).sum() == 1.0);
    // Without a bank nothing is bound and nothing is asked for; the defaults are models'.
    const auto none = load_scenario(dir.write("nobank.toml", demo_equilibrium));
    CHECK(equilibrium_of(none).investment_shares.size() == 0);
    CHECK(equilibrium_of(none).public_capital.efficiency == integra::models::public_capital_settings{}.efficiency);
    CHECK(equilibrium_of(none).channels.composition);
}

TEST_CASE("[public_capital] problems, and a composition channel without investment shares", "[sim][scenario][bank]") {
    integra::testing::temp_folder dir;
    const std::string text = problems_of(dir.write("bad.toml", demo_equilibrium + R"([public_capital]
depreciation = 1
efficiency = 0
elasticity_long_run = -0.1
elasticity_adjustment_years = 2.5
max_trade_cost_cut = 1.0
investment_shares = { goods = 0.5, service = 0.5 }
)"));
    CHECK_THAT(text, Contains("bad.toml:5:16: key 'public_capital.depreciation': expected a depreciation rate per year (0.025 = 2.5%) in [0, 1), got 1"));
    CHECK_THAT(text, Contains("bad.toml:6:14: key 'public_capital.efficiency': expected the public capital a unit of spending builds (0.70) (a number > 0 and <= 1), got 0"));
    CHECK_THAT(text, Contains("key 'public_capital.elasticity_long_run': expected an output elasticity of public capital (0.12) in [0, 1], got -0.1"));
    CHECK_THAT(text, Contains("key 'public_capital.elasticity_adjustment_years': expected a number of years >= 0, got 2.5"));
    CHECK_THAT(text, Contains("key 'public_capital.max_trade_cost_cut': expected the largest cut in a region's trade costs (0.25) in [0, 1), got 1"));
    CHECK_THAT(text, Contains("bad.toml:10:") && Contains("key 'public_capital.investment_shares': unknown sector 'service' (did you mean services"));
    // The composition channel needs shares (demo3x2 has none): reported at the bank...
    const std::string composition = problems_of(dir.write("comp.toml", demo_equilibrium + demo_bank + "lending_envelope = 10\n"));
    CHECK_THAT(composition, Contains("comp.toml:4:1: key 'development_bank[0]': the composition channel needs investment shares: "
                                     "give [public_capital] investment_shares or use a dataset with investment_shares, or set "
                                     "channels.composition = false"));
    // ... but not when the shares were given wrong (that one problem is reported).
    const std::string wrong = problems_of(dir.write("wrong.toml", demo_equilibrium + demo_bank +
                                                                "lending_envelope = 10\n[public_capital]\ninvestment_shares = { goods = 2 }\n"));
    CHECK_THAT(wrong, Contains("1 problem(s)") && Contains("the share of 'goods' must be a number in [0, 1], got 2"));
}

TEST_CASE("development bank: keys a rule or a key makes unused, names and terms are reported, not ignored", "[sim][scenario][bank]") {
    integra::testing::temp_folder dir;
    dir.write("pipeline.csv", "borrower,purpose,year,amount\nnorth,transport,2026,10\n");
    const std::string head = demo_equilibrium + "[channels]\ncomposition = false\n";
    // capital with capital_key = "explicit"; borrowers and borrower_key with a pipeline.
    const std::string unused = problems_of(dir.write("unused.toml", head + demo_bank +
        "capital_key = \"explicit\"\ncapital_by_member = { north = 60, south = 40 }\npipeline = \"pipeline.csv\"\n"
        "borrowers = \"north\"\nborrower_key = \"equal\"\n"));
    CHECK_THAT(unused, Contains("unused.toml:8:11: key 'development_bank[0].capital': capital is not used with capital_key = "
                                "\"explicit\": the subscriptions are capital_by_member (the bank's capital is their sum), got "
                                "capital = 100; remove capital or choose another capital_key"));
    CHECK_THAT(unused, Contains("unused.toml:14:13: key 'development_bank[0].borrowers': not used with pipeline: the pipeline's "
                                "rows name the borrowers (its column 'borrower'), got borrowers = \"north\"; remove borrowers"));
    CHECK_THAT(unused, Contains("unused.toml:15:16: key 'development_bank[0].borrower_key': not used with pipeline"));
    CHECK_THAT(unused, Contains("3 problem(s)"));
    // Names: unique over the scenario's banks, not empty.
    const std::string bank_b = "[[development_bank]]\nname = \"fund\"\nmembers = \"north\"\ncapital = 10\nlending_envelope = 1\n"
                               "bond_holders = { south = 1.0 }\nstart_year = 2026\n";
    const std::string names = problems_of(dir.write("names.toml", head + demo_bank + "name = \"fund\"\nlending_envelope = 10\n" +
                                                                  bank_b + bank_b + "[[development_bank]]\nname = \"\"\n"
                                                                  "members = \"north\"\ncapital = 1\nlending_envelope = 1\n"
                                                                  "bond_holders = { south = 1.0 }\nstart_year = 2026\n"));
    CHECK_THAT(names, Contains("names.toml:14:8: key 'development_bank[1].name': \"fund\" is already the name of development_bank[0] ("));
    CHECK_THAT(names, Contains("names.toml:11:8); each bank needs its own name (it labels the bank in the output's bank coordinate)"));
    CHECK_THAT(names, Contains("names.toml:21:8: key 'development_bank[2].name': \"fund\" is already the name of development_bank[0]"));
    CHECK_THAT(names, Contains("names.toml:28:8: key 'development_bank[3].name': expected a name for the bank"));
    CHECK_THAT(names, Contains("3 problem(s)"));
    // Terms: the range said once; maturity >= 2 without grace; spread >= 0; funding rate in [-0.1, 0.5].
    const std::string terms = problems_of(dir.write("terms.toml", head + demo_bank +
        "lending_share_of_gdp = 1.5\ngrace_years = 0\nmaturity_years = 1\ndisbursement_profile = [1.0]\n"
        "lending_spread = -0.01\nfunding_rate = 0.9\n"));
    CHECK_THAT(terms, Contains("key 'development_bank[0].lending_share_of_gdp': expected approvals per year as a share of the "
                               "members' GDP in [0, 1], got 1.5\n"));
    CHECK_THAT(terms, Contains("terms.toml:13:18: key 'development_bank[0].maturity_years': with grace_years = 0 the maturity "
                               "must be at least 2 years, got 1"));
    CHECK_THAT(terms, Contains("terms.toml:15:18: key 'development_bank[0].lending_spread': expected a spread over the funding "
                               "rate, as a fraction (0.0175 = 175 bp) in [0, 0.5], got -0.01: a negative spread lends below the "
                               "bank's own funding cost"));
    CHECK_THAT(terms, Contains("terms.toml:16:16: key 'development_bank[0].funding_rate': expected a funding rate per year, as a "
                               "fraction (0.045 = 4.5%) in [-0.1, 0.5], got 0.9"));
    CHECK_THAT(terms, Contains("4 problem(s)"));
    // grace 0 and maturity 2 are fine; so are a zero spread and a 50% funding rate.
    const auto fine = load_scenario(dir.write("fine.toml", head + demo_bank + "lending_envelope = 10\ngrace_years = 0\n"
                                                           "maturity_years = 2\ndisbursement_profile = [0.5, 0.5]\n"
                                                           "lending_spread = 0\nfunding_rate = 0.5\n"));
    CHECK(equilibrium_of(fine).banks.at(0).terms.maturity_years == 2);
    CHECK(equilibrium_of(fine).banks.at(0).terms.lending_spread == 0.0);
}

TEST_CASE("development bank: the default bondholders need USA, EU27 and ROW in the dataset", "[sim][scenario][bank]") {
    integra::testing::temp_folder dir;
    const std::string text = problems_of(dir.write("b.toml", demo_equilibrium + "[channels]\ncomposition = false\n"
                                                             "[[development_bank]]\nmembers = \"north + south\"\ncapital = 100\n"
                                                             "lending_envelope = 10\nstart_year = 2025\n"));
    CHECK_THAT(text, Contains("b.toml:6:1: key 'development_bank[0].bond_holders': the default bondholders (USA 0.35, EU27 0.35, "
                              "ROW 0.2, the members 0.1) need regions or groups USA, EU27 and ROW, but dataset 'demo3x2' has no "
                              "USA, EU27, ROW (its regions: north, south, east); give bond_holders = { ... } explicitly, region "
                              "sets with shares summing to 1, e.g. bond_holders = { north = 0.5, south = 0.5 }"));
    CHECK_THAT(text, Contains("1 problem(s)"));
}

// Free movement of workers (issue 13): [[free_movement]] and [migration], read and bound.
namespace {

// A copy of demo3x2 with migrant stocks (free movement needs them); the scenario text
// starts with its dataset and a horizon 2023-2030 (lines 1-3).
std::string demo_with_migrants(const integra::testing::temp_folder& dir) {
    namespace fs = std::filesystem;
    const fs::path target = dir.path() / "demo_m";
    if (fs::exists(target)) return "dataset = \"" + target.string() + "\"\n[horizon]\nlast_year = 2030\n";
    fs::copy(INTEGRA_SOURCE_DATA_DIR "/demo3x2", target, fs::copy_options::recursive);
    std::ifstream in(target / "manifest.toml", std::ios::binary);
    std::string manifest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    const std::string files = "[files]\n";
    manifest.insert(manifest.find(files) + files.size(), "migrant_stocks = \"migrant_stocks.csv\"\n");
    std::ofstream(target / "manifest.toml", std::ios::trunc | std::ios::binary) << manifest;
    std::ofstream(target / "migrant_stocks.csv", std::ios::binary) << "origin,destination,value\nnorth,south,5\nsouth,north,7\neast,north,2\n";
    return "dataset = \"" + target.string() + "\"\n[horizon]\nlast_year = 2030\n";
}

}  // namespace

TEST_CASE("free movement: members, cost cut and phase-in are bound; [migration] settings too", "[sim][scenario][migration]") {
    integra::testing::temp_folder dir;
    const auto bound = load_scenario(dir.write("fm.toml", demo_with_migrants(dir) + R"([[free_movement]]
members = "north + south"
start_year = 2025
[[free_movement]]
name = "wide"
members = "all"
start_year = 2026
phase_in_years = 2
cost_cut = 0.1
[migration]
elasticity = 3.0
adjustment_speed = 1
mover_productivity = 0.8
remittance_share = 0.05
calibrate_remittances = false
)"));
    const auto& s = equilibrium_of(bound);
    REQUIRE(s.free_movement.size() == 2);
    const auto north = region_index(bound, "north"), south = region_index(bound, "south"), east = region_index(bound, "east");
    const auto& a = s.free_movement[0];
    CHECK(a.label == "free_movement[0]");  // the default name
    CHECK(a.cost_cut == 0.20);             // the default cut
    CHECK(a.member_mask(north) == 1.0);
    CHECK(a.member_mask(south) == 1.0);
    CHECK(a.member_mask(east) == 0.0);
    CHECK(a.phase.start_year == 2025);
    CHECK(a.phase.years == 10);  // the default phase-in
    CHECK(a.phase.share(2024) == 0.0);
    CHECK(a.phase.share(2025) == Approx(0.1));
    const auto& b = s.free_movement[1];
    CHECK(b.label == "wide");
    CHECK(b.cost_cut == 0.1);
    CHECK(b.member_mask.sum() == 3.0);
    CHECK(b.phase.years == 2);
    CHECK(b.phase.share(2027) == 1.0);
    CHECK(s.migration.elasticity == 3.0);
    CHECK(s.migration.adjustment_speed == 1.0);
    CHECK(s.migration.mover_productivity == 0.8);
    CHECK(s.migration.remittance_share == 0.05);
    CHECK_FALSE(s.calibrate_remittances);
    CHECK(bound.spec.migration.at.line == 13);

    // mu-hat: 1 - s x on members' pairs (not the diagonal); overlapping areas take the
    // largest cut, they do not compound.
    using integra::sim::free_movement_cost_change;
    CHECK(free_movement_cost_change(s.free_movement, 2024, 3) == Eigen::MatrixXd::Ones(3, 3));
    const Eigen::MatrixXd y2025 = free_movement_cost_change(s.free_movement, 2025, 3);
    CHECK(y2025(north, south) == Approx(1.0 - 0.1 * 0.2));
    CHECK(y2025(south, north) == Approx(1.0 - 0.1 * 0.2));
    CHECK(y2025(north, north) == 1.0);
    CHECK(y2025(north, east) == 1.0);
    const Eigen::MatrixXd y2026 = free_movement_cost_change(s.free_movement, 2026, 3);
    CHECK(y2026(north, south) == Approx(1.0 - 0.05));  // max(0.2 x 0.2 = 0.04, 0.5 x 0.1 = 0.05)
    CHECK(y2026(east, north) == Approx(1.0 - 0.05));
    const Eigen::MatrixXd y2030 = free_movement_cost_change(s.free_movement, 2030, 3);
    CHECK(y2030(north, south) == Approx(1.0 - 0.2 * 0.6));  // max(0.12, 0.1)
    CHECK(y2030(south, east) == Approx(0.9));
    CHECK(free_movement_cost_change(s.free_movement, 2040, 3)(north, south) == Approx(0.8));
    CHECK(free_movement_cost_change({}, 2030, 3) == Eigen::MatrixXd::Ones(3, 3));

    // Without the tables: none bound, and the defaults are models'.
    const auto none = load_scenario(dir.write("none.toml", demo_equilibrium));
    CHECK(equilibrium_of(none).free_movement.empty());
    const integra::models::migration_settings defaults;
    CHECK(equilibrium_of(none).migration.elasticity == defaults.elasticity);
    CHECK(equilibrium_of(none).migration.adjustment_speed == defaults.adjustment_speed);
    CHECK(equilibrium_of(none).migration.mover_productivity == defaults.mover_productivity);
    CHECK(equilibrium_of(none).migration.remittance_share == defaults.remittance_share);
    CHECK(equilibrium_of(none).calibrate_remittances);
    // A schedule instead of phase_in_years.
    const auto scheduled = load_scenario(dir.write("sched.toml", demo_with_migrants(dir) +
                                                                     "[[free_movement]]\nmembers = \"north + east\"\nstart_year = 2025\n"
                                                                     "schedule = { 2025 = 0.5, 2027 = 1.0 }\ncost_cut = 0\n"));
    const auto& area = equilibrium_of(scheduled).free_movement.at(0);
    CHECK(area.phase.share(2026) == 0.5);
    CHECK(area.cost_cut == 0.0);
    CHECK(free_movement_cost_change(equilibrium_of(scheduled).free_movement, 2030, 3) == Eigen::MatrixXd::Ones(3, 3));
}

TEST_CASE("free movement: bad members, cuts, years and [migration] values are reported with file:line", "[sim][scenario][migration]") {
    integra::testing::temp_folder dir;
    const std::string head = demo_with_migrants(dir);
    const std::string text = problems_of(dir.write("bad.toml", head + R"([[free_movement]]
members = "north + atlantis"
start_year = 2025
[[free_movement]]
members = "south"
start_year = 2040
cost_cut = 1
[[free_movement]]
name = "free_movement[0]"
members = "all"
start_year = 2025
phase_in_years = -1
[migration]
elasticity = -0.5
adjustment_speed = 0
mover_productivity = 2.5
remittance_share = 1
calibrate_remittances = "yes"
speed = 0.2
)"));
    const std::string f = dir.path().string() + "/bad.toml";
    CHECK_THAT(text, Contains(f + ":5:11: key 'free_movement[0].members': unknown region or group 'atlantis' in \"north + atlantis\""));
    CHECK_THAT(text, Contains(f + ":8:11: key 'free_movement[1].members': expected at least 2 regions (free movement is between members), got 1 (\"south\")"));
    CHECK_THAT(text, Contains(f + ":9:14: key 'free_movement[1].start_year': 2040 is outside the horizon 2023-2030"));
    CHECK_THAT(text, Contains(f + ":10:12: key 'free_movement[1].cost_cut': expected a cut in the migration costs between members, "
                                  "as a fraction (0.20 = 20%; mu-hat = 1 - cut) in [0, 1), got 1"));
    CHECK_THAT(text, Contains(f + ":12:8: key 'free_movement[2].name': \"free_movement[0]\" is already the name of free_movement[0]"));
    CHECK_THAT(text, Contains("key 'free_movement[2].phase_in_years': expected a number of years >= 0"));
    CHECK_THAT(text, Contains(f + ":17:14: key 'migration.elasticity': expected kappa, the migration elasticity to real wages, "
                                  "annual (2.0) in [0, 100], got -0.5"));
    CHECK_THAT(text, Contains(f + ":18:20: key 'migration.adjustment_speed': expected rho, the share of the gap to the desired "
                                  "stocks closed a year (0.15) (a number > 0 and <= 1), got 0"));
    CHECK_THAT(text, Contains("key 'migration.mover_productivity': expected zeta, a mover's efficiency relative to a native's (1.0) "
                              "(a number > 0 and <= 2), got 2.5"));
    CHECK_THAT(text, Contains("key 'migration.remittance_share': expected r, the share of movers' labour income sent home (0.10) "
                              "in [0, 1), got 1"));
    CHECK_THAT(text, Contains("key 'migration.calibrate_remittances': expected true or false, got 'yes' (a string)"));
    CHECK_THAT(text, Contains(f + ":22:1: unknown key 'migration.speed'"));
    CHECK_THAT(problems_of(dir.write("fast.toml", head + "[migration]\nadjustment_speed = 1.5\n")),
               Contains("key 'migration.adjustment_speed': expected rho, the share of the gap to the desired stocks closed a year "
                        "(0.15) (a number > 0 and <= 1), got 1.5"));
    // Members are required; free movement needs the trade equilibrium and the dataset's migrant stocks.
    CHECK_THAT(problems_of(dir.write("nomembers.toml", head + "[[free_movement]]\nstart_year = 2025\n")),
               Contains("nomembers.toml:4:1: table 'free_movement[0]': missing required key 'members' (e.g. members = \"CELAC\")"));
    const std::string io = problems_of(dir.write("io.toml", "model = \"input_output\"\n" + head + "[[free_movement]]\nmembers = \"all\"\nstart_year = 2025\n"));
    CHECK_THAT(io, Contains("key 'model': free_movement needs model = \"trade_equilibrium\""));
    const std::string stocks = problems_of(dir.write("nostocks.toml", demo_equilibrium + "[[free_movement]]\nmembers = \"all\"\n"
                                                                                      "start_year = 2025\n[[free_movement]]\n"
                                                                                      "members = \"north + south\"\nstart_year = 2025\n"));
    CHECK_THAT(stocks, Contains("nostocks.toml:4:1: key 'free_movement[0]': free movement needs the dataset's migrant stocks "
                                "(migrant_stocks.csv"));
    CHECK_THAT(stocks, Contains("1 problem(s)"));  // once, at the first table
}
