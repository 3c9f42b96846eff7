// Unit tests for models/leontief_solve: the iterative x = L y against the dense LU solve on
// random sparse tables, both iterations, bitwise determinism across thread counts, the
// behaviour near and at a spectral radius of 1, the choice rule and argument checks.
#include <catch2/catch.hpp>

#include <oneapi/tbb/global_control.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/errors.hpp"
#include "models/leontief_solve.hpp"
#include "tests/unit/models/portable_random.hpp"

using Catch::Matchers::Contains;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
namespace m = integra::models;

namespace {

using lcg = integra::testing::portable_uniform;

// A dense n x n A with about `density` of its entries non-zero (the diagonal always), each
// column scaled to sum to column_sum * u, u uniform in [0.3, 1) (or exactly column_sum when
// `exact_sums`): so every column sum is below column_sum and the spectral radius too.
MatrixXd random_coefficients(Index n, double density, double column_sum, std::uint64_t seed,
                             bool exact_sums = false) {
    lcg u{seed};
    MatrixXd a = MatrixXd::Zero(n, n);
    for (Index j = 0; j < n; ++j) {
        for (Index i = 0; i < n; ++i)
            if (i == j || u() < density) a(i, j) = u();
        const double target = exact_sums ? column_sum : column_sum * (0.3 + 0.7 * u());
        a.col(j) *= target / a.col(j).sum();
    }
    return a;
}

MatrixXd random_demand(Index n, Index k, std::uint64_t seed) {
    lcg u{seed};
    return MatrixXd::NullaryExpr(n, k, [&](Index, Index) { return 100.0 * u(); });
}

MatrixXd dense_solve(const MatrixXd& a, const MatrixXd& y) {
    return (MatrixXd::Identity(a.rows(), a.cols()) - a).partialPivLu().solve(y);
}

double max_column_relative_error(const MatrixXd& x, const MatrixXd& ref) {
    double worst = 0.0;
    for (Index j = 0; j < x.cols(); ++j) worst = std::max(worst, (x.col(j) - ref.col(j)).norm() / ref.col(j).norm());
    return worst;
}

bool bitwise_equal(const MatrixXd& a, const MatrixXd& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

}  // namespace

TEST_CASE("iterative x = L y equals the dense solve on random sparse tables", "[models][leontief_solve]") {
    const Index n = GENERATE(50, 200, 500);
    const auto method = GENERATE(m::leontief_iteration::bicgstab, m::leontief_iteration::power_series);
    CAPTURE(n, static_cast<int>(method));
    const MatrixXd a = random_coefficients(n, 0.07, 0.8, 1000 + static_cast<std::uint64_t>(n));
    const MatrixXd y = random_demand(n, 3, 7);
    const m::sparse_coefficients as = m::sparse_technical_coefficients(a);
    CHECK(as.nonZeros() == (a.array() != 0.0).count());
    m::leontief_solve_options options;
    options.method = method;
    m::leontief_solve_report report;
    const MatrixXd x = m::leontief_solve(as, y, options, &report);
    CHECK(max_column_relative_error(x, dense_solve(a, y)) < 1e-10);
    REQUIRE(report.relative_residual.size() == 3);
    for (double r : report.relative_residual) CHECK(r <= options.relative_tolerance);
    for (int it : report.iterations) CHECK(it > 0);

    // The transposed system: x = L' y.
    const MatrixXd xt = m::leontief_solve_transposed(as, y, options);
    CHECK(max_column_relative_error(xt, dense_solve(MatrixXd(a.transpose()), y)) < 1e-10);
}

TEST_CASE("the iterative solve is bitwise identical for 1 and 2 threads", "[models][leontief_solve][Parallel]") {
    const Index n = 400;
    const MatrixXd a = random_coefficients(n, 0.05, 0.8, 42);
    const MatrixXd y = random_demand(n, 12, 9);
    const m::sparse_coefficients as = m::sparse_technical_coefficients(a);
    const auto method = GENERATE(m::leontief_iteration::bicgstab, m::leontief_iteration::power_series);
    m::leontief_solve_options options;
    options.method = method;
    MatrixXd one, two, auto_one, auto_two;
    {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
        one = m::leontief_solve(as, y, options);
        auto_one = m::leontief_output_auto(as, MatrixXd(y.leftCols(1)), options);
    }
    {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
        two = m::leontief_solve(as, y, options);
        auto_two = m::leontief_output_auto(as, MatrixXd(y.leftCols(1)), options);
    }
    CHECK(bitwise_equal(one, two));
    CHECK(bitwise_equal(auto_one, auto_two));
}

TEST_CASE("a spectral radius near 1 still converges; at 1 the solve throws naming the residual",
          "[models][leontief_solve]") {
    const Index n = 300;
    const MatrixXd y = random_demand(n, 2, 11);

    SECTION("radius 0.999: BiCGSTAB converges to the dense solution") {
        // Every column sums to 0.999, so 1'A = 0.999 1' and the spectral radius is 0.999
        // (Perron-Frobenius); cond(I - A) is of order 10^3.
        const MatrixXd a = random_coefficients(n, 0.05, 0.999, 5, true);
        m::leontief_solve_report report;
        const MatrixXd x = m::leontief_solve(m::sparse_technical_coefficients(a), y, {}, &report);
        CHECK(max_column_relative_error(x, dense_solve(a, y)) < 1e-8);
        for (double r : report.relative_residual) CHECK(r <= 1e-12);
    }
    SECTION("radius 0.999: the power series needs ~0.999^k < 1e-12, far beyond 1000 steps, and says so") {
        const MatrixXd a = random_coefficients(n, 0.05, 0.999, 5, true);
        m::leontief_solve_options options;
        options.method = m::leontief_iteration::power_series;
        CHECK_THROWS_AS(m::leontief_solve(m::sparse_technical_coefficients(a), y, options), integra::numerical_error);
        CHECK_THROWS_WITH(m::leontief_solve(m::sparse_technical_coefficients(a), y, options),
                          Contains("leontief_solve: column 0 of the right-hand side did not converge: relative "
                                   "residual") &&
                              Contains("after 1000 iterations (tolerance 1e-12, method power_series"));
    }
    SECTION("radius 1: I - A is singular and a positive y is outside its range") {
        const MatrixXd a = random_coefficients(n, 0.05, 1.0, 5, true);
        CHECK_THROWS_AS(m::leontief_solve(m::sparse_technical_coefficients(a), y), integra::numerical_error);
        CHECK_THROWS_WITH(m::leontief_solve(m::sparse_technical_coefficients(a), y),
                          Contains("did not converge: relative residual") && Contains("method bicgstab") &&
                              Contains("spectral radius of A below 1"));
        // The dense path (n <= dense_max_n) names the condition estimate instead.
        const MatrixXd small = random_coefficients(50, 0.1, 1.0, 6, true);
        CHECK_THROWS_WITH(m::leontief_output_auto(m::sparse_technical_coefficients(small), MatrixXd(y.topRows(50))),
                          Contains("leontief_output_auto: I - A (50 x 50) is singular or nearly singular: reciprocal "
                                   "condition estimate"));
    }
}

TEST_CASE("zero demand gives zero output, and sparse A can come from triplets", "[models][leontief_solve]") {
    const MatrixXd a = random_coefficients(40, 0.2, 0.7, 3);
    std::vector<Eigen::Triplet<double, Index>> triplets;
    for (Index j = 0; j < 40; ++j)
        for (Index i = 0; i < 40; ++i)
            if (a(i, j) != 0.0) triplets.emplace_back(i, j, a(i, j));
    const m::sparse_coefficients from_triplets = m::sparse_technical_coefficients(40, triplets);
    CHECK(MatrixXd(from_triplets) == a);
    MatrixXd y = random_demand(40, 2, 1);
    y.col(1).setZero();
    const MatrixXd x = m::leontief_solve(from_triplets, y);
    CHECK(x.col(1).isZero(0.0));
    CHECK(max_column_relative_error(x.leftCols(1), dense_solve(a, y.leftCols(1))) < 1e-10);

    triplets.emplace_back(3, 40, 0.1);
    CHECK_THROWS_WITH(m::sparse_technical_coefficients(40, triplets),
                      Contains("triplet " + std::to_string(triplets.size() - 1) + " at (3, 40) is outside the 40 x 40 matrix"));
}

TEST_CASE("leontief_solve rejects mis-sized arguments", "[models][leontief_solve]") {
    const m::sparse_coefficients a = m::sparse_technical_coefficients(random_coefficients(10, 0.3, 0.5, 2));
    CHECK_THROWS_AS(m::leontief_solve(a, MatrixXd::Ones(9, 1)), integra::inconsistent_input);
    CHECK_THROWS_WITH(m::leontief_solve(a, MatrixXd::Ones(9, 1)),
                      Contains("right-hand side has 9 rows; expected 10"));
    CHECK_THROWS_WITH(m::sparse_technical_coefficients(MatrixXd::Zero(3, 4)), Contains("are 3 x 4; expected a square"));
}

TEST_CASE("the choice rule: dense for L, for small n and for very many columns", "[models][leontief_solve]") {
    using m::leontief_method;
    CHECK(m::choose_leontief_method(9800, 9800 * 500, 1, true) == leontief_method::dense);
    CHECK(m::choose_leontief_method(m::dense_max_n, 100, 1) == leontief_method::dense);
    CHECK(m::choose_leontief_method(1000, 70'000, 1) == leontief_method::iterative);
    CHECK(m::choose_leontief_method(9800, 9800 * 700, 50) == leontief_method::iterative);
    CHECK(m::choose_leontief_method(1000, 70'000, 5000) == leontief_method::dense);
    // The measured crossovers quoted in the header: about 70 columns at n = 1,000, 290 at 4,000.
    CHECK(m::choose_leontief_method(1000, 70'000, 60) == leontief_method::iterative);
    CHECK(m::choose_leontief_method(1000, 70'000, 80) == leontief_method::dense);
    CHECK(m::choose_leontief_method(4000, 1'124'561, 270) == leontief_method::iterative);
    CHECK(m::choose_leontief_method(4000, 1'124'561, 300) == leontief_method::dense);

    // Both paths of leontief_output_auto agree with the plain dense solve.
    for (const Index n : {Index{60}, Index{400}}) {
        const MatrixXd a = random_coefficients(n, 0.05, 0.8, 77);
        const MatrixXd y = random_demand(n, 2, 3);
        m::leontief_method used{};
        const MatrixXd x = m::leontief_output_auto(m::sparse_technical_coefficients(a), y, {}, &used);
        CHECK(used == (n <= m::dense_max_n ? leontief_method::dense : leontief_method::iterative));
        CHECK(max_column_relative_error(x, dense_solve(a, y)) < 1e-10);
    }
}
