// Test-only loader of the Caliendo & Parro (2015) replication data in shared/data
// (see its PROVENANCE.md). models/ never reads files; tests do.
#pragma once

#include <Eigen/Dense>

#include <optional>
#include <string>
#include <vector>

#include "models/trade_equilibrium.hpp"

namespace integra::test {

/// The folder `caliendo-parro` of the shared data: under $INTEGRA_SHARED_DATA if set,
/// else under ../shared/data beside the repository (as in CI); nullopt if neither exists.
std::optional<std::string> cp_data_dir();

/// A numeric text matrix; separators are commas, tabs or spaces; CRLF is accepted.
Eigen::MatrixXd read_matrix(const std::string& path);

/// A calibrated base exported as CSV (`calibrated/base_1993_noS` and the like):
/// Din, tau, X0, B, G, alphas, VAn, Sn, T. D = -Sn, theta = 1/T,
/// gamma^{k,j}_n = (1 - B(j,n)) G((n-1)J + k, j).
models::trade_equilibrium_base load_cp_base(const std::string& dir);

/// A stacked tariff file (`raw/tariffs1993.txt`: percent, rows (j-1)N + n for the
/// tradable sectors, columns exporter i) as fractions for `n_sectors` sectors; sectors
/// beyond the file's are non-tradable and get zero tariffs.
std::vector<Eigen::MatrixXd> load_cp_tariffs(const std::string& path, Eigen::Index n_regions, Eigen::Index n_sectors);

/// 0-based indices of the NAFTA members in the CP ordering.
inline constexpr Eigen::Index cp_canada = 4, cp_mexico = 19, cp_usa = 29;

/// NAFTA-only scenario: tau' = `base` except the six intra-NAFTA pairs, which take
/// `later` in the first `n_tradable` sectors.
std::vector<Eigen::MatrixXd> nafta_tariffs(const std::vector<Eigen::MatrixXd>& base,
                                           const std::vector<Eigen::MatrixXd>& later, Eigen::Index n_tradable = 20);

}  // namespace integra::test
