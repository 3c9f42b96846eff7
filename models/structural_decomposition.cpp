// Structural decomposition analysis; formulas and sources in structural_decomposition.hpp
// and docs/io-accounting.md.
#include "models/structural_decomposition.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"
#include "models/mrio_accounting.hpp"

#include <algorithm>
#include <array>
#include <numeric>
#include <optional>
#include <string>
#include <tuple>

namespace integra::models {

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

std::string shape(Index rows, Index cols) { return std::to_string(rows) + " x " + std::to_string(cols); }

// share = part / whole, with the zero-denominator rule of the header: borrow the other
// table's share, or 1/R if both wholes are zero.
double share(double part, double whole, double other_part, double other_whole, std::size_t n_regions) {
    if (whole != 0.0) return part / whole;
    if (other_whole != 0.0) return other_part / other_whole;
    return 1.0 / static_cast<double>(n_regions);
}

}  // namespace

MatrixXd structural_decomposition::sum_of_contributions() const {
    MatrixXd sum = MatrixXd::Zero(before.rows(), before.cols());
    for (const auto& c : contributions) sum += c;
    return sum;
}

const MatrixXd& structural_decomposition::contribution(std::string_view factor) const {
    for (std::size_t i = 0; i < factors.size(); ++i)
        if (factors[i] == factor) return contributions[i];
    std::string known;
    for (const auto& f : factors) known += (known.empty() ? "" : ", ") + f;
    throw invalid_input("structural_decomposition: no factor '" + std::string(factor) + "'; factors are " + known);
}

structural_decomposition decompose(const std::vector<std::string>& factors, const sda_quantity& quantity,
                                   sda_ordering ordering) {
    const std::size_t n = factors.size();
    if (n == 0) throw invalid_input("decompose: no factors given");
    if (n > max_sda_factors)
        throw invalid_input("decompose: " + std::to_string(n) +
                            " factors given: the average over all orders enumerates n! orders; at most " +
                            std::to_string(max_sda_factors) + " are supported");
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j)
            if (factors[i] == factors[j]) throw invalid_input("decompose: factor '" + factors[i] + "' listed twice");

    // f(P) for every set P of factors at time 1, evaluated lazily and once.
    const std::uint32_t all = (std::uint32_t{1} << n) - 1;
    std::vector<std::optional<MatrixXd>> cache(std::size_t{1} << n);
    auto f = [&](std::uint32_t mask) -> const MatrixXd& {
        auto& slot = cache[mask];
        if (!slot) {
            slot = quantity(mask);
            const auto& first = cache[0] ? *cache[0] : *slot;
            if (slot->rows() != first.rows() || slot->cols() != first.cols())
                throw invalid_input("decompose: the quantity is " + shape(slot->rows(), slot->cols()) +
                                    " for factor set " + std::to_string(mask) + " but " +
                                    shape(first.rows(), first.cols()) + " for the others");
        }
        return *slot;
    };

    structural_decomposition out;
    out.factors = factors;
    out.ordering = ordering;
    out.before = f(0);
    out.after = f(all);
    out.contributions.assign(n, MatrixXd::Zero(out.before.rows(), out.before.cols()));

    // One ordered decomposition: factors switched to time 1 in `order`; the term of each is
    // f(switched before it + itself) - f(switched before it). The terms telescope.
    auto add_order = [&](const std::vector<std::size_t>& order, double weight) {
        std::uint32_t switched = 0;
        for (const std::size_t i : order) {
            const std::uint32_t next = switched | (std::uint32_t{1} << i);
            out.contributions[i] += weight * (f(next) - f(switched));
            switched = next;
        }
    };

    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    switch (ordering) {
    case sda_ordering::first_polar:
        add_order(order, 1.0);
        break;
    case sda_ordering::second_polar:
        std::reverse(order.begin(), order.end());
        add_order(order, 1.0);
        break;
    case sda_ordering::average_of_all_orders: {
        // Dietzenbacher & Los (1998): the mean of all n! ordered decompositions, enumerated
        // literally (n <= 6). Sum first, divide once, so the result does not depend on the
        // rounding of 1/n!.
        double n_orders = 0.0;
        do {
            add_order(order, 1.0);
            n_orders += 1.0;
        } while (std::next_permutation(order.begin(), order.end()));
        for (auto& c : out.contributions) c /= n_orders;
        break;
    }
    }
    return out;
}

MatrixXd compose(const final_demand_factors& fd, std::size_t n_regions, std::size_t n_sectors) {
    const auto R = static_cast<Index>(n_regions), S = static_cast<Index>(n_sectors);
    MatrixXd y(R * S, R);
    for (Index q = 0; q < R; ++q)
        for (Index r = 0; r < R; ++r)
            for (Index s = 0; s < S; ++s)
                y(r * S + s, q) = fd.level(q) * fd.mix(s, q) * fd.origin(r * S + s, q);
    return y;
}

MatrixXd compose(const technology_factors& t, std::size_t n_regions, std::size_t n_sectors) {
    const auto R = static_cast<Index>(n_regions), S = static_cast<Index>(n_sectors);
    const Index n = R * S;
    MatrixXd a(n, n);
    for (Index j = 0; j < n; ++j)
        for (Index r = 0; r < R; ++r)
            for (Index s = 0; s < S; ++s) a(r * S + s, j) = t.input_mix(s, j) * t.input_origin(r * S + s, j);
    return a;
}

namespace {

// Sum over origin regions: (n x m) -> (S x m), row s = sum_r row (r,s).
MatrixXd sum_over_origins(const Eigen::Ref<const MatrixXd>& m, Index R, Index S) {
    MatrixXd out = MatrixXd::Zero(S, m.cols());
    for (Index r = 0; r < R; ++r) out += m.middleRows(r * S, S);
    return out;
}

// Origin shares origin((r,s),j) = m((r,s),j) / sum_r' m((r',s),j), both tables at once.
std::pair<MatrixXd, MatrixXd> origin_shares(const Eigen::Ref<const MatrixXd>& m0, const MatrixXd& by_product0,
                                            const Eigen::Ref<const MatrixXd>& m1, const MatrixXd& by_product1,
                                            Index R, Index S) {
    MatrixXd o0(m0.rows(), m0.cols()), o1(m1.rows(), m1.cols());
    for (Index j = 0; j < m0.cols(); ++j)
        for (Index r = 0; r < R; ++r)
            for (Index s = 0; s < S; ++s) {
                const Index i = r * S + s;
                o0(i, j) = share(m0(i, j), by_product0(s, j), m1(i, j), by_product1(s, j), static_cast<std::size_t>(R));
                o1(i, j) = share(m1(i, j), by_product1(s, j), m0(i, j), by_product0(s, j), static_cast<std::size_t>(R));
            }
    return {o0, o1};
}

void check_shape(const Eigen::Ref<const MatrixXd>& m, Index rows, Index cols, const std::string& what) {
    if (m.rows() != rows || m.cols() != cols)
        throw inconsistent_input(what + " is " + shape(m.rows(), m.cols()) + "; expected " + shape(rows, cols));
}

}  // namespace

std::pair<final_demand_factors, final_demand_factors> split_final_demand(const Eigen::Ref<const MatrixXd>& y0,
                                                                         const Eigen::Ref<const MatrixXd>& y1,
                                                                         std::size_t n_regions,
                                                                         std::size_t n_sectors) {
    const auto R = static_cast<Index>(n_regions), S = static_cast<Index>(n_sectors);
    check_shape(y0, R * S, R, "split_final_demand: final demand before");
    check_shape(y1, R * S, R, "split_final_demand: final demand after");
    final_demand_factors f0, f1;
    f0.level = y0.colwise().sum().transpose();
    f1.level = y1.colwise().sum().transpose();
    const MatrixXd p0 = sum_over_origins(y0, R, S), p1 = sum_over_origins(y1, R, S);
    f0.mix.resize(S, R);
    f1.mix.resize(S, R);
    for (Index q = 0; q < R; ++q)
        for (Index s = 0; s < S; ++s) {
            // Mix shares have S, not R, alternatives; with both levels zero any mix will do.
            f0.mix(s, q) = f0.level(q) != 0.0 ? p0(s, q) / f0.level(q)
                           : f1.level(q) != 0.0 ? p1(s, q) / f1.level(q)
                                                : 1.0 / static_cast<double>(S);
            f1.mix(s, q) = f1.level(q) != 0.0 ? p1(s, q) / f1.level(q)
                           : f0.level(q) != 0.0 ? p0(s, q) / f0.level(q)
                                                : 1.0 / static_cast<double>(S);
        }
    std::tie(f0.origin, f1.origin) = origin_shares(y0, p0, y1, p1, R, S);
    return {std::move(f0), std::move(f1)};
}

std::pair<technology_factors, technology_factors> split_technology(const Eigen::Ref<const MatrixXd>& a0,
                                                                   const Eigen::Ref<const MatrixXd>& a1,
                                                                   std::size_t n_regions, std::size_t n_sectors) {
    const auto R = static_cast<Index>(n_regions), S = static_cast<Index>(n_sectors);
    check_shape(a0, R * S, R * S, "split_technology: technical coefficients before");
    check_shape(a1, R * S, R * S, "split_technology: technical coefficients after");
    technology_factors t0, t1;
    t0.input_mix = sum_over_origins(a0, R, S);
    t1.input_mix = sum_over_origins(a1, R, S);
    std::tie(t0.input_origin, t1.input_origin) = origin_shares(a0, t0.input_mix, a1, t1.input_mix, R, S);
    return {std::move(t0), std::move(t1)};
}

void validate_pair(const mrio_table& before, const mrio_table& after, issues& out) {
    issues b, a;
    validate(before, b);
    validate(after, a);
    for (const auto& i : b.list()) out.add("before: " + i.where, i.message);
    for (const auto& i : a.list()) out.add("after: " + i.where, i.message);
    auto labels = [&](const std::vector<std::string>& l0, const std::vector<std::string>& l1, const std::string& what) {
        if (l0.size() != l1.size()) {
            out.add(what, std::to_string(l0.size()) + " before, " + std::to_string(l1.size()) +
                              " after: both tables must have the same " + what);
            return;
        }
        for (std::size_t k = 0; k < l0.size(); ++k)
            if (l0[k] != l1[k]) {
                out.add(what + "[" + std::to_string(k) + "]", "'" + l0[k] + "' before, '" + l1[k] +
                                                                  "' after: both tables must list the same " +
                                                                  what + " in the same order");
                return;
            }
    };
    labels(before.regions, after.regions, "regions");
    labels(before.sectors, after.sectors, "sectors");
    if (before.unit != after.unit)
        out.add("unit", "'" + before.unit + "' before, '" + after.unit +
                            "' after: convert one table first (structural decomposition compares values in one unit; "
                            "deflate to constant prices as well if the change in prices is not to be decomposed)");
}

namespace {

struct prepared_pair {
    std::size_t R = 0, S = 0;
    MatrixXd a0, a1, y0, y1;
    std::pair<technology_factors, technology_factors> tech;
    std::pair<final_demand_factors, final_demand_factors> fd;
};

prepared_pair prepare(const mrio_table& before, const mrio_table& after, const sda_options& options) {
    prepared_pair p;
    p.R = before.n_regions();
    p.S = before.n_sectors();
    p.a0 = technical_coefficients(before);
    p.a1 = technical_coefficients(after);
    p.y0 = before.final_demand;
    p.y1 = after.final_demand;
    if (options.split_technology) p.tech = split_technology(p.a0, p.a1, p.R, p.S);
    if (options.split_final_demand) p.fd = split_final_demand(p.y0, p.y1, p.R, p.S);
    return p;
}

// Factor names and, for a mask over them, the technology state index (bits of the
// technology factors) and the final-demand matrix. `first` is the bit of the first
// technology factor.
std::vector<std::string> technology_names(const sda_options& o) {
    return o.split_technology ? std::vector<std::string>{"input_mix", "input_origin"}
                              : std::vector<std::string>{"technology"};
}
std::vector<std::string> final_demand_names(const sda_options& o) {
    return o.split_final_demand
               ? std::vector<std::string>{"final_demand_level", "final_demand_mix", "final_demand_origin"}
               : std::vector<std::string>{"final_demand"};
}

bool bit(std::uint32_t mask, std::size_t i) { return ((mask >> i) & 1U) != 0; }

// Solves (I - A) X = Y for the technology state given by the technology bits, one LU per
// state (at most 4), checked as leontief_inverse checks L.
class leontief_solver {
public:
    leontief_solver(const prepared_pair& p, const sda_options& o) : p_(p), split_(o.split_technology) {}

    MatrixXd solve(unsigned tech_state, const MatrixXd& y) {
        auto& lu = lu_[tech_state];
        if (!lu) {
            MatrixXd a;
            if (split_) {
                const auto& mix = (tech_state & 1U) ? p_.tech.second.input_mix : p_.tech.first.input_mix;
                const auto& origin = (tech_state & 2U) ? p_.tech.second.input_origin : p_.tech.first.input_origin;
                a = compose(technology_factors{mix, origin}, p_.R, p_.S);
            } else {
                a = (tech_state & 1U) ? p_.a1 : p_.a0;
            }
            const Index n = a.rows();
            lu.emplace(MatrixXd::Identity(n, n) - a);
            const double rcond = lu->rcond();
            if (!(rcond >= 1e-12))
                throw numerical_error("structural decomposition: I - A is singular or nearly so for technology state " +
                                      std::to_string(tech_state) + " (reciprocal condition estimate " +
                                      number_text(rcond, 3) + ", expected >= 1e-12)");
        }
        return lu->solve(y);
    }

private:
    const prepared_pair& p_;
    bool split_;
    std::array<std::optional<Eigen::PartialPivLU<MatrixXd>>, 4> lu_;
};

MatrixXd final_demand_state(const prepared_pair& p, const sda_options& o, std::uint32_t mask, std::size_t first) {
    if (!o.split_final_demand) return bit(mask, first) ? p.y1 : p.y0;
    final_demand_factors f;
    f.level = bit(mask, first) ? p.fd.second.level : p.fd.first.level;
    f.mix = bit(mask, first + 1) ? p.fd.second.mix : p.fd.first.mix;
    f.origin = bit(mask, first + 2) ? p.fd.second.origin : p.fd.first.origin;
    return compose(f, p.R, p.S);
}

unsigned technology_state(const sda_options& o, std::uint32_t mask, std::size_t first) {
    if (!o.split_technology) return bit(mask, first) ? 1U : 0U;
    return (bit(mask, first) ? 1U : 0U) | (bit(mask, first + 1) ? 2U : 0U);
}

}  // namespace

structural_decomposition decompose_gross_output(const mrio_table& before, const mrio_table& after,
                                                const sda_options& options) {
    issues problems;
    validate_pair(before, after, problems);
    problems.throw_if_any<inconsistent_input>("decompose_gross_output");

    const prepared_pair p = prepare(before, after, options);
    std::vector<std::string> names = technology_names(options);
    const std::size_t fd_first = names.size();
    for (auto& n : final_demand_names(options)) names.push_back(std::move(n));

    leontief_solver solver(p, options);
    // x = L Y 1 (Miller & Blair 2009, ch. 2, sec. 2.2; decomposed as in ch. 13, sec. 13.1).
    auto quantity = [&](std::uint32_t mask) -> MatrixXd {
        const MatrixXd y = final_demand_state(p, options, mask, fd_first);
        const MatrixXd y_total = y.rowwise().sum();
        return solver.solve(technology_state(options, mask, 0), y_total);
    };
    return decompose(names, quantity, options.ordering);
}

structural_decomposition decompose_footprint(const mrio_table& before, const satellite& stressors_before,
                                             const mrio_table& after, const satellite& stressors_after,
                                             const sda_options& options) {
    issues problems;
    validate_pair(before, after, problems);
    {
        issues b, a;
        validate(stressors_before, before, b);
        validate(stressors_after, after, a);
        for (const auto& i : b.list()) problems.add("stressors before: " + i.where, i.message);
        for (const auto& i : a.list()) problems.add("stressors after: " + i.where, i.message);
    }
    if (stressors_before.stressors != stressors_after.stressors)
        problems.add("stressors", "the two satellites list different stressors (or in a different order)");
    else if (stressors_before.units.size() == stressors_after.units.size())
        for (std::size_t k = 0; k < stressors_before.units.size(); ++k)
            if (stressors_before.units[k] != stressors_after.units[k])
                problems.add("stressors[" + stressors_before.stressors[k] + "]",
                             "unit '" + stressors_before.units[k] + "' before, '" + stressors_after.units[k] +
                                 "' after: convert one satellite first");
    problems.throw_if_any<inconsistent_input>("decompose_footprint");

    const prepared_pair p = prepare(before, after, options);
    const MatrixXd s0 = stressor_intensities(stressors_before, before);
    const MatrixXd s1 = stressor_intensities(stressors_after, after);

    std::vector<std::string> names{"intensity"};
    for (auto& n : technology_names(options)) names.push_back(std::move(n));
    const std::size_t fd_first = names.size();
    for (auto& n : final_demand_names(options)) names.push_back(std::move(n));

    leontief_solver solver(p, options);
    // f = S L Y (K x R), Miller & Blair 2009, ch. 10, sec. 10.2; decomposed as in ch. 13.
    auto quantity = [&](std::uint32_t mask) -> MatrixXd {
        const MatrixXd y = final_demand_state(p, options, mask, fd_first);
        const MatrixXd x = solver.solve(technology_state(options, mask, 1), y);
        return (bit(mask, 0) ? s1 : s0) * x;
    };
    return decompose(names, quantity, options.ordering);
}

}  // namespace integra::models
