// Sweep designs: reproducible draws, correct quantiles, Latin hypercube strata, grid and zip
// numbering, and every problem of a [sweep] table reported with its key.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "sim/data/dataset.hpp"
#include "sim/sweep/design.hpp"
#include "sim/sweep/sampling.hpp"

using integra::sim::distribution;
using integra::sim::read_sweep_design;
using integra::sim::sweep_design;
using integra::sim::sweep_value;
using Catch::Matchers::Contains;

namespace {

const integra::sim::dataset& celac38() {
    static const auto data = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/celac38");
    return data;
}

sweep_design design(const std::string& toml, integra::issues& problems, const std::vector<std::string>& vary = {}) {
    const auto doc = toml::parse(std::string_view(toml), std::string_view("s.toml"));
    return read_sweep_design(doc, vary, celac38(), problems);
}

double number(const sweep_value& v) {
    if (const auto* d = std::get_if<double>(&v)) return *d;
    return static_cast<double>(std::get<std::int64_t>(v));
}

}  // namespace

TEST_CASE("uniform draws are a pure function of (seed, point, parameter), in (0, 1) and uniform", "[sim][sweep]") {
    CHECK(integra::sim::uniform_draw(7, 3, 1) == integra::sim::uniform_draw(7, 3, 1));
    CHECK(integra::sim::uniform_draw(7, 3, 1) != integra::sim::uniform_draw(7, 3, 2));
    CHECK(integra::sim::uniform_draw(7, 3, 1) != integra::sim::uniform_draw(8, 3, 1));
    double sum = 0.0, squares = 0.0;
    const int n = 100000;
    for (int p = 0; p < n; ++p) {
        const double u = integra::sim::uniform_draw(1, static_cast<std::uint64_t>(p), 0);
        REQUIRE(u > 0.0);
        REQUIRE(u < 1.0);
        sum += u;
        squares += u * u;
    }
    CHECK(sum / n == Approx(0.5).margin(0.005));                    // mean 1/2
    CHECK(squares / n - (sum / n) * (sum / n) == Approx(1.0 / 12).margin(0.002));  // variance 1/12
}

TEST_CASE("inverse CDFs give the known quantiles", "[sim][sweep]") {
    distribution normal{distribution::kind::normal, 1.0, 0.2, 0, 0};
    CHECK(normal.quantile(0.5) == Approx(1.0).epsilon(1e-14));
    CHECK(normal.quantile(0.975) == Approx(1.0 + 0.2 * 1.959963984540054).epsilon(1e-12));
    distribution lognormal{distribution::kind::lognormal, 0.0, 0.5, 0, 0};
    CHECK(lognormal.quantile(0.5) == Approx(1.0).epsilon(1e-14));  // the median is exp(mu)
    distribution uniform{distribution::kind::uniform, 2.0, 4.0, 0, 0};
    CHECK(uniform.quantile(0.25) == 2.5);
    distribution truncated{distribution::kind::truncated_normal, 0.0, 1.0, -1.0, 1.0};
    CHECK(truncated.quantile(0.5) == Approx(0.0).margin(1e-14));  // symmetric truncation keeps the median
    CHECK(truncated.quantile(1e-12) >= -1.0);
    CHECK(truncated.quantile(1.0 - 1e-12) <= 1.0);
}

TEST_CASE("a grid numbers points with the first key slowest; zip pairs the i-th values", "[sim][sweep]") {
    integra::issues problems;
    const auto grid = design("[sweep.vary]\na = [1, 2, 3]\nb = [\"x\", \"y\"]\n", problems);
    REQUIRE(problems.empty());
    CHECK(grid.points == 6);
    CHECK(grid.values_of(0) == std::vector<sweep_value>{std::int64_t{1}, std::string("x")});
    CHECK(grid.values_of(1) == std::vector<sweep_value>{std::int64_t{1}, std::string("y")});
    CHECK(grid.values_of(5) == std::vector<sweep_value>{std::int64_t{3}, std::string("y")});
    const auto zip = design("[sweep]\ndesign = \"zip\"\n[sweep.vary]\na = [1, 2]\nb = [0.5, 0.7]\n", problems);
    REQUIRE(problems.empty());
    CHECK(zip.points == 2);
    CHECK(zip.values_of(1) == std::vector<sweep_value>{std::int64_t{2}, 0.7});
    const auto range = design("[sweep.vary]\na = { from = 0, to = 10, steps = 6 }\nb = { from = 0.5, to = 1.5, steps = 3 }\n", problems);
    REQUIRE(problems.empty());
    CHECK(range.keys[0].values == std::vector<sweep_value>{std::int64_t{0}, std::int64_t{2}, std::int64_t{4},
                                                          std::int64_t{6}, std::int64_t{8}, std::int64_t{10}});
    CHECK(range.keys[1].values == std::vector<sweep_value>{0.5, 1.0, 1.5});
}

TEST_CASE("a Latin hypercube puts exactly one point in each stratum of each key", "[sim][sweep]") {
    integra::issues problems;
    const auto lhs = design("[sweep]\ndesign = \"latin_hypercube\"\npoints = 50\nseed = 3\n[sweep.vary]\n"
                            "a = { distribution = \"uniform\", low = 0.0, high = 1.0 }\n"
                            "b = { distribution = \"uniform\", low = 0.0, high = 1.0 }\n",
                            problems);
    REQUIRE(problems.empty());
    for (std::size_t k = 0; k < 2; ++k) {
        std::set<int> strata;
        for (std::size_t p = 0; p < 50; ++p) strata.insert(static_cast<int>(std::floor(number(lhs.values_of(p)[k]) * 50)));
        CHECK(strata.size() == 50);
    }
    // Random designs draw point p alone: the same values in a sweep of other size (Monte Carlo).
    const auto mc10 = design("[sweep]\ndesign = \"monte_carlo\"\npoints = 10\nseed = 9\n[sweep.vary]\n"
                             "a = { distribution = \"normal\", mean = 1.0, sd = 0.1 }\n", problems);
    const auto mc20 = design("[sweep]\ndesign = \"monte_carlo\"\npoints = 20\nseed = 9\n[sweep.vary]\n"
                             "a = { distribution = \"normal\", mean = 1.0, sd = 0.1 }\n", problems);
    REQUIRE(problems.empty());
    for (std::size_t p = 0; p < 10; ++p) CHECK(mc10.values_of(p) == mc20.values_of(p));
}

TEST_CASE("the elasticities' preset draws every sector around its estimate", "[sim][sweep]") {
    integra::issues problems;
    const auto d = design("[sweep]\ndesign = \"monte_carlo\"\npoints = 4000\n[sweep.vary]\n"
                          "\"equilibrium.trade_elasticity\" = \"caliendo_parro_2015\"\n", problems);
    REQUIRE(problems.empty());
    const auto& e = celac38().economy;
    REQUIRE(d.keys.size() == e.n_sectors());
    for (std::size_t s = 0; s < e.n_sectors(); ++s) {
        CHECK(d.keys[s].key == "equilibrium.trade_elasticity." + e.sectors[s]);
        double sum = 0.0;
        for (std::size_t p = 0; p < d.points; ++p) {
            const double theta = number(d.values_of(p)[s]);
            REQUIRE(theta >= 0.5);
            sum += theta;
        }
        // The mean of 4,000 draws is within 4 standard errors of the mean of the estimate.
        const double se = celac38().trade_elasticity_se(static_cast<long>(s));
        CHECK(std::abs(sum / static_cast<double>(d.points) - e.trade_elasticity[s]) < 4.0 * se / std::sqrt(4000.0));
    }
}

TEST_CASE("bad sweep tables: every problem names the key, the value and what was expected", "[sim][sweep]") {
    auto problems_of = [](const std::string& toml, const std::vector<std::string>& vary = {}) {
        integra::issues problems;
        (void)design(toml, problems, vary);
        return problems.report("s.toml");
    };
    CHECK_THAT(problems_of("[sweep]\n"), Contains("nothing varies"));
    CHECK_THAT(problems_of("[sweep]\ndesign = \"random\"\n[sweep.vary]\na = [1]\n"),
               Contains("expected one of \"grid\", \"zip\", \"latin_hypercube\", \"monte_carlo\", got \"random\""));
    CHECK_THAT(problems_of("[sweep.vary]\na = []\n"), Contains("expected a non-empty list of values"));
    CHECK_THAT(problems_of("[sweep.vary]\na = { from = 3, to = 1, steps = 2 }\n"), Contains("an empty or reversed range"));
    CHECK_THAT(problems_of("[sweep]\ndesign = \"monte_carlo\"\n[sweep.vary]\na = { distribution = \"normal\", mean = 1, sd = 1 }\n"),
               Contains("needs points = N"));
    CHECK_THAT(problems_of("[sweep]\ndesign = \"monte_carlo\"\npoints = 5\n[sweep.vary]\na = { distribution = \"normal\", mean = 1, sd = -1 }\n"),
               Contains("expected a standard deviation > 0"));
    CHECK_THAT(problems_of("[sweep]\ndesign = \"zip\"\n[sweep.vary]\na = [1, 2]\nb = [1]\n"), Contains("zip needs lists of one length"));
    CHECK_THAT(problems_of("[sweep.vary]\na = { distribution = \"uniform\", low = 0, high = 1 }\n"),
               Contains("a distribution needs design = \"monte_carlo\" or \"latin_hypercube\""));
    CHECK_THAT(problems_of("[sweep]\nsped = 3\n[sweep.vary]\na = [1]\n"), Contains("unknown key 'sweep.sped' (did you mean 'sweep.seed'?)"));
    CHECK_THAT(problems_of("[sweep.vary]\na = [1]\n", {"b"}), Contains("--vary b: expected KEY=SPEC"));
    CHECK_THAT(problems_of("[sweep.vary]\na = [1]\n", {"a=\"weird\""}), Contains("key 'a': expected a list, a range"));
}
