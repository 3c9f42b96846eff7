// A sweep's design: which scenario keys vary, how, and the values of every point.
//
// Written in the scenario's [sweep] table or with --vary KEY=SPEC (the same syntax), e.g.
//
//   [sweep]
//   design = "monte_carlo"          # or "grid", "zip", "latin_hypercube"
//   points = 1000                   # latin_hypercube and monte_carlo
//   seed = 20261129                 # recorded in the output
//   keep = ["welfare_change"]       # variables to keep (default: sweep_default_keep)
//   [sweep.vary]
//   "customs_union.0.external_tariff" = ["minimum", "simple_mean"]          # a list
//   "customs_union.0.phase_in_years" = { from = 0, to = 10, steps = 6 }    # a range
//   "equilibrium.trade_elasticity_scale" = { distribution = "lognormal", mu = 0.0, sigma = 0.2 }
//   "equilibrium.trade_elasticity" = "caliendo_parro_2015"                # every sector's theta
//
// Points are numbered deterministically: a grid is the cartesian product with the first
// key slowest; zip takes the i-th value of every list; the random designs draw point p's
// values from (seed, p, key) alone, so any point can be re-run by itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <toml++/toml.h>

#include "core/issues.hpp"
#include "sim/data/dataset.hpp"
#include "sim/scenario/toml_reader.hpp"
#include "sim/sweep/sampling.hpp"

namespace integra::sim {

/// A value a sweep gives a key: TOML's integer, float, string or boolean.
using sweep_value = std::variant<std::int64_t, double, std::string, bool>;

[[nodiscard]] std::string to_text(const sweep_value& v);  ///< as TOML: 2027, 0.5, "minimum", true

struct varied_key {
    std::string key;                       ///< dotted, as for --set: "customs_union.0.external_tariff"
    std::string where;                     ///< where it was declared, for messages
    std::vector<sweep_value> values;       ///< a list or a range (grid, zip)
    std::optional<distribution> draw;      ///< a distribution (latin_hypercube, monte_carlo)
    [[nodiscard]] bool is_text() const;    ///< takes string values (a rule, a region set)
};

struct sweep_design {
    enum class kind { grid, zip, latin_hypercube, monte_carlo };
    kind how = kind::grid;
    std::vector<varied_key> keys;
    std::size_t points = 0;
    std::uint64_t seed = 0;
    std::vector<std::string> keep;  ///< output variables kept for every point
    bool keep_is_default = false;   ///< sweep_default_keep(): names absent from a scenario are skipped
    std::size_t batch_size = 0;     ///< points per file committed to disk (0 = choose)
    std::string description;        ///< canonical text of the design, recorded and fingerprinted

    /// The assignments of point p (p < points), one per key, in key order.
    [[nodiscard]] std::vector<sweep_value> values_of(std::size_t p) const;

    std::vector<std::vector<std::size_t>> strata;  ///< latin_hypercube: per key, a permutation of the points
};

/// The variables a sweep keeps by default: region-level welfare, GDP measures, the real
/// wage, trade totals, tariff revenue, bloc aggregates, the elasticities and the solver's
/// iterations.
[[nodiscard]] const std::vector<std::string>& sweep_default_keep();

/// Reads the design from `doc`'s [sweep] table and the --vary options ("KEY=SPEC", which
/// win over the table for the same key), against `data` (for the elasticities' preset).
/// Appends every problem to `out`, each naming where it was written, the key, the value
/// and what was expected.
[[nodiscard]] sweep_design read_sweep_design(const toml::table& doc, const std::vector<std::string>& vary,
                                             const dataset& data, issues& out);

}  // namespace integra::sim
