// Eora26 reader: the layout fixture of tests/data/mrio/eora26_small (written by
// make_layout_fixtures.py: the table of pymrio_3x2 with Eora's ROW region around it), the
// ROW dropped and reported, value added as given with its gap, satellites with units from
// labels_Q.txt, and bad input refused with file:line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>

#include "core/errors.hpp"
#include "models/full_mrio.hpp"
#include "sim/data/import_eora.hpp"
#include "sim/data/import_full_mrio.hpp"
#include "temp_folder.hpp"
#include "tests/unit/sim/file_test_support.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
namespace fs = std::filesystem;
using integra::sim::read_eora26;

namespace {

using integra::testing::max_abs_diff;
using integra::testing::message_of;
using integra::testing::read_text;

const fs::path data = INTEGRA_TEST_DIR "/data/mrio";
const fs::path eora = data / "eora26_small";

void copy_with(const fs::path& dest, const std::string& file, int line, const std::function<std::string(std::string)>& edit) {
    fs::copy(eora, dest, fs::copy_options::recursive);
    std::string text = read_text(dest / file);
    std::size_t at = 0;
    for (int k = 1; k < line; ++k) at = text.find('\n', at) + 1;
    const std::size_t end = text.find('\n', at);
    text.replace(at, end - at, edit(text.substr(at, end - at)));
    std::ofstream(dest / file, std::ios::binary) << text;
}

// The ROW flows of the fixture (make_layout_fixtures.py).
const double row_sales_t[] = {0.5, 0.2, 0.3, 0.1, 0.4, 0.2};  // T[ROW, j]
const double row_buys_t[] = {0.3, 0.1, 0.2, 0.2, 0.1, 0.3};   // T[i, ROW]
const double row_fd_hh[] = {1, 2, 0.5, 1.5, 0.5, 1};           // FD[i, ROW households]

}  // namespace

TEST_CASE("Eora26 gives back the fixture's table without the ROW region", "[eora]") {
    const auto imported = read_eora26(eora, "k.USD");
    const auto& m = imported.mrio;
    const auto& t = m.table;
    const auto reference = integra::sim::read_pymrio_folder(data / "pymrio_3x2").mrio.table;
    CHECK(t.regions == std::vector<std::string>{"AUT", "DEU", "JPN"});
    CHECK(t.sectors == std::vector<std::string>{"Agriculture", "Textiles and Wearing Apparel"});
    CHECK(t.unit == "k.USD");
    REQUIRE(m.categories.size() == 6);
    CHECK(m.categories[0] == "Household final consumption P.3h");
    CHECK(m.categories[5] == "Acquisitions less disposals of valuables P.53");
    CHECK(t.intermediate == reference.intermediate);
    CHECK(t.final_demand == reference.final_demand);
    CHECK(t.gross_output == reference.gross_output);  // row sums of the flows kept
    CHECK(m.final_demand_by_category(3, 6 + 3) == 12.0);
    CHECK_THAT(imported.source, Contains("Eora26 folder"));
    CHECK_THAT(imported.source, Contains("2022_bp"));
    // Value added as given (the six VA rows): it balances the full Eora column, ROW included,
    // so the gap is what the ROW held: x - 1'Z - v = T[ROW,j] - T[j,ROW] - FD[j,ROW].
    REQUIRE(m.has_given_value_added());
    CHECK_THAT(m.value_added_source, Contains("Eora26_2022_bp_VA.txt (6 component(s), summed)"));
    const Eigen::VectorXd gap = integra::models::balancing_gap(m);
    for (Eigen::Index j = 0; j < 6; ++j)
        CHECK_THAT(gap(j), WithinAbs(row_sales_t[j] - row_buys_t[j] - row_fd_hh[j], 1e-12));
    // Extensions: VA by component (in the table's unit) and Q with units from labels_Q.txt.
    REQUIRE(m.extensions.size() == 2);
    CHECK(m.extensions[0].name == "VA");
    CHECK(m.extensions[0].accounts.stressors[2] == "Subsidies on production D.39");
    CHECK(m.extensions[0].accounts.units[2] == "k.USD");
    CHECK(m.extensions[0].accounts.production(2, 0) < 0);
    const auto& q = m.extensions[1].accounts;
    CHECK(m.extensions[1].name == "Q");
    CHECK(q.stressors == std::vector<std::string>{"Energy Usage / Natural Gas", "I-GHG-CO2 emissions / Total"});
    CHECK(q.units == std::vector<std::string>{"TJ", "Gg"});
    CHECK(q.production(1, 5) == 41000.0);
    CHECK(q.production.cols() == 6);
    CHECK(q.final_demand(1, 2) == 7000.0);  // JPN households, ROW's 5 dropped
    // The ROW, reported file by file.
    REQUIRE(imported.warnings.size() == 5);
    CHECK_THAT(imported.warnings[0].where, Contains("Eora26_2022_bp_T.txt"));
    CHECK_THAT(imported.warnings[0].message,
               Contains("dropped the ROW region (Eora's rest of the world, a balancing region, as pymrio does): its rows held 2.7 k.USD "
                        "of intermediate sales, its columns 1.2 k.USD of intermediate purchases"));
    CHECK_THAT(imported.warnings[1].message, Contains("its rows held 3.75 k.USD of sales to final demand, its columns 6.5 k.USD"));
    CHECK_THAT(imported.warnings[4].where, Contains("Eora26_2022_bp_QY.txt"));
}

TEST_CASE("bad Eora26 input is refused naming file, line and value", "[eora]") {
    integra::testing::temp_folder tmp;
    const fs::path m = tmp.path() / "m";
    SECTION("a missing label file") {
        fs::copy(eora, m, fs::copy_options::recursive);
        fs::remove(m / "labels_FD.txt");
        CHECK_THAT(message_of([&] { (void)read_eora26(m, "k.USD"); }), Contains((m / "labels_FD.txt").string() + ": missing"));
    }
    SECTION("a table with a row more than its labels") {
        copy_with(m, "Eora26_2022_bp_T.txt", 7, [](std::string l) { return l + "\n0\t0\t0\t0\t0\t0\t0"; });
        CHECK_THAT(message_of([&] { (void)read_eora26(m, "k.USD"); }),
                   Contains("Eora26_2022_bp_T.txt:8: 8 rows; " + (m / "labels_T.txt").string() + " has 7 labels (one row each expected)"));
    }
    SECTION("labels that differ between files") {
        fs::copy(eora, m, fs::copy_options::recursive);
        std::string text = read_text(m / "labels_FD.txt");
        for (auto at = text.find("\tJPN\t"); at != std::string::npos; at = text.find("\tJPN\t", at)) text.replace(at, 5, "\tJPX\t");
        std::ofstream(m / "labels_FD.txt", std::ios::binary) << text;
        CHECK_THAT(message_of([&] { (void)read_eora26(m, "k.USD"); }),
                   Contains("labels_FD.txt: the regions (3) differ from those of " + (m / "labels_T.txt").string()));
    }
    SECTION("negative gross output") {
        copy_with(m, "Eora26_2022_bp_FD.txt", 1, [](std::string l) { return "-200" + l.substr(2); });
        CHECK_THAT(message_of([&] { (void)read_eora26(m, "k.USD"); }),
                   Contains("Eora26_2022_bp_T.txt:1 (and " + (m / "Eora26_2022_bp_FD.txt").string() +
                            "): negative gross output -166 k.USD of AUT/Agriculture"));
    }
    SECTION("negative gross output after blank lines: T's real line, not the row number") {
        copy_with(m, "Eora26_2022_bp_FD.txt", 1, [](std::string l) { return "-200" + l.substr(2); });
        const std::string t = read_text(m / "Eora26_2022_bp_T.txt");
        std::ofstream(m / "Eora26_2022_bp_T.txt", std::ios::binary) << "\n\n" + t;
        CHECK_THAT(message_of([&] { (void)read_eora26(m, "k.USD"); }),
                   Contains("Eora26_2022_bp_T.txt:3 (and " + (m / "Eora26_2022_bp_FD.txt").string() +
                            "): negative gross output -166 k.USD of AUT/Agriculture"));
    }
    SECTION("a malformed number") {
        copy_with(m, "Eora26_2022_bp_T.txt", 2, [](std::string l) { return "four" + l.substr(1); });
        CHECK_THAT(message_of([&] { (void)read_eora26(m, "k.USD"); }),
                   Contains("Eora26_2022_bp_T.txt:2: column 1: malformed number 'four'"));
    }
    SECTION("a stressor without a unit") {
        copy_with(m, "labels_Q.txt", 2, [](std::string l) { return "I-GHG-CO2 emissions" + l.substr(std::string("I-GHG-CO2 emissions (Gg)").size()); });
        CHECK_THAT(message_of([&] { (void)read_eora26(m, "k.USD"); }),
                   Contains("labels_Q.txt:2: stressor 'I-GHG-CO2 emissions' has no unit (expected \"name (unit)\")"));
    }
    SECTION("no unit given") {
        CHECK_THAT(message_of([&] { (void)read_eora26(eora, ""); }), Contains("--unit: the currency unit of the Eora26 values is required"));
    }
}
