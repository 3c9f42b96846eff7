// From datasets to the equilibrium base and back: conversions are exact, and a dataset
// that passes validate() is an equilibrium at its own tariffs.
#include <catch2/catch.hpp>

#include "models/calibration.hpp"
#include "models/welfare_decomposition.hpp"
#include "sim/data/dataset.hpp"

using namespace integra::models;

namespace {

double max_abs_difference(const std::vector<Eigen::MatrixXd>& a, const std::vector<Eigen::MatrixXd>& b) {
    double d = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) d = std::max(d, (a[k] - b[k]).cwiseAbs().maxCoeff());
    return d;
}

}  // namespace

TEST_CASE("economy -> equilibrium base -> economy is the identity", "[models][calibration]") {
    const auto name = GENERATE(as<std::string>{}, "demo3x2", "celac38");
    const economy e = integra::sim::load_dataset(std::string(INTEGRA_SOURCE_DATA_DIR "/") + name).economy;
    const trade_equilibrium_base b = equilibrium_base(e);
    integra::issues found;
    validate(b, found);
    CHECK(found.empty());
    const economy back = to_economy(b, e.name, e.base_year, e.unit);
    // Exact up to the datasets' own rounding: they store 9 significant digits, so output
    // and sales agree to about 1e-9 relative.
    const double scale = e.gross_output.maxCoeff();
    CHECK(max_abs_difference(back.trade, e.trade) < 1e-12 * scale);
    CHECK((back.gross_output - e.gross_output).cwiseAbs().maxCoeff() < 1e-8 * scale);
    CHECK((back.value_added - e.value_added).cwiseAbs().maxCoeff() < 1e-8 * scale);
    CHECK((back.deficit - e.deficit).cwiseAbs().maxCoeff() < 1e-8 * scale);
}

TEST_CASE("a valid dataset is an equilibrium: unchanged policy reproduces its base year", "[models][calibration]") {
    const auto name = GENERATE(as<std::string>{}, "demo3x2", "celac38");
    const economy e = integra::sim::load_dataset(std::string(INTEGRA_SOURCE_DATA_DIR "/") + name).economy;
    const trade_equilibrium_base b = equilibrium_base(e);
    const equilibrium_result r = solve(b, counterfactual_shock{});
    CHECK((r.wage_change.array() - 1.0).abs().maxCoeff() < 1e-9);
    CHECK(max_abs_difference(r.trade_shares, b.trade_shares) < 1e-8);  // data stored to 9 digits
    CHECK(((r.expenditure.array() / b.expenditure.array()) - 1.0).abs().maxCoeff() < 1e-8);
    CHECK((r.welfare_change.array() - 1.0).abs().maxCoeff() < 1e-9);
    const welfare_decomposition w = decompose_welfare(b, r);
    CHECK(w.total.cwiseAbs().maxCoeff() < 1e-9);
}

TEST_CASE("calibration to zero deficits gives a base the model reproduces, with no deficits", "[models][calibration]") {
    const economy e = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/celac38").economy;
    const trade_equilibrium_base observed = equilibrium_base(e);
    const trade_equilibrium_base zero = calibrate(observed, true);
    CHECK(zero.deficit.cwiseAbs().maxCoeff() < 1e-9 * zero.value_added.sum());
    // World value added is the numeraire: unchanged by the calibration.
    CHECK(zero.value_added.sum() == Approx(observed.value_added.sum()).epsilon(1e-12));
    const equilibrium_result again = solve(zero, counterfactual_shock{});
    CHECK((again.wage_change.array() - 1.0).abs().maxCoeff() < 1e-9);
    // In levels the zero-deficit economy passes the dataset identities.
    integra::issues found;
    validate(to_economy(zero, "celac38_nos", e.base_year, e.unit), found);
    CHECK(found.empty());
}
