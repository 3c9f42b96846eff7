// Anderson acceleration, type II (Walker & Ni 2011); see the header.
#include "models/numerics/anderson.hpp"

namespace integra::models::numerics {

using Eigen::Index;

anderson_accelerator::anderson_accelerator(int memory, double beta) : memory_(memory < 0 ? 0 : memory), beta_(beta) {}

void anderson_accelerator::reset() {
    has_previous_ = false;
    stored_ = 0;
}

void anderson_accelerator::resize(Index size) {
    reset();
    x_previous_.resize(size);
    f_previous_.resize(size);
    dx_.resize(size, memory_);
    df_.resize(size, memory_);
    gamma_.resize(memory_);
    dx_gamma_.resize(size);
    df_gamma_.resize(size);
}

void anderson_accelerator::next(const Eigen::Ref<const Eigen::VectorXd>& x, const Eigen::Ref<const Eigen::VectorXd>& f,
                                Eigen::Ref<Eigen::VectorXd> x_next) {
    if (x.size() != x_previous_.size() || dx_.cols() != memory_) resize(x.size());
    if (has_previous_ && memory_ > 0) {
        // Drop the oldest difference when the history is full; columns stay oldest first,
        // so the products below sum over them in the same order as ever.
        if (stored_ == memory_) {
            for (Index c = 0; c + 1 < stored_; ++c) {
                dx_.col(c) = dx_.col(c + 1);
                df_.col(c) = df_.col(c + 1);
            }
            --stored_;
        }
        dx_.col(stored_) = x - x_previous_;
        df_.col(stored_) = f - f_previous_;
        ++stored_;
    }
    x_previous_ = x;
    f_previous_ = f;
    has_previous_ = true;
    const Index m = stored_;
    if (m == 0) {
        x_next = x + beta_ * f;
        return;
    }
    qr_.compute(df_.leftCols(m));
    // Kept from the original formulation; note that Eigen's ColPivHouseholderQR::solve
    // uses the pivots counted during the decomposition (an epsilon-based threshold), so
    // this value changes rank() and friends, not the solution.
    qr_.setThreshold(1e-12);
    auto gamma = gamma_.head(m);
    gamma = qr_.solve(f);
    if (!gamma.allFinite()) {
        reset();
        x_next = x + beta_ * f;
        return;
    }
    dx_gamma_.noalias() = dx_.leftCols(m) * gamma;
    df_gamma_.noalias() = df_.leftCols(m) * gamma;
    x_next = x - dx_gamma_ + beta_ * (f - df_gamma_);
}

Eigen::VectorXd anderson_accelerator::next(const Eigen::Ref<const Eigen::VectorXd>& x,
                                           const Eigen::Ref<const Eigen::VectorXd>& f) {
    Eigen::VectorXd out(x.size());
    next(x, f, out);
    return out;
}

}  // namespace integra::models::numerics
