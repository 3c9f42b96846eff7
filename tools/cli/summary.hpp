// The summary table `integra run` prints on stdout: by region, at the horizon (and at a
// midpoint for longer runs), sorted, with each trade bloc's aggregate.
#pragma once

#include <cstddef>
#include <ostream>
#include <vector>

#include "sim/results.hpp"

namespace integra::cli {

/// `regions`: indices of the regions to list (all when empty).
void print_summary(const sim::result_set& results, const std::vector<std::size_t>& regions, std::ostream& out);

}  // namespace integra::cli
