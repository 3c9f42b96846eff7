// Stochastic tradable-sector shocks for the currency-union module, and the optimum-
// currency-area (OCA) diagnostics that go with them.
//
// Sources (../shared/docs/policy-modules.md, B3.1 and D.B.2):
//   - the shock process of D.B.2 (costs of a full currency union): for each region n,
//     z_{n,t} = rho_n z_{n,t-1} + sigma_n e_{n,t}, e_t ~ N(0, Omega) (the run enters them as
//     lambda-hat^j_n = exp(z_{n,t}) in the sectors they hit: sim/year_state.cpp,
//     baseline_trend, says why not exp(theta^j z)). Placeholders until estimated: rho 0.7,
//     sigma 0.03, pairwise correlation 0.2 [M]. The celac38 dataset estimates them
//     (DATA.md A24) from the HP-filtered (lambda = 6.25 for annual data: Ravn & Uhlig 2002,
//     REStat 84(2)) log real tradable value added, 1995-2023;
//   - the OCA diagnostics of B3.1 / D.B.2 item 4, per pair of regions: the correlation of
//     output growth and the volatility of the growth difference SD(dy_i - dy_j) (asymmetric
//     shocks: Mundell 1961; Bayoumi & Eichengreen 1997, EER 41, "Ever closer to heaven?"),
//     bilateral trade intensity (Frankel & Rose 1998, EJ 108: closer trade links go with
//     more correlated cycles) and the dissimilarity of export composition
//     sum_j |s_ij - s_kj| (Bayoumi & Eichengreen 1997).
//
// Pure functions over Eigen values; no files, no printing.
#pragma once

#include <cstdint>

#include <Eigen/Dense>

#include "core/issues.hpp"

namespace integra::models {

/// The AR(1) shock process of D.B.2 for N regions.
struct shock_process {
    Eigen::VectorXd persistence;  ///< rho_n in [0, 1) (per year)
    Eigen::VectorXd volatility;   ///< sigma_n >= 0 (log points per year: 0.03 = 3 %)
    Eigen::MatrixXd correlation;  ///< Omega, N x N: symmetric, unit diagonal, positive semi-definite
};

/// Appends every problem of `p`: sizes ("shocks.volatility", "shocks.correlation"), rho outside
/// [0, 1) ("shocks.persistence[n]"), sigma < 0 or not finite ("shocks.volatility[n]"), a
/// correlation that is not symmetric (1e-9), has a diagonal other than 1, entries outside
/// [-1, 1] ("shocks.correlation[i,j]"), or is not positive semi-definite (smallest eigenvalue
/// < -1e-10, named with its value: "shocks.correlation").
void validate(const shock_process& p, issues& out);

/// Draws the AR(1) paths z_{n,t} = rho_n z_{n,t-1} + sigma_n e_{n,t}, e_t ~ N(0, Omega),
/// z_{n,-1} = 0, for `years` years: returns years x N (row t = year t).
/// Deterministic given `seed` on every platform and thread count: std::mt19937_64 seeded with
/// `seed`, standard normals by the Box-Muller transform written out here
/// (std::normal_distribution is implementation-defined), drawn year by year, region by region,
/// and correlated with a factor F (F F' = Omega) from a pivoted LDL' decomposition, so that a
/// positive semi-definite but singular Omega (e.g. perfectly correlated regions) works. `p` must
/// be valid (validate()); years >= 0.
[[nodiscard]] Eigen::MatrixXd draw_shocks(const shock_process& p, int years, std::uint64_t seed);

/// OCA diagnostics per pair (policy-modules B3.1). `log_output`: years x N, log real output,
/// NaN for gaps. The growth dy_{n,t} = y_{n,t} - y_{n,t-1} exists where both years are given;
/// a pair uses the years where both regions have growth.

/// The correlation of output growth, N x N, symmetric, diagonal 1; NaN where a pair has fewer
/// than 3 common growth years or a series is constant over them.
[[nodiscard]] Eigen::MatrixXd growth_correlation(const Eigen::MatrixXd& log_output);

/// SD(dy_i - dy_j), the sample standard deviation (n - 1) of the growth difference over the
/// common years, N x N, symmetric, diagonal 0; NaN where a pair has fewer than 2 common years.
/// (The asymmetric-shock term of Bayoumi & Eichengreen's OCA index.)
[[nodiscard]] Eigen::MatrixXd growth_gap_volatility(const Eigen::MatrixXd& log_output);

/// Bilateral trade intensity (x_ij + x_ji) / (gdp_i + gdp_j), N x N, symmetric. `exports`:
/// N x N, (exporter, importer), in the unit of `gdp`. The diagonal (domestic sales) is NaN, and
/// so is a pair whose GDPs sum to <= 0.
[[nodiscard]] Eigen::MatrixXd trade_intensity(const Eigen::MatrixXd& exports, const Eigen::VectorXd& gdp);

/// Export dissimilarity sum_j |s_ji - s_jk| over sector export shares s_jn = x_jn / sum_j x_jn
/// (Bayoumi & Eichengreen 1997). `exports_by_sector`: J x N (sector, exporter). N x N,
/// symmetric, in [0, 2], diagonal 0; NaN for a region without exports.
[[nodiscard]] Eigen::MatrixXd export_dissimilarity(const Eigen::MatrixXd& exports_by_sector);

}  // namespace integra::models
