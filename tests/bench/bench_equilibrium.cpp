// Benchmark of the trade equilibrium (not a test; ctest does not run it):
//   1. the Caliendo & Parro (2015) NAFTA counterfactual (31 regions x 40 sectors) on the
//      authors' zero-deficit 1993 base, to a tolerance of 1e-10;
//   2. a synthetic OECD-ICIO-sized economy, 77 regions x 45 sectors, with a random tariff change;
//   3. a full celac38 projection, 2023-2050, baseline and a customs union, all outputs
//      written (scenarios/celac_customs_union.toml).
// Each with 1 and 2 threads: median, minimum and maximum wall time over the repetitions.
//   build/tests/bench_equilibrium [repetitions]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <tbb/global_control.h>

#include "models/calibration.hpp"
#include "models/trade_equilibrium.hpp"
#include "sim/io/netcdf_file.hpp"
#include "sim/runner.hpp"
#include "sim/scenario/scenario.hpp"
#include "unit/models/cp_test_data.hpp"

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using clock_type = std::chrono::steady_clock;

struct timing {
    double median, min, max;
};

timing time_it(int repetitions, const std::function<void()>& work) {
    std::vector<double> ms;
    for (int r = 0; r < repetitions; ++r) {
        const auto start = clock_type::now();
        work();
        ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.front(), ms.back()};
}

void report(const char* what, int threads, const timing& t, const std::string& extra) {
    std::printf("%-44s %2d thread(s): median %9.2f ms  (min %9.2f, max %9.2f)  %s\n", what, threads, t.median, t.min, t.max,
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

}  // namespace

int main(int argc, char** argv) {
    const int repetitions = argc > 1 ? std::atoi(argv[1]) : 11;
    std::printf("trade-equilibrium benchmark, %d repetitions each\n\n", repetitions);

    if (const auto dir = integra::test::cp_data_dir()) {
        const auto base = integra::test::load_cp_base(*dir + "/calibrated/base_1993_noS");
        const auto later = integra::test::load_cp_tariffs(*dir + "/raw/tariffs2005.txt", base.n_regions(), base.n_sectors());
        integra::models::counterfactual_shock nafta;
        nafta.tariffs = integra::test::nafta_tariffs(base.tariffs, later);
        for (int threads : {1, 2}) {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
            integra::models::equilibrium_result r;
            const auto t = time_it(repetitions, [&] { r = integra::models::solve(base, nafta); });
            report("NAFTA (CP 2015), 31 x 40, tol 1e-10", threads, t,
                   std::to_string(r.iterations) + " iterations, residual " + std::to_string(r.residual));
        }
    } else {
        std::printf("NAFTA: skipped (../shared/data/caliendo-parro not found; set INTEGRA_SHARED_DATA)\n");
    }

    {
        const auto e = synthetic_economy(77, 45, 7);
        const auto base = integra::models::equilibrium_base(e);
        integra::models::counterfactual_shock shock;
        shock.tariffs = base.tariffs;
        for (auto& m : shock.tariffs) m *= 0.5;  // halve every tariff
        for (int threads : {1, 2}) {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
            integra::models::equilibrium_result r;
            const auto t = time_it(std::max(1, repetitions / 4), [&] { r = integra::models::solve(base, shock); });
            report("synthetic 77 x 45, all tariffs halved", threads, t, std::to_string(r.iterations) + " iterations");
        }
    }

    {
        const auto scenario = integra::sim::load_scenario(INTEGRA_TEST_DIR "/../scenarios/celac_customs_union.toml");
        const auto out = std::filesystem::temp_directory_path() / "integra_bench_celac.h5";
        for (int threads : {1, 2}) {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
            const auto t = time_it(repetitions, [&] {
                const auto results = integra::sim::run_scenario(scenario.spec, scenario.data);
                integra::sim::write_netcdf4(results, out);
            });
            report("celac38 customs union 2023-2050, written", threads, t, "56 equilibria");
        }
        std::filesystem::remove(out);
    }
    return 0;
}
