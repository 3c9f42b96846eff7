// Clearing unions, currency unions and [shocks] in a run (issue 10): the year loop
// (sim/year_state.cpp), the wage floors in the solver and the outputs, on celac38.
#include <catch2/catch.hpp>

#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "models/currency_union.hpp"
#include "sim/bound_scenario.hpp"
#include "sim/runner.hpp"
#include "sim/year_state.hpp"
#include "temp_folder.hpp"

namespace {

integra::sim::bound_scenario celac(integra::testing::temp_folder& dir, const std::string& body, const char* file) {
    const auto path = dir.write(file, "dataset = \"" INTEGRA_SOURCE_DATA_DIR "/celac38\"\nmodel = \"trade_equilibrium\"\n"
                                      "[horizon]\nfirst_year = 2023\nlast_year = 2030\n" + body);
    return integra::sim::load_scenario(path);
}

std::string full(double x) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", x);
    return buffer;
}

const std::string tariff_cut = "[[tariff_change]]\nimporters = \"CELAC\"\nexporters = \"CHN\"\ncut = 0.5\nstart_year = 2025\n";

std::string clearing(const std::string& closure, double uptake, const std::string& extra = "") {
    return "[[clearing_union]]\nname = \"sucre\"\nmembers = \"SUCRE + MERCOSUR\"\nstart_year = 2025\nclosure = \"" + closure +
           "\"\nuptake = " + full(uptake) + "\n" + extra;
}

const std::string placeholder_shocks(int seed, double scale) {
    return "[shocks]\nprocess = \"placeholder\"\nsectors = \"agriculture + mining_utilities + manufacturing\"\nseed = " +
           std::to_string(seed) + "\nscale = " + full(scale) + "\n";
}

void check_bitwise(const integra::sim::result_set& a, const integra::sim::result_set& b, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        const auto& x = a.find(name).data;
        const auto& y = b.find(name).data;
        INFO(name);
        REQUIRE(x.size() == y.size());
        CHECK(std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0);
    }
}

std::size_t index_of(const std::vector<std::string>& labels, const std::string& label) {
    const auto it = std::find(labels.begin(), labels.end(), label);
    REQUIRE(it != labels.end());
    return static_cast<std::size_t>(it - labels.begin());
}

const std::vector<std::string>& labels(const integra::sim::result_set& r, const std::string& dimension) {
    return std::get<std::vector<std::string>>(r.dimension(dimension).values);
}

}  // namespace

TEST_CASE("clearing union: uptake 0 is the run without it, bitwise, whatever the closure", "[currency_union][clearing]") {
    integra::testing::temp_folder dir;
    const auto without = integra::sim::run_scenario(celac(dir, tariff_cut, "without.toml"));
    for (const char* closure : {"accounting", "credit", "transaction_cost"}) {
        INFO(closure);
        const auto with = integra::sim::run_scenario(
            celac(dir, tariff_cut + clearing(closure, 0.0, "transaction_cost_saving = 0.05\nmargin = 0.5\n"), "with.toml"));
        check_bitwise(with, without, {"welfare_change", "gdp", "gdp_volume", "real_income", "trade"});
        for (double x : with.find("channelled_payments").data) CHECK(x == 0.0);
    }
    // And the same union with some uptake does change the results (so the comparison above can fail).
    for (const char* closure : {"credit", "transaction_cost"}) {
        INFO(closure);
        const auto with = integra::sim::run_scenario(
            celac(dir, tariff_cut + clearing(closure, 0.5, "transaction_cost_saving = 0.05\nmargin = 0.5\n"), "some.toml"));
        const auto& a = with.find("welfare_change").data;
        const auto& b = without.find("welfare_change").data;
        CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) != 0);
    }
}

TEST_CASE("currency union: without shocks and rigidity it is a trade-cost cut between members in the tradable sectors",
          "[currency_union]") {
    integra::testing::temp_folder dir;
    const double g = 0.25, theta = 4.0;
    const double kappa = integra::models::currency_trade_cost_change(g, theta, 1.0);
    REQUIRE(kappa == Approx(std::pow(1.25, -0.25)).epsilon(1e-15));
    const std::string tolerance;  // the default 1e-10 (1e-13 stagnates at the rounding error on celac38)
    for (int years : {0, 3}) {
        INFO("phase_in_years = " << years);
        const std::string phase = "start_year = 2025\nphase_in_years = " + std::to_string(years) + "\n";
        const auto union_bound =
            celac(dir, tolerance + "[[currency_union]]\nname = \"mercosur\"\nmembers = \"MERCOSUR\"\nwage_rigidity = false\n"
                                   "trade_effect = " + full(g) + "\ntrade_elasticity = " + full(theta) + "\n" + phase,
                  "union.toml");
        const auto cut_bound = celac(dir, tolerance + "[[trade_cost_change]]\nimporters = \"MERCOSUR\"\nexporters = \"MERCOSUR\"\n"
                                                      "sectors = \"tradable\"\nave = " + full(kappa - 1.0) + "\n" + phase,
                                     "cut.toml");
        // Every sector of celac38 trades across borders: "tradable" and models::is_tradable agree.
        const auto& setup = std::get<integra::sim::trade_equilibrium_setup>(union_bound.model);
        for (Eigen::Index j = 0; j < setup.base.n_sectors(); ++j) REQUIRE(integra::models::is_tradable(setup.base, j));
        const auto u = integra::sim::run_scenario(union_bound);
        const auto c = integra::sim::run_scenario(cut_bound);
        const std::size_t R = union_bound.data->economy.n_regions(), Y = union_bound.n_years();
        const auto& wu = u.find("welfare_change").data;
        const auto& wc = c.find("welfare_change").data;
        const auto& cost = u.find("currency_trade_cost_change").data;  // currency_union, year
        double largest = 0.0;
        for (std::size_t y = 0; y < Y; ++y) {
            const int year = 2023 + static_cast<int>(y);
            const double share = year < 2025 ? 0.0 : years == 0 ? 1.0 : std::min(1.0, (year - 2025 + 1) / double(years));
            CHECK(cost[y] == Approx(integra::models::currency_trade_cost_change(g, theta, share)).epsilon(1e-15));
            if (share < 1.0 && share > 0.0) continue;  // the phase-ins differ (linear in kappa vs in trade)
            for (std::size_t n = 0; n < R; ++n) {
                INFO(year << " " << union_bound.data->economy.regions[n]);
                CHECK(std::abs(wu[y * R + n] - wc[y * R + n]) < 1e-10);
                largest = std::max(largest, std::abs(wu[y * R + n]));
            }
        }
        CHECK(largest > 1e-4);  // the cut does something
        // No floor, no unemployment.
        for (double x : u.find("unemployment_rate").data) CHECK(x == 0.0);
    }
}

TEST_CASE("currency union with shocks and rigid wages: unemployment only where the floor binds, at the floor",
          "[currency_union][shocks]") {
    integra::testing::temp_folder dir;
    const auto bound = celac(dir, "[[currency_union]]\nname = \"celac\"\nmembers = \"CELAC\"\nstart_year = 2025\n"
                                  "fiscal_transfer = 0.1\n" + placeholder_shocks(3, 4.0) + "[channels]\ndecompose = true\n",
                             "rigid.toml");
    const auto r = integra::sim::run_scenario(bound);
    const std::size_t R = bound.data->economy.n_regions(), Y = bound.n_years();
    const auto& unemployment = r.find("unemployment_rate").data;
    const auto& binding = r.find("wage_floor_binding").data;
    const auto& floor = r.find("wage_floor").data;
    const auto& relative = r.find("relative_wage").data;
    const auto& welfare = r.find("welfare_change").data;
    REQUIRE(unemployment.size() == Y * R);
    std::size_t bound_cells = 0;
    for (std::size_t k = 0; k < Y * R; ++k) {
        INFO("year " << 2023 + k / R << ", " << bound.data->economy.regions[k % R]);
        CHECK(unemployment[k] >= 0.0);
        if (!(binding[k] == 1.0)) CHECK(unemployment[k] == 0.0);  // 0, or NaN without a floor
        if (binding[k] == 1.0) {
            ++bound_cells;
            CHECK(unemployment[k] > 0.0);
            CHECK(std::abs(relative[k] - floor[k]) < 1e-9);
        }
        if (!std::isnan(floor[k])) CHECK(relative[k] >= floor[k] - 1e-9);  // never below its floor
    }
    REQUIRE(bound_cells > 0);  // 6 member-years with seed 3 and scale 4
    // The channel split sums to welfare_change.
    const auto& split = r.find("welfare_change_by_channel").data;
    const std::size_t C = r.dimension("channel").size();
    REQUIRE(C == 4);  // other_policies, currency_trade_cost, wage_rigidity, fiscal_transfer
    REQUIRE(split.size() == C * Y * R);
    const std::size_t rigidity = index_of(labels(r, "channel"), "wage_rigidity");
    double rigidity_effect = 0.0;
    for (std::size_t k = 0; k < Y * R; ++k) {
        double sum = 0.0;
        for (std::size_t c = 0; c < C; ++c) sum += split[c * Y * R + k];
        CHECK(std::abs(sum - welfare[k]) < 1e-12);
        rigidity_effect = std::max(rigidity_effect, std::abs(split[rigidity * Y * R + k]));
    }
    CHECK(rigidity_effect > 0.0);
}

TEST_CASE("shocks: the draw is the same on 1 and 2 threads, another seed draws others, and they hit the baseline",
          "[currency_union][shocks]") {
    integra::testing::temp_folder dir;
    const std::string body = tariff_cut + placeholder_shocks(7, 2.0);
    std::vector<double> draws[2];
    for (int threads : {1, 2}) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
        integra::sim::run_options options;
        options.threads = threads;
        draws[threads - 1] =
            integra::sim::run_scenario(celac(dir, body, "shocks.toml"), options).find("tradable_productivity_shock").data;
    }
    CHECK(draws[0] == draws[1]);
    const auto bound = celac(dir, body, "shocks.toml");
    const std::size_t R = bound.data->economy.n_regions(), Y = bound.n_years();
    REQUIRE(draws[0].size() == Y * R);
    for (std::size_t n = 0; n < R; ++n) CHECK(draws[0][n] == 0.0);  // start_year: the second year by default
    std::size_t nonzero = 0;
    for (std::size_t k = R; k < Y * R; ++k) nonzero += draws[0][k] != 0.0;
    CHECK(nonzero == (Y - 1) * R);
    const auto other = integra::sim::run_scenario(celac(dir, tariff_cut + placeholder_shocks(8, 2.0), "other.toml"));
    const auto& z = other.find("tradable_productivity_shock").data;
    REQUIRE(z.size() == draws[0].size());
    for (std::size_t k = R; k < Y * R; ++k) CHECK(z[k] != draws[0][k]);

    // Only [shocks]: the baseline and the scenario are the same world, welfare_change is 0.
    const auto alone = integra::sim::run_scenario(celac(dir, placeholder_shocks(7, 2.0), "alone.toml"));
    for (double w : alone.find("welfare_change").data) CHECK(w == 0.0);
    CHECK(alone.find("tradable_productivity_shock").data == draws[0]);
    // ... and the baseline is not the one without shocks.
    const auto calm = integra::sim::run_scenario(celac(dir, "", "calm.toml"));
    const auto& gdp_shocked = alone.find("gdp").data;
    const auto& gdp_calm = calm.find("gdp").data;
    REQUIRE(gdp_shocked.size() == gdp_calm.size());
    for (std::size_t n = 0; n < R; ++n) CHECK(gdp_shocked[n] == gdp_calm[n]);  // case baseline, first year: no shock yet
    CHECK(gdp_shocked[2 * R] != gdp_calm[2 * R]);                               // case baseline, third year
}

TEST_CASE("clearing union in a run: net positions sum to zero, settlements and balances account for them",
          "[currency_union][clearing]") {
    integra::testing::temp_folder dir;
    const auto bound = celac(dir, tariff_cut + clearing("accounting", 0.6, "periods_per_year = 3\nmargin = 0.5\ncharge = 0.01\n"),
                             "clearing.toml");
    const auto r = integra::sim::run_scenario(bound);
    const std::size_t R = bound.data->economy.n_regions(), Y = bound.n_years(), P = r.dimension("period").size();
    REQUIRE(P == 3);
    const auto& x = r.find("net_position").data;  // clearing_union, year, period, region
    const auto& settlement = r.find("settlement").data;
    const auto& balance = r.find("clearing_balance").data;
    const auto& gross = r.find("gross_channelled_payments").data;  // clearing_union, year, period
    const auto& member = r.find("clearing_union_member").data;
    std::vector<double> cumulative_x(R, 0.0), cumulative_settled(R, 0.0), last_balance(R, 0.0);
    std::size_t open_periods = 0;
    double settled_at_all = 0.0;
    for (std::size_t y = 0; y < Y; ++y)
        for (std::size_t p = 0; p < P; ++p) {
            const std::size_t at = (y * P + p) * R;
            if (std::isnan(gross[y * P + p])) {  // before the union
                CHECK(2023 + static_cast<int>(y) < 2025);
                continue;
            }
            ++open_periods;
            REQUIRE(gross[y * P + p] > 0.0);
            double sum = 0.0;
            for (std::size_t n = 0; n < R; ++n) {
                sum += x[at + n];
                cumulative_x[n] += x[at + n];
                cumulative_settled[n] += settlement[at + n];
                last_balance[n] = balance[at + n];
                settled_at_all += std::abs(settlement[at + n]);
                if (member[n] == 0.0) CHECK(x[at + n] == 0.0);
            }
            CHECK(std::abs(sum) <= 1e-9 * gross[y * P + p]);
        }
    CHECK(open_periods == (Y - 2) * P);
    CHECK(settled_at_all > 0.0);  // some positions went beyond their margin
    for (std::size_t n = 0; n < R; ++n) {
        INFO(bound.data->economy.regions[n]);
        const double scale = std::max(1.0, std::abs(cumulative_x[n]));
        CHECK(std::abs(cumulative_settled[n] + last_balance[n] - cumulative_x[n]) <= 1e-9 * scale);
    }
}

TEST_CASE("clearing union, credit closure: the deficit changes sum to zero and start the year after the first settlements",
          "[currency_union][clearing]") {
    integra::testing::temp_folder dir;
    const auto bound = celac(dir, clearing("credit", 0.8, "margin = 2.0\nperiods_per_year = 2\n") + "[channels]\ndecompose = true\n",
                             "credit.toml");
    const auto& setup = std::get<integra::sim::trade_equilibrium_setup>(bound.model);
    const auto& mask = setup.clearing_unions[0].member_mask;
    integra::sim::year_state previous = integra::sim::first_year_state(bound);
    std::vector<Eigen::VectorXd> changes;
    for (std::size_t y = 0; y < bound.n_years(); ++y) {
        integra::sim::year_state next;
        next.year_index = y;
        next.year = bound.first_year + static_cast<int>(y);
        const auto solution = integra::sim::step(setup, previous, next);
        INFO(next.year);
        const Eigen::VectorXd& d = solution.clearing_deficit_change;
        REQUIRE(d.size() == mask.size());
        changes.push_back(d);
        CHECK(std::abs(d.sum()) <= 1e-12 * std::max(1.0, d.cwiseAbs().sum()));
        for (Eigen::Index n = 0; n < d.size(); ++n)
            if (mask(n) == 0.0) CHECK(d(n) == 0.0);
        if (next.year <= 2025) CHECK(d.cwiseAbs().maxCoeff() == 0.0);  // financing is decided at last year's settlements
        if (next.year > 2025 && d.cwiseAbs().maxCoeff() > 0.0) {
            // The scenario is the baseline with these deficits moved (nothing else in it).
            integra::models::counterfactual_shock shock;
            shock.deficits_rule = integra::models::deficit_closure::given;
            shock.deficits = solution.baseline.deficit + d / solution.deflator;
            const auto direct = integra::models::solve(solution.baseline, shock, setup.solver);
            CHECK((direct.welfare_change - solution.policy_result.welfare_change).cwiseAbs().maxCoeff() < 1e-8);
        }
        previous = std::move(next);
    }
    double largest = 0.0;
    for (std::size_t y = 3; y < changes.size(); ++y) largest = std::max(largest, changes[y].cwiseAbs().maxCoeff());
    CHECK(largest > 0.0);

    // The same through the outputs: the clearing_credit channel is zero up to the first year of
    // settlements and moves welfare after it.
    const auto r = integra::sim::run_scenario(bound);
    const std::size_t R = bound.data->economy.n_regions(), Y = bound.n_years();
    const std::size_t credit = index_of(labels(r, "channel"), "clearing_credit");
    const auto& split = r.find("welfare_change_by_channel").data;
    double after = 0.0;
    for (std::size_t y = 0; y < Y; ++y)
        for (std::size_t n = 0; n < R; ++n) {
            const double v = split[(credit * Y + y) * R + n];
            if (2023 + static_cast<int>(y) <= 2025) CHECK(v == 0.0);
            else after = std::max(after, std::abs(v));
        }
    CHECK(after > 0.0);
}
