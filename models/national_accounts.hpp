// National-accounts measures of a Caliendo & Parro (2015) equilibrium: GDP volume at
// base-year prices by double deflation, and GDP at market prices. docs/output.md
// ("Which GDP, which welfare") writes the derivation out.
//
// What is a "quantity" of gross output in the Eaton-Kortum / CP model? Sector j of region
// n makes each variety w with productivity z^j_n(w) from input bundles that cost c^j_n
// (CP eq. 2); under perfect competition its factory-gate price is c^j_n / z^j_n(w)
// (Eaton & Kortum 2002, Econometrica 70(5), 1741-1779; before trade costs).
// Valuing every variety at its own base-year price (a Laspeyres quantity index over
// varieties, SNA 2008 chapter 15), the output of sector j at base-year producer prices is
//     sum_w (c^j_{n,0} / z_0(w)) q(w) = c^j_{n,0} A-hat^j_n B^j_n,   B^j_n = Y^j_n / c^j_n,
// where B is the number of input bundles used and A-hat the Hicks-neutral change of every
// z (productivity_change: A-hat = lambda-hat^(1/theta^j), lambda the Frechet location of
// CP eq. 4). So the producer price index of the sector is c-hat^j_n / A-hat^j_n, and the
// volume of gross output is Y^j_n(t) A-hat^j_n / c-hat^j_n. Varieties that n starts or
// stops producing are valued at their own base-year cost c_0 / z, i.e. they take the price
// movement of the continuing varieties (the matched-model treatment of new products);
// the EK selection of which varieties a country makes therefore changes no price.
// Intermediate inputs are the sector composites of CP eq. 2, bought at P^k_n (CP eq. 4,
// tariffs included: purchasers' prices, as SNA 2008 values intermediate consumption), so
// their volume is gamma^{k,j}_n Y^j_n(t) / P-hat^k_n. Real value added is gross output
// less intermediate inputs, both at base-year prices: double deflation (SNA 2008 chapter
// 15; ESA 1995 para. 10.28: VA at constant prices = sum P(0) Q(1) - sum p(0) q(1)).
//
// With the Cobb-Douglas technology of CP eq. 2 (q = z l^gamma prod_k m_k^gamma^{k,j}), the
// Divisia (continuously chained) version of the same index is L-hat^j_n A-hat^(1/gamma^j):
// labour used times productivity. So, to first order, a change of tariffs, trade costs or
// foreign conditions moves GDP volume only by moving labour or productivity - the point of
// Kehoe & Ruhl (2008, Review of Economic Dynamics 11(4), 804-819): terms-of-trade changes
// have no first-order effect on real GDP at constant prices; they move real income. The
// fixed-base (Laspeyres) index computed here differs from the chained one at second order
// (substitution between labour and materials, and across sectors, at base-year prices).
//
// Layouts as in trade_equilibrium.hpp: sector x region arrays are J x N.
#pragma once

#include <Eigen/Dense>

#include "models/trade_equilibrium.hpp"

namespace integra::models {

/// One equilibrium (a case in a year) relative to the base year. Changes are x(t)/x(base),
/// in the solver's numeraire (world nominal value added of the base); only ratios of
/// money to price changes enter the volumes, so the numeraire cancels.
struct prices_and_output {
    Eigen::MatrixXd gross_output;         ///< Y^j_n(t), in the base's money, J x N
    Eigen::MatrixXd input_cost_change;    ///< c-hat^j_n since the base year, J x N (CP eq. 10)
    Eigen::MatrixXd sector_price_change;  ///< P-hat^j_n since the base year, J x N (CP eq. 11)
    /// lambda-hat^j_n since the base year, J x N: the Frechet location (CP eq. 4) of n's
    /// own producers; empty = unchanged. A-hat = lambda-hat^(1/theta^j).
    Eigen::MatrixXd productivity_change;
};

/// Volumes at base-year prices (money of the base year), J x N, and the region index.
struct gdp_volume_result {
    Eigen::MatrixXd gross_output_volume;  ///< Y^j_n(t) A-hat^j_n / c-hat^j_n: at base-year producer prices
    Eigen::MatrixXd intermediate_volume;  ///< sum_k gamma^{k,j}_n Y^j_n(t) / P-hat^k_n: at base-year purchasers' prices
    Eigen::MatrixXd value_added_volume;   ///< gross_output_volume - intermediate_volume: double-deflated value added
    /// N: sum_j value_added_volume / the same sum in the base year; 1 in the base year exactly.
    Eigen::VectorXd index;
};

/// Y^j_n = sum_i M^j_{in}: gross output of a base, its sales at world prices (CP eq. 7), J x N.
[[nodiscard]] Eigen::MatrixXd gross_output(const trade_equilibrium_base& base);

/// The producer price change of n's sector-j output, c-hat^j_n / A-hat^j_n with
/// A-hat = lambda-hat^(1/theta^j): the matched-model price of the varieties n makes. J x N.
[[nodiscard]] Eigen::MatrixXd producer_price_change(const trade_equilibrium_base& base, const prices_and_output& now);

/// GDP volume at base-year prices of `now` (double deflation, see the top of this file).
/// `base` gives the base year's gross output (sales, CP eq. 7), the input shares
/// gamma^{k,j}_n (CP eq. 2) and theta. Throws inconsistent_input on mismatched dimensions
/// or non-positive price changes.
[[nodiscard]] gdp_volume_result gdp_volume(const trade_equilibrium_base& base, const prices_and_output& now);

/// GDP at market prices = value added (GDP at basic prices) + taxes on products, here the
/// tariffs collected (SNA 2008 chapter 6: GDP at market prices = value added at basic prices
/// + taxes less subsidies on products, and import duties are taxes on products; CP's R_n in
/// I_n = VA_n + R_n + D_n). Element by element, N.
[[nodiscard]] Eigen::VectorXd gdp_at_market_prices(const Eigen::VectorXd& value_added,
                                                   const Eigen::VectorXd& tariff_revenue);

}  // namespace integra::models
