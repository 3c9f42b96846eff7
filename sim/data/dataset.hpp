// Loading a dataset in Integra's canonical format (docs/dataset-format.md): a folder with
// manifest.toml and tidy CSV files. The only code that reads datasets from disk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "models/economy.hpp"

namespace integra::sim {

/// The ranges and limits the loader enforces (docs/dataset-format.md, "Ranges and limits").
struct dataset_limits {
    static constexpr int min_year = 1900;               ///< base_year and every year of a time series
    static constexpr int max_year = 2200;
    static constexpr double max_tariff = 10.0;          ///< 1000%; tariffs are in [0, max_tariff]
    static constexpr double max_trade_elasticity = 1000.0;  ///< theta in (0, max]
    static constexpr double max_population = 1e8;       ///< thousand persons (100 billion)
    static constexpr std::size_t max_problems_per_file = 20;  ///< then "and N more problem(s) in this file"
    static constexpr std::uintmax_t max_manifest_bytes = std::uintmax_t{1} << 20;  ///< 1 MiB (CSV files: 1 GiB)
};

struct data_source {
    std::string name, file, licence, citation;
};

struct dataset {
    models::economy economy;
    std::filesystem::path folder;
    std::string title;
    std::string currency;
    std::string checksum;  ///< FNV-1a 64-bit over the manifest and every file it names, hex
    std::vector<data_source> sources;
    /// Named groups of regions (group -> member region labels), e.g. "CELAC".
    std::map<std::string, std::vector<std::string>> groups;
    /// Population by variant ("medium", ...): years x regions, thousands; may be empty.
    std::vector<int> population_years;
    std::map<std::string, Eigen::MatrixXd> population;
    /// Annual labour-productivity growth (fraction; the value for year t is the growth
    /// from t-1 to t): years x regions; may be empty.
    std::vector<int> productivity_years;
    Eigen::MatrixXd productivity_growth;
    /// Other tariff schedules by name (manifest [tariff_tables], e.g. "2005"), in the layout
    /// of economy.tariffs: per sector (exporter, importer), fractions.
    std::map<std::string, std::vector<Eigen::MatrixXd>> tariff_tables;
    /// Non-preferential (MFN-type) tariffs, [files] non_preferential_tariffs: what each
    /// importer charges each exporter absent any agreement, in the layout of
    /// economy.tariffs, never below the applied rate; empty when the dataset has none.
    std::vector<Eigen::MatrixXd> non_preferential_tariffs;
    /// beta^j_n: the sector composition of gross fixed capital formation, [files]
    /// investment_shares (sectors x regions, J x N, each column sums to 1); empty when the
    /// dataset has none. The development bank's composition channel spends on it.
    Eigen::MatrixXd investment_shares;
    /// Migrant stocks, [files] migrant_stocks (migrant_stocks.csv, "origin,destination,value"):
    /// persons born in region o (row) living in region d (column), in thousands of persons
    /// (the unit of population), R x R; the diagonal is zero (natives are not migrants; a
    /// row with origin == destination is an error) and a cell absent from the file is zero.
    /// Empty when the dataset has none. celac38: UN DESA International Migrant Stock 2024,
    /// only pairs with a CELAC end (DATA.md A23).
    Eigen::MatrixXd migrant_stocks;
    /// Personal remittances received as a share of the region's GDP, a fraction in [0, 1)
    /// (0.26 = 26 % of GDP), [files] remittances (remittances.csv, "region,year,value"): R
    /// entries, NaN for a region without a value; empty when the dataset has none.
    Eigen::VectorXd remittances_share_of_gdp;
    /// The year of each region's remittance value (R entries, 0 where absent); empty when
    /// the dataset has no remittances file.
    std::vector<int> remittances_year;
    /// Real output history, [files] output_history (output_history.csv,
    /// "region,year,gdp,tradable_va"): the years present in the file, ascending, and real GDP
    /// and real tradable value added (agriculture, mining, manufacturing, utilities), million
    /// constant US$ (celac38: 2015 prices), years x regions, NaN where a region has no row for
    /// a year. All empty when the dataset has none. celac38: UN AMA 1990-2023 (DATA.md A24).
    std::vector<int> output_history_years;
    Eigen::MatrixXd output_history_gdp, output_history_tradable;
    /// The AR(1) process of each region's tradable-sector shock z_t = rho z_{t-1} + sigma e_t
    /// (policy-modules D.B.2), [files] business_cycles (business_cycles.csv,
    /// "region,rho,sigma,years,method"): rho in [0, 1) and sigma >= 0 (log points per year), R
    /// entries each; empty when the dataset has none. celac38: HP-filtered (lambda 6.25) log
    /// real tradable VA, 1990-2023 (DATA.md A24).
    Eigen::VectorXd cycle_persistence, cycle_volatility;
    /// The correlation Omega of the shocks e across regions, [files] shock_correlation
    /// (shock_correlation.csv, "region,partner,value"): R x R, symmetric, unit diagonal, entries
    /// in [-1, 1]; empty when the dataset has none. Positive semi-definiteness is checked by
    /// models::validate(shock_process), not by the loader. celac38: AR(1) residual
    /// correlations shrunk towards a constant correlation (DATA.md A24).
    Eigen::MatrixXd shock_correlation;
    Eigen::VectorXd trade_elasticity_se;  ///< standard error of each sector's trade elasticity (same order as sectors); empty when the dataset has no trade_elasticities file
};

/// Where datasets are looked up by name, in order: each folder of $INTEGRA_DATA_PATH
/// (colon-separated), then the embedded datasets: the installed share folder next to the
/// executable if it exists, else the source tree's data/ folder.
[[nodiscard]] std::vector<std::filesystem::path> data_search_path();

/// The folder of `name_or_path`: a dataset name found on the search path ("celac38"), or
/// a path to a folder (containing '/' or starting with '.'). Throws invalid_input listing
/// the names there are if nothing matches.
[[nodiscard]] std::filesystem::path resolve_dataset(const std::string& name_or_path);

/// Reads and validates a dataset; throws invalid_input (a manifest path outside the
/// folder or not a regular file; unreadable, malformed, a wrong header, an unknown or
/// repeated label or row, a number out of its range: file:line and column) or
/// inconsistent_input (every identity that fails, with location and size). A problem in
/// regions.csv or sectors.csv is reported alone; other files report at most
/// dataset_limits::max_problems_per_file problems each.
[[nodiscard]] dataset load_dataset(const std::string& name_or_path);

}  // namespace integra::sim
