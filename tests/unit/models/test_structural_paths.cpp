// Unit tests for models/structural_paths: a hand example, the identity with the truncated
// power series at threshold 0, exactness of the pruning against brute-force enumeration,
// thread-count independence and coverage rising with depth.
#include <catch2/catch.hpp>

#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/errors.hpp"
#include "models/structural_paths.hpp"
#include "tests/unit/models/portable_random.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
namespace m = integra::models;

namespace {

using lcg = integra::testing::portable_uniform;

// Dense positive-ish A with column sums in [0.3, 0.7) * 1, about `density` non-zero.
MatrixXd random_coefficients(Index n, double density, std::uint64_t seed) {
    lcg u{seed};
    MatrixXd a = MatrixXd::Zero(n, n);
    for (Index j = 0; j < n; ++j) {
        for (Index i = 0; i < n; ++i)
            if (i == j || u() < density) a(i, j) = u();
        a.col(j) *= (0.3 + 0.4 * u()) / a.col(j).sum();
    }
    return a;
}

VectorXd random_vector(Index n, double scale, std::uint64_t seed) {
    lcg u{seed};
    return VectorXd::NullaryExpr(n, [&](Index) { return scale * (0.1 + u()); });
}

// Every path of length <= depth, unpruned; values in the same multiplication order as
// structural_paths (y, then each A factor, then s), so they compare exactly.
void enumerate(const MatrixXd& a, const VectorXd& s, std::vector<Index>& nodes, double weight, int depth,
               int max_depth, std::vector<m::structural_path>& out) {
    const Index j = nodes.back();
    out.push_back(m::structural_path{nodes, weight * s[j], 0.0});
    if (depth == max_depth) return;
    for (Index i = 0; i < a.rows(); ++i) {
        if (a(i, j) == 0.0) continue;
        nodes.push_back(i);
        enumerate(a, s, nodes, weight * a(i, j), depth + 1, max_depth, out);
        nodes.pop_back();
    }
}

std::vector<m::structural_path> brute_force(const MatrixXd& a, const VectorXd& s, const VectorXd& y, int max_depth) {
    std::vector<m::structural_path> out;
    for (Index k = 0; k < a.rows(); ++k) {
        if (y[k] == 0.0) continue;
        std::vector<Index> nodes{k};
        enumerate(a, s, nodes, y[k], 0, max_depth, out);
    }
    return out;
}

bool same_paths(const m::structural_path_result& x, const m::structural_path_result& y) {
    if (x.paths.size() != y.paths.size() || x.total != y.total || x.covered_share != y.covered_share) return false;
    for (std::size_t p = 0; p < x.paths.size(); ++p)
        if (x.paths[p].nodes != y.paths[p].nodes || x.paths[p].value != y.paths[p].value ||
            x.paths[p].share != y.paths[p].share)
            return false;
    return true;
}

}  // namespace

TEST_CASE("a three-sector hand example", "[models][structural_paths]") {
    // Sector 0 buys 0.5 per unit output from sector 1 and 0.125 from sector 2; sector 1 buys
    // 0.25 from sector 2; sector 2 buys nothing. A is nilpotent (A^3 = 0), so L = I + A + A^2
    // and there are exactly four paths. Final demand y = (64, 0, 0), emissions per unit
    // output s = (1, 2, 4):
    //   [0]        y0 s0                 = 64 * 1               = 64   (share 1/3)
    //   [0, 1]     y0 A(1,0) s1          = 64 * 0.5 * 2         = 64   (share 1/3)
    //   [0, 1, 2]  y0 A(1,0) A(2,1) s2   = 64 * 0.5 * 0.25 * 4  = 32   (share 1/6)
    //   [0, 2]     y0 A(2,0) s2          = 64 * 0.125 * 4       = 32   (share 1/6)
    // Total s'L y: x = L y = (64, 32, 16), s'x = 64 + 64 + 64 = 192. Ties are ordered by the
    // index sequence: [0] before [0, 1], [0, 1, 2] before [0, 2].
    MatrixXd a = MatrixXd::Zero(3, 3);
    a(1, 0) = 0.5;
    a(2, 0) = 0.125;
    a(2, 1) = 0.25;
    const VectorXd s = (VectorXd(3) << 1, 2, 4).finished();
    const VectorXd y = (VectorXd(3) << 64, 0, 0).finished();
    const auto as = m::sparse_technical_coefficients(a);

    m::structural_path_options options;
    options.threshold = 0.0;
    const m::structural_path_result r = m::structural_paths(as, s, y, options);
    CHECK_THAT(r.total, WithinRel(192.0, 1e-12));
    REQUIRE(r.paths.size() == 4);
    const std::vector<std::vector<Index>> nodes{{0}, {0, 1}, {0, 1, 2}, {0, 2}};
    const std::vector<double> values{64, 64, 32, 32};
    for (std::size_t p = 0; p < 4; ++p) {
        CHECK(r.paths[p].nodes == nodes[p]);
        CHECK(r.paths[p].value == values[p]);
        CHECK_THAT(r.paths[p].share, WithinRel(values[p] / 192.0, 1e-12));
    }
    CHECK_THAT(r.covered_share, WithinRel(1.0, 1e-12));

    // A share threshold of 20% keeps the two paths of 1/3.
    options.threshold = 0.2;
    const m::structural_path_result top = m::structural_paths(as, s, y, options);
    REQUIRE(top.paths.size() == 2);
    CHECK_THAT(top.covered_share, WithinRel(2.0 / 3.0, 1e-12));

    // Region-major indices split into (region, sector).
    CHECK(m::split_index(7, 3).region == 2);
    CHECK(m::split_index(7, 3).sector == 1);
}

TEST_CASE("with threshold 0, the paths up to depth d add up to s'(I + A + ... + A^d) y",
          "[models][structural_paths]") {
    const Index n = 6;
    const MatrixXd a = random_coefficients(n, 1.0, 21);
    const VectorXd s = random_vector(n, 3.0, 22);
    const VectorXd y = random_vector(n, 100.0, 23);
    const auto as = m::sparse_technical_coefficients(a);
    const int depth = GENERATE(0, 1, 2, 3, 4);
    CAPTURE(depth);

    VectorXd term = y, series = y;
    for (int t = 1; t <= depth; ++t) {
        term = a * term;
        series += term;
    }
    const double truncated = s.dot(series);

    m::structural_path_options options;
    options.threshold = 0.0;
    options.threshold_kind = m::path_threshold::absolute;
    options.max_depth = depth;
    const m::structural_path_result r = m::structural_paths(as, s, y, options);
    std::size_t expected_count = 0, power = 1;
    for (int t = 0; t <= depth; ++t) expected_count += (power *= static_cast<std::size_t>(n));
    CHECK(r.paths.size() == expected_count);
    double sum = 0.0;
    for (const auto& p : r.paths) sum += p.value;
    CHECK_THAT(sum, WithinRel(truncated, 1e-12));
    CHECK_THAT(r.covered_share * r.total, WithinRel(truncated, 1e-12));
}

TEST_CASE("with a positive threshold the listed paths are exactly those above it (brute force)",
          "[models][structural_paths]") {
    const Index n = 6;
    const MatrixXd a = random_coefficients(n, 0.6, 31);
    VectorXd s = random_vector(n, 3.0, 32);
    const bool negative_stressor = GENERATE(false, true);
    if (negative_stressor) s[2] = -s[2];  // e.g. a sink: the bound uses |s|
    const VectorXd y = random_vector(n, 100.0, 33);
    const auto as = m::sparse_technical_coefficients(a);
    const int depth = 5;
    const double share = GENERATE(1e-4, 1e-3, 1e-2, 0.05);
    CAPTURE(negative_stressor, share);

    m::structural_path_options options;
    options.threshold = share;
    options.max_depth = depth;
    const m::structural_path_result r = m::structural_paths(as, s, y, options);
    const double threshold = share * std::abs(r.total);

    std::vector<m::structural_path> all = brute_force(a, s, y, depth);
    std::vector<m::structural_path> expected;
    for (auto& p : all)
        if (std::abs(p.value) > threshold) expected.push_back(p);
    std::sort(expected.begin(), expected.end(), [](const auto& x, const auto& z) {
        if (std::abs(x.value) != std::abs(z.value)) return std::abs(x.value) > std::abs(z.value);
        return x.nodes < z.nodes;
    });
    REQUIRE(r.paths.size() == expected.size());
    CHECK(!expected.empty());
    for (std::size_t p = 0; p < expected.size(); ++p) {
        CHECK(r.paths[p].nodes == expected[p].nodes);
        CHECK(r.paths[p].value == expected[p].value);
    }
    // The total is s'L y: the sum over all (infinitely many) paths.
    const VectorXd x = (MatrixXd::Identity(n, n) - a).partialPivLu().solve(y);
    CHECK_THAT(r.total, WithinRel(s.dot(x), 1e-12));
}

TEST_CASE("structural paths are identical for 1 and 2 threads; coverage rises with depth",
          "[models][structural_paths][Parallel]") {
    const Index n = 60;
    const MatrixXd a = random_coefficients(n, 0.15, 41);
    const VectorXd s = random_vector(n, 1.0, 42);
    const VectorXd y = random_vector(n, 100.0, 43);
    const auto as = m::sparse_technical_coefficients(a);
    m::structural_path_options options;
    options.threshold = 1e-5;
    options.max_depth = 6;
    m::structural_path_result one, two;
    {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
        one = m::structural_paths(as, s, y, options);
    }
    {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
        two = m::structural_paths(as, s, y, options);
    }
    CHECK(one.paths.size() > 1000);
    CHECK(same_paths(one, two));

    double previous = 0.0;
    for (int depth = 0; depth <= 6; ++depth) {
        options.max_depth = depth;
        const double covered = m::structural_paths(as, s, y, options).covered_share;
        CAPTURE(depth, covered);
        // Deeper paths only add: the threshold cut does not depend on the depth limit. Once no
        // path of the new length passes the threshold the share stays put (here from depth 6).
        if (depth <= 4) CHECK(covered > previous);
        else CHECK(covered >= previous);
        CHECK(covered <= 1.0 + 1e-12);
        previous = covered;
    }
}

TEST_CASE("structural path arguments are checked", "[models][structural_paths]") {
    MatrixXd a = random_coefficients(5, 1.0, 51);
    const VectorXd s = random_vector(5, 1.0, 52);
    const VectorXd y = random_vector(5, 1.0, 53);
    m::structural_path_options options;
    CHECK_THROWS_WITH(m::structural_paths(m::sparse_technical_coefficients(a), s, VectorXd::Ones(4), options),
                      Contains("final_demand: has 4 entries; expected 5"));
    options.max_depth = -1;
    CHECK_THROWS_WITH(m::structural_paths(m::sparse_technical_coefficients(a), s, y, options),
                      Contains("structural_path_options.max_depth: is -1; expected >= 0"));
    options.max_depth = 3;
    a(1, 2) = -0.01;
    CHECK_THROWS_AS(m::structural_paths(m::sparse_technical_coefficients(a), s, y, options), integra::inconsistent_input);
    CHECK_THROWS_WITH(m::structural_paths(m::sparse_technical_coefficients(a), s, y, options),
                      Contains("technical_coefficients(1, 2): is -0.01; expected >= 0"));
    a(1, 2) = 0.01;
    options.threshold = 0.0;
    options.max_paths = 100;  // 5 + 25 + 125 + 625 paths at depth 3
    CHECK_THROWS_AS(m::structural_paths(m::sparse_technical_coefficients(a), s, y, options), integra::numerical_error);
    CHECK_THROWS_WITH(m::structural_paths(m::sparse_technical_coefficients(a), s, y, options),
                      Contains("more than 100 paths exceed the threshold"));
}
