// The development bank's balance-sheet engine (models/development_bank.hpp). Equation
// numbers are those of ../shared/docs/policy-modules.md section D.A.
#include "models/development_bank.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::models {

using Eigen::Index;
using Eigen::VectorXd;

namespace {

constexpr double share_tolerance = 1e-9;

bool finite(double x) { return std::isfinite(x); }

void require_finite(double x, const char* where, issues& out) {
    if (!finite(x)) out.add(where, cat("must be a finite number, got ", x));
}

// A list of shares: non-negative, finite, summing to 1.
void require_shares(const std::vector<double>& v, const std::string& where, issues& out) {
    if (v.empty()) {
        out.add(where, "must list at least one share");
        return;
    }
    double sum = 0.0;
    for (std::size_t k = 0; k < v.size(); ++k) {
        if (!finite(v[k]) || v[k] < 0.0)
            out.add(cat(where, "[", k, "]"), cat("must be a share >= 0, got ", number_text(v[k])));
        sum += v[k];
    }
    if (finite(sum) && std::abs(sum - 1.0) > share_tolerance)
        out.add(where, cat("shares must sum to 1, got ", number_text(sum, 12)));
}

void require_region_shares(const VectorXd& v, Index n, const std::string& where, issues& out) {
    if (v.size() != n) {
        out.add(where, cat("expected ", n, " region shares, got ", v.size()));
        return;
    }
    require_shares(std::vector<double>(v.data(), v.data() + v.size()), where, out);
}

void require_amounts(const VectorXd& v, Index n, const std::string& where, issues& out) {
    if (v.size() != n) {
        out.add(where, cat("expected ", n, " amounts (one per region), got ", v.size()));
        return;
    }
    for (Index r = 0; r < n; ++r)
        if (!finite(v(r)) || v(r) < 0.0)
            out.add(cat(where, "[", r, "]"), cat("must be an amount >= 0, got ", number_text(v(r))));
}

// Shares validated to sum to 1 within share_tolerance, rescaled to sum to 1 to rounding so
// that every row of the transactions-flow matrix closes.
VectorXd normalised(const VectorXd& v) { return v / v.sum(); }

// Cumulative disbursed share through age a (D.A eq. 2): sum_{s <= a} d_s, 1 past the profile.
double disbursed_through(const std::vector<double>& d, int age) {
    double sum = 0.0;
    for (int s = 0; s <= age && s < static_cast<int>(d.size()); ++s) sum += d[static_cast<std::size_t>(s)];
    return age >= static_cast<int>(d.size()) - 1 ? 1.0 : sum;
}

double ratio_or_nan(double num, double den) {
    return den > 0.0 ? num / den : std::numeric_limits<double>::quiet_NaN();
}

// One vintage through one year. D.A eq. 2: disbursement d_a x approved. D.A eq. 3: no
// principal in the years of age 0 .. G-1; from age G to M-1 the balance (with this year's
// tranche) is repaid in equal parts over the instalments left, (L + disb) / (M - a), which
// gives equal principal instalments approved / (M - G) when the loan is fully disbursed
// before the grace period ends (as with the defaults: 5 tranches, G = 5), and amortises
// later tranches over the years that remain otherwise; the loan is repaid at age M - 1.
struct vintage_flows {
    double disbursed = 0.0, principal = 0.0, outstanding = 0.0;
};
vintage_flows advance(const bank_terms& t, int age, double approved, double outstanding) {
    vintage_flows f;
    const int S = static_cast<int>(t.disbursement_profile.size());
    f.disbursed = age < S ? t.disbursement_profile[static_cast<std::size_t>(age)] * approved : 0.0;
    const double balance = outstanding + f.disbursed;
    if (age >= t.grace_years && age < t.maturity_years)
        f.principal = age == t.maturity_years - 1 ? balance : balance / static_cast<double>(t.maturity_years - age);
    f.outstanding = balance - f.principal;
    return f;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Validation

void validate(const bank_terms& t, issues& out) {
    require_shares(t.disbursement_profile, "bank_terms.disbursement_profile", out);
    if (t.grace_years < 0) out.add("bank_terms.grace_years", cat("must be >= 0 years, got ", t.grace_years));
    if (t.maturity_years <= t.grace_years)
        out.add("bank_terms.maturity_years", cat("must be longer than the grace period (", t.grace_years,
                                                 " years), got ", t.maturity_years));
    if (t.maturity_years >= 1 && static_cast<int>(t.disbursement_profile.size()) > t.maturity_years)
        out.add("bank_terms.disbursement_profile",
                cat("disburses over ", t.disbursement_profile.size(), " years, longer than the maturity (",
                    t.maturity_years, " years): a loan must be disbursed before it is repaid"));
    require_finite(t.funding_rate, "bank_terms.funding_rate", out);
    if (finite(t.funding_rate) && t.funding_rate <= -1.0)
        out.add("bank_terms.funding_rate", cat("must be > -1, got ", number_text(t.funding_rate)));
    require_finite(t.lending_spread, "bank_terms.lending_spread", out);
    require_finite(t.liquid_asset_rate, "bank_terms.liquid_asset_rate", out);
    if (!(t.dividend_share >= 0.0 && t.dividend_share <= 1.0))
        out.add("bank_terms.dividend_share", cat("must be a share in [0, 1], got ", number_text(t.dividend_share)));
    if (!(t.inflation > -0.5 && t.inflation < 1.0))
        out.add("bank_terms.inflation", cat("must be a rate per year in (-0.5, 1), got ", number_text(t.inflation)));
    if (t.grace_years == 0 && t.maturity_years < 2)
        out.add("bank_terms.maturity_years",
                cat("must be at least 2 years without a grace period (a loan repaid in the year it is signed "
                    "carries no exposure), got ",
                    t.maturity_years));
    if (finite(t.liquid_asset_rate) && t.liquid_asset_rate <= -1.0)
        out.add("bank_terms.liquid_asset_rate", cat("must be > -1, got ", number_text(t.liquid_asset_rate)));
    if (!(t.expected_loss >= 0.0 && t.expected_loss < 1.0))
        out.add("bank_terms.expected_loss", cat("must be a share per year in [0, 1), got ", number_text(t.expected_loss)));
    if (!(t.operating_cost_rate >= 0.0 && t.operating_cost_rate < 1.0))
        out.add("bank_terms.operating_cost_rate",
                cat("must be a share of assets per year in [0, 1), got ", number_text(t.operating_cost_rate)));
    if (!(t.liquidity_share >= 0.0 && finite(t.liquidity_share)))
        out.add("bank_terms.liquidity_share", cat("must be >= 0, got ", number_text(t.liquidity_share)));
    switch (t.capital_rule) {
        case bank_terms::capital_rule_kind::equity_to_loans:
            if (!(t.min_equity_to_loans > 0.0 && finite(t.min_equity_to_loans)))
                out.add("bank_terms.min_equity_to_loans",
                        cat("the equity/loans floor must be > 0, got ", number_text(t.min_equity_to_loans)));
            break;
        case bank_terms::capital_rule_kind::gearing:
            if (!(t.max_gearing > 0.0 && finite(t.max_gearing)))
                out.add("bank_terms.max_gearing", cat("the gearing limit must be > 0, got ", number_text(t.max_gearing)));
            break;
    }
}

void validate(const bank_capital& c, Index n, issues& out) {
    require_amounts(c.subscribed, n, "bank_capital.subscribed", out);
    if (!(c.paid_in_share >= 0.0 && c.paid_in_share <= 1.0))
        out.add("bank_capital.paid_in_share", cat("must be a share in [0, 1], got ", number_text(c.paid_in_share)));
    require_shares(c.paid_in_schedule, "bank_capital.paid_in_schedule", out);
}

void validate(const bank_counterparts& c, Index n, issues& out) {
    require_region_shares(c.bond_holders, n, "bank_counterparts.bond_holders", out);
    require_region_shares(c.liquid_asset_issuers, n, "bank_counterparts.liquid_asset_issuers", out);
    require_region_shares(c.operating_cost_recipients, n, "bank_counterparts.operating_cost_recipients", out);
}

void validate(const approvals_request& r, Index n, issues& out) {
    require_amounts(r.amounts, n, "approvals_request.amounts", out);
    if (r.transport.size() != 0) {
        require_amounts(r.transport, n, "approvals_request.transport", out);
        if (r.transport.size() == n && r.amounts.size() == n)
            for (Index i = 0; i < n; ++i)
                if (r.transport(i) > r.amounts(i))
                    out.add(cat("approvals_request.transport[", i, "]"),
                            cat("must not exceed the amount requested (", number_text(r.amounts(i)), "), got ",
                                number_text(r.transport(i))));
    }
    if (r.up_to_capacity && r.amounts.size() == n && r.amounts.sum() > 0.0 &&
        std::abs(r.amounts.sum() - 1.0) > share_tolerance)
        out.add("approvals_request.amounts",
                cat("with up_to_capacity the amounts are an allocation key and must sum to 1, got ",
                    number_text(r.amounts.sum())));
}

void validate(const bank_state& s, const bank_terms& t, Index n, issues& out) {
    if (s.years_open < 0) out.add("bank_state.years_open", cat("must be >= 0, got ", s.years_open));
    require_amounts(s.paid_in_by_member, n, "bank_state.paid_in_by_member", out);
    require_amounts(s.loans, n, "bank_state.loans", out);
    require_finite(s.paid_in_capital, "bank_state.paid_in_capital", out);
    require_finite(s.retained_earnings, "bank_state.retained_earnings", out);
    require_finite(s.liquid_assets, "bank_state.liquid_assets", out);
    if (!(s.bonds >= 0.0 && finite(s.bonds))) out.add("bank_state.bonds", cat("must be >= 0, got ", number_text(s.bonds)));
    if (!(s.loan_loss_allowance >= 0.0 && finite(s.loan_loss_allowance)))
        out.add("bank_state.loan_loss_allowance", cat("must be >= 0, got ", number_text(s.loan_loss_allowance)));
    VectorXd by_borrower = VectorXd::Zero(n);
    for (std::size_t k = 0; k < s.vintages.size(); ++k) {
        const auto& v = s.vintages[k];
        const std::string where = cat("bank_state.vintages[", k, "]");
        if (v.borrower < 0 || v.borrower >= n)
            out.add(where + ".borrower", cat("region index ", v.borrower, " out of range [0, ", n, ")"));
        else if (finite(v.outstanding))
            by_borrower(v.borrower) += v.outstanding;
        if (v.age < 1 || v.age >= t.maturity_years)
            out.add(where + ".age", cat("must be in [1, ", t.maturity_years, ") (signed, not yet repaid), got ", v.age));
        if (!(v.approved >= 0.0 && finite(v.approved)))
            out.add(where + ".approved", cat("must be >= 0, got ", number_text(v.approved)));
        if (!(v.outstanding >= 0.0 && finite(v.outstanding)))
            out.add(where + ".outstanding", cat("must be >= 0, got ", number_text(v.outstanding)));
    }
    if (s.loans.size() == n && s.loans.allFinite() && by_borrower.allFinite()) {
        const double scale = std::max(1.0, s.loans.cwiseAbs().sum());
        for (Index r = 0; r < n; ++r)
            if (std::abs(by_borrower(r) - s.loans(r)) > 1e-9 * scale)
                out.add(cat("bank_state.loans[", r, "]"), cat("is ", number_text(s.loans(r), 15),
                                                              " but its vintages add up to ", number_text(by_borrower(r), 15)));
    }
    if (s.paid_in_by_member.size() == n && s.paid_in_by_member.allFinite() && finite(s.paid_in_capital) &&
        std::abs(s.paid_in_by_member.sum() - s.paid_in_capital) > 1e-9 * std::max(1.0, std::abs(s.paid_in_capital)))
        out.add("bank_state.paid_in_capital", cat("is ", number_text(s.paid_in_capital, 15), " but the members paid in ",
                                                  number_text(s.paid_in_by_member.sum(), 15)));
}

// ---------------------------------------------------------------------------------------
// State and matrix helpers

bank_state opening_state(Index n_regions) {
    bank_state s;
    s.paid_in_by_member = VectorXd::Zero(n_regions);
    s.loans = VectorXd::Zero(n_regions);
    return s;
}

VectorXd undisbursed(const bank_terms& terms, const bank_state& state, Index n_regions) {
    VectorXd u = VectorXd::Zero(n_regions);
    // A vintage of age a (in the coming year) has had the tranches of ages 0 .. a-1 paid.
    for (const auto& v : state.vintages)
        u(v.borrower) += v.approved * (1.0 - disbursed_through(terms.disbursement_profile, v.age - 1));
    return u;
}

VectorXd transactions_flow_matrix::net_lending() const {
    return flows.topRows(first_financial_row).colwise().sum().transpose();
}

VectorXd transactions_flow_matrix::region_net_flows() const {
    const VectorXd total = flows.colwise().sum().transpose();
    VectorXd d(n_regions);
    for (Index r = 0; r < n_regions; ++r) d(r) = total(official(r)) + total(investors(r));
    return d;
}

const char* transactions_flow_matrix::row_name(int r) {
    switch (r) {
        case loan_interest: return "loan interest";
        case bond_interest: return "bond interest";
        case liquid_asset_return: return "return on liquid assets";
        case operating_costs: return "operating costs";
        case dividends: return "dividends";
        case paid_in_capital: return "paid-in capital";
        case disbursements: return "disbursements";
        case repayments: return "repayments";
        case bond_issuance: return "bond issuance (net)";
        case liquid_asset_change: return "change in liquid assets";
        default: return "?";
    }
}

// ---------------------------------------------------------------------------------------
// One year

bank_year step(const bank_terms& t, const bank_capital& capital, const bank_counterparts& counterparts,
               const bank_state& previous, const approvals_request& request, bank_state& next) {
    const Index n = capital.subscribed.size();
    {
        issues problems;
        validate(t, problems);
        validate(capital, n, problems);
        validate(counterparts, n, problems);
        validate(request, n, problems);
        if (problems.empty()) validate(previous, t, n, problems);
        problems.throw_if_any<inconsistent_input>("development bank");
    }
    if (&next == &previous) throw internal_error("development bank step: `next` aliases `previous`");

    // D.A eq. 3: r_L = r_B + s; real, as the books (Fisher: (1 + r) / (1 + pi) - 1).
    const double r_L = t.real(t.lending_rate()), r_B = t.real(t.funding_rate), r_Q = t.real(t.liquid_asset_rate);
    const double L0 = previous.total_loans(), Q0 = previous.liquid_assets, B0 = previous.bonds;

    bank_year y;
    y.approvals_requested = request.amounts;
    y.approvals_granted = VectorXd::Zero(n);
    y.disbursements = VectorXd::Zero(n);
    y.transport_disbursements = VectorXd::Zero(n);
    y.repayments = VectorXd::Zero(n);

    // D.A eq. 4: income and costs accrue on the opening stocks.
    y.loan_interest = r_L * previous.loans;
    y.interest_income = y.loan_interest.sum();
    y.liquid_asset_income = r_Q * Q0;
    y.bond_interest = r_B * B0;
    y.operating_costs = t.operating_cost_rate * (Q0 + L0);  // opex x assets [M]
    // The allowance is trued up to one year's expected loss on the opening book, l L_t.
    y.provisions = t.expected_loss * L0 - previous.loan_loss_allowance;
    y.net_income = y.interest_income + y.liquid_asset_income - y.bond_interest - y.operating_costs - y.provisions;

    // Paid-in capital (D.A "State": cumulative paid-in per member): the year's instalment
    // of subscribed x paid-in share.
    const auto year = static_cast<std::size_t>(previous.years_open);
    y.paid_in = year < capital.paid_in_schedule.size()
                    ? VectorXd(capital.subscribed * (capital.paid_in_share * capital.paid_in_schedule[year]))
                    : VectorXd::Zero(n);

    next = bank_state{};
    next.years_open = previous.years_open + 1;
    next.paid_in_by_member = previous.paid_in_by_member + y.paid_in;
    next.paid_in_capital = previous.paid_in_capital + y.paid_in.sum();
    // Dividends: a share of positive net income, to members by their paid-in capital; the
    // rest is retained (D.A eq. 4 with a distribution rule).
    y.dividends = t.dividend_share * std::max(0.0, y.net_income);
    y.dividends_by_member = next.paid_in_capital > 0.0
                                ? VectorXd(next.paid_in_by_member * (y.dividends / next.paid_in_capital))
                                : VectorXd::Zero(n);
    if (!(next.paid_in_capital > 0.0)) y.dividends = 0.0;  // no member to pay
    next.retained_earnings = previous.retained_earnings + y.net_income - y.dividends;
    const double E1 = next.equity();  // D.A eq. 4: E_{t+1} = E_t + PaidIn_t + NI_t - Div_t

    // D.A eqs. 2-3 for the vintages already signed; what they will still need (exposure).
    double exposure_signed = 0.0;
    next.vintages.reserve(previous.vintages.size() + static_cast<std::size_t>(n));
    for (const auto& v : previous.vintages) {
        const vintage_flows f = advance(t, v.age, v.approved, v.outstanding);
        y.disbursements(v.borrower) += f.disbursed;
        y.transport_disbursements(v.borrower) += v.transport_share * f.disbursed;
        y.repayments(v.borrower) += f.principal;
        exposure_signed += f.outstanding + v.approved * (1.0 - disbursed_through(t.disbursement_profile, v.age));
        if (v.age + 1 < t.maturity_years)
            next.vintages.push_back({v.borrower, v.age + 1, v.approved, f.outstanding, v.transport_share});
    }

    // D.A eqs. 1 and 6: approvals are capped so that the capital rule holds after every
    // projected disbursement: the rule is applied to loans plus undisbursed commitments at
    // the end of the year (E_{t+1} does not depend on this year's approvals: income accrues
    // on opening stocks). One unit approved adds 1 to that exposure, less the principal
    // repaid in its first year when there is no grace period.
    const double unit_exposure =
        1.0 - (t.grace_years == 0 ? t.disbursement_profile.front() / static_cast<double>(t.maturity_years) : 0.0);
    const double allowed =
        t.capital_rule == bank_terms::capital_rule_kind::equity_to_loans
            ? E1 / t.min_equity_to_loans                                                       // E >= e_min (L + U)
            : t.max_gearing * (capital.subscribed.sum() + next.retained_earnings);             // L + U <= g (S + RE)
    y.lending_capacity = std::max(0.0, (allowed - exposure_signed) / unit_exposure);
    y.rule_breached = exposure_signed > allowed;
    if (request.up_to_capacity) {
        // "As much as capital allows": the whole capacity over the key; the rule binds.
        y.approvals_requested = request.amounts * y.lending_capacity;
        y.approvals_granted = y.approvals_requested;
        y.capital_constrained = y.lending_capacity > 0.0 && request.amounts.sum() > 0.0;
        y.headroom = 0.0;
    } else {
        const double requested = request.amounts.sum();
        y.capital_constrained = requested > y.lending_capacity;
        // Pro rata when constrained: every borrower gets the same share of its request.
        y.approvals_granted = y.capital_constrained ? VectorXd(request.amounts * (y.lending_capacity / requested))
                                                    : VectorXd(request.amounts);
        y.headroom = y.capital_constrained ? 0.0 : y.lending_capacity - y.approvals_granted.sum();
    }

    for (Index r = 0; r < n; ++r) {
        const double a = y.approvals_granted(r);
        if (!(a > 0.0)) continue;
        const double transport_share =
            request.transport.size() == 0 || !(request.amounts(r) > 0.0) ? 0.0 : request.transport(r) / request.amounts(r);
        const vintage_flows f = advance(t, 0, a, 0.0);
        y.disbursements(r) += f.disbursed;
        y.transport_disbursements(r) += transport_share * f.disbursed;
        y.repayments(r) += f.principal;
        if (1 < t.maturity_years) next.vintages.push_back({r, 1, a, f.outstanding, transport_share});
    }

    // Stocks. L_{n,t+1} = L_{n,t} + Disb_{n,t} - Repay_{n,t}; provisions move the allowance
    // (a contra-asset: no cash moves; CAF has had no impaired public-sector loan [V]).
    next.loans = previous.loans + y.disbursements - y.repayments;
    next.loan_loss_allowance = previous.loan_loss_allowance + y.provisions;  // = l L_t
    const double net_loans = next.total_loans() - next.loan_loss_allowance;

    // D.A eq. 5: liquid assets at the floor, bonds the residual of Q + L = B + E (here with
    // L net of the allowance); equivalently B_{t+1} = B_t + Disb - Repay + dQ - PaidIn - NI
    // - provisions + Div (NI + provisions is the cash the bank earned). A bank whose equity
    // exceeds its loans plus the floor issues no bonds and holds the rest as liquid assets.
    double base = 0.0;
    if (t.liquidity_rule == bank_terms::liquidity_base::loans) {
        base = next.total_loans();
    } else {
        const int S = static_cast<int>(t.disbursement_profile.size());
        for (const auto& v : next.vintages)
            if (v.age < S) base += t.disbursement_profile[static_cast<std::size_t>(v.age)] * v.approved;
    }
    y.liquidity_floor = t.liquidity_share * base;
    next.bonds = std::max(0.0, y.liquidity_floor + net_loans - E1);
    next.liquid_assets = next.bonds + E1 - net_loans;
    y.bond_issuance = next.bonds - B0;
    y.liquid_asset_change = next.liquid_assets - Q0;

    // Ratios at the end of the year (D.A eq. 6).
    const VectorXd u = undisbursed(t, next, n);
    y.exposure = next.total_loans() + u.sum();
    y.equity_to_loans = ratio_or_nan(E1, next.total_loans());
    y.equity_to_exposure = ratio_or_nan(E1, y.exposure);

    // D.A item 9: the transactions-flow matrix. + receipt, - payment.
    using M = transactions_flow_matrix;
    y.matrix.n_regions = n;
    y.matrix.flows = Eigen::MatrixXd::Zero(M::n_rows, 2 * n + 1);
    auto& F = y.matrix.flows;
    const VectorXd h = normalised(counterparts.bond_holders);
    const VectorXd lq = normalised(counterparts.liquid_asset_issuers);
    const VectorXd op = normalised(counterparts.operating_cost_recipients);
    for (Index r = 0; r < n; ++r) {
        const Index o = y.matrix.official(r), p = y.matrix.investors(r);
        F(M::loan_interest, o) = -y.loan_interest(r);
        F(M::paid_in_capital, o) = -y.paid_in(r);
        F(M::disbursements, o) = y.disbursements(r);
        F(M::repayments, o) = -y.repayments(r);
        F(M::bond_interest, p) = h(r) * y.bond_interest;
        F(M::bond_issuance, p) = -h(r) * y.bond_issuance;
        F(M::liquid_asset_return, p) = -lq(r) * y.liquid_asset_income;
        F(M::liquid_asset_change, p) = lq(r) * y.liquid_asset_change;
        F(M::operating_costs, p) = op(r) * y.operating_costs;
        F(M::dividends, o) = y.dividends_by_member(r);
    }
    // The bank's entries are its own amounts, not the negated row sums, so that the tests'
    // row and column sums check the accounting rather than restate it.
    const Index b = y.matrix.bank();
    F(M::loan_interest, b) = y.interest_income;
    F(M::bond_interest, b) = -y.bond_interest;
    F(M::liquid_asset_return, b) = y.liquid_asset_income;
    F(M::operating_costs, b) = -y.operating_costs;
    F(M::dividends, b) = -y.dividends;
    F(M::paid_in_capital, b) = y.paid_in.sum();
    F(M::disbursements, b) = -y.disbursements.sum();
    F(M::repayments, b) = y.repayments.sum();
    F(M::bond_issuance, b) = y.bond_issuance;
    F(M::liquid_asset_change, b) = -y.liquid_asset_change;
    y.net_flows = y.matrix.region_net_flows();  // D.A eq. 7(a): Delta D_r
    return y;
}

}  // namespace integra::models
