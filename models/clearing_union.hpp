// A multilateral clearing union in the style of ALBA's SUCRE: members route
// payments for their imports from one another through a clearing house, which nets them
// over each settlement period; only the part of a member's position above its credit
// margin is settled in hard currency. Pure functions; the caller carries the state from
// year to year and chooses how (or whether) the balances feed back into the trade
// equilibrium (policy-modules D.B.1 eq. 6: accounting only, credit or transaction cost).
//
// Sources (../shared/docs/policy-modules.md, B1 and D.B.1, with the tags of D.D):
//   - channelled flows F_{ni} = u M_{ni}, spread evenly over the periods (D.B.1 eq. 1;
//     SUCRE carried ~50% of Ecuador-Venezuela trade, ALADI 1.5-89% of intraregional
//     trade [V]); a markup on F models over-invoicing (B1.2: >US$800 M of SUCRE
//     operations in 2013 against US$460 M in customs records [V]);
//   - net positions x_n and the netting efficiency (D.B.1 eqs. 2-3; ALADI compensated
//     43-49% of gross operations multilaterally in 2000-01 [V]);
//   - settlement: the part of |b_n| above the margin mu q_n is paid in hard currency at
//     the end of each period (D.B.1 eq. 4; SUCRE settled every semester, ALADI every
//     four months, the EPU monthly [V]); quota q_n = 20% of a period's intra-union imports
//     (SUCRE's allocation rule [V]);
//   - symmetric charges on balances, c above 1/4 of quota and c more above 1/2 (D.B.1
//     eq. 5; Keynes's International Clearing Union, B1.6 [M]);
//   - failure diagnostics: structural debtors and creditors, over-invoicing (D.B.1 eq. 7).
//
// Units: every amount is in the unit of account, US$ at constant base-year prices (the
// dataset's money unit), flows per year unless a field says per period. Regions are
// indices 0..N-1; non-members are carried with zeros so that every vector is N long.
// Matrices of payments are (importer n, exporter i), as the trade equilibrium's imports.
#pragma once

#include <Eigen/Dense>

#include "core/issues.hpp"

namespace integra::models {

struct clearing_rules {
    int periods_per_year = 2;  ///< P: settlement periods a year: SUCRE 2, ALADI 3, EPU 12 [V]; in [1, 12]
    double margin = 1.0;       ///< mu: credit margin as a multiple of the quota, >= 0 (0: every position settled each period) (D.B.1 eq. 4, range 0-1)
    double charge = 0.0;       ///< c: charge per year on the average |balance| above 1/4 of quota, plus c above 1/2 (Keynes ICU 1% [M]); >= 0, 0 = none
};

/// Appends every problem of `rules` ("clearing_union.<key>", the value and what was expected).
void validate(const clearing_rules& rules, issues& out);

/// What a union carries from one year to the next (US$ at constant base-year prices).
struct clearing_state {
    Eigen::VectorXd balance;  ///< b_n: member's claim on the clearing house (+ creditor, - debtor), N
    Eigen::VectorXd settled;  ///< S_n: cumulative hard currency received (+) or paid (-) in settlements, N
    Eigen::VectorXi periods_settling_as_debtor;    ///< consecutive periods, up to now, in which n paid hard currency, N
    Eigen::VectorXi periods_settling_as_creditor;  ///< consecutive periods, up to now, in which n received it, N
};

/// The state of a union that has not cleared anything yet: zeros, N long.
[[nodiscard]] clearing_state opening_clearing_state(Eigen::Index n_regions);

/// One year of clearing: what happened in each period (P x N or P) and over the year (N).
struct clearing_year {
    // per period p = 0..P-1 and region (P x N), US$ per period:
    Eigen::MatrixXd channelled_exports;  ///< channelled payments received for n's exports in the period
    Eigen::MatrixXd channelled_imports;  ///< channelled payments made for n's imports in the period
    Eigen::MatrixXd net_position;        ///< x_n = exports - imports (sums to 0 over n)
    Eigen::MatrixXd balance_before;      ///< b_n after adding x_n, before settlement
    Eigen::MatrixXd settlement;          ///< hard currency received (+) / paid (-) at the period's end: the part of |b| above mu q_n
    Eigen::MatrixXd balance;             ///< b_n after settlement, |b| <= mu q_n
    Eigen::MatrixXd margin;              ///< mu q_n
    Eigen::MatrixXi structural_debtor;   ///< 1 when n paid hard currency in this and the previous period (across years too), else 0
    Eigen::MatrixXi structural_creditor; ///< 1 when n received hard currency in this and the previous period, else 0
    // per period (P):
    Eigen::VectorXd gross_payments;      ///< sum of channelled payments in the period, US$
    /// NE = 1 - (sum_n |x_n| / 2) / gross: the share of the period's gross payments cleared
    /// without a hard-currency transfer (ALADI's "compensated multilaterally", 43-49% in
    /// 2000-01 [V]), in [0, 1]; NaN when gross = 0. The hard currency that moves is what
    /// the debtors owe, sum_n max(0, -x_n) = sum_n |x_n| / 2: D.B.1 eq. 3 without the
    /// halving counts each transfer twice (paid and received) and would run to -1.
    Eigen::VectorXd netting_efficiency;
    /// -sum_n S_n after the period, US$: >= 0 the house holds hard currency; < 0 it needs
    /// working capital (the EPU had US$350 M [V]).
    Eigen::VectorXd clearing_house_hard_currency;
    // per year and region (N), US$ per year:
    Eigen::VectorXd hard_currency_paid;      ///< hard currency paid in settlements, >= 0
    Eigen::VectorXd hard_currency_received;  ///< hard currency received in settlements, >= 0
    /// Channelled imports minus hard currency paid: the dollars n did not have to find. May be
    /// negative in a year that settles debts carried in from before (a shrinking quota).
    Eigen::VectorXd hard_currency_saved;
    Eigen::VectorXd charges;          ///< ICU-style charges (>= 0) on the average end-of-period |b_n|, paid to a reserve fund; not deducted from b
    Eigen::VectorXd balance_change;   ///< b_n at the end of the year - b_n at its start (what a credit closure finances)
    Eigen::VectorXi over_invoicing;   ///< 1 if n's channelled exports exceed its customs exports to members (the 2013 SUCRE check [V]), else 0
    Eigen::MatrixXd channelled;       ///< the year's channelled payments, N x N (importer, exporter), a copy of the input
};

/// One year of clearing (D.B.1 eqs. 2-5 and 7). `channelled` (N x N, >= 0): annual payments
/// for n's imports from i routed through the union, zero unless both are members, zero
/// diagonal; `customs` (N x N, >= 0): the same imports as customs records them; `quota`
/// (N, >= 0, zero for non-members): q_n per settlement period; `members` (N, 1 member, 0
/// not). Flows are spread evenly over the periods. Validates every input and throws
/// inconsistent_input listing every problem. `closing` may be `opening`.
[[nodiscard]] clearing_year clear(const clearing_rules& rules, const clearing_state& opening,
                                  const Eigen::MatrixXd& channelled, const Eigen::MatrixXd& customs,
                                  const Eigen::VectorXd& quota, const Eigen::VectorXd& members, clearing_state& closing);

/// D.B.1 eq. 1: F(n, i) = uptake M(n, i) (1 + markup) for member pairs n != i, 0 otherwise.
/// `imports` (N x N, US$ per year at world prices, importer n, exporter i); uptake in [0, 1];
/// markup >= 0 over-invoices the channelled payments.
[[nodiscard]] Eigen::MatrixXd channelled_payments(const Eigen::MatrixXd& imports, const Eigen::VectorXd& members,
                                                  double uptake, double markup);

/// D.B.1 eq. 4, SUCRE's allocation rule [V]: q_n = quota_share x (member n's imports from
/// other members in the year) / periods_per_year, US$ per period; 0 for non-members.
[[nodiscard]] Eigen::VectorXd quotas(const Eigen::MatrixXd& imports, const Eigen::VectorXd& members,
                                     double quota_share, int periods_per_year);

}  // namespace integra::models
