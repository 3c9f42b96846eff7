// Labels, validation and bilateral trade for the MRIO table (see mrio_table.hpp).
#include "models/mrio_table.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"

#include <cmath>
#include <map>
#include <sstream>

namespace integra::models {

namespace {

using index_t = Eigen::Index;

// Per (array, kind of problem) at most this many entries are reported one by one; the rest
// are counted in one summary issue, so a table full of NaN gives a readable report.
constexpr std::size_t max_listed_entries = 20;


std::string shape(index_t rows, index_t cols) { return std::to_string(rows) + " x " + std::to_string(cols); }

// Appends dimension problems; returns true if every array has the size the labels imply.
bool check_dimensions(const mrio_table& t, issues& out) {
    const auto n = static_cast<index_t>(t.size());
    const auto r = static_cast<index_t>(t.n_regions());
    const std::string expected_from = " (" + std::to_string(t.n_regions()) + " regions x " +
                                      std::to_string(t.n_sectors()) + " sectors)";
    bool ok = true;
    if (t.regions.empty()) {
        out.add("mrio_table.regions", "no regions; expected at least one");
        ok = false;
    }
    if (t.sectors.empty()) {
        out.add("mrio_table.sectors", "no sectors; expected at least one");
        ok = false;
    }
    if (t.intermediate.rows() != n || t.intermediate.cols() != n) {
        out.add("mrio_table.intermediate", "is " + shape(t.intermediate.rows(), t.intermediate.cols()) +
                                               "; expected " + shape(n, n) + expected_from);
        ok = false;
    }
    if (t.final_demand.rows() != n || t.final_demand.cols() != r) {
        out.add("mrio_table.final_demand", "is " + shape(t.final_demand.rows(), t.final_demand.cols()) +
                                               "; expected " + shape(n, r) + expected_from);
        ok = false;
    }
    if (t.value_added.size() != n) {
        out.add("mrio_table.value_added", "has " + std::to_string(t.value_added.size()) +
                                              " entries; expected " + std::to_string(n) + expected_from);
        ok = false;
    }
    if (t.gross_output.size() != n) {
        out.add("mrio_table.gross_output", "has " + std::to_string(t.gross_output.size()) +
                                               " entries; expected " + std::to_string(n) + expected_from);
        ok = false;
    }
    return ok;
}

void check_labels(const std::vector<std::string>& labels, const std::string& name, issues& out) {
    std::map<std::string, std::size_t> first_seen;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const std::string where = "mrio_table." + name + "[" + std::to_string(i) + "]";
        if (labels[i].empty()) {
            out.add(where, "empty label");
            continue;
        }
        const auto [it, inserted] = first_seen.emplace(labels[i], i);
        if (!inserted)
            out.add(where, "duplicate label '" + labels[i] + "' (also at index " + std::to_string(it->second) + ")");
    }
}

// Reports non-finite entries always, negative entries if `nonnegative`. `row_label` and
// `col_label` turn an index into "BRA/agriculture" or "ARG".
template <class RowLabel, class ColLabel>
void check_entries(const Eigen::MatrixXd& m, const std::string& name, bool nonnegative, RowLabel row_label,
                   ColLabel col_label, issues& out) {
    std::size_t n_nonfinite = 0;
    std::size_t n_negative = 0;
    for (index_t j = 0; j < m.cols(); ++j) {
        for (index_t i = 0; i < m.rows(); ++i) {
            const double value = m(i, j);
            const bool nonfinite = !std::isfinite(value);
            const bool negative = nonnegative && value < 0.0;
            if (!nonfinite && !negative) continue;
            std::size_t& count = nonfinite ? n_nonfinite : n_negative;
            if (++count > max_listed_entries) continue;
            std::string where = "mrio_table." + name + "[" + row_label(i);
            if (m.cols() > 1) where += ", " + col_label(j);
            where += "]";
            if (nonfinite)
                out.add(where, std::string("is ") + (std::isnan(value) ? "NaN" : "infinite") +
                                   "; expected a finite number");
            else
                out.add(where, "is negative (" + number_text(value) + "); expected >= 0");
        }
    }
    if (n_nonfinite > max_listed_entries)
        out.add("mrio_table." + name, std::to_string(n_nonfinite - max_listed_entries) +
                                          " more NaN or infinite entries (" + std::to_string(n_nonfinite) +
                                          " in total)");
    if (n_negative > max_listed_entries)
        out.add("mrio_table." + name, std::to_string(n_negative - max_listed_entries) +
                                          " more negative entries (" + std::to_string(n_negative) + " in total)");
}

// "output 1000 but sales 1012.5 (difference 12.5, 1.25%)"
std::string identity_failure(const std::string& kind, const std::string& label, double output,
                             const std::string& side, double side_value) {
    const double difference = side_value - output;
    std::string msg = kind + " identity fails for " + label + ": output " + number_text(output) + " but " + side + " " +
                      number_text(side_value) + " (difference " + number_text(difference);
    if (output != 0.0)
        msg += ", " + number_text(100.0 * difference / std::abs(output)) + "%)";
    else
        msg += "; output is zero)";
    return msg;
}

}  // namespace

// Out-of-range indices (possible while validating a table whose arrays do not match its
// labels) are named "index i" rather than throwing, so validation can still report them.
std::string mrio_table::label(std::size_t i) const {
    if (sectors.empty() || i >= size()) return "index " + std::to_string(i);
    return regions[i / sectors.size()] + "/" + sectors[i % sectors.size()];
}

void validate(const mrio_table& t, issues& out, double relative_tolerance, bool negative_final_demand_allowed) {
    if (!(relative_tolerance >= 0.0) || !std::isfinite(relative_tolerance))
        out.add("validate(mrio_table)", "relative_tolerance is " + number_text(relative_tolerance) +
                                            "; expected a finite number >= 0");
    if (t.unit.empty()) out.add("mrio_table.unit", "empty; expected a currency unit such as 'million USD'");
    check_labels(t.regions, "regions", out);
    check_labels(t.sectors, "sectors", out);
    const bool dims_ok = check_dimensions(t, out);

    const auto n = static_cast<index_t>(t.size());
    const auto cell = [&t](index_t i) { return t.label(static_cast<std::size_t>(i)); };
    const auto region = [&t](index_t q) {
        return static_cast<std::size_t>(q) < t.regions.size() ? t.regions[static_cast<std::size_t>(q)]
                                                              : "index " + std::to_string(q);
    };
    const auto none = [](index_t) { return std::string(); };

    // Entry checks are meaningful for any array whose own size is right, even if another
    // array is mis-sized, so the user sees as much as possible in one pass.
    if (t.intermediate.rows() == n && t.intermediate.cols() == n)
        check_entries(t.intermediate, "intermediate", true, cell, cell, out);
    if (t.final_demand.rows() == n && t.final_demand.cols() == static_cast<index_t>(t.n_regions()))
        check_entries(t.final_demand, "final_demand", !negative_final_demand_allowed, cell, region, out);
    // Value added may legitimately be negative (operating losses, net subsidies).
    if (t.value_added.size() == n) check_entries(t.value_added, "value_added", false, cell, none, out);
    if (t.gross_output.size() == n) check_entries(t.gross_output, "gross_output", true, cell, none, out);
    if (!dims_ok || !(relative_tolerance >= 0.0)) return;

    constexpr double absolute_tolerance = 1e-9;  // where output is zero (see header)
    const auto tolerance = [&](double output) {
        return output != 0.0 ? relative_tolerance * std::abs(output) : absolute_tolerance;
    };
    // Rows: x = Z 1 + F 1 (sales); columns: x = Z' 1 + v (costs); see mrio_table.hpp.
    for (index_t i = 0; i < n; ++i) {
        const double output = t.gross_output(i);
        const double sales = t.intermediate.row(i).sum() + t.final_demand.row(i).sum();
        if (std::isfinite(output) && std::isfinite(sales) && std::abs(sales - output) > tolerance(output))
            out.add("mrio_table.gross_output[" + cell(i) + "]",
                    identity_failure("row", cell(i), output, "sales", sales));
    }
    for (index_t j = 0; j < n; ++j) {
        const double output = t.gross_output(j);
        const double costs = t.intermediate.col(j).sum() + t.value_added(j);
        if (std::isfinite(output) && std::isfinite(costs) && std::abs(costs - output) > tolerance(output))
            out.add("mrio_table.gross_output[" + cell(j) + "]",
                    identity_failure("column", cell(j), output, "costs", costs));
    }
}

std::vector<Eigen::MatrixXd> bilateral_trade(const mrio_table& t) {
    issues problems;
    check_dimensions(t, problems);
    problems.throw_if_any<inconsistent_input>("bilateral_trade");

    const auto n_regions = static_cast<index_t>(t.n_regions());
    const auto n_sectors = static_cast<index_t>(t.n_sectors());
    std::vector<Eigen::MatrixXd> trade(t.n_sectors(), Eigen::MatrixXd::Zero(n_regions, n_regions));
    for (index_t r = 0; r < n_regions; ++r) {
        for (index_t s = 0; s < n_sectors; ++s) {
            const index_t row = r * n_sectors + s;
            for (index_t q = 0; q < n_regions; ++q) {
                if (q == r) continue;
                trade[static_cast<std::size_t>(s)](r, q) =
                    t.intermediate.row(row).segment(q * n_sectors, n_sectors).sum() + t.final_demand(row, q);
            }
        }
    }
    return trade;
}

}  // namespace integra::models
