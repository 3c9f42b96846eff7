// Tradable-sector shocks and OCA diagnostics (models/business_cycle.hpp): reproducible draws,
// their moments, a singular correlation, validation, and the pairwise diagnostics against
// hand computations.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/business_cycle.hpp"

using namespace integra::models;
using Catch::Matchers::Contains;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {
shock_process three_regions() {
    shock_process p;
    p.persistence = (VectorXd(3) << 0.7, 0.3, 0.0).finished();
    p.volatility = (VectorXd(3) << 0.03, 0.05, 0.01).finished();
    p.correlation.resize(3, 3);
    p.correlation << 1.0, 0.5, -0.3,  //
        0.5, 1.0, 0.2,                //
        -0.3, 0.2, 1.0;
    return p;
}

std::string problems_of(const shock_process& p) {
    integra::issues out;
    validate(p, out);
    return out.report("shocks");
}
}  // namespace

TEST_CASE("the same seed gives the same draws, another seed others", "[business_cycle]") {
    const auto p = three_regions();
    const MatrixXd a = draw_shocks(p, 50, 42), b = draw_shocks(p, 50, 42), c = draw_shocks(p, 50, 43);
    REQUIRE(a.rows() == 50);
    REQUIRE(a.cols() == 3);
    CHECK(a == b);  // bit for bit
    CHECK((a - c).cwiseAbs().maxCoeff() > 1e-3);
    CHECK(draw_shocks(p, 0, 42).rows() == 0);
    // z_{-1} = 0: the first year is sigma times the correlated innovation only; the
    // uncorrelated third region with rho = 0 is white noise at every t
    CHECK(std::abs(a(0, 0)) < 0.03 * 6);
}

TEST_CASE("draws over 20,000 years match rho, sigma and Omega within sampling error", "[business_cycle]") {
    const auto p = three_regions();
    const int T = 20000;
    const MatrixXd z = draw_shocks(p, T, 2026);
    // innovations at the true rho, standardised: e_t = (z_t - rho z_{t-1}) / sigma
    MatrixXd e(T - 1, 3);
    for (Eigen::Index n = 0; n < 3; ++n) {
        const VectorXd x = z.col(n).head(T - 1), y = z.col(n).tail(T - 1);
        const double rho_hat = x.dot(y) / x.dot(x);  // OLS without constant
        CHECK(rho_hat == Approx(p.persistence(n)).margin(0.03));  // s.e. sqrt((1 - rho^2) / T) <= 0.007
        e.col(n) = (y - p.persistence(n) * x) / p.volatility(n);
        // the unconditional standard deviation sigma / sqrt(1 - rho^2)
        const double sd = std::sqrt(z.col(n).squaredNorm() / T);
        CHECK(sd == Approx(p.volatility(n) / std::sqrt(1 - p.persistence(n) * p.persistence(n))).epsilon(0.03));
    }
    const MatrixXd cov = e.transpose() * e / (T - 1);
    for (Eigen::Index i = 0; i < 3; ++i) {
        CHECK(std::sqrt(cov(i, i)) == Approx(1.0).margin(0.02));  // sigma recovered (s.e. 0.5 %)
        for (Eigen::Index j = 0; j < i; ++j)
            CHECK(cov(i, j) / std::sqrt(cov(i, i) * cov(j, j)) == Approx(p.correlation(i, j)).margin(0.03));  // s.e. < 0.01
    }
}

TEST_CASE("a singular Omega works: perfectly correlated regions move together", "[business_cycle]") {
    shock_process p;
    p.persistence = (VectorXd(3) << 0.6, 0.6, 0.2).finished();
    p.volatility = (VectorXd(3) << 0.02, 0.02, 0.04).finished();
    p.correlation.resize(3, 3);
    p.correlation << 1.0, 1.0, 0.3,  //
        1.0, 1.0, 0.3,               //
        0.3, 0.3, 1.0;
    integra::issues out;
    validate(p, out);
    CHECK(out.empty());  // positive semi-definite, singular
    const MatrixXd z = draw_shocks(p, 200, 7);
    CHECK(z.allFinite());
    CHECK(z.col(0) == z.col(1));  // identical paths, not only correlated ones
    CHECK((z.col(0) - z.col(2)).cwiseAbs().maxCoeff() > 1e-3);
    // minus one: mirror images
    p.correlation << 1.0, -1.0, 0.0,  //
        -1.0, 1.0, 0.0,               //
        0.0, 0.0, 1.0;
    const MatrixXd w = draw_shocks(p, 200, 7);
    CHECK((w.col(0) + w.col(1)).cwiseAbs().maxCoeff() < 1e-15);
}

TEST_CASE("shock processes are validated with their keys", "[business_cycle]") {
    CHECK(problems_of(three_regions()) == "shocks: 0 problem(s)");
    auto p = three_regions();
    p.persistence(1) = 1.0;
    p.volatility(2) = -0.01;
    p.correlation(0, 0) = 0.9;
    p.correlation(1, 2) = 0.25;  // [2,1] stays 0.2
    p.correlation(2, 0) = p.correlation(0, 2) = -1.5;
    const auto text = problems_of(p);
    CHECK_THAT(text, Contains("shocks.persistence[1]: must be in [0, 1) (a stationary AR(1)), got 1"));
    CHECK_THAT(text, Contains("shocks.volatility[2]: must be finite and >= 0, got -0.01"));
    CHECK_THAT(text, Contains("shocks.correlation[0,0]: a diagonal entry must be 1, got 0.9"));
    CHECK_THAT(text, Contains("shocks.correlation[1,2]: is 0.25 but [2,1] is 0.2; expected a symmetric matrix (within 1e-9)"));
    CHECK_THAT(text, Contains("shocks.correlation[0,2]: must be in [-1, 1], got -1.5"));
    SECTION("sizes") {
        auto q = three_regions();
        q.volatility.resize(2);
        q.correlation.resize(2, 3);
        const auto t = problems_of(q);
        CHECK_THAT(t, Contains("shocks.volatility: has 2 entries; expected one per region (3)"));
        CHECK_THAT(t, Contains("shocks.correlation: is 2 x 3; expected 3 x 3"));
    }
    SECTION("not positive semi-definite") {
        auto q = three_regions();
        q.correlation << 1.0, 0.9, -0.9,  //
            0.9, 1.0, 0.9,                //
            -0.9, 0.9, 1.0;               // each entry valid, the whole impossible
        const double smallest = Eigen::SelfAdjointEigenSolver<MatrixXd>(q.correlation).eigenvalues().minCoeff();
        REQUIRE(smallest < -0.5);
        CHECK_THAT(problems_of(q), Contains("shocks.correlation: is not positive semi-definite: smallest eigenvalue -0.8"));
    }
}

TEST_CASE("OCA diagnostics against hand computations", "[business_cycle]") {
    // log output, 4 years x 3 regions; region 2 has a gap in year 1
    MatrixXd y(4, 3);
    const double nan = std::nan("");
    y << 0.00, 1.00, 0.0,  //
        0.10, 1.02, nan,   //
        0.15, 1.06, 0.1,   //
        0.35, 1.08, 0.3;
    // growth: dy0 = (0.10, 0.05, 0.20), dy1 = (0.02, 0.04, 0.02), dy2 = (nan, nan, 0.2)
    const MatrixXd c = growth_correlation(y);
    // deviations a = (-1/60, -4/60, 5/60), b = (-0.02/3, 0.04/3, -0.02/3):
    // sum ab = -0.0040/3, sum a^2 = 42/3600, sum b^2 = 0.0024/9
    const double r01 = (-0.0040 / 3) / std::sqrt(42.0 / 3600 * 0.0024 / 9);
    CHECK(c(0, 1) == Approx(r01).epsilon(1e-12));
    CHECK(r01 == Approx(-0.7559289));
    CHECK(c(1, 0) == c(0, 1));
    CHECK(c(0, 0) == 1.0);
    CHECK(c(1, 1) == 1.0);
    CHECK(std::isnan(c(0, 2)));  // one common growth year
    CHECK(std::isnan(c(2, 2)));
    const MatrixXd g = growth_gap_volatility(y);
    // dy0 - dy1 = (0.08, 0.01, 0.18), mean 0.09, squared deviations 0.0001 + 0.0064 + 0.0081
    CHECK(g(0, 1) == Approx(std::sqrt(0.0146 / 2)).epsilon(1e-12));
    CHECK(g(1, 0) == g(0, 1));
    CHECK(g(0, 0) == 0.0);
    CHECK(std::isnan(g(0, 2)));

    MatrixXd x(3, 3);  // (exporter, importer)
    x << 0, 10, 5,  //
        20, 0, 0,   //
        1, 2, 0;
    const VectorXd gdp = (VectorXd(3) << 100, 200, 50).finished();
    const MatrixXd ti = trade_intensity(x, gdp);
    CHECK(ti(0, 1) == Approx(30.0 / 300));
    CHECK(ti(1, 0) == ti(0, 1));
    CHECK(ti(0, 2) == Approx(6.0 / 150));
    CHECK(ti(1, 2) == Approx(2.0 / 250));
    CHECK(std::isnan(ti(1, 1)));

    MatrixXd s(2, 3);  // sector x exporter
    s << 50, 10, 0,  //
        50, 30, 0;
    const MatrixXd dis = export_dissimilarity(s);
    CHECK(dis(0, 1) == Approx(0.5));  // |0.5 - 0.25| + |0.5 - 0.75|
    CHECK(dis(1, 0) == dis(0, 1));
    CHECK(dis(0, 0) == 0.0);
    CHECK(std::isnan(dis(0, 2)));  // region 2 exports nothing
    MatrixXd t(2, 2);
    t << 1, 0, 0, 1;
    CHECK(export_dissimilarity(t)(0, 1) == Approx(2.0));  // completely different baskets
}
