#include "models/public_capital.hpp"

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::models {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

public_capital_stock no_public_capital(Index n_regions) {
    return {VectorXd::Zero(n_regions), VectorXd::Zero(n_regions), MatrixXd(), -1};
}

void validate(const public_capital_settings& s, issues& out) {
    const auto in = [&](double v, bool ok, const char* key, const char* expected) {
        if (!ok || !std::isfinite(v)) out.add(cat("public_capital.", key), cat(expected, ", got ", number_text(v)));
    };
    in(s.depreciation, s.depreciation >= 0.0 && s.depreciation < 1.0, "depreciation", "must be a rate in [0, 1)");
    in(s.efficiency, s.efficiency > 0.0 && s.efficiency <= 1.0, "efficiency", "must be in (0, 1]");
    in(s.capital_to_gdp, s.capital_to_gdp > 0.0, "capital_to_gdp", "must be > 0");
    in(s.elasticity_short_run, s.elasticity_short_run >= 0.0, "elasticity_short_run", "must be >= 0");
    in(s.elasticity_long_run, s.elasticity_long_run >= 0.0, "elasticity_long_run", "must be >= 0");
    if (s.elasticity_adjustment_years < 0)
        out.add("public_capital.elasticity_adjustment_years", cat("must be >= 0, got ", s.elasticity_adjustment_years));
    in(s.transport_share_of_capital, s.transport_share_of_capital > 0.0 && s.transport_share_of_capital <= 1.0,
       "transport_share_of_capital", "must be a share in (0, 1]");
    in(s.trade_cost_elasticity, s.trade_cost_elasticity >= 0.0, "trade_cost_elasticity", "must be >= 0");
    in(s.max_trade_cost_cut, s.max_trade_cost_cut >= 0.0 && s.max_trade_cost_cut < 1.0, "max_trade_cost_cut",
       "must be a share in [0, 1)");
}

public_capital_stock accumulate(const public_capital_settings& s, const public_capital_stock& now,
                                const VectorXd& investment, const VectorXd& transport_investment,
                                const MatrixXd& corridor_investment) {
    if (investment.size() != now.added.size() || transport_investment.size() != now.added.size())
        throw internal_error("public capital: investment has the wrong size");
    // policy-modules D.A 7(c): K_{t+1} = (1 - delta) K_t + phi I_t (perpetual inventory with
    // an efficiency factor; BEA depreciation, IMF 2015 efficiency).
    public_capital_stock next;
    next.added = (1.0 - s.depreciation) * now.added + s.efficiency * investment;
    next.added_transport = (1.0 - s.depreciation) * now.added_transport + s.efficiency * transport_investment;
    if (corridor_investment.size() > 0 || now.corridors.size() > 0) {
        const Eigen::Index n = now.added.size();
        const MatrixXd before = now.corridors.size() > 0 ? now.corridors : MatrixXd::Zero(n, n);
        next.corridors = (1.0 - s.depreciation) * before;
        if (corridor_investment.size() > 0) {
            next.corridors += s.efficiency * corridor_investment;
            next.added_transport -= s.efficiency * corridor_investment.rowwise().sum();  // not the borrower's own routes
        }
    }
    const bool invested = (investment.array() != 0.0).any();
    next.years_since_first = now.years_since_first >= 0 ? now.years_since_first + 1 : (invested ? 0 : -1);
    return next;
}

double output_elasticity(const public_capital_settings& s, const public_capital_stock& stock) {
    // Bom & Ligthart (2014): 0.083 short run, 0.122 long run; linear in between [M]. The
    // stock a year uses is the previous year's closing one: years_since_first is 0 in the
    // first year the capital exists (the short run).
    const int age = std::max(0, stock.years_since_first);
    if (s.elasticity_adjustment_years <= 0 || age >= s.elasticity_adjustment_years) return s.elasticity_long_run;
    const double w = static_cast<double>(age) / static_cast<double>(s.elasticity_adjustment_years);
    return s.elasticity_short_run + w * (s.elasticity_long_run - s.elasticity_short_run);
}

VectorXd capital_change(const public_capital_settings& s, const public_capital_stock& stock, const VectorXd& gdp,
                        bool without_transport) {
    // K-hat = (K^base + K^bank) / K^base with K^base = k GDP^base.
    VectorXd added = without_transport ? VectorXd(stock.added - stock.added_transport) : stock.added;
    if (without_transport && stock.corridors.size() > 0) added -= stock.corridors.rowwise().sum();
    return VectorXd::Ones(gdp.size()) + added.cwiseQuotient(s.capital_to_gdp * gdp);
}

VectorXd transport_capital_change(const public_capital_settings& s, const public_capital_stock& stock,
                                  const VectorXd& gdp) {
    return VectorXd::Ones(gdp.size()) +
           stock.added_transport.cwiseQuotient(s.transport_share_of_capital * s.capital_to_gdp * gdp);
}

MatrixXd capital_productivity_change(const VectorXd& capital_change, double elasticity, const VectorXd& theta,
                                     const MatrixXd& value_added_share) {
    // A-hat_n = K-hat_n^eta (policy-modules D.A 7(c)); lambda-hat^j_n = A-hat_n^(theta^j
    // gamma^j_n): value-added TFP in the unit cost of CP eq. 3 shifts the Frechet term of
    // eq. 4 by A^(theta gamma).
    const Index J = value_added_share.rows(), N = value_added_share.cols();
    MatrixXd lambda(J, N);
    for (Index n = 0; n < N; ++n) {
        const double log_a = elasticity * std::log(capital_change(n));
        for (Index j = 0; j < J; ++j) lambda(j, n) = std::exp(theta(j) * value_added_share(j, n) * log_a);
    }
    return lambda;
}

VectorXd route_cost_change(const public_capital_settings& s, const VectorXd& transport_capital_change) {
    // policy-modules D.A 7(d): kappa-hat_n = 1 - psi (K-hat^T_n - 1), capped.
    return (1.0 - s.trade_cost_elasticity * (transport_capital_change.array() - 1.0))
        .max(1.0 - s.max_trade_cost_cut)
        .matrix();
}

MatrixXd corridor_cost_change(const public_capital_settings& s, const public_capital_stock& stock, const VectorXd& gdp) {
    if (stock.corridors.size() == 0) return {};
    const Index N = gdp.size();
    MatrixXd kappa = MatrixXd::Ones(N, N);
    for (Index n = 0; n < N; ++n)
        for (Index m = 0; m < N; ++m) {
            if (n == m) continue;
            const double built = stock.corridors(n, m) + stock.corridors(m, n);
            if (built == 0.0) continue;
            const double base = s.transport_share_of_capital * s.capital_to_gdp * (gdp(n) + gdp(m));
            kappa(n, m) = std::max(1.0 - s.max_trade_cost_cut, 1.0 - s.trade_cost_elasticity * built / base);
        }
    return kappa;
}

std::vector<MatrixXd> route_trade_cost_change(const VectorXd& route_cost_change, const std::vector<bool>& tradable,
                                              const MatrixXd& corridor_cost_change) {
    const Index N = route_cost_change.size();
    std::vector<MatrixXd> d(tradable.size(), MatrixXd::Ones(N, N));
    for (std::size_t j = 0; j < tradable.size(); ++j) {
        if (!tradable[j]) continue;
        d[j] = route_cost_change * route_cost_change.transpose();
        if (corridor_cost_change.size() > 0) d[j] = d[j].cwiseProduct(corridor_cost_change);
        d[j].diagonal().setOnes();
    }
    return d;
}

}  // namespace integra::models
