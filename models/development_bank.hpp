// A development bank owned by member states, as a stock-flow-consistent balance sheet
// carried from year to year (issue 9; docs/development-bank.md). This file is the bank's
// accounting engine only: what it lends, what it is paid, how it funds itself, what each
// region pays and receives. Its channels into the trade equilibrium (deficits, the
// composition of demand, public capital, trade costs) are built on top of `bank_year`.
//
// Sources. The equations are those of ../shared/docs/policy-modules.md section D.A
// (items 1-9), which cites: the disbursement profile (CBO; CAF's 76% execution), loan
// terms (CAF's Peru 2023 loan: SOFR + 2.00, first instalment at 72 months; IBRD Flexible
// Loan: 80-215 bp, maximum maturity 35 years), the funding cost (CAF's 2023-26 bonds,
// 4.625-4.75%), the expected loss (CAF NPLs 0.45%), the capital rules (IBRD equity/loans
// floor 18-19%, IDB ~34%; EIB statute: loans <= 250% of subscribed capital and reserves),
// and the bookkeeping (Godley & Lavoie 2007, "Monetary Economics", ch. 2: every flow comes
// from somewhere and goes somewhere; the rows and the columns of the transactions-flow
// matrix sum to zero). Tags [V] verified, [D] derived, [M] from memory follow that
// document; every [M] figure is a setting with a default.
//
// Timing (one step = one year t; `previous` holds the stocks at the start of year t,
// `next` those at the start of t+1, as D.A writes E_{t+1} = E_t + PaidIn_t + NI_t):
//   1. approvals A_t are signed at the start of year t (vintage t, age 0);
//   2. interest, the return on liquid assets, bond interest, operating costs and
//      provisions accrue on the opening stocks (L_t, Q_t, B_t);
//   3. disbursements, principal repayments and paid-in capital flow during the year;
//   4. the bank sets its liquid assets at the floor and issues (or retires) bonds as the
//      residual (D.A eq. 5).
//
// Regions are indices 0..N-1 (sim/ resolves names). Members are the regions with a
// subscription; borrowers those with approvals. Amounts are in one currency unit (the
// dataset's, e.g. US$ million) at constant prices: the books are kept in real terms, so
// the nominal rates of bank_terms (funding, lending, liquid assets: market quotes) are
// turned into real ones with the inflation rate, (1 + r) / (1 + pi) - 1 (Fisher).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "core/issues.hpp"

namespace integra::models {

/// The bank's financial and prudential parameters. Defaults and their evidence tags from
/// policy-modules.md D.A and D.D.
struct bank_terms {
    /// Share of an approval disbursed in each year after signing (age 0, 1, ...); sums to 1.
    /// D.A eq. 2: d = (0.10, 0.20, 0.25, 0.25, 0.20), range 3-8 years; first-year share
    /// below 25%, consistent with CBO outlay rates [V] and CAF's 76% execution [V].
    std::vector<double> disbursement_profile{0.10, 0.20, 0.25, 0.25, 0.20};
    /// Years after signing without principal repayments. D.A eq. 3: 5 (range 3-6); CAF's
    /// Peru 2023 loan: first instalment at 72 months [V].
    int grace_years = 5;
    /// Final maturity in years after signing; equal principal instalments in the years of
    /// age grace .. maturity-1. D.A eq. 3: 18 (range 12-25); CAF Peru 2023 ~20 [D]; IBRD
    /// maximum 35 [V].
    int maturity_years = 18;
    /// Funding rate r_B on bonds (nominal, a fraction per year). D.A eq. 4: 4.5%; CAF's
    /// 2023-26 coupons 4.625-4.75% [V].
    double funding_rate = 0.045;
    /// Lending spread s: loans pay r_L = r_B + s on the whole book (floating, as CAF's
    /// SOFR-based loans). D.A eq. 3: 1.75 pp (range 0.8-2.6); CAF SOFR + 2.00 [V],
    /// LIBOR + 2.60 [V]; IBRD 0.80-2.15 [V].
    double lending_spread = 0.0175;
    /// Return r_Q on liquid assets. Not in D.A's sources: [M] default r_B - 0.5 pp
    /// (treasury assets of a highly rated issuer earn somewhat less than its funding cost).
    double liquid_asset_rate = 0.040;
    /// Expected loss l (a fraction of loans per year). The loan-loss allowance is kept at one
    /// year's expected loss on the loans outstanding at the start of the year, l L_t (the
    /// 12-month expected credit loss of IFRS 9 stage 1); provisions are its change, so it
    /// is released as loans amortise. No loan defaults on the deterministic path.
    /// D.A eq. 4: 0.3% (range 0.1-1.0); CAF NPLs 0.45% (2018) [V].
    double expected_loss = 0.003;
    /// Inflation pi of the currency the rates are quoted in (US$), a fraction per year: the
    /// rates above are nominal, the books real. 2%, the Federal Reserve's target [M].
    double inflation = 0.02;
    /// Operating costs as a share of opening total assets (Q + L) per year. D.A eq. 4:
    /// 0.3% [M].
    double operating_cost_rate = 0.003;

    /// What the liquidity floor is a share of.
    enum class liquidity_base {
        /// Q >= q * L (D.A eq. 5, [M]).
        loans,
        /// Q >= q * the disbursements already committed for next year (issue 9's wording).
        next_year_disbursements
    };
    liquidity_base liquidity_rule = liquidity_base::loans;
    /// The liquidity share q. D.A eq. 5: 0.30 of loans (range 0.2-0.5) [M].
    double liquidity_share = 0.30;

    /// The capital rule that caps approvals (D.A eq. 6).
    enum class capital_rule_kind {
        /// E >= e_min * (loans + undisbursed commitments).
        equity_to_loans,
        /// loans + undisbursed commitments <= g * (subscribed capital incl. callable +
        /// retained earnings) (EIB statute).
        gearing
    };
    capital_rule_kind capital_rule = capital_rule_kind::equity_to_loans;
    /// e_min. D.A eq. 6: 0.25 (range 0.18-0.35); IBRD 18% [V], IDB 33.6% (2022) [D].
    double min_equity_to_loans = 0.25;
    /// g. D.A eq. 6: 2.5 (range 2.5-2.9); EIB 250%, 290% since 2024 [V].
    double max_gearing = 2.5;
    /// The share of a year's positive net income paid out to the members as dividends, in
    /// proportion to their paid-in capital; the rest is retained (D.A eq. 4 retains it all:
    /// E_{t+1} = E_t + PaidIn_t + NI_t - Div_t). 0 by default, as CAF and the IDB [M].
    double dividend_share = 0.0;

    [[nodiscard]] double lending_rate() const { return funding_rate + lending_spread; }
    /// The real rates the constant-price books earn and pay: (1 + r) / (1 + pi) - 1.
    [[nodiscard]] double real(double nominal) const { return (1.0 + nominal) / (1.0 + inflation) - 1.0; }
};

/// The members' capital. Subscriptions are fixed; the paid-in part is paid over the
/// schedule's years (year 0 = the bank's first step), the rest is callable (off the
/// balance sheet; it counts only in the gearing rule).
struct bank_capital {
    /// Subscribed capital per region (N; zero for non-members).
    Eigen::VectorXd subscribed;
    /// Share of the subscription that is paid in, in [0, 1]. Banco del Sur 20% [V]; NDB
    /// 20% [V]; AIIB 20% [V]; IDB GCI-9 2.4% [D]; EIB ~8.9% [D].
    double paid_in_share = 0.20;
    /// Share of the paid-in capital paid in each year since the bank opened; sums to 1.
    /// Default: five equal instalments [M] (Ecuador's Banco del Sur share: 10% up front
    /// and nine instalments [V]).
    std::vector<double> paid_in_schedule{0.2, 0.2, 0.2, 0.2, 0.2};
};

/// Where the bank's counterpart flows land, as shares over regions (each N, summing to 1).
struct bank_counterparts {
    /// Who holds the bank's bonds, receives their interest and buys the net issuance.
    /// D.A eq. 7(a) default USA 0.35, EU 0.35, ROW 0.20, CELAC 0.10 [M]; sim/ maps the
    /// labels (CELAC's 0.10 spread over members by a key) to indices.
    Eigen::VectorXd bond_holders;
    /// On whom the bank's liquid assets are claims (deposits, bills): they receive
    /// increases of Q and pay its return. [M]; a natural default is bond_holders.
    Eigen::VectorXd liquid_asset_issuers;
    /// Where the bank spends its operating costs (headquarters and offices). [M]
    Eigen::VectorXd operating_cost_recipients;
};

/// The approvals borrowers ask for this year, per region (N, >= 0): the scenario's
/// envelope allocated by its key or pipeline. The bank grants them up to its capital rule.
struct approvals_request {
    Eigen::VectorXd amounts;
    /// The part of each borrower's amount that is transport and logistics projects (N,
    /// 0 <= transport <= amounts); empty = none. Granted in the same proportion.
    Eigen::VectorXd transport;
    /// "As much as capital allows": `amounts` is then an allocation key (sums to 1, or all
    /// zero) and the bank approves its whole lending capacity over it.
    bool up_to_capacity = false;
};

/// One approval vintage of one borrower: the loan signed in one year.
struct loan_vintage {
    Eigen::Index borrower = 0;
    int age = 0;              ///< years since signing, in the year the next step computes
    double approved = 0.0;    ///< amount signed (commitment)
    double outstanding = 0.0; ///< disbursed and not yet repaid
    double transport_share = 0.0;  ///< the share of the loan that finances transport projects
};

/// The bank's stocks at the start of a year (policy-modules D.A "State").
struct bank_state {
    std::int64_t years_open = 0;         ///< steps taken: the index into paid_in_schedule
    Eigen::VectorXd paid_in_by_member;   ///< cumulative paid-in capital per region (N)
    double paid_in_capital = 0.0;        ///< P: the sum of paid_in_by_member
    double retained_earnings = 0.0;      ///< RE: cumulative net income less dividends
    double bonds = 0.0;                  ///< B (>= 0)
    double liquid_assets = 0.0;          ///< Q
    double loan_loss_allowance = 0.0;    ///< l x the loans at the start of the last year stepped (a contra-asset)
    Eigen::VectorXd loans;               ///< L_n: outstanding per borrower (N)
    std::vector<loan_vintage> vintages;  ///< every vintage not yet disbursed and repaid

    [[nodiscard]] double equity() const { return paid_in_capital + retained_earnings; }
    [[nodiscard]] double total_loans() const { return loans.sum(); }
    /// The balance sheet: assets Q + L - allowance = liabilities and equity B + E.
    [[nodiscard]] double assets() const { return liquid_assets + total_loans() - loan_loss_allowance; }
};

/// An empty bank for N regions: no capital, no loans, no bonds.
[[nodiscard]] bank_state opening_state(Eigen::Index n_regions);

/// Undisbursed commitments per region (N): sum over vintages of approved x (1 - the
/// profile's shares already disbursed).
[[nodiscard]] Eigen::VectorXd undisbursed(const bank_terms& terms, const bank_state& state, Eigen::Index n_regions);

/// The transactions-flow matrix (Godley & Lavoie 2007, ch. 2; D.A item 9). Columns are
/// sectors: for each region r the official sector (member government, borrower) at
/// official(r), the bank at bank(), and the region's private investors (bondholders,
/// issuers of the bank's liquid assets, suppliers of its operating costs) at investors(r).
/// A positive entry is a receipt of that sector, a negative one a payment; every row sums
/// to zero. Current rows (interest, liquid-asset return, operating costs) sum, per column,
/// to the sector's net lending; the financial rows sum to minus it. The bank's column sums
/// to zero (it holds no money: D.A eq. 5), so the regions' columns sum to the change in
/// what they can spend abroad, Delta D_r, and these sum to zero across the world.
struct transactions_flow_matrix {
    enum row : int {
        // current
        loan_interest = 0,     ///< borrowers pay r_L L_n
        bond_interest,         ///< the bank pays r_B B to holders by h_r
        liquid_asset_return,   ///< issuers pay r_Q Q to the bank
        operating_costs,       ///< the bank pays opex to where it operates
        dividends,             ///< the bank pays members a share of positive net income
        // financial
        paid_in_capital,       ///< members pay their instalments
        disbursements,         ///< the bank pays borrowers
        repayments,            ///< borrowers repay principal
        bond_issuance,         ///< holders buy net new bonds Delta B
        liquid_asset_change,   ///< the bank places Delta Q with issuers
        n_rows
    };
    static constexpr int first_financial_row = paid_in_capital;
    Eigen::Index n_regions = 0;
    Eigen::MatrixXd flows;  ///< n_rows x (2N + 1)

    [[nodiscard]] Eigen::Index official(Eigen::Index r) const { return r; }
    [[nodiscard]] Eigen::Index bank() const { return n_regions; }
    [[nodiscard]] Eigen::Index investors(Eigen::Index r) const { return n_regions + 1 + r; }
    /// Sum of the current rows per column: each sector's net lending.
    [[nodiscard]] Eigen::VectorXd net_lending() const;
    /// Each region's net receipts from all rows, official and private (N): Delta D_r.
    [[nodiscard]] Eigen::VectorXd region_net_flows() const;
    static const char* row_name(int r);
};

/// The flows of one year and the ratios at its end.
struct bank_year {
    // lending (each N)
    Eigen::VectorXd approvals_requested, approvals_granted;
    Eigen::VectorXd disbursements, repayments, loan_interest;
    Eigen::VectorXd transport_disbursements;  ///< the part of disbursements that finances transport projects
    Eigen::VectorXd paid_in;  ///< per member
    // the bank's income statement (D.A eq. 4)
    double interest_income = 0.0;        ///< r_L L_t
    double liquid_asset_income = 0.0;    ///< r_Q Q_t
    double bond_interest = 0.0;          ///< r_B B_t
    double operating_costs = 0.0;        ///< opex (Q_t + L_t)
    double provisions = 0.0;             ///< l L_t - allowance_t (the allowance's change), non-cash
    double net_income = 0.0;             ///< after provisions
    double dividends = 0.0;              ///< dividend_share x max(0, net income), paid to members
    Eigen::VectorXd dividends_by_member; ///< by paid-in capital at the end of the year (N)
    // funding (D.A eq. 5)
    double bond_issuance = 0.0;          ///< B_{t+1} - B_t
    double liquid_asset_change = 0.0;    ///< Q_{t+1} - Q_t
    double liquidity_floor = 0.0;        ///< q x the liquidity base at t+1
    // capital (D.A eq. 6), at the end of the year
    double exposure = 0.0;               ///< loans + undisbursed commitments
    double equity_to_loans = 0.0;        ///< E/L; NaN without loans
    double equity_to_exposure = 0.0;     ///< E/(L+U); NaN without exposure
    double lending_capacity = 0.0;       ///< the most the rule let the bank approve this year
    double headroom = 0.0;               ///< what more it could have approved: capacity - granted
    bool capital_constrained = false;    ///< requests exceeded the capacity (granted pro rata)
    /// The rule fails at the end of the year even without this year's approvals: the
    /// vintages already signed need more capital than the bank has (after losses, or a
    /// tighter rule). Nothing new is approved; nothing signed is cancelled.
    bool rule_breached = false;
    transactions_flow_matrix matrix;
    Eigen::VectorXd net_flows;           ///< Delta D_r = matrix.region_net_flows()
};

/// Reports every problem of each input with its location ("bank_terms.grace_years") and
/// value.
void validate(const bank_terms& terms, issues& out);
void validate(const bank_capital& capital, Eigen::Index n_regions, issues& out);
void validate(const bank_counterparts& counterparts, Eigen::Index n_regions, issues& out);
void validate(const approvals_request& request, Eigen::Index n_regions, issues& out);
void validate(const bank_state& state, const bank_terms& terms, Eigen::Index n_regions, issues& out);

/// One year of the bank: from `previous` (start of year t) to `next` (start of t+1), given
/// the approvals requested in year t. N is the size of capital.subscribed. Validates every
/// input first and throws inconsistent_input listing every problem. Pure: `next` may not
/// alias `previous`.
bank_year step(const bank_terms& terms, const bank_capital& capital, const bank_counterparts& counterparts,
               const bank_state& previous, const approvals_request& request, bank_state& next);

}  // namespace integra::models
