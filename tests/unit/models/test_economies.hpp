// Small hand-made economies shared by the unit tests.
#pragma once

#include "models/mrio_table.hpp"

namespace integra::testing {

/// A balanced 3-region x 2-sector MRIO table (regions ARG, BRA, CHN; sectors agriculture,
/// manufacturing; "million USD"). All entries are integers, so the row identity
/// x = Z1 + F1 and the column identity x = Z'1 + v hold exactly in floating point; every
/// flow is positive and column sums of A lie between 0.36 and 0.61.
///   x = [270, 350, 334, 412, 348, 562],  v = [147, 137, 212, 176, 216, 297]
[[nodiscard]] models::mrio_table three_region_economy();

}  // namespace integra::testing
