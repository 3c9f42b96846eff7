// Wall-clock timing for the benchmark executables: a piece of work run several times, its
// median, minimum and maximum in milliseconds (steady clock).
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

namespace integra::bench {

struct timing {
    double median, min, max;  ///< milliseconds
};

inline timing time_it(int repetitions, const std::function<void()>& work) {
    std::vector<double> ms;
    for (int r = 0; r < repetitions; ++r) {
        const auto start = std::chrono::steady_clock::now();
        work();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.front(), ms.back()};
}

}  // namespace integra::bench
