// Zip reading on zlib: the central directory by hand, entries inflated as streams.
#include "sim/data/zip_archive.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <limits>
#include <streambuf>
#include <tuple>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::sim {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t local_signature = 0x04034b50;
constexpr std::uint32_t central_signature = 0x02014b50;
constexpr std::uint32_t end_signature = 0x06054b50;
constexpr std::uint32_t zip64_end_signature = 0x06064b50;
constexpr std::uint32_t zip64_locator_signature = 0x07064b50;
constexpr std::size_t end_record_size = 22;
constexpr std::size_t max_comment = 0xFFFF;

// Little-endian fields of a byte buffer, bounds-checked by the callers.
std::uint64_t le(const unsigned char* p, int bytes) {
    std::uint64_t v = 0;
    for (int k = bytes - 1; k >= 0; --k) v = (v << 8) | p[k];
    return v;
}

std::string read_at(std::ifstream& in, std::uint64_t offset, std::size_t n, const std::string& where, const char* what) {
    std::string buffer(n, '\0');
    in.clear();
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(buffer.data(), static_cast<std::streamsize>(n));
    if (static_cast<std::size_t>(in.gcount()) != n)
        throw invalid_input(cat(where, ": ", what, " at byte ", offset, " is cut short (", in.gcount(), " of ", n,
                                " bytes; truncated archive?)"));
    return buffer;
}
const unsigned char* bytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// Streams one entry: stored bytes copied, deflated bytes inflated; size and CRC-32 checked
// at the end. Errors throw invalid_input from underflow (see zip_archive::open).
class entry_buffer : public std::streambuf {
public:
    entry_buffer(const fs::path& archive, const zip_archive::entry& e, std::uint64_t data_offset)
        : in_(archive, std::ios::binary), where_(archive.string() + ":" + e.name), remaining_(e.compressed_size),
          expected_size_(e.size), expected_crc_(e.crc32), deflated_(e.method == 8) {
        if (!in_) throw invalid_input(where_ + ": cannot open the archive");
        in_.seekg(static_cast<std::streamoff>(data_offset));
        if (deflated_) {
            z_ = {};
            if (inflateInit2(&z_, -MAX_WBITS) != Z_OK) throw invalid_input(where_ + ": cannot start zlib's inflate");
            z_open_ = true;
        }
    }
    ~entry_buffer() override {
        if (z_open_) inflateEnd(&z_);
    }
    entry_buffer(const entry_buffer&) = delete;
    entry_buffer& operator=(const entry_buffer&) = delete;

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        while (!done_) {
            const std::size_t produced = deflated_ ? inflate_some() : copy_some();
            if (produced > 0) {
                crc_ = crc32(crc_, reinterpret_cast<const Bytef*>(out_.data()), static_cast<uInt>(produced));
                produced_ += produced;
                if (produced_ > expected_size_)
                    throw invalid_input(cat(where_, ": more than the ", expected_size_, " bytes the central directory gives (corrupt archive)"));
                setg(out_.data(), out_.data(), out_.data() + produced);
                return traits_type::to_int_type(*gptr());
            }
        }
        return traits_type::eof();
    }

private:
    std::size_t fill_input(char* to, std::size_t capacity) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, remaining_));
        if (n == 0) return 0;
        in_.read(to, static_cast<std::streamsize>(n));
        const auto got = static_cast<std::size_t>(in_.gcount());
        if (got != n)
            throw invalid_input(cat(where_, ": compressed data cut short after ", consumed_ + got, " of ",
                                    consumed_ + remaining_, " bytes (truncated archive)"));
        remaining_ -= got;
        consumed_ += got;
        return got;
    }
    std::size_t copy_some() {
        const std::size_t n = fill_input(out_.data(), out_.size());
        if (n == 0) finish();
        return n;
    }
    std::size_t inflate_some() {
        if (stream_end_) {
            finish();
            return 0;
        }
        if (z_.avail_in == 0) {
            const std::size_t n = fill_input(in_buffer_.data(), in_buffer_.size());
            z_.next_in = reinterpret_cast<Bytef*>(in_buffer_.data());
            z_.avail_in = static_cast<uInt>(n);
        }
        z_.next_out = reinterpret_cast<Bytef*>(out_.data());
        z_.avail_out = static_cast<uInt>(out_.size());
        const int rc = inflate(&z_, Z_NO_FLUSH);
        const std::size_t produced = out_.size() - z_.avail_out;
        if (rc == Z_STREAM_END) {
            stream_end_ = true;
            // The deflate stream must use up exactly the compressed size the directory gives.
            const std::uint64_t left = z_.avail_in + remaining_;
            if (left != 0)
                throw invalid_input(cat(where_, ": ", left, " byte(s) left after the end of the deflate stream; the central directory gives ",
                                        consumed_ + remaining_, " compressed bytes, the stream uses ", consumed_ + remaining_ - left,
                                        " (corrupt entry)"));
        }
        else if (rc == Z_BUF_ERROR && z_.avail_in == 0 && remaining_ == 0)
            throw invalid_input(where_ + ": the deflated data end before the deflate stream does (truncated or corrupt entry)");
        else if (rc != Z_OK && rc != Z_BUF_ERROR)
            throw invalid_input(cat(where_, ": corrupt deflated data (zlib: ", z_.msg ? z_.msg : "error", ")"));
        return produced;
    }
    void finish() {
        done_ = true;
        if (produced_ != expected_size_)
            throw invalid_input(cat(where_, ": ", produced_, " bytes; the central directory gives ", expected_size_,
                                    " (truncated or corrupt entry)"));
        if (crc_ != expected_crc_)
            throw invalid_input(cat(where_, ": CRC-32 ", crc_, " differs from the ", expected_crc_,
                                    " the central directory gives (corrupt entry)"));
    }

    std::ifstream in_;
    std::string where_;
    std::uint64_t remaining_, consumed_ = 0, produced_ = 0, expected_size_;
    std::uint32_t expected_crc_;
    uLong crc_ = crc32(0L, Z_NULL, 0);
    bool deflated_, z_open_ = false, done_ = false, stream_end_ = false;
    z_stream z_{};
    std::array<char, 1 << 16> in_buffer_{};
    std::array<char, 1 << 18> out_{};
};

// The stream owns its buffer.
class entry_stream : public std::istream {
public:
    explicit entry_stream(std::unique_ptr<entry_buffer> buffer) : std::istream(buffer.get()), buffer_(std::move(buffer)) {
        exceptions(std::ios::badbit);
    }

private:
    std::unique_ptr<entry_buffer> buffer_;
};

}  // namespace

zip_archive::zip_archive(fs::path file) : path_(std::move(file)) {
    const std::string where = path_.string();
    std::error_code ec;
    if (!fs::is_regular_file(path_, ec)) throw invalid_input(where + ": not a file (expected a zip archive)");
    std::ifstream in(path_, std::ios::binary);
    if (!in) throw invalid_input(where + ": cannot open the file");
    const std::uint64_t file_size = fs::file_size(path_, ec);
    if (ec || file_size < end_record_size)
        throw invalid_input(cat(where, ": ", file_size, " bytes, too short for a zip archive (truncated?)"));

    // The end-of-central-directory record: searching backwards within 22 + 64 KiB of the end,
    // the first signature whose comment ends exactly at the end of the file (a signature
    // inside the archive comment is not the record).
    const std::uint64_t tail_size = std::min<std::uint64_t>(file_size, end_record_size + max_comment);
    const std::string tail = read_at(in, file_size - tail_size, static_cast<std::size_t>(tail_size), where, "the end");
    std::size_t at = std::string::npos;
    for (std::size_t k = tail.size() - end_record_size + 1; k-- > 0;)
        if (le(bytes(tail) + k, 4) == end_signature && k + end_record_size + le(bytes(tail) + k + 20, 2) == tail.size()) {
            at = k;
            break;
        }
    if (at == std::string::npos)
        throw invalid_input(where + ": no end-of-central-directory record (not a zip archive, or truncated)");
    const unsigned char* end = bytes(tail) + at;
    const std::uint64_t end_offset = file_size - tail_size + at;
    const std::uint64_t disk = le(end + 4, 2), cd_disk = le(end + 6, 2);
    auto split = [&] { return invalid_input(where + ": an archive split over several disks is not supported"); };
    // Disk numbers 0xFFFF mean "see the zip64 end record" (as some zip64 writers set them).
    if ((disk != 0 && disk != 0xFFFF) || (cd_disk != 0 && cd_disk != 0xFFFF)) throw split();
    std::uint64_t n_entries = le(end + 10, 2), cd_size = le(end + 12, 4), cd_offset = le(end + 16, 4);
    if (n_entries == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF || disk == 0xFFFF || cd_disk == 0xFFFF) {
        // zip64: the locator sits right before the end record and points at the zip64 end record.
        if (end_offset < 20) throw invalid_input(where + ": zip64 values without a zip64 locator (corrupt archive)");
        const std::string locator = read_at(in, end_offset - 20, 20, where, "the zip64 locator");
        if (le(bytes(locator), 4) != zip64_locator_signature)
            throw invalid_input(where + ": zip64 values without a zip64 locator (corrupt archive)");
        const std::uint64_t record_offset = le(bytes(locator) + 8, 8);
        const std::string record = read_at(in, record_offset, 56, where, "the zip64 end record");
        if (le(bytes(record), 4) != zip64_end_signature)
            throw invalid_input(cat(where, ": no zip64 end record at byte ", record_offset, " (corrupt archive)"));
        if (le(bytes(record) + 16, 4) != 0 || le(bytes(record) + 20, 4) != 0) throw split();
        n_entries = le(bytes(record) + 32, 8);
        cd_size = le(bytes(record) + 40, 8);
        cd_offset = le(bytes(record) + 48, 8);
    }
    // Without overflow: zip64 offsets and sizes may be anything up to 2^64 - 1.
    if (cd_size > file_size || cd_offset > file_size - cd_size)
        throw invalid_input(cat(where, ": the central directory (", cd_size, " bytes at byte ", cd_offset, ") runs past the end of the ",
                                file_size, "-byte file (truncated archive)"));
    if (cd_size > std::numeric_limits<std::uint32_t>::max())
        throw invalid_input(cat(where, ": a central directory of ", cd_size, " bytes is not supported"));
    const std::string cd = read_at(in, cd_offset, static_cast<std::size_t>(cd_size), where, "the central directory");
    cd_offset_ = cd_offset;

    std::size_t pos = 0;
    for (std::uint64_t k = 0; k < n_entries; ++k) {
        if (pos + 46 > cd.size() || le(bytes(cd) + pos, 4) != central_signature)
            throw invalid_input(cat(where, ": central directory entry ", k + 1, " of ", n_entries, " is missing or corrupt"));
        const unsigned char* h = bytes(cd) + pos;
        entry e;
        e.flags = static_cast<std::uint16_t>(le(h + 8, 2));
        e.method = static_cast<std::uint16_t>(le(h + 10, 2));
        e.crc32 = static_cast<std::uint32_t>(le(h + 16, 4));
        e.compressed_size = le(h + 20, 4);
        e.size = le(h + 24, 4);
        const std::size_t name_length = le(h + 28, 2), extra_length = le(h + 30, 2), comment_length = le(h + 32, 2);
        e.local_header_offset = le(h + 42, 4);
        if (pos + 46 + name_length + extra_length + comment_length > cd.size())
            throw invalid_input(cat(where, ": central directory entry ", k + 1, " runs past the directory (corrupt archive)"));
        e.name = cd.substr(pos + 46, name_length);
        // zip64 extra field (id 1): the 64-bit values of the fields set to 0xFFFFFFFF, in order.
        // A field still 0xFFFFFFFF after it is an error, not 4 GiB.
        bool size_64 = false, compressed_64 = false, offset_64 = false;
        const unsigned char* extra = h + 46 + name_length;
        for (std::size_t x = 0; x + 4 <= extra_length;) {
            const std::size_t id = le(extra + x, 2), length = le(extra + x + 2, 2);
            if (x + 4 + length > extra_length) break;
            if (id == 1) {
                std::size_t f = x + 4;
                auto take = [&](std::uint64_t& field, bool& taken) {
                    if (field != 0xFFFFFFFF || taken) return;
                    if (f + 8 > x + 4 + length)
                        throw invalid_input(cat(where, ":", e.name, ": zip64 extra field too short (corrupt archive)"));
                    field = le(extra + f, 8);
                    taken = true;
                    f += 8;
                };
                take(e.size, size_64);
                take(e.compressed_size, compressed_64);
                take(e.local_header_offset, offset_64);
            }
            x += 4 + length;
        }
        for (const auto& [field, taken, what] : {std::tuple{e.size, size_64, "size"},
                                                 std::tuple{e.compressed_size, compressed_64, "compressed size"},
                                                 std::tuple{e.local_header_offset, offset_64, "local header offset"}})
            if (field == 0xFFFFFFFF && !taken)
                throw invalid_input(cat(where, ":", e.name, ": ", what,
                                        " 0xFFFFFFFF (the zip64 marker) without a zip64 extra field giving the value (corrupt archive)"));
        pos += 46 + name_length + extra_length + comment_length;
        entries_.push_back(std::move(e));
    }
}

const zip_archive::entry* zip_archive::find(std::string_view name) const {
    for (const auto& e : entries_)
        if (e.name == name) return &e;
    return nullptr;
}

std::unique_ptr<std::istream> zip_archive::open(const entry& e) const {
    const std::string where = path_.string() + ":" + e.name;
    if (e.flags & 1) throw invalid_input(where + ": encrypted entries are not supported");
    if (e.method != 0 && e.method != 8)
        throw invalid_input(cat(where, ": compression method ", e.method, " is not supported (expected 0, stored, or 8, deflated)"));
    std::ifstream in(path_, std::ios::binary);
    // The entry's local header and data lie before the central directory (checked without
    // overflow: zip64 offsets and sizes may be anything up to 2^64 - 1).
    if (e.local_header_offset > cd_offset_ || cd_offset_ - e.local_header_offset < 30)
        throw invalid_input(cat(where, ": the local header at byte ", e.local_header_offset, " is not before the central directory at byte ",
                                cd_offset_, " (corrupt or truncated archive)"));
    const std::string local = read_at(in, e.local_header_offset, 30, where, "the local header");
    if (le(bytes(local), 4) != local_signature)
        throw invalid_input(cat(where, ": no local header at byte ", e.local_header_offset, " (corrupt archive)"));
    const std::uint64_t data_offset = e.local_header_offset + 30 + le(bytes(local) + 26, 2) + le(bytes(local) + 28, 2);
    if (data_offset > cd_offset_ || e.compressed_size > cd_offset_ - data_offset)
        throw invalid_input(cat(where, ": the compressed data (", e.compressed_size, " bytes at byte ", data_offset,
                                ") run past the central directory at byte ", cd_offset_, " (corrupt or truncated archive)"));
    return std::make_unique<entry_stream>(std::make_unique<entry_buffer>(path_, e, data_offset));
}

std::string zip_archive::read(const entry& e) const {
    auto in = open(e);
    return {std::istreambuf_iterator<char>(*in), std::istreambuf_iterator<char>()};
}

bool looks_like_zip(const fs::path& file) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return false;
    std::ifstream in(file, std::ios::binary);
    std::array<unsigned char, 4> head{};
    in.read(reinterpret_cast<char*>(head.data()), 4);
    if (in.gcount() != 4) return false;
    const std::uint64_t signature = le(head.data(), 4);
    return signature == local_signature || signature == end_signature;
}

}  // namespace integra::sim
