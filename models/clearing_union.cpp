// The clearing union (models/clearing_union.hpp); equation numbers are those of
// ../shared/docs/policy-modules.md section D.B.1.
#include "models/clearing_union.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace integra::models {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using Eigen::VectorXi;

namespace {

bool member(const VectorXd& members, Index n) { return members(n) == 1.0; }

// Every input of clear() with the rules: sizes, signs, and the member pattern the
// identities rely on (no payment leaves or enters the union).
void validate_inputs(const clearing_rules& rules, const clearing_state& s, const MatrixXd& channelled,
                     const MatrixXd& customs, const VectorXd& quota, const VectorXd& members, issues& out) {
    validate(rules, out);
    const Index N = members.size();
    const auto size_is = [&](Index size, const char* key) {
        if (size == N) return true;
        out.add(cat("clearing_union.", key), cat("must have ", N, " entries (one per region), got ", size));
        return false;
    };
    const auto square = [&](const MatrixXd& m, const char* key) {
        if (m.rows() == N && m.cols() == N) return true;
        out.add(cat("clearing_union.", key), cat("must be ", N, " x ", N, " (importer, exporter), got ", m.rows(), " x ", m.cols()));
        return false;
    };
    for (Index n = 0; n < N; ++n)
        if (members(n) != 0.0 && members(n) != 1.0)
            out.add(cat("clearing_union.members[", n, "]"), cat("must be 0 or 1, got ", number_text(members(n))));
    if (size_is(quota.size(), "quota"))
        for (Index n = 0; n < N; ++n)
            if (!(quota(n) >= 0.0 && std::isfinite(quota(n))) || (quota(n) != 0.0 && members(n) == 0.0))
                out.add(cat("clearing_union.quota[", n, "]"),
                        cat("must be >= 0, and 0 for a non-member, got ", number_text(quota(n))));
    if (square(customs, "customs"))
        for (Index n = 0; n < N; ++n)
            for (Index i = 0; i < N; ++i)
                if (!(customs(n, i) >= 0.0 && std::isfinite(customs(n, i))))
                    out.add(cat("clearing_union.customs[", n, ", ", i, "]"),
                            cat("must be >= 0, got ", number_text(customs(n, i))));
    if (square(channelled, "channelled"))
        for (Index n = 0; n < N; ++n)
            for (Index i = 0; i < N; ++i) {
                const double f = channelled(n, i);
                if (!(f >= 0.0 && std::isfinite(f)))
                    out.add(cat("clearing_union.channelled[", n, ", ", i, "]"), cat("must be >= 0, got ", number_text(f)));
                else if (f != 0.0 && (n == i || !member(members, n) || !member(members, i)))
                    out.add(cat("clearing_union.channelled[", n, ", ", i, "]"),
                            cat("must be 0 unless importer and exporter are distinct members, got ", number_text(f)));
            }
    size_is(s.balance.size(), "opening.balance");
    size_is(s.settled.size(), "opening.settled");
    size_is(s.periods_settling_as_debtor.size(), "opening.periods_settling_as_debtor");
    size_is(s.periods_settling_as_creditor.size(), "opening.periods_settling_as_creditor");
}

}  // namespace

void validate(const clearing_rules& r, issues& out) {
    if (r.periods_per_year < 1 || r.periods_per_year > 12)
        out.add("clearing_union.periods_per_year",
                cat("must be in [1, 12] (SUCRE 2, ALADI 3, EPU 12 a year), got ", r.periods_per_year));
    if (!(r.margin >= 0.0 && std::isfinite(r.margin)))
        out.add("clearing_union.margin", cat("must be >= 0 (a multiple of the quota), got ", number_text(r.margin)));
    if (!(r.charge >= 0.0 && std::isfinite(r.charge)))
        out.add("clearing_union.charge", cat("must be >= 0 (a rate per year), got ", number_text(r.charge)));
}

clearing_state opening_clearing_state(Index n) {
    return {VectorXd::Zero(n), VectorXd::Zero(n), VectorXi::Zero(n), VectorXi::Zero(n)};
}

MatrixXd channelled_payments(const MatrixXd& imports, const VectorXd& members, double uptake, double markup) {
    const Index N = imports.rows();
    MatrixXd F = MatrixXd::Zero(N, N);
    // D.B.1 eq. 1: F_{ni} = u M_{ni}, times (1 + markup) for over-invoicing (B1.2 [V]).
    for (Index n = 0; n < N; ++n)
        for (Index i = 0; i < N; ++i)
            if (n != i && member(members, n) && member(members, i)) F(n, i) = uptake * imports(n, i) * (1.0 + markup);
    return F;
}

VectorXd quotas(const MatrixXd& imports, const VectorXd& members, double quota_share, int periods_per_year) {
    const Index N = imports.rows();
    VectorXd q = VectorXd::Zero(N);
    // D.B.1 eq. 4: q_n = 0.2 x a period's intra-union imports (SUCRE rule [V]).
    for (Index n = 0; n < N; ++n) {
        if (!member(members, n)) continue;
        double intra = 0.0;
        for (Index i = 0; i < N; ++i)
            if (i != n && member(members, i)) intra += imports(n, i);
        q(n) = quota_share * intra / periods_per_year;
    }
    return q;
}

clearing_year clear(const clearing_rules& rules, const clearing_state& opening, const MatrixXd& channelled,
                    const MatrixXd& customs, const VectorXd& quota, const VectorXd& members, clearing_state& closing) {
    {
        issues problems;
        validate_inputs(rules, opening, channelled, customs, quota, members, problems);
        problems.throw_if_any<inconsistent_input>("clearing union");
    }
    const Index N = members.size();
    const int P = rules.periods_per_year;

    // D.B.1 eq. 1: the year's flows spread evenly over the periods.
    const VectorXd imports = channelled.rowwise().sum() / P;
    const VectorXd exports = channelled.colwise().sum().transpose() / P;
    const VectorXd margin = rules.margin * quota;  // D.B.1 eq. 4: m_n = mu q_n

    clearing_state s = opening;  // `closing` may alias `opening`
    clearing_year y;
    y.channelled_exports.resize(P, N);
    y.channelled_imports.resize(P, N);
    y.net_position.resize(P, N);
    y.balance_before.resize(P, N);
    y.settlement.resize(P, N);
    y.balance.resize(P, N);
    y.margin.resize(P, N);
    y.structural_debtor.resize(P, N);
    y.structural_creditor.resize(P, N);
    y.gross_payments.resize(P);
    y.netting_efficiency.resize(P);
    y.clearing_house_hard_currency.resize(P);
    // D.B.1 eq. 2: x_n = sum_i F_{in} - sum_i F_{ni}, the same in every period.
    const VectorXd x = exports - imports;
    for (int p = 0; p < P; ++p) {
        y.channelled_exports.row(p) = exports.transpose();
        y.channelled_imports.row(p) = imports.transpose();
        y.net_position.row(p) = x.transpose();
        s.balance += x;  // D.B.1 eq. 4: b_n <- b_n + x_n
        y.balance_before.row(p) = s.balance.transpose();
        for (Index n = 0; n < N; ++n) {
            // D.B.1 eq. 4: the part of |b_n| above the margin is settled in hard currency at the
            // period's end (SUCRE: debtors pay in convertible currency each semester [V]), and
            // b_n is reset to the margin. settlement > 0: the house pays a creditor.
            const double b = s.balance(n);
            double settle = 0.0;
            if (std::abs(b) > margin(n)) {
                settle = b - std::copysign(margin(n), b);
                s.balance(n) = std::copysign(margin(n), b);  // exactly at the margin, not b - settle
                s.settled(n) += settle;
            }
            y.settlement(p, n) = settle;
            // D.B.1 eq. 7: a member settling the same way in consecutive periods sits at its margin
            // (SUCRE's structural debtor Venezuela and creditor Ecuador, B1.2 [V]).
            int& debtor = s.periods_settling_as_debtor(n);
            int& creditor = s.periods_settling_as_creditor(n);
            debtor = settle < 0.0 ? debtor + 1 : 0;
            creditor = settle > 0.0 ? creditor + 1 : 0;
            y.structural_debtor(p, n) = debtor >= 2 ? 1 : 0;
            y.structural_creditor(p, n) = creditor >= 2 ? 1 : 0;
        }
        y.balance.row(p) = s.balance.transpose();
        y.margin.row(p) = margin.transpose();
        y.gross_payments(p) = imports.sum();
        // D.B.1 eq. 3 with each transfer counted once: NE = 1 - (sum_n |x_n| / 2) / sum_n sum_i F_{ni}
        // (the share cleared without hard currency; ALADI 43-49% [V]).
        y.netting_efficiency(p) = y.gross_payments(p) > 0.0 ? 1.0 - 0.5 * x.cwiseAbs().sum() / y.gross_payments(p)
                                                            : std::numeric_limits<double>::quiet_NaN();
        y.clearing_house_hard_currency(p) = -s.settled.sum();
    }

    y.hard_currency_paid = (-y.settlement).cwiseMax(0.0).colwise().sum().transpose();  // never -0
    y.hard_currency_received = y.settlement.cwiseMax(0.0).colwise().sum().transpose();
    // D.B.1 eq. 6(i): hard currency saved = the channelled imports not paid for in dollars.
    y.hard_currency_saved = channelled.rowwise().sum() - y.hard_currency_paid;
    // D.B.1 eq. 5 (Keynes ICU [M]): c max(0, B - q/4) + c max(0, B - q/2) on the year's average
    // balance B, debit or credit alike.
    const VectorXd average = y.balance.cwiseAbs().colwise().mean().transpose();
    y.charges = rules.charge * ((average - quota / 4.0).cwiseMax(0.0) + (average - quota / 2.0).cwiseMax(0.0));
    y.balance_change = s.balance - opening.balance;
    // D.B.1 eq. 7: channelled exports above customs exports to members (SUCRE 2013: >US$800 M
    // against US$460 M [V]).
    y.over_invoicing = VectorXi::Zero(N);
    for (Index n = 0; n < N; ++n) {
        double recorded = 0.0;
        for (Index i = 0; i < N; ++i)
            if (i != n && member(members, i)) recorded += customs(i, n);
        y.over_invoicing(n) = channelled.col(n).sum() > recorded ? 1 : 0;
    }
    y.channelled = channelled;
    closing = std::move(s);
    return y;
}

}  // namespace integra::models
