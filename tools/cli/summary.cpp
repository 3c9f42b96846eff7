#include "tools/cli/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::cli {
namespace {

using sim::result_set;
constexpr double blank = std::numeric_limits<double>::quiet_NaN();

std::string line(const char* format, auto... args) {
    char buffer[512];
    std::snprintf(buffer, sizeof buffer, format, args...);
    return buffer;
}

bool has_variable(const result_set& r, const std::string& name) {
    return std::any_of(r.variables.begin(), r.variables.end(), [&](const auto& v) { return v.name == name; });
}
bool has_dimension(const result_set& r, const std::string& name) {
    return std::any_of(r.coordinates.begin(), r.coordinates.end(), [&](const auto& c) { return c.name == name; });
}
const std::vector<std::string>& labels(const result_set& r, const std::string& dim) {
    return std::get<std::vector<std::string>>(r.dimension(dim).values);
}
const std::vector<std::int64_t>& years_of(const result_set& r) {
    return std::get<std::vector<std::int64_t>>(r.dimension("year").values);
}

// One column of the table: a variable, its header lines and how its numbers are printed.
struct column {
    std::string name;                // variable name (csv header)
    std::vector<std::string> heads;  // header lines (table, markdown)
    std::string unit = "%";          // "%": values are percentages; else the variable's units
    int width = 10, precision = 4;
    bool sign = true;
};

struct row {
    std::string label;
    std::vector<double> values;  // NaN: blank
    std::string note;            // after the values on the same line (table)
    std::string after;           // a line of its own after the row (table, markdown)
    bool region = true;          // sorted with the regions; aggregates stay last
};

struct block {
    std::string title;
    std::int64_t year = 0;
    std::vector<column> columns;
    std::vector<row> rows;
    int label_width = 8;
    std::size_t sort_column = 0;  // region rows sorted by it, descending
};

struct headline {
    const char* name;
    const char* head1;
    const char* head2;
};
constexpr headline headlines[] = {{"welfare_change", "welfare", "(exact)"},
                                  {"gdp_volume_change", "GDP", "volume"},
                                  {"welfare_change_linearized", "eq.16", "total"},
                                  {"terms_of_trade_effect", "terms of", "trade"},
                                  {"volume_of_trade_effect", "volume of", "trade"},
                                  {"revenue_transfer_effect", "revenue", "transfer"}};

// A sweep's quantile table shows welfare and GDP volume by default (three columns each).
std::vector<column> columns_for(const result_set& r, const std::vector<std::string>& wanted, bool narrow = false) {
    std::vector<std::string> names = wanted;
    if (names.empty())
        for (const auto& h : headlines)
            if (has_variable(r, h.name) && (!narrow || names.size() < 2)) names.push_back(h.name);
    std::vector<column> out;
    for (const auto& name : names) {
        column c;
        c.name = name;
        const auto* h = std::find_if(std::begin(headlines), std::end(headlines), [&](const auto& x) { return name == x.name; });
        if (h != std::end(headlines)) c.heads = {h->head1, h->head2};
        else c.heads = {name, ""};
        const auto& units = r.find(name).units;
        if (units != "1") {  // a level, not a change
            c.unit = units;
            c.precision = 6;
            c.sign = false;
        }
        c.width = std::max<int>(10, static_cast<int>(c.heads[0].size()));
        out.push_back(std::move(c));
    }
    return out;
}

// The trade-equilibrium table of year index y: region rows in file order, then the world and
// each bloc (unsorted; see sort_rows).
block equilibrium_block(const result_set& r, std::size_t y, const std::vector<std::size_t>& shown, const std::vector<column>& columns) {
    const auto& regions = labels(r, "region");
    const auto& years = years_of(r);
    const std::size_t R = regions.size(), Y = years.size();
    block b;
    b.year = years[y];
    b.title = line("Effects in %lld, scenario vs baseline (%%)", static_cast<long long>(years[y]));
    b.columns = columns;
    for (std::size_t k = 0; k < columns.size(); ++k)
        if (columns[k].name == "welfare_change") {
            b.sort_column = k;
            break;
        }
    for (auto i : shown) b.label_width = std::max<int>(b.label_width, static_cast<int>(regions[i].size()));
    std::vector<const sim::variable*> vars;
    for (const auto& c : columns) vars.push_back(&r.find(c.name));
    for (auto i : shown) {
        row x{regions[i], {}, {}, {}, true};
        for (std::size_t k = 0; k < columns.size(); ++k)
            x.values.push_back(vars[k]->data[y * R + i] * (columns[k].unit == "%" ? 100.0 : 1.0));
        b.rows.push_back(std::move(x));
    }
    // Aggregates: real income summed; GDP volume summed at base-year prices (index x GDP of the
    // first year, the base year by default). Other columns have no aggregate.
    const bool income = has_variable(r, "real_income");
    const bool volume = has_variable(r, "gdp_volume") && has_variable(r, "gdp");
    auto aggregate = [&](const std::vector<bool>& in) {
        std::vector<double> values(columns.size(), blank);
        for (std::size_t k = 0; k < columns.size(); ++k) {
            double base = 0.0, scenario = 0.0;
            if (columns[k].name == "welfare_change" && income) {
                const auto& v = r.find("real_income").data;
                for (std::size_t i = 0; i < R; ++i)
                    if (in[i]) base += v[y * R + i], scenario += v[(Y + y) * R + i];
            } else if (columns[k].name == "gdp_volume_change" && volume) {
                const auto& v = r.find("gdp_volume").data;
                const auto& gdp = r.find("gdp").data;
                for (std::size_t i = 0; i < R; ++i)
                    if (in[i]) base += v[y * R + i] * gdp[i], scenario += v[(Y + y) * R + i] * gdp[i];
            } else {
                continue;
            }
            values[k] = 100.0 * (scenario / base - 1.0);
        }
        return values;
    };
    if (!income && !volume) return b;
    b.rows.push_back(row{"world", aggregate(std::vector<bool>(R, true)), {}, {}, false});
    if (!has_dimension(r, "bloc") || !has_variable(r, "bloc_member")) return b;
    const auto& blocs = labels(r, "bloc");
    const std::size_t B = blocs.size();
    const auto& member = r.find("bloc_member").data;
    const bool shares = has_variable(r, "intra_bloc_trade_share") && has_variable(r, "intra_bloc_import_change") &&
                        has_variable(r, "extra_bloc_import_change");
    for (std::size_t k = 0; k < B; ++k) {
        std::vector<bool> members(R);
        for (std::size_t i = 0; i < R; ++i) members[i] = member[k * R + i] > 0.5;
        row x{"bloc", aggregate(members), "(" + blocs[k] + ", members together)", {}, false};
        if (shares) {
            const auto& share = r.find("intra_bloc_trade_share").data;
            x.after = line("%s: intra-bloc share of members' imports %.2f%% -> %.2f%%; members' imports from members %+.0f, "
                           "from non-members %+.0f (%s)",
                           blocs[k].c_str(), 100.0 * share[y * B + k], 100.0 * share[(Y + y) * B + k],
                           r.find("intra_bloc_import_change").data[y * B + k], r.find("extra_bloc_import_change").data[y * B + k],
                           r.find("intra_bloc_import_change").units.c_str());
        }
        b.rows.push_back(std::move(x));
    }
    return b;
}

block input_output_block(const result_set& r, std::size_t y, const std::vector<std::size_t>& shown) {
    const auto& gdp = r.find("gdp");
    const auto& regions = labels(r, "region");
    const auto& years = years_of(r);
    const std::size_t R = regions.size(), Y = years.size();
    block b;
    b.year = years[y];
    b.title = line("GDP in %lld (%s), scenario vs baseline", static_cast<long long>(years[y]), gdp.units.c_str());
    b.label_width = 12;
    b.columns = {column{"gdp_baseline", {"baseline"}, gdp.units, 16, 1, false}, column{"gdp_scenario", {"scenario"}, gdp.units, 16, 1, false},
                 column{"gdp_change", {"change %"}, "%", 10, 3, true}};
    b.sort_column = 2;
    auto at = [&](std::size_t c, std::size_t i) { return gdp.data[(c * Y + y) * R + i]; };
    for (auto i : shown) b.rows.push_back(row{regions[i], {at(0, i), at(1, i), 100.0 * (at(1, i) / at(0, i) - 1.0)}, {}, {}, true});
    double base = 0.0, scenario = 0.0;
    for (std::size_t i = 0; i < R; ++i) base += at(0, i), scenario += at(1, i);
    b.rows.push_back(row{"world", {base, scenario, 100.0 * (scenario / base - 1.0)}, {}, {}, false});
    return b;
}

void sort_rows(block& b) {
    const auto key = [&](const row& x) {
        const double v = x.values.empty() ? blank : x.values[b.sort_column];
        return std::isnan(v) ? -std::numeric_limits<double>::infinity() : v;
    };
    const auto end = std::stable_partition(b.rows.begin(), b.rows.end(), [](const row& x) { return x.region; });
    std::stable_sort(b.rows.begin(), end, [&](const row& a, const row& c) { return key(a) > key(c); });
}

// The default years of a trade-equilibrium run: the midpoint between the first year with an
// effect and the horizon (when 4+ years apart), and the horizon.
std::vector<std::size_t> default_years(const result_set& r) {
    const std::size_t Y = years_of(r).size();
    if (!has_variable(r, "welfare_change")) return {Y - 1};
    const std::size_t R = labels(r, "region").size();
    const auto& welfare = r.find("welfare_change").data;
    std::size_t first_effect = Y - 1;
    for (std::size_t y = 0; y < Y && first_effect == Y - 1; ++y)
        for (std::size_t i = 0; i < R; ++i)
            if (welfare[y * R + i] != 0.0 && !std::isnan(welfare[y * R + i])) {
                first_effect = y;
                break;
            }
    const std::size_t middle = (first_effect + Y - 1) / 2;
    if (Y - 1 - first_effect >= 4) return {middle, Y - 1};
    return {Y - 1};
}

std::vector<std::size_t> year_indices(const result_set& r, const std::vector<std::int64_t>& wanted) {
    if (wanted.empty()) return default_years(r);
    const auto& years = years_of(r);
    std::vector<std::size_t> out;
    for (auto y : wanted) {
        const auto it = std::find(years.begin(), years.end(), y);
        if (it == years.end()) throw invalid_input(cat("year ", y, " is not in the file (it has ", years.front(), "-", years.back(), ")"));
        out.push_back(static_cast<std::size_t>(it - years.begin()));
    }
    return out;
}

// A trade-equilibrium result (a run or a sweep) carries welfare; an input-output one does not.
bool is_equilibrium(const result_set& r) { return has_variable(r, "welfare_change"); }

std::vector<block> blocks_of(const result_set& r, const summary_options& options, bool narrow = false) {
    std::vector<std::size_t> shown = options.regions;
    if (shown.empty()) {
        shown.resize(labels(r, "region").size());
        std::iota(shown.begin(), shown.end(), 0);
    }
    std::vector<block> out;
    if (!is_equilibrium(r)) {
        for (auto y : year_indices(r, options.years.empty() ? std::vector<std::int64_t>{years_of(r).back()} : options.years))
            out.push_back(input_output_block(r, y, shown));
        return out;
    }
    const auto columns = columns_for(r, options.vars, narrow);
    for (auto y : year_indices(r, options.years)) out.push_back(equilibrium_block(r, y, shown, columns));
    return out;
}

std::string number(const column& c, double v) {
    if (std::isnan(v)) return {};
    return c.sign ? line("%+.*f", c.precision, v) : line("%.*f", c.precision, v);
}

// CSV: 8 significant digits, for further calculation.
std::string csv_number(double v) {
    if (std::isnan(v)) return {};
    return line("%.8g", v);
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

void render_table(const block& b, std::ostream& out) {
    out << b.title << "\n";
    std::size_t lines = 0;
    for (const auto& c : b.columns) lines = std::max(lines, c.heads.size());
    for (std::size_t l = 0; l < lines; ++l) {
        std::string text = line("  %-*s", b.label_width, l == 0 ? "region" : "");
        for (const auto& c : b.columns) text += line(" %*s", c.width, l < c.heads.size() ? c.heads[l].c_str() : "");
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out << text << "\n";
    }
    for (const auto& x : b.rows) {
        std::size_t last = x.values.size();
        while (last > 0 && std::isnan(x.values[last - 1])) --last;
        std::string text = line("  %-*s", b.label_width, x.label.c_str());
        for (std::size_t k = 0; k < last; ++k) text += line(" %*s", b.columns[k].width, number(b.columns[k], x.values[k]).c_str());
        if (!x.note.empty()) text += "   " + x.note;
        out << text << "\n";
        if (!x.after.empty()) out << "  " << x.after << "\n";
    }
}

void render_markdown(const block& b, std::ostream& out) {
    out << "**" << b.title << "**\n\n| region |";
    for (const auto& c : b.columns) {
        std::string head;
        for (const auto& h : c.heads)
            if (!h.empty()) head += (head.empty() ? "" : " ") + h;
        out << " " << head << " |";
    }
    out << "\n|---|";
    for (std::size_t k = 0; k < b.columns.size(); ++k) out << "---:|";
    out << "\n";
    std::vector<std::string> after;
    for (const auto& x : b.rows) {
        out << "| " << x.label << (x.label == "bloc" && !x.note.empty() ? " " + x.note : "") << " |";
        for (std::size_t k = 0; k < b.columns.size(); ++k) out << " " << number(b.columns[k], x.values[k]) << " |";
        out << "\n";
        if (!x.after.empty()) after.push_back(x.after);
    }
    if (!after.empty()) out << "\n";
    for (const auto& a : after) out << a << "\n";
}

// Long-ish CSV: year, region, then one column per variable ("welfare_change (%)").
void render_csv(const std::vector<block>& blocks, std::ostream& out) {
    if (blocks.empty()) return;
    out << "year,region";
    for (const auto& c : blocks.front().columns) out << "," << csv_field(c.name + " (" + c.unit + ")");
    out << "\n";
    for (const auto& b : blocks)
        for (const auto& x : b.rows) {
            std::string label = x.label;
            if (label == "bloc" && !x.note.empty()) label = "bloc " + x.note.substr(1, x.note.find(',') - 1);
            out << b.year << "," << csv_field(label);
            for (std::size_t k = 0; k < b.columns.size(); ++k) out << "," << csv_number(x.values[k]);
            out << "\n";
        }
}

void render(std::vector<block> blocks, summary_format format, bool footer, std::ostream& out) {
    for (auto& b : blocks) sort_rows(b);
    if (format == summary_format::csv) {
        render_csv(blocks, out);
        return;
    }
    for (std::size_t k = 0; k < blocks.size(); ++k) {
        if (k) out << "\n";
        if (format == summary_format::markdown) render_markdown(blocks[k], out);
        else render_table(blocks[k], out);
    }
    if (format == summary_format::table && footer)
        out << "  welfare = real income (what households can buy; prices and tariff revenue count); GDP volume = output at\n"
               "  base-year prices (what is produced; terms of trade do not move it). Both totals, not per person, where labour\n"
               "  moves. eq.16 total: the first-order measure of Caliendo & Parro (2015, Table 2) = terms of trade + volume of\n"
               "  trade + revenue transfer, for tariff changes only (it misses the direct gain of cheaper trade costs, and\n"
               "  productivity and labour changes). Quote the exact change; see docs/output.md.\n";
}

// Linear interpolation between order statistics (numpy's and xarray's default).
double quantile(std::vector<double> v, double q) {
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
    if (v.empty()) return blank;
    std::sort(v.begin(), v.end());
    const double h = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

std::string percent_label(double q) {
    std::string s = line("%g", 100.0 * q);
    return "p" + s;
}

}  // namespace

bool is_sweep(const result_set& r) { return has_dimension(r, "point"); }

std::vector<std::string> summary_variables(const result_set& r) {
    const bool sweep = is_sweep(r);
    std::vector<std::string> out;
    for (const auto& v : r.variables) {
        std::vector<std::string> dims = v.dims;
        if (sweep && !dims.empty() && dims.front() == "point") dims.erase(dims.begin());
        if (dims == std::vector<std::string>{"year", "region"}) out.push_back(v.name);
    }
    return out;
}

result_set sweep_point(const result_set& sweep, std::int64_t point) {
    const auto& points = std::get<std::vector<std::int64_t>>(sweep.dimension("point").values);
    const auto it = std::find(points.begin(), points.end(), point);
    if (it == points.end())
        throw invalid_input(cat("--point ", point, ": the sweep has no such point (it has ", points.size(), " point(s), ",
                                points.empty() ? std::string("none") : cat(points.front(), " to ", points.back()), ")"));
    const std::size_t p = static_cast<std::size_t>(it - points.begin()), P = points.size();
    result_set out;
    for (const auto& c : sweep.coordinates)
        if (c.name != "point") out.add(c);
    for (const auto& v : sweep.variables) {
        if (v.dims.empty() || v.dims.front() != "point") {
            if (std::find(v.dims.begin(), v.dims.end(), "point") == v.dims.end()) out.add(v);
            continue;
        }
        const std::size_t n = v.data.size() / P;
        out.add(sim::variable{v.name, {v.dims.begin() + 1, v.dims.end()},
                              {v.data.begin() + static_cast<long>(p * n), v.data.begin() + static_cast<long>((p + 1) * n)}, v.units,
                              v.long_name});
    }
    out.attributes = sweep.attributes;
    return out;
}

void print_summary(const result_set& r, const summary_options& options, std::ostream& out) {
    render(blocks_of(r, options), options.format, is_equilibrium(r) && options.vars.empty(), out);
}

void print_sweep_quantiles(const result_set& sweep, const summary_options& options, std::ostream& out) {
    const auto& points = std::get<std::vector<std::int64_t>>(sweep.dimension("point").values);
    std::vector<std::int64_t> ok;
    const bool status = std::any_of(sweep.text_variables.begin(), sweep.text_variables.end(),
                                    [](const auto& v) { return v.name == "point_status"; });
    for (std::size_t p = 0; p < points.size(); ++p)
        if (!status || sweep.find_text("point_status").data[p] == "ok") ok.push_back(points[p]);
    if (ok.empty()) throw invalid_input("the sweep has no point with point_status \"ok\": no quantiles to show");
    // Every point's table, rows in the same order (regions as chosen, then the aggregates).
    std::vector<std::vector<block>> tables;
    summary_options one = options;
    if (one.years.empty()) {  // the same years for every point: those of the first
        const result_set first = sweep_point(sweep, ok.front());
        for (auto y : default_years(first)) one.years.push_back(years_of(first)[y]);
    }
    for (auto p : ok) tables.push_back(blocks_of(sweep_point(sweep, p), one, true));
    std::vector<block> result = tables.front();
    std::string qs;
    for (double q : options.quantiles) qs += (qs.empty() ? "" : ", ") + percent_label(q).substr(1) + "%";
    for (std::size_t b = 0; b < result.size(); ++b) {
        block& out_block = result[b];
        out_block.title += cat(": quantiles ", qs, " across ", ok.size(), " of ", points.size(), " point(s) (those ok)");
        std::vector<column> columns;
        for (const auto& c : tables.front()[b].columns)
            for (double q : options.quantiles) {
                column x = c;
                x.name = c.name + " " + percent_label(q);
                x.heads.push_back(percent_label(q));
                columns.push_back(std::move(x));
            }
        out_block.columns = columns;
        const std::size_t Q = options.quantiles.size();
        out_block.sort_column = tables.front()[b].sort_column * Q + Q / 2;
        for (std::size_t i = 0; i < out_block.rows.size(); ++i) {
            row& x = out_block.rows[i];
            x.after.clear();
            const std::size_t C = tables.front()[b].columns.size();
            x.values.assign(C * Q, blank);
            for (std::size_t c = 0; c < C; ++c) {
                std::vector<double> across;
                for (const auto& t : tables) across.push_back(t[b].rows[i].values[c]);
                for (std::size_t q = 0; q < Q; ++q) x.values[c * Q + q] = quantile(across, options.quantiles[q]);
            }
        }
    }
    render(std::move(result), options.format, false, out);
}

}  // namespace integra::cli
