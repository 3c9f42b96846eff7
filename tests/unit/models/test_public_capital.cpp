// The productivity and trade-cost channels of a development bank (models/public_capital.hpp):
// the perpetual inventory against a hand computation, the elasticity's path, Hulten's
// theorem for the productivity shifter, and the route costs.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/public_capital.hpp"

using namespace integra::models;
using Catch::Matchers::Contains;
using Eigen::MatrixXd;
using Eigen::VectorXd;

TEST_CASE("public capital accumulates by perpetual inventory with an efficiency factor", "[public_capital]") {
    public_capital_settings s;  // delta 0.025, phi 0.70
    public_capital_stock k = no_public_capital(2);
    CHECK(k.years_since_first == -1);
    const VectorXd none = VectorXd::Zero(2);
    k = accumulate(s, k, none, none);
    CHECK(k.years_since_first == -1);  // nothing invested: the clock has not started
    const VectorXd invest = (VectorXd(2) << 100.0, 0.0).finished();
    const VectorXd transport = (VectorXd(2) << 40.0, 0.0).finished();
    k = accumulate(s, k, invest, transport);
    CHECK(k.years_since_first == 0);
    CHECK(k.added(0) == Approx(70.0).epsilon(1e-15));  // 0.7 x 100
    CHECK(k.added_transport(0) == Approx(28.0).epsilon(1e-15));
    k = accumulate(s, k, invest, transport);
    // By hand: 70 x 0.975 + 70 = 138.25; transport 28 x 0.975 + 28 = 55.3.
    CHECK(k.added(0) == Approx(138.25).epsilon(1e-15));
    CHECK(k.added_transport(0) == Approx(55.3).epsilon(1e-15));
    CHECK(k.added(1) == 0.0);
    CHECK(k.years_since_first == 1);
    // Without investment the stock decays geometrically: 20 years of 0.975.
    public_capital_stock d = k;
    for (int t = 0; t < 20; ++t) d = accumulate(s, d, none, none);
    CHECK(d.added(0) == Approx(138.25 * std::pow(0.975, 20)).epsilon(1e-13));
}

TEST_CASE("the output elasticity moves from its short-run to its long-run value", "[public_capital]") {
    public_capital_settings s;  // 0.08 -> 0.12 over 10 years
    public_capital_stock k = no_public_capital(1);
    // Chained as a run uses it: invest in year 0; the stock closing year 0 is the one year 1
    // uses, the first year the capital exists (short run); ten years later, the long run.
    const Eigen::VectorXd one = Eigen::VectorXd::Ones(1), none = Eigen::VectorXd::Zero(1);
    k = accumulate(s, k, one, none);
    CHECK(output_elasticity(s, k) == Approx(0.08));
    for (int year = 1; year <= 5; ++year) k = accumulate(s, k, none, none);
    CHECK(output_elasticity(s, k) == Approx(0.10));  // year 6: half way
    for (int year = 6; year <= 10; ++year) k = accumulate(s, k, none, none);
    CHECK(output_elasticity(s, k) == Approx(0.12));  // year 11: ten years after the first
    k.years_since_first = 40;
    CHECK(output_elasticity(s, k) == Approx(0.12));
    s.elasticity_adjustment_years = 0;
    k.years_since_first = 0;
    CHECK(output_elasticity(s, k) == Approx(0.12));
}

TEST_CASE("capital relative to the baseline's, and the productivity it brings", "[public_capital]") {
    public_capital_settings s;
    public_capital_stock k = no_public_capital(2);
    k.added << 60.0, 0.0;
    k.added_transport << 18.0, 0.0;
    const VectorXd gdp = (VectorXd(2) << 1000.0, 500.0).finished();
    const VectorXd khat = capital_change(s, k, gdp);  // 1 + 60 / (0.6 x 1000) = 1.1
    CHECK(khat(0) == Approx(1.1).epsilon(1e-15));
    CHECK(khat(1) == 1.0);
    const VectorXd kt = transport_capital_change(s, k, gdp);  // 1 + 18 / (0.3 x 0.6 x 1000) = 1.1
    CHECK(kt(0) == Approx(1.1).epsilon(1e-15));
    // Without transport (it works through trade costs then): 1 + 42 / 600 = 1.07.
    CHECK(capital_change(s, k, gdp, true)(0) == Approx(1.07).epsilon(1e-15));

    // lambda-hat^j_n = A-hat^(theta^j gamma^j_n), A-hat = K-hat^eta: the implied value-added
    // productivity lambda^(1 / (theta gamma)) is K-hat^eta in every sector (Hulten: d ln GDP
    // = eta d ln K with value-added weights summing to one).
    const VectorXd theta = (VectorXd(3) << 4.0, 8.0, 5.0).finished();
    MatrixXd gamma(3, 2);
    gamma << 0.4, 0.5, 0.3, 0.6, 0.7, 0.2;
    const MatrixXd lambda = capital_productivity_change(khat, 0.1, theta, gamma);
    for (int j = 0; j < 3; ++j) {
        CHECK(std::pow(lambda(j, 0), 1.0 / (theta(j) * gamma(j, 0))) == Approx(std::pow(1.1, 0.1)).epsilon(1e-14));
        CHECK(lambda(j, 1) == 1.0);  // exactly: no capital added, no change
    }
    // A zero elasticity changes nothing, exactly.
    CHECK((capital_productivity_change(khat, 0.0, theta, gamma).array() == 1.0).all());
}

TEST_CASE("transport capital lowers the costs of the routes at either end, capped", "[public_capital]") {
    public_capital_settings s;  // psi 0.05, cap 0.25
    const VectorXd kt = (VectorXd(3) << 1.2, 1.0, 20.0).finished();
    const VectorXd kappa = route_cost_change(s, kt);
    CHECK(kappa(0) == Approx(0.99).epsilon(1e-15));  // 1 - 0.05 x 0.2
    CHECK(kappa(1) == 1.0);
    CHECK(kappa(2) == Approx(0.75));  // 1 - 0.05 x 19 = 0.05, capped at 1 - 0.25
    const auto d = route_trade_cost_change(kappa, {true, false});
    REQUIRE(d.size() == 2);
    CHECK(d[0](0, 1) == Approx(0.99));
    CHECK(d[0](1, 0) == Approx(0.99));  // symmetric
    CHECK(d[0](0, 2) == Approx(0.99 * 0.75));
    CHECK(d[0](1, 1) == 1.0);  // no domestic trade cost
    CHECK(d[0](0, 0) == 1.0);
    CHECK((d[1].array() == 1.0).all());  // non-traded sector
    // psi = 0 or no transport capital: exactly one everywhere.
    s.trade_cost_elasticity = 0.0;
    CHECK((route_cost_change(s, kt).array() == 1.0).all());
}

TEST_CASE("public capital settings are validated with their keys", "[public_capital]") {
    public_capital_settings s;
    s.depreciation = 1.0;
    s.efficiency = 0.0;
    s.max_trade_cost_cut = 1.0;
    s.elasticity_adjustment_years = -1;
    integra::issues problems;
    validate(s, problems);
    const std::string text = problems.report("public capital");
    CHECK_THAT(text, Contains("public_capital.depreciation"));
    CHECK_THAT(text, Contains("public_capital.efficiency"));
    CHECK_THAT(text, Contains("public_capital.max_trade_cost_cut"));
    CHECK_THAT(text, Contains("public_capital.elasticity_adjustment_years"));
    integra::issues none;
    validate(public_capital_settings{}, none);
    CHECK(none.empty());
}

TEST_CASE("corridor capital lowers the costs of its own pair of routes only", "[public_capital]") {
    public_capital_settings s;  // psi 0.05, s_T 0.3, k 0.6
    public_capital_stock k = no_public_capital(3);
    const VectorXd invest = (VectorXd(3) << 100.0, 0.0, 0.0).finished();
    const VectorXd transport = (VectorXd(3) << 100.0, 0.0, 0.0).finished();
    MatrixXd corridor = MatrixXd::Zero(3, 3);
    corridor(0, 1) = 60.0;  // region 0 builds a corridor towards region 1
    k = accumulate(s, k, invest, transport, corridor);
    REQUIRE(k.corridors.rows() == 3);
    CHECK(k.corridors(0, 1) == Approx(42.0).epsilon(1e-15));        // 0.7 x 60
    CHECK(k.added_transport(0) == Approx(28.0).epsilon(1e-15));     // 0.7 x (100 - 60): its own routes
    CHECK(k.added(0) == Approx(70.0).epsilon(1e-15));
    const VectorXd gdp = (VectorXd(3) << 1000.0, 400.0, 600.0).finished();
    const MatrixXd kc = corridor_cost_change(s, k, gdp);
    // 1 - 0.05 x 42 / (0.3 x 0.6 x 1400), both directions, nothing else.
    CHECK(kc(0, 1) == Approx(1.0 - 0.05 * 42.0 / (0.18 * 1400.0)).epsilon(1e-15));
    CHECK(kc(1, 0) == kc(0, 1));
    CHECK(kc(0, 2) == 1.0);
    CHECK(kc(1, 2) == 1.0);
    const auto d = route_trade_cost_change(route_cost_change(s, transport_capital_change(s, k, gdp)), {true}, kc);
    const double own = 1.0 - 0.05 * 28.0 / (0.18 * 1000.0);
    CHECK(d[0](0, 1) == Approx(own * kc(0, 1)).epsilon(1e-14));
    CHECK(d[0](0, 2) == Approx(own).epsilon(1e-14));
    CHECK(d[0](1, 2) == 1.0);
    // Without transport, productivity counts the rest: 70 - 28 - 42 = 0.
    CHECK(capital_change(s, k, gdp, true)(0) == 1.0);
}
