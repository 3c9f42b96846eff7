#include "sim/provenance.hpp"

#include <ctime>
#include <unistd.h>

namespace integra::sim {

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

void stamp_provenance(result_set& results, const scenario_spec& spec, const dataset& data, const run_record& run) {
    char host[256] = {0};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    std::string sources;
    for (const auto& s : data.sources)
        sources += (sources.empty() ? "" : "\n") + s.name + " (" + s.file + "; " + s.licence + "): " + s.citation;
    results.set_attribute("source", run.program_version);
    results.set_attribute("history", iso8601_utc(run.end) + ": " + run.command_line);
    results.set_attribute("scenario_file", spec.file.string());
    results.set_attribute("scenario", spec.effective_toml);
    results.set_attribute("dataset", data.economy.name);
    results.set_attribute("dataset_title", data.title);
    results.set_attribute("dataset_path", data.folder.string());
    results.set_attribute("dataset_checksum", data.checksum);
    results.set_attribute("dataset_base_year", static_cast<std::int64_t>(data.economy.base_year));
    results.set_attribute("dataset_sources", sources);
    results.set_attribute("currency_unit", data.economy.unit);
    results.set_attribute("threads", static_cast<std::int64_t>(run.threads));
    results.set_attribute("start_time", iso8601_utc(run.start));
    results.set_attribute("end_time", iso8601_utc(run.end));
    results.set_attribute("host", std::string(host));
}

}  // namespace integra::sim
