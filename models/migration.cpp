#include "models/migration.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::models {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

void validate(const migration_settings& s, issues& out) {
    const auto check = [&](double v, bool ok, const char* key, const char* expected) {
        if (!ok || !std::isfinite(v)) out.add(cat("migration.", key), cat(expected, ", got ", number_text(v)));
    };
    check(s.elasticity, s.elasticity >= 0.0, "elasticity", "must be >= 0");
    check(s.adjustment_speed, s.adjustment_speed > 0.0 && s.adjustment_speed <= 1.0, "adjustment_speed",
          "must be in (0, 1]");
    check(s.mover_productivity, s.mover_productivity > 0.0 && s.mover_productivity <= 2.0, "mover_productivity",
          "must be in (0, 2]");
    check(s.remittance_share, s.remittance_share >= 0.0 && s.remittance_share < 1.0, "remittance_share",
          "must be a share in [0, 1)");
}

namespace {

// (w-hat_d / mu-hat_{od}) for one origin.
double attraction(const VectorXd& w, const MatrixXd& mu, Index o, Index d) {
    return mu.size() == 0 ? w(d) : w(d) / mu(o, d);
}

}  // namespace

MatrixXd location_shares(const MatrixXd& shares, const VectorXd& w, const MatrixXd& mu, double kappa) {
    if (kappa == 0.0) return shares;
    const Index N = shares.rows();
    MatrixXd out(N, N);
    for (Index o = 0; o < N; ++o) {
        // D.C eq. 2: m'_{od} = m_{od} x^kappa / sum_k m_{ok} x_k^kappa, x = w-hat / mu-hat.
        double sum = 0.0;
        for (Index d = 0; d < N; ++d) {
            out(o, d) = shares(o, d) == 0.0 ? 0.0 : shares(o, d) * std::pow(attraction(w, mu, o, d), kappa);
            sum += out(o, d);
        }
        if (sum > 0.0) out.row(o) /= sum;
    }
    return out;
}

MatrixXd adjust_shares(const MatrixXd& baseline, const MatrixXd& previous_gap, const MatrixXd& desired, double rho) {
    // D.C eq. 3: close rho of the gap between where people are and where they want to be.
    if (previous_gap.size() == 0) return baseline + rho * (desired - baseline);
    return baseline + (1.0 - rho) * previous_gap + rho * (desired - baseline);
}

MatrixXd origin_shares(const MatrixXd& stocks) {
    MatrixXd m = stocks;
    for (Index o = 0; o < m.rows(); ++o) {
        const double total = m.row(o).sum();
        if (total > 0.0) m.row(o) /= total;
    }
    return m;
}

VectorXd effective_labour(const MatrixXd& stocks, double zeta) {
    // D.C eq. 4: natives count one for one, movers at zeta.
    VectorXd l = zeta * stocks.colwise().sum().transpose();
    l += (1.0 - zeta) * stocks.diagonal();
    return l;
}

MatrixXd remittances(const MatrixXd& stocks, const VectorXd& income, const VectorXd& share, double zeta) {
    // D.C eq. 5: origin o receives r_o x zeta N_{od} x income per worker in d.
    const Index N = stocks.rows();
    MatrixXd r = MatrixXd::Zero(N, N);
    for (Index o = 0; o < N; ++o)
        for (Index d = 0; d < N; ++d)
            if (o != d) r(o, d) = share(o) * zeta * stocks(o, d) * income(d);
    return r;
}

VectorXd calibrate_remittance_shares(const MatrixXd& stocks, const VectorXd& income, const VectorXd& received,
                                     const migration_settings& s, double plausible, std::vector<bool>* calibrated) {
    const Index N = stocks.rows();
    VectorXd share = VectorXd::Constant(N, std::numeric_limits<double>::quiet_NaN());
    std::vector<double> kept;
    for (Index o = 0; o < N; ++o) {
        if (!std::isfinite(received(o))) continue;
        double earned = 0.0;
        for (Index d = 0; d < N; ++d)
            if (d != o) earned += s.mover_productivity * stocks(o, d) * income(d);
        if (!(earned > 0.0)) continue;
        const double r = received(o) / earned;
        if (r <= plausible) {
            share(o) = r;
            kept.push_back(r);
        }
    }
    double fallback = s.remittance_share;
    if (!kept.empty()) {
        std::sort(kept.begin(), kept.end());
        const std::size_t m = kept.size() / 2;
        fallback = kept.size() % 2 ? kept[m] : 0.5 * (kept[m - 1] + kept[m]);
    }
    if (calibrated) calibrated->assign(static_cast<std::size_t>(N), false);
    for (Index o = 0; o < N; ++o) {
        if (std::isnan(share(o))) share(o) = fallback;
        else if (calibrated) (*calibrated)[static_cast<std::size_t>(o)] = true;
    }
    return share;
}

VectorXd origin_welfare(const MatrixXd& shares, const VectorXd& w, const MatrixXd& mu, double kappa) {
    const Index N = shares.rows();
    VectorXd out(N);
    for (Index o = 0; o < N; ++o) {
        double acc = 0.0;
        for (Index d = 0; d < N; ++d) {
            if (shares(o, d) == 0.0) continue;
            const double x = attraction(w, mu, o, d);
            acc += kappa == 0.0 ? shares(o, d) * std::log(x) : shares(o, d) * std::pow(x, kappa);
        }
        out(o) = kappa == 0.0 ? std::exp(acc) : std::pow(acc, 1.0 / kappa);
    }
    return out;
}

}  // namespace integra::models
