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
//   Wage floors (counterfactual_shock::wage_floor, currency unions): the complementarity
//          problem w-hat_n >= f_n W-hat_u, e_n <= 1, (w-hat_n - f_n W-hat_u)(1 - e_n) = 0
//          is solved inside the same outer iteration by a change of variables: the
//          iterate is x_n = log(w-hat_n e_n), the wage bill per member of the labour
//          force, and each evaluation splits it exactly into a wage and an employment
//          rate (floored_split): w-hat_n = max(e^{x_n}, f_n W-hat_u), e_n = e^{x_n} /
//          w-hat_n, with the union's wage index W-hat_u found by an active-set pass.
//          Every x gives a point that satisfies the complementarity conditions, so the
//          outer iteration only has to clear the trade balances (eq. 14), as without
//          floors; unit costs (eq. 10) take the wage, incomes (eq. 13) the wage bill. The
//          normalisation sum_n VA_n L-hat_n e^{x_n} = sum_n VA_n is still world value
//          added. Without floors x = log w-hat and every line below is the one before.
//
// Cost (docs/performance.md, "Solver"): every array the iteration writes
// is allocated once per solve; loops over regions or sectors run in parallel only when
// a thread is free and the loop is large enough to repay it (numerics/parallel.hpp);
// no change of speed has changed a bit of the results, and none may: every sum keeps its
// order of evaluation.
#include "models/trade_equilibrium.hpp"

#include <Eigen/SparseCore>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "models/numerics/anderson.hpp"
#include "models/numerics/gmres.hpp"
#include "models/numerics/parallel.hpp"

namespace integra::models {

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using numerics::for_each_block;

// ---------------------------------------------------------------------------------------
// The counterfactual problem with every shock-dependent constant precomputed, and every
// array the iteration writes allocated once: an outer iteration allocates nothing but
// the Anderson QR's right-hand-side temporaries.

class equilibrium_solver {
public:
    equilibrium_solver(const trade_equilibrium_base& base, const counterfactual_shock& shock,
                       const solver_options& options)
        : b_(base), opt_(options), n_(base.n_regions()), j_(base.n_sectors()), threads_(numerics::available_threads()) {
        const auto& tau_new = shock.tariffs.empty() ? base.tariffs : shock.tariffs;
        labour_ = shock.labour_change.size() == 0 ? VectorXd::Ones(n_) : shock.labour_change;
        switch (shock.deficits_rule) {
            case deficit_closure::hold_fixed: deficit_ = base.deficit; break;
            case deficit_closure::given: deficit_ = shock.deficits; break;
            case deficit_closure::zero: deficit_ = VectorXd::Zero(n_); break;
        }
        scaled_va_ = base.value_added.cwiseProduct(labour_);
        numeraire_ = base.value_added.sum();
        floored_ = shock.wage_floor.size() != 0 && (shock.wage_floor.array() > 0.0).any();
        employment_ = VectorXd::Ones(n_);
        if (floored_) {
            floor_ = shock.wage_floor;
            wage_union_ = shock.wage_union;
            index_weight_ = shock.wage_index_weight;
            n_unions_ = *std::max_element(wage_union_.begin(), wage_union_.end()) + 1;
            income_.resize(n_);
            log_wage_.resize(n_);
            union_index_scratch_ = VectorXd::Zero(n_);
            balance_scale_ = base.value_added.cwiseMax(1e-3 * base.value_added.sum());
        }
        // Revenue sharing: kept compressed (row-major, so S * R is one serial, deterministic
        // pass over the non-zeros). Empty = each keeps its own, and every code path below
        // is then exactly the one without sharing.
        shifted_demand_ = shock.final_demand_shift.size() != 0;
        if (shifted_demand_) shift_ = shock.final_demand_shift;
        shared_revenue_ = shock.revenue_sharing.size() != 0;
        if (shared_revenue_) sharing_ = shock.revenue_sharing.sparseView();
        kernel_.resize(static_cast<std::size_t>(j_));
        inv_gross_tariff_.resize(static_cast<std::size_t>(j_));
        tradable_.resize(static_cast<std::size_t>(j_));
        own_log_price_ = MatrixXd::Zero(j_, n_);
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
            // A non-traded sector's eq. 11 is log P-hat = log c-hat - log(K_nn) / theta.
            if (!tradable_[s])
                for (Index n = 0; n < n_; ++n) own_log_price_(j, n) = std::log(kernel_[s](n, n)) / theta;
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
        // Workspaces.
        wage_.resize(n_);
        newton_.resize(n_);
        step_.resize(n_);
        next_log_price_.resize(j_, n_);
        price_change_.resize(j_ * n_);
        price_exp_.resize(n_, j_);
        price_sum_.resize(n_, j_);
        rhs_.resize(j_ * n_);
        h_output_.resize(j_, n_);
        h_expenditure_.resize(j_, n_);
        collected_.resize(n_);
        received_.resize(n_);
        own_share_term_.resize(n_, j_);
    }

    equilibrium_result run() {
        VectorXd x = opt_.initial_wage_change.size() == 0 ? VectorXd::Zero(n_)
                                                          : VectorXd(opt_.initial_wage_change.array().log());
        normalise(x);
        const bool warm = opt_.initial_wage_change.size() != 0;
        int it = 0;
        double res = std::numeric_limits<double>::infinity();
        if (floored_) return run_floored(x, warm);
        iterate(x, warm, it, res);
        return assemble(x, it, res);
    }

private:
    // Wage floors: an active-set method for the complementarity problem. With the set of
    // regions at their floor fixed, the problem is smooth (a bound region's wage is f_n
    // W-hat_u, its employment e^{x_n} / w-hat_n) and the outer iteration converges as
    // without floors; then a bound region with e_n > 1 is freed and a free one below its
    // floor is bound, and the iteration restarts from where it stopped. The set starts
    // from the natural split of the starting point; one or two rounds settle it in
    // practice, and N + 1 rounds without settling is an error (a guard). The solution
    // satisfies the conditions exactly: w-hat = f W-hat where e < 1, e = 1 where w-hat > f W-hat.
    equilibrium_result run_floored(VectorXd& x, bool warm) {
        floored_split(x);  // the natural split: bound where e^x is below the floor
        bound_.assign(static_cast<std::size_t>(n_), 0);
        for (Index n = 0; n < n_; ++n) bound_[static_cast<std::size_t>(n)] = employment_(n) < 1.0;
        fixed_set_ = true;
        // The wage indices join the unknowns (floored_split).
        x.conservativeResize(n_ + n_unions_);
        x.tail(n_unions_).setZero();  // a union without members in force keeps W-hat = 1
        for (int u = 0; u < n_unions_; ++u)
            for (Index n = 0; n < n_; ++n)
                if (wage_union_[static_cast<std::size_t>(n)] == u) x(n_ + u) = std::log(union_index_scratch_(n));
        index_residual_ = VectorXd::Zero(n_unions_);
        index_bound_share_ = VectorXd::Zero(n_unions_);
        newton_.resize(x.size());
        step_.resize(x.size());
        int total = 0;
        double res = std::numeric_limits<double>::infinity();
        for (Index round = 0; round <= n_; ++round) {
            int it = 0;
            iterate(x, warm || round > 0, it, res);
            total += it;
            bool changed = false;
            for (Index n = 0; n < n_; ++n) {
                const int u = wage_union_[static_cast<std::size_t>(n)];
                if (u < 0) continue;
                char& b = bound_[static_cast<std::size_t>(n)];
                if (b && employment_(n) > 1.0) {
                    b = 0;
                    changed = true;
                } else if (!b && wage_(n) < floor_(n) * union_index_scratch_(n) * (1.0 - 1e-12)) {
                    b = 1;
                    changed = true;
                }
            }
            if (!changed) {
                for (Index n = 0; n < n_; ++n) employment_(n) = std::min(employment_(n), 1.0);
                return assemble(x, total, res);
            }
        }
        throw numerical_error("trade equilibrium: the wage floors' active set did not settle after " +
                              std::to_string(n_ + 1) + " rounds");
    }

    // The outer iteration from x (updated in place) until max_n |Z_n| / VA_n <= tolerance;
    // throws numerical_error on stagnation or after max_iterations.
    void iterate(VectorXd& x, bool warm, int& it, double& res) {
        numerics::anderson_accelerator aa(opt_.anderson_memory, opt_.relaxation);
        // A warm start is presumed close: evaluate it with tight inner solves at once.
        double previous = warm ? opt_.tolerance : 1.0;
        res = std::numeric_limits<double>::infinity();
        // Stagnation (see stagnation_window in the header): the best residual so far, and
        // the best at the start of the current window of iterations.
        double best = std::numeric_limits<double>::infinity();
        double window_best = best;
        int window_start = 1;
        for (it = 1; it <= opt_.max_iterations; ++it) {
            // Inexact inner solves are relative to the world: with wage floors a small region's
            // balance is decided by its own income alone, and an inner error of 1e-8 of the
            // world can exceed it, so floored solves keep the inner solves tight.
            const double inner = floored_ ? tight_ : std::clamp(1e-3 * previous, tight_, 1e-6);
            evaluate(x, inner);
            res = residual();
            if (res <= opt_.tolerance && inner > tight_) {
                evaluate(x, tight_);
                res = residual();
            }
            if (res <= opt_.tolerance) break;
            best = std::min(best, res);
            if (it == 1) window_best = best;
            if (it - window_start >= stagnation_window) {
                if (!(best < stagnation_factor * window_best)) {
                    const Index worst = worst_region();
                    throw numerical_error(
                        "trade equilibrium: the residual stopped falling: max |imports - exports - deficit| / value added = " +
                        number_text(best) + " at best (" + number_text(res) + " at region " + region_label(b_, worst) +
                        " in wage iteration " + std::to_string(it) + "), not reduced by " +
                        number_text(100.0 * (1.0 - stagnation_factor)) + "% over the last " +
                        std::to_string(stagnation_window) + " iterations; " +
                        // Near the rounding error the tolerance is too tight; far above it (e.g. wage
                        // floors with a large shock) there is no equilibrium to tighten towards.
                        (best < 1e-6 ? "the tolerance " + number_text(opt_.tolerance) +
                                           " is below what floating point allows here (use a tolerance above " +
                                           number_text(best) + ")"
                                     : std::string("far above the rounding error: no equilibrium was found (the shock "
                                                   "may be too large for the model and its closure)")));
                }
                window_best = best;
                window_start = it;
            }
            // Diagonal Newton direction: -Z_n / (dZ_n / d log w_n), with the derivative
            // estimated from the current flows (see excess_slope_). Bounded below so that an
            // almost closed economy cannot produce an unbounded step.
            for (Index n = 0; n < n_; ++n)
                newton_(n) = -excess_(n) / std::max(excess_slope_(n), 1e-6 * std::exp(x(n)) * scaled_va_(n));
            for (Index u = 0; u < index_residual_.size(); ++u)  // Newton on r_u in log W-hat_u
                newton_(n_ + u) = index_residual_(u) / (1.0 - index_bound_share_(u));
            aa.next(x, newton_, step_);
            step_ -= x;
            // Trust region: no region's wage moves by more than a factor e^max_log_step in one
            // iteration; large shocks then converge instead of overshooting into overflow.
            const double longest = step_.cwiseAbs().maxCoeff();
            if (longest > max_log_step_) step_ *= max_log_step_ / longest;
            x += step_;
            normalise(x);
            previous = res;
        }
        if (!(res <= opt_.tolerance)) {
            const Index worst = worst_region();
            throw numerical_error("trade equilibrium: no convergence after " + std::to_string(opt_.max_iterations) +
                                  " wage iterations; max |imports - exports - deficit| / value added = " + number_text(res) +
                                  " at region " + region_label(b_, worst) + " (tolerance " + number_text(opt_.tolerance) + ")");
        }
    }

    // Estimated floating-point operations per item of each parallel loop, so that
    // for_each_block runs loops too small to gain from a second thread serially.
    [[nodiscard]] double matvec_work(Index size) const { return 2.0 * static_cast<double>(size * size); }

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
        for_each_block(
            n_,
            [&](Index begin, Index end) {
                for (Index n = begin; n < end; ++n)
                    log_cost.col(n).noalias() = b_.value_added_share.col(n) * log_wage(n) +
                                                b_.io_share[static_cast<std::size_t>(n)].transpose() * log_price.col(n);
            },
            matvec_work(j_), threads_);
    }

    // Caliendo & Parro (2015), eq. 11: P-hat^j_n = [sum_i pi^j_{ni} lambda-hat^j_i
    //   (kappa-hat^j_{ni} c-hat^j_i)^-theta]^(-1/theta). With kernel K = pi o lambda-hat o
    // kappa-hat^-theta this is K (c-hat^-theta); the shift by the largest exponent keeps
    // the exponentials in range for any size of shock. If `shares` is given, also
    // Caliendo & Parro (2015), eq. 12: pi'^j_{ni} = K_{ni} c-hat_i^-theta / sum_h K_{nh}
    // c-hat_h^-theta, which sums to one across exporters by construction.
    void sector_prices(const MatrixXd& log_cost, MatrixXd& log_price, std::vector<MatrixXd>* shares) {
        for_each_block(
            j_,
            [&](Index begin, Index end) {
                for (Index j = begin; j < end; ++j) {
                    const auto sj = static_cast<std::size_t>(j);
                    const double theta = b_.theta(j);
                    const auto& k = kernel_[sj];
                    if (!tradable_[sj]) {
                        for (Index n = 0; n < n_; ++n) {
                            log_price(j, n) = log_cost(j, n) - own_log_price_(j, n);
                            if (shares) (*shares)[sj](n, n) = 1.0;
                        }
                        continue;
                    }
                    auto e = price_exp_.col(j);  // each sector's own scratch columns
                    auto s = price_sum_.col(j);
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
            },
            matvec_work(n_) + 40.0 * static_cast<double>(n_), threads_);
    }

    void check_prices(const MatrixXd& log_price) const {
        for (Index n = 0; n < n_; ++n)
            for (Index j = 0; j < j_; ++j)
                if (!std::isfinite(log_price(j, n)))
                    throw numerical_error("trade equilibrium: price index P-hat of " + region_sector_label(b_, n, j) +
                                          " is not finite and positive (log P-hat = " + number_text(log_price(j, n)) +
                                          "); the shock may make some market empty");
    }

    // E1-E2 to tolerance `tol` (max change of log P-hat), warm-started from log_price_.
    void solve_prices(const VectorXd& log_wage, double tol) {
        const Index size = j_ * n_;
        auto& aa = price_accelerator_;
        aa.reset();
        auto& next = next_log_price_;
        double change = std::numeric_limits<double>::infinity();
        Index worst = 0;
        for (int k = 0; k < opt_.max_price_iterations; ++k) {
            input_costs(log_wage, log_price_, log_cost_);
            sector_prices(log_cost_, next, nullptr);
            ++price_iterations_;
            check_prices(next);
            Eigen::Map<VectorXd> x(log_price_.data(), size);
            price_change_ = Eigen::Map<const VectorXd>(next.data(), size) - x;
            change = price_change_.cwiseAbs().maxCoeff(&worst);
            if (change <= tol) {
                log_price_ = next;
                // Final consistent sweep: c-hat from the converged P-hat (eq. 10), then
                // P-hat and pi' from that c-hat (eqs. 11-12), so eqs. 11-12 hold exactly.
                input_costs(log_wage, log_price_, log_cost_);
                sector_prices(log_cost_, log_price_, &shares_);
                check_prices(log_price_);
                return;
            }
            aa.next(x, price_change_, x);  // in place: the next iterate becomes log_price_
        }
        throw numerical_error("trade equilibrium: sector price indices (eqs. 10-11) did not converge in " +
                              std::to_string(opt_.max_price_iterations) + " iterations; max change of log P-hat " +
                              number_text(change) + " at " + region_sector_label(b_, worst / j_, worst % j_) +
                              " (tolerance " + number_text(tol) + ")");
    }

    // (H + A) X of eq. 13 (docs/model.md, section 3.5): Y = gross output implied by X,
    // then X_out^j_n = sum_k gamma^{j,k}_n Y^k_n + alpha^j_n sum_k X^k_n (1 - F'^k_n).
    template <class Expenditure>
    void apply_h_plus_a(const Expenditure& x, MatrixXd& y, MatrixXd& out) {
        for_each_block(
            j_,
            [&](Index begin, Index end) {
                for (Index k = begin; k < end; ++k)
                    y.row(k).noalias() = x.row(k) * world_shares_[static_cast<std::size_t>(k)];
            },
            matvec_work(n_), threads_);
        if (shared_revenue_) {
            // I'_n gains sum_m S(n,m) R'_m instead of R'_n: collect, redistribute, spend.
            collect_revenue(x, collected_);
            received_ = sharing_ * collected_;
            for_each_block(
                n_,
                [&](Index begin, Index end) {
                    for (Index n = begin; n < end; ++n) {
                        out.col(n).noalias() = b_.io_share[static_cast<std::size_t>(n)] * y.col(n);
                        out.col(n) += b_.final_demand_share.col(n) * received_(n);
                    }
                },
                matvec_work(j_), threads_);
            return;
        }
        for_each_block(
            n_,
            [&](Index begin, Index end) {
                for (Index n = begin; n < end; ++n) {
                    const double revenue = x.col(n).dot((1.0 - non_tariff_share_.col(n).array()).matrix());
                    out.col(n).noalias() = b_.io_share[static_cast<std::size_t>(n)] * y.col(n);
                    out.col(n) += b_.final_demand_share.col(n) * revenue;
                }
            },
            matvec_work(j_), threads_);
    }

    // R_n = sum_j X^j_n (1 - F'^j_n): the tariff revenue each region collects, N.
    template <class Expenditure>
    void collect_revenue(const Expenditure& x, VectorXd& r) const {
        for_each_block(
            n_,
            [&](Index begin, Index end) {
                for (Index n = begin; n < end; ++n)
                    r(n) = x.col(n).dot((1.0 - non_tariff_share_.col(n).array()).matrix());
            },
            2.0 * static_cast<double>(j_), threads_);
    }

    // Caliendo & Parro (2015), eq. 13: X'^j_n = sum_k gamma^{j,k}_n sum_i X'^k_i
    //   pi'^k_{in} / (1 + tau'^k_{in}) + alpha^j_n I'_n, with
    //   I'_n = w-hat_n L-hat_n VA_n + sum_j X'^j_n (1 - F'^j_n) + D'_n, or with revenue
    //   sharing I'_n = w-hat_n L-hat_n VA_n + sum_m S(n,m) sum_j X'^j_m (1 - F'^j_m) + D'_n;
    //   plus the exogenous final_demand_shift^j_n, if any (a constant of the right-hand side).
    void solve_expenditure(const VectorXd& wage, double tol) {
        for_each_block(
            j_,
            [&](Index begin, Index end) {
                for (Index j = begin; j < end; ++j) {
                    const auto s = static_cast<std::size_t>(j);
                    world_shares_[s] = shares_[s].cwiseProduct(inv_gross_tariff_[s]);
                    non_tariff_share_.row(j) = world_shares_[s].rowwise().sum().transpose();
                }
            },
            matvec_work(n_), threads_);
        const Index size = j_ * n_;
        for (Index n = 0; n < n_; ++n)
            rhs_.segment(n * j_, j_) = b_.final_demand_share.col(n) * (wage(n) * scaled_va_(n) + deficit_(n));
        if (shifted_demand_) rhs_ += Eigen::Map<const VectorXd>(shift_.data(), size);
        const auto apply = [&](const Eigen::Ref<const VectorXd>& v, VectorXd& out) {
            apply_h_plus_a(Eigen::Map<const MatrixXd>(v.data(), j_, n_), h_output_, h_expenditure_);
            out = v - Eigen::Map<const VectorXd>(h_expenditure_.data(), size);
        };
        // Warm start from the previous X', iterated in place.
        Eigen::Map<VectorXd> x(expenditure_.data(), size);
        const auto solved = numerics::gmres(apply, rhs_, x, {tol, opt_.max_expenditure_iterations, 40}, gmres_workspace_);
        expenditure_iterations_ += solved.steps;
        if (!(solved.relative_residual <= tol) || !x.allFinite())
            throw numerical_error("trade equilibrium: expenditure system (eq. 13) did not converge; relative residual " +
                                  number_text(solved.relative_residual) + " after " +
                                  std::to_string(opt_.max_expenditure_iterations) + " GMRES steps");
    }

    // Given log w-hat: prices, shares, expenditure, output and the excess Z_n.
    void evaluate(const VectorXd& log_wage, double tol) {
        if (floored_) {
            // x = log(w-hat e): prices follow the wage, incomes the wage bill.
            floored_split(log_wage);
            solve_prices(log_wage_, tol);
            solve_expenditure(income_, std::max(tol, 1e-13));
        } else {
            solve_prices(log_wage, tol);
            wage_ = log_wage.array().exp();
            solve_expenditure(wage_, std::max(tol, 1e-13));
        }
        for_each_block(
            j_,
            [&](Index begin, Index end) {
                for (Index k = begin; k < end; ++k)
                    output_.row(k).noalias() = expenditure_.row(k) * world_shares_[static_cast<std::size_t>(k)];
            },
            matvec_work(n_), threads_);
        // Caliendo & Parro (2015), eq. 14: Z_n = sum_j X'^j_n F'^j_n - sum_j Y'^j_n - D'_n
        // (imports minus exports at world prices, the domestic flows cancel, minus D').
        for (Index n = 0; n < n_; ++n)
            excess_(n) = expenditure_.col(n).dot(non_tariff_share_.col(n)) - output_.col(n).sum() - deficit_(n);
        if (shared_revenue_) {
            // A region that receives more revenue than it collects finances the difference
            // by importing more: Z_n = imports - exports - D'_n - (received - collected),
            // which is still w'_n L'_n - sum_j gamma^j_n Y'^j_n.
            collect_revenue(expenditure_, collected_);
            received_ = sharing_ * collected_;
            excess_ -= received_ - collected_;
        }
        if (!excess_.allFinite()) throw numerical_error("trade equilibrium: trade balance is not finite (NaN)");
        excess_slopes();
    }

    // dZ_n / d log w_n, partial-equilibrium estimate with full cost pass-through: exports
    // of n to i fall with elasticity theta^j (1 - pi'^j_{in}); imports of n from i rise
    // with elasticity theta^j pi'^j_{nn} (substitution) plus 1 (income):
    //   slope_n = sum_j sum_{i != n} [theta^j X'^j_i F^j_{in} (1 - pi'^j_{in})
    //                                 + X'^j_n F^j_{ni} (theta^j pi'^j_{nn} + 1)]
    // with F = pi' / (1 + tau') (world_shares_).
    void excess_slopes() {
        for (Index j = 0; j < j_; ++j) {
            const auto s = static_cast<std::size_t>(j);
            if (!tradable_[s]) continue;
            const double theta = b_.theta(j);
            for (Index n = 0; n < n_; ++n) own_share_term_(n, j) = theta * shares_[s](n, n) + 1.0;
        }
        if (floored_) {
            // At its floor a region's wage, so its costs, do not move with x_n: only its
            // income does, and the slope is the income effect on its imports alone.
            floored_slopes();
            return;
        }
        for_each_block(
            n_,
            [&](Index begin, Index end) {
                Index n = begin;
                for (; n + slope_group_ <= end; n += slope_group_) excess_slope_group<slope_group_>(n);
                for (; n < end; ++n) excess_slope_group<1>(n);
            },
            7.0 * static_cast<double>(j_ * n_), threads_);
    }

    // The slopes of importers n0 .. n0 + G - 1. Each is summed in exactly the order of the
    // formula, j then i, the first term before the second; the G sums advance side by side,
    // so that they overlap instead of forming one long chain of dependent additions.
    template <int G>
    void excess_slope_group(Index n0) {
        double slope[G];
        for (int g = 0; g < G; ++g) slope[g] = 0.0;
        for (Index j = 0; j < j_; ++j) {
            const auto s = static_cast<std::size_t>(j);
            if (!tradable_[s]) continue;
            const double theta = b_.theta(j);
            const auto& w = world_shares_[s];
            const auto& p = shares_[s];
            double x_n[G], c_n[G];
            const double* f_in[G];  // F^j_{in} over i: column n of F
            const double* p_in[G];  // pi'^j_{in} over i
            for (int g = 0; g < G; ++g) {
                x_n[g] = expenditure_(j, n0 + g);
                c_n[g] = own_share_term_(n0 + g, j);
                f_in[g] = w.col(n0 + g).data();
                p_in[g] = p.col(n0 + g).data();
            }
            const auto add = [&](Index i, int g) {
                slope[g] += theta * expenditure_(j, i) * f_in[g][i] * (1.0 - p_in[g][i]);
                slope[g] += x_n[g] * w(n0 + g, i) * c_n[g];
            };
            for (Index i = 0; i < n0; ++i)
                for (int g = 0; g < G; ++g) add(i, g);
            for (Index i = n0; i < n0 + G; ++i)  // i == n is not a partner
                for (int g = 0; g < G; ++g)
                    if (i != n0 + g) add(i, g);
            for (Index i = n0 + G; i < n_; ++i)
                for (int g = 0; g < G; ++g) add(i, g);
        }
        for (int g = 0; g < G; ++g) excess_slope_(n0 + g) = slope[g];
    }

    // dZ_n / dx_n with wage floors: the partial-equilibrium slope of excess_slopes where the
    // wage moves with x_n, and only the income term X'^j_n F^j_{ni} where it is at its floor.
    void floored_slopes() {
        for (Index n = 0; n < n_; ++n) {
            const bool free = fixed_set_ ? bound_[static_cast<std::size_t>(n)] == 0 : employment_(n) == 1.0;
            double slope = 0.0;
            for (Index j = 0; j < j_; ++j) {
                const auto s = static_cast<std::size_t>(j);
                if (!tradable_[s]) continue;
                const double theta = b_.theta(j);
                const auto& w = world_shares_[s];
                const auto& p = shares_[s];
                for (Index i = 0; i < n_; ++i) {
                    if (i == n) continue;
                    if (free) slope += theta * expenditure_(j, i) * w(i, n) * (1.0 - p(i, n));
                    slope += expenditure_(j, n) * w(n, i) * (free ? own_share_term_(n, j) : 1.0);
                }
            }
            excess_slope_(n) = slope;
        }
    }

    // Splits x = log(w-hat e) into the wage w-hat_n = max(e^{x_n}, f_n W-hat_u) and the
    // employment rate e_n = e^{x_n} / w-hat_n (policy-modules D.B.2 eq. 2). The wage index
    // W-hat_u = sum_m a_m w-hat_m solves W = sum_{free} a_m e^{x_m} + W sum_{bound} a_m f_m; an
    // active-set pass from "nobody bound" raises W monotonically (each region found below
    // its floor raises it), so it ends after at most one pass per member.
    //   With the active set fixed (run_floored), the index is an unknown of the iteration
    // itself, x_{N+u} = log W-hat_u, whose equation is r_u = log(sum_m a_m w-hat_m) - x_{N+u}
    // = 0 (index_residual_): every region's split then depends on its own x only, and the
    // Anderson iteration handles the coupling through the index like any other.
    void floored_split(const VectorXd& x) {
        income_ = x.head(n_).array().exp();
        const bool augmented = x.size() > n_;
        for (int u = 0; u < n_unions_; ++u) {
            auto& bound = split_bound_;
            if (fixed_set_) bound = bound_;
            else bound.assign(static_cast<std::size_t>(n_), 0);
            double index = 0.0;
            if (augmented) {
                index = std::exp(x(n_ + u));
                for (Index n = 0; n < n_; ++n)
                    if (wage_union_[static_cast<std::size_t>(n)] == u) union_index_scratch_(n) = index;
                continue;
            }
            for (bool changed = true; changed;) {
                double free_sum = 0.0, bound_weight = 0.0;
                for (Index n = 0; n < n_; ++n) {
                    if (wage_union_[static_cast<std::size_t>(n)] != u) continue;
                    if (bound[static_cast<std::size_t>(n)])
                        bound_weight += index_weight_(n) * floor_(n);
                    else
                        free_sum += index_weight_(n) * income_(n);
                }
                if (!(bound_weight < 1.0))
                    throw numerical_error("trade equilibrium: the wage floors of currency union " + std::to_string(u) +
                                          " cannot all hold: their index-weighted sum is " + number_text(bound_weight) +
                                          " >= 1 (no member's wage could be above its floor)");
                index = free_sum / (1.0 - bound_weight);
                changed = false;
                if (fixed_set_) break;
                for (Index n = 0; n < n_; ++n)
                    if (wage_union_[static_cast<std::size_t>(n)] == u && !bound[static_cast<std::size_t>(n)] &&
                        income_(n) < floor_(n) * index) {
                        bound[static_cast<std::size_t>(n)] = 1;
                        changed = true;
                    }
            }
            for (Index n = 0; n < n_; ++n)
                if (wage_union_[static_cast<std::size_t>(n)] == u) union_index_scratch_(n) = index;
        }
        for (Index n = 0; n < n_; ++n) {
            const bool member = wage_union_[static_cast<std::size_t>(n)] >= 0;
            const double lowest = member ? floor_(n) * union_index_scratch_(n) : 0.0;
            if (fixed_set_) {  // the active set decides; e may leave (0, 1] until it is updated
                const bool at_floor = bound_[static_cast<std::size_t>(n)] != 0;
                wage_(n) = at_floor ? lowest : income_(n);
                employment_(n) = at_floor ? income_(n) / lowest : 1.0;
            } else {
                wage_(n) = std::max(income_(n), lowest);
                employment_(n) = income_(n) < lowest ? income_(n) / lowest : 1.0;
            }
            log_wage_(n) = std::log(wage_(n));
        }
        if (!augmented) return;
        for (int u = 0; u < n_unions_; ++u) {
            double all = 0.0, at_floor = 0.0;
            for (Index n = 0; n < n_; ++n) {
                if (wage_union_[static_cast<std::size_t>(n)] != u) continue;
                all += index_weight_(n) * wage_(n);
                if (bound_[static_cast<std::size_t>(n)]) at_floor += index_weight_(n) * wage_(n);
            }
            if (all == 0.0) {  // no member in force (another union's index): nothing to solve
                index_residual_(u) = index_bound_share_(u) = 0.0;
                continue;
            }
            index_residual_(u) = std::log(all) - x(n_ + u);
            index_bound_share_(u) = at_floor / all;  // d log(sum a w) / d log W-hat_u
        }
    }

    // A region at its wage floor is balanced by its own income alone, and the expenditure
    // system's rounding is relative to the world: its balance converges to tolerance x
    // max(VA_n, 1e-3 world VA) (US$10 at celac38's scale), not below. Every other region's
    // converges to tolerance x VA_n, as without floors.
    double balance_scale(Index n) const {
        return fixed_set_ && bound_[static_cast<std::size_t>(n)] ? balance_scale_(n) : b_.value_added(n);
    }
    double residual() const {
        if (!floored_) return (excess_.array().abs() / b_.value_added.array()).maxCoeff();
        double trade = 0.0;
        for (Index n = 0; n < n_; ++n) trade = std::max(trade, std::abs(excess_(n)) / balance_scale(n));
        return index_residual_.size() > 0 ? std::max(trade, index_residual_.cwiseAbs().maxCoeff()) : trade;
    }
    Index worst_region() const {
        Index w = 0;
        if (!floored_) {
            (excess_.array().abs() / b_.value_added.array()).maxCoeff(&w);
            return w;
        }
        for (Index n = 1; n < n_; ++n)
            if (std::abs(excess_(n)) / balance_scale(n) > std::abs(excess_(w)) / balance_scale(w)) w = n;
        return w;
    }

    equilibrium_result assemble(const VectorXd& x, int iterations, double res) const {
        equilibrium_result r;
        r.wage_change = floored_ ? wage_ : VectorXd(x.array().exp());
        r.input_cost_change = log_cost_.array().exp();
        r.sector_price_change = log_price_.array().exp();
        r.price_index_change.resize(n_);
        for (Index n = 0; n < n_; ++n)  // Caliendo & Parro (2015), eq. 5 in changes
            r.price_index_change(n) = std::exp(b_.final_demand_share.col(n).dot(log_price_.col(n)));
        r.trade_shares = shares_;
        r.expenditure = expenditure_;
        r.gross_output = output_;
        r.value_added = floored_ ? VectorXd(income_.cwiseProduct(scaled_va_)) : r.wage_change.cwiseProduct(scaled_va_);
        r.employment = employment_;
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
        if (shifted_demand_) {
            // Final demand by sector, alpha^j_n I'_n + shift^j_n, must stay >= 0: a shift
            // larger than what the region spends on a sector is no economy either.
            const MatrixXd final_demand =
                b_.final_demand_share * r.final_absorption.asDiagonal() + shift_;
            Index sector = 0;
            if (final_demand.minCoeff(&sector, &worst) < 0.0)
                throw numerical_error("trade equilibrium: final demand of " +
                                      region_sector_label(b_, worst, sector) + " is " +
                                      std::to_string(final_demand(sector, worst)) +
                                      " (negative): the final-demand shift exceeds its final demand");
        }
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
    static constexpr int slope_group_ = 4;  ///< importers whose slopes are summed side by side
    const trade_equilibrium_base& b_;
    solver_options opt_;
    Index n_, j_;
    int threads_;  ///< threads available to this solve, asked once
    VectorXd labour_, deficit_, scaled_va_;
    double numeraire_ = 0.0;
    bool shared_revenue_ = false;
    bool shifted_demand_ = false;
    // Wage floors (counterfactual_shock::wage_floor); only with floored_.
    bool floored_ = false;
    VectorXd floor_, index_weight_;
    std::vector<int> wage_union_;
    int n_unions_ = 0;
    VectorXd income_, log_wage_;   ///< e^x (the wage bill per labour force member) and log w-hat, N
    VectorXd employment_;          ///< e_n, N (ones without floors)
    VectorXd union_index_scratch_; ///< W-hat of each region's union, N
    std::vector<char> bound_;      ///< the active set: regions held at their floor (run_floored)
    std::vector<char> split_bound_;  ///< floored_split's working copy of the set, N
    VectorXd index_residual_, index_bound_share_;  ///< r_u and the bound members' share of the index, per union
    VectorXd balance_scale_;       ///< max(VA_n, 1e-3 world VA): what residual() divides by with floors
    bool fixed_set_ = false;       ///< split by bound_ rather than by the natural max
    MatrixXd shift_;  ///< counterfactual_shock::final_demand_shift, J x N
    Eigen::SparseMatrix<double, Eigen::RowMajor> sharing_;  ///< S(n, m), only if shared_revenue_
    std::vector<MatrixXd> kernel_, inv_gross_tariff_;
    std::vector<char> tradable_;
    MatrixXd own_log_price_;  ///< log(K^j_nn) / theta^j for non-traded sectors, J x N
    // Iteration state (warm starts between outer iterations).
    MatrixXd log_price_, log_cost_;
    std::vector<MatrixXd> shares_, world_shares_;
    MatrixXd non_tariff_share_, expenditure_, output_;
    VectorXd excess_, excess_slope_;
    int price_iterations_ = 0, expenditure_iterations_ = 0;
    // Workspaces, reused by every outer iteration.
    VectorXd wage_, newton_, step_;                              ///< outer iteration, N
    numerics::anderson_accelerator price_accelerator_{5, 1.0};  ///< E1-E2, reset for each solve_prices
    MatrixXd next_log_price_;                                    ///< J x N
    VectorXd price_change_;                                      ///< J N
    MatrixXd price_exp_, price_sum_;                             ///< N x J, a column per sector
    VectorXd rhs_;                                               ///< J N
    MatrixXd h_output_, h_expenditure_;                          ///< J x N, inside the GMRES operator
    numerics::gmres_workspace gmres_workspace_;
    VectorXd collected_, received_;             ///< N, revenue sharing only
    MatrixXd own_share_term_;                   ///< theta^j pi'^j_nn + 1, N x J, for excess_slopes
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
            base.final_demand_share.col(n) *
            (r.wage_change(n) * (r.employment.size() == 0 ? 1.0 : r.employment(n)) * labour(n) * base.value_added(n) +
             r.deficit(n));
    if (shock.final_demand_shift.size() != 0) rhs += Eigen::Map<const VectorXd>(shock.final_demand_shift.data(), size);
    const VectorXd x = a.partialPivLu().solve(rhs);
    return Eigen::Map<const MatrixXd>(x.data(), j_count, n_count);
}

}  // namespace integra::models
