#include "sim/sweep/sweep_runner.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <mutex>
#include <set>
#include <sstream>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/equilibrium_recorder.hpp"
#include "sim/runner.hpp"

namespace integra::sim {
namespace {

constexpr std::size_t max_listed_points = 10;

std::string fingerprint_of(const std::string& text) {
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, 64 bits
    for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
    std::ostringstream s;
    s << "fnv1a64:" << std::hex << std::setw(16) << std::setfill('0') << h;
    return s.str();
}

toml::table point_document(const sweep_setup& sweep, std::size_t p, issues& out) {
    toml::table doc = sweep.document;
    const auto values = sweep.design.values_of(p);
    for (std::size_t k = 0; k < values.size(); ++k) {
        const auto& key = sweep.design.keys[k].key;
        const std::string text = to_text(values[k]);
        if (auto holder = parse_value(text, cat("sweep point ", p, ": ", key, " = ", text), out))
            set_value(doc, key, std::move(*holder), cat("sweep point ", p, ": ", key, " = ", text), out);
    }
    return doc;
}

// The coordinates and attributes every point shares: the nominal scenario's, with no year
// recorded (the input-output model is cheap enough to run).
result_set shape_of(const bound_scenario& nominal) {
    if (std::holds_alternative<input_output_setup>(nominal.model)) return run_scenario(nominal, {{}, 1, {}, nullptr});
    equilibrium_recorder empty(nominal);
    return empty.finish();
}

}  // namespace

bound_scenario bind_point(const sweep_setup& sweep, std::size_t p, issues& out) {
    issues local;
    const toml::table doc = point_document(sweep, p, local);
    scenario_spec spec = parse_scenario(doc, sweep.file, local);
    if (!local.empty()) {  // binding a spec with problems would only add follow-on messages
        out.append(local);
        return {std::move(spec), sweep.data, 0, 0, {}, {}};
    }
    bound_scenario b = bind(std::move(spec), sweep.data, local);
    const auto& shape = sweep.shape;
    const auto& years = std::get<std::vector<std::int64_t>>(shape.dimension("year").values);
    if (local.empty() && (b.first_year != years.front() || b.last_year != years.back()))
        local.add(cat("sweep point ", p), "its horizon differs from the scenario's; a sweep cannot vary the horizon");
    if (local.empty())
        if (const auto* te = std::get_if<trade_equilibrium_setup>(&b.model)) {
            std::size_t blocs = 0;
            for (const auto& c : shape.coordinates)
                if (c.name == "bloc") blocs = c.size();
            if (te->bloc_labels.size() != blocs)
                local.add(cat("sweep point ", p), "its trade blocs differ from the scenario's; a sweep cannot add or remove policies");
        }
    out.append(local);
    return b;
}

std::string describe_point(const sweep_setup& sweep, std::size_t p) {
    const auto values = sweep.design.values_of(p);
    std::string text;
    for (std::size_t k = 0; k < values.size(); ++k)
        text += (k ? ", " : "") + sweep.design.keys[k].key + " = " + to_text(values[k]);
    return text;
}

sweep_setup prepare_sweep(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                          const std::vector<std::string>& vary, int threads) {
    sweep_setup sweep;
    sweep.file = file;
    issues problems;
    sweep.document = read_document(file, overrides, problems);
    // The scenario as written must be valid on its own (this also loads the dataset).
    sweep.nominal = std::make_shared<const bound_scenario>(load_scenario(sweep.document, file, problems));
    const bound_scenario& nominal = *sweep.nominal;
    sweep.data = nominal.data;
    sweep.spec = nominal.spec;
    sweep.design = read_sweep_design(sweep.document, vary, *sweep.data, problems);
    problems.throw_if_any<invalid_input>(file.string());
    sweep.shape = shape_of(nominal);
    std::set<std::string> known;
    for (const auto& v : sweep.shape.variables) known.insert(v.name);
    for (const auto& name : sweep.design.keep)
        if (!known.count(name) && !sweep.design.keep_is_default) {
            std::string all;
            for (const auto& k : known) all += (all.empty() ? "" : ", ") + k;
            problems.add("[sweep]", cat("key 'sweep.keep': the scenario has no output variable '", name, "'; expected some of: ", all));
        }
    problems.throw_if_any<invalid_input>(file.string());

    // Every point, checked before any runs.
    const std::size_t n = sweep.design.points;
    std::vector<issues> found(n);
    auto check_all = [&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1), [&](const tbb::blocked_range<std::size_t>& r) {
            for (std::size_t p = r.begin(); p != r.end(); ++p) (void)bind_point(sweep, p, found[p]);
        });
    };
    if (threads > 0) tbb::task_arena(threads).execute(check_all);
    else check_all();
    // The same problem in many points (an unknown key, a value no point can take) is
    // reported once, with the points it affects.
    std::vector<std::pair<issue, std::vector<std::size_t>>> grouped;
    for (std::size_t p = 0; p < n; ++p)
        for (const auto& i : found[p].list()) {
            // "sweep point 7: key = value" -> "key = value"; the point is listed below.
            const std::string prefix = cat("sweep point ", p, ": ");
            const issue bare{i.where.starts_with(prefix) ? i.where.substr(prefix.size()) : i.where, i.message};
            const auto same = std::find_if(grouped.begin(), grouped.end(), [&](const auto& g) {
                return g.first.message == bare.message && (g.first.where == bare.where || !i.where.starts_with("sweep point"));
            });
            if (same != grouped.end()) same->second.push_back(p);
            else grouped.push_back({bare, {p}});
        }
    for (const auto& [problem, points] : grouped) {
        std::string listed;
        for (std::size_t k = 0; k < std::min(points.size(), max_listed_points); ++k) listed += (k ? ", " : "") + std::to_string(points[k]);
        if (points.size() > max_listed_points) listed += ", ...";
        problems.add(cat("sweep point", points.size() > 1 ? "s " : " ", listed,
                         points.size() > 1 ? cat(" (", points.size(), " of ", n, ")") : std::string()),
                     cat(problem.where, ": ", problem.message, points.size() == 1 ? cat(" [the point: ", describe_point(sweep, points[0]), "]") : std::string()));
    }
    problems.throw_if_any<invalid_input>(file.string());

    if (std::holds_alternative<trade_equilibrium_setup>(nominal.model))
        sweep.baseline = std::make_shared<const baseline_path>(solve_baseline_path(nominal));
    sweep.fingerprint = fingerprint_of(nominal.spec.effective_toml + "\n" + sweep.design.description + "\n" + sweep.data->checksum);
    return sweep;
}

result_set run_points(const sweep_setup& sweep, const std::vector<std::size_t>& points, int threads,
                      const std::function<void()>& point_done) {
    const auto& shape = sweep.shape;
    const auto& design = sweep.design;
    std::vector<const variable*> kept;  // the default list names variables some scenarios lack (blocs)
    for (const auto& name : design.keep)
        for (const auto& v : shape.variables)
            if (v.name == name) kept.push_back(&v);
    const std::size_t P = points.size();
    std::vector<std::vector<double>> data(kept.size());
    for (std::size_t k = 0; k < kept.size(); ++k)
        data[k].assign(P * kept[k]->data.size(), std::numeric_limits<double>::quiet_NaN());
    std::vector<std::string> status(P, "ok"), messages(P);

    std::mutex progress;
    auto run_one = [&](std::size_t slot) {
        const std::size_t p = points[slot];
        try {
            issues problems;
            const bound_scenario b = bind_point(sweep, p, problems);
            problems.throw_if_any<inconsistent_input>(cat("sweep point ", p));
            run_options options{{}, 1, design.keep, nullptr};
            const auto* mine = std::get_if<trade_equilibrium_setup>(&b.model);
            if (mine && sweep.baseline && same_baseline(*mine, std::get<trade_equilibrium_setup>(sweep.nominal->model)))
                options.shared_baseline = sweep.baseline;
            const result_set r = run_scenario(b, options);
            for (std::size_t k = 0; k < kept.size(); ++k) {
                const auto& v = r.find(kept[k]->name);
                std::copy(v.data.begin(), v.data.end(), data[k].begin() + static_cast<long>(slot * v.data.size()));
            }
        } catch (const integra::error& e) {  // no equilibrium: recorded, and the sweep goes on
            status[slot] = "failed";
            messages[slot] = e.what();
        }
        if (point_done) {
            std::lock_guard lock(progress);
            point_done();
        }
    };
    tbb::task_arena arena(std::max(1, threads));
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, P, 1), [&](const tbb::blocked_range<std::size_t>& r) {
            for (std::size_t slot = r.begin(); slot != r.end(); ++slot) run_one(slot);
        });
    });

    result_set out;
    out.add({"point", std::vector<std::int64_t>(points.begin(), points.end()), "sweep point (numbered by the design)", ""});
    std::set<std::string> used;
    for (const auto* v : kept) used.insert(v->dims.begin(), v->dims.end());
    for (const auto& c : shape.coordinates)
        if (used.count(c.name)) out.add(c);
    for (const auto& v : shape.text_variables)  // e.g. region_name: text over dimensions the sweep keeps
        if (!v.dims.empty() && std::all_of(v.dims.begin(), v.dims.end(), [&](const auto& d) { return used.count(d) > 0; })) {
            out.add(v);
            if (std::find(shape.auxiliary_coordinates.begin(), shape.auxiliary_coordinates.end(), v.name) !=
                shape.auxiliary_coordinates.end())
                out.auxiliary_coordinates.push_back(v.name);
        }
    for (std::size_t k = 0; k < design.keys.size(); ++k) {
        const auto& key = design.keys[k];
        std::vector<double> numbers;
        std::vector<std::string> texts;
        for (std::size_t slot = 0; slot < P; ++slot) {
            const auto value = design.values_of(points[slot])[k];
            if (key.is_text()) texts.push_back(std::get<std::string>(value));
            else if (const auto* i = std::get_if<std::int64_t>(&value)) numbers.push_back(static_cast<double>(*i));
            else if (const auto* b = std::get_if<bool>(&value)) numbers.push_back(*b ? 1.0 : 0.0);
            else if (const auto* d = std::get_if<double>(&value)) numbers.push_back(*d);
            else texts.push_back(to_text(value));
        }
        const std::string long_name = "sweep: the value of scenario key " + key.key;
        if (key.is_text()) out.add(text_variable{key.key, {"point"}, std::move(texts), long_name});
        else out.add(variable{key.key, {"point"}, std::move(numbers), "1", long_name});
        out.auxiliary_coordinates.push_back(key.key);
    }
    for (std::size_t k = 0; k < kept.size(); ++k) {
        std::vector<std::string> dims{"point"};
        dims.insert(dims.end(), kept[k]->dims.begin(), kept[k]->dims.end());
        out.add(variable{kept[k]->name, std::move(dims), std::move(data[k]), kept[k]->units, kept[k]->long_name});
    }
    out.add(text_variable{"point_status", {"point"}, std::move(status), "sweep: ok, or failed (see point_error)"});
    out.add(text_variable{"point_error", {"point"}, std::move(messages), "sweep: why a point failed (empty when ok)"});
    for (const auto& [name, value] : shape.attributes) out.set_attribute(name, value);
    out.set_attribute("sweep_design", design.description);
    out.set_attribute("sweep_points", static_cast<std::int64_t>(design.points));
    out.set_attribute("sweep_seed", static_cast<std::int64_t>(design.seed));
    out.set_attribute("sweep_fingerprint", sweep.fingerprint);
    return out;
}

}  // namespace integra::sim
