// full_mrio: the table as imported, with categories, given value added and extensions.
#include "models/full_mrio.hpp"

#include <cmath>
#include <set>

namespace integra::models {

using index_t = Eigen::Index;

mrio_table full_mrio::table_with_given_value_added() const {
    mrio_table t = table;
    t.value_added = value_added();
    return t;
}

Eigen::VectorXd balancing_gap(const full_mrio& m) {
    const auto& t = m.table;
    return t.gross_output - t.intermediate.colwise().sum().transpose() - m.value_added();
}

Eigen::MatrixXd sum_over_categories(const Eigen::Ref<const Eigen::MatrixXd>& by_category, index_t n_regions,
                                    index_t n_categories) {
    Eigen::MatrixXd out = Eigen::MatrixXd::Zero(by_category.rows(), n_regions);
    for (index_t q = 0; q < n_regions; ++q)
        for (index_t c = 0; c < n_categories; ++c) out.col(q) += by_category.col(q * n_categories + c);
    return out;
}

void complete_table(full_mrio& m, const Eigen::VectorXd& gross_output) {
    auto& t = m.table;
    const auto n = static_cast<index_t>(t.size());
    t.final_demand = sum_over_categories(m.final_demand_by_category, static_cast<index_t>(t.n_regions()),
                                         static_cast<index_t>(m.n_categories()));
    t.gross_output = gross_output.size() == n
                         ? gross_output
                         : Eigen::VectorXd(t.intermediate.rowwise().sum() + t.final_demand.rowwise().sum());
    t.value_added = t.gross_output - t.intermediate.colwise().sum().transpose();
}

full_mrio proportional_view(const full_mrio& m, std::size_t* left_as_given) {
    // Miller & Blair 2009, ch. 3, sec. 3.4 (Chenery-Moses): one import share per destination
    // and sector for all its users.
    full_mrio p = m;
    const auto& t = m.table;
    const auto n_regions = static_cast<index_t>(t.n_regions());
    const auto n_sectors = static_cast<index_t>(t.n_sectors());
    const auto n_categories = static_cast<index_t>(m.n_categories());
    std::size_t kept = 0;
    for (index_t q = 0; q < n_regions; ++q) {
        const auto users = Eigen::seqN(q * n_sectors, n_sectors);
        const auto buyers = Eigen::seqN(q * n_categories, n_categories);
        for (index_t s = 0; s < n_sectors; ++s) {
            const auto origins = Eigen::seqN(s, n_regions, n_sectors);  // rows (r, s) for every r
            const Eigen::MatrixXd bought = t.intermediate(origins, users);           // R x S
            const Eigen::MatrixXd consumed = m.final_demand_by_category(origins, buyers);  // R x C
            const Eigen::VectorXd absorbed = bought.rowwise().sum() + consumed.rowwise().sum();
            const double total = absorbed.sum();
            if (!(total > 0.0) || absorbed.minCoeff() < 0.0) {
                ++kept;
                continue;
            }
            const Eigen::VectorXd share = absorbed / total;
            p.table.intermediate(origins, users) = share * bought.colwise().sum();
            p.final_demand_by_category(origins, buyers) = share * consumed.colwise().sum();
        }
    }
    complete_table(p, t.gross_output);
    if (left_as_given != nullptr) *left_as_given = kept;
    return p;
}

void validate(const full_mrio& m, issues& out, double relative_tolerance) {
    // The table's own checks, except negative net final demand: a full MRIO may have it
    // (inventory draw-downs larger than the other final uses of a product from one origin);
    // the accounts are linear in y and take it as given.
    validate(m.table, out, relative_tolerance, true);
    const auto n = static_cast<index_t>(m.table.size());
    std::set<std::string> seen;
    for (const auto& c : m.categories) {
        if (c.empty()) out.add("full_mrio.categories", "empty category label");
        else if (!seen.insert(c).second) out.add("full_mrio.categories", "duplicate category '" + c + "'");
    }
    const auto columns = static_cast<index_t>(m.table.n_regions() * m.n_categories());
    if (m.final_demand_by_category.rows() != n || m.final_demand_by_category.cols() != columns)
        out.add("full_mrio.final_demand_by_category",
                "is " + std::to_string(m.final_demand_by_category.rows()) + " x " +
                    std::to_string(m.final_demand_by_category.cols()) + "; expected " + std::to_string(n) + " x " +
                    std::to_string(columns));
    if (m.has_given_value_added()) {
        if (m.value_added_given.size() != n)
            out.add("full_mrio.value_added_given", "has " + std::to_string(m.value_added_given.size()) +
                                                       " entries; expected " + std::to_string(n));
        else
            for (index_t j = 0; j < n; ++j)
                if (!std::isfinite(m.value_added_given(j)))
                    out.add("full_mrio.value_added_given[" + m.table.label(static_cast<std::size_t>(j)) + "]",
                            "is not a finite number");
    }
    std::set<std::string> names;
    for (const auto& e : m.extensions) {
        if (!names.insert(e.name).second) out.add("full_mrio.extensions", "duplicate extension name '" + e.name + "'");
        issues inner;
        validate(e.accounts, m.table, inner);
        for (const auto& i : inner.list()) out.add("extension '" + e.name + "': " + i.where, i.message);
    }
}

}  // namespace integra::models
