// The development bank's balance-sheet engine (models/development_bank.hpp): hand-computed
// loan schedules, the stock-flow identities over a random 30-year run, the capital rule
// and validation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "core/errors.hpp"
#include "models/development_bank.hpp"

using namespace integra::models;
using Catch::Matchers::Contains;
using Eigen::Index;
using Eigen::VectorXd;

namespace {

using M = transactions_flow_matrix;

// Four regions: 0 and 1 members and borrowers, 2 and 3 outsiders (bondholders).
constexpr Index N = 4;

bank_counterparts outside_holders() {
    bank_counterparts c;
    c.bond_holders = (VectorXd(N) << 0.0, 0.1, 0.5, 0.4).finished();
    c.liquid_asset_issuers = (VectorXd(N) << 0.0, 0.0, 0.5, 0.5).finished();
    c.operating_cost_recipients = (VectorXd(N) << 1.0, 0.0, 0.0, 0.0).finished();
    return c;
}

approvals_request request(double r0, double r1, double r2 = 0.0, double r3 = 0.0) {
    return {(VectorXd(N) << r0, r1, r2, r3).finished(), VectorXd()};
}

// A bare bank for hand computation: two tranches, grace 2, maturity 4, r_L = 6.25%, no
// liquid-asset return, no opex, no expected loss, no liquidity floor.
bank_terms hand_terms() {
    bank_terms t;
    t.disbursement_profile = {0.5, 0.5};
    t.grace_years = 2;
    t.maturity_years = 4;
    t.funding_rate = 0.05;
    t.lending_spread = 0.0125;
    t.liquid_asset_rate = 0.0;
    t.expected_loss = 0.0;
    t.operating_cost_rate = 0.0;
    t.liquidity_share = 0.0;
    t.inflation = 0.0;  // nominal = real: the hand computations use the quoted rates
    return t;
}

// Region 0 subscribes `amount`, all paid in in the first year.
bank_capital paid_up(double amount) {
    bank_capital c;
    c.subscribed = VectorXd::Zero(N);
    c.subscribed(0) = amount;
    c.paid_in_share = 1.0;
    c.paid_in_schedule = {1.0};
    return c;
}

double scale_of(const bank_state& s) { return std::max({1.0, s.assets(), s.bonds + std::abs(s.equity())}); }

}  // namespace

TEST_CASE("Zero lending and zero capital: all flows zero, the state unchanged", "[models][development_bank]") {
    const bank_terms t;  // the defaults
    bank_capital c;
    c.subscribed = VectorXd::Zero(N);
    bank_state s = opening_state(N);
    for (int year = 0; year < 10; ++year) {
        bank_state next;
        const bank_year y = step(t, c, outside_holders(), s, request(0, 0), next);
        CHECK(y.matrix.flows.cwiseAbs().maxCoeff() == 0.0);
        CHECK(y.net_flows.cwiseAbs().maxCoeff() == 0.0);
        CHECK(y.approvals_granted.cwiseAbs().maxCoeff() == 0.0);
        CHECK(y.net_income == 0.0);
        CHECK(y.lending_capacity == 0.0);
        CHECK_FALSE(y.capital_constrained);
        CHECK(std::isnan(y.equity_to_loans));
        CHECK(next.years_open == s.years_open + 1);
        CHECK(next.bonds == 0.0);
        CHECK(next.liquid_assets == 0.0);
        CHECK(next.equity() == 0.0);
        CHECK(next.loan_loss_allowance == 0.0);
        CHECK(next.loans == s.loans);
        CHECK(next.paid_in_by_member == s.paid_in_by_member);
        CHECK(next.vintages.empty());
        s = next;
    }
}

TEST_CASE("A loan of 100, grace 2, maturity 4, over 6 years, computed by hand", "[models][development_bank]") {
    // Signed in year 0 by region 1; tranches of 50 in years 0 and 1; no principal in the
    // two years of grace; equal instalments of 100 / (4 - 2) = 50 in years 2 and 3; r_L =
    // 5% + 1.25% = 6.25% on the opening balance.
    const double disb[6] = {50, 50, 0, 0, 0, 0};
    const double interest[6] = {0, 3.125, 6.25, 3.125, 0, 0};
    const double principal[6] = {0, 0, 50, 50, 0, 0};
    const double loans[6] = {50, 100, 50, 0, 0, 0};

    SECTION("funded by equity: no bonds") {
        // Paid-in 100 in year 0; equity = 100 + cumulative interest; Q = E - L.
        const double equity[6] = {100, 103.125, 109.375, 112.5, 112.5, 112.5};
        bank_state s = opening_state(N);
        for (int year = 0; year < 6; ++year) {
            bank_state next;
            const bank_year y = step(hand_terms(), paid_up(100), outside_holders(), s,
                                     year == 0 ? request(0, 100) : request(0, 0), next);
            INFO("year " << year);
            if (year == 0) {
                CHECK(y.approvals_granted(1) == 100.0);
                CHECK(y.lending_capacity == Approx(400.0).epsilon(1e-15));  // 100 / 0.25
                CHECK(y.headroom == Approx(300.0).epsilon(1e-15));
            }
            CHECK(y.disbursements(1) == Approx(disb[year]).margin(1e-12));
            CHECK(y.loan_interest(1) == Approx(interest[year]).margin(1e-12));
            CHECK(y.repayments(1) == Approx(principal[year]).margin(1e-12));
            CHECK(y.disbursements(0) == 0.0);
            CHECK(next.loans(1) == Approx(loans[year]).margin(1e-12));
            CHECK(next.equity() == Approx(equity[year]).margin(1e-12));
            CHECK(next.bonds == 0.0);
            CHECK(next.liquid_assets == Approx(equity[year] - loans[year]).margin(1e-12));
            // the borrower's net flow: disbursement - principal - interest
            CHECK(y.net_flows(1) == Approx(disb[year] - principal[year] - interest[year]).margin(1e-12));
            s = next;
        }
        CHECK(s.vintages.empty());
    }

    SECTION("funded by 30 of equity and bonds at 5%") {
        // E_0 = 30 paid in; B = L - E (no floor), bond interest 5% of opening B.
        //   year 0: L 50, E 30, B 20
        //   year 1: NI = 3.125 - 1 = 2.125; E 32.125; L 100; B 67.875
        //   year 2: NI = 6.25 - 3.39375 = 2.85625; E 34.98125; L 50; B 15.01875
        //   year 3: NI = 3.125 - 0.7509375 = 2.3740625; E 37.3553125; L 0; B 0; Q = E
        //   years 4, 5: nothing earned (r_Q = 0)
        const double bonds[6] = {20, 67.875, 15.01875, 0, 0, 0};
        const double equity[6] = {30, 32.125, 34.98125, 37.3553125, 37.3553125, 37.3553125};
        const double bond_interest[6] = {0, 1, 3.39375, 0.7509375, 0, 0};
        bank_state s = opening_state(N);
        for (int year = 0; year < 6; ++year) {
            bank_state next;
            const bank_year y = step(hand_terms(), paid_up(30), outside_holders(), s,
                                     year == 0 ? request(0, 100) : request(0, 0), next);
            INFO("year " << year);
            CHECK(y.repayments(1) == Approx(principal[year]).margin(1e-12));
            CHECK(y.loan_interest(1) == Approx(interest[year]).margin(1e-12));
            CHECK(y.bond_interest == Approx(bond_interest[year]).margin(1e-12));
            CHECK(next.bonds == Approx(bonds[year]).margin(1e-12));
            CHECK(next.equity() == Approx(equity[year]).margin(1e-12));
            CHECK(next.liquid_assets == Approx(equity[year] + bonds[year] - loans[year]).margin(1e-12));
            // bondholders in region 2 hold half the bonds: interest in, net purchases out
            CHECK(y.matrix.flows(M::bond_interest, y.matrix.investors(2)) == Approx(0.5 * bond_interest[year]).margin(1e-12));
            CHECK(y.matrix.flows(M::bond_issuance, y.matrix.investors(2)) ==
                  Approx(-0.5 * (bonds[year] - (year == 0 ? 0.0 : bonds[year - 1]))).margin(1e-12));
            CHECK(std::abs(y.net_flows.sum()) < 1e-12);
            s = next;
        }
    }
}

TEST_CASE("The default terms: equal principal instalments of 1/13 in years 5 to 17", "[models][development_bank]") {
    bank_terms t;  // profile 10/20/25/25/20, grace 5, maturity 18
    t.liquidity_share = 0.0;
    bank_state s = opening_state(N);
    double repaid = 0.0, disbursed = 0.0;
    for (int year = 0; year < 20; ++year) {
        bank_state next;
        const bank_year y = step(t, paid_up(1000), outside_holders(), s, year == 0 ? request(100, 0) : request(0, 0), next);
        INFO("year " << year);
        const double expected = year >= 5 && year <= 17 ? 100.0 / 13.0 : 0.0;
        CHECK(y.repayments(0) == Approx(expected).margin(1e-12));
        CHECK(y.disbursements(0) == Approx(year < 5 ? 100.0 * t.disbursement_profile[year] : 0.0).margin(1e-12));
        // The books are real: the quoted 6.25% less 2% inflation, (1.0625 / 1.02) - 1 (Fisher).
        CHECK(y.loan_interest(0) == Approx((1.0625 / 1.02 - 1.0) * s.loans(0)).margin(1e-12));
        // The allowance is one year's expected loss on the opening book (IFRS 9 stage 1),
        // released as the loan amortises: provisions are its change.
        CHECK(next.loan_loss_allowance == Approx(t.expected_loss * s.loans(0)).margin(1e-15));
        CHECK(y.provisions == Approx(t.expected_loss * s.loans(0) - s.loan_loss_allowance).margin(1e-15));
        repaid += y.repayments(0);
        disbursed += y.disbursements(0);
        s = next;
    }
    CHECK(s.loan_loss_allowance == Approx(0.0).margin(1e-12));  // released with the last instalment
    CHECK(repaid == Approx(100.0).margin(1e-12));
    CHECK(disbursed == Approx(100.0).margin(1e-12));
    CHECK(s.loans(0) == Approx(0.0).margin(1e-12));
    CHECK(s.vintages.empty());
}

TEST_CASE("Requests beyond the capital rule are granted pro rata, headroom zero", "[models][development_bank]") {
    bank_terms t = hand_terms();
    SECTION("equity/loans floor") {
        // E = 50 -> capacity 50 / 0.25 = 200 against requests of 300 + 100.
        bank_state next;
        const bank_year y = step(t, paid_up(50), outside_holders(), opening_state(N), request(300, 100), next);
        CHECK(y.capital_constrained);
        CHECK(y.lending_capacity == Approx(200.0).epsilon(1e-15));
        CHECK(y.approvals_granted(0) == Approx(150.0).epsilon(1e-15));
        CHECK(y.approvals_granted(1) == Approx(50.0).epsilon(1e-15));
        CHECK(y.headroom == 0.0);
        CHECK(y.equity_to_exposure == Approx(0.25).epsilon(1e-14));
        CHECK(y.equity_to_loans >= 0.25);
        // the next year: the exposure is still 200 and the equity 50 + interest on 100 of
        // loans less bond interest on 50 (B = L - E = 100 - 50)
        bank_state after;
        const bank_year y2 = step(t, paid_up(50), outside_holders(), next, request(1000, 0), after);
        const double e2 = 50.0 + 0.0625 * 100.0 - 0.05 * 50.0;
        CHECK(y2.lending_capacity == Approx(e2 / 0.25 - 200.0).epsilon(1e-13));
        CHECK(y2.equity_to_exposure == Approx(0.25).epsilon(1e-13));
    }
    SECTION("gearing") {
        // subscribed 50 (20% paid in), g = 2.5 -> capacity 125 in year 0.
        t.capital_rule = bank_terms::capital_rule_kind::gearing;
        bank_capital c = paid_up(50);
        c.paid_in_share = 0.2;
        bank_state next;
        const bank_year y = step(t, c, outside_holders(), opening_state(N), request(100, 100), next);
        CHECK(y.capital_constrained);
        CHECK(y.lending_capacity == Approx(125.0).epsilon(1e-15));
        CHECK(y.approvals_granted(0) == Approx(62.5).epsilon(1e-15));
        CHECK(y.exposure == Approx(125.0).epsilon(1e-15));
        CHECK(next.paid_in_capital == Approx(10.0).epsilon(1e-15));
    }
}

TEST_CASE("As much as capital allows: the whole capacity over the key, every year", "[models][development_bank]") {
    const bank_terms t = hand_terms();
    approvals_request key = request(0.75, 0.25);
    key.up_to_capacity = true;
    bank_state s = opening_state(N);
    for (int year = 0; year < 8; ++year) {
        bank_state next;
        const bank_year y = step(t, paid_up(50), outside_holders(), s, key, next);
        CHECK(y.approvals_granted.sum() == Approx(y.lending_capacity).epsilon(1e-14));
        CHECK(y.approvals_granted(0) == Approx(3.0 * y.approvals_granted(1)).epsilon(1e-14));
        CHECK(y.headroom == 0.0);
        // The rule binds exactly: equity = e_min x exposure at the end of every year.
        CHECK(y.equity_to_exposure == Approx(t.min_equity_to_loans).epsilon(1e-12));
        s = next;
    }
    approvals_request not_a_key = request(2.0, 0.0);
    not_a_key.up_to_capacity = true;
    bank_state next;
    CHECK_THROWS_WITH(step(t, paid_up(50), outside_holders(), opening_state(N), not_a_key, next),
                      Contains("approvals_request.amounts") && Contains("must sum to 1"));
}

TEST_CASE("Transport projects: their share of each vintage is disbursed in proportion", "[models][development_bank]") {
    const bank_terms t = hand_terms();  // two tranches of 50%
    approvals_request r = request(100, 40);
    r.transport = (VectorXd(N) << 30, 0, 0, 0).finished();
    bank_state s = opening_state(N), next;
    bank_year y = step(t, paid_up(1000), outside_holders(), s, r, next);
    CHECK(y.transport_disbursements(0) == Approx(15.0).epsilon(1e-15));  // 30% of the first tranche of 50
    CHECK(y.transport_disbursements(1) == 0.0);
    s = next;
    y = step(t, paid_up(1000), outside_holders(), s, request(0, 0), next);
    CHECK(y.transport_disbursements(0) == Approx(15.0).epsilon(1e-15));  // and of the second
    // Granted pro rata when constrained, the transport share is kept.
    bank_state small;
    y = step(t, paid_up(10), outside_holders(), opening_state(N), r, small);
    REQUIRE(y.capital_constrained);
    CHECK(y.transport_disbursements(0) == Approx(0.3 * y.disbursements(0)).epsilon(1e-14));
    approvals_request too_much = request(100, 0);
    too_much.transport = (VectorXd(N) << 101, 0, 0, 0).finished();
    CHECK_THROWS_WITH(step(t, paid_up(1000), outside_holders(), opening_state(N), too_much, small),
                      Contains("approvals_request.transport[0]") && Contains("must not exceed"));
}

TEST_CASE("Losses that push equity below the floor: no new approvals, the breach reported", "[models][development_bank]") {
    bank_terms t = hand_terms();
    t.operating_cost_rate = 0.2;  // absurd costs: a loss in year 1
    bank_state s = opening_state(N), next;
    const bank_year y0 = step(t, paid_up(50), outside_holders(), s, request(300, 0), next);
    CHECK(y0.capital_constrained);
    CHECK_FALSE(y0.rule_breached);
    CHECK(y0.equity_to_exposure == Approx(0.25).epsilon(1e-14));
    bank_state after;
    const bank_year y1 = step(t, paid_up(50), outside_holders(), next, request(10, 0), after);
    CHECK(y1.net_income < 0.0);
    CHECK(y1.rule_breached);
    CHECK(y1.capital_constrained);
    CHECK(y1.lending_capacity == 0.0);
    CHECK(y1.approvals_granted(0) == 0.0);
    CHECK(y1.equity_to_exposure < 0.25);
    // nothing signed is cancelled: the second tranche of the 200 still flows
    CHECK(y1.disbursements(0) == Approx(100.0).epsilon(1e-15));
}

TEST_CASE("The liquidity floor on next year's committed disbursements", "[models][development_bank]") {
    bank_terms t = hand_terms();
    t.liquidity_rule = bank_terms::liquidity_base::next_year_disbursements;
    t.liquidity_share = 0.4;
    bank_state next;
    // 100 signed (capacity 30 / 0.25 = 120): 50 disbursed now, 50 next year -> floor
    // 0.4 x 50 = 20; E = 30, L = 50 -> B = 20 + 50 - 30 = 40, Q = 20.
    const bank_year y = step(t, paid_up(30), outside_holders(), opening_state(N), request(100, 0), next);
    CHECK_FALSE(y.capital_constrained);
    CHECK(y.liquidity_floor == Approx(20.0).epsilon(1e-15));
    CHECK(next.liquid_assets == Approx(20.0).epsilon(1e-15));
    CHECK(next.bonds == Approx(40.0).epsilon(1e-15));
}

TEST_CASE("Stock-flow identities hold to 1e-12 over a random 30-year run", "[models][development_bank]") {
    std::mt19937_64 rng(20261129);
    auto uniform = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
    auto integer = [&](int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng); };
    int constrained_years = 0, free_years = 0;
    for (int trial = 0; trial < 8; ++trial) {
        bank_terms t;
        t.disbursement_profile.assign(static_cast<std::size_t>(integer(3, 8)), 0.0);
        double sum = 0.0;
        for (auto& d : t.disbursement_profile) sum += d = uniform(0.05, 1.0);
        for (auto& d : t.disbursement_profile) d /= sum;
        t.grace_years = integer(trial == 0 ? 0 : 3, 6);
        t.maturity_years = integer(12, 25);
        t.funding_rate = uniform(0.02, 0.07);
        t.lending_spread = uniform(0.008, 0.026);
        t.liquid_asset_rate = t.funding_rate - uniform(0.0, 0.01);
        t.expected_loss = uniform(0.001, 0.01);
        t.operating_cost_rate = uniform(0.001, 0.005);
        t.liquidity_share = uniform(0.2, 0.5);
        t.liquidity_rule = trial % 2 ? bank_terms::liquidity_base::loans : bank_terms::liquidity_base::next_year_disbursements;
        t.capital_rule = trial % 4 < 2 ? bank_terms::capital_rule_kind::equity_to_loans : bank_terms::capital_rule_kind::gearing;
        t.min_equity_to_loans = uniform(0.18, 0.35);
        t.max_gearing = uniform(2.5, 2.9);
        t.dividend_share = trial % 3 == 0 ? uniform(0.0, 1.0) : 0.0;
        t.inflation = uniform(0.0, 0.04);
        bank_capital c;
        c.subscribed = VectorXd::Zero(N);
        for (Index r = 0; r < N; ++r) c.subscribed(r) = uniform(0.0, 2000.0);
        c.paid_in_share = uniform(0.05, 0.5);
        c.paid_in_schedule = {0.3, 0.3, 0.2, 0.2};
        bank_counterparts cp;
        cp.bond_holders = VectorXd::NullaryExpr(N, [&](Index) { return uniform(0.0, 1.0); });
        cp.bond_holders /= cp.bond_holders.sum();
        cp.liquid_asset_issuers = VectorXd::NullaryExpr(N, [&](Index) { return uniform(0.0, 1.0); });
        cp.liquid_asset_issuers /= cp.liquid_asset_issuers.sum();
        cp.operating_cost_recipients = VectorXd::Unit(N, trial % N);

        bank_state s = opening_state(N);
        for (int year = 0; year < 30; ++year) {
            INFO("trial " << trial << ", year " << year);
            approvals_request req{VectorXd::NullaryExpr(N, [&](Index) { return uniform(0.0, year % 7 == 3 ? 3000.0 : 400.0); }), VectorXd()};
            bank_state next;
            const bank_year y = step(t, c, cp, s, req, next);
            const double tol = 1e-12 * std::max(scale_of(s), scale_of(next));
            const auto& F = y.matrix.flows;

            // the balance sheet: Q + L - allowance = B + E
            CHECK(std::abs(next.assets() - (next.bonds + next.equity())) <= tol);
            // every row sums to zero: every flow has a payer and a receiver
            for (int r = 0; r < M::n_rows; ++r) CHECK(std::abs(F.row(r).sum()) <= tol);
            // the bank's column sums to zero: D.A eq. 5 from the flows, against the stocks
            CHECK(std::abs(F.col(y.matrix.bank()).sum()) <= tol);
            CHECK(std::abs(y.bond_issuance - (y.disbursements.sum() - y.repayments.sum() + y.liquid_asset_change -
                                              y.paid_in.sum() - y.net_income - y.provisions + y.dividends)) <= tol);
            // the world: regions' net flows sum to zero; regions' net lending + the bank's = 0
            CHECK(std::abs(y.net_flows.sum()) <= tol);
            const VectorXd nl = y.matrix.net_lending();
            CHECK(std::abs(nl.sum()) <= tol);
            CHECK(std::abs(nl(y.matrix.bank()) - (y.net_income + y.provisions - y.dividends)) <= tol);
            // stocks follow flows
            CHECK((next.loans - (s.loans + y.disbursements - y.repayments)).cwiseAbs().maxCoeff() <= tol);
            CHECK(std::abs(next.equity() - (s.equity() + y.paid_in.sum() + y.net_income - y.dividends)) <= tol);
            // dividends: the share of positive income, to members by paid-in capital
            CHECK(std::abs(y.dividends - t.dividend_share * std::max(0.0, y.net_income)) <= tol);
            CHECK(std::abs(y.dividends_by_member.sum() - y.dividends) <= tol);
            CHECK(std::abs(next.liquid_assets - s.liquid_assets - y.liquid_asset_change) <= tol);
            // the borrower's flow is D.A eq. 7(a) for the official sectors
            for (Index r = 0; r < N; ++r) {
                const double official = y.disbursements(r) - y.repayments(r) - y.loan_interest(r) - y.paid_in(r) +
                                         y.dividends_by_member(r);
                CHECK(std::abs(F.col(y.matrix.official(r)).sum() - official) <= tol);
            }
            // the state stays consistent (vintages add up to loans) and funded (B >= 0,
            // Q at or above the floor)
            integra::issues problems;
            validate(next, t, N, problems);
            CHECK(problems.empty());
            CHECK(next.bonds >= 0.0);
            CHECK(next.liquid_assets >= y.liquidity_floor - tol);
            // the capital rule
            CHECK((y.rule_breached == false || y.net_income < 0.0));
            if (y.capital_constrained) {
                ++constrained_years;
                CHECK(y.headroom == 0.0);
                if (t.capital_rule == bank_terms::capital_rule_kind::equity_to_loans) {
                    CHECK(y.equity_to_exposure >= t.min_equity_to_loans * (1.0 - 1e-12));
                    CHECK(y.equity_to_loans >= t.min_equity_to_loans * (1.0 - 1e-12));
                } else {
                    CHECK(y.exposure <= t.max_gearing * (c.subscribed.sum() + next.retained_earnings) * (1.0 + 1e-12));
                }
            } else {
                ++free_years;
                CHECK(y.approvals_granted == req.amounts);
                CHECK(y.headroom == Approx(y.lending_capacity - req.amounts.sum()).margin(tol));
            }
            s = next;
        }
    }
    CHECK(constrained_years > 20);  // the test exercises both branches
    CHECK(free_years > 20);
}

TEST_CASE("Bad terms and capital are reported together", "[models][development_bank]") {
    bank_terms t;
    t.disbursement_profile = {0.5, 0.4};
    t.grace_years = 6;
    t.maturity_years = 4;
    t.min_equity_to_loans = 0.0;
    bank_capital c;
    c.subscribed = (VectorXd(N) << 100, -5, 0, 0).finished();
    c.paid_in_share = 1.5;
    bank_counterparts cp = outside_holders();
    cp.bond_holders = VectorXd::Ones(3) / 3.0;
    bank_state next;
    const auto call = [&] { step(t, c, cp, opening_state(N), request(1, 2, 3, -4), next); };
    REQUIRE_THROWS_AS(call(), integra::inconsistent_input);
    REQUIRE_THROWS_WITH(call(), Contains("development bank: 7 problem(s)") &&
                                    Contains("bank_terms.disbursement_profile: shares must sum to 1, got 0.9") &&
                                    Contains("bank_terms.maturity_years: must be longer than the grace period (6 years), got 4") &&
                                    Contains("bank_terms.min_equity_to_loans: the equity/loans floor must be > 0, got 0") &&
                                    Contains("bank_capital.subscribed[1]: must be an amount >= 0, got -5") &&
                                    Contains("bank_capital.paid_in_share: must be a share in [0, 1], got 1.5") &&
                                    Contains("bank_counterparts.bond_holders: expected 4 region shares, got 3") &&
                                    Contains("approvals_request.amounts[3]: must be an amount >= 0, got -4"));

    bank_terms g;
    g.capital_rule = bank_terms::capital_rule_kind::gearing;
    g.max_gearing = -1.0;
    g.disbursement_profile = {0.2, 0.2, 0.2, 0.2, 0.2, 0.2};  // sums to 1.2, longer than maturity 5
    g.grace_years = 2;
    g.maturity_years = 5;
    g.expected_loss = -0.01;
    integra::issues problems;
    validate(g, problems);
    CHECK(problems.size() == 4);
    const std::string report = problems.report("terms");
    CHECK_THAT(report, Contains("bank_terms.max_gearing: the gearing limit must be > 0, got -1") &&
                           Contains("shares must sum to 1, got 1.2") &&
                           Contains("disburses over 6 years, longer than the maturity (5 years)") &&
                           Contains("bank_terms.expected_loss: must be a share per year in [0, 1), got -0.01"));
}

TEST_CASE("A state whose vintages do not add up to its loans is refused", "[models][development_bank]") {
    const bank_terms t = hand_terms();
    bank_state s = opening_state(N);
    bank_state next;
    step(t, paid_up(100), outside_holders(), s, request(0, 100), next);
    next.loans(1) += 1.0;
    bank_state after;
    REQUIRE_THROWS_WITH(step(t, paid_up(100), outside_holders(), next, request(0, 0), after),
                        Contains("bank_state.loans[1]: is 51 but its vintages add up to 50"));
}

TEST_CASE("Terms that make no bank: no grace and a one-year maturity, inflation out of range", "[models][development_bank]") {
    bank_terms t;
    t.disbursement_profile = {1.0};
    t.grace_years = 0;
    t.maturity_years = 1;
    t.inflation = 1.5;
    integra::issues problems;
    validate(t, problems);
    const std::string text = problems.report("terms");
    CHECK_THAT(text, Contains("bank_terms.maturity_years: must be at least 2 years without a grace period"));
    CHECK_THAT(text, Contains("bank_terms.inflation: must be a rate per year in (-0.5, 1), got 1.5"));
}
