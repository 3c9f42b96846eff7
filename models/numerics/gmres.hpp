// Restarted GMRES for A x = b with A given only as a function (matrix-free): Y. Saad and
// M. H. Schultz, "GMRES: A generalized minimal residual algorithm for solving
// nonsymmetric linear systems", SIAM J. Sci. Stat. Comput. 7(3), 856-869 (1986); the
// Arnoldi basis by modified Gram-Schmidt and the least-squares problem by Givens
// rotations, restarted every m steps, as in Y. Saad, "Iterative Methods for Sparse Linear
// Systems", 2nd ed., SIAM (2003), Section 6.5. Used by the trade equilibrium for eq. 13
// (docs/model.md, section 5.1).
//
// A header template over the operator, so that the operator's call is inlined; all
// vectors and the Hessenberg matrix live in a gmres_workspace that a caller solving many
// systems keeps, so a solve allocates nothing. Dot products and norms are serial Eigen
// reductions, so the result is deterministic (independent of threads).
#pragma once

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>

namespace integra::models::numerics {

struct gmres_options {
    /// Stop when ||b - A x||_2 <= relative_tolerance * ||b||_2. (For b = 0 the norm is
    /// replaced by the smallest normal double, so only A x = 0 passes: start from x = 0,
    /// and gmres returns at once.)
    double relative_tolerance = 1e-10;
    int max_steps = 1000;  ///< operator applications in the Arnoldi process, over all cycles
    int restart = 40;      ///< Krylov dimension m of GMRES(m), >= 1
};

struct gmres_result {
    int steps = 0;  ///< Arnoldi steps taken, one operator application each (each cycle adds one for its residual)
    double relative_residual = 0.0;  ///< ||b - A x||_2 / ||b||_2 of the returned x, recomputed
    [[nodiscard]] bool converged(const gmres_options& o) const { return relative_residual <= o.relative_tolerance; }
};

/// Work arrays of gmres() for systems of one size and restart length; resized on demand.
struct gmres_workspace {
    void resize(Eigen::Index size, int restart) {
        if (v.rows() == size && v.cols() == restart + 1) return;
        w.resize(size);
        r.resize(size);
        update.resize(size);
        v.resize(size, restart + 1);
        h = Eigen::MatrixXd::Zero(restart + 1, restart);
        cs.resize(restart);
        sn.resize(restart);
        g.resize(restart + 1);
        y.resize(restart);
    }

    Eigen::VectorXd w, r, update;  ///< size
    Eigen::MatrixXd v;             ///< Arnoldi basis, size x (restart + 1)
    Eigen::MatrixXd h;             ///< Hessenberg matrix, rotated into R in place, (restart + 1) x restart
    Eigen::VectorXd cs, sn, g, y;  ///< Givens rotations, rotated right-hand side ||r|| e_1, least-squares solution
};

/// Solves A x = b by restarted GMRES, starting from the x given (a warm start), and
/// leaves the last iterate in x. `apply(in, out)` must set out = A in, for `in` a
/// `const Eigen::Ref<const Eigen::VectorXd>&` and `out` an `Eigen::VectorXd&` of the
/// system's size; it is called with x itself and with columns of the Arnoldi basis.
/// Never throws by itself: check gmres_result::converged (or relative_residual) and
/// x.allFinite() after the call.
template <class Apply>
gmres_result gmres(const Apply& apply, const Eigen::Ref<const Eigen::VectorXd>& b, Eigen::Ref<Eigen::VectorXd> x,
                   const gmres_options& options, gmres_workspace& ws) {
    using Eigen::Index;
    const double rel_tol = options.relative_tolerance;
    const int restart = std::max(options.restart, 1);
    const double b_norm = std::max(b.norm(), std::numeric_limits<double>::min());
    ws.resize(b.size(), restart);
    auto& w = ws.w;
    auto& v = ws.v;
    auto& h = ws.h;
    auto& cs = ws.cs;
    auto& sn = ws.sn;
    auto& g = ws.g;
    gmres_result result;
    while (true) {
        apply(x, w);
        ws.r = b - w;
        const double beta = ws.r.norm();
        result.relative_residual = beta / b_norm;
        if (result.relative_residual <= rel_tol || result.steps >= options.max_steps) return result;
        v.col(0) = ws.r / beta;
        g.setZero();
        g(0) = beta;
        int k = 0;
        for (; k < restart && result.steps < options.max_steps; ++k) {
            ++result.steps;
            apply(v.col(k), w);
            for (int i = 0; i <= k; ++i) {  // modified Gram-Schmidt
                h(i, k) = v.col(i).dot(w);
                w -= h(i, k) * v.col(i);
            }
            h(k + 1, k) = w.norm();
            if (h(k + 1, k) > 0) v.col(k + 1) = w / h(k + 1, k);
            for (int i = 0; i < k; ++i) {  // earlier rotations on the new column
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
            // |g(k+1)| is the residual norm of the current least-squares solution; a zero
            // pivot means the Krylov space is invariant (the solution is in it).
            if (std::abs(g(k + 1)) / b_norm <= rel_tol || h(k, k) == 0.0) {
                ++k;
                break;
            }
        }
        // y = R^-1 g over the first k columns; x += V y. Only the upper triangle of h is
        // read, and every entry of it was written in this cycle.
        auto y = ws.y.head(k);
        y = g.head(k);
        h.topLeftCorner(k, k).triangularView<Eigen::Upper>().solveInPlace(y);
        ws.update.noalias() = v.leftCols(k) * y;
        x += ws.update;
    }
}

/// The same with a workspace of its own (allocates).
template <class Apply>
gmres_result gmres(const Apply& apply, const Eigen::Ref<const Eigen::VectorXd>& b, Eigen::Ref<Eigen::VectorXd> x,
                   const gmres_options& options) {
    gmres_workspace ws;
    return gmres(apply, b, x, options, ws);
}

}  // namespace integra::models::numerics
