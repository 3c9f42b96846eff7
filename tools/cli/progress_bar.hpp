// A progress bar on stderr when stderr is a terminal; silent otherwise (logs, CI, pipes).
#pragma once

#include <cstddef>
#include <mutex>
#include <string>

namespace integra::cli {

class progress_bar {
public:
    explicit progress_bar(std::string label);
    progress_bar(const progress_bar&) = delete;
    progress_bar& operator=(const progress_bar&) = delete;
    ~progress_bar();
    /// Thread-safe; redraws only when the whole percentage grows.
    void update(std::size_t done, std::size_t total);

private:
    std::string label_;
    bool enabled_;
    bool drawn_ = false;
    int last_percent_ = -1;
    std::mutex mutex_;
};

}  // namespace integra::cli
