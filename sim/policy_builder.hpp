// Turning a scenario's trade policies, written with names, groups and tariff tables, into
// the models' policy values over indices (models/trade_policy.hpp).
#pragma once

#include <string>
#include <vector>

#include "models/trade_equilibrium.hpp"
#include "models/trade_policy.hpp"
#include "sim/data/dataset.hpp"
#include "sim/scenario/scenario.hpp"

namespace integra::sim {

struct scheduled_policy {
    models::trade_policy policy;
    phase_in phase;
    bool baseline = false;            ///< on the baseline path (both cases)
    std::string label;
};

/// Every policy of `spec` resolved against `data` (whose tariffs are in `base`), in file
/// order within each kind. Appends every problem to `out`, including those of
/// models::validate for each policy and, for every year of the horizon, contradictions
/// among the policies in force together (two customs unions with different rules for one
/// country), each at the file:line:col of the policy.
[[nodiscard]] std::vector<scheduled_policy> build_policies(const scenario_spec& spec, const dataset& data,
                                                           const models::trade_equilibrium_base& base, issues& out);

/// The same, throwing inconsistent_input with every problem.
[[nodiscard]] std::vector<scheduled_policy> build_policies(const scenario_spec& spec, const dataset& data,
                                                           const models::trade_equilibrium_base& base);

}  // namespace integra::sim
