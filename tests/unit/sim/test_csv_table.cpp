#include <catch2/catch.hpp>

#include <filesystem>

#include <sys/stat.h>

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

TEST_CASE("CSV: an exact header names the extra, missing or repeated column", "[sim][csv]") {
    integra::testing::temp_folder dir;
    const auto p = dir.write("t.csv", "region,value,note,value\nBRA,1,x,1\n");
    CHECK_THROWS_WITH(csv_table::read(p, {"region", "sector", "value"}),
                      Contains("t.csv:1: extra column 'note' (column 3), repeated column 'value' (column 4), missing column 'sector'; "
                               "expected the header 'region,sector,value', got 'region,value,note,value'"));
    CHECK(csv_table::read(dir.write("u.csv", "value,region\n1,BRA\n"), {"region", "value"}).n_rows() == 1);
}

TEST_CASE("CSV: only regular files are read", "[sim][csv]") {
    integra::testing::temp_folder dir;
    CHECK_THROWS_WITH(csv_table::read(dir.path()), Contains("is a directory, expected a regular file"));
    const auto fifo = dir.path() / "fifo.csv";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THROWS_WITH(csv_table::read(fifo), Contains("is not a regular file (a device, FIFO or socket)"));
    CHECK_THROWS_WITH(csv_table::read("/dev/zero"), Contains("/dev/zero: is not a regular file"));
    CHECK_THROWS_WITH(csv_table::read(dir.path() / "absent.csv"), Contains("absent.csv: no such file"));
    CHECK(csv_table::max_file_bytes == 1024ull * 1024 * 1024);
    const auto big = dir.write("big.csv", "region,value\n");
    std::filesystem::resize_file(big, csv_table::max_file_bytes + 1);  // sparse: no disk space used
    CHECK_THROWS_WITH(csv_table::read(big), Contains("big.csv: file is 1073741825 bytes, larger than the limit of 1073741824 bytes (1 GiB)"));
}

TEST_CASE("CSV: whole numbers in a range, and quoted cell text", "[sim][csv]") {
    integra::testing::temp_folder dir;
    const auto t = csv_table::read(dir.write("y.csv", "year\n2023\n1e300\n-5\n2023.0\n99999999999999999999\n\n+2024\n"));
    integra::issues found;
    CHECK(t.integer(0, 0, 1900, 2200, found) == 2023);
    CHECK(!t.integer(1, 0, 1900, 2200, found));
    CHECK(!t.integer(2, 0, 1900, 2200, found));
    CHECK(!t.integer(3, 0, 1900, 2200, found));
    CHECK(!t.integer(4, 0, 1900, 2200, found));
    CHECK(t.integer(5, 0, 1900, 2200, found) == 2024);
    REQUIRE(found.size() == 4);
    CHECK_THAT(found.list()[0].message, Contains("expected a whole number in 1900-2200, got '1e300'"));
    CHECK(integra::sim::quoted_text("a\x01" "b") == "a\\x01b");
    CHECK(integra::sim::quoted_text(std::string(50, 'x'), 40) == std::string(40, 'x') + "...");
}
