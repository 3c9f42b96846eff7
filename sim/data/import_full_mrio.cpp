// Readers of pymrio text folders and long CSV folders into models::full_mrio.
#include "sim/data/import_full_mrio.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/csv_table.hpp"
#include "sim/data/line_reader.hpp"
#include "sim/data/mrio_text.hpp"

namespace integra::sim {
namespace {

namespace fs = std::filesystem;
using index_t = Eigen::Index;
using namespace mrio_text;

// A unit file: label cells, then the unit in the last field. pymrio's file_parameters may
// count the unit column as an index column (EXIOBASE 3 and pymrio's own mock give
// nr_index_col 2 for "stressor unit"); the unit is then still the last field.
tsv_table read_units(const text_source& src, const file_entry& e) {
    std::size_t fields = 0;
    {
        const auto in = src.open(e.name);
        std::string first;
        if (line_reader(*in).next(first, true)) fields = static_cast<std::size_t>(std::count(first.begin(), first.end(), '\t')) + 1;
    }
    const std::size_t n_index = fields >= 2 ? std::min(e.n_index, fields - 1) : e.n_index;
    return read_tsv(src, e.name, n_index, 1);
}

}  // namespace

full_mrio_import read_pymrio_system(const text_source& src, const std::string& source, bool coefficients_allowed) {
    const std::string root = src.shown("");
    const folder_parameters p = read_parameters(src);
    const file_entry* z_entry = find_file(p, {"Z"});
    const file_entry* a_entry = coefficients_allowed && !z_entry ? find_file(p, {"A"}) : nullptr;
    const file_entry* y_entry = find_file(p, {"Y"});
    const file_entry* x_entry = find_file(p, {"x"});
    if (!y_entry || (!z_entry && !a_entry))
        throw invalid_input(root + "file_parameters.json: needs the files " +
                            (coefficients_allowed ? "Z (or A with x) and Y" : "Z and Y (a folder of coefficients only, A without Z, is "
                                                                              "not supported: save the system after calc_all or with Z)"));
    full_mrio_import out;
    out.source = source;
    auto& m = out.mrio;
    auto& t = m.table;
    issues bad, inconsistent;

    const file_entry& flows = z_entry ? *z_entry : *a_entry;
    // Z (or A) is square: its matrix is sized once from its header; Y and x have its rows.
    tsv_table z = read_tsv(src, flows.name, flows.n_index, flows.n_header, &bad, square_rows);
    tsv_table y = read_tsv(src, y_entry->name, y_entry->n_index, y_entry->n_header, &bad, z.rows.size());
    auto z_line = [&](std::size_t i) { return cat(z.file, ":", z.lines[std::min(i, z.lines.size() - 1)]); };
    grid_of(z.rows, "sector", z_line, t.regions, t.sectors, bad);
    bad.throw_if_any<invalid_input>(root);
    same_labels(z, true, z.rows, "its rows", inconsistent);
    same_labels(y, false, z.rows, z.file, inconsistent);
    std::vector<std::string> y_regions;
    // Y's column labels are (region, category): the region level is Y's first header row.
    const std::string y_header = cat(y.file, ":", y.header_line(0));
    grid_of(y.columns, "category", [&](std::size_t) { return y_header; }, y_regions, m.categories, bad);
    bad.throw_if_any<invalid_input>(y.file);
    if (y_regions != t.regions) {
        std::size_t r = 0;
        while (r < y_regions.size() && r < t.regions.size() && y_regions[r] == t.regions[r]) ++r;
        const std::string first = r < y_regions.size() && r < t.regions.size()
                                      ? cat("region ", r + 1, " is '", y_regions[r], "' where ", z.file, " has '", t.regions[r], "'")
                                  : r < t.regions.size() ? cat("region '", t.regions[r], "' of ", z.file, " is missing")
                                                         : cat("region '", y_regions[r], "' is not in ", z.file);
        inconsistent.add(y_header, cat("the regions of the columns (", y_regions.size(), ") differ from the rows of ", z.file, " (",
                                       t.regions.size(), "): ", first, " (the same regions in the same order expected)"));
    }
    inconsistent.throw_if_any<inconsistent_input>(root);

    t.intermediate = values_of(z, bad);
    m.final_demand_by_category = values_of(y, bad);
    bad.throw_if_any<invalid_input>(root);
    for (index_t i = 0; i < t.intermediate.rows(); ++i)
        for (index_t j = 0; j < t.intermediate.cols(); ++j)
            if (t.intermediate(i, j) < 0)
                bad.add(cat(z.file, ":", z.lines[static_cast<std::size_t>(i)], ": row ", show(z.rows[static_cast<std::size_t>(i)]),
                            ", column ", show(z.columns[static_cast<std::size_t>(j)])),
                        cat(z_entry ? "negative intermediate flow " : "negative technical coefficient ", number_text(t.intermediate(i, j))));

    // Units: one currency unit for every row, as given.
    if (const file_entry* u = find_file(p, {"unit"})) {
        const tsv_table units = read_units(src, *u);
        same_labels(units, false, z.rows, z.file, inconsistent);
        std::set<std::string> seen;
        for (std::size_t i = 0; i < units.rows.size(); ++i) {
            const std::string& unit = units.cells[i].empty() ? std::string() : units.cells[i].back();
            if (unit.empty()) bad.add(cat(units.file, ":", units.lines[i]), "empty unit of " + show(units.rows[i]));
            seen.insert(unit);
        }
        if (seen.size() > 1) {
            std::string all;
            for (const auto& s : seen) all += (all.empty() ? "'" : ", '") + s + "'";
            inconsistent.add(units.file, "rows have different units (" + all + "); one currency unit is expected");
        }
        if (!seen.empty()) t.unit = *seen.begin();
    } else {
        bad.add(root + "file_parameters.json", "no unit file: the currency unit of Z and Y is needed (unit.txt)");
    }

    // Gross output: x.txt as given (checked against the row sums), else the row sums.
    Eigen::VectorXd x_given;
    std::optional<tsv_table> x_file;
    if (x_entry) {
        x_file = read_tsv(src, x_entry->name, x_entry->n_index, x_entry->n_header, &bad, z.rows.size());
        same_labels(*x_file, false, z.rows, z.file, inconsistent);
        if (x_file->columns.size() != 1) bad.add(x_file->file, cat(x_file->columns.size(), " value columns; expected 1 (indout)"));
        else x_given = values_of(*x_file, bad).col(0);
    }
    bad.throw_if_any<invalid_input>(root);
    inconsistent.throw_if_any<inconsistent_input>(root);
    if (!z_entry) {
        // Without x.txt (pymrio's EXIOBASE 3 mock has none): x = (I - A)^-1 Y 1, as pymrio's calc_all.
        if (!x_file) {
            const auto n = t.intermediate.rows();
            const Eigen::MatrixXd i_minus_a = Eigen::MatrixXd::Identity(n, n) - t.intermediate;
            x_given = i_minus_a.partialPivLu().solve(Eigen::VectorXd(m.final_demand_by_category.rowwise().sum()));
            const double residual = (i_minus_a * x_given - m.final_demand_by_category.rowwise().sum()).cwiseAbs().maxCoeff();
            if (!x_given.allFinite() || residual > 1e-8 * std::max(1.0, m.final_demand_by_category.cwiseAbs().maxCoeff()))
                throw inconsistent_input(cat(z.file, ": I - A is singular or nearly so (residual ", number_text(residual),
                                             " solving (I - A) x = Y 1); give x.txt"));
        }
        // Z = A diag(x): column j of A scaled by the gross output of j.
        for (index_t i = 0; i < x_given.size(); ++i)
            if (!(x_given(i) >= 0))
                bad.add(x_file ? cat(x_file->file, ":", x_file->lines[static_cast<std::size_t>(i)])
                               : cat(z.file, " and ", y.file, " (x = (I - A)^-1 Y 1)"),
                        cat("negative gross output ", number_text(x_given(i)), " ", t.unit, " of ", t.label(static_cast<std::size_t>(i))));
        bad.throw_if_any<invalid_input>(root);
        t.intermediate = t.intermediate * x_given.asDiagonal();
        out.source += x_file ? cat(" (Z = A diag(x) from ", z.file, " and ", x_file->file, ")")
                             : cat(" (Z = A diag(x), x = (I - A)^-1 Y 1 from ", z.file, " and ", y.file, ": no x.txt)");
    }
    models::complete_table(m, x_given);
    check_gross_output(t, [&](std::size_t i) {
        return x_file ? cat(x_file->file, ":", x_file->lines[i]) : cat(z.file, ":", z.lines[i], " (and ", y.file, ")");
    }, bad);
    if (x_file) {
        const Eigen::VectorXd sums = t.intermediate.rowwise().sum() + t.final_demand.rowwise().sum();
        for (index_t i = 0; i < sums.size(); ++i)
            if (std::abs(sums(i) - x_given(i)) > 1e-6 * std::max(1.0, std::abs(x_given(i)))) {
                const std::string where = cat(x_file->file, ":", x_file->lines[static_cast<std::size_t>(i)]);
                const std::string what = cat("gross output ", number_text(x_given(i)), " of ", t.label(static_cast<std::size_t>(i)),
                                             " differs from the row sum of ", z_entry ? "Z" : "A diag(x)", " and Y, ", number_text(sums(i)));
                // A is published rounded: the gap is reported, not refused, when Z comes from A.
                if (z_entry) inconsistent.add(where, what);
                else out.warnings.push_back({where, what + " (accepted: Z is derived from the rounded A)"});
            }
    }
    bad.throw_if_any<invalid_input>(root);
    inconsistent.throw_if_any<inconsistent_input>(root);

    // Extensions: every subfolder with a file_parameters.json, in name order.
    for (const auto& folder : src.subfolders()) {
        const text_source sub = src.sub(folder);
        if (!sub.has("file_parameters.json")) continue;
        const std::string shown = sub.shown("");
        const folder_parameters ep = read_parameters(sub);
        models::named_extension ext;
        ext.name = ep.name.empty() ? folder : ep.name;
        const file_entry* f_entry = find_file(ep, {"F"});
        if (!f_entry) {
            bad.add(shown + "file_parameters.json", "extension '" + ext.name + "' has no F (stressors by region and sector)");
            continue;
        }
        tsv_table f = read_tsv(sub, f_entry->name, f_entry->n_index, f_entry->n_header, &bad);
        same_labels(f, true, z.columns, z.file, inconsistent);
        for (const auto& r : f.rows) {
            std::string name;
            for (const auto& part : r) name += (name.empty() ? "" : " / ") + part;
            ext.accounts.stressors.push_back(name);
        }
        ext.accounts.production = values_of(f, bad);
        out.extension_folders.push_back(folder);
        out.extension_files.push_back(f.file);
        out.extension_lines.push_back(f.lines);
        // Units: one per stressor, required.
        const file_entry* u = find_file(ep, {"unit"});
        std::map<label, std::string> unit_of;
        std::string unit_file = shown + "unit.txt";
        if (u) {
            const tsv_table units = read_units(sub, *u);
            unit_file = units.file;
            for (std::size_t i = 0; i < units.rows.size(); ++i) unit_of[units.rows[i]] = units.cells[i].empty() ? "" : units.cells[i].back();
        }
        for (std::size_t k = 0; k < f.rows.size(); ++k) {
            const auto it = unit_of.find(f.rows[k]);
            if (it == unit_of.end() || it->second.empty())
                bad.add(cat(f.file, ":", f.lines[k]), cat("stressor '", ext.accounts.stressors[k], "' has no unit in ", unit_file));
            ext.accounts.units.push_back(it == unit_of.end() ? "" : it->second);
        }
        if (const file_entry* fy_entry = find_file(ep, {"F_Y", "F_hh", "FY"})) {
            tsv_table fy = read_tsv(sub, fy_entry->name, fy_entry->n_index, fy_entry->n_header, &bad, f.rows.size());
            same_labels(fy, true, y.columns, y.file, inconsistent);
            same_labels(fy, false, f.rows, f.file, inconsistent);
            if (inconsistent.empty()) {
                const Eigen::MatrixXd by_category = values_of(fy, bad);
                const auto n_cat = static_cast<index_t>(m.n_categories());
                ext.accounts.final_demand =
                    models::sum_over_categories(by_category, static_cast<index_t>(t.n_regions()), n_cat);
            }
        }
        if (normalised(ext.name) == "factor_inputs" || normalised(folder) == "factor_inputs") {
            // Value added at basic prices: every row in the table's currency, less taxes on
            // products (which stay in the extension and are the balancing gap), as for
            // EXIOBASE, ICIO and WIOD (docs/io-accounting.md, "Layouts").
            Eigen::VectorXd v = Eigen::VectorXd::Zero(ext.accounts.production.cols());
            std::size_t summed = 0;
            for (std::size_t k = 0; k < f.rows.size(); ++k) {
                if (ext.accounts.units[k] != t.unit && !ext.accounts.units[k].empty())
                    inconsistent.add(cat(f.file, ":", f.lines[k]),
                                     cat("factor input '", ext.accounts.stressors[k], "' is in '", ext.accounts.units[k],
                                         "'; value added must be in the table's currency '", t.unit, "'"));
                if (is_tax_on_products(ext.accounts.stressors[k])) continue;
                v += ext.accounts.production.row(static_cast<index_t>(k)).transpose();
                ++summed;
            }
            m.value_added_given = v;
            m.value_added_source = summed == f.rows.size()
                                       ? cat("extension ", ext.name, " (", summed, " row(s), summed)")
                                       : cat("extension ", ext.name, " (", summed, " of ", f.rows.size(),
                                             " row(s) summed; taxes on products excluded)");
        }
        m.extensions.push_back(std::move(ext));
    }
    bad.throw_if_any<invalid_input>(root);
    inconsistent.throw_if_any<inconsistent_input>(root);
    return out;
}

full_mrio_import read_pymrio_folder(const fs::path& folder) {
    if (!fs::is_directory(folder)) throw invalid_input(folder.string() + ": not a folder (expected a pymrio-saved folder)");
    full_mrio_import out = read_pymrio_system(text_source::folder(folder), "pymrio folder " + folder.string(), false);
    const std::string root = (folder / "").string();
    issues problems;
    models::validate(out.mrio, problems);
    problems.throw_if_any<inconsistent_input>(root);
    const auto& m = out.mrio;
    warn_negative_value_added(m, root + (m.has_given_value_added() ? "value added (" + m.value_added_source + ")" : "value added"),
                              out.warnings);
    return out;
}

full_mrio_import read_long_mrio(const fs::path& folder, const std::string& unit) {
    if (!fs::is_directory(folder))
        throw invalid_input(folder.string() + ": not a folder (expected one with intermediate.csv and final_demand.csv)");
    if (unit.empty()) throw invalid_input("--unit: the currency unit of the long CSV values is required");
    const csv_table z = csv_table::read(folder / "intermediate.csv", {"origin_region", "origin_sector", "region", "sector", "value"});
    const csv_table y = csv_table::read(folder / "final_demand.csv", {"origin_region", "origin_sector", "region", "category", "value"});
    full_mrio_import out;
    out.source = "long CSV folder " + folder.string();
    auto& m = out.mrio;
    auto& t = m.table;
    t.unit = unit;
    std::map<std::string, std::size_t> region_at, sector_at, category_at;
    auto add = [](std::map<std::string, std::size_t>& at, std::vector<std::string>& list, const std::string& name) {
        if (at.emplace(name, list.size()).second) list.push_back(name);
    };
    issues bad, inconsistent;
    for (const auto* table : {&z, &y}) {
        const bool is_z = table == &z;
        const auto o_r = table->column("origin_region"), o_s = table->column("origin_sector"), r = table->column("region");
        const auto s = is_z ? table->column("sector") : table->column("category");
        for (std::size_t row = 0; row < table->n_rows(); ++row) {
            for (auto c : {o_r, r})
                if (table->field(row, c).empty()) bad.add(table->where(row, c), "empty region label");
            for (auto c : is_z ? std::vector<std::size_t>{o_s, s} : std::vector<std::size_t>{o_s})
                if (table->field(row, c).empty()) bad.add(table->where(row, c), "empty sector label");
            add(region_at, t.regions, table->field(row, o_r));
            add(region_at, t.regions, table->field(row, r));
            add(sector_at, t.sectors, table->field(row, o_s));
            if (is_z) add(sector_at, t.sectors, table->field(row, s));
            else add(category_at, m.categories, table->field(row, s));
        }
    }
    bad.throw_if_any<invalid_input>(folder.string());
    const auto n = static_cast<index_t>(t.size());
    const auto n_cat = static_cast<index_t>(m.n_categories());
    t.intermediate = Eigen::MatrixXd::Zero(n, n);
    m.final_demand_by_category = Eigen::MatrixXd::Zero(n, static_cast<index_t>(t.n_regions()) * n_cat);
    std::map<std::pair<index_t, index_t>, std::size_t> z_seen, y_seen;
    for (const auto* table : {&z, &y}) {
        const bool is_z = table == &z;
        const auto o_r = table->column("origin_region"), o_s = table->column("origin_sector"), r = table->column("region");
        const auto s = is_z ? table->column("sector") : table->column("category");
        const auto value = table->column("value");
        for (std::size_t row = 0; row < table->n_rows(); ++row) {
            const double v = table->number(row, value, bad);
            const auto i = static_cast<index_t>(region_at[table->field(row, o_r)] * t.n_sectors() + sector_at[table->field(row, o_s)]);
            const auto q = static_cast<index_t>(region_at[table->field(row, r)]);
            const index_t j = is_z ? q * static_cast<index_t>(t.n_sectors()) + static_cast<index_t>(sector_at[table->field(row, s)])
                                   : q * n_cat + static_cast<index_t>(category_at[table->field(row, s)]);
            auto& seen = is_z ? z_seen : y_seen;
            if (const auto [it, fresh] = seen.emplace(std::pair{i, j}, table->line(row)); !fresh)
                inconsistent.add(table->where(row), cat("cell given twice (first at line ", it->second, ")"));
            if (is_z && v < 0)
                bad.add(table->where(row, value), cat("negative intermediate flow ", number_text(v), " from ",
                                                      table->field(row, o_r), "/", table->field(row, o_s), " to ",
                                                      table->field(row, r), "/", table->field(row, s)));
            (is_z ? t.intermediate(i, j) : m.final_demand_by_category(i, j)) = v;
        }
    }
    bad.throw_if_any<invalid_input>(folder.string());
    inconsistent.throw_if_any<inconsistent_input>(folder.string());
    models::complete_table(m);
    check_gross_output(t, [&](std::size_t i) {
        return cat(z.path().string(), " and ", y.path().string(), ": rows of origin ", t.label(i));
    }, bad);
    bad.throw_if_any<invalid_input>(folder.string());
    issues problems;
    models::validate(m, problems);
    problems.throw_if_any<inconsistent_input>(folder.string());
    warn_negative_value_added(m, "value added", out.warnings);
    return out;
}

}  // namespace integra::sim
