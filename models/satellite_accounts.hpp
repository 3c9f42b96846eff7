// Satellite accounts on an MRIO table: stressors (emissions, energy, water, employment) by
// producing region-sector and by final users, their characterisation into impacts, and the
// environmentally extended input-output accounts built on them: stressor intensities and
// multipliers, production- and consumption-based (footprint) accounts, emissions embodied in
// trade, the footprint by origin and by final product, and downstream (Ghosh) multipliers.
//
// Notation as in mrio_accounting.hpp (Miller & Blair 2009, ch. 2): n = R*S region-sectors
// in region-major order, x gross output, L = (I - A)^-1, G = (I - B)^-1, Y (n x R) final
// demand with column y_q the final demand of region q. K stressors: F (K x n) on production,
// F_y (K x R) direct on final demand (household emissions). Units: every stressor carries its
// own unit (for example "kt CO2", "TJ", "1000 persons"); F and F_y are in that unit per year,
// intensities S in stressor unit per table currency unit, multipliers likewise; footprints in
// the stressor unit per year. docs/io-accounting.md lists every formula with its source.
//
// All functions are pure. Products with L or G are computed in fixed blocks of 64 columns
// (or rows) whose boundaries do not depend on the number of threads, each output element
// written by one task, so results are bitwise identical for any thread count.
#pragma once

#include <Eigen/Dense>

#include <string>
#include <vector>

#include "core/issues.hpp"
#include "models/mrio_table.hpp"

namespace integra::models {

/// Stressors of one MRIO table. Negative entries are allowed (removals such as carbon
/// uptake by forestry); NaN and infinite entries are not.
struct satellite {
    std::vector<std::string> stressors;  ///< stressor names, e.g. "CO2 combustion"; unique, non-empty
    std::vector<std::string> units;      ///< unit of each stressor, e.g. "kt CO2"; required, non-empty
    /// F(k, (r,s)): stressor k emitted (or used) by sector s of region r; (K x R*S), unit per year.
    Eigen::MatrixXd production;
    /// F_y(k, q): stressor k emitted directly by final users of region q (households driving,
    /// heating); (K x R), unit per year. Empty (0 x 0) when the satellite has none.
    Eigen::MatrixXd final_demand;

    [[nodiscard]] std::size_t n_stressors() const { return stressors.size(); }
    [[nodiscard]] bool has_final_demand() const { return final_demand.size() != 0; }
};

/// Appends every problem to `out`, each naming the stressor (and the region/sector for a
/// cell): a stressor without a unit, empty or duplicate names, as many units as stressors,
/// F not K x n or F_y neither K x R nor empty (n, R from `table`'s labels), NaN or infinite
/// entries. Negative entries are accepted.
void validate(const satellite& accounts, const mrio_table& table, issues& out);

/// Characterisation factors turning stressors into impacts (for example CO2, CH4 and N2O
/// into GWP100 in kt CO2-eq). Columns refer to stressors by name, so a characterisation
/// applies to any satellite that has them, in any order; the stressor units must match the
/// satellite's exactly (a factor per kg applied to tonnes is an error, not a conversion).
struct characterisation {
    std::vector<std::string> impacts;         ///< impact names, unique, non-empty
    std::vector<std::string> impact_units;    ///< unit of each impact, required
    std::vector<std::string> stressors;       ///< stressor name of each column of `factors`
    std::vector<std::string> stressor_units;  ///< unit each factor expects of its stressor
    /// C(i, k): units of impact i per unit of stressor k; (impacts x stressors).
    Eigen::MatrixXd factors;
};

/// Appends every problem to `out`: missing units, empty or duplicate names, a factor matrix
/// that is not impacts x stressors, NaN or infinite factors, each naming impact or stressor.
void validate(const characterisation& factors, issues& out);

/// Impacts as a satellite: production C F_sel and final demand C F_y,sel, where F_sel holds
/// the satellite's rows for the characterisation's stressors in its column order (Miller &
/// Blair 2009, ch. 10; the characterisation step of life-cycle impact assessment). Satellite
/// stressors the characterisation does not name do not contribute. Throws inconsistent_input
/// listing every problem: invalid inputs, a stressor the satellite lacks, a unit mismatch.
[[nodiscard]] satellite characterise(const satellite& accounts, const characterisation& factors);

// ---- Intensities and multipliers ---------------------------------------------------------

/// Direct stressor intensities S = F x^-1, S(k,j) = F(k,j) / x(j) (Miller & Blair 2009,
/// ch. 10, sec. 10.2: direct impact coefficients); 0 where x(j) = 0. (K x n).
/// Throws inconsistent_input if F has not x.size() columns.
[[nodiscard]] Eigen::MatrixXd stressor_intensities(const Eigen::Ref<const Eigen::MatrixXd>& production_stressors,
                                                   const Eigen::Ref<const Eigen::VectorXd>& gross_output);
[[nodiscard]] Eigen::MatrixXd stressor_intensities(const satellite& accounts, const mrio_table& table);

/// Total (direct plus indirect) stressor multipliers M = S L: stressor k emitted anywhere in
/// the world economy per unit of final demand for the product of j (Miller & Blair 2009,
/// ch. 10, secs. 10.2-10.3; in an MRIO, Lenzen, Pade & Munksgaard 2004, Econ. Syst. Res.
/// 16(4):391-412). With an employment stressor (persons or hours per year) these are the
/// employment multipliers of Miller & Blair 2009, ch. 6, sec. 6.2: same formula. (K x n).
[[nodiscard]] Eigen::MatrixXd stressor_multipliers(const Eigen::Ref<const Eigen::MatrixXd>& intensities,
                                                   const Eigen::Ref<const Eigen::MatrixXd>& leontief);

// ---- Production- and consumption-based accounts --------------------------------------------

/// Production-based (territorial) accounts PBA(k, r) = sum_(s) F(k,(r,s)) + F_y(k, r): what
/// is emitted on r's territory by its industries and final users (Peters 2008, Ecol. Econ.
/// 65(1):13-23: the territorial inventory, up to the treatment of international transport).
/// (K x R). Throws inconsistent_input with the validate() report if the satellite is invalid.
[[nodiscard]] Eigen::MatrixXd production_based_accounts(const satellite& accounts, const mrio_table& table);

/// Consumption-based accounts (footprints) CBA(k, q) = sum_(r,s) [S L y_q](k,(r,s)) + F_y(k,q)
/// = (M y_q)(k) + F_y(k,q): all stressors, wherever emitted, caused by the final demand of q
/// (Peters 2008, Ecol. Econ. 65(1):13-23; Kanemoto et al. 2012, Environ. Sci. Technol.
/// 46(1):172-179). Summed over q equals the PBA summed over r when x = L Y 1. (K x R).
[[nodiscard]] Eigen::MatrixXd consumption_based_accounts(const satellite& accounts, const mrio_table& table,
                                                         const Eigen::Ref<const Eigen::MatrixXd>& leontief);

/// Accounts per person: accounts(k, r) / population(r) (stressor unit per person per year
/// when population is in persons). Throws inconsistent_input naming each region whose
/// population is not a positive finite number, or if the sizes disagree with `regions`.
[[nodiscard]] Eigen::MatrixXd per_person(const Eigen::Ref<const Eigen::MatrixXd>& accounts,
                                         const Eigen::Ref<const Eigen::VectorXd>& population,
                                         const std::vector<std::string>& regions);

/// The footprint by where it is emitted and by whose final demand causes it, one R x R
/// matrix per stressor:
///   D[k](o, q) = sum_(s) S(k,(o,s)) [L y_q](o,s) + (o == q ? F_y(k,q) : 0)
/// (origin o, destination q; Kanemoto et al. 2012; Lenzen et al. 2012, Nature 486:109-112,
/// for the origin-destination split). Row sums are PBA(k, o), column sums CBA(k, q).
[[nodiscard]] std::vector<Eigen::MatrixXd> footprint_by_origin(const satellite& accounts, const mrio_table& table,
                                                               const Eigen::Ref<const Eigen::MatrixXd>& leontief);

/// The footprint by the region-sector that sells the final product, one n x R matrix per
/// stressor: P[k]((r,s), q) = M(k,(r,s)) Y((r,s), q), the whole upstream chain of q's final
/// purchases from sector s of r (Miller & Blair 2009, ch. 10, sec. 10.3, M times diag(y)).
/// Column sums are CBA(k, q) - F_y(k, q): direct final-demand stressors belong to no sector.
[[nodiscard]] std::vector<Eigen::MatrixXd> footprint_by_final_product(const satellite& accounts,
                                                                      const mrio_table& table,
                                                                      const Eigen::Ref<const Eigen::MatrixXd>& leontief);

/// Stressors embodied in trade, from the origin-destination footprint D (K x R each):
///   imports(k, q) = sum_(o != q) D[k](o, q)   emitted abroad for q's final demand (EEI)
///   exports(k, r) = sum_(q != r) D[k](r, q)   emitted in r for final demand abroad (EEE)
///   balance = imports - exports = CBA - PBA  (positive: net importer of embodied stressors)
/// This is the MRIO ("emissions embodied in final demand") view of Peters & Hertwich 2008,
/// Environ. Sci. Technol. 42(5):1401-1407, not the bilateral-trade (EEBT) view, which uses
/// gross exports; the two differ by where intermediate trade is attributed.
struct embodied_trade {
    Eigen::MatrixXd imports;  ///< (K x R) stressor units per year
    Eigen::MatrixXd exports;  ///< (K x R)
    Eigen::MatrixXd balance;  ///< (K x R) imports - exports
};
[[nodiscard]] embodied_trade embodied_in_trade(const std::vector<Eigen::MatrixXd>& by_origin);
[[nodiscard]] embodied_trade embodied_in_trade(const satellite& accounts, const mrio_table& table,
                                               const Eigen::Ref<const Eigen::MatrixXd>& leontief);

// ---- Downstream (Ghosh) multipliers ---------------------------------------------------------
//
// The Ghosh model read as an allocation (supply-side attribution) model, not a quantity
// model (Miller & Blair 2009, ch. 12, secs. 12.1-12.2; Dietzenbacher 1997, J. Reg. Sci.
// 37(4):629-651, on its price interpretation; Dietzenbacher 2002, Reg. Stud. 36(2):125-136,
// "looking backward, looking forward"). Upstream and downstream views answer different
// questions (one unit of final demand pulled through suppliers; one unit of primary input
// pushed through buyers), so their sum is an attribution index ("full-scope", upstream plus
// downstream scope 3), not the response to any single shock, and it is not additive across
// sectors: summed over all j it counts global stressors more than once.

/// Downstream output multipliers m_down = G 1, m_down(i) = sum_j G(i,j): output of all
/// region-sectors supported per unit of primary input in i (row sums of the Ghosh inverse;
/// Miller & Blair 2009, ch. 12, sec. 12.2, whose normalized form is forward_linkages).
/// Includes i's own unit (G(i,i) >= 1).
[[nodiscard]] Eigen::VectorXd downstream_output_multipliers(const Eigen::Ref<const Eigen::MatrixXd>& ghosh);

/// Full-scope output multipliers m_full(j) = (1'L)(j) + (G 1)(j) - 1. Both the upstream
/// multiplier (column sum of L) and the downstream one (row sum of G) contain j's own unit
/// of output (L(j,j) >= 1 and G(j,j) >= 1), so it is subtracted once. With the stressor
/// functions below this is the output case S = 1': M + M_down.
[[nodiscard]] Eigen::VectorXd full_scope_output_multipliers(const Eigen::Ref<const Eigen::MatrixXd>& leontief,
                                                            const Eigen::Ref<const Eigen::MatrixXd>& ghosh);

/// Downstream stressor multipliers M_down = S (G' - I), M_down(k, j) = sum_i S(k,i) (G(j,i)
/// - [i == j]): stressors of the buyers downstream of j per unit of j's primary input, j's
/// own direct stressors excluded (they are in M = S L). This is pymrio's calc_M_down
/// (S (G - I) with its G stored transposed relative to Miller & Blair's). (K x n).
[[nodiscard]] Eigen::MatrixXd downstream_stressor_multipliers(const Eigen::Ref<const Eigen::MatrixXd>& intensities,
                                                              const Eigen::Ref<const Eigen::MatrixXd>& ghosh);

/// Full-scope stressor multipliers M + M_down = S L + S (G' - I): upstream (scope 1-3
/// upstream) plus downstream, own direct stressors counted once. (K x n).
[[nodiscard]] Eigen::MatrixXd full_scope_stressor_multipliers(const Eigen::Ref<const Eigen::MatrixXd>& intensities,
                                                              const Eigen::Ref<const Eigen::MatrixXd>& leontief,
                                                              const Eigen::Ref<const Eigen::MatrixXd>& ghosh);

}  // namespace integra::models
