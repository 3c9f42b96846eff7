// A development bank in a run (issue 9): the scenario table, the year state, the transfer
// channel and the outputs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "sim/bound_scenario.hpp"
#include "sim/runner.hpp"
#include "sim/year_state.hpp"
#include "temp_folder.hpp"

namespace {

integra::sim::bound_scenario celac(integra::testing::temp_folder& dir, const std::string& body, const char* file = "s.toml") {
    const auto path = dir.write(file, "dataset = \"" INTEGRA_SOURCE_DATA_DIR "/celac38\"\nmodel = \"trade_equilibrium\"\n"
                                      "[horizon]\nfirst_year = 2023\nlast_year = 2028\n" + body);
    return integra::sim::load_scenario(path);
}

// A CELAC bank; capital < 0 leaves the key out (for capital_key = "explicit").
const std::string bank(double capital, double envelope, const std::string& extra = "") {
    return "[[development_bank]]\nname = \"celac_bank\"\nmembers = \"CELAC\"\n" +
           (capital >= 0.0 ? "capital = " + std::to_string(capital) + "\n" : std::string()) +
           "lending_envelope = " + std::to_string(envelope) + "\nstart_year = 2024\n" + extra;
}

const std::string tariff_cut = "[[tariff_change]]\nimporters = \"CELAC\"\nexporters = \"CHN\"\ncut = 0.5\nstart_year = 2025\n";

const std::string no_channels =
    "[channels]\ntransfer = false\ncomposition = false\nproductivity = false\ntrade_cost = false\n";

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

TEST_CASE("development bank: with every channel off the scenario is the baseline, and the bank is still recorded", "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    const auto r = integra::sim::run_scenario(celac(dir, bank(100000, 15000) + no_channels));
    for (const char* name : {"gdp", "real_income", "trade"}) {
        const auto& v = r.find(name);
        CHECK(slice(v, 0) == slice(v, 1));
    }
    CHECK(r.find("bank_loans").data.back() > 0.0);
    for (double x : r.find("bank_deficit_change").data) CHECK(x == 0.0);
}

TEST_CASE("development bank: the table is read with its terms, keys and bondholders", "[sim][scenario][bank]") {
    integra::testing::temp_folder dir;
    const auto bound = celac(dir, bank(-1, 1000, "capital_key = \"explicit\"\ncapital_by_member = { ARG = 2000, BRA = 2000, VEN = 2000, ECU = 400, URY = 400, BOL = 100, PRY = 100 }\n"
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

TEST_CASE("development bank: with the productivity and trade-cost elasticities at zero the run is a plain deficit-change run",
          "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    const std::string lending = bank(100000, 15000, "transport_share = 0.4\n");
    const auto zero = integra::sim::run_scenario(celac(
        dir, lending + "[channels]\ncomposition = false\n[public_capital]\nelasticity_short_run = 0.0\n"
                       "elasticity_long_run = 0.0\ntrade_cost_elasticity = 0.0\n", "zero.toml"));
    const auto transfer = integra::sim::run_scenario(celac(
        dir, lending + "[channels]\ncomposition = false\nproductivity = false\ntrade_cost = false\n", "transfer.toml"));
    for (const char* name : {"gdp_volume", "real_income", "trade", "welfare_change", "gdp_volume_change"}) {
        INFO(name);
        const auto &a = zero.find(name).data, &b = transfer.find(name).data;
        REQUIRE(a.size() == b.size());
        CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
    }
    // The capital is still built and recorded; it just does nothing.
    const auto& added = zero.find("public_capital_added").data;
    CHECK(*std::max_element(added.begin(), added.end()) > 0.0);
}

TEST_CASE("development bank: the channels move the economy the way they should", "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    const auto bound = celac(dir, bank(100000, 15000, "transport_share = 0.4\n") + "[channels]\ndecompose = true\n");
    const auto r = integra::sim::run_scenario(bound);
    const auto& regions = bound.data->economy.regions;
    const std::size_t R = regions.size(), Y = bound.n_years(), C = 5;
    const auto at = [&](const std::string& n) {
        return static_cast<std::size_t>(std::find(regions.begin(), regions.end(), n) - regions.begin());
    };
    const std::size_t bra = at("BRA"), last = Y - 1;
    // Public capital by perpetual inventory from the recorded spending: K_{t+1} = 0.975 K_t + 0.7 I_t.
    const auto& spending = r.find("project_spending").data;
    const auto& capital = r.find("public_capital_added").data;
    double k = 0.0;
    for (std::size_t y = 0; y < Y; ++y) {
        k = 0.975 * k + 0.7 * spending[y * R + bra];
        CHECK(capital[y * R + bra] == Approx(k).epsilon(1e-12));
    }
    CHECK(r.find("public_capital_change").data[last * R + bra] > 1.0);
    CHECK(r.find("route_cost_change").data[last * R + bra] < 1.0);
    CHECK(r.find("route_cost_change").data[last * R + at("USA")] == 1.0);  // not a borrower

    // The split sums to the total, channel by channel, every year and region.
    const auto& total = r.find("welfare_change").data;
    const auto& split = r.find("welfare_change_by_channel").data;
    const auto& gdp_total = r.find("gdp_volume_change").data;
    const auto& gdp_split = r.find("gdp_volume_change_by_channel").data;
    for (std::size_t y = 0; y < Y; ++y)
        for (std::size_t n = 0; n < R; ++n) {
            double w = 0.0, g = 0.0;
            for (std::size_t c = 0; c < C; ++c) {
                w += split[(c * Y + y) * R + n];
                g += gdp_split[(c * Y + y) * R + n];
            }
            CHECK(w == Approx(total[y * R + n]).margin(1e-12));
            CHECK(g == Approx(gdp_total[y * R + n]).margin(1e-12));
        }
    // No other policy here; productivity raises Brazil's GDP volume once the capital exists,
    // and transport capital cheapens its routes (a gain); a transfer moves what Brazil can
    // buy, not what it produces.
    const auto channel = [&](const std::vector<double>& v, std::size_t c) { return v[(c * Y + last) * R + bra]; };
    CHECK(channel(split, 0) == 0.0);
    CHECK(channel(gdp_split, 3) > 0.0);      // productivity
    CHECK(channel(split, 4) > 0.0);          // trade cost
    CHECK(std::abs(channel(gdp_split, 1)) < 0.1 * channel(gdp_split, 3));

    // The decomposition's last stage is the scenario: the same as without it, to the solver's tolerance.
    const auto plain = integra::sim::run_scenario(celac(dir, bank(100000, 15000, "transport_share = 0.4\n"), "plain.toml"));
    const auto& p = plain.find("welfare_change").data;
    for (std::size_t i = 0; i < p.size(); ++i) CHECK(p[i] == Approx(total[i]).margin(1e-8));
}

TEST_CASE("development bank: the composition channel turns demand towards investment goods", "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    const std::string lending = bank(100000, 15000);
    const auto with = integra::sim::run_scenario(
        celac(dir, lending + "[channels]\nproductivity = false\ntrade_cost = false\n", "with.toml"));
    const auto without = integra::sim::run_scenario(
        celac(dir, lending + "[channels]\ncomposition = false\nproductivity = false\ntrade_cost = false\n", "without.toml"));
    const auto bound = celac(dir, lending, "labels.toml");
    const auto& regions = bound.data->economy.regions;
    const auto& sectors = bound.data->economy.sectors;
    const std::size_t R = regions.size(), S = sectors.size(), Y = bound.n_years();
    const std::size_t bra = static_cast<std::size_t>(std::find(regions.begin(), regions.end(), "BRA") - regions.begin());
    // The sector investment favours most over consumption in Brazil (celac38: manufacturing,
    // beta 0.35 against alpha 0.30: machinery and imported equipment) and the one it
    // favours least.
    const auto& setup = std::get<integra::sim::trade_equilibrium_setup>(bound.model);
    const Eigen::VectorXd tilt = setup.investment_shares.col(static_cast<Eigen::Index>(bra)) -
                                 setup.base.final_demand_share.col(static_cast<Eigen::Index>(bra));
    Eigen::Index most = 0, least = 0;
    tilt.maxCoeff(&most);
    tilt.minCoeff(&least);
    REQUIRE(tilt(most) > 0.0);
    REQUIRE(tilt(least) < 0.0);
    CHECK(sectors[static_cast<std::size_t>(most)] == "manufacturing");
    // Scenario case (c = 1), a year of heavy disbursement (2028): Brazil spends more on the
    // first and less on the second when the disbursements are invested than when consumed.
    const auto cell = [&](const std::vector<double>& v, Eigen::Index j) {
        return v[((1 * Y + (Y - 1)) * R + bra) * S + static_cast<std::size_t>(j)];
    };
    CHECK(cell(with.find("expenditure").data, most) > cell(without.find("expenditure").data, most));
    CHECK(cell(with.find("expenditure").data, least) < cell(without.find("expenditure").data, least));
    // Same deficits either way: composition changes what is bought, not how much.
    const auto& change_with = with.find("bank_deficit_change").data;
    const auto& change_without = without.find("bank_deficit_change").data;
    CHECK(change_with == change_without);
}

TEST_CASE("development bank: a zero-size bank is the run without it bitwise, also when the effect is split by channel",
          "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    const auto with = integra::sim::run_scenario(
        celac(dir, tariff_cut + bank(0, 0) + "[channels]\ndecompose = true\n", "with.toml"));
    const auto without = integra::sim::run_scenario(celac(dir, tariff_cut, "without.toml"));
    for (const auto& v : without.variables) {
        const auto& w = with.find(v.name).data;
        INFO(v.name);
        REQUIRE(w.size() == v.data.size());
        CHECK(std::memcmp(w.data(), v.data.data(), w.size() * sizeof(double)) == 0);
    }
    // All of the effect is the other policies'; every bank channel adds exactly nothing.
    const auto& split = with.find("welfare_change_by_channel").data;
    const auto& total = with.find("welfare_change").data;
    const std::size_t cells = total.size();
    for (std::size_t i = 0; i < cells; ++i) {
        CHECK(split[i] == total[i]);
        for (std::size_t c = 1; c < 5; ++c) CHECK(split[c * cells + i] == 0.0);
    }
}

TEST_CASE("development bank: the transfer channel is a CP solve with the deficits moved by the bank's net flows",
          "[sim][runner][equilibrium][bank]") {
    // Independent of the year loop's channel code: rebuild the shock from the bank's own
    // flows (bank_year::net_flows) and solve it with models::solve directly.
    integra::testing::temp_folder dir;
    const auto bound = celac(dir, bank(100000, 15000) + "[channels]\ncomposition = false\nproductivity = false\ntrade_cost = false\n");
    const auto& setup = std::get<integra::sim::trade_equilibrium_setup>(bound.model);
    integra::sim::year_state previous = integra::sim::first_year_state(bound);
    for (std::size_t y = 0; y < bound.n_years(); ++y) {
        integra::sim::year_state next;
        next.year_index = y;
        next.year = bound.first_year + static_cast<int>(y);
        const auto solution = integra::sim::step(setup, previous, next);
        if (solution.bank_open[0]) {
            integra::models::counterfactual_shock shock;
            shock.deficits_rule = integra::models::deficit_closure::given;
            shock.deficits = solution.baseline.deficit + solution.banks[0].net_flows / solution.deflator;
            const auto direct = integra::models::solve(solution.baseline, shock, setup.solver);
            INFO(next.year);
            CHECK((direct.welfare_change - solution.policy_result.welfare_change).cwiseAbs().maxCoeff() < 1e-8);
            CHECK((direct.wage_change - solution.policy_result.wage_change).cwiseAbs().maxCoeff() < 1e-8);
        }
        previous = std::move(next);
    }
}

TEST_CASE("development bank: real consumption does not count borrowed investment as a gain", "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    const auto bound = celac(dir, bank(100000, 15000));
    const auto r = integra::sim::run_scenario(bound);
    const auto& regions = bound.data->economy.regions;
    const std::size_t R = regions.size(), Y = bound.n_years();
    const std::size_t bra = static_cast<std::size_t>(std::find(regions.begin(), regions.end(), "BRA") - regions.begin());
    const auto& welfare = r.find("welfare_change").data;
    const auto& consumption = r.find("real_consumption_change").data;
    const auto& spending = r.find("project_spending").data;
    for (std::size_t y = 0; y < Y; ++y) {
        INFO(y);
        // The difference is the investment the projects take out of absorption.
        if (spending[y * R + bra] > 0.0) CHECK(consumption[y * R + bra] < welfare[y * R + bra]);
        else CHECK(consumption[y * R + bra] == Approx(welfare[y * R + bra]).margin(1e-14));
    }
}

TEST_CASE("development bank: dividends go to the members by paid-in capital and leave the world's flows balanced",
          "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    const auto paid = integra::sim::run_scenario(celac(dir, bank(100000, 15000, "dividend_share = 0.5\n"), "paid.toml"));
    const auto kept = integra::sim::run_scenario(celac(dir, bank(100000, 15000), "kept.toml"));
    const auto& dividends = paid.find("bank_dividends").data;
    const auto& by_member = paid.find("bank_dividends_by_member").data;
    const auto& income = paid.find("bank_net_income").data;
    const std::size_t Y = dividends.size(), R = by_member.size() / Y;
    double total = 0.0;
    for (std::size_t y = 0; y < Y; ++y) {
        double sum = 0.0;
        for (std::size_t n = 0; n < R; ++n) sum += by_member[y * R + n];
        CHECK(sum == Approx(dividends[y]).margin(1e-9));
        CHECK(dividends[y] == Approx(0.5 * std::max(0.0, income[y])).margin(1e-9));
        total += dividends[y];
        double flows = 0.0, scale = 0.0;
        for (std::size_t n = 0; n < R; ++n) {
            flows += paid.find("bank_deficit_change").data[y * R + n];
            scale += std::abs(paid.find("bank_deficit_change").data[y * R + n]);
        }
        CHECK(std::abs(flows) <= 1e-9 * std::max(1.0, scale));
    }
    CHECK(total > 0.0);
    CHECK(paid.find("bank_equity").data.back() < kept.find("bank_equity").data.back());
    for (double d : kept.find("bank_dividends").data) CHECK(d == 0.0);
}

TEST_CASE("development bank: a corridor project lowers the costs of its pair of routes only", "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    dir.write("pipeline.csv", "borrower,purpose,year,amount,partner\nBRA,transport,2024,5000,PRY\nBRA,energy,2024,1000,\n");
    const auto bound = celac(dir, "[[development_bank]]\nname = \"corridor_bank\"\nmembers = \"CELAC\"\ncapital = 100000\n"
                                  "pipeline = \"pipeline.csv\"\nstart_year = 2024\n");
    const auto r = integra::sim::run_scenario(bound);
    const auto& regions = bound.data->economy.regions;
    const std::size_t R = regions.size(), Y = bound.n_years(), last = Y - 1;
    const auto at = [&](const std::string& n) {
        return static_cast<std::size_t>(std::find(regions.begin(), regions.end(), n) - regions.begin());
    };
    const auto& corridor = r.find("corridor_cost_change").data;
    const auto pair = [&](std::size_t y, const char* a, const char* b) { return corridor[(y * R + at(a)) * R + at(b)]; };
    CHECK(pair(last, "BRA", "PRY") < 1.0);
    CHECK(pair(last, "PRY", "BRA") == pair(last, "BRA", "PRY"));
    CHECK(pair(last, "BRA", "ARG") == 1.0);
    CHECK(pair(last, "ARG", "PRY") == 1.0);
    CHECK(pair(0, "BRA", "PRY") == 1.0);  // 2023: nothing built yet
    // All of Brazil's transport lending is the corridor: its other routes do not move, and
    // the corridor is not counted again as productive capital.
    CHECK(r.find("route_cost_change").data[last * R + at("BRA")] == 1.0);
    const double energy_only = r.find("public_capital_added").data[last * R + at("BRA")];
    CHECK(r.find("public_capital_change").data[last * R + at("BRA")] > 1.0);
    CHECK(energy_only > 0.0);
    // Paraguay gains more from a corridor to Brazil than Argentina, which has none.
    const auto& welfare = r.find("welfare_change").data;
    CHECK(welfare[last * R + at("PRY")] > welfare[last * R + at("ARG")]);
}
