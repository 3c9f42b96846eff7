#include "sim/scenario/scenario.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "models/development_bank.hpp"
#include "sim/data/csv_table.hpp"

namespace integra::sim {
namespace {

// Tables whose `label` names them in the output (banks, free-movement areas): each label
// once. Reports every repeat at its `name_at`, naming the table that has it first.
template <class Table>
void report_repeated_names(const std::vector<Table>& tables, const char* why, issues& problems) {
    for (std::size_t i = 0; i < tables.size(); ++i)
        for (std::size_t j = 0; j < i; ++j) {
            const auto &t = tables[i], &first = tables[j];
            if (first.label != t.label) continue;
            problems.add(t.name_at.str(), cat("key '", t.key, ".name': ", t.label == t.key ? "the default name \"" : "\"",
                                              t.label, "\" is already the name of ", first.key, " (",
                                              first.name_at.str(), "); ", why));
            break;
        }
}

namespace fs = std::filesystem;

label_set read_label_set(table_reader& r, std::string_view key, const std::string& what) {
    label_set set;
    set.key = r.key_path(key);
    set.at = r.position(key);
    if (const toml::node* n = r.node(key)) {
        if (auto v = n->value_exact<std::string>()) set.expression = *v;
        else r.problem(key, cat("expected a ", what, ", a group or an expression such as \"CELAC - VEN\", got ", show(*n)));
    }
    return set;
}

// `default_years`: phase_in_years when absent (0, a step, for the policies).
phase_in read_phase_in(table_reader& r, int default_years = 0) {
    phase_in p;
    p.years = default_years;
    p.at = r.position("start_year");
    r.require("start_year", "start_year = 2027");
    if (auto v = r.integer("start_year", "a calendar year", 1900, 2200)) p.start_year = *v;
    else p.start_year_unreadable = true;
    if (auto v = r.integer("phase_in_years", "a number of years >= 0", 0, 200)) p.years = *v;
    if (const auto* schedule = r.table("schedule")) {
        if (r.table().get("phase_in_years")) r.problem("schedule", "give either phase_in_years or schedule, not both");
        for (const auto& [year_key, value] : *schedule) {
            const std::string year_text(year_key.str());
            int year = 0;
            const auto [end, ec] = std::from_chars(year_text.data(), year_text.data() + year_text.size(), year);
            const auto share = value.value<double>();
            if (ec != std::errc{} || end != year_text.data() + year_text.size() || year < 1900 || year > 2200) {
                r.problem("schedule", cat("expected calendar years in [1900, 2200] as keys (schedule = { 2027 = 0.5, 2030 = 1.0 }), got '",
                                          year_text, "'"));
                continue;
            }
            if (!share || !std::isfinite(*share) || *share < 0.0 || *share > 1.0) {
                r.problem("schedule", cat("the share for ", year_text, " must be a finite number in [0, 1], got ", show(value)));
                continue;
            }
            p.schedule.emplace_back(year, *share);
        }
        std::sort(p.schedule.begin(), p.schedule.end());
        for (std::size_t i = 1; i < p.schedule.size(); ++i)
            if (p.schedule[i].second < p.schedule[i - 1].second)
                r.problem("schedule", cat("shares must not fall over time: ", p.schedule[i - 1].second, " in ",
                                          p.schedule[i - 1].first, " then ", p.schedule[i].second, " in ", p.schedule[i].first));
        if (!p.start_year_unreadable && !p.schedule.empty() && p.schedule.front().first < p.start_year)
            r.problem("schedule", cat("the first year ", p.schedule.front().first, " is before start_year ", p.start_year));
    }
    return p;
}

final_demand_shock read_shock(table_reader& r) {
    final_demand_shock s;
    s.buyers = read_label_set(r, "region", "region");
    s.origins = read_label_set(r, "origin", "region");
    s.sectors = read_label_set(r, "sector", "sector");
    r.require("change", "change = 0.05");
    if (auto v = r.number("change", "a relative change as a fraction, e.g. 0.10 for +10%", -1.0)) s.change = *v;
    s.phase = read_phase_in(r);
    return s;
}

tariff_change_spec read_tariff_change(table_reader& r, const fs::path& scenario_file) {
    tariff_change_spec s;
    s.importers = read_label_set(r, "importers", "region");
    s.exporters = read_label_set(r, "exporters", "region");
    s.sectors = read_label_set(r, "sectors", "sector");
    s.rate_at = r.position("rate");
    s.rate = r.number("rate", "a tariff as a fraction, e.g. 0.05 for 5%", -1.0, max_tariff_rate);
    s.cut = r.number_between("cut", "a proportional cut, e.g. 0.5 halves the tariffs", 0.0, 1.0);
    s.table_at = r.position("table");
    if (auto v = r.text("table", "the name of a tariff table of the dataset, e.g. \"2005\"")) s.table = *v;
    if (auto v = r.text("file", "a CSV file of edits (importer,exporter,sector,rate), relative to the scenario")) {
        s.file = scenario_file.parent_path() / *v;
        if (!fs::exists(s.file)) r.problem("file", cat("no such file: ", s.file.string()));
    }
    const auto present = [&](const char* key) { return r.table().get(key) ? 1 : 0; };
    if (present("rate") + present("cut") + present("table") + present("file") != 1)
        r.problem("rate", "give exactly one of rate, cut, table or file");
    s.phase = read_phase_in(r);
    return s;
}

free_trade_area_spec read_free_trade_area(table_reader& r) {
    free_trade_area_spec s;
    r.require("members", "members = \"CELAC\"");
    s.members = read_label_set(r, "members", "region");
    s.phase = read_phase_in(r);
    return s;
}

customs_union_spec read_customs_union(table_reader& r) {
    customs_union_spec s;
    r.require("members", "members = \"CELAC\"");
    s.members = read_label_set(r, "members", "region");
    if (auto v = r.choice("external_tariff", {"trade_weighted_mean", "trade_weighted_mfn_mean", "simple_mean", "minimum", "member", "explicit"}))
        s.external_tariff = *v;
    if (auto v = r.text("external_tariff_member", "a member region, e.g. \"BRA\"")) s.external_tariff_member = *v;
    s.external_tariff_member_at = r.position("external_tariff_member");
    if (s.external_tariff == "member" && !r.table().get("external_tariff_member"))
        r.problem_unless_misspelt("external_tariff", "external_tariff_member",
                                  "\"member\" needs external_tariff_member = \"<a member region>\"",
                                  "which external_tariff = \"member\" needs");
    else if (s.external_tariff == "member" && r.table().get("external_tariff_member")->value_exact<std::string>() &&
             s.external_tariff_member.empty())
        r.problem("external_tariff_member", "expected a member region, e.g. \"BRA\", got an empty string");
    if (!s.external_tariff_member.empty() && s.external_tariff != "member")
        r.problem("external_tariff_member", "only used with external_tariff = \"member\"");
    s.external_rates_at = r.position("external_rates");
    if (const auto* rates = r.table("external_rates")) {
        for (const auto& [sector, value] : *rates) {
            s.external_rate_at[std::string(sector.str())] = position_of(value.source());
            const auto v = value.value<double>();
            if (!v || !std::isfinite(*v) || *v <= -1.0 || *v > max_tariff_rate)
                r.problem("external_rates", cat("rate for '", sector.str(), "' must be a finite fraction above -1 and at most ",
                                                max_tariff_rate, " (", max_tariff_rate * 100, "%), got ", show(value)));
            else
                s.external_rates[std::string(sector.str())] = *v;
        }
    }
    const bool rates_given = r.table().get("external_rates") != nullptr;  // wrong rates are reported once, above
    if (s.external_tariff == "explicit" && !rates_given)
        r.problem_unless_misspelt("external_tariff", "external_rates",
                                  "\"explicit\" needs external_rates = { sector = rate, ... }",
                                  "which external_tariff = \"explicit\" needs");
    if (rates_given && s.external_tariff != "explicit")
        r.problem("external_rates", "only used with external_tariff = \"explicit\"");
    if (auto v = r.choice("revenue", {"kept", "pooled_by_gdp", "pooled_equally"})) s.revenue = *v;
    s.external_agreements_at = r.position("external_agreements");
    if (auto v = r.choice("external_agreements", {"keep", "dissolve", "dissolve_one_sided"})) s.external_agreements = *v;
    s.phase = read_phase_in(r);
    return s;
}

trade_cost_change_spec read_trade_cost_change(table_reader& r) {
    trade_cost_change_spec s;
    s.importers = read_label_set(r, "importers", "region");
    s.exporters = read_label_set(r, "exporters", "region");
    s.sectors = read_label_set(r, "sectors", "sector");
    s.cut = r.number_between("cut", "a proportional cut of trade costs, e.g. 0.1", 0.0, 0.99);
    s.ave = r.number("ave", "an ad-valorem equivalent change, e.g. -0.05", -1.0);
    if ((r.table().get("cut") ? 1 : 0) + (r.table().get("ave") ? 1 : 0) != 1)
        r.problem("cut", "give exactly one of cut or ave");
    if (auto v = r.boolean("symmetric")) s.symmetric = *v;
    if (auto v = r.boolean("baseline")) s.baseline = *v;
    s.phase = read_phase_in(r);
    return s;
}

productivity_change_spec read_productivity_change(table_reader& r) {
    productivity_change_spec s;
    s.regions = read_label_set(r, "regions", "region");
    s.sectors = read_label_set(r, "sectors", "sector");
    r.require("change", "change = 0.02");
    if (auto v = r.number("change", "a relative productivity change, e.g. 0.02 for +2%", -1.0, 10.0)) s.change = *v;
    s.phase = read_phase_in(r);
    return s;
}

labour_change_spec read_labour_change(table_reader& r) {
    labour_change_spec s;
    s.regions = read_label_set(r, "regions", "region");
    r.require("change", "change = 0.01");
    if (auto v = r.number("change", "a relative change of the labour force, e.g. 0.01 for +1%", -1.0, 10.0)) s.change = *v;
    s.phase = read_phase_in(r);
    return s;
}

// Shares given as a list (paid_in_schedule = [0.2, 0.2, ...]): non-negative finite numbers
// summing to 1 (within 1e-6; binding rescales them to sum to 1 exactly), at most
// `max_entries` of them. Empty when absent or wrong (reported).
constexpr double list_share_tolerance = 1e-6;

std::vector<double> read_share_list(table_reader& r, std::string_view key, const std::string& example,
                                    std::size_t max_entries) {
    std::vector<double> out;
    const toml::node* n = r.node(key);
    if (!n) return out;
    const auto* list = n->as_array();
    if (!list || list->empty() || list->size() > max_entries) {
        r.problem(key, cat("expected a list of 1 to ", max_entries, " shares summing to 1, e.g. ", example, ", got ",
                           list && list->size() > max_entries ? cat(list->size(), " values") : show(*n)));
        return out;
    }
    bool ok = true;
    double sum = 0.0;
    for (std::size_t k = 0; k < list->size(); ++k) {
        const toml::node& item = *list->get(k);
        const auto v = item.is_number() ? item.value<double>() : std::nullopt;
        if (!v || !std::isfinite(*v) || *v < 0.0) {
            r.problem(key, cat("element ", k, " must be a finite share >= 0, got ", show(item)));
            ok = false;
            continue;
        }
        out.push_back(*v);
        sum += *v;
    }
    if (ok && std::abs(sum - 1.0) > list_share_tolerance) {
        r.problem(key, cat("the shares must sum to 1, got ", sum, " (", list->size(), " values); e.g. ", example));
        ok = false;
    }
    if (!ok) out.clear();
    return out;
}

// A number in [min, 1): number_between(min, 1) and not 1.
std::optional<double> read_below_one(table_reader& r, std::string_view key, const std::string& expected, double min) {
    const toml::node* n = r.node(key);
    if (!n) return std::nullopt;
    const auto v = n->is_number() ? n->value<double>() : std::nullopt;
    if (!v || !std::isfinite(*v)) return r.number_between(key, expected, min, 1.0);  // reports the type or a nan
    if (!(*v >= min && *v < 1.0)) {
        r.problem(key, cat("expected ", expected, " in [", min, ", 1), got ", *v));
        return std::nullopt;
    }
    return v;
}

// "development_bank[0]" for the reader of that table.
std::string table_label(const table_reader& r) {
    std::string path = r.key_path("x");
    return path.size() > 2 ? path.substr(0, path.size() - 2) : std::string();
}

// A rate per year as a fraction in [min, max], the range named when it is out of it with
// `why` (what the bounds mean).
std::optional<double> read_rate(table_reader& r, std::string_view key, const std::string& expected, double min, double max,
                                const std::string& why) {
    const toml::node* n = r.node(key);
    if (!n) return std::nullopt;
    const auto v = n->is_number() ? n->value<double>() : std::nullopt;
    if (!v || !std::isfinite(*v)) return r.number_between(key, expected, min, max);  // reports the type or a nan
    if (!(*v >= min && *v <= max)) {
        r.problem(key, cat("expected ", expected, " in [", min, ", ", max, "], got ", *v, ": ", why));
        return std::nullopt;
    }
    return v;
}

development_bank_spec read_development_bank(table_reader& r, const fs::path& scenario_file) {
    development_bank_spec s;
    s.name_at = r.position("name");
    if (auto v = r.text("name", "a name for the bank, e.g. \"celac_bank\"")) {
        if (v->find_first_not_of(" \t") == std::string::npos)
            r.problem("name", cat("expected a name for the bank, e.g. \"celac_bank\" (it labels the bank in the output's bank ",
                                  "coordinate), got \"", *v, "\"; leave name out for the default \"", table_label(r), "\""));
        else
            s.label = *v;
    }
    r.require("members", "members = \"CELAC\"");
    s.members = read_label_set(r, "members", "region");
    s.capital_key_at = r.position("capital_key");
    if (auto v = r.choice("capital_key", {"gdp", "equal", "population", "explicit"})) s.capital_key = *v;
    if (s.capital_key != "explicit") r.require("capital", "capital = 50000");
    if (auto v = r.number_between("capital", "subscribed capital in the dataset's money unit (e.g. US$ million)", 0.0, 1e12)) {
        s.capital = *v;
        if (s.capital_key == "explicit")
            r.problem("capital", cat("capital is not used with capital_key = \"explicit\": the subscriptions are ",
                                     "capital_by_member (the bank's capital is their sum), got capital = ", *v,
                                     "; remove capital or choose another capital_key"));
    }
    if (const auto* by = r.table("capital_by_member")) {
        for (const auto& [region, value] : *by) {
            const auto v = value.value<double>();
            const std::string name(region.str());
            if (!v || !std::isfinite(*v) || *v < 0.0) {
                r.problem("capital_by_member", cat("the subscription of ", name, " must be a finite amount >= 0, got ", show(value)));
                continue;
            }
            s.capital_by_member[name] = *v;
            s.capital_by_member_at[name] = position_of(value.source());
        }
        if (s.capital_key != "explicit") r.problem("capital_by_member", "capital_by_member needs capital_key = \"explicit\"");
    } else if (s.capital_key == "explicit") {
        r.problem("capital_key", "capital_key = \"explicit\" needs capital_by_member = { ARG = 2000, BRA = 2000 }");
    }
    if (auto v = r.number_between("paid_in_share", "a share of the subscription paid in", 0.0, 1.0))
        s.paid_in_share = *v;
    s.paid_in_schedule_at = r.position("paid_in_schedule");
    s.paid_in_schedule = read_share_list(r, "paid_in_schedule", "[0.2, 0.2, 0.2, 0.2, 0.2]", 100);
    // The lending rule: exactly one of four keys.
    s.lending_envelope =
        r.number_between("lending_envelope", "approvals per year in the dataset's money unit (e.g. US$ million)", 0.0, 1e12);
    s.lending_share_of_gdp =
        r.number_between("lending_share_of_gdp", "approvals per year as a share of the members' GDP", 0.0, 1.0);
    if (r.choice("lending", {"capacity"})) s.lending_capacity = true;
    s.pipeline_at = r.position("pipeline");
    if (auto v = r.text("pipeline", "a CSV file borrower,purpose,year,amount, relative to the scenario")) {
        if (v->empty()) {
            r.problem("pipeline", "expected a CSV file borrower,purpose,year,amount, relative to the scenario, got an empty string");
        } else {
            s.pipeline = scenario_file.parent_path() / *v;
            std::error_code ec;
            if (!fs::is_regular_file(s.pipeline, ec))
                r.problem("pipeline", cat(fs::exists(s.pipeline, ec) ? "not a regular file: " : "no such file: ", s.pipeline.string(),
                                          " (expected a CSV file borrower,purpose,year,amount, relative to the scenario)"));
        }
    }
    {
        static const std::vector<std::string> rules{"lending_envelope", "lending_share_of_gdp", "lending", "pipeline"};
        std::vector<std::string> given;
        for (const auto& k : rules)
            if (r.table().get(k)) given.push_back(k);
        if (given.size() > 1) {
            std::string names;
            for (std::size_t k = 0; k < given.size(); ++k)
                names += (k == 0 ? "" : k + 1 == given.size() ? " and " : ", ") + given[k];
            r.problem(given[1], cat("give exactly one of lending_envelope, lending_share_of_gdp, lending = \"capacity\" or ",
                                    "pipeline, got ", names));
        } else if (given.empty()) {
            r.problem("lending_envelope", "a bank needs one lending rule: lending_envelope = 15000 (approvals per year), "
                                          "lending_share_of_gdp = 0.002, lending = \"capacity\" (as much as capital allows) "
                                          "or pipeline = \"pipeline.csv\"");
        }
    }
    if (auto v = r.number_between("transport_share", "the share of approvals that are transport projects", 0.0, 1.0))
        s.transport_share = *v;
    if (r.table().get("transport_share") && r.table().get("pipeline"))
        r.problem("transport_share", "not used with pipeline: each pipeline row's purpose says whether it is transport");
    const bool borrowers_given = r.table().get("borrowers") != nullptr;
    s.borrowers = read_label_set(r, "borrowers", "region");
    if (!borrowers_given) s.borrowers.expression = s.members.expression;  // default: the members
    s.borrower_key_at = r.position("borrower_key");
    if (auto v = r.choice("borrower_key", {"gdp", "equal", "population"})) s.borrower_key = *v;
    if (r.table().get("pipeline")) {  // the pipeline's rows say who borrows what
        if (borrowers_given && !s.borrowers.expression.empty())
            r.problem("borrowers", cat("not used with pipeline: the pipeline's rows name the borrowers (its column 'borrower'), ",
                                       "got borrowers = \"", s.borrowers.expression, "\"; remove borrowers"));
        if (r.table().get("borrower_key") && r.table().get("borrower_key")->value_exact<std::string>())
            r.problem("borrower_key", cat("not used with pipeline: the pipeline's rows give each borrower's amount, got ",
                                          "borrower_key = \"", *r.table().get("borrower_key")->value_exact<std::string>(),
                                          "\"; remove borrower_key"));
    }
    s.start_year_at = r.position("start_year");
    r.require("start_year", "start_year = 2027");
    if (auto v = r.integer("start_year", "a calendar year", 1900, 2200)) s.start_year = *v;
    else s.start_year_unreadable = true;
    s.grace_years = r.integer("grace_years", "a number of years", 0, 100);
    s.terms_at = r.position("maturity_years");
    s.maturity_years = r.integer("maturity_years", "a number of years", 1, 100);
    s.lending_spread = read_rate(r, "lending_spread", "a spread over the funding rate, as a fraction (0.0175 = 175 bp)",
                                 0.0, max_bank_rate,
                                 "a negative spread lends below the bank's own funding cost (funding_rate), so every loan "
                                 "loses money");
    s.funding_rate = read_rate(r, "funding_rate", "a funding rate per year, as a fraction (0.045 = 4.5%)", min_bank_rate,
                               max_bank_rate,
                               "the rate the bank pays on its bonds (CAF's 2023-26 coupons 4.625-4.75%)");
    s.min_equity_to_loans = r.number("min_equity_to_loans", "an equity-to-loans floor (0.25 = 25%)", 0.0, 1.0);
    s.liquid_asset_rate = read_rate(r, "liquid_asset_rate", "a return on liquid assets per year, as a fraction (0.04 = 4%)",
                                    min_bank_rate, max_bank_rate, "the return on the bank's liquid assets");
    s.inflation = read_rate(r, "inflation", "an inflation rate per year, as a fraction (0.02 = 2%)", min_bank_rate,
                            max_bank_rate,
                            "the inflation that turns the quoted rates into the real rates of the bank's constant-price books");
    s.expected_loss = read_below_one(r, "expected_loss", "an expected loss per year on loans, as a fraction (0.003 = 0.3%)", 0.0);
    s.operating_cost_rate = read_below_one(r, "operating_cost_rate", "operating costs per year as a share of assets (0.003 = 0.3%)", 0.0);
    if (auto v = r.choice("liquidity_rule", {"loans", "next_year_disbursements"}))
        s.liquidity_rule = *v == "loans" ? models::bank_terms::liquidity_base::loans
                                         : models::bank_terms::liquidity_base::next_year_disbursements;
    s.liquidity_share = r.number_between("liquidity_share", "the liquid assets' floor as a share of the liquidity base (0.30 = 30%)", 0.0, 10.0);
    if (auto v = r.choice("capital_rule", {"equity_to_loans", "gearing"}))
        s.capital_rule = *v == "gearing" ? models::bank_terms::capital_rule_kind::gearing
                                         : models::bank_terms::capital_rule_kind::equity_to_loans;
    s.max_gearing = r.number("max_gearing", "a gearing limit: loans and commitments per unit of subscribed capital and reserves (2.5 = 250%)", 0.0, 100.0);
    {
        const bool gearing = s.capital_rule == models::bank_terms::capital_rule_kind::gearing;
        if (r.table().get("max_gearing") && !gearing)
            r.problem("max_gearing", "only used with capital_rule = \"gearing\" (the rule in force is \"equity_to_loans\")");
        if (r.table().get("min_equity_to_loans") && gearing)
            r.problem("min_equity_to_loans", "only used with capital_rule = \"equity_to_loans\" (the rule in force is \"gearing\")");
    }
    s.dividend_share = r.number_between("dividend_share",
                                        "the share of a year's positive net income paid to the members as dividends (0 = retained)",
                                        0.0, 1.0);
    s.disbursement_profile = read_share_list(r, "disbursement_profile", "[0.10, 0.20, 0.25, 0.25, 0.20]", 100);
    {
        const models::bank_terms defaults;
        const int grace = s.grace_years.value_or(defaults.grace_years), maturity = s.maturity_years.value_or(defaults.maturity_years);
        if ((s.grace_years || s.maturity_years) && maturity <= grace)
            r.problem(s.maturity_years ? "maturity_years" : "grace_years",
                      cat("the maturity (", maturity, " years) must be longer than the grace period (", grace, " years)"));
        else if ((s.grace_years || s.maturity_years) && grace == 0 && maturity < 2)
            r.problem(s.maturity_years ? "maturity_years" : "grace_years",
                      cat("with grace_years = 0 the maturity must be at least 2 years, got ", maturity,
                          ": a loan without grace and with maturity 1 is repaid in the year it is signed, so it carries no ",
                          "exposure and lending as much as capital allows would be unbounded"));
        const std::size_t years = s.disbursement_profile.empty() ? defaults.disbursement_profile.size() : s.disbursement_profile.size();
        if ((!s.disbursement_profile.empty() || s.maturity_years) && static_cast<int>(years) > maturity)
            r.problem(s.disbursement_profile.empty() ? "maturity_years" : "disbursement_profile",
                      cat("a loan disburses over ", years, " years, longer than the maturity (", maturity,
                          " years): a loan must be disbursed before it is repaid"));
    }
    s.bond_holders_at = r.position("bond_holders");
    if (const auto* holders = r.table("bond_holders")) {
        double total = 0.0;
        for (const auto& [set, value] : *holders) {
            const auto v = value.value<double>();
            if (!v || !std::isfinite(*v) || *v < 0.0 || *v > 1.0) {
                r.problem("bond_holders", cat("the share of \"", set.str(), "\" must be a number in [0, 1], got ", show(value)));
                continue;
            }
            label_set l;
            l.expression = std::string(set.str());
            l.key = r.key_path("bond_holders");
            l.at = position_of(value.source());
            s.bond_holders.emplace_back(std::move(l), *v);
            total += *v;
        }
        if (!s.bond_holders.empty() && std::abs(total - 1.0) > 1e-9)
            r.problem("bond_holders", cat("the shares must sum to 1, got ", total));
    }
    return s;
}

// [public_capital] (policy-modules D.A 7(b)-(d); models/public_capital.hpp for the defaults).
public_capital_spec read_public_capital(table_reader& r) {
    public_capital_spec s;
    auto& p = s.settings;
    if (auto v = read_below_one(r, "depreciation", "a depreciation rate per year (0.025 = 2.5%)", 0.0)) p.depreciation = *v;
    if (auto v = r.number("efficiency", "the public capital a unit of spending builds (0.70)", 0.0, 1.0)) p.efficiency = *v;
    if (auto v = r.number("capital_to_gdp", "the baseline's public capital per unit of GDP (0.6)", 0.0, 100.0)) p.capital_to_gdp = *v;
    if (auto v = r.number_between("elasticity_short_run", "an output elasticity of public capital (0.08)", 0.0, 1.0))
        p.elasticity_short_run = *v;
    if (auto v = r.number_between("elasticity_long_run", "an output elasticity of public capital (0.12)", 0.0, 1.0))
        p.elasticity_long_run = *v;
    if (auto v = r.integer("elasticity_adjustment_years", "a number of years >= 0", 0, 200)) p.elasticity_adjustment_years = *v;
    if (auto v = r.number("transport_share_of_capital", "the share of the baseline's public capital that is transport (0.30)", 0.0, 1.0))
        p.transport_share_of_capital = *v;
    if (auto v = r.number_between("trade_cost_elasticity", "the cut in trade costs per unit rise of transport capital (0.05)", 0.0, 10.0))
        p.trade_cost_elasticity = *v;
    if (auto v = read_below_one(r, "max_trade_cost_cut", "the largest cut in a region's trade costs (0.25)", 0.0))
        p.max_trade_cost_cut = *v;
    s.investment_shares_at = r.position("investment_shares");
    s.investment_shares_given = r.table().get("investment_shares") != nullptr;
    if (const auto* shares = r.table("investment_shares")) {
        double total = 0.0;
        bool ok = true;
        for (const auto& [sector, value] : *shares) {
            const std::string name(sector.str());
            const auto v = value.is_number() ? value.value<double>() : std::nullopt;
            if (!v || !std::isfinite(*v) || *v < 0.0 || *v > 1.0) {
                r.problem("investment_shares", cat("the share of '", name, "' must be a number in [0, 1], got ", show(value)));
                ok = false;
                continue;
            }
            s.investment_shares[name] = *v;
            s.investment_share_at[name] = position_of(value.source());
            total += *v;
        }
        if (shares->empty()) {
            r.problem("investment_shares", "expected sector shares summing to 1, e.g. { construction = 0.6, manufacturing = 0.4 }, "
                                           "got an empty table");
            ok = false;
        } else if (ok && std::abs(total - 1.0) > list_share_tolerance) {
            r.problem("investment_shares", cat("the shares must sum to 1 over the sectors given, got ", total));
            ok = false;
        }
        if (!ok) {
            s.investment_shares.clear();
            s.investment_share_at.clear();
        }
    }
    return s;
}

// [[free_movement]] (issue 13; policy-modules D.C 6).
free_movement_spec read_free_movement(table_reader& r) {
    free_movement_spec s;
    s.name_at = r.position("name");
    if (auto v = r.text("name", "a name for the free-movement area, e.g. \"celac\"")) {
        if (v->find_first_not_of(" \t") == std::string::npos)
            r.problem("name", cat("expected a name for the free-movement area, e.g. \"celac\", got \"", *v,
                                  "\"; leave name out for the default \"", table_label(r), "\""));
        else
            s.label = *v;
    }
    r.require("members", "members = \"CELAC\"");
    s.members = read_label_set(r, "members", "region");
    s.cost_cut_at = r.position("cost_cut");
    if (auto v = read_below_one(r, "cost_cut",
                                "a cut in the migration costs between members, as a fraction (0.20 = 20%; mu-hat = 1 - cut)", 0.0))
        s.cost_cut = *v;
    s.phase = read_phase_in(r, default_free_movement_phase_in_years);
    return s;
}

// The `name` key of a table that lists one instrument (a clearing or currency union).
void read_instrument_name(table_reader& r, std::string& label, const char* example) {
    if (auto v = r.text("name", cat("a name, e.g. \"", example, "\""))) {
        if (v->find_first_not_of(" \t") == std::string::npos)
            r.problem("name", cat("expected a name, e.g. \"", example, "\", got \"", *v, "\"; leave name out for the default \"",
                                  table_label(r), "\""));
        else
            label = *v;
    }
}

// [[clearing_union]] (issue 10; policy-modules D.B.1 and D.D for the defaults and ranges).
clearing_union_spec read_clearing_union(table_reader& r) {
    clearing_union_spec s;
    s.name_at = r.position("name");
    read_instrument_name(r, s.label, "sucre");
    r.require("members", "members = \"BOL,CUB,ECU,NIC,VEN\"");
    s.members = read_label_set(r, "members", "region");
    if (auto v = r.text("unit", "the unit of account's name, e.g. \"XSU\"")) s.unit = *v;
    if (auto v = r.number_between("uptake", "u, the share of intra-union imports channelled through the union (0.5)", 0.0, 1.0))
        s.uptake = *v;
    if (auto v = r.integer("periods_per_year", "settlement periods a year (SUCRE 2, ALADI 3, EPU 12)", 1, 12))
        s.periods_per_year = *v;
    if (auto v = r.number("quota_share", "a member's quota as a share of a period's intra-union imports (SUCRE 0.2)", 0.0, 1.0))
        s.quota_share = *v;
    if (auto v = r.number_between("margin", "mu, the credit margin as a multiple of the quota (1.0; 0 = settle everything)", 0.0, 10.0))
        s.margin = *v;
    if (auto v = r.number_between("charge", "c, the yearly charge on balances above 1/4 and 1/2 of quota (0 = none; Keynes 0.01)", 0.0, 0.2))
        s.charge = *v;
    if (auto v = r.choice("closure", {"accounting", "credit", "transaction_cost"}))
        s.closure = *v == "credit" ? clearing_closure::credit
                                   : *v == "transaction_cost" ? clearing_closure::transaction_cost : clearing_closure::accounting;
    if (auto v = r.number_between("transaction_cost_saving", "c_tx, conversion costs saved per unit channelled (0.01)", 0.0, 0.1))
        s.transaction_cost_saving = *v;
    if (auto v = r.number_between("over_invoicing", "channelled exports above customs exports, as a markup (0 = none)", 0.0, 10.0))
        s.over_invoicing = *v;
    s.phase = read_phase_in(r);
    return s;
}

// [[currency_union]] (issue 10; policy-modules D.B.2 and D.D).
currency_union_spec read_currency_union(table_reader& r) {
    currency_union_spec s;
    s.name_at = r.position("name");
    read_instrument_name(r, s.label, "celac");
    r.require("members", "members = \"CELAC\"");
    s.members = read_label_set(r, "members", "region");
    if (auto v = r.number_between("trade_effect", "g, the rise of trade between members a common currency brings (0.10)", 0.0, 3.0))
        s.trade_effect = *v;
    if (auto v = r.number("trade_elasticity", "theta-bar, the aggregate trade elasticity that converts g to a trade-cost cut (4.55)", 0.0, 20.0))
        s.trade_elasticity = *v;
    if (auto v = r.boolean("wage_rigidity")) s.wage_rigidity = *v;
    if (auto v = read_below_one(r, "max_wage_fall", "the largest fall of nominal wages a year, as a fraction (0.02)", 0.0))
        s.max_wage_fall = *v;
    if (auto v = r.number_between("inflation", "pi, the union's yearly wage inflation along the baseline (0.02)", -0.05, 0.2))
        s.inflation = *v;
    if (auto v = r.number_between("fiscal_transfer", "phi_f, the share of a member's employment gap (against the union's) the union pays as a transfer, as a share of its GDP (0; US 0.35-0.40)", 0.0, 1.0))
        s.fiscal_transfer = *v;
    s.phase = read_phase_in(r, default_currency_phase_in_years);
    return s;
}

// [shocks] (policy-modules D.B.2, Costs 1).
shocks_spec read_shocks(table_reader& r) {
    shocks_spec s;
    s.given = true;
    if (auto v = r.integer("seed", "a seed >= 0", 0, std::numeric_limits<int>::max())) s.seed = *v;
    s.process_at = r.position("process");
    if (auto v = r.choice("process", {"data", "placeholder"})) s.process = *v;
    if (auto v = r.number_between("persistence", "rho, the AR(1) persistence (0.7)", 0.0, 0.99)) s.persistence = *v;
    if (auto v = r.number_between("volatility", "sigma, the standard deviation of the innovations (0.03)", 0.0, 1.0)) s.volatility = *v;
    s.correlation_at = r.position("correlation");
    if (auto v = r.number_between("correlation", "the pairwise correlation of the innovations (0.2)", -1.0, 1.0)) s.correlation = *v;
    if (auto v = r.number_between("scale", "a factor on every region's sigma (1.0)", 0.0, 10.0)) s.scale = *v;
    s.start_year_at = r.position("start_year");
    if (auto v = r.integer("start_year", "a calendar year", 1900, 2200)) s.start_year = *v;
    r.require("sectors", "sectors = \"agriculture + mining_utilities + manufacturing\" (the goods sectors celac38's estimates cover)");
    s.sectors = read_label_set(r, "sectors", "sector");
    const bool placeholder_keys = r.table().get("persistence") || r.table().get("volatility") || r.table().get("correlation");
    if (placeholder_keys && s.process == "data")
        r.problem("process", "persistence, volatility and correlation are the placeholder process's; with process = \"data\" "
                             "the dataset's estimates are used (set process = \"placeholder\" to use them)");
    return s;
}

// [migration] (models/migration.hpp for the defaults; policy-modules D.C and D.D).
migration_spec read_migration(table_reader& r) {
    migration_spec s;
    auto& m = s.settings;
    if (auto v = r.number_between("elasticity", "kappa, the migration elasticity to real wages, annual (2.0)", 0.0, 100.0))
        m.elasticity = *v;
    if (auto v = r.number("adjustment_speed", "rho, the share of the gap to the desired stocks closed a year (0.15)", 0.0, 1.0))
        m.adjustment_speed = *v;
    if (auto v = r.number("mover_productivity", "zeta, a mover's efficiency relative to a native's (1.0)", 0.0, 2.0))
        m.mover_productivity = *v;
    if (auto v = read_below_one(r, "remittance_share", "r, the share of movers' labour income sent home (0.10)", 0.0))
        m.remittance_share = *v;
    if (auto v = r.boolean("calibrate_remittances")) s.calibrate_remittances = *v;
    return s;
}

// The position of the first value in `table` (or in a table within it) that an override
// set, or an empty position.
source_position first_override(const toml::table& table) {
    source_position found;
    auto visit = [&](auto&& self, const toml::node& n) -> void {
        if (!found.file.empty()) return;
        const source_position p = position_of(n.source());
        if (p.is_override()) {
            found = p;
            return;
        }
        if (const auto* t = n.as_table())
            for (const auto& [key, value] : *t) self(self, value);
        else if (const auto* a = n.as_array())
            for (const auto& value : *a) self(self, value);
    };
    for (const auto& [key, value] : table) visit(visit, value);
    return found;
}

// A table of settings read by `read`, with its position (`at`) kept for messages.
template <class Spec, class Read>
void read_single_table(table_reader& top, std::string_view key, Read read, Spec& out, issues& problems) {
    if (const auto* t = top.table(key)) {
        table_reader r(*t, std::string(key), problems);
        out = read(r);
        out.at = position_of(t->source());
        r.report_unknown_keys();
    }
}

// An array of tables each naming one instrument of the scenario (free-movement areas,
// clearing and currency unions): read, keyed "key[i]", labelled by `name` or the key, and
// no label twice.
template <class Spec, class Read>
void read_named_tables(table_reader& top, std::string_view key, Read read, std::vector<Spec>& out, issues& problems,
                       const char* why_unique) {
    if (const auto* list = top.array_of_tables(key))
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string label = cat(key, "[", i, "]");
            table_reader r(*list->get(i)->as_table(), label, problems);
            Spec s = read(r);
            s.key = label;
            if (s.label.empty()) s.label = label;
            s.at = position_of(r.table().source());
            s.set_at = first_override(r.table());
            r.report_unknown_keys();
            out.push_back(std::move(s));
        }
    report_repeated_names(out, why_unique, problems);
}

template <class Spec, class Read>
void read_policies(table_reader& top, std::string_view key, std::vector<policy_spec>& out, issues& problems, Read read) {
    if (const auto* list = top.array_of_tables(key))
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string label = cat(key, "[", i, "]");
            table_reader r(*list->get(i)->as_table(), label, problems);
            Spec s = read(r);
            s.label = label;
            s.at = position_of(r.table().source());
            s.set_at = first_override(r.table());
            r.report_unknown_keys();
            out.emplace_back(std::move(s));
        }
}

bool name_is_valid(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}

}  // namespace

double phase_in::share(int year) const {
    if (year < start_year) return 0.0;
    if (!schedule.empty()) {
        double s = 0.0;
        for (const auto& [y, value] : schedule)
            if (y <= year) s = value;
        return s;
    }
    if (years <= 0) return 1.0;
    return std::min(1.0, static_cast<double>(year - start_year + 1) / years);
}

const std::string& label_of(const policy_spec& p) {
    return std::visit([](const auto& s) -> const std::string& { return s.label; }, p);
}

const source_position& position_of(const policy_spec& p) {
    return std::visit([](const auto& s) -> const source_position& { return s.at; }, p);
}

const source_position& problem_position(const policy_spec& p) {
    return std::visit([](const auto& s) -> const source_position& { return s.set_at.file.empty() ? s.at : s.set_at; }, p);
}

const phase_in& phase_of(const policy_spec& p) {
    return std::visit([](const auto& s) -> const phase_in& { return s.phase; }, p);
}

scenario_spec read_scenario(const fs::path& file, const std::vector<std::string>& overrides, issues& problems) {
    return parse_scenario(read_document(file, overrides, problems), file, problems);
}

scenario_spec parse_scenario(const toml::table& doc, const fs::path& file, issues& problems) {
    scenario_spec spec;
    spec.file = file;
    spec.name = file.stem().string();
    table_reader top(doc, "", problems);
    if (auto v = top.text("name", "a name (letters, digits, '_', '-', '.')")) {
        if (name_is_valid(*v)) spec.name = *v;
        else top.problem("name", cat("expected letters, digits, '_', '-' or '.' (it names the output file), got \"", *v, "\""));
    }
    if (auto v = top.text("description", "a string")) spec.description = *v;
    spec.dataset_at = top.position("dataset");
    top.require("dataset", "dataset = \"celac38\"");
    if (auto v = top.text("dataset", "an embedded dataset name (e.g. \"celac38\") or a folder path")) {
        if (v->empty()) top.problem("dataset", "expected a dataset name (e.g. \"celac38\") or a folder path, got an empty string");
        spec.dataset = *v;
    }
    spec.model_at = top.position("model");
    if (auto v = top.choice("model", {"trade_equilibrium", "input_output"}))
        spec.model = *v == "input_output" ? model_kind::input_output : model_kind::trade_equilibrium;

    if (const auto* h = top.table("horizon")) {
        table_reader r(*h, "horizon", problems);
        spec.years_at = position_of(h->source());
        spec.first_year_at = r.position("first_year");
        spec.last_year_at = r.position("last_year");
        spec.first_year = r.integer("first_year", "a calendar year", 1900, 2200);
        spec.last_year = r.integer("last_year", "a calendar year", 1900, 2200);
        if ((h->get("first_year") && !spec.first_year) || (h->get("last_year") && !spec.last_year))
            spec.horizon_unreadable = true;
        if (spec.first_year && spec.last_year && *spec.last_year < *spec.first_year) {
            r.problem("last_year", cat("must not be before horizon.first_year = ", *spec.first_year, ", got ", *spec.last_year));
            spec.horizon_unreadable = true;
        }
        r.report_unknown_keys();
    }
    if (const auto* b = top.table("baseline")) {
        table_reader r(*b, "baseline", problems);
        if (auto v = r.number("final_demand_growth", "an annual growth rate as a fraction, e.g. 0.02", -1.0))
            spec.final_demand_growth = *v;
        if (auto v = r.boolean("population_growth")) spec.population_growth = *v;
        spec.population_variant_at = r.position("population_variant");
        if (auto v = r.text("population_variant", "a population projection variant, e.g. \"medium\"")) spec.population_variant = *v;
        if (auto v = r.boolean("productivity_growth")) spec.productivity_growth = *v;
        r.report_unknown_keys();
    }
    if (const auto* e = top.table("equilibrium")) {
        table_reader r(*e, "equilibrium", problems);
        if (auto v = r.choice("base_deficits", {"observed", "zero"})) spec.equilibrium.zero_deficit_base = *v == "zero";
        if (auto v = r.number_between("tolerance", "a convergence tolerance, e.g. 1e-10,", min_equilibrium_tolerance, 1e-2))
            spec.equilibrium.tolerance = *v;
        if (auto v = r.integer("max_iterations", "an iteration limit", 1, 1000000)) spec.equilibrium.max_iterations = *v;
        spec.equilibrium.at = position_of(e->source());
        if (const auto* thetas = r.table("trade_elasticity")) {
            for (const auto& [sector, value] : *thetas) {
                const auto v = value.value<double>();
                if (!v || !std::isfinite(*v) || *v <= 0.0 || *v > 1000.0)
                    problems.add(position_of(value.source()).str(),
                                 cat("key 'equilibrium.trade_elasticity.", sector.str(),
                                     "': expected a trade elasticity > 0 and <= 1000, got ", show(value)));
                else {
                    spec.equilibrium.trade_elasticity[std::string(sector.str())] = *v;
                    spec.equilibrium.trade_elasticity_at[std::string(sector.str())] = position_of(value.source());
                }
            }
        }
        if (auto v = r.number("trade_elasticity_scale", "a factor > 0 on every sector's trade elasticity", 0.0, 100.0))
            spec.equilibrium.trade_elasticity_scale = *v;
        r.report_unknown_keys();
    }
    if (const auto* s = top.table("summary")) {
        table_reader r(*s, "summary", problems);
        spec.summary_regions = read_label_set(r, "regions", "region");
        spec.summary_years_at = r.position("years");
        if (const toml::node* n = r.node("years")) {
            const auto* list = n->as_array();
            if (!list || list->empty())
                r.problem("years", cat("expected a non-empty list of calendar years, e.g. [2030, 2040, 2050], got ", show(*n)));
            else
                for (const auto& item : *list) {
                    const auto year = item.value_exact<std::int64_t>();
                    if (!year || *year < 1900 || *year > 2200) {
                        r.problem("years", cat("expected calendar years in [1900, 2200], got ", show(item)));
                        continue;
                    }
                    spec.summary_years.push_back(static_cast<int>(*year));
                }
            std::sort(spec.summary_years.begin(), spec.summary_years.end());
            spec.summary_years.erase(std::unique(spec.summary_years.begin(), spec.summary_years.end()), spec.summary_years.end());
        }
        r.report_unknown_keys();
    } else {
        spec.summary_regions.key = "summary.regions";
    }
    if (const auto* shocks = top.array_of_tables("final_demand_shock"))
        for (std::size_t i = 0; i < shocks->size(); ++i) {
            table_reader r(*shocks->get(i)->as_table(), cat("final_demand_shock[", i, "]"), problems);
            spec.final_demand_shocks.push_back(read_shock(r));
            r.report_unknown_keys();
        }
    read_policies<tariff_change_spec>(top, "tariff_change", spec.policies, problems,
                                      [&](table_reader& r) { return read_tariff_change(r, file); });
    read_policies<free_trade_area_spec>(top, "free_trade_area", spec.policies, problems, read_free_trade_area);
    read_policies<customs_union_spec>(top, "customs_union", spec.policies, problems, read_customs_union);
    read_policies<trade_cost_change_spec>(top, "trade_cost_change", spec.policies, problems, read_trade_cost_change);
    read_policies<productivity_change_spec>(top, "productivity_change", spec.policies, problems, read_productivity_change);
    read_policies<labour_change_spec>(top, "labour_change", spec.policies, problems, read_labour_change);
    if (const auto* banks = top.array_of_tables("development_bank"))
        for (std::size_t i = 0; i < banks->size(); ++i) {
            const std::string label = cat("development_bank[", i, "]");
            table_reader r(*banks->get(i)->as_table(), label, problems);
            development_bank_spec b = read_development_bank(r, file);
            b.key = label;
            if (b.label.empty()) b.label = label;
            b.at = position_of(r.table().source());
            r.report_unknown_keys();
            spec.development_banks.push_back(std::move(b));
        }
    report_repeated_names(spec.development_banks,
                          "each bank needs its own name (it labels the bank in the output's bank coordinate)", problems);
    read_named_tables(top, "free_movement", read_free_movement, spec.free_movement, problems,
                      "each free_movement table needs its own name (it labels the area in the output)");
    read_named_tables(top, "clearing_union", read_clearing_union, spec.clearing_unions, problems,
                      "each clearing_union table needs its own name (it labels the union in the output)");
    read_named_tables(top, "currency_union", read_currency_union, spec.currency_unions, problems,
                      "each currency_union table needs its own name (it labels the union in the output)");
    read_single_table(top, "shocks", read_shocks, spec.shocks, problems);
    read_single_table(top, "migration", read_migration, spec.migration, problems);
    if (const auto* c = top.table("channels")) {
        table_reader r(*c, "channels", problems);
        spec.channels.at = position_of(c->source());
        if (auto v = r.boolean("transfer")) spec.channels.transfer = *v;
        if (auto v = r.boolean("composition")) spec.channels.composition = *v;
        if (auto v = r.boolean("productivity")) spec.channels.productivity = *v;
        if (auto v = r.boolean("trade_cost")) spec.channels.trade_cost = *v;
        if (auto v = r.boolean("decompose")) spec.channels.decompose = *v;
        r.report_unknown_keys();
    }
    read_single_table(top, "public_capital", read_public_capital, spec.public_capital, problems);
    for (const auto& policy : spec.policies) {  // allowed, but said: a negative tariff subsidises imports
        auto subsidy = [&](const source_position& at, const std::string& key, double rate) {
            spec.warnings.push_back({at.str(), cat("key '", key, "': ", rate, " is below zero: a negative tariff is an import ",
                                                   "subsidy (the importing region pays ", -rate * 100, "% of the import value)")});
        };
        if (const auto* t = std::get_if<tariff_change_spec>(&policy); t && t->rate && *t->rate < 0.0)
            subsidy(t->rate_at, t->label + ".rate", *t->rate);
        if (const auto* u = std::get_if<customs_union_spec>(&policy))
            for (const auto& [sector, rate] : u->external_rates)
                if (rate < 0.0)
                    subsidy(u->external_rate_at.count(sector) ? u->external_rate_at.at(sector) : u->external_rates_at,
                            cat(u->label, ".external_rates.", sector), rate);
    }
    spec.has_sweep = top.node("sweep") != nullptr;  // read by sim/sweep/design.cpp; a run uses the values as written
    top.report_unknown_keys();

    if (spec.model == model_kind::input_output && !spec.policies.empty())
        problems.add(spec.model_at.str(), cat("key 'model': trade policies (", label_of(spec.policies.front()),
                                              ", ...) need model = \"trade_equilibrium\""));
    if (spec.model == model_kind::input_output && !spec.development_banks.empty())
        problems.add(spec.model_at.str(), "key 'model': development_bank needs model = \"trade_equilibrium\"");
    if (spec.model == model_kind::input_output && !spec.free_movement.empty())
        problems.add(spec.model_at.str(), "key 'model': free_movement needs model = \"trade_equilibrium\"");
    if (spec.model == model_kind::input_output && (!spec.clearing_unions.empty() || !spec.currency_unions.empty() || spec.shocks.given))
        problems.add(spec.model_at.str(), "key 'model': clearing_union, currency_union and shocks need model = \"trade_equilibrium\"");
    if (spec.model == model_kind::trade_equilibrium && !spec.final_demand_shocks.empty())
        problems.add(spec.model_at.str(), "key 'model': final_demand_shock needs model = \"input_output\"");
    spec.effective_toml = to_toml_text(doc);
    return spec;
}

const char* closure_name(clearing_closure c) {
    switch (c) {
        case clearing_closure::accounting: return "accounting";
        case clearing_closure::credit: return "credit";
        case clearing_closure::transaction_cost: return "transaction_cost";
    }
    return "?";
}

std::vector<std::size_t> resolve_regions(const label_set& set, const dataset& data, issues& out) {
    return resolve(set, data.economy.regions, data.groups, "region", out, data.economy.region_names);
}

std::vector<std::size_t> resolve_sectors(const label_set& set, const dataset& data, issues& out) {
    named_groups groups;
    const auto& e = data.economy;
    for (std::size_t s = 0; s < e.n_sectors(); ++s) groups[e.tradable[s] ? "tradable" : "non_tradable"].push_back(e.sectors[s]);
    return resolve(set, e.sectors, groups, "sector", out, e.sector_names);
}

std::vector<pipeline_row> read_pipeline(const development_bank_spec& b, const scenario_spec& spec, const dataset& data,
                                        issues& out) {
    std::vector<pipeline_row> rows;
    std::error_code ec;
    if (b.pipeline.empty() || !fs::is_regular_file(b.pipeline, ec)) return rows;  // reported by parse_scenario
    const std::string of = cat(" (", b.key, ".pipeline)");
    csv_table t;
    try {
        t = csv_table::read(b.pipeline);
    } catch (const csv_error& error) {
        out.add(error.where, error.message + of);
        return rows;
    }
    // borrower,purpose,year,amount, optionally then partner, then note (ignored).
    const std::vector<std::string> columns{"borrower", "purpose", "year", "amount"};
    const auto& header = t.header();
    const bool starts = header.size() >= columns.size() && std::equal(columns.begin(), columns.end(), header.begin());
    const bool has_partner = starts && header.size() > columns.size() && header[columns.size()] == "partner";
    const std::size_t expected_size = columns.size() + (has_partner ? 1 : 0);
    if (!(starts && (header.size() == expected_size || (header.size() == expected_size + 1 && header.back() == "note")))) {
        std::string got;
        for (const auto& h : header) got += (got.empty() ? "" : ",") + h;
        out.add(cat(b.pipeline.string(), ":1"),
                cat("expected the header 'borrower,purpose,year,amount' (optionally then ',partner' and/or ',note', in this order), got '",
                    quoted_text(got, 120), "'", of));
        return rows;
    }
    const std::size_t partner_column = columns.size();
    const auto& e = data.economy;
    const auto [first, last] = horizon(spec, data);
    const bool horizon_known = !spec.horizon_unreadable;
    const auto& purposes = pipeline_purposes();
    std::string purpose_list;
    for (const auto& p : purposes) purpose_list += (purpose_list.empty() ? "" : ", ") + p;
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
        if (out.full()) {  // only counted from here: a huge file stays cheap
            out.add({}, {});
            continue;
        }
        bool ok = true;
        pipeline_row row;
        const std::string& borrower = t.field(r, 0);
        const auto it = std::find(e.regions.begin(), e.regions.end(), borrower);
        if (it == e.regions.end()) {
            out.add(t.where(r, 0), cat("unknown region '", quoted_text(borrower), "'", suggestion(borrower, e.regions, e.region_names),
                                       "; expected a region label of dataset '", e.name, "'", of));
            ok = false;
        } else {
            row.borrower = static_cast<std::size_t>(it - e.regions.begin());
        }
        const std::string& purpose = t.field(r, 1);
        if (std::find(purposes.begin(), purposes.end(), purpose) == purposes.end()) {
            std::string close;
            for (const auto& p : purposes)
                if (edit_distance(purpose, p) <= 2) close = cat(" (did you mean ", p, "?)");
            out.add(t.where(r, 1), cat("unknown purpose '", quoted_text(purpose), "'", close, "; expected one of ", purpose_list, of));
            ok = false;
        } else {
            row.transport = purpose == "transport";
        }
        issues field;  // the CSV reader's messages about a field, with the key added
        const auto relay = [&] {
            for (const auto& i : field.list()) out.add(i.where, i.message + of);
            const bool none = field.empty();
            field = issues{};
            return none;
        };
        const auto year = t.integer(r, 2, 1900, 2200, field);
        if (!relay()) ok = false;
        if (year) {
            row.year = static_cast<int>(*year);
            if (horizon_known && (row.year < first || row.year > last)) {
                out.add(t.where(r, 2), cat("year ", row.year, " is outside the horizon ", first, "-", last, of));
                ok = false;
            } else if (!b.start_year_unreadable && row.year < b.start_year) {
                out.add(t.where(r, 2), cat("year ", row.year, " is before the bank's start_year ", b.start_year, of));
                ok = false;
            }
        }
        row.amount = t.number(r, 3, field);
        if (!relay()) {
            ok = false;
        } else if (!(row.amount > 0.0)) {
            out.add(t.where(r, 3), cat("expected an amount > 0 (approvals in ", e.unit.empty() ? "the dataset's unit" : e.unit,
                                       " at constant base-year prices), got '", quoted_text(t.field(r, 3)), "'", of));
            ok = false;
        }
        if (has_partner && !t.field(r, partner_column).empty()) {  // a cross-border corridor project
            const std::string& partner = t.field(r, partner_column);
            const auto p = std::find(e.regions.begin(), e.regions.end(), partner);
            if (p == e.regions.end()) {
                out.add(t.where(r, partner_column),
                        cat("unknown region '", quoted_text(partner), "'", suggestion(partner, e.regions, e.region_names),
                            "; expected a region label of dataset '", e.name,
                            "' (the other end of a corridor project) or an empty field", of));
                ok = false;
            } else if (it != e.regions.end() && p == it) {
                out.add(t.where(r, partner_column),
                        cat("the partner '", quoted_text(partner), "' is the borrower itself; expected another region of dataset '",
                            e.name, "' (the other end of a corridor project) or an empty field", of));
                ok = false;
            } else if (std::find(purposes.begin(), purposes.end(), purpose) != purposes.end() && purpose != "transport") {
                out.add(t.where(r, partner_column),
                        cat("a partner ('", quoted_text(partner), "') makes a cross-border corridor project, which needs purpose ",
                            "'transport', got purpose '", purpose, "'; expected an empty partner or purpose transport", of));
                ok = false;
            } else {
                row.partner = static_cast<std::size_t>(p - e.regions.begin());
            }
        }
        if (ok) rows.push_back(row);
    }
    return rows;
}

std::pair<int, int> horizon(const scenario_spec& spec, const dataset& data) {
    const int first = spec.first_year.value_or(data.economy.base_year);
    return {first, spec.last_year.value_or(first + 10)};
}

void check_against_dataset(const scenario_spec& spec, const dataset& data, issues& out) {
    const auto [first, last] = horizon(spec, data);
    const auto& e = data.economy;
    // A horizon key that failed is reported once; nothing is compared with a guessed horizon.
    const bool horizon_known = !spec.horizon_unreadable;
    if (first < e.base_year)
        out.add(spec.first_year_at.str(), cat("key 'horizon.first_year': the dataset '", e.name, "' starts in its base year ",
                                         e.base_year, ", got ", first));
    if (horizon_known && last < first)
        out.add(spec.last_year_at.str(), cat("key 'horizon.last_year': must not be before the first year ", first, ", got ", last));
    // The baseline's labour path must cover the horizon.
    auto covers = [&](const std::vector<int>& years, int from, int to) {
        for (int y = from; y <= to; ++y)
            if (std::find(years.begin(), years.end(), y) == years.end()) return false;
        return true;
    };
    auto span = [](const std::vector<int>& years) {
        return years.empty() ? std::string("no years") : cat(years.front(), "-", years.back());
    };
    if (spec.model == model_kind::trade_equilibrium && spec.population_growth && !data.population.empty() &&
        !data.population.count(spec.population_variant)) {
        std::string variants;
        for (const auto& [name, _] : data.population) variants += (variants.empty() ? "" : ", ") + name;
        out.add(spec.population_variant_at.str(), cat("key 'baseline.population_variant': dataset '", e.name, "' has no population variant '",
                    spec.population_variant, "' (it has ", variants, ")"));
    }
    // A horizon too long for the data is located at the key that set its end (a --set of it too).
    const source_position& horizon_at = spec.last_year    ? spec.last_year_at
                                        : spec.first_year ? spec.first_year_at
                                                          : spec.years_at;
    if (spec.model == model_kind::trade_equilibrium && horizon_known && last >= first) {
        if (spec.population_growth && data.population.count(spec.population_variant) &&
            !covers(data.population_years, std::min(first, e.base_year), last))
            out.add(horizon_at.str(), cat("key 'horizon': dataset '", e.name, "' has population for ",
                                             span(data.population_years), ", not for ", first, "-", last,
                                             " (or set baseline.population_growth = false)"));
        if (spec.productivity_growth && data.productivity_growth.size() > 0 &&
            !covers(data.productivity_years, e.base_year + 1, last))
            out.add(horizon_at.str(), cat("key 'horizon': dataset '", e.name, "' has productivity growth for ",
                                             span(data.productivity_years), ", not up to ", last,
                                             " (or set baseline.productivity_growth = false)"));
    }
    auto check_start = [&](const phase_in& p, const std::string& label) {
        if (horizon_known && !p.start_year_unreadable && (p.start_year < first || p.start_year > last))
            out.add(p.at.str(), cat("key '", label, ".start_year': ", p.start_year, " is outside the horizon ", first, "-", last));
    };
    for (std::size_t i = 0; i < spec.final_demand_shocks.size(); ++i) {
        const auto& s = spec.final_demand_shocks[i];
        (void)resolve_regions(s.buyers, data, out);
        (void)resolve_regions(s.origins, data, out);
        (void)resolve_sectors(s.sectors, data, out);
        check_start(s.phase, cat("final_demand_shock[", i, "]"));
    }
    if (!spec.summary_regions.at.file.empty()) (void)resolve_regions(spec.summary_regions, data, out);
    if (horizon_known)
        for (const int year : spec.summary_years)
            if (year < first || year > last)
                out.add(spec.summary_years_at.str(),
                        cat("key 'summary.years': ", year, " is outside the horizon ", first, "-", last));
    for (const auto& [sector, theta] : spec.equilibrium.trade_elasticity)
        if (std::find(e.sectors.begin(), e.sectors.end(), sector) == e.sectors.end())
            out.add(spec.equilibrium.trade_elasticity_at.count(sector) ? spec.equilibrium.trade_elasticity_at.at(sector).str()
                                                                      : spec.equilibrium.at.str(),
                    cat("key 'equilibrium.trade_elasticity.", sector, "': unknown sector '", sector, "'",
                        suggestion(sector, e.sectors, e.sector_names), "; expected one of the dataset's sectors"));
    const bool has_base_population = data.population.count(spec.population_variant) &&
                                     std::find(data.population_years.begin(), data.population_years.end(), e.base_year) !=
                                         data.population_years.end();
    for (const auto& b : spec.development_banks) {
        const auto population_key = [&](const std::string& key, const source_position& at, const char* name) {
            if (key == "population" && !has_base_population)
                out.add(at.str(), cat("key '", b.key, ".", name, "': \"population\" needs the dataset's population in its base year ",
                                      e.base_year, " (", spec.population_variant, " variant), but dataset '", e.name, "' has ",
                                      data.population.empty() ? "no population" : "not that"));
        };
        population_key(b.capital_key, b.capital_key_at, "capital_key");
        population_key(b.borrower_key, b.borrower_key_at, "borrower_key");
        (void)read_pipeline(b, spec, data, out);
        const auto members = resolve_regions(b.members, data, out);
        (void)resolve_regions(b.borrowers, data, out);
        for (const auto& [set, share] : b.bond_holders) (void)resolve_regions(set, data, out);
        if (b.bond_holders.empty()) {  // the default needs USA, EU27 and ROW
            std::string missing, defaults;
            std::size_t n_missing = 0;
            for (const auto& [label, share] : default_bond_holders()) {
                label_set set;
                set.expression = label;
                set.key = b.key + ".bond_holders";
                issues unknown;
                (void)resolve_regions(set, data, unknown);
                defaults += cat(defaults.empty() ? "" : ", ", label, " ", share);
                if (unknown.empty()) continue;
                missing += cat(missing.empty() ? "" : ", ", label);
                ++n_missing;
            }
            if (n_missing > 0) {
                std::string example, listed;
                for (std::size_t n = 0; n < e.regions.size() && n < 2; ++n)
                    example += cat(n == 0 ? "" : ", ", e.regions[n], " = ", e.regions.size() == 1 ? "1.0" : "0.5");
                for (std::size_t n = 0; n < e.regions.size() && n < 12; ++n) listed += cat(n == 0 ? "" : ", ", e.regions[n]);
                if (e.regions.size() > 12) listed += ", ...";
                out.add(b.bond_holders_at.str(),
                        cat("key '", b.key, ".bond_holders': the default bondholders (", defaults, ", the members ",
                            default_members_bond_share, ") need regions or groups USA, EU27 and ROW, but dataset '", e.name,
                            "' has no ", missing, " (its regions: ", listed, "); give bond_holders = { ... } explicitly, ",
                            "region sets with shares summing to 1, e.g. bond_holders = { ", example, " }"));
            }
        }
        if (horizon_known && !b.start_year_unreadable && (b.start_year < first || b.start_year > last))
            out.add(b.start_year_at.str(), cat("key '", b.key, ".start_year': ", b.start_year, " is outside the horizon ", first, "-", last));
        for (const auto& [region, amount] : b.capital_by_member) {
            const auto it = std::find(e.regions.begin(), e.regions.end(), region);
            const auto index = static_cast<std::size_t>(it - e.regions.begin());
            if (it == e.regions.end())
                out.add(b.capital_by_member_at.at(region).str(),
                        cat("key '", b.key, ".capital_by_member': unknown region '", region, "'",
                            suggestion(region, e.regions, e.region_names)));
            else if (std::find(members.begin(), members.end(), index) == members.end())
                out.add(b.capital_by_member_at.at(region).str(),
                        cat("key '", b.key, ".capital_by_member': '", region, "' is not a member (\"", b.members.expression, "\")"));
        }
    }
    // Instruments among members: at least two of them.
    const auto check_members = [&](const label_set& set, const std::string& key, const char* why) {
        issues names;
        const auto members = resolve_regions(set, data, names);
        if (names.empty() && !set.expression.empty() && members.size() < 2)
            out.add(set.at.str(),
                    cat("key '", key, ".members': expected at least 2 regions (", why, "), got ", members.size(), " (\"",
                        set.expression, "\"",
                        members.size() == 1 && set.expression != e.regions[members[0]] ? cat(" selects only ", e.regions[members[0]])
                                                                                         : std::string(),
                        ")"));
        out.append(names);
        return members;
    };
    for (const auto& f : spec.free_movement) {
        (void)check_members(f.members, f.key, "free movement is between members");
        check_start(f.phase, f.key);
    }
    for (const auto& c : spec.clearing_unions) {
        (void)check_members(c.members, c.key, "a clearing union nets payments between members");
        check_start(c.phase, c.key);
    }
    // A region has one currency: it can be in one currency union only.
    std::map<std::size_t, const currency_union_spec*> currency_of;
    for (const auto& c : spec.currency_unions) {
        for (const std::size_t n : check_members(c.members, c.key, "a currency is shared by members")) {
            const auto [it, fresh] = currency_of.emplace(n, &c);
            if (!fresh)
                out.add(c.members.at.str(), cat("key '", c.key, ".members': ", e.regions[n], " is already a member of ",
                                                it->second->key, " (\"", it->second->label, "\", ", it->second->members.at.str(),
                                                "); a region can be in one currency union only"));
        }
        check_start(c.phase, c.key);
    }
    if (spec.model == model_kind::trade_equilibrium && spec.shocks.given && spec.shocks.process == "data" &&
        data.cycle_persistence.size() == 0)
        out.add(spec.shocks.process_at.str(),
                cat("key 'shocks.process': \"data\" needs the dataset's business cycles (business_cycles.csv and "
                    "shock_correlation.csv in its manifest), but dataset '", e.name,
                    "' has none; use celac38 or process = \"placeholder\""));
    if (spec.shocks.given && !spec.shocks.sectors.expression.empty()) (void)resolve_sectors(spec.shocks.sectors, data, out);
    if (spec.shocks.start_year && horizon_known && (*spec.shocks.start_year < first || *spec.shocks.start_year > last))
        out.add(spec.shocks.start_year_at.str(),
                cat("key 'shocks.start_year': ", *spec.shocks.start_year, " is outside the horizon ", first, "-", last));
    if (spec.model == model_kind::trade_equilibrium && !spec.free_movement.empty() && data.migrant_stocks.size() == 0)
        out.add(spec.free_movement.front().at.str(),
                cat("key '", spec.free_movement.front().key, "': free movement needs the dataset's migrant stocks ",
                    "(migrant_stocks.csv: origin,destination,value, [files] migrant_stocks in its manifest), but dataset '",
                    e.name, "' has none; use a dataset with migrant stocks (celac38) or remove the free_movement tables"));
    if (spec.model == model_kind::trade_equilibrium && !spec.free_movement.empty() && data.migrant_stocks.size() > 0) {
        // Natives at home are the base year's residents less its immigrants: both must exist.
        const auto variant = data.population.find(spec.population_variant);
        const auto base = std::find(data.population_years.begin(), data.population_years.end(), e.base_year);
        if (variant == data.population.end() || base == data.population_years.end()) {
            out.add(spec.free_movement.front().at.str(),
                    cat("key '", spec.free_movement.front().key, "': free movement needs the dataset's ",
                        spec.population_variant, "-variant population in its base year ", e.base_year,
                        " (natives at home = residents - immigrants), but dataset '", e.name, "' has none"));
        } else {
            const Eigen::VectorXd residents = variant->second.row(base - data.population_years.begin()).transpose();
            const Eigen::VectorXd immigrants = data.migrant_stocks.colwise().sum().transpose();
            for (std::size_t d = 0; d < e.n_regions(); ++d) {
                const auto i = static_cast<Eigen::Index>(d);
                if (!(immigrants(i) < residents(i)))
                    out.add(cat(data.folder.string(), "/migrant_stocks.csv"),
                            cat("region ", e.regions[d], ": ", number_text(immigrants(i)),
                                " thousand immigrants but ", number_text(residents(i)), " thousand residents in ",
                                e.base_year, "; expected fewer immigrants than residents (free movement, key '",
                                spec.free_movement.front().key, "' at ", spec.free_movement.front().at.str(), ")"));
            }
        }
    }
    const auto& pc = spec.public_capital;
    for (const auto& [sector, share] : pc.investment_shares)
        if (std::find(e.sectors.begin(), e.sectors.end(), sector) == e.sectors.end()) {
            const auto at = pc.investment_share_at.find(sector);
            out.add((at != pc.investment_share_at.end() ? at->second : pc.investment_shares_at).str(),
                    cat("key 'public_capital.investment_shares': unknown sector '", sector, "'",
                        suggestion(sector, e.sectors, e.sector_names), "; expected one of the dataset's sectors"));
        }
    if (spec.model == model_kind::trade_equilibrium && !spec.development_banks.empty() && spec.channels.composition &&
        !pc.investment_shares_given && data.investment_shares.size() == 0)
        out.add(spec.development_banks.front().at.str(),
                cat("key '", spec.development_banks.front().key, "': the composition channel needs investment shares: give ",
                    "[public_capital] investment_shares or use a dataset with investment_shares, or set channels.composition = false ",
                    "(dataset '", e.name, "' has no investment_shares)"));
    for (const auto& policy : spec.policies) {
        check_start(phase_of(policy), label_of(policy));
        std::visit(
            [&](const auto& p) {
                using T = std::decay_t<decltype(p)>;
                if constexpr (std::is_same_v<T, tariff_change_spec> || std::is_same_v<T, trade_cost_change_spec>) {
                    (void)resolve_regions(p.importers, data, out);
                    (void)resolve_regions(p.exporters, data, out);
                    (void)resolve_sectors(p.sectors, data, out);
                } else if constexpr (std::is_same_v<T, productivity_change_spec>) {
                    (void)resolve_regions(p.regions, data, out);
                    (void)resolve_sectors(p.sectors, data, out);
                } else if constexpr (std::is_same_v<T, labour_change_spec>) {
                    (void)resolve_regions(p.regions, data, out);
                } else {
                    (void)resolve_regions(p.members, data, out);
                }
                if constexpr (std::is_same_v<T, tariff_change_spec>) {
                    if (!p.table.empty() && !data.tariff_tables.count(p.table)) {
                        std::string names;
                        for (const auto& [n, _] : data.tariff_tables) names += (names.empty() ? "" : ", ") + n;
                        out.add(p.table_at.str(), cat("key '", p.label, ".table': dataset '", e.name, "' has no tariff table '",
                                                p.table, "'", names.empty() ? std::string(" (it has none)") : " (it has " + names + ")"));
                    }
                }
                if constexpr (std::is_same_v<T, customs_union_spec>) {
                    issues ignore;
                    const auto members = resolve_regions(p.members, data, ignore);
                    // An absent or empty member is reported by parse_scenario, once.
                    if (p.external_tariff == "member" && !p.external_tariff_member.empty()) {
                        const auto it = std::find(e.regions.begin(), e.regions.end(), p.external_tariff_member);
                        const auto index = static_cast<std::size_t>(it - e.regions.begin());
                        if (it == e.regions.end())
                            out.add(p.external_tariff_member_at.str(),
                                    cat("key '", p.label, ".external_tariff_member': unknown region '", p.external_tariff_member,
                                        "'", suggestion(p.external_tariff_member, e.regions, e.region_names),
                                        "; expected a member of \"", p.members.expression, "\""));
                        else if (std::find(members.begin(), members.end(), index) == members.end())
                            out.add(p.external_tariff_member_at.str(),
                                    cat("key '", p.label, ".external_tariff_member': '", p.external_tariff_member,
                                        "' is not a member of \"", p.members.expression, "\""));
                    }
                    for (const auto& [sector, rate] : p.external_rates)
                        if (std::find(e.sectors.begin(), e.sectors.end(), sector) == e.sectors.end()) {
                            const auto at = p.external_rate_at.find(sector);
                            out.add((at != p.external_rate_at.end() ? at->second : p.external_rates_at).str(),
                                    cat("key '", p.label, ".external_rates': unknown sector '", sector, "'",
                                        suggestion(sector, e.sectors, e.sector_names), "; expected one of the dataset's sectors"));
                        }
                    if (p.external_agreements == "dissolve" && data.non_preferential_tariffs.empty())
                        out.add(p.external_agreements_at.str(), cat("key '", p.label, ".external_agreements': \"dissolve\" needs the rates ",
                                                "outsiders revert to, but dataset '", e.name, "' has no non_preferential_tariffs ",
                                                "file; use \"keep\", or \"dissolve_one_sided\" (partners keep their preferences)"));
                }
            },
            policy);
    }
}

}  // namespace integra::sim
