"""Plots of Integra results (matplotlib, Agg backend). Every function returns a
``matplotlib.figure.Figure`` (not shown, not saved: ``fig.savefig("x.png")``)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no display needed; set before pyplot is imported anywhere here
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import TwoSlopeNorm  # noqa: E402

from . import core  # noqa: E402

GAIN, LOSS = "#1b7837", "#b2182b"
LABELS = {
    "welfare_change": "welfare (real income)",
    "gdp_volume_change": "GDP volume",
    "gdp_market_prices_change": "GDP at market prices",
    "real_wage_change": "real wage",
    "welfare_change_linearized": "welfare, eq. 16",
    "gdp": "GDP",
}


def _label(var):
    return LABELS.get(var, var.replace("_", " "))


def _close(fig):
    """Figures are returned, never shown: detach them from pyplot's registry."""
    plt.close(fig)
    return fig


def _ok_points(ds):
    if core.is_sweep(ds) and "point_status" in ds:
        return ds.sel(point=ds["point_status"].values == "ok")
    return ds


def _percent(da):
    return da * 100.0


def _region_effect(ds, var):
    """The per-region effect of ``var`` (an effect variable, or scenario / baseline - 1)."""
    return core.effect(ds, var)


def _default_year(ds, year):
    return int(ds["year"].values[-1]) if year is None else int(year)


def _names(ds, codes):
    table = core.region_names(ds)
    return [f"{table.get(c, c)} ({c})" if table.get(c, c) != c else c for c in codes]


# --------------------------------------------------------------------------- bars by country

def effect_bars(ds, var="welfare_change", year=None, regions=None, ax=None, title=None):
    """Sorted horizontal bars of one effect by region in one year (percent). ``regions``:
    codes, names or groups (default all). For a sweep: the median with a 5-95% whisker."""
    ds = _ok_points(ds)
    year = _default_year(ds, year)
    da = _region_effect(ds, var).sel(year=year)
    if regions is not None:
        da = da.sel(region=core.resolve_regions(ds, regions))
    codes = [str(c) for c in da["region"].values]
    if "point" in da.dims:
        q = da.quantile([0.05, 0.5, 0.95], dim="point").values * 100
        low, mid, high = q
    else:
        mid = da.values * 100
        low = high = None
    order = np.argsort(mid)
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, max(3.0, 0.22 * len(codes) + 1.2)), layout="constrained")
    colours = [GAIN if v >= 0 else LOSS for v in mid[order]]
    xerr = None
    if low is not None:
        xerr = np.vstack([mid[order] - low[order], high[order] - mid[order]])
    ax.barh(np.arange(len(codes)), mid[order], color=colours, xerr=xerr, error_kw={"lw": 0.8, "capsize": 1.5})
    ax.set_yticks(np.arange(len(codes)), [_names(ds, codes)[i] for i in order], fontsize=7)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_xlabel(f"{_label(var)}, change vs baseline (%)" + (" - median, 5-95% over points" if low is not None else ""))
    ax.set_title(title or f"{_label(var)} by region, {year}", fontsize=10)
    ax.grid(axis="x", lw=0.3, alpha=0.6)
    return _close(fig) if fig is not None else ax.figure


def welfare_gdp_bars(ds, year=None, regions=None):
    """Welfare and GDP volume change by region in one year, side by side, each sorted."""
    ds = _ok_points(ds)
    year = _default_year(ds, year)
    n = ds.sizes["region"] if regions is None else len(core.resolve_regions(ds, regions))
    measures = ["welfare_change", "gdp_volume_change"] if core.is_trade_equilibrium(ds) else ["gdp"]
    fig, axes = plt.subplots(1, len(measures), figsize=(6.5 * len(measures), max(3.0, 0.22 * n + 1.2)),
                             layout="constrained", squeeze=False)
    for ax, var in zip(axes[0], measures):
        effect_bars(ds, var, year, regions, ax=ax)
    fig.suptitle(f"{ds.attrs.get('scenario_name', '')}: effects in {year} against the baseline", fontsize=11)
    return _close(fig)


# --------------------------------------------------------------------------- time series

def time_series(ds, var="welfare_change", regions=None, blocs=True, ax=None):
    """The effect of ``var`` over the years (percent) for some regions (codes, names or groups;
    default: the 3 largest gains and losses of the last year) and, with ``blocs``, each bloc's
    members together (``blocs`` may also be a list of group names of the dataset)."""
    ds = _ok_points(ds)
    da = _region_effect(ds, var)
    if "point" in da.dims:
        da = da.median("point")
    if regions is None:
        last = da.isel(year=-1).to_series().sort_values()
        regions = list(last.index[:3]) + list(last.index[-3:])
    codes = core.resolve_regions(ds, regions)
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    years = ds["year"].values
    for code, name in zip(codes, _names(ds, codes)):
        ax.plot(years, _percent(da.sel(region=code)).values, lw=1.3, label=name)
    aggregates = []
    if blocs is True and "bloc" in ds.dims and "bloc_member" in ds:
        agg = core.bloc_effects(ds, var) if var in ("welfare_change", "gdp_volume_change") or "case" in ds[var].dims else None
        if agg is not None:
            for b in ds["bloc"].values:
                series = agg.sel(bloc=b)
                if "point" in series.dims:
                    series = series.median("point")
                aggregates.append((core.bloc_label(ds, str(b)), series))
    elif blocs not in (True, False, None):
        for g in ([blocs] if isinstance(blocs, str) else blocs):
            aggregates.append((f"{g} together", core.aggregate_effect(ds, var, g)))
    for label, series in aggregates:
        ax.plot(years, _percent(series).values, lw=2.6, color="black", ls="--", label=label)
    ax.axhline(0, color="grey", lw=0.6)
    ax.set_xlabel("year")
    ax.set_ylabel(f"{_label(var)}, change vs baseline (%)")
    ax.set_title(f"{_label(var)} over time" + (" (median over points)" if core.is_sweep(ds) else ""), fontsize=10)
    ax.legend(fontsize=7, ncol=2)
    ax.grid(lw=0.3, alpha=0.6)
    return _close(fig) if fig is not None else ax.figure


# --------------------------------------------------------------------------- bilateral trade

def trade_heatmap(ds, year=None, sector=None, regions=None, limit=None):
    """The change of bilateral trade (scenario / baseline - 1, percent) in one year as an
    exporter x importer heat map, summed over sectors unless ``sector`` is given. Needs the
    ``trade`` variable (runs have it; sweeps only if kept)."""
    if "trade" not in ds:
        raise ValueError("this file has no 'trade' variable (a sweep keeps it only with keep = [\"trade\", ...])")
    year = _default_year(ds, year)
    trade = ds["trade"].sel(year=year)
    if "point" in trade.dims:
        trade = trade.median("point")
    trade = trade.sum("sector") if sector is None else trade.sel(sector=sector)
    if regions is not None:
        codes = core.resolve_regions(ds, regions)
        trade = trade.sel(exporter=codes, importer=codes)
    base = trade.sel(case="baseline")
    change = (trade.sel(case="scenario") / base.where(base > 0) - 1) * 100
    values = change.transpose("exporter", "importer").values
    finite = np.abs(values[np.isfinite(values)])
    bound = limit or (float(np.nanpercentile(finite, 98)) if finite.size else 1.0) or 1.0
    n = values.shape[0]
    fig, ax = plt.subplots(figsize=(min(11, 2.5 + 0.22 * n), min(10, 2 + 0.22 * n)), layout="constrained")
    image = ax.imshow(np.ma.masked_invalid(values), cmap="RdBu_r", norm=TwoSlopeNorm(0, -bound, bound), aspect="auto")
    ax.set_xticks(range(n), [str(c) for c in change["importer"].values], rotation=90, fontsize=6)
    ax.set_yticks(range(n), [str(c) for c in change["exporter"].values], fontsize=6)
    ax.set_xlabel("importer")
    ax.set_ylabel("exporter")
    fig.colorbar(image, ax=ax, label=f"trade, change vs baseline (%), colours capped at +-{bound:.3g}", shrink=0.8,
                 extend="both")
    ax.set_title(f"Bilateral trade change, {year}" + (f", {sector}" if sector else ", all sectors"), fontsize=10)
    return _close(fig)


def trade_creation_diversion(ds, bloc=None):
    """A bloc's trade creation and diversion over time: the change of members' imports from
    members (intra) and from non-members (extra), in the file's money unit, with the
    intra-bloc share of members' imports in both cases. For a sweep: medians and 5-95% bands."""
    if "intra_bloc_import_change" not in ds:
        raise ValueError("this file has no bloc (no free-trade area or customs union in the scenario)")
    ds = _ok_points(ds)
    bloc = str(ds["bloc"].values[0]) if bloc is None else bloc
    years = ds["year"].values
    units = ds["intra_bloc_import_change"].attrs.get("units", "")
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    for var, label, colour in (("intra_bloc_import_change", "from members (creation)", GAIN),
                               ("extra_bloc_import_change", "from non-members (diversion if < 0)", LOSS)):
        da = ds[var].sel(bloc=bloc)
        if "point" in da.dims:
            q = da.quantile([0.05, 0.5, 0.95], dim="point").values
            left.fill_between(years, q[0], q[2], color=colour, alpha=0.25, lw=0)
            left.plot(years, q[1], color=colour, lw=2, label=label)
        else:
            left.plot(years, da.values, color=colour, lw=2, label=label)
    left.axhline(0, color="grey", lw=0.6)
    left.set_ylabel(f"members' imports, scenario - baseline\n({units})", fontsize=8)
    left.set_title("Trade creation and diversion", fontsize=10)
    left.legend(fontsize=8)
    left.grid(lw=0.3, alpha=0.6)
    if "intra_bloc_trade_share" in ds:
        share = ds["intra_bloc_trade_share"].sel(bloc=bloc) * 100
        for case, style in (("baseline", "--"), ("scenario", "-")):
            s = share.sel(case=case)
            s = s.median("point") if "point" in s.dims else s
            right.plot(years, s.values, ls=style, lw=2, color="black" if case == "scenario" else "grey", label=case)
        right.set_ylabel("intra-bloc share of members' imports (%)", fontsize=8)
        right.set_title("Intra-bloc trade share", fontsize=10)
        right.legend(fontsize=8)
        right.grid(lw=0.3, alpha=0.6)
    else:
        right.set_axis_off()
    fig.suptitle(core.bloc_label(ds, bloc), fontsize=11)
    return _close(fig)


# --------------------------------------------------------------------------- sweeps

def fan_chart(ds, var="welfare_change", regions=None, bloc=True, bands=(0.05, 0.25), ncols=3):
    """Fan charts for a sweep: over the points, the 5-95% (and 25-75%) band of an effect by
    year with the median line, one panel per region (default: the bloc's members together and
    the regions whose median moves most in the last year)."""
    if not core.is_sweep(ds):
        raise ValueError("fan charts need a sweep file (a 'point' dimension)")
    ds = _ok_points(ds)
    da = _region_effect(ds, var)
    panels = []
    if bloc and "bloc" in ds.dims and "bloc_member" in ds and (var in ("welfare_change", "gdp_volume_change")):
        agg = core.bloc_effects(ds, var)
        for b in ds["bloc"].values:
            panels.append((core.bloc_label(ds, str(b)), agg.sel(bloc=b)))
    if regions is None:
        last = abs(da.isel(year=-1).median("point")).to_series().sort_values(ascending=False)
        regions = list(last.index[: max(1, 6 - len(panels))])
    codes = core.resolve_regions(ds, regions)
    for code, name in zip(codes, _names(ds, codes)):
        panels.append((name, da.sel(region=code)))
    years = ds["year"].values
    ncols = min(ncols, len(panels))
    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.0 * nrows), layout="constrained",
                             squeeze=False, sharex=True)
    for ax, (title, series) in zip(axes.flat, panels):
        p = _percent(series)
        for lo, alpha in zip(bands, (0.2, 0.35)):
            q = p.quantile([lo, 1 - lo], dim="point").values
            ax.fill_between(years, q[0], q[1], color="#2166ac", alpha=alpha, lw=0,
                            label=f"{round(lo * 100)}-{round((1 - lo) * 100)}%")
        ax.plot(years, p.median("point").values, color="#053061", lw=1.8, label="median")
        ax.axhline(0, color="grey", lw=0.6)
        ax.set_title(title, fontsize=9)
        ax.grid(lw=0.3, alpha=0.6)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_axis_off()
    axes.flat[0].legend(fontsize=7)
    fig.supylabel(f"{_label(var)}, change vs baseline (%)", fontsize=9)
    fig.suptitle(f"{_label(var)}: band over {ds.sizes['point']} sweep points", fontsize=11)
    return _close(fig)
