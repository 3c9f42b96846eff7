// OECD ICIO import on a hand-made table in the 2023-edition layout (tests/data/icio/):
// merged Mexico, identities, the two logged adjustments, and bad input with file:line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/errors.hpp"
#include "sim/data/dataset.hpp"
#include "sim/data/dataset_writer.hpp"
#include "sim/data/import_icio.hpp"
#include "temp_folder.hpp"

using Catch::Matchers::Contains;
namespace fs = std::filesystem;
using integra::sim::import_icio;
using integra::sim::import_options;

namespace {

const fs::path fixture = INTEGRA_TEST_DIR "/data/icio/small_icio_2019.csv";

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A copy of the fixture with `from` replaced by `to` (every occurrence if `all`).
fs::path damaged(const integra::testing::temp_folder& dir, const std::string& from, const std::string& to, bool all = false,
                 const std::string& name = "icio_2019.csv") {
    std::string text = read_text(fixture);
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    do {
        text.replace(at, from.size(), to);
        at = text.find(from, at + to.size());
    } while (all && at != std::string::npos);
    return dir.write(name, text);
}

std::string error_of(const fs::path& file, const import_options& options = {}) {
    try {
        (void)import_icio(file, options);
    } catch (const integra::error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("import icio: MX1 and MX2 merge into MEX and the flows convert exactly", "[sim][import][icio]") {
    const auto d = import_icio(fixture, {});
    const auto& e = d.economy;
    CHECK(e.regions == std::vector<std::string>{"ARG", "MEX", "USA"});
    CHECK(e.sectors == std::vector<std::string>{"d01t03", "d10t12", "d49t53"});
    CHECK(e.base_year == 2019);  // from the file name
    CHECK(e.unit == "million USD");

    // Expected values from tests/data/icio/make_small_icio.py (an independent re-computation).
    const Eigen::MatrixXd go = (Eigen::MatrixXd(3, 3) << 94, 111, 119, 183, 228, 233, 93, 106, 36).finished();
    const Eigen::MatrixXd va = (Eigen::MatrixXd(3, 3) << 50, 68, 70, 97, 137, 144, 44, 65, 0).finished();
    CHECK(e.gross_output == go);
    CHECK((e.value_added - va).cwiseAbs().maxCoeff() < 1e-12);
    CHECK(e.trade[1](1, 2) == 37.0);   // MEX -> USA, D10T12, incl. MX2's DPABR sale of 4
    CHECK(e.trade[0](2, 0) == 15.0);   // USA -> ARG, D01T03: intermediate 15, final -6 set to 0
    CHECK(e.trade[2](1, 1) == 170.0);  // MEX domestic D49T53: MX1+MX2 rows into MX1+MX2 columns
    CHECK(e.io_coefficients[1](0, 1) == Approx(0.15350877192982457).epsilon(1e-14));
    CHECK(e.final_demand_share(2, 2) == Approx(0.1895799236224768).epsilon(1e-14));
    CHECK(e.final_demand_share(0, 0) == Approx(0.25136612021857924).epsilon(1e-14));
    CHECK(e.deficit(0) == Approx(-5.0));
    CHECK(e.deficit(1) == Approx(-42.0));
    CHECK(e.deficit(2) == Approx(47.0));
    for (const auto& tau : e.tariffs) CHECK(tau.isZero());

    // Identities, exactly up to rounding: output = sales, costs = output, balance.
    for (std::size_t s = 0; s < 3; ++s)
        CHECK((e.trade[s].rowwise().sum() - e.gross_output.col(static_cast<Eigen::Index>(s))).cwiseAbs().maxCoeff() < 1e-12);
    for (std::size_t n = 0; n < 3; ++n)
        for (Eigen::Index j = 0; j < 3; ++j)
            CHECK(e.io_coefficients[n].col(j).sum() + e.value_added(static_cast<Eigen::Index>(n), j) / e.gross_output(static_cast<Eigen::Index>(n), j) ==
                  Approx(1.0).epsilon(1e-14));
    CHECK(std::abs(e.deficit.sum()) < 1e-12);
    integra::issues found;
    integra::models::validate(e, found);
    CHECK(found.empty());

    // Both adjustments are logged, with sizes.
    REQUIRE(d.metadata.extra_files.size() == 1);
    const auto& adj = d.metadata.extra_files[0];
    CHECK(adj.file == "adjustments.csv");
    REQUIRE(adj.rows.size() == 2);
    CHECK(adj.rows[0] == std::vector<std::string>{"final_demand", "ARG", "D01T03", "USA", "net final demand (million USD)", "-6", "0",
                                                   adj.rows[0][7]});
    CHECK(adj.rows[1][0] == "intermediate_inputs");
    CHECK(adj.rows[1][1] == "USA");
    CHECK(adj.rows[1][2] == "D49T53");
    CHECK(adj.rows[1][6] == "36");
    bool tls_noted = false;
    for (const auto& [key, value] : d.metadata.import_notes)
        if (key == "tls_final_demand") tls_noted = value.find(": 6 million USD") != std::string::npos;
    CHECK(tls_noted);  // 2 per HFCE column, 3 regions
}

TEST_CASE("import icio: a 2021-edition style table (MEX beside MX2, numeric sector codes) gives the same economy", "[sim][import][icio]") {
    integra::testing::temp_folder dir;
    std::string text = read_text(fixture);
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"MX1_", "MEX_"}, {"D01T03", "01T03"}, {"D10T12", "10T12"}, {"D49T53", "49T53"}})
        for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
    const auto file = dir.write("ICIO2021_2019.csv", text);
    const auto a = import_icio(fixture, {}).economy;
    const auto b = import_icio(file, {}).economy;
    CHECK(b.regions == a.regions);
    CHECK(b.sectors == std::vector<std::string>{"01t03", "10t12", "49t53"});
    CHECK(b.base_year == 2019);
    CHECK(b.gross_output == a.gross_output);
    for (std::size_t s = 0; s < 3; ++s) CHECK(b.trade[s] == a.trade[s]);
}

TEST_CASE("import icio: imported data write and load back as a valid dataset", "[sim][import][icio]") {
    integra::testing::temp_folder dir;
    import_options options;
    options.name = "small";
    const auto d = import_icio(fixture, options);
    integra::sim::write_dataset(d.economy, d.metadata, dir.path() / "small");
    const auto loaded = integra::sim::load_dataset((dir.path() / "small").string());
    CHECK(loaded.economy.gross_output == d.economy.gross_output);
    const std::string manifest = read_text(dir.path() / "small" / "manifest.toml");
    CHECK_THAT(manifest, Contains("[import]") && Contains("tariffs = \"none: ICIO tables carry no tariffs") &&
                             Contains("adjustments = \"adjustments.csv\"") && Contains("TLS on intermediate inputs"));
    CHECK_THAT(read_text(dir.path() / "small" / "adjustments.csv"), Contains("final_demand,ARG,D01T03,USA,"));
}

TEST_CASE("import icio: an unbalanced row names file, line, label and the difference", "[sim][import][icio]") {
    integra::testing::temp_folder dir;
    // ARG_D10T12 (line 3): raise its first intermediate sale from 4 to 16: sales exceed OUT by 12
    const auto file = damaged(dir, "ARG_D10T12,4,", "ARG_D10T12,16,");
    const std::string text = error_of(file);
    CHECK_THAT(text, Contains("icio_2019.csv:3: row 'ARG_D10T12': unbalanced: OUT 111 but intermediate + final sales sum to 123 "
                              "(difference 12 million USD, 10.8108% of output)"));
    // ... and the column ARG_D01T03 (column 2) no longer adds up either
    CHECK_THAT(text, Contains("icio_2019.csv:1: column 2 'ARG_D01T03': unbalanced: OUT 94 but inputs 56 + TLS 1 + VA 49 = 106 "
                              "(difference 12 million USD"));
    // within a generous tolerance the same table imports
    import_options loose;
    loose.tolerance = 0.2;
    CHECK_NOTHROW(import_icio(file, loose));
}

TEST_CASE("import icio: bad input is reported with file:line and label", "[sim][import][icio]") {
    integra::testing::temp_folder dir;
    CHECK_THAT(error_of(damaged(dir, "\nARG_D49T53,", "\nARG_D49T53,-", false, "neg.csv")),
               Contains("neg.csv:4: row 'ARG_D49T53', column 'ARG_D01T03'") && Contains("negative intermediate flow -"));
    CHECK_THAT(error_of(damaged(dir, "\nTLS,", "\nTAX,", false, "tls.csv")),
               Contains("tls.csv:14") && Contains("unknown row label 'TAX'") && Contains("missing block: no row 'TLS'"));
    CHECK_THAT(error_of(damaged(dir, "USA_D10T12,3,", "USA_D10T12,x3,", false, "num.csv")),
               Contains("num.csv:12: column 'ARG_D01T03'") && Contains("expected a number, got 'x3'"));
    CHECK_THAT(error_of(damaged(dir, "USA_D10T12,3,", "USA_D10T12,", false, "ragged.csv")),
               Contains("ragged.csv:12: expected 32 fields as in the header, got 31"));
    // an unknown suffix reads as a sector code that the other regions lack
    CHECK_THAT(error_of(damaged(dir, "USA_DPABR", "USA_EXPORTS", false, "col.csv")),
               Contains("col.csv:1: missing block: no column for region 'ARG' sector 'EXPORTS'"));
    CHECK_THAT(error_of(damaged(dir, ",OUT\n", ",ZZZ\n", false, "hdr.csv")),
               Contains("hdr.csv:1: column 32 'ZZZ'") && Contains("unknown column label"));
    CHECK_THAT(error_of(damaged(dir, "ARG_HFCE", "ARG_XHFCE", false, "fd.csv")), Contains("fd.csv:1: missing block: no column for region 'MEX' sector 'XHFCE'"));
    // a whole row missing: the ARG_D49T53 row is dropped
    {
        std::string text = read_text(fixture);
        const auto from = text.find("\nARG_D49T53,") + 1;  // the row, not the header
        text.erase(from, text.find('\n', from) - from + 1);
        CHECK_THAT(error_of(dir.write("norow.csv", text)), Contains("missing block: no row for region 'ARG' sector 'D49T53'"));
    }
    CHECK_THAT(error_of(dir.write("noyear.csv", read_text(fixture))), Contains("noyear.csv: no base year"));
    CHECK_THAT(error_of(dir.path() / "absent_2019.csv"), Contains("absent_2019.csv: cannot open file"));
    CHECK_THROWS_AS(import_icio(dir.write("empty_2019.csv", ""), {}), integra::invalid_input);
}

TEST_CASE("import icio: aggregation with region and sector concordances keeps the totals", "[sim][import][icio][aggregation]") {
    integra::testing::temp_folder dir;
    import_options options;
    options.region_map = dir.write("regions.csv", "from,to\nARG,LAC\nMEX,LAC\nUSA,USA\n");
    options.sector_map = dir.write("sectors.csv", "from,to\nD01T03,goods\nD10T12,goods\nD49T53,services\n");
    const auto full = import_icio(fixture, {}).economy;
    const auto agg = import_icio(fixture, options).economy;
    CHECK(agg.regions == std::vector<std::string>{"LAC", "USA"});
    CHECK(agg.sectors == std::vector<std::string>{"goods", "services"});
    CHECK(agg.gross_output.sum() == Approx(full.gross_output.sum()).epsilon(1e-15));
    CHECK(agg.value_added.sum() == Approx(full.value_added.sum()).epsilon(1e-15));
    CHECK(agg.gross_output(0, 0) == 94 + 111 + 183 + 228);
    CHECK(agg.deficit(1) == Approx(47.0));
    integra::issues found;
    integra::models::validate(agg, found);
    CHECK(found.empty());
}
