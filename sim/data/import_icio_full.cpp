// OECD ICIO CSV -> models::full_mrio, keeping every origin row.
#include "sim/data/import_icio_full.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <string_view>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/csv_table.hpp"
#include "sim/data/line_reader.hpp"
#include "sim/data/mrio_number.hpp"

namespace integra::sim {
namespace {

using index_t = Eigen::Index;
constexpr auto& categories = icio_final_demand_codes;
using column_kind = icio_column_kind;
using column_info = icio_column;

}  // namespace

full_mrio_import read_icio_full(const std::filesystem::path& file, const table_file_options& options) {
    const std::string fname = file.string();
    csv_table::check_readable(file);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw invalid_input(cat(fname, ": cannot open the file (", std::strerror(errno), ")"));
    if (options.unit.empty()) throw invalid_input(fname + ": the currency unit is empty");
    issues bad;

    // 1. Header: classify the columns; regions and sectors in order of first appearance.
    std::string line;
    std::vector<std::string> fields;
    std::size_t n_fields = 0, line_number = 0;
    line_reader lines(in);
    const icio_header header = read_icio_header(lines, fname, bad);
    const std::size_t header_line = header.line;
    const std::size_t n_columns = header.columns.size();
    const std::vector<std::string>& regions = header.regions;
    const std::vector<std::string>& sectors = header.sectors;
    const std::vector<column_info>& columns = header.columns;
    const auto& region_index = header.region_index;
    const auto& sector_index = header.sector_index;
    const std::size_t R = regions.size(), S = sectors.size(), C = categories.size();
    if (R == 0 || S == 0) throw invalid_input(cat(fname, ":", header_line, ": no intermediate columns <REGION>_<SECTOR>"));
    std::vector<std::string> column_labels(R * S);
    {
        std::vector<bool> final_seen(R * C, false);
        for (const auto& col : columns) {
            if (col.kind == column_kind::intermediate) {
                auto& shown = column_labels[col.target];
                shown += (shown.empty() ? "" : "+") + col.label;
            } else if (col.kind == column_kind::final_demand) {
                final_seen[col.target * C + col.category] = true;
            }
        }
        for (std::size_t r = 0; r < R; ++r) {
            for (std::size_t s = 0; s < S; ++s)
                if (column_labels[r * S + s].empty())
                    bad.add(cat(fname, ":", header_line), cat("no column ", regions[r], "_", sectors[s],
                                                              " (every region needs every sector)"));
            for (std::size_t k = 0; k < C; ++k)
                if (!final_seen[r * C + k])
                    bad.add(cat(fname, ":", header_line), cat("no final-demand column ", regions[r], "_", categories[k]));
        }
    }
    bad.throw_if_any<invalid_input>(fname);

    // 2. Rows.
    const bool has_out_column =
        std::any_of(columns.begin(), columns.end(), [](const column_info& c) { return c.kind == column_kind::total; });
    wide_mrio_parts p = start_wide_mrio(fname, "OECD ICIO file " + fname, regions, sectors,
                                        std::vector<std::string>(categories.begin(), categories.end()), column_labels,
                                        "OUT", has_out_column ? "OUT" : "");
    const auto n = static_cast<index_t>(R * S);
    p.factor_names = {"TLS", "VA"};
    p.factor_lines = {0, 0};
    p.factors = Eigen::MatrixXd::Zero(2, n);
    p.factors_final = Eigen::MatrixXd::Zero(2, static_cast<index_t>(R));
    // Value added at basic prices, as OECD TiVA's VALU: the VA row. TLS (taxes less
    // subsidies on the column's purchases of products) stays a factor input and is the
    // balancing gap, so value added is comparable with WIOD's and EXIOBASE's.
    p.value_added_rows = {1};
    p.value_added_source = "row VA (value added at basic prices); TLS (taxes less subsidies on products) is the balancing gap";
    std::map<std::string, std::size_t> row_of_label;
    std::size_t bad_numbers = 0;
    while (lines.next(line, true)) {
        line_number = lines.number();
        const std::string where_line = cat(fname, ":", line_number);
        split_csv_line(line, fields, n_fields, where_line);
        if (n_fields != n_columns + 1)
            throw invalid_input(cat(where_line, ": ", n_fields, " fields; expected ", n_columns + 1, " as in the header (line ",
                                    header_line, ")"));
        const std::string label = fields[0];
        if (const auto [it, fresh] = row_of_label.emplace(label, line_number); !fresh) {
            bad.add(where_line, cat("duplicate row label '", label, "' (first at line ", it->second, ")"));
            continue;
        }
        enum { intermediate, factor, output } kind = intermediate;
        std::size_t target = 0;
        if (label == "TLS" || label == "TAXSUB") {
            kind = factor;
            target = 0;
        } else if (label == "VA" || label == "VALU") {
            kind = factor;
            target = 1;
        } else if (label == "OUT" || label == "OUTPUT") {
            kind = output;
            p.gross_output_row = label;
            p.gross_output_line = line_number;
        } else {
            const auto us = label.find('_');
            const auto r = us == std::string::npos ? region_index.end() : region_index.find(icio_merged_region(label.substr(0, us)));
            const auto s = us == std::string::npos ? sector_index.end() : sector_index.find(label.substr(us + 1));
            if (r == region_index.end() || s == sector_index.end()) {
                bad.add(where_line, cat("unknown row label '", label, "': expected <REGION>_<SECTOR> of a column, TLS, VA or OUT"));
                continue;
            }
            target = r->second * S + s->second;
            if (p.row_lines[target] == 0) p.row_lines[target] = line_number;
            p.row_labels[target] += (p.row_labels[target].empty() ? "" : "+") + label;
        }
        if (kind == factor) {
            p.factor_lines[target] = line_number;
            p.factor_names[target] = label;
        }
        const auto ti = static_cast<index_t>(target);
        for (std::size_t c = 0; c < n_columns; ++c) {
            double v = 0.0;
            if (const auto status = parse_mrio_number(fields[c + 1], v); status != mrio_number::ok) {
                if (bad_numbers++ < 20)
                    bad.add(cat(where_line, ": row ", label, ", column ", columns[c].label), mrio_number_problem(fields[c + 1], status));
                continue;
            }
            const auto& col = columns[c];
            const auto ct = static_cast<index_t>(col.target);
            if (kind == intermediate) {
                if (col.kind == column_kind::intermediate) {
                    if (v < 0)
                        bad.add(cat(where_line, ": row ", label, ", column ", col.label),
                                cat("negative intermediate flow ", number_text(v), " ", options.unit, " (expected >= 0)"));
                    p.intermediate(ti, ct) += v;
                } else if (col.kind == column_kind::final_demand) {
                    p.final_demand(ti, ct * static_cast<index_t>(C) + static_cast<index_t>(col.category)) += v;
                } else {
                    p.gross_output_column(ti) += v;
                }
            } else if (kind == factor) {
                if (col.kind == column_kind::intermediate) p.factors(ti, ct) += v;
                else if (col.kind == column_kind::final_demand) p.factors_final(ti, ct) += v;
            } else if (col.kind == column_kind::intermediate) {
                p.gross_output(ct) += v;
            }
        }
    }
    if (bad_numbers > 20) bad.add(fname, cat(bad_numbers - 20, " more malformed number(s) not shown"));
    if (p.factor_lines[0] == 0) bad.add(fname, "no row TLS (taxes less subsidies on intermediate products)");
    if (p.factor_lines[1] == 0) bad.add(fname, "no row VA (value added)");
    if (p.gross_output_line == 0) bad.add(fname, "no row OUT (gross output)");
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t s = 0; s < S; ++s)
            if (p.row_lines[r * S + s] == 0)
                bad.add(fname, cat("no row ", regions[r], "_", sectors[s], " (every column ", regions[r], "_", sectors[s],
                                   " needs its row)"));
    bad.throw_if_any<invalid_input>(fname);
    return finish_wide_mrio(std::move(p), options);
}

}  // namespace integra::sim
