// Unit tests for models/mrio_table: labels, validation messages (asserted as text), and
// bilateral trade.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "core/errors.hpp"
#include "core/issues.hpp"
#include "models/mrio_table.hpp"
#include "tests/unit/models/test_economies.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using integra::issues;
using integra::models::mrio_table;
using integra::models::validate;

namespace {

// Miller & Blair (2009, sec. 2.3) two-sector example as a one-region table.
mrio_table textbook_table() {
    mrio_table t;
    t.regions = {"BRA"};
    t.sectors = {"agriculture", "manufacturing"};
    t.unit = "million USD";
    t.intermediate.resize(2, 2);
    t.intermediate << 150, 500, 200, 100;
    t.final_demand.resize(2, 1);
    t.final_demand << 350, 1700;
    t.gross_output.resize(2);
    t.gross_output << 1000, 2000;
    t.value_added.resize(2);
    t.value_added << 650, 1400;
    return t;
}

std::string all_messages(const issues& found) { return found.report("table"); }

}  // namespace

TEST_CASE("label names region and sector of a row or column", "[models][mrio_table]") {
    const mrio_table t = integra::testing::three_region_economy();
    CHECK(t.size() == 6);
    CHECK(t.index(1, 1) == 3);
    CHECK(t.label(0) == "ARG/agriculture");
    CHECK(t.label(3) == "BRA/manufacturing");
    CHECK(t.label(5) == "CHN/manufacturing");
    CHECK(t.label(6) == "index 6");  // outside the labels: still printable for validation
}

TEST_CASE("balanced tables pass validation", "[models][mrio_table]") {
    issues found;
    SECTION("three-region economy") { validate(integra::testing::three_region_economy(), found); }
    SECTION("textbook economy") { validate(textbook_table(), found); }
    INFO(all_messages(found));
    CHECK(found.empty());
}

TEST_CASE("identity errors within the tolerance are accepted", "[models][mrio_table]") {
    mrio_table t = textbook_table();
    t.final_demand(0, 0) += 1000 * 0.5e-6;  // half the default relative tolerance of 1e-6
    issues found;
    validate(t, found);
    CHECK(found.empty());
    validate(t, found, 1e-7);
    CHECK(found.size() == 1);
}

TEST_CASE("row identity failure names the cell and the size of the gap", "[models][mrio_table]") {
    mrio_table t = textbook_table();
    t.final_demand(0, 0) += 12.5;
    issues found;
    validate(t, found);
    REQUIRE(found.size() == 1);
    CHECK(found.list()[0].where == "mrio_table.gross_output[BRA/agriculture]");
    REQUIRE_THAT(found.list()[0].message,
                 Contains("row identity fails for BRA/agriculture: output 1000 but sales 1012.5 "
                          "(difference 12.5, 1.25%)"));
}

TEST_CASE("column identity failure names the cell and the size of the gap", "[models][mrio_table]") {
    mrio_table t = textbook_table();
    t.value_added(1) -= 20;
    issues found;
    validate(t, found);
    REQUIRE(found.size() == 1);
    REQUIRE_THAT(found.list()[0].message,
                 Contains("column identity fails for BRA/manufacturing: output 2000 but costs 1980 "
                          "(difference -20, -1%)"));
}

TEST_CASE("identity failure where output is zero uses an absolute tolerance", "[models][mrio_table]") {
    mrio_table t = textbook_table();
    t.gross_output(0) = 0;
    issues found;
    validate(t, found);
    REQUIRE(found.size() == 2);  // both identities of BRA/agriculture
    REQUIRE_THAT(found.list()[0].message,
                 Contains("row identity fails for BRA/agriculture: output 0 but sales 1000 "
                          "(difference 1000; output is zero)"));
    REQUIRE_THAT(found.list()[1].message, Contains("column identity fails for BRA/agriculture"));
}

TEST_CASE("dimension mismatches are reported with expected sizes", "[models][mrio_table]") {
    mrio_table t = integra::testing::three_region_economy();
    t.intermediate.conservativeResize(5, 6);
    t.final_demand.conservativeResize(6, 2);
    t.value_added.conservativeResize(7);
    issues found;
    validate(t, found);
    const std::string report = all_messages(found);
    CHECK(found.size() == 3);
    REQUIRE_THAT(report, Contains("mrio_table.intermediate: is 5 x 6; expected 6 x 6 (3 regions x 2 sectors)"));
    REQUIRE_THAT(report, Contains("mrio_table.final_demand: is 6 x 2; expected 6 x 3 (3 regions x 2 sectors)"));
    REQUIRE_THAT(report, Contains("mrio_table.value_added: has 7 entries; expected 6 (3 regions x 2 sectors)"));
}

TEST_CASE("empty and duplicate labels are reported", "[models][mrio_table]") {
    mrio_table t = integra::testing::three_region_economy();
    t.regions[2] = "ARG";
    t.sectors[1] = "";
    t.unit = "";
    issues found;
    validate(t, found);
    const std::string report = all_messages(found);
    CHECK(found.size() == 3);
    REQUIRE_THAT(report, Contains("mrio_table.regions[2]: duplicate label 'ARG' (also at index 0)"));
    REQUIRE_THAT(report, Contains("mrio_table.sectors[1]: empty label"));
    REQUIRE_THAT(report, Contains("mrio_table.unit: empty; expected a currency unit"));
}

TEST_CASE("tables without labels are reported", "[models][mrio_table]") {
    issues found;
    validate(mrio_table{}, found);
    const std::string report = all_messages(found);
    REQUIRE_THAT(report, Contains("mrio_table.regions: no regions; expected at least one"));
    REQUIRE_THAT(report, Contains("mrio_table.sectors: no sectors; expected at least one"));
}

TEST_CASE("non-finite and negative entries are reported by cell", "[models][mrio_table]") {
    mrio_table t = integra::testing::three_region_economy();
    t.intermediate(2, 1) = std::numeric_limits<double>::quiet_NaN();
    t.final_demand(5, 1) = -3;
    t.gross_output(4) = std::numeric_limits<double>::infinity();
    issues found;
    validate(t, found);
    const std::string report = all_messages(found);
    INFO(report);
    REQUIRE_THAT(report, Contains("mrio_table.intermediate[BRA/agriculture, ARG/manufacturing]: is NaN; "
                                  "expected a finite number"));
    REQUIRE_THAT(report, Contains("mrio_table.final_demand[CHN/manufacturing, BRA]: is negative (-3); expected >= 0"));
    REQUIRE_THAT(report, Contains("mrio_table.gross_output[CHN/agriculture]: is infinite; expected a finite number"));
    // The NaN row and column and the altered final demand make their identities fail too;
    // the infinite output is not compared.
    REQUIRE_THAT(report, Contains("row identity fails for CHN/manufacturing: output 562 but sales 523"));
    CHECK_THAT(report, !Contains("for CHN/agriculture"));
    CHECK_THAT(report, !Contains("for BRA/agriculture"));
    CHECK_THAT(report, !Contains("for ARG/manufacturing"));
    CHECK(found.size() == 4);
}

TEST_CASE("negative value added is accepted", "[models][mrio_table]") {
    // Operating losses or net subsidies: agriculture with value added -1, rebalanced.
    mrio_table t = textbook_table();
    t.intermediate(1, 0) += 651;
    t.value_added << -1, 2051;
    t.gross_output(1) += 651;
    issues found;
    validate(t, found);
    INFO(all_messages(found));
    CHECK(found.empty());
}

TEST_CASE("many bad entries are listed up to a cap and then counted", "[models][mrio_table]") {
    mrio_table t = integra::testing::three_region_economy();
    t.intermediate.setConstant(-1);
    issues found;
    validate(t, found);
    REQUIRE_THAT(all_messages(found), Contains("mrio_table.intermediate: 16 more negative entries (36 in total)"));
}

TEST_CASE("all problems are collected into one exception", "[models][mrio_table]") {
    mrio_table t = integra::testing::three_region_economy();
    t.sectors[0] = "manufacturing";
    t.final_demand(1, 2) += 25;
    issues found;
    validate(t, found);
    CHECK(found.size() == 2);
    REQUIRE_THROWS_AS(found.throw_if_any<integra::inconsistent_input>("economy.h5"), integra::inconsistent_input);
    REQUIRE_THROWS_WITH(found.throw_if_any<integra::inconsistent_input>("economy.h5"),
                        Contains("economy.h5: 2 problem(s)") &&
                            Contains("duplicate label 'manufacturing'") &&
                            Contains("row identity fails for ARG/manufacturing: output 350 but sales 375"));
}

TEST_CASE("bilateral trade sums intermediate and final sales across borders", "[models][mrio_table]") {
    const mrio_table t = integra::testing::three_region_economy();
    const auto trade = integra::models::bilateral_trade(t);
    REQUIRE(trade.size() == 2);
    for (const auto& m : trade) {
        REQUIRE(m.rows() == 3);
        REQUIRE(m.cols() == 3);
        CHECK(m.diagonal().isZero(0.0));
    }
    // ARG agriculture to BRA: Z(ARG/agr, BRA/agr) + Z(ARG/agr, BRA/man) + F(ARG/agr, BRA).
    CHECK(trade[0](0, 1) == 10 + 15 + 20);
    // CHN manufacturing to ARG: 12 + 25 + 28.
    CHECK(trade[1](2, 0) == 12 + 25 + 28);

    // Each region's exports are its sales minus its sales to itself.
    for (Eigen::Index r = 0; r < 3; ++r) {
        double sales_abroad = 0;
        for (Eigen::Index s = 0; s < 2; ++s) {
            const Eigen::Index row = r * 2 + s;
            sales_abroad += t.gross_output(row) - t.intermediate.row(row).segment(r * 2, 2).sum() -
                            t.final_demand(row, r);
        }
        CHECK_THAT(trade[0].row(r).sum() + trade[1].row(r).sum(), WithinAbs(sales_abroad, 1e-9));
    }
}

TEST_CASE("bilateral trade rejects mis-sized tables", "[models][mrio_table]") {
    mrio_table t = integra::testing::three_region_economy();
    t.final_demand.conservativeResize(6, 2);
    REQUIRE_THROWS_AS(integra::models::bilateral_trade(t), integra::inconsistent_input);
    REQUIRE_THROWS_WITH(integra::models::bilateral_trade(t),
                        Contains("bilateral_trade: 1 problem(s)") &&
                            Contains("mrio_table.final_demand: is 6 x 2; expected 6 x 3"));
}
