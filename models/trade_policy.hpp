// Trade-policy instruments and their mapping onto the trade equilibrium's exogenous
// changes (counterfactual_shock). Each instrument is a value type with a validate() that
// reports every problem and a pure apply() that writes its effect, scaled by the share
// phased in (0..1), into a shock built on a given base year.
//
// Regions and sectors are already resolved to indices here: sim/ turns names, groups and
// expressions ("CELAC - VEN") into index lists. Tariff layouts follow
// trade_equilibrium_base: one N x N matrix per sector, row = importer n, col = exporter i.
//
// Phase-in is linear between the base year and the target: tau(phase) = base + phase *
// (target - base) (std::lerp: exact at phase 0 and 1, monotone in between), d-hat = 1 -
// phase * cut or 1 + phase * ave, and a pooled revenue share phase * key. "Base" is always
// the `base` passed to apply(), so a driver that steps year by year must pass the
// pre-policy base year, not the previous year's counterfactual.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <Eigen/Dense>

#include "core/issues.hpp"
#include "models/trade_equilibrium.hpp"

namespace integra::models {

using index_list = std::vector<Eigen::Index>;

/// Explicit tariff edits: for every importer n in `importers`, exporter i in `exporters`
/// (i != n) and sector j in `sectors`, the target tariff is
///   set_rate: `value` (a fraction, > -1);  cut: base * (1 - `value`), value in [0, 1];
///   table: table[j](n, i) (> -1 on the edited cells).
/// Phased in linearly: tau(phase) = base + phase * (target - base).
struct tariff_change {
    enum class mode { set_rate, cut, table };
    index_list importers, exporters, sectors;
    mode how = mode::set_rate;
    double value = 0.0;
    std::vector<Eigen::MatrixXd> table;  ///< mode::table only; layout of base tariffs
    std::string label;                   ///< for messages, e.g. "tariff_change[0]"
};

/// Free-trade area: tariffs among `members` (all sectors) go to zero; external tariffs
/// are unchanged.
struct free_trade_area {
    index_list members;
    std::string label;
};

/// How a customs union sets its common external tariff (CET), sector by sector. A CET is
/// one schedule applied by every member to every non-member (GATT Art. XXIV:8(a)), in
/// tradable sectors; "tariffs" below are the base year's applied tariffs, preferences
/// included.
struct common_external_tariff {
    enum class rule {
        /// sum tau^j_{ni} M^j_{ni} / sum M^j_{ni} over members n and non-members i, with
        /// M the base imports at world prices: one rate per sector.
        trade_weighted_mean,
        /// the same over the pairs with a positive base tariff only: members' MFN-type
        /// tariffs, leaving out the zero rates of their free-trade agreements (which would
        /// otherwise pull the CET down in proportion to preferential trade).
        trade_weighted_mfn_mean,
        /// unweighted mean of tau^j_{ni} over members n and non-members i: one rate per sector.
        simple_mean,
        /// the lowest of the members' own trade-weighted mean tariffs on non-members (each
        /// member's simple mean if it imports nothing from them): harmonise down to the most
        /// open member, one rate per sector.
        minimum,
        /// every member adopts `member`'s tariffs towards each non-member (its schedule,
        /// partner by partner, e.g. Brazil's for Mercosur).
        member_schedule,
        /// `rates` by sector, the same towards every non-member.
        explicit_rates,
    };
    rule how = rule::trade_weighted_mean;
    Eigen::Index member = -1;  ///< member_schedule: the member whose tariffs all adopt
    Eigen::VectorXd rates;     ///< explicit_rates: one rate per sector (fractions, > -1)
};

/// How a customs union's tariff revenue is distributed.
struct revenue_rule {
    enum class kind {
        kept_by_collector,  ///< each member keeps what its customs collect
        pooled_by_gdp,      ///< all members' revenue pooled, shared by base-year value added
        pooled_equally,     ///< all members' revenue pooled, shared equally
    };
    kind how = kind::kept_by_collector;
};

/// What a customs union does with its members' tariff preferences with non-members (free-
/// trade agreements in force in the base year).
enum class external_agreements {
    /// Members keep them: a member goes on applying its preferential base-year tariff to
    /// its agreement partners in the sectors the agreement covers, and the common external
    /// tariff applies everywhere else (how Mercosur's and the Andean Community's unions work in practice:
    /// Mercosur Decision CMC 32/00 obliges members to negotiate new agreements jointly but
    /// left earlier ones, and the Andean Decision 598 lets members keep theirs).
    keep,
    /// Members give them up and apply the common external tariff to every non-member, and
    /// the former partners then apply their non-preferential (MFN-type) rates to the
    /// members (reciprocity: an agreement ended binds neither side). Only partners the
    /// member granted a preference revert: a one-way scheme an outsider grants (GSP-type)
    /// is not the member's to dissolve.
    dissolve,
    /// Members give them up but the partners keep their preferences: a one-sided
    /// counterfactual (the partners keep a zero tariff on members that now tax them), an
    /// explicit choice for comparison only.
    dissolve_one_sided,
};

/// Customs union: internal tariffs to zero (all sectors) plus a common external tariff
/// applied by every member to non-members (tradable sectors), subject to `agreements`;
/// revenue kept or pooled.
/// Pooling writes counterfactual_shock::revenue_sharing: column m (a member) becomes
/// (1 - phase) e_m + phase * key, i.e. the pooled share of revenue phases in with the
/// tariffs, as the EEC's customs duties became own resources step by step (1971-75).
struct customs_union {
    index_list members;
    common_external_tariff external;
    revenue_rule revenue;
    external_agreements agreements = external_agreements::keep;
    /// Non-preferential (MFN-type) tariffs in the base year, in the layout of
    /// trade_equilibrium_base::tariffs: what each importer charges each exporter absent any
    /// agreement. Importer n grants exporter i a preference in sector j where the base
    /// tariff is below this rate. Empty: no preferences are known, and the three
    /// `agreements` settings act alike (the CET applies to every non-member).
    std::vector<Eigen::MatrixXd> non_preferential;
    std::string label;
    /// When set (by freeze()), the CET (sector x exporter, J x N) and the sharing key (N)
    /// used by apply() instead of computing them from the base it is given: a treaty's
    /// tariff and key do not move with each year's trade.
    Eigen::MatrixXd frozen_external;
    Eigen::VectorXd frozen_key;
    /// When set (by freeze()), the base year's preferences (see preferences_in_force).
    std::vector<Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic>> frozen_preference;
};

/// The preferences in force on `base`, one N x N array per sector: [j](n, i) is true where
/// importer n charges exporter i less than its non-preferential rate in tradable sector j
/// (beyond 1e-9, the CSV round trip of two equal rates). All false when `non_preferential`
/// is empty.
[[nodiscard]] std::vector<Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic>> preferences_in_force(
    const std::vector<Eigen::MatrixXd>& non_preferential, const trade_equilibrium_base& base);

/// Fixes a customs union's CET, revenue key and preferences in force at their values on
/// `base` (the base year).
void freeze(customs_union& union_policy, const trade_equilibrium_base& base);

/// Iceberg trade costs between `importers` and `exporters` in `sectors` fall by `cut` (a
/// fraction in [0, 1): d-hat = 1 - phase * cut), or change by an ad-valorem equivalent
/// `ave` (> -1: d-hat = 1 + phase * ave). Both directions when `symmetric`. d-hat is a
/// change factor, so it multiplies whatever the shock already holds on the same cells
/// (a trend and a policy compound); domestic cells (n == i) are never changed.
struct trade_cost_change {
    index_list importers, exporters, sectors;
    std::optional<double> cut;
    std::optional<double> ave;
    bool symmetric = true;
    std::string label;
};

/// Productivity of `sectors` in `regions` changes by the factor 1 + phase * `change`
/// (Hicks-neutral, A-hat; e.g. investment financed by a development bank). In the model it
/// enters as the Frechet location lambda-hat = A-hat^theta^j (Caliendo & Parro 2015,
/// eq. 4). Changes compound with others on the same cells.
struct productivity_change {
    index_list regions, sectors;
    double change = 0.0;  ///< > -1
    std::string label;
};

/// Labour endowments of `regions` change by the factor 1 + phase * `change` (e.g. free
/// movement of workers). Changes compound with the baseline's labour path.
struct labour_change {
    index_list regions;
    double change = 0.0;  ///< > -1
    std::string label;
};

using trade_policy = std::variant<tariff_change, free_trade_area, customs_union, trade_cost_change, productivity_change,
                                  labour_change>;

/// Appends every problem with the policy's label (or its kind, if the label is empty):
/// empty, duplicated or out-of-range indices, fewer than two members, a rate at or below
/// -100%, a tariff cut outside [0, 1], a trade-cost cut outside [0, 1) or an ave <= -1,
/// not exactly one of cut and ave, a table of the wrong shape, a CET member that is not a
/// member, explicit rates of the wrong length.
void validate(const trade_policy& policy, Eigen::Index n_regions, Eigen::Index n_sectors, issues& out);
/// The same, naming regions and sectors by the base's labels ("region 22 (MEX)").
void validate(const trade_policy& policy, const trade_equilibrium_base& base, issues& out);

/// Contradictions among policies in force together: two customs unions that share a
/// member but differ in members, external tariff rule or revenue rule (a region can be in
/// only one customs union; the same union listed twice is not a contradiction); a
/// free-trade area that joins some but not all members of a customs union with a
/// non-member (a union negotiates as one: an agreement of the whole union with outsiders,
/// like Mercosur-EU, is allowed; one member alone would break the common external tariff).
/// `region_names`, if given, names regions in the messages.
void validate_together(const std::vector<const trade_policy*>& in_force, issues& out,
                       const std::vector<std::string>& region_names = {});

/// One contradiction found by conflicts_among: the positions in `in_force` of the two
/// policies and what is wrong.
struct policy_conflict {
    std::size_t first = 0, second = 0;
    std::string message;
};
/// The contradictions validate_together reports, with the policies as positions in
/// `in_force` (validate_together names them by label).
[[nodiscard]] std::vector<policy_conflict> conflicts_among(const std::vector<const trade_policy*>& in_force,
                                                           const std::vector<std::string>& region_names = {});

/// The union's external tariffs at full phase-in, J x N: (j, i) is the tariff every member
/// levies on sector-j imports from region i; member columns are 0 (internal free trade).
/// Computed for every sector; apply() uses the rows of tradable sectors only.
[[nodiscard]] Eigen::MatrixXd common_external_tariffs(const customs_union& cu, const trade_equilibrium_base& base);

/// Writes `policy` at `phase` (0 = not yet, 1 = fully in force) into `shock`. Tariff
/// policies fill shock.tariffs from `base` first if empty and overwrite their cells (later
/// policies override earlier ones on the same cells); trade-cost changes fill
/// shock.trade_cost_change with ones and multiply their cells; pooled customs unions fill
/// shock.revenue_sharing with the identity (only when phase > 0) and overwrite their
/// members' columns. A driver applies customs unions before the other policies in force,
/// so that a union-wide free-trade area overrides the common external tariff on its cells. Validates `policy` and throws inconsistent_input listing its problems,
/// or if phase is outside [0, 1] or the shock's arrays do not match `base`.
void apply(const trade_policy& policy, double phase, const trade_equilibrium_base& base, counterfactual_shock& shock);

}  // namespace integra::models
