#include "tools/cli/summary.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <string>

namespace integra::cli {
namespace {

using sim::result_set;

std::string line(const char* format, auto... args) {
    char buffer[256];
    std::snprintf(buffer, sizeof buffer, format, args...);
    return buffer;
}

const std::vector<std::string>& labels(const result_set& r, const std::string& dim) {
    return std::get<std::vector<std::string>>(r.dimension(dim).values);
}

// Welfare and GDP effects of a trade-equilibrium run in one year (Caliendo & Parro 2015, Table 2 columns).
void equilibrium_table(const result_set& r, std::size_t y, int year, std::vector<std::size_t> shown, std::ostream& out) {
    const auto& regions = labels(r, "region");
    const std::size_t R = regions.size();
    auto at = [&](const char* name, std::size_t i) { return 100.0 * r.find(name).data[y * R + i]; };
    std::stable_sort(shown.begin(), shown.end(),
                     [&](auto a, auto b) { return at("welfare_change", a) > at("welfare_change", b); });
    out << line("Effects in %d, scenario vs baseline (%%)\n", year);
    out << line("  %-8s %10s %10s %10s %10s %10s %10s\n", "region", "welfare", "GDP", "eq.16", "terms of",
                "volume of", "revenue");
    out << line("  %-8s %10s %10s %10s %10s %10s %10s\n", "", "(exact)", "volume", "total", "trade", "trade", "transfer");
    for (auto i : shown)
        out << line("  %-8s %+10.4f %+10.4f %+10.4f %+10.4f %+10.4f %+10.4f\n", regions[i].c_str(), at("welfare_change", i),
                    at("gdp_volume_change", i), at("welfare_change_linearized", i), at("terms_of_trade_effect", i),
                    at("volume_of_trade_effect", i), at("revenue_transfer_effect", i));
    const auto& cases_years = std::get<std::vector<std::int64_t>>(r.dimension("year").values);
    const std::size_t Y = cases_years.size();
    auto sum_over = [&](const char* name, std::size_t c, const std::vector<bool>& in) {
        double s = 0.0;
        for (std::size_t i = 0; i < R; ++i)
            if (in[i]) s += r.find(name).data[(c * Y + y) * R + i];
        return s;
    };
    // Aggregates: real income summed; GDP volume summed at base-year prices (index x base-year GDP).
    const auto& volume = r.find("gdp_volume").data;
    const auto& gdp = r.find("gdp").data;
    auto volume_over = [&](std::size_t c, const std::vector<bool>& in) {
        double s = 0.0;
        for (std::size_t i = 0; i < R; ++i)
            if (in[i]) s += volume[(c * Y + y) * R + i] * gdp[i];  // weights: GDP of the first year (the base year by default)
        return s;
    };
    const std::vector<bool> everyone(R, true);
    out << line("  %-8s %+10.4f %+10.4f\n", "world",
                100.0 * (sum_over("real_income", 1, everyone) / sum_over("real_income", 0, everyone) - 1.0),
                100.0 * (volume_over(1, everyone) / volume_over(0, everyone) - 1.0));
    if (!std::any_of(r.coordinates.begin(), r.coordinates.end(), [](const auto& c) { return c.name == "bloc"; })) return;
    const auto& blocs = labels(r, "bloc");
    const std::size_t B = blocs.size();
    const auto& share = r.find("intra_bloc_trade_share").data;
    const auto& member = r.find("bloc_member").data;
    for (std::size_t b = 0; b < B; ++b) {
        std::vector<bool> members(R);
        for (std::size_t i = 0; i < R; ++i) members[i] = member[b * R + i] > 0.5;
        out << line("  %-8s %+10.4f %+10.4f   (%s, members together)\n", "bloc",
                    100.0 * (sum_over("real_income", 1, members) / sum_over("real_income", 0, members) - 1.0),
                    100.0 * (volume_over(1, members) / volume_over(0, members) - 1.0), blocs[b].c_str());
        out << line("  %s: intra-bloc share of members' imports %.2f%% -> %.2f%%; members' imports from members %+.0f, "
                    "from non-members %+.0f (%s)\n",
                    blocs[b].c_str(), 100.0 * share[y * B + b], 100.0 * share[(Y + y) * B + b],
                    r.find("intra_bloc_import_change").data[y * B + b], r.find("extra_bloc_import_change").data[y * B + b],
                    r.find("intra_bloc_import_change").units.c_str());
    }
}

void input_output_table(const result_set& r, std::vector<std::size_t> shown, std::ostream& out) {
    const auto& gdp = r.find("gdp");
    const auto& regions = labels(r, "region");
    const auto& years = std::get<std::vector<std::int64_t>>(r.dimension("year").values);
    const std::size_t R = regions.size(), Y = years.size();
    auto at = [&](std::size_t c, std::size_t i) { return gdp.data[(c * Y + Y - 1) * R + i]; };
    auto deviation = [&](std::size_t i) { return 100.0 * (at(1, i) / at(0, i) - 1.0); };
    std::stable_sort(shown.begin(), shown.end(), [&](auto a, auto b) { return deviation(a) > deviation(b); });
    out << line("GDP in %lld (%s), scenario vs baseline\n", static_cast<long long>(years.back()), gdp.units.c_str());
    out << line("  %-12s %16s %16s %10s\n", "region", "baseline", "scenario", "change %");
    double base_total = 0.0, scenario_total = 0.0;
    for (auto i : shown) out << line("  %-12s %16.1f %16.1f %+10.3f\n", regions[i].c_str(), at(0, i), at(1, i), deviation(i));
    for (std::size_t i = 0; i < R; ++i) {
        base_total += at(0, i);
        scenario_total += at(1, i);
    }
    out << line("  %-12s %16.1f %16.1f %+10.3f\n", "world", base_total, scenario_total, 100.0 * (scenario_total / base_total - 1.0));
}

}  // namespace

void print_summary(const result_set& r, const std::vector<std::size_t>& regions, std::ostream& out) {
    std::vector<std::size_t> shown = regions;
    if (shown.empty()) {
        shown.resize(labels(r, "region").size());
        std::iota(shown.begin(), shown.end(), 0);
    }
    const bool equilibrium =
        std::any_of(r.variables.begin(), r.variables.end(), [](const auto& v) { return v.name == "welfare_change"; });
    if (!equilibrium) {
        input_output_table(r, shown, out);
        return;
    }
    const auto& years = std::get<std::vector<std::int64_t>>(r.dimension("year").values);
    const std::size_t Y = years.size(), R = labels(r, "region").size();
    // The midpoint between the first year with an effect and the horizon.
    const auto& welfare = r.find("welfare_change").data;
    std::size_t first_effect = Y - 1;
    for (std::size_t y = 0; y < Y && first_effect == Y - 1; ++y)
        for (std::size_t i = 0; i < R; ++i)
            if (welfare[y * R + i] != 0.0) {
                first_effect = y;
                break;
            }
    const std::size_t middle = (first_effect + Y - 1) / 2;
    if (Y - 1 - first_effect >= 4) {
        equilibrium_table(r, middle, static_cast<int>(years[middle]), shown, out);
        out << "\n";
    }
    equilibrium_table(r, Y - 1, static_cast<int>(years.back()), shown, out);
    out << "  welfare = real income (what households can buy; prices and tariff revenue count); GDP volume = output at\n"
           "  base-year prices (what is produced; terms of trade do not move it). Both totals, not per person, where labour\n"
           "  moves. eq.16 total: the first-order measure of Caliendo & Parro (2015, Table 2) = terms of trade + volume of\n"
           "  trade + revenue transfer, for tariff changes only (it misses the direct gain of cheaper trade costs, and\n"
           "  productivity and labour changes). Quote the exact change; see docs/output.md.\n";
}

}  // namespace integra::cli
