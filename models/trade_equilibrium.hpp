// Multi-country, multi-sector trade equilibrium with input-output linkages, solved in
// relative changes ("exact hat algebra"): L. Caliendo and F. Parro, "Estimates of the
// Trade and Welfare Effects of NAFTA", Review of Economic Studies 82(1), 1-44 (2015),
// doi:10.1093/restud/rdu035. The model is written out equation by equation in
// docs/model.md (sections 2-5: base year, the equilibrium in changes, welfare, the
// solver); equation numbers below are the paper's.
//
// Code: the solver in trade_equilibrium.cpp, the checks of its input in
// trade_equilibrium_validation.cpp, the numerical methods it shares with other modules
// in numerics/ (Anderson acceleration, GMRES, parallel loops).
//
// Index conventions used by every array in this file:
//   regions n, i = 0..N-1 (n: importer / destination, i: exporter / source)
//   sectors j, k = 0..J-1
//   * sector x region arrays are Eigen::MatrixXd of shape J x N, element (j, n);
//     this is the layout of the CP data files (B, alphas, X0), and a region's sector
//     vector is then one contiguous column;
//   * bilateral arrays are std::vector<Eigen::MatrixXd> with one N x N matrix per sector,
//     element (n, i) = importer n, exporter i (row = importer, column = exporter);
//   * input-output shares are std::vector<Eigen::MatrixXd> with one J x J matrix per
//     region, element (k, j) = input sector k, using sector j.
// Money values are in one currency unit of the caller's choice (the CP base uses units
// of about US$10bn); only ratios matter to the equilibrium in changes.
#pragma once

#include <Eigen/Dense>

#include <string>
#include <vector>

#include "core/issues.hpp"

namespace integra::models {

/// The calibrated base year (a model-consistent equilibrium in levels).
struct trade_equilibrium_base {
    std::vector<std::string> regions;  ///< N region labels (e.g. ISO alpha-3 codes)
    std::vector<std::string> sectors;  ///< J sector labels

    /// pi^j_{ni}: share of n's sector-j spending (tariffs included) on goods from i.
    /// J matrices N x N, row = importer n, column = exporter i; each row sums to 1.
    /// A sector whose off-diagonal shares are all zero is non-tradable.
    std::vector<Eigen::MatrixXd> trade_shares;
    /// tau^j_{ni}: ad-valorem tariff that n levies on sector-j imports from i, as a
    /// fraction (0.05 = 5%); same layout as trade_shares; must be > -1.
    std::vector<Eigen::MatrixXd> tariffs;
    /// X^j_n: total spending of n on sector-j goods, tariffs included (money), J x N.
    Eigen::MatrixXd expenditure;
    /// gamma^j_n: value-added share of gross output, in (0, 1], J x N.
    Eigen::MatrixXd value_added_share;
    /// gamma^{k,j}_n: share of sector-k materials in the gross output of sector j;
    /// N matrices J x J, row = input k, column = using j. Each column sums to
    /// 1 - gamma^j_n (the paper's normalisation), or is entirely zero: the CP data have
    /// such columns (no I-O data; sector j then uses labour only with weight gamma^j_n).
    /// Single entries may be negative (the CP data have one: CAN, Other -> Basic metals,
    /// -0.00057); validate() requires sum_k |gamma^{k,j}_n| < 1, which keeps eqs. 10-11 a
    /// contraction.
    std::vector<Eigen::MatrixXd> io_share;
    /// alpha^j_n: share of sector j in n's final consumption, J x N; columns sum to 1.
    Eigen::MatrixXd final_demand_share;
    /// VA_n = w_n L_n: value added (money), N; must be > 0.
    Eigen::VectorXd value_added;
    /// D_n: aggregate trade deficit, imports minus exports at world prices (money), N;
    /// sums to zero over regions (CP's Sn is the surplus, Sn = -D).
    Eigen::VectorXd deficit;
    /// theta^j > 0: trade elasticity (Frechet dispersion) of sector j, J.
    Eigen::VectorXd theta;

    [[nodiscard]] Eigen::Index n_regions() const { return static_cast<Eigen::Index>(regions.size()); }
    [[nodiscard]] Eigen::Index n_sectors() const { return static_cast<Eigen::Index>(sectors.size()); }
};

/// Appends every problem of `base` to `out` (names "base.<field>[REGION/SECTOR]" and the
/// value): mismatched dimensions, NaN/inf, theta <= 0, negative shares, trade-share rows
/// or final-demand columns not summing to 1, I-O columns not summing to 1 - gamma (or 0),
/// sum_k |gamma^{k,j}_n| >= 1, tariffs <= -100%, non-positive value added, deficits not
/// summing to zero.
/// `tolerance` is the absolute tolerance on every sum-to-one check; the deficit sum is
/// checked relative to world value added.
void validate(const trade_equilibrium_base& base, issues& out, double tolerance = 1e-6);

/// Labels for messages: "BRA" for a region, "BRA/agriculture" for one of its sectors;
/// "#7" for an index without a label.
[[nodiscard]] std::string region_label(const trade_equilibrium_base& base, Eigen::Index region);
[[nodiscard]] std::string region_sector_label(const trade_equilibrium_base& base, Eigen::Index region,
                                              Eigen::Index sector);

/// Is sector j traded at all (some off-diagonal trade share > 0)?
[[nodiscard]] bool is_tradable(const trade_equilibrium_base& base, Eigen::Index sector);

/// M^j_{ni} = X^j_n pi^j_{ni} / (1 + tau^j_{ni}): base-year imports of n from i at world
/// prices (before tariffs), per sector N x N (row importer, column exporter; the diagonal
/// holds domestic sales). Exports of n to i are M^j_{in}.
[[nodiscard]] std::vector<Eigen::MatrixXd> bilateral_imports(const trade_equilibrium_base& base);

/// I_n = VA_n + R_n + D_n with tariff revenue R_n = sum_j sum_i tau^j_{ni} M^j_{ni}:
/// base-year final absorption (money), N.
[[nodiscard]] Eigen::VectorXd final_absorption(const trade_equilibrium_base& base);

/// How aggregate deficits behave in the counterfactual.
enum class deficit_closure {
    hold_fixed,  ///< D'_n = D_n in levels, i.e. a fixed share of world value added
    given,       ///< D'_n = counterfactual_shock::deficits (same money units as the base)
    zero,        ///< D'_n = 0
};

/// The counterfactual. Every empty member means "unchanged" (hat = 1, tau' = tau).
struct counterfactual_shock {
    /// tau'^j_{ni} as fractions, layout of trade_equilibrium_base::tariffs.
    std::vector<Eigen::MatrixXd> tariffs;
    /// d-hat^j_{ni}: change of iceberg trade costs, > 0, same layout as tariffs.
    std::vector<Eigen::MatrixXd> trade_cost_change;
    /// lambda-hat^j_i: change of the Frechet location parameter ("state of technology")
    /// of sector j in exporter i, > 0, J x N. It multiplies the exporter's term in eqs. 11
    /// and 12 exactly as lambda^j_i enters the levels price index (eq. 4) and shares
    /// (eq. 6). A Hicks-neutral productivity change A-hat corresponds to
    /// lambda-hat = A-hat^theta.
    Eigen::MatrixXd productivity_change;
    /// L-hat_n: change of labour endowments, > 0, N.
    Eigen::VectorXd labour_change;
    deficit_closure deficits_rule = deficit_closure::hold_fixed;
    /// D'_n (money, sums to zero); used only with deficit_closure::given.
    Eigen::VectorXd deficits;
    /// N x N, (n, m): share of m's tariff revenue that n receives; columns sum to 1;
    /// empty = each keeps its own (the identity). Entries >= 0. Used for customs unions
    /// that pool their revenue (models/trade_policy.hpp). Final absorption becomes
    /// I'_n = w-hat_n L-hat_n VA_n + sum_m S(n,m) R'_m + D'_n, and the transfer is paid
    /// for by trade: imports - exports = D'_n + (received - collected revenue). It is
    /// typically sparse (identity outside the union, a dense block on its members); the
    /// solver stores it compressed, so it costs O(non-zeros) per GMRES step.
    Eigen::MatrixXd revenue_sharing;
    /// Final demand moved between sectors, J x N (money; each column sums to zero, so final
    /// absorption I'_n is unchanged); empty = none. Eq. 13 becomes X'^j_n = ... +
    /// alpha^j_n I'_n + shift^j_n. A development bank's project spending G_n, spent with its
    /// own sector shares beta^j_n instead of alpha^j_n, is shift = (beta - alpha) G
    /// (policy-modules D.A 7(b): X'^j_n = ... + alpha^j_n (I'_n - G_n) + beta^j_n G_n).
    /// Sourcing across exporters follows pi' as for any other final demand.
    Eigen::MatrixXd final_demand_shift;
    /// Downward wage rigidity in currency unions (policy-modules D.B.2 eq. 2; Schmitt-Grohe &
    /// Uribe 2016): f_n, the lowest wage change region n may have relative to its union's
    /// wage index, w-hat_n >= f_n W-hat_u with W-hat_u = sum_{m in u} a_m w-hat_m (N, >= 0;
    /// 0 = no floor; empty = none). Where the market-clearing wage is below the floor, the
    /// wage stays at it and employment e_n < 1 falls until the labour market clears:
    ///   w-hat_n >= f_n W-hat_u,  e_n <= 1,  (w-hat_n - f_n W-hat_u)(1 - e_n) = 0,
    /// a mixed complementarity problem solved inside the wage iteration (see the .cpp).
    /// The floor is relative to the union's own wages, so the problem keeps CP's
    /// homogeneity: the numeraire does not decide who is unemployed. A region at its floor
    /// has its trade balance converged to solver_options::tolerance x max(VA_n, 1e-3 world
    /// VA): it is balanced by its own income alone, and the rounding of the expenditure
    /// system is relative to the world.
    Eigen::VectorXd wage_floor;
    /// u(n): the currency union of region n (0, 1, ...), -1 for none; N, given with wage_floor.
    std::vector<int> wage_union;
    /// a_n: n's weight in its union's wage index (> 0 for members, each union's sum 1; 0
    /// outside unions); N, given with wage_floor.
    Eigen::VectorXd wage_index_weight;
};

/// Appends every problem of `shock` relative to `base` to `out`, including a
/// revenue_sharing matrix that is not N x N, has negative or non-finite entries, or has a
/// column that does not sum to 1 (within `tolerance`).
void validate(const trade_equilibrium_base& base, const counterfactual_shock& shock, issues& out,
              double tolerance = 1e-6);

/// Stagnation: solve() stops with numerical_error when the best residual has not fallen
/// below stagnation_factor times its value of stagnation_window outer iterations before
/// (not reduced by 10% over 50 iterations), as when the tolerance is below the rounding
/// error of the trade balances. The stop only ever replaces a failure: a solve that
/// converges is unchanged (the shipped scenarios give bitwise the same results with and
/// without it; docs/scenarios.md, equilibrium.tolerance).
inline constexpr int stagnation_window = 50;
inline constexpr double stagnation_factor = 0.9;

struct solver_options {
    /// Convergence: max_n |Z_n| / VA_n <= tolerance, where Z_n = w'_n L'_n - sum_j gamma^j_n
    /// Y'^j_n is n's excess labour supply, equal to imports - exports - D'_n (eq. 14),
    /// less the net tariff-revenue transfer received when revenue is shared.
    double tolerance = 1e-10;
    int max_iterations = 1000;    ///< outer (wage) iterations, >= 1
    int anderson_memory = 8;      ///< Anderson acceleration depth on log w-hat (0 = none)
    /// Mixing parameter beta: fraction of the diagonal Newton step on log w-hat taken
    /// before Anderson extrapolation (see trade_equilibrium.cpp).
    double relaxation = 1.0;
    int max_price_iterations = 5000;        ///< per outer iteration, E1-E2
    int max_expenditure_iterations = 2000;  ///< GMRES steps per outer iteration, E4
    /// Warm start w-hat (N, > 0), e.g. a neighbouring solution; empty = ones. Rescaled
    /// to the numeraire before use.
    Eigen::VectorXd initial_wage_change;
};

/// The counterfactual equilibrium. "Change" members are hats x'/x; others are levels
/// in the base's money unit. Layouts as documented at the top of this file.
struct equilibrium_result {
    Eigen::VectorXd wage_change;               ///< w-hat_n, N (numeraire: sum_n VA_n L-hat_n w-hat_n = sum_n VA_n)
    Eigen::MatrixXd input_cost_change;         ///< c-hat^j_n, J x N (eq. 10)
    Eigen::MatrixXd sector_price_change;       ///< P-hat^j_n, J x N (eq. 11)
    Eigen::VectorXd price_index_change;        ///< P-hat_n = prod_j (P-hat^j_n)^alpha^j_n, N (eq. 5)
    std::vector<Eigen::MatrixXd> trade_shares; ///< pi'^j_{ni} (eq. 12)
    Eigen::MatrixXd expenditure;               ///< X'^j_n, J x N (eq. 13)
    Eigen::MatrixXd gross_output;              ///< Y'^j_n = sum_i X'^j_i pi'^j_{in} / (1 + tau'^j_{in}), J x N
    Eigen::VectorXd value_added;               ///< VA'_n = w-hat_n e_n L-hat_n VA_n, N
    /// M'^j_{ni} = X'^j_n pi'^j_{ni} / (1 + tau'^j_{ni}): imports of n from i at world
    /// prices, per sector N x N (diagonal = domestic sales); exports of n to i = M'^j_{in}.
    std::vector<Eigen::MatrixXd> imports;
    Eigen::MatrixXd imports_by_sector;         ///< sum_{i != n} M'^j_{ni}, J x N
    Eigen::MatrixXd exports_by_sector;         ///< sum_{i != n} M'^j_{in}, J x N
    Eigen::VectorXd tariff_revenue;            ///< R'_n = sum_j X'^j_n (1 - F'^j_n): revenue n collects, N
    /// sum_m S(n,m) R'_m: revenue n receives under counterfactual_shock::revenue_sharing
    /// (equal to tariff_revenue when there is no sharing), N. World totals are equal.
    Eigen::VectorXd tariff_revenue_received;
    /// D'_n, N: the deficit of the closure, before revenue transfers; n's trade deficit
    /// (imports - exports) is D'_n + tariff_revenue_received_n - tariff_revenue_n.
    Eigen::VectorXd deficit;
    Eigen::VectorXd final_absorption;          ///< I'_n = VA'_n + received R'_n + D'_n, N
    /// e_n: employment as a share of the labour force, 1 unless a wage floor binds
    /// (counterfactual_shock::wage_floor); unemployment is 1 - e_n. N.
    Eigen::VectorXd employment;
    Eigen::VectorXd real_wage_change;          ///< w-hat_n / P-hat_n, N
    Eigen::VectorXd welfare_change;            ///< exact I-hat_n / P-hat_n, N
    int iterations = 0;                        ///< outer iterations used
    int price_iterations = 0;                  ///< E1-E2 sweeps, summed over outer iterations
    int expenditure_iterations = 0;            ///< GMRES steps on E4, summed
    double residual = 0.0;                     ///< final max_n |Z_n| / VA_n
};

/// Solves the counterfactual equilibrium (eqs. 10-14): Anderson-accelerated diagonal
/// Newton iteration on log w-hat (trade balance, eq. 14), the price system (eqs. 10-11) as
/// an accelerated contraction in logs, and eq. 13 by matrix-free GMRES; see the .cpp. Validates `base` and `shock`
/// first and throws integra::inconsistent_input listing every problem. Throws
/// integra::numerical_error (naming the worst region and the residual) if the iteration
/// does not converge or produces NaN or non-positive prices. Parallel over regions and
/// sectors with oneTBB inside the caller's arena; every element has a single writer and
/// no sum is split across tasks, so results do not depend on the number of threads.
[[nodiscard]] equilibrium_result solve(const trade_equilibrium_base& base, const counterfactual_shock& shock,
                                       const solver_options& options = {});

/// The counterfactual equilibrium as a new base year (levels): trade shares pi', tariffs
/// tau', expenditure X', value added w-hat L-hat VA, deficits D'; technology and
/// preferences unchanged. Solving it with an empty shock returns w-hat = 1; chaining
/// solves year by year works on the results of this function.
/// With revenue sharing the new base's deficit is the trade deficit D'_n + received -
/// collected revenue (a base year knows no sharing: each keeps its own, and the transfer
/// is part of the deficit). To continue the same sharing in the next step, solve with
/// deficit_closure::given and result.deficit, or the transfer is counted twice.
[[nodiscard]] trade_equilibrium_base counterfactual_as_base(const trade_equilibrium_base& base,
                                                            const counterfactual_shock& shock,
                                                            const equilibrium_result& result);

/// Dense reference for eq. 13: X' = (I - H - A)^{-1} (alpha o (w-hat L-hat VA + D')) by LU of
/// the NJ x NJ system, given a solution's wages, shares and deficits; with revenue sharing
/// A[(n,j),(m,k)] = alpha^j_n S(n,m) (1 - F'^k_m). Test reference only.
[[nodiscard]] Eigen::MatrixXd expenditure_dense_reference(const trade_equilibrium_base& base,
                                                          const counterfactual_shock& shock,
                                                          const equilibrium_result& result);

}  // namespace integra::models
