// The canonical economy: base-year identities and the implied MRIO table.
#include <catch2/catch.hpp>

#include "models/economy.hpp"
#include "models/mrio_accounting.hpp"
#include "sim/data/dataset.hpp"

using integra::issues;
using integra::models::economy;

namespace {

economy demo() { return integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2").economy; }

std::string all_messages(const issues& found) { return found.report("economy"); }

}  // namespace

TEST_CASE("the demo economy satisfies the base-year identities", "[models][economy]") {
    const economy e = demo();
    issues found;
    validate(e, found);
    CHECK(found.empty());
    // World exports equal world imports; deficits are imports minus exports.
    CHECK(e.exports().sum() == Approx(e.imports().sum()));
    CHECK((e.imports() - e.exports() - e.deficit).cwiseAbs().maxCoeff() < 1e-9);
}

TEST_CASE("economy validation names the cell and the size of each violation", "[models][economy]") {
    economy e = demo();
    e.trade[0](0, 1) += 5.0;                  // north -> south goods: output no longer equals sales
    e.trade_elasticity(1) = -1.0;             // non-positive elasticity
    e.tariffs[0](1, 2) = -1.5;                // below -100%
    e.final_demand_share(2, 0) += 0.1;        // shares of east no longer sum to 1
    issues found;
    validate(e, found);
    const std::string text = all_messages(found);
    CHECK_THAT(text, Catch::Matchers::Contains("gross_output[north/goods]: output 400 but sales 405 (difference 5)"));
    CHECK_THAT(text, Catch::Matchers::Contains("trade_elasticity[services]: must be a positive number, got -1"));
    CHECK_THAT(text, Catch::Matchers::Contains("tariffs[south -> east, goods]: must be a fraction above -1 (-100%), got -1.5"));
    CHECK_THAT(text, Catch::Matchers::Contains("final_demand_share[east]: shares must sum to 1, got 1.1"));
}

TEST_CASE("non-tradable sectors cannot be traded", "[models][economy]") {
    economy e = demo();
    e.trade[1](0, 1) = 1.0;
    issues found;
    validate(e, found);
    CHECK_THAT(all_messages(found),
               Catch::Matchers::Contains("trade[north -> south, services]: sector is not tradable but the flow is 1"));
}

TEST_CASE("the MRIO table implied by an economy balances and keeps its trade", "[models][economy][mrio]") {
    const economy e = demo();
    const auto table = integra::models::to_mrio_table(e);
    issues found;
    validate(table, found);
    CHECK(found.empty());
    // Rows: output = intermediate sales + final sales (Miller & Blair 2009, eq. 2.1).
    const Eigen::VectorXd sales = table.intermediate.rowwise().sum() + table.final_demand.rowwise().sum();
    CHECK((sales - table.gross_output).cwiseAbs().maxCoeff() < 1e-9);
    // Bilateral trade at world prices survives the split across users.
    const auto trade = integra::models::bilateral_trade(table);
    for (std::size_t s = 0; s < e.n_sectors(); ++s)
        for (Eigen::Index i = 0; i < 3; ++i)
            for (Eigen::Index n = 0; n < 3; ++n)
                if (i != n) CHECK(trade[s](i, n) == Approx(e.trade[s](i, n)).margin(1e-9));
    // Value added row = value added + tariffs paid on imported inputs, so the world total
    // of the value-added row is at least world value added.
    CHECK(table.value_added.sum() >= e.value_added.sum() - 1e-9);
}
