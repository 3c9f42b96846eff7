// The shared machinery of the MRIO readers: the one number parser (mrio_number.hpp), the
// JSON reader's limits, and where label problems are reported.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "core/errors.hpp"
#include "sim/data/mrio_number.hpp"
#include "sim/data/mrio_text.hpp"
#include "temp_folder.hpp"

#include <string>
#include <vector>

using Catch::Matchers::Contains;
using integra::sim::mrio_number;
using integra::sim::parse_mrio_number;

TEST_CASE("the MRIO number parser: subnormals accepted, hex, inf, nan and out-of-range refused", "[mrio_text][number]") {
    double v = -1.0;
    CHECK(parse_mrio_number("4.9e-324", v) == mrio_number::ok);
    CHECK(v == std::numeric_limits<double>::denorm_min());
    CHECK(parse_mrio_number("2.5e-310", v) == mrio_number::ok);
    CHECK(std::fpclassify(v) == FP_SUBNORMAL);
    CHECK(parse_mrio_number("+1.5", v) == mrio_number::ok);
    CHECK(v == 1.5);
    CHECK(parse_mrio_number("-2e3", v) == mrio_number::ok);
    CHECK(v == -2000.0);
    CHECK(parse_mrio_number(" 7 \r", v) == mrio_number::ok);
    CHECK(v == 7.0);
    for (const char* bad : {"0x1p3", "0X10", "inf", "-inf", "nan", "NaN", "infinity", "", " ", "+", "+-1", "1,5", "1e", "12x", "\t3"}) {
        INFO(bad);
        CHECK(parse_mrio_number(bad, v) == mrio_number::malformed);
    }
    CHECK(parse_mrio_number("1e400", v) == mrio_number::out_of_range);
    CHECK(parse_mrio_number("-1e400", v) == mrio_number::out_of_range);
    CHECK_THAT(integra::sim::mrio_number_problem("1e400", mrio_number::out_of_range),
               Contains("number '1e400' is out of the range of a double"));
    integra::issues bad;
    CHECK_FALSE(integra::sim::mrio_text::parse_number("1e400", "A.txt:3", bad).has_value());
    CHECK_FALSE(integra::sim::mrio_text::parse_number("0x1p3", "A.txt:4", bad).has_value());
    CHECK(integra::sim::mrio_text::parse_number("4.9e-324", "A.txt:5", bad).value() == std::numeric_limits<double>::denorm_min());
    REQUIRE(bad.list().size() == 2);
    CHECK(bad.list()[0].where == "A.txt:3");
    CHECK_THAT(bad.list()[0].message, Contains("number '1e400' is out of the range of a double"));
    CHECK_THAT(bad.list()[1].message, Contains("malformed number '0x1p3' (expected a finite number)"));
}

TEST_CASE("grid_of reports each problem at the label that shows it", "[mrio_text][grid]") {
    using integra::sim::mrio_text::grid_of;
    using integra::sim::mrio_text::label;
    std::vector<std::string> regions, seconds;
    auto where = [](std::size_t i) { return "line " + std::to_string(i + 10); };
    auto first_where = [&](const std::vector<label>& labels) {
        integra::issues bad;
        grid_of(labels, "sector", where, regions, seconds, bad);
        return bad.list().empty() ? std::string("(none)") : bad.list().front().where + ": " + bad.list().front().message;
    };
    CHECK(first_where({{"A", "x"}, {"A", "y"}, {"B", "x"}, {"B", "y"}}) == "(none)");
    CHECK_THAT(first_where({{"A", "x"}, {"A", "y"}, {"B", "x"}, {"A", "y"}}), Contains("line 13: regions are not contiguous: 'A'"));
    CHECK_THAT(first_where({{"A", "x"}, {"A", "y"}, {"A", "x"}, {"B", "x"}, {"B", "y"}, {"B", "x"}}),
               Contains("line 12: duplicate sector label (A, x) in region 'A'"));
    CHECK_THAT(first_where({{"A", "x"}, {"A", "y"}, {"B", "x"}, {"C", "x"}, {"C", "y"}}), Contains("line 13: 5 labels are not 3 regions x 2 sectors"));
    CHECK_THAT(first_where({{"A", "x"}, {"A", "y"}, {"B", "x"}, {"B", "z"}}), Contains("line 13: label (B, z): expected (B, y)"));
    CHECK_THAT(first_where({{"A", "x"}, {"A"}}), Contains("line 11: sector label (A) has 1 level(s); expected 2"));
}

TEST_CASE("the JSON reader: arrays skipped with strings in mind, nesting limited", "[mrio_text][json]") {
    integra::testing::temp_folder tmp;
    const auto src = integra::sim::mrio_text::text_source::folder(tmp.path());
    (void)tmp.write("brackets.json", R"({"list": ["]", "[", {"x": "]"}], "name": "ok"})");
    const auto got = integra::sim::mrio_text::read_json_strings(src, "brackets.json");
    REQUIRE(got.count("name") == 1);
    CHECK(got.at("name") == "ok");

    std::string deep;
    for (int k = 0; k < 100; ++k) deep += "{\"a\": ";
    deep += "1";
    for (int k = 0; k < 100; ++k) deep += "}";
    (void)tmp.write("deep.json", deep);
    CHECK_THROWS_WITH(integra::sim::mrio_text::read_json_strings(src, "deep.json"),
                      Contains("deep.json:1: JSON syntax error: objects and arrays nested deeper than 64 levels"));
    std::string deep_array = "{\"a\": ";
    for (int k = 0; k < 100; ++k) deep_array += "[";
    for (int k = 0; k < 100; ++k) deep_array += "]";
    (void)tmp.write("deep_array.json", deep_array + "}");
    CHECK_THROWS_WITH(integra::sim::mrio_text::read_json_strings(src, "deep_array.json"), Contains("nested deeper than 64 levels"));
    std::string ok;
    for (int k = 0; k < 60; ++k) ok += "{\"a\": ";
    ok += "1";
    for (int k = 0; k < 60; ++k) ok += "}";
    (void)tmp.write("ok.json", ok);
    CHECK_NOTHROW(integra::sim::mrio_text::read_json_strings(src, "ok.json"));
}
