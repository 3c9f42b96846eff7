// Scenario files: TOML, parsed once and strictly into a typed scenario_spec.
//
// Every problem is collected and reported together, each naming file:line:col, the key,
// the value and what was expected. A scenario may `extends = "base.toml"` (a path relative
// to the file); `--set key=value` overrides are applied to the merged document and go
// through the same validation. The effective document (after extends and overrides) is
// kept as text: `integra check --print` shows it and every result file stores it.
// docs/scenarios.md documents every key.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/issues.hpp"
#include "models/development_bank.hpp"
#include "models/migration.hpp"
#include "models/public_capital.hpp"
#include "sim/data/dataset.hpp"
#include "sim/scenario/label_sets.hpp"
#include "sim/scenario/toml_reader.hpp"

namespace integra::sim {

/// When a policy is in force: 0 before `start_year`; then linear over `years` years
/// (1/years in the start year, 1 after `years` years; 0 years = a step), or, when
/// `schedule` is given, the share listed for the latest year not after the year asked.
struct phase_in {
    int start_year = 0;
    int years = 0;
    std::vector<std::pair<int, double>> schedule;  ///< (year, share in [0, 1]), years rising
    source_position at;                            ///< of start_year, for messages
    /// start_year was missing or wrong (already reported): no follow-on message compares
    /// it with the horizon.
    bool start_year_unreadable = false;
    [[nodiscard]] double share(int year) const;
};

/// A relative change of final demand (input-output model): final demand of the buyers
/// for goods of `sectors` from the origins is multiplied by 1 + change * phase share.
struct final_demand_shock {
    label_set buyers;
    label_set origins;
    label_set sectors;
    double change = 0.0;  ///< fraction, > -1 (0.10 = +10%)
    phase_in phase;
};

/// Explicit tariff edits (trade equilibrium): on the pairs importers x exporters (i != n)
/// in `sectors`, a new rate, a proportional cut, a tariff table of the dataset, or the
/// edits listed in a CSV file (importer,exporter,sector,rate).
struct tariff_change_spec {
    std::string label;
    label_set importers, exporters, sectors;
    std::optional<double> rate, cut;
    source_position rate_at;           ///< of `rate`, for messages
    std::string table;                 ///< name of a dataset tariff table, e.g. "2005"
    std::filesystem::path file;        ///< CSV of edits, relative to the scenario file
    source_position table_at;          ///< of `table`, for messages
    source_position at;
    source_position set_at;  ///< the first value of the table a --set (or a sweep) gave, if any
    phase_in phase;
};

/// Free-trade area: tariffs among members go to zero; external tariffs unchanged.
struct free_trade_area_spec {
    std::string label;
    label_set members;
    source_position at;
    source_position set_at;  ///< the first value of the table a --set (or a sweep) gave, if any
    phase_in phase;
};

/// Customs union: internal tariffs to zero and a common external tariff by rule.
struct customs_union_spec {
    std::string label;
    label_set members;
    std::string external_tariff = "trade_weighted_mean";  ///< or trade_weighted_mfn_mean, simple_mean, minimum, member, explicit
    std::string external_tariff_member;                   ///< for "member": e.g. "BRA"
    std::map<std::string, double> external_rates;         ///< for "explicit": sector -> rate
    std::string revenue = "kept";                         ///< or pooled_by_gdp, pooled_equally
    std::string external_agreements = "keep";             ///< or dissolve, dissolve_one_sided
    source_position external_tariff_member_at, external_rates_at, external_agreements_at;  ///< of each key (of the table when absent)
    std::map<std::string, source_position> external_rate_at;       ///< of each sector's rate
    source_position at;
    source_position set_at;  ///< the first value of the table a --set (or a sweep) gave, if any
    phase_in phase;
};

/// Iceberg trade costs between importers and exporters fall by `cut` or change by an
/// ad-valorem equivalent `ave`; `baseline` puts it on the baseline path (both cases).
struct trade_cost_change_spec {
    std::string label;
    label_set importers, exporters, sectors;
    std::optional<double> cut, ave;
    bool symmetric = true;
    bool baseline = false;
    source_position at;
    source_position set_at;  ///< the first value of the table a --set (or a sweep) gave, if any
    phase_in phase;
};

/// Productivity of sectors in regions changes by 1 + change (e.g. investment a development
/// bank finances), Hicks-neutral.
struct productivity_change_spec {
    std::string label;
    label_set regions, sectors;
    double change = 0.0;  ///< > -1
    source_position at;
    source_position set_at;  ///< the first value of the table a --set (or a sweep) gave, if any
    phase_in phase;
};

/// Labour endowments of regions change by 1 + change (e.g. free movement of workers).
struct labour_change_spec {
    std::string label;
    label_set regions;
    double change = 0.0;  ///< > -1
    source_position at;
    source_position set_at;  ///< the first value of the table a --set (or a sweep) gave, if any
    phase_in phase;
};

using policy_spec = std::variant<tariff_change_spec, free_trade_area_spec, customs_union_spec, trade_cost_change_spec,
                                 productivity_change_spec, labour_change_spec>;

/// A development bank owned by member states (issue 9; docs/development-bank.md): a
/// stateful instrument carried year to year, not a policy of one year. The scenario has
/// it; the baseline has none.
struct development_bank_spec {
    std::string label;   ///< `name`, or "development_bank[i]"
    std::string key;     ///< "development_bank[i]", for messages
    source_position name_at;  ///< of `name` (or the table): two banks must not share a label
    label_set members;   ///< who subscribes the capital
    double capital = 0.0;                       ///< subscribed capital, total (dataset units, e.g. US$ million)
    std::string capital_key = "gdp";            ///< gdp, equal, population, explicit
    std::map<std::string, double> capital_by_member;           ///< for "explicit": region -> amount
    std::map<std::string, source_position> capital_by_member_at;
    source_position capital_key_at;
    double paid_in_share = 0.20;
    /// The share of the paid-in capital paid in each year from start_year (sums to 1);
    /// empty: the default of models::bank_capital (five equal instalments).
    std::vector<double> paid_in_schedule;
    source_position paid_in_schedule_at;
    // The lending rule: exactly one of the four.
    std::optional<double> lending_envelope;          ///< approvals per year (dataset units)
    std::optional<double> lending_share_of_gdp;      ///< or: a share of the members' GDP per year
    bool lending_capacity = false;                   ///< or: lending = "capacity", as much as capital allows
    std::filesystem::path pipeline;                  ///< or: a pipeline CSV (borrower,purpose,year,amount[,partner][,note]), relative to the scenario file
    source_position pipeline_at;
    /// The share of keyed approvals that are transport projects, in [0, 1] (not with a pipeline).
    double transport_share = 0.0;
    label_set borrowers;                        ///< default: the members
    std::string borrower_key = "gdp";           ///< gdp, equal, population
    source_position borrower_key_at;
    int start_year = 0;
    bool start_year_unreadable = false;
    source_position start_year_at;
    // Optional overrides of models::bank_terms (the defaults there).
    std::optional<int> grace_years, maturity_years;
    std::optional<double> lending_spread, funding_rate, min_equity_to_loans;
    std::optional<double> liquid_asset_rate, expected_loss, operating_cost_rate, liquidity_share, max_gearing, inflation;
    std::optional<double> dividend_share;  ///< in [0, 1]: the share of positive net income paid to the members
    std::optional<models::bank_terms::liquidity_base> liquidity_rule;
    std::optional<models::bank_terms::capital_rule_kind> capital_rule;
    std::vector<double> disbursement_profile;  ///< empty: the default of models::bank_terms
    source_position terms_at;  ///< of maturity_years (or the table), for grace/maturity messages
    /// Bondholders: region set -> share (sums to 1), spread within each set by GDP. Empty:
    /// the default USA 0.35, EU27 0.35, ROW 0.20, the members 0.10 (policy-modules D.A 7(a)),
    /// which needs those three labels in the dataset (check_against_dataset says so).
    std::vector<std::pair<label_set, double>> bond_holders;
    source_position bond_holders_at;
    source_position at;
};

/// The bondholders of a bank without `bond_holders` (policy-modules D.A 7(a), an assumption
/// [M]): these region sets with these shares, and the bank's members the rest
/// (default_members_bond_share). The labels must be regions or groups of the dataset.
inline const std::vector<std::pair<std::string, double>>& default_bond_holders() {
    static const std::vector<std::pair<std::string, double>> holders{{"USA", 0.35}, {"EU27", 0.35}, {"ROW", 0.20}};
    return holders;
}
inline constexpr double default_members_bond_share = 0.10;

/// The pipeline's project purposes (a pipeline CSV's `purpose` column); only "transport"
/// feeds transport capital (the trade-cost channel).
inline const std::vector<std::string>& pipeline_purposes() {
    static const std::vector<std::string> purposes{"transport", "energy", "social", "productive", "other"};
    return purposes;
}

/// One row of a bank's pipeline CSV, resolved against the dataset.
struct pipeline_row {
    std::size_t borrower = 0;  ///< region index
    int year = 0;
    double amount = 0.0;       ///< > 0, the dataset's unit at constant base-year world prices
    bool transport = false;    ///< purpose "transport"
    /// A corridor project's other end (the `partner` column, region index): the project
    /// lowers the trade costs between the borrower and the partner only. Only with
    /// purpose "transport"; never the borrower. Nothing: a project of the borrower alone.
    std::optional<std::size_t> partner;
};

/// [public_capital]: the parameters of the productivity and trade-cost channels and the
/// sector shares of project spending (the composition channel).
struct public_capital_spec {
    models::public_capital_settings settings;
    /// investment_shares = { sector = share }: sums to 1; sectors not listed get 0; the
    /// same for every region. Empty: not given (the dataset's, if it has them).
    std::map<std::string, double> investment_shares;
    std::map<std::string, source_position> investment_share_at;  ///< where each was given
    source_position investment_shares_at;
    bool investment_shares_given = false;  ///< the key is there (right or wrong: wrong ones are reported)
    source_position at;  ///< of the [public_capital] table
};

/// The default phase-in of a free_movement table (years), and its default cost cut [M]
/// (policy-modules D.C 6: 5-10 years; x = 0.20, range 0.05-0.5).
inline constexpr int default_free_movement_phase_in_years = 10;
inline constexpr double default_free_movement_cost_cut = 0.20;

/// Free movement of workers among members (issue 13; docs/free-movement.md): the migration
/// costs between every pair of members fall by `cost_cut`, phased in (mu-hat = 1 - s x at
/// phase share s). Several may coexist and overlap: a pair in force in several takes the
/// largest cut (docs/scenarios.md). A stateful instrument of the scenario; the baseline has none.
struct free_movement_spec {
    std::string label;        ///< `name`, or "free_movement[i]"
    std::string key;          ///< "free_movement[i]", for messages
    source_position name_at;  ///< of `name` (or the table): two tables must not share a label
    label_set members;        ///< at least 2 regions (checked against the dataset)
    double cost_cut = default_free_movement_cost_cut;  ///< x in [0, 1): the cut in migration costs between members at full phase-in [M]
    source_position cost_cut_at;
    phase_in phase;           ///< phase_in_years defaults to 10
    source_position at;
    source_position set_at;  ///< the first value of the table a --set (or a sweep) gave, if any
};

/// [migration]: the parameters of the migration response (models/migration.hpp for the
/// defaults), read whether or not there is free movement.
struct migration_spec {
    models::migration_settings settings;
    /// Calibrate each origin's remittance share to the dataset's remittances received where
    /// it has them (settings.remittance_share elsewhere).
    bool calibrate_remittances = true;
    source_position at;  ///< of the [migration] table
};

/// How a clearing union reaches the real economy (policy-modules D.B.1 eq. 6).
enum class clearing_closure {
    accounting,        ///< (i) none: what was netted and the hard currency saved are reported
    credit,            ///< (ii) balances within the margin finance deficits (counterpart at the creditors)
    transaction_cost,  ///< (iii) cheaper conversion lowers trade costs among members
};
[[nodiscard]] const char* closure_name(clearing_closure c);

/// A clearing union (issue 10; docs/currency.md): members settle their trade with each other
/// in a unit of account, net it multilaterally each settlement period and pay in hard
/// currency only what exceeds their credit margin (SUCRE, ALADI's CCR, the EPU).
struct clearing_union_spec {
    std::string label;        ///< `name`, or "clearing_union[i]"
    std::string key;          ///< "clearing_union[i]", for messages
    source_position name_at;
    label_set members;        ///< at least 2 regions
    std::string unit = "unit of account";  ///< the unit's name ("XSU" for the sucre), recorded as is
    double uptake = 0.5;      ///< u: share of intra-union imports channelled at full phase-in, [0, 1] [V range]
    int periods_per_year = 2; ///< settlement periods a year, 1-12 (SUCRE 2, ALADI 3, EPU 12)
    double quota_share = 0.2; ///< q_n as a share of a period's intra-union imports, (0, 1] (SUCRE 20%)
    double margin = 1.0;      ///< mu: credit margin as a multiple of the quota, [0, 10]
    double charge = 0.0;      ///< c: yearly charge on balances above 1/4 and 1/2 of quota, [0, 0.2] [M]
    clearing_closure closure = clearing_closure::accounting;
    double transaction_cost_saving = 0.01;  ///< c_tx: conversion cost saved per unit channelled, [0, 0.1]
    double over_invoicing = 0.0;  ///< channelled exports above customs exports, a markup >= 0 (the 2013 SUCRE cases)
    phase_in phase;           ///< of the uptake; phase_in_years defaults to 0
    source_position at, set_at;
};

/// The trade effect of a currency union and its default conversion (policy-modules D.B.2).
inline constexpr double default_currency_trade_effect = 0.10;
inline constexpr double default_currency_trade_elasticity = 4.55;
inline constexpr int default_currency_phase_in_years = 5;

/// A currency union (issue 10; docs/currency.md): members replace their currencies with a
/// common one. Gains: trade costs among members fall by (1 + g)^(-1/theta), phased in.
/// Costs: no exchange rate absorbs a member's shocks, and nominal wages cannot fall faster
/// than max_wage_fall a year, so a member hit hard loses employment.
struct currency_union_spec {
    std::string label, key;
    source_position name_at;
    label_set members;
    double trade_effect = default_currency_trade_effect;          ///< g: rise of member-pair trade, [0, 3]
    double trade_elasticity = default_currency_trade_elasticity;  ///< theta-bar for the conversion, (0, 20]
    bool wage_rigidity = true;    ///< downward nominal wage rigidity (the cost of the union)
    double max_wage_fall = 0.02;  ///< 1 - gamma_w: the largest fall of nominal wages a year, [0, 1) [M]
    double inflation = 0.02;      ///< pi: the union's inflation of nominal wages along the baseline, [-0.05, 0.2] [M]
    double fiscal_transfer = 0.0; ///< phi_f: share of a member's income loss the union offsets, [0, 1]
    phase_in phase;               ///< of the trade effect; phase_in_years defaults to 5
    source_position at, set_at;
};

/// [shocks]: tradable-productivity shocks, an AR(1) per region with correlated innovations
/// (policy-modules D.B.2, Costs 1). They hit the baseline (a world of floating exchange
/// rates) and the scenario alike; run over seeds in a sweep for their distribution.
struct shocks_spec {
    bool given = false;           ///< the table is there
    std::int64_t seed = 1;        ///< >= 0
    std::string process = "data"; ///< "data" (the dataset's business_cycles) or "placeholder"
    double persistence = 0.7;     ///< rho, placeholder only [M]
    double volatility = 0.03;     ///< sigma, placeholder only [M]
    double correlation = 0.2;     ///< pairwise correlation, placeholder only [M]
    double scale = 1.0;           ///< multiplies every sigma, [0, 10]
    /// The sectors the shocks hit (required); celac38's estimates are for goods
    /// (agriculture, mining and utilities, manufacturing: ISIC A-E).
    label_set sectors;
    std::optional<int> start_year;  ///< the first year with a shock (default: the second year of the horizon)
    source_position at, process_at, correlation_at, start_year_at;
};

/// Which channels of a development bank reach the economy (issue 9; policy-modules D.A 7).
struct channel_settings {
    bool transfer = true;      ///< (a) the bank's net flows change each region's deficit
    bool composition = true;   ///< (b) disbursements are investment demand with the shares beta
    bool productivity = true;  ///< (c) bank-built public capital raises value-added productivity
    bool trade_cost = true;    ///< (d) transport capital lowers the trade costs of the borrower's routes
    /// Solve the scenario once more per channel in force (cumulatively, in the order above)
    /// and record each channel's share of the welfare and GDP-volume effects.
    bool decompose = false;
    source_position at;  ///< of the [channels] table
};

/// The highest tariff a scenario may set (tariff_change.rate, customs_union.external_rates):
/// 10 = 1000%, the ceiling of the dataset reader (docs/dataset-format.md).
inline constexpr double max_tariff_rate = 10.0;
/// The range of a development bank's funding_rate and liquid_asset_rate, and the highest
/// lending_spread (fractions per year): above 50% a year no bank lends or borrows.
inline constexpr double min_bank_rate = -0.1;
inline constexpr double max_bank_rate = 0.5;
/// The lowest equilibrium.tolerance: below it the residual stagnates at the rounding
/// error of the trade balances instead of converging.
inline constexpr double min_equilibrium_tolerance = 1e-14;

enum class model_kind { input_output, trade_equilibrium };

struct equilibrium_settings {
    bool zero_deficit_base = false;  ///< calibrate the base year to zero deficits first (CP 2015)
    double tolerance = 1e-10;        ///< on max_n |trade imbalance_n| / VA_n
    int max_iterations = 1000;
    /// Trade elasticity theta^j by sector name, replacing the dataset's value; the
    /// dataset's for every sector not listed.
    std::map<std::string, double> trade_elasticity;
    std::map<std::string, source_position> trade_elasticity_at;  ///< where each was given
    /// Multiplies every sector's trade elasticity (after trade_elasticity), > 0.
    double trade_elasticity_scale = 1.0;
    source_position at;  ///< of the [equilibrium] table, for messages
};

struct scenario_spec {
    std::filesystem::path file;  ///< the file given on the command line
    std::string name;            ///< output name; defaults to the file's stem
    std::string description;
    std::string dataset;  ///< embedded dataset name or folder path
    source_position dataset_at;
    model_kind model = model_kind::trade_equilibrium;
    source_position model_at;
    std::optional<int> first_year;  ///< default: the dataset's base year
    std::optional<int> last_year;   ///< default: first_year + 10
    source_position years_at;
    source_position first_year_at, last_year_at;  ///< of each key, or of [horizon] when absent
    /// horizon.first_year or last_year was given but wrong (already reported): the
    /// horizon is unknown, so nothing is checked against it.
    bool horizon_unreadable = false;

    // Input-output model.
    double final_demand_growth = 0.0;  ///< baseline growth of all final demand, fraction per year
    std::vector<final_demand_shock> final_demand_shocks;

    // Trade equilibrium.
    equilibrium_settings equilibrium;
    bool population_growth = true;     ///< baseline: labour follows the dataset's population path
    std::string population_variant = "medium";  ///< which projection variant ("medium", "low", "high")
    source_position population_variant_at;
    bool productivity_growth = true;   ///< baseline: and its labour-productivity path
    std::vector<policy_spec> policies;
    std::vector<development_bank_spec> development_banks;
    channel_settings channels;
    public_capital_spec public_capital;
    std::vector<free_movement_spec> free_movement;
    migration_spec migration;
    std::vector<clearing_union_spec> clearing_unions;
    std::vector<currency_union_spec> currency_unions;
    shocks_spec shocks;

    label_set summary_regions;  ///< regions in the terminal summary
    /// summary.years: the years of the terminal summary, sorted, no repeats (empty: the
    /// default, the horizon and a midpoint); checked against the horizon by check_against_dataset.
    std::vector<int> summary_years;
    source_position summary_years_at;
    /// Allowed but worth a second look (a negative tariff: an import subsidy), each with
    /// its position; the command line prints them on stderr, the run goes ahead.
    std::vector<issue> warnings;
    bool has_sweep = false;     ///< the document has a [sweep] table (sim/sweep/design.hpp)
    std::string effective_toml;  ///< the document after extends and overrides
};

/// Reads `file` (following `extends`) and applies `overrides` ("key=value", dotted keys,
/// array elements by index: "tariff_change.0.rate=0.05"). Appends every problem with
/// a value to `out`; throws invalid_input only when the document cannot be read at all
/// (missing file, TOML syntax error, a cycle of `extends`).
[[nodiscard]] scenario_spec read_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                                          issues& out);

/// The scenario held in `doc` (a document from read_document, possibly with further
/// values set by a sweep), read as if from `file`. Appends every problem to `out`.
[[nodiscard]] scenario_spec parse_scenario(const toml::table& doc, const std::filesystem::path& file, issues& out);

/// Checks the parts of a scenario that depend on the dataset: region, group and sector
/// names, tariff tables, years against the base year. Appends every problem to `out`.
/// (The policies' values and their contradictions are checked by load_scenario in
/// sim/runner.hpp, once these names are right.)
void check_against_dataset(const scenario_spec& spec, const dataset& data, issues& out);

/// The pipeline CSV of `bank` (rule pipeline) read against the dataset and the horizon:
/// every row, or the problems, each naming the CSV file, its line, the column, the value
/// and what was expected. Nothing when the bank has no pipeline or its file is missing
/// (parse_scenario reports that).
[[nodiscard]] std::vector<pipeline_row> read_pipeline(const development_bank_spec& bank, const scenario_spec& spec,
                                                      const dataset& data, issues& out);

/// Region and sector sets resolved against a dataset (sectors know the group "tradable").
[[nodiscard]] std::vector<std::size_t> resolve_regions(const label_set& set, const dataset& data, issues& out);
[[nodiscard]] std::vector<std::size_t> resolve_sectors(const label_set& set, const dataset& data, issues& out);

/// The first and last year a scenario runs on this dataset.
[[nodiscard]] std::pair<int, int> horizon(const scenario_spec& spec, const dataset& data);

/// The label of a policy ("customs_union[0]") and its phase-in.
[[nodiscard]] const std::string& label_of(const policy_spec& p);
[[nodiscard]] const phase_in& phase_of(const policy_spec& p);
/// Where the policy's table starts in the scenario file.
[[nodiscard]] const source_position& position_of(const policy_spec& p);
/// Where a problem of the policy as a whole (its values together, a contradiction with
/// another policy) is located: the first --set that changed it, else its table.
[[nodiscard]] const source_position& problem_position(const policy_spec& p);

}  // namespace integra::sim
