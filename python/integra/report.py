"""One self-contained HTML page for a run or sweep file: the scenario's description and
assumptions, the headline table, the plots (PNG embedded as base64 data URIs) and the
provenance. No scripts, no external CSS, fonts or images: it opens offline."""
from __future__ import annotations

import base64
import datetime
import hashlib
import html
import io
import os
import pathlib
import re

import numpy as np

from . import core

#: attributes that may hold the scenario file's own description (its header comment)
HEADER_ATTRIBUTES = ("scenario_header", "scenario_notes", "scenario_comment", "scenario_description")

CSS = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 70em;
       color: #222; line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; margin-top: 1.8em; }
.subtitle { color: #555; margin-top: 0; }
pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 0.85em; white-space: pre-wrap; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; }
th { background: #eee; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.pos { color: #1b7837; } td.neg { color: #b2182b; }
tr.aggregate td { font-weight: bold; background: #fafafa; }
div.wide { overflow-x: auto; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
dl.prov dt { font-weight: bold; margin-top: 0.5em; } dl.prov dd { margin-left: 1.5em; word-break: break-all; }
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _png(fig, dpi=96) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def scenario_header(ds, result_path=None) -> tuple[str, str]:
    """(text, where it came from): the scenario file's header comment - what it represents, its
    assumptions - from an attribute if the file stores it, else read from ``scenario_file``
    (relative to the current folder, INTEGRA_ROOT or the source tree)."""
    for key in HEADER_ATTRIBUTES:
        if ds.attrs.get(key):
            return str(ds.attrs[key]), f"attribute {key}"
    name = ds.attrs.get("scenario_file")
    if not name:
        return "", ""
    candidates = [pathlib.Path(name)]
    if os.environ.get("INTEGRA_ROOT"):
        candidates.append(pathlib.Path(os.environ["INTEGRA_ROOT"]) / name)
    candidates.append(core._REPO / name)
    if result_path is not None:
        candidates.append(pathlib.Path(result_path).resolve().parent.parent / name)
    for path in candidates:
        if path.is_file():
            lines = []
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("#"):
                    lines.append(line[1:].removeprefix(" "))
                elif line.strip() == "" and not lines:
                    continue
                else:
                    break
            return "\n".join(lines).strip(), f"the header of {path} (read when the report was made)"
    return "", ""


def _cell(value, signed=True) -> str:
    if isinstance(value, str):
        return f"<td>{_e(value)}</td>"
    if value is None or not np.isfinite(value):
        return '<td class="num">-</td>'
    cls = "pos" if value >= 5e-5 else "neg" if value <= -5e-5 else ""
    text = f"{value:+.4f}" if abs(value) >= 5e-5 else "0.0000"
    return f'<td class="num {cls}">{text}</td>' if signed else f'<td class="num">{value:.4f}</td>'


def _band_cell(mid, low, high) -> str:
    if mid is None or not np.isfinite(mid):
        return '<td class="num">-</td>'
    cls = "pos" if mid >= 5e-5 else "neg" if mid <= -5e-5 else ""
    fmt = lambda v: f"{v:+.4f}" if abs(v) >= 5e-5 else "0.0000"  # noqa: E731
    return (f'<td class="num {cls}">{fmt(mid)} <small>[{fmt(low)}, {fmt(high)}]</small></td>'
            if np.isfinite(low) and np.isfinite(high) else f'<td class="num {cls}">{fmt(mid)}</td>')


def headline_html(frame) -> str:
    """The headline frame as a table; a sweep's median / 5% / 95% columns become one cell
    ``median [5%, 95%]``."""
    columns = list(frame.columns)
    bands = [c[: -len(" median")] for c in columns if c.endswith(" median")]
    shown = ["name"] + ([f"{b}: median [5%, 95%]" for b in bands] if bands else [c for c in columns if c != "name"])
    head = "".join(f"<th>{_e(c)}</th>" for c in ["region"] + shown)
    rows = []
    for index, row in frame.iterrows():
        aggregate = str(index) == "world" or str(index).startswith("bloc ")
        cells = f"<td>{_e(index)}</td>" + _cell(row["name"])
        if bands:
            cells += "".join(_band_cell(row[f"{b} median"], row[f"{b} 5%"], row[f"{b} 95%"]) for b in bands)
        else:
            cells += "".join(_cell(row[c]) for c in columns if c != "name")
        rows.append(f'<tr class="aggregate">{cells}</tr>' if aggregate else f"<tr>{cells}</tr>")
    return f'<table id="headline"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _points_table(ds) -> str:
    """A sweep's varied keys by point, with each bloc's welfare change in the last year."""
    varied = [c for c in ds.coords if c not in ds.dims and ds[c].dims == ("point",)]
    if not varied or ds.sizes["point"] > 40:
        return ""
    last = int(ds["year"].values[-1])
    blocs = core.bloc_effects(ds, "welfare_change").sel(year=last) * 100 \
        if "bloc" in ds.dims and "real_income" in ds else None
    head = "<th>point</th>" + "".join(f"<th>{_e(c)}</th>" for c in varied)
    if blocs is not None:
        head += "".join(f"<th>bloc welfare {last} (%)<br>{_e(b)}</th>" for b in ds["bloc"].values)
    head += "<th>status</th>" if "point_status" in ds else ""
    rows = []
    for p in ds["point"].values:
        values = [ds[c].sel(point=p).item() for c in varied]
        cells = f"<td>{int(p)}</td>" + "".join(
            f'<td class="num">{v:.4g}</td>' if isinstance(v, float) else f"<td>{_e(v)}</td>" for v in values)
        if blocs is not None:
            cells += "".join(_cell(float(blocs.sel(point=p, bloc=b))) for b in ds["bloc"].values)
        if "point_status" in ds:
            cells += f"<td>{_e(ds['point_status'].sel(point=p).item())}</td>"
        rows.append(f"<tr>{cells}</tr>")
    return (f'<div class="wide"><table id="points"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
            "</table></div>")


def figures(ds) -> list[tuple[str, object]]:
    """(caption, Figure) for every plot the report shows."""
    from . import plots

    out = []
    sweep = core.is_sweep(ds)
    last, middle = core.effect_years(ds)
    trade_eq = core.is_trade_equilibrium(ds)
    if sweep:
        for var in (["welfare_change", "gdp_volume_change"] if trade_eq else []):
            if var in ds:
                out.append((f"Fan chart of the {plots._label(var)} change over the {ds.sizes['point']} points: "
                            "median line, 25-75% and 5-95% bands, for the blocs and the regions that move most.",
                            plots.fan_chart(ds, var)))
    out.append((f"{'Welfare and GDP volume' if trade_eq else 'GDP'} change by region in {last}, sorted"
                + (" (median over points, whiskers 5-95%)." if sweep else "."), plots.welfare_gdp_bars(ds, last)))
    if trade_eq:
        out.append(("Welfare change over time: the largest gains and losses of the last year, and the blocs' "
                    "members together (dashed)" + (" - medians over points." if sweep else "."),
                    plots.time_series(ds, "welfare_change")))
    if "trade" in ds and "case" in ds["trade"].dims:
        out.append((f"Bilateral trade in {last}, all sectors, scenario / baseline - 1: rows export, columns import.",
                    plots.trade_heatmap(ds, last)))
    if "intra_bloc_import_change" in ds and "bloc" in ds.dims:
        for b in ds["bloc"].values:
            out.append((f"Trade creation and diversion of {core.bloc_label(ds, str(b))}: change of members' imports "
                        "from members and from non-members, and the intra-bloc share of their imports.",
                        plots.trade_creation_diversion(ds, str(b))))
    return out


def provenance(ds, path) -> list[tuple[str, str]]:
    a = ds.attrs
    items = [("results file", str(path))]
    try:
        digest = hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()
        items.append(("results file SHA-256", digest))
    except OSError:
        pass
    for key, label in (("dataset", "dataset"), ("dataset_title", "dataset title"), ("dataset_checksum", "dataset checksum"),
                       ("dataset_base_year", "base year"), ("dataset_path", "dataset path"), ("currency_unit", "money unit"),
                       ("source", "Integra version"), ("history", "command"), ("scenario_file", "scenario file"),
                       ("scenario_name", "scenario name"), ("sweep_design", "sweep design"), ("sweep_points", "sweep points"),
                       ("sweep_seed", "sweep seed"), ("sweep_fingerprint", "sweep fingerprint"), ("mpi_ranks", "MPI ranks"),
                       ("solver_tolerance", "solver tolerance"), ("threads", "threads"), ("start_time", "started (UTC)"),
                       ("end_time", "finished (UTC)"), ("host", "host")):
        if key in a and str(a[key]) != "":
            items.append((label, str(a[key])))
    return items


def render(path, *, dpi: int = 96) -> str:
    """The report for a results file, as an HTML string."""
    ds = core.open(path)
    a = ds.attrs
    sweep = core.is_sweep(ds)
    spec = core.scenario(ds)
    title = a.get("title") or spec.get("description") or a.get("scenario_name", str(path))
    header, header_source = scenario_header(ds, path)
    last, middle = core.effect_years(ds)
    table = core.headline(ds)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Integra report: {_e(a.get('scenario_name', ''))}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<style>{CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="subtitle">Integra {"sweep" if sweep else "run"} <code>{_e(a.get("scenario_name", ""))}</code>'
        f' on <code>{_e(a.get("dataset", ""))}</code>, {_e(a.get("first_year", ""))}-{_e(a.get("last_year", ""))}'
        + (f", {ds.sizes['point']} points" if sweep else "") + "</p>",
        '<h2 id="scenario">The scenario</h2>',
        f"<p><strong>Description:</strong> {_e(spec.get('description', a.get('title', '')))}</p>",
        f"<p><strong>Model:</strong> {_e(a.get('model', ''))}</p>",
    ]
    if header:
        parts.append(f"<p>What it represents and its assumptions, from {_e(header_source)}:</p>"
                     f'<pre id="scenario-header">{_e(header)}</pre>')
    approximations = [s.strip() for s in re.split(r";\s+", str(a.get("approximations", ""))) if s.strip()]
    if approximations:
        parts.append("<p><strong>Model assumptions</strong> (recorded in the file):</p><ul id=\"assumptions\">"
                     + "".join(f"<li>{_e(s.rstrip('.'))}</li>" for s in approximations) + "</ul>")
    if a.get("scenario"):
        parts.append("<details><summary>The effective scenario (after <code>extends</code> and <code>--set</code>)"
                     f'</summary><pre id="effective-scenario">{_e(a["scenario"])}</pre></details>')
    # headline
    years = ", ".join(str(y) for y in table.attrs["years"])
    parts.append('<h2 id="headline-table">Headline: change against the baseline (%)</h2>')
    if core.is_trade_equilibrium(ds):
        parts.append(f"<p>Welfare (exact: real income, scenario / baseline - 1) and GDP volume (at base-year prices) "
                     f"by region in {years}; <em>world</em> and <em>bloc</em> rows are the regions taken together "
                     "(real income summed; GDP volume at base-year prices summed)."
                     + (" For the sweep: the median and the 5% and 95% quantiles over the points that succeeded."
                        if sweep else "") + "</p>")
    else:
        parts.append(f"<p>GDP, scenario / baseline - 1, by region in {years}.</p>")
    parts.append(headline_html(table))
    if sweep:
        points = _points_table(ds)
        if points:
            parts.append("<h3>Points</h3>" + points)
    # figures
    parts.append('<h2 id="figures">Figures</h2>')
    for i, (caption, fig) in enumerate(figures(ds)):
        parts.append(f'<figure id="figure-{i + 1}"><img class="figure" alt="{_e(caption)}" '
                     f'src="data:image/png;base64,{_png(fig, dpi)}"><figcaption>Figure {i + 1}. {_e(caption)}'
                     "</figcaption></figure>")
    # provenance
    parts.append('<h2 id="provenance">Provenance</h2><dl class="prov">'
                 + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in provenance(ds, path)) + "</dl>")
    if a.get("dataset_sources"):
        parts.append("<details><summary>The dataset's sources</summary>"
                     f'<pre>{_e(a["dataset_sources"])}</pre></details>')
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    parts.append(f"<p class=\"subtitle\">Report made {now} by <code>python3 -m integra report</code>.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write(path, out, *, dpi: int = 96) -> pathlib.Path:
    """Write the report for ``path`` to ``out`` (written to a temporary name, then renamed)."""
    out = pathlib.Path(out)
    text = render(path, dpi=dpi)
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)
    return out
