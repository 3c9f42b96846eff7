// What the reader tests share: a file's text, the message of an exception, a fixture with
// one text replaced, the largest difference between two matrices.
#pragma once

#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>

#include "tests/unit/sim/temp_folder.hpp"

namespace integra::testing {

inline std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// what() of the exception `f` throws, or "(no exception)".
inline std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no exception)";
}

/// `source` with `from` replaced by `to` (`from` must occur exactly once), written to `dir`
/// under the same file name.
inline std::filesystem::path edited_copy(const temp_folder& dir, const std::filesystem::path& source,
                                         const std::string& from, const std::string& to) {
    std::string text = read_text(source);
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    REQUIRE(text.find(from, at + 1) == std::string::npos);
    text.replace(at, from.size(), to);
    return dir.write(source.filename().string(), text);
}

inline double max_abs_diff(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
    REQUIRE(a.rows() == b.rows());
    REQUIRE(a.cols() == b.cols());
    return a.size() == 0 ? 0.0 : (a - b).cwiseAbs().maxCoeff();
}

}  // namespace integra::testing
