// Validation of the trade equilibrium's input (Caliendo & Parro 2015; docs/model.md,
// sections 2-3): every problem of a base year or a counterfactual shock, each named by
// its field and cell ("base.trade_shares[BRA<-ARG/agriculture]") with the value found
// and what was expected.
#include <cmath>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "models/trade_equilibrium.hpp"

namespace integra::models {

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

std::string sector_name(const trade_equilibrium_base& b, Index j) {
    return j >= 0 && j < b.n_sectors() ? b.sectors[static_cast<std::size_t>(j)] : "#" + std::to_string(j);
}
std::string at(const std::string& field, const std::string& where) { return field + "[" + where + "]"; }
std::string pair(const trade_equilibrium_base& b, Index n, Index i, Index j) {
    return region_label(b, n) + "<-" + region_label(b, i) + "/" + sector_name(b, j);
}

bool dims_ok(const MatrixXd& m, Index rows, Index cols, const std::string& field, const std::string& shape,
             issues& out) {
    if (m.rows() == rows && m.cols() == cols) return true;
    out.add(field, "expected shape " + shape + " = " + std::to_string(rows) + " x " + std::to_string(cols) +
                       ", got " + std::to_string(m.rows()) + " x " + std::to_string(m.cols()));
    return false;
}

bool stack_dims_ok(const std::vector<MatrixXd>& v, Index count, Index rows, Index cols, const std::string& field,
                   const std::string& what, issues& out) {
    if (static_cast<Index>(v.size()) != count) {
        out.add(field, "expected " + std::to_string(count) + " " + what + " matrices, got " + std::to_string(v.size()));
        return false;
    }
    bool ok = true;
    for (std::size_t s = 0; s < v.size(); ++s)
        ok = dims_ok(v[s], rows, cols, field + "[" + std::to_string(s) + "]",
                     std::to_string(rows) + " x " + std::to_string(cols), out) &&
             ok;
    return ok;
}

// Reports at most a few non-finite entries per field, so a NaN-filled array does not
// bury the other problems.
template <class Label>
bool finite_ok(const MatrixXd& m, const std::string& field, Label label, issues& out) {
    int count = 0;
    for (Index c = 0; c < m.cols(); ++c)
        for (Index r = 0; r < m.rows(); ++r)
            if (!std::isfinite(m(r, c))) {
                if (count < 5) out.add(at(field, label(r, c)), "must be finite, got " + number_text(m(r, c)));
                ++count;
            }
    if (count > 5) out.add(field, std::to_string(count - 5) + " more non-finite entries");
    return count == 0;
}

void check_deficit_sum(const trade_equilibrium_base& b, const VectorXd& d, const std::string& field, double tol,
                       issues& out) {
    const double world_va = b.value_added.size() == d.size() ? b.value_added.sum() : 1.0;
    const double s = d.sum();
    if (std::abs(s) > tol * std::abs(world_va))
        out.add(field, "deficits must sum to zero over regions, got " + number_text(s) + " (world value added " +
                           number_text(world_va) + ")");
}

}  // namespace

std::string region_label(const trade_equilibrium_base& base, Index region) {
    return region >= 0 && region < base.n_regions() ? base.regions[static_cast<std::size_t>(region)]
                                                     : "#" + std::to_string(region);
}

std::string region_sector_label(const trade_equilibrium_base& base, Index region, Index sector) {
    return region_label(base, region) + "/" + sector_name(base, sector);
}

namespace {

// counterfactual_shock::wage_floor: floors >= 0, each floored region in a union, each
// union's index weights > 0 and summing to 1.
void validate_wage_floor(const trade_equilibrium_base& b, const counterfactual_shock& c, double tol, issues& out) {
    const Index n_count = b.n_regions();
    if (c.wage_floor.size() != n_count || static_cast<Index>(c.wage_union.size()) != n_count ||
        c.wage_index_weight.size() != n_count) {
        out.add("shock.wage_floor", "wage_floor, wage_union and wage_index_weight need " + std::to_string(n_count) +
                                        " values each (one per region), got " + std::to_string(c.wage_floor.size()) +
                                        ", " + std::to_string(c.wage_union.size()) + " and " +
                                        std::to_string(c.wage_index_weight.size()));
        return;
    }
    std::vector<double> weight_sum;
    for (Index n = 0; n < n_count; ++n) {
        const int u = c.wage_union[static_cast<std::size_t>(n)];
        const double f = c.wage_floor(n), a = c.wage_index_weight(n);
        if (!(f >= 0.0) || !std::isfinite(f))
            out.add(at("shock.wage_floor", region_label(b, n)), "must be finite and >= 0, got " + number_text(f));
        if (u < -1 || u >= n_count) {
            out.add(at("shock.wage_union", region_label(b, n)), "must be -1 (none) or a union index, got " + std::to_string(u));
            continue;
        }
        if (u == -1) {
            if (f > 0.0) out.add(at("shock.wage_floor", region_label(b, n)), "a floor needs a union whose wages anchor it");
            if (a != 0.0) out.add(at("shock.wage_index_weight", region_label(b, n)), "must be 0 outside a union, got " + number_text(a));
            continue;
        }
        if (!(a > 0.0) || !std::isfinite(a))
            out.add(at("shock.wage_index_weight", region_label(b, n)), "must be finite and > 0 for a member, got " + number_text(a));
        if (weight_sum.size() <= static_cast<std::size_t>(u)) weight_sum.resize(static_cast<std::size_t>(u) + 1, 0.0);
        if (a > 0.0) weight_sum[static_cast<std::size_t>(u)] += a;
    }
    for (std::size_t u = 0; u < weight_sum.size(); ++u)  // a union without members this year has none to sum
        if (weight_sum[u] != 0.0 && std::abs(weight_sum[u] - 1.0) > tol)
            out.add(at("shock.wage_index_weight", "union " + std::to_string(u)),
                    "a union's index weights must sum to 1, got " + number_text(weight_sum[u]));
}

}  // namespace

void validate(const trade_equilibrium_base& b, issues& out, double tol) {
    const Index n_count = b.n_regions(), j_count = b.n_sectors();
    if (n_count == 0) out.add("base.regions", "need at least one region, got 0");
    if (j_count == 0) out.add("base.sectors", "need at least one sector, got 0");
    if (n_count == 0 || j_count == 0) return;
    const auto rl = [&](Index r, Index c) { return region_sector_label(b, c, r); };  // J x N arrays

    // theta
    if (b.theta.size() != j_count) {
        out.add("base.theta", "expected " + std::to_string(j_count) + " values (one per sector), got " +
                                  std::to_string(b.theta.size()));
    } else {
        for (Index j = 0; j < j_count; ++j)
            if (!(b.theta(j) > 0.0) || !std::isfinite(b.theta(j)))
                out.add(at("base.theta", sector_name(b, j)), "trade elasticity must be finite and > 0, got " +
                                                                 number_text(b.theta(j)));
    }
    // trade shares
    if (stack_dims_ok(b.trade_shares, j_count, n_count, n_count, "base.trade_shares", "sector", out)) {
        for (Index j = 0; j < j_count; ++j) {
            const auto& p = b.trade_shares[static_cast<std::size_t>(j)];
            if (!finite_ok(p, "base.trade_shares", [&](Index n, Index i) { return pair(b, n, i, j); }, out)) continue;
            for (Index n = 0; n < n_count; ++n) {
                for (Index i = 0; i < n_count; ++i)
                    if (p(n, i) < 0.0)
                        out.add(at("base.trade_shares", pair(b, n, i, j)), "share must be >= 0, got " + number_text(p(n, i)));
                const double s = p.row(n).sum();
                if (std::abs(s - 1.0) > tol)
                    out.add(at("base.trade_shares", region_sector_label(b, n, j)),
                            "shares over exporters must sum to 1, got " + number_text(s));
            }
        }
    }
    // tariffs
    if (stack_dims_ok(b.tariffs, j_count, n_count, n_count, "base.tariffs", "sector", out)) {
        for (Index j = 0; j < j_count; ++j) {
            const auto& t = b.tariffs[static_cast<std::size_t>(j)];
            if (!finite_ok(t, "base.tariffs", [&](Index n, Index i) { return pair(b, n, i, j); }, out)) continue;
            for (Index i = 0; i < n_count; ++i)
                for (Index n = 0; n < n_count; ++n)
                    if (!(t(n, i) > -1.0))
                        out.add(at("base.tariffs", pair(b, n, i, j)),
                                "tariff must be > -1 (-100%, a fraction), got " + number_text(t(n, i)));
        }
    }
    // sector x region arrays
    const std::string jn = "J x N (sector x region)";
    if (dims_ok(b.expenditure, j_count, n_count, "base.expenditure", jn, out) &&
        finite_ok(b.expenditure, "base.expenditure", rl, out))
        for (Index n = 0; n < n_count; ++n)
            for (Index j = 0; j < j_count; ++j)
                if (b.expenditure(j, n) < 0.0)
                    out.add(at("base.expenditure", region_sector_label(b, n, j)), "must be >= 0, got " + number_text(b.expenditure(j, n)));
    const bool gamma_ok = dims_ok(b.value_added_share, j_count, n_count, "base.value_added_share", jn, out) &&
                          finite_ok(b.value_added_share, "base.value_added_share", rl, out);
    if (gamma_ok)
        for (Index n = 0; n < n_count; ++n)
            for (Index j = 0; j < j_count; ++j) {
                const double g = b.value_added_share(j, n);
                if (!(g > 0.0 && g <= 1.0))
                    out.add(at("base.value_added_share", region_sector_label(b, n, j)), "must be in (0, 1], got " + number_text(g));
            }
    if (dims_ok(b.final_demand_share, j_count, n_count, "base.final_demand_share", jn, out) &&
        finite_ok(b.final_demand_share, "base.final_demand_share", rl, out)) {
        for (Index n = 0; n < n_count; ++n) {
            for (Index j = 0; j < j_count; ++j)
                if (b.final_demand_share(j, n) < 0.0)
                    out.add(at("base.final_demand_share", region_sector_label(b, n, j)),
                            "must be >= 0, got " + number_text(b.final_demand_share(j, n)));
            const double s = b.final_demand_share.col(n).sum();
            if (std::abs(s - 1.0) > tol)
                out.add(at("base.final_demand_share", region_label(b, n)),
                        "shares over sectors must sum to 1, got " + number_text(s));
        }
    }
    // input-output shares
    if (stack_dims_ok(b.io_share, n_count, j_count, j_count, "base.io_share", "region", out)) {
        for (Index n = 0; n < n_count; ++n) {
            const auto& g = b.io_share[static_cast<std::size_t>(n)];
            if (!finite_ok(g, "base.io_share",
                           [&](Index k, Index j) { return region_label(b, n) + "/" + sector_name(b, k) + "->" +
                                                          sector_name(b, j); },
                           out))
                continue;
            for (Index j = 0; j < j_count; ++j) {
                // Single entries may be negative (the CP data have one); eqs. 10-11 are a
                // contraction as long as sum_k |gamma^{k,j}_n| < 1.
                const double abs_sum = g.col(j).cwiseAbs().sum();
                if (!(abs_sum < 1.0))
                    out.add(at("base.io_share", region_sector_label(b, n, j)),
                            "sum of |material shares| must be < 1, got " + number_text(abs_sum));
                if (!gamma_ok) continue;
                const double s = g.col(j).sum();
                const double expect = 1.0 - b.value_added_share(j, n);
                if (s != 0.0 && std::abs(s - expect) > tol)
                    out.add(at("base.io_share", region_sector_label(b, n, j)),
                            "material shares must sum to 1 - value_added_share = " + number_text(expect) + " (or be all 0), got " +
                                number_text(s));
            }
        }
    }
    // region vectors
    bool va_ok = false;
    if (b.value_added.size() != n_count) {
        out.add("base.value_added", "expected " + std::to_string(n_count) + " values (one per region), got " +
                                        std::to_string(b.value_added.size()));
    } else {
        va_ok = true;
        for (Index n = 0; n < n_count; ++n)
            if (!(b.value_added(n) > 0.0) || !std::isfinite(b.value_added(n))) {
                va_ok = false;
                out.add(at("base.value_added", region_label(b, n)), "must be finite and > 0, got " +
                                                                       number_text(b.value_added(n)));
            }
    }
    if (b.deficit.size() != n_count) {
        out.add("base.deficit", "expected " + std::to_string(n_count) + " values (one per region), got " +
                                    std::to_string(b.deficit.size()));
    } else if (finite_ok(b.deficit, "base.deficit", [&](Index n, Index) { return region_label(b, n); }, out) &&
               va_ok) {
        check_deficit_sum(b, b.deficit, "base.deficit", tol, out);
    }
}

void validate(const trade_equilibrium_base& b, const counterfactual_shock& c, issues& out, double tol) {
    const Index n_count = b.n_regions(), j_count = b.n_sectors();
    if (!c.tariffs.empty() &&
        stack_dims_ok(c.tariffs, j_count, n_count, n_count, "shock.tariffs", "sector", out)) {
        for (Index j = 0; j < j_count; ++j) {
            const auto& t = c.tariffs[static_cast<std::size_t>(j)];
            if (!finite_ok(t, "shock.tariffs", [&](Index n, Index i) { return pair(b, n, i, j); }, out)) continue;
            for (Index i = 0; i < n_count; ++i)
                for (Index n = 0; n < n_count; ++n)
                    if (!(t(n, i) > -1.0))
                        out.add(at("shock.tariffs", pair(b, n, i, j)),
                                "tariff must be > -1 (-100%, a fraction), got " + number_text(t(n, i)));
        }
    }
    if (!c.trade_cost_change.empty() &&
        stack_dims_ok(c.trade_cost_change, j_count, n_count, n_count, "shock.trade_cost_change", "sector", out)) {
        for (Index j = 0; j < j_count; ++j) {
            const auto& d = c.trade_cost_change[static_cast<std::size_t>(j)];
            for (Index i = 0; i < n_count; ++i)
                for (Index n = 0; n < n_count; ++n)
                    if (!(d(n, i) > 0.0) || !std::isfinite(d(n, i)))
                        out.add(at("shock.trade_cost_change", pair(b, n, i, j)),
                                "must be finite and > 0, got " + number_text(d(n, i)));
        }
    }
    if (c.productivity_change.size() != 0 &&
        dims_ok(c.productivity_change, j_count, n_count, "shock.productivity_change", "J x N (sector x region)", out)) {
        for (Index n = 0; n < n_count; ++n)
            for (Index j = 0; j < j_count; ++j)
                if (!(c.productivity_change(j, n) > 0.0) || !std::isfinite(c.productivity_change(j, n)))
                    out.add(at("shock.productivity_change", region_sector_label(b, n, j)),
                            "must be finite and > 0, got " + number_text(c.productivity_change(j, n)));
    }
    if (c.labour_change.size() != 0) {
        if (c.labour_change.size() != n_count) {
            out.add("shock.labour_change", "expected " + std::to_string(n_count) + " values (one per region), got " +
                                               std::to_string(c.labour_change.size()));
        } else {
            for (Index n = 0; n < n_count; ++n)
                if (!(c.labour_change(n) > 0.0) || !std::isfinite(c.labour_change(n)))
                    out.add(at("shock.labour_change", region_label(b, n)),
                            "must be finite and > 0, got " + number_text(c.labour_change(n)));
        }
    }
    if (c.deficits_rule == deficit_closure::given) {
        if (c.deficits.size() != n_count) {
            out.add("shock.deficits", "expected " + std::to_string(n_count) + " values (one per region), got " +
                                          std::to_string(c.deficits.size()));
        } else if (finite_ok(c.deficits, "shock.deficits", [&](Index n, Index) { return region_label(b, n); }, out)) {
            check_deficit_sum(b, c.deficits, "shock.deficits", tol, out);
        }
    } else if (c.deficits.size() != 0) {
        out.add("shock.deficits", "values given but deficits_rule is not deficit_closure::given");
    }
    if (c.revenue_sharing.size() != 0 &&
        dims_ok(c.revenue_sharing, n_count, n_count, "shock.revenue_sharing", "N x N (receiver x collector)", out) &&
        finite_ok(c.revenue_sharing, "shock.revenue_sharing",
                  [&](Index n, Index m) { return region_label(b, n) + "<-" + region_label(b, m); }, out)) {
        for (Index m = 0; m < n_count; ++m) {
            for (Index n = 0; n < n_count; ++n)
                if (c.revenue_sharing(n, m) < 0.0)
                    out.add(at("shock.revenue_sharing", region_label(b, n) + "<-" + region_label(b, m)),
                            "share must be >= 0, got " + number_text(c.revenue_sharing(n, m)));
            // Columns sum to 1: revenue is redistributed, never created or lost.
            const double s = c.revenue_sharing.col(m).sum();
            if (std::abs(s - 1.0) > tol)
                out.add(at("shock.revenue_sharing", ":," + region_label(b, m)),
                        "shares of a collector's revenue must sum to 1 over receivers, got " + number_text(s));
        }
    }
    // A shift of final demand between sectors moves spending, it creates none: each column
    // sums to zero (relative to the region's value added).
    if (c.final_demand_shift.size() != 0 &&
        dims_ok(c.final_demand_shift, j_count, n_count, "shock.final_demand_shift", "J x N (sector x region)", out) &&
        finite_ok(c.final_demand_shift, "shock.final_demand_shift",
                  [&](Index j, Index n) { return region_sector_label(b, n, j); }, out)) {
        for (Index n = 0; n < n_count; ++n) {
            const double s = c.final_demand_shift.col(n).sum();
            if (std::abs(s) > tol * b.value_added(n))
                out.add(at("shock.final_demand_shift", ":," + region_label(b, n)),
                        "must sum to zero over sectors (it moves final demand, it adds none), got " + number_text(s));
        }
    }
    if (c.wage_floor.size() != 0) validate_wage_floor(b, c, tol, out);
}

}  // namespace integra::models
