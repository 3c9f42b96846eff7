// Writing datasets: lossless round trips, sorted rows, refusal of invalid economies, and
// atomic replacement (nothing half-written, an existing folder untouched on failure).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "core/errors.hpp"
#include "sim/data/dataset.hpp"
#include "sim/data/dataset_writer.hpp"
#include "temp_folder.hpp"

using Catch::Matchers::Contains;
namespace fs = std::filesystem;
using integra::sim::write_dataset;
using integra::sim::write_mode;

namespace {

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> lines_of(const fs::path& p) {
    std::vector<std::string> out;
    std::ifstream in(p);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// Exact equality of every field: the writer promises a lossless round trip.
void require_identical(const integra::models::economy& a, const integra::models::economy& b) {
    CHECK(a.name == b.name);
    CHECK(a.base_year == b.base_year);
    CHECK(a.unit == b.unit);
    CHECK(a.regions == b.regions);
    CHECK(a.sectors == b.sectors);
    CHECK(a.region_names == b.region_names);
    CHECK(a.sector_names == b.sector_names);
    CHECK(a.tradable == b.tradable);
    CHECK(a.trade_elasticity == b.trade_elasticity);
    CHECK(a.gross_output == b.gross_output);
    CHECK(a.value_added == b.value_added);
    CHECK(a.final_demand_share == b.final_demand_share);
    CHECK(a.deficit == b.deficit);
    REQUIRE(a.io_coefficients.size() == b.io_coefficients.size());
    for (std::size_t r = 0; r < a.io_coefficients.size(); ++r) CHECK(a.io_coefficients[r] == b.io_coefficients[r]);
    REQUIRE(a.trade.size() == b.trade.size());
    for (std::size_t s = 0; s < a.trade.size(); ++s) {
        CHECK(a.trade[s] == b.trade[s]);
        CHECK(a.tariffs[s] == b.tariffs[s]);
    }
}

std::size_t siblings(const fs::path& dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}));
}

}  // namespace

TEST_CASE("writer: demo3x2 and celac38 round-trip exactly", "[sim][writer]") {
    const std::string name = GENERATE(std::string("demo3x2"), std::string("celac38"));
    const auto original = integra::sim::load_dataset(std::string(INTEGRA_SOURCE_DATA_DIR "/") + name);
    integra::testing::temp_folder dir;
    integra::sim::dataset_metadata meta;
    meta.title = original.title;
    meta.builder = "test";
    meta.sources = original.sources;
    write_dataset(original.economy, meta, dir.path() / name);
    const auto copy = integra::sim::load_dataset((dir.path() / name).string());
    require_identical(original.economy, copy.economy);
    CHECK(copy.title == original.title);
    CHECK(copy.sources.size() == original.sources.size());
    CHECK(siblings(dir.path()) == 1);  // no temporary folder left beside it
}

TEST_CASE("writer: full-precision values round-trip exactly", "[sim][writer]") {
    // The embedded datasets hold 9 significant digits; scaling every flow by 1/3 gives
    // values that need all 17 (the identities are homogeneous, so the economy stays valid).
    auto e = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2").economy;
    const double third = 1.0 / 3.0;
    e.gross_output *= third;
    e.value_added *= third;
    e.deficit *= third;
    for (auto& t : e.trade) t *= third;
    e.trade_elasticity *= third;
    integra::testing::temp_folder dir;
    write_dataset(e, {}, dir.path() / "thirds");
    require_identical(e, integra::sim::load_dataset((dir.path() / "thirds").string()).economy);
}

TEST_CASE("writer: rows are sorted by their keys and zero trade rows are omitted", "[sim][writer]") {
    const auto demo = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2");
    integra::testing::temp_folder dir;
    write_dataset(demo.economy, {}, dir.path() / "demo");
    const auto trade = lines_of(dir.path() / "demo" / "trade.csv");
    REQUIRE(trade.size() == 13);  // header + 12 non-zero flows of the demo (services is not traded)
    CHECK(trade[0] == "exporter,importer,sector,value");
    CHECK(trade[1] == "east,east,goods,250");
    CHECK(std::is_sorted(trade.begin() + 1, trade.end()));
    const auto tariffs = lines_of(dir.path() / "demo" / "tariffs.csv");
    CHECK(tariffs.size() == 7);
    CHECK(tariffs[1] == "east,north,goods,0.05");
    CHECK(std::is_sorted(tariffs.begin() + 1, tariffs.end()));
    // regions.csv keeps model order: it defines the indices
    CHECK(lines_of(dir.path() / "demo" / "regions.csv")[1].starts_with("north,"));
    const std::string manifest = read_text(dir.path() / "demo" / "manifest.toml");
    CHECK_THAT(manifest, Contains("name = \"demo3x2\"") && Contains("format_version = 1") && Contains("deficits = \"deficits.csv\""));
}

TEST_CASE("writer: numbers are written in their shortest exact form", "[sim][writer]") {
    using integra::sim::format_number;
    CHECK(format_number(0.0) == "0");
    CHECK(format_number(-0.0) == "0");
    CHECK(format_number(1234.5) == "1234.5");
    CHECK(format_number(0.08) == "0.08");
    for (double v : {1.0 / 3.0, 2.0 / 3.0 * 1e-300, std::numeric_limits<double>::denorm_min(),
                     std::numeric_limits<double>::max(), -123456.789e12, 0.1 + 0.2}) {
        const std::string text = format_number(v);
        CHECK(std::strtod(text.c_str(), nullptr) == v);
        CHECK(text.size() <= 24);
    }
}

TEST_CASE("writer: an invalid economy is refused with every problem, nothing written", "[sim][writer]") {
    auto e = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2").economy;
    e.gross_output(0, 0) += 10.0;  // output no longer equals sales
    e.final_demand_share(2, 1) = -0.5;
    integra::testing::temp_folder dir;
    try {
        write_dataset(e, {}, dir.path() / "bad");
        FAIL("expected inconsistent_input");
    } catch (const integra::inconsistent_input& err) {
        const std::string text = err.what();
        CHECK_THAT(text, Contains("gross_output[north/goods]: output 410 but sales 400 (difference -10)"));
        CHECK_THAT(text, Contains("final_demand_share[east]: shares must be finite and >= 0"));
    }
    CHECK(siblings(dir.path()) == 0);
}

TEST_CASE("writer: an existing folder is kept unless replaced, and replaced atomically", "[sim][writer]") {
    const auto demo = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2").economy;
    integra::testing::temp_folder dir;
    const fs::path target = dir.path() / "out";
    write_dataset(demo, {}, target);
    const std::string before = read_text(target / "gross_output.csv");

    auto changed = demo;
    changed.base_year = 2030;
    CHECK_THROWS_WITH(write_dataset(changed, {}, target), Contains("out: already exists; not overwritten (use --force"));
    CHECK(read_text(target / "manifest.toml").find("base_year = 2023") != std::string::npos);

    write_dataset(changed, {}, target, write_mode::replace);
    CHECK(read_text(target / "manifest.toml").find("base_year = 2030") != std::string::npos);
    CHECK(read_text(target / "gross_output.csv") == before);
    CHECK(siblings(dir.path()) == 1);

    // A folder that is not a dataset is never replaced.
    const fs::path other = dir.path() / "notes";
    dir.write("notes/todo.txt", "keep me");
    CHECK_THROWS_AS(write_dataset(demo, {}, other, write_mode::replace), integra::invalid_input);
    CHECK(read_text(other / "todo.txt") == "keep me");
}

TEST_CASE("writer: a failure while writing leaves no folder and keeps the old one", "[sim][writer]") {
    const auto demo = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2").economy;
    integra::testing::temp_folder dir;
    integra::sim::dataset_metadata broken;
    // An informative file in a folder that does not exist: fails after the data files are written.
    broken.extra_files.push_back({"extra", "missing_subfolder/extra.csv", {"a"}, {{"1"}}});
    CHECK_THROWS_AS(write_dataset(demo, broken, dir.path() / "new"), integra::io_error);
    CHECK(siblings(dir.path()) == 0);

    write_dataset(demo, {}, dir.path() / "old");
    const std::string before = read_text(dir.path() / "old" / "manifest.toml");
    CHECK_THROWS_AS(write_dataset(demo, broken, dir.path() / "old", write_mode::replace), integra::io_error);
    CHECK(read_text(dir.path() / "old" / "manifest.toml") == before);
    CHECK(siblings(dir.path()) == 1);
}
