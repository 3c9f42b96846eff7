// The netCDF-4 writer and reader: round trips (values bit for bit, order, text, auxiliary
// coordinates, empty dimensions), chunk shapes, the atomic-write guarantee, and errors that
// name the file.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <csignal>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
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

double nan_with_payload(std::uint64_t payload) { return std::bit_cast<double>(std::uint64_t{0x7ff8000000000000} | payload); }

// A sweep-shaped result set: a leading `point` dimension, text and numeric auxiliary
// coordinates over it, NaN with payloads, infinities, -0, a subnormal, empty and UTF-8 text,
// a scalar, a dotted name, and every kind of global attribute.
result_set sweep_results() {
    result_set r;
    r.add({"point", std::vector<std::int64_t>{0, 1, 2}, "sweep point", ""});
    r.add({"year", std::vector<std::int64_t>{2030, 2050}, "calendar year", "year"});
    r.add({"region", std::vector<std::string>{"BRA", "São Tomé", "", "日本"}, "region", ""});
    r.add({"welfare_change", {"point", "year", "region"}, std::vector<double>(24), "1", "welfare, scenario / baseline - 1"});
    auto& w = r.variables.back().data;
    for (std::size_t k = 0; k < w.size(); ++k) w[k] = 0.001 * static_cast<double>(k) - 0.01;
    w[1] = nan_with_payload(0x123);
    w[2] = std::numeric_limits<double>::quiet_NaN();
    w[3] = -std::numeric_limits<double>::quiet_NaN();
    w[4] = std::numeric_limits<double>::infinity();
    w[5] = -0.0;
    w[6] = std::numeric_limits<double>::denorm_min();
    r.add({"customs_union.0.external_tariff", {"point"}, {0.05, 0.1, nan_with_payload(7)}, "1", "varied: common external tariff"});
    r.add({"total_iterations", {}, {42}, "", "a scalar, dimensionless"});
    r.add(text_variable{"point_status", {"point"}, {"ok", "", "failed: no equilibrium — 残差"}, "status of each point"});
    r.add(text_variable{"customs_union.0.revenue", {"point"}, {"kept", "pooled_by_gdp", "kept"}, "varied: revenue rule"});
    r.add(text_variable{"label", {}, {"scalar text"}, ""});
    r.auxiliary_coordinates = {"point_status", "customs_union.0.external_tariff", "customs_union.0.revenue"};
    r.set_attribute("title", std::string("a sweep"));
    r.set_attribute("empty", std::string());
    r.set_attribute("points", std::int64_t{-3});
    r.set_attribute("tolerance", 1e-10);
    r.set_attribute("not_a_number", nan_with_payload(0x55));
    return r;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (std::bit_cast<std::uint64_t>(a[k]) != std::bit_cast<std::uint64_t>(b[k])) return false;
    return true;
}

bool same_attribute(const attribute_value& a, const attribute_value& b) {
    if (a.index() != b.index()) return false;
    if (const auto* x = std::get_if<double>(&a)) return std::bit_cast<std::uint64_t>(*x) == std::bit_cast<std::uint64_t>(std::get<double>(b));
    return a == b;
}

void check_same(const result_set& a, const result_set& b) {
    REQUIRE(a.coordinates.size() == b.coordinates.size());
    for (std::size_t k = 0; k < a.coordinates.size(); ++k) {
        INFO("dimension " << a.coordinates[k].name);
        CHECK(a.coordinates[k].name == b.coordinates[k].name);
        CHECK(a.coordinates[k].values == b.coordinates[k].values);
        CHECK(a.coordinates[k].long_name == b.coordinates[k].long_name);
        CHECK(a.coordinates[k].units == b.coordinates[k].units);
    }
    REQUIRE(a.variables.size() == b.variables.size());
    for (std::size_t k = 0; k < a.variables.size(); ++k) {
        INFO("variable " << a.variables[k].name);
        CHECK(a.variables[k].name == b.variables[k].name);
        CHECK(a.variables[k].dims == b.variables[k].dims);
        CHECK(same_bits(a.variables[k].data, b.variables[k].data));
        CHECK(a.variables[k].units == b.variables[k].units);
        CHECK(a.variables[k].long_name == b.variables[k].long_name);
    }
    REQUIRE(a.text_variables.size() == b.text_variables.size());
    for (std::size_t k = 0; k < a.text_variables.size(); ++k) {
        INFO("text variable " << a.text_variables[k].name);
        CHECK(a.text_variables[k].name == b.text_variables[k].name);
        CHECK(a.text_variables[k].dims == b.text_variables[k].dims);
        CHECK(a.text_variables[k].data == b.text_variables[k].data);
        CHECK(a.text_variables[k].long_name == b.text_variables[k].long_name);
    }
    CHECK(a.auxiliary_coordinates == b.auxiliary_coordinates);
    REQUIRE(a.attributes.size() == b.attributes.size());
    for (std::size_t k = 0; k < a.attributes.size(); ++k) {
        INFO("attribute " << a.attributes[k].first);
        CHECK(a.attributes[k].first == b.attributes[k].first);
        CHECK(same_attribute(a.attributes[k].second, b.attributes[k].second));
    }
}

// Foreign files the reader must refuse, written by h5py 3.7 / HDF5 1.10.8 (libver="earliest")
// and stored as their non-zero byte runs {offset, hex}: the unit tests cannot include hdf5.h.
//   no_scale_file:    f.create_dataset("x", data=np.array([1.0, 2.0]))  -- an axis without a scale
//   float_scale_file: d = f.create_dataset("d", data=np.array([0.5, 1.5], dtype="f4")); d.make_scale("d")
struct sparse_bytes {
    std::size_t size;
    std::vector<std::pair<std::size_t, std::string>> runs;
    [[nodiscard]] std::string bytes() const {
        std::string out(size, '\0');
        for (const auto& [offset, hex] : runs)
            for (std::size_t k = 0; k < hex.size() / 2; ++k)
                out[offset + k] = static_cast<char>(std::stoi(hex.substr(2 * k, 2), nullptr, 16));
        return out;
    }
};

const sparse_bytes no_scale_file{2064, {
    {0, "894844460d0a1a0a"}, {13, "080800040010"}, {32, "ffffffffffffffff1008"}, {48, "ffffffffffffffff"}, {64, "60"},
    {72, "01"}, {80, "88"}, {88, "a802"}, {96, "010001000100000018"}, {112, "110010"}, {120, "88"}, {128, "a802"},
    {136, "5452454500000100ffffffffffffffffffffffffffffffff"}, {168, "3004"}, {176, "08"}, {680, "48454150"},
    {688, "58"}, {696, "10"}, {704, "c802"}, {720, "78"}, {728, "01"}, {736, "48"}, {800, "0100050001"}, {809, "01"},
    {816, "010018"}, {824, "010101"}, {832, "02"}, {840, "02"}, {848, "030018000100000011203f0008"},
    {866, "4000340b0034ff03"}, {880, "050008000100000002020201"}, {896, "080018"}, {904, "03010008"}, {914, "10"},
    {930, "88"}, {1072, "534e4f440100010008"}, {1088, "2003"}, {2054, "f03f"}, {2063, "40"},
}};
const sparse_bytes float_scale_file{2056, {
    {0, "894844460d0a1a0a"}, {13, "080800040010"}, {32, "ffffffffffffffff0808"}, {48, "ffffffffffffffff"}, {64, "60"},
    {72, "01"}, {80, "88"}, {88, "a802"}, {96, "010001000100000018"}, {112, "110010"}, {120, "88"}, {128, "a802"},
    {136, "5452454500000100ffffffffffffffffffffffffffffffff"}, {168, "3004"}, {176, "08"}, {680, "48454150"},
    {688, "58"}, {696, "10"}, {704, "c802"}, {720, "64"}, {728, "01"}, {736, "48"}, {800, "0100070001"}, {809, "01"},
    {816, "010018"}, {824, "010101"}, {832, "02"}, {840, "02"}, {848, "030018000100000011201f0004"},
    {866, "2000170800177f"}, {880, "050008000100000002020201"}, {896, "080018"}, {904, "03010008"}, {914, "08"},
    {928, "0c0030"}, {936, "0100060008000800434c415353000000130000001000000001"},
    {968, "44494d454e53494f4e5f5343414c45000c0028"}, {992, "01000500080008004e414d45"}, {1008, "130000000200000001"},
    {1024, "64"}, {1034, "20"}, {1072, "534e4f440100010008"}, {1088, "2003"}, {2051, "3f0000c03f"},
}};

std::string contents(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void overwrite(const std::filesystem::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }

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
    CHECK_FALSE(s.variables[0].text);
    CHECK(s.attributes[1] == std::pair<std::string, std::string>{"threads", "2"});
    // Nothing but the result is left in the folder.
    CHECK(std::distance(std::filesystem::directory_iterator(path.parent_path()), {}) == 1);
}

TEST_CASE("the summary lists text variables and the auxiliary coordinates", "[sim][hdf5]") {
    integra::testing::temp_folder dir;
    const auto path = dir.path() / "sweep.h5";
    write_netcdf4(sweep_results(), path);
    const auto s = read_summary(path);
    REQUIRE(s.variables.size() == 6);
    CHECK(s.variables[3].name == "point_status");
    CHECK(s.variables[3].text);
    CHECK(s.variables[3].dims == std::vector<std::string>{"point"});
    CHECK(s.variables[3].long_name == "status of each point");
    CHECK(s.variables[1].name == "customs_union.0.external_tariff");
    CHECK(s.dimensions[2].first_labels == std::vector<std::string>{"BRA", "São Tomé", "", "日本"});
    CHECK(std::find(s.attributes.begin(), s.attributes.end(),
                    std::pair<std::string, std::string>{"coordinates", "point_status customs_union.0.external_tariff customs_union.0.revenue"}) !=
          s.attributes.end());
}

TEST_CASE("reading a written file gives the result set back, bit for bit and in order", "[sim][hdf5]") {
    integra::testing::temp_folder dir;
    const result_set original = sweep_results();
    const auto options = GENERATE(write_options{}, compact_write_options, write_options{4, true, 64}, write_options{9, false, std::size_t{1} << 20});
    INFO("gzip level " << options.deflate_level << ", shuffle " << options.shuffle << ", chunks of " << options.chunk_bytes << " bytes");
    write_netcdf4(original, dir.path() / "a.h5", options);
    const result_set once = read_netcdf4(dir.path() / "a.h5");
    check_same(original, once);
    // write(read(write(x))) holds the same data as write(x).
    write_netcdf4(once, dir.path() / "b.h5", options);
    check_same(original, read_netcdf4(dir.path() / "b.h5"));
}

TEST_CASE("the flagship's shape of file round-trips: int64 and string dimensions, empty units become 1", "[sim][hdf5]") {
    integra::testing::temp_folder dir;
    result_set r = small_results();
    r.add({"share", {"region"}, {0.5, 0.25, 0.25}, "", "a share"});
    CHECK(r.find("share").units == "1");
    write_netcdf4(r, dir.path() / "r.h5");
    check_same(r, read_netcdf4(dir.path() / "r.h5"));
}

TEST_CASE("a dimension of length 0 is written and read back", "[sim][hdf5]") {
    integra::testing::temp_folder dir;
    result_set r;
    r.add({"bloc", std::vector<std::string>{}, "trade bloc", ""});
    r.add({"region", std::vector<std::string>{"BRA", "MEX"}, "region", ""});
    r.add({"year", std::vector<std::int64_t>{}, "calendar year", ""});
    r.add({"bloc_member", {"bloc", "region"}, {}, "1", "membership"});
    r.add({"gdp", {"year", "region"}, {}, "million USD/year", "gdp"});
    r.add(text_variable{"bloc_name", {"bloc"}, {}, "name"});
    r.auxiliary_coordinates = {"bloc_name"};
    for (const auto level : {0, 4}) {
        write_netcdf4(r, dir.path() / "empty.h5", write_options{level, true, std::size_t{1} << 20});
        check_same(r, read_netcdf4(dir.path() / "empty.h5"));
        CHECK(read_summary(dir.path() / "empty.h5").dimensions[0].size == 0);
    }
}

TEST_CASE("names are unique across numeric and text variables and dimensions", "[sim][results]") {
    result_set r = small_results();
    CHECK_THROWS_WITH(r.add(text_variable{"gdp", {"year"}, {"a", "b"}, ""}), Contains("variable 'gdp' added twice"));
    r.add(text_variable{"status", {"year"}, {"ok", "ok"}, ""});
    CHECK_THROWS_WITH(r.add(variable{"status", {"year"}, {1, 2}, "1", ""}), Contains("variable 'status' added twice"));
    CHECK_THROWS_WITH(r.add(text_variable{"region", {"year"}, {"a", "b"}, ""}), Contains("name of a dimension"));
    CHECK_THROWS_WITH(r.add(text_variable{"t", {"year", "region"}, {"a"}, ""}), Contains("'t' has 1 values for 6 cells"));
    CHECK_THROWS_WITH(r.add(text_variable{"t", {"sector"}, {"a"}, ""}), Contains("no dimension 'sector'"));
    CHECK(r.find_text("status").data == std::vector<std::string>{"ok", "ok"});
    CHECK_THROWS_AS(r.find_text("gdp"), integra::internal_error);
}

TEST_CASE("the writer rejects unknown auxiliary coordinates, a reserved attribute and bad options", "[sim][hdf5]") {
    integra::testing::temp_folder dir;
    result_set r = small_results();
    r.auxiliary_coordinates = {"nothing"};
    CHECK_THROWS_WITH(write_netcdf4(r, dir.path() / "r.h5"), Contains("auxiliary coordinate 'nothing' is not a variable"));
    r.auxiliary_coordinates = {"gdp", "gdp"};
    CHECK_THROWS_WITH(write_netcdf4(r, dir.path() / "r.h5"), Contains("listed twice"));
    r.auxiliary_coordinates.clear();
    r.set_attribute("coordinates", std::string("gdp"));
    CHECK_THROWS_WITH(write_netcdf4(r, dir.path() / "r.h5"), Contains("'coordinates' is reserved"));
    CHECK_THROWS_WITH(write_netcdf4(small_results(), dir.path() / "r.h5", write_options{10, true, 1024}), Contains("gzip level must be 0 (none) to 9, got 10"));
    CHECK_THROWS_WITH(write_netcdf4(small_results(), dir.path() / "r.h5", write_options{1, true, 4}), Contains("at least 8 bytes, got 4"));
    CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("chunks keep whole trailing dimensions, cut the leading ones and avoid padded edges", "[sim][hdf5]") {
    using shape = std::vector<std::size_t>;
    const std::size_t MiB = std::size_t{1} << 20;
    CHECK(chunk_shape({2, 28, 38}, 8, MiB) == shape{2, 28, 38});                    // small: one chunk
    CHECK(chunk_shape({2, 28, 38, 38, 4}, 8, MiB) == shape{1, 14, 38, 38, 4});      // not {1, 22, ...}: 22 + 6 wastes
    CHECK(chunk_shape({10000, 28, 38}, 8, MiB) == shape{122, 28, 38});              // a sweep: 122 points a chunk
    CHECK(chunk_shape({10000, 28, 38}, 8, default_chunk_bytes) == shape{30, 28, 38});
    CHECK(chunk_shape({2, 28, 38, 38, 4}, 8, default_chunk_bytes) == shape{1, 5, 38, 38, 4});
    CHECK(chunk_shape({10000, 2, 28, 38, 38, 4}, 8, MiB) == shape{1, 1, 14, 38, 38, 4});
    CHECK(chunk_shape({3, 1000000}, 8, MiB) == shape{1, 125000});                   // even the last dimension is cut
    CHECK(chunk_shape({0, 5}, 8, MiB) == shape{1, 5});
    CHECK(chunk_shape({}, 8, MiB).empty());
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

TEST_CASE("reading a missing, non-regular or non-HDF5 file says so: an input error (exit code 2)", "[sim][hdf5]") {
    CHECK_THROWS_AS(read_summary("/nonexistent/r.h5"), integra::invalid_input);
    CHECK_THROWS_WITH(read_summary("/nonexistent/r.h5"), Contains("no such file"));
    integra::testing::temp_folder dir;
    const auto not_hdf5 = dir.write("x.h5", "plain text");
    CHECK_THROWS_AS(read_summary(not_hdf5), integra::invalid_input);
    CHECK_THROWS_WITH(read_summary(not_hdf5), Contains("x.h5: not an HDF5 file"));
    CHECK_THROWS_AS(read_summary(dir.path()), integra::invalid_input);
    CHECK_THROWS_WITH(read_summary(dir.path()), Contains("not a regular file"));
    CHECK_THROWS_AS(read_netcdf4("/nonexistent/r.h5"), integra::invalid_input);
    CHECK_THROWS_WITH(read_netcdf4("/nonexistent/r.h5"), Contains("/nonexistent/r.h5: no such file"));
    CHECK_THROWS_AS(read_netcdf4(not_hdf5), integra::invalid_input);
    CHECK_THROWS_WITH(read_netcdf4(not_hdf5), Contains("x.h5: not an HDF5 file"));
}

TEST_CASE("reading a damaged or foreign file throws io_error naming the file and the variable", "[sim][hdf5]") {
    integra::testing::temp_folder dir;
    const auto path = dir.path() / "r.h5";
    write_netcdf4(small_results(), path);
    const std::string good = contents(path);

    SECTION("truncated") {
        overwrite(path, good.substr(0, good.size() / 2));
        CHECK_THROWS_AS(read_netcdf4(path), integra::io_error);
        CHECK_THROWS_WITH(read_netcdf4(path), Contains(path.string() + ": "));
    }
    SECTION("an axis without a dimension scale") {
        overwrite(path, no_scale_file.bytes());
        CHECK_THROWS_WITH(read_netcdf4(path), Contains(path.string() + ": variable 'x': axis 0 has no dimension scale"));
    }
    SECTION("a dimension of a type never written") {
        overwrite(path, float_scale_file.bytes());
        CHECK_THROWS_WITH(read_netcdf4(path), Contains(path.string() + ": dimension 'd': expected variable-length strings or integers"));
    }
}

namespace {

std::size_t file_count(const std::filesystem::path& folder) {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(folder), {}));
}

// A result set of about 8 MB, larger than the file-size limit of the test below.
result_set big_results() {
    result_set r;
    r.add({"cell", std::vector<std::int64_t>(1'000'000, 1), "cell", ""});
    r.add({"x", {"cell"}, std::vector<double>(1'000'000, 0.5), "1", "filler"});
    return r;
}

}  // namespace

TEST_CASE("a file that grows past the size limit fails with EFBIG: io_error naming the file, nothing left", "[sim][hdf5]") {
    integra::testing::temp_folder dir;
    const auto path = dir.path() / "r.h5";
    write_netcdf4(small_results(), path);
    const std::string before = contents(path);
    const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);  // as integra's main does
    rlimit previous{};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &previous) == 0);
    rlimit limited = previous;
    limited.rlim_cur = std::min<rlim_t>(previous.rlim_cur, 1 << 20);
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
    std::string message;
    try {
        write_netcdf4(big_results(), path);
    } catch (const integra::io_error& e) {
        message = e.what();
    }
    ::setrlimit(RLIMIT_FSIZE, &previous);
    std::signal(SIGXFSZ, previous_handler);
    CHECK_THAT(message, Contains("cannot write " + path.string() + ": File too large"));
    CHECK(contents(path) == before);
    CHECK(file_count(dir.path()) == 1);
}

TEST_CASE("a write removes the partial files its target's dead processes left, and keeps the others", "[sim][hdf5]") {
    integra::testing::temp_folder dir;
    const auto stale = dir.write(".r.h5.99999999.partial", "left by a killed run");
    const auto huge_pid = dir.write(".r.h5.99999999999999.partial", "no such PID either");
    const auto live = dir.write(".r.h5." + std::to_string(::getppid()) + ".partial", "a run still writing");
    const auto other_target = dir.write(".q.h5.99999999.partial", "another target's");
    const auto not_a_pid = dir.write(".r.h5.1x.partial", "not our pattern");
    write_netcdf4(small_results(), dir.path() / "r.h5");
    CHECK_FALSE(std::filesystem::exists(stale));
    CHECK_FALSE(std::filesystem::exists(huge_pid));
    CHECK(std::filesystem::exists(live));
    CHECK(std::filesystem::exists(other_target));
    CHECK(std::filesystem::exists(not_a_pid));
    CHECK(file_count(dir.path()) == 4);
}

TEST_CASE("check_output_target refuses outputs that cannot be written, before anything runs", "[sim][hdf5]") {
    integra::testing::temp_folder dir;
    const auto afile = dir.write("afile", "a regular file");
    CHECK_NOTHROW(check_output_target(dir.path() / "new" / "deeper" / "r.h5"));
    CHECK_NOTHROW(check_output_target(afile));  // an earlier result is replaced
    CHECK_THROWS_AS(check_output_target(afile / "r.h5"), integra::invalid_input);
    CHECK_THROWS_WITH(check_output_target(afile / "r.h5"),
                      Contains("cannot create folder " + afile.string() + ": " + afile.string() + " is a file, not a folder"));
    CHECK_THROWS_WITH(check_output_target(afile / "sub" / "r.h5"), Contains(afile.string() + " is a file, not a folder"));
    CHECK_THROWS_WITH(check_output_target("-"), Contains("cannot write results to standard output"));
    CHECK_THROWS_WITH(check_output_target("/dev/stdin"), Contains("exists and is not a regular file"));
    CHECK_THROWS_WITH(check_output_target("/dev/null"), Contains("a device or special file"));
    CHECK_THROWS_WITH(check_output_target("/proc/integra_r.h5"), Contains("cannot write in folder /proc ("));
    const auto fifo = dir.path() / "fifo.h5";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THROWS_WITH(check_output_target(fifo), Contains("(a FIFO)"));
    CHECK(file_count(dir.path()) == 2);  // the check leaves nothing behind
}
