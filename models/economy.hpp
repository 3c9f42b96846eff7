// An economy in its base year, as a dataset describes it: Integra's canonical in-memory
// dataset (docs/dataset-format.md is its on-disk form).
//
// It holds what the trade equilibrium of Caliendo & Parro (2015, RES 82(1), section 3)
// needs in levels: gross output and value added by region and sector, input-output
// coefficients per region, bilateral trade by sector at world prices (domestic sales on
// the diagonal), tariffs, trade elasticities, final-demand shares and trade deficits.
//
// Orientation: every bilateral matrix is indexed (exporter, importer) - row = origin,
// column = destination - for trade and tariffs alike. Flows are in `unit` per year.
#pragma once

#include <Eigen/Dense>

#include <string>
#include <vector>

#include "core/issues.hpp"
#include "models/mrio_table.hpp"

namespace integra::models {

struct economy {
    std::string name;                  ///< dataset name, e.g. "celac38"
    int base_year = 0;                 ///< calendar year the flows describe
    std::string unit;                  ///< currency unit of every flow, e.g. "million USD"
    std::vector<std::string> regions;  ///< region labels (R)
    std::vector<std::string> sectors;  ///< sector labels (S)

    std::vector<std::string> region_names;  ///< long names for output (R)
    std::vector<std::string> sector_names;  ///< long names for output (S)
    std::vector<bool> tradable;             ///< false: only domestic sales allowed (S)
    Eigen::VectorXd trade_elasticity;       ///< theta^j > 0, dimensionless (S)

    Eigen::MatrixXd gross_output;  ///< Y(r,s), unit/yr (R x S)
    Eigen::MatrixXd value_added;   ///< VA(r,s), unit/yr (R x S)
    /// io_coefficients[r](k,j): input of sector k (domestic and imported) per unit of gross
    /// output of sector j in region r, gamma^{k,j}_r; columns sum to 1 - VA/Y (S x S each).
    std::vector<Eigen::MatrixXd> io_coefficients;
    /// trade[s](i,n): sales of sector s from exporter i to importer n at world prices
    /// (before tariffs), unit/yr; the diagonal holds domestic sales (R x R each).
    std::vector<Eigen::MatrixXd> trade;
    /// tariffs[s](i,n): ad-valorem tariff importer n charges on sector-s goods from i, a
    /// fraction (0.05 = 5%); zero on the diagonal (R x R each).
    std::vector<Eigen::MatrixXd> tariffs;
    /// alpha(r,s): share of sector s in region r's final spending; rows sum to 1 (R x S).
    Eigen::MatrixXd final_demand_share;
    /// D(r): imports minus exports at world prices, unit/yr; sums to zero (R).
    Eigen::VectorXd deficit;

    [[nodiscard]] std::size_t n_regions() const { return regions.size(); }
    [[nodiscard]] std::size_t n_sectors() const { return sectors.size(); }

    /// X(n,s): spending of n on sector s including tariffs, sum_i trade[s](i,n)(1+t) (R x S).
    [[nodiscard]] Eigen::MatrixXd expenditure() const;
    /// Exports (excluding domestic sales) at world prices by region (R).
    [[nodiscard]] Eigen::VectorXd exports() const;
    /// Imports (excluding domestic purchases) at world prices by region (R).
    [[nodiscard]] Eigen::VectorXd imports() const;
    /// Tariff revenue collected by each importer, unit/yr (R).
    [[nodiscard]] Eigen::VectorXd tariff_revenue() const;
};

/// Appends every inconsistency to `out`, naming the region, sector and size: dimensions,
/// labels, NaN, negative flows, non-positive elasticities, trade in non-tradables, tariffs
/// below -100%, and the base-year identities of Caliendo & Parro (2015):
///   gross output = sales, Y(i,s) = sum_n trade[s](i,n)                        (eq. 7)
///   value-added share + input shares = 1 for every region and sector          (eq. 2)
///   intermediate use <= expenditure, i.e. final use is not negative            (eq. 7)
///   final-demand shares sum to 1; deficits = imports - exports, sum to zero    (eq. 9)
/// `relative_tolerance` scales with the magnitude of the quantity checked.
void validate(const economy& e, issues& out, double relative_tolerance = 1e-6);

/// The MRIO table implied by an economy under the proportionality assumption (every user
/// of sector s in region n buys from each origin in the proportions of n's total purchases
/// of s; Miller & Blair 2009, section 3.3, "multiregional" model):
///   Z((i,s),(n,j)) = gamma^{s,j}_n Y(n,j) * share(i | n,s)
///   F((i,s),n)     = (X(n,s) - intermediate use(n,s)) * share(i | n,s)
/// with share(i | n,s) = trade[s](i,n) / X(n,s): the world-price value bought from i per
/// unit of n's tariff-inclusive spending on s (the shares sum to 1 without tariffs). The value-added
/// row closes each column: it is value added plus the tariffs paid on imported inputs (the
/// "taxes less subsidies" row of ICIO tables), so the table balances at world prices.
[[nodiscard]] mrio_table to_mrio_table(const economy& e);

}  // namespace integra::models
