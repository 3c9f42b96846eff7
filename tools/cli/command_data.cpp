// integra data info NAME|PATH (and the dispatch of integra data import)
#include <algorithm>
#include <cstdio>
#include <iostream>

#include <boost/program_options.hpp>

#include "sim/data/dataset.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/parse_arguments.hpp"

namespace integra::cli {

namespace po = boost::program_options;

int data(const arguments& args) {
    if (!args.empty() && args[0] == "import") return data_import({args.begin() + 1, args.end()});
    if (args.empty() || args[0] != "info") {
        std::cout << "integra data info NAME|PATH                       show a dataset's regions, sectors, totals and sources\n"
                     "integra data import icio|long|cp FILE -o FOLDER   convert OECD ICIO, long CSV or Caliendo & Parro (2015)\n"
                     "                                                  data into a dataset ('integra data import --help')\n";
        if (args.empty() || args[0] == "--help" || args[0] == "-h") return 0;
        throw po::error("unknown data subcommand '" + args[0] + "' (expected: info, import)");
    }
    bool help = false;
    const std::string name = single_positional({args.begin() + 1, args.end()}, "integra data info NAME|PATH",
                                               "Shows a dataset: regions, sectors, base year, totals, largest flows, "
                                               "balance and sources.", help);
    if (help) return 0;
    const sim::dataset d = sim::load_dataset(name);
    const auto& e = d.economy;
    std::cout << e.name << ": " << d.title << "\n  folder     " << d.folder.string() << "\n  base year  " << e.base_year
              << "\n  unit       " << e.unit << "\n  checksum   " << d.checksum << "\n\n";
    // Column widths from the content, so that long names never push a column out of line.
    auto name_of = [](const std::vector<std::string>& names, std::size_t k) { return k < names.size() ? names[k] : std::string(); };
    auto widest = [](std::size_t at_least, std::size_t count, const auto& text_of) {
        for (std::size_t k = 0; k < count; ++k) at_least = std::max(at_least, text_of(k).size());
        return static_cast<int>(at_least);
    };
    const int code_w = widest(5, e.n_regions(), [&](std::size_t r) { return e.regions[r]; });
    const int name_w = widest(4, e.n_regions(), [&](std::size_t r) { return name_of(e.region_names, r); });
    std::printf("Regions (%zu)\n", e.n_regions());
    const Eigen::VectorXd va = e.value_added.rowwise().sum(), ex = e.exports(), im = e.imports();
    std::printf("  %-*s  %-*s %14s %14s %14s\n", code_w, "code", name_w, "name", "value added", "exports", "imports");
    for (std::size_t r = 0; r < e.n_regions(); ++r) {
        const auto i = static_cast<Eigen::Index>(r);
        std::printf("  %-*s  %-*s %14.1f %14.1f %14.1f\n", code_w, e.regions[r].c_str(), name_w,
                    name_of(e.region_names, r).c_str(), va(i), ex(i), im(i));
    }
    std::printf("  %-*s  %-*s %14.1f %14.1f %14.1f\n\n", code_w, "total", name_w, "", va.sum(), ex.sum(), im.sum());
    std::printf("Sectors (%zu)\n", e.n_sectors());
    const int sector_w = widest(6, e.n_sectors(), [&](std::size_t s) { return e.sectors[s]; });
    const int sector_name_w = widest(4, e.n_sectors(), [&](std::size_t s) { return name_of(e.sector_names, s); });
    std::printf("  %-*s  %-*s  %-12s  %s\n", sector_w, "code", sector_name_w, "name", "trade", "theta");
    for (std::size_t s = 0; s < e.n_sectors(); ++s)
        std::printf("  %-*s  %-*s  %-12s  %g\n", sector_w, e.sectors[s].c_str(), sector_name_w,
                    name_of(e.sector_names, s).c_str(), e.tradable[s] ? "tradable" : "non-tradable",
                    e.trade_elasticity(static_cast<Eigen::Index>(s)));
    struct flow { double value; std::size_t s, i, n; };
    std::vector<flow> flows;
    for (std::size_t s = 0; s < e.n_sectors(); ++s)
        for (Eigen::Index i = 0; i < e.trade[s].rows(); ++i)
            for (Eigen::Index n = 0; n < e.trade[s].cols(); ++n)
                if (i != n) flows.push_back({e.trade[s](i, n), s, static_cast<std::size_t>(i), static_cast<std::size_t>(n)});
    std::sort(flows.begin(), flows.end(), [](const flow& a, const flow& b) { return a.value > b.value; });
    std::printf("\nLargest international flows\n");
    for (std::size_t k = 0; k < std::min<std::size_t>(10, flows.size()); ++k)
        std::printf("  %-*s -> %-*s  %-*s %14.1f\n", code_w, e.regions[flows[k].i].c_str(), code_w, e.regions[flows[k].n].c_str(),
                    sector_w, e.sectors[flows[k].s].c_str(), flows[k].value);
    const Eigen::VectorXd residual = e.deficit - (im - ex);
    std::printf("\nBalance: world exports - imports = %.3g; largest deficit residual %.3g; deficits sum to %.3g\n",
                ex.sum() - im.sum(), residual.cwiseAbs().maxCoeff(), e.deficit.sum());
    if (!d.groups.empty()) {
        std::printf("\nGroups\n");
        for (const auto& [g, members] : d.groups) {
            std::string list;
            for (const auto& m : members) list += (list.empty() ? "" : " ") + m;
            std::printf("  %-18s %s\n", g.c_str(), list.c_str());
        }
    }
    if (!d.tariff_tables.empty()) {
        std::printf("\nTariff tables (tariff_change.table)\n ");
        for (const auto& [table, _] : d.tariff_tables) std::printf(" %s", table.c_str());
        std::printf("\n");
    }
    if (!d.population.empty())
        std::printf("\nPopulation %d-%d, variants:%s\n", d.population_years.front(), d.population_years.back(), [&] {
            std::string v;
            for (const auto& [variant, _] : d.population) v += " " + variant;
            return v;
        }().c_str());
    if (!d.productivity_years.empty())
        std::printf("Labour-productivity growth %d-%d\n", d.productivity_years.front(), d.productivity_years.back());
    std::printf("\nSources\n");
    for (const auto& s : d.sources) std::printf("  %s (%s; %s)\n    %s\n", s.name.c_str(), s.file.c_str(), s.licence.c_str(), s.citation.c_str());
    return 0;
}

}  // namespace integra::cli
