// A customs union on celac38 with its members' agreements with outsiders: what the year
// step applies (the scenario's tariffs in a year the union is fully in force), read from
// the scenario file as a user writes it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "sim/bound_scenario.hpp"
#include "sim/year_state.hpp"
#include "temp_folder.hpp"

namespace {

using integra::sim::bound_scenario;

bound_scenario celac_union(integra::testing::temp_folder& dir, const std::string& policies) {
    const auto file = dir.write("s.toml", "dataset = \"" INTEGRA_SOURCE_DATA_DIR "/celac38\"\nmodel = \"trade_equilibrium\"\n"
                                          "[horizon]\nfirst_year = 2023\nlast_year = 2025\n" + policies);
    return integra::sim::load_scenario(file);
}

// The scenario's tariffs in 2025 (the union fully in force from 2024): per sector,
// row = importer, column = exporter.
std::vector<Eigen::MatrixXd> scenario_tariffs(const bound_scenario& s) {
    const auto& setup = std::get<integra::sim::trade_equilibrium_setup>(s.model);
    integra::sim::year_state previous = integra::sim::first_year_state(s), next;
    next.year_index = 2;
    next.year = 2025;
    return integra::sim::step(setup, previous, next).scenario.tariffs;
}

Eigen::Index region(const bound_scenario& s, const std::string& code) {
    const auto& r = s.data->economy.regions;
    return std::find(r.begin(), r.end(), code) - r.begin();
}

const std::string cu = "[[customs_union]]\nmembers = \"CELAC\"\nexternal_tariff = \"trade_weighted_mfn_mean\"\nstart_year = 2024\n";

}  // namespace

TEST_CASE("celac38: keep, dissolve and one-sided dissolution of members' agreements", "[sim][customs_union]") {
    integra::testing::temp_folder dir;
    const auto keep = celac_union(dir, cu + "external_agreements = \"keep\"\n");
    const auto& data = *keep.data;
    const auto mex = region(keep, "MEX"), usa = region(keep, "USA"), chn = region(keep, "CHN");
    const auto manufacturing = static_cast<std::size_t>(
        std::find(data.economy.sectors.begin(), data.economy.sectors.end(), "manufacturing") - data.economy.sectors.begin());
    const auto& applied = std::get<integra::sim::trade_equilibrium_setup>(keep.model).base.tariffs[manufacturing];
    REQUIRE_FALSE(data.non_preferential_tariffs.empty());
    const double usa_mfn_on_mex = data.non_preferential_tariffs[manufacturing](mex, usa);  // (exporter, importer)
    REQUIRE(usa_mfn_on_mex > applied(usa, mex));  // USMCA: a preference in force

    const auto k = scenario_tariffs(keep);
    CHECK(k[manufacturing](mex, usa) == applied(mex, usa));  // Mexico keeps USMCA's rate on US goods
    CHECK(k[manufacturing](usa, mex) == applied(usa, mex));  // and the US its rate on Mexico's
    CHECK(k[manufacturing](mex, chn) > 0.0);                 // no agreement with China: the CET

    const auto d = scenario_tariffs(celac_union(dir, cu + "external_agreements = \"dissolve\"\n"));
    CHECK(d[manufacturing](mex, usa) == k[manufacturing](mex, chn));  // the CET on every outsider
    CHECK(d[manufacturing](usa, mex) == usa_mfn_on_mex);              // reciprocity
    // Every outsider's tariff on every member is its non-preferential rate: reverted where
    // it had a preference, unchanged where it had none.
    const auto& members = keep.data->groups.at("CELAC");
    for (const auto& code : members) {
        const auto m = region(keep, code);
        for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(data.economy.n_regions()); ++i) {
            if (std::find(members.begin(), members.end(), data.economy.regions[static_cast<std::size_t>(i)]) != members.end())
                continue;
            for (std::size_t j = 0; j < data.economy.n_sectors(); ++j)
                CHECK(d[j](i, m) == data.non_preferential_tariffs[j](m, i));
        }
    }

    const auto one = scenario_tariffs(celac_union(dir, cu + "external_agreements = \"dissolve_one_sided\"\n"));
    CHECK(one[manufacturing](mex, usa) == d[manufacturing](mex, usa));
    CHECK(one[manufacturing](usa, mex) == applied(usa, mex));
}

TEST_CASE("celac38: a free-trade area of the whole union with the USA and Canada overrides the CET",
          "[sim][customs_union]") {
    integra::testing::temp_folder dir;
    const auto s = celac_union(dir, cu + "external_agreements = \"dissolve\"\n[[free_trade_area]]\nmembers = \"CELAC + USA + CAN\"\n"
                                          "start_year = 2024\n");
    const auto bra = region(s, "BRA"), usa = region(s, "USA"), chn = region(s, "CHN");
    const auto t = scenario_tariffs(s);
    for (std::size_t j = 0; j < t.size(); ++j) {
        CHECK(t[j](bra, usa) == 0.0);  // the union-wide agreement, though listed before the union in the file's reading
        CHECK(t[j](usa, bra) == 0.0);
    }
    CHECK(t[2](bra, chn) > 0.0);  // the CET on everyone else
}
