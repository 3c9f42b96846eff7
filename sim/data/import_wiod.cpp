// WIOD 2016 world input-output table (sheet saved as CSV) -> models::full_mrio.
#include "sim/data/import_wiod.hpp"

#include <algorithm>
#include <array>
#include <cctype>
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
constexpr std::array<std::string_view, 5> categories{"CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"};
// Rows below the industries that are value-added components (factor inputs), in file order.
constexpr std::array<std::string_view, 7> factor_codes{"TXSP", "EXP_adj", "PURR", "PURNR", "VA", "IntTTM", "IntTTL"};

// "r12" or "c57": the letter, then digits.
bool numbered(const std::string& s, char letter) {
    return s.size() > 1 && s[0] == letter &&
           std::all_of(s.begin() + 1, s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

enum class column_kind { intermediate, final_demand, total };
struct column_info {
    std::string label;  // "AUS/A01" for messages
    column_kind kind = column_kind::intermediate;
    std::size_t target = 0, category = 0;
};

struct line_fields {
    std::size_t line;
    std::vector<std::string> fields;
};

}  // namespace

full_mrio_import read_wiod(const std::filesystem::path& file, const table_file_options& options) {
    const std::string fname = file.string();
    csv_table::check_readable(file);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw invalid_input(cat(fname, ": cannot open the file (", std::strerror(errno), ")"));
    if (options.unit.empty()) throw invalid_input(fname + ": the currency unit is empty");
    // Rows are read one at a time (a real table has 2,472 rows of 2,690 cells); the rows
    // above the first data row are kept for the header.
    std::string line;
    std::vector<std::string> fields;
    std::size_t n_fields = 0, line_number = 0;
    line_reader reader(in);
    auto next = [&](line_fields& out) {
        while (reader.next(line, true)) {
            line_number = reader.number();
            split_csv_line(line, fields, n_fields, cat(fname, ":", line_number));
            if (std::all_of(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(n_fields),
                            [](const std::string& f) { return f.empty(); }))
                continue;  // an empty row of the sheet: commas only
            out.line = line_number;
            out.fields.assign(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(n_fields));
            return true;
        }
        return false;
    };
    // The first data row: a row number rK in the fourth column and a country in the third.
    auto is_data = [](const line_fields& l) {
        return l.fields.size() > 4 && numbered(l.fields[3], 'r') && !l.fields[2].empty() && l.fields[2] != "TOT";
    };
    std::vector<line_fields> lines;  // the rows above the first data row
    line_fields current;
    bool found = false;
    while (next(current)) {
        if (is_data(current)) {
            found = true;
            break;
        }
        lines.push_back(current);
    }
    if (!found)
        throw invalid_input(fname + ": no data row (a row with a country code in column 3 and a row number r1, r2, ... in "
                                    "column 4); is this the WIOD 2016 world table saved as CSV?");
    const std::size_t first = lines.size();
    const line_fields first_row = current;
    if (first < 4)
        throw invalid_input(cat(fname, ":", first_row.line, ": the first data row has ", first,
                                " row(s) above it; expected the 4 header rows (industry codes, descriptions, country codes, "
                                "column numbers c1 ...)"));
    const auto& codes = lines[first - 4];
    const auto& countries = lines[first - 2];
    const auto& numbers = lines[first - 1];
    const std::size_t width = first_row.fields.size();
    for (const line_fields* h : std::array<const line_fields*, 4>{&codes, &lines[first - 3], &countries, &numbers})
        if (h->fields.size() != width)
            throw invalid_input(cat(fname, ":", h->line, ": header row has ", h->fields.size(), " fields; the first data row (line ",
                                    first_row.line, ") has ", width));
    issues bad;
    std::vector<std::string> regions, sectors;
    std::map<std::string, std::size_t> region_index, sector_index;
    const std::size_t n_columns = width - 4;
    std::vector<column_info> columns(n_columns);
    std::vector<std::pair<std::size_t, std::size_t>> cell_of(n_columns);
    std::size_t go_columns = 0;
    for (std::size_t c = 0; c < n_columns; ++c) {
        const std::string& code = codes.fields[c + 4];
        const std::string& country = countries.fields[c + 4];
        const std::string& number = numbers.fields[c + 4];
        auto& col = columns[c];
        col.label = country + "/" + code;
        const std::string where = cat(fname, ":", codes.line, ": column ", c + 5, " (", col.label, ")");
        if (code == "GO" || country == "TOT") {
            col.kind = column_kind::total;
            ++go_columns;
            continue;
        }
        if (code.empty() || country.empty()) {
            bad.add(where, cat("empty industry code or country code (lines ", codes.line, " and ", countries.line, ")"));
            continue;
        }
        if (!numbered(number, 'c'))
            bad.add(cat(fname, ":", numbers.line, ": column ", c + 5, " (", col.label, ")"),
                    cat("column number '", quoted_text(number), "': expected c1, c2, ... (c1-c56 industries, c57-c61 final demand)"));
        const auto fd = std::find(categories.begin(), categories.end(), code);
        if (fd != categories.end()) {
            col.kind = column_kind::final_demand;
            col.category = static_cast<std::size_t>(fd - categories.begin());
            continue;
        }
        const auto [r, r_new] = region_index.emplace(country, regions.size());
        if (r_new) regions.push_back(country);
        const auto [s, s_new] = sector_index.emplace(code, sectors.size());
        if (s_new) sectors.push_back(code);
        cell_of[c] = {r->second, s->second};
    }
    if (go_columns > 1) bad.add(cat(fname, ":", codes.line), cat(go_columns, " GO columns; expected one"));
    const std::size_t R = regions.size(), S = sectors.size(), C = categories.size();
    if (R == 0 || S == 0) throw invalid_input(cat(fname, ":", codes.line, ": no industry columns (country, industry code)"));
    std::vector<std::string> column_labels(R * S);
    std::vector<bool> final_seen(R * C, false);
    for (std::size_t c = 0; c < n_columns; ++c) {
        auto& col = columns[c];
        if (col.kind == column_kind::intermediate) {
            if (col.label.front() == '/' || col.label.back() == '/') continue;  // reported above
            col.target = cell_of[c].first * S + cell_of[c].second;
            if (!column_labels[col.target].empty())
                bad.add(cat(fname, ":", codes.line, ": column ", c + 5, " (", col.label, ")"), "duplicate column");
            column_labels[col.target] = col.label;
        } else if (col.kind == column_kind::final_demand) {
            const std::string country = countries.fields[c + 4];
            const auto it = region_index.find(country);
            if (it == region_index.end()) {
                bad.add(cat(fname, ":", countries.line, ": column ", c + 5, " (", col.label, ")"),
                        cat("final demand of country '", country, "', which has no industry columns"));
                continue;
            }
            col.target = it->second;
            if (final_seen[col.target * C + col.category])
                bad.add(cat(fname, ":", codes.line, ": column ", c + 5, " (", col.label, ")"), "duplicate column");
            final_seen[col.target * C + col.category] = true;
        }
    }
    for (std::size_t r = 0; r < R; ++r) {
        for (std::size_t s = 0; s < S; ++s)
            if (column_labels[r * S + s].empty())
                bad.add(cat(fname, ":", codes.line), cat("no column for country ", regions[r], ", industry ", sectors[s]));
        for (std::size_t k = 0; k < C; ++k)
            if (!final_seen[r * C + k])
                bad.add(cat(fname, ":", codes.line), cat("no final-demand column ", categories[k], " for country ", regions[r]));
    }
    bad.throw_if_any<invalid_input>(fname);

    wide_mrio_parts p = start_wide_mrio(fname, "WIOD 2016 world table (CSV) " + fname, regions, sectors,
                                        std::vector<std::string>(categories.begin(), categories.end()), column_labels,
                                        "GO", go_columns == 1 ? "GO" : "");
    const auto n = static_cast<index_t>(R * S);
    std::vector<Eigen::RowVectorXd> factor_rows, factor_final_rows;
    Eigen::RowVectorXd ii_fob;
    std::size_t ii_fob_line = 0, bad_numbers = 0;
    std::map<std::string, std::size_t> summary_seen;
    auto read_row = [&](const line_fields& row) {
        const std::size_t number = row.line;
        const std::vector<std::string>& f = row.fields;
        const std::string where_line = cat(fname, ":", number);
        if (f.size() != width)
            throw invalid_input(cat(where_line, ": ", f.size(), " fields; expected ", width, " as in the first data row (line ",
                                    first_row.line, ")"));
        const std::string& code = f[0];
        const std::string& country = f[2];
        enum { intermediate, factor, ii, output } kind = intermediate;
        std::size_t target = 0;
        const auto r = region_index.find(country);
        const auto s = sector_index.find(code);
        if (r != region_index.end() && s != sector_index.end()) {
            target = r->second * S + s->second;
            if (p.row_lines[target] != 0) {
                bad.add(where_line, cat("duplicate row ", country, "/", code, " (first at line ", p.row_lines[target], ")"));
                return;
            }
            p.row_lines[target] = number;
            p.row_labels[target] = country + "/" + code;
        } else {
            const bool known = code == "II_fob" || code == "GO" ||
                               std::find(factor_codes.begin(), factor_codes.end(), code) != factor_codes.end();
            if (!known || (country != "TOT" && !country.empty())) {
                bad.add(where_line, cat("unknown row ", country, "/", code, ": expected a country and industry of the columns, or ",
                                        "II_fob, TXSP, EXP_adj, PURR, PURNR, VA, IntTTM, GO (country TOT)"));
                return;
            }
            if (const auto [it, fresh] = summary_seen.emplace(code, number); !fresh) {
                bad.add(where_line, cat("duplicate row ", code, " (first at line ", it->second, ")"));
                return;
            }
            if (code == "II_fob") {
                kind = ii;
                ii_fob_line = number;
                ii_fob = Eigen::RowVectorXd::Zero(n);
            } else if (code == "GO") {
                kind = output;
                p.gross_output_line = number;
            } else {
                kind = factor;
                target = p.factor_names.size();
                p.factor_names.push_back(code);
                p.factor_lines.push_back(number);
                if (code == "VA") p.value_added_rows.push_back(target);
                factor_rows.push_back(Eigen::RowVectorXd::Zero(n));
                factor_final_rows.push_back(Eigen::RowVectorXd::Zero(static_cast<index_t>(R)));
            }
        }
        const auto ti = static_cast<index_t>(target);
        for (std::size_t c = 0; c < n_columns; ++c) {
            const auto& col = columns[c];
            const std::string& text = f[c + 4];
            double v = 0.0;
            if (text.empty() && kind != intermediate && col.kind != column_kind::intermediate) continue;  // e.g. GO x GO
            if (const auto status = parse_mrio_number(text, v); status != mrio_number::ok) {
                if (bad_numbers++ < 20)
                    bad.add(cat(where_line, ": row ", country, "/", code, ", column ", col.label), mrio_number_problem(text, status));
                continue;
            }
            const auto ct = static_cast<index_t>(col.target);
            if (kind == intermediate) {
                if (col.kind == column_kind::intermediate) {
                    if (v < 0)
                        bad.add(cat(where_line, ": row ", country, "/", code, ", column ", col.label),
                                cat("negative intermediate flow ", number_text(v), " ", options.unit, " (expected >= 0)"));
                    p.intermediate(ti, ct) = v;
                } else if (col.kind == column_kind::final_demand) {
                    p.final_demand(ti, ct * static_cast<index_t>(C) + static_cast<index_t>(col.category)) = v;
                } else {
                    p.gross_output_column(ti) = v;
                }
            } else if (col.kind == column_kind::intermediate) {
                if (kind == factor) factor_rows[target](ct) = v;
                else if (kind == ii) ii_fob(ct) = v;
                else p.gross_output(ct) = v;
            } else if (col.kind == column_kind::final_demand && kind == factor) {
                factor_final_rows[target](ct) += v;
            }
        }
    };
    read_row(first_row);
    while (next(current)) read_row(current);
    if (bad_numbers > 20) bad.add(fname, cat(bad_numbers - 20, " more malformed number(s) not shown"));
    if (p.value_added_rows.empty()) bad.add(fname, "no row VA (value added at basic prices)");
    if (p.gross_output_line == 0) bad.add(fname, "no row GO (output at basic prices)");
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t s = 0; s < S; ++s)
            if (p.row_lines[r * S + s] == 0) bad.add(fname, cat("no row for country ", regions[r], ", industry ", sectors[s]));
    bad.throw_if_any<invalid_input>(fname);
    p.factors = Eigen::MatrixXd(static_cast<index_t>(factor_rows.size()), n);
    p.factors_final = Eigen::MatrixXd(static_cast<index_t>(factor_rows.size()), static_cast<index_t>(R));
    for (std::size_t k = 0; k < factor_rows.size(); ++k) {
        p.factors.row(static_cast<index_t>(k)) = factor_rows[k];
        p.factors_final.row(static_cast<index_t>(k)) = factor_final_rows[k];
    }
    p.value_added_source = "row VA (value added at basic prices); TXSP, EXP_adj, PURR, PURNR, IntTTM in factor_inputs";
    if (ii_fob_line != 0) {
        const Eigen::RowVectorXd sums = p.intermediate.colwise().sum();
        issues inconsistent;
        for (index_t j = 0; j < n; ++j)
            if (!(std::abs(sums(j) - ii_fob(j)) <= std::max(options.tolerance * std::abs(ii_fob(j)), 1e-9)))
                inconsistent.add(cat(fname, ":", ii_fob_line, ": row II_fob, column ", column_labels[static_cast<std::size_t>(j)]),
                                 cat("total intermediate consumption ", number_text(ii_fob(j)), " but the column of Z sums to ",
                                     number_text(sums(j)), " ", options.unit));
        inconsistent.throw_if_any<inconsistent_input>(fname);
    }
    return finish_wide_mrio(std::move(p), options);
}

}  // namespace integra::sim
