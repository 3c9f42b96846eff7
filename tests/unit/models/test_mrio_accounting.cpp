// Unit tests for models/mrio_accounting: the Miller & Blair (2009, ch. 2) textbook example,
// accounting identities on the three-region economy, error messages, and bitwise
// determinism across thread counts.
#include <catch2/catch.hpp>

#include <oneapi/tbb/global_control.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/errors.hpp"
#include "models/mrio_accounting.hpp"
#include "models/mrio_table.hpp"
#include "tests/unit/models/test_economies.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Eigen::MatrixXd;
using Eigen::VectorXd;
namespace m = integra::models;

namespace {

// Miller & Blair (2009), ch. 2, sec. 2.3: two sectors, Z, f and x in dollars.
struct textbook {
    MatrixXd z = (MatrixXd(2, 2) << 150, 500, 200, 100).finished();
    VectorXd f = (VectorXd(2) << 350, 1700).finished();
    VectorXd x = (VectorXd(2) << 1000, 2000).finished();
    VectorXd v = (VectorXd(2) << 650, 1400).finished();  // x - Z'1
};

bool bitwise_equal(const MatrixXd& a, const MatrixXd& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

// A balanced R x S economy with pseudo-random positive flows, large enough (n = 200) that
// every parallel loop has several blocks. A fixed LCG keeps it identical on all platforms.
m::mrio_table random_economy(Eigen::Index n_regions, Eigen::Index n_sectors) {
    std::uint64_t state = 12345;
    auto uniform = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) * 0x1.0p-53;
    };
    m::mrio_table t;
    for (Eigen::Index r = 0; r < n_regions; ++r) t.regions.push_back("R" + std::to_string(r));
    for (Eigen::Index s = 0; s < n_sectors; ++s) t.sectors.push_back("s" + std::to_string(s));
    t.unit = "million USD";
    const Eigen::Index n = n_regions * n_sectors;
    t.intermediate = MatrixXd::NullaryExpr(n, n, [&](Eigen::Index, Eigen::Index) { return uniform(); });
    t.final_demand = MatrixXd::NullaryExpr(n, n_regions, [&](Eigen::Index, Eigen::Index) { return 50 * uniform(); });
    t.gross_output = t.intermediate.rowwise().sum() + t.final_demand.rowwise().sum();
    t.value_added = t.gross_output - t.intermediate.colwise().sum().transpose();
    return t;
}

struct all_results {
    MatrixXd a, l, b, g, va_final;
    VectorXd x, m_out, m_va, x_ghosh, bl, fl;
    std::vector<MatrixXd> va_exports;
};

all_results compute_all(const m::mrio_table& t) {
    all_results r;
    r.a = m::technical_coefficients(t);
    r.l = m::leontief_inverse(r.a);
    r.b = m::allocation_coefficients(t);
    r.g = m::ghosh_inverse(r.b);
    r.x = m::leontief_output(r.l, t.final_demand.rowwise().sum());
    r.m_out = m::output_multipliers(r.l);
    r.m_va = m::value_added_multipliers(m::value_added_coefficients(t.value_added, t.gross_output), r.l);
    r.x_ghosh = m::ghosh_output(r.g, t.value_added);
    r.bl = m::backward_linkages(r.l);
    r.fl = m::forward_linkages(r.g);
    r.va_final = m::value_added_in_final_demand(t, r.l);
    r.va_exports = m::value_added_in_exports(t, r.l);
    return r;
}

}  // namespace

TEST_CASE("Leontief model reproduces the Miller & Blair textbook example", "[models][mrio_accounting]") {
    const textbook tb;
    const MatrixXd a = m::technical_coefficients(tb.z, tb.x);
    CHECK_THAT(a(0, 0), WithinAbs(0.15, 1e-15));
    CHECK_THAT(a(0, 1), WithinAbs(0.25, 1e-15));
    CHECK_THAT(a(1, 0), WithinAbs(0.20, 1e-15));
    CHECK_THAT(a(1, 1), WithinAbs(0.05, 1e-15));

    const MatrixXd l = m::leontief_inverse(a);
    CHECK_THAT(l(0, 0), WithinAbs(1.254125, 1e-6));
    CHECK_THAT(l(0, 1), WithinAbs(0.330033, 1e-6));
    CHECK_THAT(l(1, 0), WithinAbs(0.264026, 1e-6));
    CHECK_THAT(l(1, 1), WithinAbs(1.122112, 1e-6));

    // Identities: x - A x = f and L (I - A) = I.
    CHECK_THAT((tb.x - a * tb.x - tb.f).norm(), WithinAbs(0.0, 1e-12));
    CHECK_THAT((l * (MatrixXd::Identity(2, 2) - a) - MatrixXd::Identity(2, 2)).norm(), WithinAbs(0.0, 1e-14));
    CHECK_THAT((m::leontief_output(l, tb.f) - tb.x).norm(), WithinAbs(0.0, 1e-10));

    // Final-demand shock f' = (600, 1500) gives x' = (1247.525, 1841.584) (rounded in the book).
    const VectorXd shocked = m::leontief_output(l, (VectorXd(2) << 600, 1500).finished());
    CHECK_THAT(shocked(0), WithinAbs(1247.525, 5e-4));
    CHECK_THAT(shocked(1), WithinAbs(1841.584, 5e-4));

    // Output multipliers are the column sums of L.
    const VectorXd mult = m::output_multipliers(l);
    CHECK_THAT(mult(0), WithinAbs(1.254125 + 0.264026, 2e-6));
    CHECK_THAT(mult(1), WithinAbs(0.330033 + 1.122112, 2e-6));
}

TEST_CASE("value-added multipliers of a balanced table are one and add up to total value added",
          "[models][mrio_accounting]") {
    const textbook tb;
    const MatrixXd l = m::leontief_inverse(m::technical_coefficients(tb.z, tb.x));
    const VectorXd c = m::value_added_coefficients(tb.v, tb.x);
    CHECK_THAT(c(0), WithinAbs(0.65, 1e-15));
    CHECK_THAT(c(1), WithinAbs(0.70, 1e-15));
    const VectorXd mv = m::value_added_multipliers(c, l);
    CHECK_THAT((mv - VectorXd::Ones(2)).norm(), WithinAbs(0.0, 1e-14));
    // Value added embodied in all final demand = total value added: m_v' f = 1'v.
    CHECK_THAT(mv.dot(tb.f), WithinAbs(tb.v.sum(), 1e-10));
}

TEST_CASE("Ghosh model reproduces gross output from value added", "[models][mrio_accounting]") {
    const textbook tb;
    const MatrixXd b = m::allocation_coefficients(tb.z, tb.x);
    CHECK_THAT(b(0, 1), WithinAbs(0.5, 1e-15));   // 500 / 1000
    CHECK_THAT(b(1, 0), WithinAbs(0.1, 1e-15));   // 200 / 2000
    const MatrixXd g = m::ghosh_inverse(b);
    CHECK_THAT((m::ghosh_output(g, tb.v) - tb.x).norm(), WithinAbs(0.0, 1e-10));
    // G = x^-1 L x^ (Miller & Blair 2009, sec. 12.1).
    const MatrixXd l = m::leontief_inverse(m::technical_coefficients(tb.z, tb.x));
    const MatrixXd g_from_l = tb.x.cwiseInverse().asDiagonal() * l * tb.x.asDiagonal();
    CHECK_THAT((g - g_from_l).norm(), WithinAbs(0.0, 1e-12));
    CHECK_THAT((g * (MatrixXd::Identity(2, 2) - b) - MatrixXd::Identity(2, 2)).norm(), WithinAbs(0.0, 1e-14));
}

TEST_CASE("linkages are normalized column sums of L and row sums of G", "[models][mrio_accounting]") {
    const m::mrio_table t = integra::testing::three_region_economy();
    const MatrixXd l = m::leontief_inverse(m::technical_coefficients(t));
    const MatrixXd g = m::ghosh_inverse(m::allocation_coefficients(t));
    const VectorXd bl = m::backward_linkages(l);
    const VectorXd fl = m::forward_linkages(g);
    CHECK_THAT(bl.mean(), WithinAbs(1.0, 1e-14));
    CHECK_THAT(fl.mean(), WithinAbs(1.0, 1e-14));
    const double mean_l = l.sum() / 6.0;
    const double mean_g = g.sum() / 6.0;
    for (Eigen::Index j = 0; j < 6; ++j) {
        CHECK_THAT(bl(j), WithinAbs(l.col(j).sum() / mean_l, 1e-14));
        CHECK_THAT(fl(j), WithinAbs(g.row(j).sum() / mean_g, 1e-14));
    }
}

TEST_CASE("identities hold on the three-region economy", "[models][mrio_accounting]") {
    const m::mrio_table t = integra::testing::three_region_economy();
    const VectorXd f = t.final_demand.rowwise().sum();
    const MatrixXd a = m::technical_coefficients(t);
    const MatrixXd l = m::leontief_inverse(a);
    const MatrixXd id = MatrixXd::Identity(6, 6);
    CHECK_THAT((t.gross_output - a * t.gross_output - f).norm(), WithinAbs(0.0, 1e-12));
    CHECK_THAT((l * (id - a) - id).norm(), WithinAbs(0.0, 1e-14));
    CHECK_THAT(((id - a) * l - id).norm(), WithinAbs(0.0, 1e-14));
    CHECK((l.array() >= 0).all());  // productive economy
    CHECK_THAT((m::leontief_output(l, f) - t.gross_output).norm(), WithinAbs(0.0, 1e-11));
    const MatrixXd g = m::ghosh_inverse(m::allocation_coefficients(t));
    CHECK_THAT((m::ghosh_output(g, t.value_added) - t.gross_output).norm(), WithinAbs(0.0, 1e-11));
    const VectorXd mv = m::value_added_multipliers(m::value_added_coefficients(t.value_added, t.gross_output), l);
    CHECK_THAT((mv - VectorXd::Ones(6)).norm(), WithinAbs(0.0, 1e-14));
}

TEST_CASE("value added absorbed in final demand adds up to GDP", "[models][mrio_accounting]") {
    const m::mrio_table t = integra::testing::three_region_economy();
    const MatrixXd l = m::leontief_inverse(m::technical_coefficients(t));
    const MatrixXd va = m::value_added_in_final_demand(t, l);
    REQUIRE(va.rows() == 3);
    REQUIRE(va.cols() == 3);
    CHECK((va.array() > 0).all());
    CHECK_THAT(va.sum(), WithinAbs(t.value_added.sum(), 1e-10));
    // Row o: GDP of origin region o, wherever it is absorbed.
    for (Eigen::Index o = 0; o < 3; ++o) CHECK_THAT(va.row(o).sum(), WithinAbs(t.value_added.segment(2 * o, 2).sum(), 1e-10));
    // Column q: all value added absorbed in q equals q's final demand expenditure.
    for (Eigen::Index q = 0; q < 3; ++q) CHECK_THAT(va.col(q).sum(), WithinAbs(t.final_demand.col(q).sum(), 1e-10));
}

TEST_CASE("value added embodied in bilateral exports adds up to gross exports", "[models][mrio_accounting]") {
    const m::mrio_table t = integra::testing::three_region_economy();
    const MatrixXd l = m::leontief_inverse(m::technical_coefficients(t));
    const auto eva = m::value_added_in_exports(t, l);
    REQUIRE(eva.size() == 3);
    const auto trade = m::bilateral_trade(t);
    const MatrixXd gross_exports = trade[0] + trade[1];
    MatrixXd by_origin_total = MatrixXd::Zero(3, 3);
    for (const MatrixXd& e : eva) {
        REQUIRE(e.rows() == 3);
        REQUIRE(e.cols() == 3);
        CHECK(e.diagonal().isZero(0.0));
        CHECK((e.array() >= 0).all());
        by_origin_total += e;
    }
    CHECK_THAT((by_origin_total - gross_exports).norm(), WithinAbs(0.0, 1e-10));
    // Domestic value added dominates each region's exports in this economy.
    for (Eigen::Index r = 0; r < 3; ++r)
        for (Eigen::Index q = 0; q < 3; ++q)
            if (r != q) CHECK(eva[static_cast<std::size_t>(r)](r, q) > 0.5 * gross_exports(r, q));

    // Direct check of one entry against the definition diag(v/x) L e_rq.
    const VectorXd c = m::value_added_coefficients(t.value_added, t.gross_output);
    VectorXd e_arg_chn = VectorXd::Zero(6);  // ARG (rows 0-1) to CHN (region 2: columns 4-5)
    for (Eigen::Index s = 0; s < 2; ++s)
        e_arg_chn(s) = t.intermediate.row(s).segment(4, 2).sum() + t.final_demand(s, 2);
    const VectorXd embodied = c.asDiagonal() * (l * e_arg_chn);
    CHECK_THAT(eva[1](0, 2), WithinAbs(embodied.segment(2, 2).sum(), 1e-12));  // BRA value added
}

TEST_CASE("sectors without output get zero coefficients", "[models][mrio_accounting]") {
    const MatrixXd z = (MatrixXd(3, 3) << 10, 0, 5, 20, 0, 5, 0, 0, 0).finished();
    const VectorXd x = (VectorXd(3) << 100, 0, 50).finished();
    const MatrixXd a = m::technical_coefficients(z, x);
    CHECK(a.col(1).isZero(0.0));
    CHECK(a.allFinite());
    const MatrixXd b = m::allocation_coefficients(z, x);
    CHECK(b.row(1).isZero(0.0));
    CHECK(b.allFinite());
    const MatrixXd l = m::leontief_inverse(a);
    CHECK(l.col(1) == VectorXd::Unit(3, 1));
    CHECK(m::value_added_coefficients((VectorXd(3) << 70, 0, 40).finished(), x)(1) == 0.0);
}

TEST_CASE("a singular I - A is a numerical error naming the condition estimate", "[models][mrio_accounting]") {
    // Each sector uses up its whole output: column sums of A are 1.
    const MatrixXd a = (MatrixXd(2, 2) << 0.5, 0.5, 0.5, 0.5).finished();
    REQUIRE_THROWS_AS(m::leontief_inverse(a), integra::numerical_error);
    REQUIRE_THROWS_WITH(m::leontief_inverse(a), Contains("leontief_inverse: I - A (2 x 2) is singular or nearly "
                                                         "singular: reciprocal condition estimate") &&
                                                    Contains("below 1e-12") && Contains("column sum of A below 1"));
    REQUIRE_THROWS_WITH(m::ghosh_inverse(a), Contains("ghosh_inverse: I - B") && Contains("row sum of B below 1"));
    // Nearly singular: caught by a stricter threshold.
    const MatrixXd near = (MatrixXd(2, 2) << 0.5, 0.5, 0.5, 0.5 - 1e-9).finished();
    CHECK_NOTHROW(m::leontief_inverse(near, 0.0));
    REQUIRE_THROWS_WITH(m::leontief_inverse(near, 1e-6), Contains("reciprocal condition estimate"));
}

TEST_CASE("mis-sized arguments are rejected", "[models][mrio_accounting]") {
    REQUIRE_THROWS_WITH(m::technical_coefficients(MatrixXd::Zero(2, 2), VectorXd::Ones(3)),
                        "technical_coefficients: gross_output has 3 entries; expected 2");
    REQUIRE_THROWS_AS(m::leontief_inverse(MatrixXd::Zero(2, 3)), integra::inconsistent_input);
    REQUIRE_THROWS_WITH(m::leontief_output(MatrixXd::Identity(2, 2), VectorXd::Ones(3)),
                        "leontief_output: final_demand has 3 entries; expected 2");
    const m::mrio_table t = integra::testing::three_region_economy();
    REQUIRE_THROWS_WITH(m::value_added_in_exports(t, MatrixXd::Identity(5, 5)),
                        Contains("value_added_in_exports: 1 problem(s)") &&
                            Contains("leontief: is 5 x 5; expected 6 x 6"));
}

TEST_CASE("results are bitwise identical for 1 and 2 threads", "[models][mrio_accounting][Parallel]") {
    const m::mrio_table t = random_economy(4, 50);
    all_results one, two;
    {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
        one = compute_all(t);
    }
    {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
        two = compute_all(t);
    }
    CHECK(bitwise_equal(one.a, two.a));
    CHECK(bitwise_equal(one.l, two.l));
    CHECK(bitwise_equal(one.b, two.b));
    CHECK(bitwise_equal(one.g, two.g));
    CHECK(bitwise_equal(one.x, two.x));
    CHECK(bitwise_equal(one.m_out, two.m_out));
    CHECK(bitwise_equal(one.m_va, two.m_va));
    CHECK(bitwise_equal(one.x_ghosh, two.x_ghosh));
    CHECK(bitwise_equal(one.bl, two.bl));
    CHECK(bitwise_equal(one.fl, two.fl));
    CHECK(bitwise_equal(one.va_final, two.va_final));
    REQUIRE(one.va_exports.size() == two.va_exports.size());
    for (std::size_t o = 0; o < one.va_exports.size(); ++o) CHECK(bitwise_equal(one.va_exports[o], two.va_exports[o]));

    // And the parallel results agree with plain serial Eigen to rounding.
    const VectorXd f = t.final_demand.rowwise().sum();
    CHECK_THAT((one.x - t.gross_output).norm() / t.gross_output.norm(), WithinAbs(0.0, 1e-12));
    const MatrixXd l_ref = (MatrixXd::Identity(200, 200) - one.a).inverse();
    CHECK_THAT((one.l - l_ref).norm() / l_ref.norm(), WithinAbs(0.0, 1e-12));
    CHECK_THAT((one.x_ghosh - t.gross_output).norm() / t.gross_output.norm(), WithinAbs(0.0, 1e-12));
    CHECK_THAT((one.m_va - VectorXd::Ones(200)).norm(), WithinAbs(0.0, 1e-10));
    CHECK_THAT((one.x - l_ref * f).norm() / one.x.norm(), WithinAbs(0.0, 1e-12));
}
