// EXIOBASE 3 reader: the layout fixtures of tests/data/mrio/ (written by
// make_layout_fixtures.py from the table of pymrio_3x2): ixi from A and x (no Z.txt),
// zipped and unpacked; pxp with Z.txt and F_hh.txt; value added from the satellite's
// factor inputs; bad input refused with file:line.
#include <catch2/catch.hpp>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <functional>

#include "core/errors.hpp"
#include "models/full_mrio.hpp"
#include "sim/data/import_exiobase.hpp"
#include "sim/data/import_full_mrio.hpp"
#include "temp_folder.hpp"
#include "tests/unit/sim/file_test_support.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
namespace fs = std::filesystem;
using integra::sim::read_exiobase3;

namespace {

using integra::testing::max_abs_diff;
using integra::testing::message_of;
using integra::testing::read_text;

const fs::path data = INTEGRA_TEST_DIR "/data/mrio";
const fs::path ixi = data / "exiobase3_ixi_small";
const fs::path ixi_zip = data / "exiobase3_ixi_small.zip";
const fs::path pxp = data / "exiobase3_pxp_small";

// A copy of `fixture` in `dest` with `file`'s line `line` (1-based) passed through `edit`.
void copy_with(const fs::path& fixture, const fs::path& dest, const std::string& file, int line,
               const std::function<std::string(std::string)>& edit) {
    fs::copy(fixture, dest, fs::copy_options::recursive);
    std::string text = read_text(dest / file);
    std::size_t at = 0;
    for (int k = 1; k < line; ++k) at = text.find('\n', at) + 1;
    const std::size_t end = text.find('\n', at);
    text.replace(at, end - at, edit(text.substr(at, end - at)));
    std::ofstream(dest / file, std::ios::binary) << text;
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
}

void check_same(const integra::models::full_mrio& a, const integra::models::full_mrio& b) {
    CHECK(a.table.regions == b.table.regions);
    CHECK(a.table.sectors == b.table.sectors);
    CHECK(a.table.unit == b.table.unit);
    CHECK(a.categories == b.categories);
    CHECK(a.table.intermediate == b.table.intermediate);
    CHECK(a.final_demand_by_category == b.final_demand_by_category);
    CHECK(a.table.gross_output == b.table.gross_output);
    CHECK(a.value_added_given == b.value_added_given);
    REQUIRE(a.extensions.size() == b.extensions.size());
    for (std::size_t e = 0; e < a.extensions.size(); ++e) {
        CHECK(a.extensions[e].name == b.extensions[e].name);
        CHECK(a.extensions[e].accounts.stressors == b.extensions[e].accounts.stressors);
        CHECK(a.extensions[e].accounts.units == b.extensions[e].accounts.units);
        CHECK(a.extensions[e].accounts.production == b.extensions[e].accounts.production);
        CHECK(a.extensions[e].accounts.final_demand == b.extensions[e].accounts.final_demand);
    }
}

}  // namespace

TEST_CASE("EXIOBASE 3 ixi from A and x gives back the fixture's table", "[exiobase]") {
    const auto imported = read_exiobase3(ixi);
    const auto& m = imported.mrio;
    const auto& t = m.table;
    const auto reference = integra::sim::read_pymrio_folder(data / "pymrio_3x2").mrio.table;  // the same numbers
    CHECK(t.regions == std::vector<std::string>{"AT", "DE", "WA"});
    CHECK(t.sectors == std::vector<std::string>{"Cultivation of wheat", "Manufacture of motor vehicles, trailers and semi-trailers (34)"});
    CHECK(t.unit == "M.EUR");
    REQUIRE(m.categories.size() == 7);
    CHECK(m.categories[6] == "Exports: Total (fob)");
    // Z = A diag(x) reproduces Z to rounding.
    CHECK_THAT((t.intermediate - reference.intermediate).cwiseAbs().maxCoeff(), WithinAbs(0.0, 1e-12));
    CHECK((t.final_demand - reference.final_demand).cwiseAbs().maxCoeff() == 0.0);
    CHECK((t.gross_output - reference.gross_output).cwiseAbs().maxCoeff() == 0.0);
    CHECK(m.final_demand_by_category(3, 7 + 3) == 12.0);  // DE/motor vehicles -> DE capital formation
    CHECK_THAT(imported.source, Contains("EXIOBASE 3 3.8.2 ixi folder"));
    CHECK_THAT(imported.source, Contains("Z = A diag(x)"));
    // Value added as given: the eight factor-input rows at basic prices; taxes less subsidies
    // on products purchased are the balancing gap, with 0.5 more in WA/motor vehicles.
    REQUIRE(m.has_given_value_added());
    CHECK_THAT(m.value_added_source, Contains("extension Satellite Accounts: 8 factor-input row(s)"));
    const Eigen::VectorXd gap = integra::models::balancing_gap(m);
    const auto& satellite = m.extensions[1].accounts;
    const auto taxes = std::find(satellite.stressors.begin(), satellite.stressors.end(),
                                 "Taxes less subsidies on products purchased: Total");
    REQUIRE(taxes != satellite.stressors.end());
    const Eigen::VectorXd product_taxes =
        satellite.production.row(static_cast<Eigen::Index>(taxes - satellite.stressors.begin())).transpose();
    for (Eigen::Index j = 0; j < 5; ++j) CHECK_THAT(gap(j), WithinAbs(product_taxes(j), 1e-12));
    CHECK_THAT(gap(5), WithinAbs(product_taxes(5) + 0.5, 1e-12));
    CHECK_THAT(m.value_added_given(0), WithinAbs(74.0 - 18.0 - 2.8, 1e-12));
    // Extensions with their units; F_Y summed over categories.
    REQUIRE(m.extensions.size() == 2);
    CHECK(m.extensions[0].name == "Impacts");
    CHECK(m.extensions[1].name == "Satellite Accounts");
    const auto& sat = m.extensions[1].accounts;
    REQUIRE(sat.n_stressors() == 11);
    CHECK(sat.stressors[10] == "CO2 - combustion - air");
    CHECK(sat.units[10] == "kg");
    CHECK(sat.units[9] == "1000 p.");
    CHECK(sat.units[0] == "M.EUR");
    CHECK(sat.production(10, 5) == 41e6);
    CHECK(sat.final_demand(10, 1) == 4.5e6);
    CHECK(m.extensions[0].accounts.units[1] == "kg CO2 eq.");
    CHECK(imported.warnings.empty());
}

TEST_CASE("the EXIOBASE 3 zip archive and its unpacked folder give identical tables", "[exiobase]") {
    const auto zipped = read_exiobase3(ixi_zip);
    const auto unpacked = read_exiobase3(ixi);
    check_same(zipped.mrio, unpacked.mrio);
    CHECK_THAT(zipped.source, Contains("zip archive"));
    CHECK_THAT(zipped.source, Contains("exiobase3_ixi_small.zip:IOT_2022_ixi/"));
    // A folder holding the unpacked top folder is accepted too.
    integra::testing::temp_folder tmp;
    fs::copy(ixi, tmp.path() / "IOT_2022_ixi", fs::copy_options::recursive);
    check_same(read_exiobase3(tmp.path()).mrio, unpacked.mrio);
}

TEST_CASE("EXIOBASE 3 pxp with Z.txt and F_hh.txt gives the same numbers with product labels", "[exiobase]") {
    const auto p = read_exiobase3(pxp).mrio;
    const auto i = read_exiobase3(ixi).mrio;
    CHECK(p.table.sectors == std::vector<std::string>{"Wheat", "Motor vehicles, trailers and semi-trailers (34)"});
    const auto reference = integra::sim::read_pymrio_folder(data / "pymrio_3x2").mrio.table;
    CHECK(p.table.intermediate == reference.intermediate);  // Z.txt read as given
    CHECK(p.final_demand_by_category == i.final_demand_by_category);
    REQUIRE(p.extensions.size() == 2);
    CHECK(p.extensions[1].accounts.final_demand == i.extensions[1].accounts.final_demand);  // F_hh.txt as F_Y
    CHECK(p.extensions[1].accounts.production == i.extensions[1].accounts.production);      // no index-name row
    CHECK(p.value_added_given == i.value_added_given);
}

TEST_CASE("bad EXIOBASE input is refused naming file, line and value", "[exiobase]") {
    integra::testing::temp_folder tmp;
    const fs::path m = tmp.path() / "m";
    SECTION("a missing file") {
        fs::copy(ixi, m, fs::copy_options::recursive);
        fs::remove(m / "Y.txt");
        CHECK_THAT(message_of([&] { (void)read_exiobase3(m); }), Contains((m / "Y.txt").string() + ": missing"));
    }
    SECTION("negative gross output") {
        copy_with(ixi, m, "x.txt", 2, [](std::string l) { return replaced(l, "\t74", "\t-74"); });
        CHECK_THAT(message_of([&] { (void)read_exiobase3(m); }),
                   Contains("x.txt:2: negative gross output -74 M.EUR of AT/Cultivation of wheat"));
    }
    SECTION("labels that differ between files") {
        copy_with(ixi, m, "satellite/F.txt", 1, [](std::string l) { return replaced(l, "\tWA\tWA", "\tWA\tWB"); });
        const std::string what = message_of([&] { (void)read_exiobase3(m); });
        CHECK_THAT(what, Contains("satellite/F.txt:1: column 6 is (WB, Manufacture of motor vehicles"));
        CHECK_THAT(what, Contains("A.txt has (WA, Manufacture of motor vehicles"));
    }
    SECTION("a malformed number in A") {
        copy_with(ixi, m, "A.txt", 4, [](std::string l) { return replaced(l, "Cultivation of wheat\t", "Cultivation of wheat\tx"); });
        CHECK_THAT(message_of([&] { (void)read_exiobase3(m); }),
                   Contains("A.txt:4: row (AT, Cultivation of wheat), column (AT, Cultivation of wheat): malformed number 'x0.13513513513513514'"));
    }
    SECTION("a factor input not in the table's currency") {
        copy_with(ixi, m, "satellite/unit.txt", 3, [](std::string l) { return replaced(l, "M.EUR", "M.USD"); });
        CHECK_THAT(message_of([&] { (void)read_exiobase3(m); }),
                   Contains("satellite/F.txt:5: factor input 'Other net taxes on production' is in 'M.USD'; value added must be in "
                            "the table's currency 'M.EUR'"));
    }
    SECTION("A without x.txt: x = (I - A)^-1 Y 1 gives the same table") {
        fs::copy(ixi, m, fs::copy_options::recursive);
        std::string params = read_text(m / "file_parameters.json");
        params = replaced(params, "\"x\"", "\"x_not_listed\"");
        std::ofstream(m / "file_parameters.json", std::ios::binary) << params;
        const auto imported = read_exiobase3(m);
        const auto reference = read_exiobase3(ixi).mrio.table;
        CHECK_THAT(imported.source, Contains("x = (I - A)^-1 Y 1"));
        CHECK_THAT((imported.mrio.table.intermediate - reference.intermediate).cwiseAbs().maxCoeff(), WithinAbs(0.0, 1e-10));
        CHECK_THAT((imported.mrio.table.gross_output - reference.gross_output).cwiseAbs().maxCoeff(), WithinAbs(0.0, 1e-10));
    }
    SECTION("a truncated zip archive") {
        const std::string bytes = read_text(ixi_zip);
        const auto cut = tmp.write("IOT_2022_ixi.zip", bytes.substr(0, bytes.size() - 30));
        CHECK_THAT(message_of([&] { (void)read_exiobase3(cut); }),
                   Contains("IOT_2022_ixi.zip: no end-of-central-directory record"));
    }
    SECTION("neither a folder nor a zip archive") {
        const auto file = tmp.write("table.txt", "hello\n");
        CHECK_THAT(message_of([&] { (void)read_exiobase3(file); }), Contains("table.txt: neither a folder nor a zip archive"));
    }
}
