// The netCDF-4 writer: round trip through read_summary, and the atomic-write guarantee.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "sim/io/netcdf_file.hpp"
#include "temp_folder.hpp"

using Catch::Matchers::Contains;
using namespace integra::sim;

namespace {

result_set small_results() {
    result_set r;
    r.add({"year", std::vector<std::int64_t>{2023, 2024}, "calendar year", ""});
    r.add({"region", std::vector<std::string>{"BRA", "MEX", "über"}, "region", ""});
    r.add({"gdp", {"year", "region"}, {1, 2, 3, 4, 5, 6}, "million USD/year", "gross domestic product"});
    r.set_attribute("scenario", std::string("name = \"x\"\n"));
    r.set_attribute("threads", std::int64_t{2});
    return r;
}

std::string contents(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("a written file reads back with dimensions, labels, units and attributes", "[sim][hdf5]") {
    integra::testing::temp_folder dir;
    const auto path = dir.path() / "sub" / "r.h5";
    write_netcdf4(small_results(), path);
    const auto s = read_summary(path);
    REQUIRE(s.dimensions.size() == 2);
    CHECK(s.dimensions[0].name == "year");
    CHECK(s.dimensions[1].first_labels == std::vector<std::string>{"BRA", "MEX", "über"});
    REQUIRE(s.variables.size() == 1);
    CHECK(s.variables[0].dims == std::vector<std::string>{"year", "region"});
    CHECK(s.variables[0].units == "million USD/year");
    CHECK(s.attributes[1] == std::pair<std::string, std::string>{"threads", "2"});
    // Nothing but the result is left in the folder.
    CHECK(std::distance(std::filesystem::directory_iterator(path.parent_path()), {}) == 1);
}

TEST_CASE("a failed write leaves an existing result untouched and no partial file", "[sim][hdf5]") {
    integra::testing::temp_folder dir;
    const auto path = dir.path() / "r.h5";
    write_netcdf4(small_results(), path);
    const std::string before = contents(path);
    result_set bad = small_results();
    bad.add({"missing_group/gdp", {"year"}, {1, 2}, "1", "cannot be created: no such group"});
    CHECK_THROWS_AS(write_netcdf4(bad, path), integra::io_error);
    CHECK(contents(path) == before);
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);
}

TEST_CASE("reading a missing or non-HDF5 file says so", "[sim][hdf5]") {
    CHECK_THROWS_WITH(read_summary("/nonexistent/r.h5"), Contains("no such file"));
    integra::testing::temp_folder dir;
    const auto not_hdf5 = dir.write("x.h5", "plain text");
    CHECK_THROWS_WITH(read_summary(not_hdf5), Contains("x.h5: not an HDF5 file"));
}
