// Aggregation of a full MRIO by region and sector concordances, origin detail kept.
#include "models/full_mrio_aggregation.hpp"

#include <functional>
#include <map>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::models {

using index_t = Eigen::Index;

namespace {

// The index of each label's aggregate in `targets` (aggregates in order of first appearance):
// the position of the one 1 in each column of the 0/1 concordance matrix C.
std::vector<index_t> aggregate_index(const std::vector<std::string>& to, std::vector<std::string>& targets) {
    targets.clear();
    std::map<std::string, std::size_t> at;
    std::vector<index_t> target_of;
    for (const auto& t : to) {
        const auto [it, fresh] = at.emplace(t, targets.size());
        if (fresh) targets.push_back(t);
        target_of.push_back(static_cast<index_t>(it->second));
    }
    return target_of;
}

}  // namespace

Eigen::MatrixXd concordance_matrix(const std::vector<std::string>& to, std::vector<std::string>& targets) {
    const std::vector<index_t> target_of = aggregate_index(to, targets);
    Eigen::MatrixXd c = Eigen::MatrixXd::Zero(static_cast<index_t>(targets.size()), static_cast<index_t>(to.size()));
    for (std::size_t i = 0; i < to.size(); ++i) c(target_of[i], static_cast<index_t>(i)) = 1.0;
    return c;
}

full_mrio aggregate(const full_mrio& m, const std::vector<std::string>& region_to, const std::vector<std::string>& sector_to) {
    const auto& t = m.table;
    issues problems;
    auto check = [&](const std::vector<std::string>& to, const std::vector<std::string>& labels, const char* what) {
        if (!to.empty() && to.size() != labels.size())
            problems.add(cat(what, " map"), cat(to.size(), " entries; the table has ", labels.size(), " ", what, "s"));
        for (std::size_t i = 0; i < to.size() && i < labels.size(); ++i)
            if (to[i].empty()) problems.add(cat(what, " map"), cat(what, " '", labels[i], "' is mapped to an empty label"));
    };
    check(region_to, t.regions, "region");
    check(sector_to, t.sectors, "sector");
    problems.throw_if_any<inconsistent_input>("aggregate(full_mrio)");

    full_mrio a;
    auto& u = a.table;
    const std::vector<index_t> r_to = aggregate_index(region_to.empty() ? t.regions : region_to, u.regions);
    const std::vector<index_t> s_to = aggregate_index(sector_to.empty() ? t.sectors : sector_to, u.sectors);
    // C = C_r (x) C_s, region-major; applied as sums over the members (C is 0/1).
    const auto R = static_cast<index_t>(t.n_regions()), S = static_cast<index_t>(t.n_sectors());
    const auto S2 = static_cast<index_t>(u.n_sectors());
    const auto n2 = static_cast<index_t>(u.size());
    // to[i]: the aggregate of region-sector i (the one 1 in column i of C = C_r (x) C_s).
    std::vector<index_t> to(static_cast<std::size_t>(R * S));
    for (index_t r = 0; r < R; ++r)
        for (index_t s = 0; s < S; ++s)
            to[static_cast<std::size_t>(r * S + s)] = r_to[static_cast<std::size_t>(r)] * S2 + s_to[static_cast<std::size_t>(s)];
    const auto K = static_cast<index_t>(m.n_categories());
    const index_t n = R * S;
    auto rows = [&](const Eigen::MatrixXd& x) {  // C x
        Eigen::MatrixXd out = Eigen::MatrixXd::Zero(n2, x.cols());
        for (index_t i = 0; i < n; ++i) out.row(to[static_cast<std::size_t>(i)]) += x.row(i);
        return out;
    };
    auto columns = [&](const Eigen::MatrixXd& x, index_t width, const std::function<index_t(index_t)>& col_to) {  // x C'
        Eigen::MatrixXd out = Eigen::MatrixXd::Zero(x.rows(), width);
        for (index_t j = 0; j < x.cols(); ++j) out.col(col_to(j)) += x.col(j);
        return out;
    };
    auto cell = [&](index_t j) { return to[static_cast<std::size_t>(j)]; };
    auto region = [&](index_t q) { return r_to[static_cast<std::size_t>(q)]; };
    auto region_category = [&](index_t j) { return r_to[static_cast<std::size_t>(j / K)] * K + j % K; };  // C_r (x) I_K

    u.unit = t.unit;
    u.intermediate = columns(rows(t.intermediate), n2, cell);
    a.categories = m.categories;
    a.final_demand_by_category = columns(rows(m.final_demand_by_category), static_cast<index_t>(u.n_regions()) * K, region_category);
    complete_table(a, rows(t.gross_output).col(0));
    if (m.has_given_value_added()) {
        a.value_added_given = rows(m.value_added_given).col(0);
        a.value_added_source = m.value_added_source + ", aggregated";
    }
    for (const auto& e : m.extensions) {
        named_extension f;
        f.name = e.name;
        f.accounts.stressors = e.accounts.stressors;
        f.accounts.units = e.accounts.units;
        f.accounts.production = columns(e.accounts.production, n2, cell);
        if (e.accounts.has_final_demand())
            f.accounts.final_demand = columns(e.accounts.final_demand, static_cast<index_t>(u.n_regions()), region);
        a.extensions.push_back(std::move(f));
    }
    return a;
}

}  // namespace integra::models
