#include "models/currency_union.hpp"

#include <cmath>

#include "core/errors.hpp"

namespace integra::models {

using Eigen::Index;
using Eigen::VectorXd;

double currency_trade_cost_change(double trade_effect, double trade_elasticity, double share) {
    if (!(trade_elasticity > 0.0)) throw inconsistent_input("currency union: the trade elasticity must be > 0");
    // policy-modules B2.2: flows scale with kappa^-theta, so a rise 1 + g is kappa-hat = (1 + g)^(-1/theta).
    return std::pow(1.0 + share * trade_effect, -1.0 / trade_elasticity);
}

VectorXd wage_index_weights(const VectorXd& value_added, const VectorXd& member_mask) {
    const VectorXd members = value_added.cwiseProduct(member_mask);
    const double total = members.sum();
    if (!(total > 0.0)) throw inconsistent_input("currency union: its members have no value added");
    return members / total;
}

VectorXd relative_wages(const VectorXd& wage_change, const VectorXd& index_weight, const VectorXd& member_mask) {
    const double index = index_weight.dot(wage_change);
    VectorXd omega = VectorXd::Ones(wage_change.size());
    for (Index n = 0; n < omega.size(); ++n)
        if (member_mask(n) > 0.0) omega(n) = wage_change(n) / index;
    return omega;
}

VectorXd wage_floors(const VectorXd& previous_relative_wage, const VectorXd& relative_wage_growth, double gamma_w,
                     double inflation, const VectorXd& member_mask) {
    VectorXd floor = VectorXd::Zero(previous_relative_wage.size());
    for (Index n = 0; n < floor.size(); ++n)
        if (member_mask(n) > 0.0)  // policy-modules D.B.2 eq. 2, in relative wages (see the header)
            floor(n) = previous_relative_wage(n) * gamma_w / ((1.0 + inflation) * relative_wage_growth(n));
    return floor;
}

VectorXd fiscal_transfers(const VectorXd& employment_gap, const VectorXd& gdp, double phi, const VectorXd& member_mask) {
    VectorXd t = VectorXd::Zero(gdp.size());
    if (phi == 0.0) return t;
    const VectorXd members_gdp = gdp.cwiseProduct(member_mask);
    const double mean = members_gdp.dot(employment_gap) / members_gdp.sum();
    for (Index n = 0; n < t.size(); ++n)  // policy-modules D.B.2 Costs 3
        if (member_mask(n) > 0.0) t(n) = -phi * (employment_gap(n) - mean) * gdp(n);
    return t;
}

}  // namespace integra::models
