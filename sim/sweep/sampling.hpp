// Random numbers for sweep designs, reproducible on any machine: a counter-based generator
// (SplitMix64, Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators")
// gives the uniform number of (seed, point, parameter) directly, so any point of a sweep can
// be drawn alone; the distributions are inverse CDFs from Boost.Math, which are portable C++
// (std::normal_distribution is not: its output differs between standard libraries).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace integra::sim {

/// A uniform number in (0, 1), a pure function of its three arguments.
[[nodiscard]] double uniform_draw(std::uint64_t seed, std::uint64_t point, std::uint64_t parameter);

/// A random permutation of 0..n-1 (Fisher-Yates driven by uniform_draw(seed, i, stream)).
[[nodiscard]] std::vector<std::size_t> permutation(std::size_t n, std::uint64_t seed, std::uint64_t stream);

/// A one-dimensional distribution, sampled by its inverse CDF.
struct distribution {
    enum class kind { uniform, normal, lognormal, truncated_normal };
    kind how = kind::uniform;
    /// uniform: low, high. normal: mean, sd. lognormal: mu, sigma of the log.
    /// truncated_normal: mean, sd, low, high.
    double a = 0.0, b = 1.0, low = 0.0, high = 0.0;
    /// The value at probability u in (0, 1).
    [[nodiscard]] double quantile(double u) const;
    /// "normal(mean=1, sd=0.2)", for output attributes.
    [[nodiscard]] std::string describe() const;
};

}  // namespace integra::sim
