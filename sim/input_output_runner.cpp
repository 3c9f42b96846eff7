#include "sim/runner_internal.hpp"

#include <atomic>
#include <cmath>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "core/errors.hpp"
#include "models/mrio_accounting.hpp"
#include "core/text.hpp"

namespace integra::sim {
namespace {

// Final demand F((i,s),q) of one case and year.
Eigen::MatrixXd final_demand_in(int year, bool with_policy, const Eigen::MatrixXd& base, int base_year, double growth,
                                const std::vector<input_output_setup::shock>& shocks, std::size_t n_sectors) {
    Eigen::MatrixXd f = base * std::pow(1.0 + growth, year - base_year);
    if (!with_policy) return f;
    for (const auto& s : shocks) {
        const double factor = 1.0 + s.change * s.phase.share(year);
        for (auto i : s.origins)
            for (auto sector : s.sectors)
                for (auto q : s.buyers)
                    f(static_cast<Eigen::Index>(i * n_sectors + sector), static_cast<Eigen::Index>(q)) *= factor;
    }
    return f;
}

std::vector<double> to_vector(const Eigen::VectorXd& v) { return {v.data(), v.data() + v.size()}; }

}  // namespace

result_set run_input_output(const bound_scenario& scenario, const run_options& options) {
    const auto& spec = scenario.spec;
    const models::economy& e = scenario.data->economy;
    const auto& setup = std::get<input_output_setup>(scenario.model);
    const auto& table = setup.table;
    const Eigen::MatrixXd& A = setup.technical_coefficients;
    const Eigen::MatrixXd& L = setup.leontief_inverse;
    const Eigen::VectorXd& va_coefficients = setup.value_added_coefficients;
    const Eigen::MatrixXd& G = setup.ghosh_inverse;
    const auto& shocks = setup.shocks;
    const int first = scenario.first_year, last = scenario.last_year;
    const std::size_t n_years = static_cast<std::size_t>(last - first + 1), n_cases = 2;
    const std::size_t R = e.n_regions(), S = e.n_sectors(), RS = R * S;

    result_set out = make_base_result(scenario);

    const std::string money = e.unit + "/year";
    // Per (case, year) slices, each written by exactly one task.
    std::vector<double> gross_output(n_cases * n_years * RS), value_added(n_cases * n_years * RS),
        final_demand(n_cases * n_years * RS), gdp(n_cases * n_years * R), exports(n_cases * n_years * R),
        imports(n_cases * n_years * R), trade(n_cases * n_years * R * R * S);

    std::atomic<std::size_t> done{0};
    const std::size_t total = n_cases * n_years;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, total), [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t task = range.begin(); task != range.end(); ++task) {
            const std::size_t c = task / n_years, y = task % n_years;
            const int year = first + static_cast<int>(y);
            const Eigen::MatrixXd F =
                final_demand_in(year, c == 1, table.final_demand, e.base_year, spec.final_demand_growth, shocks, S);
            const Eigen::VectorXd f = F.rowwise().sum();
            const Eigen::VectorXd x = models::leontief_output(L, f);  // x = L f, Miller & Blair (2009), sec. 2.2
            const Eigen::VectorXd v = va_coefficients.cwiseProduct(x);
            const std::size_t slice = c * n_years + y;
            for (std::size_t k = 0; k < RS; ++k) {
                gross_output[slice * RS + k] = x(static_cast<Eigen::Index>(k));
                value_added[slice * RS + k] = v(static_cast<Eigen::Index>(k));
                final_demand[slice * RS + k] = f(static_cast<Eigen::Index>(k));
            }
            // Flows at this year's output: Z = A diag(x) (fixed coefficients), plus final demand.
            for (std::size_t i = 0; i < R; ++i) {
                double gdp_i = 0.0;
                for (std::size_t s = 0; s < S; ++s) gdp_i += v(static_cast<Eigen::Index>(i * S + s));
                gdp[slice * R + i] = gdp_i;
            }
            for (std::size_t i = 0; i < R; ++i)
                for (std::size_t n = 0; n < R; ++n)
                    for (std::size_t s = 0; s < S; ++s) {
                        const auto row = static_cast<Eigen::Index>(i * S + s);
                        double flow = F(row, static_cast<Eigen::Index>(n));
                        for (std::size_t t = 0; t < S; ++t) {
                            const auto col = static_cast<Eigen::Index>(n * S + t);
                            flow += A(row, col) * x(col);
                        }
                        trade[((slice * R + i) * R + n) * S + s] = i == n ? 0.0 : flow;
                    }
            for (std::size_t i = 0; i < R; ++i) {
                double ex = 0.0, im = 0.0;
                for (std::size_t n = 0; n < R; ++n)
                    for (std::size_t s = 0; s < S; ++s) {
                        ex += trade[((slice * R + i) * R + n) * S + s];
                        im += trade[((slice * R + n) * R + i) * S + s];
                    }
                exports[slice * R + i] = ex;
                imports[slice * R + i] = im;
            }
            if (options.progress) options.progress(++done, total);
        }
    });

    out.add({"gross_output", {"case", "year", "region", "sector"}, std::move(gross_output), money, "gross output at base-year prices"});
    out.add({"value_added", {"case", "year", "region", "sector"}, std::move(value_added), money,
             "value added (incl. tariffs on imported inputs) at base-year prices"});
    out.add({"final_demand", {"case", "year", "region", "sector"}, std::move(final_demand), money,
             "final demand for the goods of each region and sector, all buyers"});
    out.add({"gdp", {"case", "year", "region"}, std::move(gdp), money, "gross domestic product (sum of value added)"});
    out.add({"exports", {"case", "year", "region"}, std::move(exports), money, "exports of goods and services"});
    out.add({"imports", {"case", "year", "region"}, std::move(imports), money, "imports of goods and services"});
    out.add({"trade", {"case", "year", "exporter", "importer", "sector"}, std::move(trade), money,
             "bilateral trade by sector (intermediate and final), zero within a region"});

    // Base-year structure (Miller & Blair 2009, ch. 2, 6 and 12).
    out.add({"output_multiplier", {"region", "sector"}, to_vector(models::output_multipliers(L)), "1",
             "output multiplier: world gross output per unit of final demand (column sums of L)"});
    out.add({"value_added_multiplier", {"region", "sector"},
             to_vector(models::value_added_multipliers(va_coefficients, L)), "1",
             "value-added multiplier: world value added per unit of final demand"});
    out.add({"backward_linkage", {"region", "sector"}, to_vector(models::backward_linkages(L)), "1",
             "backward linkage (Rasmussen), normalised: above 1 is above average"});
    out.add({"forward_linkage", {"region", "sector"}, to_vector(models::forward_linkages(G)), "1",
             "forward linkage (Ghosh), normalised: above 1 is above average"});

    out.set_attribute("model", std::string("demand-driven multiregional input-output (Leontief) quantity model"));
    out.set_attribute("approximations",
                      std::string("Technical coefficients, trade shares and prices are held at the base year "
                                  "(no substitution, no price response); value added includes tariffs paid on "
                                  "imported inputs; flows are split across origins in proportion to each buyer's "
                                  "total purchases (proportionality assumption)."));
    return out;
}

}  // namespace integra::sim
