// Tests of models/currency_union: the trade-effect conversion against policy-modules
// table B2.2, the wage floors on relative wages, and fiscal transfers that sum to zero.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/currency_union.hpp"

using namespace integra::models;
using Catch::Matchers::WithinAbs;
using Eigen::VectorXd;

TEST_CASE("a trade effect g is the iceberg cut (1 + g)^(-1/theta): policy-modules table B2.2",
          "[models][currency_union]") {
    // Table B2.2 (ad-valorem change, rounded to 0.1 pp): g = 10% at theta 4.55 -> -2.1%,
    // g = 50% at theta 4 -> -9.6%, g = 100% at theta 5 -> -12.9%.
    CHECK_THAT(currency_trade_cost_change(0.10, 4.55, 1.0) - 1.0, WithinAbs(-0.021, 0.0005));
    CHECK_THAT(currency_trade_cost_change(0.50, 4.0, 1.0) - 1.0, WithinAbs(-0.096, 0.0005));
    CHECK_THAT(currency_trade_cost_change(1.00, 5.0, 1.0) - 1.0, WithinAbs(-0.129, 0.0005));
    // The identity: flows scale with kappa^-theta, so the cut raises them by exactly 1 + g.
    CHECK_THAT(std::pow(currency_trade_cost_change(0.3, 4.55, 1.0), -4.55), WithinAbs(1.3, 1e-12));
    CHECK(currency_trade_cost_change(0.10, 4.55, 0.0) == 1.0);  // before the phase-in: nothing
    CHECK_THAT(std::pow(currency_trade_cost_change(0.10, 4.55, 0.5), -4.55), WithinAbs(1.05, 1e-12));
}

TEST_CASE("wage floors: relative wages, index weights and the D.B.2 rule", "[models][currency_union]") {
    const VectorXd va = (VectorXd(4) << 100, 300, 600, 50).finished();
    const VectorXd members = (VectorXd(4) << 1, 1, 1, 0).finished();
    const VectorXd a = wage_index_weights(va, members);
    CHECK(a(3) == 0.0);
    CHECK_THAT(a.sum(), WithinAbs(1.0, 1e-15));
    CHECK_THAT(a(2), WithinAbs(0.6, 1e-15));
    const VectorXd w = (VectorXd(4) << 0.9, 1.0, 1.1, 0.7).finished();
    const VectorXd omega = relative_wages(w, a, members);
    CHECK_THAT(a.dot(omega.cwiseProduct(members)), WithinAbs(1.0, 1e-15));  // the index of relative wages is 1
    CHECK(omega(3) == 1.0);                                                   // outside: no relative wage
    // A member whose float wage grows with the union's (relative growth = trend = 1.02):
    // its nominal wage may fall by 2% a year, inflation 2%: omega >= omega_prev 0.98 / (1.02 x 1.02).
    const VectorXd growth = VectorXd::Constant(4, 1.02);
    const VectorXd f = wage_floors(omega, growth, 0.98, 0.02, members);
    CHECK_THAT(f(1), WithinAbs(omega(1) * 0.98 / (1.02 * 1.02), 1e-15));
    CHECK(f(3) == 0.0);
    // A float that lowers a member's relative wage growth raises its floor relative to it.
    VectorXd slump = growth;
    slump(0) = 0.9;
    CHECK(wage_floors(omega, slump, 0.98, 0.02, members)(0) > f(0));
}

TEST_CASE("fiscal transfers move income from members with full employment to members without, summing to zero",
          "[models][currency_union]") {
    const VectorXd gdp = (VectorXd(4) << 100, 300, 600, 50).finished();
    const VectorXd members = (VectorXd(4) << 1, 1, 1, 0).finished();
    const VectorXd gap = (VectorXd(4) << -0.1, 0.0, 0.0, -0.5).finished();
    const VectorXd t = fiscal_transfers(gap, gdp, 0.35, members);
    CHECK_THAT(t.sum(), WithinAbs(0.0, 1e-12));
    CHECK(t(0) > 0.0);
    CHECK(t(1) < 0.0);
    CHECK(t(3) == 0.0);  // not a member
    CHECK(t.maxCoeff() <= 0.35 * gdp.maxCoeff());  // bounded by phi GDP whatever the unemployment
    CHECK(fiscal_transfers(gap, gdp, 0.0, members) == VectorXd::Zero(4));
}
