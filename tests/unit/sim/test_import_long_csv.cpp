// Long-CSV import: a hand-balanced 2x2 file in thousand USD (tests/data/long/), unit
// conversion, derived final-demand shares, and every kind of bad input with file:line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/errors.hpp"
#include "sim/data/import_long_csv.hpp"
#include "temp_folder.hpp"

using Catch::Matchers::Contains;
namespace fs = std::filesystem;
using integra::sim::import_long_csv;
using integra::sim::import_options;

namespace {

const fs::path fixture = INTEGRA_TEST_DIR "/data/long/two_by_two.csv";

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

import_options with_year() {
    import_options o;
    o.year = 2020;
    return o;
}

std::string error_of(const fs::path& file, const std::string& unit = "thousand USD", const import_options& options = with_year()) {
    try {
        (void)import_long_csv(file, unit, options);
    } catch (const integra::error& e) {
        return e.what();
    }
    return "no error";
}

// The fixture with one line replaced (the line must exist).
fs::path variant(const integra::testing::temp_folder& dir, const std::string& name, const std::string& from, const std::string& to) {
    std::string text = read_text(fixture);
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    return dir.write(name, text);
}

}  // namespace

TEST_CASE("import long CSV: a balanced file converts to million USD with derived shares", "[sim][import][long]") {
    const auto d = import_long_csv(fixture, "thousand USD", with_year());
    const auto& e = d.economy;
    CHECK(e.regions == std::vector<std::string>{"AAA", "BBB"});
    CHECK(e.sectors == std::vector<std::string>{"goods", "services"});
    CHECK(e.unit == "million USD");
    CHECK(e.base_year == 2020);
    const Eigen::MatrixXd go = (Eigen::MatrixXd(2, 2) << 120, 155, 90, 120).finished();
    CHECK(e.gross_output.isApprox(go, 1e-15));
    CHECK(e.value_added(0, 1) == Approx(100.0).epsilon(1e-15));
    CHECK(e.io_coefficients[0](0, 0) == Approx(30.0 / 120.0).epsilon(1e-15));
    CHECK(e.io_coefficients[1](1, 1) == Approx(30.0 / 120.0).epsilon(1e-15));
    CHECK(e.tariffs[0](0, 1) == 0.1);   // BBB levies 10% on goods from AAA
    CHECK(e.tariffs[0](1, 0) == 0.05);  // AAA levies 5% on goods from BBB
    CHECK(e.final_demand_share(0, 0) == Approx(65.5 / 155.5).epsilon(1e-14));
    CHECK(e.final_demand_share(1, 1) == Approx(85.0 / 157.0).epsilon(1e-14));
    CHECK(e.deficit(0) == Approx(-15.0).epsilon(1e-14));
    CHECK(e.trade_elasticity(0) == 5.0);  // default
    CHECK(e.trade_elasticity(1) == 8.2);  // from the file
    // CP (2015) eq. 7 holds: X = gamma Y + alpha I, with I = VA + R + D.
    const Eigen::MatrixXd x = e.expenditure();
    const Eigen::VectorXd income = e.value_added.rowwise().sum() + e.tariff_revenue() + e.deficit;
    for (Eigen::Index n = 0; n < 2; ++n) {
        const Eigen::VectorXd rhs = e.io_coefficients[static_cast<std::size_t>(n)] * e.gross_output.row(n).transpose() +
                                    e.final_demand_share.row(n).transpose() * income(n);
        CHECK((x.row(n).transpose() - rhs).cwiseAbs().maxCoeff() < 1e-12);
    }
    integra::issues found;
    integra::models::validate(e, found);
    CHECK(found.empty());
}

TEST_CASE("import long CSV: the declared unit must match the unit column", "[sim][import][long]") {
    CHECK_THAT(error_of(INTEGRA_TEST_DIR "/data/long/wrong_units.csv"),
               Contains("wrong_units.csv:5: column 'unit': wrong units: 'USD' but --unit is 'thousand USD'"));
    CHECK_THAT(error_of(fixture, "million USD"), Contains("two_by_two.csv:2: column 'unit': wrong units: 'thousand USD'"));
    CHECK_THAT(error_of(fixture, "furlongs"), Contains("unit 'furlongs' is not supported"));
    integra::testing::temp_folder dir;
    CHECK_THAT(error_of(variant(dir, "t.csv", "0.1,fraction", "0.1,percent")),
               Contains("t.csv:21: column 'unit': wrong units: a tariff is a fraction"));
}

TEST_CASE("import long CSV: bad input names file, line and label", "[sim][import][long]") {
    integra::testing::temp_folder dir;
    CHECK_THAT(error_of(variant(dir, "a.csv", "BBB,goods,AAA,trade", "BBB,goods,CCC,trade")),
               Contains("a.csv:8: column 'partner': unknown region 'CCC' (not declared by a value_added row)"));
    CHECK_THAT(error_of(variant(dir, "b.csv", "AAA,goods,BBB,trade,20000", "AAA,goods,BBB,trade,-20000")),
               Contains("b.csv:7: column 'value': negative flow: trade AAA/goods -> BBB is -20000 thousand USD"));
    CHECK_THAT(error_of(variant(dir, "c.csv", ",trade_elasticity,", ",elasticity,")),
               Contains("c.csv:24: column 'variable': unknown variable 'elasticity'"));
    CHECK_THAT(error_of(variant(dir, "d.csv", "BBB,services,,value_added,80000,thousand USD\n", "")),
               Contains("missing block: no value_added row for BBB/services"));
    CHECK_THAT(error_of(variant(dir, "e.csv", "AAA,services,BBB,trade,5000,thousand USD",
                                "AAA,services,BBB,trade,5000,thousand USD\nAAA,services,BBB,trade,6000,thousand USD")),
               Contains("e.csv:12: duplicate trade row (first at ") && Contains("e.csv:11)"));
    CHECK_THAT(error_of(variant(dir, "f.csv", "AAA,goods,,value_added,70000", "AAA,goods,,value_added,7x0")),
               Contains("f.csv:2: column 'value': expected a finite number, got '7x0'"));
    CHECK_THAT(error_of(variant(dir, "g.csv", "AAA,goods,goods,intermediate", "AAA,goods,,intermediate")),
               Contains("g.csv:13: column 'partner': variable 'intermediate' needs a partner"));
    CHECK_THAT(error_of(variant(dir, "h.csv", "AAA,goods,BBB,trade,20000", "AAA,goods,BBB,trade,20,000")),
               Contains("h.csv:7: expected 6 fields"));
    // unbalanced: sales of AAA/goods drop by 20 (million USD) while costs stay
    const std::string text = error_of(variant(dir, "u.csv", "AAA,goods,AAA,trade,100000", "AAA,goods,AAA,trade,80000"));
    CHECK_THAT(text, Contains("gross_output AAA/goods: unbalanced: declared 120 but sales (trade rows) sum to 100 (difference -20 million USD)"));
    CHECK_THAT(text, Contains("AAA/goods: unbalanced: intermediate inputs 50 + value added 70 = 120 but sales (trade rows) sum to 100"));
    CHECK_THAT(error_of(fixture, "thousand USD", import_options{}), Contains("no base year: give --year"));
}
