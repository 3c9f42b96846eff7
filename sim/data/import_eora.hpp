// Reader of Eora26 (the 26-sector symmetric version of Eora, basic or purchasers' prices)
// from its unpacked folder, in the layout pymrio's parse_eora26 reads (docs/io-accounting.md,
// "Eora26"): tab-separated matrices without headers,
//   Eora26_YYYY_PP_T.txt   intermediate flows, (labels_T) x (labels_T)
//   Eora26_YYYY_PP_FD.txt  final demand, (labels_T) x (labels_FD)
//   Eora26_YYYY_PP_VA.txt  value added components, (labels_VA) x (labels_T)
//   Eora26_YYYY_PP_Q.txt   satellite accounts, (labels_Q) x (labels_T)
//   Eora26_YYYY_PP_QY.txt  satellite accounts of final demand, (labels_Q) x (labels_FD)
// and the label files labels_T.txt (country, code, "Industries", sector), labels_FD.txt
// (country, code, "Final Demand", category), labels_VA.txt ("Primary Inputs", component),
// labels_Q.txt ("stressor (unit)", source).
#pragma once

#include <filesystem>
#include <string>

#include "sim/data/import_full_mrio.hpp"

namespace integra::sim {

/// Reads the Eora26 folder `folder` (one year and price set in it). Regions are the codes
/// of the label files' second column; the "ROW" region (Eora's rest of the world, one
/// "Total" sector, a statistical balancing row and column) is dropped from every table, as
/// pymrio does, and what it held is reported in the warnings. Gross output is the row sum
/// of the flows kept; value added is given (the VA rows, summed) and also kept as the
/// extension "VA"; the Q satellites are the extension "Q" (units from the parentheses in
/// labels_Q.txt). `unit` is the currency unit, which the files do not state.
[[nodiscard]] full_mrio_import read_eora26(const std::filesystem::path& folder, const std::string& unit);

}  // namespace integra::sim
