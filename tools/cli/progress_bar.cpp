#include "tools/cli/progress_bar.hpp"

#include <unistd.h>

#include <cstdio>

namespace integra::cli {

progress_bar::progress_bar(std::string label) : label_(std::move(label)), enabled_(isatty(STDERR_FILENO) == 1) {}

progress_bar::~progress_bar() {
    if (drawn_) std::fputs("\n", stderr);
}

void progress_bar::update(std::size_t done, std::size_t total) {
    if (!enabled_ || total == 0) return;
    std::lock_guard lock(mutex_);
    const int percent = static_cast<int>(100 * done / total);
    if (percent <= last_percent_) return;  // updates from several threads may arrive out of order
    last_percent_ = percent;
    constexpr int width = 30;
    const int filled = width * percent / 100;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(width - filled), '.');
    std::fprintf(stderr, "\r%s [%s] %3d%% (%zu/%zu)", label_.c_str(), bar.c_str(), percent, done, total);
    std::fflush(stderr);
    drawn_ = true;
}

}  // namespace integra::cli
