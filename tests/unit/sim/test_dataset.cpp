// Loading datasets: the embedded demo, and bad data reported with file, line and label.
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/errors.hpp"
#include "sim/data/dataset.hpp"
#include "temp_folder.hpp"

using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// A copy of the demo dataset that a test may damage.
fs::path copy_of_demo(const integra::testing::temp_folder& dir) {
    const fs::path target = dir.path() / "demo";
    fs::copy(INTEGRA_SOURCE_DATA_DIR "/demo3x2", target, fs::copy_options::recursive);
    return target;
}

// A copy of the embedded celac38 dataset that a test may damage.
fs::path copy_of_celac38(const integra::testing::temp_folder& dir) {
    const fs::path target = dir.path() / "celac38";
    fs::copy(INTEGRA_SOURCE_DATA_DIR "/celac38", target, fs::copy_options::recursive);
    return target;
}

void replace_line(const fs::path& file, const std::string& from, const std::string& to) {
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    std::ofstream(file, std::ios::trunc) << text;
}

}  // namespace

TEST_CASE("the embedded demo dataset loads by path", "[sim][dataset]") {
    const auto d = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2");
    CHECK(d.economy.name == "demo3x2");
    CHECK(d.economy.base_year == 2023);
    CHECK(d.economy.regions == std::vector<std::string>{"north", "south", "east"});
    CHECK(d.economy.sectors == std::vector<std::string>{"goods", "services"});
    CHECK(d.economy.trade[0](0, 1) == 60.0);
    CHECK(d.economy.tariffs[0](0, 1) == Approx(0.08));  // south charges 8% on goods from north
    CHECK(d.checksum.starts_with("fnv1a64:"));
    CHECK(d.population.at("medium").rows() == 28);
}

TEST_CASE("an unknown label is reported with file and line", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_demo(dir);
    replace_line(folder / "trade.csv", "south,east,goods,30", "south,eest,goods,30");
    CHECK_THROWS_WITH(integra::sim::load_dataset(folder.string()),
                      Contains("trade.csv:") && Contains("column 'importer': unknown region 'eest'"));
}

TEST_CASE("a negative flow and an unbalanced table are reported with their size", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_demo(dir);
    replace_line(folder / "trade.csv", "north,south,goods,60", "north,south,goods,-60");
    try {
        (void)integra::sim::load_dataset(folder.string());
        FAIL("expected inconsistent_input");
    } catch (const integra::inconsistent_input& e) {
        const std::string text = e.what();
        CHECK_THAT(text, Contains("trade[north -> south, goods]: must be finite and >= 0, got -60"));
        CHECK_THAT(text, Contains("gross_output[north/goods]: output 400 but sales 280 (difference -120)"));
    }
}

TEST_CASE("a missing block and a malformed manifest are input errors", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_demo(dir);
    fs::remove(folder / "deficits.csv");
    CHECK_THROWS_WITH(integra::sim::load_dataset(folder.string()),
                      Contains("[files] deficits = 'deficits.csv': no such file"));
    replace_line(folder / "manifest.toml", "base_year = 2023", "base_year = ");
    CHECK_THROWS_WITH(integra::sim::load_dataset(folder.string()), Contains("manifest.toml:5:13: "));
}

TEST_CASE("an unknown dataset name lists the ones there are", "[sim][dataset]") {
    CHECK_THROWS_WITH(integra::sim::load_dataset("atlantis"),
                      Contains("dataset 'atlantis': not found in ") && Contains("demo3x2"));
}

TEST_CASE("celac38 carries a standard error for each trade elasticity", "[sim][dataset]") {
    const auto d = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/celac38");
    REQUIRE(d.trade_elasticity_se.size() == 4);
    CHECK((d.trade_elasticity_se.array() > 0.0).all());
    // sectors in model order: agriculture, mining_utilities, manufacturing, services (DATA.md A16)
    CHECK(d.trade_elasticity_se(0) == Approx(2.0083));      // CP Agriculture, 99% sample
    CHECK(d.trade_elasticity_se(1) == Approx(3.67071));     // CP Mining, 99% sample
    CHECK(d.trade_elasticity_se(2) == Approx(0.630269583)); // trade-weighted mean of 17 CP sectors
    CHECK(d.trade_elasticity_se(3) == Approx(2.23334658));  // assumption: 8.22 x median CV
    // a dataset without the optional file has none
    CHECK(integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2").trade_elasticity_se.size() == 0);
}

TEST_CASE("a broken trade_elasticities file is reported with file, line and value", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_celac38(dir);
    const auto file = folder / "trade_elasticities.csv";
    const auto load = [&] { (void)integra::sim::load_dataset(folder.string()); };
    SECTION("a duplicate sector, and the sector it displaced is missing") {
        replace_line(file, "mining_utilities,13.53,", "agriculture,13.53,");
        CHECK_THROWS_WITH(load(), Contains("trade_elasticities.csv:4: column 'sector': duplicate sector 'agriculture' (already given at ") &&
                                      Contains("trade_elasticities.csv:2), expected each sector exactly once") &&
                                      Contains("trade_elasticities.csv: no row for sector 'mining_utilities'"));
    }
    SECTION("an unknown sector") {
        replace_line(file, "services,8.22,", "servics,8.22,");
        CHECK_THROWS_WITH(load(), Contains("trade_elasticities.csv:5: column 'sector': unknown sector 'servics', expected one of "
                                           "the sectors of sectors.csv (agriculture, mining_utilities, manufacturing, services)") &&
                                      Contains("no row for sector 'services'"));
    }
    SECTION("a negative standard error") {
        replace_line(file, "services,8.22,2.23334658,", "services,8.22,-2.23334658,");
        CHECK_THROWS_WITH(load(), Contains("trade_elasticities.csv:5: column 'standard_error': standard error of services must be "
                                           "finite and >= 0, got '-2.23334658'"));
    }
    SECTION("a standard error that is not a finite number") {
        replace_line(file, "services,8.22,2.23334658,", "services,8.22,inf,");
        CHECK_THROWS_WITH(load(), Contains("trade_elasticities.csv:5: column 'standard_error': expected a finite number, got 'inf'"));
    }
    SECTION("an estimate that is not the sector's trade elasticity") {
        replace_line(file, "manufacturing,6.0205,", "manufacturing,6.5,");
        CHECK_THROWS_WITH(load(), Contains("trade_elasticities.csv:3: column 'estimate': estimate 6.5 of manufacturing differs from "
                                           "its trade_elasticity 6.0205 in sectors.csv"));
    }
}
