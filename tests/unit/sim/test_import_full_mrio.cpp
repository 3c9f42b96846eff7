// Full-MRIO readers (pymrio text folder, long CSV with an origin column): the hand-written
// 3 x 2 table of tests/data/mrio/, read through both layouts, its identities, given value
// added with its gap, negative value added as a warning, and bad input with file:line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>

#include "core/errors.hpp"
#include "models/mrio_accounting.hpp"
#include "models/satellite_accounts.hpp"
#include "sim/data/import_full_mrio.hpp"
#include "temp_folder.hpp"
#include "tests/unit/sim/file_test_support.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
namespace fs = std::filesystem;
using integra::sim::read_long_mrio;
using integra::sim::read_pymrio_folder;

namespace {

using integra::testing::max_abs_diff;
using integra::testing::message_of;
using integra::testing::read_text;

const fs::path pymrio_fixture = INTEGRA_TEST_DIR "/data/mrio/pymrio_3x2";
const fs::path long_fixture = INTEGRA_TEST_DIR "/data/mrio/long_3x2";

// A copy of the pymrio fixture in `dest`, with `file`'s text passed through `edit`.
void copy_with(const fs::path& dest, const std::string& file, const std::function<std::string(std::string)>& edit) {
    fs::copy(pymrio_fixture, dest, fs::copy_options::recursive);
    if (file.empty()) return;
    const std::string edited = edit(read_text(dest / file));  // read before the stream truncates the file
    std::ofstream(dest / file, std::ios::binary) << edited;
}

}  // namespace

TEST_CASE("a pymrio folder is read with origin detail, categories, units and extensions", "[mrio_import]") {
    const auto imported = read_pymrio_folder(pymrio_fixture);
    const auto& m = imported.mrio;
    const auto& t = m.table;
    CHECK(t.regions == std::vector<std::string>{"REG1", "REG2", "REG3"});
    CHECK(t.sectors == std::vector<std::string>{"food", "goods"});
    CHECK(t.unit == "M.EUR");
    REQUIRE(m.categories.size() == 2);
    CHECK(m.categories[0] == "Final consumption expenditure by households");
    CHECK(t.intermediate(2, 3) == 6.0);  // REG2/food -> REG2/goods
    CHECK(t.intermediate(4, 1) == 1.0);  // REG3/food -> REG1/goods
    CHECK(m.final_demand_by_category(3, 3) == 12.0);  // REG2/goods -> REG2 capital formation
    CHECK(t.final_demand(3, 1) == 37.0);              // summed over categories
    CHECK(t.gross_output(0) == 74.0);
    CHECK_FALSE(m.has_given_value_added());
    CHECK(imported.warnings.empty());
    CHECK_THAT(integra::models::balancing_gap(m).cwiseAbs().maxCoeff(), WithinAbs(0.0, 1e-12));
    REQUIRE(m.extensions.size() == 1);
    const auto& e = m.extensions[0].accounts;
    CHECK(m.extensions[0].name == "emissions");
    CHECK(e.stressors == std::vector<std::string>{"CO2", "CH4"});
    CHECK(e.units == std::vector<std::string>{"kt", "t"});
    CHECK(e.production(0, 5) == 41.0);
    CHECK(e.final_demand(0, 1) == 4.5);  // REG2, summed over categories
}

TEST_CASE("the long CSV layout gives the same table as the pymrio folder", "[mrio_import]") {
    const auto a = read_pymrio_folder(pymrio_fixture).mrio;
    const auto b = read_long_mrio(long_fixture, "M.EUR").mrio;
    CHECK(a.table.regions == b.table.regions);
    CHECK(a.table.sectors == b.table.sectors);
    CHECK(a.categories == b.categories);
    CHECK(a.table.intermediate == b.table.intermediate);
    CHECK(a.final_demand_by_category == b.final_demand_by_category);
    CHECK(a.table.gross_output == b.table.gross_output);
}

TEST_CASE("footprints of the imported table satisfy the accounting identities", "[mrio_import]") {
    const auto m = read_pymrio_folder(pymrio_fixture).mrio;
    const auto& t = m.table;
    const Eigen::MatrixXd l = integra::models::leontief_inverse(integra::models::technical_coefficients(t));
    const auto& s = m.extensions[0].accounts;
    const Eigen::MatrixXd pba = integra::models::production_based_accounts(s, t);
    const Eigen::MatrixXd cba = integra::models::consumption_based_accounts(s, t, l);
    for (Eigen::Index k = 0; k < pba.rows(); ++k)
        CHECK_THAT(pba.row(k).sum() - cba.row(k).sum(), WithinAbs(0.0, 1e-10 * pba.row(k).sum()));
    const Eigen::MatrixXd vax = integra::models::value_added_in_final_demand(t, l);
    CHECK_THAT(vax.sum() - t.value_added.sum(), WithinAbs(0.0, 1e-10 * t.value_added.sum()));
}

TEST_CASE("a factor_inputs extension is value added as given, with its gap reported", "[mrio_import]") {
    integra::testing::temp_folder tmp;
    const fs::path folder = tmp.path() / "m";
    copy_with(folder, "", {});
    // Value added 1 below the balancing item in every column, and negative in REG3/food.
    tmp.write("m/factor_inputs/F.txt", "region\tREG1\tREG1\tREG2\tREG2\tREG3\tREG3\nsector\tfood\tgoods\tfood\tgoods\tfood\tgoods\n"
                                       "stressor\t\t\t\t\t\t\nwages\t40\t30\t35\t40\t-2\t30\nprofits\t15\t13\t13\t10\t1\t13\n");
    tmp.write("m/factor_inputs/unit.txt", "stressor\tunit\nwages\tM.EUR\nprofits\tM.EUR\n");
    tmp.write("m/factor_inputs/file_parameters.json",
              R"({"files": {"F": {"name": "F.txt", "nr_index_col": "1", "nr_header": "2"},
                  "unit": {"name": "unit.txt", "nr_index_col": "1", "nr_header": "1"}},
                  "systemtype": "Extension", "name": "factor_inputs"})");
    const auto imported = read_pymrio_folder(folder);
    const auto& m = imported.mrio;
    REQUIRE(m.has_given_value_added());
    CHECK(m.value_added_given(0) == 55.0);
    const Eigen::VectorXd gap = integra::models::balancing_gap(m);
    CHECK_THAT(gap(0), WithinAbs(74.0 - 18.0 - 55.0, 1e-12));
    CHECK_THAT(gap(4), WithinAbs(59.0 - 16.0 - (-1.0), 1e-12));
    REQUIRE(imported.warnings.size() == 1);
    CHECK_THAT(imported.warnings[0].where, Contains("REG3/food"));
    CHECK_THAT(imported.warnings[0].message, Contains("negative value added -1 M.EUR"));
    CHECK(m.extensions.size() == 2);
}

TEST_CASE("bad pymrio input is refused naming file, line and value", "[mrio_import]") {
    integra::testing::temp_folder tmp;
    const fs::path folder = tmp.path() / "m";
    auto edit_line = [](int line, std::string from, std::string to) {
        return [=](std::string text) {
            std::size_t at = 0;
            for (int k = 1; k < line; ++k) at = text.find('\n', at) + 1;
            const auto hit = text.find(from, at);
            return text.replace(hit, from.size(), to);
        };
    };
    SECTION("a negative intermediate flow") {
        copy_with(folder, "Z.txt", edit_line(5, "\t4\t", "\t-4\t"));
        const auto what = message_of([&] { (void)read_pymrio_folder(folder); });
        CHECK_THAT(what, Contains("Z.txt:5: row (REG1, goods), column (REG1, food): negative intermediate flow -4"));
        CHECK_THROWS_AS(read_pymrio_folder(folder), integra::invalid_input);
    }
    SECTION("a malformed number") {
        copy_with(folder, "Y.txt", edit_line(6, "\t5\t", "\t5,5\t"));
        CHECK_THAT(message_of([&] { (void)read_pymrio_folder(folder); }),
                   Contains("Y.txt:6: row (REG2, food), column (REG1, Final consumption expenditure by households): malformed number '5,5'"));
    }
    SECTION("a negative gross output") {
        copy_with(folder, "x.txt", edit_line(2, "74", "-74"));
        CHECK_THAT(message_of([&] { (void)read_pymrio_folder(folder); }), Contains("x.txt:2: negative gross output -74 M.EUR of REG1/food"));
    }
    SECTION("labels that differ between files") {
        copy_with(folder, "emissions/F.txt", edit_line(2, "goods\tfood\tgoods\tfood", "goods\tfood\tgods\tfood"));
        const auto what = message_of([&] { (void)read_pymrio_folder(folder); });
        CHECK_THAT(what, Contains("emissions/F.txt:2: column 4 is (REG2, gods); "));
        CHECK_THROWS_AS(read_pymrio_folder(folder), integra::inconsistent_input);
    }
    SECTION("labels that differ, after a blank line: the header's real line") {
        copy_with(folder, "emissions/F.txt", [&](std::string text) {
            return "\n" + edit_line(2, "goods\tfood\tgoods\tfood", "goods\tfood\tgods\tfood")(text);
        });
        CHECK_THAT(message_of([&] { (void)read_pymrio_folder(folder); }), Contains("emissions/F.txt:3: column 4 is (REG2, gods); "));
    }
    SECTION("regions not contiguous: at the row that breaks the grid") {
        copy_with(folder, "Z.txt", edit_line(8, "REG3\tfood", "REG1\tfood"));
        CHECK_THAT(message_of([&] { (void)read_pymrio_folder(folder); }),
                   Contains("Z.txt:8: regions are not contiguous: 'REG1' appears again after other regions"));
    }
    SECTION("the regions of Y differ from Z's: Y's header line and the region") {
        copy_with(folder, "Y.txt", [&](std::string text) { return "\n" + edit_line(1, "REG3\tREG3", "REGX\tREGX")(text); });
        const auto what = message_of([&] { (void)read_pymrio_folder(folder); });
        CHECK_THAT(what, Contains("Y.txt:2: the regions of the columns (3) differ from the rows of "));
        CHECK_THAT(what, Contains("Z.txt (3): region 3 is 'REGX' where "));
    }
    SECTION("a stressor without units") {
        copy_with(folder, "emissions/unit.txt", edit_line(3, "CH4\tt", "CH4\t"));
        CHECK_THAT(message_of([&] { (void)read_pymrio_folder(folder); }),
                   Contains("emissions/F.txt:5: stressor 'CH4' has no unit in "));
    }
}

TEST_CASE("bad long CSV input is refused naming file, line and value", "[mrio_import]") {
    integra::testing::temp_folder tmp;
    fs::copy(long_fixture, tmp.path() / "l");
    const auto z = tmp.path() / "l" / "intermediate.csv";
    std::string text = read_text(z);
    SECTION("negative flow") {
        text.replace(text.find("REG2,food,REG2,goods,6"), 22, "REG2,food,REG2,goods,-6");
        std::ofstream(z, std::ios::binary) << text;
        CHECK_THAT(message_of([&] { (void)read_long_mrio(tmp.path() / "l", "M.EUR"); }),
                   Contains("intermediate.csv:15: column 'value': negative intermediate flow -6 from REG2/food to REG2/goods"));
    }
    SECTION("a cell given twice") {
        text += "REG1,food,REG1,food,3\n";
        std::ofstream(z, std::ios::binary) << text;
        CHECK_THROWS_AS(read_long_mrio(tmp.path() / "l", "M.EUR"), integra::inconsistent_input);
    }
}
