// Aggregation with concordances: strict concordance files, summed flows, recomputed
// coefficients and shares, trade-weighted tariffs, and the CP (2015) identities afterwards.
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "sim/data/aggregation.hpp"
#include "sim/data/dataset.hpp"
#include "temp_folder.hpp"

using Catch::Matchers::Contains;
using integra::sim::aggregate;
using integra::sim::read_concordance;

namespace {

integra::models::economy demo() { return integra::sim::load_dataset(INTEGRA_SOURCE_DATA_DIR "/demo3x2").economy; }

// max |X - (gamma Y + alpha I)| over regions and sectors, I = VA + R + D (CP 2015 eq. 7)
double eq7_residual(const integra::models::economy& e) {
    const Eigen::MatrixXd x = e.expenditure();
    const Eigen::VectorXd income = e.value_added.rowwise().sum() + e.tariff_revenue() + e.deficit;
    double worst = 0.0;
    for (Eigen::Index n = 0; n < x.rows(); ++n) {
        const Eigen::VectorXd rhs = e.io_coefficients[static_cast<std::size_t>(n)] * e.gross_output.row(n).transpose() +
                                    e.final_demand_share.row(n).transpose() * income(n);
        worst = std::max(worst, (x.row(n).transpose() - rhs).cwiseAbs().maxCoeff());
    }
    return worst;
}

}  // namespace

TEST_CASE("import concordance: every label maps exactly once, errors name file:line and label", "[sim][import][aggregation]") {
    integra::testing::temp_folder dir;
    const std::vector<std::string> labels{"north", "south", "east"};
    const auto ok = read_concordance(dir.write("ok.csv", "from,to\nnorth,N\nsouth,S\neast,S\n"), labels, "region");
    CHECK(ok.targets == std::vector<std::string>{"N", "S"});
    CHECK(ok.target_of == std::vector<std::size_t>{0, 1, 1});

    try {
        (void)read_concordance(dir.write("bad.csv", "from,to\nnorth,N\nnorht,N\nnorth,S\nsouth,\n"), labels, "region");
        FAIL("expected invalid_input");
    } catch (const integra::invalid_input& e) {
        const std::string text = e.what();
        CHECK_THAT(text, Contains("bad.csv:3: column 'from': unknown region 'norht'"));
        CHECK_THAT(text, Contains("bad.csv:4: column 'from': region 'north' is mapped twice (first at line 2)"));
        CHECK_THAT(text, Contains("bad.csv:5: column 'to': region 'south' is mapped to nothing"));
        CHECK_THAT(text, Contains("bad.csv: region 'east' is not mapped"));
        CHECK_THAT(text, Contains("4 problem(s)"));
    }
    CHECK_THROWS_WITH(read_concordance(dir.write("cols.csv", "source,target\nnorth,N\n"), labels, "region"),
                      Contains("cols.csv:1: missing column 'from'"));
}

TEST_CASE("import aggregation: flows are summed, tariffs trade-weighted, identities kept", "[sim][import][aggregation]") {
    const auto e = demo();
    integra::testing::temp_folder dir;
    const auto rc = read_concordance(dir.write("r.csv", "from,to\nnorth,NS\nsouth,NS\neast,E\n"), e.regions, "region");
    const auto a = aggregate(e, rc, std::nullopt);
    REQUIRE(a.regions == std::vector<std::string>{"NS", "E"});
    CHECK(a.gross_output(0, 0) == e.gross_output(0, 0) + e.gross_output(1, 0));
    CHECK(a.trade[0](0, 1) == e.trade[0](0, 2) + e.trade[0](1, 2));   // NS -> E goods
    CHECK(a.trade[0](0, 0) == e.trade[0].topLeftCorner(2, 2).sum());  // north<->south became domestic
    CHECK(a.deficit(0) == Approx(e.deficit(0) + e.deficit(1)));
    // E's tariff on NS goods: the trade-weighted mean of its tariffs on north and south
    const double expected = (e.tariffs[0](0, 2) * e.trade[0](0, 2) + e.tariffs[0](1, 2) * e.trade[0](1, 2)) /
                            (e.trade[0](0, 2) + e.trade[0](1, 2));
    CHECK(a.tariffs[0](0, 1) == Approx(expected).epsilon(1e-15));
    CHECK(a.tariffs[0](0, 0) == 0.0);
    // tariff revenue on external flows is preserved; E collects the same as before
    CHECK(a.tariff_revenue()(1) == Approx(e.tariff_revenue()(2)).epsilon(1e-14));
    // coefficients recomputed from summed intermediate use
    const double use = e.io_coefficients[0](0, 1) * e.gross_output(0, 1) + e.io_coefficients[1](0, 1) * e.gross_output(1, 1);
    CHECK(a.io_coefficients[0](0, 1) == Approx(use / a.gross_output(0, 1)).epsilon(1e-14));
    CHECK(eq7_residual(e) < 1e-6);  // demo3x2 is stored with 9 significant digits
    CHECK(eq7_residual(a) < 1e-6);
    integra::issues found;
    integra::models::validate(a, found);
    CHECK(found.empty());
}

TEST_CASE("import aggregation: one world region and one sector", "[sim][import][aggregation]") {
    const auto e = demo();
    integra::testing::temp_folder dir;
    const auto rc = read_concordance(dir.write("r.csv", "from,to\nnorth,W\nsouth,W\neast,W\n"), e.regions, "region");
    const auto sc = read_concordance(dir.write("s.csv", "from,to\ngoods,all\nservices,all\n"), e.sectors, "sector");
    const auto a = aggregate(e, rc, sc);
    CHECK(a.gross_output(0, 0) == Approx(e.gross_output.sum()).epsilon(1e-15));
    CHECK(a.trade[0](0, 0) == Approx(a.gross_output(0, 0)).epsilon(1e-15));
    CHECK(a.deficit(0) == Approx(0.0));
    CHECK(a.final_demand_share(0, 0) == 1.0);
    CHECK(a.tradable[0]);
    // theta: world-output-weighted mean of 5 (goods) and 8.22 (services)
    const double wg = e.gross_output.col(0).sum(), ws = e.gross_output.col(1).sum();
    CHECK(a.trade_elasticity(0) == Approx((5.0 * wg + 8.22 * ws) / (wg + ws)).epsilon(1e-14));
    // value added share of world output
    CHECK(a.io_coefficients[0](0, 0) + a.value_added(0, 0) / a.gross_output(0, 0) == Approx(1.0).epsilon(1e-14));
    integra::issues found;
    integra::models::validate(a, found);
    CHECK(found.empty());
}
