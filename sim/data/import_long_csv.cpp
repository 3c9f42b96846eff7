#include "sim/data/import_long_csv.hpp"

#include <cmath>
#include <map>
#include <optional>
#include <tuple>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/aggregation.hpp"
#include "sim/data/csv_table.hpp"
#include "sim/data/dataset.hpp"

namespace integra::sim {
namespace {

namespace fs = std::filesystem;
using Eigen::Index;

enum class variable { trade, value_added, intermediate, tariff, gross_output, trade_elasticity };

std::optional<variable> parse_variable(const std::string& name) {
    if (name == "trade") return variable::trade;
    if (name == "value_added") return variable::value_added;
    if (name == "intermediate") return variable::intermediate;
    if (name == "tariff") return variable::tariff;
    if (name == "gross_output") return variable::gross_output;
    if (name == "trade_elasticity") return variable::trade_elasticity;
    return std::nullopt;
}

bool is_money(variable v) {
    return v == variable::trade || v == variable::value_added || v == variable::intermediate || v == variable::gross_output;
}

}  // namespace

double million_usd_per(const std::string& unit) {
    if (unit == "USD") return 1e-6;
    if (unit == "thousand USD") return 1e-3;
    if (unit == "million USD") return 1.0;
    if (unit == "billion USD") return 1e3;
    throw invalid_input(cat("unit '", unit, "' is not supported: use USD, thousand USD, million USD or billion USD"));
}

imported_dataset import_long_csv(const fs::path& file, const std::string& declared_unit, const import_options& options) {
    const double scale = million_usd_per(declared_unit);
    const auto t = csv_table::read(file);
    const std::size_t cr = t.column("region"), cs = t.column("sector"), cp = t.column("partner"), cv = t.column("variable"),
                      cx = t.column("value");
    std::size_t cu = 0;
    bool has_unit = true;
    try {
        cu = t.column("unit");
    } catch (const invalid_input&) {
        has_unit = false;
    }

    issues problems, flows;
    std::vector<variable> kind(t.n_rows(), variable::trade);
    std::vector<bool> usable(t.n_rows(), false);
    std::vector<double> value(t.n_rows(), 0.0);
    // Pass 1: variables, units, numbers; value_added rows declare regions and sectors.
    std::vector<std::string> regions, sectors;
    std::map<std::string, std::size_t> region_index, sector_index;
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        const auto parsed = parse_variable(t.field(r, cv));
        if (!parsed) {
            problems.add(t.where(r, cv), cat("unknown variable '", t.field(r, cv),
                                             "' (expected trade, value_added, intermediate, tariff, gross_output or trade_elasticity)"));
            continue;
        }
        kind[r] = *parsed;
        const std::size_t before = problems.size();
        value[r] = t.number(r, cx, problems);
        if (has_unit) {
            const std::string& u = t.field(r, cu);
            if (is_money(kind[r]) && u != declared_unit)
                problems.add(t.where(r, cu), cat("wrong units: '", u, "' but --unit is '", declared_unit, "'"));
            if (kind[r] == variable::tariff && !u.empty() && u != "fraction")
                problems.add(t.where(r, cu), cat("wrong units: a tariff is a fraction (0.05 = 5%), got unit '", u, "'"));
            if (kind[r] == variable::trade_elasticity && !u.empty() && u != "1" && u != "dimensionless")
                problems.add(t.where(r, cu), cat("wrong units: a trade elasticity is dimensionless, got unit '", u, "'"));
        }
        const bool needs_region = kind[r] != variable::trade_elasticity;
        const bool needs_partner = kind[r] == variable::trade || kind[r] == variable::tariff || kind[r] == variable::intermediate;
        if (needs_region == t.field(r, cr).empty())
            problems.add(t.where(r, cr), needs_region ? cat("variable '", t.field(r, cv), "' needs a region")
                                                      : cat("variable '", t.field(r, cv), "' takes no region"));
        if (needs_partner == t.field(r, cp).empty())
            problems.add(t.where(r, cp), needs_partner ? cat("variable '", t.field(r, cv), "' needs a partner")
                                                       : cat("variable '", t.field(r, cv), "' takes no partner"));
        if (t.field(r, cs).empty()) problems.add(t.where(r, cs), "empty sector");
        if (problems.size() != before) continue;
        if (is_money(kind[r])) {
            if (value[r] < 0.0)
                flows.add(t.where(r, cx), cat("negative flow: ", t.field(r, cv), " ", t.field(r, cr), "/", t.field(r, cs),
                                              t.field(r, cp).empty() ? "" : " -> " + t.field(r, cp), " is ", value[r], " ", declared_unit));
            value[r] *= scale;
        }
        usable[r] = true;
        if (kind[r] == variable::value_added) {
            if (region_index.emplace(t.field(r, cr), regions.size()).second) regions.push_back(t.field(r, cr));
            if (sector_index.emplace(t.field(r, cs), sectors.size()).second) sectors.push_back(t.field(r, cs));
        }
    }
    if (regions.empty()) problems.add(file.string(), "missing block: no value_added rows (they declare the regions and sectors)");
    problems.throw_if_any<invalid_input>(cat("long CSV ", file.string()));

    // Pass 2: place every value, checking labels and duplicates.
    const std::size_t R = regions.size(), S = sectors.size();
    const auto Ri = static_cast<Index>(R), Si = static_cast<Index>(S);
    auto find = [&](const std::map<std::string, std::size_t>& index, std::size_t row, std::size_t col, const char* what) {
        const auto it = index.find(t.field(row, col));
        if (it != index.end()) return static_cast<Index>(it->second);
        problems.add(t.where(row, col), cat("unknown ", what, " '", t.field(row, col), "' (not declared by a value_added row)"));
        return Index{-1};
    };
    Eigen::MatrixXd va = Eigen::MatrixXd::Constant(Ri, Si, std::nan("")), go_declared = va;
    std::vector<Eigen::MatrixXd> trade(S, Eigen::MatrixXd::Zero(Ri, Ri)), tariffs = trade;
    std::vector<Eigen::MatrixXd> use(R, Eigen::MatrixXd::Zero(Si, Si));
    Eigen::VectorXd theta = Eigen::VectorXd::Constant(Si, options.trade_elasticity);
    std::map<std::tuple<int, Index, Index, Index>, std::size_t> first_row;
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        if (!usable[r]) continue;
        const variable k = kind[r];
        const Index s = find(sector_index, r, cs, "sector");
        Index a = 0, b = 0;
        if (k != variable::trade_elasticity) a = find(region_index, r, cr, "region");
        if (k == variable::trade || k == variable::tariff) b = find(region_index, r, cp, "region");
        if (k == variable::intermediate) b = find(sector_index, r, cp, "sector");
        if (s < 0 || a < 0 || b < 0) continue;
        const auto key = std::make_tuple(static_cast<int>(k), s, a, b);
        if (const auto [it, inserted] = first_row.emplace(key, r); !inserted) {
            problems.add(t.where(r), cat("duplicate ", t.field(r, cv), " row (first at ", t.where(it->second), ")"));
            continue;
        }
        const double v = value[r];
        switch (k) {
            case variable::trade: trade[static_cast<std::size_t>(s)](a, b) = v; break;
            case variable::tariff:
                if (a == b && v != 0.0) problems.add(t.where(r, cx), cat("domestic tariff ", v, " for ", t.field(r, cr), ": must be 0"));
                if (!(v > -1.0)) problems.add(t.where(r, cx), cat("tariff ", v, " must be a fraction above -1"));
                tariffs[static_cast<std::size_t>(s)](a, b) = v;
                break;
            case variable::value_added: va(a, s) = v; break;
            case variable::gross_output: go_declared(a, s) = v; break;
            case variable::intermediate: use[static_cast<std::size_t>(a)](s, b) = v; break;
            case variable::trade_elasticity:
                if (!(v > 0.0)) problems.add(t.where(r, cx), cat("trade elasticity must be > 0, got ", v));
                theta(s) = v;
                break;
        }
    }
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t s = 0; s < S; ++s)
            if (std::isnan(va(static_cast<Index>(r), static_cast<Index>(s))))
                problems.add(file.string(), cat("missing block: no value_added row for ", regions[r], "/", sectors[s]));
    problems.throw_if_any<invalid_input>(cat("long CSV ", file.string()));
    flows.throw_if_any<inconsistent_input>(cat("long CSV ", file.string()));

    // Identities: output = sales, costs = output, final use >= 0.
    const double tol = options.tolerance;
    models::economy e;
    e.name = options.name;
    e.base_year = options.year;
    if (e.base_year == 0) throw invalid_input(cat(file.string(), ": no base year: give --year"));
    if (e.base_year < dataset_limits::min_year || e.base_year > dataset_limits::max_year)
        throw invalid_input(cat(file.string(), ": base year ", e.base_year, " is outside ", dataset_limits::min_year, "-",
                                dataset_limits::max_year));
    e.unit = "million USD";
    e.regions = regions;
    e.sectors = sectors;
    e.region_names = regions;
    e.sector_names = sectors;
    e.tradable.assign(S, true);
    e.trade_elasticity = theta;
    e.trade = trade;
    e.tariffs = tariffs;
    e.gross_output.resize(Ri, Si);
    e.value_added.resize(Ri, Si);
    e.io_coefficients.assign(R, Eigen::MatrixXd::Zero(Si, Si));
    for (Index n = 0; n < Ri; ++n)
        for (Index j = 0; j < Si; ++j) {
            const double y = trade[static_cast<std::size_t>(j)].row(n).sum();
            const double inputs = use[static_cast<std::size_t>(n)].col(j).sum();
            const std::string at = cat(regions[static_cast<std::size_t>(n)], "/", sectors[static_cast<std::size_t>(j)]);
            if (!std::isnan(go_declared(n, j)) && std::abs(go_declared(n, j) - y) > tol * std::max(y, 1.0))
                flows.add(file.string() + ": gross_output " + at,
                          cat("unbalanced: declared ", go_declared(n, j), " but sales (trade rows) sum to ", y, " (difference ",
                              y - go_declared(n, j), " million USD)"));
            if (std::abs(inputs + va(n, j) - y) > tol * std::max(y, 1.0))
                flows.add(file.string() + ": " + at,
                          cat("unbalanced: intermediate inputs ", inputs, " + value added ", va(n, j), " = ", inputs + va(n, j),
                              " but sales (trade rows) sum to ", y, " (difference ", inputs + va(n, j) - y, " million USD)"));
            e.gross_output(n, j) = y;
            e.value_added(n, j) = std::max(y - inputs, 0.0);
            if (y > 0.0) e.io_coefficients[static_cast<std::size_t>(n)].col(j) = use[static_cast<std::size_t>(n)].col(j) / y;
        }
    const Eigen::MatrixXd x = e.expenditure();
    e.final_demand_share = Eigen::MatrixXd::Zero(Ri, Si);
    for (Index n = 0; n < Ri; ++n) {
        for (Index s = 0; s < Si; ++s) {
            const double final_use = x(n, s) - use[static_cast<std::size_t>(n)].row(s).sum();
            if (final_use < -tol * std::max(x(n, s), 1.0))
                flows.add(cat(file.string(), ": ", regions[static_cast<std::size_t>(n)], "/", sectors[static_cast<std::size_t>(s)]),
                          cat("intermediate use ", use[static_cast<std::size_t>(n)].row(s).sum(), " exceeds spending incl. tariffs ",
                              x(n, s), " (final use would be ", final_use, " million USD)"));
            e.final_demand_share(n, s) = std::max(final_use, 0.0);
        }
        const double total = e.final_demand_share.row(n).sum();
        if (total > 0.0) e.final_demand_share.row(n) /= total;
        else flows.add(cat(file.string(), ": ", regions[static_cast<std::size_t>(n)]), "no final use: final-demand shares undefined");
    }
    flows.throw_if_any<inconsistent_input>(cat("long CSV ", file.string()));
    e.deficit = e.imports() - e.exports();

    e = apply_concordances(e, options.region_map, options.sector_map);

    imported_dataset out;
    out.economy = std::move(e);
    auto& m = out.metadata;
    m.title = options.title.empty() ? cat("Imported from ", file.filename().string(), ": ", out.economy.n_regions(), " regions x ",
                                          out.economy.n_sectors(), " sectors")
                                    : options.title;
    m.builder = options.command_line;
    m.sources.push_back({file.filename().string(), file.string(), "as declared by the provider of the input", ""});
    m.import_notes = {
        {"importer", "integra data import long"},
        {"input", file.string()},
        {"declared_unit", cat(declared_unit, " (converted to million USD by x", format_number(scale), ")")},
        {"value_added", "gross output (sum of trade rows) minus intermediate inputs"},
        {"final_demand_shares", "derived: spending including tariffs minus intermediate use, per region"},
        {"balance_tolerance", cat("relative ", format_number(tol), " of output")},
    };
    if (!options.region_map.empty()) m.import_notes.emplace_back("region_concordance", options.region_map.string());
    if (!options.sector_map.empty()) m.import_notes.emplace_back("sector_concordance", options.sector_map.string());

    issues inconsistencies;
    models::validate(out.economy, inconsistencies);
    inconsistencies.throw_if_any<inconsistent_input>(cat("long CSV ", file.string(), " (after conversion)"));
    return out;
}

}  // namespace integra::sim
