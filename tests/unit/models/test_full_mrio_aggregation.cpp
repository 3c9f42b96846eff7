// Aggregation of a full MRIO by concordance, origin detail kept
// (models/full_mrio_aggregation.hpp): totals, x' = C x, the columns of A' as output-weighted
// means, production-based accounts and world totals preserved; footprints invariant where
// theory says they must be (merged region-sectors with identical columns of A and identical
// intensities) and not in general (a counter-example: aggregation bias).
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "models/full_mrio_aggregation.hpp"
#include "models/mrio_accounting.hpp"
#include "models/satellite_accounts.hpp"

using integra::models::aggregate;
using integra::models::full_mrio;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

// 3 regions x 2 sectors, 2 categories, one extension with 2 stressors and F_Y. When `exact`,
// region 2 copies region 0's columns of A and stressor intensities (so merging regions 0
// and 2 is free of aggregation bias); x = L Y 1 either way.
full_mrio example(bool exact) {
    full_mrio m;
    auto& t = m.table;
    t.regions = {"A", "B", "C"};
    t.sectors = {"food", "goods"};
    t.unit = "M.EUR";
    m.categories = {"households", "government"};
    const Index n = 6;
    MatrixXd a(n, n);
    for (Index i = 0; i < n; ++i)
        for (Index j = 0; j < n; ++j) a(i, j) = 0.01 * static_cast<double>((3 * i + 7 * j) % 11 + 1);
    MatrixXd s(2, n);
    for (Index j = 0; j < n; ++j) {
        s(0, j) = 0.1 + 0.05 * static_cast<double>(j);
        s(1, j) = 0.3 - 0.02 * static_cast<double>(j * j % 5);
    }
    if (exact)
        for (Index sec = 0; sec < 2; ++sec) {
            a.col(4 + sec) = a.col(sec);
            s.col(4 + sec) = s.col(sec);
        }
    m.final_demand_by_category = MatrixXd(n, 3 * 2);
    for (Index i = 0; i < n; ++i)
        for (Index c = 0; c < 6; ++c) m.final_demand_by_category(i, c) = (i / 2 == c / 2 ? 20.0 : 2.0) + static_cast<double>((i + 2 * c) % 5);
    const VectorXd x = integra::models::leontief_inverse(a) * m.final_demand_by_category.rowwise().sum();
    t.intermediate = a * x.asDiagonal();
    integra::models::complete_table(m);
    integra::models::named_extension e;
    e.name = "emissions";
    e.accounts.stressors = {"CO2", "CH4"};
    e.accounts.units = {"kt", "t"};
    e.accounts.production = s * x.asDiagonal();
    e.accounts.final_demand = MatrixXd(2, 3);
    e.accounts.final_demand << 1, 2, 3, 0.5, 0.25, 0.125;
    m.extensions.push_back(e);
    m.value_added_given = t.value_added * 0.9;
    m.value_added_source = "test";
    return m;
}

const std::vector<std::string> regions_ac{"AC", "B", "AC"};  // A and C merged
const std::vector<std::string> sectors_one{"all", "all"};

// C_r: 2 x 3 for regions_ac.
MatrixXd region_matrix() {
    std::vector<std::string> targets;
    return integra::models::concordance_matrix(regions_ac, targets);
}

MatrixXd cba(const full_mrio& m) {
    const MatrixXd l = integra::models::leontief_inverse(integra::models::technical_coefficients(m.table));
    return integra::models::consumption_based_accounts(m.extensions[0].accounts, m.table, l);
}

}  // namespace

TEST_CASE("aggregation sums flows, keeps categories, stressors and units, and preserves totals", "[full_mrio_aggregation]") {
    const full_mrio m = example(false);
    const full_mrio g = aggregate(m, regions_ac, sectors_one);
    const auto& t = m.table;
    const auto& u = g.table;
    CHECK(u.regions == std::vector<std::string>{"AC", "B"});
    CHECK(u.sectors == std::vector<std::string>{"all"});
    CHECK(u.unit == "M.EUR");
    CHECK(g.categories == m.categories);
    REQUIRE(g.final_demand_by_category.rows() == 2);
    REQUIRE(g.final_demand_by_category.cols() == 4);
    const double scale = t.gross_output.sum();
    CHECK(std::abs(u.intermediate.sum() - t.intermediate.sum()) <= 1e-12 * scale);
    CHECK(std::abs(g.final_demand_by_category.sum() - m.final_demand_by_category.sum()) <= 1e-12 * scale);
    CHECK(std::abs(u.value_added.sum() - t.value_added.sum()) <= 1e-12 * scale);
    CHECK(std::abs(g.value_added_given.sum() - m.value_added_given.sum()) <= 1e-12 * scale);
    // x' = C x with C = C_r (x) C_s: AC = regions 0 and 2, all sectors.
    CHECK(std::abs(u.gross_output(0) - (t.gross_output(0) + t.gross_output(1) + t.gross_output(4) + t.gross_output(5))) <= 1e-12 * scale);
    CHECK(std::abs(u.gross_output(1) - (t.gross_output(2) + t.gross_output(3))) <= 1e-12 * scale);
    // Z'(AC, B) = the sum of the 4 x 2 block; Y'(B, AC/government) = Y(B rows, A/gov + C/gov).
    CHECK(std::abs(u.intermediate(0, 1) - (t.intermediate({0, 1, 4, 5}, {2, 3}).sum())) <= 1e-12 * scale);
    CHECK(std::abs(g.final_demand_by_category(1, 1) - m.final_demand_by_category({2, 3}, {1, 5}).sum()) <= 1e-12 * scale);
    // The aggregated table is balanced: validate finds nothing.
    integra::issues problems;
    integra::models::validate(g, problems, 1e-12);
    CHECK(problems.empty());
    // The extension: F' = F C', F_Y' = F_Y C_r'; stressors and units kept.
    const auto& f = g.extensions[0].accounts;
    CHECK(f.stressors == m.extensions[0].accounts.stressors);
    CHECK(f.units == m.extensions[0].accounts.units);
    CHECK((f.final_demand - m.extensions[0].accounts.final_demand * region_matrix().transpose()).cwiseAbs().maxCoeff() <= 1e-12);
    CHECK(std::abs(f.production.sum() - m.extensions[0].accounts.production.sum()) <= 1e-12 * scale);
}

TEST_CASE("the columns of A' are the output-weighted means of the members' columns", "[full_mrio_aggregation]") {
    const full_mrio m = example(false);
    const full_mrio g = aggregate(m, regions_ac, {});
    const MatrixXd a = integra::models::technical_coefficients(m.table);
    const MatrixXd a2 = integra::models::technical_coefficients(g.table);
    const VectorXd& x = m.table.gross_output;
    // Aggregate region AC, sector s: members (A, s) = s and (C, s) = 4 + s.
    for (Index s = 0; s < 2; ++s) {
        const double expected = (x(s) * a.col(s).sum() + x(4 + s) * a.col(4 + s).sum()) / (x(s) + x(4 + s));
        CHECK(std::abs(a2.col(s).sum() - expected) <= 1e-12);
        CHECK(std::abs(a2.col(2 + s).sum() - a.col(2 + s).sum()) <= 1e-12);  // region B unchanged
    }
}

TEST_CASE("production-based accounts and world totals are preserved; footprints invariant only without aggregation bias",
          "[full_mrio_aggregation]") {
    SECTION("identical columns of A and intensities: footprints of the merged regions are the sums") {
        const full_mrio m = example(true);
        const full_mrio g = aggregate(m, regions_ac, {});
        const MatrixXd expected = cba(m) * region_matrix().transpose();
        CHECK((cba(g) - expected).cwiseAbs().maxCoeff() <= 1e-12 * expected.cwiseAbs().maxCoeff());
        // and x' = L' C y exactly: the aggregated model reproduces the aggregated output.
        const MatrixXd l2 = integra::models::leontief_inverse(integra::models::technical_coefficients(g.table));
        const VectorXd x2 = l2 * g.table.final_demand.rowwise().sum();
        CHECK((x2 - g.table.gross_output).cwiseAbs().maxCoeff() <= 1e-12 * g.table.gross_output.maxCoeff());
    }
    SECTION("in general sector aggregation changes the footprints (aggregation bias), but not their world total or the PBA") {
        const full_mrio m = example(false);
        const full_mrio g = aggregate(m, {}, sectors_one);
        const MatrixXd before = cba(m), after = cba(g);
        // Destinations are unchanged (regions kept), yet the footprints move: the counter-example.
        CHECK((after - before).cwiseAbs().maxCoeff() > 1e-3);
        // World totals: sum CBA = sum PBA before and after (x = L Y 1 holds in both tables).
        const MatrixXd pba = integra::models::production_based_accounts(m.extensions[0].accounts, m.table);
        const MatrixXd pba2 = integra::models::production_based_accounts(g.extensions[0].accounts, g.table);
        CHECK((pba2 - pba).cwiseAbs().maxCoeff() <= 1e-12 * pba.cwiseAbs().maxCoeff());  // regions kept: PBA unchanged
        for (Index k = 0; k < 2; ++k) {
            CHECK(std::abs(after.row(k).sum() - before.row(k).sum()) <= 1e-12 * before.row(k).sum());
            CHECK(std::abs(after.row(k).sum() - pba.row(k).sum()) <= 1e-12 * pba.row(k).sum());
        }
    }
    SECTION("region aggregation: the PBA of an aggregate is the sum of its members'") {
        const full_mrio m = example(false);
        const full_mrio g = aggregate(m, regions_ac, sectors_one);
        const MatrixXd pba = integra::models::production_based_accounts(m.extensions[0].accounts, m.table);
        const MatrixXd pba2 = integra::models::production_based_accounts(g.extensions[0].accounts, g.table);
        CHECK((pba2 - pba * region_matrix().transpose()).cwiseAbs().maxCoeff() <= 1e-12 * pba.cwiseAbs().maxCoeff());
    }
}

TEST_CASE("an aggregation map of the wrong size or with an empty label is refused", "[full_mrio_aggregation]") {
    const full_mrio m = example(false);
    CHECK_THROWS_AS(aggregate(m, {"X", "Y"}, {}), integra::inconsistent_input);
    CHECK_THROWS_WITH(aggregate(m, {}, {"all", ""}), Catch::Contains("sector 'goods' is mapped to an empty label"));
    CHECK_THROWS_WITH(aggregate(m, {"X", "Y"}, {}), Catch::Contains("2 entries; the table has 3 regions"));
}

TEST_CASE("a full MRIO may have negative net final demand (inventory draw-downs); the table alone may not",
          "[full_mrio_aggregation]") {
    full_mrio m = example(false);
    // Origin A/food, destination B: draw inventories down by more than the other uses.
    m.final_demand_by_category(0, 2) = -50.0;
    m.final_demand_by_category(0, 0) += 100.0;  // more household demand at home: output stays positive
    integra::models::complete_table(m);
    REQUIRE(m.table.final_demand(0, 1) < 0);
    integra::issues table_only, full;
    integra::models::validate(m.table, table_only);
    integra::models::validate(m, full);
    CHECK_FALSE(table_only.empty());
    CHECK(full.empty());
}
