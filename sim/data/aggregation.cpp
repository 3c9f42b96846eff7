#include "sim/data/aggregation.hpp"

#include <cmath>
#include <map>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/csv_table.hpp"

namespace integra::sim {

concordance read_concordance(const std::filesystem::path& file, const std::vector<std::string>& labels,
                             const std::string& what) {
    const auto t = csv_table::read(file);
    const std::size_t cf = t.column("from"), ct = t.column("to");
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < labels.size(); ++i) index.emplace(labels[i], i);

    concordance c;
    c.file = file;
    c.target_of.assign(labels.size(), labels.size());  // labels.size() = not mapped yet
    std::vector<std::size_t> mapped_at(labels.size(), 0);
    std::map<std::string, std::size_t> target_index;
    issues problems;
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        const std::string& from = t.field(r, cf);
        const std::string& to = t.field(r, ct);
        const auto it = index.find(from);
        if (it == index.end()) {
            problems.add(t.where(r, cf), cat("unknown ", what, " '", from, "' (not in the imported data)"));
            continue;
        }
        if (mapped_at[it->second] != 0) {
            problems.add(t.where(r, cf), cat(what, " '", from, "' is mapped twice (first at line ",
                                             mapped_at[it->second], ")"));
            continue;
        }
        // where(r) is "file:line"; keep the line number for the "mapped twice" message
        const std::string w = t.where(r);
        mapped_at[it->second] = static_cast<std::size_t>(std::stoul(w.substr(w.rfind(':') + 1)));
        if (to.empty()) {
            problems.add(t.where(r, ct), cat(what, " '", from, "' is mapped to nothing (empty 'to')"));
            continue;
        }
        const auto [target, inserted] = target_index.emplace(to, c.targets.size());
        if (inserted) c.targets.push_back(to);
        c.target_of[it->second] = target->second;
    }
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (mapped_at[i] == 0)
            problems.add(file.string(), cat(what, " '", labels[i], "' is not mapped (add a row '", labels[i], ",<aggregate>')"));
    problems.throw_if_any<invalid_input>(cat(what, " concordance ", file.string()));
    return c;
}

concordance identity_concordance(const std::vector<std::string>& labels) {
    concordance c;
    c.targets = labels;
    c.target_of.resize(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) c.target_of[i] = i;
    return c;
}

models::economy aggregate(const models::economy& e, const std::optional<concordance>& region_map,
                          const std::optional<concordance>& sector_map) {
    using Eigen::Index;
    const concordance rc = region_map ? *region_map : identity_concordance(e.regions);
    const concordance sc = sector_map ? *sector_map : identity_concordance(e.sectors);
    if (rc.target_of.size() != e.n_regions() || sc.target_of.size() != e.n_sectors())
        throw internal_error("aggregate: concordance does not match the economy's labels");
    const auto R = static_cast<Index>(e.n_regions()), S = static_cast<Index>(e.n_sectors());
    const auto R2 = static_cast<Index>(rc.targets.size()), S2 = static_cast<Index>(sc.targets.size());
    auto rm = [&](Index r) { return static_cast<Index>(rc.target_of[static_cast<std::size_t>(r)]); };
    auto sm = [&](Index s) { return static_cast<Index>(sc.target_of[static_cast<std::size_t>(s)]); };

    models::economy a;
    a.name = e.name;
    a.base_year = e.base_year;
    a.unit = e.unit;
    a.regions = rc.targets;
    a.sectors = sc.targets;
    if (region_map) a.region_names = rc.targets;
    else a.region_names = e.region_names;
    if (sector_map) a.sector_names = sc.targets;
    else a.sector_names = e.sector_names;

    a.gross_output = Eigen::MatrixXd::Zero(R2, S2);
    a.value_added = Eigen::MatrixXd::Zero(R2, S2);
    a.deficit = Eigen::VectorXd::Zero(R2);
    std::vector<Eigen::MatrixXd> use(static_cast<std::size_t>(R2), Eigen::MatrixXd::Zero(S2, S2));
    Eigen::MatrixXd final_use = Eigen::MatrixXd::Zero(R2, S2);
    const Eigen::MatrixXd x = e.expenditure();
    for (Index r = 0; r < R; ++r) {
        a.deficit(rm(r)) += e.deficit(r);
        const Eigen::VectorXd y = e.gross_output.row(r).transpose();
        const Eigen::VectorXd intermediate = e.io_coefficients[static_cast<std::size_t>(r)] * y;
        for (Index s = 0; s < S; ++s) {
            a.gross_output(rm(r), sm(s)) += e.gross_output(r, s);
            a.value_added(rm(r), sm(s)) += e.value_added(r, s);
            final_use(rm(r), sm(s)) += x(r, s) - intermediate(s);
            for (Index j = 0; j < S; ++j)
                use[static_cast<std::size_t>(rm(r))](sm(s), sm(j)) += e.io_coefficients[static_cast<std::size_t>(r)](s, j) * y(j);
        }
    }
    a.io_coefficients.resize(static_cast<std::size_t>(R2));
    for (Index r = 0; r < R2; ++r) {
        auto& g = a.io_coefficients[static_cast<std::size_t>(r)];
        g = Eigen::MatrixXd::Zero(S2, S2);
        for (Index j = 0; j < S2; ++j)
            if (a.gross_output(r, j) > 0.0) g.col(j) = use[static_cast<std::size_t>(r)].col(j) / a.gross_output(r, j);
    }

    a.trade.assign(static_cast<std::size_t>(S2), Eigen::MatrixXd::Zero(R2, R2));
    a.tariffs.assign(static_cast<std::size_t>(S2), Eigen::MatrixXd::Zero(R2, R2));
    std::vector<Eigen::MatrixXd> revenue(static_cast<std::size_t>(S2), Eigen::MatrixXd::Zero(R2, R2));
    std::vector<Eigen::MatrixXd> rate_sum(static_cast<std::size_t>(S2), Eigen::MatrixXd::Zero(R2, R2));
    std::vector<Eigen::MatrixXd> pairs(static_cast<std::size_t>(S2), Eigen::MatrixXd::Zero(R2, R2));
    for (Index s = 0; s < S; ++s) {
        const auto s2 = static_cast<std::size_t>(sm(s));
        const auto& t = e.trade[static_cast<std::size_t>(s)];
        const auto& tau = e.tariffs[static_cast<std::size_t>(s)];
        for (Index i = 0; i < R; ++i)
            for (Index n = 0; n < R; ++n) {
                const Index i2 = rm(i), n2 = rm(n);
                a.trade[s2](i2, n2) += t(i, n);
                if (i2 == n2) {
                    // intra-aggregate tariffs vanish: their revenue leaves spending and income
                    final_use(n2, static_cast<Index>(s2)) -= tau(i, n) * t(i, n);
                } else {
                    revenue[s2](i2, n2) += tau(i, n) * t(i, n);
                    rate_sum[s2](i2, n2) += tau(i, n);
                    pairs[s2](i2, n2) += 1.0;
                }
            }
    }
    for (std::size_t s = 0; s < static_cast<std::size_t>(S2); ++s)
        for (Index i = 0; i < R2; ++i)
            for (Index n = 0; n < R2; ++n) {
                if (i == n) continue;
                // trade-weighted; where no member pair trades, the plain mean keeps the policy information
                a.tariffs[s](i, n) = a.trade[s](i, n) > 0.0 ? revenue[s](i, n) / a.trade[s](i, n)
                                                            : rate_sum[s](i, n) / std::max(pairs[s](i, n), 1.0);
            }

    issues problems;
    a.final_demand_share = Eigen::MatrixXd::Zero(R2, S2);
    for (Index r = 0; r < R2; ++r) {
        const double scale = std::max(a.gross_output.row(r).sum(), 1.0);
        for (Index s = 0; s < S2; ++s) {
            if (final_use(r, s) < -1e-9 * scale)
                problems.add(cat("aggregate ", a.regions[static_cast<std::size_t>(r)], "/", a.sectors[static_cast<std::size_t>(s)]),
                             cat("final use would be negative (", final_use(r, s), " ", e.unit, ")"));
            final_use(r, s) = std::max(final_use(r, s), 0.0);
        }
        const double total = final_use.row(r).sum();
        if (total > 0.0) a.final_demand_share.row(r) = final_use.row(r) / total;
        else problems.add(cat("aggregate ", a.regions[static_cast<std::size_t>(r)]), "no final use: final-demand shares undefined");
    }
    problems.throw_if_any<inconsistent_input>("aggregation");

    a.trade_elasticity = Eigen::VectorXd::Zero(S2);
    a.tradable.assign(static_cast<std::size_t>(S2), false);
    Eigen::VectorXd weight = Eigen::VectorXd::Zero(S2), plain = Eigen::VectorXd::Zero(S2), count = Eigen::VectorXd::Zero(S2);
    for (Index s = 0; s < S; ++s) {
        const double w = e.gross_output.col(s).sum();
        a.trade_elasticity(sm(s)) += w * e.trade_elasticity(s);
        weight(sm(s)) += w;
        plain(sm(s)) += e.trade_elasticity(s);
        count(sm(s)) += 1.0;
        if (e.tradable[static_cast<std::size_t>(s)]) a.tradable[static_cast<std::size_t>(sm(s))] = true;
    }
    for (Index s = 0; s < S2; ++s)
        a.trade_elasticity(s) = weight(s) > 0.0 ? a.trade_elasticity(s) / weight(s) : plain(s) / count(s);
    return a;
}

models::economy apply_concordances(const models::economy& e, const std::filesystem::path& region_map,
                                   const std::filesystem::path& sector_map) {
    if (region_map.empty() && sector_map.empty()) return e;
    std::optional<concordance> rc, sc;
    if (!region_map.empty()) rc = read_concordance(region_map, e.regions, "region");
    if (!sector_map.empty()) sc = read_concordance(sector_map, e.sectors, "sector");
    return aggregate(e, rc, sc);
}

}  // namespace integra::sim
