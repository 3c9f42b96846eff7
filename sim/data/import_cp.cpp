#include "sim/data/import_cp.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "models/calibration.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::sim {
namespace {

namespace fs = std::filesystem;
using Eigen::Index;
using Eigen::MatrixXd;

constexpr Index N = 31, J = 40, tradables = 20;

const std::vector<std::string> regions = {"ARG", "AUS", "AUT", "BRA", "CAN", "CHL", "CHN", "DNK", "FIN", "FRA", "DEU",
                                          "GRC", "HUN", "IND", "IDN", "IRL", "ITA", "JPN", "KOR", "MEX", "NLD", "NZL",
                                          "NOR", "PRT", "ZAF", "ESP", "SWE", "TUR", "GBR", "USA", "ROW"};
const std::vector<std::pair<std::string, std::string>> sectors = {
    {"agriculture", "Agriculture"}, {"mining", "Mining"}, {"food", "Food"}, {"textile", "Textile"}, {"wood", "Wood"},
    {"paper", "Paper"}, {"petroleum", "Petroleum"}, {"chemicals", "Chemicals"}, {"plastic", "Plastic"},
    {"minerals", "Minerals"}, {"basic_metals", "Basic metals"}, {"metal_products", "Metal products"},
    {"machinery_nec", "Machinery n.e.c."}, {"office", "Office"}, {"electrical", "Electrical"},
    {"communication", "Communication"}, {"medical", "Medical"}, {"auto", "Auto"}, {"other_transport", "Other Transport"},
    {"other_manufacturing", "Other"}, {"electricity", "Electricity"}, {"construction", "Construction"},
    {"retail", "Retail"}, {"hotels", "Hotels"}, {"land_transport", "Land Transport"},
    {"water_transport", "Water Transport"}, {"air_transport", "Air Transport"}, {"aux_transport", "Aux Transport"},
    {"post", "Post"}, {"finance", "Finance"}, {"real_estate", "Real State"}, {"renting_machinery", "Renting Mach"},
    {"computer", "Computer"}, {"r_and_d", "R&D"}, {"other_business", "Other Business"}, {"public", "Public"},
    {"education", "Education"}, {"health", "Health"}, {"other_services", "Other Services"}, {"private", "Private"}};
constexpr double non_tradable_theta = 8.22;  // the package's value for every non-tradable

// A whitespace-separated matrix of exactly rows x cols numbers.
MatrixXd read_matrix(const fs::path& folder, const std::string& name, Index rows, Index cols) {
    const fs::path path = folder / name;
    std::ifstream in(path);
    if (!in) throw invalid_input(cat(path.string(), ": cannot open (expected the Caliendo-Parro file ", name, ")"));
    MatrixXd m(rows, cols);
    std::string line;
    Index r = 0;
    for (std::size_t line_number = 1; std::getline(in, line); ++line_number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        if (r == rows) throw invalid_input(cat(path.string(), ":", line_number, ": more than the expected ", rows, " rows"));
        std::istringstream fields(line);
        Index c = 0;
        for (std::string field; fields >> field; ++c) {
            char* end = nullptr;
            const double v = std::strtod(field.c_str(), &end);
            if (end != field.c_str() + field.size() || !std::isfinite(v))
                throw invalid_input(cat(path.string(), ":", line_number, ": column ", c + 1, ": expected a number, got '", field, "'"));
            if (c < cols) m(r, c) = v;
        }
        if (c != cols) throw invalid_input(cat(path.string(), ":", line_number, ": expected ", cols, " columns, got ", c));
        ++r;
    }
    if (r != rows) throw invalid_input(cat(path.string(), ": expected ", rows, " rows, got ", r));
    return m;
}

// Stacked 620 x 31 (row j*N + n, importer n; column exporter i) -> J matrices (importer, exporter),
// zero for the non-tradables; scaled by `factor`.
std::vector<MatrixXd> unstack(const MatrixXd& stacked, double factor) {
    std::vector<MatrixXd> out(J, MatrixXd::Zero(N, N));
    for (Index j = 0; j < tradables; ++j) out[static_cast<std::size_t>(j)] = stacked.middleRows(j * N, N) * factor;
    return out;
}

}  // namespace

cp_import import_caliendo_parro(const fs::path& raw, bool zero_deficits) {
    models::observed_flows d;
    d.regions = regions;
    for (const auto& [label, _] : sectors) d.sectors.push_back(label);
    // Units: thousand USD -> million USD, USD -> million USD, percent -> fraction.
    d.imports = unstack(read_matrix(raw, "xbilat1993.txt", tradables * N, N), 1e-3);
    d.tariffs = unstack(read_matrix(raw, "tariffs1993.txt", tradables * N, N), 1e-2);
    d.gross_output = read_matrix(raw, "GO.txt", J, N) * 1e-6;
    d.value_added_share = read_matrix(raw, "B.txt", J, N);
    const MatrixXd io = read_matrix(raw, "IO.txt", N * J, J);
    const MatrixXd theta = read_matrix(raw, "T.txt", tradables, 1);
    d.theta = Eigen::VectorXd::Constant(J, non_tradable_theta);
    d.theta.head(tradables) = theta.col(0);

    cp_import result;
    d.material_shares.resize(static_cast<std::size_t>(N));
    for (Index n = 0; n < N; ++n) {
        MatrixXd g = io.middleRows(n * J, J);
        // One entry of the package is negative (CAN, Other -> Basic metals, -0.00085): a
        // negative input makes no economic sense, so it is set to zero and that column
        // rescaled to keep its sum.
        for (Index j = 0; j < J; ++j) {
            if ((g.col(j).array() < 0.0).any()) {
                const double sum = g.col(j).sum();
                result.clamped_io_coefficients += static_cast<int>((g.col(j).array() < 0.0).count());
                g.col(j) = g.col(j).cwiseMax(0.0);
                g.col(j) *= sum / g.col(j).sum();
            }
        }
        d.material_shares[static_cast<std::size_t>(n)] = g;
    }
    for (Index j = 0; j < tradables; ++j)
        for (Index n = 0; n < N; ++n)
            for (Index i = 0; i < N; ++i) {
                const double t = d.tariffs[static_cast<std::size_t>(j)](n, i);
                if (t <= -1.0)
                    throw invalid_input(cat((raw / "tariffs1993.txt").string(), ":", j * N + n + 1, ": column ", i + 1,
                                            ": tariff ", 100 * t, "% is not above -100%"));
            }

    models::trade_equilibrium_base base = models::base_from_observed(d, &result.clipped_final_demand_shares);
    base = models::calibrate(base, false);             // step 5: observed deficits
    if (zero_deficits) base = models::calibrate(base, true);  // steps 6-7: zero deficits
    models::economy& e = result.dataset.economy;
    e = models::to_economy(base, zero_deficits ? "cp1993_nos" : "cp1993_withs", 1993, "million USD");
    for (const auto& [label, name] : sectors) e.sector_names.push_back(name);
    e.region_names = regions;

    dataset_metadata& meta = result.dataset.metadata;
    meta.title = cat("Caliendo & Parro (2015) 1993 base year, 31 regions x 40 sectors, ",
                     zero_deficits ? "zero trade deficits" : "observed 1993 deficits", ", calibrated by integra");
    // The 2005 schedule, as (exporter, importer) like every bilateral block of an economy.
    const auto t2005 = unstack(read_matrix(raw, "tariffs2005.txt", tradables * N, N), 1e-2);
    auto& table = meta.tariff_tables["2005"];
    for (const auto& m : t2005) table.push_back(m.transpose());
    meta.extra_files.push_back({"groups", "groups.csv", {"group", "member"}, {{"NAFTA", "CAN"}, {"NAFTA", "MEX"}, {"NAFTA", "USA"}}});
    meta.sources.push_back({"Caliendo and Parro (2015) replication package, Equilibrium/ inputs", raw.string(),
                            "no licence stated; research use with citation",
                            "Caliendo, L. and Parro, F. (2015), Estimates of the Trade and Welfare Effects of NAFTA, "
                            "Review of Economic Studies 82(1): 1-44"});
    meta.import_notes = {
        {"calibration", zero_deficits ? "replication package steps 1-7: observed deficits, then zero deficits"
                                      : "replication package steps 1-5: observed 1993 deficits"},
        {"final_demand_shares_clipped", cat(result.clipped_final_demand_shares, " negative residual shares set to zero (step 4)")},
        {"io_coefficients_clamped", cat(result.clamped_io_coefficients, " negative input share(s) set to zero, column rescaled")},
        {"units", "imports thousand USD / 1000, gross output USD / 1e6: million USD; tariffs percent / 100"},
    };
    return result;
}

}  // namespace integra::sim
