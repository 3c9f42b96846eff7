// Benchmark of x = L y at scale and of structural path analysis (not a test; ctest does
// not run it). docs/io-accounting.md quotes its output.
//   choice    n = 100 ... 1,000, one demand vector: dense LU solve vs BiCGSTAB (the
//             crossover behind dense_max_n in models/leontief_solve.hpp);
//   solve     n = 1,000, 2,000, 4,000 with ~7% non-zeros (column sums < 0.8): the dense
//             inverse (leontief_inverse, then L y) vs the iterative solve, for 1 and for 50
//             demand vectors; the dense LU solve; the power series for 1 vector;
//   spa       structural paths on n = 1,000 (share thresholds 1e-5 and 1e-6, depth 8);
//   accounts  every account of `integra io accounts` (models/io_accounts.hpp) on a random
//             full MRIO of 49 regions x (n / 49) sectors, 7 final-demand categories and 20
//             stressors, A with about 10% non-zeros: the iterative operator (L never formed)
//             against the formed L (LAPACK), 2 threads, at the --sizes given;
//   dense     the dense inverse L = (I - A)^-1 at the --sizes given: Eigen's (TBB) against
//             LAPACK on OpenBLAS (dgetrf + dgecon + dgetri), 1 and 2 threads; Eigen is
//             skipped above n = 4,000 (minutes). tests/bench/numpy_inverse.py times
//             numpy.linalg.inv on the same kind of matrix for the side-by-side comparison.
// Each timing with 1 and 2 threads (tbb::global_control, openblas_set_num_threads): median,
// minimum and maximum wall time in ms over the repetitions.
//   build/tests/bench_leontief [repetitions] [choice|solve|spa|dense|accounts]... [--sizes 1000,2000,4000]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <tbb/global_control.h>

#include "models/io_accounts.hpp"
#include "models/leontief_operator.hpp"
#include "models/leontief_solve.hpp"
#include "models/mrio_accounting.hpp"
#include "models/numerics/lapack_inverse.hpp"
#include "models/structural_paths.hpp"
#include "tests/unit/models/portable_random.hpp"
#include "tests/bench/timing.hpp"

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
namespace m = integra::models;

using integra::bench::time_it;
using integra::bench::timing;

using lcg = integra::testing::portable_uniform;

// ~density non-zeros (diagonal always), column sums uniform in [0.24, 0.8).
MatrixXd random_coefficients(Index n, double density, std::uint64_t seed) {
    lcg u{seed};
    MatrixXd a = MatrixXd::Zero(n, n);
    for (Index j = 0; j < n; ++j) {
        for (Index i = 0; i < n; ++i)
            if (i == j || u() < density) a(i, j) = u();
        a.col(j) *= 0.8 * (0.3 + 0.7 * u()) / a.col(j).sum();
    }
    return a;
}

MatrixXd random_demand(Index n, Index k, std::uint64_t seed) {
    lcg u{seed};
    return MatrixXd::NullaryExpr(n, k, [&](Index, Index) { return 100.0 * u(); });
}

double sink = 0.0;  // keeps results alive

void row(const char* what, Index n, int threads, const timing& t, const std::string& note = "") {
    std::printf("%-34s n=%-5ld threads=%d  median %10.1f ms  (min %10.1f, max %10.1f)  %s\n", what,
                static_cast<long>(n), threads, t.median, t.min, t.max, note.c_str());
    std::fflush(stdout);
}

// Times `work` and prints a row; the note is taken after the timing (it may read results).
void timed_row(const char* what, Index n, int threads, int repetitions, const std::function<void()>& work,
               const std::function<std::string()>& note = [] { return std::string(); }) {
    const timing t = time_it(repetitions, work);
    row(what, n, threads, t, note());
}

void bench_choice(int repetitions) {
    std::printf("\n== choice: one demand vector, dense LU solve vs BiCGSTAB (7%% non-zeros) ==\n");
    for (const Index n : {Index{100}, Index{200}, Index{300}, Index{500}, Index{1000}}) {
        const MatrixXd a = random_coefficients(n, 0.07, 1);
        const auto as = m::sparse_technical_coefficients(a);
        const MatrixXd y = random_demand(n, 1, 2);
        for (const int threads : {1, 2}) {
            const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
            timed_row("dense LU solve, 1 vector", n, threads, repetitions, [&] {
                MatrixXd i_minus_a = -a;
                i_minus_a.diagonal().array() += 1.0;
                sink += i_minus_a.partialPivLu().solve(y)(0, 0);
            });
            m::leontief_solve_report report;
            timed_row("bicgstab, 1 vector", n, threads, repetitions,
                      [&] { sink += m::leontief_solve(as, y, {}, &report)(0, 0); },
                      [&] { return "iterations " + std::to_string(report.iterations[0]); });
        }
    }
}

void bench_solve(int repetitions, const std::vector<Index>& sizes) {
    std::printf("\n== solve: dense inverse vs iterative (about 7%% non-zeros, column sums < 0.8) ==\n");
    for (const Index n : sizes) {
        const MatrixXd a = random_coefficients(n, 0.07, 3);
        const auto as = m::sparse_technical_coefficients(a);
        const MatrixXd y1 = random_demand(n, 1, 4);
        const MatrixXd y50 = random_demand(n, 50, 5);
        std::printf("n = %ld: %ld non-zeros (%.1f%%)\n", static_cast<long>(n), static_cast<long>(as.nonZeros()),
                    100.0 * static_cast<double>(as.nonZeros()) / static_cast<double>(n * n));
        const int reps = n >= 4000 ? 1 : repetitions;
        for (const int threads : {1, 2}) {
            const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
            MatrixXd l;
            timed_row("dense inverse L (leontief_inverse)", n, threads, reps, [&] { l = m::leontief_inverse(a); });
            timed_row("  then L y, 1 vector", n, threads, reps, [&] { sink += (l * y1)(0, 0); });
            timed_row("  then L Y, 50 vectors", n, threads, reps, [&] { sink += (l * y50)(0, 0); });
            MatrixXd i_minus_a = -a;
            i_minus_a.diagonal().array() += 1.0;
            timed_row("dense LU solve, 1 vector", n, threads, reps,
                      [&] { sink += i_minus_a.partialPivLu().solve(y1)(0, 0); });
            m::leontief_solve_report report;
            timed_row("bicgstab, 1 vector", n, threads, repetitions,
                      [&] { sink += m::leontief_solve(as, y1, {}, &report)(0, 0); },
                      [&] { return "iterations " + std::to_string(report.iterations[0]); });
            timed_row("bicgstab, 50 vectors", n, threads, repetitions,
                      [&] { sink += m::leontief_solve(as, y50, {}, &report)(0, 0); },
                      [&] {
                          return "max iterations " +
                                 std::to_string(*std::max_element(report.iterations.begin(), report.iterations.end()));
                      });
            m::leontief_solve_options power;
            power.method = m::leontief_iteration::power_series;
            timed_row("power series, 1 vector", n, threads, repetitions,
                      [&] { sink += m::leontief_solve(as, y1, power, &report)(0, 0); },
                      [&] { return "iterations " + std::to_string(report.iterations[0]); });
            const MatrixXd x_dense = l * y50;
            const MatrixXd x_iter = m::leontief_solve(as, y50);
            std::printf("  max relative difference dense vs iterative over 50 vectors: %.2e\n",
                        ((x_dense - x_iter).colwise().norm().array() / x_dense.colwise().norm().array()).maxCoeff());
        }
    }
}

void bench_spa(int repetitions) {
    const Index n = 1000;
    std::printf("\n== spa: structural paths, n = %ld, about 7%% non-zeros, depth 8 ==\n", static_cast<long>(n));
    const MatrixXd a = random_coefficients(n, 0.07, 6);
    const auto as = m::sparse_technical_coefficients(a);
    const VectorXd s = random_demand(n, 1, 7).col(0) / 100.0;
    const VectorXd y = random_demand(n, 1, 8).col(0);
    for (const double share : {1e-5, 1e-6, 1e-7}) {
        m::structural_path_options options;
        options.threshold = share;
        options.max_depth = 8;
        m::structural_path_result first;
        for (const int threads : {1, 2}) {
            const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
            m::structural_path_result r;
            const timing t = time_it(repetitions, [&] { r = m::structural_paths(as, s, y, options); });
            char note[160];
            std::snprintf(note, sizeof note, "share %.0e: %zu paths, covered %.4f", share, r.paths.size(), r.covered_share);
            row("structural paths", n, threads, t, note);
            if (threads == 1) first = r;
            else {
                bool same = first.paths.size() == r.paths.size();
                for (std::size_t p = 0; same && p < r.paths.size(); ++p)
                    same = first.paths[p].nodes == r.paths[p].nodes && first.paths[p].value == r.paths[p].value;
                std::printf("  1 and 2 threads identical: %s\n", same ? "yes" : "NO");
            }
        }
    }
}

void bench_dense(int repetitions, const std::vector<Index>& sizes) {
    std::printf("\n== dense: L = (I - A)^-1, Eigen (TBB) vs LAPACK on %s ==\n",
                m::numerics::lapack_description().c_str());
    for (const Index n : sizes) {
        const MatrixXd a = random_coefficients(n, 0.07, 9);
        MatrixXd eigen_l;
        if (n <= 4000) {
            for (const int threads : {1, 2}) {
                const tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                                static_cast<std::size_t>(threads));
                timed_row("Eigen leontief_inverse", n, threads, repetitions, [&] { eigen_l = m::leontief_inverse(a); });
            }
        }
        MatrixXd by_thread[2];
        for (const int threads : {1, 2}) {
            m::numerics::set_lapack_threads(threads);
            MatrixXd& l = by_thread[threads - 1];
            timed_row("LAPACK dgetrf+dgecon+dgetri", n, threads, repetitions,
                      [&] { l = m::leontief_inverse(a, 1e-12, m::dense_backend::lapack); });
        }
        std::printf("  LAPACK 1 vs 2 threads: %s (max abs difference %.2e)\n",
                    by_thread[0] == by_thread[1] ? "bitwise identical" : "differ",
                    (by_thread[0] - by_thread[1]).cwiseAbs().maxCoeff());
        if (eigen_l.size() != 0)
            std::printf("  max abs difference Eigen vs LAPACK: %.2e\n", (eigen_l - by_thread[1]).cwiseAbs().maxCoeff());
        MatrixXd i_minus_a = -a;
        i_minus_a.diagonal().array() += 1.0;
        std::printf("  ||(I - A) L - I||_max = %.2e\n",
                    (i_minus_a * by_thread[1] - MatrixXd::Identity(n, n)).cwiseAbs().maxCoeff());
    }
}

// "R7" (appending, not "R" + std::to_string(7): GCC 12 warns wrongly on that, -Wrestrict).
std::string label(const char* prefix, Index i) {
    std::string out = prefix;
    out += std::to_string(i);
    return out;
}

void bench_accounts(int repetitions, const std::vector<Index>& sizes) {
    const Index n_regions = 49, n_categories = 7, n_stressors = 20;
    for (const Index requested : sizes) {
        const Index n_sectors = std::max<Index>(1, requested / n_regions);
        const Index n = n_regions * n_sectors;
        std::printf("\n== accounts: %ld regions x %ld sectors (n = %ld), %ld categories, %ld stressors ==\n",
                    static_cast<long>(n_regions), static_cast<long>(n_sectors), static_cast<long>(n),
                    static_cast<long>(n_categories), static_cast<long>(n_stressors));
        lcg u{10};
        m::full_mrio mrio;
        for (Index r = 0; r < n_regions; ++r) mrio.table.regions.push_back(label("R", r));
        for (Index s = 0; s < n_sectors; ++s) mrio.table.sectors.push_back(label("s", s));
        for (Index c = 0; c < n_categories; ++c) mrio.categories.push_back(label("c", c));
        mrio.table.unit = "M.EUR";
        const MatrixXd a = random_coefficients(n, 0.10, 11);
        mrio.final_demand_by_category = MatrixXd::NullaryExpr(n, n_regions * n_categories, [&](Index, Index) { return u(); });
        const VectorXd y = mrio.final_demand_by_category.rowwise().sum();
        const auto a_sparse = m::sparse_technical_coefficients(a);
        const VectorXd x = m::leontief_solve(a_sparse, y);
        mrio.table.intermediate = a * x.asDiagonal();
        m::complete_table(mrio, x);
        m::satellite stressors;
        for (Index k = 0; k < n_stressors; ++k) {
            stressors.stressors.push_back(label("stressor", k));
            stressors.units.push_back("kt");
        }
        stressors.production = MatrixXd::NullaryExpr(n_stressors, n, [&](Index, Index) { return u(); });
        const Index products = m::io_accounts_products(mrio, stressors, {});
        std::printf("%ld non-zeros in A (%.1f%%), %ld products with L or L'; auto chooses %s\n",
                    static_cast<long>(a_sparse.nonZeros()),
                    100.0 * static_cast<double>(a_sparse.nonZeros()) / static_cast<double>(n * n),
                    static_cast<long>(products),
                    m::choose_leontief_operator(n, a_sparse.nonZeros(), products, false) == m::leontief_method::dense
                        ? "dense"
                        : "iterative");
        m::numerics::set_lapack_threads(2);
        m::io_accounts iterative, dense;
        timed_row("accounts, iterative (L never formed)", n, 2, repetitions, [&] {
            iterative = m::compute_io_accounts(mrio, stressors, m::leontief_operator::iterative(a_sparse));
        });
        timed_row("accounts, dense L (LAPACK)", n, 2, repetitions, [&] {
            dense = m::compute_io_accounts(mrio, stressors, m::leontief_operator::dense(a, m::dense_backend::lapack));
        });
        std::printf("  max relative difference of the footprints: %.2e\n",
                    ((iterative.consumption_based - dense.consumption_based).cwiseAbs().array() /
                     dense.consumption_based.cwiseAbs().array())
                        .maxCoeff());
    }
}

}  // namespace

int main(int argc, char** argv) {
    int repetitions = 3;
    std::set<std::string> cases;
    std::vector<Index> sizes{1000, 2000, 4000};
    for (int k = 1; k < argc; ++k) {
        const std::string arg = argv[k];
        if (arg == "--sizes" && k + 1 < argc) {
            sizes.clear();
            std::string list = argv[++k];
            for (std::size_t pos = 0; pos <= list.size();) {
                const std::size_t comma = std::min(list.find(',', pos), list.size());
                sizes.push_back(std::stol(list.substr(pos, comma - pos)));
                pos = comma + 1;
            }
        } else if (arg == "choice" || arg == "solve" || arg == "spa" || arg == "dense" ||
                   arg == "accounts") {
            cases.insert(arg);
        } else {
            repetitions = std::max(1, std::atoi(arg.c_str()));
        }
    }
    if (cases.empty()) cases = {"choice", "solve", "spa"};
    std::printf("bench_leontief: %d repetitions; Eigen %d.%d.%d, its own kernels except the LAPACK rows\n",
                repetitions, EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION);
    if (cases.count("choice") != 0) bench_choice(repetitions);
    if (cases.count("solve") != 0) bench_solve(repetitions, sizes);
    if (cases.count("spa") != 0) bench_spa(repetitions);
    if (cases.count("dense") != 0) bench_dense(repetitions, sizes);
    if (cases.count("accounts") != 0) bench_accounts(repetitions, sizes);
    std::printf("(checksum %g)\n", sink);
    return 0;
}
