#include "tests/unit/models/cp_test_data.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace integra::test {

namespace fs = std::filesystem;
using Eigen::Index;
using Eigen::MatrixXd;

std::optional<std::string> cp_data_dir() {
    // $INTEGRA_SHARED_DATA, else ../shared/data beside the repository (as in CI).
    std::vector<fs::path> candidates;
    if (const char* env = std::getenv("INTEGRA_SHARED_DATA"); env && *env) candidates.emplace_back(env);
    candidates.push_back(fs::path(INTEGRA_TEST_DIR).parent_path() / ".." / "shared" / "data");
    for (const auto& c : candidates) {
        std::error_code ec;
        if (fs::is_directory(c / "caliendo-parro" / "calibrated", ec)) return (c / "caliendo-parro").string();
    }
    return std::nullopt;
}

MatrixXd read_matrix(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::vector<std::vector<double>> rows;
    std::string line;
    while (std::getline(in, line)) {
        for (char& c : line)
            if (c == ',' || c == '\t' || c == '\r') c = ' ';
        std::istringstream s(line);
        std::vector<double> row;
        std::string token;
        while (s >> token) row.push_back(std::stod(token));  // stod accepts "-0", "1e-5", "NaN"
        if (!row.empty()) rows.push_back(std::move(row));
    }
    if (rows.empty()) throw std::runtime_error(path + ": no data");
    MatrixXd m(static_cast<Index>(rows.size()), static_cast<Index>(rows[0].size()));
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (rows[r].size() != rows[0].size())
            throw std::runtime_error(path + ": ragged row " + std::to_string(r + 1));
        for (std::size_t c = 0; c < rows[r].size(); ++c) m(static_cast<Index>(r), static_cast<Index>(c)) = rows[r][c];
    }
    return m;
}

namespace {
const std::vector<std::string> cp_regions = {"ARG", "AUS", "AUT", "BRA", "CAN", "CHL", "CHN", "DNK", "FIN", "FRA", "DEU",
                                             "GRC", "HUN", "IND", "IDN", "IRL", "ITA", "JPN", "KOR", "MEX", "NLD", "NZL",
                                             "NOR", "PRT", "ZAF", "ESP", "SWE", "TUR", "GBR", "USA", "ROW"};
const std::vector<std::string> cp_tradables = {
    "Agriculture", "Mining", "Food", "Textile", "Wood", "Paper", "Petroleum", "Chemicals", "Plastic", "Minerals",
    "Basic metals", "Metal products", "Machinery n.e.c.", "Office", "Electrical", "Communication", "Medical", "Auto",
    "Other Transport", "Other"};
}  // namespace

models::trade_equilibrium_base load_cp_base(const std::string& dir) {
    const auto file = [&](const char* name) { return read_matrix(dir + "/" + name + ".csv"); };
    const MatrixXd din = file("Din"), tau = file("tau"), x0 = file("X0"), b = file("B"), g = file("G"),
                   alphas = file("alphas"), van = file("VAn"), sn = file("Sn"), t = file("T");
    const Index n_count = van.rows(), j_count = x0.rows();
    models::trade_equilibrium_base base;
    for (Index n = 0; n < n_count; ++n)
        base.regions.push_back(n_count == 31 ? cp_regions[static_cast<std::size_t>(n)] : "R" + std::to_string(n + 1));
    for (Index j = 0; j < j_count; ++j)
        base.sectors.push_back(j_count == 40 && j < 20 ? cp_tradables[static_cast<std::size_t>(j)]
                                                       : "S" + std::to_string(j + 1));
    for (Index j = 0; j < j_count; ++j) {
        base.trade_shares.push_back(din.middleRows(j * n_count, n_count));
        base.tariffs.push_back(tau.middleRows(j * n_count, n_count).array() - 1.0);
    }
    base.expenditure = x0;
    base.value_added_share = b;
    for (Index n = 0; n < n_count; ++n) {
        MatrixXd io = g.middleRows(n * j_count, j_count);
        for (Index j = 0; j < j_count; ++j) io.col(j) *= 1.0 - b(j, n);
        base.io_share.push_back(std::move(io));
    }
    base.final_demand_share = alphas;
    base.value_added = van.col(0);
    base.deficit = -sn.col(0);
    base.theta = t.col(0).cwiseInverse();
    return base;
}

std::vector<MatrixXd> load_cp_tariffs(const std::string& path, Index n_regions, Index n_sectors) {
    const MatrixXd t = read_matrix(path);
    if (t.cols() != n_regions || t.rows() % n_regions != 0 || t.rows() / n_regions > n_sectors)
        throw std::runtime_error(path + ": unexpected shape " + std::to_string(t.rows()) + " x " +
                                 std::to_string(t.cols()));
    std::vector<MatrixXd> out;
    for (Index j = 0; j < n_sectors; ++j)
        out.push_back(j < t.rows() / n_regions ? MatrixXd(t.middleRows(j * n_regions, n_regions) / 100.0)
                                               : MatrixXd::Zero(n_regions, n_regions));
    return out;
}

std::vector<MatrixXd> nafta_tariffs(const std::vector<MatrixXd>& base, const std::vector<MatrixXd>& later,
                                    Index n_tradable) {
    auto out = base;
    const Index members[] = {cp_canada, cp_mexico, cp_usa};
    for (Index j = 0; j < n_tradable; ++j)
        for (Index n : members)
            for (Index i : members)
                if (n != i) out[static_cast<std::size_t>(j)](n, i) = later[static_cast<std::size_t>(j)](n, i);
    return out;
}

}  // namespace integra::test
