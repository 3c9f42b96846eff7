// A fresh folder under the system temp directory, removed when the test ends.
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace integra::testing {

class temp_folder {
public:
    temp_folder() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / ("integra-test-" + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    temp_folder(const temp_folder&) = delete;
    temp_folder& operator=(const temp_folder&) = delete;
    ~temp_folder() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    /// Writes `text` to path()/name and returns the full path.
    std::filesystem::path write(const std::string& name, const std::string& text) const {
        const auto p = path_ / name;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }

private:
    std::filesystem::path path_;
};

}  // namespace integra::testing
