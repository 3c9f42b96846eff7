// The clearing union (models/clearing_union.hpp): a worked example by hand, the money
// identities on random unions, and the diagnostics (structural positions, over-invoicing).
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>

#include "core/errors.hpp"
#include "models/clearing_union.hpp"

using namespace integra;
using namespace integra::models;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using Eigen::VectorXi;

namespace {

// Imports at world prices (importer n, exporter i), US$ a year. Members A, B, C (0-2);
// D (3) is not a member and trades with A and B outside the union.
//   A imports 120 from B and 30 from C (and 50 from D); B imports 60 from C; C imports 90
//   from A; D imports 40 from A and 10 from B.
MatrixXd example_imports() {
    MatrixXd m(4, 4);
    m << 0, 120, 30, 50,  //
        0, 0, 60, 0,      //
        90, 0, 0, 0,      //
        40, 10, 0, 0;
    return m;
}
VectorXd example_members() { return (VectorXd(4) << 1, 1, 1, 0).finished(); }

// The relative size of a money identity's error: 1e-12 of the money involved.
double tolerance(double scale) { return 1e-12 * (1.0 + scale); }

}  // namespace

TEST_CASE("a three-member union cleared by hand", "[clearing_union]") {
    // By hand, uptake 1 and no markup, so F = M between members (D's trade is not channelled).
    //   Channelled a year: A imports 150 and exports 90 (to C); B imports 60, exports 120 (to
    //   A); C imports 90, exports 90 (30 to A, 60 to B). Gross 300.
    //   P = 2, each period half: x = (45 - 75, 60 - 30, 45 - 45) = (-30, +30, 0); gross 150;
    //   NE = 1 - ((30 + 30 + 0) / 2) / 150 = 0.8 (the 30 A pays is the 30 B receives).
    //   Quotas 0.2 x intra-union imports / 2 = (15, 6, 9, 0); margin mu = 1, so m = q.
    //   Period 0: b before = (-30, 30, 0); A pays 30 - 15 = 15, B receives 30 - 6 = 24;
    //     b after = (-15, 6, 0); the house holds -(-15 + 24) = -9 (working capital).
    //   Period 1: b before = (-45, 36, 0); A pays 30, B receives 30; b after = (-15, 6, 0);
    //     S = (-45, 54, 0), the house still -9.
    //   Year: A paid 45, B received 54; saved = imports - paid = (105, 60, 90, 0).
    //   Charges at c = 0.01 on B = |b| = (15, 6, 0): A 0.01 (15 - 3.75) + 0.01 (15 - 7.5) =
    //     0.1875; B 0.01 (6 - 1.5) + 0.01 (6 - 3) = 0.075.
    const MatrixXd M = example_imports();
    const VectorXd members = example_members();
    const MatrixXd F = channelled_payments(M, members, 1.0, 0.0);
    CHECK(F(0, 1) == 120.0);
    CHECK(F(2, 0) == 90.0);
    CHECK(F(0, 3) == 0.0);  // from a non-member
    CHECK(F(3, 0) == 0.0);  // by a non-member
    CHECK(F.sum() == 300.0);
    const VectorXd q = quotas(M, members, 0.2, 2);
    CHECK_THAT((q - (VectorXd(4) << 15, 6, 9, 0).finished()).cwiseAbs().maxCoeff(), WithinAbs(0.0, 1e-12));

    clearing_rules rules;
    rules.charge = 0.01;
    clearing_state state = opening_clearing_state(4);
    const clearing_year y = clear(rules, state, F, M, q, members, state);

    const auto row = [](std::initializer_list<double> v) {
        VectorXd r(static_cast<Index>(v.size()));
        Index k = 0;
        for (double d : v) r(k++) = d;
        return r;
    };
    const auto near = [](const VectorXd& got, const VectorXd& want) {
        return (got - want).cwiseAbs().maxCoeff() < 1e-12;
    };
    for (int p = 0; p < 2; ++p) {
        CHECK(near(y.net_position.row(p).transpose(), row({-30, 30, 0, 0})));
        CHECK(near(y.channelled_imports.row(p).transpose(), row({75, 30, 45, 0})));
        CHECK(near(y.channelled_exports.row(p).transpose(), row({45, 60, 45, 0})));
        CHECK(near(y.balance.row(p).transpose(), row({-15, 6, 0, 0})));
        CHECK(near(y.margin.row(p).transpose(), row({15, 6, 9, 0})));
        CHECK_THAT(y.gross_payments(p), WithinAbs(150.0, 1e-12));
        CHECK_THAT(y.netting_efficiency(p), WithinAbs(0.8, 1e-12));  // 1 - (60 / 2) / 150
        CHECK_THAT(y.clearing_house_hard_currency(p), WithinAbs(-9.0, 1e-12));
    }
    CHECK(near(y.balance_before.row(0).transpose(), row({-30, 30, 0, 0})));
    CHECK(near(y.balance_before.row(1).transpose(), row({-45, 36, 0, 0})));
    CHECK(near(y.settlement.row(0).transpose(), row({-15, 24, 0, 0})));
    CHECK(near(y.settlement.row(1).transpose(), row({-30, 30, 0, 0})));
    CHECK(near(y.hard_currency_paid, row({45, 0, 0, 0})));
    CHECK(near(y.hard_currency_received, row({0, 54, 0, 0})));
    CHECK(near(y.hard_currency_saved, row({105, 60, 90, 0})));
    CHECK(near(y.charges, row({0.1875, 0.075, 0, 0})));
    CHECK(near(y.balance_change, row({-15, 6, 0, 0})));
    CHECK(near(state.balance, row({-15, 6, 0, 0})));
    CHECK(near(state.settled, row({-45, 54, 0, 0})));
    CHECK(y.over_invoicing.sum() == 0);
    CHECK(y.channelled == F);
}

TEST_CASE("random unions conserve money over ten years", "[clearing_union]") {
    const unsigned seed = GENERATE(1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u);
    CAPTURE(seed);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const Index N = 12;
    const int n_members = std::uniform_int_distribution<int>(4, 9)(rng);
    VectorXd members = VectorXd::Zero(N);
    for (int placed = 0; placed < n_members;) {
        const Index n = std::uniform_int_distribution<Index>(0, N - 1)(rng);
        if (members(n) == 0.0) members(n) = 1.0, ++placed;
    }
    clearing_rules rules;
    rules.periods_per_year = std::uniform_int_distribution<int>(1, 12)(rng);
    rules.margin = 2.0 * unit(rng);
    rules.charge = 0.02 * unit(rng);
    const double uptake = unit(rng), quota_share = 0.5 * unit(rng);
    CAPTURE(n_members, rules.periods_per_year, rules.margin);

    clearing_state state = opening_clearing_state(N);
    double cumulative_gross = 0.0;
    for (int year = 0; year < 10; ++year) {
        // Lognormal-ish flows that change from year to year, so quotas and positions move.
        MatrixXd M(N, N);
        for (Index n = 0; n < N; ++n)
            for (Index i = 0; i < N; ++i) M(n, i) = 1000.0 * std::exp(2.0 * unit(rng)) * unit(rng);
        const MatrixXd F = channelled_payments(M, members, uptake, 0.0);
        const VectorXd q = quotas(M, members, quota_share, rules.periods_per_year);
        const clearing_state opening = state;
        const clearing_year y = clear(rules, opening, F, M, q, members, state);
        cumulative_gross += F.sum();
        const double tol = tolerance(cumulative_gross);

        CHECK(y.net_position.rowwise().sum().cwiseAbs().maxCoeff() < tol);  // sum_n x_n = 0 each period
        CHECK((y.balance.cwiseAbs().array() <= y.margin.array()).all());     // settled down to the margin
        for (Index n = 0; n < N; ++n)
            if (members(n) == 0.0) CHECK(y.balance_before.col(n).isZero(0.0));
        // b_n + S_n changes by the year's net positions, member by member ...
        const VectorXd moved = (state.balance + state.settled) - (opening.balance + opening.settled);
        CHECK((moved - y.net_position.colwise().sum().transpose()).cwiseAbs().maxCoeff() < tol);
        // ... and their sum stays zero: the union creates no money.
        CHECK(std::abs((state.balance + state.settled).sum()) < tol);
        CHECK(std::abs(y.clearing_house_hard_currency(rules.periods_per_year - 1) - state.balance.sum()) < tol);
        CHECK((y.hard_currency_received - y.hard_currency_paid - (state.settled - opening.settled))
                  .cwiseAbs()
                  .maxCoeff() < tol);
        CHECK((y.balance_change - (state.balance - opening.balance)).cwiseAbs().maxCoeff() < tol);
        CHECK(y.hard_currency_paid.minCoeff() >= 0.0);
        CHECK(y.hard_currency_received.minCoeff() >= 0.0);
        CHECK(y.charges.minCoeff() >= 0.0);
    }
}

TEST_CASE("with no uptake nothing is channelled and nothing moves", "[clearing_union]") {
    const MatrixXd M = example_imports();
    const VectorXd members = example_members();
    const MatrixXd F = channelled_payments(M, members, 0.0, 0.25);
    CHECK(F.isZero(0.0));
    clearing_rules rules;
    rules.periods_per_year = 3;
    rules.charge = 0.01;
    const VectorXd q = quotas(M, members, 0.2, rules.periods_per_year);

    SECTION("from the opening state") {
        const clearing_state opening = opening_clearing_state(4);
        clearing_state closing;
        const clearing_year y = clear(rules, opening, F, M, q, members, closing);
        for (const MatrixXd* m : {&y.channelled_exports, &y.channelled_imports, &y.net_position, &y.balance_before,
                                  &y.settlement, &y.balance})
            CHECK(m->isZero(0.0));
        CHECK(y.structural_debtor.isZero());
        CHECK(y.structural_creditor.isZero());
        CHECK(y.gross_payments.isZero(0.0));
        for (int p = 0; p < 3; ++p) CHECK(std::isnan(y.netting_efficiency(p)));
        CHECK(y.clearing_house_hard_currency.isZero(0.0));
        for (const VectorXd* v : {&y.hard_currency_paid, &y.hard_currency_received, &y.hard_currency_saved,
                                  &y.charges, &y.balance_change})
            CHECK(v->isZero(0.0));
        CHECK(y.over_invoicing.isZero());
        CHECK(closing.balance == opening.balance);
        CHECK(closing.settled == opening.settled);
        CHECK(closing.periods_settling_as_debtor == opening.periods_settling_as_debtor);
        CHECK(closing.periods_settling_as_creditor == opening.periods_settling_as_creditor);
    }
    SECTION("balances carried in stay where they are") {
        clearing_state state = opening_clearing_state(4);
        (void)clear(rules, state, channelled_payments(M, members, 1.0, 0.0), M, q, members, state);
        const clearing_state carried = state;
        REQUIRE(carried.balance.cwiseAbs().sum() > 0.0);
        REQUIRE(carried.periods_settling_as_debtor(0) == 3);
        REQUIRE(carried.periods_settling_as_creditor(1) == 3);
        const clearing_year y = clear(rules, carried, F, M, q, members, state);
        CHECK(state.balance == carried.balance);
        CHECK(state.settled == carried.settled);
        CHECK(y.settlement.isZero(0.0));
        // A period without settling breaks a run of settlements.
        CHECK(state.periods_settling_as_debtor.isZero());
        CHECK(state.periods_settling_as_creditor.isZero());
    }
}

TEST_CASE("a persistent debtor and creditor are flagged from their second settlement", "[clearing_union]") {
    // The example union: A (0) imports more than it exports in every period, B (1) the other
    // way round, C (2) balances. Two years of three periods, the flags run across the years.
    const MatrixXd M = example_imports();
    const VectorXd members = example_members();
    const MatrixXd F = channelled_payments(M, members, 1.0, 0.0);
    clearing_rules rules;
    rules.periods_per_year = 3;
    const VectorXd q = quotas(M, members, 0.2, rules.periods_per_year);
    clearing_state state = opening_clearing_state(4);
    for (int year = 0; year < 2; ++year) {
        const clearing_year y = clear(rules, state, F, M, q, members, state);
        for (int p = 0; p < 3; ++p) {
            const int want = year == 0 && p == 0 ? 0 : 1;
            CAPTURE(year, p);
            CHECK(y.structural_debtor(p, 0) == want);
            CHECK(y.structural_creditor(p, 1) == want);
            CHECK(y.structural_creditor(p, 0) == 0);
            CHECK(y.structural_debtor(p, 1) == 0);
            CHECK(y.structural_debtor(p, 2) == 0);
            CHECK(y.structural_creditor(p, 2) == 0);
        }
    }
    CHECK(state.periods_settling_as_debtor(0) == 6);
    CHECK(state.periods_settling_as_creditor(1) == 6);
}

TEST_CASE("over-invoicing is flagged only where channelled exports exceed customs", "[clearing_union]") {
    const MatrixXd M = example_imports();
    const VectorXd members = example_members();
    const VectorXd q = quotas(M, members, 0.2, 2);
    const clearing_rules rules;
    const auto flags = [&](const MatrixXd& F, const MatrixXd& customs) {
        clearing_state state = opening_clearing_state(4);
        return clear(rules, state, F, customs, q, members, state).over_invoicing;
    };
    // Honest invoices, all trade or half of it channelled: no flag.
    CHECK(flags(channelled_payments(M, members, 1.0, 0.0), M).isZero());
    CHECK(flags(channelled_payments(M, members, 0.5, 0.0), M).isZero());
    // A 10% markup on all of it: every member exporter is flagged; D exports nothing through the union.
    CHECK(flags(channelled_payments(M, members, 1.0, 0.1), M) == (VectorXi(4) << 1, 1, 1, 0).finished());
    // Half the trade at a 10% markup stays below customs.
    CHECK(flags(channelled_payments(M, members, 0.5, 0.1), M).isZero());
    // Customs miss part of B's sales to A: B alone is flagged.
    MatrixXd customs = M;
    customs(0, 1) = 100.0;
    CHECK(flags(channelled_payments(M, members, 1.0, 0.0), customs) == (VectorXi(4) << 0, 1, 0, 0).finished());
}

TEST_CASE("clearing rules and inputs are validated", "[clearing_union]") {
    const auto problems = [](const clearing_rules& r) {
        issues out;
        validate(r, out);
        return out;
    };
    CHECK(problems(clearing_rules{}).empty());
    const auto one = [&](const clearing_rules& r, const std::string& where, const std::string& value) {
        const issues out = problems(r);
        REQUIRE(out.size() == 1);
        CHECK(out.list()[0].where == where);
        CHECK_THAT(out.list()[0].message, Contains("got " + value));
    };
    one(clearing_rules{0, 1.0, 0.0}, "clearing_union.periods_per_year", "0");
    one(clearing_rules{13, 1.0, 0.0}, "clearing_union.periods_per_year", "13");
    one(clearing_rules{2, -0.5, 0.0}, "clearing_union.margin", "-0.5");
    one(clearing_rules{2, 1.0, -0.01}, "clearing_union.charge", "-0.01");
    CHECK(problems(clearing_rules{12, 0.0, 0.0}).empty());
    CHECK(problems(clearing_rules{1, 0.0, 0.0}).empty());

    // clear() refuses a payment that leaves the union, and says which.
    const MatrixXd M = example_imports();
    const VectorXd members = example_members();
    MatrixXd F = channelled_payments(M, members, 1.0, 0.0);
    F(0, 3) = 5.0;
    clearing_state state = opening_clearing_state(4);
    const VectorXd q = quotas(M, members, 0.2, 2);
    CHECK_THROWS_AS(clear(clearing_rules{}, state, F, M, q, members, state), inconsistent_input);
    CHECK_THROWS_WITH(clear(clearing_rules{}, state, F, M, q, members, state),
                      Contains("clearing_union.channelled[0, 3]") && Contains("got 5"));
}

TEST_CASE("with a zero margin every position is settled each period", "[clearing_union]") {
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const Index N = 6;
    const VectorXd members = (VectorXd(N) << 1, 1, 0, 1, 1, 1).finished();
    clearing_rules rules;
    rules.margin = 0.0;
    rules.periods_per_year = 4;
    clearing_state state = opening_clearing_state(N);
    for (int year = 0; year < 3; ++year) {
        MatrixXd M(N, N);
        for (Index n = 0; n < N; ++n)
            for (Index i = 0; i < N; ++i) M(n, i) = 100.0 * unit(rng);
        const MatrixXd F = channelled_payments(M, members, 0.6, 0.0);
        const clearing_year y = clear(rules, state, F, M, quotas(M, members, 0.2, 4), members, state);
        CHECK(y.balance.isZero(0.0));
        CHECK(y.settlement == y.net_position);
        CHECK(state.balance.isZero(0.0));
        CHECK(y.charges.isZero(0.0));
    }
}
