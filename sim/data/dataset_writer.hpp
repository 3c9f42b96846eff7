// Writing an economy in Integra's canonical dataset format (docs/dataset-format.md): the
// inverse of sim::load_dataset. Importers build a models::economy and hand it here.
//
// Every number is written in its shortest form that reads back to the same double
// (std::to_chars), so write -> load is lossless. Rows are sorted by their key columns in
// byte order; zero trade and tariff rows are omitted. The folder appears atomically: it
// is written as a hidden sibling and renamed into place only when complete.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "models/economy.hpp"
#include "sim/data/dataset.hpp"

namespace integra::sim {

/// An informative CSV file written beside the dataset and listed in [files] (e.g.
/// "adjustments"). Cells are written as given (quoted where needed), rows in the given order.
struct informative_file {
    std::string key;   ///< logical name in [files], e.g. "adjustments"
    std::string file;  ///< file name in the folder, e.g. "adjustments.csv"
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

/// What a dataset says about itself beyond the economy: manifest fields and provenance.
struct dataset_metadata {
    std::string title;             ///< one line
    std::string currency = "USD";
    std::string builder;           ///< the command that produced the dataset
    std::vector<data_source> sources;
    /// Key = value notes written as strings into the manifest table [import], in this
    /// order: assumptions and adjustments an importer made (e.g. where TLS went).
    std::vector<std::pair<std::string, std::string>> import_notes;
    std::vector<informative_file> extra_files;
    /// Other tariff schedules by name ([tariff_tables]; written as tariffs_<name>.csv), in
    /// the layout of economy.tariffs: per sector (exporter, importer), fractions.
    std::map<std::string, std::vector<Eigen::MatrixXd>> tariff_tables;
};

/// One change an importer made to make the data consistent, for adjustments.csv.
struct adjustment {
    std::string block;     ///< e.g. "final_demand"
    std::string region;    ///< region concerned (for flows: the importer / using region)
    std::string sector;
    std::string partner;   ///< e.g. the exporter of a flow, or empty
    std::string quantity;  ///< what was changed, with its unit
    double before = 0.0;
    double after = 0.0;
    std::string note;      ///< why
};

/// adjustments.csv: block,region,sector,partner,quantity,before,after,note (rows as given).
[[nodiscard]] informative_file adjustments_file(const std::vector<adjustment>& list);

/// What an importer returns: the economy and what the manifest should say about it.
struct imported_dataset {
    models::economy economy;
    dataset_metadata metadata;
};

enum class write_mode {
    create_new,  ///< refuse if the folder exists
    replace,     ///< replace an existing dataset folder (one with manifest.toml) or an empty folder
};

/// Validates `e` (throws inconsistent_input listing every problem), then writes
/// `folder`/manifest.toml and the CSV files. Throws invalid_input if the folder exists and
/// `mode` is create_new (or it is a non-empty folder that is not a dataset), io_error if a
/// file cannot be written; on any failure nothing is left behind and an existing folder is
/// untouched. The manifest's `name` is e.name, or the folder name if e.name is empty.
void write_dataset(const models::economy& e, const dataset_metadata& meta, const std::filesystem::path& folder,
                   write_mode mode = write_mode::create_new);

/// The shortest decimal text that reads back as exactly `v` ("0" for both zeros).
[[nodiscard]] std::string format_number(double v);

}  // namespace integra::sim
