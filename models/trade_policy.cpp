// Trade-policy instruments mapped onto the Caliendo & Parro (2015) counterfactual: see the
// header for the semantics of each instrument and of the phase-in.
#include "models/trade_policy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::models {

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// Region and sector names for messages, when a base year is at hand.
struct namer {
    const std::vector<std::string>* regions = nullptr;
    const std::vector<std::string>* sectors = nullptr;

    static std::string lookup(const std::vector<std::string>* names, Index k) {
        if (names && k >= 0 && k < static_cast<Index>(names->size())) return (*names)[static_cast<std::size_t>(k)];
        return cat("#", k);
    }
    // "region 22 (MEX)", or "region 22" without names.
    [[nodiscard]] std::string region(Index r) const {
        return regions ? cat("region ", r, " (", lookup(regions, r), ")") : cat("region ", r);
    }
    [[nodiscard]] std::string sector(Index j) const {
        return sectors ? cat("sector ", j, " (", lookup(sectors, j), ")") : cat("sector ", j);
    }
    [[nodiscard]] std::string cell(Index n, Index i, Index j) const {
        return cat(lookup(regions, n), "<-", lookup(regions, i), "/", lookup(sectors, j));
    }
};

std::string kind_name(const trade_policy& p) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, tariff_change>) return "tariff_change";
            if constexpr (std::is_same_v<T, free_trade_area>) return "free_trade_area";
            if constexpr (std::is_same_v<T, customs_union>) return "customs_union";
            if constexpr (std::is_same_v<T, trade_cost_change>) return "trade_cost_change";
            if constexpr (std::is_same_v<T, productivity_change>) return "productivity_change";
            if constexpr (std::is_same_v<T, labour_change>) return "labour_change";
        },
        p);
}

std::string label_of(const trade_policy& p) {
    const std::string& l = std::visit([](const auto& x) -> const std::string& { return x.label; }, p);
    return l.empty() ? kind_name(p) : l;
}

// Checks an index list: not empty, every index in [0, count), none repeated. Returns
// whether every index is usable (in range), so callers can go on to check cells.
bool check_indices(const index_list& list, Index count, const std::string& where, const std::string& what,
                   const std::string& empty_message, const namer& names, issues& out) {
    if (list.empty()) {
        out.add(where, empty_message);
        return false;
    }
    bool ok = true;
    std::vector<char> seen(static_cast<std::size_t>(std::max<Index>(count, 0)), 0);
    for (const Index k : list) {
        if (k < 0 || k >= count) {
            out.add(where, cat(what, " index ", k, " out of range [0, ", count, ")"));
            ok = false;
            continue;
        }
        auto& s = seen[static_cast<std::size_t>(k)];
        if (s == 1) out.add(where, cat(what == "sector" ? names.sector(k) : names.region(k), " listed more than once"));
        s = s == 0 ? 1 : 2;
    }
    return ok;
}

bool check_members(const index_list& members, Index n_regions, const std::string& label, const namer& names,
                   issues& out) {
    const std::string where = label + ".members";
    const bool ok = check_indices(members, n_regions, where, "region",
                                  "member list is empty; need at least 2 regions", names, out);
    if (members.size() == 1) out.add(where, "need at least 2 member regions, got 1");
    return ok;
}

bool rate_ok(double r) { return std::isfinite(r) && r > -1.0; }

void validate_impl(const tariff_change& p, const std::string& label, Index n_regions, Index n_sectors,
                   const namer& names, issues& out) {
    const bool imp = check_indices(p.importers, n_regions, label + ".importers", "region", "importer list is empty",
                                   names, out);
    const bool exp = check_indices(p.exporters, n_regions, label + ".exporters", "region", "exporter list is empty",
                                   names, out);
    const bool sec = check_indices(p.sectors, n_sectors, label + ".sectors", "sector", "sector list is empty", names,
                                   out);
    switch (p.how) {
        case tariff_change::mode::set_rate:
            if (!rate_ok(p.value))
                out.add(label + ".value", cat("tariff rate must be > -1 (-100%, a fraction), got ", p.value));
            break;
        case tariff_change::mode::cut:
            if (!(p.value >= 0.0 && p.value <= 1.0))
                out.add(label + ".value",
                        cat("tariff cut must be in [0, 1] (the fraction of the tariff removed), got ", p.value));
            break;
        case tariff_change::mode::table: {
            if (static_cast<Index>(p.table.size()) != n_sectors) {
                out.add(label + ".table", cat("expected ", n_sectors, " sector matrices (one per sector), got ",
                                              p.table.size()));
                break;
            }
            bool shapes = true;
            for (std::size_t j = 0; j < p.table.size(); ++j) {
                const auto& t = p.table[j];
                if (t.rows() != n_regions || t.cols() != n_regions) {
                    out.add(cat(label, ".table[", j, "]"), cat("expected shape N x N = ", n_regions, " x ", n_regions,
                                                               ", got ", t.rows(), " x ", t.cols()));
                    shapes = false;
                }
            }
            if (!(shapes && imp && exp && sec)) break;
            for (const Index j : p.sectors)
                for (const Index n : p.importers)
                    for (const Index i : p.exporters) {
                        const double r = p.table[static_cast<std::size_t>(j)](n, i);
                        if (n != i && !std::isnan(r) && !rate_ok(r))
                            out.add(cat(label, ".table[", names.cell(n, i, j), "]"),
                                    cat("tariff rate must be > -1 (-100%, a fraction), got ", r));
                    }
            break;
        }
    }
    if (p.how != tariff_change::mode::table && !p.table.empty())
        out.add(label + ".table", "a table is given but the mode is not table");
}

void validate_impl(const free_trade_area& p, const std::string& label, Index n_regions, Index, const namer& names,
                   issues& out) {
    check_members(p.members, n_regions, label, names, out);
}

void validate_impl(const customs_union& p, const std::string& label, Index n_regions, Index n_sectors,
                   const namer& names, issues& out) {
    check_members(p.members, n_regions, label, names, out);
    const auto& cet = p.external;
    const std::string member_key = label + ".external.member", rates_key = label + ".external.rates";
    if (cet.how == common_external_tariff::rule::member_schedule) {
        if (cet.member < 0 || cet.member >= n_regions)
            out.add(member_key, cat("member_schedule needs the index of a member in [0, ", n_regions, "), got ",
                                    cet.member));
        else if (std::find(p.members.begin(), p.members.end(), cet.member) == p.members.end())
            out.add(member_key, cat(names.region(cet.member), " is not a member of the union"));
    } else if (cet.member != -1) {
        out.add(member_key, cat("a member (", cet.member, ") is given but the rule is not member_schedule"));
    }
    if (cet.how == common_external_tariff::rule::explicit_rates) {
        if (cet.rates.size() != n_sectors) {
            out.add(rates_key, cat("expected ", n_sectors, " rates (one per sector), got ", cet.rates.size()));
        } else {
            for (Index j = 0; j < n_sectors; ++j)
                if (!rate_ok(cet.rates(j)))
                    out.add(cat(rates_key, "[", namer::lookup(names.sectors, j), "]"),
                            cat("tariff rate must be > -1 (-100%, a fraction), got ", cet.rates(j)));
        }
    } else if (cet.rates.size() != 0) {
        out.add(rates_key, "rates are given but the rule is not explicit_rates");
    }
    if (!p.non_preferential.empty()) {
        const std::string key = label + ".non_preferential";
        if (static_cast<Index>(p.non_preferential.size()) != n_sectors)
            out.add(key, cat("expected ", n_sectors, " matrices (one per sector), got ", p.non_preferential.size()));
        else
            for (std::size_t s = 0; s < p.non_preferential.size(); ++s) {
                const auto& m = p.non_preferential[s];
                if (m.rows() != n_regions || m.cols() != n_regions)
                    out.add(cat(key, "[", names.sector(static_cast<Index>(s)), "]"),
                            cat("expected ", n_regions, " x ", n_regions, ", got ", m.rows(), " x ", m.cols()));
                else if (!(m.array() > -1.0).all())
                    out.add(cat(key, "[", names.sector(static_cast<Index>(s)), "]"),
                            "tariff rates must be > -1 (-100%, a fraction)");
            }
    }
}

void validate_impl(const trade_cost_change& p, const std::string& label, Index n_regions, Index n_sectors,
                   const namer& names, issues& out) {
    check_indices(p.importers, n_regions, label + ".importers", "region", "importer list is empty", names, out);
    check_indices(p.exporters, n_regions, label + ".exporters", "region", "exporter list is empty", names, out);
    check_indices(p.sectors, n_sectors, label + ".sectors", "sector", "sector list is empty", names, out);
    if (p.cut.has_value() == p.ave.has_value())
        out.add(label, p.cut ? "give exactly one of cut and ave, got both" : "give exactly one of cut and ave, got neither");
    // A cut of 1 would make trade costless (d-hat = 0), which the model cannot represent.
    if (p.cut && !(*p.cut >= 0.0 && *p.cut < 1.0))
        out.add(label + ".cut",
                cat("trade-cost cut must be in [0, 1) (the fraction of the iceberg cost removed), got ", *p.cut));
    if (p.ave && !rate_ok(*p.ave))
        out.add(label + ".ave", cat("ad-valorem equivalent must be > -1 (-100%, a fraction), got ", *p.ave));
}

void validate_impl(const productivity_change& p, const std::string& label, Index n_regions, Index n_sectors,
                   const namer& names, issues& out) {
    check_indices(p.regions, n_regions, label + ".regions", "region", "region list is empty", names, out);
    check_indices(p.sectors, n_sectors, label + ".sectors", "sector", "sector list is empty", names, out);
    if (!(rate_ok(p.change) && p.change <= 10.0))
        out.add(label + ".change", cat("productivity change must be in (-1, 10] (-100% to +1000%), got ", p.change));
}

void validate_impl(const labour_change& p, const std::string& label, Index n_regions, Index, const namer& names,
                   issues& out) {
    check_indices(p.regions, n_regions, label + ".regions", "region", "region list is empty", names, out);
    if (!(rate_ok(p.change) && p.change <= 10.0))
        out.add(label + ".change", cat("labour change must be in (-1, 10] (-100% to +1000%), got ", p.change));
}

void validate_with(const trade_policy& policy, Index n_regions, Index n_sectors, const namer& names, issues& out) {
    const std::string label = label_of(policy);
    std::visit([&](const auto& p) { validate_impl(p, label, n_regions, n_sectors, names, out); }, policy);
}

// ---------------------------------------------------------------------------------------
// Common external tariff

std::vector<char> membership(const index_list& members, Index n_regions) {
    std::vector<char> in(static_cast<std::size_t>(n_regions), 0);
    for (const Index m : members) in[static_cast<std::size_t>(m)] = 1;
    return in;
}

// Weighted mean of `values`; the simple mean if the weights sum to zero. A mean of equal
// values is returned as that value exactly, so that a union whose members already share
// one external tariff changes no tariff by rounding (and equals the free-trade area).
double mean_of(const std::vector<double>& values, const std::vector<double>& weights) {
    if (values.empty()) return 0.0;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    if (*lo == *hi) return *lo;
    double sum_w = 0.0, sum_vw = 0.0, sum_v = 0.0;
    for (std::size_t k = 0; k < values.size(); ++k) {
        sum_w += weights[k];
        sum_vw += weights[k] * values[k];
        sum_v += values[k];
    }
    return sum_w > 0.0 ? sum_vw / sum_w : sum_v / static_cast<double>(values.size());
}

bool same_set(index_list a, index_list b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    a.erase(std::unique(a.begin(), a.end()), a.end());
    b.erase(std::unique(b.begin(), b.end()), b.end());
    return a == b;
}

bool same_rule(const common_external_tariff& a, const common_external_tariff& b) {
    if (a.how != b.how) return false;
    if (a.how == common_external_tariff::rule::member_schedule) return a.member == b.member;
    if (a.how == common_external_tariff::rule::explicit_rates)
        return a.rates.size() == b.rates.size() && a.rates == b.rates;
    return true;
}

// ---------------------------------------------------------------------------------------
// Writing into the shock

void require_shape(const std::vector<MatrixXd>& v, Index count, Index n, const std::string& field, issues& out) {
    if (v.empty()) return;
    bool ok = static_cast<Index>(v.size()) == count;
    for (const auto& m : v) ok = ok && m.rows() == n && m.cols() == n;
    if (!ok) out.add(field, cat("expected ", count, " matrices of ", n, " x ", n, " (the base's layout)"));
}

void ensure_tariffs(const trade_equilibrium_base& base, counterfactual_shock& shock) {
    if (shock.tariffs.empty()) shock.tariffs = base.tariffs;
}

// tau(phase) = base + phase (target - base); std::lerp is exact at phase 0 and 1 and
// monotone in phase in between.
void phase_tariff(const trade_equilibrium_base& base, counterfactual_shock& shock, Index j, Index n, Index i,
                  double target, double phase) {
    const auto s = static_cast<std::size_t>(j);
    shock.tariffs[s](n, i) = std::lerp(base.tariffs[s](n, i), target, phase);
}

// Internal free trade among `members` in every sector (FTA and customs union alike).
void zero_internal(const index_list& members, double phase, const trade_equilibrium_base& base,
                   counterfactual_shock& shock) {
    ensure_tariffs(base, shock);
    for (Index j = 0; j < base.n_sectors(); ++j)
        for (const Index n : members)
            for (const Index i : members)
                if (n != i) phase_tariff(base, shock, j, n, i, 0.0, phase);
}

void apply_impl(const tariff_change& p, double phase, const trade_equilibrium_base& base, counterfactual_shock& shock) {
    ensure_tariffs(base, shock);
    for (const Index j : p.sectors) {
        const auto s = static_cast<std::size_t>(j);
        for (const Index n : p.importers)
            for (const Index i : p.exporters) {
                if (n == i) continue;  // no tariff on domestic sales
                double target = 0.0;
                switch (p.how) {
                    case tariff_change::mode::set_rate: target = p.value; break;
                    case tariff_change::mode::cut: target = base.tariffs[s](n, i) * (1.0 - p.value); break;
                    case tariff_change::mode::table: target = p.table[s](n, i); break;
                }
                if (std::isnan(target)) continue;  // a cell the table leaves alone
                phase_tariff(base, shock, j, n, i, target, phase);
            }
    }
}

void apply_impl(const free_trade_area& p, double phase, const trade_equilibrium_base& base,
                counterfactual_shock& shock) {
    zero_internal(p.members, phase, base, shock);
}

void apply_impl(const customs_union& p, double phase, const trade_equilibrium_base& base, counterfactual_shock& shock) {
    const Index n_count = base.n_regions();
    zero_internal(p.members, phase, base, shock);
    const auto in = membership(p.members, n_count);
    const MatrixXd cet = p.frozen_external.size() > 0 ? p.frozen_external : common_external_tariffs(p, base);
    const auto preference = !p.frozen_preference.empty() ? p.frozen_preference
                                                         : preferences_in_force(p.non_preferential, base);
    // grants(n, i): member n grants outsider i a preference in some sector: an agreement.
    Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic> grants =
        Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic>::Constant(n_count, n_count, false);
    for (const auto& sector : preference) grants = grants || sector;
    using rule = external_agreements;
    for (Index j = 0; j < base.n_sectors(); ++j) {
        // Tariffs on goods that are not traded change nothing; leaving them alone keeps the
        // shock equal to the base there.
        if (!is_tradable(base, j)) continue;
        const auto s = static_cast<std::size_t>(j);
        for (const Index n : p.members)
            for (Index i = 0; i < n_count; ++i) {
                if (in[static_cast<std::size_t>(i)]) continue;
                // keep: where the member grants the outsider a preference in this sector, it stays.
                if (p.agreements == rule::keep && preference[s](n, i)) continue;
                phase_tariff(base, shock, j, n, i, cet(j, i), phase);
                // dissolve: a former partner reverts to its non-preferential rate on the
                // member (reciprocity), where the member had granted it a preference.
                if (p.agreements == rule::dissolve && grants(n, i) && preference[s](i, n))
                    phase_tariff(base, shock, j, i, n, p.non_preferential[s](i, n), phase);
            }
    }
    if (p.revenue.how == revenue_rule::kind::kept_by_collector || phase == 0.0) return;
    // The sharing key among members. By GDP: base-year value added shares, national
    // income being the usual key for common resources (the EU's GNI-based own resource);
    // VA is GDP at basic prices here, fixed at the base year so the key does not move with
    // the policy. Equally: one share per member, a neutral benchmark.
    VectorXd key = p.frozen_key;
    if (key.size() == 0) {
        key = VectorXd::Zero(n_count);
        for (const Index n : p.members)
            key(n) = p.revenue.how == revenue_rule::kind::pooled_by_gdp ? base.value_added(n) : 1.0;
        key /= key.sum();
    }
    if (shock.revenue_sharing.size() == 0) shock.revenue_sharing = MatrixXd::Identity(n_count, n_count);
    for (const Index m : p.members) {
        // Column m: the collector keeps (1 - phase) of its revenue plus its key share of the
        // pooled part; the diagonal is the residual so the column sums to 1 to rounding.
        auto col = shock.revenue_sharing.col(m);
        col.setZero();
        double given = 0.0;
        for (const Index n : p.members)
            if (n != m) {
                col(n) = phase * key(n);
                given += col(n);
            }
        col(m) = 1.0 - given;
    }
}

void apply_impl(const trade_cost_change& p, double phase, const trade_equilibrium_base& base,
                counterfactual_shock& shock) {
    const Index n_count = base.n_regions();
    if (shock.trade_cost_change.empty())
        shock.trade_cost_change.assign(static_cast<std::size_t>(base.n_sectors()), MatrixXd::Ones(n_count, n_count));
    // The cells to change, each once even if importers and exporters overlap.
    Eigen::Matrix<char, Eigen::Dynamic, Eigen::Dynamic> cells =
        Eigen::Matrix<char, Eigen::Dynamic, Eigen::Dynamic>::Zero(n_count, n_count);
    for (const Index n : p.importers)
        for (const Index i : p.exporters)
            if (n != i) {
                cells(n, i) = 1;
                if (p.symmetric) cells(i, n) = 1;
            }
    // Iceberg costs in changes (Caliendo & Parro 2015, eq. 4: kappa-hat = tau-hat d-hat).
    // An ad-valorem equivalent t of a trade cost raises the delivered price by the factor
    // (1 + t), so d-hat = 1 + phase * ave; a cut removes that fraction of d.
    const double d = p.ave ? 1.0 + phase * *p.ave : 1.0 - phase * *p.cut;
    for (const Index j : p.sectors) {
        auto& m = shock.trade_cost_change[static_cast<std::size_t>(j)];
        for (Index i = 0; i < n_count; ++i)
            for (Index n = 0; n < n_count; ++n)
                if (cells(n, i)) m(n, i) *= d;
    }
}

void apply_impl(const productivity_change& p, double phase, const trade_equilibrium_base& base,
                counterfactual_shock& shock) {
    if (shock.productivity_change.size() == 0) shock.productivity_change = MatrixXd::Ones(base.n_sectors(), base.n_regions());
    const double a_hat = 1.0 + phase * p.change;
    for (const Index j : p.sectors)
        for (const Index n : p.regions)
            shock.productivity_change(j, n) *= std::pow(a_hat, base.theta(j));  // lambda-hat = A-hat^theta (eq. 4)
}

void apply_impl(const labour_change& p, double phase, const trade_equilibrium_base& base, counterfactual_shock& shock) {
    if (shock.labour_change.size() == 0) shock.labour_change = VectorXd::Ones(base.n_regions());
    for (const Index n : p.regions) shock.labour_change(n) *= 1.0 + phase * p.change;
}

}  // namespace

// ---------------------------------------------------------------------------------------

void validate(const trade_policy& policy, Index n_regions, Index n_sectors, issues& out) {
    validate_with(policy, n_regions, n_sectors, namer{}, out);
}

void validate(const trade_policy& policy, const trade_equilibrium_base& base, issues& out) {
    validate_with(policy, base.n_regions(), base.n_sectors(), namer{&base.regions, &base.sectors}, out);
}

std::vector<policy_conflict> conflicts_among(const std::vector<const trade_policy*>& in_force,
                                             const std::vector<std::string>& region_names) {
    const namer names{region_names.empty() ? nullptr : &region_names, nullptr};
    std::vector<policy_conflict> out;
    std::vector<std::size_t> unions;  // positions in in_force
    for (std::size_t k = 0; k < in_force.size(); ++k)
        if (in_force[k] && std::holds_alternative<customs_union>(*in_force[k])) unions.push_back(k);
    for (std::size_t a = 0; a < unions.size(); ++a)
        for (std::size_t b = a + 1; b < unions.size(); ++b) {
            const customs_union& x = std::get<customs_union>(*in_force[unions[a]]);
            const customs_union& y = std::get<customs_union>(*in_force[unions[b]]);
            const auto shared = std::find_first_of(x.members.begin(), x.members.end(), y.members.begin(),
                                                   y.members.end());
            if (shared == x.members.end()) continue;
            // GATT Art. XXIV:8(a): a customs union has one external tariff, so a region
            // cannot apply two; the same union listed twice is harmless.
            std::string differ;
            const auto note = [&](const char* what) { differ += (differ.empty() ? "" : ", ") + std::string(what); };
            if (!same_set(x.members, y.members)) note("members");
            if (!same_rule(x.external, y.external)) note("external tariff rule");
            if (x.revenue.how != y.revenue.how) note("revenue rule");
            if (x.agreements != y.agreements) note("external agreements");
            if (differ.empty()) continue;
            out.push_back({unions[a], unions[b],
                           cat("customs unions share ", names.region(*shared), " but differ in ", differ,
                               "; a region can apply only one common external tariff")});
        }
    // A union negotiates as one: a free-trade area may join the whole union with outsiders
    // (like Mercosur-EU; Mercosur Decision CMC 32/00), but not some members without the
    // others, who would go on applying the common external tariff to the same partner.
    for (std::size_t k = 0; k < in_force.size(); ++k) {
        const auto* fta = in_force[k] ? std::get_if<free_trade_area>(in_force[k]) : nullptr;
        if (!fta) continue;
        const auto in_fta = [&](Index r) { return std::find(fta->members.begin(), fta->members.end(), r) != fta->members.end(); };
        for (const std::size_t u : unions) {
            const customs_union& cu = std::get<customs_union>(*in_force[u]);
            const auto inside = [&](Index r) { return std::find(cu.members.begin(), cu.members.end(), r) != cu.members.end(); };
            const auto member = std::find_if(fta->members.begin(), fta->members.end(), inside);
            const auto outsider = std::find_if(fta->members.begin(), fta->members.end(), [&](Index r) { return !inside(r); });
            if (member == fta->members.end() || outsider == fta->members.end()) continue;
            const auto left_out = std::find_if(cu.members.begin(), cu.members.end(), [&](Index r) { return !in_fta(r); });
            if (left_out == cu.members.end()) continue;  // the whole union: allowed
            out.push_back({u, k,
                           cat("the free-trade area joins union member ", names.region(*member), " with non-member ",
                               names.region(*outsider), " but leaves out union member ", names.region(*left_out),
                               ": a customs union negotiates as one, so include every member of the union (an agreement "
                               "of the whole union) or make the partner a union member")});
        }
    }
    return out;
}

void validate_together(const std::vector<const trade_policy*>& in_force, issues& out,
                       const std::vector<std::string>& region_names) {
    for (const auto& c : conflicts_among(in_force, region_names))
        out.add(label_of(*in_force[c.first]) + ", " + label_of(*in_force[c.second]), c.message);
}

std::vector<Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic>> preferences_in_force(
    const std::vector<MatrixXd>& non_preferential, const trade_equilibrium_base& base) {
    const Index n_count = base.n_regions();
    using flags = Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic>;
    std::vector<flags> out(static_cast<std::size_t>(base.n_sectors()), flags::Constant(n_count, n_count, false));
    if (non_preferential.empty()) return out;
    constexpr double rounding = 1e-9;  // the CSV round trip of two equal rates
    for (Index j = 0; j < base.n_sectors(); ++j) {
        if (!is_tradable(base, j)) continue;
        const auto s = static_cast<std::size_t>(j);
        out[s] = base.tariffs[s].array() < non_preferential[s].array() - rounding;
        out[s].matrix().diagonal().setConstant(false);
    }
    return out;
}

void freeze(customs_union& cu, const trade_equilibrium_base& base) {
    cu.frozen_preference = preferences_in_force(cu.non_preferential, base);
    cu.frozen_external = common_external_tariffs(cu, base);
    cu.frozen_key = VectorXd::Zero(base.n_regions());
    for (const Index n : cu.members)
        cu.frozen_key(n) = cu.revenue.how == revenue_rule::kind::pooled_by_gdp ? base.value_added(n) : 1.0;
    cu.frozen_key /= cu.frozen_key.sum();
}

MatrixXd common_external_tariffs(const customs_union& cu, const trade_equilibrium_base& base) {
    const Index n_count = base.n_regions(), j_count = base.n_sectors();
    const auto in = membership(cu.members, n_count);
    const auto is_member = [&](Index r) { return in[static_cast<std::size_t>(r)] != 0; };
    const auto& cet = cu.external;
    using rule = common_external_tariff::rule;
    // Weights for the trade-weighted rules: base-year imports at world prices (before
    // tariffs), M = X pi / (1 + tau), the weighting WTO tariff profiles and GTAP/MAcMap
    // aggregation use. (Trade weights understate prohibitive tariffs, whose imports are
    // small: the known bias of trade-weighted averages, cf. Anderson & Neary's TRI.)
    const std::vector<MatrixXd> imports =
        cet.how == rule::trade_weighted_mean || cet.how == rule::trade_weighted_mfn_mean || cet.how == rule::minimum
            ? bilateral_imports(base)
            : std::vector<MatrixXd>{};
    MatrixXd out = MatrixXd::Zero(j_count, n_count);
    std::vector<double> values, weights;
    for (Index j = 0; j < j_count; ++j) {
        const auto s = static_cast<std::size_t>(j);
        const auto& tau = base.tariffs[s];
        // Tariffs of members n (all, or just `only`) on non-members, with import weights.
        const auto gather = [&](Index only) {
            values.clear();
            weights.clear();
            for (const Index n : cu.members) {
                if (only >= 0 && n != only) continue;
                for (Index i = 0; i < n_count; ++i)
                    if (!is_member(i)) {
                        values.push_back(tau(n, i));
                        weights.push_back(imports.empty() ? 0.0 : imports[s](n, i));
                    }
            }
        };
        double rate = 0.0;
        switch (cet.how) {
            case rule::trade_weighted_mean:
                gather(-1);
                rate = mean_of(values, weights);
                break;
            case rule::trade_weighted_mfn_mean: {
                gather(-1);
                std::vector<double> mfn_values, mfn_weights;
                for (std::size_t k = 0; k < values.size(); ++k)
                    if (values[k] > 0.0) {
                        mfn_values.push_back(values[k]);
                        mfn_weights.push_back(weights[k]);
                    }
                rate = mfn_values.empty() ? 0.0 : mean_of(mfn_values, mfn_weights);
                break;
            }
            case rule::simple_mean:
                gather(-1);
                std::fill(weights.begin(), weights.end(), 1.0);
                rate = mean_of(values, weights);
                break;
            case rule::minimum:
                rate = std::numeric_limits<double>::infinity();
                for (const Index n : cu.members) {
                    gather(n);
                    rate = std::min(rate, mean_of(values, weights));
                }
                break;
            case rule::member_schedule:
                for (Index i = 0; i < n_count; ++i)
                    if (!is_member(i)) out(j, i) = tau(cet.member, i);
                continue;
            case rule::explicit_rates: rate = cet.rates(j); break;
        }
        for (Index i = 0; i < n_count; ++i)
            if (!is_member(i)) out(j, i) = rate;
    }
    return out;
}

void apply(const trade_policy& policy, double phase, const trade_equilibrium_base& base, counterfactual_shock& shock) {
    const std::string label = label_of(policy);
    issues problems;
    if (!(phase >= 0.0 && phase <= 1.0)) problems.add(label, cat("phase must be in [0, 1], got ", phase));
    validate(policy, base, problems);
    const Index n_count = base.n_regions(), j_count = base.n_sectors();
    require_shape(shock.tariffs, j_count, n_count, "shock.tariffs", problems);
    require_shape(shock.trade_cost_change, j_count, n_count, "shock.trade_cost_change", problems);
    if (shock.productivity_change.size() != 0 &&
        (shock.productivity_change.rows() != j_count || shock.productivity_change.cols() != n_count))
        problems.add("shock.productivity_change", cat("expected ", j_count, " x ", n_count, ", got ",
                                                      shock.productivity_change.rows(), " x ", shock.productivity_change.cols()));
    if (shock.labour_change.size() != 0 && shock.labour_change.size() != n_count)
        problems.add("shock.labour_change", cat("expected ", n_count, " values, got ", shock.labour_change.size()));
    if (shock.revenue_sharing.size() != 0 &&
        (shock.revenue_sharing.rows() != n_count || shock.revenue_sharing.cols() != n_count))
        problems.add("shock.revenue_sharing", cat("expected ", n_count, " x ", n_count, ", got ",
                                                  shock.revenue_sharing.rows(), " x ", shock.revenue_sharing.cols()));
    problems.throw_if_any<inconsistent_input>("trade policy " + label);
    std::visit([&](const auto& p) { apply_impl(p, phase, base, shock); }, policy);
}

}  // namespace integra::models
