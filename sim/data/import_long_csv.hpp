// Importing a generic long (tidy) CSV file into an economy (docs/importers.md).
//
// Columns `region,sector,partner,variable,value` and optionally `unit`. Variables:
//   trade            region = exporter, partner = importer (domestic sales: partner = region); money
//   value_added      region, sector; partner empty; money. Declares the regions and sectors
//   intermediate     region = using region, sector = input sector, partner = using sector; money,
//                    purchases including tariffs (domestic and imported inputs together)
//   tariff           region = exporter, partner = importer; a fraction (0.05 = 5%); optional
//   gross_output     region, sector; money; optional, checked against sales and costs
//   trade_elasticity sector (region and partner empty); optional, else the uniform default
// Missing trade, intermediate and tariff rows are zero. Money is converted to million USD
// from the declared unit (USD, thousand USD, million USD, billion USD); a `unit` column
// must agree with the declared unit on every money row ("fraction" or empty for tariffs).
// Final-demand shares are derived: final use = spending incl. tariffs - intermediate use.
#pragma once

#include <filesystem>
#include <string>

#include "sim/data/import_icio.hpp"

namespace integra::sim {

/// Reads, converts, aggregates and validates a long CSV file whose money values are in
/// `declared_unit`. Throws invalid_input (malformed file, unknown variable or label,
/// duplicate key, wrong units: file:line) or inconsistent_input (negative flow, costs or
/// declared output that differ from sales by more than the tolerance: by how much).
[[nodiscard]] imported_dataset import_long_csv(const std::filesystem::path& file, const std::string& declared_unit,
                                               const import_options& options);

/// Million USD per `unit` ("thousand USD" -> 1e-3); throws invalid_input for other units.
[[nodiscard]] double million_usd_per(const std::string& unit);

}  // namespace integra::sim
