// Eora26: headerless matrices and separate label files; the ROW region is dropped and
// reported.
#include "sim/data/import_eora.hpp"

#include <algorithm>
#include <regex>
#include <set>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/data/line_reader.hpp"
#include "sim/data/mrio_text.hpp"

namespace integra::sim {
namespace {

namespace fs = std::filesystem;
using index_t = Eigen::Index;
using namespace mrio_text;

const std::string row_code = "ROW";

struct label_file {
    std::string file;
    std::vector<std::vector<std::string>> fields;
    std::vector<std::size_t> lines;
};

// One label a line, tab-separated; trailing empty fields dropped; at least `min_fields`.
label_file read_labels(const text_source& src, const std::string& rel, std::size_t min_fields, const char* layout, issues& bad) {
    label_file out;
    out.file = src.shown(rel);
    const auto in = src.open(rel);
    std::string line;
    line_reader reader(*in);
    while (reader.next(line, true)) {
        const std::size_t number = reader.number();
        std::vector<std::string> fields = split_tabs(line);
        while (!fields.empty() && fields.back().empty()) fields.pop_back();
        if (fields.size() < min_fields) bad.add(cat(out.file, ":", number), cat(fields.size(), " field(s); expected ", layout));
        fields.resize(std::max(fields.size(), min_fields));
        out.fields.push_back(std::move(fields));
        out.lines.push_back(number);
    }
    if (out.fields.empty()) bad.add(out.file, cat("no labels (expected one a line: ", layout, ")"));
    return out;
}

// The matrix of a headerless file, checked against the label counts of its rows and columns;
// with `lines`, the line of each of its rows (blank and BOM lines make them differ from i + 1).
Eigen::MatrixXd read_matrix(const text_source& src, const std::string& rel, const label_file& rows, const label_file& cols,
                            issues& bad, issues& inconsistent, std::vector<std::size_t>* lines = nullptr) {
    tsv_table t = read_tsv(src, rel, 0, 0, &bad, rows.fields.size());
    if (lines) *lines = t.lines;
    if (t.rows.size() != rows.fields.size()) {
        const std::size_t line = t.lines[std::min(rows.fields.size(), t.lines.size() - 1)];
        inconsistent.add(cat(t.file, ":", line),
                         cat(t.rows.size(), " rows; ", rows.file, " has ", rows.fields.size(), " labels (one row each expected)"));
    }
    if (t.columns.size() != cols.fields.size())
        inconsistent.add(cat(t.file, ":", t.lines.front()),
                         cat(t.columns.size(), " columns; ", cols.file, " has ", cols.fields.size(), " labels (one column each expected)"));
    if (!inconsistent.empty()) return {};
    return values_of(t, bad);
}

// Positions of the labels whose code (second field) is not ROW, and of those that are.
void split_row(const label_file& l, std::vector<index_t>& kept, std::vector<index_t>& dropped) {
    for (std::size_t i = 0; i < l.fields.size(); ++i) (l.fields[i][1] == row_code ? dropped : kept).push_back(static_cast<index_t>(i));
}

Eigen::MatrixXd pick(const Eigen::MatrixXd& m, const std::vector<index_t>& rows, const std::vector<index_t>& cols) {
    Eigen::MatrixXd out(static_cast<index_t>(rows.size()), static_cast<index_t>(cols.size()));
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t j = 0; j < cols.size(); ++j) out(static_cast<index_t>(i), static_cast<index_t>(j)) = m(rows[i], cols[j]);
    return out;
}
std::vector<index_t> all_of(index_t n) {
    std::vector<index_t> out(static_cast<std::size_t>(n));
    for (index_t i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = i;
    return out;
}
double sum_of(const Eigen::MatrixXd& m, const std::vector<index_t>& rows, const std::vector<index_t>& cols) {
    return rows.empty() || cols.empty() ? 0.0 : pick(m, rows, cols).sum();
}

// The year and price of the one Eora26_YYYY_PP_T.txt in the folder.
std::string file_stem(const fs::path& folder) {
    static const std::regex pattern(R"(Eora26_(\d{4})_(bp|pp)_T\.txt)");
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && std::regex_match(name, pattern)) found.push_back(name.substr(0, name.size() - 5));
    }
    std::sort(found.begin(), found.end());
    if (found.empty())
        throw invalid_input((folder / "").string() + "Eora26_YYYY_PP_T.txt: missing (expected an unpacked Eora26 folder with "
                                                     "Eora26_YYYY_bp_T.txt, _FD.txt, _VA.txt, _Q.txt, _QY.txt and labels_*.txt)");
    if (found.size() > 1) {
        std::string all;
        for (const auto& f : found) all += (all.empty() ? "" : ", ") + f + "T.txt";
        throw invalid_input(cat((folder / "").string(), ": ", found.size(), " Eora26 tables (", all, "); expected one year and price a folder"));
    }
    return found.front();
}

}  // namespace

full_mrio_import read_eora26(const fs::path& folder, const std::string& unit) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) throw invalid_input(folder.string() + ": not a folder (expected an unpacked Eora26 folder)");
    if (unit.empty()) throw invalid_input("--unit: the currency unit of the Eora26 values is required (the files do not state it)");
    const text_source src = text_source::folder(folder);
    const std::string root = src.shown("");
    const std::string stem = file_stem(folder);  // "Eora26_2015_bp_"
    full_mrio_import out;
    out.source = "Eora26 folder " + folder.string() + " (" + stem.substr(7, 7) + ")";
    auto& m = out.mrio;
    auto& t = m.table;
    t.unit = unit;
    issues bad, inconsistent;

    const label_file lt = read_labels(src, "labels_T.txt", 4, "4: country, code, \"Industries\", sector", bad);
    const label_file lfd = read_labels(src, "labels_FD.txt", 4, "4: country, code, \"Final Demand\", category", bad);
    const bool has_va = src.has(stem + "VA.txt"), has_q = src.has(stem + "Q.txt");
    const label_file lva = has_va ? read_labels(src, "labels_VA.txt", 2, "2: \"Primary Inputs\", component", bad) : label_file{};
    const label_file lq = has_q ? read_labels(src, "labels_Q.txt", 2, "2: \"stressor (unit)\", source", bad) : label_file{};
    bad.throw_if_any<invalid_input>(root);

    // Regions (codes) and sectors; categories; ROW dropped.
    std::vector<index_t> kept, dropped, kept_fd, dropped_fd;
    split_row(lt, kept, dropped);
    split_row(lfd, kept_fd, dropped_fd);
    std::vector<label> t_labels, fd_labels;
    for (const auto i : kept) t_labels.push_back({lt.fields[static_cast<std::size_t>(i)][1], lt.fields[static_cast<std::size_t>(i)][3]});
    for (const auto i : kept_fd) fd_labels.push_back({lfd.fields[static_cast<std::size_t>(i)][1], lfd.fields[static_cast<std::size_t>(i)][3]});
    if (t_labels.empty()) throw invalid_input(lt.file + ": no region other than ROW");
    auto t_line = [&](std::size_t i) { return cat(lt.file, ":", lt.lines[static_cast<std::size_t>(kept[std::min(i, kept.size() - 1)])]); };
    grid_of(t_labels, "sector", t_line, t.regions, t.sectors, bad);
    std::vector<std::string> fd_regions;
    if (fd_labels.empty()) bad.add(lfd.file, "no region other than ROW");
    else
        grid_of(fd_labels, "category",
                [&](std::size_t i) { return cat(lfd.file, ":", lfd.lines[static_cast<std::size_t>(kept_fd[std::min(i, kept_fd.size() - 1)])]); },
                fd_regions, m.categories, bad);
    bad.throw_if_any<invalid_input>(root);
    if (fd_regions != t.regions)
        inconsistent.add(lfd.file, cat("the regions (", fd_regions.size(), ") differ from those of ", lt.file, " (", t.regions.size(),
                                       "; the same regions in the same order expected)"));
    inconsistent.throw_if_any<inconsistent_input>(root);

    const std::string t_file = stem + "T.txt", fd_file = stem + "FD.txt";
    std::vector<std::size_t> t_lines;  // the line of each row of T
    const Eigen::MatrixXd z_all = read_matrix(src, t_file, lt, lt, bad, inconsistent, &t_lines);
    const Eigen::MatrixXd y_all = read_matrix(src, fd_file, lt, lfd, bad, inconsistent);
    const Eigen::MatrixXd va_all = has_va ? read_matrix(src, stem + "VA.txt", lva, lt, bad, inconsistent) : Eigen::MatrixXd();
    Eigen::MatrixXd q_all, qy_all;
    if (has_q) {
        q_all = read_matrix(src, stem + "Q.txt", lq, lt, bad, inconsistent);
        if (src.has(stem + "QY.txt")) qy_all = read_matrix(src, stem + "QY.txt", lq, lfd, bad, inconsistent);
    }
    bad.throw_if_any<invalid_input>(root);
    inconsistent.throw_if_any<inconsistent_input>(root);

    t.intermediate = pick(z_all, kept, kept);
    m.final_demand_by_category = pick(y_all, kept, kept_fd);
    for (std::size_t i = 0; i < kept.size(); ++i)
        for (std::size_t j = 0; j < kept.size(); ++j) {
            const double v = t.intermediate(static_cast<index_t>(i), static_cast<index_t>(j));
            if (v < 0)
                bad.add(cat(src.shown(t_file), ":", t_lines[static_cast<std::size_t>(kept[i])], ": row ", i + 1, " ", show(t_labels[i]), ", column ",
                            static_cast<std::size_t>(kept[j]) + 1, " ", show(t_labels[j])),
                        cat("negative intermediate flow ", number_text(v)));
        }
    models::complete_table(m);
    // T has no header: its row i is at t_lines[i] (not i + 1 after blank or BOM lines).
    check_gross_output(
        t, [&](std::size_t i) { return cat(src.shown(t_file), ":", t_lines[static_cast<std::size_t>(kept[i])], " (and ", src.shown(fd_file), ")"); },
        bad);
    bad.throw_if_any<invalid_input>(root);

    // Value added as given: the VA rows summed; kept as the extension "VA" too.
    if (has_va) {
        models::named_extension va;
        va.name = "VA";
        for (const auto& f : lva.fields) va.accounts.stressors.push_back(f[1]);
        va.accounts.units.assign(lva.fields.size(), unit);
        va.accounts.production = pick(va_all, all_of(va_all.rows()), kept);
        m.value_added_given = va.accounts.production.colwise().sum().transpose();
        m.value_added_source = cat(src.shown(stem + "VA.txt"), " (", lva.fields.size(), " component(s), summed)");
        m.extensions.push_back(std::move(va));
    }
    // Satellites: "stressor (unit)" and source.
    if (has_q) {
        models::named_extension q;
        q.name = "Q";
        for (std::size_t k = 0; k < lq.fields.size(); ++k) {
            std::string name = lq.fields[k][0];
            const auto open = name.rfind('(');
            std::string stressor_unit;
            if (!name.empty() && name.back() == ')' && open != std::string::npos) {
                stressor_unit = name.substr(open + 1, name.size() - open - 2);
                name.erase(open);
                while (!name.empty() && name.back() == ' ') name.pop_back();
            }
            if (stressor_unit.empty())
                bad.add(cat(lq.file, ":", lq.lines[k]), cat("stressor '", lq.fields[k][0], "' has no unit (expected \"name (unit)\")"));
            q.accounts.stressors.push_back(lq.fields[k][1].empty() ? name : name + " / " + lq.fields[k][1]);
            q.accounts.units.push_back(stressor_unit);
        }
        q.accounts.production = pick(q_all, all_of(q_all.rows()), kept);
        if (qy_all.size() != 0) {
            const Eigen::MatrixXd by_category = pick(qy_all, all_of(qy_all.rows()), kept_fd);
            const auto n_cat = static_cast<index_t>(m.n_categories());
            q.accounts.final_demand = Eigen::MatrixXd::Zero(by_category.rows(), static_cast<index_t>(t.n_regions()));
            for (index_t r = 0; r < q.accounts.final_demand.cols(); ++r)
                for (index_t c = 0; c < n_cat; ++c) q.accounts.final_demand.col(r) += by_category.col(r * n_cat + c);
        }
        m.extensions.push_back(std::move(q));
    }
    bad.throw_if_any<invalid_input>(root);

    // What dropping ROW lost, file by file (as pymrio's parse_eora26 records it).
    if (!dropped.empty() || !dropped_fd.empty()) {
        auto warn = [&](const std::string& rel, const std::string& what) {
            out.warnings.push_back(
                {src.shown(rel), "dropped the ROW region (Eora's rest of the world, a balancing region, as pymrio does): " + what});
        };
        auto money = [&](double v) { return number_text(v) + " " + unit; };
        const auto t_cols = all_of(z_all.cols()), fd_cols = all_of(y_all.cols());
        warn(t_file, cat("its rows held ", money(sum_of(z_all, dropped, t_cols)), " of intermediate sales, its columns ",
                         money(sum_of(z_all, kept, dropped)), " of intermediate purchases from the regions kept"));
        warn(fd_file, cat("its rows held ", money(sum_of(y_all, dropped, fd_cols)), " of sales to final demand, its columns ",
                          money(sum_of(y_all, kept, dropped_fd)), " of final demand for the regions' products"));
        if (has_va)
            warn(stem + "VA.txt", cat("its columns held ", money(sum_of(va_all, all_of(va_all.rows()), dropped)), " of value added"));
        if (has_q)
            warn(stem + "Q.txt", cat("its columns held ", number_text(sum_of(q_all, all_of(q_all.rows()), dropped)),
                                     " (all stressors, summed across units)"));
        if (qy_all.size() != 0)
            warn(stem + "QY.txt", cat("its columns held ", number_text(sum_of(qy_all, all_of(qy_all.rows()), dropped_fd)),
                                      " (all stressors, summed across units)"));
    }
    issues problems;
    models::validate(m, problems);
    problems.throw_if_any<inconsistent_input>(root);
    warn_negative_value_added(m, root + (m.has_given_value_added() ? "value added (" + m.value_added_source + ")" : "value added"),
                              out.warnings);
    return out;
}

}  // namespace integra::sim
