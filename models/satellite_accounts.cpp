// Satellite accounts and footprints; formulas and sources are documented in
// satellite_accounts.hpp and docs/io-accounting.md.
//
// Products with the n x n matrices L and G are cut into blocks of a fixed 64 columns (or
// rows), each one serial Eigen call owned by one task (numerics::for_each_block only
// schedules the block indices), so every element is computed by the same operations in the
// same order on any number of threads.
#include "models/satellite_accounts.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"
#include "models/numerics/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace integra::models {

namespace {

using index_t = Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr index_t dense_block = 64;
// Per array at most this many non-finite cells are listed one by one; the rest are counted.
constexpr std::size_t max_listed_entries = 10;

std::string shape(index_t rows, index_t cols) { return std::to_string(rows) + " x " + std::to_string(cols); }


// left * right, by fixed blocks of columns of right.
MatrixXd times(const Eigen::Ref<const MatrixXd>& left, const Eigen::Ref<const MatrixXd>& right) {
    MatrixXd out(left.rows(), right.cols());
    numerics::for_each_fixed_block(right.cols(), dense_block, [&](index_t begin, index_t count) {
        out.middleCols(begin, count).noalias() = left * right.middleCols(begin, count);
    });
    return out;
}

// left * right', by fixed blocks of rows of right.
MatrixXd times_transpose(const Eigen::Ref<const MatrixXd>& left, const Eigen::Ref<const MatrixXd>& right) {
    MatrixXd out(left.rows(), right.rows());
    numerics::for_each_fixed_block(right.rows(), dense_block, [&](index_t begin, index_t count) {
        out.middleCols(begin, count).noalias() = left * right.middleRows(begin, count).transpose();
    });
    return out;
}

VectorXd safe_reciprocal(const Eigen::Ref<const VectorXd>& x) {
    return x.unaryExpr([](double value) { return value != 0.0 ? 1.0 / value : 0.0; });
}

void require_square(const Eigen::Ref<const MatrixXd>& m, index_t n, const std::string& function,
                    const std::string& name) {
    if (m.rows() != n || m.cols() != n)
        throw inconsistent_input(function + ": " + name + " is " + shape(m.rows(), m.cols()) + "; expected " +
                                 shape(n, n));
}

// "'CO2'" for stressor i, or "#i" if it has no name (validation reports that separately).
std::string name_of(const std::vector<std::string>& names, std::size_t i) {
    return i < names.size() && !names[i].empty() ? names[i] : "#" + std::to_string(i);
}

// "CO2, CH4, N2O" (the first few names, then "and N more").
std::string name_list(const std::vector<std::string>& names) {
    constexpr std::size_t shown = 5;
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < shown; ++i) out += (i ? ", " : "") + name_of(names, i);
    if (names.size() > shown) out += " and " + std::to_string(names.size() - shown) + " more";
    return out.empty() ? "none" : out;
}

void check_names(const std::vector<std::string>& names, const std::string& what, issues& out) {
    std::map<std::string, std::size_t> first_seen;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string where = what + "[" + std::to_string(i) + "]";
        if (names[i].empty()) {
            out.add(where, "empty name");
            continue;
        }
        const auto [it, inserted] = first_seen.emplace(names[i], i);
        if (!inserted)
            out.add(where, "duplicate name '" + names[i] + "' (also at index " + std::to_string(it->second) + ")");
    }
}

// One unit per name; an empty unit is reported with the name it belongs to.
void check_units(const std::vector<std::string>& names, const std::vector<std::string>& units,
                 const std::string& what, const std::string& kind, issues& out) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i >= units.size()) {
            out.add(what, kind + " '" + name_of(names, i) + "' has no unit (" + std::to_string(units.size()) +
                              " units for " + std::to_string(names.size()) + " " + kind + "s); expected one per " + kind);
        } else if (units[i].empty()) {
            out.add(what + "[" + name_of(names, i) + "]",
                    "empty; expected the unit of " + kind + " '" + name_of(names, i) + "', such as 'kt CO2'");
        }
    }
    if (units.size() > names.size())
        out.add(what, std::to_string(units.size()) + " units for " + std::to_string(names.size()) + " " + kind +
                          "s (" + name_list(names) + "); expected one per " + kind);
}

// NaN and infinite entries; negative ones are valid (removals). `col_label` names a column.
template <class ColLabel>
void check_finite(const MatrixXd& m, const std::vector<std::string>& row_names, const std::string& what,
                  ColLabel col_label, issues& out) {
    std::size_t n_bad = 0;
    for (index_t j = 0; j < m.cols(); ++j)
        for (index_t i = 0; i < m.rows(); ++i) {
            const double value = m(i, j);
            if (std::isfinite(value) || ++n_bad > max_listed_entries) continue;
            out.add(what + "[" + name_of(row_names, static_cast<std::size_t>(i)) + ", " + col_label(j) + "]",
                    std::string("is ") + (std::isnan(value) ? "NaN" : "infinite") +
                        "; expected a finite number (negative values, such as removals, are accepted)");
        }
    if (n_bad > max_listed_entries)
        out.add(what, std::to_string(n_bad - max_listed_entries) + " more NaN or infinite entries (" +
                          std::to_string(n_bad) + " in total)");
}

// Everything about a satellite that needs no table; with `table`, also the columns and the
// cell labels.
void check_satellite(const satellite& s, const mrio_table* table, issues& out) {
    const auto k = static_cast<index_t>(s.n_stressors());
    if (s.stressors.empty()) out.add("satellite.stressors", "no stressors; expected at least one");
    check_names(s.stressors, "satellite.stressors", out);
    check_units(s.stressors, s.units, "satellite.units", "stressor", out);
    const std::string per_stressor = " (" + name_list(s.stressors) + ")";

    bool production_ok = true;
    if (s.production.rows() != k) {
        out.add("satellite.production", "has " + std::to_string(s.production.rows()) + " rows for " +
                                            std::to_string(k) + " stressors" + per_stressor +
                                            "; expected one row per stressor");
        production_ok = false;
    }
    if (table != nullptr && s.production.cols() != static_cast<index_t>(table->size())) {
        out.add("satellite.production",
                "has " + std::to_string(s.production.cols()) + " columns; expected " + std::to_string(table->size()) +
                    " (" + std::to_string(table->n_regions()) + " regions x " + std::to_string(table->n_sectors()) +
                    " sectors) for every stressor" + per_stressor);
        production_ok = false;
    }
    bool final_ok = true;
    if (s.has_final_demand()) {
        if (s.final_demand.rows() != k) {
            out.add("satellite.final_demand", "has " + std::to_string(s.final_demand.rows()) + " rows for " +
                                                  std::to_string(k) + " stressors" + per_stressor +
                                                  "; expected one row per stressor, or none at all (0 x 0)");
            final_ok = false;
        }
        if (table != nullptr && s.final_demand.cols() != static_cast<index_t>(table->n_regions())) {
            out.add("satellite.final_demand", "has " + std::to_string(s.final_demand.cols()) + " columns; expected " +
                                                  std::to_string(table->n_regions()) +
                                                  " (one per region) for every stressor" + per_stressor);
            final_ok = false;
        }
    }
    // Cell labels need matching sizes; without them the cell is named by its index.
    auto column = [&](index_t j) {
        return table != nullptr && production_ok ? table->label(static_cast<std::size_t>(j))
                                                 : "column " + std::to_string(j);
    };
    auto region = [&](index_t q) {
        return table != nullptr && final_ok ? table->regions[static_cast<std::size_t>(q)]
                                            : "column " + std::to_string(q);
    };
    check_finite(s.production, s.stressors, "satellite.production", column, out);
    check_finite(s.final_demand, s.stressors, "satellite.final_demand", region, out);
}

// The satellite and the parts of the table the accounts read.
void require_valid(const satellite& s, const mrio_table& t, const std::string& function) {
    issues problems;
    validate(s, t, problems);
    const auto n = static_cast<index_t>(t.size());
    if (t.gross_output.size() != n)
        problems.add("mrio_table.gross_output",
                     "has " + std::to_string(t.gross_output.size()) + " entries; expected " + std::to_string(n));
    if (t.final_demand.rows() != n || t.final_demand.cols() != static_cast<index_t>(t.n_regions()))
        problems.add("mrio_table.final_demand", "is " + shape(t.final_demand.rows(), t.final_demand.cols()) +
                                                    "; expected " + shape(n, static_cast<index_t>(t.n_regions())));
    problems.throw_if_any<inconsistent_input>(function);
}

// F_y, or zeros when the satellite has none.
MatrixXd final_demand_stressors(const satellite& s, index_t n_regions) {
    return s.has_final_demand() ? s.final_demand : MatrixXd::Zero(static_cast<index_t>(s.n_stressors()), n_regions);
}

}  // namespace

void validate(const satellite& accounts, const mrio_table& table, issues& out) {
    check_satellite(accounts, &table, out);
}

void validate(const characterisation& c, issues& out) {
    if (c.impacts.empty()) out.add("characterisation.impacts", "no impacts; expected at least one");
    check_names(c.impacts, "characterisation.impacts", out);
    check_units(c.impacts, c.impact_units, "characterisation.impact_units", "impact", out);
    check_names(c.stressors, "characterisation.stressors", out);
    check_units(c.stressors, c.stressor_units, "characterisation.stressor_units", "stressor", out);
    const auto n_impacts = static_cast<index_t>(c.impacts.size());
    const auto n_stressors = static_cast<index_t>(c.stressors.size());
    if (c.factors.rows() != n_impacts || c.factors.cols() != n_stressors) {
        out.add("characterisation.factors", "is " + shape(c.factors.rows(), c.factors.cols()) + "; expected " +
                                                shape(n_impacts, n_stressors) + " (impacts " + name_list(c.impacts) +
                                                " x stressors " + name_list(c.stressors) + ")");
        return;
    }
    check_finite(c.factors, c.impacts, "characterisation.factors",
                 [&](index_t j) { return name_of(c.stressors, static_cast<std::size_t>(j)); }, out);
}

satellite characterise(const satellite& accounts, const characterisation& factors) {
    issues problems;
    check_satellite(accounts, nullptr, problems);
    validate(factors, problems);
    problems.throw_if_any<inconsistent_input>("characterise");

    // Column k of the factors takes row rows[k] of the satellite.
    std::map<std::string, std::size_t> row_of;
    for (std::size_t i = 0; i < accounts.stressors.size(); ++i) row_of.emplace(accounts.stressors[i], i);
    std::vector<index_t> rows;
    for (std::size_t k = 0; k < factors.stressors.size(); ++k) {
        const auto it = row_of.find(factors.stressors[k]);
        if (it == row_of.end()) {
            problems.add("characterisation.stressors[" + factors.stressors[k] + "]",
                         "not in the satellite (stressors " + name_list(accounts.stressors) + ")");
            continue;
        }
        if (accounts.units[it->second] != factors.stressor_units[k])
            problems.add("characterisation.stressor_units[" + factors.stressors[k] + "]",
                         "factors are per '" + factors.stressor_units[k] + "' but the satellite's unit is '" +
                             accounts.units[it->second] + "'; expected the same unit (no conversion is made)");
        rows.push_back(static_cast<index_t>(it->second));
    }
    problems.throw_if_any<inconsistent_input>("characterise");

    // Impacts = C F_sel (and C F_y,sel); the satellite is K x n with K small, so serial.
    const auto selected = static_cast<index_t>(rows.size());
    MatrixXd f(selected, accounts.production.cols());
    for (index_t k = 0; k < selected; ++k) f.row(k) = accounts.production.row(rows[static_cast<std::size_t>(k)]);
    satellite impacts;
    impacts.stressors = factors.impacts;
    impacts.units = factors.impact_units;
    impacts.production = factors.factors * f;
    if (accounts.has_final_demand()) {
        MatrixXd fy(selected, accounts.final_demand.cols());
        for (index_t k = 0; k < selected; ++k)
            fy.row(k) = accounts.final_demand.row(rows[static_cast<std::size_t>(k)]);
        impacts.final_demand = factors.factors * fy;
    }
    return impacts;
}

MatrixXd stressor_intensities(const Eigen::Ref<const MatrixXd>& production_stressors,
                              const Eigen::Ref<const VectorXd>& gross_output) {
    if (production_stressors.cols() != gross_output.size())
        throw inconsistent_input("stressor_intensities: production stressors have " +
                                 std::to_string(production_stressors.cols()) + " columns; expected " +
                                 std::to_string(gross_output.size()) + " (one per entry of gross_output)");
    // S = F x^-1 (Miller & Blair 2009, ch. 10, sec. 10.2); zero columns where x = 0.
    return production_stressors * safe_reciprocal(gross_output).asDiagonal();
}

MatrixXd stressor_intensities(const satellite& accounts, const mrio_table& table) {
    require_valid(accounts, table, "stressor_intensities");
    return stressor_intensities(accounts.production, table.gross_output);
}

MatrixXd stressor_multipliers(const Eigen::Ref<const MatrixXd>& intensities,
                              const Eigen::Ref<const MatrixXd>& leontief) {
    require_square(leontief, intensities.cols(), "stressor_multipliers", "leontief");
    // M = S L (Miller & Blair 2009, ch. 10, secs. 10.2-10.3).
    return times(intensities, leontief);
}

MatrixXd production_based_accounts(const satellite& accounts, const mrio_table& table) {
    require_valid(accounts, table, "production_based_accounts");
    const auto n_regions = static_cast<index_t>(table.n_regions());
    const auto n_sectors = static_cast<index_t>(table.n_sectors());
    // PBA(k, r) = sum_s F(k,(r,s)) + F_y(k, r) (Peters 2008).
    MatrixXd pba = final_demand_stressors(accounts, n_regions);
    for (index_t r = 0; r < n_regions; ++r)
        pba.col(r) += accounts.production.middleCols(r * n_sectors, n_sectors).rowwise().sum();
    return pba;
}

MatrixXd consumption_based_accounts(const satellite& accounts, const mrio_table& table,
                                    const Eigen::Ref<const MatrixXd>& leontief) {
    require_valid(accounts, table, "consumption_based_accounts");
    const MatrixXd m = stressor_multipliers(stressor_intensities(accounts.production, table.gross_output), leontief);
    // CBA(k, q) = (S L y_q)(k) + F_y(k, q) = (M Y)(k, q) + F_y(k, q) (Peters 2008).
    return m * table.final_demand + final_demand_stressors(accounts, static_cast<index_t>(table.n_regions()));
}

MatrixXd per_person(const Eigen::Ref<const MatrixXd>& accounts, const Eigen::Ref<const VectorXd>& population,
                    const std::vector<std::string>& regions) {
    issues problems;
    const auto n_regions = static_cast<index_t>(regions.size());
    if (accounts.cols() != n_regions)
        problems.add("accounts", "has " + std::to_string(accounts.cols()) + " columns; expected " +
                                     std::to_string(n_regions) + " (one per region)");
    if (population.size() != n_regions)
        problems.add("population", "has " + std::to_string(population.size()) + " entries; expected " +
                                       std::to_string(n_regions) + " (one per region)");
    for (index_t r = 0; r < std::min(n_regions, population.size()); ++r)
        if (!(population(r) > 0.0) || !std::isfinite(population(r)))
            problems.add("population[" + regions[static_cast<std::size_t>(r)] + "]",
                         "is " + number_text(population(r)) + "; expected a positive finite number of persons");
    problems.throw_if_any<inconsistent_input>("per_person");
    return accounts * population.cwiseInverse().asDiagonal();
}

std::vector<MatrixXd> footprint_by_origin(const satellite& accounts, const mrio_table& table,
                                          const Eigen::Ref<const MatrixXd>& leontief) {
    require_valid(accounts, table, "footprint_by_origin");
    const auto n = static_cast<index_t>(table.size());
    const auto n_regions = static_cast<index_t>(table.n_regions());
    const auto n_sectors = static_cast<index_t>(table.n_sectors());
    require_square(leontief, n, "footprint_by_origin", "leontief");
    const MatrixXd s = stressor_intensities(accounts.production, table.gross_output);

    // X(:, q) = L y_q: output everywhere for q's final demand, by fixed blocks of rows of L.
    MatrixXd x(n, n_regions);
    numerics::for_each_fixed_block(n, dense_block, [&](index_t begin, index_t count) {
        x.middleRows(begin, count).noalias() = leontief.middleRows(begin, count) * table.final_demand;
    });
    // D[k](o, q) = sum_s S(k,(o,s)) X((o,s), q) + [o == q] F_y(k, q) (Kanemoto et al. 2012).
    const MatrixXd fy = final_demand_stressors(accounts, n_regions);
    std::vector<MatrixXd> d(accounts.n_stressors(), MatrixXd(n_regions, n_regions));
    for (index_t k = 0; k < static_cast<index_t>(accounts.n_stressors()); ++k) {
        MatrixXd& dk = d[static_cast<std::size_t>(k)];
        for (index_t o = 0; o < n_regions; ++o)
            dk.row(o).noalias() = s.row(k).segment(o * n_sectors, n_sectors) * x.middleRows(o * n_sectors, n_sectors);
        dk.diagonal() += fy.row(k).transpose();
    }
    return d;
}

std::vector<MatrixXd> footprint_by_final_product(const satellite& accounts, const mrio_table& table,
                                                 const Eigen::Ref<const MatrixXd>& leontief) {
    require_valid(accounts, table, "footprint_by_final_product");
    const MatrixXd m = stressor_multipliers(stressor_intensities(accounts.production, table.gross_output), leontief);
    // P[k]((r,s), q) = M(k,(r,s)) Y((r,s), q) (Miller & Blair 2009, ch. 10, sec. 10.3).
    std::vector<MatrixXd> p;
    p.reserve(accounts.n_stressors());
    for (index_t k = 0; k < m.rows(); ++k) p.emplace_back(m.row(k).transpose().asDiagonal() * table.final_demand);
    return p;
}

embodied_trade embodied_in_trade(const std::vector<MatrixXd>& by_origin) {
    const auto k = static_cast<index_t>(by_origin.size());
    const index_t n_regions = by_origin.empty() ? 0 : by_origin.front().rows();
    issues problems;
    for (std::size_t i = 0; i < by_origin.size(); ++i)
        if (by_origin[i].rows() != n_regions || by_origin[i].cols() != n_regions)
            problems.add("by_origin[" + std::to_string(i) + "]", "is " + shape(by_origin[i].rows(), by_origin[i].cols()) +
                                                                     "; expected " + shape(n_regions, n_regions));
    problems.throw_if_any<inconsistent_input>("embodied_in_trade");
    // EEI(k, q) = sum_(o != q) D[k](o, q), EEE(k, r) = sum_(q != r) D[k](r, q) (Peters &
    // Hertwich 2008); balance = EEI - EEE = CBA - PBA.
    embodied_trade e{MatrixXd(k, n_regions), MatrixXd(k, n_regions), MatrixXd()};
    for (index_t i = 0; i < k; ++i) {
        const MatrixXd& d = by_origin[static_cast<std::size_t>(i)];
        e.imports.row(i) = (d.colwise().sum().transpose() - d.diagonal()).transpose();
        e.exports.row(i) = (d.rowwise().sum() - d.diagonal()).transpose();
    }
    e.balance = e.imports - e.exports;
    return e;
}

embodied_trade embodied_in_trade(const satellite& accounts, const mrio_table& table,
                                 const Eigen::Ref<const MatrixXd>& leontief) {
    return embodied_in_trade(footprint_by_origin(accounts, table, leontief));
}

VectorXd downstream_output_multipliers(const Eigen::Ref<const MatrixXd>& ghosh) {
    require_square(ghosh, ghosh.rows(), "downstream_output_multipliers", "ghosh");
    // m_down = G 1 (Miller & Blair 2009, ch. 12, sec. 12.2): row sums, accumulated column by
    // column (contiguous in column-major storage) per fixed block of rows.
    VectorXd sums = VectorXd::Zero(ghosh.rows());
    numerics::for_each_fixed_block(ghosh.rows(), dense_block, [&](index_t begin, index_t count) {
        auto block = sums.segment(begin, count);
        for (index_t j = 0; j < ghosh.cols(); ++j) block += ghosh.col(j).segment(begin, count);
    });
    return sums;
}

VectorXd full_scope_output_multipliers(const Eigen::Ref<const MatrixXd>& leontief,
                                       const Eigen::Ref<const MatrixXd>& ghosh) {
    const index_t n = leontief.rows();
    require_square(leontief, n, "full_scope_output_multipliers", "leontief");
    require_square(ghosh, n, "full_scope_output_multipliers", "ghosh");
    // m_full = (1'L)' + G 1 - 1: j's own unit is in both L(j,j) and G(j,j).
    VectorXd upstream(n);
    numerics::for_each_fixed_block(n, dense_block, [&](index_t begin, index_t count) {
        for (index_t j = begin; j != begin + count; ++j) upstream(j) = leontief.col(j).sum();
    });
    return upstream + downstream_output_multipliers(ghosh) - VectorXd::Ones(n);
}

MatrixXd downstream_stressor_multipliers(const Eigen::Ref<const MatrixXd>& intensities,
                                         const Eigen::Ref<const MatrixXd>& ghosh) {
    require_square(ghosh, intensities.cols(), "downstream_stressor_multipliers", "ghosh");
    // M_down = S (G' - I) = S G' - S (pymrio's calc_M_down in Miller & Blair's orientation).
    MatrixXd m = times_transpose(intensities, ghosh);
    m -= intensities;
    return m;
}

MatrixXd full_scope_stressor_multipliers(const Eigen::Ref<const MatrixXd>& intensities,
                                         const Eigen::Ref<const MatrixXd>& leontief,
                                         const Eigen::Ref<const MatrixXd>& ghosh) {
    require_square(leontief, intensities.cols(), "full_scope_stressor_multipliers", "leontief");
    // M_full = S L + S (G' - I).
    return stressor_multipliers(intensities, leontief) + downstream_stressor_multipliers(intensities, ghosh);
}

}  // namespace integra::models
