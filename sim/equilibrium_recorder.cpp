#include "sim/equilibrium_recorder.hpp"

#include <algorithm>
#include <cmath>

#include "models/business_cycle.hpp"
#include "models/calibration.hpp"
#include "models/national_accounts.hpp"
#include "models/migration.hpp"
#include "models/public_capital.hpp"
#include "models/trade_policy.hpp"
#include "models/welfare_decomposition.hpp"
#include "sim/runner_internal.hpp"

namespace integra::sim {

using Eigen::Index;
using Eigen::VectorXd;

namespace {
const std::vector<std::string> cyr{"case", "year", "region"}, cyrs{"case", "year", "region", "sector"},
    yr{"year", "region"}, yrs{"year", "region", "sector"}, yrp{"year", "region", "partner"};
}  // namespace

// Every output, in the order of the file.
struct equilibrium_recorder::outputs {
    outputs(const result_set& d, const std::string& money, const std::string& real, bool blocs, bool banks)
        : gdp_volume(d, "gdp_volume", cyr, "1",
                     "GDP volume at base-year prices (1 in the base year): double-deflated value added, gross output at "
                     "base-year producer prices (value / (c-hat / A-hat), Caliendo & Parro 2015 eqs. 2, 4, 10) less "
                     "intermediate inputs at base-year purchasers' prices (value / P-hat^k, eq. 11), a fixed-base Laspeyres "
                     "index (SNA 2008 ch. 15; Kehoe & Ruhl 2008: terms of trade do not move it to first order); what is produced"),
          real_income(d, "real_income", cyr, real,
                      "real income, the welfare measure of Caliendo & Parro (2015): W = I / P, final absorption "
                      "I = VA + tariff revenue received + deficit deflated by the region's consumer price index (eq. 5); what "
                      "households can buy"),
          gdp(d, "gdp", cyr, money, "nominal GDP at basic prices (value added, w L)"),
          gdp_market_prices(d, "gdp_market_prices", cyr, money,
                            "nominal GDP at market prices: value added + tariff revenue collected (SNA 2008 ch. 6: taxes "
                            "on products; Caliendo & Parro 2015 R_n)"),
          cpi(d, "consumer_price_index", cyr, "1", "consumer price index relative to the baseline world average (base year = 1)"),
          real_wage(d, "real_wage_index", cyr, "1",
                    "real wage per person: wage x labour productivity / consumer price index (base year = 1); "
                    "w / P, decomposed by Caliendo & Parro (2015) eq. 15"),
          exports(d, "exports", cyr, money, "exports at world prices"),
          imports(d, "imports", cyr, money, "imports at world prices (before tariffs)"),
          revenue(d, "tariff_revenue", cyr, money, "tariff revenue collected"),
          gross_output(d, "gross_output", cyrs, money, "gross output"),
          value_added(d, "value_added", cyrs, money, "value added"),
          trade(d, "trade", {"case", "year", "exporter", "importer", "sector"}, money,
                "bilateral trade at world prices, zero within a region"),
          welfare(d, "welfare_change", yr, "1",
                  "exact welfare change, scenario vs baseline: real income W = I / P (Caliendo & Parro 2015; eq. 16 is "
                  "its first-order decomposition), ratio - 1 (0.01 = 1%)"),
          linearized(d, "welfare_change_linearized", yr, "1",
                     "first-order welfare change: terms of trade + volume of trade (Caliendo & Parro 2015, eq. 16, as in their Table 2) + pooled-revenue transfer"),
          tot(d, "terms_of_trade_effect", yr, "1", "terms-of-trade effect (Caliendo & Parro 2015, eq. 16)"),
          vot(d, "volume_of_trade_effect", yr, "1", "volume-of-trade effect (Caliendo & Parro 2015, eq. 16)"),
          transfer(d, "revenue_transfer_effect", yr, "1",
                   "net tariff revenue received from a customs union's pool, share of base absorption (zero when revenue is kept)"),
          real_wage_change(d, "real_wage_change", yr, "1",
                           "real wage change w-hat / P-hat, scenario vs baseline (Caliendo & Parro 2015, eq. 15)"),
          gdp_volume_change(d, "gdp_volume_change", yr, "1",
                            "GDP volume at base-year prices, scenario / baseline - 1: the change of what is produced, "
                            "not of what can be bought (see welfare_change)"),
          wage_change(d, "wage_change", yr, "1", "nominal wage change, scenario vs baseline (numeraire: world value added)"),
          price_index_change(d, "price_index_change", yr, "1",
                             "consumer price index change, scenario vs baseline (Caliendo & Parro 2015, eq. 5)"),
          input_cost_change(d, "input_cost_change", yrs, "1",
                            "input-bundle cost change, scenario vs baseline (Caliendo & Parro 2015, eq. 10)"),
          sector_price_change(d, "sector_price_change", yrs, "1",
                              "sectoral price index change, scenario vs baseline (Caliendo & Parro 2015, eq. 11)"),
          expenditure(d, "expenditure", cyrs, money, "spending on each sector's goods, tariffs included"),
          trade_share(d, "trade_share", {"case", "year", "importer", "exporter", "sector"}, "1",
                      "share of the importer's spending on the sector that goes to the exporter, tariffs included (eq. 12)"),
          tot_partner(d, "terms_of_trade_by_partner", yrp, "1", "terms-of-trade effect by partner (Caliendo & Parro 2015, eq. 17)"),
          vot_partner(d, "volume_of_trade_by_partner", yrp, "1", "volume-of-trade effect by partner (Caliendo & Parro 2015, eq. 18)"),
          import_change(d, "import_change_by_partner", yrp, "1",
                        "change of imports from each partner at world prices, scenario vs baseline (NaN where none)"),
          tot_sector(d, "terms_of_trade_by_sector", yrs, "1", "terms-of-trade effect by sector (Caliendo & Parro 2015, eq. 19)"),
          vot_sector(d, "volume_of_trade_by_sector", yrs, "1", "volume-of-trade effect by sector (Caliendo & Parro 2015, eq. 20)"),
          iterations(d, "solver_iterations", {"case", "year"}, "1", "equilibrium solver: wage iterations"),
          residual(d, "solver_residual", {"case", "year"}, "1", "equilibrium solver: final max |trade imbalance| / value added") {
        if (banks) add_bank_series(d, money);
        if (!blocs) return;
        bloc_member.emplace_back(d, "bloc_member", std::vector<std::string>{"bloc", "region"}, "1",
                                 "1 if the region is a member of the bloc");
        bloc_member.emplace_back(d, "intra_bloc_trade_share", std::vector<std::string>{"case", "year", "bloc"}, "1",
                                 "share of members' imports that come from members");
        bloc_member.emplace_back(d, "intra_bloc_import_change", std::vector<std::string>{"year", "bloc"}, money,
                                 "change of members' imports from members, scenario vs baseline");
        bloc_member.emplace_back(d, "extra_bloc_import_change", std::vector<std::string>{"year", "bloc"}, money,
                                 "change of members' imports from non-members, scenario vs baseline");
    }

    series gdp_volume, real_income, gdp, gdp_market_prices, cpi, real_wage, exports, imports, revenue;  // case, year, region
    series gross_output, value_added, trade;                                                            // ..., sector
    series welfare, linearized, tot, vot, transfer, real_wage_change, gdp_volume_change,                 // year, region
        wage_change, price_index_change;
    series input_cost_change, sector_price_change, expenditure, trade_share, tot_partner, vot_partner, import_change,
        tot_sector, vot_sector, iterations, residual;
    std::vector<series> bloc_member;  ///< membership, intra-bloc share, intra and extra import changes (if any bloc)
    std::vector<series> bank, bank_region;  ///< development banks (docs/development-bank.md): over (bank, year), (bank, year, region)

    // The development banks' outputs, in this order (record() fills them by index).
    enum bank_output { loans, equity, bonds, liquid, approvals, disbursed, repaid, interest, ratio, headroom, constrained,
                       net_income, paid_in, callable, retained, issuance, undisbursed, dividends, n_bank_outputs };
    enum bank_region_output { r_loans, r_approvals, r_disbursed, r_repaid, r_interest, r_paid_in, r_net_flow, r_debt,
                              r_dividends, n_bank_region_outputs };
    /// Over (year, region), all banks together: project spending, public capital, its change.
    enum projects_output { p_spending, p_transport, p_capital, p_capital_change, p_transport_change, p_route_cost,
                           p_consumption, n_projects_outputs };
    std::vector<series> projects, by_channel;  ///< by_channel: welfare, GDP volume over (channel, year, region)
    std::vector<series> corridors;             ///< corridor_cost_change over (year, region, partner), if any corridor
    std::vector<series> migration;             ///< free movement (issue 13), in add_migration_series' order
    std::vector<series> currency, clearing;    ///< issue 10, in add_currency_series' / add_clearing_series' order
    std::vector<series> shocks;                ///< [shocks]: z over (year, region)
    void add_bank_series(const result_set& d, const std::string& money) {
        const std::vector<std::string> by{"bank", "year"}, byr{"bank", "year", "region"};
        const std::string stock = money.substr(0, money.find("/year")) + money.substr(money.find("/year") + 5);
        auto b = [&](const char* name, const std::string& units, const char* text, double fill = 0.0) {
            bank.emplace_back(d, name, by, units, text, fill);
        };
        b("bank_loans", stock, "the bank's loans outstanding at the end of the year (disbursed, not repaid)");
        b("bank_equity", stock, "the bank's equity at the end of the year: paid-in capital + retained earnings");
        b("bank_bonds", stock, "the bank's bonds outstanding at the end of the year");
        b("bank_liquid_assets", stock,
          "the bank's liquid assets at the end of the year (at least the liquidity floor; equity not lent is held here)");
        b("bank_approvals", money, "loans approved (signed) in the year, after the capital rule");
        b("bank_disbursements", money, "loans disbursed in the year");
        b("bank_repayments", money, "principal repaid in the year");
        b("bank_interest", money, "interest the borrowers paid in the year");
        b("bank_equity_to_loans", "1", "equity / loans at the end of the year (NaN without loans)", std::nan(""));
        b("bank_headroom", money, "what more the capital rule would have let the bank approve in the year");
        b("bank_capital_constrained", "1", "1 if the year's requests exceeded what the capital rule allowed (granted pro rata)");
        b("bank_net_income", money, "the bank's net income in the year (retained)");
        auto r = [&](const char* name, const std::string& units, const char* text) {
            bank_region.emplace_back(d, name, byr, units, text);
        };
        r("bank_loans_by_borrower", stock, "each borrower's loans outstanding with the bank at the end of the year");
        r("bank_approvals_by_borrower", money, "loans approved to each borrower in the year");
        r("bank_disbursements_by_borrower", money, "loans disbursed to each borrower in the year");
        r("bank_repayments_by_borrower", money, "principal each borrower repaid in the year");
        r("bank_interest_by_borrower", money, "interest each borrower paid in the year");
        r("bank_paid_in_by_member", money, "capital each member paid in during the year");
        r("bank_deficit_change", money,
          "the region's net receipts from the bank and its counterparts (bondholders, issuers of its liquid assets, "
          "suppliers): the change of its deficit in the scenario through the transfer channel (sums to zero over regions)");
        r("bank_debt_to_gdp", "1", "each borrower's loans outstanding with the bank at the end of the year / its baseline GDP");
        b("bank_paid_in_capital", stock, "capital the members have paid in, cumulated, at the end of the year");
        b("bank_callable_capital", stock,
          "callable capital: the part of the subscriptions not to be paid in, from the bank's first year (off the balance "
          "sheet; counts in the gearing rule only; paid-in instalments not yet due are in neither)");
        b("bank_retained_earnings", stock, "net income retained since the bank opened, at the end of the year");
        b("bank_bond_issuance", money, "net bonds issued in the year (negative: bonds retired)");
        b("bank_undisbursed", stock, "loans signed and not yet disbursed (undisbursed commitments) at the end of the year");
        b("bank_dividends", money, "net income paid out to the members in the year (dividend_share of a positive net income)");
        r("bank_dividends_by_member", money, "dividends each member received in the year, by its paid-in capital");
        auto p = [&](const char* name, const std::string& units, const char* text) {
            projects.emplace_back(d, name, yr, units, text);
        };
        p("project_spending", money,
          "the development banks' disbursements in the year, spent on investment with the sector shares beta "
          "(composition channel; policy-modules D.A 7(b))");
        p("transport_project_spending", money, "the part of project_spending that finances transport projects");
        p("public_capital_added", stock,
          "public capital the banks' projects have added by the end of the year: K_{t+1} = (1 - delta) K_t + phi I_t "
          "(policy-modules D.A 7(c))");
        p("public_capital_change", "1",
          "public capital in use in the year relative to the baseline's, K-hat = 1 + K^bank / (k GDP^baseline), without "
          "transport capital when channels.trade_cost is on (it works through trade costs then); value-added "
          "productivity is K-hat^eta (productivity channel)");
        p("transport_capital_change", "1",
          "transport capital in use relative to the baseline's, 1 + K^bank,T / (s_T k GDP^baseline)");
        p("route_cost_change", "1",
          "kappa-hat = max(1 - cap, 1 - psi (transport_capital_change - 1)): the change of trade costs on every route with "
          "the region at either end (trade-cost channel; 1 when channels.trade_cost = false)");
        p("real_consumption_change", "1",
          "real consumption, scenario vs baseline: (I - G) / P, final absorption less the banks' project spending G (with "
          "the composition channel on; otherwise G is consumed), deflated by the consumer price index; unlike "
          "welfare_change it does not count borrowed investment as a gain in the year it is spent");
    }
    void add_migration_series(const result_set& d, const std::string& money) {
        const std::vector<std::string> cyrp{"case", "year", "region", "partner"};
        auto m = [&](const char* name, const std::vector<std::string>& dims, const std::string& units, const char* text) {
            migration.emplace_back(d, name, dims, units, text);
        };
        m("population", cyr, "thousand persons", "people living in the region (residents): the baseline's follow the dataset's projection");
        m("migrant_stocks", cyrp, "thousand persons",
          "people born in region (origin) living in partner (residence); the diagonal holds the natives at home");
        m("migration_flows", yrp, "thousand persons",
          "the year's net moves from region (origin) to partner (residence) that free movement causes: the change of "
          "the scenario's stocks less the baseline's");
        m("remittances", cyrp, money, "remittances region (origin) receives from its people in partner (residence): r_o x "
                                   "their labour income (policy-modules D.C eq. 5)");
        m("real_income_per_capita_change", yr, "1",
          "real income per resident, scenario vs baseline: (I / P) / population - 1; equal to welfare_change when nobody moves");
        m("welfare_per_origin", yr, "1",
          "welfare change of a person born in the region wherever they live: the Frechet expected utility "
          "(sum_d m_od (w-hat_d / mu-hat_od)^kappa)^(1/kappa) - 1 with the baseline's shares m (stayers and movers "
          "together; the welfare of the full re-sorting, which partial adjustment reaches over time)");
        m("welfare_stayers", yr, "1",
          "welfare change of the region's natives who live at home, their real wage change w-hat / P-hat (for a "
          "receiving region: its natives)");
        m("welfare_movers", yr, "1",
          "welfare change of the region's people living abroad, weighted by where they live: w-hat_d / mu-hat_od - 1, "
          "the real wage where they live and the cut in the migration cost (utility-equivalent, as in the location "
          "choice); NaN without movers");
        m("labour", cyr, "thousand persons",
          "effective labour living in the region: natives one for one, movers at mover_productivity (policy-modules "
          "D.C eq. 4)");
        m("remittance_share", {"region"}, "1",
          "r_o: the share of the region's movers' labour income sent home; calibrated to the dataset's remittances for "
          "members of a free-movement area where the implied share is at most 0.3, else the median calibrated share");
        m("remittance_share_calibrated", {"region"}, "1", "1 if remittance_share was calibrated to the data, 0 if the fallback");
    }
    // Currency unions (docs/currency.md), in this order (record() fills them by index).
    enum currency_output { c_member, c_cost, c_floor, c_relative, c_binding, c_unemployment, c_transfer, c_growth_corr,
                           c_gap_vol, c_intensity, c_dissimilarity, n_currency_outputs };
    void add_currency_series(const result_set& d, const std::string& money) {
        const std::vector<std::string> rp{"region", "partner"};
        auto c = [&](const char* name, const std::vector<std::string>& dims, const std::string& units, const char* text,
                     double fill = 0.0) { currency.emplace_back(d, name, dims, units, text, fill); };
        c("currency_union_member", {"currency_union", "region"}, "1", "1 if the region uses the union's currency");
        c("currency_trade_cost_change", {"currency_union", "year"}, "1",
          "kappa-hat between members: (1 + s g)^(-1/theta-bar) at phase share s (policy-modules B2.2), 1 before the union",
          1.0);
        c("wage_floor", yr, "1",
          "the lowest wage change a member may have relative to its union's wage index this year: last year's relative "
          "wage x gamma_w / ((1 + pi) x the union's trend wage growth x its relative wage growth under the float) "
          "(policy-modules D.B.2 eq. 2); NaN without a floor",
          std::nan(""));
        c("relative_wage", yr, "1",
          "omega: a member's wage change, scenario vs baseline, relative to its union's wage index (value-added weights); "
          "NaN outside unions",
          std::nan(""));
        c("wage_floor_binding", yr, "1", "1 if the member's wage is held at its floor (and employment falls), else 0; NaN "
                                        "without a floor",
          std::nan(""));
        c("unemployment_rate", yr, "1",
          "1 - employment / labour force in the scenario: where the market-clearing wage is below the floor, employment "
          "falls until the labour market clears (a complementarity problem in the equilibrium); 0 under a float");
        c("fiscal_transfer", yr, money,
          "union transfer received: -phi_f (y_n - y-bar) GDP_n with y_n last year's employment gap e_n - 1 (policy-modules "
          "D.B.2 Costs 3; sums to zero over members)");
        c("oca_growth_correlation", rp, "1",
          "correlation of real GDP growth (dlog) over the dataset's output history (optimum-currency-area criterion; "
          "Frankel & Rose 1998)", std::nan(""));
        c("oca_growth_gap_volatility", rp, "1",
          "standard deviation of the growth difference SD(dy_i - dy_j) over the output history (Bayoumi & Eichengreen "
          "1997's asymmetric-shock term)", std::nan(""));
        c("oca_trade_intensity", rp, "1",
          "bilateral trade (both directions) / the pair's GDP, base year (Bayoumi & Eichengreen 1997)", std::nan(""));
        c("oca_export_dissimilarity", rp, "1",
          "sum over sectors of |export share difference|, base year (Bayoumi & Eichengreen 1997; 0 = the same mix, 2 = "
          "nothing in common)", std::nan(""));
    }
    // The optimum-currency-area diagnostics per pair (models/business_cycle.hpp): from the
    // dataset's output history (NaN without it) and its base-year trade.
    void record_optimum_currency_area(const dataset& data, const trade_equilibrium_setup& setup) {
        const auto& b = setup.base;
        const Index N = b.n_regions(), J = b.n_sectors();
        Eigen::MatrixXd bilateral = Eigen::MatrixXd::Zero(N, N), by_sector = Eigen::MatrixXd::Zero(J, N);
        const auto flows = models::bilateral_imports(b);  // (importer, exporter) per sector
        for (Index j = 0; j < J; ++j) {
            Eigen::MatrixXd m = flows[static_cast<std::size_t>(j)];
            m.diagonal().setZero();
            bilateral += m.transpose();  // (exporter, importer)
            by_sector.row(j) = m.colwise().sum();
        }
        std::vector<Eigen::MatrixXd> measures(4);
        if (data.output_history_gdp.size() > 0) {
            const Eigen::MatrixXd log_gdp = data.output_history_gdp.array().log().matrix();
            measures[0] = models::growth_correlation(log_gdp);
            measures[1] = models::growth_gap_volatility(log_gdp);
        }
        measures[2] = models::trade_intensity(bilateral, b.value_added);
        measures[3] = models::export_dissimilarity(by_sector);
        for (std::size_t k = 0; k < measures.size(); ++k) {
            if (measures[k].size() == 0) continue;
            for (Index n = 0; n < N; ++n)
                for (Index m = 0; m < N; ++m)
                    currency[c_growth_corr + k].at(static_cast<std::size_t>(n), static_cast<std::size_t>(m)) = measures[k](n, m);
        }
    }
    // Clearing unions (docs/currency.md), in this order.
    enum clearing_output { k_member, k_uptake, k_exports, k_imports, k_net, k_balance, k_settlement, k_margin, k_debtor,
                           k_creditor, k_gross, k_netting, k_house, k_paid, k_received, k_saved, k_charges, k_over,
                           k_pairs, n_clearing_outputs };
    void add_clearing_series(const result_set& d, const std::string& money) {
        const std::string stock = money.substr(0, money.find("/year")) + money.substr(money.find("/year") + 5);
        const std::vector<std::string> uypr{"clearing_union", "year", "period", "region"}, uyp{"clearing_union", "year", "period"},
            uyr{"clearing_union", "year", "region"};
        const double nan = std::nan("");
        auto c = [&](const char* name, const std::vector<std::string>& dims, const std::string& units, const char* text,
                     double fill) { clearing.emplace_back(d, name, dims, units, text, fill); };
        const std::string per_period = stock + " per settlement period";
        c("clearing_union_member", {"clearing_union", "region"}, "1", "1 if the region is a member", 0.0);
        c("clearing_uptake", {"clearing_union", "year"}, "1",
          "u: the share of intra-union imports channelled through the union (uptake x phase share)", 0.0);
        c("channelled_exports", uypr, per_period, "payments received through the union in the period (NaN: no such period)", nan);
        c("channelled_imports", uypr, per_period, "payments made through the union in the period", nan);
        c("net_position", uypr, per_period,
          "x_n: channelled exports - imports in the period (policy-modules D.B.1 eq. 2; sums to zero over members)", nan);
        c("clearing_balance", uypr, stock,
          "b_n: the member's claim on the clearing house after the period's settlement (+ creditor, - debtor; |b| <= "
          "margin)", nan);
        c("settlement", uypr, stock,
          "hard currency received (+) or paid (-) at the period's end: the part of the balance beyond the credit margin "
          "(D.B.1 eq. 4)", nan);
        c("credit_margin", uypr, stock, "mu q_n: the balance a member may carry without settling", nan);
        c("structural_debtor", uypr, "1",
          "1 if the member paid hard currency in this and the previous period (at its margin two periods running: the "
          "SUCRE lesson, D.B.1 eq. 7)", nan);
        c("structural_creditor", uypr, "1", "1 if the member received hard currency in this and the previous period", nan);
        c("gross_channelled_payments", uyp, per_period, "all payments channelled in the period", nan);
        c("netting_efficiency", uyp, "1",
          "1 - (sum |x_n| / 2) / gross payments: the share of the period's payments cleared without hard currency "
          "(D.B.1 eq. 3, each transfer counted once; ALADI cleared 43-49% in 2000-01)", nan);
        c("clearing_house_hard_currency", uyp, stock,
          "hard currency held by the clearing house after the period (paid in by debtors less paid out to creditors; "
          "negative: it needs working capital, as the EPU's US$350 million)", nan);
        c("hard_currency_paid", uyr, money, "hard currency the member paid in settlements in the year", 0.0);
        c("hard_currency_received", uyr, money, "hard currency the member received in settlements in the year", 0.0);
        c("hard_currency_saved", uyr, money,
          "channelled imports less hard currency paid: the dollars the member did not have to find in the year", 0.0);
        c("clearing_charges", uyr, money,
          "charges on the member's average balance above 1/4 and 1/2 of quota (Keynes's clearing union, D.B.1 eq. 5)", 0.0);
        c("over_invoicing", uyr, "1",
          "1 if the member's channelled exports exceed its customs exports to members (the check that exposed SUCRE in "
          "2013)", 0.0);
        c("channelled_payments", {"clearing_union", "year", "region", "partner"}, money,
          "payments for region's imports from partner channelled through the union in the year", 0.0);
    }
    void add_corridor_series(const result_set& d) {
        corridors.emplace_back(d, "corridor_cost_change", yrp, "1",
                               "kappa-hat^C: the change of trade costs on the route between region and partner from "
                               "cross-border corridor projects (pipeline rows with a partner), on top of "
                               "route_cost_change (trade-cost channel; 1 without a corridor)", 1.0);
    }
    void add_channel_series(const result_set& d) {
        const std::vector<std::string> cy{"channel", "year", "region"};
        by_channel.emplace_back(d, "welfare_change_by_channel", cy, "1",
                                "welfare_change split by channel: the scenario solved cumulatively, its other policies "
                                "first, then each channel added in the order of the channel coordinate; each value is "
                                "the change the channel adds (the values sum to welfare_change over channels)");
        by_channel.emplace_back(d, "gdp_volume_change_by_channel", cy, "1",
                                "gdp_volume_change split by channel, as welfare_change_by_channel");
    }

    [[nodiscard]] std::vector<series*> in_file_order() {
        std::vector<series*> all{&gdp_volume, &real_income, &gdp, &gdp_market_prices, &cpi, &real_wage, &exports,
                                 &imports, &revenue, &gross_output, &value_added, &trade, &welfare, &linearized, &tot,
                                 &vot, &transfer, &real_wage_change, &gdp_volume_change,
                                 &wage_change, &price_index_change,
                                 &input_cost_change, &sector_price_change, &expenditure, &trade_share, &tot_partner,
                                 &vot_partner, &import_change, &tot_sector, &vot_sector, &iterations, &residual};
        for (auto& b : bank) all.push_back(&b);
        for (auto& b : bank_region) all.push_back(&b);
        for (auto& b : projects) all.push_back(&b);
        for (auto& b : by_channel) all.push_back(&b);
        for (auto& b : corridors) all.push_back(&b);
        for (auto& b : migration) all.push_back(&b);
        for (auto& b : shocks) all.push_back(&b);
        for (auto& b : currency) all.push_back(&b);
        for (auto& b : clearing) all.push_back(&b);
        for (auto& b : bloc_member) all.push_back(&b);
        return all;
    }
};

namespace {

// One case's levels in one year, in the numeraire's money (world value added of the base year).
struct levels {
    models::economy economy;
    VectorXd absorption, price_index, wage_index;  // I_n; P_n and w_n relative to the base year
};

}  // namespace

equilibrium_recorder::equilibrium_recorder(const bound_scenario& scenario, const std::vector<std::string>& keep)
    : scenario_(scenario), out_(make_base_result(scenario)) {
    const auto& e = scenario.data->economy;
    const auto& setup = std::get<trade_equilibrium_setup>(scenario.model);
    out_.add({"partner", e.regions, "partner region", ""});
    if (!setup.bloc_labels.empty())
        out_.add({"bloc", setup.bloc_labels, "trade bloc (free-trade area or customs union of the scenario)", ""});
    if (!setup.banks.empty()) {
        std::vector<std::string> labels;
        for (const auto& b : setup.banks) labels.push_back(b.label);
        out_.add({"bank", labels, "development bank of the scenario", ""});
    }
    std::vector<std::string> channels = channel_names(setup);
    const bool decompose = setup.channels.decompose && !channels.empty();
    if (decompose) {
        channels.insert(channels.begin(), "other_policies");
        out_.add({"channel", channels,
                  "what the effect comes from: the scenario's policies other than its stateful instruments, then each "
                  "channel of its currency unions (policy-modules D.B.2), clearing unions (D.B.1 eq. 6) and development "
                  "banks (D.A 7(a)-(d)), added cumulatively in this order",
                  ""});
    }
    if (!setup.currency_unions.empty()) {
        std::vector<std::string> labels;
        for (const auto& u : setup.currency_unions) labels.push_back(u.label);
        out_.add({"currency_union", labels, "currency union of the scenario", ""});
    }
    std::size_t periods = 0;
    if (!setup.clearing_unions.empty()) {
        std::vector<std::string> labels;
        for (const auto& u : setup.clearing_unions) {
            labels.push_back(u.label);
            periods = std::max(periods, static_cast<std::size_t>(u.rules.periods_per_year));
        }
        out_.add({"clearing_union", labels, "clearing union of the scenario", ""});
        std::vector<std::int64_t> numbers;
        for (std::size_t p = 1; p <= periods; ++p) numbers.push_back(static_cast<std::int64_t>(p));
        out_.add({"period", numbers, "settlement period within the year (1 = the first)", "1"});
    }
    series_ = std::make_unique<outputs>(out_, e.unit + "/year at constant base-year world prices",
                                        e.unit + "/year at base-year prices", !setup.bloc_labels.empty(), !setup.banks.empty());
    if (decompose) series_->add_channel_series(out_);
    const bool corridors = std::any_of(setup.banks.begin(), setup.banks.end(), [](const bound_development_bank& b) {
        return std::any_of(b.pipeline.begin(), b.pipeline.end(), [](const auto& y) { return y.second.corridor.size() > 0; });
    });
    if (corridors) series_->add_corridor_series(out_);
    const std::string money = e.unit + "/year at constant base-year world prices";
    if (!setup.free_movement.empty()) series_->add_migration_series(out_, money);
    if (setup.shocks.size() > 0)
        series_->shocks.emplace_back(out_, "tradable_productivity_shock", std::vector<std::string>{"year", "region"}, "1",
                                     "z: log tradable-sector productivity against trend, an AR(1) draw of [shocks] that "
                                     "hits the baseline and the scenario alike (lambda-hat^j = exp(z) in the sectors of "
                                     "shocks.sectors: z shifts the region's market shares at given costs; docs/currency.md)");
    if (!setup.currency_unions.empty()) {
        series_->add_currency_series(out_, money);
        series_->record_optimum_currency_area(*scenario.data, setup);
    }
    if (!setup.clearing_unions.empty()) {
        series_->add_clearing_series(out_, money);
        std::vector<std::string> units, closures;
        for (const auto& u : setup.clearing_unions) {
            units.push_back(u.unit);
            closures.push_back(closure_name(u.closure));
        }
        out_.add(text_variable{"clearing_unit", {"clearing_union"}, units,
                               "the union's unit of account (amounts are in the dataset's money at constant base-year "
                               "world prices, one unit = one of it)"});
        out_.add(text_variable{"clearing_closure", {"clearing_union"}, closures,
                               "how the union reaches the economy: accounting (it does not), credit (balances finance "
                               "deficits) or transaction_cost (conversion costs saved lower trade costs)"});
    }
    if (!keep.empty())
        for (series* s : series_->in_file_order())
            if (std::find(keep.begin(), keep.end(), s->name()) == keep.end()) s->disable();
    for (std::size_t b = 0; b < setup.bloc_members.size(); ++b)
        for (std::size_t n = 0; n < e.n_regions(); ++n) series_->bloc_member[0].at(b, n) = setup.bloc_members[b][n] ? 1.0 : 0.0;
    for (std::size_t u = 0; u < setup.currency_unions.size(); ++u)
        for (std::size_t n = 0; n < e.n_regions(); ++n)
            series_->currency[outputs::c_member].at(u, n) = setup.currency_unions[u].member_mask(static_cast<Index>(n));
    for (std::size_t u = 0; u < setup.clearing_unions.size(); ++u)
        for (std::size_t n = 0; n < e.n_regions(); ++n)
            series_->clearing[outputs::k_member].at(u, n) = setup.clearing_unions[u].member_mask(static_cast<Index>(n));
}

equilibrium_recorder::~equilibrium_recorder() = default;

void equilibrium_recorder::record(const year_state& state, const year_solution& solution) {
    auto& s = *series_;
    const auto& e0 = scenario_.data->economy;
    const auto& setup = std::get<trade_equilibrium_setup>(scenario_.model);
    const std::size_t y = state.year_index, R = e0.n_regions(), S = e0.n_sectors();
    const double deflator = solution.deflator;
    const auto& rb = solution.baseline_result;
    const auto& rp = solution.policy_result;
    const levels cases[2] = {
        {models::to_economy(solution.baseline, e0.name, state.year, e0.unit), models::final_absorption(solution.baseline),
         rb.price_index_change, rb.wage_change},
        {models::to_economy(solution.scenario, e0.name, state.year, e0.unit),
         rp.final_absorption.size() ? rp.final_absorption : models::final_absorption(solution.scenario),
         rb.price_index_change.cwiseProduct(rp.price_index_change), rb.wage_change.cwiseProduct(rp.wage_change)}};
    const models::trade_equilibrium_base* bases[2] = {&solution.baseline, &solution.scenario};
    const VectorXd& productivity = setup.labour.productivity[y];
    // GDP volume at base-year prices (models/national_accounts.hpp): each case's output (from
    // its levels, as gross_output below, so that equal cases give bitwise equal volumes) and
    // prices relative to the base year. The scenario's changes are relative to its baseline,
    // so they compound with the baseline's.
    const Eigen::MatrixXd& lambda_baseline = solution.baseline_productivity_change;
    const auto scenario_volume = [&](const models::trade_equilibrium_base& levels, const models::equilibrium_result& r,
                                     const Eigen::MatrixXd& lambda) {
        Eigen::MatrixXd since_base = lambda;
        if (lambda_baseline.size() > 0)
            since_base = lambda.size() > 0 ? Eigen::MatrixXd(lambda.cwiseProduct(lambda_baseline)) : lambda_baseline;
        return models::gdp_volume(setup.base, {models::gross_output(levels),
                                               rb.input_cost_change.cwiseProduct(r.input_cost_change),
                                               rb.sector_price_change.cwiseProduct(r.sector_price_change), since_base});
    };
    const models::gdp_volume_result volume[2] = {
        models::gdp_volume(setup.base, {models::gross_output(solution.baseline), rb.input_cost_change,
                                        rb.sector_price_change, lambda_baseline}),
        scenario_volume(solution.scenario, rp, solution.policy_productivity_change)};
    if (!solution.stages.empty()) {
        // Channel split: the change each cumulative stage adds to the one before.
        std::vector<double> w_prev(R, 0.0), v_prev(R, 0.0);
        for (std::size_t k = 0; k < solution.stages.size(); ++k) {
            const auto& st = solution.stages[k];
            const models::gdp_volume_result v = scenario_volume(st.levels, st.result, st.productivity_change);
            for (std::size_t n = 0; n < R; ++n) {
                const auto i = static_cast<Index>(n);
                const double w = st.result.welfare_change(i) - 1.0, g = v.index(i) / volume[0].index(i) - 1.0;
                s.by_channel[0].at(k, y, n) = w - w_prev[n];
                s.by_channel[1].at(k, y, n) = g - v_prev[n];
                w_prev[n] = w;
                v_prev[n] = g;
            }
        }
    }

    for (std::size_t c = 0; c < 2; ++c) {
        const auto& l = cases[c];
        const auto& e = l.economy;
        const VectorXd va = e.value_added.rowwise().sum(), ex = e.exports(), im = e.imports(), rev = e.tariff_revenue();
        const VectorXd market = models::gdp_at_market_prices(va, rev);
        for (std::size_t n = 0; n < R; ++n) {
            const auto i = static_cast<Index>(n);
            s.gdp_volume.at(c, y, n) = volume[c].index(i);
            s.real_income.at(c, y, n) = l.absorption(i) / l.price_index(i);
            s.gdp.at(c, y, n) = va(i) * deflator;
            s.gdp_market_prices.at(c, y, n) = market(i) * deflator;
            s.cpi.at(c, y, n) = l.price_index(i) * deflator;
            s.real_wage.at(c, y, n) = l.wage_index(i) * productivity(i) / l.price_index(i);
            s.exports.at(c, y, n) = ex(i) * deflator;
            s.imports.at(c, y, n) = im(i) * deflator;
            s.revenue.at(c, y, n) = rev(i) * deflator;
            for (std::size_t k = 0; k < S; ++k) {
                s.gross_output.at(c, y, n, k) = e.gross_output(i, static_cast<Index>(k)) * deflator;
                s.value_added.at(c, y, n, k) = e.value_added(i, static_cast<Index>(k)) * deflator;
            }
        }
        if (s.trade.enabled())
            for (std::size_t k = 0; k < S; ++k)
                for (std::size_t i = 0; i < R; ++i)
                    for (std::size_t n = 0; n < R; ++n)
                        s.trade.at(c, y, i, n, k) =
                            i == n ? 0.0 : e.trade[k](static_cast<Index>(i), static_cast<Index>(n)) * deflator;
        // Spending (tariffs included) and its shares by origin, pi^j_{ni} (Caliendo & Parro 2015, eq. 12).
        const auto& b = *bases[c];
        if (s.expenditure.enabled() || s.trade_share.enabled()) {
            for (std::size_t n = 0; n < R; ++n)
                for (std::size_t k = 0; k < S; ++k) {
                    s.expenditure.at(c, y, n, k) = b.expenditure(static_cast<Index>(k), static_cast<Index>(n)) * deflator;
                    for (std::size_t i = 0; i < R; ++i)
                        s.trade_share.at(c, y, n, i, k) = b.trade_shares[k](static_cast<Index>(n), static_cast<Index>(i));
                }
        }
    }
    s.iterations.at(0, y) = rb.iterations;
    s.residual.at(0, y) = rb.residual;
    s.iterations.at(1, y) = rp.iterations;
    s.residual.at(1, y) = rp.residual;

    // The policy's effect against this year's baseline (Caliendo & Parro 2015, eqs. 16-20).
    const models::welfare_decomposition w = models::decompose_welfare(solution.baseline, rp);
    const Eigen::MatrixXd import_change = models::import_change_by_partner(solution.baseline, rp);
    for (std::size_t n = 0; n < R; ++n) {
        const auto i = static_cast<Index>(n);
        s.welfare.at(y, n) = rp.welfare_change(i) - 1.0;
        s.wage_change.at(y, n) = rp.wage_change(i) - 1.0;
        s.price_index_change.at(y, n) = rp.price_index_change(i) - 1.0;
        s.linearized.at(y, n) = w.total(i);
        s.tot.at(y, n) = w.terms_of_trade(i);
        s.vot.at(y, n) = w.volume_of_trade(i);
        s.transfer.at(y, n) = w.revenue_transfer(i);
        s.real_wage_change.at(y, n) = rp.real_wage_change(i) - 1.0;
        s.gdp_volume_change.at(y, n) = volume[1].index(i) / volume[0].index(i) - 1.0;
        for (std::size_t k = 0; k < S; ++k) {
            const auto j = static_cast<Index>(k);
            s.input_cost_change.at(y, n, k) = rp.input_cost_change(j, i) - 1.0;
            s.sector_price_change.at(y, n, k) = rp.sector_price_change(j, i) - 1.0;
            s.tot_sector.at(y, n, k) = w.terms_of_trade_by_sector(j, i);
            s.vot_sector.at(y, n, k) = w.volume_of_trade_by_sector(j, i);
        }
        for (std::size_t m = 0; m < R; ++m) {
            const auto p = static_cast<Index>(m);
            s.tot_partner.at(y, n, m) = w.terms_of_trade_by_partner(i, p);
            s.vot_partner.at(y, n, m) = w.volume_of_trade_by_partner(i, p);
            s.import_change.at(y, n, m) = import_change(i, p);
        }
    }

    // Development banks: their balance sheet at the end of the year, their flows in it.
    const VectorXd baseline_gdp = solution.baseline.value_added * deflator;
    for (std::size_t b = 0; b < setup.banks.size() && b < solution.banks.size(); ++b) {
        const models::bank_state& st = state.banks[b];
        const auto& bank = setup.banks[b];
        auto& v = s.bank;
        v[outputs::loans].at(b, y) = st.total_loans();
        v[outputs::equity].at(b, y) = st.equity();
        v[outputs::bonds].at(b, y) = st.bonds;
        v[outputs::liquid].at(b, y) = st.liquid_assets;
        v[outputs::paid_in].at(b, y) = st.paid_in_capital;
        v[outputs::callable].at(b, y) =
            st.years_open > 0 ? bank.capital.subscribed.sum() * (1.0 - bank.capital.paid_in_share) : 0.0;
        v[outputs::retained].at(b, y) = st.retained_earnings;
        v[outputs::undisbursed].at(b, y) = st.loans.size() ? models::undisbursed(bank.terms, st, st.loans.size()).sum() : 0.0;
        for (std::size_t n = 0; n < R; ++n) {
            const auto i = static_cast<Index>(n);
            const double loans = st.loans.size() ? st.loans(i) : 0.0;
            s.bank_region[outputs::r_loans].at(b, y, n) = loans;
            s.bank_region[outputs::r_debt].at(b, y, n) = loans / baseline_gdp(i);
        }
        if (!solution.bank_open[b]) continue;
        v[outputs::issuance].at(b, y) = solution.banks[b].bond_issuance;
        v[outputs::dividends].at(b, y) = solution.banks[b].dividends;
        const models::bank_year& f = solution.banks[b];
        v[outputs::approvals].at(b, y) = f.approvals_granted.sum();
        v[outputs::disbursed].at(b, y) = f.disbursements.sum();
        v[outputs::repaid].at(b, y) = f.repayments.sum();
        v[outputs::interest].at(b, y) = f.interest_income;
        v[outputs::ratio].at(b, y) = f.equity_to_loans;
        v[outputs::headroom].at(b, y) = f.headroom;
        v[outputs::constrained].at(b, y) = f.capital_constrained ? 1.0 : 0.0;
        v[outputs::net_income].at(b, y) = f.net_income;
        for (std::size_t n = 0; n < R; ++n) {
            const auto i = static_cast<Index>(n);
            auto& by_region = s.bank_region;
            by_region[outputs::r_approvals].at(b, y, n) = f.approvals_granted(i);
            by_region[outputs::r_disbursed].at(b, y, n) = f.disbursements(i);
            by_region[outputs::r_repaid].at(b, y, n) = f.repayments(i);
            by_region[outputs::r_interest].at(b, y, n) = f.loan_interest(i);
            by_region[outputs::r_paid_in].at(b, y, n) = f.paid_in(i);
            by_region[outputs::r_dividends].at(b, y, n) = f.dividends_by_member(i);
            by_region[outputs::r_net_flow].at(b, y, n) = setup.channels.transfer ? f.net_flows(i) : 0.0;
        }
    }

    // The banks' projects, all banks together (zero before any bank opens).
    if (!setup.banks.empty() && solution.project_spending.size() > 0) {
        const VectorXd kappa = setup.channels.trade_cost
                                   ? models::route_cost_change(setup.public_capital, solution.transport_capital_change)
                                   : VectorXd::Ones(static_cast<Index>(R));
        for (std::size_t n = 0; n < R; ++n) {
            const auto i = static_cast<Index>(n);
            s.projects[outputs::p_spending].at(y, n) = solution.project_spending(i);
            s.projects[outputs::p_transport].at(y, n) = solution.transport_spending(i);
            s.projects[outputs::p_capital].at(y, n) = state.public_capital.added(i);
            s.projects[outputs::p_capital_change].at(y, n) = solution.capital_change(i);
            s.projects[outputs::p_transport_change].at(y, n) = solution.transport_capital_change(i);
            s.projects[outputs::p_route_cost].at(y, n) = kappa(i);
            const double invested = setup.channels.composition ? solution.project_spending(i) / deflator : 0.0;
            s.projects[outputs::p_consumption].at(y, n) =
                ((cases[1].absorption(i) - invested) / cases[1].price_index(i)) /
                    (cases[0].absorption(i) / cases[0].price_index(i)) -
                1.0;
        }
    }

    if (!s.corridors.empty() && setup.channels.trade_cost && solution.corridor_cost_change.size() > 0)
        for (std::size_t n = 0; n < R; ++n)
            for (std::size_t m = 0; m < R; ++m)
                s.corridors[0].at(y, n, m) = solution.corridor_cost_change(static_cast<Index>(n), static_cast<Index>(m));

    // Free movement: people, moves, remittances, welfare per person.
    if (!series_->migration.empty() && solution.baseline_stocks.size() > 0) {
        auto& m = series_->migration;
        const Eigen::MatrixXd* stocks[2] = {&solution.baseline_stocks, &solution.scenario_stocks};
        const Eigen::MatrixXd* sent[2] = {&solution.baseline_remittances, &solution.scenario_remittances};
        VectorXd residents[2];
        for (std::size_t c = 0; c < 2; ++c) {
            residents[c] = stocks[c]->colwise().sum().transpose();
            for (std::size_t n = 0; n < R; ++n) {
                const auto i = static_cast<Index>(n);
                m[0].at(c, y, n) = residents[c](i);
                for (std::size_t p = 0; p < R; ++p) {
                    m[1].at(c, y, n, p) = (*stocks[c])(i, static_cast<Index>(p));
                    m[3].at(c, y, n, p) = (*sent[c])(i, static_cast<Index>(p));
                }
            }
        }
        const auto& settings = setup.migration;
        const Eigen::MatrixXd& mu = solution.migration_cost_change;
        // Frechet welfare in changes weighs by the shares before the re-sorting (the
        // baseline's): the full re-sorting's welfare (policy-modules D.C eqs. 1-2).
        const Eigen::MatrixXd shares = models::origin_shares(solution.baseline_stocks);
        const VectorXd origin = models::origin_welfare(shares, rp.real_wage_change, mu, settings.elasticity);
        const VectorXd labour[2] = {models::effective_labour(solution.baseline_stocks, settings.mover_productivity),
                                    models::effective_labour(solution.scenario_stocks, settings.mover_productivity)};
        for (std::size_t n = 0; n < R; ++n) {
            const auto i = static_cast<Index>(n);
            for (std::size_t p = 0; p < R; ++p) m[2].at(y, n, p) = solution.migration_flows(i, static_cast<Index>(p));
            const double per_capita = (cases[1].absorption(i) / cases[1].price_index(i) / residents[1](i)) /
                                      (cases[0].absorption(i) / cases[0].price_index(i) / residents[0](i));
            m[4].at(y, n) = per_capita - 1.0;
            m[5].at(y, n) = origin(i) - 1.0;
            m[6].at(y, n) = rp.real_wage_change(i) - 1.0;
            double abroad = 0.0, weighted = 0.0;
            for (Index d = 0; d < static_cast<Index>(R); ++d) {
                if (d == i) continue;
                const double people = solution.scenario_stocks(i, d);
                abroad += people;
                weighted += people * rp.real_wage_change(d) / (mu.size() > 0 ? mu(i, d) : 1.0);
            }
            m[7].at(y, n) = abroad > 0.0 ? weighted / abroad - 1.0 : std::nan("");
            for (std::size_t c = 0; c < 2; ++c) m[8].at(c, y, n) = labour[c](i);
            m[9].at(n) = state.migration.remittance_shares(i);
            m[10].at(n) = state.migration.remittance_calibrated[n] ? 1.0 : 0.0;
        }
    }

    if (!s.shocks.empty())
        for (std::size_t n = 0; n < R; ++n) s.shocks[0].at(y, n) = setup.shocks(static_cast<Index>(y), static_cast<Index>(n));

    // Currency unions: the trade-cost cut, the wage floors and who is held at them, transfers.
    if (!s.currency.empty()) {
        auto& c = s.currency;
        for (std::size_t u = 0; u < setup.currency_unions.size(); ++u) {
            const auto& cu = setup.currency_unions[u];
            for (Index n = 0; n < static_cast<Index>(R); ++n)
                for (Index m = 0; m < static_cast<Index>(R); ++m)
                    if (n != m && cu.member_mask(n) > 0.0 && cu.member_mask(m) > 0.0)
                        c[outputs::c_cost].at(u, y) = solution.currency_cost_change(n, m);
        }
        for (std::size_t n = 0; n < R; ++n) {
            const auto i = static_cast<Index>(n);
            const double employment = rp.employment.size() > 0 ? rp.employment(i) : 1.0;
            c[outputs::c_unemployment].at(y, n) = 1.0 - employment;
            if (state.currency.relative_wage.size() > 0 && solution.wage_union.size() > 0 && solution.wage_union[n] >= 0)
                c[outputs::c_relative].at(y, n) = state.currency.relative_wage(i);
            if (solution.wage_floor.size() > 0 && solution.wage_floor(i) > 0.0) {
                c[outputs::c_floor].at(y, n) = solution.wage_floor(i);
                c[outputs::c_binding].at(y, n) = employment < 1.0 ? 1.0 : 0.0;
            }
            if (solution.fiscal_transfer.size() > 0) c[outputs::c_transfer].at(y, n) = solution.fiscal_transfer(i);
        }
    }

    // Clearing unions: each period's positions and settlements, the year's totals.
    for (std::size_t u = 0; u < solution.clearing.size(); ++u) {
        if (!solution.clearing_open[u]) continue;
        auto& k = s.clearing;
        const auto& cy = solution.clearing[u];
        const auto& cu = setup.clearing_unions[u];
        k[outputs::k_uptake].at(u, y) = cu.uptake * cu.phase.share(state.year);
        const Eigen::MatrixXd* per_region[] = {&cy.channelled_exports, &cy.channelled_imports, &cy.net_position,
                                               &cy.balance, &cy.settlement, &cy.margin};
        const std::size_t P = static_cast<std::size_t>(cy.gross_payments.size());
        for (std::size_t p = 0; p < P; ++p) {
            const auto t = static_cast<Index>(p);
            k[outputs::k_gross].at(u, y, p) = cy.gross_payments(t);
            k[outputs::k_netting].at(u, y, p) = cy.netting_efficiency(t);
            k[outputs::k_house].at(u, y, p) = cy.clearing_house_hard_currency(t);
            for (std::size_t n = 0; n < R; ++n) {
                const auto i = static_cast<Index>(n);
                for (std::size_t q = 0; q < 6; ++q) k[outputs::k_exports + q].at(u, y, p, n) = (*per_region[q])(t, i);
                k[outputs::k_debtor].at(u, y, p, n) = cy.structural_debtor(t, i);
                k[outputs::k_creditor].at(u, y, p, n) = cy.structural_creditor(t, i);
            }
        }
        for (std::size_t n = 0; n < R; ++n) {
            const auto i = static_cast<Index>(n);
            k[outputs::k_paid].at(u, y, n) = cy.hard_currency_paid(i);
            k[outputs::k_received].at(u, y, n) = cy.hard_currency_received(i);
            k[outputs::k_saved].at(u, y, n) = cy.hard_currency_saved(i);
            k[outputs::k_charges].at(u, y, n) = cy.charges(i);
            k[outputs::k_over].at(u, y, n) = cy.over_invoicing(i);
            for (std::size_t m = 0; m < R; ++m) k[outputs::k_pairs].at(u, y, n, m) = cy.channelled(i, static_cast<Index>(m));
        }
    }

    // Blocs: members' imports from members and from non-members, at constant world prices.
    for (std::size_t b = 0; b < setup.bloc_members.size(); ++b) {
        const auto& member = setup.bloc_members[b];
        double inside[2] = {0, 0}, outside[2] = {0, 0};
        for (std::size_t c = 0; c < 2; ++c) {
            for (std::size_t i = 0; i < R; ++i)
                for (std::size_t n = 0; n < R; ++n)
                    if (member[n] && i != n)
                        for (std::size_t k = 0; k < S; ++k)
                            (member[i] ? inside[c] : outside[c]) +=
                                cases[c].economy.trade[k](static_cast<Index>(i), static_cast<Index>(n)) * deflator;
            s.bloc_member[1].at(c, y, b) = inside[c] / (inside[c] + outside[c]);
        }
        s.bloc_member[2].at(y, b) = inside[1] - inside[0];
        s.bloc_member[3].at(y, b) = outside[1] - outside[0];
    }
}

result_set equilibrium_recorder::finish() {
    for (series* s : series_->in_file_order())
        if (s->enabled()) out_.add(s->release());
    const auto& setup = std::get<trade_equilibrium_setup>(scenario_.model);
    out_.set_attribute("model", std::string("multi-country multi-sector Ricardian trade equilibrium with input-output "
                                            "linkages (Caliendo & Parro 2015, exact hat algebra)"));
    std::string approximations =
        "Each year is a static equilibrium relative to the base year (no private capital accumulation); labour is the "
        "only factor; trade deficits stay at their base-year levels in the numeraire (a fixed share of world value "
        "added) except where a development bank's flows or migrants' remittances change them; "
        "money values are deflated by the baseline's world consumer price index";
    const bool moves_labour = std::any_of(setup.policies.begin(), setup.policies.end(), [](const auto& p) {
        return std::holds_alternative<models::labour_change>(p.policy);
    });
    approximations += moves_labour ? "; labour_change policies move labour, so welfare_change and gdp_volume_change are "
                                     "totals, not per person (see real_wage_change)"
                                   : setup.free_movement.empty() ? "; labour does not move between regions" : "";
    if (!setup.free_movement.empty())
        approximations +=
            "; free movement: people born in each region move between regions in response to last year's real wages "
            "and the migration costs (a logit location choice in changes with partial adjustment, relative to a "
            "baseline that keeps each region's composition by origin and follows the population projection), so "
            "welfare_change and gdp_volume_change are totals (see real_income_per_capita_change and welfare_per_origin); "
            "migrant stocks between two non-CELAC regions are not in the data and are zero";
    for (const auto& n : setup.labour.notes) approximations += "; " + n;
    if (setup.labour.notes.empty())
        approximations += "; the baseline has no growth (the dataset has no population or productivity path, or they are switched off)";
    if (!setup.banks.empty()) {
        const auto& c = setup.channels;
        std::string on;
        for (const auto& [flag, text] : std::vector<std::pair<bool, const char*>>{
                 {c.transfer, "each region's deficit changes by its net flows with the development banks and their "
                              "counterparts (transfer: bank_deficit_change)"},
                 {c.composition, "project spending is investment with the sector shares beta, not consumption "
                                 "(composition; welfare counts it in real income I / P, deflated by the consumer price "
                                 "index)"},
                 {c.productivity, "bank-built public capital raises value-added productivity by K-hat^eta in every "
                                  "sector, the baseline's public capital being k x its GDP (productivity)"},
                 {c.trade_cost, "transport capital lowers the trade costs of every route with the region at either "
                                "end (trade cost)"}})
            if (flag) on += std::string(on.empty() ? "" : "; ") + text;
        approximations += on.empty() ? "; the development banks are recorded but no channel reaches the economy (every "
                                       "[channels] switch is off)"
                                     : "; in the scenario: " + on +
                                           "; the banks' lending does not depend on the equilibrium (no feedback from "
                                           "the economy to the bank); employment stays full (no demand slack)";
    }
    if (setup.shocks.size() > 0)
        approximations +=
            "; [shocks]: tradable-sector productivity follows an AR(1) draw (one seed: one path; run a sweep over "
            "shocks.seed for the distribution) in the baseline and the scenario alike, so the baseline is a world of "
            "floating exchange rates hit by the same shocks; the AR(1) is fitted to the cyclical component of real "
            "tradable value added and used one for one as log productivity (an approximation)";
    if (!setup.currency_unions.empty())
        approximations +=
            "; currency unions: trade costs between members fall by (1 + g)^(-1/theta-bar), phased in; a member's "
            "nominal wage in the common currency is the union's average wage, which grows by the union's inflation "
            "plus its labour-productivity trend whatever the shocks, times its wage relative to the union's "
            "value-added-weighted wage index, and it cannot fall faster than max_wage_fall a year: where the "
            "market-clearing wage is lower, the wage stays at the floor and employment falls (a complementarity problem "
            "solved inside the equilibrium); under the float (the baseline) there is no unemployment; fiscal transfers "
            "respond to last year's employment gaps";
    if (!setup.clearing_unions.empty())
        approximations +=
            "; clearing unions: channelled payments are uptake x imports between members at constant world prices, spread "
            "evenly over the settlement periods; quotas use the baseline's imports (projected, the SUCRE rule); the "
            "accounting closure leaves the economy unchanged, the transaction-cost closure cuts trade costs between "
            "members by 1 / (1 + c_tx u), and the credit closure lets last year's change of balances finance this year's "
            "deficits (the clearing house's own position and the charges shared by quota)";
    if (scenario_.spec.equilibrium.zero_deficit_base) approximations += "; the base year was recalibrated to zero trade deficits";
    // Without non-preferential rates no agreement with an outsider is known, so a union's
    // members levy the CET on every outsider and the partners keep their preferences.
    const bool unions_blind = scenario_.data->non_preferential_tariffs.empty() &&
                              std::any_of(setup.policies.begin(), setup.policies.end(), [](const auto& p) {
                                  return std::holds_alternative<models::customs_union>(p.policy);
                              });
    if (unions_blind)
        approximations += "; the dataset has no non_preferential_tariffs, so no member's agreement with an outsider is "
                          "known: every customs union applies its common external tariff to every outsider, and the "
                          "partners keep any preference they grant the members (external_agreements has no effect)";
    out_.set_attribute("approximations", approximations + ".");
    out_.set_attribute("solver_tolerance", scenario_.spec.equilibrium.tolerance);
    const VectorXd& theta = setup.base.theta;
    out_.add({"trade_elasticity", {"sector"}, std::vector<double>(theta.data(), theta.data() + theta.size()), "1",
              "trade elasticity theta^j of the run: the dataset's, or the scenario's equilibrium.trade_elasticity and "
              "trade_elasticity_scale (Caliendo & Parro 2015, eq. 12)"});
    return std::move(out_);
}

}  // namespace integra::sim
