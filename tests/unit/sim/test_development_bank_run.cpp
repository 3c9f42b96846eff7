// A development bank in a run (issue 9): the scenario table, the year state, the transfer
// channel and the outputs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "sim/bound_scenario.hpp"
#include "sim/runner.hpp"
#include "temp_folder.hpp"

namespace {

integra::sim::bound_scenario celac(integra::testing::temp_folder& dir, const std::string& body, const char* file = "s.toml") {
    const auto path = dir.write(file, "dataset = \"" INTEGRA_SOURCE_DATA_DIR "/celac38\"\nmodel = \"trade_equilibrium\"\n"
                                      "[horizon]\nfirst_year = 2023\nlast_year = 2028\n" + body);
    return integra::sim::load_scenario(path);
}

const std::string bank(double capital, double envelope, const std::string& extra = "") {
    return "[[development_bank]]\nname = \"celac_bank\"\nmembers = \"CELAC\"\ncapital = " + std::to_string(capital) +
           "\nlending_envelope = " + std::to_string(envelope) + "\nstart_year = 2024\n" + extra;
}

const std::string tariff_cut = "[[tariff_change]]\nimporters = \"CELAC\"\nexporters = \"CHN\"\ncut = 0.5\nstart_year = 2025\n";

std::vector<double> slice(const integra::sim::variable& v, std::size_t c) {
    const std::size_t n = v.data.size() / 2;
    return {v.data.begin() + static_cast<long>(c * n), v.data.begin() + static_cast<long>((c + 1) * n)};
}

}  // namespace

TEST_CASE("development bank: a zero-size bank reproduces the run without it bitwise", "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    const auto with = integra::sim::run_scenario(celac(dir, tariff_cut + bank(0, 0), "with.toml"));
    const auto without = integra::sim::run_scenario(celac(dir, tariff_cut, "without.toml"));
    for (const auto& v : without.variables) {  // bit for bit (NaN where a ratio is undefined, in both)
        const auto& w = with.find(v.name).data;
        INFO(v.name);
        REQUIRE(w.size() == v.data.size());
        CHECK(std::memcmp(w.data(), v.data.data(), w.size() * sizeof(double)) == 0);
    }
    for (double x : with.find("bank_loans").data) CHECK(x == 0.0);
    // And alone, the baseline: both cases equal, no welfare change.
    const auto alone = integra::sim::run_scenario(celac(dir, bank(0, 0), "alone.toml"));
    for (const char* name : {"gdp_volume", "real_income", "gdp", "trade", "imports", "exports"}) {
        const auto& v = alone.find(name);
        CHECK(slice(v, 0) == slice(v, 1));
    }
    for (double w : alone.find("welfare_change").data) CHECK(w == 0.0);
}

TEST_CASE("development bank: its flows move deficits that sum to zero over the world every year", "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    const auto bound = celac(dir, bank(100000, 15000));
    const auto r = integra::sim::run_scenario(bound);
    const auto& regions = bound.data->economy.regions;
    const std::size_t R = regions.size(), Y = bound.n_years();
    const auto& change = r.find("bank_deficit_change").data;
    const auto& imports = r.find("imports").data;
    const auto& exports = r.find("exports").data;
    const auto at = [&](const std::string& n) { return static_cast<std::size_t>(std::find(regions.begin(), regions.end(), n) - regions.begin()); };
    for (std::size_t y = 0; y < Y; ++y) {
        double sum = 0.0, scale = 0.0, moved = 0.0;
        for (std::size_t n = 0; n < R; ++n) {
            sum += change[y * R + n];
            scale += std::abs(change[y * R + n]);
            // The scenario's trade deficit moves by the bank's flows (tariff revenue aside: none moves here).
            const double baseline = imports[y * R + n] - exports[y * R + n];
            const double scenario = imports[(Y + y) * R + n] - exports[(Y + y) * R + n];
            moved += std::abs(scenario - baseline - change[y * R + n]);
        }
        CHECK(std::abs(sum) <= 1e-9 * std::max(1.0, scale));
        CHECK(moved <= 1e-6 * std::max(1.0, scale));
        if (y == 0) CHECK(scale == 0.0);  // 2023: the bank opens in 2024
    }
    // 2024: members pay in capital (their deficits fall), bondholders receive it; by 2028
    // disbursements exceed the paid-in capital and the borrowers' deficits rise.
    CHECK(change[1 * R + at("BRA")] < 0.0);
    CHECK(change[1 * R + at("USA")] > 0.0);
    CHECK(change[5 * R + at("BRA")] > 0.0);
    CHECK(r.find("welfare_change").data[5 * R + at("BRA")] > 0.0);
    const auto& loans = r.find("bank_loans").data;
    CHECK(loans[0] == 0.0);
    CHECK(loans[Y - 1] > 0.0);
    const auto& ratio = r.find("bank_equity_to_loans").data;
    for (std::size_t y = 1; y < Y; ++y) CHECK(ratio[y] >= 0.25);
}

TEST_CASE("development bank: channels.transfer = false keeps the baseline and still records the bank", "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    const auto r = integra::sim::run_scenario(celac(dir, bank(100000, 15000) + "[channels]\ntransfer = false\n"));
    for (const char* name : {"gdp", "real_income", "trade"}) {
        const auto& v = r.find(name);
        CHECK(slice(v, 0) == slice(v, 1));
    }
    CHECK(r.find("bank_loans").data.back() > 0.0);
    for (double x : r.find("bank_deficit_change").data) CHECK(x == 0.0);
}

TEST_CASE("development bank: the table is read with its terms, keys and bondholders", "[sim][scenario][bank]") {
    integra::testing::temp_folder dir;
    const auto bound = celac(dir, bank(7000, 1000, "capital_key = \"explicit\"\ncapital_by_member = { ARG = 2000, BRA = 2000, VEN = 2000, ECU = 400, URY = 400, BOL = 100, PRY = 100 }\n"
                                                   "paid_in_share = 0.2\nborrowers = \"ARG + BRA\"\nborrower_key = \"equal\"\n"
                                                   "grace_years = 4\nmaturity_years = 15\nlending_spread = 0.02\nfunding_rate = 0.05\n"
                                                   "min_equity_to_loans = 0.3\nbond_holders = { USA = 0.5, CELAC = 0.5 }\n"));
    const auto& setup = std::get<integra::sim::trade_equilibrium_setup>(bound.model);
    REQUIRE(setup.banks.size() == 1);
    const auto& b = setup.banks[0];
    const auto& regions = bound.data->economy.regions;
    const auto at = [&](const std::string& n) { return static_cast<long>(std::find(regions.begin(), regions.end(), n) - regions.begin()); };
    CHECK(b.label == "celac_bank");
    CHECK(b.capital.subscribed.sum() == 7000.0);
    CHECK(b.capital.subscribed(at("ECU")) == 400.0);
    CHECK(b.borrower_shares(at("ARG")) == 0.5);
    CHECK(b.borrower_shares(at("MEX")) == 0.0);
    CHECK(b.terms.grace_years == 4);
    CHECK(b.terms.maturity_years == 15);
    CHECK(b.terms.lending_rate() == Approx(0.07));
    CHECK(b.terms.min_equity_to_loans == 0.3);
    CHECK(b.counterparts.bond_holders(at("USA")) == Approx(0.5));
    CHECK(b.counterparts.bond_holders.sum() == Approx(1.0));
    CHECK(b.counterparts.bond_holders(at("CHN")) == 0.0);
    // The default bondholders: USA 0.35, EU27 0.35, ROW 0.20, the members 0.10.
    const auto d = celac(dir, bank(1000, 100), "default.toml");
    const auto& h = std::get<integra::sim::trade_equilibrium_setup>(d.model).banks[0].counterparts.bond_holders;
    CHECK(h(at("EU27")) == Approx(0.35));
    CHECK(h(at("ROW")) == Approx(0.20));
    CHECK(h(at("BRA")) > 0.0);
    // A subscription of a region that is not a member.
    CHECK_THROWS_WITH(celac(dir, bank(0, 0, "capital_key = \"explicit\"\ncapital_by_member = { USA = 10 }\n"), "bad.toml"),
                      Catch::Matchers::Contains("bad.toml:13:") && Catch::Matchers::Contains("'USA' is not a member"));
}
