// libFuzzer target: the scenario reader. The bytes become a scenario file (a fresh temp
// file each run, so read_document's checks of size and file type and its TOML parsing run
// as for `integra check`), which is read, parsed and, if it has no problems, bound to the
// embedded demo3x2 dataset (loaded once). Only integra exceptions may escape.
#include <memory>

#include "fuzz_common.hpp"
#include "sim/bound_scenario.hpp"
#include "sim/data/dataset.hpp"
#include "sim/scenario/scenario.hpp"

namespace {
std::shared_ptr<const integra::sim::dataset> demo;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    demo = std::make_shared<const integra::sim::dataset>(integra::sim::load_dataset(INTEGRA_FUZZ_DEMO_DATASET));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = integra::fuzz::work_dir() / "scenario.toml";
    integra::fuzz::write_file(file, data, size);
    integra::fuzz::expect_only_integra_errors([&] {
        integra::issues problems;
        auto spec = integra::sim::read_scenario(file, {}, problems);
        if (!problems.empty()) return;
        auto bound = integra::sim::bind(std::move(spec), demo, problems);
        (void)bound;
    });
    return 0;
}
