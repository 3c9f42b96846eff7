// Shared last step of the wide-table readers (ICIO, WIOD): balance checks and assembly.
#include "sim/data/wide_mrio.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <utility>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/mrio_text.hpp"

namespace integra::sim {

using index_t = Eigen::Index;

icio_header read_icio_header(line_reader& lines, const std::string& file, issues& problems) {
    icio_header h;
    std::string text;
    lines.next(text, true);
    if (text.empty()) throw invalid_input(file + ": empty file; expected a header row of ICIO column labels");
    h.line = lines.number();
    const std::size_t line = h.line;
    std::vector<std::string> fields;
    std::size_t count = 0;
    split_csv_line(text, fields, count, cat(file, ":", line));
    auto& region_index = h.region_index;
    auto& sector_index = h.sector_index;
    auto& column_of_label = h.column_of_label;
    const auto intern = [](std::vector<std::string>& list, std::map<std::string, std::size_t>& index,
                           const std::string& key) {
        const auto [it, inserted] = index.emplace(key, list.size());
        if (inserted) list.push_back(key);
        return it->second;
    };
    const std::size_t n_columns = count == 0 ? 0 : count - 1;
    h.columns.resize(n_columns);
    std::vector<std::size_t> sector_of(n_columns, 0);
    for (std::size_t c = 0; c < n_columns; ++c) {
        icio_column& col = h.columns[c];
        col.label = fields[c + 1];
        const std::string where = cat(file, ":", line, ": column ", c + 2, " '", col.label, "'");
        if (!column_of_label.emplace(col.label, c).second) problems.add(where, "duplicate column label");
        if (col.label == "OUT" || col.label == "TOTAL") {
            col.kind = icio_column_kind::total;
            continue;
        }
        const auto us = col.label.find('_');
        if (us == std::string::npos || us == 0 || us + 1 == col.label.size()) {
            problems.add(where, "unknown column label: expected <REGION>_<SECTOR>, <REGION>_{HFCE,NPISH,GGFC,GFCF,INVNT,DPABR} or OUT");
            continue;
        }
        const std::string code = col.label.substr(us + 1);
        const auto fd = std::find(icio_final_demand_codes.begin(), icio_final_demand_codes.end(), code);
        if (fd != icio_final_demand_codes.end()) {
            col.kind = icio_column_kind::final_demand;
            col.category = static_cast<std::size_t>(fd - icio_final_demand_codes.begin());
            continue;  // its region is resolved once every region is known
        }
        col.kind = icio_column_kind::intermediate;
        col.target = intern(h.regions, region_index, icio_merged_region(col.label.substr(0, us)));
        sector_of[c] = intern(h.sectors, sector_index, code);
    }
    const std::size_t S = h.sectors.size();
    for (std::size_t c = 0; c < n_columns; ++c) {
        icio_column& col = h.columns[c];
        if (col.kind == icio_column_kind::intermediate) {
            col.target = col.target * S + sector_of[c];
        } else if (col.kind == icio_column_kind::final_demand) {
            const std::string region = icio_merged_region(col.label.substr(0, col.label.find('_')));
            const auto it = region_index.find(region);
            if (it == region_index.end()) {
                problems.add(cat(file, ":", line, ": column ", c + 2, " '", col.label, "'"),
                             cat("unknown region '", region, "': final demand of a region without intermediate columns"));
                col.kind = icio_column_kind::unknown;
                continue;
            }
            col.target = it->second;
        }
    }
    return h;
}

std::string icio_merged_region(std::string_view code) {
    if (code.size() == 3 && std::isdigit(static_cast<unsigned char>(code[2]))) {
        if (code.substr(0, 2) == "MX") return "MEX";
        if (code.substr(0, 2) == "CN") return "CHN";
    }
    return std::string(code);
}

void split_csv_line(const std::string& line, std::vector<std::string>& fields, std::size_t& count, const std::string& where) {
    count = 0;
    std::size_t i = 0;
    const std::size_t n = line.size();
    while (true) {
        if (count == fields.size()) fields.emplace_back();
        std::string& f = fields[count++];
        f.clear();
        if (i < n && line[i] == '"') {
            ++i;
            while (true) {
                if (i >= n) throw invalid_input(where + ": unterminated quoted field (a quoted field may not span lines)");
                if (line[i] == '"') {
                    if (i + 1 < n && line[i + 1] == '"') {
                        f += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                f += line[i++];
            }
            if (i < n && line[i] != ',') throw invalid_input(where + ": text after a closing quote");
        } else {
            const std::size_t end = line.find(',', i);
            f.assign(line, i, (end == std::string::npos ? n : end) - i);
            i = end == std::string::npos ? n : end;
        }
        if (i >= n) break;
        ++i;  // the comma
    }
}


wide_mrio_parts start_wide_mrio(std::string file, std::string source, std::vector<std::string> regions,
                                std::vector<std::string> sectors, std::vector<std::string> categories,
                                std::vector<std::string> column_labels, std::string gross_output_row,
                                const std::string& gross_output_column_label) {
    wide_mrio_parts p;
    const std::size_t rs = regions.size() * sectors.size();
    const auto n = static_cast<index_t>(rs);
    const auto rc = static_cast<index_t>(regions.size() * categories.size());
    p.file = std::move(file);
    p.source = std::move(source);
    p.regions = std::move(regions);
    p.sectors = std::move(sectors);
    p.categories = std::move(categories);
    p.intermediate = Eigen::MatrixXd::Zero(n, n);
    p.final_demand = Eigen::MatrixXd::Zero(n, rc);
    p.gross_output = Eigen::VectorXd::Zero(n);
    p.gross_output_row = std::move(gross_output_row);
    p.row_lines.assign(rs, 0);
    p.row_labels.assign(rs, "");
    p.column_labels = std::move(column_labels);
    if (!gross_output_column_label.empty()) {
        p.gross_output_column = Eigen::VectorXd::Zero(n);
        p.gross_output_column_label = gross_output_column_label;
    }
    return p;
}

full_mrio_import finish_wide_mrio(wide_mrio_parts p, const table_file_options& options) {
    const auto n = static_cast<index_t>(p.regions.size() * p.sectors.size());
    const double tol = options.tolerance;
    auto off = [tol](double a, double b) { return !(std::abs(a - b) <= std::max(tol * std::abs(b), 1e-9)); };
    const std::string& unit = options.unit;
    issues bad, inconsistent;
    const std::string out_where = cat(p.file, ":", p.gross_output_line, ": row ", p.gross_output_row);
    for (index_t i = 0; i < n; ++i) {
        const auto k = static_cast<std::size_t>(i);
        const double x = p.gross_output(i);
        if (!(x >= 0))
            bad.add(cat(out_where, ", column ", p.column_labels[k]), cat("negative gross output ", number_text(x), " ", unit,
                                                                           " (expected >= 0)"));
        const double sales = p.intermediate.row(i).sum() + p.final_demand.row(i).sum();
        if (off(sales, x))
            inconsistent.add(cat(p.file, ":", p.row_lines[k], ": row ", p.row_labels[k]),
                             cat("intermediate and final sales sum to ", number_text(sales), " but gross output (row ",
                                 p.gross_output_row, ", line ", p.gross_output_line, ") is ", number_text(x), " ", unit,
                                 " (difference ", number_text(sales - x, 4), "; tolerance ", number_text(tol, 3), " relative)"));
        if (p.gross_output_column.size() == n && off(p.gross_output_column(i), x))
            inconsistent.add(cat(p.file, ":", p.row_lines[k], ": row ", p.row_labels[k], ", column ", p.gross_output_column_label),
                             cat("gross output ", number_text(p.gross_output_column(i)), " differs from row ", p.gross_output_row,
                                 " (line ", p.gross_output_line, "), ", number_text(x), " ", unit));
        const double costs = p.intermediate.col(i).sum() + (p.factors.rows() ? p.factors.col(i).sum() : 0.0);
        if (off(costs, x)) {
            std::string rows;
            for (const auto& f : p.factor_names) rows += " + " + f;
            inconsistent.add(cat(out_where, ", column ", p.column_labels[k]),
                             cat("gross output ", number_text(x), " ", unit, " but intermediate inputs", rows, " sum to ",
                                 number_text(costs), " (difference ", number_text(costs - x, 4), "; tolerance ",
                                 number_text(tol, 3), " relative)"));
        }
    }
    bad.throw_if_any<invalid_input>(p.file);
    inconsistent.throw_if_any<inconsistent_input>(p.file);

    full_mrio_import out;
    out.source = p.source;
    auto& m = out.mrio;
    auto& t = m.table;
    t.regions = p.regions;
    t.sectors = p.sectors;
    t.unit = unit;
    t.intermediate = std::move(p.intermediate);
    m.categories = p.categories;
    m.final_demand_by_category = std::move(p.final_demand);
    models::complete_table(m, p.gross_output);
    if (!p.factor_names.empty()) {
        models::named_extension e;
        e.name = "factor_inputs";
        e.accounts.stressors = p.factor_names;
        e.accounts.units.assign(p.factor_names.size(), unit);
        e.accounts.production = p.factors;
        e.accounts.final_demand = p.factors_final;
        m.value_added_given = Eigen::VectorXd::Zero(n);
        for (const auto k : p.value_added_rows) m.value_added_given += p.factors.row(static_cast<index_t>(k)).transpose();
        m.value_added_source = p.value_added_source;
        m.extensions.push_back(std::move(e));
    }
    issues problems;
    models::validate(m, problems, std::max(tol, 1e-12));
    problems.throw_if_any<inconsistent_input>(p.file);
    // At the value-added row(s) (their line: the last of them, e.g. VA after TLS), not OUT.
    std::string va_where = out_where;
    if (!p.value_added_rows.empty() && p.factor_lines.size() == p.factor_names.size()) {
        std::string names;
        for (const auto k : p.value_added_rows) names += (names.empty() ? "" : " + ") + p.factor_names[k];
        va_where = cat(p.file, ":", p.factor_lines[p.value_added_rows.back()], ": row", p.value_added_rows.size() > 1 ? "s " : " ", names);
    }
    mrio_text::warn_negative_value_added(
        m, [&](std::size_t j) { return cat(va_where, ", column ", p.column_labels[j]); }, m.value_added_source, out.warnings);
    return out;
}

}  // namespace integra::sim
