// A full multi-regional input-output table as an importer reads it: the origin detail of
// mrio_table plus what mrio_table folds away, namely final demand by category, value added
// as the file gives it (which need not be the balancing item), and named satellite
// extensions. mrio_table stays the shape the accounting functions read; its final_demand is
// the sum over categories and its value_added the balancing item x - 1'Z (so that
// validate(mrio_table) holds); the given value added, when present, is kept apart here and
// the gap between the two is reported, never forced (docs/io-accounting.md, "Importing a
// full MRIO and computing its accounts").
#pragma once

#include <Eigen/Dense>

#include <string>
#include <vector>

#include "core/issues.hpp"
#include "models/mrio_table.hpp"
#include "models/satellite_accounts.hpp"

namespace integra::models {

/// One satellite extension with the name the file gives it (pymrio: the extension's
/// folder or its "name"; e.g. "emissions", "factor_inputs").
struct named_extension {
    std::string name;
    satellite accounts;
};

struct full_mrio {
    /// Origin-detailed table; final_demand = sum over categories, value_added = x - 1'Z.
    mrio_table table;
    /// Final-demand category labels, e.g. "Final consumption expenditure by households".
    std::vector<std::string> categories;
    /// Y((r,s), q*C + c): final demand of category c in region q for sector s of region r;
    /// (RS x R*C), in table.unit per year.
    Eigen::MatrixXd final_demand_by_category;
    /// Value added as given by the file (sum of its components), (RS); empty (size 0) when
    /// the file gives none and the balancing item is used.
    Eigen::VectorXd value_added_given;
    /// Where value_added_given comes from, e.g. "extension factor_inputs (3 rows)"; empty if none.
    std::string value_added_source;
    std::vector<named_extension> extensions;

    [[nodiscard]] std::size_t n_categories() const { return categories.size(); }
    [[nodiscard]] bool has_given_value_added() const { return value_added_given.size() != 0; }
    /// The value added the accounts use: the given one if present, else the balancing item.
    [[nodiscard]] const Eigen::VectorXd& value_added() const {
        return has_given_value_added() ? value_added_given : table.value_added;
    }
    /// The table with value_added() in place of the balancing item, for value-added accounts
    /// (multipliers, value added in trade) that must use the value added as given.
    [[nodiscard]] mrio_table table_with_given_value_added() const;
};

/// Balancing gap x - 1'Z - v with v = value_added(): zero (to rounding) when no value added
/// is given; otherwise what the given value added leaves unexplained (taxes on products,
/// statistical discrepancies). (RS).
[[nodiscard]] Eigen::VectorXd balancing_gap(const full_mrio& m);

/// Sums the C category columns of each region: (rows x R*C), column q*C + c, to (rows x R).
[[nodiscard]] Eigen::MatrixXd sum_over_categories(const Eigen::Ref<const Eigen::MatrixXd>& by_category,
                                                  Eigen::Index n_regions, Eigen::Index n_categories);

/// Builds table.final_demand (sum over categories), table.gross_output (row sums, when
/// `gross_output` is empty) and table.value_added (balancing item) from the flows. Labels,
/// unit, intermediate and final_demand_by_category must be set.
void complete_table(full_mrio& m, const Eigen::VectorXd& gross_output = {});

/// The proportional view of a full table: the one the trade equilibrium and Integra's
/// datasets assume (economy.hpp, to_mrio_table), derived explicitly. Every user of sector s
/// in region q (each using sector j, each final-demand category c) buys from each origin r
/// in the proportions of q's total absorption of s:
///   share(r | q, s) = a_s(r, q) / sum_r' a_s(r', q),
///   a_s(r, q) = sum_j Z((r,s),(q,j)) + sum_c Y((r,s),(q,c))
///   Z_p((r,s),(q,j)) = share(r | q, s) sum_r' Z((r',s),(q,j))
///   Y_p((r,s),(q,c)) = share(r | q, s) sum_r' Y((r',s),(q,c))
/// (Miller & Blair 2009, ch. 3, sec. 3.4: the multiregional model's trade coefficients,
/// Chenery 1953, Moses 1955). Gross output (row sums), each user's purchases by sector
/// (column sums by s), bilateral trade by sector, value added and the extensions are
/// unchanged; only who sells to which user changes. A table that is already proportional
/// maps to itself. Where an origin's absorption of s by q is negative (inventory draw-downs
/// exceeding its other sales to q), shares would be negative and so would the rebuilt flows:
/// that (q, s) is left as given and counted in `left_as_given`, as is one whose total
/// absorption is not positive.
[[nodiscard]] full_mrio proportional_view(const full_mrio& m, std::size_t* left_as_given = nullptr);

/// Appends every problem: the table's own (validate(mrio_table)) except negative net final
/// demand, which a full MRIO may have (inventory draw-downs) and is kept as given; category labels (empty,
/// duplicate), Y not RS x R*C, a given value added of the wrong size or not finite, each
/// extension's (names prefixed "extension 'name'"), and duplicate extension names.
void validate(const full_mrio& m, issues& out, double relative_tolerance = 1e-6);

}  // namespace integra::models
