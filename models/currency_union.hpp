// A currency union (issue 10; docs/currency.md): what a common currency gains (lower trade
// costs among members) and what it costs (no exchange rate to absorb a member's shocks, with
// nominal wages that cannot fall fast). Pure functions; sim/year_state.cpp carries the state
// from year to year, and models/trade_equilibrium.hpp solves the wage floors with the
// equilibrium (counterfactual_shock::wage_floor).
//
// Sources (../shared/docs/policy-modules.md, B2, B3 and D.B.2, tags of D.D):
//   - the trade effect g of a common currency, converted to an iceberg cut
//     kappa-hat = (1 + g)^(-1/theta-bar) for member pairs (B2.2, the gravity-consistent
//     conversion in Eaton-Kortum/CP); g = 0.10 (euro 5-15% [V], Glick & Rose 2016 ~50% [V],
//     ~0 after publication-bias correction, Havranek 2010 [V]); theta-bar = 4.55 (CP's
//     one-sector value); phased in over 5 years (Frankel 2008 [V via summary]);
//   - downward nominal wage rigidity, W_{n,t} >= gamma_w W_{n,t-1}, gamma_w = 0.98 a year [M]
//     (Schmitt-Grohe & Uribe 2016, JPE 124(5) [V] motivate it);
//   - union-wide fiscal transfers T_n = -phi_f (y_n - y-bar) GDP_n (D.B.2 Costs 3;
//     Sachs & Sala-i-Martin 1992: the US federal system offsets 1/3-1/2 of a regional shock
//     [V], the EC budget about 0.5% [V]); phi_f = 0 by default (CELAC has no common budget).
//     y_n is the member's employment gap e_n - 1: the part of its shock the lost exchange
//     rate leaves unabsorbed (under the float, the baseline, employment is full); a gap
//     rather than a log keeps the transfer below phi_f GDP_n whatever the unemployment.
//
// The nominal anchor. CP's equilibrium is real: only relative wages are determined. The
// union's central bank is taken to let the union's average nominal wage grow by its
// inflation pi plus the trend growth G of its real wages (the members' labour-productivity
// path), whatever the shocks: the union as a whole floats against the rest of the world, so
// a shock common to all members moves the union's exchange rate, not its wages. A member's
// nominal wage is then the union average times its wage relative to the union's wage
// index, and the floor on the nominal wage becomes a floor on that relative wage
// (wage_floors).
#pragma once

#include <vector>

#include <Eigen/Dense>

namespace integra::models {

/// B2.2: the iceberg change for member pairs when trade between them rises by
/// 1 + share g, (1 + share g)^(-1/theta-bar); share is the phase-in share in [0, 1].
[[nodiscard]] double currency_trade_cost_change(double trade_effect, double trade_elasticity, double share);

/// a_n: each member's weight in its union's wage index, its share of the members' value
/// added (N; 0 outside the union, members sum to 1). `value_added` > 0, N.
[[nodiscard]] Eigen::VectorXd wage_index_weights(const Eigen::VectorXd& value_added, const Eigen::VectorXd& member_mask);

/// omega_n = w-hat_n / W-hat_u: a member's wage change relative to its union's wage index
/// W-hat_u = sum_m a_m w-hat_m (N; 1 outside the union).
[[nodiscard]] Eigen::VectorXd relative_wages(const Eigen::VectorXd& wage_change, const Eigen::VectorXd& index_weight,
                                             const Eigen::VectorXd& member_mask);

/// D.B.2 eq. 2 on relative wages: with the union's average nominal wage growing by
/// (1 + pi) G, W_{n,t} >= gamma_w W_{n,t-1} is
///   omega_{n,t} >= omega_{n,t-1} gamma_w / ((1 + pi) G_t b_{n,t} / B_t),
/// where b_{n,t} is the member's baseline wage growth per person at constant world prices
/// (the float's), B_t the same growth of the union's wage index (value-added weights), so
/// b / B is the member's relative wage growth under the float, and G_t the union's trend
/// growth of real wages. `relative_wage_growth` is G_t b_{n,t} / B_t. N; 0 outside the
/// union (no floor).
[[nodiscard]] Eigen::VectorXd wage_floors(const Eigen::VectorXd& previous_relative_wage,
                                          const Eigen::VectorXd& relative_wage_growth, double gamma_w, double inflation,
                                          const Eigen::VectorXd& member_mask);

/// D.B.2 Costs 3: T_n = -phi_f (y_n - y-bar) GDP_n for members, with y_n = e_n - 1 a
/// member's employment gap and y-bar its GDP-weighted mean over members, so the transfers
/// sum to zero (N; 0 outside the union; received > 0).
[[nodiscard]] Eigen::VectorXd fiscal_transfers(const Eigen::VectorXd& employment_gap, const Eigen::VectorXd& gdp,
                                               double phi, const Eigen::VectorXd& member_mask);

}  // namespace integra::models
