// The accounts of io_accounts.hpp from two batches of products with the Leontief operator
// (one with L', one with L), so an iterative operator solves all its columns in parallel.
#include "models/io_accounts.hpp"

#include <string>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::models {

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

VectorXd safe_reciprocal(const Eigen::Ref<const VectorXd>& x) {
    return x.unaryExpr([](double value) { return value != 0.0 ? 1.0 / value : 0.0; });
}

// Columns [first, first + count) of a batch.
struct span {
    Index first = 0;
    Index count = 0;
};

// Appends `part` to the batch being built and returns where it went.
span append(MatrixXd& batch, Index& used, const Eigen::Ref<const MatrixXd>& part) {
    batch.middleCols(used, part.cols()) = part;
    const span where{used, part.cols()};
    used += part.cols();
    return where;
}

// Sum over the sectors of each region: out(o, col) = sum_(s in o) weights(o,s) m((o,s), col).
MatrixXd by_origin_region(const Eigen::Ref<const MatrixXd>& m, const Eigen::Ref<const VectorXd>& weights,
                          Index n_regions, Index n_sectors) {
    MatrixXd out(n_regions, m.cols());
    for (Index o = 0; o < n_regions; ++o)
        out.row(o).noalias() = weights.segment(o * n_sectors, n_sectors).transpose() * m.middleRows(o * n_sectors, n_sectors);
    return out;
}

}  // namespace

Index io_accounts_products(const full_mrio& mrio, const satellite& stressors, const io_accounts_options& options) {
    const auto rc = static_cast<Index>(mrio.table.n_regions() * mrio.n_categories());
    const auto k = static_cast<Index>(stressors.n_stressors());
    return 1 + static_cast<Index>(mrio.table.n_regions()) + k + rc + 1 + (options.downstream_stressors ? k : 0) +
           (options.final_demand_change.size() != 0 ? rc : 0);
}

io_accounts compute_io_accounts(const full_mrio& mrio, const satellite& stressors, const leontief_operator& leontief,
                                const io_accounts_options& options) {
    const mrio_table& t = mrio.table;
    const auto n = static_cast<Index>(t.size());
    const auto n_regions = static_cast<Index>(t.n_regions());
    const auto n_sectors = static_cast<Index>(t.n_sectors());
    const auto n_categories = static_cast<Index>(mrio.n_categories());
    const auto rc = n_regions * n_categories;
    const auto k = static_cast<Index>(stressors.n_stressors());
    const bool shock = options.final_demand_change.size() != 0;
    if (leontief.size() != n)
        throw inconsistent_input(cat("compute_io_accounts: the Leontief operator is for ", leontief.size(),
                                     " region-sectors; the table has ", n));
    if (mrio.final_demand_by_category.rows() != n || mrio.final_demand_by_category.cols() != rc)
        throw inconsistent_input(cat("compute_io_accounts: final demand by category is ",
                                     mrio.final_demand_by_category.rows(), " x ", mrio.final_demand_by_category.cols(),
                                     "; expected ", n, " x ", rc));
    if (shock && (options.final_demand_change.rows() != n || options.final_demand_change.cols() != rc))
        throw inconsistent_input(cat("compute_io_accounts: the final-demand change is ", options.final_demand_change.rows(),
                                     " x ", options.final_demand_change.cols(), "; expected ", n, " x ", rc,
                                     " (origin region-sector x destination region and category)"));
    if (k > 0) {
        issues problems;
        validate(stressors, t, problems);
        problems.throw_if_any<inconsistent_input>("compute_io_accounts: stressors");
    }

    const VectorXd& x = t.gross_output;
    const VectorXd c = value_added_coefficients(mrio.value_added(), x);  // value added as given (M&B ch. 6)
    io_accounts out;
    if (k > 0) out.intensity = stressor_intensities(stressors.production, x);  // S = F x^-1 (M&B ch. 10)

    // Batch with L': [1 | U | S'], U((o,s), o) = c(o,s).
    MatrixXd left(n, 1 + n_regions + k);
    Index used = 0;
    const span ones = append(left, used, MatrixXd::Ones(n, 1));
    MatrixXd u = MatrixXd::Zero(n, n_regions);
    for (Index o = 0; o < n_regions; ++o) u.col(o).segment(o * n_sectors, n_sectors) = c.segment(o * n_sectors, n_sectors);
    const span regional = append(left, used, u);
    const span intensities = k > 0 ? append(left, used, out.intensity.transpose()) : span{used, 0};
    const MatrixXd lt = leontief.transposed_times(left);

    // Batch with L: [Y_c | x | x^ S' (if downstream) | dY (if shock)].
    MatrixXd right(n, rc + 1 + (options.downstream_stressors ? k : 0) + (shock ? rc : 0));
    used = 0;
    const span demand = append(right, used, mrio.final_demand_by_category);
    const span output = append(right, used, x);
    const span pushed = options.downstream_stressors && k > 0
                            ? append(right, used, x.asDiagonal() * out.intensity.transpose())
                            : span{used, 0};
    const span change = shock ? append(right, used, options.final_demand_change) : span{used, 0};
    const MatrixXd l_times = leontief.times(right.leftCols(used));

    // Multipliers and linkages (M&B ch. 6, sec. 6.2; ch. 12, secs. 12.1-12.2).
    out.output_multiplier = lt.col(ones.first);                                    // 1'L
    const MatrixXd w = lt.middleCols(regional.first, regional.count).transpose();  // W = sum by region of c^ L (R x n)
    out.value_added_multiplier = w.colwise().sum().transpose();                     // c'L
    out.backward_linkage = out.output_multiplier / (out.output_multiplier.sum() / static_cast<double>(n));
    // G 1 = x^-1 L x^ 1 = x^-1 (L x) for x > 0; a region-sector without output is isolated (G 1 = 1).
    const VectorXd lx = l_times.col(output.first);
    out.downstream_output_multiplier = VectorXd::Ones(n);
    for (Index i = 0; i < n; ++i)
        if (x(i) != 0.0) out.downstream_output_multiplier(i) = lx(i) / x(i);
    out.forward_linkage =
        out.downstream_output_multiplier / (out.downstream_output_multiplier.sum() / static_cast<double>(n));
    out.full_scope_output_multiplier = out.output_multiplier + out.downstream_output_multiplier - VectorXd::Ones(n);

    // Value added in final demand by category, W Y_c (Johnson & Noguera 2012), and in gross
    // exports, EVA[o](r, q) = sum_s' W(o,(r,s')) E((r,s'),q) (Koopman, Wang & Wei 2014).
    out.value_added_in_final_demand_by_category = w * mrio.final_demand_by_category;
    out.value_added_in_final_demand = sum_over_categories(out.value_added_in_final_demand_by_category, n_regions, n_categories);
    MatrixXd exports(n, n_regions);
    for (Index q = 0; q < n_regions; ++q) {
        auto e = exports.col(q);
        e = t.final_demand.col(q);
        for (Index s = 0; s < n_sectors; ++s) e += t.intermediate.col(q * n_sectors + s);
        e.segment(q * n_sectors, n_sectors).setZero();
    }
    out.value_added_in_exports.assign(static_cast<std::size_t>(n_regions), MatrixXd::Zero(n_regions, n_regions));
    for (Index o = 0; o < n_regions; ++o)
        for (Index r = 0; r < n_regions; ++r)
            out.value_added_in_exports[static_cast<std::size_t>(o)].row(r).noalias() =
                w.row(o).segment(r * n_sectors, n_sectors) * exports.middleRows(r * n_sectors, n_sectors);

    // Gross output reproduced: x = L Y 1 (M&B ch. 2, sec. 2.2).
    const MatrixXd x_by_column = l_times.middleCols(demand.first, demand.count);
    const VectorXd x_check = x_by_column.rowwise().sum();
    out.output_relative_residual = x.norm() > 0 ? (x_check - x).norm() / x.norm() : 0.0;

    if (k > 0) {
        // M = S L = (L' S')' (M&B ch. 10); footprints S L y_(q,c) + F_y (Peters 2008).
        out.multiplier = lt.middleCols(intensities.first, intensities.count).transpose();
        out.production_based = production_based_accounts(stressors, t);
        out.consumption_based_by_category = out.intensity * x_by_column;
        out.consumption_based = sum_over_categories(out.consumption_based_by_category, n_regions, n_categories);
        if (stressors.has_final_demand()) out.consumption_based += stressors.final_demand;
        // D[k](o, q) = sum_s S(k,(o,s)) [L y_q](o,s) + [o == q] F_y(k, q) (Kanemoto et al. 2012).
        const MatrixXd x_by_region = sum_over_categories(x_by_column, n_regions, n_categories);
        out.footprint_by_origin.assign(static_cast<std::size_t>(k), MatrixXd(n_regions, n_regions));
        for (Index s = 0; s < k; ++s) {
            MatrixXd& d = out.footprint_by_origin[static_cast<std::size_t>(s)];
            d = by_origin_region(x_by_region, out.intensity.row(s).transpose(), n_regions, n_sectors);
            if (stressors.has_final_demand()) d.diagonal() += stressors.final_demand.row(s).transpose();
        }
        out.embodied = embodied_in_trade(out.footprint_by_origin);
        if (options.downstream_stressors) {
            // M_down(k, j) = [L x^ s_k](j) / x(j) - S(k, j) = (S (G' - I))(k, j), G' = x^ L' x^-1
            // (M&B ch. 12; pymrio's calc_M_down); zero where x(j) = 0 (G is the identity there).
            const VectorXd inverse_x = safe_reciprocal(x);
            const MatrixXd lv = l_times.middleCols(pushed.first, pushed.count);
            out.downstream_multiplier = (inverse_x.asDiagonal() * lv).transpose() - out.intensity;
            for (Index j = 0; j < n; ++j)
                if (x(j) == 0.0) out.downstream_multiplier.col(j).setZero();
            out.full_scope_multiplier = out.multiplier + out.downstream_multiplier;
        }
        if (options.footprint_by_final_product) {
            // P[k]((r,s), q) = M(k,(r,s)) Y((r,s), q) (M&B ch. 10, sec. 10.3).
            out.footprint_by_final_product.reserve(static_cast<std::size_t>(k));
            for (Index s = 0; s < k; ++s)
                out.footprint_by_final_product.push_back(out.multiplier.row(s).transpose().asDiagonal() * t.final_demand);
        }
    }

    if (shock) {
        // dx = L dY 1, and its value added and stressors by destination and category (M&B
        // ch. 2, sec. 2.3: impact analysis; by linearity each column separately).
        const MatrixXd dx = l_times.middleCols(change.first, change.count);
        out.shock_output_change = dx.rowwise().sum();
        out.shock_value_added_change = by_origin_region(dx, c, n_regions, n_sectors);
        if (k > 0) out.shock_stressor_change = out.intensity * dx;
    }
    return out;
}

}  // namespace integra::models
