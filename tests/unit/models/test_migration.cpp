// Free movement of workers (models/migration.hpp): the location choice in changes, the
// partial adjustment and its convergence, labour, remittances and welfare per origin.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/migration.hpp"

using namespace integra::models;
using Catch::Matchers::Contains;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {
MatrixXd three_region_shares() {
    MatrixXd m(3, 3);
    m << 0.90, 0.06, 0.04,  //
        0.02, 0.95, 0.03,   //
        0.10, 0.05, 0.85;
    return m;
}
}  // namespace

TEST_CASE("location shares respond to real wages and costs, and sum to one", "[migration]") {
    const MatrixXd m = three_region_shares();
    const VectorXd same = VectorXd::Ones(3);
    // No change: the shares stay (to rounding; the year loop skips the call then).
    CHECK((location_shares(m, same, {}, 2.0) - m).cwiseAbs().maxCoeff() < 1e-15);
    // kappa = 0: exactly unchanged.
    const VectorXd w = (VectorXd(3) << 1.0, 1.1, 0.95).finished();
    CHECK(location_shares(m, w, {}, 0.0) == m);
    const MatrixXd moved = location_shares(m, w, {}, 2.0);
    for (int o = 0; o < 3; ++o) CHECK(moved.row(o).sum() == Approx(1.0).epsilon(1e-15));
    // Region 1's real wage rises: every origin sends more people there, by (1.1)^2 relative.
    for (int o = 0; o < 3; ++o) {
        CHECK(moved(o, 1) > m(o, 1));
        CHECK((moved(o, 1) / moved(o, 0)) / (m(o, 1) / m(o, 0)) == Approx(std::pow(1.1, 2.0)).epsilon(1e-13));
    }
    // A migration cost cut between 0 and 2 (mu-hat = 1/1.2) moves people between them only.
    MatrixXd mu = MatrixXd::Ones(3, 3);
    mu(0, 2) = mu(2, 0) = 1.0 / 1.2;
    const MatrixXd cut = location_shares(m, same, mu, 2.0);
    CHECK(cut(0, 2) > m(0, 2));
    CHECK(cut(2, 0) > m(2, 0));
    CHECK(cut(1, 1) == Approx(m(1, 1)).epsilon(1e-15));
}

TEST_CASE("a symmetric two-region economy has no net flows", "[migration]") {
    MatrixXd m(2, 2);
    m << 0.9, 0.1, 0.1, 0.9;
    MatrixXd mu = MatrixXd::Ones(2, 2);
    mu(0, 1) = mu(1, 0) = 1.0 / 1.2;
    const VectorXd pop = (VectorXd(2) << 1000.0, 1000.0).finished();
    const MatrixXd shares = location_shares(m, VectorXd::Ones(2), mu, 2.0);
    const MatrixXd stocks = pop.asDiagonal() * shares;
    CHECK(stocks(0, 1) == Approx(stocks(1, 0)).epsilon(1e-15));  // gross flows both ways, no net flow
    const VectorXd labour = effective_labour(stocks, 1.0);
    CHECK(labour(0) == Approx(labour(1)).epsilon(1e-15));
}

TEST_CASE("partial adjustment converges geometrically to the desired shares", "[migration]") {
    const MatrixXd base = three_region_shares();
    const VectorXd w = (VectorXd(3) << 1.0, 1.1, 0.95).finished();
    const MatrixXd desired = location_shares(base, w, {}, 2.0);
    MatrixXd gap;  // none before the first year
    double last = (desired - base).cwiseAbs().maxCoeff();
    for (int t = 0; t < 40; ++t) {
        const MatrixXd now = adjust_shares(base, gap, desired, 0.15);
        for (int o = 0; o < 3; ++o) CHECK(now.row(o).sum() == Approx(1.0).epsilon(1e-14));
        gap = now - base;
        const double left = (desired - now).cwiseAbs().maxCoeff();
        CHECK(left == Approx(0.85 * last).epsilon(1e-9));  // (1 - rho) of the gap remains each year
        last = left;
    }
    CHECK(last < 2e-3 * (desired - base).cwiseAbs().maxCoeff());  // 0.85^40 = 0.0015
}

TEST_CASE("labour, remittances and their calibration", "[migration]") {
    MatrixXd stocks(3, 3);
    stocks << 900, 60, 40, 20, 950, 30, 100, 50, 850;
    // Everyone counts once with zeta = 1: world labour equals world population.
    CHECK(effective_labour(stocks, 1.0).sum() == Approx(stocks.sum()).epsilon(1e-15));
    const VectorXd l = effective_labour(stocks, 0.8);
    CHECK(l(0) == Approx(900 + 0.8 * (20 + 100)).epsilon(1e-15));
    const VectorXd income = (VectorXd(3) << 10.0, 50.0, 5.0).finished();
    const VectorXd received = (VectorXd(3) << 30.0, std::nan(""), 100.0).finished();
    migration_settings s;
    std::vector<bool> calibrated;
    const VectorXd r = calibrate_remittance_shares(stocks, income, received, s, 0.3, &calibrated);
    // Origin 0's movers earn 60 x 50 + 40 x 5 = 3200; 30 received -> r = 0.009375.
    CHECK(r(0) == Approx(30.0 / 3200.0).epsilon(1e-15));
    // Origin 2's earn 100 x 10 + 50 x 50 = 3500: 100 / 3500 = 0.0286.
    CHECK(r(2) == Approx(100.0 / 3500.0).epsilon(1e-15));
    // Unknown: the median of the calibrated shares (two: their mean).
    CHECK(r(1) == Approx(0.5 * (30.0 / 3200.0 + 100.0 / 3500.0)).epsilon(1e-15));
    CHECK(calibrated == std::vector<bool>{true, false, true});
    // An implausible share (the data miss part of the diaspora) is not kept.
    const VectorXd too_much = (VectorXd(3) << 3000.0, std::nan(""), 100.0).finished();
    const VectorXd r2 = calibrate_remittance_shares(stocks, income, too_much, s, 0.3, &calibrated);
    CHECK(calibrated == std::vector<bool>{false, false, true});
    CHECK(r2(0) == Approx(100.0 / 3500.0).epsilon(1e-15));
    // Nothing to calibrate: the setting.
    CHECK(calibrate_remittance_shares(stocks, income, VectorXd::Constant(3, std::nan("")), s)(0) == s.remittance_share);
    const MatrixXd flows = remittances(stocks, income, r, 1.0);
    CHECK(flows.row(0).sum() == Approx(30.0).epsilon(1e-14));
    CHECK(flows.row(2).sum() == Approx(100.0).epsilon(1e-14));
    CHECK(flows.diagonal().isZero());
}

TEST_CASE("welfare per origin: the Frechet expected utility", "[migration]") {
    const MatrixXd m = three_region_shares();
    CHECK((origin_welfare(m, VectorXd::Ones(3), {}, 2.0).array() == 1.0).all());
    // With everyone at home, an origin's welfare is its own real wage change.
    const VectorXd w = (VectorXd(3) << 1.02, 1.1, 0.95).finished();
    CHECK(origin_welfare(MatrixXd::Identity(3, 3), w, {}, 2.0)(0) == Approx(1.02).epsilon(1e-15));
    // The option to move is worth something: welfare >= the share-weighted real wage.
    const VectorXd W = origin_welfare(m, w, {}, 2.0);
    for (int o = 0; o < 3; ++o) CHECK(W(o) >= m.row(o).dot(w) - 1e-15);
    // kappa -> 0: the share-weighted geometric mean.
    const VectorXd limit = origin_welfare(m, w, {}, 0.0);
    CHECK(origin_welfare(m, w, {}, 1e-7)(1) == Approx(limit(1)).epsilon(1e-6));
}

TEST_CASE("migration settings are validated with their keys", "[migration]") {
    migration_settings s;
    s.elasticity = -1.0;
    s.adjustment_speed = 0.0;
    integra::issues problems;
    validate(s, problems);
    const std::string text = problems.report("migration");
    CHECK_THAT(text, Contains("migration.elasticity: must be >= 0"));
    CHECK_THAT(text, Contains("migration.adjustment_speed: must be in (0, 1]"));
}
