#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "sim/data/csv_table.hpp"
#include "temp_folder.hpp"

using integra::sim::csv_table;
using Catch::Matchers::Contains;

TEST_CASE("CSV: header, quoted fields, CRLF and a byte-order mark", "[sim][csv]") {
    integra::testing::temp_folder dir;
    const auto p = dir.write("t.csv", "\xEF\xBB\xBFregion,name\r\nBRA,\"Brazil, Federative Republic\"\r\n\r\nMEX,Mexico\r\n");
    const auto t = csv_table::read(p);
    REQUIRE(t.n_rows() == 2);
    CHECK(t.field(0, t.column("name")) == "Brazil, Federative Republic");
    CHECK(t.field(1, t.column("region")) == "MEX");
    CHECK(t.where(1) == p.string() + ":4");
}

TEST_CASE("CSV: errors name the file, the line and the column", "[sim][csv]") {
    integra::testing::temp_folder dir;
    const auto ragged = dir.write("ragged.csv", "a,b\n1,2\n3\n");
    CHECK_THROWS_WITH(csv_table::read(ragged), Contains("ragged.csv:3: expected 2 fields (1 commas) as in the header, got 1"));

    const auto t = csv_table::read(dir.write("n.csv", "region,value\nBRA,12x\nARG,nan\n"));
    integra::issues found;
    (void)t.number(0, 1, found);
    (void)t.number(1, 1, found);
    REQUIRE(found.size() == 2);
    CHECK_THAT(found.list()[0].where, Contains("n.csv:2: column 'value'"));
    CHECK_THAT(found.list()[0].message, Contains("expected a finite number, got '12x'"));
    CHECK_THAT(found.list()[1].message, Contains("got 'nan'"));
    CHECK_THROWS_WITH(t.column("sector"), Contains("n.csv:1: missing column 'sector' (header is 'region,value')"));
    CHECK_THROWS_AS(csv_table::read(dir.path() / "absent.csv"), integra::invalid_input);
}
