// Loading datasets: the embedded demo, and bad data reported with file, line and label.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "core/errors.hpp"
#include "sim/data/dataset.hpp"
#include "sim/data/import_long_csv.hpp"
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

void write_text(const fs::path& file, const std::string& text) { std::ofstream(file, std::ios::trunc | std::ios::binary) << text; }

void append_text(const fs::path& file, const std::string& text) { std::ofstream(file, std::ios::app | std::ios::binary) << text; }

// The message of the invalid_input that loading `folder` throws ("" if it loads).
std::string load_error(const fs::path& folder) {
    try {
        (void)integra::sim::load_dataset(folder.string());
    } catch (const integra::invalid_input& e) {
        return e.what();
    }
    return "";
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
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

TEST_CASE("a negative flow is an input error at its line; an unbalanced table is reported with its size", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_demo(dir);
    replace_line(folder / "trade.csv", "north,south,goods,60", "north,south,goods,-60");
    CHECK_THROWS_AS(integra::sim::load_dataset(folder.string()), integra::invalid_input);
    CHECK_THROWS_WITH(integra::sim::load_dataset(folder.string()),
                      Contains("trade.csv:9: column 'value': trade flow must be finite and >= 0, got '-60'"));
    replace_line(folder / "trade.csv", "north,south,goods,-60", "north,south,goods,30");
    try {
        (void)integra::sim::load_dataset(folder.string());
        FAIL("expected inconsistent_input");
    } catch (const integra::inconsistent_input& e) {
        CHECK_THAT(std::string(e.what()), Contains("gross_output[north/goods]: output 400 but sales 370 (difference -30)"));
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

TEST_CASE("a repeated region or sector label is reported at its line, alone", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_demo(dir);
    SECTION("in the middle of regions.csv (was a heap-buffer-overflow)") {
        write_text(folder / "regions.csv", "region,name\nnorth,Northland\nsouth,Southland\nnorth,Again\neast,Eastland\n");
        const auto text = load_error(folder);
        CHECK_THAT(text, Contains("regions.csv:4: column 'region': duplicate label 'north' (first at line 2); expected each region once"));
        CHECK_THAT(text, Contains(": 1 problem(s)"));
    }
    SECTION("at the end of regions.csv (was 'missing population for ...')") {
        write_text(folder / "regions.csv", "region,name\nnorth,Northland\nsouth,Southland\neast,Eastland\neast,Again\n");
        CHECK_THAT(load_error(folder), Contains("regions.csv:5: column 'region': duplicate label 'east'") && !Contains("population"));
    }
    SECTION("in sectors.csv") {
        write_text(folder / "sectors.csv", "sector,name,tradable,trade_elasticity\ngoods,Goods,1,5\ngoods,Again,1,5\nservices,S,0,8.22\n");
        CHECK_THAT(load_error(folder), Contains("sectors.csv:3: column 'sector': duplicate label 'goods'"));
    }
}

TEST_CASE("a header-only regions.csv is one problem, not one per cell of every file", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_demo(dir);
    write_text(folder / "regions.csv", "region,name\n");
    const auto text = load_error(folder);
    CHECK_THAT(text, Contains(": 1 problem(s)") && Contains("regions.csv: no regions (a header and no rows); expected at least one region"));
    CHECK(count_of(text, "\n  ") == 1);
}

TEST_CASE("problems are listed at most 20 per file, then how many more", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_demo(dir);
    std::string rows = "exporter,importer,sector,value\n";
    for (int k = 0; k < 100; ++k) rows += "r" + std::to_string(k) + ",south,goods,x\n";  // two problems a row
    write_text(folder / "trade.csv", rows);
    const auto text = load_error(folder);
    CHECK(count_of(text, "trade.csv:") == 21);
    CHECK_THAT(text, Contains("trade.csv: and 180 more problem(s) in this file (the first 20 are shown)"));
}

TEST_CASE("manifest paths stay inside the dataset folder and name regular files", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_demo(dir);
    const auto manifest = folder / "manifest.toml";
    SECTION("a .. escape; the other file's content is not shown") {
        replace_line(manifest, "trade = \"trade.csv\"", "trade = \"../../../../../../../../etc/passwd\"");
        const auto text = load_error(folder);
        CHECK_THAT(text, Contains("manifest.toml:16:9: [files] trade = '../../../../../../../../etc/passwd': leads outside the dataset folder"));
        CHECK_THAT(text, !Contains("root"));
    }
    SECTION("an absolute path in [tariff_tables]") {
        append_text(manifest, "\n[tariff_tables]\nx = \"/etc/shadow\"\n");
        CHECK_THAT(load_error(folder), Contains("[tariff_tables] x = '/etc/shadow': an absolute path; expected a file name relative to the dataset folder"));
    }
    SECTION("/dev/zero is refused before anything is read") {
        replace_line(manifest, "deficits = \"deficits.csv\"", "deficits = \"/dev/zero\"");
        CHECK_THAT(load_error(folder), Contains("[files] deficits = '/dev/zero': an absolute path"));
    }
    SECTION("a symbolic link to a file outside the folder") {
        fs::remove(folder / "trade.csv");
        fs::create_symlink("/etc/passwd", folder / "trade.csv");
        CHECK_THAT(load_error(folder), Contains("[files] trade = 'trade.csv': leads outside the dataset folder"));
    }
    SECTION("a FIFO, refused without blocking") {
        fs::remove(folder / "deficits.csv");
        REQUIRE(::mkfifo((folder / "deficits.csv").c_str(), 0600) == 0);
        CHECK_THAT(load_error(folder), Contains("[files] deficits = 'deficits.csv': is not a regular file"));
    }
    SECTION("a directory") {
        fs::create_directory(folder / "sub");
        replace_line(manifest, "deficits = \"deficits.csv\"", "deficits = \"sub\"");
        CHECK_THAT(load_error(folder), Contains("[files] deficits = 'sub': is a directory, expected a regular file"));
    }
    SECTION("a path inside the folder through .. is fine") {
        fs::create_directory(folder / "sub");
        replace_line(manifest, "deficits = \"deficits.csv\"", "deficits = \"sub/../deficits.csv\"");
        CHECK(load_error(folder).empty());
    }
    SECTION("a value that is not a string") {
        replace_line(manifest, "deficits = \"deficits.csv\"", "deficits = 42");
        CHECK_THAT(load_error(folder), Contains("[files] deficits: expected a file name (a non-empty string)"));
    }
}

TEST_CASE("the manifest's base_year is a whole year in 1900-2200", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_demo(dir);
    const auto manifest = folder / "manifest.toml";
    for (const std::string bad : {"4294969319", "2023.5", "\"2023\"", "1800", "-5"}) {
        INFO(bad);
        write_text(manifest, "");
        fs::copy_file(INTEGRA_SOURCE_DATA_DIR "/demo3x2/manifest.toml", manifest, fs::copy_options::overwrite_existing);
        replace_line(manifest, "base_year = 2023", "base_year = " + bad);
        CHECK_THAT(load_error(folder), Contains("manifest.toml:5:13: key 'base_year': expected a whole year in 1900-2200, got '"));
    }
}

TEST_CASE("what run rejects is rejected when the dataset is read, with file and line", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_demo(dir);
    SECTION("a negative or non-finite output, and a zero output that sales contradict") {
        replace_line(folder / "gross_output.csv", "east,goods,320", "east,goods,-320");
        replace_line(folder / "value_added.csv", "east,goods,128", "east,goods,inf");
        const auto text = load_error(folder);
        CHECK_THAT(text, Contains("gross_output.csv:2: column 'value': gross output must be finite and >= 0, got '-320'"));
        CHECK_THAT(text, Contains("value_added.csv:2: column 'value': expected a finite number, got 'inf'"));
        replace_line(folder / "gross_output.csv", "east,goods,-320", "east,goods,0");
        replace_line(folder / "value_added.csv", "east,goods,inf", "east,goods,128");
        CHECK_THROWS_AS(integra::sim::load_dataset(folder.string()), integra::inconsistent_input);
        CHECK_THROWS_WITH(integra::sim::load_dataset(folder.string()), Contains("gross_output[east/goods]: output 0 but sales 320"));
    }
    SECTION("population 0 or negative") {
        replace_line(folder / "population.csv", "north,2024,medium,50500", "north,2024,medium,0");
        replace_line(folder / "population.csv", "north,2025,medium,51005", "north,2025,medium,-51005");
        const auto text = load_error(folder);
        CHECK_THAT(text, Contains("population.csv:31: column 'value': population must be in (0, 1e8] (thousand persons), got '0'"));
        CHECK_THAT(text, Contains("population.csv:32: column 'value': population must be in (0, 1e8] (thousand persons), got '-51005'"));
    }
    SECTION("tariffs that are negative, above 1000% or not finite") {
        replace_line(folder / "tariffs.csv", "east,north,goods,0.05", "east,north,goods,1e308");
        replace_line(folder / "tariffs.csv", "east,south,goods,0.05", "east,south,goods,1e12");
        replace_line(folder / "tariffs.csv", "north,east,goods,0.03", "north,east,goods,-0.03");
        replace_line(folder / "tariffs.csv", "north,south,goods,0.02", "north,south,goods,nan");
        const auto text = load_error(folder);
        CHECK_THAT(text, Contains("tariffs.csv:2: column 'rate': tariff must be in [0, 10] (a fraction: 0.05 = 5%, at most 1000%), got '1e308'"));
        CHECK_THAT(text, Contains("tariffs.csv:3: column 'rate': tariff must be in [0, 10]") && Contains("got '1e12'"));
        CHECK_THAT(text, Contains("tariffs.csv:4: column 'rate': tariff must be in [0, 10]") && Contains("got '-0.03'"));
        CHECK_THAT(text, Contains("tariffs.csv:5: column 'rate': expected a finite number, got 'nan'"));
    }
    SECTION("a tariff on domestic goods or in a non-tradable sector") {
        append_text(folder / "tariffs.csv", "east,east,goods,0.1\neast,north,services,0.1\n");
        const auto text = load_error(folder);
        CHECK_THAT(text, Contains("tariffs.csv:8: column 'rate': a region does not tax its own goods"));
        CHECK_THAT(text, Contains("tariffs.csv:9: column 'rate': sector 'services' is not tradable (sectors.csv): expected tariff 0"));
    }
    SECTION("a population year of 1e300 (was printed as -2147483648)") {
        replace_line(folder / "population.csv", "east,2024,medium", "east,1e300,medium");
        const auto text = load_error(folder);
        CHECK_THAT(text, Contains("population.csv:3: column 'year': expected a whole number in 1900-2200, got '1e300'"));
        CHECK_THAT(text, !Contains("-2147483648"));
    }
}

TEST_CASE("duplicate rows of keyed tables are errors at their line", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_demo(dir);
    append_text(folder / "io_coefficients.csv", "east,goods,goods,0.35\n");
    append_text(folder / "deficits.csv", "east,5\n");
    append_text(folder / "trade.csv", "north,south,goods,60\n");
    append_text(folder / "population.csv", "south,2050,medium,1\n");
    const auto text = load_error(folder);
    CHECK_THAT(text, Contains("io_coefficients.csv:14: duplicate row for east goods -> goods (first at line 2); expected each key once"));
    CHECK_THAT(text, Contains("deficits.csv:5: duplicate row for region east (first at line 2)"));
    CHECK_THAT(text, Contains("trade.csv:14: duplicate row for north -> south, goods (first at line 9)"));
    CHECK_THAT(text, Contains("population.csv:86: duplicate row for south 2050 (medium) (first at line 85)"));
}

TEST_CASE("missing rows of dense tables are errors", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_demo(dir);
    replace_line(folder / "io_coefficients.csv", "north,goods,goods,0.35\n", "");
    replace_line(folder / "deficits.csv", "east,0\n", "");
    const auto text = load_error(folder);
    CHECK_THAT(text, Contains("io_coefficients.csv: missing rows for 1 region/input/using combination(s): north goods -> goods"));
    CHECK_THAT(text, Contains("deficits.csv: no row for region(s) east; expected every region once"));
}

TEST_CASE("every CSV file has exactly its documented columns", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_demo(dir);
    replace_line(folder / "deficits.csv", "region,value\n", "region,value,note\n");
    replace_line(folder / "deficits.csv", "east,0\n", "east,0,x\n");
    replace_line(folder / "deficits.csv", "north,-20\n", "north,-20,x\n");
    replace_line(folder / "deficits.csv", "south,20\n", "south,20,x\n");
    write_text(folder / "value_added.csv", "region,sector\neast,goods\n");
    const auto text = load_error(folder);
    CHECK_THAT(text, Contains("deficits.csv:1: extra column 'note' (column 3); expected the header 'region,value', got 'region,value,note'"));
    CHECK_THAT(text, Contains("value_added.csv:1: missing column 'value'; expected the header 'region,sector,value'"));
}

TEST_CASE("group names are identifiers that shadow no region and no other group", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_demo(dir);
    replace_line(folder / "manifest.toml", "deficits = \"deficits.csv\"", "deficits = \"deficits.csv\"\ngroups = \"groups.csv\"");
    write_text(folder / "groups.csv", "group,member\nnorth,south\nMY-GROUP,north\n,east\nBLOC,north\nbloc,south\nall,east\n"
                                      "OK,north\nOK,north\nA,east\nB,east\nA,south\n");
    const auto text = load_error(folder);
    CHECK_THAT(text, Contains("groups.csv:2: column 'group': group 'north' has the name of a region"));
    CHECK_THAT(text, Contains("groups.csv:3: column 'group': group name 'MY-GROUP' is not an identifier; expected letters, digits and '_'"));
    CHECK_THAT(text, Contains("groups.csv:4: column 'group': group name '' is not an identifier"));
    CHECK_THAT(text, Contains("groups.csv:6: column 'group': group 'bloc' shadows group 'BLOC' (names differ only in case)"));
    CHECK_THAT(text, Contains("groups.csv:7: column 'group': group name 'all' is reserved"));
    CHECK_THAT(text, Contains("groups.csv:9: duplicate row for group OK member north (first at line 8)"));
    CHECK_THAT(text, Contains("groups.csv:12: column 'group': group 'A' is defined again (its first block starts at line 10)"));
}

TEST_CASE("celac38's groups load unchanged", "[sim][dataset]") {
    const auto d = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/celac38");
    CHECK(d.groups.size() == 11);
    CHECK(d.groups.at("MERCOSUR").size() >= 4);
    CHECK(d.economy.base_year == 2023);
}

TEST_CASE("data import long refuses a base year outside 1900-2200", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto in = dir.write("in.csv", "region,sector,partner,variable,value,unit\nA,x,,value_added,1,million USD\nA,x,A,trade,1,million USD\n");
    integra::sim::import_options options;
    options.name = "x";
    options.year = -5;
    CHECK_THROWS_WITH(integra::sim::import_long_csv(in, "million USD", options), Contains("base year -5 is outside 1900-2200"));
    options.year = 2023;
    CHECK(integra::sim::import_long_csv(in, "million USD", options).economy.base_year == 2023);
}

TEST_CASE("celac38 carries the sector composition of investment (beta)", "[sim][dataset]") {
    const auto d = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/celac38");
    const auto& b = d.investment_shares;  // sectors x regions
    REQUIRE(b.rows() == static_cast<Eigen::Index>(d.economy.sectors.size()));
    REQUIRE(b.cols() == static_cast<Eigen::Index>(d.economy.regions.size()));
    for (Eigen::Index n = 0; n < b.cols(); ++n) CHECK(b.col(n).sum() == Approx(1.0).margin(1e-9));
    CHECK((b.array() >= 0.0).all());
    // sectors in model order: agriculture, mining_utilities, manufacturing, services (DATA.md A22)
    CHECK(b(3, 0) > b(2, 0));
    CHECK(b(2, 0) > 0.0);
    CHECK(b(3, 0) == Approx(0.600428147));  // construction, trade margins, software, business services
    CHECK(b(2, 0) == Approx(0.346073346));  // machinery and equipment, domestic and imported
    // a dataset without the optional file has none
    CHECK(integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2").investment_shares.size() == 0);
}

TEST_CASE("a broken investment_shares file is reported with file, line and value", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_celac38(dir);
    const auto file = folder / "investment_shares.csv";
    SECTION("a region whose shares do not sum to 1") {
        replace_line(file, "ARG,services,0.600428147", "ARG,services,0.5");
        CHECK_THAT(load_error(folder), Contains("investment_shares.csv: region 'ARG': investment shares sum to 0.899571853") &&
                                           Contains("expected 1 (within 1e-6)"));
    }
    SECTION("a negative share") {
        replace_line(file, "ARG,services,0.600428147", "ARG,services,-0.600428147");
        CHECK_THAT(load_error(folder),
                   Contains("investment_shares.csv:5: column 'value': investment share must be in [0, 1], got '-0.600428147'"));
    }
    SECTION("an unknown sector and a missing cell") {
        replace_line(file, "ARG,services,0.600428147", "ARG,servics,0.600428147");
        const auto text = load_error(folder);
        CHECK_THAT(text, Contains("investment_shares.csv:5: column 'sector': unknown sector 'servics' (not in sectors.csv)"));
        CHECK_THAT(text, Contains("investment_shares.csv: missing rows for 1 region/sector pair(s): ARG/services"));
    }
    SECTION("an unknown region") {
        replace_line(file, "ARG,services,0.600428147", "ARX,services,0.600428147");
        CHECK_THAT(load_error(folder), Contains("investment_shares.csv:5: column 'region': unknown region 'ARX' (not in regions.csv)"));
    }
    SECTION("the file is optional") {
        fs::remove(file);
        replace_line(folder / "manifest.toml", "investment_shares = \"investment_shares.csv\"\n", "");
        CHECK(integra::sim::load_dataset(folder.string()).investment_shares.size() == 0);
    }
}

namespace {
Eigen::Index region_index(const integra::sim::dataset& d, const std::string& code) {
    const auto& r = d.economy.regions;
    const auto it = std::find(r.begin(), r.end(), code);
    REQUIRE(it != r.end());
    return static_cast<Eigen::Index>(it - r.begin());
}
}  // namespace

TEST_CASE("celac38 carries migrant stocks and remittances (DATA.md A23)", "[sim][dataset]") {
    const auto d = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/celac38");
    const auto R = static_cast<Eigen::Index>(d.economy.regions.size());
    const auto& m = d.migrant_stocks;  // origin x destination, thousand persons
    REQUIRE(m.rows() == R);
    REQUIRE(m.cols() == R);
    CHECK((m.array() >= 0.0).all());
    CHECK(m.diagonal().cwiseAbs().maxCoeff() == 0.0);
    const auto mex = region_index(d, "MEX"), usa = region_index(d, "USA"), ven = region_index(d, "VEN"),
               col = region_index(d, "COL"), chn = region_index(d, "CHN"), hnd = region_index(d, "HND"),
               cub = region_index(d, "CUB");
    CHECK(m(mex, usa) == Approx(11279.561));  // 11.28 million people born in Mexico live in the USA
    CHECK(m(ven, col) == Approx(2904.873));   // 2.9 million Venezuelans in Colombia
    CHECK(m(usa, mex) > 0.0);
    CHECK(m(chn, usa) == 0.0);  // pairs without a CELAC end are not in the source
    CHECK(m.sum() == Approx(48854.092).epsilon(1e-9));
    const auto& s = d.remittances_share_of_gdp;
    REQUIRE(s.size() == R);
    REQUIRE(d.remittances_year.size() == static_cast<std::size_t>(R));
    CHECK(s(hnd) == Approx(0.26).margin(0.005));
    CHECK(d.remittances_year[static_cast<std::size_t>(hnd)] == 2023);
    CHECK(std::isnan(s(cub)));  // no value in the source: NaN, year 0
    CHECK(d.remittances_year[static_cast<std::size_t>(cub)] == 0);
    CHECK(std::isnan(s(ven)));
    CHECK(s(usa) > 0.0);
    CHECK(s(usa) < 0.01);
    // a dataset without the optional files has neither
    const auto demo = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2");
    CHECK(demo.migrant_stocks.size() == 0);
    CHECK(demo.remittances_share_of_gdp.size() == 0);
    CHECK(demo.remittances_year.empty());
}

TEST_CASE("a broken migrant_stocks file is reported with file, line and value", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_celac38(dir);
    const auto file = folder / "migrant_stocks.csv";
    SECTION("an unknown region") {
        replace_line(file, "MEX,USA,11279.561", "MXX,USA,11279.561");
        CHECK_THAT(load_error(folder), Contains("migrant_stocks.csv:575: column 'origin': unknown region 'MXX' (not in regions.csv)"));
    }
    SECTION("an unknown destination") {
        replace_line(file, "MEX,USA,11279.561", "MEX,US,11279.561");
        CHECK_THAT(load_error(folder), Contains("migrant_stocks.csv:575: column 'destination': unknown region 'US' (not in regions.csv)"));
    }
    SECTION("a duplicate cell") {
        replace_line(file, "ARG,BOL,53.146", "ARG,BHS,53.146");
        CHECK_THAT(load_error(folder), Contains("migrant_stocks.csv:3: duplicate row for ARG -> BHS (first at line 2)"));
    }
    SECTION("a negative stock") {
        replace_line(file, "MEX,USA,11279.561", "MEX,USA,-11279.561");
        CHECK_THAT(load_error(folder), Contains("migrant_stocks.csv:575: column 'value': migrant stock must be finite and >= 0 "
                                                "(thousand persons), got '-11279.561'"));
    }
    SECTION("a non-finite stock") {
        replace_line(file, "MEX,USA,11279.561", "MEX,USA,inf");
        CHECK_THAT(load_error(folder), Contains("migrant_stocks.csv:575: column 'value'"));
    }
    SECTION("a cell on the diagonal") {
        replace_line(file, "MEX,USA,11279.561", "MEX,MEX,11279.561");
        CHECK_THAT(load_error(folder), Contains("migrant_stocks.csv:575: column 'destination': origin and destination are both 'MEX': "
                                                "a region's own residents are not migrants"));
    }
    SECTION("a header without the destination column") {
        replace_line(file, "origin,destination,value", "origin,dest,value");
        CHECK_THAT(load_error(folder), Contains("migrant_stocks.csv"));
    }
    SECTION("the file is optional") {
        fs::remove(file);
        replace_line(folder / "manifest.toml", "migrant_stocks = \"migrant_stocks.csv\"\n", "");
        CHECK(integra::sim::load_dataset(folder.string()).migrant_stocks.size() == 0);
    }
}

TEST_CASE("a broken remittances file is reported with file, line and value", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_celac38(dir);
    const auto file = folder / "remittances.csv";
    SECTION("a share of one or more") {
        replace_line(file, "HND,2023,0.260699813", "HND,2023,26.0699813");
        CHECK_THAT(load_error(folder), Contains("remittances.csv:21: column 'value': remittances share of GDP must be in [0, 1) "
                                                "(a fraction of GDP: 0.26 = 26%), got '26.0699813'"));
    }
    SECTION("a share of exactly one") {
        replace_line(file, "HND,2023,0.260699813", "HND,2023,1");
        CHECK_THAT(load_error(folder), Contains("remittances.csv:21: column 'value': remittances share of GDP must be in [0, 1)"));
    }
    SECTION("a negative share") {
        replace_line(file, "HND,2023,0.260699813", "HND,2023,-0.26");
        CHECK_THAT(load_error(folder), Contains("remittances.csv:21: column 'value': remittances share of GDP must be in [0, 1)"));
    }
    SECTION("an unknown region") {
        replace_line(file, "HND,2023,0.260699813", "HON,2023,0.260699813");
        CHECK_THAT(load_error(folder), Contains("remittances.csv:21: column 'region': unknown region 'HON' (not in regions.csv)"));
    }
    SECTION("a duplicate region") {
        replace_line(file, "HND,2023,0.260699813", "ARG,2023,0.260699813");
        CHECK_THAT(load_error(folder), Contains("remittances.csv:21: duplicate row for region ARG (first at line 2)"));
    }
    SECTION("a year that is not a whole year") {
        replace_line(file, "HND,2023,0.260699813", "HND,2023.5,0.260699813");
        CHECK_THAT(load_error(folder), Contains("remittances.csv:21: column 'year'"));
    }
    SECTION("the file is optional") {
        fs::remove(file);
        replace_line(folder / "manifest.toml", "remittances = \"remittances.csv\"\n", "");
        const auto d = integra::sim::load_dataset(folder.string());
        CHECK(d.remittances_share_of_gdp.size() == 0);
        CHECK(d.remittances_year.empty());
    }
}

TEST_CASE("celac38 carries output history, business cycles and shock correlations (DATA.md A24)", "[sim][dataset]") {
    const auto d = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/celac38");
    const auto R = static_cast<Eigen::Index>(d.economy.regions.size());
    REQUIRE(d.output_history_years.size() == 34);  // 1990-2023
    CHECK(d.output_history_years.front() == 1990);
    CHECK(d.output_history_years.back() == 2023);
    REQUIRE(d.output_history_gdp.rows() == 34);
    REQUIRE(d.output_history_gdp.cols() == R);
    REQUIRE(d.output_history_tradable.rows() == 34);
    REQUIRE(d.output_history_tradable.cols() == R);
    CHECK(d.output_history_gdp.allFinite());  // every region complete in the balanced panel
    CHECK((d.output_history_tradable.array() < d.output_history_gdp.array()).all());
    const auto arg = region_index(d, "ARG"), bra = region_index(d, "BRA"), mex = region_index(d, "MEX"),
               usa = region_index(d, "USA");
    CHECK(d.output_history_gdp(0, arg) == Approx(283694.729));       // ARG 1990, million 2015 US$
    CHECK(d.output_history_tradable(33, bra) == Approx(368441.437));  // BRA 2023
    REQUIRE(d.cycle_persistence.size() == R);
    REQUIRE(d.cycle_volatility.size() == R);
    CHECK((d.cycle_persistence.array() >= 0.0).all());
    CHECK((d.cycle_persistence.array() <= 0.95).all());
    CHECK((d.cycle_volatility.array() > 0.0).all());
    CHECK(d.cycle_volatility(arg) == Approx(0.0379575634));
    CHECK(d.cycle_persistence(mex) == Approx(0.205807892));
    const auto& c = d.shock_correlation;
    REQUIRE(c.rows() == R);
    REQUIRE(c.cols() == R);
    CHECK(c.diagonal().isOnes());
    CHECK((c - c.transpose()).cwiseAbs().maxCoeff() <= 1e-9);
    CHECK(c(arg, bra) == Approx(0.311853139));
    CHECK(c(mex, usa) == Approx(0.422171223));
    // shrunk towards a constant correlation: positive definite (the loader does not check it)
    CHECK(Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(c).eigenvalues().minCoeff() > 1e-6);
    const auto demo = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2");
    CHECK(demo.output_history_years.empty());
    CHECK(demo.output_history_gdp.size() == 0);
    CHECK(demo.cycle_persistence.size() == 0);
    CHECK(demo.cycle_volatility.size() == 0);
    CHECK(demo.shock_correlation.size() == 0);
}

TEST_CASE("broken business-cycle files are reported with file, line and value", "[sim][dataset]") {
    integra::testing::temp_folder dir;
    const auto folder = copy_of_celac38(dir);
    const auto cycles = folder / "business_cycles.csv", corr = folder / "shock_correlation.csv",
               history = folder / "output_history.csv";
    SECTION("rho of one") {
        replace_line(cycles, "MEX,0.205807892,", "MEX,1,");
        CHECK_THAT(load_error(folder), Contains("business_cycles.csv:27: column 'rho': persistence rho must be in [0, 1) "
                                                "(a stationary AR(1)), got '1'"));
    }
    SECTION("a negative sigma") {
        replace_line(cycles, "MEX,0.205807892,0.0215029458,", "MEX,0.205807892,-0.02,");
        CHECK_THAT(load_error(folder), Contains("business_cycles.csv:27: column 'sigma': volatility sigma must be finite and >= 0"));
    }
    SECTION("an unknown region, and the region it replaced is missing") {
        replace_line(cycles, "MEX,0.205807892,", "MXX,0.205807892,");
        const auto e = load_error(folder);
        CHECK_THAT(e, Contains("business_cycles.csv:27: column 'region': unknown region 'MXX' (not in regions.csv)"));
        CHECK_THAT(e, Contains("business_cycles.csv: no row for region(s) MEX; expected every region once"));
    }
    SECTION("a repeated region") {
        replace_line(cycles, "MEX,0.205807892,", "ARG,0.205807892,");
        CHECK_THAT(load_error(folder), Contains("business_cycles.csv:27: duplicate row for region ARG (first at line 2)"));
    }
    SECTION("a correlation outside [-1, 1]") {
        replace_line(corr, "MEX,USA,0.422171223", "MEX,USA,1.306993082");
        CHECK_THAT(load_error(folder), Contains("shock_correlation.csv:987: column 'value': correlation must be in [-1, 1], got '1.306993082'"));
    }
    SECTION("a diagonal other than 1") {
        replace_line(corr, "ARG,ARG,1\n", "ARG,ARG,0.99\n");
        CHECK_THAT(load_error(folder), Contains("shock_correlation.csv:2: column 'value': the correlation of ARG with itself must be 1, got '0.99'"));
    }
    SECTION("an asymmetric pair") {
        replace_line(corr, "MEX,USA,0.422171223", "MEX,USA,0.3");
        CHECK_THAT(load_error(folder), Contains("shock_correlation.csv:1357: column 'value': asymmetric correlation: USA / MEX is "
                                                "0.422171223 but MEX / USA (line 987) is 0.3"));
    }
    SECTION("a missing cell and a repeated one") {
        replace_line(corr, "MEX,USA,0.422171223", "MEX,MEX,0.422171223");
        const auto e = load_error(folder);
        CHECK_THAT(e, Contains("shock_correlation.csv:987: duplicate row for MEX / MEX"));
        CHECK_THAT(e, Contains("shock_correlation.csv: missing rows for 1 region/partner pair(s): MEX / USA"));
    }
    SECTION("a repeated output-history row and a non-positive value") {
        replace_line(history, "ARG,2020,558292.579,129478.504", "ARG,2019,558292.579,-1");
        const auto e = load_error(folder);
        CHECK_THAT(e, Contains("output_history.csv:32: column 'tradable_va': real tradable value added must be finite and > 0"));
        CHECK_THAT(e, Contains("output_history.csv:32: duplicate row for ARG 2019"));
    }
    SECTION("the files are optional; a gap in the history is NaN") {
        replace_line(history, "ARG,2020,558292.579,129478.504\n", "");
        fs::remove(cycles);
        fs::remove(corr);
        replace_line(folder / "manifest.toml", "business_cycles = \"business_cycles.csv\"\n", "");
        replace_line(folder / "manifest.toml", "shock_correlation = \"shock_correlation.csv\"\n", "");
        const auto d = integra::sim::load_dataset(folder.string());
        CHECK(d.cycle_persistence.size() == 0);
        CHECK(d.shock_correlation.size() == 0);
        CHECK(std::isnan(d.output_history_gdp(30, region_index(d, "ARG"))));
        CHECK(d.output_history_gdp(29, region_index(d, "ARG")) > 0.0);
    }
}
