// Free movement of workers in a run (issue 13): the year loop's migration step
// (sim/year_state.cpp) and its outputs, on celac38.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "sim/bound_scenario.hpp"
#include "sim/runner.hpp"
#include "temp_folder.hpp"

namespace {

integra::sim::bound_scenario celac(integra::testing::temp_folder& dir, const std::string& body, const char* file) {
    const auto path = dir.write(file, "dataset = \"" INTEGRA_SOURCE_DATA_DIR "/celac38\"\nmodel = \"trade_equilibrium\"\n"
                                      "[horizon]\nfirst_year = 2023\nlast_year = 2035\n" + body);
    return integra::sim::load_scenario(path);
}

std::string free_movement(double cut, const std::string& members = "CELAC") {
    return "[[free_movement]]\nmembers = \"" + members + "\"\nstart_year = 2025\nphase_in_years = 3\ncost_cut = " +
           std::to_string(cut) + "\n";
}

const std::string tariff_cut = "[[tariff_change]]\nimporters = \"CELAC\"\nexporters = \"CHN\"\ncut = 0.5\nstart_year = 2025\n";

void check_bitwise(const integra::sim::result_set& with, const integra::sim::result_set& without) {
    for (const auto& v : without.variables) {
        const auto& w = with.find(v.name).data;
        INFO(v.name);
        REQUIRE(w.size() == v.data.size());
        CHECK(std::memcmp(w.data(), v.data.data(), w.size() * sizeof(double)) == 0);
    }
}

}  // namespace

TEST_CASE("free movement: a zero cost cut, or a zero elasticity, is the run without it bitwise",
          "[sim][runner][equilibrium][migration]") {
    integra::testing::temp_folder dir;
    const auto without = integra::sim::run_scenario(celac(dir, tariff_cut, "without.toml"));
    const auto zero_cut = integra::sim::run_scenario(celac(dir, tariff_cut + free_movement(0.0), "zero_cut.toml"));
    check_bitwise(zero_cut, without);
    const auto zero_kappa = integra::sim::run_scenario(
        celac(dir, tariff_cut + free_movement(0.2) + "[migration]\nelasticity = 0.0\n", "zero_kappa.toml"));
    check_bitwise(zero_kappa, without);
    // Nobody moves: income per person moves exactly as income.
    const auto& per_capita = zero_cut.find("real_income_per_capita_change").data;
    const auto& welfare = zero_cut.find("welfare_change").data;
    for (std::size_t i = 0; i < welfare.size(); ++i) CHECK(per_capita[i] == Approx(welfare[i]).margin(1e-13));
}

TEST_CASE("free movement: people move, the world's population is conserved, remittances balance",
          "[sim][runner][equilibrium][migration]") {
    integra::testing::temp_folder dir;
    const auto bound = celac(dir, free_movement(0.2), "fm.toml");
    const auto r = integra::sim::run_scenario(bound);
    const auto& regions = bound.data->economy.regions;
    const std::size_t R = regions.size(), Y = bound.n_years();
    const auto at = [&](const std::string& n) {
        return static_cast<std::size_t>(std::find(regions.begin(), regions.end(), n) - regions.begin());
    };
    const auto& population = r.find("population").data;     // case, year, region
    const auto& stocks = r.find("migrant_stocks").data;      // case, year, origin, residence
    const auto& sent = r.find("remittances").data;           // case, year, origin, residence
    const auto& imports = r.find("imports").data;
    const auto& exports = r.find("exports").data;
    double moved = 0.0;
    for (std::size_t y = 0; y < Y; ++y) {
        double world[2] = {0, 0};
        for (std::size_t c = 0; c < 2; ++c)
            for (std::size_t n = 0; n < R; ++n) world[c] += population[(c * Y + y) * R + n];
        CHECK(world[1] == Approx(world[0]).epsilon(1e-13));  // moves, never births or deaths
        for (std::size_t n = 0; n < R; ++n) {
            // residents = the column of the stocks; people born in n = its row, the same in both cases
            double born[2] = {0, 0}, resident = 0.0;
            for (std::size_t c = 0; c < 2; ++c)
                for (std::size_t d = 0; d < R; ++d) born[c] += stocks[((c * Y + y) * R + n) * R + d];
            for (std::size_t o = 0; o < R; ++o) resident += stocks[((1 * Y + y) * R + o) * R + n];
            CHECK(born[1] == Approx(born[0]).epsilon(1e-12));
            CHECK(resident == Approx(population[(1 * Y + y) * R + n]).epsilon(1e-12));
            moved += std::abs(population[(1 * Y + y) * R + n] - population[(0 * Y + y) * R + n]);
            // The scenario's trade deficit moves by the change of net remittances received.
            double net = 0.0;
            for (std::size_t d = 0; d < R; ++d) {
                const auto cell = [&](std::size_t c, std::size_t o, std::size_t e) { return sent[((c * Y + y) * R + o) * R + e]; };
                net += (cell(1, n, d) - cell(0, n, d)) - (cell(1, d, n) - cell(0, d, n));
            }
            const double baseline = imports[y * R + n] - exports[y * R + n];
            const double scenario = imports[(Y + y) * R + n] - exports[(Y + y) * R + n];
            // (to the solver's tolerance: trade balances hold to 1e-10 of value added)
            CHECK(scenario - baseline == Approx(net).margin(1e-8 * imports[y * R + n]));
        }
    }
    CHECK(moved > 0.0);
    // Before the opening nobody moves; Venezuelans, with the largest diaspora in CELAC, leave.
    CHECK(population[(1 * Y + 1) * R + at("VEN")] == population[(0 * Y + 1) * R + at("VEN")]);
    CHECK(population[(1 * Y + Y - 1) * R + at("VEN")] < population[(0 * Y + Y - 1) * R + at("VEN")]);
    // Outside CELAC no cost is cut: China's residents change only as CELAC-born people there
    // move to members (less than 0.01%).
    CHECK(population[(1 * Y + Y - 1) * R + at("CHN")] == Approx(population[(0 * Y + Y - 1) * R + at("CHN")]).epsilon(1e-4));
}

TEST_CASE("free movement: once the cut is complete the flows die out (the lagged response converges)",
          "[sim][runner][equilibrium][migration]") {
    integra::testing::temp_folder dir;
    const auto bound = celac(dir, free_movement(0.2), "fm.toml");
    const auto r = integra::sim::run_scenario(bound);
    const std::size_t R = bound.data->economy.regions.size(), Y = bound.n_years();
    const auto& flows = r.find("migration_flows").data;  // year, origin, residence
    const auto size_of = [&](std::size_t y) {
        double s = 0.0;
        for (std::size_t k = 0; k < R * R; ++k) s += std::abs(flows[y * R * R + k]);
        return s;
    };
    // Full cut from 2027 (y = 4): each later year moves fewer people than the one before.
    for (std::size_t y = 6; y < Y; ++y) CHECK(size_of(y) < size_of(y - 1));
    CHECK(size_of(Y - 1) < 0.5 * size_of(5));
}
