// The runner: phase-ins, a zero-size policy, Leontief consistency, thread independence.
#include <catch2/catch.hpp>

#include "sim/bound_scenario.hpp"
#include "sim/runner.hpp"
#include "sim/scenario/scenario.hpp"
#include "temp_folder.hpp"


namespace {
double phase_in(int year, int start_year, int years) { return integra::sim::phase_in{start_year, years, {}, {}}.share(year); }
}  // namespace

namespace {

integra::sim::bound_scenario demo(const std::vector<std::string>& overrides = {}) {
    return integra::sim::load_scenario(INTEGRA_TEST_DIR "/../scenarios/demo.toml", overrides);
}

std::vector<double> slice(const integra::sim::variable& v, std::size_t c, std::size_t n_per_case) {
    return {v.data.begin() + static_cast<long>(c * n_per_case), v.data.begin() + static_cast<long>((c + 1) * n_per_case)};
}

}  // namespace

TEST_CASE("phase-in is 0 before the start, linear, monotone and reaches 1", "[sim][runner]") {
    CHECK(phase_in(2025, 2026, 3) == 0.0);
    CHECK(phase_in(2026, 2026, 3) == Approx(1.0 / 3));
    CHECK(phase_in(2027, 2026, 3) == Approx(2.0 / 3));
    CHECK(phase_in(2028, 2026, 3) == 1.0);
    CHECK(phase_in(2040, 2026, 3) == 1.0);
    CHECK(phase_in(2026, 2026, 0) == 1.0);
    for (int y = 2020; y < 2040; ++y) CHECK(phase_in(y + 1, 2026, 5) >= phase_in(y, 2026, 5));
}

TEST_CASE("a policy of zero size reproduces the baseline exactly", "[sim][runner]") {
    const auto bound = demo({"final_demand_shock.0.change=0.0"});
    [[maybe_unused]] const auto& spec = bound.spec;
    [[maybe_unused]] const auto& data = *bound.data;
    const auto r = integra::sim::run_scenario(bound);
    for (const char* name : {"gross_output", "gdp", "trade"}) {
        const auto& v = r.find(name);
        CHECK(slice(v, 0, v.data.size() / 2) == slice(v, 1, v.data.size() / 2));
    }
}

TEST_CASE("with no growth and no shock the base year is reproduced", "[sim][runner]") {
    const auto bound = demo({"final_demand_shock.0.change=0.0", "baseline.final_demand_growth=0.0"});
    [[maybe_unused]] const auto& spec = bound.spec;
    [[maybe_unused]] const auto& data = *bound.data;
    const auto r = integra::sim::run_scenario(bound);
    const auto& x = r.find("gross_output").data;
    const auto& e = data.economy;
    for (std::size_t i = 0; i < e.n_regions(); ++i)
        for (std::size_t s = 0; s < e.n_sectors(); ++s)
            CHECK(x[i * e.n_sectors() + s] == Approx(e.gross_output(static_cast<long>(i), static_cast<long>(s))).epsilon(1e-12));
}

TEST_CASE("a final-demand shock raises output by L times the shock", "[sim][runner]") {
    const auto bound = demo();
    [[maybe_unused]] const auto& spec = bound.spec;
    [[maybe_unused]] const auto& data = *bound.data;
    const auto r = integra::sim::run_scenario(bound);
    const auto& gdp = r.find("gdp").data;
    const std::size_t years = 13, regions = 3, last = years - 1;
    for (std::size_t i = 0; i < regions; ++i)
        CHECK(gdp[(years + last) * regions + i] > gdp[last * regions + i]);  // everyone gains
    // Before the shock starts (2026) the cases agree.
    CHECK(gdp[(years + 2) * regions + 1] == gdp[2 * regions + 1]);
}

TEST_CASE("runner results do not depend on the number of threads", "[sim][runner]") {
    const auto bound = demo();
    [[maybe_unused]] const auto& spec = bound.spec;
    [[maybe_unused]] const auto& data = *bound.data;
    auto run_with = [&](int threads) {
        integra::sim::run_options options;
        options.threads = threads;
        return integra::sim::run_scenario(bound, options);
    };
    const auto one = run_with(1), two = run_with(2);
    for (std::size_t v = 0; v < one.variables.size(); ++v) CHECK(one.variables[v].data == two.variables[v].data);
}

namespace {

integra::sim::bound_scenario celac_scenario(integra::testing::temp_folder& dir, const std::string& policies) {
    const auto file = dir.write("s.toml", "dataset = \"" INTEGRA_SOURCE_DATA_DIR "/celac38\"\nmodel = \"trade_equilibrium\"\n"
                                          "[horizon]\nfirst_year = 2023\nlast_year = 2027\n" + policies);
    return integra::sim::load_scenario(file);
}

}  // namespace

TEST_CASE("equilibrium: a policy of zero size reproduces the baseline exactly", "[sim][runner][equilibrium]") {
    integra::testing::temp_folder dir;
    const auto bound = celac_scenario(dir, "[[tariff_change]]\nimporters = \"CELAC\"\nexporters = \"CHN\"\ncut = 0.0\nstart_year = 2024\n");
    [[maybe_unused]] const auto& spec = bound.spec;
    [[maybe_unused]] const auto& data = *bound.data;
    const auto r = integra::sim::run_scenario(bound);
    for (const char* name : {"gdp_volume", "real_income", "gdp_market_prices", "trade", "gross_output", "tariff_revenue"}) {
        const auto& v = r.find(name);
        CHECK(slice(v, 0, v.data.size() / 2) == slice(v, 1, v.data.size() / 2));
    }
    for (double w : r.find("welfare_change").data) CHECK(w == 0.0);
}

TEST_CASE("equilibrium: the baseline grows with population and productivity", "[sim][runner][equilibrium]") {
    integra::testing::temp_folder dir;
    const auto bound = celac_scenario(dir, "");
    [[maybe_unused]] const auto& spec = bound.spec;
    [[maybe_unused]] const auto& data = *bound.data;
    const auto r = integra::sim::run_scenario(bound);
    const auto& volume = r.find("gdp_volume").data;  // (case, year, region), 5 years
    const auto& gdp = r.find("gdp").data;
    const std::size_t R = data.economy.n_regions(), Y = 5;
    // Base year: GDP is the dataset's value added (stored to 9 significant digits), and the
    // GDP volume index is exactly 1 in both cases.
    for (std::size_t n = 0; n < R; ++n) {
        CHECK(gdp[n] == Approx(data.economy.value_added.row(static_cast<long>(n)).sum()).epsilon(1e-8));
        CHECK(volume[n] == 1.0);
        CHECK(volume[Y * R + n] == 1.0);
    }
    // World GDP volume (at base-year prices) grows every year of the baseline, and so does
    // every region's where effective labour grows.
    auto world = [&](std::size_t y) {
        double total = 0.0;
        for (std::size_t n = 0; n < R; ++n) total += volume[y * R + n] * gdp[n];
        return total;
    };
    for (std::size_t y = 1; y < 5; ++y) CHECK(world(y) > world(y - 1));
    // GDP at market prices = value added + tariff revenue collected.
    const auto& market = r.find("gdp_market_prices").data;
    const auto& revenue = r.find("tariff_revenue").data;
    for (std::size_t k = 0; k < market.size(); ++k) CHECK(market[k] == Approx(gdp[k] + revenue[k]).epsilon(1e-14));
    for (double residual : r.find("solver_residual").data) CHECK(residual <= 1e-10);
}

TEST_CASE("equilibrium: a customs union raises intra-bloc trade as it phases in", "[sim][runner][equilibrium]") {
    integra::testing::temp_folder dir;
    const auto bound = celac_scenario(dir, "[[customs_union]]\nmembers = \"CELAC\"\nexternal_tariff = \"trade_weighted_mfn_mean\"\nstart_year = 2024\nphase_in_years = 4\n");
    [[maybe_unused]] const auto& spec = bound.spec;
    [[maybe_unused]] const auto& data = *bound.data;
    const auto r = integra::sim::run_scenario(bound);
    const auto& share = r.find("intra_bloc_trade_share").data;  // (case, year, bloc), 5 years, 1 bloc
    CHECK(share[5 + 0] == share[0]);                            // 2023: not yet in force
    for (std::size_t y = 1; y < 5; ++y) {
        CHECK(share[5 + y] > share[y]);                 // more intra-bloc trade than the baseline
        CHECK(share[5 + y] - share[y] > share[5 + y - 1] - share[y - 1]);  // and more each phase-in year
    }
    CHECK(r.find("intra_bloc_import_change").data.back() > 0.0);
}

TEST_CASE("group expressions resolve on celac38", "[sim][scenario]") {
    const auto data = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/celac38");
    integra::issues found;
    auto names = [&](const std::string& expression) {
        std::vector<std::string> out;
        for (auto i : integra::sim::resolve_regions({expression, "members", {}}, data, found)) out.push_back(data.economy.regions[i]);
        return out;
    };
    CHECK(names("MERCOSUR - BOL") == std::vector<std::string>{"ARG", "BRA", "PRY", "URY"});
    CHECK(names("USMCA") == std::vector<std::string>{"MEX", "USA", "CAN"});
    CHECK(names("CELAC").size() == 33);
    CHECK(names("CELAC + USMCA").size() == 35);
    CHECK(names("all - CELAC") == std::vector<std::string>{"USA", "CAN", "CHN", "EU27", "ROW"});
    CHECK(found.empty());
    CHECK(names("CELAC - NARNIA").empty());
    REQUIRE(found.size() == 1);
    CHECK_THAT(found.list()[0].message, Catch::Matchers::Contains("unknown region or group 'NARNIA'"));
}

TEST_CASE("a phase-in schedule is a monotone step function", "[sim][runner]") {
    const integra::sim::phase_in p{2027, 0, {{2027, 0.25}, {2029, 0.5}, {2032, 1.0}}, {}};
    CHECK(p.share(2026) == 0.0);
    CHECK(p.share(2027) == 0.25);
    CHECK(p.share(2028) == 0.25);
    CHECK(p.share(2030) == 0.5);
    CHECK(p.share(2040) == 1.0);
}

TEST_CASE("equilibrium: a CSV of tariff edits changes only its cells, with a schedule", "[sim][runner][equilibrium]") {
    integra::testing::temp_folder dir;
    dir.write("edits.csv", "importer,exporter,sector,rate\nBRA,CHN,manufacturing,0.25\n");
    const auto bound = celac_scenario(
        dir, "[[tariff_change]]\nfile = \"edits.csv\"\nstart_year = 2024\nschedule = { 2024 = 0.5, 2026 = 1.0 }\n");
    [[maybe_unused]] const auto& spec = bound.spec;
    [[maybe_unused]] const auto& data = *bound.data;
    const auto r = integra::sim::run_scenario(bound);
    const auto& revenue = r.find("tariff_revenue").data;  // (case, year, region)
    const std::size_t R = data.economy.n_regions(), Y = 5, brazil = 5, argentina = 0;
    REQUIRE(data.economy.regions[brazil] == "BRA");
    CHECK(revenue[(Y + 0) * R + brazil] == revenue[0 * R + brazil]);  // 2023: not yet
    CHECK(revenue[(Y + 1) * R + brazil] > revenue[1 * R + brazil]);   // 2024: half the rise
    const auto& welfare = r.find("welfare_change").data;
    CHECK(std::abs(welfare[3 * R + brazil]) > std::abs(welfare[1 * R + brazil]));  // 2026: all of it
    // Another country's own tariffs are untouched: its revenue moves only through trade (Chinese goods
    // diverted from Brazil), by about 1%.
    CHECK(std::abs(revenue[(Y + 3) * R + argentina] / revenue[3 * R + argentina] - 1.0) < 0.02);
}

TEST_CASE("equilibrium: an unknown label in a CSV of tariff edits names its file and line", "[sim][runner][equilibrium]") {
    integra::testing::temp_folder dir;
    dir.write("edits.csv", "importer,exporter,sector,rate\nBRA,CHN,manufacturing,0.25\nBRA,XXX,manufacturing,0.1\n");
    CHECK_THROWS_WITH(celac_scenario(dir, "[[tariff_change]]\nfile = \"edits.csv\"\nstart_year = 2024\n"),
                      Catch::Matchers::Contains("edits.csv:3: column 'exporter': unknown region 'XXX'"));
}

TEST_CASE("equilibrium: productivity and labour policies raise real income where they apply", "[sim][runner][equilibrium]") {
    integra::testing::temp_folder dir;
    const auto bound = celac_scenario(dir, "[[productivity_change]]\nregions = \"PRY\"\nsectors = \"manufacturing\"\n"
                                                  "change = 0.05\nstart_year = 2025\nphase_in_years = 2\n"
                                                  "[[labour_change]]\nregions = \"MEX\"\nchange = 0.01\nstart_year = 2026\n");
    [[maybe_unused]] const auto& spec = bound.spec;
    [[maybe_unused]] const auto& data = *bound.data;
    const auto r = integra::sim::run_scenario(bound);
    const auto& welfare = r.find("welfare_change").data;
    const auto& regions = data.economy.regions;
    const std::size_t R = regions.size();
    const auto at = [&](const std::string& region) { return static_cast<std::size_t>(std::find(regions.begin(), regions.end(), region) - regions.begin()); };
    CHECK(welfare[1 * R + at("PRY")] == 0.0);                                   // 2024: nothing yet
    CHECK(welfare[2 * R + at("PRY")] > 0.0);                                    // half of it in 2025
    CHECK(welfare[3 * R + at("PRY")] > welfare[2 * R + at("PRY")]);             // all of it in 2026
    CHECK(welfare[2 * R + at("MEX")] == Approx(0.0).margin(1e-4));              // Mexico's labour moves from 2026
    CHECK(welfare[3 * R + at("MEX")] == Approx(0.01).margin(2e-3));             // +1% labour: about +1% real income
    // GDP volume: up where productivity rises (about 5% x manufacturing's share of PRY's value
    // added / its value-added share), and by about the labour change in Mexico.
    const auto& volume = r.find("gdp_volume_change").data;
    CHECK(volume[1 * R + at("PRY")] == 0.0);
    CHECK(volume[3 * R + at("PRY")] > volume[2 * R + at("PRY")]);
    CHECK(volume[2 * R + at("PRY")] > 0.0);
    CHECK(volume[3 * R + at("MEX")] == Approx(0.01).margin(1e-4));
}

TEST_CASE("equilibrium: a cell given twice in a CSV of tariff edits is an error", "[sim][runner][equilibrium]") {
    integra::testing::temp_folder dir;
    dir.write("edits.csv", "importer,exporter,sector,rate\nBRA,CHN,manufacturing,0.25\nBRA,CHN,manufacturing,0.3\n");
    CHECK_THROWS_WITH(celac_scenario(dir, "[[tariff_change]]\nfile = \"edits.csv\"\nstart_year = 2024\n"),
                      Catch::Matchers::Contains("edits.csv:3: a second rate for BRA <- CHN, manufacturing"));
}
