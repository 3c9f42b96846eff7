// Anderson acceleration of a fixed-point iteration x = g(x), type II ("AA-II"), in the
// unconstrained least-squares form on differences of iterates and residuals, with a
// mixing parameter beta: H. F. Walker and P. Ni, "Anderson acceleration for fixed-point
// iterations", SIAM J. Numer. Anal. 49(4), 1715-1735 (2011). Used by the trade
// equilibrium (docs/model.md, section 5.1) for its outer wage iteration and its inner
// price fixed point.
#pragma once

#include <Eigen/Dense>

namespace integra::models::numerics {

/// Anderson acceleration with memory m and mixing beta. At iterate x_k with residual
/// f_k = g(x_k) - x_k, and the last m_k = min(m, k) differences dx_i = x_{i+1} - x_i,
/// df_i = f_{i+1} - f_i as the columns of dX, dF (oldest first):
///   gamma  = argmin_gamma ||f_k - dF gamma||_2   (column-pivoting Householder QR)
///   x_{k+1} = x_k - dX gamma + beta (f_k - dF gamma).
/// With m = 0, or before the first difference exists, x_{k+1} = x_k + beta f_k. If the
/// least-squares solution is not finite the history is dropped and the step is
/// x_k + beta f_k.
///
/// The history and the QR are kept in workspaces sized at the first call (and again
/// whenever the length of x changes), so a step allocates only two small temporaries
/// inside Eigen's QR solve (and, while the history grows, the QR's own storage). The
/// arithmetic, and so every bit of the result, is that of the formula above evaluated
/// by Eigen on freshly built matrices dX and dF.
class anderson_accelerator {
public:
    /// memory >= 0: differences kept; beta > 0: mixing (relaxation) parameter.
    anderson_accelerator(int memory, double beta);

    /// Forgets the history: the next step is x + beta f. Keeps the workspaces.
    void reset();

    /// Writes x_{k+1} to `x_next`, given x = x_k and f = f_k (same length as on the
    /// previous calls since reset(), or the history is dropped). `x_next` may be the same
    /// vector as `x` or `f`.
    void next(const Eigen::Ref<const Eigen::VectorXd>& x, const Eigen::Ref<const Eigen::VectorXd>& f,
              Eigen::Ref<Eigen::VectorXd> x_next);

    /// x_{k+1} as a new vector.
    [[nodiscard]] Eigen::VectorXd next(const Eigen::Ref<const Eigen::VectorXd>& x,
                                       const Eigen::Ref<const Eigen::VectorXd>& f);

    /// Number of differences currently in the history (0..memory).
    [[nodiscard]] int history() const { return static_cast<int>(stored_); }
    [[nodiscard]] int memory() const { return memory_; }
    [[nodiscard]] double beta() const { return beta_; }

private:
    void resize(Eigen::Index size);

    int memory_;
    double beta_;
    bool has_previous_ = false;
    Eigen::Index stored_ = 0;
    Eigen::VectorXd x_previous_, f_previous_;
    Eigen::MatrixXd dx_, df_;  ///< size x memory; the first stored_ columns hold the history, oldest first
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr_;
    Eigen::VectorXd gamma_, dx_gamma_, df_gamma_;
};

}  // namespace integra::models::numerics
