// libFuzzer target: the dataset loader. A copy of data/demo3x2 is made once; each run
// replaces one of its files (chosen by the first byte, modulo the number of files) with
// the remaining bytes, loads the dataset with sim::load_dataset, then restores the file.
// Only integra exceptions may escape.
#include <algorithm>
#include <iterator>
#include <vector>

#include "fuzz_common.hpp"
#include "sim/data/dataset.hpp"

namespace {
struct original {
    std::filesystem::path path;
    std::string bytes;
};
std::vector<original> files;
std::filesystem::path folder;

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    folder = integra::fuzz::work_dir() / "demo3x2";
    std::filesystem::copy(INTEGRA_FUZZ_DEMO_DATASET, folder, std::filesystem::copy_options::recursive);
    std::vector<std::filesystem::path> names;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) names.push_back(entry.path());
    // Sorted, so that the first byte names the same file on every machine (the seeds rely
    // on it: tests/fuzz/make_seeds.py uses the same order).
    std::sort(names.begin(), names.end());
    for (const auto& p : names) files.push_back({p, slurp(p)});
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto& target = files[data[0] % files.size()];
    integra::fuzz::write_file(target.path, data + 1, size - 1);
    integra::fuzz::expect_only_integra_errors([&] { (void)integra::sim::load_dataset(folder.string()); });
    integra::fuzz::write_file(target.path, reinterpret_cast<const std::uint8_t*>(target.bytes.data()),
                              target.bytes.size());
    return 0;
}
