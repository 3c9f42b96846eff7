#include "models/business_cycle.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <utility>
#include <vector>

#include "core/text.hpp"

namespace integra::models {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

std::string cell(const char* key, Index i, Index j) { return cat("shocks.", key, "[", i, ",", j, "]"); }

// Standard normals from a 64-bit Mersenne Twister by the Box-Muller transform, in pairs;
// the same numbers on every platform (up to the last bit of std::log, cos and sin).
class normal_source {
public:
    explicit normal_source(std::uint64_t seed) : engine_(seed) {}
    double next() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        const double u1 = uniform(), u2 = uniform();
        const double radius = std::sqrt(-2.0 * std::log(u1));
        const double angle = 2.0 * std::numbers::pi * u2;
        spare_ = radius * std::sin(angle);
        has_spare_ = true;
        return radius * std::cos(angle);
    }

private:
    // Uniform in (0, 1]: the top 53 bits, plus one, times 2^-53 (never 0, so the log is finite).
    double uniform() { return static_cast<double>((engine_() >> 11) + 1) * 0x1.0p-53; }
    std::mt19937_64 engine_;
    double spare_ = 0.0;
    bool has_spare_ = false;
};

// The growth rates dy (years-1 x N), NaN where either year is missing.
MatrixXd growth(const MatrixXd& y) {
    if (y.rows() < 2) return MatrixXd(0, y.cols());
    return y.bottomRows(y.rows() - 1) - y.topRows(y.rows() - 1);  // NaN propagates
}

// The growth rates of regions i and j in the years both have (finite in both).
std::pair<VectorXd, VectorXd> common_years(const MatrixXd& dy, Index i, Index j) {
    std::vector<double> a, b;
    for (Index t = 0; t < dy.rows(); ++t)
        if (std::isfinite(dy(t, i)) && std::isfinite(dy(t, j))) {
            a.push_back(dy(t, i));
            b.push_back(dy(t, j));
        }
    return {Eigen::Map<const VectorXd>(a.data(), static_cast<Index>(a.size())),
            Eigen::Map<const VectorXd>(b.data(), static_cast<Index>(b.size()))};
}

// A symmetric N x N measure of the growth rates of each pair of regions, from the years both
// have (at least `min_years`, else NaN): measure(a, b, i == j).
template <class Measure>
MatrixXd over_region_pairs(const MatrixXd& log_output, Index min_years, Measure measure) {
    const MatrixXd dy = growth(log_output);
    const Index N = log_output.cols();
    MatrixXd out = MatrixXd::Constant(N, N, nan_value);
    for (Index i = 0; i < N; ++i)
        for (Index j = i; j < N; ++j) {
            const auto [a, b] = common_years(dy, i, j);
            if (a.size() < min_years) continue;
            out(i, j) = out(j, i) = measure(a, b, i == j);
        }
    return out;
}

}  // namespace

void validate(const shock_process& p, issues& out) {
    const Index N = p.persistence.size();
    if (p.volatility.size() != N)
        out.add("shocks.volatility", cat("has ", p.volatility.size(), " entries; expected one per region (", N, ")"));
    if (p.correlation.rows() != N || p.correlation.cols() != N)
        out.add("shocks.correlation", cat("is ", p.correlation.rows(), " x ", p.correlation.cols(), "; expected ", N, " x ", N));
    for (Index n = 0; n < N; ++n) {
        const double rho = p.persistence(n);
        if (!(rho >= 0.0 && rho < 1.0))
            out.add(cat("shocks.persistence[", n, "]"), cat("must be in [0, 1) (a stationary AR(1)), got ", number_text(rho)));
    }
    for (Index n = 0; n < p.volatility.size(); ++n) {
        const double s = p.volatility(n);
        if (!(s >= 0.0 && std::isfinite(s)))
            out.add(cat("shocks.volatility[", n, "]"), cat("must be finite and >= 0, got ", number_text(s)));
    }
    const MatrixXd& c = p.correlation;
    if (c.rows() != c.cols()) return;
    bool usable = true;
    for (Index i = 0; i < c.rows(); ++i)
        for (Index j = 0; j < c.cols(); ++j) {
            const double v = c(i, j);
            if (!(v >= -1.0 && v <= 1.0)) {
                out.add(cell("correlation", i, j), cat("must be in [-1, 1], got ", number_text(v)));
                usable = false;
            } else if (i == j && v != 1.0) {
                out.add(cell("correlation", i, j), cat("a diagonal entry must be 1, got ", number_text(v)));
                usable = false;
            } else if (j > i && !(std::abs(v - c(j, i)) <= 1e-9)) {
                out.add(cell("correlation", i, j), cat("is ", number_text(v), " but [", j, ",", i, "] is ", number_text(c(j, i)),
                                                       "; expected a symmetric matrix (within 1e-9)"));
                usable = false;
            }
        }
    if (!usable || c.rows() == 0) return;
    const Eigen::SelfAdjointEigenSolver<MatrixXd> eig(c, Eigen::EigenvaluesOnly);
    const double smallest = eig.eigenvalues().minCoeff();
    if (eig.info() != Eigen::Success || smallest < -1e-10)
        out.add("shocks.correlation", cat("is not positive semi-definite: smallest eigenvalue ", number_text(smallest),
                                          "; expected >= -1e-10 (a correlation matrix of some random vector)"));
}

MatrixXd draw_shocks(const shock_process& p, int years, std::uint64_t seed) {
    const Index N = p.persistence.size();
    // F with F F' = Omega: Omega = P' L D L' P (pivoted LDL'), F = P' L sqrt(D). Works for a
    // singular Omega (D has zeros) where a plain Cholesky (LLT) fails; round-off negatives in D
    // are set to 0.
    const Eigen::LDLT<MatrixXd> ldlt(p.correlation);
    const VectorXd root_d = ldlt.vectorD().cwiseMax(0.0).cwiseSqrt();
    const MatrixXd factor = ldlt.transpositionsP().transpose() * (MatrixXd(ldlt.matrixL()) * root_d.asDiagonal());
    normal_source normals(seed);
    MatrixXd z(years, N);
    VectorXd previous = VectorXd::Zero(N), e(N);
    for (Index t = 0; t < years; ++t) {
        for (Index n = 0; n < N; ++n) e(n) = normals.next();
        const VectorXd correlated = factor * e;
        for (Index n = 0; n < N; ++n) z(t, n) = p.persistence(n) * previous(n) + p.volatility(n) * correlated(n);
        previous = z.row(t).transpose();
    }
    return z;
}

MatrixXd growth_correlation(const MatrixXd& log_output) {
    return over_region_pairs(log_output, 3, [](const VectorXd& a, const VectorXd& b, bool same) {
        const VectorXd da = a.array() - a.mean(), db = b.array() - b.mean();
        const double saa = da.squaredNorm(), sbb = db.squaredNorm();
        if (saa <= 0.0 || sbb <= 0.0) return nan_value;
        return same ? 1.0 : da.dot(db) / std::sqrt(saa * sbb);
    });
}

MatrixXd growth_gap_volatility(const MatrixXd& log_output) {
    return over_region_pairs(log_output, 2, [](const VectorXd& a, const VectorXd& b, bool same) {
        if (same) return 0.0;
        const VectorXd gap = a - b;
        const double ss = (gap.array() - gap.mean()).square().sum();
        return std::sqrt(ss / static_cast<double>(gap.size() - 1));
    });
}

MatrixXd trade_intensity(const MatrixXd& exports, const VectorXd& gdp) {
    const Index N = gdp.size();
    MatrixXd out = MatrixXd::Constant(N, N, nan_value);
    for (Index i = 0; i < N; ++i)
        for (Index j = i + 1; j < N; ++j) {
            const double size = gdp(i) + gdp(j);
            if (size > 0.0) out(i, j) = out(j, i) = (exports(i, j) + exports(j, i)) / size;
        }
    return out;
}

MatrixXd export_dissimilarity(const MatrixXd& x) {
    const Index N = x.cols();
    const VectorXd total = x.colwise().sum().transpose();
    MatrixXd out = MatrixXd::Constant(N, N, nan_value);
    for (Index i = 0; i < N; ++i) {
        if (!(total(i) > 0.0)) continue;
        for (Index k = i; k < N; ++k) {
            if (!(total(k) > 0.0)) continue;
            double d = 0.0;
            for (Index j = 0; j < x.rows(); ++j) d += std::abs(x(j, i) / total(i) - x(j, k) / total(k));
            out(i, k) = out(k, i) = i == k ? 0.0 : d;
        }
    }
    return out;
}

}  // namespace integra::models
