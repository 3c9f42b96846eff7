#include "models/welfare_decomposition.hpp"

#include <cmath>
#include <limits>

#include "core/errors.hpp"

namespace integra::models {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

welfare_decomposition decompose_welfare(const trade_equilibrium_base& base, const equilibrium_result& r) {
    const Index n_count = base.n_regions(), j_count = base.n_sectors();
    if (r.input_cost_change.rows() != j_count || r.input_cost_change.cols() != n_count ||
        static_cast<Index>(r.imports.size()) != j_count)
        throw inconsistent_input("decompose_welfare: result dimensions do not match the base (" +
                                 std::to_string(n_count) + " regions, " + std::to_string(j_count) + " sectors)");
    const auto m = bilateral_imports(base);
    const VectorXd income = final_absorption(base);
    welfare_decomposition w;
    w.terms_of_trade_by_partner = MatrixXd::Zero(n_count, n_count);
    w.volume_of_trade_by_partner = MatrixXd::Zero(n_count, n_count);
    w.terms_of_trade_by_sector = MatrixXd::Zero(j_count, n_count);
    w.volume_of_trade_by_sector = MatrixXd::Zero(j_count, n_count);
    for (Index n = 0; n < n_count; ++n) {
        for (Index j = 0; j < j_count; ++j) {
            const auto s = static_cast<std::size_t>(j);
            const double dc_n = r.input_cost_change(j, n) - 1.0;
            for (Index i = 0; i < n_count; ++i) {
                const double dc_i = r.input_cost_change(j, i) - 1.0;
                // Caliendo & Parro (2015), eqs. 16-20, terms of trade: E^j_{ni} = M^j_{in}.
                const double tot = (m[s](i, n) * dc_n - m[s](n, i) * dc_i) / income(n);
                double vot = 0.0;
                // Caliendo & Parro (2015), eqs. 16-20, volume of trade; cells with M = 0
                // are dropped, as the paper's tables do.
                if (m[s](n, i) != 0.0)
                    vot = base.tariffs[s](n, i) * m[s](n, i) * ((r.imports[s](n, i) / m[s](n, i) - 1.0) - dc_i) /
                          income(n);
                w.terms_of_trade_by_partner(n, i) += tot;
                w.volume_of_trade_by_partner(n, i) += vot;
                w.terms_of_trade_by_sector(j, n) += tot;
                w.volume_of_trade_by_sector(j, n) += vot;
            }
        }
    }
    w.terms_of_trade = w.terms_of_trade_by_sector.colwise().sum().transpose();
    w.volume_of_trade = w.volume_of_trade_by_sector.colwise().sum().transpose();
    // Pooled tariff revenue (a customs union's common budget) moves income between members
    // outside trade: its change enters real income one for one, d ln W gains
    // (received' - collected') / I_n. The base year has no transfers (each keeps its own).
    w.revenue_transfer = Eigen::VectorXd::Zero(base.n_regions());
    if (r.tariff_revenue_received.size() == base.n_regions() && r.tariff_revenue.size() == base.n_regions())
        w.revenue_transfer = (r.tariff_revenue_received - r.tariff_revenue).cwiseQuotient(income);
    w.total = w.terms_of_trade + w.volume_of_trade + w.revenue_transfer;
    return w;
}

MatrixXd import_change_by_partner(const trade_equilibrium_base& base, const equilibrium_result& r) {
    const Index n_count = base.n_regions();
    const auto m = bilateral_imports(base);
    MatrixXd before = MatrixXd::Zero(n_count, n_count), after = MatrixXd::Zero(n_count, n_count);
    for (std::size_t s = 0; s < m.size(); ++s) {
        before += m[s];
        after += r.imports[s];
    }
    MatrixXd change(n_count, n_count);
    for (Index i = 0; i < n_count; ++i)
        for (Index n = 0; n < n_count; ++n)
            change(n, i) = (n == i || before(n, i) == 0.0) ? std::numeric_limits<double>::quiet_NaN()
                                                           : after(n, i) / before(n, i) - 1.0;
    return change;
}

}  // namespace integra::models
