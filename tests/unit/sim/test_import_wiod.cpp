// WIOD 2016 world-table reader (sim/data/import_wiod.hpp): tests/data/mrio/wiod2016_small/
// (written by make_icio_wiod_fixtures.py in the layout of WIOT2014_Nov16_ROW.xlsx saved as
// CSV) read back to the known table to 1e-12, value added and its components, and bad
// input named with file:line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>

#include "core/errors.hpp"
#include "sim/data/csv_table.hpp"
#include "sim/data/import_wiod.hpp"
#include "temp_folder.hpp"
#include "tests/unit/sim/file_test_support.hpp"

using Catch::Matchers::Contains;
namespace fs = std::filesystem;
using integra::testing::temp_folder;
using integra::sim::read_wiod;

namespace {

using integra::testing::max_abs_diff;
using integra::testing::message_of;
using integra::testing::read_text;

const fs::path wiod_dir = INTEGRA_TEST_DIR "/data/mrio/wiod2016_small";
const char* wiot = "WIOT2014_Nov16_ROW.csv";

fs::path edited(const temp_folder& dir, const std::string& from, const std::string& to) {
    return integra::testing::edited_copy(dir, wiod_dir / wiot, from, to);
}

}  // namespace

TEST_CASE("a WIOD 2016 world table saved as CSV is read with origin detail, equal to the known table", "[wiod]") {
    const auto imported = read_wiod(wiod_dir / wiot);
    const auto& m = imported.mrio;
    const auto known = integra::sim::read_long_mrio(wiod_dir / "known", "USD million").mrio;
    CHECK(imported.warnings.empty());
    CHECK(m.table.regions == std::vector<std::string>{"MEX", "USA", "ROW"});
    CHECK(m.table.sectors == std::vector<std::string>{"A01", "C10-C12"});
    CHECK(m.table.unit == "USD million");
    CHECK(m.categories == std::vector<std::string>{"CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"});
    CHECK(m.categories == known.categories);
    CHECK(max_abs_diff(m.table.intermediate, known.table.intermediate) <= 1e-12);
    CHECK(max_abs_diff(m.final_demand_by_category, known.final_demand_by_category) <= 1e-12);
    CHECK(max_abs_diff(m.table.gross_output, known.table.gross_output) <= 1e-12);
    // Value added as given = the VA row; TXSP, EXP_adj, PURR, PURNR, IntTTM are the gap.
    const std::vector<std::string> rows{"TXSP", "EXP_adj", "PURR", "PURNR", "VA", "IntTTM"};
    const auto va = integra::sim::csv_table::read(wiod_dir / "known" / "value_added.csv");
    REQUIRE(m.extensions.size() == 1);
    const auto& f = m.extensions[0].accounts;
    CHECK(m.extensions[0].name == "factor_inputs");
    CHECK(f.stressors == rows);
    integra::issues none;
    for (std::size_t j = 0; j < va.n_rows(); ++j) {
        const auto jj = static_cast<Eigen::Index>(j);
        double others = 0.0;
        for (std::size_t k = 0; k < rows.size(); ++k) {
            const double given = va.number(j, va.column(rows[k]), none);
            CHECK(std::abs(f.production(static_cast<Eigen::Index>(k), jj) - given) <= 1e-12);
            if (rows[k] != "VA") others += given;
        }
        CHECK(std::abs(m.value_added_given(jj) - va.number(j, va.column("VA"), none)) <= 1e-12);
        CHECK(std::abs(integra::models::balancing_gap(m)(jj) - others) <= 1e-12);
    }
    CHECK(none.empty());
    CHECK(f.final_demand.row(0).isApproxToConstant(1.5));  // TXSP on final products (CONS_h), by region
}

TEST_CASE("WIOD bad input names file:line, label and value", "[wiod]") {
    temp_folder dir;
    SECTION("negative intermediate flow") {
        const auto f = edited(dir, "MEX,r1,1,6,", "MEX,r1,-1,6,");
        CHECK_THROWS_AS(read_wiod(f), integra::invalid_input);
        CHECK_THAT(message_of([&] { (void)read_wiod(f); }),
                   Contains("WIOT2014_Nov16_ROW.csv:7: row MEX/A01, column MEX/A01: negative intermediate flow -1 USD million"));
    }
    SECTION("negative gross output") {
        const auto f = edited(dir, "TOT,r73,73.75,", "TOT,r73,-73.75,");
        CHECK_THROWS_AS(read_wiod(f), integra::invalid_input);
        CHECK_THAT(message_of([&] { (void)read_wiod(f); }),
                   Contains("WIOT2014_Nov16_ROW.csv:20: row GO, column MEX/A01: negative gross output -73.75 USD million"));
    }
    SECTION("GO inconsistent with the row and the column") {
        const auto f = edited(dir, "TOT,r73,73.75,", "TOT,r73,74.75,");
        CHECK_THROWS_AS(read_wiod(f), integra::inconsistent_input);
        const auto what = message_of([&] { (void)read_wiod(f); });
        CHECK_THAT(what, Contains("WIOT2014_Nov16_ROW.csv:7: row MEX/A01: intermediate and final sales sum to 73.75 but gross "
                                  "output (row GO, line 20) is 74.75"));
        CHECK_THAT(what, Contains("WIOT2014_Nov16_ROW.csv:20: row GO, column MEX/A01: gross output 74.75 USD million but "
                                  "intermediate inputs + TXSP + EXP_adj + PURR + PURNR + VA + IntTTM sum to 73.75"));
    }
    SECTION("II_fob inconsistent with Z") {
        const auto f = edited(dir, "TOT,r65,23,", "TOT,r65,24,");
        CHECK_THAT(message_of([&] { (void)read_wiod(f); }),
                   Contains("WIOT2014_Nov16_ROW.csv:13: row II_fob, column MEX/A01: total intermediate consumption 24 but the "
                            "column of Z sums to 23"));
    }
    SECTION("unknown row") {
        const auto f = edited(dir, "\nC10-C12,\"Manufacture of food products, beverages and tobacco products\",USA,",
                              "\nC99,\"Manufacture of food products, beverages and tobacco products\",USA,");
        CHECK_THROWS_AS(read_wiod(f), integra::invalid_input);
        CHECK_THAT(message_of([&] { (void)read_wiod(f); }), Contains("WIOT2014_Nov16_ROW.csv:10: unknown row USA/C99"));
        CHECK_THAT(message_of([&] { (void)read_wiod(f); }), Contains("no row for country USA, industry C10-C12"));
    }
    SECTION("a final-demand column missing") {
        const auto f = edited(dir, "ROW,ROW,ROW,ROW,ROW,TOT", "ROW,ROW,ROW,ROW,USA,TOT");
        CHECK_THAT(message_of([&] { (void)read_wiod(f); }), Contains("WIOT2014_Nov16_ROW.csv:3: no final-demand column INVEN for country ROW"));
    }
    SECTION("header rows missing") {
        std::string text = read_text(wiod_dir / wiot);
        const auto from = text.find("(industry-by-industry)");
        text.erase(from, text.find("\nA01,") + 1 - from);
        const auto f = dir.write(wiot, text);
        CHECK_THAT(message_of([&] { (void)read_wiod(f); }),
                   Contains("WIOT2014_Nov16_ROW.csv:3: the first data row has 2 row(s) above it; expected the 4 header rows"));
    }
    SECTION("IntTTL is read as an alias of IntTTM, under its own name") {
        const auto f = edited(dir, "\nIntTTM,", "\nIntTTL,");
        const auto imported = read_wiod(f);
        CHECK(imported.mrio.extensions[0].accounts.stressors.back() == "IntTTL");
    }
    SECTION("a row of a country without columns") {
        const auto f = edited(dir, "C10-C12,\"Manufacture of food products, beverages and tobacco products\",ROW,",
                              "C10-C12,\"Manufacture of food products, beverages and tobacco products\",BRA,");
        CHECK_THAT(message_of([&] { (void)read_wiod(f); }), Contains("WIOT2014_Nov16_ROW.csv:12: unknown row BRA/C10-C12"));
    }
    SECTION("malformed number") {
        const auto f = edited(dir, "MEX,r1,1,6,", "MEX,r1,1,6x,");
        CHECK_THAT(message_of([&] { (void)read_wiod(f); }),
                   Contains("WIOT2014_Nov16_ROW.csv:7: row MEX/A01, column MEX/C10-C12: malformed number '6x'"));
    }
}
