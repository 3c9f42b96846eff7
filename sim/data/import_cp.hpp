// Importer of the Caliendo & Parro (2015) replication layout: the plain-text matrices of
// the authors' package (xbilat1993.txt, tariffs1993.txt, tariffs2005.txt, B.txt, GO.txt,
// IO.txt, T.txt; 31 regions x 40 sectors, the first 20 tradable). See
// ../shared/data/caliendo-parro/PROVENANCE.md for the layout: stacked 620 x 31 matrices
// with row (j-1)*31 + n = importer n within sector j and column i = exporter, imports in
// thousand USD before tariffs, tariffs in percent.
//
// The importer rebuilds the base year as the package does (models/calibration.hpp):
// observed flows -> shares (steps 1-4) -> the equilibrium at unchanged tariffs with the
// observed deficits (step 5) -> optionally the equilibrium with zero deficits (steps 6-7).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "models/economy.hpp"
#include "sim/data/dataset_writer.hpp"

namespace integra::sim {

struct cp_import {
    /// The model-consistent base year (million USD) and its manifest: the 2005 tariff
    /// schedule as tariff table "2005", the group NAFTA, sources and the import notes.
    imported_dataset dataset;
    int clipped_final_demand_shares = 0;  ///< alpha set to zero in step 4 (the package: 185)
    int clamped_io_coefficients = 0;      ///< negative I-O shares set to zero (the package has 1)
};

/// Reads the package's `raw/` folder. `zero_deficits`: the headline base (noS) when true,
/// the base with observed 1993 deficits (withS) when false. Throws invalid_input naming
/// file:line for malformed or missing files.
[[nodiscard]] cp_import import_caliendo_parro(const std::filesystem::path& raw_folder, bool zero_deficits);

}  // namespace integra::sim
