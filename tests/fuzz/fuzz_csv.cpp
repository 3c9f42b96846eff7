// libFuzzer target: the CSV reader. The bytes become a CSV file read by sim::csv_table;
// every field is then read as a number and located, as the dataset loader does. Only
// integra exceptions may escape.
#include "fuzz_common.hpp"
#include "sim/data/csv_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = integra::fuzz::work_dir() / "table.csv";
    integra::fuzz::write_file(file, data, size);
    integra::fuzz::expect_only_integra_errors([&] {
        const auto table = integra::sim::csv_table::read(file);
        integra::issues problems;
        for (std::size_t r = 0; r < table.n_rows(); ++r) (void)table.where(r);
        // Every column name the dataset loader asks for, and every field as a number.
        for (const char* name : {"region", "sector", "exporter", "importer", "input_sector", "using_sector", "year",
                                 "value", "variant", "group", "member", "name", "tradable", "source", "estimate",
                                 "standard_error", "trade_elasticity"}) {
            std::size_t col = 0;
            try {
                col = table.column(name);
            } catch (const integra::invalid_input&) {
                continue;
            }
            for (std::size_t r = 0; r < table.n_rows(); ++r) {
                (void)table.field(r, col);
                (void)table.number(r, col, problems);
                (void)table.where(r, col);
            }
        }
        (void)problems.report("fuzz");
    });
    return 0;
}
