// Tests of models/trade_policy (policy instruments -> counterfactual_shock) and of the
// tariff-revenue sharing they feed into the trade equilibrium (Caliendo & Parro 2015):
//   [synthetic]  small calibrated random economies: zero-size policies, phase-in,
//                customs union vs free-trade area, revenue pooling identities;
//   [hand]       CET rules and sharing keys against numbers worked out by hand;
//   [input]      validation messages, asserted as text;
//   [celac38]    a CELAC customs union on the embedded dataset.
#include <catch2/catch.hpp>

#include <tbb/global_control.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "models/calibration.hpp"
#include "core/errors.hpp"
#include "models/trade_equilibrium.hpp"
#include "models/trade_policy.hpp"
#include "sim/data/dataset.hpp"

using namespace integra;
using namespace integra::models;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

// A random economy with input-output links and positive tariffs, made model-consistent by
// solving it once at unchanged policy. `tariff` (optional) overrides tau^j_{ni} before
// that solve, so tests can give members a shared external schedule.
template <class Tariff>
trade_equilibrium_base random_base(Index n_count, Index j_count, Index tradable, unsigned seed, Tariff tariff) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    trade_equilibrium_base b;
    for (Index n = 0; n < n_count; ++n) b.regions.push_back("R" + std::to_string(n));
    for (Index j = 0; j < j_count; ++j) b.sectors.push_back("S" + std::to_string(j));
    for (Index j = 0; j < j_count; ++j) {
        MatrixXd p = MatrixXd::Zero(n_count, n_count), t = MatrixXd::Zero(n_count, n_count);
        for (Index n = 0; n < n_count; ++n) {
            if (j < tradable) {
                for (Index i = 0; i < n_count; ++i) p(n, i) = (i == n ? 2.0 : 0.0) + u(rng);
                p.row(n) /= p.row(n).sum();
                for (Index i = 0; i < n_count; ++i)
                    if (i != n) t(n, i) = tariff(j, n, i, 0.02 + 0.2 * u(rng));
            } else {
                p(n, n) = 1.0;
            }
        }
        b.trade_shares.push_back(p);
        b.tariffs.push_back(t);
    }
    b.value_added_share.resize(j_count, n_count);
    b.final_demand_share.resize(j_count, n_count);
    b.expenditure.resize(j_count, n_count);
    for (Index n = 0; n < n_count; ++n) {
        MatrixXd io(j_count, j_count);
        for (Index j = 0; j < j_count; ++j) {
            b.value_added_share(j, n) = 0.35 + 0.3 * u(rng);
            for (Index k = 0; k < j_count; ++k) io(k, j) = 0.1 + u(rng);
            io.col(j) *= (1.0 - b.value_added_share(j, n)) / io.col(j).sum();
            b.final_demand_share(j, n) = 0.2 + u(rng);
            b.expenditure(j, n) = 1.0 + u(rng);
        }
        b.final_demand_share.col(n) /= b.final_demand_share.col(n).sum();
        b.io_share.push_back(io);
    }
    b.value_added = VectorXd::NullaryExpr(n_count, [&](Index) { return 1.0 + 3.0 * u(rng); });
    b.deficit = VectorXd::Zero(n_count);
    b.theta = VectorXd::NullaryExpr(j_count, [&](Index) { return 3.0 + 5.0 * u(rng); });
    const counterfactual_shock none;
    return counterfactual_as_base(b, none, solve(b, none));
}

trade_equilibrium_base random_base(Index n_count = 4, Index j_count = 3, Index tradable = 2, unsigned seed = 3) {
    return random_base(n_count, j_count, tradable, seed, [](Index, Index, Index, double t) { return t; });
}

bool same(const MatrixXd& a, const MatrixXd& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() && (a.array() == b.array()).all();
}
bool same(const std::vector<MatrixXd>& a, const std::vector<MatrixXd>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t s = 0; s < a.size(); ++s)
        if (!same(a[s], b[s])) return false;
    return true;
}
bool same(const equilibrium_result& a, const equilibrium_result& b) {
    return same(a.wage_change, b.wage_change) && same(a.sector_price_change, b.sector_price_change) &&
           same(a.expenditure, b.expenditure) && same(a.trade_shares, b.trade_shares) &&
           same(a.welfare_change, b.welfare_change) && same(a.final_absorption, b.final_absorption);
}

customs_union union_of(index_list members, common_external_tariff::rule rule,
                       revenue_rule::kind revenue = revenue_rule::kind::kept_by_collector) {
    customs_union cu;
    cu.members = std::move(members);
    cu.external.how = rule;
    cu.revenue.how = revenue;
    cu.label = "cu";
    return cu;
}

counterfactual_shock shock_of(const std::vector<trade_policy>& policies, double phase,
                              const trade_equilibrium_base& b) {
    counterfactual_shock s;
    for (const auto& p : policies) apply(p, phase, b, s);
    return s;
}

std::string problems(const trade_policy& p, Index n_regions = 4, Index n_sectors = 3) {
    issues out;
    validate(p, n_regions, n_sectors, out);
    return out.report("policy");
}

// Intra-group imports at world prices, summed over sectors and ordered pairs n != i.
double trade_within(const std::vector<MatrixXd>& imports, const index_list& group) {
    double total = 0.0;
    for (const auto& m : imports)
        for (const Index n : group)
            for (const Index i : group)
                if (n != i) total += m(n, i);
    return total;
}

}  // namespace

// =======================================================================================
// Zero-size policies and phase-in

TEST_CASE("a policy of zero size leaves the shock equal to the base and the base unchanged",
          "[models][trade_policy][synthetic]") {
    const auto b = random_base();
    tariff_change cut;
    cut.importers = {0, 1};
    cut.exporters = {2, 3};
    cut.sectors = {0, 1};
    cut.how = tariff_change::mode::cut;
    trade_cost_change cost;
    cost.importers = {0};
    cost.exporters = {1, 2};
    cost.sectors = {0, 1, 2};
    auto pooled = union_of({0, 1, 2}, common_external_tariff::rule::trade_weighted_mean,
                           revenue_rule::kind::pooled_by_gdp);

    // (policy, phase): either nothing phased in yet, or a policy whose target is the base.
    std::vector<std::pair<trade_policy, double>> cases;
    cut.value = 0.5;
    cases.emplace_back(cut, 0.0);
    cut.value = 0.0;
    cases.emplace_back(cut, 1.0);
    cases.emplace_back(free_trade_area{{1, 3}, "fta"}, 0.0);
    cases.emplace_back(pooled, 0.0);
    cost.cut = 0.3;
    cases.emplace_back(cost, 0.0);
    cost.cut = 0.0;
    cases.emplace_back(cost, 1.0);
    cost.cut.reset();
    cost.ave = 0.0;
    cases.emplace_back(cost, 0.7);

    const auto reference = solve(b, counterfactual_shock{});
    for (const auto& [policy, phase] : cases) {
        counterfactual_shock s;
        apply(policy, phase, b, s);
        if (!s.tariffs.empty()) CHECK(same(s.tariffs, b.tariffs));
        for (const auto& d : s.trade_cost_change) CHECK((d.array() == 1.0).all());
        CHECK(s.revenue_sharing.size() == 0);
        const auto r = solve(b, s);
        CHECK(same(r, reference));  // bitwise: tau' == tau and d-hat == 1 exactly
        CHECK((r.wage_change.array() - 1.0).abs().maxCoeff() < 1e-12);
        CHECK((r.welfare_change.array() - 1.0).abs().maxCoeff() < 1e-12);
    }
}

TEST_CASE("phase-in moves every tariff and trade cost monotonically from base to target",
          "[models][trade_policy][synthetic]") {
    const auto b = random_base();
    tariff_change to_ten;  // raises some tariffs, lowers others
    to_ten.importers = {0, 1, 2, 3};
    to_ten.exporters = {0, 1, 2, 3};
    to_ten.sectors = {0, 1};
    to_ten.value = 0.1;
    to_ten.label = "to_ten";
    trade_cost_change cost;
    cost.importers = {0, 1};
    cost.exporters = {2};
    cost.sectors = {0};
    cost.cut = 0.2;
    const std::vector<trade_policy> policies{
        to_ten, union_of({1, 2}, common_external_tariff::rule::simple_mean), free_trade_area{{0, 3}, "fta"}, cost};
    const auto full = shock_of(policies, 1.0, b);
    auto previous = shock_of(policies, 0.0, b);
    CHECK(same(previous.tariffs, b.tariffs));
    for (int step = 1; step <= 20; ++step) {
        const double phase = step / 20.0;
        const auto now = shock_of(policies, phase, b);
        for (std::size_t s = 0; s < b.tariffs.size(); ++s) {
            const MatrixXd up = (full.tariffs[s] - b.tariffs[s]).cwiseSign();
            // tau moves towards the target and never past it.
            CHECK(((now.tariffs[s] - previous.tariffs[s]).array() * up.array() >= 0.0).all());
            CHECK(((full.tariffs[s] - now.tariffs[s]).array() * up.array() >= 0.0).all());
            CHECK(((now.trade_cost_change[s] - previous.trade_cost_change[s]).array() <= 0.0).all());
        }
        previous = now;
    }
    CHECK(same(previous.tariffs, full.tariffs));
    // Targets at phase 1: the FTA's internal tariffs are exactly zero, the rate set exactly
    // 0.1 elsewhere (the FTA is applied later and overrides it), d-hat = 1 - 0.2.
    CHECK(full.tariffs[0](0, 3) == 0.0);
    CHECK(full.tariffs[1](3, 0) == 0.0);
    CHECK(full.tariffs[0](0, 1) == 0.1);
    CHECK(full.trade_cost_change[0](0, 2) == 0.8);
    CHECK(full.trade_cost_change[0](2, 1) == 0.8);  // symmetric
    CHECK(full.trade_cost_change[0](0, 1) == 1.0);
    // The tariff change at phase 0.5 sits halfway.
    const auto half = shock_of({to_ten}, 0.5, b);
    CHECK_THAT(half.tariffs[1](2, 3), WithinAbs(0.5 * (b.tariffs[1](2, 3) + 0.1), 1e-16));
    CHECK(half.tariffs[2](2, 3) == b.tariffs[2](2, 3));  // sector not listed
}

TEST_CASE("trade-cost changes: ad-valorem equivalents, one-way changes, compounding",
          "[models][trade_policy][synthetic]") {
    const auto b = random_base();
    trade_cost_change up;
    up.importers = {0, 1};
    up.exporters = {1, 2};
    up.sectors = {1};
    up.ave = 0.25;
    up.symmetric = false;
    auto s = shock_of({up}, 0.4, b);
    CHECK(s.trade_cost_change[1](0, 1) == 1.1);
    CHECK(s.trade_cost_change[1](1, 2) == 1.1);
    CHECK(s.trade_cost_change[1](1, 1) == 1.0);  // domestic
    CHECK(s.trade_cost_change[1](2, 1) == 1.0);  // one way only
    CHECK(s.trade_cost_change[0](0, 1) == 1.0);  // other sector
    up.symmetric = true;
    s = shock_of({up}, 1.0, b);
    // importers and exporters overlap in region 1: each cell is changed once.
    CHECK(s.trade_cost_change[1](1, 0) == 1.25);
    CHECK(s.trade_cost_change[1](0, 1) == 1.25);
    CHECK(s.trade_cost_change[1](2, 1) == 1.25);
    apply(up, 1.0, b, s);  // a second change on the same cells compounds
    CHECK(s.trade_cost_change[1](2, 1) == 1.25 * 1.25);
}

// =======================================================================================
// Customs unions

TEST_CASE("common external tariff rules against hand-computed values", "[models][trade_policy][hand]") {
    // Four regions, members {0, 1}; sector 0 traded, sector 1 not (but with a tariff on
    // the books, which a CET must leave alone). Imports at world prices M = X pi / (1 + tau):
    //   M(0,2) = 100 * 0.22 / 1.1 = 20   M(0,3) = 100 * 0.12 / 1.2 = 10
    //   M(1,2) = 100 * 0.052 / 1.04 = 5  M(1,3) = 100 * 0.15 / 1.5  = 10
    trade_equilibrium_base b;
    b.regions = {"A", "B", "C", "D"};
    b.sectors = {"goods", "services"};
    MatrixXd pi = MatrixXd::Identity(4, 4), tau = MatrixXd::Zero(4, 4);
    pi.row(0) << 0.56, 0.10, 0.22, 0.12;
    pi.row(1) << 0.10, 0.698, 0.052, 0.15;
    pi.row(2) << 0.1, 0.1, 0.7, 0.1;
    pi.row(3) << 0.1, 0.1, 0.1, 0.7;
    tau(0, 2) = 0.10;
    tau(0, 3) = 0.20;
    tau(1, 2) = 0.04;
    tau(1, 3) = 0.50;
    tau(0, 1) = 0.08;
    tau(2, 0) = 0.3;
    MatrixXd services_tau = MatrixXd::Zero(4, 4);
    services_tau(0, 2) = 0.07;
    b.trade_shares = {pi, MatrixXd::Identity(4, 4)};
    b.tariffs = {tau, services_tau};
    b.expenditure = MatrixXd::Constant(2, 4, 100.0);
    b.value_added = VectorXd::Constant(4, 50.0);

    using rule = common_external_tariff::rule;
    const auto cet = [&](rule how) {
        auto cu = union_of({0, 1}, how);
        if (how == rule::member_schedule) cu.external.member = 1;
        if (how == rule::explicit_rates) cu.external.rates = (VectorXd(2) << 0.05, 0.0).finished();
        return std::pair{common_external_tariffs(cu, b), shock_of({cu}, 1.0, b)};
    };
    SECTION("trade-weighted mean: (0.1*20 + 0.2*10 + 0.04*5 + 0.5*10) / 45") {
        const auto [t, s] = cet(rule::trade_weighted_mean);
        CHECK_THAT(t(0, 2), WithinRel(9.2 / 45.0, 1e-14));
        CHECK(t(0, 3) == t(0, 2));
        CHECK(t(0, 0) == 0.0);
        CHECK(t(0, 1) == 0.0);
        // no imports of services: falls back to the simple mean (0.07 + 0 + 0 + 0) / 4
        CHECK_THAT(t(1, 2), WithinRel(0.0175, 1e-14));
        CHECK(s.tariffs[0](0, 2) == t(0, 2));
        CHECK(s.tariffs[0](1, 3) == t(0, 2));
        CHECK(s.tariffs[0](0, 1) == 0.0);       // internal free trade
        CHECK(s.tariffs[0](2, 0) == 0.3);       // non-members' own tariffs unchanged
        CHECK(s.tariffs[1](0, 2) == 0.07);      // non-traded sector: no CET
    }
    SECTION("simple mean: (0.1 + 0.2 + 0.04 + 0.5) / 4") {
        const auto [t, s] = cet(rule::simple_mean);
        CHECK_THAT(t(0, 2), WithinRel(0.21, 1e-14));
        CHECK(s.tariffs[0](1, 2) == t(0, 2));
    }
    SECTION("minimum: the lower member average, A's (2 + 2) / 30 against B's 5.2 / 15") {
        const auto [t, s] = cet(rule::minimum);
        CHECK_THAT(t(0, 3), WithinRel(2.0 / 15.0, 1e-14));
        CHECK(s.tariffs[0](1, 3) == t(0, 3));
    }
    SECTION("member schedule: B's tariffs, partner by partner") {
        const auto [t, s] = cet(rule::member_schedule);
        CHECK(t(0, 2) == 0.04);
        CHECK(t(0, 3) == 0.5);
        CHECK(s.tariffs[0](0, 2) == 0.04);
        CHECK(s.tariffs[0](0, 3) == 0.5);
    }
    SECTION("explicit rates") {
        const auto [t, s] = cet(rule::explicit_rates);
        CHECK(t(0, 2) == 0.05);
        CHECK(s.tariffs[0](1, 3) == 0.05);
        CHECK(s.tariffs[1](0, 2) == 0.07);
    }
}

TEST_CASE("a customs union whose CET is every member's current tariff equals the free-trade area",
          "[models][trade_policy][synthetic]") {
    // Members {0, 1} levy one schedule on non-members {2, 3}: 6% in sector 0, 15% in sector 1.
    const VectorXd schedule = (VectorXd(3) << 0.06, 0.15, 0.0).finished();
    const auto shared = [&](Index j, Index n, Index i, double t) { return n <= 1 && i >= 2 ? schedule(j) : t; };
    const auto b = random_base(4, 3, 2, 5, shared);
    const index_list members{0, 1};
    const free_trade_area fta{members, "fta"};
    const double phase = GENERATE(0.6, 1.0);
    const auto fta_shock = shock_of({fta}, phase, b);
    const auto fta_result = solve(b, fta_shock);
    using rule = common_external_tariff::rule;
    for (const auto how :
         {rule::trade_weighted_mean, rule::simple_mean, rule::minimum, rule::member_schedule, rule::explicit_rates}) {
        auto cu = union_of(members, how);
        if (how == rule::member_schedule) cu.external.member = 1;
        if (how == rule::explicit_rates) cu.external.rates = schedule;
        const auto s = shock_of({cu}, phase, b);
        CHECK(same(s.tariffs, fta_shock.tariffs));
        CHECK(same(solve(b, s), fta_result));
    }
    // Control: when the members' schedules differ the union is not the FTA.
    const auto b2 = random_base(4, 3, 2, 5, [](Index, Index, Index, double t) { return t; });
    const auto s2 = shock_of({union_of(members, rule::trade_weighted_mean)}, phase, b2);
    CHECK_FALSE(same(s2.tariffs, shock_of({fta}, phase, b2).tariffs));
}

TEST_CASE("revenue pooling: the sharing matrix and its phase-in", "[models][trade_policy][hand]") {
    const auto b = random_base(4, 3, 2, 9);
    auto cu = union_of({0, 2, 3}, common_external_tariff::rule::trade_weighted_mean,
                       revenue_rule::kind::pooled_equally);
    auto s = shock_of({cu}, 1.0, b);
    REQUIRE(s.revenue_sharing.rows() == 4);
    for (const Index m : {0, 2, 3}) {
        for (const Index n : {0, 2, 3}) CHECK_THAT(s.revenue_sharing(n, m), WithinAbs(1.0 / 3.0, 1e-15));
        CHECK(s.revenue_sharing(1, m) == 0.0);
    }
    CHECK(s.revenue_sharing(1, 1) == 1.0);
    CHECK(s.revenue_sharing.col(1).sum() == 1.0);
    // By GDP, half phased in: member m keeps 1/2 + 1/2 key_m, gives 1/2 key_n to n.
    cu.revenue.how = revenue_rule::kind::pooled_by_gdp;
    s = shock_of({cu}, 0.5, b);
    const double va = b.value_added(0) + b.value_added(2) + b.value_added(3);
    CHECK_THAT(s.revenue_sharing(2, 0), WithinRel(0.5 * b.value_added(2) / va, 1e-14));
    CHECK_THAT(s.revenue_sharing(0, 0), WithinRel(0.5 + 0.5 * b.value_added(0) / va, 1e-14));
    CHECK_THAT(s.revenue_sharing(3, 2), WithinRel(0.5 * b.value_added(3) / va, 1e-14));
    for (Index m = 0; m < 4; ++m) CHECK_THAT(s.revenue_sharing.col(m).sum(), WithinAbs(1.0, 1e-15));
    issues none;
    validate(b, s, none);
    CHECK(none.empty());
}

TEST_CASE("revenue pooling redistributes world tariff revenue by the key and satisfies every identity",
          "[models][trade_policy][synthetic]") {
    // Three regions; members 0 and 1 form a union at their current (different) tariffs via
    // member 0's schedule, so external revenue keeps flowing.
    const auto b = random_base(3, 3, 2, 21);
    const index_list members{0, 1};
    auto kept = union_of(members, common_external_tariff::rule::member_schedule);
    kept.external.member = 0;
    auto pooled = kept;
    pooled.revenue.how = GENERATE(revenue_rule::kind::pooled_equally, revenue_rule::kind::pooled_by_gdp);
    const auto ks = shock_of({kept}, 1.0, b);
    const auto ps = shock_of({pooled}, 1.0, b);
    CHECK(same(ks.tariffs, ps.tariffs));
    const auto rk = solve(b, ks);
    const auto rp = solve(b, ps);
    REQUIRE(rp.residual <= 1e-10);

    const double key0 = pooled.revenue.how == revenue_rule::kind::pooled_equally
                            ? 0.5
                            : b.value_added(0) / (b.value_added(0) + b.value_added(1));
    const double pool = rp.tariff_revenue(0) + rp.tariff_revenue(1);
    CHECK(pool > 0.0);
    // Received revenue follows the key; the outsider keeps its own; the world total is kept.
    CHECK_THAT(rp.tariff_revenue_received(0), WithinRel(key0 * pool, 1e-13));
    CHECK_THAT(rp.tariff_revenue_received(1), WithinRel((1.0 - key0) * pool, 1e-13));
    CHECK(rp.tariff_revenue_received(2) == rp.tariff_revenue(2));
    CHECK_THAT(rp.tariff_revenue_received.sum(), WithinRel(rp.tariff_revenue.sum(), 1e-14));
    CHECK(same(rk.tariff_revenue_received, rk.tariff_revenue));
    const double world_va = b.value_added.sum();
    for (Index n = 0; n < 3; ++n) {
        // I'_n = w-hat L-hat VA + received + D'
        CHECK_THAT(rp.final_absorption(n) - rp.value_added(n) - rp.tariff_revenue_received(n) - rp.deficit(n),
                   WithinAbs(0.0, 1e-13 * world_va));
        // the net transfer is paid for by trade: imports - exports = D' + received - collected
        const double balance = rp.imports_by_sector.col(n).sum() - rp.exports_by_sector.col(n).sum();
        CHECK_THAT(balance - rp.deficit(n) - (rp.tariff_revenue_received(n) - rp.tariff_revenue(n)),
                   WithinAbs(0.0, 1e-9 * b.value_added(n)));
        // labour market: w L = sum_j gamma^j Y^j
        CHECK_THAT(rp.value_added(n) - b.value_added_share.col(n).dot(rp.gross_output.col(n)),
                   WithinAbs(0.0, 1e-9 * b.value_added(n)));
        // welfare: exact I-hat / P-hat against the base year, where each kept its own
        CHECK_THAT(rp.welfare_change(n),
                   WithinRel(rp.final_absorption(n) / final_absorption(b)(n) / rp.price_index_change(n), 1e-13));
    }
    // world absorption = world VA + world revenue + world deficits (pooling moves, never creates)
    CHECK_THAT(rp.final_absorption.sum(), WithinRel(rp.value_added.sum() + rp.tariff_revenue.sum(), 1e-13));
    // eq. 13 with the cross-region revenue term against the dense LU reference
    const MatrixXd dense = expenditure_dense_reference(b, ps, rp);
    CHECK((dense - rp.expenditure).cwiseAbs().maxCoeff() < 1e-11 * rp.expenditure.cwiseAbs().maxCoeff());
    // The net recipient is better off than when each keeps its own, the net payer worse.
    const Index gainer = rp.tariff_revenue_received(0) > rp.tariff_revenue(0) ? 0 : 1;
    const Index payer = 1 - gainer;
    CHECK(rp.welfare_change(gainer) > rk.welfare_change(gainer));
    CHECK(rp.welfare_change(payer) < rk.welfare_change(payer));
    // The pooled equilibrium chains: as a base year it is reproduced by an empty shock.
    const auto next = counterfactual_as_base(b, ps, rp);
    const auto again = solve(next, counterfactual_shock{});
    CHECK((again.wage_change.array() - 1.0).abs().maxCoeff() < 1e-10);
    CHECK((again.final_absorption - rp.final_absorption).cwiseAbs().maxCoeff() < 1e-10 * world_va);
}

TEST_CASE("pooling revenue that does not exist changes nothing; pooling revenue that does, does",
          "[models][trade_policy][synthetic]") {
    const auto b = random_base(4, 3, 2, 13);
    const index_list members{1, 2};
    // A union with a zero CET collects no tariff at all when fully in force: like a
    // free-trade area with no external tariffs, pooling has nothing to redistribute.
    auto zero = union_of(members, common_external_tariff::rule::explicit_rates);
    zero.external.rates = VectorXd::Zero(3);
    auto zero_pooled = zero;
    zero_pooled.revenue.how = revenue_rule::kind::pooled_by_gdp;
    const auto r0 = solve(b, shock_of({zero}, 1.0, b));
    const auto r1 = solve(b, shock_of({zero_pooled}, 1.0, b));
    CHECK(r1.tariff_revenue(1) == 0.0);
    CHECK((r1.welfare_change - r0.welfare_change).cwiseAbs().maxCoeff() < 1e-12);
    CHECK((r1.wage_change - r0.wage_change).cwiseAbs().maxCoeff() < 1e-12);
    // With the members' tariffs kept outward (CET = member 1's schedule) the pooled
    // external revenue moves welfare between members.
    auto taxed = union_of(members, common_external_tariff::rule::member_schedule);
    taxed.external.member = 1;
    auto taxed_pooled = taxed;
    taxed_pooled.revenue.how = revenue_rule::kind::pooled_equally;
    const auto r2 = solve(b, shock_of({taxed}, 1.0, b));
    const auto r3 = solve(b, shock_of({taxed_pooled}, 1.0, b));
    CHECK((r3.welfare_change - r2.welfare_change).cwiseAbs().maxCoeff() > 1e-6);
    CHECK(r3.tariff_revenue_received(1) == Approx(r3.tariff_revenue_received(2)).epsilon(1e-14));
}

TEST_CASE("pooled solutions do not depend on the number of threads", "[models][trade_policy][synthetic][Parallel]") {
    const auto b = random_base(12, 6, 4, 17);
    const auto s = shock_of({union_of({0, 3, 4, 7, 8}, common_external_tariff::rule::trade_weighted_mean,
                                      revenue_rule::kind::pooled_by_gdp),
                             free_trade_area{{1, 2}, "fta"}},
                            0.7, b);
    const auto run = [&](int threads) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
        return solve(b, s);
    };
    const auto one = run(1), two = run(2);
    CHECK(one.iterations == two.iterations);
    CHECK(same(one, two));
    CHECK(same(one.tariff_revenue_received, two.tariff_revenue_received));
}

// =======================================================================================
// Validation

TEST_CASE("trade policies: every problem is reported, with its place and value", "[models][trade_policy][input]") {
    SECTION("empty and bad member lists") {
        CHECK_THAT(problems(free_trade_area{{}, ""}),
                   Contains("free_trade_area.members: member list is empty; need at least 2 regions"));
        CHECK_THAT(problems(free_trade_area{{2}, "fta"}), Contains("fta.members: need at least 2 member regions, got 1"));
        const auto m = problems(free_trade_area{{0, 7, 0, -1}, "fta"});
        CHECK_THAT(m, Contains("fta.members: region index 7 out of range [0, 4)"));
        CHECK_THAT(m, Contains("fta.members: region index -1 out of range [0, 4)"));
        CHECK_THAT(m, Contains("fta.members: region 0 listed more than once"));
        CHECK_THAT(m, Contains("3 problem(s)"));
    }
    SECTION("tariff rates, cuts and tables") {
        tariff_change t;
        t.importers = {0};
        t.exporters = {1};
        t.sectors = {};
        t.value = -1.0;
        t.label = "tc";
        auto m = problems(t);
        CHECK_THAT(m, Contains("tc.value: tariff rate must be > -1 (-100%, a fraction), got -1"));
        CHECK_THAT(m, Contains("tc.sectors: sector list is empty"));
        t.sectors = {0, 2};
        t.how = tariff_change::mode::cut;
        t.value = 1.5;
        CHECK_THAT(problems(t), Contains("tc.value: tariff cut must be in [0, 1] (the fraction of the tariff removed), got 1.5"));
        t.how = tariff_change::mode::table;
        t.table.assign(2, MatrixXd::Zero(4, 4));
        CHECK_THAT(problems(t), Contains("tc.table: expected 3 sector matrices (one per sector), got 2"));
        t.table.assign(3, MatrixXd::Zero(4, 4));
        t.table[1] = MatrixXd::Zero(4, 3);
        t.table[2](0, 1) = -1.5;
        m = problems(t);
        CHECK_THAT(m, Contains("tc.table[1]: expected shape N x N = 4 x 4, got 4 x 3"));
        t.table[1] = MatrixXd::Zero(4, 4);
        trade_equilibrium_base names;
        names.regions = {"ARG", "BRA", "CHL", "MEX"};
        names.sectors = {"agri", "mining", "manuf"};
        issues out;
        validate(t, names, out);
        CHECK_THAT(out.report("policy"), Contains("tc.table[ARG<-BRA/manuf]: tariff rate must be > -1 (-100%, a fraction), got -1.5"));
    }
    SECTION("trade-cost cuts outside [0, 1)") {
        trade_cost_change c;
        c.importers = {0};
        c.exporters = {1};
        c.sectors = {0};
        c.label = "cost";
        c.cut = 1.0;
        CHECK_THAT(problems(c), Contains("cost.cut: trade-cost cut must be in [0, 1) (the fraction of the iceberg cost removed), got 1"));
        c.cut = -0.1;
        CHECK_THAT(problems(c), Contains("got -0.1"));
        c.ave = -1.0;
        const auto m = problems(c);
        CHECK_THAT(m, Contains("cost: give exactly one of cut and ave, got both"));
        CHECK_THAT(m, Contains("cost.ave: ad-valorem equivalent must be > -1 (-100%, a fraction), got -1"));
        c.cut.reset();
        c.ave.reset();
        CHECK_THAT(problems(c), Contains("cost: give exactly one of cut and ave, got neither"));
    }
    SECTION("common external tariff") {
        auto cu = union_of({0, 1}, common_external_tariff::rule::member_schedule);
        cu.external.member = 3;
        trade_equilibrium_base names;
        names.regions = {"ARG", "BRA", "CHL", "MEX"};
        names.sectors = {"agri", "mining", "manuf"};
        issues out;
        validate(cu, names, out);
        CHECK_THAT(out.report("policy"), Contains("cu.external.member: region 3 (MEX) is not a member of the union"));
        cu.external.member = -1;
        CHECK_THAT(problems(cu), Contains("cu.external.member: member_schedule needs the index of a member in [0, 4), got -1"));
        cu.external.how = common_external_tariff::rule::explicit_rates;
        cu.external.rates = VectorXd::Zero(2);
        CHECK_THAT(problems(cu), Contains("cu.external.rates: expected 3 rates (one per sector), got 2"));
        cu.external.how = common_external_tariff::rule::simple_mean;
        CHECK_THAT(problems(cu), Contains("cu.external.rates: rates are given but the rule is not explicit_rates"));
    }
    SECTION("policies in force together") {
        const trade_policy a = union_of({0, 1, 2}, common_external_tariff::rule::trade_weighted_mean);
        trade_policy b = union_of({2, 3}, common_external_tariff::rule::simple_mean);
        std::get<customs_union>(b).label = "other";
        const trade_policy fta = free_trade_area{{0, 3}, "fta"};
        issues out;
        validate_together({&a, &fta, &b}, out, {"ARG", "BRA", "CHL", "MEX"});
        CHECK_THAT(out.report("scenario"),
                   Contains("cu, other: customs unions share region 2 (CHL) but differ in members, external tariff "
                            "rule; a region can apply only one common external tariff"));
        // The free-trade area joins union member ARG with outsider MEX (for "cu") and MEX
        // with outsider ARG (for "other"): both contradict the common external tariffs.
        CHECK_THAT(out.report("scenario"), Contains("cu, fta: the free-trade area joins union member region 0 (ARG) with non-member region 3 (MEX)"));
        CHECK(out.size() == 3);
        // Same members, same CET, different revenue rule: still two unions.
        trade_policy c = a;
        std::get<customs_union>(c).revenue.how = revenue_rule::kind::pooled_equally;
        issues out2;
        validate_together({&a, &c}, out2);
        CHECK_THAT(out2.report("scenario"), Contains("share region 0 but differ in revenue rule"));
        // The same union twice, and disjoint unions, are fine.
        const trade_policy d = union_of({3, 0}, common_external_tariff::rule::simple_mean);
        issues none;
        const trade_policy disjoint = union_of({3, 4}, common_external_tariff::rule::minimum);
        const trade_policy fta_inside = free_trade_area{{0, 1}, "fta inside the union"};
        validate_together({&a, &a, &fta_inside, &disjoint}, none);
        CHECK(none.empty());
        issues out3;
        validate_together({&d, &b}, out3);
        CHECK(out3.size() == 1);
    }
    SECTION("apply refuses a bad phase or a bad policy") {
        const auto base = random_base();
        counterfactual_shock s;
        REQUIRE_THROWS_AS(apply(free_trade_area{{0, 1}, "fta"}, 1.5, base, s), inconsistent_input);
        REQUIRE_THROWS_WITH(apply(free_trade_area{{0, 1}, "fta"}, 1.5, base, s),
                            Contains("fta: phase must be in [0, 1], got 1.5"));
        REQUIRE_THROWS_WITH(apply(free_trade_area{{0, 9}, "fta"}, 1.0, base, s),
                            Contains("trade policy fta: 1 problem(s)") &&
                                Contains("fta.members: region index 9 out of range [0, 4)"));
        CHECK(s.tariffs.empty());
    }
}

TEST_CASE("revenue sharing is validated with the shock", "[models][trade_policy][input]") {
    const auto b = random_base();
    counterfactual_shock s;
    s.revenue_sharing = MatrixXd::Identity(4, 4);
    s.revenue_sharing(1, 0) = 0.2;
    s.revenue_sharing(2, 3) = -0.1;
    s.revenue_sharing(3, 3) = 1.1;
    issues out;
    validate(b, s, out);
    const auto m = out.report("shock");
    CHECK_THAT(m, Contains("shock.revenue_sharing[:,R0]: shares of a collector's revenue must sum to 1 over receivers, got 1.2"));
    CHECK_THAT(m, Contains("shock.revenue_sharing[R2<-R3]: share must be >= 0, got -0.1"));
    CHECK(out.size() == 2);
    s.revenue_sharing = MatrixXd::Identity(3, 4);
    issues out2;
    validate(b, s, out2);
    CHECK_THAT(out2.report("shock"),
               Contains("shock.revenue_sharing: expected shape N x N (receiver x collector) = 4 x 4, got 3 x 4"));
    REQUIRE_THROWS_AS(solve(b, s), inconsistent_input);
}

// =======================================================================================
// CELAC customs union on the embedded dataset

TEST_CASE("celac38: a CELAC customs union with a trade-weighted CET converges and raises intra-CELAC trade",
          "[models][trade_policy][celac38]") {
    const auto data = sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/celac38");
    const trade_equilibrium_base b = equilibrium_base(data.economy);
    index_list celac;
    for (const auto& name : data.groups.at("CELAC"))
        celac.push_back(std::find(b.regions.begin(), b.regions.end(), name) - b.regions.begin());
    REQUIRE(celac.size() == 33);
    auto cu = union_of(celac, common_external_tariff::rule::trade_weighted_mean,
                       GENERATE(revenue_rule::kind::kept_by_collector, revenue_rule::kind::pooled_by_gdp));
    cu.label = "CELAC customs union";
    const auto s = shock_of({cu}, 1.0, b);
    const auto r = solve(b, s);
    CHECK(r.residual <= 1e-10);
    const double before = trade_within(bilateral_imports(b), celac);
    const double after = trade_within(r.imports, celac);
    CHECK(after > before);
    CHECK(r.welfare_change.allFinite());
    CHECK((r.welfare_change.array() > 0.9).all());
    CHECK((r.welfare_change.array() < 1.1).all());
    CHECK_THAT(r.tariff_revenue_received.sum(), WithinRel(r.tariff_revenue.sum(), 1e-12));
}

namespace {

struct celac_setup {
    trade_equilibrium_base base;
    index_list celac;
};

customs_union union_of_members(const index_list& members) {
    customs_union cu;
    cu.members = members;
    cu.label = "customs_union[0]";
    return cu;
}

celac_setup celac38() {
    const auto data = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/celac38");
    celac_setup out{equilibrium_base(data.economy), {}};
    for (const auto& m : data.groups.at("CELAC"))
        out.celac.push_back(std::find(data.economy.regions.begin(), data.economy.regions.end(), m) - data.economy.regions.begin());
    return out;
}

}  // namespace

TEST_CASE("CET over MFN-type tariffs leaves preferential zero rates out", "[trade_policy][celac38]") {
    const auto [base, celac] = celac38();
    customs_union cu = union_of_members(celac);
    cu.external.how = common_external_tariff::rule::trade_weighted_mfn_mean;
    const MatrixXd mfn = common_external_tariffs(cu, base);
    cu.external.how = common_external_tariff::rule::trade_weighted_mean;
    const MatrixXd applied = common_external_tariffs(cu, base);
    // Independent figures, computed with pandas from data/celac38/{trade,tariffs}.csv:
    // import-weighted mean over CELAC importers x non-member exporters, all pairs / positive tariffs only.
    const Index agriculture = 0, manufacturing = 2;
    const Index usa = 33;
    CHECK_THAT(applied(agriculture, usa), WithinAbs(0.0265, 5e-5));
    CHECK_THAT(applied(manufacturing, usa), WithinAbs(0.0414, 5e-5));
    CHECK_THAT(mfn(agriculture, usa), WithinAbs(0.0878, 5e-5));
    CHECK_THAT(mfn(manufacturing, usa), WithinAbs(0.0824, 5e-5));
}

TEST_CASE("a frozen customs union keeps its CET whatever base it is applied to", "[trade_policy][celac38]") {
    auto [base, celac] = celac38();
    customs_union cu = union_of_members(celac);
    freeze(cu, base);
    const MatrixXd frozen = cu.frozen_external;
    // Another year's baseline: different trade weights, same tariffs.
    counterfactual_shock growth;
    growth.labour_change = VectorXd::LinSpaced(base.n_regions(), 1.0, 1.5);
    const auto later = counterfactual_as_base(base, growth, solve(base, growth));
    counterfactual_shock on_later;
    apply(cu, 1.0, later, on_later);
    const Index usa = 33, brazil = 5;
    CHECK(on_later.tariffs[2](brazil, usa) == frozen(2, usa));
    const customs_union moving = union_of_members(celac);
    CHECK(common_external_tariffs(moving, later)(2, usa) != frozen(2, usa));
}

TEST_CASE("a tariff table's NaN cells are left as they are", "[trade_policy]") {
    const auto [base, celac] = celac38();
    tariff_change edit;
    edit.label = "tariff_change[0]";
    edit.how = tariff_change::mode::table;
    edit.table.assign(base.tariffs.size(), MatrixXd::Constant(base.n_regions(), base.n_regions(), std::nan("")));
    edit.table[2](5, 36) = 0.2;  // Brazil on Chinese manufactures
    for (Index r = 0; r < base.n_regions(); ++r) edit.importers.push_back(r), edit.exporters.push_back(r);
    for (Index j = 0; j < base.n_sectors(); ++j) edit.sectors.push_back(j);
    free_trade_area fta{celac, "free_trade_area[0]"};
    counterfactual_shock shock;
    apply(fta, 1.0, base, shock);
    apply(edit, 1.0, base, shock);
    CHECK(shock.tariffs[2](5, 36) == 0.2);
    CHECK(shock.tariffs[2](5, 0) == 0.0);  // Brazil on Argentina: the free-trade area's zero stays
    issues found;
    validate(trade_policy(edit), base.n_regions(), base.n_sectors(), found);
    CHECK(found.empty());
}

TEST_CASE("a free-trade area joining a union member with an outsider contradicts the union", "[trade_policy]") {
    const trade_policy cu = union_of_members({0, 1, 2});
    const trade_policy fta = free_trade_area{{2, 3}, "free_trade_area[0]"};
    const trade_policy inside = free_trade_area{{0, 1}, "free_trade_area[1]"};
    issues found;
    validate_together({&cu, &fta, &inside}, found, {"AAA", "BBB", "CCC", "DDD"});
    REQUIRE(found.size() == 1);
    CHECK(found.list()[0].where == "customs_union[0], free_trade_area[0]");
    CHECK_THAT(found.list()[0].message, Contains("joins union member region 2 (CCC) with non-member region 3 (DDD)"));
}

// =======================================================================================
// A union's members and their agreements with outsiders (keep, dissolve, one-sided)
// =======================================================================================

namespace {

// Five regions, two tradable sectors: members {0, 1, 2}; member 0 and outsider 3 have a
// free-trade agreement (zero both ways) that their non-preferential rates would replace:
// 10% charged by member 0 on region 3, 12% by region 3 on member 0.
struct agreement_case {
    trade_equilibrium_base base;
    std::vector<MatrixXd> non_preferential;
};

agreement_case with_agreement(bool agreement) {
    const auto fta = [agreement](Index, Index n, Index i, double t) {
        return agreement && ((n == 0 && i == 3) || (n == 3 && i == 0)) ? 0.0 : t;
    };
    agreement_case c{random_base(5, 3, 2, 11, fta), {}};
    c.non_preferential = c.base.tariffs;
    for (Index j = 0; j < 2; ++j) {
        c.non_preferential[static_cast<std::size_t>(j)](0, 3) = 0.10;
        c.non_preferential[static_cast<std::size_t>(j)](3, 0) = 0.12;
    }
    if (!agreement) c.non_preferential = c.base.tariffs;  // every pair at its MFN rate
    return c;
}

customs_union union_with(const agreement_case& c, external_agreements how) {
    auto cu = union_of({0, 1, 2}, common_external_tariff::rule::simple_mean);
    cu.agreements = how;
    cu.non_preferential = c.non_preferential;
    freeze(cu, c.base);
    return cu;
}

}  // namespace

TEST_CASE("preferences in force are the pairs charged below their non-preferential rate", "[trade_policy][hand]") {
    const auto c = with_agreement(true);
    const auto pref = preferences_in_force(c.non_preferential, c.base);
    REQUIRE(pref.size() == 3);
    for (std::size_t j = 0; j < 2; ++j)
        for (Index n = 0; n < 5; ++n)
            for (Index i = 0; i < 5; ++i) CHECK(pref[j](n, i) == ((n == 0 && i == 3) || (n == 3 && i == 0)));
    CHECK_FALSE(pref[2].any());  // not tradable
    for (const auto& sector : preferences_in_force({}, c.base)) CHECK_FALSE(sector.any());
    const auto none = with_agreement(false);
    for (const auto& sector : preferences_in_force(none.non_preferential, none.base)) CHECK_FALSE(sector.any());
}

TEST_CASE("an agreement that covers some sectors is kept in those sectors only", "[trade_policy][hand]") {
    auto c = with_agreement(true);
    c.non_preferential[1](0, 3) = c.base.tariffs[1](0, 3);  // member 0 grants region 3 nothing in sector 1
    const auto cet = common_external_tariffs(union_of({0, 1, 2}, common_external_tariff::rule::simple_mean), c.base);
    const auto shock = shock_of({union_with(c, external_agreements::keep)}, 1.0, c.base);
    CHECK(shock.tariffs[0](0, 3) == 0.0);        // covered: the preference stays
    CHECK(shock.tariffs[1](0, 3) == cet(1, 3));  // not covered: the CET
}

TEST_CASE("dissolving reverts only the preferences of partners the member granted one", "[trade_policy][hand]") {
    auto c = with_agreement(true);
    for (std::size_t j = 0; j < 2; ++j) c.non_preferential[j](0, 3) = c.base.tariffs[j](0, 3);  // one way: 3 -> 0 only
    const auto shock = shock_of({union_with(c, external_agreements::dissolve)}, 1.0, c.base);
    for (std::size_t j = 0; j < 2; ++j) CHECK(shock.tariffs[j](3, 0) == 0.0);  // a GSP-type scheme stays
}

TEST_CASE("dissolving agreements is reciprocal; keeping them leaves the partners at zero", "[trade_policy][hand]") {
    const auto c = with_agreement(true);
    const auto cet = common_external_tariffs(union_of({0, 1, 2}, common_external_tariff::rule::simple_mean), c.base);
    for (Index j = 0; j < 2; ++j) {
        const auto s = static_cast<std::size_t>(j);
        INFO("sector " << j);
        {  // dissolve: member 0 levies the CET on its former partner, which reverts to its MFN rate
            const auto shock = shock_of({union_with(c, external_agreements::dissolve)}, 1.0, c.base);
            CHECK(shock.tariffs[s](0, 3) == cet(j, 3));
            CHECK(shock.tariffs[s](3, 0) == 0.12);
            // outsiders' tariffs on members without an agreement are untouched
            CHECK(shock.tariffs[s](3, 1) == c.base.tariffs[s](3, 1));
            CHECK(shock.tariffs[s](4, 0) == c.base.tariffs[s](4, 0));
            // phased in halfway, halfway there
            const auto half = shock_of({union_with(c, external_agreements::dissolve)}, 0.5, c.base);
            CHECK_THAT(half.tariffs[s](3, 0), WithinAbs(0.06, 1e-15));
        }
        {  // keep: the agreement stands both ways; every other outsider faces the CET
            const auto shock = shock_of({union_with(c, external_agreements::keep)}, 1.0, c.base);
            CHECK(shock.tariffs[s](0, 3) == 0.0);
            CHECK(shock.tariffs[s](3, 0) == 0.0);
            CHECK(shock.tariffs[s](1, 3) == cet(j, 3));
            CHECK(shock.tariffs[s](0, 4) == cet(j, 4));
        }
        {  // one-sided: the member taxes its former partner, which still charges it zero
            const auto shock = shock_of({union_with(c, external_agreements::dissolve_one_sided)}, 1.0, c.base);
            CHECK(shock.tariffs[s](0, 3) == cet(j, 3));
            CHECK(shock.tariffs[s](3, 0) == 0.0);
        }
    }
    // The non-tradable sector is never touched.
    const auto shock = shock_of({union_with(c, external_agreements::dissolve)}, 1.0, c.base);
    CHECK(shock.tariffs[2] == c.base.tariffs[2]);
}

TEST_CASE("a union with no external agreements gives the same result under every setting", "[trade_policy][synthetic]") {
    const auto c = with_agreement(false);
    const auto keep = shock_of({union_with(c, external_agreements::keep)}, 1.0, c.base);
    const auto keep_result = solve(c.base, keep);
    for (const auto how : {external_agreements::dissolve, external_agreements::dissolve_one_sided}) {
        const auto other = shock_of({union_with(c, how)}, 1.0, c.base);
        CHECK(same(other.tariffs, keep.tariffs));
        CHECK(same(solve(c.base, other), keep_result));
    }
    // Control: with the agreement, the settings differ.
    const auto a = with_agreement(true);
    CHECK_FALSE(same(shock_of({union_with(a, external_agreements::keep)}, 1.0, a.base).tariffs,
                     shock_of({union_with(a, external_agreements::dissolve)}, 1.0, a.base).tariffs));
}

TEST_CASE("a free-trade area of the whole union with outsiders is allowed; of some members, not", "[trade_policy]") {
    const trade_policy cu = union_of_members({0, 1, 2});
    const trade_policy whole = free_trade_area{{0, 1, 2, 3}, "free_trade_area[0]"};
    issues found;
    validate_together({&cu, &whole}, found, {"AAA", "BBB", "CCC", "DDD"});
    CHECK(found.empty());
    const trade_policy part = free_trade_area{{0, 1, 3}, "free_trade_area[1]"};
    validate_together({&cu, &part}, found, {"AAA", "BBB", "CCC", "DDD"});
    REQUIRE(found.size() == 1);
    CHECK_THAT(found.list()[0].message, Contains("leaves out union member region 2 (CCC)"));
    // Two listings of one union that differ only in what they do with agreements contradict.
    auto keep = union_of({0, 1, 2}, common_external_tariff::rule::simple_mean);
    auto dissolve = keep;
    dissolve.agreements = external_agreements::dissolve;
    const trade_policy k = keep, d = dissolve;
    issues twice;
    validate_together({&k, &d}, twice);
    REQUIRE(twice.size() == 1);
    CHECK_THAT(twice.list()[0].message, Contains("external agreements"));
}

TEST_CASE("a union's non-preferential rates are validated", "[trade_policy][input]") {
    auto cu = union_of({0, 1}, common_external_tariff::rule::simple_mean);
    cu.non_preferential = {MatrixXd::Zero(4, 4)};
    CHECK_THAT(problems(cu), Contains("cu.non_preferential: expected 3 matrices (one per sector), got 1"));
    cu.non_preferential.assign(3, MatrixXd::Zero(4, 4));
    cu.non_preferential[1](0, 1) = -1.5;
    CHECK_THAT(problems(cu), Contains("cu.non_preferential[sector 1]: tariff rates must be > -1"));
}

TEST_CASE("productivity and labour policies: validation and their mapping onto the shock", "[trade_policy]") {
    const auto [base, celac] = celac38();
    issues found;
    validate(trade_policy(labour_change{{}, -2.0, "labour_change[0]"}), base.n_regions(), base.n_sectors(), found);
    CHECK_THAT(found.report("policy"), Contains("labour_change[0].regions: region list is empty"));
    CHECK_THAT(found.report("policy"), Contains("labour_change[0].change: labour change must be in (-1, 10] (-100% to +1000%), got -2"));
    counterfactual_shock shock;
    apply(trade_policy(productivity_change{{5}, {2}, 0.1, "productivity_change[0]"}), 0.5, base, shock);
    apply(trade_policy(labour_change{{5}, 0.02, "labour_change[0]"}), 1.0, base, shock);
    // lambda-hat = A-hat^theta with A-hat = 1 + 0.5 * 0.1 (Caliendo & Parro 2015, eq. 4).
    CHECK_THAT(shock.productivity_change(2, 5), WithinRel(std::pow(1.05, base.theta(2)), 1e-15));
    CHECK(shock.productivity_change(1, 5) == 1.0);
    CHECK(shock.labour_change(5) == 1.02);
    CHECK(shock.labour_change(4) == 1.0);
}
