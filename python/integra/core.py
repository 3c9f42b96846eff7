"""Reading Integra results: open a run or sweep file, name the regions, select by code or
name, compute effects against the baseline, aggregate blocs, and make tidy frames."""
from __future__ import annotations

import csv
import os
import pathlib
import re

import numpy as np
import pandas as pd
import xarray as xr

try:  # Python >= 3.11 (Debian 12 ships 3.11)
    import tomllib
except ImportError:  # pragma: no cover
    tomllib = None

#: the repository root when the package is used from a source tree (python/integra/ -> ..)
_REPO = pathlib.Path(__file__).resolve().parents[2]

REGION_DIMS = ("region", "exporter", "importer", "partner")


# --------------------------------------------------------------------------- opening

def open(path, *, engine: str = "h5netcdf", names: bool = True) -> xr.Dataset:  # noqa: A001 (the API name)
    """Open a run or sweep file as an xarray Dataset (loaded into memory, file closed).

    With ``names`` (the default) every region dimension gets a name coordinate:
    ``region_name`` on ``region``, ``exporter_name`` on ``exporter`` and so on."""
    with xr.open_dataset(path, engine=engine) as handle:
        ds = handle.load()
    ds.attrs.setdefault("integra_path", str(path))
    _dataset_folder(ds)  # remember it for DataArrays cut from this file
    if names:
        ds = add_region_names(ds)
    return ds


def is_sweep(ds: xr.Dataset) -> bool:
    """True for a sweep file (a ``point`` dimension)."""
    return "point" in ds.dims


def is_trade_equilibrium(ds: xr.Dataset) -> bool:
    return "welfare_change" in ds


# --------------------------------------------------------------------------- names

#: region codes -> dataset folder of files opened here, so that a DataArray (which has no
#: file attributes) still finds its dataset's groups
_FOLDER_BY_REGIONS: dict[tuple, pathlib.Path] = {}


def _dataset_folder(ds: xr.Dataset) -> pathlib.Path | None:
    """The dataset folder the run read, if it can still be found here."""
    dim = next((d for d in REGION_DIMS if d in ds.coords), None)
    key = tuple(str(c) for c in ds[dim].values) if dim else ()
    if not ds.attrs.get("dataset") and key in _FOLDER_BY_REGIONS:
        return _FOLDER_BY_REGIONS[key]
    candidates = []
    if ds.attrs.get("dataset_path"):
        candidates.append(pathlib.Path(ds.attrs["dataset_path"]))
    name = ds.attrs.get("dataset")
    if name:
        for root in os.environ.get("INTEGRA_DATA_PATH", "").split(os.pathsep):
            if root:
                candidates.append(pathlib.Path(root) / name)
        candidates.append(_REPO / "data" / name)
        if os.environ.get("INTEGRA_ROOT"):
            candidates.append(pathlib.Path(os.environ["INTEGRA_ROOT"]) / "data" / name)
    for folder in candidates:
        if (folder / "manifest.toml").is_file():
            if key:
                _FOLDER_BY_REGIONS[key] = folder
            return folder
    return None


def _manifest_file(folder: pathlib.Path, key: str, default: str) -> pathlib.Path:
    if tomllib is not None:
        try:
            with (folder / "manifest.toml").open("rb") as f:
                files = tomllib.load(f).get("files", {})
            return folder / files.get(key, default)
        except (OSError, ValueError):
            pass
    return folder / default


def _read_csv_rows(path: pathlib.Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def region_names(ds: xr.Dataset) -> dict[str, str]:
    """Region code -> name. From the file (a ``region_name`` variable or coordinate, or a
    ``region_names`` attribute), else from the dataset's regions.csv (columns region,name),
    else the codes themselves."""
    codes = [str(c) for c in ds["region"].values] if "region" in ds.coords else []
    for key in ("region_name", "region_names"):
        if key in ds.variables and ds[key].dims == ("region",):
            return {c: str(n) or c for c, n in zip(codes, ds[key].values)}
    for key in ("region_name", "region_names"):
        text = ds.attrs.get(key)
        if isinstance(text, str) and text:
            # "ARG=Argentina; ..." or one "code,name" pair a line, or names in region order
            pairs = re.split(r"[\n;]", text)
            table = {}
            for p in pairs:
                m = re.match(r"\s*([^=,]+?)\s*[=,:]\s*(.+?)\s*$", p)
                if m:
                    table[m.group(1)] = m.group(2)
            if table and set(codes) <= set(table):
                return {c: table[c] for c in codes}
            if len(pairs) == len(codes):
                return {c: n.strip() or c for c, n in zip(codes, pairs)}
    folder = _dataset_folder(ds)
    if folder is not None:
        path = _manifest_file(folder, "regions", "regions.csv")
        if path.is_file():
            table = {r["region"]: (r.get("name") or r["region"]) for r in _read_csv_rows(path)}
            return {c: table.get(c, c) for c in codes}
    return {c: c for c in codes}


def add_region_names(ds: xr.Dataset) -> xr.Dataset:
    """Add ``<dim>_name`` coordinates to every region dimension (region, exporter, importer, partner)."""
    table = region_names(ds)
    if "region_name" in ds.data_vars:
        ds = ds.set_coords("region_name")
    coords = {}
    for dim in REGION_DIMS:
        if dim in ds.dims and f"{dim}_name" not in ds.coords:
            coords[f"{dim}_name"] = (dim, np.array([table.get(str(c), str(c)) for c in ds[dim].values], dtype=object))
    return ds.assign_coords(coords) if coords else ds


# --------------------------------------------------------------------------- groups and blocs

def groups(ds: xr.Dataset) -> dict[str, list[str]]:
    """The dataset's named groups (CELAC, MERCOSUR, ...) -> member codes, from its groups.csv
    (empty when the dataset folder cannot be found)."""
    folder = _dataset_folder(ds)
    if folder is None:
        return {}
    path = _manifest_file(folder, "groups", "groups.csv")
    if not path.is_file():
        return {}
    out: dict[str, list[str]] = {}
    for r in _read_csv_rows(path):
        out.setdefault(r["group"], []).append(r["member"])
    return out


def scenario(ds: xr.Dataset) -> dict:
    """The effective scenario the run used (the ``scenario`` attribute parsed as TOML)."""
    if tomllib is None or not ds.attrs.get("scenario"):
        return {}
    try:
        return tomllib.loads(ds.attrs["scenario"])
    except ValueError:
        return {}


def bloc_label(ds: xr.Dataset, bloc: str) -> str:
    """A readable label for a bloc coordinate: ``customs_union[0]`` -> ``customs union: CELAC``."""
    m = re.fullmatch(r"(\w+)\[(\d+)\]", str(bloc))
    if not m:
        return str(bloc)
    kind, index = m.group(1), int(m.group(2))
    policies = scenario(ds).get(kind, [])
    members = policies[index].get("members") if index < len(policies) else None
    text = kind.replace("_", " ")
    if is_sweep(ds) and f"{kind}.{index}.members" in ds.coords:
        return f"{text} (members vary by point)"
    if isinstance(members, list):
        members = " + ".join(members)
    return f"{text}: {members}" if members else text


def bloc_members(ds: xr.Dataset, bloc: str | None = None, point=None) -> dict[str, list[str]] | list[str]:
    """Members of the scenario's blocs from the file's ``bloc_member`` (bloc, region) variable
    (in a sweep it may vary by point: pass ``point``, default the first).

    With ``bloc`` a bloc label (``customs_union[0]``) or a group name of the dataset
    (``MERCOSUR``, from its groups.csv), the list of member codes; without, a dict of all blocs."""
    if bloc is not None:
        table = bloc_members(ds, point=point)
        if bloc in table:
            return table[bloc]
        found = {k.lower(): v for k, v in groups(ds).items()}
        if str(bloc).lower() in found:
            return found[str(bloc).lower()]
        raise KeyError(f"unknown bloc or group {bloc!r}; the file has blocs {sorted(table)} "
                       f"and the dataset groups {sorted(groups(ds))}")
    if "bloc_member" not in ds or "bloc" not in ds.dims:
        return {}
    member = ds["bloc_member"]
    if "point" in member.dims:
        member = member.sel(point=point) if point is not None else member.isel(point=0)
    return {str(b): [str(r) for r, v in zip(ds["region"].values, member.sel(bloc=b).values) if v > 0.5]
            for b in ds["bloc"].values}


# --------------------------------------------------------------------------- selection

def resolve_regions(ds: xr.Dataset, wanted, dim: str = "region") -> list[str]:
    """Region codes for codes, names, group names or bloc labels, case-insensitively.
    A string gives a list too (a group expands to its members)."""
    items = [wanted] if isinstance(wanted, str) or np.isscalar(wanted) else list(wanted)
    codes = [str(c) for c in ds[dim if dim in ds.coords else "region"].values]
    if f"{dim}_name" in ds.coords:
        table = {str(c): str(n) for c, n in zip(ds[dim].values, ds[f"{dim}_name"].values)}
    elif "region" in ds.coords:
        table = region_names(ds)
    else:
        table = {c: c for c in codes}
    by_key = {c.lower(): c for c in codes}
    by_key.update({n.lower(): c for c, n in table.items() if n})
    grp = {k.lower(): v for k, v in groups(ds).items()}
    blocs = {k.lower(): v for k, v in (bloc_members(ds) or {}).items()}
    out: list[str] = []
    for item in items:
        key = str(item).strip().lower()
        if key in by_key:
            out.append(by_key[key])
        elif key in blocs:
            out.extend(blocs[key])
        elif key in grp:
            out.extend(c for c in grp[key] if c in codes)
        else:
            close = [n for n in list(table.values()) + codes if key[:3] in n.lower()][:5]
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise KeyError(f"unknown region {item!r}{hint}; use a code such as {codes[0]!r}, a name such as "
                           f"{table.get(codes[0], codes[0])!r} or a group name")
    return list(dict.fromkeys(out))  # each region once, in order: overlapping groups are not counted twice


def select(obj, **indexers):
    """``.sel`` that accepts region codes or country names, case-insensitively, on the region
    dimensions (region, exporter, importer, partner), and group names (a list of members):

        integra.select(ds, region="Brazil", year=2040)
        integra.select(ds.welfare_change, region=["bra", "Mexico"])
    """
    ds_like = obj if isinstance(obj, xr.Dataset) else obj.to_dataset(name="_") if obj.name is None else obj.to_dataset()
    fixed = {}
    for dim, value in indexers.items():
        if dim in REGION_DIMS and dim in obj.dims:
            codes = resolve_regions(ds_like, value, dim)
            scalar = isinstance(value, str) and len(codes) == 1 and str(value).lower() not in \
                {k.lower() for k in groups(ds_like)}
            fixed[dim] = codes[0] if scalar else codes
        else:
            fixed[dim] = value
    return obj.sel(fixed)


# --------------------------------------------------------------------------- effects and aggregates

def effect(ds: xr.Dataset, var: str) -> xr.DataArray:
    """Effect against the baseline, a fraction: scenario / baseline - 1 for any variable with a
    ``case`` dimension; an effect variable already in the file (no ``case``) is returned as is."""
    da = ds[var]
    if "case" not in da.dims:
        return da
    base = da.sel(case="baseline", drop=True)
    out = da.sel(case="scenario", drop=True) / base.where(base != 0) - 1
    out.attrs = {"units": "1", "long_name": f"{da.attrs.get('long_name', var)}, scenario / baseline - 1"}
    out.name = f"{var}_effect"
    return out


def _level_for(ds: xr.Dataset, var: str) -> xr.DataArray:
    """The summable level behind an effect: real income for welfare; GDP volume at base-year
    prices (index x base-year GDP) for GDP volume; the variable itself otherwise."""
    if var in ("welfare_change", "real_income"):
        return ds["real_income"]
    if var in ("gdp_volume_change", "gdp_volume"):
        weight = ds["gdp"].sel(case="baseline").isel(year=0, drop=True)
        return ds["gdp_volume"] * weight
    if var.endswith("_change") and var[: -len("_change")] in ds and "case" in ds[var[: -len("_change")]].dims:
        return ds[var[: -len("_change")]]
    if "case" in ds[var].dims:
        return ds[var]
    raise ValueError(f"{var!r} has no level to sum: aggregate a (case, ...) variable or welfare_change / gdp_volume_change")


def aggregate_effect(ds: xr.Dataset, var: str, members) -> xr.DataArray:
    """The effect for a set of regions taken together, as the command-line summary computes it:
    summed levels, scenario / baseline - 1 (welfare: real income; GDP volume: at base-year prices).
    ``members``: codes, names, a group or bloc name, or ``"world"``."""
    level = _level_for(ds, var)
    if isinstance(members, str) and members.lower() == "world":
        codes = [str(c) for c in ds["region"].values]
    else:
        codes = resolve_regions(ds, members)
    total = level.sel(region=codes).sum("region")
    out = total.sel(case="scenario", drop=True) / total.sel(case="baseline", drop=True) - 1
    out.attrs = {"units": "1", "long_name": f"{var} of {members} together"}
    return out


def bloc_effects(ds: xr.Dataset, var: str = "welfare_change") -> xr.DataArray:
    """``aggregate_effect`` for every bloc in the file (a ``bloc`` dimension; members by point in a sweep)."""
    blocs = [str(b) for b in ds["bloc"].values] if "bloc" in ds.dims else []
    level = _level_for(ds, var)
    member = ds["bloc_member"] > 0.5
    total = level.where(member).sum("region")
    out = total.sel(case="scenario", drop=True) / total.sel(case="baseline", drop=True) - 1
    out.attrs = {"units": "1", "long_name": f"{var} of each bloc's members together"}
    return out.sel(bloc=blocs)


def over_draws(ds: xr.Dataset, var: str, draw: str = "shocks.seed", quantiles=(0.05,)) -> xr.Dataset:
    """A sweep's ``var`` summarised over random draws: ``mean`` and each quantile (``q05`` for
    0.05) over the values of the swept key ``draw`` (a Monte Carlo over ``shocks.seed``), for
    every combination of the other swept keys, which become dimensions. Failed points are left
    out. ``over_draws(ds, "welfare_change").q05.sel(year=2040)`` is each region's 5th percentile."""
    if not is_sweep(ds):
        raise ValueError("over_draws needs a sweep file (a point dimension)")
    if draw not in ds.coords:
        raise ValueError(f"{draw!r} is not a swept key of this file; swept keys: "
                         f"{[str(k) for k in ds.coords if ds[k].dims == ('point',) and k != 'point']}")
    da = ds[var]
    if "point_status" in ds:
        da = da.where(ds["point_status"] == "ok")
    keys = [str(k) for k in ds.coords if ds[k].dims == ("point",) and k != "point"]
    da = da.set_index(point=keys).unstack("point") if len(keys) > 1 else da.swap_dims(point=draw)
    if int(da.notnull().sum(draw).max()) < 2:
        raise ValueError(f"every combination of the other swept keys has fewer than 2 draws of {draw!r}: "
                         "over_draws needs a grid (or zip) design that repeats each setting over the draws")
    out = xr.Dataset({"mean": da.mean(draw)})
    for q in quantiles:
        out[f"q{round(100 * q):02d}"] = da.quantile(q, dim=draw, skipna=True).drop_vars("quantile")
    out.attrs = {"long_name": f"{var} over {da.sizes[draw]} draws of {draw}"}
    return out


# --------------------------------------------------------------------------- tidy frames

def tidy(ds, var: str | xr.DataArray | None = None, *, names: bool = True, **indexers) -> pd.DataFrame:
    """A long frame: one column per dimension (and per name coordinate), plus ``value``;
    ``units`` and ``long_name`` in ``frame.attrs``. ``indexers`` select first (codes or names).
    ``tidy(ds, "welfare_change", year=2050)`` or ``tidy(some_data_array)``."""
    if isinstance(ds, xr.DataArray):
        da = ds
    else:
        da = ds[var] if isinstance(var, str) else var
    if indexers:
        da = select(da, **indexers)
    name = da.name or "value"
    frame = da.rename("value").to_dataframe().reset_index()
    keep = list(da.dims) + [c for c in da.coords if c not in da.dims and (names or not c.endswith("_name"))
                            and da[c].ndim <= 1 and c in frame]
    frame = frame[[c for c in keep if c in frame] + ["value"]]
    frame.attrs = {"variable": name, "units": da.attrs.get("units", ""), "long_name": da.attrs.get("long_name", "")}
    return frame


# --------------------------------------------------------------------------- headline

def effect_years(ds: xr.Dataset) -> tuple[int, int | None]:
    """(last year, middle year or None): the middle between the first year with an effect and
    the horizon, as the command-line summary picks it (None when fewer than 4 years apart)."""
    years = [int(y) for y in ds["year"].values]
    probe = ds["welfare_change"] if "welfare_change" in ds else effect(ds, "gdp")
    other = [d for d in probe.dims if d != "year"]
    nonzero = (abs(probe.fillna(0)) > 0).any(other).values
    first = int(np.argmax(nonzero)) if nonzero.any() else len(years) - 1
    middle = (first + len(years) - 1) // 2
    return years[-1], (years[middle] if len(years) - 1 - first >= 4 else None)


def headline(ds: xr.Dataset, years=None) -> pd.DataFrame:
    """The headline table in percent: welfare and GDP volume change by region (rows), for the
    middle and the last year (columns), with the world and each bloc. For a sweep, the median
    and the 5-95% band over the points that succeeded. Input-output runs: GDP change."""
    if years is None:
        last, middle = effect_years(ds)
        years = [y for y in (middle, last) if y is not None]
    measures = [("welfare_change", "welfare"), ("gdp_volume_change", "GDP volume")] if is_trade_equilibrium(ds) \
        else [("gdp", "GDP")]
    ok = ds
    if is_sweep(ds) and "point_status" in ds:
        ok = ds.sel(point=ds["point_status"].values == "ok")
    names = region_names(ds)
    rows = [str(r) for r in ds["region"].values]
    columns = {}
    for var, label in measures:
        per_region = effect(ok, var) if var in ok else None
        for y in years:
            values = per_region.sel(year=y) if per_region is not None else None
            world = aggregate_effect(ok, var, "world").sel(year=y) if "real_income" in ok or var == "gdp" else None
            bloc = bloc_effects(ok, var).sel(year=y) if "bloc" in ok.dims and "bloc_member" in ok else None
            def col(stat):
                def reduce(da):
                    if da is None:
                        return None
                    if "point" not in da.dims:
                        return da
                    return da.quantile({"median": 0.5, "p05": 0.05, "p95": 0.95}[stat], dim="point").drop_vars("quantile")
                parts = [reduce(values).to_series() * 100 if values is not None else pd.Series(dtype=float, index=rows)]
                w = reduce(world)
                parts.append(pd.Series({"world": float(w) * 100 if w is not None else np.nan}))
                b = reduce(bloc)
                if b is not None:
                    parts.append(pd.Series({f"bloc {k}": float(b.sel(bloc=k)) * 100 for k in b["bloc"].values}))
                return pd.concat(parts)
            if is_sweep(ds):
                for stat, text in (("median", "median"), ("p05", "5%"), ("p95", "95%")):
                    columns[f"{label} {y} {text}"] = col(stat)
            else:
                columns[f"{label} {y}"] = col("median")
    frame = pd.DataFrame(columns)
    frame.index.name = "region"
    frame.insert(0, "name", [names.get(i, bloc_label(ds, i[5:]) if i.startswith("bloc ") else i) for i in frame.index])
    frame.attrs = {"units": "%", "years": list(years)}
    return frame
