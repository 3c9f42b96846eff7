// The multi-regional input-output (MRIO) table: Integra's data model of an economy.
//
// Regions r, q = 0..R-1 and sectors s, t = 0..S-1. A (region, sector) pair is one row
// or column of the intermediate block, at index r * S + s (region-major), the layout of
// OECD ICIO, Eora and EXIOBASE. All flows are in one currency unit per year, named in
// `unit` (for example "million USD").
//
// Accounting identities (Miller & Blair 2009, ch. 3, eqs. 3.1-3.3):
//   rows:    x(r,s) = sum_(q,t) Z((r,s),(q,t)) + sum_q F((r,s),q)      (sales)
//   columns: x(q,t) = sum_(r,s) Z((r,s),(q,t)) + v(q,t)                 (costs)
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <string>
#include <vector>

#include "core/issues.hpp"

namespace integra::models {

struct mrio_table {
    std::vector<std::string> regions;  ///< region labels, e.g. ISO 3166 alpha-3 codes
    std::vector<std::string> sectors;  ///< sector labels
    std::string unit;                  ///< currency unit of every flow, e.g. "million USD"

    /// Z((r,s),(q,t)): sales of sector s in region r to sector t in region q; (RS x RS).
    Eigen::MatrixXd intermediate;
    /// F((r,s),q): final demand of region q for goods of sector s from region r; (RS x R).
    Eigen::MatrixXd final_demand;
    /// v(q,t): value added of sector t in region q; (RS).
    Eigen::VectorXd value_added;
    /// x(r,s): gross output of sector s in region r; (RS).
    Eigen::VectorXd gross_output;

    [[nodiscard]] std::size_t n_regions() const { return regions.size(); }
    [[nodiscard]] std::size_t n_sectors() const { return sectors.size(); }
    [[nodiscard]] std::size_t size() const { return regions.size() * sectors.size(); }
    [[nodiscard]] std::size_t index(std::size_t region, std::size_t sector) const {
        return region * sectors.size() + sector;
    }
    /// "BRA/agriculture" for the row or column at `i`.
    [[nodiscard]] std::string label(std::size_t i) const;
};

/// Appends every violation to `out`: mismatched dimensions, duplicate or empty labels,
/// NaN or infinite entries, negative flows or output, and row or column identities that
/// fail by more than `relative_tolerance` times the gross output (or 1e-9 absolute where
/// output is zero). Each message names the region/sector and the size of the violation.
/// `negative_final_demand_allowed`: net final demand below zero (inventory draw-downs larger
/// than the other final uses of a product from one origin) is accepted, as full MRIO tables
/// have it (validate(full_mrio)); the economy-derived tables never do.
void validate(const mrio_table& table, issues& out, double relative_tolerance = 1e-6,
              bool negative_final_demand_allowed = false);

/// Bilateral trade by sector, T(s)(exporter r, importer q) = sum_t Z((r,s),(q,t)) + F((r,s),q)
/// for r != q, and 0 on the diagonal; returns one R x R matrix per sector.
[[nodiscard]] std::vector<Eigen::MatrixXd> bilateral_trade(const mrio_table& table);

}  // namespace integra::models
