#include "models/economy.hpp"

#include <cmath>
#include <algorithm>

#include "core/text.hpp"

namespace integra::models {
namespace {


bool close(double a, double b, double relative_tolerance) {
    return std::abs(a - b) <= relative_tolerance * std::max({std::abs(a), std::abs(b), 1.0});
}

bool shape_is(const Eigen::MatrixXd& m, std::size_t rows, std::size_t cols) {
    return static_cast<std::size_t>(m.rows()) == rows && static_cast<std::size_t>(m.cols()) == cols;
}

void check_labels(const std::vector<std::string>& labels, const std::string& what, issues& out) {
    if (labels.empty()) out.add(what, "no labels");
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i].empty()) out.add(cat(what, "[", i, "]"), "empty label");
        for (std::size_t j = 0; j < i; ++j)
            if (labels[i] == labels[j]) out.add(cat(what, "[", i, "]"), cat("duplicate label '", labels[i], "'"));
    }
}

// Dimensions first: the identities below index freely once these hold.
bool check_dimensions(const economy& e, issues& out) {
    const std::size_t R = e.n_regions(), S = e.n_sectors();
    const std::size_t before = out.size();
    auto expect = [&](bool ok, const std::string& what, const std::string& expected) {
        if (!ok) out.add(what, "wrong dimensions, expected " + expected);
    };
    const std::string rs = cat(R, " regions x ", S, " sectors");
    const std::string rr = cat(R, " x ", R, " per sector");
    expect(e.region_names.empty() || e.region_names.size() == R, "region_names", cat(R));
    expect(e.sector_names.empty() || e.sector_names.size() == S, "sector_names", cat(S));
    expect(e.tradable.size() == S, "tradable", cat(S));
    expect(static_cast<std::size_t>(e.trade_elasticity.size()) == S, "trade_elasticity", cat(S));
    expect(shape_is(e.gross_output, R, S), "gross_output", rs);
    expect(shape_is(e.value_added, R, S), "value_added", rs);
    expect(shape_is(e.final_demand_share, R, S), "final_demand_share", rs);
    expect(static_cast<std::size_t>(e.deficit.size()) == R, "deficit", cat(R));
    bool io_ok = e.io_coefficients.size() == R;
    for (const auto& m : e.io_coefficients) io_ok = io_ok && shape_is(m, S, S);
    expect(io_ok, "io_coefficients", cat(S, " x ", S, " per region"));
    bool trade_ok = e.trade.size() == S, tariffs_ok = e.tariffs.size() == S;
    for (const auto& m : e.trade) trade_ok = trade_ok && shape_is(m, R, R);
    for (const auto& m : e.tariffs) tariffs_ok = tariffs_ok && shape_is(m, R, R);
    expect(trade_ok, "trade", rr);
    expect(tariffs_ok, "tariffs", rr);
    return out.size() == before;
}

}  // namespace

Eigen::MatrixXd economy::expenditure() const {
    Eigen::MatrixXd x(n_regions(), n_sectors());
    for (std::size_t s = 0; s < n_sectors(); ++s) {
        const Eigen::MatrixXd gross = trade[s].array() * (1.0 + tariffs[s].array());
        x.col(static_cast<Eigen::Index>(s)) = gross.colwise().sum().transpose();
    }
    return x;
}

Eigen::VectorXd economy::exports() const {
    Eigen::VectorXd x = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_regions()));
    for (const auto& t : trade) x += t.rowwise().sum() - t.diagonal();
    return x;
}

Eigen::VectorXd economy::imports() const {
    Eigen::VectorXd m = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_regions()));
    for (const auto& t : trade) m += t.colwise().sum().transpose() - t.diagonal();
    return m;
}

Eigen::VectorXd economy::tariff_revenue() const {
    Eigen::VectorXd r = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_regions()));
    for (std::size_t s = 0; s < n_sectors(); ++s)
        r += (trade[s].array() * tariffs[s].array()).matrix().colwise().sum().transpose();
    return r;
}

void validate(const economy& e, issues& out, double relative_tolerance) {
    check_labels(e.regions, "regions", out);
    check_labels(e.sectors, "sectors", out);
    if (!check_dimensions(e, out)) return;

    const auto R = static_cast<Eigen::Index>(e.n_regions());
    const auto S = static_cast<Eigen::Index>(e.n_sectors());
    auto at = [&](Eigen::Index r, Eigen::Index s) { return e.regions[r] + "/" + e.sectors[s]; };

    for (Eigen::Index s = 0; s < S; ++s) {
        const double theta = e.trade_elasticity(s);
        if (!(theta > 0.0) || !std::isfinite(theta))
            out.add("trade_elasticity[" + e.sectors[s] + "]", "must be a positive number, got " + number_text(theta, 6));
    }

    for (Eigen::Index r = 0; r < R; ++r) {
        for (Eigen::Index s = 0; s < S; ++s) {
            const double y = e.gross_output(r, s), va = e.value_added(r, s);
            if (!std::isfinite(y) || y < 0.0) out.add("gross_output[" + at(r, s) + "]", "must be finite and >= 0, got " + number_text(y, 6));
            if (!std::isfinite(va) || va < 0.0) out.add("value_added[" + at(r, s) + "]", "must be finite and >= 0, got " + number_text(va, 6));
            if (va > y * (1.0 + relative_tolerance) + 1e-12)
                out.add("value_added[" + at(r, s) + "]", cat("exceeds gross output ", number_text(y, 6), " by ", number_text(va - y, 6)));
            // Cost shares of a sector with output: VA share + input shares = 1 (eq. 2).
            const double inputs = e.io_coefficients[r].col(s).sum();
            if ((e.io_coefficients[r].col(s).array() < 0.0).any() || !e.io_coefficients[r].col(s).allFinite())
                out.add("io_coefficients[" + at(r, s) + "]", "coefficients must be finite and >= 0");
            if (y > 0.0 && !close(va / y + inputs, 1.0, relative_tolerance))
                out.add("io_coefficients[" + at(r, s) + "]",
                        cat("value-added share ", number_text(va / y, 6), " plus input shares ", number_text(inputs, 6), " must be 1, got ", number_text(va / y + inputs, 6)));
        }
        const double alpha_sum = e.final_demand_share.row(r).sum();
        if ((e.final_demand_share.row(r).array() < 0.0).any() || !e.final_demand_share.row(r).allFinite())
            out.add("final_demand_share[" + e.regions[r] + "]", "shares must be finite and >= 0");
        if (!close(alpha_sum, 1.0, relative_tolerance))
            out.add("final_demand_share[" + e.regions[r] + "]", "shares must sum to 1, got " + number_text(alpha_sum, 6));
    }

    for (Eigen::Index s = 0; s < S; ++s) {
        const auto& t = e.trade[s];
        const auto& tau = e.tariffs[s];
        for (Eigen::Index i = 0; i < R; ++i) {
            for (Eigen::Index n = 0; n < R; ++n) {
                const std::string cell = cat("[", e.regions[i], " -> ", e.regions[n], ", ", e.sectors[s], "]");
                if (!std::isfinite(t(i, n)) || t(i, n) < 0.0) out.add("trade" + cell, "must be finite and >= 0, got " + number_text(t(i, n), 6));
                if (!std::isfinite(tau(i, n)) || tau(i, n) <= -1.0)
                    out.add("tariffs" + cell, "must be a fraction above -1 (-100%), got " + number_text(tau(i, n), 6));
                if (i == n && tau(i, n) != 0.0) out.add("tariffs" + cell, "a region does not tax its own goods; got " + number_text(tau(i, n), 6));
                if (i != n && !e.tradable[s] && t(i, n) != 0.0)
                    out.add("trade" + cell, "sector is not tradable but the flow is " + number_text(t(i, n), 6));
            }
        }
        // Gross output equals sales at world prices, domestic and abroad (eq. 7).
        for (Eigen::Index i = 0; i < R; ++i) {
            const double sales = t.row(i).sum(), y = e.gross_output(i, s);
            if (!close(sales, y, relative_tolerance))
                out.add("gross_output[" + at(i, s) + "]",
                        cat("output ", number_text(y, 6), " but sales ", number_text(sales, 6), " (difference ", number_text(sales - y, 6), ")"));
        }
    }
    if (!out.empty()) return;  // the identities below assume clean blocks

    // Final use = expenditure - intermediate use must not be negative (eq. 7).
    const Eigen::MatrixXd x = e.expenditure();
    for (Eigen::Index n = 0; n < R; ++n) {
        const Eigen::VectorXd intermediate = e.io_coefficients[n] * e.gross_output.row(n).transpose();
        for (Eigen::Index s = 0; s < S; ++s)
            if (intermediate(s) > x(n, s) * (1.0 + relative_tolerance) + 1e-9)
                out.add("expenditure[" + at(n, s) + "]",
                        cat("intermediate use ", number_text(intermediate(s), 6), " exceeds total spending ", number_text(x(n, s), 6), " (final use would be ", number_text(x(n, s) - intermediate(s), 6), ")"));
    }
    // Trade balance: D = imports - exports (eq. 9), and the world's deficits cancel.
    const Eigen::VectorXd d = e.imports() - e.exports();
    const double scale = e.gross_output.sum();
    for (Eigen::Index n = 0; n < R; ++n)
        if (!close(e.deficit(n), d(n), relative_tolerance) && std::abs(e.deficit(n) - d(n)) > relative_tolerance * scale)
            out.add("deficit[" + e.regions[n] + "]",
                    cat("given ", number_text(e.deficit(n), 6), " but imports - exports = ", number_text(d(n), 6), " (difference ", number_text(e.deficit(n) - d(n), 6), ")"));
    if (std::abs(e.deficit.sum()) > relative_tolerance * scale)
        out.add("deficit", "deficits must sum to zero across regions, got " + number_text(e.deficit.sum(), 6));
}

mrio_table to_mrio_table(const economy& e) {
    const auto R = static_cast<Eigen::Index>(e.n_regions());
    const auto S = static_cast<Eigen::Index>(e.n_sectors());
    mrio_table t;
    t.regions = e.regions;
    t.sectors = e.sectors;
    t.unit = e.unit;
    t.intermediate = Eigen::MatrixXd::Zero(R * S, R * S);
    t.final_demand = Eigen::MatrixXd::Zero(R * S, R);
    t.gross_output.resize(R * S);
    const Eigen::MatrixXd x = e.expenditure();
    for (Eigen::Index n = 0; n < R; ++n) {
        const Eigen::VectorXd intermediate_use = e.io_coefficients[n] * e.gross_output.row(n).transpose();
        for (Eigen::Index s = 0; s < S; ++s) {
            if (x(n, s) <= 0.0) continue;
            const double final_use = x(n, s) - intermediate_use(s);
            for (Eigen::Index i = 0; i < R; ++i) {
                const double share = e.trade[s](i, n) / x(n, s);
                for (Eigen::Index j = 0; j < S; ++j)
                    t.intermediate(i * S + s, n * S + j) = e.io_coefficients[n](s, j) * e.gross_output(n, j) * share;
                t.final_demand(i * S + s, n) = final_use * share;
            }
        }
        for (Eigen::Index s = 0; s < S; ++s) t.gross_output(n * S + s) = e.gross_output(n, s);
    }
    t.value_added = t.gross_output - t.intermediate.colwise().sum().transpose();
    return t;
}

}  // namespace integra::models
