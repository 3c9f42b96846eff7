// Warnings about a scenario: printed on stderr ("file:line:col: warning: ..."), never
// fatal; the exit code stays that of the command.
#pragma once

#include <iostream>

#include "sim/scenario/scenario.hpp"

namespace integra::cli {

inline void print_warnings(const sim::scenario_spec& spec) {
    for (const auto& w : spec.warnings) std::cerr << w.where << ": warning: " << w.message << "\n";
}

}  // namespace integra::cli
