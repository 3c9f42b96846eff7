#include "sim/policy_builder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/csv_table.hpp"

namespace integra::sim {
namespace {

models::index_list indices(const std::vector<std::size_t>& v) { return {v.begin(), v.end()}; }

// Tariff tables of a dataset are (exporter, importer); the equilibrium's are (importer, exporter).
std::vector<Eigen::MatrixXd> importer_major(const std::vector<Eigen::MatrixXd>& table) {
    std::vector<Eigen::MatrixXd> out;
    for (const auto& m : table) out.push_back(m.transpose());
    return out;
}

// The edits of a CSV file importer,exporter,sector,rate as a table that is NaN (leave
// alone) everywhere else.
std::vector<Eigen::MatrixXd> edited_tariffs(const std::filesystem::path& file, const dataset& data,
                                            const models::trade_equilibrium_base& base, issues& out) {
    std::vector<Eigen::MatrixXd> table(base.tariffs.size(), Eigen::MatrixXd::Constant(base.n_regions(), base.n_regions(),
                                                                                     std::numeric_limits<double>::quiet_NaN()));
    const auto t = csv_table::read(file);
    const std::size_t cn = t.column("importer"), ci = t.column("exporter"), cs = t.column("sector"), cr = t.column("rate");
    const auto& e = data.economy;
    auto find = [&](const std::vector<std::string>& labels, std::size_t row, std::size_t col, const char* what) {
        const auto it = std::find(labels.begin(), labels.end(), t.field(row, col));
        if (it == labels.end()) out.add(t.where(row, col), cat("unknown ", what, " '", t.field(row, col), "'"));
        return static_cast<Eigen::Index>(it - labels.begin());
    };
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        const auto n = find(e.regions, r, cn, "region"), i = find(e.regions, r, ci, "region");
        const auto s = find(e.sectors, r, cs, "sector");
        const double rate = t.number(r, cr, out);
        const auto R = static_cast<Eigen::Index>(e.n_regions()), S = static_cast<Eigen::Index>(e.n_sectors());
        if (rate <= -1.0) out.add(t.where(r, cr), cat("a tariff must be above -1 (-100%), got ", rate));
        if (n == i && n < R) out.add(t.where(r), "importer and exporter are the same region");
        if (n < R && i < R && s < S && n != i) {
            double& cell = table[static_cast<std::size_t>(s)](n, i);
            if (!std::isnan(cell)) out.add(t.where(r), cat("a second rate for ", t.field(r, cn), " <- ", t.field(r, ci), ", ", t.field(r, cs)));
            cell = rate;
        }
    }
    return table;
}

models::common_external_tariff external_tariff(const customs_union_spec& p, const dataset& data, issues& out) {
    using rule = models::common_external_tariff::rule;
    models::common_external_tariff cet;
    const auto& e = data.economy;
    if (p.external_tariff == "trade_weighted_mfn_mean") cet.how = rule::trade_weighted_mfn_mean;
    else if (p.external_tariff == "simple_mean") cet.how = rule::simple_mean;
    else if (p.external_tariff == "minimum") cet.how = rule::minimum;
    else if (p.external_tariff == "member") {
        cet.how = rule::member_schedule;
        cet.member = std::find(e.regions.begin(), e.regions.end(), p.external_tariff_member) - e.regions.begin();
    } else if (p.external_tariff == "explicit") {
        cet.how = rule::explicit_rates;
        cet.rates = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(e.n_sectors()));
        for (std::size_t s = 0; s < e.n_sectors(); ++s) {
            const auto it = p.external_rates.find(e.sectors[s]);
            if (it != p.external_rates.end()) cet.rates(static_cast<Eigen::Index>(s)) = it->second;
            else if (e.tradable[s])
                out.add(p.external_rates_at.str(),
                        cat("key '", p.label, ".external_rates': no rate for the tradable sector '", e.sectors[s], "'"));
        }
    }
    return cet;
}

}  // namespace

std::vector<scheduled_policy> build_policies(const scenario_spec& spec, const dataset& data,
                                             const models::trade_equilibrium_base& base, issues& problems) {
    std::vector<scheduled_policy> out;
    const auto n_regions = base.n_regions(), n_sectors = base.n_sectors();
    for (const auto& p : spec.policies) {
        scheduled_policy s;
        s.phase = phase_of(p);
        s.label = label_of(p);
        std::visit(
            [&](const auto& q) {
                using T = std::decay_t<decltype(q)>;
                if constexpr (std::is_same_v<T, tariff_change_spec>) {
                    models::tariff_change c;
                    c.label = q.label;
                    c.importers = indices(resolve_regions(q.importers, data, problems));
                    c.exporters = indices(resolve_regions(q.exporters, data, problems));
                    c.sectors = indices(resolve_sectors(q.sectors, data, problems));
                    using mode = models::tariff_change::mode;
                    if (q.rate) {
                        c.how = mode::set_rate;
                        c.value = *q.rate;
                    } else if (q.cut) {
                        c.how = mode::cut;
                        c.value = *q.cut;
                    } else if (!q.table.empty()) {
                        c.how = mode::table;
                        c.table = importer_major(data.tariff_tables.at(q.table));
                    } else {
                        c.how = mode::table;
                        c.table = edited_tariffs(q.file, data, base, problems);
                    }
                    s.policy = std::move(c);
                } else if constexpr (std::is_same_v<T, free_trade_area_spec>) {
                    s.policy = models::free_trade_area{indices(resolve_regions(q.members, data, problems)), q.label};
                } else if constexpr (std::is_same_v<T, customs_union_spec>) {
                    models::customs_union u;
                    u.label = q.label;
                    u.members = indices(resolve_regions(q.members, data, problems));
                    u.external = external_tariff(q, data, problems);
                    using kind = models::revenue_rule::kind;
                    u.revenue.how = q.revenue == "pooled_by_gdp"    ? kind::pooled_by_gdp
                                    : q.revenue == "pooled_equally" ? kind::pooled_equally
                                                                    : kind::kept_by_collector;
                    using agreements = models::external_agreements;
                    u.agreements = q.external_agreements == "dissolve"             ? agreements::dissolve
                                   : q.external_agreements == "dissolve_one_sided" ? agreements::dissolve_one_sided
                                                                                   : agreements::keep;
                    if (!data.non_preferential_tariffs.empty())
                        u.non_preferential = importer_major(data.non_preferential_tariffs);
                    issues invalid;
                    models::validate(models::trade_policy(u), n_regions, n_sectors, invalid);
                    if (invalid.empty()) models::freeze(u, base);  // the treaty's CET and key: base-year values
                    s.policy = std::move(u);
                } else if constexpr (std::is_same_v<T, productivity_change_spec>) {
                    s.policy = models::productivity_change{indices(resolve_regions(q.regions, data, problems)),
                                                           indices(resolve_sectors(q.sectors, data, problems)), q.change,
                                                           q.label};
                } else if constexpr (std::is_same_v<T, labour_change_spec>) {
                    s.policy = models::labour_change{indices(resolve_regions(q.regions, data, problems)), q.change, q.label};
                } else {
                    models::trade_cost_change c;
                    c.label = q.label;
                    c.importers = indices(resolve_regions(q.importers, data, problems));
                    c.exporters = indices(resolve_regions(q.exporters, data, problems));
                    c.sectors = indices(resolve_sectors(q.sectors, data, problems));
                    c.cut = q.cut;
                    c.ave = q.ave;
                    c.symmetric = q.symmetric;
                    s.baseline = q.baseline;
                    s.policy = std::move(c);
                }
            },
            p);
        issues invalid;
        models::validate(s.policy, n_regions, n_sectors, invalid);
        for (const auto& i : invalid.list()) problems.add(problem_position(p).str(), i.where + ": " + i.message);
        out.push_back(std::move(s));
    }
    if (!problems.empty()) return out;
    // Contradictions among the policies in force together, reported once per pair of policies.
    const auto [first, last] = horizon(spec, data);
    std::set<std::string> reported;
    for (int year = first; year <= last; ++year) {
        std::vector<const models::trade_policy*> in_force;
        std::vector<std::size_t> position;  // of each policy in force, in spec.policies
        for (std::size_t k = 0; k < out.size(); ++k)
            if (!out[k].baseline && out[k].phase.share(year) > 0.0) {
                in_force.push_back(&out[k].policy);
                position.push_back(k);
            }
        for (const auto& c : models::conflicts_among(in_force, data.economy.regions)) {
            const auto& a = spec.policies[position[c.first]];
            const auto& b = spec.policies[position[c.second]];
            const std::string pair = label_of(a) + ", " + label_of(b);
            if (!reported.insert(pair + c.message).second) continue;
            // At the --set that changed either policy, if one did: the likely cause.
            const source_position& at = problem_position(a).is_override() ? problem_position(a) : problem_position(b);
            problems.add((at.is_override() ? at : position_of(a)).str(), cat(pair, " (in force together from ", year, "): ", c.message));
        }
    }
    return out;
}

std::vector<scheduled_policy> build_policies(const scenario_spec& spec, const dataset& data,
                                             const models::trade_equilibrium_base& base) {
    issues problems;
    auto out = build_policies(spec, data, base, problems);
    problems.throw_if_any<inconsistent_input>(spec.file.string());
    return out;
}

}  // namespace integra::sim
