#include "sim/data/import_icio.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/aggregation.hpp"
#include "sim/data/line_reader.hpp"
#include "sim/data/mrio_number.hpp"
#include "sim/data/wide_mrio.hpp"

namespace integra::sim {
namespace {

namespace fs = std::filesystem;
using Eigen::Index;

constexpr auto& final_demand_codes = icio_final_demand_codes;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Collects problems, keeping the first `cap` in full and counting the rest.
class capped_issues {
public:
    explicit capped_issues(std::size_t cap = 50) : cap_(cap) {}
    void add(std::string where, std::string message) {
        if (list_.size() < cap_) list_.add(std::move(where), std::move(message));
        else ++dropped_;
    }
    template <class E>
    void throw_if_any(const std::string& subject) {
        if (dropped_) list_.add("...", cat(dropped_, " more problem(s) of this kind not shown"));
        list_.throw_if_any<E>(subject);
    }
    [[nodiscard]] bool empty() const { return list_.empty(); }

private:
    issues list_;
    std::size_t cap_, dropped_ = 0;
};

using column_kind = icio_column_kind;
using column_info = icio_column;
enum class row_kind { intermediate, tls, va, out };

int year_from_file_name(const fs::path& p) {
    const std::string stem = p.stem().string();
    int year = 0;
    for (std::size_t i = 0; i < stem.size();) {
        if (!std::isdigit(static_cast<unsigned char>(stem[i]))) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < stem.size() && std::isdigit(static_cast<unsigned char>(stem[j]))) ++j;
        if (j - i == 4) year = std::stoi(stem.substr(i, 4));
        i = j;
    }
    return year;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string percent(double part, double whole) { return cat(100.0 * part / std::max(std::abs(whole), 1.0), "%"); }

}  // namespace

imported_dataset import_icio(const fs::path& file, const import_options& options) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw invalid_input(cat(file.string(), ": cannot open file (", std::strerror(errno), ")"));
    const std::string fname = file.string();
    capped_issues problems;

    // 1. Header: classify the columns; regions and sectors in order of first appearance.
    std::string line;
    std::vector<std::string> fields;
    std::size_t n_fields = 0, line_number = 0;
    line_reader lines(in);
    issues header_problems;
    const icio_header header = read_icio_header(lines, fname, header_problems);
    const std::size_t header_line = header.line;
    const std::size_t n_columns = header.columns.size();  // the first field heads the row labels
    for (const auto& p : header_problems.list()) problems.add(p.where, p.message);
    const std::vector<std::string>& regions = header.regions;
    const std::vector<std::string>& sectors = header.sectors;
    const std::vector<column_info>& columns = header.columns;
    const auto& region_index = header.region_index;
    const auto& sector_index = header.sector_index;
    const auto& column_of_label = header.column_of_label;
    const std::size_t R = regions.size(), S = sectors.size();
    if (R == 0 || S == 0) throw invalid_input(cat(fname, ":", header_line, ": missing block: no intermediate columns <REGION>_<SECTOR>"));
    {
        std::vector<bool> column_seen(R * S, false), has_final(R, false);
        for (const auto& col : columns) {
            if (col.kind == column_kind::intermediate) column_seen[col.target] = true;
            else if (col.kind == column_kind::final_demand) has_final[col.target] = true;
        }
        for (std::size_t r = 0; r < R; ++r) {
            if (!has_final[r]) problems.add(cat(fname, ":", header_line), cat("missing block: no final-demand columns for region '", regions[r], "'"));
            for (std::size_t s = 0; s < S; ++s)
                if (!column_seen[r * S + s])
                    problems.add(cat(fname, ":", header_line), cat("missing block: no column for region '", regions[r], "' sector '", sectors[s], "'"));
        }
    }
    problems.throw_if_any<invalid_input>(cat("ICIO table ", fname));

    // 2. Rows: accumulate the merged blocks; keep per-source-line sums for balance messages.
    const auto RS = static_cast<Index>(R * S);
    Eigen::MatrixXd Z = Eigen::MatrixXd::Zero(RS, RS);
    Eigen::MatrixXd F = Eigen::MatrixXd::Zero(RS, static_cast<Index>(R));
    std::vector<double> col_inputs(n_columns, 0.0), col_tls(n_columns, nan), col_va(n_columns, nan), col_out(n_columns, nan);
    double tls_final = 0.0;
    std::array<std::size_t, final_demand_codes.size()> negative_final{};
    std::array<double, final_demand_codes.size()> negative_final_sum{};
    struct source_row { std::string label; std::size_t line; double sum; double total; };
    std::vector<source_row> source_rows;
    std::vector<bool> row_seen(R * S, false);
    std::unordered_map<std::string, std::size_t> row_of_label;
    bool have_tls = false, have_va = false, have_out = false;
    std::size_t bad_numbers = 0;

    while (lines.next(line, true)) {
        line_number = lines.number();
        const std::string where_line = cat(fname, ":", line_number);
        split_csv_line(line, fields, n_fields, where_line);
        if (n_fields != n_columns + 1)
            throw invalid_input(cat(where_line, ": expected ", n_columns + 1, " fields as in the header, got ", n_fields));
        const std::string& label = fields[0];
        if (!row_of_label.emplace(label, line_number).second) {
            problems.add(where_line, cat("duplicate row label '", label, "' (first at line ", row_of_label[label], ")"));
            continue;
        }
        row_kind kind = row_kind::intermediate;
        std::size_t target = 0;
        if (label == "TLS" || label == "TAXSUB") {
            kind = row_kind::tls;
            have_tls = true;
        } else if (label == "VA" || label == "VALU") {
            kind = row_kind::va;
            have_va = true;
        } else if (label == "OUT" || label == "OUTPUT") {
            kind = row_kind::out;
            have_out = true;
        } else {
            const auto us = label.find('_');
            const auto r = us == std::string::npos ? region_index.end() : region_index.find(icio_merged_region(label.substr(0, us)));
            const auto s = us == std::string::npos ? sector_index.end() : sector_index.find(label.substr(us + 1));
            if (r == region_index.end() || s == sector_index.end()) {
                problems.add(where_line, cat("unknown row label '", label, "': expected <REGION>_<SECTOR> matching a column, TLS, VA or OUT"));
                continue;
            }
            target = r->second * S + s->second;
            row_seen[target] = true;
        }
        double row_sum = 0.0, row_total = nan;
        const auto ti = static_cast<Index>(target);
        for (std::size_t c = 0; c < n_columns; ++c) {
            const std::string& text = fields[c + 1];
            double v = 0.0;
            if (const auto status = parse_mrio_number(text, v); status != mrio_number::ok) {
                if (bad_numbers++ < 20)
                    problems.add(cat(where_line, ": column '", columns[c].label, "'"),
                                 cat("expected a number, got '", text, "'",
                                     status == mrio_number::out_of_range ? " (out of the range of a double)" : ""));
                continue;
            }
            const column_info& col = columns[c];
            switch (kind) {
                case row_kind::intermediate:
                    if (col.kind == column_kind::intermediate) {
                        if (v < 0.0)
                            problems.add(cat(where_line, ": row '", label, "', column '", col.label, "'"),
                                         cat("negative intermediate flow ", v, " million USD"));
                        Z(ti, static_cast<Index>(col.target)) += v;
                        col_inputs[c] += v;
                        row_sum += v;
                    } else if (col.kind == column_kind::final_demand) {
                        if (v < 0.0) {
                            ++negative_final[col.category];
                            negative_final_sum[col.category] += v;
                        }
                        F(ti, static_cast<Index>(col.target)) += v;
                        row_sum += v;
                    } else {
                        row_total = v;
                    }
                    break;
                case row_kind::tls:
                    if (col.kind == column_kind::intermediate) col_tls[c] = v;
                    else if (col.kind == column_kind::final_demand) tls_final += v;
                    break;
                case row_kind::va:
                    if (col.kind == column_kind::intermediate) col_va[c] = v;
                    break;
                case row_kind::out:
                    if (col.kind == column_kind::intermediate) {
                        if (v < 0.0) problems.add(cat(where_line, ": column '", col.label, "'"), cat("negative output ", v, " million USD"));
                        col_out[c] = v;
                    }
                    break;
            }
        }
        if (kind == row_kind::intermediate) source_rows.push_back({label, line_number, row_sum, row_total});
    }
    if (bad_numbers > 20) problems.add(fname, cat(bad_numbers - 20, " more malformed number(s) not shown"));
    for (const char* missing : {have_tls ? "" : "TLS", have_va ? "" : "VA", have_out ? "" : "OUT"})
        if (*missing) problems.add(fname, cat("missing block: no row '", missing, "'"));
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t s = 0; s < S; ++s)
            if (!row_seen[r * S + s]) problems.add(fname, cat("missing block: no row for region '", regions[r], "' sector '", sectors[s], "'"));
    problems.throw_if_any<invalid_input>(cat("ICIO table ", fname));

    // 3. Balance: every source row and column against its output, within the tolerance.
    const double tol = options.tolerance;
    for (const auto& row : source_rows) {
        const auto c = column_of_label.find(row.label);
        if (c == column_of_label.end()) {
            problems.add(cat(fname, ":", row.line), cat("missing block: row '", row.label, "' has no column of the same label"));
            continue;
        }
        const double out = col_out[c->second];
        if (std::abs(row.sum - out) > tol * std::max(std::abs(out), 1.0))
            problems.add(cat(fname, ":", row.line, ": row '", row.label, "'"),
                         cat("unbalanced: OUT ", out, " but intermediate + final sales sum to ", row.sum, " (difference ",
                             row.sum - out, " million USD, ", percent(row.sum - out, out), " of output)"));
        if (!std::isnan(row.total) && std::abs(row.total - out) > tol * std::max(std::abs(out), 1.0))
            problems.add(cat(fname, ":", row.line, ": row '", row.label, "'"),
                         cat("unbalanced: column OUT says ", row.total, " but row OUT says ", out, " (difference ", row.total - out, ")"));
    }
    for (std::size_t c = 0; c < n_columns; ++c) {
        if (columns[c].kind != column_kind::intermediate) continue;
        const double costs = col_inputs[c] + col_tls[c] + col_va[c], out = col_out[c];
        if (std::abs(costs - out) > tol * std::max(std::abs(out), 1.0))
            problems.add(cat(fname, ":", header_line, ": column ", c + 2, " '", columns[c].label, "'"),
                         cat("unbalanced: OUT ", out, " but inputs ", col_inputs[c], " + TLS ", col_tls[c], " + VA ", col_va[c],
                             " = ", costs, " (difference ", costs - out, " million USD, ", percent(costs - out, out), " of output)"));
    }
    problems.throw_if_any<inconsistent_input>(cat("ICIO table ", fname));

    // 4. Explicit adjustments: negative net final demand, then inputs above output.
    std::vector<adjustment> adjustments;
    double clamped_total = 0.0, reclassified_total = 0.0;
    for (Index n = 0; n < static_cast<Index>(R); ++n)
        for (Index rs = 0; rs < RS; ++rs)
            if (F(rs, n) < 0.0) {
                adjustments.push_back({"final_demand", regions[static_cast<std::size_t>(n)], sectors[static_cast<std::size_t>(rs) % S],
                                       regions[static_cast<std::size_t>(rs) / S], "net final demand (million USD)", F(rs, n), 0.0,
                                       "negative after summing HFCE+NPISH+GGFC+GFCF+INVNT+DPABR (inventory draw-down); set to 0, "
                                       "raising the producer's output by the same amount"});
                clamped_total += -F(rs, n);
                F(rs, n) = 0.0;
            }
    Eigen::VectorXd output = Z.rowwise().sum() + F.rowwise().sum();
    for (Index col = 0; col < RS; ++col) {
        const double inputs = Z.col(col).sum();
        if (inputs <= output(col)) continue;
        const double factor = inputs > 0.0 ? output(col) / inputs : 0.0;
        const Index n = col / static_cast<Index>(S);
        // The removed inputs stay sold: they become final demand of the using region.
        F.col(n) += Z.col(col) * (1.0 - factor);
        Z.col(col) *= factor;
        adjustments.push_back({"intermediate_inputs", regions[static_cast<std::size_t>(n)], sectors[static_cast<std::size_t>(col) % S], "",
                               "intermediate inputs (million USD)", inputs, output(col),
                               "inputs exceeded output (negative value added); scaled down to output, the excess booked as final "
                               "demand of the same region"});
        reclassified_total += inputs - output(col);
    }

    // 5. The economy.
    models::economy e;
    e.name = options.name;
    e.base_year = options.year != 0 ? options.year : year_from_file_name(file);
    if (e.base_year == 0)
        throw invalid_input(cat(fname, ": no base year: the file name has no 4-digit year, give --year"));
    e.unit = "million USD";
    e.regions = regions;
    e.sectors = sectors;
    e.region_names = regions;
    for (const auto& s : sectors) e.sector_names.push_back("ICIO " + s);
    e.tradable.assign(S, true);
    e.trade_elasticity = Eigen::VectorXd::Constant(static_cast<Index>(S), options.trade_elasticity);
    e.gross_output.resize(static_cast<Index>(R), static_cast<Index>(S));
    e.value_added.resize(static_cast<Index>(R), static_cast<Index>(S));
    e.io_coefficients.assign(R, Eigen::MatrixXd::Zero(static_cast<Index>(S), static_cast<Index>(S)));
    e.trade.assign(S, Eigen::MatrixXd::Zero(static_cast<Index>(R), static_cast<Index>(R)));
    e.tariffs.assign(S, Eigen::MatrixXd::Zero(static_cast<Index>(R), static_cast<Index>(R)));
    e.final_demand_share = Eigen::MatrixXd::Zero(static_cast<Index>(R), static_cast<Index>(S));
    const auto Si = static_cast<Index>(S);
    for (Index n = 0; n < static_cast<Index>(R); ++n) {
        for (Index j = 0; j < Si; ++j) {
            const Index col = n * Si + j;
            const double y = output(col);
            e.gross_output(n, j) = y;
            e.value_added(n, j) = std::max(y - Z.col(col).sum(), 0.0);
            if (y > 0.0)
                for (Index i = 0; i < static_cast<Index>(R); ++i)
                    e.io_coefficients[static_cast<std::size_t>(n)].col(j) += Z.block(i * Si, col, Si, 1) / y;
        }
        // trade[s](i,n): all sales of (i,s) to users in n
        for (Index i = 0; i < static_cast<Index>(R); ++i)
            for (Index s = 0; s < Si; ++s)
                e.trade[static_cast<std::size_t>(s)](i, n) = Z.block(i * Si + s, n * Si, 1, Si).sum() + F(i * Si + s, n);
        for (Index s = 0; s < Si; ++s)
            for (Index i = 0; i < static_cast<Index>(R); ++i) e.final_demand_share(n, s) += F(i * Si + s, n);
        const double total = e.final_demand_share.row(n).sum();
        if (!(total > 0.0)) problems.add(regions[static_cast<std::size_t>(n)], "no final demand: final-demand shares undefined");
        else e.final_demand_share.row(n) /= total;
    }
    problems.throw_if_any<inconsistent_input>(cat("ICIO table ", fname));
    e.deficit = e.imports() - e.exports();

    const double tls_intermediate = std::accumulate(col_tls.begin(), col_tls.end(), 0.0, [](double a, double b) {
        return std::isnan(b) ? a : a + b;
    });

    // 6. Aggregation, then lower-case sector codes (the format's convention) if not mapped.
    e = apply_concordances(e, options.region_map, options.sector_map);
    if (options.sector_map.empty())
        for (auto& s : e.sectors) s = lower(s);

    imported_dataset out;
    out.economy = std::move(e);
    auto& m = out.metadata;
    m.title = options.title.empty() ? cat("OECD ICIO ", out.economy.base_year, ": ", out.economy.n_regions(), " regions x ",
                                          out.economy.n_sectors(), " sectors (imported from ", file.filename().string(), ")")
                                    : options.title;
    m.builder = options.command_line;
    m.sources.push_back({"OECD Inter-Country Input-Output (ICIO) tables", fname,
                         "OECD terms and conditions (check the edition you downloaded)",
                         "OECD (2023), OECD Inter-Country Input-Output Database, http://oe.cd/icio"});
    m.import_notes = {
        {"importer", "integra data import icio"},
        {"input", fname},
        {"split_regions", "MX1, MX2 merged into MEX; CN1, CN2 merged into CHN (rows and columns summed)"},
        {"value_added", cat("gross output minus intermediate inputs = table VA + TLS on intermediate inputs (TLS total ",
                            format_number(tls_intermediate), " million USD)")},
        {"tls_final_demand", cat("taxes less subsidies on final products dropped (not part of basic-price flows): ",
                                 format_number(tls_final), " million USD")},
        {"tariffs", "none: ICIO tables carry no tariffs; all rates are 0"},
        {"trade_elasticity", cat("uniform assumption ", format_number(options.trade_elasticity),
                                 " for every sector (ICIO has none; set with --trade-elasticity)")},
        {"tradable", "every sector tradable"},
        {"negative_final_demand_entries",
         cat("INVNT ", negative_final[4], " entries (", format_number(negative_final_sum[4]), "); others ",
             negative_final[0] + negative_final[1] + negative_final[2] + negative_final[3] + negative_final[5],
             " entries; netted within each origin-destination pair")},
        {"adjustments", cat(adjustments.size(), " (see adjustments.csv): negative net final demand set to 0 (total ",
                            format_number(clamped_total), " million USD); inputs above output reclassified as final demand (total ",
                            format_number(reclassified_total), " million USD)")},
        {"balance_tolerance", cat("relative ", format_number(tol), " of output")},
    };
    if (!options.region_map.empty()) m.import_notes.emplace_back("region_concordance", options.region_map.string());
    if (!options.sector_map.empty()) m.import_notes.emplace_back("sector_concordance", options.sector_map.string());
    m.extra_files.push_back(adjustments_file(adjustments));

    issues inconsistencies;
    models::validate(out.economy, inconsistencies);
    inconsistencies.throw_if_any<inconsistent_input>(cat("ICIO table ", fname, " (after conversion)"));
    return out;
}

}  // namespace integra::sim
