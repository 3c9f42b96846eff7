// GDP volume at base-year prices (double deflation) and GDP at market prices
// (models/national_accounts.hpp), on the demo3x2 dataset and its equilibria.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>

#include "core/errors.hpp"
#include "models/calibration.hpp"
#include "models/national_accounts.hpp"
#include "sim/data/dataset.hpp"

using namespace integra::models;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

trade_equilibrium_base demo_base() {
    return equilibrium_base(integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2").economy);
}

// The base's gross output, J x N, as the recorder passes it (sales at world prices, CP eq. 7).
MatrixXd base_gross_output(const trade_equilibrium_base& b) { return gross_output(b); }

// A solution relative to the base, as gdp_volume reads it.
prices_and_output of(const equilibrium_result& r, const MatrixXd& productivity = {}) {
    return {r.gross_output, r.input_cost_change, r.sector_price_change, productivity};
}

// Value added deflated by the consumer price index: the measure that was called real GDP.
VectorXd cpi_deflated_value_added(const trade_equilibrium_base& b, const equilibrium_result& r) {
    return r.value_added.cwiseQuotient(b.value_added).cwiseQuotient(r.price_index_change);
}

// A productivity rise of `a` (Hicks-neutral, A-hat = 1 + a) in every sector of `region`.
counterfactual_shock productivity_shock(const trade_equilibrium_base& b, Index region, double a) {
    counterfactual_shock s;
    s.productivity_change = MatrixXd::Ones(b.n_sectors(), b.n_regions());
    for (Index j = 0; j < b.n_sectors(); ++j) s.productivity_change(j, region) = std::pow(1.0 + a, b.theta(j));
    return s;
}

}  // namespace

TEST_CASE("GDP volume is exactly 1 in the base year", "[models][national_accounts]") {
    const auto b = demo_base();
    const Index J = b.n_sectors(), N = b.n_regions();
    const MatrixXd ones = MatrixXd::Ones(J, N);
    const auto v = gdp_volume(b, {base_gross_output(b), ones, ones, {}});
    for (Index n = 0; n < N; ++n) CHECK(v.index(n) == 1.0);
    // gross_output() itself against the dataset's gross output (R x S), stored to 9 digits.
    const auto data = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2").economy;
    for (Index n = 0; n < N; ++n)
        for (Index j = 0; j < J; ++j) CHECK(base_gross_output(b)(j, n) == Approx(data.gross_output(n, j)).epsilon(1e-8));
    // Base-year value added by double deflation is the data's value added (labour market
    // clearing, w L = sum_j gamma^j Y^j; the demo stores 9 significant digits).
    for (Index n = 0; n < N; ++n) CHECK(v.value_added_volume.col(n).sum() == Approx(b.value_added(n)).epsilon(1e-8));
    // The same from an unchanged-policy equilibrium, to the solver's precision.
    const auto again = gdp_volume(b, of(solve(b, counterfactual_shock{})));
    for (Index n = 0; n < N; ++n) CHECK(again.index(n) == Approx(1.0).epsilon(1e-9));
}

TEST_CASE("GDP volume moves with quantities, not prices", "[models][national_accounts]") {
    const auto b = demo_base();
    const Index J = b.n_sectors(), N = b.n_regions();
    const MatrixXd y0 = base_gross_output(b), ones = MatrixXd::Ones(J, N);

    SECTION("every nominal value and price x 1.37 (another numeraire): no change") {
        const auto v = gdp_volume(b, {1.37 * y0, 1.37 * ones, 1.37 * ones, {}});
        for (Index n = 0; n < N; ++n) CHECK(v.index(n) == Approx(1.0).epsilon(1e-14));
    }
    SECTION("one region's prices and values up 20%, same quantities: no change, while VA / CPI moves") {
        MatrixXd y = y0, c = ones, p = ones;
        y.col(0) *= 1.2;
        c.col(0) *= 1.2;
        p.col(0) *= 1.2;
        const auto v = gdp_volume(b, {y, c, p, {}});
        for (Index n = 0; n < N; ++n) CHECK(v.index(n) == Approx(1.0).epsilon(1e-14));
        // Its nominal value added is up 20%; a consumer price index that weights imports
        // (unchanged in price) rises less, so VA / CPI would show a "real" gain.
        CHECK(v.gross_output_volume.col(0).sum() == Approx(y0.col(0).sum()).epsilon(1e-14));
    }
    SECTION("output prices up 10% with the value unchanged: volume of output down") {
        MatrixXd c = ones;
        c.col(1) *= 1.1;
        const auto v = gdp_volume(b, {y0, c, ones, {}});
        CHECK(v.index(1) < 1.0);
        CHECK(v.index(0) == Approx(1.0).epsilon(1e-14));
    }
    SECTION("a productivity rise lowers the producer price: A-hat = lambda-hat^(1/theta)") {
        const counterfactual_shock s = productivity_shock(b, 2, 0.1);
        const MatrixXd p = producer_price_change(b, {y0, ones, ones, s.productivity_change});
        for (Index j = 0; j < J; ++j) {
            CHECK(p(j, 2) == Approx(1.0 / 1.1).epsilon(1e-14));
            CHECK(p(j, 0) == 1.0);
        }
    }
}

TEST_CASE("a terms-of-trade shock moves welfare at first order and GDP volume at second order only",
          "[models][national_accounts]") {
    // A productivity rise abroad (region 2) changes region 0's terms of trade and real
    // income; region 0's labour and technology are unchanged, so its GDP volume moves only
    // by substitution at base-year prices (Kehoe & Ruhl 2008): halving the shock halves the
    // welfare effect but quarters the GDP-volume effect.
    const auto b = demo_base();
    auto effects = [&](double a) {
        const auto r = solve(b, productivity_shock(b, 2, a));
        const auto v = gdp_volume(b, of(r, productivity_shock(b, 2, a).productivity_change));
        return std::array<double, 3>{r.welfare_change(0) - 1.0, v.index(0) - 1.0, cpi_deflated_value_added(b, r)(0) - 1.0};
    };
    const auto big = effects(0.04), small = effects(0.02);
    CHECK(std::abs(big[0]) > 1e-4);                                  // a real welfare effect
    CHECK(big[0] / small[0] == Approx(2.0).epsilon(0.1));            // first order
    CHECK(std::abs(big[1]) < 0.05 * std::abs(big[0]));               // GDP volume hardly moves
    CHECK(big[1] / small[1] == Approx(4.0).epsilon(0.15));           // second order
    CHECK(std::abs(big[2]) > 10.0 * std::abs(big[1]));               // VA / CPI does move: it is a price measure
}

TEST_CASE("a productivity rise raises GDP volume by about A-hat^(1/gamma)", "[models][national_accounts]") {
    // With Cobb-Douglas technology (CP eq. 2) the chained index of real value added is
    // L-hat^j A-hat^(1/gamma^j); the fixed-base index agrees to first order.
    const auto b = demo_base();
    const Index n = 1, J = b.n_sectors();
    const MatrixXd y0 = base_gross_output(b);
    auto excess = [&](double a) {
        const auto shock = productivity_shock(b, n, a);
        const auto r = solve(b, shock);
        const auto v = gdp_volume(b, of(r, shock.productivity_change));
        double first_order = 0.0, va0 = 0.0;
        for (Index j = 0; j < J; ++j) {
            const double va = b.value_added_share(j, n) * y0(j, n);
            first_order += va * std::log(1.0 + a) / b.value_added_share(j, n);
            va0 += va;
        }
        first_order /= va0;
        CHECK(v.index(n) > 1.0);
        CHECK(std::log(v.index(n)) == Approx(first_order).epsilon(0.1));
        return std::log(v.index(n)) - first_order;
    };
    const double big = excess(0.04), small = excess(0.02);
    CHECK(big / small == Approx(4.0).epsilon(0.25));  // the gap is second order
}

TEST_CASE("uniform labour growth scales GDP volume by the labour change", "[models][national_accounts]") {
    const auto b = demo_base();
    counterfactual_shock s;
    s.labour_change = VectorXd::Constant(b.n_regions(), 1.25);
    const auto r = solve(b, s);
    const auto v = gdp_volume(b, of(r));
    for (Index n = 0; n < b.n_regions(); ++n) CHECK(v.index(n) == Approx(1.25).epsilon(1e-10));
    // Nominal value added is unchanged (the numeraire holds world VA): only a volume measure sees the growth.
    CHECK((r.value_added - b.value_added).cwiseAbs().maxCoeff() < 1e-9 * b.value_added.sum());
}

TEST_CASE("GDP at market prices is value added plus tariff revenue", "[models][national_accounts]") {
    const auto b = demo_base();
    counterfactual_shock s;
    s.tariffs = b.tariffs;
    for (auto& t : s.tariffs) t = (t.array() + 0.05).matrix() - 0.05 * MatrixXd::Identity(t.rows(), t.cols());
    const auto r = solve(b, s);
    const VectorXd g = gdp_at_market_prices(r.value_added, r.tariff_revenue);
    for (Index n = 0; n < b.n_regions(); ++n) {
        CHECK(g(n) == r.value_added(n) + r.tariff_revenue(n));
        CHECK(g(n) > r.value_added(n));
        // I = VA + R + D (CP): GDP at market prices is absorption less the deficit.
        CHECK(g(n) == Approx(r.final_absorption(n) - r.deficit(n)).epsilon(1e-12));
    }
    CHECK_THROWS_AS(gdp_at_market_prices(r.value_added, VectorXd::Zero(2)), integra::inconsistent_input);
}

TEST_CASE("GDP volume rejects mismatched or non-positive inputs", "[models][national_accounts]") {
    const auto b = demo_base();
    const MatrixXd y0 = base_gross_output(b), ones = MatrixXd::Ones(b.n_sectors(), b.n_regions());
    CHECK_THROWS_WITH(gdp_volume(b, {y0, MatrixXd::Ones(1, 1), ones, {}}),
                      Catch::Matchers::Contains("input_cost_change is 1 x 1, expected 2 x 3"));
    CHECK_THROWS_WITH(gdp_volume(b, {y0, ones, 0.0 * ones, {}}),
                      Catch::Matchers::Contains("sector_price_change must be > 0"));
}
