#include "models/calibration.hpp"

#include "core/errors.hpp"

namespace integra::models {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

std::size_t u(Index i) { return static_cast<std::size_t>(i); }

// alpha^j_n from the residual of the goods-market clearing condition (eq. 7):
// alpha^j_n I_n = X^j_n - sum_k gamma^{j,k}_n Y^k_n, with I_n = VA_n + R_n + D_n; negative
// residuals are set to zero and each region's shares renormalised (replication package,
// calibration step 4; docs/model.md, section 6).
MatrixXd final_demand_shares(const trade_equilibrium_base& b, const MatrixXd& gross_output, int* clipped) {
    const Index N = b.n_regions(), J = b.n_sectors();
    MatrixXd alpha(J, N);
    int count = 0;
    for (Index n = 0; n < N; ++n) {
        const VectorXd intermediate = b.io_share[u(n)] * gross_output.col(n);
        for (Index j = 0; j < J; ++j) {
            const double residual = b.expenditure(j, n) - intermediate(j);
            alpha(j, n) = std::max(residual, 0.0);
            if (residual < 0.0) ++count;
        }
        const double total = alpha.col(n).sum();
        if (!(total > 0.0))
            throw inconsistent_input("region " + b.regions[u(n)] + ": no final demand is left after intermediate use");
        alpha.col(n) /= total;
    }
    if (clipped) *clipped = count;
    return alpha;
}

}  // namespace

trade_equilibrium_base base_from_observed(const observed_flows& d, int* clipped_final_demand_shares) {
    const Index N = static_cast<Index>(d.regions.size()), J = static_cast<Index>(d.sectors.size());
    trade_equilibrium_base b;
    b.regions = d.regions;
    b.sectors = d.sectors;
    b.theta = d.theta;
    b.tariffs = d.tariffs;
    b.value_added_share = d.value_added_share;
    b.io_share.resize(u(N));
    for (Index n = 0; n < N; ++n) {
        b.io_share[u(n)] = d.material_shares[u(n)];
        for (Index j = 0; j < J; ++j) b.io_share[u(n)].col(j) *= 1.0 - d.value_added_share(j, n);
    }
    // Step 2: gross output at least exports; domestic sales are the rest.
    MatrixXd gross_output = d.gross_output;
    b.trade_shares.resize(u(J));
    b.expenditure.resize(J, N);
    VectorXd exports = VectorXd::Zero(N), imports = VectorXd::Zero(N);
    for (Index j = 0; j < J; ++j) {
        MatrixXd flows = d.imports[u(j)];  // (importer n, exporter i), world prices
        flows.diagonal().setZero();
        for (Index i = 0; i < N; ++i) {
            const double exported = flows.col(i).sum();
            gross_output(j, i) = std::max(gross_output(j, i), exported);
            flows(i, i) = gross_output(j, i) - exported;
            exports(i) += exported;
        }
        imports += flows.rowwise().sum() - flows.diagonal();
        const MatrixXd with_tariffs = flows.array() * (1.0 + d.tariffs[u(j)].array());
        b.expenditure.row(j) = with_tariffs.rowwise().sum().transpose();
        b.trade_shares[u(j)] = with_tariffs;
        for (Index n = 0; n < N; ++n)
            if (b.expenditure(j, n) > 0.0) b.trade_shares[u(j)].row(n) /= b.expenditure(j, n);
            else b.trade_shares[u(j)](n, n) = 1.0;  // no spending: all of nothing is domestic
    }
    // Step 3: deficits and value added.
    b.deficit = imports - exports;
    b.value_added = (gross_output.array() * d.value_added_share.array()).colwise().sum().transpose();
    // Step 4: final absorption and final-demand shares.
    b.final_demand_share = final_demand_shares(b, gross_output, clipped_final_demand_shares);
    return b;
}

trade_equilibrium_base calibrate(const trade_equilibrium_base& base, bool zero_deficits, const solver_options& options) {
    counterfactual_shock unchanged;
    unchanged.deficits_rule = zero_deficits ? deficit_closure::zero : deficit_closure::hold_fixed;
    const equilibrium_result r = solve(base, unchanged, options);
    return counterfactual_as_base(base, unchanged, r);
}

trade_equilibrium_base equilibrium_base(const economy& e) {
    const Index N = static_cast<Index>(e.n_regions()), J = static_cast<Index>(e.n_sectors());
    trade_equilibrium_base b;
    b.regions = e.regions;
    b.sectors = e.sectors;
    b.theta = e.trade_elasticity;
    b.expenditure = e.expenditure().transpose();
    b.trade_shares.resize(u(J));
    b.tariffs.resize(u(J));
    for (Index j = 0; j < J; ++j) {
        b.tariffs[u(j)] = e.tariffs[u(j)].transpose();  // economy: (exporter, importer)
        b.trade_shares[u(j)] = (e.trade[u(j)].array() * (1.0 + e.tariffs[u(j)].array())).matrix().transpose();
        for (Index n = 0; n < N; ++n)
            if (b.expenditure(j, n) > 0.0) b.trade_shares[u(j)].row(n) /= b.expenditure(j, n);
            else b.trade_shares[u(j)](n, n) = 1.0;
    }
    b.value_added_share.resize(J, N);
    for (Index n = 0; n < N; ++n)
        for (Index j = 0; j < J; ++j)
            b.value_added_share(j, n) = e.gross_output(n, j) > 0.0 ? e.value_added(n, j) / e.gross_output(n, j) : 1.0;
    b.io_share = e.io_coefficients;
    b.final_demand_share = e.final_demand_share.transpose();
    b.value_added = e.value_added.rowwise().sum();
    b.deficit = e.deficit;
    return b;
}

economy to_economy(const trade_equilibrium_base& b, const std::string& name, int base_year, const std::string& unit) {
    const Index N = b.n_regions(), J = b.n_sectors();
    economy e;
    e.name = name;
    e.base_year = base_year;
    e.unit = unit;
    e.regions = b.regions;
    e.sectors = b.sectors;
    e.trade_elasticity = b.theta;
    e.tradable.resize(u(J));
    e.trade.resize(u(J));
    e.tariffs.resize(u(J));
    e.gross_output.resize(N, J);
    for (Index j = 0; j < J; ++j) {
        e.tradable[u(j)] = is_tradable(b, j);
        // M^j_{ni} = X^j_n pi^j_{ni} / (1 + tau^j_{ni}) (docs/model.md, section 2.1), stored as
        // (exporter i, importer n).
        MatrixXd m(N, N);
        for (Index n = 0; n < N; ++n)
            m.row(n) = b.expenditure(j, n) * b.trade_shares[u(j)].row(n).array() / (1.0 + b.tariffs[u(j)].row(n).array());
        e.trade[u(j)] = m.transpose();
        e.tariffs[u(j)] = b.tariffs[u(j)].transpose();
        e.gross_output.col(j) = e.trade[u(j)].rowwise().sum();  // Y^j_i = sum_n M^j_{ni} (eq. 7)
    }
    e.value_added = (e.gross_output.array() * b.value_added_share.transpose().array()).matrix();
    e.io_coefficients = b.io_share;
    e.final_demand_share = b.final_demand_share.transpose();
    e.deficit = e.imports() - e.exports();
    return e;
}

}  // namespace integra::models
