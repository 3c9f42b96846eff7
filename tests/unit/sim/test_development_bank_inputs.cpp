// A development bank's inputs run end to end on celac38 (issue 9): a pipeline CSV (with a
// corridor row), two banks in one run, and lending as much as capital allows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sim/bound_scenario.hpp"
#include "sim/runner.hpp"
#include "temp_folder.hpp"

namespace {

// A celac38 scenario over 2023-2028 with `body` (its banks), written to `dir` and loaded.
integra::sim::bound_scenario celac(const integra::testing::temp_folder& dir, const std::string& body, const char* file = "s.toml") {
    const auto path = dir.write(file, "dataset = \"" INTEGRA_SOURCE_DATA_DIR "/celac38\"\nmodel = \"trade_equilibrium\"\n"
                                      "[horizon]\nfirst_year = 2023\nlast_year = 2028\n" + body);
    return integra::sim::load_scenario(path);
}

std::size_t index_of(const std::vector<std::string>& labels, const std::string& label) {
    const auto it = std::find(labels.begin(), labels.end(), label);
    REQUIRE(it != labels.end());
    return static_cast<std::size_t>(it - labels.begin());
}

const std::vector<std::string>& labels_of(const integra::sim::result_set& r, const std::string& dimension) {
    return std::get<std::vector<std::string>>(r.dimension(dimension).values);
}

const std::string celac_bank = "[[development_bank]]\nname = \"celac_bank\"\nmembers = \"CELAC\"\ncapital = 100000\n"
                               "lending_envelope = 15000\nstart_year = 2024\n";

}  // namespace

TEST_CASE("development bank inputs: a pipeline's rows are the approvals when capital does not bind", "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    dir.write("pipeline.csv", "borrower,purpose,year,amount,note\n"
                              "BRA,transport,2025,1000,a corridor\n"
                              "ARG,energy,2025,500,\n"
                              "BRA,other,2026,300,\n");
    // US$100 bn subscribed (US$20 bn paid in over five years) against US$1.8 bn of requests:
    // the capital rule never binds, so each request is approved in full.
    const auto bound = celac(dir, "[[development_bank]]\nname = \"celac_bank\"\nmembers = \"CELAC\"\ncapital = 100000\n"
                                  "pipeline = \"pipeline.csv\"\nstart_year = 2024\n");
    const auto r = integra::sim::run_scenario(bound);
    const auto& regions = bound.data->economy.regions;
    const std::size_t R = regions.size(), Y = bound.n_years();
    REQUIRE(Y == 6);
    const std::size_t bra = index_of(regions, "BRA"), arg = index_of(regions, "ARG");
    const auto year = [](int y) { return static_cast<std::size_t>(y - 2023); };

    const auto& approvals = r.find("bank_approvals_by_borrower").data;  // (bank, year, region), one bank
    REQUIRE(approvals.size() == Y * R);
    for (std::size_t y = 0; y < Y; ++y)
        for (std::size_t n = 0; n < R; ++n) {
            double expected = 0.0;
            if (y == year(2025) && n == bra) expected = 1000.0;
            if (y == year(2025) && n == arg) expected = 500.0;
            if (y == year(2026) && n == bra) expected = 300.0;
            INFO("year " << 2023 + y << ", " << regions[n]);
            CHECK(approvals[y * R + n] == Approx(expected).margin(1e-9));
        }
    for (const double c : r.find("bank_capital_constrained").data) CHECK(c == 0.0);
    const auto& total = r.find("bank_approvals").data;
    CHECK(total[year(2025)] == Approx(1500.0));
    CHECK(total[year(2026)] == Approx(300.0));

    // Only Brazil borrows for transport; Argentina's energy loan is spent from the year it is signed.
    const auto& transport = r.find("transport_project_spending").data;  // (year, region)
    const auto& spending = r.find("project_spending").data;
    REQUIRE(transport.size() == Y * R);
    double brazil_transport = 0.0;
    for (std::size_t y = 0; y < Y; ++y)
        for (std::size_t n = 0; n < R; ++n) {
            INFO("year " << 2023 + y << ", " << regions[n]);
            if (n == bra) brazil_transport += transport[y * R + n];
            else CHECK(transport[y * R + n] == 0.0);
            CHECK(transport[y * R + n] <= spending[y * R + n] + 1e-9);
        }
    CHECK(brazil_transport > 0.0);
    for (std::size_t y = 0; y < Y; ++y) {
        INFO("year " << 2023 + y);
        if (y < year(2025)) CHECK(spending[y * R + arg] == 0.0);
        else CHECK(spending[y * R + arg] > 0.0);
    }
    // Argentina's spending over the horizon is what has been disbursed of its 500.
    double argentina = 0.0;
    for (std::size_t y = 0; y < Y; ++y) argentina += spending[y * R + arg];
    CHECK(argentina <= 500.0 + 1e-9);
}

TEST_CASE("development bank inputs: a pipeline's corridor row binds to its borrower and partner and is lent to the borrower", "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    dir.write("pipeline.csv", "borrower,purpose,year,amount,partner,note\n"
                              "BRA,transport,2025,1000,PRY,\"Corredor Bioceanico, first tranche\"\n"
                              "BRA,transport,2025,200,,a road at home\n"
                              "ARG,energy,2025,500,,\n"
                              "PRY,transport,2026,300,BRA,the other end\n");
    const auto bound = celac(dir, "[[development_bank]]\nname = \"celac_bank\"\nmembers = \"CELAC\"\ncapital = 100000\n"
                                  "pipeline = \"pipeline.csv\"\nstart_year = 2024\n");
    const auto& regions = bound.data->economy.regions;
    const auto R = static_cast<Eigen::Index>(regions.size());
    const auto bra = static_cast<Eigen::Index>(index_of(regions, "BRA")), pry = static_cast<Eigen::Index>(index_of(regions, "PRY")),
               arg = static_cast<Eigen::Index>(index_of(regions, "ARG"));
    const auto& bank = std::get<integra::sim::trade_equilibrium_setup>(bound.model).banks.at(0);
    const auto& y2025 = bank.pipeline.at(2025);
    CHECK(y2025.amounts(bra) == 1200.0);
    CHECK(y2025.transport(bra) == 1200.0);  // the corridor is a part of the borrower's transport lending
    CHECK(y2025.amounts(arg) == 500.0);
    CHECK(y2025.transport(arg) == 0.0);
    REQUIRE(y2025.corridor.rows() == R);
    REQUIRE(y2025.corridor.cols() == R);
    CHECK(y2025.corridor(bra, pry) == 1000.0);
    CHECK(y2025.corridor(pry, bra) == 0.0);
    CHECK(y2025.corridor.sum() == 1000.0);
    const auto& y2026 = bank.pipeline.at(2026);
    REQUIRE(y2026.corridor.size() == R * R);
    CHECK(y2026.corridor(pry, bra) == 300.0);
    CHECK(y2026.corridor.sum() == 300.0);
    CHECK(y2026.transport(pry) == 300.0);
    CHECK(bank.pipeline.at(2024).corridor.size() == 0);  // no corridor row that year
    CHECK(bank.pipeline.at(2027).corridor.size() == 0);

    // End to end: a corridor is an approval of its borrower like any other row (the capital
    // rule does not bind), and its spending is the borrower's transport spending.
    const auto r = integra::sim::run_scenario(bound);
    const std::size_t N = regions.size(), Y = bound.n_years();
    const auto year = [](int y) { return static_cast<std::size_t>(y - 2023); };
    const auto& approvals = r.find("bank_approvals_by_borrower").data;  // (bank, year, region), one bank
    REQUIRE(approvals.size() == Y * N);
    CHECK(approvals[year(2025) * N + static_cast<std::size_t>(bra)] == Approx(1200.0));
    CHECK(approvals[year(2025) * N + static_cast<std::size_t>(pry)] == Approx(0.0).margin(1e-9));
    CHECK(approvals[year(2026) * N + static_cast<std::size_t>(pry)] == Approx(300.0));
    for (const double c : r.find("bank_capital_constrained").data) CHECK(c == 0.0);
    const auto& transport = r.find("transport_project_spending").data;  // (year, region)
    double brazil = 0.0, paraguay = 0.0;
    for (std::size_t y = 0; y < Y; ++y) {
        brazil += transport[y * N + static_cast<std::size_t>(bra)];
        paraguay += transport[y * N + static_cast<std::size_t>(pry)];
        CHECK(transport[y * N + static_cast<std::size_t>(arg)] == 0.0);
    }
    CHECK(brazil > 0.0);
    CHECK(brazil <= 1200.0 + 1e-9);
    CHECK(paraguay > 0.0);
    CHECK(paraguay <= 300.0 + 1e-9);
}

TEST_CASE("development bank inputs: two banks in one run each have their label, flows and effect", "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    const std::string andean = "[[development_bank]]\nname = \"andean\"\nmembers = \"BOL + COL + ECU + PER\"\ncapital = 20000\n"
                               "lending_envelope = 3000\nstart_year = 2025\n";
    const auto bound = celac(dir, celac_bank + andean, "two.toml");
    const auto two = integra::sim::run_scenario(bound);
    const auto one = integra::sim::run_scenario(celac(dir, celac_bank, "one.toml"));
    const auto& banks = labels_of(two, "bank");
    REQUIRE(banks == std::vector<std::string>{"celac_bank", "andean"});
    CHECK(labels_of(one, "bank") == std::vector<std::string>{"celac_bank"});

    const auto& regions = bound.data->economy.regions;
    const std::size_t R = regions.size(), Y = bound.n_years();
    const auto& change = two.find("bank_deficit_change").data;  // (bank, year, region)
    REQUIRE(change.size() == 2 * Y * R);
    for (std::size_t b = 0; b < 2; ++b)
        for (std::size_t y = 0; y < Y; ++y) {
            double sum = 0.0, scale = 0.0;
            for (std::size_t n = 0; n < R; ++n) {
                sum += change[(b * Y + y) * R + n];
                scale += std::abs(change[(b * Y + y) * R + n]);
            }
            INFO(banks[b] << ", year " << 2023 + y);
            CHECK(std::abs(sum) <= 1e-9 * std::max(1.0, scale));
            if (b == 1 && y < 2) CHECK(scale == 0.0);  // the andean bank opens in 2025
            if (b == 1 && y >= 2) CHECK(scale > 0.0);
        }
    // The andean bank lends to its members only; the CELAC bank's series are those of the run without it.
    const auto& approvals = two.find("bank_approvals_by_borrower").data;
    for (std::size_t y = 0; y < Y; ++y)
        for (std::size_t n = 0; n < R; ++n) {
            const bool andean_member = regions[n] == "BOL" || regions[n] == "COL" || regions[n] == "ECU" || regions[n] == "PER";
            if (!andean_member) CHECK(approvals[(Y + y) * R + n] == 0.0);
        }
    const auto& loans_two = two.find("bank_loans").data;
    const auto& loans_one = one.find("bank_loans").data;
    REQUIRE(loans_two.size() == 2 * Y);
    for (std::size_t y = 0; y < Y; ++y) CHECK(loans_two[y] == Approx(loans_one[y]).epsilon(1e-12));
    CHECK(loans_two[2 * Y - 1] > 0.0);

    // The second bank changes the scenario: Peru's deficit and welfare differ from the run with the first only.
    const std::size_t per = index_of(regions, "PER"), last = Y - 1;
    const auto& w2 = two.find("welfare_change").data;
    const auto& w1 = one.find("welfare_change").data;
    REQUIRE(w2.size() == w1.size());
    CHECK(w2[last * R + per] != Approx(w1[last * R + per]).epsilon(1e-9));
    double differs = 0.0;
    for (std::size_t i = 0; i < w1.size(); ++i) differs = std::max(differs, std::abs(w2[i] - w1[i]));
    CHECK(differs > 1e-6);
}

TEST_CASE("development bank inputs: lending as much as capital allows keeps the bank at its equity floor", "[sim][runner][equilibrium][bank]") {
    integra::testing::temp_folder dir;
    const auto bound = celac(dir, "[[development_bank]]\nname = \"celac_bank\"\nmembers = \"CELAC\"\ncapital = 100000\n"
                                  "lending = \"capacity\"\nstart_year = 2024\n");
    const auto r = integra::sim::run_scenario(bound);
    const std::size_t Y = bound.n_years();
    const double floor = integra::models::bank_terms{}.min_equity_to_loans;
    REQUIRE(floor == 0.25);
    const auto& constrained = r.find("bank_capital_constrained").data;
    const auto& ratio = r.find("bank_equity_to_loans").data;
    const auto& approvals = r.find("bank_approvals").data;
    const auto& headroom = r.find("bank_headroom").data;
    REQUIRE(constrained.size() == Y);
    CHECK(constrained[0] == 0.0);  // 2023: not open
    CHECK(approvals[0] == 0.0);
    for (std::size_t y = 1; y < Y; ++y) {  // 2024-2028: open, lending up to the rule
        INFO("year " << 2023 + y);
        CHECK(constrained[y] == 1.0);
        CHECK(approvals[y] > 0.0);
        CHECK(headroom[y] == Approx(0.0).margin(1e-6 * approvals[y]));
    }
    // The rule binds: at the end of every open year equity is exactly the floor times loans
    // and undisbursed commitments (D.A eq. 6), so equity / loans is at least the floor.
    const auto& equity = r.find("bank_equity").data;
    const auto& loans = r.find("bank_loans").data;
    const auto& undisbursed = r.find("bank_undisbursed").data;
    for (std::size_t y = 1; y < Y; ++y) {
        INFO("year " << 2023 + y);
        REQUIRE(equity[y] > 0.0);
        CHECK(equity[y] / (loans[y] + undisbursed[y]) == Approx(floor).epsilon(1e-9));
        REQUIRE(std::isfinite(ratio[y]));
        CHECK(ratio[y] >= floor - 1e-12);
        CHECK(ratio[y] == Approx(equity[y] / loans[y]).epsilon(1e-12));
    }
}
