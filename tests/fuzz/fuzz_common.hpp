// Shared by the libFuzzer targets (docs/testing.md, "Fuzzing"): a private temporary folder
// for the bytes under test, and the rule that only Integra's own exceptions may escape
// the code under test. Anything else (another exception, a sanitizer report, a signal) is
// a crash that libFuzzer records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "core/errors.hpp"

namespace integra::fuzz {

/// A folder of its own under $TMPDIR (or /tmp), removed at exit.
inline const std::filesystem::path& work_dir() {
    static const std::filesystem::path dir = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/integra_fuzz_XXXXXX";
        if (!::mkdtemp(pattern.data())) {
            std::perror("integra fuzz: mkdtemp");
            std::abort();
        }
        std::filesystem::path p(pattern);
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(work_dir(), ec);
        });
        return p;
    }();
    return dir;
}

inline void write_file(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) {
        std::fprintf(stderr, "integra fuzz: cannot write %s\n", path.c_str());
        std::abort();
    }
}

/// Runs `f`; Integra's exceptions are the expected outcome of bad input, anything else
/// escaping is reported and aborts (a crash for libFuzzer).
template <class F>
void expect_only_integra_errors(F&& f) {
    try {
        f();
    } catch (const integra::error&) {
    } catch (const std::exception& e) {
        std::fprintf(stderr, "integra fuzz: unexpected exception escaped: %s\n", e.what());
        std::abort();
    } catch (...) {
        std::fprintf(stderr, "integra fuzz: unexpected non-standard exception escaped\n");
        std::abort();
    }
}

}  // namespace integra::fuzz
