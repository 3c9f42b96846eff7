// OECD ICIO reader with origin detail (sim/data/import_icio_full.hpp): the three label
// conventions of tests/data/mrio/icio_small/ (written by make_icio_wiod_fixtures.py from one
// known table, Mexico split in MX1 and MX2) read back to the known table to 1e-12, and bad
// input named with file:line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>

#include "core/errors.hpp"
#include "sim/data/csv_table.hpp"
#include "sim/data/import_icio.hpp"
#include "sim/data/import_icio_full.hpp"
#include "temp_folder.hpp"
#include "tests/unit/sim/file_test_support.hpp"

using Catch::Matchers::Contains;
namespace fs = std::filesystem;
using integra::testing::temp_folder;
using integra::sim::read_icio_full;

namespace {

using integra::testing::max_abs_diff;
using integra::testing::message_of;
using integra::testing::read_text;

const fs::path icio_dir = INTEGRA_TEST_DIR "/data/mrio/icio_small";

// The 2021-edition fixture with `from` replaced by `to` (exactly once), written to `dir`.
fs::path edited(const temp_folder& dir, const std::string& from, const std::string& to) {
    return integra::testing::edited_copy(dir, icio_dir / "ICIO2021_2019.csv", from, to);
}

}  // namespace

TEST_CASE("an ICIO file is read with every origin row, equal to the known table", "[icio_full]") {
    const auto known = integra::sim::read_long_mrio(icio_dir / "known", "USD million").mrio;
    const auto va = integra::sim::csv_table::read(icio_dir / "known" / "value_added.csv", {"region", "sector", "TLS", "VA"});
    struct edition { const char* file; std::vector<std::string> sectors; };
    for (const auto& e : {edition{"ICIO2021_2019.csv", {"D01T03", "D10T33"}}, edition{"2019_SML.csv", {"01T03", "10T33"}},
                          edition{"2022_SML.csv", {"A01_03", "C10_33"}}}) {
        INFO(e.file);
        const auto imported = read_icio_full(icio_dir / e.file);
        const auto& m = imported.mrio;
        CHECK(imported.warnings.empty());
        CHECK(m.table.regions == std::vector<std::string>{"ARG", "USA", "MEX"});  // MX1, MX2 merged into MEX
        CHECK(m.table.sectors == e.sectors);
        CHECK(m.table.unit == "USD million");
        CHECK(m.categories == std::vector<std::string>{"HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"});
        CHECK(max_abs_diff(m.table.intermediate, known.table.intermediate) <= 1e-12);
        CHECK(max_abs_diff(m.final_demand_by_category, known.final_demand_by_category) <= 1e-12);
        CHECK(max_abs_diff(m.table.gross_output, known.table.gross_output) <= 1e-12);
        CHECK(m.final_demand_by_category.minCoeff() < 0);  // INVNT draw-downs kept as given
        // Value added as given = TLS + VA, components in factor_inputs; no gap in ICIO.
        REQUIRE(m.extensions.size() == 1);
        const auto& f = m.extensions[0];
        CHECK(f.name == "factor_inputs");
        CHECK(f.accounts.stressors == std::vector<std::string>{"TLS", "VA"});
        CHECK(f.accounts.units == std::vector<std::string>{"USD million", "USD million"});
        for (std::size_t j = 0; j < va.n_rows(); ++j) {
            integra::issues none;
            const auto jj = static_cast<Eigen::Index>(j);
            CHECK(std::abs(f.accounts.production(0, jj) - va.number(j, 2, none)) <= 1e-12);
            CHECK(std::abs(f.accounts.production(1, jj) - va.number(j, 3, none)) <= 1e-12);
            // Value added at basic prices is the VA row; TLS is the balancing gap.
            CHECK(std::abs(m.value_added_given(jj) - va.number(j, 3, none)) <= 1e-12);
            CHECK(std::abs(integra::models::balancing_gap(m)(jj) - va.number(j, 2, none)) <= 1e-12);
        }
        CHECK(f.accounts.final_demand.row(0).isApproxToConstant(1.5));  // TLS on final products, by region
        CHECK_THAT(imported.source, Contains(e.file));
    }
}

TEST_CASE("ICIO bad input names file:line, label and value", "[icio_full]") {
    temp_folder dir;
    SECTION("negative intermediate flow") {
        const auto f = edited(dir, "ARG_D01T03,1,6,", "ARG_D01T03,-1,6,");
        CHECK_THROWS_AS(read_icio_full(f), integra::invalid_input);
        CHECK_THAT(message_of([&] { (void)read_icio_full(f); }),
                   Contains("ICIO2021_2019.csv:2: row ARG_D01T03, column ARG_D01T03: negative intermediate flow -1 USD million"));
    }
    SECTION("negative gross output") {
        const auto f = edited(dir, "OUT,73.75,", "OUT,-73.75,");
        CHECK_THROWS_AS(read_icio_full(f), integra::invalid_input);
        CHECK_THAT(message_of([&] { (void)read_icio_full(f); }),
                   Contains("ICIO2021_2019.csv:12: row OUT, column ARG_D01T03: negative gross output -73.75 USD million"));
    }
    SECTION("OUT inconsistent with the row sums and the column totals") {
        const auto f = edited(dir, "OUT,73.75,83.75,", "OUT,73.75,84.75,");
        CHECK_THROWS_AS(read_icio_full(f), integra::inconsistent_input);
        const auto what = message_of([&] { (void)read_icio_full(f); });
        CHECK_THAT(what, Contains("ICIO2021_2019.csv:3: row ARG_D10T33: intermediate and final sales sum to 83.75 but gross "
                                  "output (row OUT, line 12) is 84.75"));
        CHECK_THAT(what, Contains("ICIO2021_2019.csv:12: row OUT, column ARG_D10T33: gross output 84.75 USD million but "
                                  "intermediate inputs + TLS + VA sum to 83.75"));
        CHECK_THAT(what, Contains("ICIO2021_2019.csv:3: row ARG_D10T33, column OUT: gross output 83.75 differs from row OUT"));
    }
    SECTION("a wider tolerance accepts a small imbalance") {
        const auto f = edited(dir, "OUT,73.75,83.75,", "OUT,73.75,83.7501,");
        CHECK_THROWS_AS(read_icio_full(f), integra::inconsistent_input);
        integra::sim::table_file_options loose;
        loose.tolerance = 1e-5;
        CHECK(read_icio_full(f, loose).mrio.table.gross_output(1) == 83.7501);
    }
    SECTION("unknown row label") {
        const auto f = edited(dir, "\nUSA_D10T33,", "\nUSA_X,");
        CHECK_THAT(message_of([&] { (void)read_icio_full(f); }),
                   Contains("ICIO2021_2019.csv:5: unknown row label 'USA_X': expected <REGION>_<SECTOR> of a column, TLS, VA or OUT"));
        CHECK_THAT(message_of([&] { (void)read_icio_full(f); }), Contains("no row USA_D10T33"));
    }
    SECTION("a column missing") {
        const auto f = edited(dir, ",USA_D10T33,", ",USA_X_Y,");
        CHECK_THROWS_AS(read_icio_full(f), integra::invalid_input);
        CHECK_THAT(message_of([&] { (void)read_icio_full(f); }), Contains("ICIO2021_2019.csv:1: no column USA_D10T33"));
    }
    SECTION("a row VA missing") {
        std::string text = read_text(icio_dir / "ICIO2021_2019.csv");
        const auto at = text.find("\nVA,");
        text.erase(at + 1, text.find('\n', at + 1) - at);
        const auto f = dir.write("ICIO2021_2019.csv", text);
        CHECK_THAT(message_of([&] { (void)read_icio_full(f); }), Contains("no row VA"));
    }
    SECTION("malformed number") {
        const auto f = edited(dir, "ARG_D01T03,1,6,", "ARG_D01T03,1,six,");
        CHECK_THAT(message_of([&] { (void)read_icio_full(f); }),
                   Contains("ICIO2021_2019.csv:2: row ARG_D01T03, column ARG_D10T33: malformed number 'six'"));
    }
    SECTION("a row with too few fields") {
        const auto f = edited(dir, "ARG_D01T03,1,6,", "ARG_D01T03,1,");
        CHECK_THAT(message_of([&] { (void)read_icio_full(f); }), Contains("ICIO2021_2019.csv:2: 27 fields; expected 28"));
    }
}

TEST_CASE("the full ICIO table summed over origins gives the proportional economy's trade and output", "[icio_full]") {
    // The same file through both ICIO readers: import_icio (which folds origin away for the
    // trade equilibrium) and read_icio_full. tests/data/icio/small_icio_2019.csv has a column
    // whose inputs exceed its output (import_icio moves the excess to final demand of the same
    // region, which leaves trade and output unchanged) and negative INVNT entries.
    const fs::path file = INTEGRA_TEST_DIR "/data/icio/small_icio_2019.csv";
    const auto full = read_icio_full(file);
    const auto economy = integra::sim::import_icio(file, integra::sim::import_options{}).economy;
    const auto& t = full.mrio.table;
    REQUIRE(economy.regions == t.regions);
    REQUIRE(economy.n_sectors() == t.n_sectors());
    const auto R = static_cast<Eigen::Index>(t.n_regions()), S = static_cast<Eigen::Index>(t.n_sectors());
    const auto C = static_cast<Eigen::Index>(full.mrio.n_categories());
    // One warning: the negative value added (the VA row, -12; TLS 1 is the balancing gap) of
    // that column, accepted as given.
    REQUIRE(full.warnings.size() == 1);
    CHECK_THAT(full.warnings[0].message, Contains("negative value added -12 USD million"));
    // At the value-added row (VA on line 15), not at OUT (line 16).
    CHECK_THAT(full.warnings[0].where, Contains("small_icio_2019.csv:15: row VA, column "));
    // import_icio sets a negative net final demand of a pair to 0 (raising the producer's
    // output by as much); the full table keeps it: that is the only difference expected.
    std::size_t clamped = 0;
    for (Eigen::Index i = 0; i < R; ++i)
        for (Eigen::Index s = 0; s < S; ++s) {
            double raised = 0.0;
            for (Eigen::Index n = 0; n < R; ++n) {
                const double net = full.mrio.final_demand_by_category.row(i * S + s).segment(n * C, C).sum();
                raised += std::max(-net, 0.0);
                clamped += net < 0 ? 1 : 0;
                const double sales = t.intermediate.row(i * S + s).segment(n * S, S).sum() + std::max(net, 0.0);
                CHECK(std::abs(economy.trade[static_cast<std::size_t>(s)](i, n) - sales) <= 1e-12);
            }
            CHECK(std::abs(economy.gross_output(i, s) - (t.gross_output(i * S + s) + raised)) <= 1e-12);
        }
    CHECK(clamped == 1);  // ARG/D01T03 sold to USA (adjustments.csv of import_icio)
}
