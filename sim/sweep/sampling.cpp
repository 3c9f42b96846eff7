#include "sim/sweep/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>

#include "core/text.hpp"

namespace integra::sim {
namespace {

// SplitMix64's output function (Steele, Lea & Flood 2014, fig. 1).
std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

}  // namespace

double uniform_draw(std::uint64_t seed, std::uint64_t point, std::uint64_t parameter) {
    constexpr std::uint64_t golden = 0x9e3779b97f4a7c15ULL;
    const std::uint64_t bits = mix(mix(mix(seed + golden) + point * golden) + parameter * golden);
    return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;  // 53 random bits, never 0 or 1
}

std::vector<std::size_t> permutation(std::size_t n, std::uint64_t seed, std::uint64_t stream) {
    std::vector<std::size_t> p(n);
    std::iota(p.begin(), p.end(), std::size_t{0});
    for (std::size_t i = n; i > 1; --i) {
        const auto j = static_cast<std::size_t>(uniform_draw(seed, i, stream) * static_cast<double>(i));
        std::swap(p[i - 1], p[std::min(j, i - 1)]);
    }
    return p;
}

double distribution::quantile(double u) const {
    switch (how) {
        case kind::uniform: return a + u * (b - a);
        case kind::normal: return boost::math::quantile(boost::math::normal(a, b), u);
        case kind::lognormal: return boost::math::quantile(boost::math::lognormal(a, b), u);
        case kind::truncated_normal: {
            const boost::math::normal n(a, b);
            const double lo = boost::math::cdf(n, low), hi = boost::math::cdf(n, high);
            return std::clamp(boost::math::quantile(n, lo + u * (hi - lo)), low, high);
        }
    }
    return a;
}

std::string distribution::describe() const {
    switch (how) {
        case kind::uniform: return cat("uniform(low=", a, ", high=", b, ")");
        case kind::normal: return cat("normal(mean=", a, ", sd=", b, ")");
        case kind::lognormal: return cat("lognormal(mu=", a, ", sigma=", b, ")");
        case kind::truncated_normal: return cat("truncated_normal(mean=", a, ", sd=", b, ", low=", low, ", high=", high, ")");
    }
    return "?";
}

}  // namespace integra::sim
