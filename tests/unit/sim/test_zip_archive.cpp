// The zip reader: the EXIOBASE layout fixture archive (Python's zipfile: stored and
// deflated entries), archives written here with zlib (a multi-megabyte entry, zip64
// records), and truncated, corrupt or unsupported archives refused naming archive and entry.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/zip_archive.hpp"
#include "temp_folder.hpp"
#include "tests/unit/sim/file_test_support.hpp"

using Catch::Matchers::Contains;
namespace fs = std::filesystem;
using integra::sim::zip_archive;

namespace {

using integra::testing::max_abs_diff;
using integra::testing::message_of;
using integra::testing::read_text;

const fs::path fixture_zip = INTEGRA_TEST_DIR "/data/mrio/exiobase3_ixi_small.zip";
const fs::path fixture_folder = INTEGRA_TEST_DIR "/data/mrio/exiobase3_ixi_small";

void put(std::string& out, std::uint64_t v, int bytes) {
    for (int k = 0; k < bytes; ++k) out += static_cast<char>((v >> (8 * k)) & 0xFF);
}

std::string raw_deflate(const std::string& data) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

// A zip archive of (name, content) entries, all deflated; with `zip64`, sizes and offsets
// go through the zip64 extra field and the zip64 end records (as for entries over 4 GiB).
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& files, bool zip64) {
    std::string out, cd;
    for (const auto& [name, data] : files) {
        const std::string packed = raw_deflate(data);
        const auto crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
        const std::uint64_t offset = out.size();
        std::string extra;
        if (zip64) {
            put(extra, 1, 2);
            put(extra, 24, 2);
            put(extra, data.size(), 8);
            put(extra, packed.size(), 8);
            put(extra, offset, 8);
        }
        put(out, 0x04034b50, 4);
        put(out, 45, 2);
        put(out, 0, 2);
        put(out, 8, 2);
        put(out, 0, 4);
        put(out, crc, 4);
        put(out, zip64 ? 0xFFFFFFFF : packed.size(), 4);
        put(out, zip64 ? 0xFFFFFFFF : data.size(), 4);
        put(out, name.size(), 2);
        put(out, 0, 2);
        out += name + packed;
        put(cd, 0x02014b50, 4);
        put(cd, 45, 2);
        put(cd, 45, 2);
        put(cd, 0, 2);
        put(cd, 8, 2);
        put(cd, 0, 4);
        put(cd, crc, 4);
        put(cd, zip64 ? 0xFFFFFFFF : packed.size(), 4);
        put(cd, zip64 ? 0xFFFFFFFF : data.size(), 4);
        put(cd, name.size(), 2);
        put(cd, extra.size(), 2);
        put(cd, 0, 2);
        put(cd, 0, 2);
        put(cd, 0, 2);
        put(cd, 0, 4);
        put(cd, zip64 ? 0xFFFFFFFF : offset, 4);
        cd += name + extra;
    }
    const std::uint64_t cd_offset = out.size();
    out += cd;
    if (zip64) {
        const std::uint64_t record = out.size();
        put(out, 0x06064b50, 4);
        put(out, 44, 8);
        put(out, 45, 2);
        put(out, 45, 2);
        put(out, 0, 4);
        put(out, 0, 4);
        put(out, files.size(), 8);
        put(out, files.size(), 8);
        put(out, cd.size(), 8);
        put(out, cd_offset, 8);
        put(out, 0x07064b50, 4);
        put(out, 0, 4);
        put(out, record, 8);
        put(out, 1, 4);
    }
    put(out, 0x06054b50, 4);
    put(out, 0, 4);
    put(out, zip64 ? 0xFFFF : files.size(), 2);
    put(out, zip64 ? 0xFFFF : files.size(), 2);
    put(out, zip64 ? 0xFFFFFFFF : cd.size(), 4);
    put(out, zip64 ? 0xFFFFFFFF : cd_offset, 4);
    put(out, 0, 2);
    return out;
}

}  // namespace

TEST_CASE("the fixture archive lists its entries and reads stored and deflated ones", "[zip]") {
    const zip_archive z(fixture_zip);
    const auto* params = z.find("IOT_2022_ixi/file_parameters.json");
    const auto* a = z.find("IOT_2022_ixi/A.txt");
    const auto* f = z.find("IOT_2022_ixi/satellite/F.txt");
    REQUIRE(params);
    REQUIRE(a);
    REQUIRE(f);
    CHECK(params->method == 0);
    CHECK(a->method == 8);
    CHECK(z.find("A.txt") == nullptr);
    CHECK(z.read(*params) == read_text(fixture_folder / "file_parameters.json"));
    CHECK(z.read(*a) == read_text(fixture_folder / "A.txt"));
    CHECK(z.read(*f) == read_text(fixture_folder / "satellite" / "F.txt"));
    CHECK(integra::sim::looks_like_zip(fixture_zip));
    CHECK_FALSE(integra::sim::looks_like_zip(fixture_folder / "A.txt"));
}

TEST_CASE("a multi-megabyte entry is streamed line by line, in plain and zip64 archives", "[zip]") {
    std::string big;
    for (int k = 0; k < 200000; ++k) big += "row " + std::to_string(k) + "\t" + std::to_string(k * 0.5) + "\n";
    REQUIRE(big.size() > 3'000'000);
    integra::testing::temp_folder tmp;
    for (const bool zip64 : {false, true}) {
        const auto path = tmp.write(zip64 ? "big64.zip" : "big.zip", make_zip({{"top/small.txt", "a\tb\n"}, {"top/big.txt", big}}, zip64));
        const zip_archive z(path);
        REQUIRE(z.entries().size() == 2);
        const auto* e = z.find("top/big.txt");
        REQUIRE(e);
        CHECK(e->size == big.size());
        auto in = z.open(*e);
        std::string line, last;
        std::size_t lines = 0;
        while (std::getline(*in, line)) {
            ++lines;
            last = line;
        }
        CHECK(lines == 200000);
        CHECK(last == "row 199999\t99999.500000");  // std::to_string(double)
        CHECK(z.read(*z.find("top/small.txt")) == "a\tb\n");
    }
}

TEST_CASE("truncated, corrupt and unsupported archives are refused naming archive and entry", "[zip]") {
    integra::testing::temp_folder tmp;
    const std::string bytes = read_text(fixture_zip);
    SECTION("truncated: the central directory is gone") {
        const auto cut = tmp.write("cut.zip", bytes.substr(0, bytes.size() / 2));
        CHECK_THAT(message_of([&] { zip_archive z(cut); }),
                   Contains("cut.zip: no end-of-central-directory record (not a zip archive, or truncated)"));
    }
    SECTION("too short to be an archive") {
        const auto cut = tmp.write("tiny.zip", "PK\x03\x04");
        CHECK_THAT(message_of([&] { zip_archive z(cut); }), Contains("tiny.zip: 4 bytes, too short for a zip archive"));
    }
    SECTION("a corrupt deflated entry: zlib, the size or the CRC-32 reports it, naming the entry") {
        const zip_archive good(fixture_zip);
        const auto* a = good.find("IOT_2022_ixi/A.txt");
        std::string broken = bytes;
        const std::size_t data = a->local_header_offset + 30 + std::string("IOT_2022_ixi/A.txt").size() + a->compressed_size / 2;
        broken[data] = static_cast<char>(broken[data] ^ 0x55);
        const auto path = tmp.write("flipped.zip", broken);
        const zip_archive z(path);
        const std::string what = message_of([&] { (void)z.read(*z.find("IOT_2022_ixi/A.txt")); });
        CHECK_THAT(what, Contains("flipped.zip:IOT_2022_ixi/A.txt: "));
        CHECK_THAT(what, Contains("corrupt"));  // the archive's name no longer says it
    }
    SECTION("a valid deflate stream with a wrong CRC-32 in the central directory") {
        std::string zip = make_zip({{"x.txt", "abc"}}, false);
        const auto cd = zip.find("PK\x01\x02");
        const auto crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>("abc"), 3);
        zip[cd + 16] = static_cast<char>(zip[cd + 16] ^ 1);
        const auto path = tmp.write("crc.zip", zip);
        const zip_archive z(path);
        CHECK_THAT(message_of([&] { (void)z.read(z.entries().front()); }),
                   Contains(integra::cat("crc.zip:x.txt: CRC-32 ", crc, " differs from the ", crc ^ 1,
                                         " the central directory gives (corrupt entry)")));
    }
    SECTION("an inflated size other than the central directory's") {
        std::string zip = make_zip({{"x.txt", "abc"}}, false);
        const auto cd = zip.find("PK\x01\x02");
        zip[cd + 24] = 4;  // 3 bytes inflate to 3, not 4
        const auto longer = tmp.write("size.zip", zip);
        const zip_archive z(longer);
        CHECK_THAT(message_of([&] { (void)z.read(z.entries().front()); }),
                   Contains("size.zip:x.txt: 3 bytes; the central directory gives 4 (truncated or corrupt entry)"));
        zip[cd + 24] = 2;
        const auto shorter = tmp.write("size2.zip", zip);
        const zip_archive z2(shorter);
        CHECK_THAT(message_of([&] { (void)z2.read(z2.entries().front()); }),
                   Contains("size2.zip:x.txt: more than the 2 bytes the central directory gives (corrupt archive)"));
    }
    SECTION("bytes left after the end of the deflate stream") {
        // The entry's compressed size counts 3 junk bytes after the stream.
        const std::string packed = raw_deflate("abc");
        std::string zip = make_zip({{"x.txt", "abc"}}, false);
        const auto cd = zip.find("PK\x01\x02");
        zip.insert(30 + 5 + packed.size(), "\x01\x02\x03");
        const auto cd2 = cd + 3;
        auto set4 = [&](std::size_t at, std::uint64_t v) {
            for (int k = 0; k < 4; ++k) zip[at + k] = static_cast<char>((v >> (8 * k)) & 0xFF);
        };
        set4(18, packed.size() + 3);
        set4(cd2 + 20, packed.size() + 3);
        set4(zip.size() - 6, cd2);  // the end record's directory offset
        const auto path = tmp.write("junk.zip", zip);
        const zip_archive z(path);
        CHECK_THAT(message_of([&] { (void)z.read(z.entries().front()); }),
                   Contains(integra::cat("junk.zip:x.txt: 3 byte(s) left after the end of the deflate stream; the central directory gives ",
                                         packed.size() + 3, " compressed bytes, the stream uses ", packed.size(), " (corrupt entry)")));
    }
    SECTION("a size of 0xFFFFFFFF without a zip64 extra field") {
        std::string zip = make_zip({{"x.txt", "abc"}}, false);
        const auto cd = zip.find("PK\x01\x02");
        for (int k = 0; k < 4; ++k) zip[cd + 20 + k] = '\xFF';
        const auto path = tmp.write("marker.zip", zip);
        CHECK_THAT(message_of([&] { zip_archive z(path); }),
                   Contains("marker.zip:x.txt: compressed size 0xFFFFFFFF (the zip64 marker) without a zip64 extra field"));
    }
    SECTION("a zip64 compressed size past the central directory") {
        std::string zip = make_zip({{"x.txt", "abc"}}, true);
        const auto cd = zip.find("PK\x01\x02");
        // The zip64 extra field: id, length, size, compressed size (set near 2^64), offset.
        const std::size_t compressed = cd + 46 + 5 + 4 + 8;
        for (int k = 0; k < 8; ++k) zip[compressed + k] = '\xFF';
        const auto path = tmp.write("huge.zip", zip);
        const zip_archive z(path);
        CHECK_THAT(message_of([&] { (void)z.open(z.entries().front()); }),
                   Contains("huge.zip:x.txt: the compressed data (18446744073709551615 bytes at byte 35) run past the central directory"));
    }
    SECTION("a zip64 directory offset and size whose sum wraps around") {
        std::string zip = make_zip({{"x.txt", "abc"}}, true);
        const auto record = zip.find("PK\x06\x06");
        auto set8 = [&](std::size_t at, std::uint64_t v) {
            for (int k = 0; k < 8; ++k) zip[at + k] = static_cast<char>((v >> (8 * k)) & 0xFF);
        };
        set8(record + 40, 0x100);                  // size
        set8(record + 48, 0xFFFFFFFFFFFFFF80ULL);  // offset: offset + size wraps to 0x80
        const auto path = tmp.write("wrap.zip", zip);
        CHECK_THAT(message_of([&] { zip_archive z(path); }),
                   Contains("wrap.zip: the central directory (256 bytes at byte 18446744073709551488) runs past the end of the"));
    }
    SECTION("a method other than stored or deflated") {
        std::string changed = make_zip({{"x.txt", "abc"}}, false);
        changed[8] = 12;  // local header's method; the central directory's, below
        const auto cd = changed.find("PK\x01\x02");
        changed[cd + 10] = 12;
        const auto path = tmp.write("bzip2.zip", changed);
        const zip_archive z(path);
        CHECK_THAT(message_of([&] { (void)z.open(z.entries().front()); }),
                   Contains("bzip2.zip:x.txt: compression method 12 is not supported (expected 0, stored, or 8, deflated)"));
    }
    SECTION("an archive cut inside an entry: the directory is no longer where the end record says") {
        std::string zip = make_zip({{"x.txt", std::string(5000, 'x') + "y"}}, false);
        // The entry cut after 5 bytes of data, the directory kept: its offset now points past the end.
        const auto cd = zip.find("PK\x01\x02");
        const auto path = tmp.write("short.zip", zip.substr(0, 40) + zip.substr(cd));
        CHECK_THAT(message_of([&] {
                       const zip_archive z(path);
                       (void)z.read(z.entries().front());
                   }),
                   Contains("short.zip: central directory entry 1 of 1 is missing or corrupt"));
    }
    SECTION("an entry whose data are cut short by the central directory") {
        std::string zip = make_zip({{"x.txt", std::string(5000, 'x') + "y"}}, false);
        const auto cd = zip.find("PK\x01\x02");
        const std::string packed_size = zip.substr(18, 4);
        // The data cut by 4 bytes, the offsets of the directory fixed: its compressed size now
        // reaches into the directory.
        zip.erase(cd - 4, 4);
        const std::uint64_t at = cd - 4;
        for (int k = 0; k < 4; ++k) zip[zip.size() - 6 + k] = static_cast<char>((at >> (8 * k)) & 0xFF);
        const auto path = tmp.write("cut_entry.zip", zip);
        const zip_archive z(path);
        CHECK_THAT(message_of([&] { (void)z.read(z.entries().front()); }),
                   Contains(integra::cat("cut_entry.zip:x.txt: the compressed data (", cd - 35, " bytes at byte 35) run past the central directory at byte ",
                                         at, " (corrupt or truncated archive)")));
    }
}

TEST_CASE("zip end records: a signature in the comment, zip64 disk numbers 0xFFFF", "[zip]") {
    integra::testing::temp_folder tmp;
    SECTION("an end-of-central-directory signature inside the archive comment is not the record") {
        std::string zip = make_zip({{"x.txt", "abc"}}, false);
        const std::string comment = std::string("PK\x05\x06") + std::string(18, '\0') + "tail";
        zip[zip.size() - 2] = static_cast<char>(comment.size());
        zip += comment;
        const auto path = tmp.write("comment.zip", zip);
        const zip_archive z(path);
        REQUIRE(z.entries().size() == 1);
        CHECK(z.read(z.entries().front()) == "abc");
    }
    SECTION("zip64 archives with the disk numbers 0xFFFF in the end record") {
        std::string zip = make_zip({{"x.txt", "abc"}}, true);
        for (int k = 4; k < 8; ++k) zip[zip.size() - 22 + k] = '\xFF';
        const auto path = tmp.write("disks.zip", zip);
        const zip_archive z(path);
        REQUIRE(z.entries().size() == 1);
        CHECK(z.read(z.entries().front()) == "abc");
    }
    SECTION("a plain archive over several disks is still refused") {
        std::string zip = make_zip({{"x.txt", "abc"}}, false);
        zip[zip.size() - 22 + 4] = 1;
        const auto path = tmp.write("split.zip", zip);
        CHECK_THAT(message_of([&] { zip_archive z(path); }), Contains("split.zip: an archive split over several disks is not supported"));
    }
}
