// Unit tests for models/structural_decomposition: exactness of the decomposition on random
// table pairs, zero terms for unchanged factors, antisymmetry under swapping the tables, a
// two-sector hand example, independence of the listed factor order (checked against the
// closed-form Shapley weights, computed here independently of the enumeration of orders),
// the refusals.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "models/mrio_accounting.hpp"
#include "models/mrio_table.hpp"
#include "models/satellite_accounts.hpp"
#include "models/structural_decomposition.hpp"
#include "tests/unit/models/portable_random.hpp"

using Catch::Matchers::Contains;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
namespace m = integra::models;

namespace {

// A 64-bit LCG, so the cases are the same on every platform.
struct lcg {
    integra::testing::portable_uniform u;
    double uniform() { return u(); }
    MatrixXd fill(Index rows, Index cols, double scale) {
        MatrixXd out(rows, cols);
        for (Index i = 0; i < rows; ++i)
            for (Index j = 0; j < cols; ++j) out(i, j) = scale * uniform();
        return out;
    }
};

// A balanced table with technical coefficients A and final demand Y: x = (I - A)^-1 Y 1,
// Z = A x^, v = x - Z'1.
m::mrio_table make_table(const MatrixXd& a, const MatrixXd& y, Index n_regions, Index n_sectors,
                         const std::string& unit = "million USD") {
    m::mrio_table t;
    for (Index r = 0; r < n_regions; ++r) t.regions.push_back("R" + std::to_string(r));
    for (Index s = 0; s < n_sectors; ++s) t.sectors.push_back("s" + std::to_string(s));
    t.unit = unit;
    const Index n = n_regions * n_sectors;
    t.gross_output = (MatrixXd::Identity(n, n) - a).partialPivLu().solve(VectorXd(y.rowwise().sum()));
    t.intermediate = a * t.gross_output.asDiagonal();
    t.final_demand = y;
    t.value_added = t.gross_output - t.intermediate.colwise().sum().transpose();
    return t;
}

struct table_pair {
    m::mrio_table before, after;
    m::satellite stressors_before, stressors_after;
};

// Two random tables of R regions and S sectors with K stressors. Column sums of A stay
// below 0.8. With `zeros`, region 0 buys nothing of sector 0 in the first table, region 1
// nothing at all in the second, and sector 1 uses no input of sector 0 in the second: the
// shares with a zero denominator exercise the borrowing rule.
table_pair random_pair(Index R, Index S, Index K, std::uint64_t seed, bool zeros = false) {
    lcg g{seed};
    const Index n = R * S;
    MatrixXd a0 = g.fill(n, n, 1.6 / static_cast<double>(n)), a1 = g.fill(n, n, 1.6 / static_cast<double>(n));
    MatrixXd y0 = g.fill(n, R, 50.0), y1 = g.fill(n, R, 50.0);
    if (zeros) {
        for (Index r = 0; r < R; ++r) {
            y0(r * S + 0, 0) = 0.0;
            a1(r * S + 0, 1) = 0.0;
        }
        y1.col(1).setZero();
    }
    table_pair p{make_table(a0, y0, R, S), make_table(a1, y1, R, S), {}, {}};
    for (auto* s : {&p.stressors_before, &p.stressors_after}) {
        for (Index k = 0; k < K; ++k) {
            s->stressors.push_back("stressor" + std::to_string(k));
            s->units.push_back("kt");
        }
        s->production = g.fill(K, n, 100.0);
    }
    return p;
}

double max_abs(const MatrixXd& m) { return m.size() == 0 ? 0.0 : m.cwiseAbs().maxCoeff(); }

// |actual - expected| <= tol * max(|expected|) over the whole matrix.
void check_close(const MatrixXd& actual, const MatrixXd& expected, double tol, const std::string& what) {
    INFO(what);
    REQUIRE(actual.rows() == expected.rows());
    REQUIRE(actual.cols() == expected.cols());
    const double scale = std::max(max_abs(expected), 1e-300);
    INFO("max |difference| = " << max_abs(actual - expected) << ", max |expected| = " << scale);
    CHECK(max_abs(actual - expected) <= tol * scale);
}

m::sda_options options(bool split_fd, bool split_tech, m::sda_ordering o = m::sda_ordering::average_of_all_orders) {
    m::sda_options opt;
    opt.ordering = o;
    opt.split_final_demand = split_fd;
    opt.split_technology = split_tech;
    return opt;
}

}  // namespace

TEST_CASE("the factors sum to the total change exactly on random tables", "[models][sda]") {
    const bool zeros = GENERATE(false, true);
    const bool split_fd = GENERATE(false, true);
    const bool split_tech = GENERATE(false, true);
    const auto ordering = GENERATE(m::sda_ordering::average_of_all_orders, m::sda_ordering::first_polar,
                                   m::sda_ordering::second_polar);
    const auto p = random_pair(3, 4, 2, 20261129, zeros);
    const auto opt = options(split_fd, split_tech, ordering);
    INFO("zeros " << zeros << ", split final demand " << split_fd << ", split technology " << split_tech
                  << ", ordering " << static_cast<int>(ordering));

    const auto x = m::decompose_gross_output(p.before, p.after, opt);
    REQUIRE(x.contributions.size() == (split_tech ? 2U : 1U) + (split_fd ? 3U : 1U));
    check_close(x.before, p.before.gross_output, 1e-12, "x0 = L0 Y0 1 is the table's gross output");
    check_close(x.after, p.after.gross_output, 1e-12, "x1 = L1 Y1 1 is the table's gross output");
    check_close(x.sum_of_contributions(), x.change(), 1e-12, "gross output: sum of terms = x1 - x0");

    const auto f = m::decompose_footprint(p.before, p.stressors_before, p.after, p.stressors_after, opt);
    REQUIRE(f.contributions.size() == 1U + (split_tech ? 2U : 1U) + (split_fd ? 3U : 1U));
    // Footprint endpoints against the existing accounting code (CBA without F_y).
    const MatrixXd cba0 = m::consumption_based_accounts(p.stressors_before, p.before,
                                                        m::leontief_inverse(m::technical_coefficients(p.before)));
    const MatrixXd cba1 = m::consumption_based_accounts(p.stressors_after, p.after,
                                                        m::leontief_inverse(m::technical_coefficients(p.after)));
    check_close(f.before, cba0, 1e-12, "f0 = S0 L0 Y0 is the consumption-based account");
    check_close(f.after, cba1, 1e-12, "f1 = S1 L1 Y1 is the consumption-based account");
    check_close(f.sum_of_contributions(), f.change(), 1e-12, "footprint: sum of terms = f1 - f0");
}

TEST_CASE("the factorisations rebuild final demand and technology exactly", "[models][sda]") {
    const bool zeros = GENERATE(false, true);
    const auto p = random_pair(3, 4, 1, 7, zeros);
    const auto fd = m::split_final_demand(p.before.final_demand, p.after.final_demand, 3, 4);
    check_close(m::compose(fd.first, 3, 4), p.before.final_demand, 1e-15, "Y0 = level mix origin");
    check_close(m::compose(fd.second, 3, 4), p.after.final_demand, 1e-15, "Y1 = level mix origin");
    const MatrixXd a0 = m::technical_coefficients(p.before), a1 = m::technical_coefficients(p.after);
    const auto t = m::split_technology(a0, a1, 3, 4);
    check_close(m::compose(t.first, 3, 4), a0, 1e-15, "A0 = input mix o input origin");
    check_close(m::compose(t.second, 3, 4), a1, 1e-15, "A1 = input mix o input origin");
    // Mixed states keep the column sums of the table whose input mix they use.
    check_close(m::compose(m::technology_factors{t.second.input_mix, t.first.input_origin}, 3, 4).colwise().sum(),
                a1.colwise().sum(), 1e-15, "column sums of A(mix1, origin0) = those of A1");
    if (zeros) {
        // Borrowed shares: region 1 buys nothing in table 1, so its mix and origin are table 0's.
        CHECK(fd.second.level(1) == 0.0);
        CHECK(fd.second.mix.col(1) == fd.first.mix.col(1));
        CHECK(fd.second.origin.col(1) == fd.first.origin.col(1));
    }
}

TEST_CASE("with no change in final demand the final-demand terms are 0 and technology is the total", "[models][sda]") {
    const bool split_fd = GENERATE(false, true);
    const bool split_tech = GENERATE(false, true);
    auto p = random_pair(3, 3, 2, 99);
    p.after = make_table(m::technical_coefficients(p.after), p.before.final_demand, 3, 3);
    const auto opt = options(split_fd, split_tech);

    const auto x = m::decompose_gross_output(p.before, p.after, opt);
    const double scale = max_abs(x.change());
    REQUIRE(scale > 1.0);  // the technology did change
    MatrixXd technology = MatrixXd::Zero(x.before.rows(), x.before.cols());
    for (std::size_t i = 0; i < x.factors.size(); ++i) {
        INFO(x.factors[i]);
        if (x.factors[i].rfind("final_demand", 0) == 0)
            CHECK(max_abs(x.contributions[i]) <= 1e-12 * scale);
        else
            technology += x.contributions[i];
    }
    check_close(technology, x.change(), 1e-12, "technology term(s) = x1 - x0");

    // And the converse for the footprint: the same satellite intensities, the same A
    // (rebuilt from the table, so equal only up to rounding), only final demand changes.
    auto q = random_pair(3, 3, 2, 5);
    q.after = make_table(m::technical_coefficients(q.before), q.after.final_demand, 3, 3);
    q.stressors_after.production = m::stressor_intensities(q.stressors_before, q.before) *
                                   q.after.gross_output.asDiagonal();
    const auto f = m::decompose_footprint(q.before, q.stressors_before, q.after, q.stressors_after, opt);
    const double fscale = max_abs(f.change());
    MatrixXd demand = MatrixXd::Zero(f.before.rows(), f.before.cols());
    for (std::size_t i = 0; i < f.factors.size(); ++i) {
        INFO(f.factors[i]);
        if (f.factors[i].rfind("final_demand", 0) == 0)
            demand += f.contributions[i];
        else
            CHECK(max_abs(f.contributions[i]) <= 1e-12 * fscale);
    }
    check_close(demand, f.change(), 1e-12, "final-demand terms = f1 - f0");
}

TEST_CASE("swapping the two tables negates every term", "[models][sda]") {
    const bool split_fd = GENERATE(false, true);
    const bool split_tech = GENERATE(false, true);
    const bool zeros = GENERATE(false, true);
    const auto p = random_pair(2, 3, 2, 314, zeros);

    const auto fwd = m::decompose_footprint(p.before, p.stressors_before, p.after, p.stressors_after,
                                            options(split_fd, split_tech));
    const auto back = m::decompose_footprint(p.after, p.stressors_after, p.before, p.stressors_before,
                                             options(split_fd, split_tech));
    const double scale = max_abs(fwd.change());
    for (std::size_t i = 0; i < fwd.factors.size(); ++i) {
        INFO(fwd.factors[i]);
        CHECK(max_abs(fwd.contributions[i] + back.contributions[i]) <= 1e-12 * scale);
    }
    // The polar forms swap into each other: first polar of (0 -> 1) = - second polar of (1 -> 0).
    const auto first = m::decompose_gross_output(p.before, p.after,
                                                 options(split_fd, split_tech, m::sda_ordering::first_polar));
    const auto second_back = m::decompose_gross_output(p.after, p.before,
                                                       options(split_fd, split_tech, m::sda_ordering::second_polar));
    for (std::size_t i = 0; i < first.factors.size(); ++i) {
        INFO(first.factors[i]);
        CHECK(max_abs(first.contributions[i] + second_back.contributions[i]) <= 1e-12 * max_abs(first.change()));
    }
}

TEST_CASE("two-sector hand example", "[models][sda]") {
    // One region, two sectors; x = L y.
    //   A0 = [0.5 0; 0 0.5]     L0 = [2 0; 0 2]   y0 = (1, 1)   x0 = (2, 2)
    //   A1 = [0.5 0.25; 0 0.5]  L1 = [2 1; 0 2]   y1 = (2, 2)   x1 = (6, 4)
    //   dx = (4, 2), dL = [0 1; 0 0], dy = (1, 1)
    // First polar (L first):  dL y0 = (1, 0),  L1 dy = (3, 2)
    // Second polar (y first): dL y1 = (2, 0),  L0 dy = (2, 2)
    // Average:                L term (1.5, 0), y term (2.5, 2); sum (4, 2) = dx.
    // Tables: Z0 = A0 x0^ = [1 0; 0 1], v0 = (1, 1); Z1 = A1 x1^ = [3 1; 0 2], v1 = (3, 1).
    MatrixXd a0(2, 2), a1(2, 2), y0(2, 1), y1(2, 1);
    a0 << 0.5, 0, 0, 0.5;
    a1 << 0.5, 0.25, 0, 0.5;
    y0 << 1, 1;
    y1 << 2, 2;
    const auto t0 = make_table(a0, y0, 1, 2), t1 = make_table(a1, y1, 1, 2);
    REQUIRE(t1.intermediate(0, 1) == 1.0);
    REQUIRE(t1.value_added(0) == 3.0);

    auto run = [&](m::sda_ordering o) { return m::decompose_gross_output(t0, t1, options(false, false, o)); };
    const auto avg = run(m::sda_ordering::average_of_all_orders);
    const auto first = run(m::sda_ordering::first_polar);
    const auto second = run(m::sda_ordering::second_polar);
    REQUIRE(avg.factors == std::vector<std::string>{"technology", "final_demand"});
    auto vec = [](double a, double b) { return (MatrixXd(2, 1) << a, b).finished(); };
    check_close(avg.change(), vec(4, 2), 1e-15, "dx");
    check_close(first.contribution("technology"), vec(1, 0), 1e-15, "first polar, dL y0");
    check_close(first.contribution("final_demand"), vec(3, 2), 1e-15, "first polar, L1 dy");
    check_close(second.contribution("technology"), vec(2, 0), 1e-15, "second polar, dL y1");
    check_close(second.contribution("final_demand"), vec(2, 2), 1e-15, "second polar, L0 dy");
    check_close(avg.contribution("technology"), vec(1.5, 0), 1e-15, "average, L term");
    check_close(avg.contribution("final_demand"), vec(2.5, 2), 1e-15, "average, y term");

    // One region: the origin shares are all 1 and the origin term is 0. Level 2 -> 4 with the
    // mix (0.5, 0.5) unchanged: the final-demand term is all level.
    const auto split = m::decompose_gross_output(t0, t1, options(true, false));
    check_close(split.contribution("final_demand_level"), vec(2.5, 2), 1e-15, "level term");
    CHECK(max_abs(split.contribution("final_demand_mix")) == 0.0);
    CHECK(max_abs(split.contribution("final_demand_origin")) == 0.0);
}

TEST_CASE("the average over orders does not depend on the order the factors are listed in", "[models][sda]") {
    // The footprint quantity with all six factors, built from the public factorisations.
    const auto p = random_pair(3, 3, 2, 2718, true);
    const MatrixXd s0 = m::stressor_intensities(p.stressors_before, p.before);
    const MatrixXd s1 = m::stressor_intensities(p.stressors_after, p.after);
    const auto t = m::split_technology(m::technical_coefficients(p.before), m::technical_coefficients(p.after), 3, 3);
    const auto fd = m::split_final_demand(p.before.final_demand, p.after.final_demand, 3, 3);
    const std::vector<std::string> names{"intensity",          "input_mix",        "input_origin",
                                         "final_demand_level", "final_demand_mix", "final_demand_origin"};
    auto quantity = [&](std::uint32_t mask) -> MatrixXd {
        auto on = [&](int i) { return ((mask >> i) & 1U) != 0; };
        const MatrixXd a = m::compose(m::technology_factors{on(1) ? t.second.input_mix : t.first.input_mix,
                                                            on(2) ? t.second.input_origin : t.first.input_origin},
                                      3, 3);
        const MatrixXd y = m::compose(m::final_demand_factors{on(3) ? fd.second.level : fd.first.level,
                                                              on(4) ? fd.second.mix : fd.first.mix,
                                                              on(5) ? fd.second.origin : fd.first.origin},
                                      3, 3);
        return (on(0) ? s1 : s0) * (MatrixXd::Identity(9, 9) - a).partialPivLu().solve(y);
    };
    const auto reference = m::decompose(names, quantity);
    check_close(reference.sum_of_contributions(), reference.change(), 1e-12, "sum of terms = change");

    // The library's footprint SDA with the same six factors gives the same terms.
    const auto lib = m::decompose_footprint(p.before, p.stressors_before, p.after, p.stressors_after,
                                            options(true, true));
    REQUIRE(lib.factors == names);
    for (std::size_t i = 0; i < names.size(); ++i)
        check_close(lib.contributions[i], reference.contributions[i], 1e-12, "decompose_footprint: " + names[i]);

    // Independent of the enumeration: the closed form of the same average, with weights
    // |P|! (n - 1 - |P|)! / n! over the sets P of the other factors.
    {
        const int n = 6;
        const double fact[] = {1, 1, 2, 6, 24, 120, 720};
        for (int i = 0; i < n; ++i) {
            MatrixXd c = MatrixXd::Zero(reference.before.rows(), reference.before.cols());
            for (std::uint32_t set = 0; set < (1U << n); ++set) {
                if ((set >> i) & 1U) continue;
                const int k = std::popcount(set);
                c += fact[k] * fact[n - 1 - k] / fact[n] * (quantity(set | (1U << i)) - quantity(set));
            }
            check_close(reference.contributions[static_cast<std::size_t>(i)], c, 1e-12,
                        "closed-form weights: " + names[static_cast<std::size_t>(i)]);
        }
    }

    // List the factors in other orders: the averaged terms, matched by name, are unchanged;
    // the polar forms are not (so the check can tell).
    std::vector<int> perm(6);
    std::iota(perm.begin(), perm.end(), 0);
    const std::vector<std::vector<int>> orders{{5, 4, 3, 2, 1, 0}, {2, 0, 5, 1, 4, 3}, {3, 1, 0, 5, 2, 4}};
    for (const auto& order : orders) {  // listed position j holds factor order[j]
        std::vector<std::string> listed;
        for (int j : order) listed.push_back(names[static_cast<std::size_t>(j)]);
        auto permuted = [&](std::uint32_t mask) {
            std::uint32_t original = 0;
            for (std::size_t j = 0; j < order.size(); ++j)
                if ((mask >> j) & 1U) original |= 1U << order[j];
            return quantity(original);
        };
        const auto d = m::decompose(listed, permuted);
        for (const auto& name : names)
            check_close(d.contribution(name), reference.contribution(name), 1e-12, "listed differently: " + name);
        const auto polar = m::decompose(listed, permuted, m::sda_ordering::first_polar);
        const auto polar_ref = m::decompose(names, quantity, m::sda_ordering::first_polar);
        double gap = 0.0;
        for (const auto& name : names)
            gap = std::max(gap, max_abs(polar.contribution(name) - polar_ref.contribution(name)));
        CHECK(gap > 1e-6 * max_abs(reference.change()));
    }
}

TEST_CASE("structural decomposition refuses what it cannot do and says why", "[models][sda]") {
    const auto p = random_pair(2, 2, 1, 11);

    SECTION("different units") {
        auto after = p.after;
        after.unit = "million EUR";
        CHECK_THROWS_MATCHES(m::decompose_gross_output(p.before, after), integra::inconsistent_input,
                             Catch::Matchers::Message(
                                 "decompose_gross_output: 1 problem(s)\n  unit: 'million USD' before, 'million EUR' "
                                 "after: convert one table first (structural decomposition compares values in one "
                                 "unit; deflate to constant prices as well if the change in prices is not to be "
                                 "decomposed)"));
    }
    SECTION("different labels") {
        auto after = p.after;
        after.sectors[1] = "services";
        CHECK_THROWS_WITH(m::decompose_gross_output(p.before, after),
                          Contains("sectors[1]: 's1' before, 'services' after"));
    }
    SECTION("different stressor units") {
        auto s = p.stressors_after;
        s.units[0] = "t";
        CHECK_THROWS_WITH(m::decompose_footprint(p.before, p.stressors_before, p.after, s),
                          Contains("stressors[stressor0]: unit 'kt' before, 't' after"));
    }
    SECTION("too many factors") {
        const std::vector<std::string> seven{"a", "b", "c", "d", "e", "f", "g"};
        CHECK_THROWS_MATCHES(m::decompose(seven, [](std::uint32_t) { return MatrixXd::Zero(1, 1); }),
                             integra::invalid_input,
                             Catch::Matchers::Message("decompose: 7 factors given: the average over all orders "
                                                      "enumerates n! orders; at most 6 are supported"));
    }
    SECTION("an unknown factor name") {
        const auto d = m::decompose_gross_output(p.before, p.after, options(false, false));
        CHECK_THROWS_WITH(d.contribution("intensity"),
                          "structural_decomposition: no factor 'intensity'; factors are technology, final_demand");
    }
}
