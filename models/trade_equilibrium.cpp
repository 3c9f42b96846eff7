// Caliendo & Parro (2015) trade equilibrium in relative changes. See the header for the
// layouts; docs/validation.md for the replication of the paper's Table 2.
//
// Solver outline (ours; not the authors' MATLAB iteration):
//   outer  Anderson-accelerated fixed point on x = log w-hat. The base direction is a
//          diagonal Newton step f_n = -Z_n / (dZ_n/dx_n), Z_n = imports - exports - D'_n
//          (eq. 14), with the slope estimated from the current flows and trade
//          elasticities; Anderson mixing supplies the cross-country effects. Steps are
//          capped at 0.5 in log w-hat (a trust region), and after every step the level is
//          reset to the numeraire sum_n VA_n L-hat_n w-hat_n = sum_n VA_n (world nominal
//          value added constant). Scaling by the slope rather than by VA_n is what keeps
//          near-autarky and large-productivity shocks converging in ~15-25 iterations.
//   inner  E1-E2 (eqs. 10-11) in logs, an Anderson-accelerated contraction warm-started
//          from the previous outer iterate; E2 is evaluated as one N x N mat-vec per
//          sector because (kappa-hat c-hat)^-theta factors into a constant matrix times
//          an exporter vector.
//   E4     eq. 13, linear in X', solved matrix-free by restarted GMRES warm-started from
//          the previous X', using the block structure H (one N x N product per sector
//          plus one J x J product per region) and the rank-one tariff-revenue term A
//          (with revenue sharing, A couples regions through the sparse N x N matrix S:
//          one sparse mat-vec on the vector of collected revenues per step).
//   Inner tolerances follow the outer residual (inexact early, tight at the end).
#include "models/trade_equilibrium.hpp"

#include <Eigen/SparseCore>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <sstream>
#include <string>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::models {

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;


std::string region_name(const trade_equilibrium_base& b, Index n) {
    return n < b.n_regions() ? b.regions[static_cast<std::size_t>(n)] : "#" + std::to_string(n);
}
std::string sector_name(const trade_equilibrium_base& b, Index j) {
    return j < b.n_sectors() ? b.sectors[static_cast<std::size_t>(j)] : "#" + std::to_string(j);
}
std::string at(const std::string& field, const std::string& where) { return field + "[" + where + "]"; }
std::string rs(const trade_equilibrium_base& b, Index n, Index j) {
    return region_name(b, n) + "/" + sector_name(b, j);
}
std::string pair(const trade_equilibrium_base& b, Index n, Index i, Index j) {
    return region_name(b, n) + "<-" + region_name(b, i) + "/" + sector_name(b, j);
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

// ---------------------------------------------------------------------------------------
// Anderson acceleration (type II, Walker & Ni 2011) for x = g(x), given f = g(x) - x.

class anderson_accelerator {
public:
    anderson_accelerator(int memory, double beta) : memory_(memory), beta_(beta) {}

    void reset() {
        dx_.clear();
        df_.clear();
        has_previous_ = false;
    }

    VectorXd next(const VectorXd& x, const VectorXd& f) {
        if (has_previous_) {
            dx_.push_back(x - x_previous_);
            df_.push_back(f - f_previous_);
            if (static_cast<int>(dx_.size()) > memory_) {
                dx_.pop_front();
                df_.pop_front();
            }
        }
        x_previous_ = x;
        f_previous_ = f;
        has_previous_ = true;
        const auto m = static_cast<Index>(dx_.size());
        if (m == 0) return x + beta_ * f;
        MatrixXd dx(x.size(), m), df(x.size(), m);
        for (Index c = 0; c < m; ++c) {
            dx.col(c) = dx_[static_cast<std::size_t>(c)];
            df.col(c) = df_[static_cast<std::size_t>(c)];
        }
        Eigen::ColPivHouseholderQR<MatrixXd> qr(df);
        qr.setThreshold(1e-12);
        const VectorXd g = qr.solve(f);
        if (!g.allFinite()) {
            reset();
            return x + beta_ * f;
        }
        return x - dx * g + beta_ * (f - df * g);
    }

private:
    int memory_;
    double beta_;
    bool has_previous_ = false;
    VectorXd x_previous_, f_previous_;
    std::deque<VectorXd> dx_, df_;
};

// ---------------------------------------------------------------------------------------
// Restarted GMRES with modified Gram-Schmidt and Givens rotations, matrix-free. Serial
// dot products (the vectors are short), so it is deterministic.

template <class Apply>
int gmres(const Apply& apply, const VectorXd& b, VectorXd& x, double rel_tol, int max_steps, int restart,
          double& rel_residual) {
    const double b_norm = std::max(b.norm(), std::numeric_limits<double>::min());
    const Index n = b.size();
    int steps = 0;
    VectorXd w(n);
    MatrixXd v(n, restart + 1), h = MatrixXd::Zero(restart + 1, restart);
    VectorXd cs(restart), sn(restart), g(restart + 1);
    while (true) {
        apply(x, w);
        VectorXd r = b - w;
        double beta = r.norm();
        rel_residual = beta / b_norm;
        if (rel_residual <= rel_tol || steps >= max_steps) return steps;
        v.col(0) = r / beta;
        g.setZero();
        g(0) = beta;
        int k = 0;
        for (; k < restart && steps < max_steps; ++k) {
            ++steps;
            apply(v.col(k), w);
            for (int i = 0; i <= k; ++i) {
                h(i, k) = v.col(i).dot(w);
                w -= h(i, k) * v.col(i);
            }
            h(k + 1, k) = w.norm();
            if (h(k + 1, k) > 0) v.col(k + 1) = w / h(k + 1, k);
            for (int i = 0; i < k; ++i) {
                const double t = cs(i) * h(i, k) + sn(i) * h(i + 1, k);
                h(i + 1, k) = -sn(i) * h(i, k) + cs(i) * h(i + 1, k);
                h(i, k) = t;
            }
            const double den = std::hypot(h(k, k), h(k + 1, k));
            cs(k) = den > 0 ? h(k, k) / den : 1.0;
            sn(k) = den > 0 ? h(k + 1, k) / den : 0.0;
            h(k, k) = den;
            h(k + 1, k) = 0.0;
            g(k + 1) = -sn(k) * g(k);
            g(k) = cs(k) * g(k);
            if (std::abs(g(k + 1)) / b_norm <= rel_tol || h(k, k) == 0.0) {
                ++k;
                break;
            }
        }
        const VectorXd y = h.topLeftCorner(k, k).triangularView<Eigen::Upper>().solve(g.head(k));
        x += v.leftCols(k) * y;
    }
}

template <class Body>
void for_each_block(Index count, const Body& body) {
    tbb::parallel_for(tbb::blocked_range<Index>(0, count),
                      [&](const tbb::blocked_range<Index>& r) { body(r.begin(), r.end()); });
}

// ---------------------------------------------------------------------------------------
// The counterfactual problem with every shock-dependent constant precomputed.

class equilibrium_solver {
public:
    equilibrium_solver(const trade_equilibrium_base& base, const counterfactual_shock& shock,
                       const solver_options& options)
        : b_(base), opt_(options), n_(base.n_regions()), j_(base.n_sectors()) {
        const auto& tau_new = shock.tariffs.empty() ? base.tariffs : shock.tariffs;
        labour_ = shock.labour_change.size() == 0 ? VectorXd::Ones(n_) : shock.labour_change;
        switch (shock.deficits_rule) {
            case deficit_closure::hold_fixed: deficit_ = base.deficit; break;
            case deficit_closure::given: deficit_ = shock.deficits; break;
            case deficit_closure::zero: deficit_ = VectorXd::Zero(n_); break;
        }
        scaled_va_ = base.value_added.cwiseProduct(labour_);
        numeraire_ = base.value_added.sum();
        // Revenue sharing: kept compressed (row-major, so S * R is one serial, deterministic
        // pass over the non-zeros). Empty = each keeps its own, and every code path below
        // is then exactly the one without sharing.
        shared_revenue_ = shock.revenue_sharing.size() != 0;
        if (shared_revenue_) sharing_ = shock.revenue_sharing.sparseView();
        kernel_.resize(static_cast<std::size_t>(j_));
        inv_gross_tariff_.resize(static_cast<std::size_t>(j_));
        tradable_.resize(static_cast<std::size_t>(j_));
        for (Index j = 0; j < j_; ++j) {
            const auto s = static_cast<std::size_t>(j);
            const double theta = base.theta(j);
            MatrixXd k(n_, n_);
            for (Index i = 0; i < n_; ++i)
                for (Index n = 0; n < n_; ++n) {
                    // Caliendo & Parro (2015), eq. 4 in changes: kappa-hat = (1 + tau') / (1 + tau) d-hat
                    double kappa = (1.0 + tau_new[s](n, i)) / (1.0 + base.tariffs[s](n, i));
                    if (!shock.trade_cost_change.empty()) kappa *= shock.trade_cost_change[s](n, i);
                    const double lambda =
                        shock.productivity_change.size() == 0 ? 1.0 : shock.productivity_change(j, i);
                    const double p = base.trade_shares[s](n, i);
                    k(n, i) = p == 0.0 ? 0.0 : p * lambda * (kappa == 1.0 ? 1.0 : std::pow(kappa, -theta));
                }
            kernel_[s] = std::move(k);
            inv_gross_tariff_[s] = (1.0 + tau_new[s].array()).inverse().matrix();
            tradable_[s] = is_tradable(base, j);
        }
        log_price_ = MatrixXd::Zero(j_, n_);
        log_cost_ = MatrixXd::Zero(j_, n_);
        shares_.assign(static_cast<std::size_t>(j_), MatrixXd::Zero(n_, n_));
        world_shares_.assign(static_cast<std::size_t>(j_), MatrixXd::Zero(n_, n_));
        non_tariff_share_ = MatrixXd::Zero(j_, n_);
        expenditure_ = base.expenditure;
        output_ = MatrixXd::Zero(j_, n_);
        excess_ = VectorXd::Zero(n_);
        excess_slope_ = VectorXd::Zero(n_);
    }

    equilibrium_result run() {
        VectorXd x = opt_.initial_wage_change.size() == 0 ? VectorXd::Zero(n_)
                                                          : VectorXd(opt_.initial_wage_change.array().log());
        normalise(x);
        anderson_accelerator aa(opt_.anderson_memory, opt_.relaxation);
        // A warm start is presumed close: evaluate it with tight inner solves at once.
        double previous = opt_.initial_wage_change.size() == 0 ? 1.0 : opt_.tolerance;
        int it = 0;
        double res = std::numeric_limits<double>::infinity();
        for (it = 1; it <= opt_.max_iterations; ++it) {
            const double inner = std::clamp(1e-3 * previous, tight_, 1e-6);
            evaluate(x, inner);
            res = residual();
            if (res <= opt_.tolerance && inner > tight_) {
                evaluate(x, tight_);
                res = residual();
            }
            if (res <= opt_.tolerance) break;
            // Diagonal Newton direction: -Z_n / (dZ_n / d log w_n), with the derivative
            // estimated from the current flows (see excess_slope_). Bounded below so that an
            // almost closed economy cannot produce an unbounded step.
            VectorXd f(n_);
            for (Index n = 0; n < n_; ++n)
                f(n) = -excess_(n) / std::max(excess_slope_(n), 1e-6 * std::exp(x(n)) * scaled_va_(n));
            VectorXd step = aa.next(x, f) - x;
            // Trust region: no region's wage moves by more than a factor e^max_log_step in one
            // iteration; large shocks then converge instead of overshooting into overflow.
            const double longest = step.cwiseAbs().maxCoeff();
            if (longest > max_log_step_) step *= max_log_step_ / longest;
            x += step;
            normalise(x);
            previous = res;
        }
        if (!(res <= opt_.tolerance)) {
            const Index worst = worst_region();
            throw numerical_error("trade equilibrium: no convergence after " + std::to_string(opt_.max_iterations) +
                                  " wage iterations; max |imports - exports - deficit| / value added = " + number_text(res) +
                                  " at region " + region_name(b_, worst) + " (tolerance " + number_text(opt_.tolerance) + ")");
        }
        return assemble(x, it, res);
    }

private:
    // Level of w-hat: sum_n VA_n L-hat_n w-hat_n = sum_n VA_n.
    void normalise(VectorXd& x) const {
        if (!x.allFinite())
            throw numerical_error("trade equilibrium: wage iterate is not finite (NaN or overflow)");
        double s = 0.0;
        for (Index n = 0; n < n_; ++n) s += scaled_va_(n) * std::exp(x(n));
        x.array() += std::log(numeraire_ / s);
    }

    // Caliendo & Parro (2015), eq. 10: log c-hat^j_n = gamma^j_n log w-hat_n
    //   + sum_k gamma^{k,j}_n log P-hat^k_n.
    void input_costs(const VectorXd& log_wage, const MatrixXd& log_price, MatrixXd& log_cost) const {
        for_each_block(n_, [&](Index begin, Index end) {
            for (Index n = begin; n < end; ++n)
                log_cost.col(n).noalias() = b_.value_added_share.col(n) * log_wage(n) +
                                            b_.io_share[static_cast<std::size_t>(n)].transpose() * log_price.col(n);
        });
    }

    // Caliendo & Parro (2015), eq. 11: P-hat^j_n = [sum_i pi^j_{ni} lambda-hat^j_i
    //   (kappa-hat^j_{ni} c-hat^j_i)^-theta]^(-1/theta). With kernel K = pi o lambda-hat o
    // kappa-hat^-theta this is K (c-hat^-theta); the shift by the largest exponent keeps
    // the exponentials in range for any size of shock. If `shares` is given, also
    // Caliendo & Parro (2015), eq. 12: pi'^j_{ni} = K_{ni} c-hat_i^-theta / sum_h K_{nh}
    // c-hat_h^-theta, which sums to one across exporters by construction.
    void sector_prices(const MatrixXd& log_cost, MatrixXd& log_price, std::vector<MatrixXd>* shares) const {
        for_each_block(j_, [&](Index begin, Index end) {
            VectorXd e(n_), s(n_);
            for (Index j = begin; j < end; ++j) {
                const auto sj = static_cast<std::size_t>(j);
                const double theta = b_.theta(j);
                const auto& k = kernel_[sj];
                if (!tradable_[sj]) {
                    for (Index n = 0; n < n_; ++n) {
                        log_price(j, n) = log_cost(j, n) - std::log(k(n, n)) / theta;
                        if (shares) (*shares)[sj](n, n) = 1.0;
                    }
                    continue;
                }
                double shift = -std::numeric_limits<double>::infinity();
                for (Index i = 0; i < n_; ++i) shift = std::max(shift, -theta * log_cost(j, i));
                for (Index i = 0; i < n_; ++i) e(i) = std::exp(-theta * log_cost(j, i) - shift);
                s.setZero();
                s.noalias() += k * e;  // (not "=": avoids a GCC 12 -Wuse-after-free false positive in Eigen)
                for (Index n = 0; n < n_; ++n) log_price(j, n) = -(std::log(s(n)) + shift) / theta;
                if (shares) {
                    auto& p = (*shares)[sj];
                    for (Index i = 0; i < n_; ++i)
                        for (Index n = 0; n < n_; ++n) p(n, i) = k(n, i) * e(i) / s(n);
                }
            }
        });
    }

    void check_prices(const MatrixXd& log_price) const {
        for (Index n = 0; n < n_; ++n)
            for (Index j = 0; j < j_; ++j)
                if (!std::isfinite(log_price(j, n)))
                    throw numerical_error("trade equilibrium: price index P-hat of " + rs(b_, n, j) +
                                          " is not finite and positive (log P-hat = " + number_text(log_price(j, n)) +
                                          "); the shock may make some market empty");
    }

    // E1-E2 to tolerance `tol` (max change of log P-hat), warm-started from log_price_.
    void solve_prices(const VectorXd& log_wage, double tol) {
        const Index size = j_ * n_;
        anderson_accelerator aa(5, 1.0);
        MatrixXd next(j_, n_);
        double change = std::numeric_limits<double>::infinity();
        Index worst = 0;
        for (int k = 0; k < opt_.max_price_iterations; ++k) {
            input_costs(log_wage, log_price_, log_cost_);
            sector_prices(log_cost_, next, nullptr);
            ++price_iterations_;
            check_prices(next);
            const Eigen::Map<const VectorXd> x(log_price_.data(), size);
            const VectorXd f = Eigen::Map<const VectorXd>(next.data(), size) - x;
            change = f.cwiseAbs().maxCoeff(&worst);
            if (change <= tol) {
                log_price_ = next;
                // Final consistent sweep: c-hat from the converged P-hat (eq. 10), then
                // P-hat and pi' from that c-hat (eqs. 11-12), so eqs. 11-12 hold exactly.
                input_costs(log_wage, log_price_, log_cost_);
                sector_prices(log_cost_, log_price_, &shares_);
                check_prices(log_price_);
                return;
            }
            const VectorXd y = aa.next(x, f);
            log_price_ = Eigen::Map<const MatrixXd>(y.data(), j_, n_);
        }
        throw numerical_error("trade equilibrium: sector price indices (eqs. 10-11) did not converge in " +
                              std::to_string(opt_.max_price_iterations) + " iterations; max change of log P-hat " +
                              number_text(change) + " at " + rs(b_, worst / j_, worst % j_) + " (tolerance " + number_text(tol) + ")");
    }

    // (H + A) X of eq. 13, see the shared model doc: Y = gross output implied by X,
    // then X_out^j_n = sum_k gamma^{j,k}_n Y^k_n + alpha^j_n sum_k X^k_n (1 - F'^k_n).
    void apply_h_plus_a(const MatrixXd& x, MatrixXd& y, MatrixXd& out) const {
        for_each_block(j_, [&](Index begin, Index end) {
            for (Index k = begin; k < end; ++k) y.row(k).noalias() = x.row(k) * world_shares_[static_cast<std::size_t>(k)];
        });
        if (shared_revenue_) {
            // I'_n gains sum_m S(n,m) R'_m instead of R'_n: collect, redistribute, spend.
            const VectorXd received = sharing_ * collected_revenue(x);
            for_each_block(n_, [&](Index begin, Index end) {
                for (Index n = begin; n < end; ++n) {
                    out.col(n).noalias() = b_.io_share[static_cast<std::size_t>(n)] * y.col(n);
                    out.col(n) += b_.final_demand_share.col(n) * received(n);
                }
            });
            return;
        }
        for_each_block(n_, [&](Index begin, Index end) {
            for (Index n = begin; n < end; ++n) {
                const double revenue = x.col(n).dot((1.0 - non_tariff_share_.col(n).array()).matrix());
                out.col(n).noalias() = b_.io_share[static_cast<std::size_t>(n)] * y.col(n);
                out.col(n) += b_.final_demand_share.col(n) * revenue;
            }
        });
    }

    // R_n = sum_j X^j_n (1 - F'^j_n): the tariff revenue each region collects, N.
    VectorXd collected_revenue(const MatrixXd& x) const {
        VectorXd r(n_);
        for_each_block(n_, [&](Index begin, Index end) {
            for (Index n = begin; n < end; ++n)
                r(n) = x.col(n).dot((1.0 - non_tariff_share_.col(n).array()).matrix());
        });
        return r;
    }

    // Caliendo & Parro (2015), eq. 13: X'^j_n = sum_k gamma^{j,k}_n sum_i X'^k_i
    //   pi'^k_{in} / (1 + tau'^k_{in}) + alpha^j_n I'_n, with
    //   I'_n = w-hat_n L-hat_n VA_n + sum_j X'^j_n (1 - F'^j_n) + D'_n, or with revenue
    //   sharing I'_n = w-hat_n L-hat_n VA_n + sum_m S(n,m) sum_j X'^j_m (1 - F'^j_m) + D'_n.
    void solve_expenditure(const VectorXd& wage, double tol) {
        for_each_block(j_, [&](Index begin, Index end) {
            for (Index j = begin; j < end; ++j) {
                const auto s = static_cast<std::size_t>(j);
                world_shares_[s] = shares_[s].cwiseProduct(inv_gross_tariff_[s]);
                non_tariff_share_.row(j) = world_shares_[s].rowwise().sum().transpose();
            }
        });
        const Index size = j_ * n_;
        VectorXd rhs(size);
        for (Index n = 0; n < n_; ++n)
            rhs.segment(n * j_, j_) = b_.final_demand_share.col(n) * (wage(n) * scaled_va_(n) + deficit_(n));
        MatrixXd y(j_, n_), hx(j_, n_);
        const auto apply = [&](const auto& v, VectorXd& out) {
            const MatrixXd xm = Eigen::Map<const MatrixXd>(v.derived().data(), j_, n_);
            apply_h_plus_a(xm, y, hx);
            out = v - Eigen::Map<const VectorXd>(hx.data(), size);
        };
        VectorXd x = Eigen::Map<const VectorXd>(expenditure_.data(), size);
        double rel = 0.0;
        expenditure_iterations_ += gmres(apply, rhs, x, tol, opt_.max_expenditure_iterations, 40, rel);
        if (!(rel <= tol) || !x.allFinite())
            throw numerical_error("trade equilibrium: expenditure system (eq. 13) did not converge; relative residual " +
                                  number_text(rel) + " after " + std::to_string(opt_.max_expenditure_iterations) + " GMRES steps");
        expenditure_ = Eigen::Map<const MatrixXd>(x.data(), j_, n_);
    }

    // Given log w-hat: prices, shares, expenditure, output and the excess Z_n.
    void evaluate(const VectorXd& log_wage, double tol) {
        solve_prices(log_wage, tol);
        const VectorXd wage = log_wage.array().exp();
        solve_expenditure(wage, std::max(tol, 1e-13));
        for_each_block(j_, [&](Index begin, Index end) {
            for (Index k = begin; k < end; ++k)
                output_.row(k).noalias() = expenditure_.row(k) * world_shares_[static_cast<std::size_t>(k)];
        });
        // Caliendo & Parro (2015), eq. 14: Z_n = sum_j X'^j_n F'^j_n - sum_j Y'^j_n - D'_n
        // (imports minus exports at world prices, the domestic flows cancel, minus D').
        for (Index n = 0; n < n_; ++n)
            excess_(n) = expenditure_.col(n).dot(non_tariff_share_.col(n)) - output_.col(n).sum() - deficit_(n);
        if (shared_revenue_) {
            // A region that receives more revenue than it collects finances the difference
            // by importing more: Z_n = imports - exports - D'_n - (received - collected),
            // which is still w'_n L'_n - sum_j gamma^j_n Y'^j_n.
            const VectorXd collected = collected_revenue(expenditure_);
            const VectorXd received = sharing_ * collected;
            excess_ -= received - collected;
        }
        if (!excess_.allFinite()) throw numerical_error("trade equilibrium: trade balance is not finite (NaN)");
        // dZ_n / d log w_n, partial-equilibrium estimate with full cost pass-through: exports
        // of n to i fall with elasticity theta^j (1 - pi'^j_{in}); imports of n from i rise
        // with elasticity theta^j pi'^j_{nn} (substitution) plus 1 (income).
        for_each_block(n_, [&](Index begin, Index end) {
            for (Index n = begin; n < end; ++n) {
                double slope = 0.0;
                for (Index j = 0; j < j_; ++j) {
                    const auto s = static_cast<std::size_t>(j);
                    if (!tradable_[s]) continue;
                    const double theta = b_.theta(j);
                    const auto& w = world_shares_[s];
                    const auto& p = shares_[s];
                    for (Index i = 0; i < n_; ++i) {
                        if (i == n) continue;
                        slope += theta * expenditure_(j, i) * w(i, n) * (1.0 - p(i, n));
                        slope += expenditure_(j, n) * w(n, i) * (theta * p(n, n) + 1.0);
                    }
                }
                excess_slope_(n) = slope;
            }
        });
    }

    double residual() const { return (excess_.array().abs() / b_.value_added.array()).maxCoeff(); }
    Index worst_region() const {
        Index w = 0;
        (excess_.array().abs() / b_.value_added.array()).maxCoeff(&w);
        return w;
    }

    equilibrium_result assemble(const VectorXd& x, int iterations, double res) const {
        equilibrium_result r;
        r.wage_change = x.array().exp();
        r.input_cost_change = log_cost_.array().exp();
        r.sector_price_change = log_price_.array().exp();
        r.price_index_change.resize(n_);
        for (Index n = 0; n < n_; ++n)  // Caliendo & Parro (2015), eq. 5 in changes
            r.price_index_change(n) = std::exp(b_.final_demand_share.col(n).dot(log_price_.col(n)));
        r.trade_shares = shares_;
        r.expenditure = expenditure_;
        r.gross_output = output_;
        r.value_added = r.wage_change.cwiseProduct(scaled_va_);
        r.imports.resize(static_cast<std::size_t>(j_));
        r.imports_by_sector.resize(j_, n_);
        r.exports_by_sector.resize(j_, n_);
        for (Index j = 0; j < j_; ++j) {
            const auto s = static_cast<std::size_t>(j);
            r.imports[s] = expenditure_.row(j).transpose().asDiagonal() * world_shares_[s];
            for (Index n = 0; n < n_; ++n) {
                r.imports_by_sector(j, n) = r.imports[s].row(n).sum() - r.imports[s](n, n);
                r.exports_by_sector(j, n) = r.imports[s].col(n).sum() - r.imports[s](n, n);
            }
        }
        r.tariff_revenue.resize(n_);
        for (Index n = 0; n < n_; ++n)
            r.tariff_revenue(n) = expenditure_.col(n).dot((1.0 - non_tariff_share_.col(n).array()).matrix());
        r.tariff_revenue_received = shared_revenue_ ? VectorXd(sharing_ * r.tariff_revenue) : r.tariff_revenue;
        r.deficit = deficit_;
        r.final_absorption = r.value_added + r.tariff_revenue_received + r.deficit;
        // With deficits held, a region whose income collapses can be left with a deficit
        // larger than its income: I'_n <= 0 is no economy, whatever the trade balance says.
        Index worst = 0;
        if (r.final_absorption.minCoeff(&worst) <= 0.0)
            throw numerical_error("trade equilibrium: final absorption of " + b_.regions[static_cast<std::size_t>(worst)] +
                                  " is " + std::to_string(r.final_absorption(worst)) +
                                  " (not positive): its deficit, held fixed, exceeds its income; the shock is too "
                                  "large for this closure");
        r.real_wage_change = r.wage_change.cwiseQuotient(r.price_index_change);
        r.welfare_change =
            r.final_absorption.cwiseQuotient(final_absorption(b_)).cwiseQuotient(r.price_index_change);
        r.iterations = iterations;
        r.price_iterations = price_iterations_;
        r.expenditure_iterations = expenditure_iterations_;
        r.residual = res;
        return r;
    }

    static constexpr double tight_ = 1e-14;
    static constexpr double max_log_step_ = 0.5;
    const trade_equilibrium_base& b_;
    solver_options opt_;
    Index n_, j_;
    VectorXd labour_, deficit_, scaled_va_;
    double numeraire_ = 0.0;
    bool shared_revenue_ = false;
    Eigen::SparseMatrix<double, Eigen::RowMajor> sharing_;  ///< S(n, m), only if shared_revenue_
    std::vector<MatrixXd> kernel_, inv_gross_tariff_;
    std::vector<char> tradable_;
    // Iteration state (warm starts between outer iterations).
    MatrixXd log_price_, log_cost_;
    std::vector<MatrixXd> shares_, world_shares_;
    MatrixXd non_tariff_share_, expenditure_, output_;
    VectorXd excess_, excess_slope_;
    int price_iterations_ = 0, expenditure_iterations_ = 0;
};

}  // namespace

// ---------------------------------------------------------------------------------------

bool is_tradable(const trade_equilibrium_base& base, Index sector) {
    const auto& p = base.trade_shares[static_cast<std::size_t>(sector)];
    for (Index i = 0; i < p.cols(); ++i)
        for (Index n = 0; n < p.rows(); ++n)
            if (n != i && p(n, i) > 0.0) return true;
    return false;
}

std::vector<MatrixXd> bilateral_imports(const trade_equilibrium_base& base) {
    std::vector<MatrixXd> m(base.trade_shares.size());
    for (std::size_t s = 0; s < m.size(); ++s)
        m[s] = base.expenditure.row(static_cast<Index>(s)).transpose().asDiagonal() *
               base.trade_shares[s].cwiseQuotient((1.0 + base.tariffs[s].array()).matrix());
    return m;
}

VectorXd final_absorption(const trade_equilibrium_base& base) {
    VectorXd revenue = VectorXd::Zero(base.n_regions());
    const auto m = bilateral_imports(base);
    for (std::size_t s = 0; s < m.size(); ++s)
        revenue += m[s].cwiseProduct(base.tariffs[s]).rowwise().sum();
    return base.value_added + revenue + base.deficit;
}

void validate(const trade_equilibrium_base& b, issues& out, double tol) {
    const Index n_count = b.n_regions(), j_count = b.n_sectors();
    if (n_count == 0) out.add("base.regions", "need at least one region, got 0");
    if (j_count == 0) out.add("base.sectors", "need at least one sector, got 0");
    if (n_count == 0 || j_count == 0) return;
    const auto rl = [&](Index r, Index c) { return rs(b, c, r); };  // J x N arrays

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
                    out.add(at("base.trade_shares", rs(b, n, j)),
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
                    out.add(at("base.expenditure", rs(b, n, j)), "must be >= 0, got " + number_text(b.expenditure(j, n)));
    const bool gamma_ok = dims_ok(b.value_added_share, j_count, n_count, "base.value_added_share", jn, out) &&
                          finite_ok(b.value_added_share, "base.value_added_share", rl, out);
    if (gamma_ok)
        for (Index n = 0; n < n_count; ++n)
            for (Index j = 0; j < j_count; ++j) {
                const double g = b.value_added_share(j, n);
                if (!(g > 0.0 && g <= 1.0))
                    out.add(at("base.value_added_share", rs(b, n, j)), "must be in (0, 1], got " + number_text(g));
            }
    if (dims_ok(b.final_demand_share, j_count, n_count, "base.final_demand_share", jn, out) &&
        finite_ok(b.final_demand_share, "base.final_demand_share", rl, out)) {
        for (Index n = 0; n < n_count; ++n) {
            for (Index j = 0; j < j_count; ++j)
                if (b.final_demand_share(j, n) < 0.0)
                    out.add(at("base.final_demand_share", rs(b, n, j)),
                            "must be >= 0, got " + number_text(b.final_demand_share(j, n)));
            const double s = b.final_demand_share.col(n).sum();
            if (std::abs(s - 1.0) > tol)
                out.add(at("base.final_demand_share", region_name(b, n)),
                        "shares over sectors must sum to 1, got " + number_text(s));
        }
    }
    // input-output shares
    if (stack_dims_ok(b.io_share, n_count, j_count, j_count, "base.io_share", "region", out)) {
        for (Index n = 0; n < n_count; ++n) {
            const auto& g = b.io_share[static_cast<std::size_t>(n)];
            if (!finite_ok(g, "base.io_share",
                           [&](Index k, Index j) { return region_name(b, n) + "/" + sector_name(b, k) + "->" +
                                                          sector_name(b, j); },
                           out))
                continue;
            for (Index j = 0; j < j_count; ++j) {
                // Single entries may be negative (the CP data have one); eqs. 10-11 are a
                // contraction as long as sum_k |gamma^{k,j}_n| < 1.
                const double abs_sum = g.col(j).cwiseAbs().sum();
                if (!(abs_sum < 1.0))
                    out.add(at("base.io_share", rs(b, n, j)),
                            "sum of |material shares| must be < 1, got " + number_text(abs_sum));
                if (!gamma_ok) continue;
                const double s = g.col(j).sum();
                const double expect = 1.0 - b.value_added_share(j, n);
                if (s != 0.0 && std::abs(s - expect) > tol)
                    out.add(at("base.io_share", rs(b, n, j)),
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
                out.add(at("base.value_added", region_name(b, n)), "must be finite and > 0, got " +
                                                                       number_text(b.value_added(n)));
            }
    }
    if (b.deficit.size() != n_count) {
        out.add("base.deficit", "expected " + std::to_string(n_count) + " values (one per region), got " +
                                    std::to_string(b.deficit.size()));
    } else if (finite_ok(b.deficit, "base.deficit", [&](Index n, Index) { return region_name(b, n); }, out) &&
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
                    out.add(at("shock.productivity_change", rs(b, n, j)),
                            "must be finite and > 0, got " + number_text(c.productivity_change(j, n)));
    }
    if (c.labour_change.size() != 0) {
        if (c.labour_change.size() != n_count) {
            out.add("shock.labour_change", "expected " + std::to_string(n_count) + " values (one per region), got " +
                                               std::to_string(c.labour_change.size()));
        } else {
            for (Index n = 0; n < n_count; ++n)
                if (!(c.labour_change(n) > 0.0) || !std::isfinite(c.labour_change(n)))
                    out.add(at("shock.labour_change", region_name(b, n)),
                            "must be finite and > 0, got " + number_text(c.labour_change(n)));
        }
    }
    if (c.deficits_rule == deficit_closure::given) {
        if (c.deficits.size() != n_count) {
            out.add("shock.deficits", "expected " + std::to_string(n_count) + " values (one per region), got " +
                                          std::to_string(c.deficits.size()));
        } else if (finite_ok(c.deficits, "shock.deficits", [&](Index n, Index) { return region_name(b, n); }, out)) {
            check_deficit_sum(b, c.deficits, "shock.deficits", tol, out);
        }
    } else if (c.deficits.size() != 0) {
        out.add("shock.deficits", "values given but deficits_rule is not deficit_closure::given");
    }
    if (c.revenue_sharing.size() != 0 &&
        dims_ok(c.revenue_sharing, n_count, n_count, "shock.revenue_sharing", "N x N (receiver x collector)", out) &&
        finite_ok(c.revenue_sharing, "shock.revenue_sharing",
                  [&](Index n, Index m) { return region_name(b, n) + "<-" + region_name(b, m); }, out)) {
        for (Index m = 0; m < n_count; ++m) {
            for (Index n = 0; n < n_count; ++n)
                if (c.revenue_sharing(n, m) < 0.0)
                    out.add(at("shock.revenue_sharing", region_name(b, n) + "<-" + region_name(b, m)),
                            "share must be >= 0, got " + number_text(c.revenue_sharing(n, m)));
            // Columns sum to 1: revenue is redistributed, never created or lost.
            const double s = c.revenue_sharing.col(m).sum();
            if (std::abs(s - 1.0) > tol)
                out.add(at("shock.revenue_sharing", ":," + region_name(b, m)),
                        "shares of a collector's revenue must sum to 1 over receivers, got " + number_text(s));
        }
    }
}

equilibrium_result solve(const trade_equilibrium_base& base, const counterfactual_shock& shock,
                         const solver_options& options) {
    issues problems;
    validate(base, problems);
    if (problems.empty()) validate(base, shock, problems);
    if (options.initial_wage_change.size() != 0) {
        if (options.initial_wage_change.size() != base.n_regions())
            problems.add("options.initial_wage_change", "expected " + std::to_string(base.n_regions()) +
                                                            " values, got " +
                                                            std::to_string(options.initial_wage_change.size()));
        else if (!(options.initial_wage_change.array() > 0.0).all() || !options.initial_wage_change.allFinite())
            problems.add("options.initial_wage_change", "must be finite and > 0");
    }
    if (!(options.tolerance > 0.0)) problems.add("options.tolerance", "must be > 0, got " + number_text(options.tolerance));
    if (options.max_iterations < 1 || options.max_price_iterations < 1 || options.max_expenditure_iterations < 1)
        problems.add("options", "iteration limits must be >= 1, got max_iterations = " +
                                    std::to_string(options.max_iterations) + ", max_price_iterations = " +
                                    std::to_string(options.max_price_iterations) + ", max_expenditure_iterations = " +
                                    std::to_string(options.max_expenditure_iterations));
    if (options.anderson_memory < 0)
        problems.add("options.anderson_memory", "must be >= 0, got " + std::to_string(options.anderson_memory));
    if (!(options.relaxation > 0.0)) problems.add("options.relaxation", "must be > 0, got " + number_text(options.relaxation));
    problems.throw_if_any<inconsistent_input>("trade equilibrium input");
    return equilibrium_solver(base, shock, options).run();
}

trade_equilibrium_base counterfactual_as_base(const trade_equilibrium_base& base, const counterfactual_shock& shock,
                                             const equilibrium_result& result) {
    trade_equilibrium_base next = base;
    next.trade_shares = result.trade_shares;
    if (!shock.tariffs.empty()) next.tariffs = shock.tariffs;
    next.expenditure = result.expenditure;
    next.value_added = result.value_added;
    next.deficit = result.deficit;
    // A base year has no revenue sharing: the net transfer received becomes part of the
    // trade deficit, so that I = VA + own revenue + D still holds in levels.
    if (result.tariff_revenue_received.size() == result.deficit.size())
        next.deficit += result.tariff_revenue_received - result.tariff_revenue;
    return next;
}

MatrixXd expenditure_dense_reference(const trade_equilibrium_base& base, const counterfactual_shock& shock,
                                     const equilibrium_result& r) {
    const Index n_count = base.n_regions(), j_count = base.n_sectors(), size = n_count * j_count;
    const auto& tau = shock.tariffs.empty() ? base.tariffs : shock.tariffs;
    const VectorXd labour = shock.labour_change.size() == 0 ? VectorXd::Ones(n_count) : shock.labour_change;
    MatrixXd a = MatrixXd::Identity(size, size);
    MatrixXd f(j_count, n_count);
    for (Index k = 0; k < j_count; ++k)
        for (Index n = 0; n < n_count; ++n)
            f(k, n) = (r.trade_shares[static_cast<std::size_t>(k)].row(n).array() /
                       (1.0 + tau[static_cast<std::size_t>(k)].row(n).array()))
                          .sum();
    for (Index n = 0; n < n_count; ++n)
        for (Index j = 0; j < j_count; ++j) {
            const Index row = n * j_count + j;
            for (Index k = 0; k < j_count; ++k) {
                const double g = base.io_share[static_cast<std::size_t>(n)](j, k);
                const auto s = static_cast<std::size_t>(k);
                for (Index i = 0; i < n_count; ++i)  // H: gamma^{j,k}_n pi'^k_{in} / (1 + tau'^k_{in})
                    a(row, i * j_count + k) -= g * r.trade_shares[s](i, n) / (1.0 + tau[s](i, n));
                if (shock.revenue_sharing.size() == 0) {
                    a(row, n * j_count + k) -= base.final_demand_share(j, n) * (1.0 - f(k, n));  // A
                } else {
                    for (Index m = 0; m < n_count; ++m)  // A: alpha^j_n S(n,m) (1 - F'^k_m)
                        a(row, m * j_count + k) -=
                            base.final_demand_share(j, n) * shock.revenue_sharing(n, m) * (1.0 - f(k, m));
                }
            }
        }
    VectorXd rhs(size);
    for (Index n = 0; n < n_count; ++n)
        rhs.segment(n * j_count, j_count) =
            base.final_demand_share.col(n) * (r.wage_change(n) * labour(n) * base.value_added(n) + r.deficit(n));
    const VectorXd x = a.partialPivLu().solve(rhs);
    return Eigen::Map<const MatrixXd>(x.data(), j_count, n_count);
}

}  // namespace integra::models
