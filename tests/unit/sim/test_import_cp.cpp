// The Caliendo-Parro importer: rebuilding the authors' calibrated 1993 base from their raw
// files, and the paper's Table 2 from the imported data. Needs ../shared/data (CI has it).
#include <catch2/catch.hpp>

#include "models/calibration.hpp"
#include "core/errors.hpp"
#include "models/welfare_decomposition.hpp"
#include "sim/data/import_cp.hpp"
#include "temp_folder.hpp"
#include "unit/models/cp_test_data.hpp"

using namespace integra;

TEST_CASE("the CP importer rebuilds the authors' zero-deficit 1993 base", "[sim][import][cp]") {
    const auto dir = test::cp_data_dir();
    if (!dir) {
        WARN("../shared/data/caliendo-parro not found: set INTEGRA_SHARED_DATA");
        return;
    }
    const sim::cp_import imported = sim::import_caliendo_parro(*dir + "/raw", true);
    CHECK(imported.clipped_final_demand_shares == 185);  // as the package reports
    CHECK(imported.clamped_io_coefficients == 1);
    issues found;
    validate(imported.dataset.economy, found);
    CHECK(found.empty());

    const models::trade_equilibrium_base ours = models::equilibrium_base(imported.dataset.economy);
    const models::trade_equilibrium_base authors = test::load_cp_base(*dir + "/calibrated/base_1993_noS");
    // Shares agree to the precision of the package's inputs (IO.txt has 7 decimals).
    double worst_share = 0.0;
    for (std::size_t j = 0; j < ours.trade_shares.size(); ++j)
        worst_share = std::max(worst_share, (ours.trade_shares[j] - authors.trade_shares[j]).cwiseAbs().maxCoeff());
    CHECK(worst_share < 1e-5);
    // Expenditure in the same units (the package's unit is about US$10bn: compare shares of world spending).
    const Eigen::MatrixXd x_ours = ours.expenditure / ours.expenditure.sum();
    const Eigen::MatrixXd x_authors = authors.expenditure / authors.expenditure.sum();
    CHECK((x_ours - x_authors).cwiseAbs().maxCoeff() < 1e-6);
    CHECK(ours.deficit.cwiseAbs().maxCoeff() < 1e-9 * ours.value_added.sum());
}

TEST_CASE("Table 2 from data imported with the CP importer", "[sim][import][cp]") {
    const auto dir = test::cp_data_dir();
    if (!dir) {
        WARN("../shared/data/caliendo-parro not found: set INTEGRA_SHARED_DATA");
        return;
    }
    const sim::cp_import imported = sim::import_caliendo_parro(*dir + "/raw", true);
    const models::trade_equilibrium_base base = models::equilibrium_base(imported.dataset.economy);
    models::counterfactual_shock nafta;
    nafta.tariffs = base.tariffs;
    const auto& later = imported.dataset.metadata.tariff_tables.at("2005");  // (exporter, importer)
    const std::vector<Eigen::Index> members{test::cp_canada, test::cp_mexico, test::cp_usa};
    for (Eigen::Index j = 0; j < 20; ++j)
        for (auto n : members)
            for (auto i : members)
                if (n != i) nafta.tariffs[static_cast<std::size_t>(j)](n, i) = later[static_cast<std::size_t>(j)](i, n);
    const auto result = models::solve(base, nafta);
    const auto w = models::decompose_welfare(base, result);
    auto pct = [](double x) { return 100.0 * x; };
    // The paper's Table 2, to its printed digits.
    CHECK(pct(w.total(test::cp_mexico)) == Approx(1.31).margin(0.005));
    CHECK(pct(w.terms_of_trade(test::cp_mexico)) == Approx(-0.41).margin(0.005));
    CHECK(pct(w.volume_of_trade(test::cp_mexico)) == Approx(1.72).margin(0.005));
    CHECK(pct(result.real_wage_change(test::cp_mexico) - 1.0) == Approx(1.72).margin(0.005));
    CHECK(pct(w.total(test::cp_canada)) == Approx(-0.06).margin(0.005));
    CHECK(pct(w.terms_of_trade(test::cp_canada)) == Approx(-0.11).margin(0.005));
    CHECK(pct(w.volume_of_trade(test::cp_canada)) == Approx(0.04).margin(0.005));
    CHECK(pct(result.real_wage_change(test::cp_canada) - 1.0) == Approx(0.32).margin(0.005));
    CHECK(pct(w.total(test::cp_usa)) == Approx(0.08).margin(0.005));
    CHECK(pct(w.terms_of_trade(test::cp_usa)) == Approx(0.04).margin(0.005));
    CHECK(pct(w.volume_of_trade(test::cp_usa)) == Approx(0.04).margin(0.005));
    CHECK(pct(result.real_wage_change(test::cp_usa) - 1.0) == Approx(0.11).margin(0.005));
}

TEST_CASE("the CP importer names the file and line of bad input", "[sim][import][cp]") {
    integra::testing::temp_folder dir;
    dir.write("xbilat1993.txt", "1 2 3\n");
    CHECK_THROWS_WITH(sim::import_caliendo_parro(dir.path(), true),
                      Catch::Matchers::Contains("xbilat1993.txt:1: expected 31 columns, got 3"));
}
