#include "sim/sweep/design.hpp"

#include <cmath>
#include <map>
#include <sstream>

#include "core/text.hpp"

namespace integra::sim {
namespace {

constexpr std::size_t max_points = 10'000'000;
// The elasticities' preset: truncation keeps every draw a valid elasticity (theta > 0) and
// away from the implausible tail; with celac38's estimates (6 to 13.5, standard errors
// 1 to 3.7) the bounds cut less than 0.1% of the mass.
constexpr double theta_floor = 0.5, theta_sd_ceiling = 8.0;

std::optional<sweep_value> scalar(const toml::node& n) {
    // Built in place: a converting construction trips a false GCC 12 -Wmaybe-uninitialized.
    if (const auto* v = n.as_integer()) return std::optional<sweep_value>(std::in_place, std::in_place_type<std::int64_t>, v->get());
    if (const auto* v = n.as_floating_point()) return std::optional<sweep_value>(std::in_place, std::in_place_type<double>, v->get());
    if (const auto* v = n.as_string()) return std::optional<sweep_value>(std::in_place, std::in_place_type<std::string>, v->get());
    if (const auto* v = n.as_boolean()) return std::optional<sweep_value>(std::in_place, std::in_place_type<bool>, v->get());
    return std::nullopt;
}

// The spec of one key: a list, a range {from, to, steps}, a distribution {distribution = ...},
// or the preset "caliendo_parro_2015" (equilibrium.trade_elasticity only).
void read_spec(const std::string& key, const toml::node& spec, const std::string& where, const dataset& data,
               std::vector<varied_key>& keys, issues& out) {
    if (const auto* list = spec.as_array()) {
        varied_key k{key, where, {}, {}};
        for (const auto& element : *list) {
            if (auto v = scalar(element)) k.values.push_back(*v);
            else out.add(where, cat("key '", key, "': expected a list of numbers, strings or booleans, got ", show(element)));
        }
        if (k.values.empty()) out.add(where, cat("key '", key, "': expected a non-empty list of values, got []"));
        keys.push_back(std::move(k));
        return;
    }
    if (const auto* text = spec.as_string()) {
        if (key == "equilibrium.trade_elasticity" && text->get() == "caliendo_parro_2015") {
            const auto& e = data.economy;
            if (data.trade_elasticity_se.size() != static_cast<Eigen::Index>(e.n_sectors())) {
                out.add(where, cat("key '", key, "': dataset '", e.name,
                                   "' has no standard errors for its trade elasticities (file trade_elasticities.csv)"));
                return;
            }
            for (std::size_t s = 0; s < e.n_sectors(); ++s) {
                const double estimate = e.trade_elasticity[s], se = data.trade_elasticity_se(static_cast<Eigen::Index>(s));
                distribution d;
                d.how = distribution::kind::truncated_normal;
                d.a = estimate;
                d.b = se;
                d.low = std::min(theta_floor, estimate);
                d.high = estimate + theta_sd_ceiling * se;
                if (se == 0.0) keys.push_back({key + "." + e.sectors[s], where, {sweep_value(estimate)}, {}});
                else keys.push_back({key + "." + e.sectors[s], where, {}, d});
            }
            return;
        }
        out.add(where, cat("key '", key, "': expected a list, a range {from, to, steps}, a distribution "
                                         "{distribution = \"normal\", ...}",
                           key == "equilibrium.trade_elasticity" ? " or \"caliendo_parro_2015\"" : "",
                           ", got \"", text->get(), "\""));
        return;
    }
    const auto* table = spec.as_table();
    if (!table) {
        out.add(where, cat("key '", key, "': expected a list, a range {from, to, steps} or a distribution, got ", show(spec)));
        return;
    }
    issues local;
    table_reader r(*table, "sweep.vary." + key, local);
    varied_key k{key, where, {}, {}};
    if (table->contains("from") || table->contains("to") || table->contains("steps")) {
        const auto from = r.number_between("from", "the first value", -1e300, 1e300);
        const auto to = r.number_between("to", "the last value", -1e300, 1e300);
        const auto steps = r.integer("steps", "a number of values >= 2", 2, 1000000);
        r.require("from", "from = 0.5");
        r.require("to", "to = 1.5");
        r.require("steps", "steps = 5");
        if (from && to && *to <= *from) r.problem("to", cat("expected a value above from = ", *from, " (an empty or reversed range), got ", *to));
        const bool integers = table->get("from") && table->get("from")->is_integer() && table->get("to") &&
                              table->get("to")->is_integer();
        if (from && to && steps && *to > *from)
            for (int i = 0; i < *steps; ++i) {
                const double v = *from + (*to - *from) * i / (*steps - 1);
                if (!integers) {
                    k.values.push_back(v);
                } else if (v == std::round(v)) {
                    k.values.push_back(static_cast<std::int64_t>(v));
                } else {
                    r.problem("steps", cat("steps = ", *steps, " between integers ", *from, " and ", *to, " give a fraction; use a list"));
                    break;
                }
            }
    } else {
        const auto kind = r.choice("distribution", {"uniform", "normal", "lognormal", "truncated_normal"});
        r.require("distribution", "distribution = \"normal\"");
        distribution d;
        if (kind == "uniform") {
            d.how = distribution::kind::uniform;
            const auto low = r.number_between("low", "the lower bound", -1e300, 1e300);
            const auto high = r.number_between("high", "the upper bound", -1e300, 1e300);
            r.require("low", "low = 0.5");
            r.require("high", "high = 1.5");
            if (low && high && *high <= *low) r.problem("high", cat("expected a value above low = ", *low, " (an empty or reversed range), got ", *high));
            if (low && high) d.a = *low, d.b = *high;
        } else if (kind == "normal" || kind == "truncated_normal") {
            d.how = kind == "normal" ? distribution::kind::normal : distribution::kind::truncated_normal;
            const auto mean = r.number_between("mean", "the mean", -1e300, 1e300);
            const auto sd = r.number("sd", "a standard deviation > 0", 0.0);
            r.require("mean", "mean = 1.0");
            r.require("sd", "sd = 0.1");
            if (mean && sd) d.a = *mean, d.b = *sd;
            if (kind == "truncated_normal") {
                const auto low = r.number_between("low", "the lower bound", -1e300, 1e300);
                const auto high = r.number_between("high", "the upper bound", -1e300, 1e300);
                r.require("low", "low = 0.0");
                r.require("high", "high = 2.0");
                if (low && high && *high <= *low) r.problem("high", cat("expected a value above low = ", *low, ", got ", *high));
                if (low && high) d.low = *low, d.high = *high;
            }
        } else if (kind == "lognormal") {
            d.how = distribution::kind::lognormal;
            const auto mu = r.number_between("mu", "the mean of the logarithm", -1e300, 1e300);
            const auto sigma = r.number("sigma", "the standard deviation of the logarithm, > 0", 0.0);
            r.require("mu", "mu = 0.0");
            r.require("sigma", "sigma = 0.2");
            if (mu && sigma) d.a = *mu, d.b = *sigma;
        }
        k.draw = d;
    }
    r.report_unknown_keys();
    for (const auto& problem : local.list()) out.add(where, cat("key '", key, "': ", problem.message));
    if (local.empty()) keys.push_back(std::move(k));
}

std::string kind_name(sweep_design::kind k) {
    switch (k) {
        case sweep_design::kind::grid: return "grid";
        case sweep_design::kind::zip: return "zip";
        case sweep_design::kind::latin_hypercube: return "latin_hypercube";
        case sweep_design::kind::monte_carlo: return "monte_carlo";
    }
    return "?";
}

}  // namespace

std::string to_text(const sweep_value& v) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::string>) {
                std::string quoted = "\"";
                for (char c : x) quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
                return quoted + "\"";
            } else if constexpr (std::is_same_v<T, bool>) {
                return x ? "true" : "false";
            } else if constexpr (std::is_same_v<T, double>) {
                std::ostringstream s;
                s.precision(17);
                s << x;
                const std::string t = s.str();
                return t.find_first_of(".eEn") == std::string::npos ? t + ".0" : t;  // stays a TOML float
            } else {
                return std::to_string(x);
            }
        },
        v);
}

bool varied_key::is_text() const {
    return !draw && !values.empty() && std::holds_alternative<std::string>(values.front());
}

const std::vector<std::string>& sweep_default_keep() {
    static const std::vector<std::string> keep{
        "welfare_change",   "welfare_change_linearized", "terms_of_trade_effect", "volume_of_trade_effect",
        "revenue_transfer_effect", "gdp_volume_change", "real_wage_change", "real_income", "gdp_volume", "gdp", "exports",
        "imports", "tariff_revenue", "intra_bloc_trade_share", "intra_bloc_import_change", "extra_bloc_import_change",
        "bloc_member", "trade_elasticity", "solver_iterations", "bank_loans", "bank_equity", "bank_equity_to_loans",
        "bank_approvals", "bank_disbursements", "bank_headroom", "bank_capital_constrained", "bank_deficit_change",
        "bank_debt_to_gdp", "public_capital_change", "route_cost_change", "welfare_change_by_channel",
        "gdp_volume_change_by_channel", "population", "real_income_per_capita_change", "welfare_per_origin",
        "welfare_stayers", "welfare_movers", "tradable_productivity_shock", "currency_union_member", "unemployment_rate",
        "wage_floor_binding", "currency_trade_cost_change", "clearing_union_member", "hard_currency_saved",
        "hard_currency_paid", "netting_efficiency", "structural_debtor"};
    return keep;
}

std::vector<sweep_value> sweep_design::values_of(std::size_t p) const {
    std::vector<sweep_value> out;
    out.reserve(keys.size());
    std::size_t rest = p;
    std::size_t stride = points;
    for (std::size_t k = 0; k < keys.size(); ++k) {
        const auto& key = keys[k];
        switch (how) {
            case kind::grid: {
                stride /= key.values.size();
                out.push_back(key.values[rest / stride]);
                rest %= stride;
                break;
            }
            case kind::zip: out.push_back(key.values[p]); break;
            case kind::monte_carlo:
            case kind::latin_hypercube: {
                // Monte Carlo: q is u itself. Latin hypercube (McKay, Beckman & Conover 1979,
                // Technometrics 21(2)): the stratum strata[k][p] of `points` equal strata, u the
                // place inside it, so each key has exactly one point per stratum.
                const double u = uniform_draw(seed, p, k);
                const double q = how == kind::latin_hypercube
                                     ? (static_cast<double>(strata[k][p]) + u) / static_cast<double>(points)
                                     : u;
                if (!key.draw) {  // a list: each value equally likely
                    const std::size_t n = key.values.size();
                    out.push_back(key.values[std::min(n - 1, static_cast<std::size_t>(q * static_cast<double>(n)))]);
                } else {
                    out.emplace_back(std::in_place_type<double>, key.draw->quantile(q));
                }
                break;
            }
        }
    }
    return out;
}

sweep_design read_sweep_design(const toml::table& doc, const std::vector<std::string>& vary, const dataset& data,
                               issues& out) {
    sweep_design d;
    std::vector<varied_key> keys;
    std::map<std::string, std::size_t> position;  // key -> index in keys, so --vary replaces the table's
    auto add_keys = [&](std::vector<varied_key>&& more) {
        for (auto& k : more) {
            const auto it = position.find(k.key);
            if (it != position.end()) keys[it->second] = std::move(k);
            else {
                position[k.key] = keys.size();
                keys.push_back(std::move(k));
            }
        }
    };
    std::optional<int> points;
    std::optional<std::int64_t> seed;
    if (const auto* node = doc.get("sweep")) {
        const auto* table = node->as_table();
        if (!table) {
            out.add(position_of(node->source()).str(), cat("key 'sweep': expected a table, got ", show(*node)));
            return d;
        }
        table_reader r(*table, "sweep", out);
        if (auto v = r.choice("design", {"grid", "zip", "latin_hypercube", "monte_carlo"}))
            d.how = *v == "zip" ? sweep_design::kind::zip
                    : *v == "latin_hypercube" ? sweep_design::kind::latin_hypercube
                    : *v == "monte_carlo" ? sweep_design::kind::monte_carlo
                                          : sweep_design::kind::grid;
        points = r.integer("points", "a number of points >= 1", 1, static_cast<int>(max_points));
        if (const auto* s = r.node("seed")) {
            if (const auto* i = s->as_integer(); i && i->get() >= 0) seed = i->get();
            else r.problem("seed", cat("expected a seed, an integer >= 0, got ", show(*s)));
        }
        if (const auto* k = r.node("keep")) {
            const auto* list = k->as_array();
            if (!list || list->empty()) r.problem("keep", cat("expected a non-empty list of variable names, got ", show(*k)));
            else
                for (const auto& name : *list) {
                    if (const auto* s = name.as_string()) d.keep.push_back(s->get());
                    else r.problem("keep", cat("expected variable names (strings), got ", show(name)));
                }
        }
        if (auto v = r.integer("batch_size", "a number of points per committed file", 1, 1000000))
            d.batch_size = static_cast<std::size_t>(*v);
        if (const auto* v = r.table("vary")) {
            std::vector<varied_key> table_keys;
            for (const auto& [key, spec] : *v)
                read_spec(std::string(key.str()), spec, position_of(spec.source()).str(), data, table_keys, out);
            add_keys(std::move(table_keys));
        }
        r.report_unknown_keys();
    }
    for (const auto& option : vary) {
        const std::string where = "--vary " + option;
        const auto eq = option.find('=');
        if (eq == std::string::npos || eq == 0) {
            out.add(where, "expected KEY=SPEC, e.g. --vary 'customs_union.0.revenue=[\"kept\",\"pooled_by_gdp\"]'");
            continue;
        }
        if (auto holder = parse_value(option.substr(eq + 1), where, out)) {
            std::vector<varied_key> more;
            read_spec(option.substr(0, eq), *holder->get("value"), where, data, more, out);
            add_keys(std::move(more));
        }
    }
    if (keys.empty()) {
        out.add("[sweep]", "nothing varies: give [sweep.vary] keys in the scenario or --vary KEY=SPEC");
        return d;
    }
    d.keys = std::move(keys);
    const bool random = d.how == sweep_design::kind::monte_carlo || d.how == sweep_design::kind::latin_hypercube;
    for (const auto& k : d.keys) {
        if (!random && k.draw)
            out.add(k.where, cat("key '", k.key, "': a distribution needs design = \"monte_carlo\" or \"latin_hypercube\", the design is \"",
                                 kind_name(d.how), "\""));
    }
    if (random) {
        if (!points) out.add("[sweep]", cat("design = \"", kind_name(d.how), "\" needs points = N (the number of draws)"));
        d.points = points.value_or(0);
        d.seed = static_cast<std::uint64_t>(seed.value_or(0));
        if (d.how == sweep_design::kind::latin_hypercube)
            for (std::size_t k = 0; k < d.keys.size(); ++k) d.strata.push_back(permutation(d.points, d.seed, 1000003 + k));
    } else if (d.how == sweep_design::kind::zip) {
        d.points = d.keys.front().values.size();
        for (const auto& k : d.keys)
            if (k.values.size() != d.points)
                out.add(k.where, cat("key '", k.key, "': zip needs lists of one length; it has ", k.values.size(),
                                     " values and '", d.keys.front().key, "' has ", d.points));
    } else {
        d.points = 1;
        for (const auto& k : d.keys)
            if (!k.values.empty()) {
                if (d.points > max_points / k.values.size()) {
                    out.add(k.where, cat("the grid has more than ", max_points, " points"));
                    break;
                }
                d.points *= k.values.size();
            }
        if (points && static_cast<std::size_t>(*points) != d.points)
            out.add("[sweep]", cat("key 'sweep.points': the grid has ", d.points, " points, got points = ", *points,
                                   " (leave it out for a grid)"));
    }
    if (d.keep.empty()) {
        d.keep = sweep_default_keep();
        d.keep_is_default = true;
    }
    std::ostringstream text;
    text << "design = " << kind_name(d.how) << "; points = " << d.points;
    if (random) text << "; seed = " << d.seed;
    for (const auto& k : d.keys) {
        text << "; " << k.key << " = ";
        if (k.draw) text << k.draw->describe();
        else {
            text << "[";
            for (std::size_t i = 0; i < k.values.size(); ++i) text << (i ? ", " : "") << to_text(k.values[i]);
            text << "]";
        }
    }
    text << "; keep = [";
    for (std::size_t i = 0; i < d.keep.size(); ++i) text << (i ? ", " : "") << d.keep[i];
    text << "]";
    d.description = text.str();
    return d;
}

}  // namespace integra::sim
