"""integra io accounts (issue 15) against xarray and an independent NumPy computation: the
hand-written pymrio-layout folder tests/data/mrio/pymrio_3x2 (3 regions x 2 sectors, one
extension) is read by pandas here and by integra's reader there; global footprints equal
global territorial emissions, value added in final demand adds up to world value added, and
footprints, multipliers and L agree with the textbook formulas computed from the text files."""
import json
import os
import pathlib
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
import xarray as xr

ROOT = pathlib.Path(os.environ.get("INTEGRA_ROOT", pathlib.Path(__file__).resolve().parents[2]))
INTEGRA = os.environ.get("INTEGRA_BIN", str(ROOT / "build" / "tools" / "integra"))
MRIO = ROOT / "tests" / "data" / "mrio"
FOLDER = MRIO / "pymrio_3x2"


def integra(*args):
    return subprocess.run([INTEGRA, *map(str, args)], check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def accounts(tmp_path_factory):
    out = tmp_path_factory.mktemp("io") / "accounts.h5"
    integra("io", "accounts", FOLDER, "-o", out, "--write", "A,L,G", "--population", MRIO / "population.csv")
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        yield ds.load()


@pytest.fixture(scope="module")
def reference():
    """The textbook formulas on the text files, read with pandas (pymrio's own read_csv call)."""
    z = pd.read_csv(FOLDER / "Z.txt", sep="\t", index_col=[0, 1], header=[0, 1])
    y = pd.read_csv(FOLDER / "Y.txt", sep="\t", index_col=[0, 1], header=[0, 1])
    f = pd.read_csv(FOLDER / "emissions" / "F.txt", sep="\t", index_col=0, header=[0, 1])
    fy = pd.read_csv(FOLDER / "emissions" / "F_Y.txt", sep="\t", index_col=0, header=[0, 1])
    regions = list(dict.fromkeys(z.index.get_level_values(0)))
    Z, F = z.to_numpy(), f.to_numpy()
    Yq = y.T.groupby(level=0, sort=False).sum().T[regions].to_numpy()       # n x R
    Fy = fy.T.groupby(level=0, sort=False).sum().T[regions].to_numpy()      # K x R
    x = Z.sum(1) + Yq.sum(1)
    A = Z / x
    L = np.linalg.inv(np.eye(len(x)) - A)
    S = F / x
    v = x - Z.sum(0)
    R, n = len(regions), len(x)
    ns = n // R
    D = np.zeros((F.shape[0], R, R))  # stressor, origin, destination
    for q in range(R):
        xq = L @ Yq[:, q]
        for o in range(R):
            D[:, o, q] = S[:, o * ns:(o + 1) * ns] @ xq[o * ns:(o + 1) * ns]
        D[:, q, q] += Fy[:, q]
    VAX = np.array([[(v / x * (L @ Yq[:, q]))[o * ns:(o + 1) * ns].sum() for q in range(R)] for o in range(R)])
    return dict(regions=regions, x=x, L=L, M=S @ L, D=D, cba=D.sum(1), pba=F.reshape(F.shape[0], R, ns).sum(2) + Fy,
                vax=VAX, v=v, mult=L.sum(0))


def test_named_dimensions(accounts):
    ds = accounts
    assert ds["footprint_by_origin"].dims == ("stressor", "origin_region", "region")
    assert ds["final_demand"].dims == ("origin_region", "origin_sector", "region", "category")
    assert ds["L"].dims == ("origin_region", "origin_sector", "region", "sector")
    assert list(ds.stressor.values) == ["CO2", "CH4"]
    assert list(ds.stressor_unit.values) == ["kt", "t"]
    assert ds.attrs["unit"] == "M.EUR"
    assert ds["gross_output"].attrs["units"] == "M.EUR"


def test_global_identities(accounts):
    ds = accounts
    cba = ds["consumption_based"].sum("region").values
    pba = ds["production_based"].sum("region").values
    np.testing.assert_allclose(cba, pba, rtol=1e-10, atol=0)
    world_va = ds["value_added"].sum().item()
    assert abs(ds["value_added_in_final_demand"].sum().item() - world_va) <= 1e-10 * world_va
    np.testing.assert_allclose(ds["balancing_gap"].values, 0, atol=1e-10)
    # imports - exports of embodied stressors = CBA - PBA, region by region
    np.testing.assert_allclose((ds["embodied_in_imports"] - ds["embodied_in_exports"]).values,
                               (ds["consumption_based"] - ds["production_based"]).values, atol=1e-10)


def test_against_numpy(accounts, reference):
    ds, ref = accounts, reference
    assert list(ds.region.values) == ref["regions"]
    n = len(ref["x"])
    np.testing.assert_allclose(ds["gross_output"].values.ravel(), ref["x"], rtol=1e-12)
    np.testing.assert_allclose(ds["L"].values.reshape(n, n), ref["L"], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ds["output_multiplier"].values.ravel(), ref["mult"], rtol=1e-12)
    np.testing.assert_allclose(ds["stressor_multiplier"].values.reshape(-1, n), ref["M"], rtol=1e-12)
    np.testing.assert_allclose(ds["footprint_by_origin"].values, ref["D"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ds["consumption_based"].values, ref["cba"], rtol=1e-12)
    np.testing.assert_allclose(ds["production_based"].values, ref["pba"], rtol=1e-12)
    np.testing.assert_allclose(ds["value_added_in_final_demand"].values, ref["vax"], rtol=1e-12)
    pop = pd.read_csv(MRIO / "population.csv").set_index("region").population[ref["regions"]].to_numpy()
    np.testing.assert_allclose(ds["consumption_based_per_person"].values, ref["cba"] / pop, rtol=1e-12)


def test_long_layout_gives_the_same_accounts(accounts, tmp_path):
    out = tmp_path / "long.h5"
    integra("io", "accounts", MRIO / "long_3x2", "--format", "long", "--unit", "M.EUR", "-o", out)
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        for name in ["gross_output", "value_added", "output_multiplier", "value_added_in_final_demand", "final_demand"]:
            np.testing.assert_array_equal(ds[name].values, accounts[name].values, err_msg=name)


def test_given_value_added_keeps_its_gap(tmp_path):
    """A factor_inputs extension is value added as given: the gap x - 1'Z - v is written, not
    forced to zero, VAX adds up to the given world value added, and a negative cell warns."""
    import shutil
    folder = tmp_path / "m"
    shutil.copytree(FOLDER, folder)
    (folder / "factor_inputs").mkdir()
    header = "region\tREG1\tREG1\tREG2\tREG2\tREG3\tREG3\nsector\tfood\tgoods\tfood\tgoods\tfood\tgoods\nstressor" + "\t" * 6 + "\n"
    (folder / "factor_inputs" / "F.txt").write_text(header + "wages\t40\t30\t35\t40\t-2\t30\nprofits\t15\t13\t13\t10\t1\t13\n")
    (folder / "factor_inputs" / "unit.txt").write_text("stressor\tunit\nwages\tM.EUR\nprofits\tM.EUR\n")
    (folder / "factor_inputs" / "file_parameters.json").write_text(
        '{"files": {"F": {"name": "F.txt", "nr_index_col": "1", "nr_header": "2"}, '
        '"unit": {"name": "unit.txt", "nr_index_col": "1", "nr_header": "1"}}, "systemtype": "Extension", "name": "factor_inputs"}')
    out = tmp_path / "va.h5"
    run = integra("io", "accounts", folder, "-o", out)
    assert "value added (extension factor_inputs (2 row(s), summed))[REG3/food]: warning: negative value added -1 M.EUR" in run.stderr
    z = pd.read_csv(FOLDER / "Z.txt", sep="\t", index_col=[0, 1], header=[0, 1]).to_numpy()
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        v = ds["value_added"].values.ravel()
        np.testing.assert_array_equal(v, [55, 43, 48, 50, -1, 43])
        np.testing.assert_allclose(ds["balancing_gap"].values.ravel(), ds["gross_output"].values.ravel() - z.sum(0) - v, atol=1e-12)
        assert abs(ds["value_added_in_final_demand"].sum().item() - v.sum()) <= 1e-10 * v.sum()
        assert ds.attrs["value_added_source"].startswith("extension factor_inputs")
        assert "factor_inputs" in set(ds["extension"].values)


def test_iterative_operator_and_shock_by_category(accounts, reference, tmp_path):
    """L never formed (BiCGSTAB) gives the dense accounts; a final-demand shock by origin,
    destination and category moves output by L dY and stressors by S L dY (NumPy)."""
    out = tmp_path / "iterative.h5"
    shock = MRIO / "shock_3x2.csv"
    run = integra("io", "accounts", FOLDER, "-o", out, "--method", "iterative", "--shock", shock,
                  "--write", "downstream")
    assert "iterative, L never formed" in run.stderr
    with xr.open_dataset(out, engine="h5netcdf") as it:
        assert "BiCGSTAB" in it.attrs["leontief_method"]
        assert it.attrs["output_relative_residual"] < 1e-11
        for name in ["output_multiplier", "stressor_multiplier", "consumption_based", "footprint_by_origin",
                     "value_added_in_final_demand", "value_added_in_exports", "forward_linkage"]:
            np.testing.assert_allclose(it[name].values, accounts[name].values, rtol=1e-10, atol=1e-10, err_msg=name)
        # Footprints by category add up to the footprints less the direct stressors of final users.
        fy = pd.read_csv(FOLDER / "emissions" / "F_Y.txt", sep="\t", index_col=0, header=[0, 1])
        fy_q = fy.T.groupby(level=0, sort=False).sum().T[reference["regions"]].to_numpy()
        np.testing.assert_allclose(it["consumption_based_by_category"].sum("category").values + fy_q,
                                   it["consumption_based"].values, rtol=1e-12)
        # The shock, rebuilt in NumPy.
        s = pd.read_csv(shock)
        n, L = len(reference["x"]), reference["L"]
        sectors = list(it.sector.values)
        dy = np.zeros(n)
        for row in s.itertuples():
            dy[reference["regions"].index(row.origin_region) * len(sectors) + sectors.index(row.origin_sector)] += row.change
        np.testing.assert_allclose(it["shock_output_change"].values.ravel(), L @ dy, rtol=1e-10, atol=1e-10)
        dF = (reference["M"] @ dy)
        np.testing.assert_allclose(it["shock_stressor_change"].sum(["region", "category"]).values, dF,
                                   rtol=1e-10, atol=1e-10)
        # Downstream + upstream output multipliers: G 1 with G = x^-1 L x^.
        x = reference["x"]
        G = (L * x) / x[:, None]
        np.testing.assert_allclose(it["downstream_output_multiplier"].values.ravel(), G.sum(1), rtol=1e-10)


def test_proportional_view_is_recorded_and_changes_only_the_origin_detail(accounts, tmp_path):
    """--view proportional: the accounts of the Chenery-Moses view, recorded as such; gross
    output, value added and global footprints are unchanged, who sells to whom is not."""
    out = tmp_path / "proportional.h5"
    integra("io", "accounts", FOLDER, "-o", out, "--view", "proportional")
    with xr.open_dataset(out, engine="h5netcdf") as p:
        assert p.attrs["view"] == "proportional" and "proportional view" in p.attrs["origin_detail"]
        assert accounts.attrs["view"] == "full"
        np.testing.assert_allclose(p["gross_output"].values, accounts["gross_output"].values, rtol=1e-15)
        np.testing.assert_allclose(p["value_added"].values, accounts["value_added"].values, rtol=1e-15)
        np.testing.assert_allclose(p["consumption_based"].sum("region").values,
                                   accounts["consumption_based"].sum("region").values, rtol=1e-12)
        gap = np.abs(p["output_multiplier"].values - accounts["output_multiplier"].values).max()
        assert gap > 1e-3, gap


def test_structural_paths_of_a_footprint(accounts, tmp_path):
    """--paths: the listed paths add up to the covered share of the footprint S L y_q (the
    footprint without the direct stressors of final users), largest first, and each path's
    value is the product along it (checked in NumPy)."""
    out = tmp_path / "paths.h5"
    integra("io", "accounts", FOLDER, "-o", out, "--paths", "CO2,REG2", "--paths-threshold", "1e-6",
            "--paths-depth", "8", "--write", "A")
    with xr.open_dataset(out, engine="h5netcdf") as p:
        values = p["path_value"].values
        assert np.all(np.diff(np.abs(values)) <= 0)
        np.testing.assert_allclose(values.sum(), p.attrs["paths_covered_share"] * p.attrs["paths_footprint"], rtol=1e-12)
        assert p.attrs["paths_covered_share"] > 0.99
        fy = pd.read_csv(FOLDER / "emissions" / "F_Y.txt", sep="\t", index_col=0, header=[0, 1])
        direct = fy.loc["CO2"].groupby(level=0).sum()["REG2"]
        np.testing.assert_allclose(p.attrs["paths_footprint"],
                                   float(p["consumption_based"].sel(stressor="CO2", region="REG2")) - direct, rtol=1e-10)
        n = p.sizes["region"] * p.sizes["sector"]
        A = p["A"].values.reshape(n, n)
        S = p["stressor_intensity"].sel(stressor="CO2").values.ravel()
        y = p["final_demand"].sel(region="REG2").sum("category").values.ravel()
        regions, sectors = list(p.region.values), list(p.sector.values)
        for i in range(min(5, p.sizes["path"])):
            steps = [(r, s) for r, s in zip(p["path_region"].values[i], p["path_sector"].values[i]) if r]
            nodes = [regions.index(r) * len(sectors) + sectors.index(s) for r, s in steps]
            value = y[nodes[0]] * np.prod([A[nodes[k + 1], nodes[k]] for k in range(len(nodes) - 1)]) * S[nodes[-1]]
            np.testing.assert_allclose(values[i], value, rtol=1e-12)


def test_decompose_two_tables(accounts, tmp_path):
    """integra io decompose: the factors' contributions add up to the change of gross output
    and of the footprints; the first table's gross output and footprints are those of
    integra io accounts; a table compared with itself has no change and zero contributions."""
    later = tmp_path / "later"
    shutil.copytree(FOLDER, later)
    (later / "x.txt").unlink()  # recomputed from the changed flows
    parameters = json.loads((later / "file_parameters.json").read_text())
    del parameters["files"]["x"]
    (later / "file_parameters.json").write_text(json.dumps(parameters))
    z = (later / "Z.txt").read_text().splitlines()
    cells = z[4].split("\t")
    cells[3] = str(float(cells[3]) * 1.5)  # one intermediate flow up by half
    z[4] = "\t".join(cells)
    (later / "Z.txt").write_text("\n".join(z) + "\n")
    out = tmp_path / "sda.h5"
    integra("io", "decompose", "--before", FOLDER, "--after", later, "-o", out)
    with xr.open_dataset(out, engine="h5netcdf") as d:
        assert list(d.factor.values) == ["technology", "final_demand_level", "final_demand_mix", "final_demand_origin"]
        change = d["gross_output_after"] - d["gross_output_before"]
        np.testing.assert_allclose(d["gross_output_change_by_factor"].sum("factor").values, change.values,
                                   rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(d["gross_output_before"].values, accounts["gross_output"].values, rtol=1e-12)
        assert float(abs(change).max()) > 1e-3
        # Final demand did not change: its factors contribute nothing.
        for f in ["final_demand_level", "final_demand_mix", "final_demand_origin"]:
            assert float(abs(d["gross_output_change_by_factor"].sel(factor=f)).max()) < 1e-10
        fchange = d["footprint_after"] - d["footprint_before"]
        np.testing.assert_allclose(d["footprint_change_by_factor"].sum("footprint_factor").values, fchange.values,
                                   rtol=1e-10, atol=1e-10)
        fy = pd.read_csv(FOLDER / "emissions" / "F_Y.txt", sep="\t", index_col=0, header=[0, 1])
        direct = fy.T.groupby(level=0, sort=False).sum().T[list(d.region.values)].to_numpy()
        np.testing.assert_allclose(d["footprint_before"].values + direct, accounts["consumption_based"].values,
                                   rtol=1e-12)
    same = tmp_path / "same.h5"
    integra("io", "decompose", "--before", FOLDER, "--after", FOLDER, "-o", same, "--ordering", "first_polar")
    with xr.open_dataset(same, engine="h5netcdf") as d:
        assert float(abs(d["gross_output_change_by_factor"]).max()) == 0.0


def test_embedded_dataset_value_added_in_exports(tmp_path):
    """--format dataset: celac38's implied MRIO (proportional view). Value added in gross
    exports sums over origins to the exports; domestic value added is a share in (0, 1];
    Mexico, inside North American supply chains, keeps less of its exports' value at home
    than Brazil or Argentina (OECD TiVA shows the same ordering)."""
    out = tmp_path / "celac38_io.h5"
    integra("io", "accounts", "celac38", "--format", "dataset", "-o", out)
    with xr.open_dataset(out, engine="h5netcdf") as d:
        assert "proportionality assumption" in d.attrs["input"]
        eva = d["value_added_in_exports"]  # origin_region, exporter, importer
        gross = eva.sum("origin_region")
        domestic = np.einsum("iij->ij", eva.values).sum(1)
        share = pd.Series(domestic / gross.sum("importer").values, index=d.exporter.values)
        assert ((share > 0) & (share <= 1 + 1e-12)).all()
        assert share["MEX"] < share["BRA"] and share["MEX"] < share["ARG"]
        # World value added in final demand is world value added: to 1e-8 here, as the
        # dataset's economy balances its rows to about 1e-9, not to rounding.
        np.testing.assert_allclose(d["value_added_in_final_demand"].values.sum(), d["value_added"].values.sum(),
                                   rtol=1e-8)


def test_factor_inputs_taxes_on_products_and_units(tmp_path):
    """A factor_inputs row of taxes on products is not value added at basic prices: it stays
    in the extension and is the balancing gap; a factor input not in the table's currency
    exits 2 naming file:line."""
    folder = tmp_path / "m"
    shutil.copytree(FOLDER, folder)
    (folder / "factor_inputs").mkdir()
    header = "region\tREG1\tREG1\tREG2\tREG2\tREG3\tREG3\nsector\tfood\tgoods\tfood\tgoods\tfood\tgoods\nstressor" + "\t" * 6 + "\n"
    rows = "wages\t40\t30\t35\t40\t5\t30\nTaxes less subsidies on products purchased: Total\t1\t2\t3\t4\t5\t6\n"
    (folder / "factor_inputs" / "F.txt").write_text(header + rows)
    (folder / "factor_inputs" / "file_parameters.json").write_text(
        '{"files": {"F": {"name": "F.txt", "nr_index_col": "1", "nr_header": "2"}, '
        '"unit": {"name": "unit.txt", "nr_index_col": "1", "nr_header": "1"}}, "systemtype": "Extension", "name": "factor_inputs"}')
    units = "stressor\tunit\nwages\tM.EUR\nTaxes less subsidies on products purchased: Total\tM.EUR\n"
    (folder / "factor_inputs" / "unit.txt").write_text(units)
    out = tmp_path / "va.h5"
    integra("io", "accounts", folder, "-o", out)
    z = pd.read_csv(FOLDER / "Z.txt", sep="\t", index_col=[0, 1], header=[0, 1]).to_numpy()
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        np.testing.assert_array_equal(ds["value_added"].values.ravel(), [40, 30, 35, 40, 5, 30])
        assert "taxes on products excluded" in ds.attrs["value_added_source"]
        np.testing.assert_allclose(ds["balancing_gap"].values.ravel(),
                                   ds["gross_output"].values.ravel() - z.sum(0) - [40, 30, 35, 40, 5, 30], atol=1e-12)
    (folder / "factor_inputs" / "unit.txt").write_text(units.replace("wages\tM.EUR", "wages\tpersons"))
    run = subprocess.run([INTEGRA, "io", "accounts", str(folder), "-o", str(tmp_path / "bad.h5")],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "factor_inputs/F.txt:4: factor input 'wages' is in 'persons'" in run.stderr, run.stderr
