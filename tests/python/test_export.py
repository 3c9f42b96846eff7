"""integra export and integra summary against xarray (issue 12): every variable of a shipped
scenario's result, as tidy CSV, holds the file's values and labels bit for bit; the metadata
file matches the variables' attributes; text variables and a sweep's `point` come through;
the summary's numbers are the file's, in percent."""
import io
import os
import pathlib
import subprocess

import numpy as np
import pandas as pd
import pytest
import xarray as xr

ROOT = pathlib.Path(os.environ.get("INTEGRA_ROOT", pathlib.Path(__file__).resolve().parents[2]))
INTEGRA = os.environ.get("INTEGRA_BIN", str(ROOT / "build" / "tools" / "integra"))


def integra(*args):
    return subprocess.run([INTEGRA, *map(str, args)], check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def flagship(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    result = folder / "cu.h5"
    integra("run", ROOT / "scenarios" / "celac_customs_union.toml", "-q", "-o", result, "--set", "horizon.last_year=2040")
    integra("export", result, "--csv", folder / "csv")
    return result, folder / "csv"


def read_tidy(path, dims):
    # Labels as text (a region code such as "NA" must not become NaN), values as numbers.
    # round_trip: pandas' default float parser may be off by an ulp.
    return pd.read_csv(path, dtype={d: str for d in dims}, keep_default_na=False, na_values={"value": [""]},
                       float_precision="round_trip")


def test_every_variable_matches_xarray(flagship):
    result, csv = flagship
    meta = pd.read_csv(csv / "variables.csv", keep_default_na=False)
    with xr.open_dataset(result, engine="h5netcdf") as ds:
        names = set(ds.data_vars) | {c for c in ds.coords if c not in ds.dims}
        numbers = meta[meta.kind.str.startswith("number")]
        assert names == set(meta[meta.kind != "dimension"].name), "one CSV per variable"
        for row in numbers.itertuples():
            da = ds[row.name]
            dims = row.dims.split() if row.dims else []
            assert list(da.dims) == dims, row.name
            assert row.units == da.attrs.get("units", ""), row.name
            assert row.long_name == da.attrs["long_name"], row.name
            frame = read_tidy(csv / row.file, dims)
            assert list(frame.columns) == dims + ["value"]
            assert len(frame) == da.size == row.rows
            np.testing.assert_array_equal(frame["value"].to_numpy(), da.values.ravel(), err_msg=row.name)
            if dims:  # the labels, row-major as xarray's to_series
                index = da.to_series().index
                for k, d in enumerate(dims):
                    expected = index.get_level_values(k) if len(dims) > 1 else index
                    assert list(frame[d]) == [str(x) for x in expected], (row.name, d)
        for row in meta[meta.kind.str.startswith("text")].itertuples():
            frame = pd.read_csv(csv / row.file, keep_default_na=False, dtype=str)
            assert list(frame["value"]) == [str(x) for x in ds[row.name].values.ravel()], row.name
        for d in ds.dims:
            frame = pd.read_csv(csv / f"{d}.csv", keep_default_na=False, dtype=str)
            assert list(frame[d]) == [str(x) for x in ds[d].values], d
        attrs = pd.read_csv(csv / "attributes.csv", keep_default_na=False, dtype=str)
        stored = dict(zip(attrs.name, attrs.value))
        assert stored["scenario"] == ds.attrs["scenario"]
        assert stored["dataset_checksum"] == ds.attrs["dataset_checksum"]


def test_brazil_2040_three_ways(flagship):
    """The same number from integra summary, the export and xarray."""
    result, csv = flagship
    out = integra("summary", result, "--years", "2040", "--regions", "BRA", "--vars", "gdp_volume_change",
                  "--format", "csv").stdout
    table = pd.read_csv(io.StringIO(out), dtype={"region": str})
    from_summary = float(table[table.region == "BRA"]["gdp_volume_change (%)"].iloc[0])
    frame = pd.read_csv(csv / "gdp_volume_change.csv", float_precision="round_trip")
    from_export = float(frame[(frame.year == 2040) & (frame.region == "BRA")].value.iloc[0])
    with xr.open_dataset(result, engine="h5netcdf") as ds:
        from_xarray = float(ds.gdp_volume_change.sel(year=2040, region="BRA"))
    assert from_export == from_xarray
    assert from_summary == pytest.approx(100 * from_xarray, rel=1e-7, abs=1e-12)


def test_summary_world_and_bloc_aggregates(flagship):
    result, _ = flagship
    out = integra("summary", result, "--years", "2040", "--vars", "welfare_change", "--format", "csv").stdout
    table = pd.read_csv(io.StringIO(out), dtype={"region": str}, keep_default_na=False).set_index("region")
    with xr.open_dataset(result, engine="h5netcdf") as ds:
        income = ds.real_income.sel(year=2040)
        world = float(income.sel(case="scenario").sum() / income.sel(case="baseline").sum() - 1)
        members = ds.bloc_member.sel(bloc="customs_union[0]") > 0.5
        bloc = float(income.sel(case="scenario").where(members).sum() / income.sel(case="baseline").where(members).sum() - 1)
        assert float(table.loc["world", "welfare_change (%)"]) == pytest.approx(100 * world, rel=1e-7)
        assert float(table.loc["bloc customs_union[0]", "welfare_change (%)"]) == pytest.approx(100 * bloc, rel=1e-7)
        regions = [r for r in table.index if r not in ("world", "bloc customs_union[0]")]
        assert sorted(regions) == sorted(ds.region.values.tolist())
        values = [float(table.loc[r, "welfare_change (%)"]) for r in regions]
        assert values == sorted(values, reverse=True), "sorted by welfare, largest first"


def test_sweep_export_and_quantiles(tmp_path):
    sweep = tmp_path / "s.h5"
    integra("sweep", ROOT / "tests" / "sweep" / "small_sweep.toml", "-q", "-o", sweep)
    integra("export", sweep, "--csv", tmp_path / "csv")
    out = integra("summary", sweep, "--regions", "BRA", "--vars", "welfare_change", "--format", "csv").stdout
    table = pd.read_csv(io.StringIO(out), dtype={"region": str}).set_index("region")
    with xr.open_dataset(sweep, engine="h5netcdf") as ds:
        frame = pd.read_csv(tmp_path / "csv" / "welfare_change.csv", dtype={"region": str}, float_precision="round_trip")
        assert list(frame.columns) == ["point", "year", "region", "value"]
        np.testing.assert_array_equal(frame.value.to_numpy(), ds.welfare_change.values.ravel())
        revenue = pd.read_csv(tmp_path / "csv" / "customs_union.0.revenue.csv", dtype=str)
        assert list(revenue.value) == [str(v) for v in ds["customs_union.0.revenue"].values]
        ok = ds.welfare_change.where(ds.point_status == "ok", drop=True)
        band = ok.sel(year=2027, region="BRA").quantile([0.05, 0.5, 0.95], dim="point").values * 100
        got = [float(table.loc["BRA", f"welfare_change p{q} (%)"]) for q in ("5", "50", "95")]
        np.testing.assert_allclose(got, band, rtol=1e-7)
