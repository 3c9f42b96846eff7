// Scenario files: strict parsing, every problem at once with file:line:col, extends and --set.
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "sim/bound_scenario.hpp"
#include "sim/runner.hpp"
#include "temp_folder.hpp"

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
