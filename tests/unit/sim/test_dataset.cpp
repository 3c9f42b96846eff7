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
