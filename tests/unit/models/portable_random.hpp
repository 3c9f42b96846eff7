// A 64-bit linear congruential generator (Knuth's MMIX constants) giving uniforms in [0, 1)
// from the top 53 bits: the same test tables on every platform and standard library, which
// std::uniform_real_distribution does not promise.
#pragma once

#include <cstdint>

namespace integra::testing {

struct portable_uniform {
    std::uint64_t state;
    double operator()() {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) * 0x1.0p-53;
    }
};

}  // namespace integra::testing
