#include "models/national_accounts.hpp"

#include <cmath>
#include <string>

#include "core/errors.hpp"

namespace integra::models {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

void check(const trade_equilibrium_base& base, const prices_and_output& now) {
    const Index J = base.n_sectors(), N = base.n_regions();
    auto shape = [&](const MatrixXd& m, const char* name, bool optional) {
        if (optional && m.size() == 0) return;
        if (m.rows() != J || m.cols() != N)
            throw inconsistent_input(std::string("gdp_volume: ") + name + " is " + std::to_string(m.rows()) + " x " +
                                     std::to_string(m.cols()) + ", expected " + std::to_string(J) + " x " +
                                     std::to_string(N) + " (sectors x regions)");
    };
    shape(now.gross_output, "gross_output", false);
    shape(now.input_cost_change, "input_cost_change", false);
    shape(now.sector_price_change, "sector_price_change", false);
    shape(now.productivity_change, "productivity_change", true);
    auto positive = [](const MatrixXd& m, const char* name) {
        if (m.size() > 0 && !(m.array() > 0.0).all())
            throw inconsistent_input(std::string("gdp_volume: ") + name + " must be > 0 everywhere");
    };
    positive(now.input_cost_change, "input_cost_change");
    positive(now.sector_price_change, "sector_price_change");
    positive(now.productivity_change, "productivity_change");
}

// Gross output and intermediate inputs at base-year prices, given current values and price
// changes since the base year. The base year itself goes through the same code with all
// changes one, so the index is exactly 1 there.
void at_base_prices(const trade_equilibrium_base& base, const MatrixXd& output, const MatrixXd& producer_price,
                    const MatrixXd& input_price, MatrixXd& gross, MatrixXd& intermediate) {
    const Index J = base.n_sectors(), N = base.n_regions();
    gross.resize(J, N);
    intermediate.resize(J, N);
    for (Index n = 0; n < N; ++n) {
        const MatrixXd& g = base.io_share[static_cast<std::size_t>(n)];  // (k, j): input k per unit of j's output
        for (Index j = 0; j < J; ++j) {
            // Output volume: value / producer price change (matched-model Laspeyres; header).
            gross(j, n) = output(j, n) / producer_price(j, n);
            // Materials: gamma^{k,j}_n Y^j_n is spent on composite k (CP eq. 2); its volume at
            // base-year purchasers' prices is that spending / P-hat^k_n (CP eq. 11).
            double m = 0.0;
            for (Index k = 0; k < J; ++k) m += g(k, j) * output(j, n) / input_price(k, n);
            intermediate(j, n) = m;
        }
    }
}

}  // namespace

MatrixXd gross_output(const trade_equilibrium_base& base) {
    const std::vector<MatrixXd> m = bilateral_imports(base);
    MatrixXd y(base.n_sectors(), base.n_regions());
    for (Index j = 0; j < base.n_sectors(); ++j) y.row(j) = m[static_cast<std::size_t>(j)].colwise().sum();
    return y;
}

MatrixXd producer_price_change(const trade_equilibrium_base& base, const prices_and_output& now) {
    check(base, now);
    MatrixXd p = now.input_cost_change;
    if (now.productivity_change.size() > 0)
        for (Index n = 0; n < p.cols(); ++n)
            for (Index j = 0; j < p.rows(); ++j)
                // A-hat = lambda-hat^(1/theta^j): CP eq. 4, lambda = T, the Frechet location
                // (Eaton & Kortum 2002), scales every z^theta.
                p(j, n) /= std::pow(now.productivity_change(j, n), 1.0 / base.theta(j));
    return p;
}

gdp_volume_result gdp_volume(const trade_equilibrium_base& base, const prices_and_output& now) {
    const MatrixXd producer_price = producer_price_change(base, now);  // checks `now`
    const Index J = base.n_sectors(), N = base.n_regions();

    const MatrixXd output0 = gross_output(base);
    const MatrixXd ones = MatrixXd::Ones(J, N);
    MatrixXd gross0, intermediate0;
    at_base_prices(base, output0, ones, ones, gross0, intermediate0);
    const VectorXd value_added0 = (gross0 - intermediate0).colwise().sum().transpose();

    gdp_volume_result r;
    at_base_prices(base, now.gross_output, producer_price, now.sector_price_change, r.gross_output_volume,
                   r.intermediate_volume);
    r.value_added_volume = r.gross_output_volume - r.intermediate_volume;  // double deflation
    r.index = r.value_added_volume.colwise().sum().transpose().cwiseQuotient(value_added0);
    return r;
}

VectorXd gdp_at_market_prices(const VectorXd& value_added, const VectorXd& tariff_revenue) {
    if (value_added.size() != tariff_revenue.size())
        throw inconsistent_input("gdp_at_market_prices: " + std::to_string(value_added.size()) + " values added, " +
                                 std::to_string(tariff_revenue.size()) + " tariff revenues");
    return value_added + tariff_revenue;
}

}  // namespace integra::models
