"""The Python package python/integra against shipped scenarios' results: opening runs and sweeps
with country names, selection by code or name, effects, bloc aggregates (checked against the
command-line summary), tidy frames, the plots, and the HTML report rendered in headless Chromium
(a screenshot is kept in the build folder, INTEGRA_BUILD_DIR, which CTest sets; else in pytest's
temporary folder)."""
import csv
import os
import pathlib
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
import xarray as xr

ROOT = pathlib.Path(os.environ.get("INTEGRA_ROOT", pathlib.Path(__file__).resolve().parents[2]))
INTEGRA = os.environ.get("INTEGRA_BIN", str(ROOT / "build" / "tools" / "integra"))
BUILD = os.environ.get("INTEGRA_BUILD_DIR")  # set by CTest: where the screenshot is kept
sys.path.insert(0, str(ROOT / "python"))

import integra  # noqa: E402
from integra import plots  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402


def run(*args, quiet=True):
    return subprocess.run([INTEGRA, *map(str, args), *(["--quiet"] if quiet else [])], check=True,
                          capture_output=True, text=True, cwd=ROOT).stdout


@pytest.fixture(scope="session")
def results(tmp_path_factory):
    """The flagship run, the membership sweep, a 16-draw elasticity sweep and the demo
    (input-output) run, each into a temporary folder; the flagship's printed summary too."""
    folder = tmp_path_factory.mktemp("package")
    out = {"dir": folder}
    out["summary"] = run("run", ROOT / "scenarios/celac_customs_union.toml", "-o", folder / "cu.h5", quiet=False)
    out["cu"] = folder / "cu.h5"
    run("sweep", ROOT / "scenarios/sweeps/membership.toml", "-o", folder / "membership.sweep.h5", "-j", "2")
    out["membership"] = folder / "membership.sweep.h5"
    run("sweep", ROOT / "scenarios/sweeps/celac_cu_elasticities.toml", "--set", "sweep.points=16",
        "-o", folder / "elasticities.sweep.h5", "-j", "2")
    out["elasticities"] = folder / "elasticities.sweep.h5"
    run("run", ROOT / "scenarios/demo.toml", "-o", folder / "demo.h5")
    out["demo"] = folder / "demo.h5"
    return out


@pytest.fixture(scope="session")
def cu(results):
    return integra.open(results["cu"])


@pytest.fixture(scope="session")
def membership(results):
    return integra.open(results["membership"])


# --------------------------------------------------------------------------- opening and names

def test_open_adds_country_names_from_the_dataset(cu):
    with open(ROOT / "data/celac38/regions.csv", newline="") as f:
        names = {r["region"]: r["name"] for r in csv.DictReader(f)}
    assert cu.region_name.dims == ("region",)
    assert dict(zip(cu.region.values, cu.region_name.values)) == names
    assert cu.exporter_name.sel(exporter="BRA").item() == "Brazil"
    assert cu.partner_name.dims == ("partner",) and cu.importer_name.dims == ("importer",)
    assert not integra.is_sweep(cu) and integra.is_trade_equilibrium(cu)


def test_a_name_stored_in_the_file_wins(cu):
    bare = cu.drop_vars([c for c in cu.coords if c.endswith("_name")])
    stored = bare.assign(region_name=("region", [f"R-{c}" for c in bare.region.values]))
    named = integra.add_region_names(stored)
    assert named.region_name.sel(region="BRA").item() == "R-BRA"
    assert named.importer_name.sel(importer="BRA").item() == "R-BRA"
    assert "region_name" in named.coords


def test_select_by_code_or_name_case_insensitively(cu):
    by_name = integra.select(cu.welfare_change, region="brazil", year=2040)
    by_code = cu.welfare_change.sel(region="BRA", year=2040)
    assert by_name.item() == by_code.item() and by_name.ndim == 0
    pair = integra.select(cu, region=["Mexico", "arg"], year=2050).welfare_change
    assert list(pair.region.values) == ["MEX", "ARG"]
    assert list(integra.select(cu, region="Mercosur").region.values) == ["ARG", "BOL", "BRA", "PRY", "URY"]
    flows = integra.select(cu.trade, exporter="Brazil", importer="argentina", case="scenario")
    assert flows.dims == ("year", "sector")
    with pytest.raises(KeyError, match=r"unknown region 'Brazl' \(did you mean Brazil"):
        integra.select(cu, region="Brazl")


# --------------------------------------------------------------------------- effects, blocs, frames

def test_effects_against_the_baseline_match_the_file(cu):
    np.testing.assert_allclose(integra.effect(cu, "gdp_volume").values, cu.gdp_volume_change.values, atol=1e-15)
    np.testing.assert_allclose(integra.effect(cu, "real_income").values, cu.welfare_change.values, atol=1e-12)
    assert integra.effect(cu, "welfare_change") is not None and integra.effect(cu, "exports").dims == ("year", "region")


def test_bloc_aggregates_agree_with_the_command_line_summary(cu, results):
    members = integra.bloc_members(cu)
    assert list(members) == ["customs_union[0]"] and len(members["customs_union[0]"]) == 33
    with open(ROOT / "data/celac38/groups.csv", newline="") as f:
        celac = sorted(r["member"] for r in csv.DictReader(f) if r["group"] == "CELAC")
    assert sorted(members["customs_union[0]"]) == celac
    assert integra.bloc_label(cu, "customs_union[0]") == "customs union: CELAC"
    bloc = integra.bloc_effects(cu, "welfare_change").sel(bloc="customs_union[0]")
    xr.testing.assert_allclose(bloc.drop_vars("bloc"), integra.aggregate_effect(cu, "welfare_change", "CELAC"))
    # "  bloc  +0.0236  -0.0004  (customs_union[0], members together)" in 2050, the last table printed
    printed = re.findall(r"^\s+bloc\s+([-+][\d.]+)\s+([-+][\d.]+)", results["summary"], re.M)[-1]
    table = integra.headline(cu)
    assert table.attrs["years"] == [2038, 2050]
    assert f"{table.loc['bloc customs_union[0]', 'welfare 2050']:+.4f}" == printed[0]
    assert f"{table.loc['bloc customs_union[0]', 'GDP volume 2050']:+.4f}" == printed[1]
    world = re.findall(r"^\s+world\s+([-+][\d.]+)", results["summary"], re.M)[-1]
    assert f"{table.loc['world', 'welfare 2050']:+.4f}" == world
    assert table.loc["BRA", "name"] == "Brazil"


def test_tidy_frames(cu):
    frame = integra.tidy(cu, "welfare_change", year=2050)
    assert list(frame.columns) == ["region", "year", "region_name", "value"] and len(frame) == 38
    assert frame.attrs["units"] == "1"
    brazil = frame.set_index("region").loc["BRA"]
    assert brazil.region_name == "Brazil" and brazil.value == cu.welfare_change.sel(year=2050, region="BRA").item()
    trade = integra.tidy(cu.trade.sel(year=2050), exporter="Brazil", importer=["MEX", "ARG"])
    assert {"case", "exporter", "importer", "sector", "value"} <= set(trade.columns) and len(trade) == 2 * 2 * 4


def test_sweep_headline_and_blocs_by_point(membership):
    assert integra.is_sweep(membership)
    sizes = [len(integra.bloc_members(membership, point=p)["customs_union[0]"]) for p in membership.point.values]
    assert sizes == [5, 8, 10, 18, 33]
    bloc = integra.bloc_effects(membership, "welfare_change").sel(year=2050, bloc="customs_union[0]")
    assert bloc.dims == ("point",) and float(bloc[-1]) > float(bloc[0])   # all of CELAC gains more than Mercosur
    table = integra.headline(membership)
    assert {"welfare 2050 median", "welfare 2050 5%", "welfare 2050 95%"} <= set(table.columns)
    row = table.loc["BRA"]
    assert row["welfare 2050 5%"] <= row["welfare 2050 median"] <= row["welfare 2050 95%"]


# --------------------------------------------------------------------------- plots

def test_plots_of_a_run(cu):
    bars = plots.welfare_gdp_bars(cu, 2050)
    assert isinstance(bars, Figure) and len(bars.axes) == 2
    widths = [p.get_width() for p in bars.axes[0].patches]
    assert len(widths) == 38 and widths == sorted(widths)                  # sorted bars
    assert max(widths) == pytest.approx(100 * float(cu.welfare_change.sel(year=2050).max()))
    series = plots.time_series(cu, "welfare_change", regions=["Brazil", "MEX"])
    assert [l.get_label() for l in series.axes[0].lines if not l.get_label().startswith("_")] == \
        ["Brazil (BRA)", "Mexico (MEX)", "customs union: CELAC"]
    heat = plots.trade_heatmap(cu, 2050)
    image = heat.axes[0].images[0].get_array()
    assert image.shape == (38, 38) and image.mask.diagonal().all()          # no trade with oneself
    creation = plots.trade_creation_diversion(cu)
    assert len(creation.axes) == 2
    assert creation.axes[0].lines[0].get_ydata()[-1] == pytest.approx(
        float(cu.intra_bloc_import_change.sel(year=2050, bloc="customs_union[0]")))


def test_fan_charts_of_a_sweep(results):
    ds = integra.open(results["elasticities"])
    fig = plots.fan_chart(ds, "welfare_change", regions=["Brazil", "GRD"])
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["customs union: CELAC", "Brazil (BRA)", "Grenada (GRD)"]
    median = fig.axes[1].lines[0].get_ydata()
    np.testing.assert_allclose(median, 100 * ds.welfare_change.sel(region="BRA").median("point").values)
    assert len(fig.axes[1].collections) == 2                                 # the 5-95% and 25-75% bands
    with pytest.raises(ValueError, match="no 'trade' variable"):
        plots.trade_heatmap(ds)
    with pytest.raises(ValueError, match="need a sweep"):
        plots.fan_chart(integra.open(results["demo"]))


# --------------------------------------------------------------------------- the report

def make_report(result, out):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "python"))
    subprocess.run([sys.executable, "-m", "integra", "report", str(result), "-o", str(out)], check=True, env=env,
                   capture_output=True, text=True)
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def reports(results):
    return {name: (results["dir"] / f"{name}.html", make_report(results[name], results["dir"] / f"{name}.html"))
            for name in ("cu", "membership", "demo")}


def test_report_is_one_self_contained_page(reports, results):
    path, text = reports["cu"]
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", text)        # nothing fetched from the network
    assert "<script" not in text and "<link" not in text and "url(" not in text and "@import" not in text
    assert text.count('src="data:image/png;base64,') == 4                   # bars, time series, heat map, creation
    assert 'id="headline"' in text and "<td>Brazil</td>" in text
    assert "What it represents" in text                                       # the scenario file's header
    assert "labour is the only factor" in text                                # the approximations attribute
    ds = integra.open(results["cu"])
    for key in ("dataset_checksum", "source"):
        assert ds.attrs[key] in text
    assert "integra run" in text                                              # the command (history)
    sweep = reports["membership"][1]
    assert "Fan chart" in sweep and 'id="points"' in sweep and "median [5%, 95%]" in sweep
    assert reports["demo"][1].count("<img") == 2                              # input-output: GDP bars, no blocs


CHECK = """<script>window.__errors = [];
window.addEventListener('error', function (e) {
  window.__errors.push(String(e.message || (e.target && e.target.tagName + ' failed to load') || 'error')); }, true);
window.addEventListener('load', function () {
  var images = document.images, decoded = 0;
  for (var i = 0; i < images.length; i++) if (images[i].complete && images[i].naturalWidth > 0) decoded++;
  var rows = document.querySelectorAll('#headline tbody tr').length;
  var d = document.createElement('div'); d.id = 'render-check';
  d.setAttribute('data-images', images.length); d.setAttribute('data-decoded', decoded);
  d.setAttribute('data-rows', rows); d.setAttribute('data-errors', window.__errors.join(' | '));
  document.body.appendChild(d); });</script>"""


@pytest.mark.parametrize("name", ["cu", "membership"])
def test_report_renders_in_headless_chromium(reports, name, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        message = "chromium is not installed (apt-get install chromium; tools/install_dependencies.sh --all installs it)"
        if os.environ.get("INTEGRA_REQUIRE_BROWSER"):  # CI sets it: the report must render there
            pytest.fail(message)
        pytest.skip(message)
    path, text = reports[name]
    # A copy with a probe script: the report itself has no script; the probe counts the images
    # that decoded and the headline rows, and records any error event.
    probe = tmp_path / f"{name}_probe.html"
    probe.write_text(text.replace("<head>", "<head>" + CHECK, 1), encoding="utf-8")
    flags = [browser, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars", "--no-first-run",
             "--disable-extensions", "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}"]
    dump = subprocess.run(flags + ["--virtual-time-budget=10000", "--enable-logging=stderr", "--v=0", "--dump-dom",
                                   probe.as_uri()], capture_output=True, text=True, timeout=120)
    assert dump.returncode == 0, dump.stderr[-2000:]
    check = re.search(r'<div id="render-check"([^>]*)>', dump.stdout)
    assert check, "the page did not finish loading: " + dump.stdout[-500:]
    attrs = dict(re.findall(r'data-(\w+)="([^"]*)"', check.group(1)))
    images = text.count("<img")
    assert int(attrs["images"]) == images and int(attrs["decoded"]) == images, attrs
    assert int(attrs["rows"]) == 38 + 2                                       # regions, world, the bloc
    assert attrs["errors"] == ""
    console = [line for line in dump.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
    # The screenshot of the page as a user sees it: a CI artifact in the build folder.
    shot = pathlib.Path(BUILD or tmp_path) / f"report_screenshot{'' if name == 'cu' else '_' + name}.png"
    subprocess.run(flags + [f"--screenshot={shot}", "--window-size=1280,2000", path.as_uri()],
                   capture_output=True, text=True, timeout=120, check=True)
    assert shot.stat().st_size > 20000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_over_draws_summarises_a_monte_carlo_over_seeds(tmp_path):
    """integra.over_draws: mean and 5th percentile over shocks.seed, by the other swept key,
    equal to the same statistics computed point by point."""
    out = tmp_path / "draws.h5"
    run("sweep", ROOT / "scenarios/sweeps/currency_union_draws.toml", "--set", "horizon.last_year=2033",
        "--vary", "shocks.seed=[1, 2, 3, 4]", "--vary", "shocks.scale=[1.0, 3.0]",
        "--vary", "currency_union.0.trade_effect=[0.1]", "-o", out)
    ds = integra.open(out)
    summary = integra.over_draws(ds, "welfare_change")
    assert set(summary.dims) >= {"shocks.scale", "year", "region"} and summary.sizes["shocks.scale"] == 2
    for scale in (1.0, 3.0):
        points = [p for p in range(ds.sizes["point"]) if float(ds["shocks.scale"][p]) == scale]
        values = ds.welfare_change.isel(point=points).sel(year=2033, region="ARG").values
        got = summary.sel({"shocks.scale": scale, "year": 2033, "region": "ARG"})
        assert float(got["mean"]) == pytest.approx(values.mean(), rel=1e-12, abs=1e-15)
        assert float(got["q05"]) == pytest.approx(np.quantile(values, 0.05), rel=1e-12, abs=1e-15)
    with pytest.raises(ValueError, match="not a swept key"):
        integra.over_draws(ds, "welfare_change", draw="shocks.volatility")
