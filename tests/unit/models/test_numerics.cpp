// Tests of models/numerics: restarted GMRES (gmres.hpp), Anderson acceleration
// (anderson.hpp) and the owner-computes parallel loop (parallel.hpp), against known
// results: LU solves of small nonsymmetric systems, the fixed point of a linear
// contraction, plain relaxed iteration, and edge cases (zero right-hand side, zero
// residual, a warm start at the solution, in-place updates, iteration limits).
#include <catch2/catch.hpp>

#include <tbb/task_arena.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "models/numerics/anderson.hpp"
#include "models/numerics/gmres.hpp"
#include "models/numerics/parallel.hpp"

using namespace integra::models::numerics;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

// A nonsymmetric, well-conditioned test matrix: the identity plus a random part of norm < 1.
MatrixXd nonsymmetric_matrix(Index n, unsigned seed, double scale = 0.6) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    MatrixXd a = MatrixXd::NullaryExpr(n, n, [&](Index, Index) { return u(rng); });
    a *= scale / a.norm();
    a += MatrixXd::Identity(n, n);
    return a;
}

VectorXd random_vector(Index n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    return VectorXd::NullaryExpr(n, [&](Index) { return u(rng); });
}

// The operator of A x = b as gmres() wants it, counting its applications.
struct matrix_operator {
    const MatrixXd& a;
    int* calls;
    void operator()(const Eigen::Ref<const VectorXd>& in, VectorXd& out) const {
        ++*calls;
        out = a * in;
    }
};

bool bitwise_equal(const VectorXd& x, const VectorXd& y) {
    return x.size() == y.size() && (x.array() == y.array()).all();
}

}  // namespace

// =======================================================================================
// GMRES

TEST_CASE("GMRES solves a nonsymmetric system to the tolerance and matches an LU solve", "[models][numerics][gmres]") {
    const Index n = 12;
    const MatrixXd a = nonsymmetric_matrix(n, 3);
    REQUIRE((a - a.transpose()).norm() > 0.1);  // really nonsymmetric
    const VectorXd b = random_vector(n, 4);
    const VectorXd exact = a.partialPivLu().solve(b);
    const int restart = GENERATE(40, 5, 2);  // full GMRES, and restarted
    int calls = 0;
    VectorXd x = VectorXd::Zero(n);
    const gmres_options options{1e-12, 500, restart};
    const auto r = gmres(matrix_operator{a, &calls}, b, x, options);
    CHECK(r.converged(options));
    CHECK(r.relative_residual <= 1e-12);
    CHECK((b - a * x).norm() / b.norm() <= 1e-12);  // the reported residual is the true one
    CHECK((x - exact).norm() / exact.norm() < 1e-11);
    if (restart >= n) CHECK(r.steps <= n);  // full GMRES: at most n steps (exact arithmetic)
    CHECK(calls >= r.steps);
}

TEST_CASE("GMRES on the identity converges in one step", "[models][numerics][gmres]") {
    const MatrixXd a = MatrixXd::Identity(7, 7);
    const VectorXd b = random_vector(7, 1);
    int calls = 0;
    VectorXd x = VectorXd::Zero(7);
    const auto r = gmres(matrix_operator{a, &calls}, b, x, {1e-14, 100, 40});
    CHECK(r.steps == 1);
    CHECK((x - b).norm() <= 1e-14 * b.norm());
}

TEST_CASE("GMRES edge cases: zero right-hand side, warm start at the solution, step limit", "[models][numerics][gmres]") {
    const Index n = 9;
    const MatrixXd a = nonsymmetric_matrix(n, 5);
    int calls = 0;
    const matrix_operator op{a, &calls};

    SECTION("b = 0 from x = 0: nothing to do, x stays 0") {
        VectorXd x = VectorXd::Zero(n);
        const auto r = gmres(op, VectorXd::Zero(n), x, {1e-10, 100, 40});
        CHECK(r.steps == 0);
        CHECK(r.relative_residual == 0.0);
        CHECK(x.isZero(0.0));
        CHECK(calls == 1);  // the initial residual only
    }
    SECTION("a warm start at the solution returns at once, unchanged") {
        const VectorXd b = random_vector(n, 6);
        VectorXd x = a.partialPivLu().solve(b);
        const VectorXd start = x;
        const auto r = gmres(op, b, x, {1e-12, 100, 40});
        CHECK(r.steps == 0);
        CHECK(bitwise_equal(x, start));
    }
    SECTION("the step limit is respected and reported as not converged") {
        const VectorXd b = random_vector(n, 7);
        VectorXd x = VectorXd::Zero(n);
        const gmres_options options{1e-15, 3, 40};
        const auto r = gmres(op, b, x, options);
        CHECK(r.steps == 3);
        CHECK_FALSE(r.converged(options));
        CHECK(r.relative_residual > 1e-15);
        CHECK((b - a * x).norm() / b.norm() == Approx(r.relative_residual));
    }
}

TEST_CASE("GMRES gives the same bits with a reused workspace, also after a size change", "[models][numerics][gmres]") {
    const MatrixXd a = nonsymmetric_matrix(10, 8), small = nonsymmetric_matrix(4, 9);
    const VectorXd b = random_vector(10, 10), b_small = random_vector(4, 11);
    int calls = 0;
    gmres_workspace ws;
    const gmres_options options{1e-13, 100, 3};
    VectorXd first = VectorXd::Zero(10), again = VectorXd::Zero(10), fresh = VectorXd::Zero(10);
    VectorXd x_small = VectorXd::Zero(4);
    gmres(matrix_operator{a, &calls}, b, first, options, ws);
    gmres(matrix_operator{small, &calls}, b_small, x_small, options, ws);
    gmres(matrix_operator{a, &calls}, b, again, options, ws);
    gmres(matrix_operator{a, &calls}, b, fresh, options);
    CHECK(bitwise_equal(first, again));
    CHECK(bitwise_equal(first, fresh));
    CHECK((b_small - small * x_small).norm() <= 1e-13 * b_small.norm());
}

// =======================================================================================
// Anderson acceleration

namespace {

// g(x) = G x + c with G = Q T Q^T, T upper bidiagonal with eigenvalues in [0.5, 0.9] and
// a small superdiagonal (so G is nonsymmetric): a slow linear contraction whose fixed
// point solves (I - G) x = c.
struct linear_contraction {
    MatrixXd g;
    VectorXd c;
    explicit linear_contraction(Index n) : g(n, n), c(random_vector(n, 21)) {
        std::mt19937 rng(20);
        std::uniform_real_distribution<double> u(-1.0, 1.0);
        const MatrixXd q = MatrixXd::NullaryExpr(n, n, [&](Index, Index) { return u(rng); }).householderQr().householderQ();
        MatrixXd t = MatrixXd::Zero(n, n);
        for (Index i = 0; i < n; ++i) {
            t(i, i) = 0.5 + 0.4 * static_cast<double>(i) / static_cast<double>(n - 1);
            if (i + 1 < n) t(i, i + 1) = 0.1;
        }
        g = q * t * q.transpose();
    }
    [[nodiscard]] VectorXd operator()(const VectorXd& x) const { return g * x + c; }
    [[nodiscard]] VectorXd fixed_point() const {
        return (MatrixXd::Identity(g.rows(), g.cols()) - g).partialPivLu().solve(c);
    }
};

// Iterations until max |g(x) - x| <= tol, with x_{k+1} = step(x_k, g(x_k) - x_k).
template <class Step>
int iterate(const linear_contraction& g, VectorXd& x, double tol, int max_iterations, Step step) {
    for (int k = 0; k < max_iterations; ++k) {
        const VectorXd f = g(x) - x;
        if (f.cwiseAbs().maxCoeff() <= tol) return k;
        x = step(x, f);
    }
    return max_iterations;
}

}  // namespace

TEST_CASE("Anderson acceleration reaches a linear contraction's fixed point in fewer iterations",
          "[models][numerics][anderson]") {
    const Index n = 20;
    const linear_contraction g(n);
    REQUIRE((g.g - g.g.transpose()).norm() > 0.1);
    const VectorXd exact = g.fixed_point();
    const double tol = 1e-11;

    VectorXd plain = VectorXd::Zero(n);
    const int plain_iterations =
        iterate(g, plain, tol, 10000, [](const VectorXd& x, const VectorXd& f) { return VectorXd(x + f); });
    CHECK(plain_iterations > 100);
    CHECK((plain - exact).cwiseAbs().maxCoeff() < 1e-9);

    // Limited memory, as the solver uses it; and memory >= n, where Anderson acceleration
    // of a linear iteration is essentially GMRES (Walker & Ni 2011) and converges in about
    // n steps.
    const int memory = GENERATE(8, 20);
    anderson_accelerator aa(memory, 1.0);
    VectorXd accelerated = VectorXd::Zero(n);
    const int aa_iterations =
        iterate(g, accelerated, tol, 10000, [&](const VectorXd& x, const VectorXd& f) { return aa.next(x, f); });
    INFO("memory " << memory << ": plain " << plain_iterations << " iterations, Anderson " << aa_iterations);
    CHECK(aa_iterations < plain_iterations / 2);
    if (memory >= n) CHECK(aa_iterations <= n + 5);
    CHECK((accelerated - exact).cwiseAbs().maxCoeff() < 1e-9);
    CHECK(aa.history() == memory);
}

TEST_CASE("Anderson with memory 0 is the relaxed iteration x + beta f, bit for bit", "[models][numerics][anderson]") {
    const Index n = 6;
    const linear_contraction g(n);
    const double beta = 0.7;
    anderson_accelerator aa(0, beta);
    VectorXd x = VectorXd::Zero(n), y = VectorXd::Zero(n);
    for (int k = 0; k < 25; ++k) {
        x = aa.next(x, g(x) - x);
        const VectorXd f = g(y) - y;
        y = y + beta * f;
        REQUIRE(bitwise_equal(x, y));
    }
    CHECK(aa.history() == 0);
}

TEST_CASE("Anderson edge cases: zero residual, reset, in-place update", "[models][numerics][anderson]") {
    const Index n = 5;
    const linear_contraction g(n);

    SECTION("at the fixed point (f = 0) the iterate does not move") {
        anderson_accelerator aa(3, 1.0);
        const VectorXd x = random_vector(n, 30);
        for (int k = 0; k < 4; ++k) CHECK(bitwise_equal(aa.next(x, VectorXd::Zero(n)), x));
    }
    SECTION("after reset() it behaves as a new accelerator") {
        anderson_accelerator used(4, 0.9), fresh(4, 0.9);
        VectorXd x = VectorXd::Zero(n);
        for (int k = 0; k < 6; ++k) x = used.next(x, g(x) - x);
        used.reset();
        CHECK(used.history() == 0);
        VectorXd a = random_vector(n, 31), b = a;
        for (int k = 0; k < 6; ++k) {
            a = used.next(a, g(a) - a);
            b = fresh.next(b, g(b) - b);
            REQUIRE(bitwise_equal(a, b));
        }
    }
    SECTION("x_next may be x itself") {
        anderson_accelerator out_of_place(3, 1.0), in_place(3, 1.0);
        VectorXd a = VectorXd::Zero(n), b = a;
        for (int k = 0; k < 8; ++k) {
            a = out_of_place.next(a, g(a) - a);
            const VectorXd f = g(b) - b;
            in_place.next(b, f, b);
            REQUIRE(bitwise_equal(a, b));
        }
    }
    SECTION("a non-finite least-squares solution drops the history") {
        anderson_accelerator aa(3, 1.0);
        VectorXd x = VectorXd::Zero(n);
        for (int k = 0; k < 4; ++k) x = aa.next(x, g(x) - x);
        REQUIRE(aa.history() == 3);
        VectorXd f = g(x) - x;
        f(0) = std::numeric_limits<double>::quiet_NaN();
        (void)aa.next(x, f);
        CHECK(aa.history() == 0);
    }
}

// =======================================================================================
// Parallel loops

TEST_CASE("for_each_block covers each index exactly once, serially or in parallel", "[models][numerics][parallel]") {
    const Index count = 1000;
    const int threads = GENERATE(1, 2);
    const double work = GENERATE(1.0, min_parallel_work);  // small loop, or worth a parallel_for
    tbb::task_arena arena(threads);
    std::vector<int> hits(static_cast<std::size_t>(count), 0);
    std::atomic<int> calls{0};
    arena.execute([&] {
        CHECK(available_threads() <= threads);
        for_each_block(
            count,
            [&](Index begin, Index end) {
                ++calls;
                for (Index i = begin; i < end; ++i) ++hits[static_cast<std::size_t>(i)];
            },
            work);
    });
    for (int h : hits) REQUIRE(h == 1);
    if (threads == 1 || work == 1.0) CHECK(calls == 1);  // one serial call body(0, count)
}

TEST_CASE("for_each_block does nothing on an empty range", "[models][numerics][parallel]") {
    int calls = 0;
    for_each_block(0, [&](Index, Index) { ++calls; });
    CHECK(calls == 0);
}
