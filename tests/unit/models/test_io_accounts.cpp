// Unit tests for models/io_accounts, models/leontief_operator and the LAPACK dense inverse:
// the accounts computed from products with the operator equal the reference functions of
// mrio_accounting.hpp and satellite_accounts.hpp on a formed L (1e-12); the iterative
// operator (L never formed) and the LAPACK inverse give the same accounts; categories and
// shocks add up; the choice between dense and iterative follows its cost model; the
// proportional view keeps what it must and changes who sells to whom.
#include <catch2/catch.hpp>

#include <oneapi/tbb/global_control.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "models/economy.hpp"
#include "models/full_mrio.hpp"
#include "models/io_accounts.hpp"
#include "models/leontief_operator.hpp"
#include "models/mrio_accounting.hpp"
#include "models/numerics/lapack_inverse.hpp"
#include "models/satellite_accounts.hpp"
#include "sim/data/dataset.hpp"
#include "tests/unit/models/portable_random.hpp"

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
namespace m = integra::models;

namespace {

// A random full MRIO: R regions, S sectors, C categories, K stressors with final-demand
// stressors, value added given (5% below the balancing item, so the given value added is
// what the value-added accounts must use).
struct random_full_mrio {
    m::full_mrio mrio;
    m::satellite stressors;

    random_full_mrio(Index n_regions, Index n_sectors, Index n_categories, Index n_stressors, std::uint64_t seed) {
        integra::testing::portable_uniform u{seed};
        auto& t = mrio.table;
        for (Index r = 0; r < n_regions; ++r) t.regions.push_back("R" + std::to_string(r));
        for (Index s = 0; s < n_sectors; ++s) t.sectors.push_back("s" + std::to_string(s));
        for (Index c = 0; c < n_categories; ++c) mrio.categories.push_back("c" + std::to_string(c));
        t.unit = "M.EUR";
        const Index n = n_regions * n_sectors;
        t.intermediate = MatrixXd::NullaryExpr(n, n, [&](Index, Index) { return u() < 0.3 ? 0.0 : u(); });
        mrio.final_demand_by_category =
            MatrixXd::NullaryExpr(n, n_regions * n_categories, [&](Index, Index) { return 20.0 * u(); });
        m::complete_table(mrio);
        mrio.value_added_given = 0.95 * t.value_added;
        mrio.value_added_source = "test";
        for (Index k = 0; k < n_stressors; ++k) {
            stressors.stressors.push_back("stressor" + std::to_string(k));
            stressors.units.push_back("kt");
        }
        stressors.production = MatrixXd::NullaryExpr(n_stressors, n, [&](Index, Index) { return 100.0 * u() - 5.0; });
        stressors.final_demand = MatrixXd::NullaryExpr(n_stressors, n_regions, [&](Index, Index) { return 10.0 * u(); });
    }
};

// |a - b| <= tolerance * max(1, |b|) element by element.
void check_close(const MatrixXd& a, const MatrixXd& b, double tolerance, const std::string& what) {
    INFO(what);
    REQUIRE(a.rows() == b.rows());
    REQUIRE(a.cols() == b.cols());
    double worst = 0.0;
    for (Index i = 0; i < a.rows(); ++i)
        for (Index j = 0; j < a.cols(); ++j)
            worst = std::max(worst, std::abs(a(i, j) - b(i, j)) / std::max(1.0, std::abs(b(i, j))));
    CHECK(worst <= tolerance);
}

void check_close(const std::vector<MatrixXd>& a, const std::vector<MatrixXd>& b, double tolerance,
                 const std::string& what) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) check_close(a[i], b[i], tolerance, what + "[" + std::to_string(i) + "]");
}

void check_same_accounts(const m::io_accounts& a, const m::io_accounts& b, double tolerance) {
    check_close(a.output_multiplier, b.output_multiplier, tolerance, "output_multiplier");
    check_close(a.value_added_multiplier, b.value_added_multiplier, tolerance, "value_added_multiplier");
    check_close(a.downstream_output_multiplier, b.downstream_output_multiplier, tolerance, "downstream_output_multiplier");
    check_close(a.value_added_in_final_demand_by_category, b.value_added_in_final_demand_by_category, tolerance,
                "value_added_in_final_demand_by_category");
    check_close(a.value_added_in_exports, b.value_added_in_exports, tolerance, "value_added_in_exports");
    check_close(a.multiplier, b.multiplier, tolerance, "multiplier");
    check_close(a.consumption_based_by_category, b.consumption_based_by_category, tolerance, "consumption_based_by_category");
    check_close(a.footprint_by_origin, b.footprint_by_origin, tolerance, "footprint_by_origin");
    check_close(a.downstream_multiplier, b.downstream_multiplier, tolerance, "downstream_multiplier");
    check_close(a.shock_output_change, b.shock_output_change, tolerance, "shock_output_change");
    check_close(a.shock_stressor_change, b.shock_stressor_change, tolerance, "shock_stressor_change");
}

}  // namespace

TEST_CASE("io accounts through the operator equal the reference functions on a formed L", "[models][io_accounts]") {
    const random_full_mrio c(5, 6, 3, 2, 2026);
    const m::mrio_table& t = c.mrio.table;
    const m::mrio_table tv = c.mrio.table_with_given_value_added();
    const MatrixXd a = m::technical_coefficients(t);
    const MatrixXd l = m::leontief_inverse(a);
    const MatrixXd g = m::ghosh_inverse(m::allocation_coefficients(t));
    m::io_accounts_options options;
    options.downstream_stressors = true;
    options.footprint_by_final_product = true;
    const auto r = m::compute_io_accounts(c.mrio, c.stressors, m::leontief_operator::dense(a), options);

    const VectorXd cv = m::value_added_coefficients(tv.value_added, t.gross_output);
    check_close(r.output_multiplier, m::output_multipliers(l), 1e-12, "1'L");
    check_close(r.value_added_multiplier, m::value_added_multipliers(cv, l), 1e-12, "c'L");
    check_close(r.backward_linkage, m::backward_linkages(l), 1e-12, "backward linkages");
    check_close(r.forward_linkage, m::forward_linkages(g), 1e-12, "forward linkages");
    check_close(r.downstream_output_multiplier, m::downstream_output_multipliers(g), 1e-12, "G 1");
    check_close(r.full_scope_output_multiplier, m::full_scope_output_multipliers(l, g), 1e-12, "1'L + G1 - 1");
    check_close(r.value_added_in_final_demand, m::value_added_in_final_demand(tv, l), 1e-12, "VAX");
    check_close(r.value_added_in_exports, m::value_added_in_exports(tv, l), 1e-12, "EVA");
    const MatrixXd s = m::stressor_intensities(c.stressors, t);
    check_close(r.intensity, s, 1e-15, "S");
    check_close(r.multiplier, m::stressor_multipliers(s, l), 1e-12, "S L");
    check_close(r.production_based, m::production_based_accounts(c.stressors, t), 1e-15, "PBA");
    check_close(r.consumption_based, m::consumption_based_accounts(c.stressors, t, l), 1e-12, "CBA");
    check_close(r.footprint_by_origin, m::footprint_by_origin(c.stressors, t, l), 1e-12, "D");
    const auto trade = m::embodied_in_trade(c.stressors, t, l);
    check_close(r.embodied.imports, trade.imports, 1e-12, "embodied in imports");
    check_close(r.embodied.exports, trade.exports, 1e-12, "embodied in exports");
    check_close(r.downstream_multiplier, m::downstream_stressor_multipliers(s, g), 1e-12, "M_down");
    check_close(r.full_scope_multiplier, m::full_scope_stressor_multipliers(s, l, g), 1e-12, "M + M_down");
    check_close(r.footprint_by_final_product, m::footprint_by_final_product(c.stressors, t, l), 1e-12, "P");
    CHECK(r.output_relative_residual < 1e-14);
    // Given value added below the balancing item: value-added multipliers are below 1.
    CHECK(r.value_added_multiplier.maxCoeff() < 1.0);
}

TEST_CASE("io accounts by category and a final-demand shock add up", "[models][io_accounts]") {
    const random_full_mrio c(4, 3, 2, 2, 7);
    const Index n = 12, rc = 8;
    m::io_accounts_options options;
    options.final_demand_change = c.mrio.final_demand_by_category;  // dY = Y: dx must be x
    const auto r = m::compute_io_accounts(c.mrio, c.stressors,
                                          m::leontief_operator::dense(m::technical_coefficients(c.mrio.table)), options);
    check_close(r.shock_output_change, c.mrio.table.gross_output, 1e-12, "L Y 1 = x");
    // Footprints by category plus the direct stressors of final users are the footprints.
    MatrixXd summed = MatrixXd::Zero(2, 4);
    for (Index q = 0; q < 4; ++q)
        summed.col(q) = r.consumption_based_by_category.col(2 * q) + r.consumption_based_by_category.col(2 * q + 1);
    check_close(summed + c.stressors.final_demand, r.consumption_based, 1e-12, "sum over categories");
    // The shock's value added by origin equals the value added in final demand for dY = Y.
    check_close(r.shock_value_added_change, r.value_added_in_final_demand_by_category, 1e-12, "dVA");
    check_close(r.shock_stressor_change, r.consumption_based_by_category, 1e-12, "dF");
    // Global value added in final demand equals the given value added's total only up to
    // the balancing gap: here c'L Y 1 = c'x = sum of the given value added.
    CHECK(std::abs(r.value_added_in_final_demand.sum() - c.mrio.value_added().sum()) <=
          1e-10 * c.mrio.value_added().sum());
    options.final_demand_change = MatrixXd::Zero(n, rc + 1);
    CHECK_THROWS_AS(m::compute_io_accounts(c.mrio, c.stressors,
                                           m::leontief_operator::dense(m::technical_coefficients(c.mrio.table)), options),
                    integra::inconsistent_input);
}

TEST_CASE("the iterative operator and the LAPACK inverse give the same accounts as Eigen's dense L",
          "[models][io_accounts]") {
    const random_full_mrio c(6, 40, 2, 3, 11);  // n = 240
    const MatrixXd a = m::technical_coefficients(c.mrio.table);
    m::io_accounts_options options;
    options.downstream_stressors = true;
    options.final_demand_change = 0.1 * c.mrio.final_demand_by_category;
    const auto reference = m::compute_io_accounts(c.mrio, c.stressors, m::leontief_operator::dense(a), options);

    const auto iterative_operator = m::leontief_operator::iterative(m::sparse_technical_coefficients(a));
    CHECK_FALSE(iterative_operator.is_formed());
    CHECK_THROWS_AS(iterative_operator.inverse(), std::logic_error);
    const auto iterative = m::compute_io_accounts(c.mrio, c.stressors, iterative_operator, options);
    check_same_accounts(iterative, reference, 1e-9);
    CHECK(iterative.output_relative_residual < 1e-11);

    const auto lapack = m::compute_io_accounts(c.mrio, c.stressors,
                                               m::leontief_operator::dense(a, m::dense_backend::lapack), options);
    check_same_accounts(lapack, reference, 1e-12);
}

TEST_CASE("the LAPACK inverse matches Eigen's, checks conditioning and is near thread-independent",
          "[models][io_accounts][lapack]") {
    integra::testing::portable_uniform u{3};
    const Index n = 300;
    MatrixXd a = MatrixXd::NullaryExpr(n, n, [&](Index, Index) { return u(); });
    a *= 0.9 / a.colwise().sum().maxCoeff();
    const MatrixXd eigen_l = m::leontief_inverse(a);
    const MatrixXd lapack_l = m::leontief_inverse(a, 1e-12, m::dense_backend::lapack);
    check_close(lapack_l, eigen_l, 1e-12, "L");
    MatrixXd i_minus_a = -a;
    i_minus_a.diagonal().array() += 1.0;
    CHECK((i_minus_a * lapack_l - MatrixXd::Identity(n, n)).cwiseAbs().maxCoeff() < 1e-13);

    // One thread and two: equal to rounding (OpenBLAS splits work by its thread count).
    const int before = m::numerics::lapack_threads();
    m::numerics::set_lapack_threads(1);
    const MatrixXd one = m::leontief_inverse(a, 1e-12, m::dense_backend::lapack);
    m::numerics::set_lapack_threads(2);
    const MatrixXd two = m::leontief_inverse(a, 1e-12, m::dense_backend::lapack);
    m::numerics::set_lapack_threads(before);
    CHECK((one - two).cwiseAbs().maxCoeff() < 1e-14);

    // A column summing to 1 makes I - A singular: refused with the condition estimate.
    MatrixXd singular = MatrixXd::Zero(3, 3);
    singular(0, 0) = 1.0;
    CHECK_THROWS_WITH(m::leontief_inverse(singular, 1e-12, m::dense_backend::lapack),
                      Catch::Matchers::Contains("singular"));
    CHECK(m::leontief_inverse(MatrixXd::Constant(1, 1, 0.75), 1e-12, m::dense_backend::lapack)(0, 0) == 4.0);
    CHECK(m::leontief_inverse(MatrixXd(0, 0), 1e-12, m::dense_backend::lapack).size() == 0);
}

TEST_CASE("choosing dense or iterative follows the cost model", "[models][io_accounts]") {
    using m::leontief_method;
    CHECK(m::choose_leontief_operator(10000, 1000000, 5, true) == leontief_method::dense);    // L wanted
    CHECK(m::choose_leontief_operator(200, 40000, 5000, false) == leontief_method::dense);   // small
    // EXIOBASE-like: n = 9,800, 10% non-zeros. Few products: iterative; many: dense (the
    // crossover is near 230).
    CHECK(m::choose_leontief_operator(9800, 9604000, 60, false) == leontief_method::iterative);
    CHECK(m::choose_leontief_operator(9800, 9604000, 150, false) == leontief_method::iterative);
    CHECK(m::choose_leontief_operator(9800, 9604000, 414, false) == leontief_method::dense);
    CHECK(m::choose_leontief_operator(9800, 9604000, 3000, false) == leontief_method::dense);
}

TEST_CASE("the proportional view keeps output, trade and purchases, and is its own view", "[models][io_accounts]") {
    const random_full_mrio c(4, 3, 2, 1, 21);
    const m::full_mrio& full = c.mrio;
    std::size_t left = 99;
    const m::full_mrio p = m::proportional_view(full, &left);
    CHECK(left == 0);
    const auto& t = full.table;
    check_close(p.table.gross_output, t.gross_output, 1e-15, "x unchanged");
    check_close(p.table.intermediate.rowwise().sum() + p.table.final_demand.rowwise().sum(), t.gross_output, 1e-12,
                "rows still sum to x");
    for (Index s = 0; s < 3; ++s) {
        const auto rows = Eigen::seqN(s, 4, 3);  // (r, s) for every r
        const MatrixXd z_p = p.table.intermediate(rows, Eigen::all), z = t.intermediate(rows, Eigen::all);
        const MatrixXd y_p = p.final_demand_by_category(rows, Eigen::all), y = full.final_demand_by_category(rows, Eigen::all);
        check_close(z_p.colwise().sum(), z.colwise().sum(), 1e-12, "each user's purchases of s");
        check_close(y_p.colwise().sum(), y.colwise().sum(), 1e-12, "each buyer's purchases of s");
    }
    check_close(m::bilateral_trade(p.table)[1], m::bilateral_trade(t)[1], 1e-12, "bilateral trade of sector 1");
    check_close(p.value_added(), full.value_added(), 0.0, "value added as given");
    // The origin detail matters: L differs from the full table's.
    const MatrixXd l_full = m::leontief_inverse(m::technical_coefficients(t));
    const MatrixXd l_prop = m::leontief_inverse(m::technical_coefficients(p.table));
    CHECK((l_full - l_prop).cwiseAbs().maxCoeff() > 1e-3);
    // A proportional table gives the same L through both paths.
    const m::full_mrio twice = m::proportional_view(p);
    check_close(m::leontief_inverse(m::technical_coefficients(twice.table)), l_prop, 1e-12, "view of the view");
}

TEST_CASE("the proportional view of an economy's implied MRIO is that MRIO", "[models][io_accounts]") {
    const auto e = integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2").economy;
    m::full_mrio implied;
    implied.table = m::to_mrio_table(e);
    implied.categories = {"final demand"};
    implied.final_demand_by_category = implied.table.final_demand;
    const m::full_mrio p = m::proportional_view(implied);
    check_close(p.table.intermediate, implied.table.intermediate, 1e-12, "Z");
    check_close(m::leontief_inverse(m::technical_coefficients(p.table)),
                m::leontief_inverse(m::technical_coefficients(implied.table)), 1e-12, "L through both paths");
}

TEST_CASE("the proportional view leaves a destination's sector as given where an origin's absorption is negative",
          "[models][io_accounts]") {
    random_full_mrio c(3, 2, 2, 1, 5);
    // Origin R0 sector s0 sells to region R1: make its final sales there (category c0) so
    // negative that R1's absorption of s0 from R0 is below zero.
    const Index row = 0, column = 1 * 2 + 0;
    double sold = 0.0;
    for (Index j = 2; j < 4; ++j) sold += c.mrio.table.intermediate(row, j);
    for (Index k = 2; k < 4; ++k) sold += c.mrio.final_demand_by_category(row, k);
    c.mrio.final_demand_by_category(row, column) -= sold + 5.0;
    m::complete_table(c.mrio);
    REQUIRE(c.mrio.table.gross_output.minCoeff() > 0.0);
    std::size_t left = 0;
    const m::full_mrio p = m::proportional_view(c.mrio, &left);
    CHECK(left == 1);
    CHECK(p.table.intermediate.minCoeff() >= 0.0);
    check_close(p.table.gross_output, c.mrio.table.gross_output, 1e-15, "x unchanged");
}

TEST_CASE("io accounts are bitwise the same on 1 and 2 threads with Eigen's dense L and the iterative operator",
          "[models][io_accounts][Parallel]") {
    const random_full_mrio c(5, 30, 2, 3, 17);  // n = 150: several 64-column blocks
    const MatrixXd a = m::technical_coefficients(c.mrio.table);
    m::io_accounts_options options;
    options.downstream_stressors = true;
    const auto run = [&](int threads, bool iterative) {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
        const auto op = iterative ? m::leontief_operator::iterative(m::sparse_technical_coefficients(a))
                                  : m::leontief_operator::dense(a, m::dense_backend::eigen);
        return m::compute_io_accounts(c.mrio, c.stressors, op, options);
    };
    for (const bool iterative : {false, true}) {
        INFO((iterative ? "iterative" : "dense (Eigen)"));
        const auto one = run(1, iterative), two = run(2, iterative);
        CHECK(one.output_multiplier == two.output_multiplier);
        CHECK(one.multiplier == two.multiplier);
        CHECK(one.consumption_based_by_category == two.consumption_based_by_category);
        CHECK(one.value_added_in_final_demand_by_category == two.value_added_in_final_demand_by_category);
        CHECK(one.downstream_multiplier == two.downstream_multiplier);
        CHECK(one.footprint_by_origin == two.footprint_by_origin);
    }
}
