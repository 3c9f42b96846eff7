// Structural decomposition analysis (SDA): the change of gross output or of a stressor
// footprint between two MRIO tables of the same shape, split into the contributions of its
// determinants (Miller & Blair 2009, ch. 13, "Structural Decomposition, Mixed and Dynamic
// Models", sec. 13.1; docs/io-accounting.md, "Structural decomposition analysis").
//
// The quantity is a product of factors, q = f(a, b, c, ...), each factor known in the table
// "before" (time 0) and "after" (time 1). Switching the factors from 0 to 1 one at a time in
// some order gives an exact additive decomposition (the terms telescope to q1 - q0); there
// are n! orders and they give different terms. Following Dietzenbacher & Los (1998, Econ.
// Syst. Res. 10(4):307-324, "Structural decomposition techniques: sense and sensitivity"),
// the default is the average over all n! orders:
//
//   contribution(i) = (1/n!) sum over orders p of [ f(P_i(p) + {i}) - f(P_i(p)) ]
//
// where P_i(p) is the set of factors switched to time 1 before i in order p, and f(P) is q
// with the factors in P at time 1 and the others at time 0. For two factors (x = L y) this
// is the average of the two polar decompositions, 1/2 (dL y0 + L1 dy) + 1/2 (dL y1 + L0 dy).
// The two polar decompositions themselves are offered too: `first_polar` switches the factors
// in the listed order (the first factor's term has all others at time 0, the last factor's
// term has all others at time 1), `second_polar` in the reverse order (Miller & Blair 2009,
// sec. 13.1; Dietzenbacher & Los 1998). The polar forms depend on the listed order; the
// average does not.
//
// Factorisations (n = R*S region-sectors, region-major, as in mrio_table.hpp):
//   final demand   Y((r,s),q) = level(q) * mix(s,q) * origin((r,s),q)
//                  level(q) = total final demand of region q, mix(s,q) = share of product s
//                  in it (origins summed), origin((r,s),q) = share of region r in q's purchases
//                  of product s. Exact: the product rebuilds Y cell by cell.
//   technology     A((r,s),j) = input_mix(s,j) * input_origin((r,s),j)
//                  input_mix(s,j) = sum_r A((r,s),j) (input of product s per unit output of
//                  j, whatever its origin), input_origin = share of region r in it. Exact; and
//                  since origin shares sum to 1, every mixed matrix (mix of one table, origins
//                  of the other) has the column sums of one of the two tables, so I - A stays
//                  invertible whenever every column sum of A is below 1 in both tables.
// A share whose denominator is zero in one table is taken from the other table (the
// factor then does not change there, so no change is attributed to an arbitrary share); if
// it is zero in both, it is 1/R (it multiplies zero and does not matter).
//
// L is never formed: x = L y is a solve with (I - A)'s LU, one factorisation per distinct
// technology state (at most 4). Functions are pure and serial (the tables that SDA is used
// on are compared a few times, and the cost is a handful of LU factorisations).
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/mrio_table.hpp"
#include "models/satellite_accounts.hpp"

namespace integra::models {

/// Which of the ordered decompositions to report.
enum class sda_ordering {
    average_of_all_orders,  ///< mean of all n! orders (Dietzenbacher & Los 1998); order-free
    first_polar,            ///< factors switched in the listed order
    second_polar,           ///< factors switched in the reverse of the listed order
};

/// At most this many factors: the average enumerates all n! orders (6! = 720) over the
/// 2^n cached evaluations of the quantity (64).
inline constexpr std::size_t max_sda_factors = 6;

/// One decomposition: `before` + sum of `contributions` = `after` (up to rounding).
struct structural_decomposition {
    std::vector<std::string> factors;           ///< factor names in the order listed
    std::vector<Eigen::MatrixXd> contributions;  ///< one per factor, shaped like `before`
    Eigen::MatrixXd before;                      ///< quantity with every factor at time 0
    Eigen::MatrixXd after;                       ///< quantity with every factor at time 1
    sda_ordering ordering = sda_ordering::average_of_all_orders;

    /// after - before.
    [[nodiscard]] Eigen::MatrixXd change() const { return after - before; }
    /// Sum of the contributions (equals change() up to rounding).
    [[nodiscard]] Eigen::MatrixXd sum_of_contributions() const;
    /// The contribution of the factor named `factor`; throws invalid_input naming the
    /// known factors if there is none.
    [[nodiscard]] const Eigen::MatrixXd& contribution(std::string_view factor) const;
};

/// The quantity with factor i at time 1 when bit i of `after_mask` is set, else at time 0.
using sda_quantity = std::function<Eigen::MatrixXd(std::uint32_t after_mask)>;

/// The generic engine: evaluates `quantity` once per needed mask (2^n for the average, n+1
/// for a polar form) and combines them. Throws invalid_input if there are no factors, more
/// than max_sda_factors ("... 7 factors given: the average over all orders enumerates n!
/// orders; at most 6 are supported"), duplicate names, or quantities of different shapes.
[[nodiscard]] structural_decomposition decompose(const std::vector<std::string>& factors,
                                                 const sda_quantity& quantity,
                                                 sda_ordering ordering = sda_ordering::average_of_all_orders);

/// Which factorisations to use.
struct sda_options {
    sda_ordering ordering = sda_ordering::average_of_all_orders;
    /// true: final demand as three factors "final_demand_level", "final_demand_mix",
    /// "final_demand_origin"; false: one factor "final_demand".
    bool split_final_demand = true;
    /// true: technology as "input_mix" and "input_origin"; false: one factor "technology"
    /// (the Leontief inverse L, as A changes).
    bool split_technology = false;
};

/// Final demand split into level, product mix and origin (see the header comment), for two
/// tables at once so that undefined shares can be borrowed from the other table.
struct final_demand_factors {
    Eigen::VectorXd level;   ///< (R) total final demand of each region, currency unit per year
    Eigen::MatrixXd mix;     ///< (S x R) product shares, columns sum to 1
    Eigen::MatrixXd origin;  ///< (n x R) origin shares, sum over r of origin((r,s),q) = 1
};
/// Y((r,s),q) = level(q) mix(s,q) origin((r,s),q).
[[nodiscard]] Eigen::MatrixXd compose(const final_demand_factors& f, std::size_t n_regions, std::size_t n_sectors);

/// Technology split into input mix and input origin (see the header comment).
struct technology_factors {
    Eigen::MatrixXd input_mix;     ///< (S x n) input of product s per unit output of j
    Eigen::MatrixXd input_origin;  ///< (n x n) share of region r in that input
};
/// A((r,s),j) = input_mix(s,j) input_origin((r,s),j).
[[nodiscard]] Eigen::MatrixXd compose(const technology_factors& f, std::size_t n_regions, std::size_t n_sectors);

/// Splits both tables' final demand (n x R each) and technical coefficients (n x n each).
/// first = time 0, second = time 1.
[[nodiscard]] std::pair<final_demand_factors, final_demand_factors>
split_final_demand(const Eigen::Ref<const Eigen::MatrixXd>& before, const Eigen::Ref<const Eigen::MatrixXd>& after,
                   std::size_t n_regions, std::size_t n_sectors);
[[nodiscard]] std::pair<technology_factors, technology_factors>
split_technology(const Eigen::Ref<const Eigen::MatrixXd>& before, const Eigen::Ref<const Eigen::MatrixXd>& after,
                 std::size_t n_regions, std::size_t n_sectors);

/// Appends every problem to `out`: each table invalid (validate(mrio_table)), different
/// region or sector labels (the first differing position, both labels), different units
/// ("unit 'million USD' before, 'million EUR' after: convert one table first").
void validate_pair(const mrio_table& before, const mrio_table& after, issues& out);

/// SDA of the change in gross output x = L Y 1 (n x 1, currency unit per year) between two
/// tables (Miller & Blair 2009, sec. 13.1): factors "technology" (or "input_mix",
/// "input_origin") then the final-demand factors. `before` and `after` are computed from the
/// tables' A and Y, so they equal the tables' gross output when each table is balanced.
/// Throws inconsistent_input listing every problem of validate_pair, numerical_error if
/// I - A is singular for some technology state.
[[nodiscard]] structural_decomposition decompose_gross_output(const mrio_table& before, const mrio_table& after,
                                                              const sda_options& options = {});

/// SDA of the footprint S L Y (K x R: stressor k caused by the final demand of region q,
/// stressor unit per year; CBA without the direct final-demand stressors F_y, whose change
/// F_y1 - F_y0 is additive and needs no decomposition) between two tables (Miller & Blair
/// 2009, ch. 13, sec. 13.1 for the method; ch. 10, sec. 10.2 for f = S L y): factors
/// "intensity" (S = F x^-1), the technology factor(s), the final-demand factor(s).
/// Throws inconsistent_input listing every problem of validate_pair, of each satellite
/// (validate(satellite)), and stressor names or units that differ between the two.
[[nodiscard]] structural_decomposition decompose_footprint(const mrio_table& before, const satellite& stressors_before,
                                                           const mrio_table& after, const satellite& stressors_after,
                                                           const sda_options& options = {});

}  // namespace integra::models
