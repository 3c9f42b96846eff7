// A small reader of zip archives (PKWARE APPNOTE 6.3), enough for the MRIO databases that
// are distributed zipped (EXIOBASE 3: IOT_2022_ixi.zip, about 700 MB, one folder of text
// files). Supported: the central directory (found through the end-of-central-directory
// record, with an archive comment up to 64 KiB), zip64 sizes and offsets (the zip64 end
// record and the zip64 extra field), entries stored (method 0) or deflated (method 8, raw
// inflate through zlib). Each entry is streamed, not loaded whole, and its size and CRC-32
// are checked when its end is read. Not supported (refused with the entry named):
// encryption, other methods (bzip2, LZMA, deflate64), archives split over several disks.
// Refused as corrupt: a central directory or an entry's data outside the file (offsets and
// sizes checked without overflow), a size or offset 0xFFFFFFFF without the zip64 extra
// field that gives it, bytes left after the end of a deflate stream. The end record is the
// last signature whose comment length reaches exactly the end of the file.
// Errors throw invalid_input and name the archive and the entry ("A.zip: ..." or
// "A.zip:IOT_2022_ixi/A.txt: ...").
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace integra::sim {

class zip_archive {
public:
    struct entry {
        std::string name;                  ///< path in the archive, '/'-separated; folders end in '/'
        std::uint64_t compressed_size = 0;  ///< bytes
        std::uint64_t size = 0;             ///< bytes once inflated
        std::uint64_t local_header_offset = 0;
        std::uint16_t method = 0;  ///< 0 stored, 8 deflated
        std::uint16_t flags = 0;
        std::uint32_t crc32 = 0;
    };

    /// Reads the central directory of `file`; throws invalid_input when it is not a zip
    /// archive, is truncated, or uses what is not supported (above).
    explicit zip_archive(std::filesystem::path file);

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] const std::vector<entry>& entries() const { return entries_; }
    /// The entry named exactly `name`, or nullptr.
    [[nodiscard]] const entry* find(std::string_view name) const;
    /// A stream of the entry's content. Reading it throws invalid_input (the stream has
    /// badbit in its exception mask, so the original exception propagates) when the data
    /// are truncated or corrupt, or when the size or CRC-32 at the end differ.
    [[nodiscard]] std::unique_ptr<std::istream> open(const entry& e) const;
    /// The whole content of a (small) entry.
    [[nodiscard]] std::string read(const entry& e) const;

private:
    std::filesystem::path path_;
    std::vector<entry> entries_;
    std::uint64_t cd_offset_ = 0;  ///< where the central directory starts: every entry's data end before it
};

/// True when `file` is a regular file that starts with a zip local-header or
/// end-of-central-directory signature.
[[nodiscard]] bool looks_like_zip(const std::filesystem::path& file);

}  // namespace integra::sim
