"""Reader, writer and validator for the Integra on-disk dataset format (docs/dataset-format.md).

Only the standard library and numpy are used so the validator runs anywhere the builder runs.
"""
from __future__ import annotations

import csv
import os
import tomllib

import numpy as np

FLOAT_FMT = "%.9g"   # 9 significant digits, deterministic


def fmt(x) -> str:
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return str(int(x))
    if isinstance(x, str):
        return x
    v = float(x)
    if v == 0.0:
        return "0"
    s = FLOAT_FMT % v
    return s


def write_csv(path: str, header: list[str], rows: list[list]) -> None:
    """Write a tidy CSV (LF line endings, sorted by the caller)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(header) + "\n")
        for r in rows:
            cells = []
            for c in r:
                t = fmt(c)
                if any(ch in t for ch in ',"\n'):
                    t = '"' + t.replace('"', '""') + '"'
                cells.append(t)
            fh.write(",".join(cells) + "\n")


def read_csv(path: str) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


class Dataset:
    """Arrays of a dataset folder in model order (regions.csv, sectors.csv order)."""

    def __init__(self, folder: str):
        self.folder = folder
        with open(os.path.join(folder, "manifest.toml"), "rb") as fh:
            self.manifest = tomllib.load(fh)
        files = self.manifest["files"]
        self.files = files
        p = lambda key: os.path.join(folder, files[key])
        self.regions = [r["region"] for r in read_csv(p("regions"))]
        sec = read_csv(p("sectors"))
        self.sectors = [s["sector"] for s in sec]
        self.tradable = np.array([int(s["tradable"]) for s in sec])
        self.theta = np.array([float(s["trade_elasticity"]) for s in sec])
        N, K = len(self.regions), len(self.sectors)
        self.N, self.K = N, K
        ri = {r: i for i, r in enumerate(self.regions)}
        si = {s: i for i, s in enumerate(self.sectors)}
        self.ri, self.si = ri, si

        def rs(key):
            a = np.zeros((N, K))
            for r in read_csv(p(key)):
                a[ri[r["region"]], si[r["sector"]]] = float(r["value"])
            return a
        self.go = rs("gross_output")
        self.va = rs("value_added")
        self.alpha = rs("final_demand_shares")
        # optional: beta, the sector composition of gross fixed capital formation (region x sector here)
        self.beta = rs("investment_shares") if "investment_shares" in files else None
        self.io = np.zeros((N, K, K))  # [n, input k, using j]
        for r in read_csv(p("io_coefficients")):
            self.io[ri[r["region"]], si[r["input_sector"]], si[r["using_sector"]]] = float(r["value"])
        self.trade = np.zeros((N, N, K))  # [exporter, importer, sector]
        for r in read_csv(p("trade")):
            self.trade[ri[r["exporter"]], ri[r["importer"]], si[r["sector"]]] = float(r["value"])
        self.tariff = np.zeros((N, N, K))  # [importer, exporter, sector]
        for r in read_csv(p("tariffs")):
            self.tariff[ri[r["importer"]], ri[r["exporter"]], si[r["sector"]]] = float(r["rate"])
        # optional: the rate each importer applies absent any preference (its MFN-type rate)
        self.tariff_np = None
        if "non_preferential_tariffs" in files:
            self.tariff_np = np.zeros((N, N, K))  # [importer, exporter, sector]
            for r in read_csv(p("non_preferential_tariffs")):
                self.tariff_np[ri[r["importer"]], ri[r["exporter"]], si[r["sector"]]] = float(r["rate"])
        self.deficit = np.zeros(N)
        for r in read_csv(p("deficits")):
            self.deficit[ri[r["region"]]] = float(r["value"])
        # optional (A23): migrant stocks [origin, destination], thousand persons, absent cells 0;
        # remittances received / GDP per region (NaN where absent) and the year of each value (0)
        self.migrant_stocks = None
        if "migrant_stocks" in files:
            self.migrant_stocks = np.zeros((N, N))
            for r in read_csv(p("migrant_stocks")):
                self.migrant_stocks[ri[r["origin"]], ri[r["destination"]]] = float(r["value"])
        self.remittances = self.remittances_year = None
        if "remittances" in files:
            self.remittances = np.full(N, np.nan)
            self.remittances_year = np.zeros(N, dtype=int)
            for r in read_csv(p("remittances")):
                self.remittances[ri[r["region"]]] = float(r["value"])
                self.remittances_year[ri[r["region"]]] = int(r["year"])

    # derived quantities -------------------------------------------------
    def imports_world_prices(self):
        """M[n, i, k] = imports of n from i (world prices)."""
        return np.transpose(self.trade, (1, 0, 2))

    def expenditure(self):
        """X[n, k] = total spending of n on k including tariffs."""
        M = self.imports_world_prices()
        return np.einsum("nik,nik->nk", M, 1.0 + self.tariff)

    def tariff_revenue(self):
        M = self.imports_world_prices()
        return np.einsum("nik,nik->n", M, self.tariff)

    def final_absorption(self):
        return self.va.sum(1) + self.tariff_revenue() + self.deficit


def _sorted(rows: list[dict], keys: list[str]) -> bool:
    t = [tuple(r[k] for k in keys) for r in rows]
    return t == sorted(t)


def validate(folder: str, rtol: float = 1e-6, check_order: bool = True) -> list[str]:
    """Check every identity of a dataset; return the list of problems (empty = valid).

    ``check_order=False`` skips the row-sortedness rule (a reproducibility convention of the
    format, not an economic identity)."""
    issues: list[str] = []
    try:
        d = Dataset(folder)
    except Exception as exc:  # noqa: BLE001 - report load failures as an issue
        return [f"load: {type(exc).__name__}: {exc}"]
    m = d.manifest
    for key in ("name", "title", "base_year", "currency", "unit", "builder", "files", "sources"):
        if key not in m:
            issues.append(f"manifest: missing key '{key}'")
    if m.get("currency") != "USD" or m.get("unit") != "million USD":
        issues.append("manifest: currency must be USD and unit 'million USD'")
    for key, fn in m.get("files", {}).items():
        if not os.path.exists(os.path.join(folder, fn)):
            issues.append(f"manifest.files.{key}: '{fn}' does not exist")
    # sortedness of the long files (regions/sectors keep model order)
    sort_keys = {"gross_output": ["region", "sector"], "value_added": ["region", "sector"],
                 "final_demand_shares": ["region", "sector"], "investment_shares": ["region", "sector"],
                 "io_coefficients": ["region", "input_sector", "using_sector"],
                 "trade": ["exporter", "importer", "sector"], "tariffs": ["importer", "exporter", "sector"],
                 "non_preferential_tariffs": ["importer", "exporter", "sector"],
                 "deficits": ["region"], "population": ["region", "year", "variant"],
                 "productivity_growth": ["region", "year"], "employment": ["region", "sector"],
                 "trade_elasticities": ["sector"], "migrant_stocks": ["origin", "destination"],
                 "remittances": ["region"], "output_history": ["region", "year"],
                 "business_cycles": ["region"], "shock_correlation": ["region", "partner"]}
    for key, ks in sort_keys.items():
        if check_order and key in d.files and not _sorted(read_csv(os.path.join(folder, d.files[key])), ks):
            issues.append(f"{d.files[key]}: rows not sorted by {ks}")
    dense = {"gross_output": ["region", "sector"], "value_added": ["region", "sector"],
             "final_demand_shares": ["region", "sector"], "investment_shares": ["region", "sector"],
             "io_coefficients": ["region", "input_sector", "using_sector"]}
    for key, ks in dense.items():
        if key not in d.files:
            continue
        rows = read_csv(os.path.join(folder, d.files[key]))
        keys = {tuple(r[k] for k in ks) for r in rows}
        expect = d.N * d.K ** (len(ks) - 1)
        if len(rows) != expect or len(keys) != expect:
            issues.append(f"{d.files[key]}: expected {expect} unique rows, got {len(rows)} rows / {len(keys)} keys")
    for key, ks in (("trade", ["exporter", "importer", "sector"]), ("tariffs", ["importer", "exporter", "sector"]),
                    ("non_preferential_tariffs", ["importer", "exporter", "sector"])):
        if key not in d.files:
            continue
        rows = read_csv(os.path.join(folder, d.files[key]))
        if len({tuple(r[k] for k in ks) for r in rows}) != len(rows):
            issues.append(f"{d.files[key]}: duplicate keys")
    for j in range(d.K):
        if d.tradable[j] not in (0, 1):
            issues.append(f"sectors.csv: tradable must be 0/1 for {d.sectors[j]}")
        if d.tradable[j] == 0:
            offd = d.trade[:, :, j] - np.diag(np.diag(d.trade[:, :, j]))
            if np.any(offd != 0) or np.any(d.tariff[:, :, j] != 0):
                issues.append(f"sector {d.sectors[j]} is non-tradable but has trade or tariffs")
            if d.tariff_np is not None and np.any(d.tariff_np[:, :, j] != 0):
                issues.append(f"sector {d.sectors[j]} is non-tradable but has non-preferential tariffs")
    if len(set(d.regions)) != d.N:
        issues.append("regions.csv: duplicate region codes")
    if np.any(d.theta <= 0):
        issues.append("sectors.csv: trade_elasticity must be > 0")
    N, K = d.N, d.K
    scale = max(d.go.sum(), 1.0)
    tol_abs = 1e-9 * scale
    # flows non-negative
    for name, a in (("gross_output", d.go), ("value_added", d.va), ("trade", d.trade),
                    ("io_coefficients", d.io), ("tariffs", d.tariff)):
        if np.any(a < 0):
            issues.append(f"{name}: negative entries ({int((a < 0).sum())})")
    # gamma and IO columns
    with np.errstate(divide="ignore", invalid="ignore"):
        gamma = np.where(d.go > 0, d.va / d.go, 1.0)
    if np.any(gamma > 1 + rtol):
        bad = [(d.regions[n], d.sectors[k]) for n, k in zip(*np.where(gamma > 1 + rtol))]
        issues.append(f"value_added > gross_output for {bad[:5]}")
    colsum = d.io.sum(axis=1) + gamma  # [n, j]
    bad = np.argwhere(np.abs(colsum - 1) > rtol)
    for n, j in bad[:10]:
        issues.append(f"io_coefficients[{d.regions[n]}, :, {d.sectors[j]}]: column sum + VA share = {colsum[n, j]:.9g}, must be 1")
    # gross output = domestic sales + exports
    sales = d.trade.sum(axis=1)  # [exporter, k]
    bad = np.argwhere(np.abs(sales - d.go) > rtol * np.maximum(d.go, 1.0))
    for n, k in bad[:10]:
        issues.append(f"gross_output[{d.regions[n]},{d.sectors[k]}]={d.go[n, k]:.9g} but sales (domestic+exports)={sales[n, k]:.9g}")
    # world exports = world imports per sector (off-diagonal)
    off = d.trade.copy()
    for n in range(N):
        off[n, n, :] = 0
    if np.any(np.abs(off.sum(axis=(0, 1)) - off.sum(axis=(1, 0))) > tol_abs):
        issues.append("world exports != world imports")
    # tariffs: domestic 0, non-tradables 0
    for n in range(N):
        if np.any(d.tariff[n, n, :] != 0):
            issues.append(f"tariffs: domestic tariff for {d.regions[n]}")
    if d.tariff_np is not None:
        issues += _check_non_preferential(d, d.files["non_preferential_tariffs"])
    # deficits
    exports = off.sum(axis=(1, 2))
    imports = off.sum(axis=(0, 2))
    bad = np.argwhere(np.abs(imports - exports - d.deficit) > rtol * np.maximum(imports + exports, 1.0))
    for (n,) in bad[:10]:
        issues.append(f"deficits[{d.regions[n]}]={d.deficit[n]:.9g} but imports-exports={imports[n] - exports[n]:.9g}")
    if abs(d.deficit.sum()) > 1e-6 * exports.sum():
        issues.append(f"deficits sum to {d.deficit.sum():.9g}, must be 0")
    # alpha
    if np.any(d.alpha < 0):
        issues.append("final_demand_shares: negative entries")
    bad = np.argwhere(np.abs(d.alpha.sum(1) - 1) > rtol)
    for (n,) in bad[:10]:
        issues.append(f"final_demand_shares[{d.regions[n]}] sum to {d.alpha[n].sum():.9g}")
    # beta (optional): like alpha, non-negative and summing to 1 in each region (the C++ loader's 1e-6)
    if d.beta is not None:
        name = d.files["investment_shares"]
        if np.any(d.beta < 0):
            issues.append(f"{name}: negative entries")
        bad = np.argwhere(np.abs(d.beta.sum(1) - 1) > 1e-6)
        for (n,) in bad[:10]:
            issues.append(f"{name}: shares of {d.regions[n]} sum to {d.beta[n].sum():.9g}, expected 1 (within 1e-6)")
    # expenditure = intermediate use + final use
    X = d.expenditure()
    inter = np.einsum("nkj,nj->nk", d.io, d.go)
    I = d.final_absorption()
    if np.any(I <= 0):
        issues.append("final absorption I_n = VA + R + D must be > 0")
    resid = X - inter - d.alpha * I[:, None]
    bad = np.argwhere(np.abs(resid) > rtol * np.maximum(d.go.sum(1)[:, None], 1.0))
    for n, k in bad[:10]:
        issues.append(f"expenditure[{d.regions[n]},{d.sectors[k]}]: X - intermediate - alpha*I = {resid[n, k]:.6g}")
    # optional files
    if "population" in d.files:
        pop = read_csv(os.path.join(folder, d.files["population"]))
        regs = {r["region"] for r in pop}
        if regs != set(d.regions):
            issues.append("population.csv: region set differs from regions.csv")
        if any(float(r["value"]) <= 0 for r in pop):
            issues.append("population.csv: non-positive values")
    if "productivity_growth" in d.files:
        pg = read_csv(os.path.join(folder, d.files["productivity_growth"]))
        if {r["region"] for r in pg} != set(d.regions):
            issues.append("productivity_growth.csv: region set differs from regions.csv")
    if "trade_elasticities" in d.files:
        issues += _check_trade_elasticities(os.path.join(folder, d.files["trade_elasticities"]), d)
    if "migrant_stocks" in d.files:
        issues += _check_migrant_stocks(os.path.join(folder, d.files["migrant_stocks"]), d)
    if "remittances" in d.files:
        issues += _check_remittances(os.path.join(folder, d.files["remittances"]), d)
    return issues


def _check_migrant_stocks(path: str, d: Dataset) -> list[str]:
    """migrant_stocks.csv: known regions, each origin/destination pair once, finite values >= 0 (thousand
    persons), no cell with origin == destination (the C++ loader's rules)."""
    issues: list[str] = []
    name = os.path.basename(path)
    seen: dict[tuple[str, str], int] = {}
    for line, r in enumerate(read_csv(path), start=2):
        o, dst = r["origin"], r["destination"]
        bad = [c for c in (o, dst) if c not in d.ri]
        if bad:
            issues.append(f"{name}:{line}: unknown region '{bad[0]}'")
            continue
        if (o, dst) in seen:
            issues.append(f"{name}:{line}: duplicate cell {o} -> {dst} (first at line {seen[(o, dst)]})")
        seen.setdefault((o, dst), line)
        if o == dst:
            issues.append(f"{name}:{line}: origin equals destination ({o}); expected migrants between regions only")
        v = float(r["value"])
        if not (np.isfinite(v) and v >= 0):
            issues.append(f"{name}:{line}: value must be finite and >= 0, got {r['value']}")
    return issues


def _check_remittances(path: str, d: Dataset) -> list[str]:
    """remittances.csv: known regions, each once, a whole year, a share of GDP in [0, 1)."""
    issues: list[str] = []
    name = os.path.basename(path)
    seen: dict[str, int] = {}
    for line, r in enumerate(read_csv(path), start=2):
        reg = r["region"]
        if reg not in d.ri:
            issues.append(f"{name}:{line}: unknown region '{reg}'")
            continue
        if reg in seen:
            issues.append(f"{name}:{line}: duplicate region {reg} (first at line {seen[reg]})")
        seen.setdefault(reg, line)
        if not r["year"].isdigit() or not 1900 <= int(r["year"]) <= 2200:
            issues.append(f"{name}:{line}: year must be a whole number in 1900-2200, got {r['year']}")
        v = float(r["value"])
        if not (np.isfinite(v) and 0 <= v < 1):
            issues.append(f"{name}:{line}: share of GDP must be in [0, 1), got {r['value']}")
    return issues


def _check_non_preferential(d: Dataset, name: str, atol: float = 1e-9) -> list[str]:
    """non_preferential_tariffs.csv: the same checks as tariffs.csv (non-negative, finite, no domestic
    rate) and rate >= the applied rate of tariffs.csv in every cell (within atol, the C++ loader's tolerance)."""
    issues: list[str] = []
    t, a = d.tariff_np, d.tariff
    if not np.all(np.isfinite(t)):
        issues.append(f"{name}: non-finite rates")
    if np.any(t < 0):
        issues.append(f"{name}: negative entries ({int((t < 0).sum())})")
    for n in range(d.N):
        if np.any(t[n, n, :] != 0):
            issues.append(f"{name}: domestic tariff for {d.regions[n]}")
    bad = np.argwhere(t < a - atol)
    for n, i, k in bad[:10]:
        issues.append(f"{name}: rate {t[n, i, k]:.9g} of {d.regions[n]} on {d.regions[i]}, {d.sectors[k]} "
                      f"is below the applied rate {a[n, i, k]:.9g}")
    if len(bad) > 10:
        issues.append(f"{name}: {len(bad) - 10} more cells below the applied rate")
    return issues


def _check_trade_elasticities(path: str, d: Dataset) -> list[str]:
    """trade_elasticities.csv: every sector once, standard_error finite and >= 0, estimate equal
    (relative 1e-9) to the sector's trade_elasticity in sectors.csv."""
    issues: list[str] = []
    name = os.path.basename(path)
    seen: set[str] = set()
    for line, r in enumerate(read_csv(path), start=2):
        s = r["sector"]
        if s not in d.si:
            issues.append(f"{name}:{line}: unknown sector '{s}'")
            continue
        if s in seen:
            issues.append(f"{name}:{line}: duplicate sector '{s}'")
        seen.add(s)
        est, se = float(r["estimate"]), float(r["standard_error"])
        if not (np.isfinite(se) and se >= 0):
            issues.append(f"{name}:{line}: standard_error of {s} must be finite and >= 0, got {r['standard_error']}")
        theta = d.theta[d.si[s]]
        if not abs(est - theta) <= 1e-9 * abs(theta):
            issues.append(f"{name}:{line}: estimate {r['estimate']} of {s} differs from trade_elasticity {theta:.9g} in sectors.csv")
    missing = [s for s in d.sectors if s not in seen]
    if missing:
        issues.append(f"{name}: no row for sector(s) {', '.join(missing)}")
    return issues
