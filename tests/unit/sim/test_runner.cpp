// The runner: phase-ins, a zero-size policy, Leontief consistency, thread independence.
#include <catch2/catch.hpp>

#include <tbb/global_control.h>

#include "sim/runner.hpp"
#include "sim/scenario/scenario.hpp"
#include "temp_folder.hpp"


namespace {
double phase_in(int year, int start_year, int years) { return integra::sim::phase_in{start_year, years, {}, {}}.share(year); }
}  // namespace

namespace {

integra::sim::loaded_scenario demo(const std::vector<std::string>& overrides = {}) {
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
    const auto [spec, data] = demo({"final_demand_shock.0.change=0.0"});
    const auto r = integra::sim::run_scenario(spec, data);
    for (const char* name : {"gross_output", "gdp", "trade"}) {
        const auto& v = r.find(name);
        CHECK(slice(v, 0, v.data.size() / 2) == slice(v, 1, v.data.size() / 2));
    }
}

TEST_CASE("with no growth and no shock the base year is reproduced", "[sim][runner]") {
    const auto [spec, data] = demo({"final_demand_shock.0.change=0.0", "baseline.final_demand_growth=0.0"});
    const auto r = integra::sim::run_scenario(spec, data);
    const auto& x = r.find("gross_output").data;
    const auto& e = data.economy;
    for (std::size_t i = 0; i < e.n_regions(); ++i)
        for (std::size_t s = 0; s < e.n_sectors(); ++s)
            CHECK(x[i * e.n_sectors() + s] == Approx(e.gross_output(static_cast<long>(i), static_cast<long>(s))).epsilon(1e-12));
}

TEST_CASE("a final-demand shock raises output by L times the shock", "[sim][runner]") {
    const auto [spec, data] = demo();
    const auto r = integra::sim::run_scenario(spec, data);
    const auto& gdp = r.find("gdp").data;
    const std::size_t years = 13, regions = 3, last = years - 1;
    for (std::size_t i = 0; i < regions; ++i)
        CHECK(gdp[(years + last) * regions + i] > gdp[last * regions + i]);  // everyone gains
    // Before the shock starts (2026) the cases agree.
    CHECK(gdp[(years + 2) * regions + 1] == gdp[2 * regions + 1]);
}

TEST_CASE("runner results do not depend on the number of threads", "[sim][runner]") {
    const auto [spec, data] = demo();
    auto run_with = [&](std::size_t threads) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
        return integra::sim::run_scenario(spec, data);
    };
    const auto one = run_with(1), two = run_with(2);
    for (std::size_t v = 0; v < one.variables.size(); ++v) CHECK(one.variables[v].data == two.variables[v].data);
}
