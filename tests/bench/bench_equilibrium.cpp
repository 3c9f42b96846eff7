// Benchmark of the trade equilibrium (not a test; ctest does not run it):
//   nafta      the Caliendo & Parro (2015) NAFTA counterfactual (31 regions x 40 sectors)
//              on the authors' zero-deficit 1993 base, to a tolerance of 1e-10;
//   synthetic  a synthetic OECD-ICIO-sized economy, 77 regions x 45 sectors, every tariff
//              halved;
//   celac38    single equilibria of the flagship's size (38 regions x 4 sectors, the
//              embedded dataset): the 2035 baseline (labour path), a CELAC customs union
//              solved cold, and the same union warm-started from the 80%-phased-in one, as
//              the runner warm-starts year after year. Each on 1 thread inside a
//              tbb::task_arena of concurrency 1 (how a sweep runs one point) and in an
//              arena of 2 threads;
//   flagship   a full celac38 projection, 2023-2050, baseline and a customs union, all
//              outputs written (scenarios/celac_customs_union.toml).
// Each with 1 and 2 threads: median, minimum and maximum wall time over the repetitions.
//   build/tests/bench_equilibrium [repetitions] [nafta|synthetic|celac38|flagship]... [--threads 1,2]
// With no case named, all four run. For instruction counts of the celac38 solves alone:
//   valgrind --tool=callgrind --toggle-collect='integra::models::solve*'
//       build/tests/bench_equilibrium 1 celac38 --threads 1
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include "models/calibration.hpp"
#include "models/trade_equilibrium.hpp"
#include "models/trade_policy.hpp"
#include "sim/bound_scenario.hpp"
#include "sim/io/netcdf_file.hpp"
#include "sim/runner.hpp"
#include "unit/models/cp_test_data.hpp"
#include "tests/bench/timing.hpp"

namespace {

using Eigen::Index;
using Eigen::MatrixXd;

using integra::bench::time_it;
using integra::bench::timing;

void report(const char* what, int threads, const timing& t, const std::string& extra) {
    std::printf("%-44s %2d thread(s): median %9.3f ms  (min %9.3f, max %9.3f)  %s\n", what, threads, t.median, t.min, t.max,
                extra.c_str());
}

// A consistent random economy: random flows and cost shares, final use as the residual
// (input shares are kept small so that final use stays positive).
integra::models::economy synthetic_economy(Index N, Index J, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    integra::models::economy e;
    e.name = "synthetic";
    e.base_year = 2020;
    e.unit = "million USD";
    for (Index n = 0; n < N; ++n) e.regions.push_back("R" + std::to_string(n));
    for (Index j = 0; j < J; ++j) e.sectors.push_back("S" + std::to_string(j));
    e.tradable.assign(static_cast<std::size_t>(J), true);
    e.trade_elasticity = Eigen::VectorXd::Constant(J, 5.0);
    e.trade.assign(static_cast<std::size_t>(J), MatrixXd::Zero(N, N));
    e.tariffs.assign(static_cast<std::size_t>(J), MatrixXd::Zero(N, N));
    for (Index j = 0; j < J; ++j)
        for (Index i = 0; i < N; ++i)
            for (Index n = 0; n < N; ++n) {
                e.trade[static_cast<std::size_t>(j)](i, n) = i == n ? 50.0 + 50.0 * u(rng) : 2.0 * u(rng);
                if (i != n) e.tariffs[static_cast<std::size_t>(j)](i, n) = 0.1 * u(rng);
            }
    e.gross_output.resize(N, J);
    for (Index j = 0; j < J; ++j) e.gross_output.col(j) = e.trade[static_cast<std::size_t>(j)].rowwise().sum();
    e.io_coefficients.assign(static_cast<std::size_t>(N), MatrixXd::Zero(J, J));
    e.value_added.resize(N, J);
    for (Index n = 0; n < N; ++n) {
        MatrixXd& g = e.io_coefficients[static_cast<std::size_t>(n)];
        for (Index j = 0; j < J; ++j) {
            for (Index k = 0; k < J; ++k) g(k, j) = u(rng);
            g.col(j) *= 0.4 / g.col(j).sum();  // materials: 40% of gross output
            e.value_added(n, j) = 0.6 * e.gross_output(n, j);
        }
    }
    const MatrixXd x = e.expenditure();
    e.final_demand_share.resize(N, J);
    for (Index n = 0; n < N; ++n) {
        const Eigen::VectorXd final_use = x.row(n).transpose() - e.io_coefficients[static_cast<std::size_t>(n)] * e.gross_output.row(n).transpose();
        e.final_demand_share.row(n) = (final_use / final_use.sum()).transpose();
    }
    e.deficit = e.imports() - e.exports();
    return e;
}

// Single celac38 equilibria of the flagship (scenarios/celac_customs_union.toml: its
// base, with the scenario's trade elasticities, its labour path and its customs union),
// each solved repeatedly inside a task_arena of `threads`.
void bench_celac38(const integra::sim::bound_scenario& scenario, int repetitions, const std::vector<int>& thread_counts) {
    namespace m = integra::models;
    const auto& setup = std::get<integra::sim::trade_equilibrium_setup>(scenario.model);
    const m::trade_equilibrium_base& base = setup.base;

    // The 2035 baseline (labour path and baseline trends), and the union fully phased in
    // (and at 80%, for the warm start the runner would have from the year before).
    const int year = std::clamp(2035, scenario.first_year, scenario.last_year);
    m::counterfactual_shock baseline, union_full, union_80;
    baseline.labour_change = setup.labour.effective(static_cast<std::size_t>(year - scenario.first_year));
    for (const auto& p : setup.policies) {
        if (p.baseline) {
            m::apply(p.policy, p.phase.share(year), base, baseline);
        } else {
            m::apply(p.policy, 1.0, base, union_full);
            m::apply(p.policy, 0.8, base, union_80);
        }
    }
    m::solver_options cold = setup.solver, warm = setup.solver;
    warm.initial_wage_change = m::solve(base, union_80, cold).wage_change;

    struct problem {
        const char* what;
        const m::counterfactual_shock* shock;
        const m::solver_options* options;
    };
    const problem problems[] = {{"celac38 baseline 2035, cold start", &baseline, &cold},
                                {"celac38 customs union, cold start", &union_full, &cold},
                                {"celac38 customs union, warm start", &union_full, &warm}};
    for (const auto& p : problems)
        for (int threads : thread_counts) {
            tbb::task_arena arena(threads);
            m::equilibrium_result r;
            timing t{};
            arena.execute([&] { t = time_it(repetitions, [&] { r = m::solve(base, *p.shock, *p.options); }); });
            report(p.what, threads, t,
                   std::to_string(r.iterations) + " iterations, " + std::to_string(r.price_iterations) + " price sweeps, " +
                       std::to_string(r.expenditure_iterations) + " GMRES steps");
        }
}

}  // namespace

int main(int argc, char** argv) {
    int repetitions = 11;
    std::set<std::string> cases;
    std::vector<int> thread_counts{1, 2};
    for (int a = 1; a < argc; ++a) {
        const std::string arg = argv[a];
        if (arg == "--threads" && a + 1 < argc) {
            thread_counts.clear();
            for (const char* s = argv[++a]; *s;) {
                char* end = nullptr;
                thread_counts.push_back(static_cast<int>(std::strtol(s, &end, 10)));
                s = *end == ',' ? end + 1 : end;
                if (end == s && *s) break;
            }
        } else if (arg == "nafta" || arg == "synthetic" || arg == "celac38" || arg == "flagship") {
            cases.insert(arg);
        } else if (std::atoi(arg.c_str()) > 0) {
            repetitions = std::atoi(arg.c_str());
        } else {
            std::fprintf(stderr, "usage: bench_equilibrium [repetitions] [nafta|synthetic|celac38|flagship]... [--threads 1,2]\n");
            return 2;
        }
    }
    const auto wanted = [&](const char* c) { return cases.empty() || cases.count(c) != 0; };
    std::printf("trade-equilibrium benchmark, %d repetitions each\n\n", repetitions);

    if (wanted("nafta")) {
        if (const auto dir = integra::test::cp_data_dir()) {
            const auto base = integra::test::load_cp_base(*dir + "/calibrated/base_1993_noS");
            const auto later =
                integra::test::load_cp_tariffs(*dir + "/raw/tariffs2005.txt", base.n_regions(), base.n_sectors());
            integra::models::counterfactual_shock nafta;
            nafta.tariffs = integra::test::nafta_tariffs(base.tariffs, later);
            for (int threads : thread_counts) {
                tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
                integra::models::equilibrium_result r;
                const auto t = time_it(repetitions, [&] { r = integra::models::solve(base, nafta); });
                report("NAFTA (CP 2015), 31 x 40, tol 1e-10", threads, t,
                       std::to_string(r.iterations) + " iterations, residual " + std::to_string(r.residual));
            }
        } else {
            std::printf("NAFTA: skipped (../shared/data/caliendo-parro not found; set INTEGRA_SHARED_DATA)\n");
        }
    }

    if (wanted("synthetic")) {
        const auto e = synthetic_economy(77, 45, 7);
        const auto base = integra::models::equilibrium_base(e);
        integra::models::counterfactual_shock shock;
        shock.tariffs = base.tariffs;
        for (auto& m : shock.tariffs) m *= 0.5;  // halve every tariff
        for (int threads : thread_counts) {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
            integra::models::equilibrium_result r;
            const auto t = time_it(std::max(1, repetitions / 4), [&] { r = integra::models::solve(base, shock); });
            report("synthetic 77 x 45, all tariffs halved", threads, t, std::to_string(r.iterations) + " iterations");
        }
    }

    if (wanted("celac38") || wanted("flagship")) {
        const auto scenario = integra::sim::load_scenario(INTEGRA_TEST_DIR "/../scenarios/celac_customs_union.toml");
        if (wanted("celac38")) bench_celac38(scenario, std::max(1, 5 * repetitions), thread_counts);
        if (wanted("flagship")) {
            const auto out = std::filesystem::temp_directory_path() / "integra_bench_celac.h5";
            for (int threads : thread_counts) {
                integra::sim::run_options options;
                options.threads = threads;
                const auto t = time_it(repetitions, [&] {
                    const auto results = integra::sim::run_scenario(scenario, options);
                    integra::sim::write_netcdf4(results, out);
                });
                report("celac38 customs union 2023-2050, written", threads, t, "56 equilibria");
            }
            std::filesystem::remove(out);
        }
    }
    return 0;
}
