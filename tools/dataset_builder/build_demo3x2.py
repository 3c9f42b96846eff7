#!/usr/bin/python3
"""Writes data/demo3x2: a small hand-made balanced economy (3 regions x 2 sectors).

Every number is invented for teaching and testing; nothing here is real data. The
trade flows, tariffs and cost shares below are chosen by hand; the final-demand shares
and deficits are derived so that the base year satisfies the Caliendo-Parro (2015)
identities (output = sales, spending = intermediate + final use, deficit = imports -
exports). Run from the repository root:  /usr/bin/python3 tools/dataset_builder/build_demo3x2.py
"""
import pathlib

REGIONS = [("north", "Northland"), ("south", "Southland"), ("east", "Eastland")]
SECTORS = [("goods", "Goods", 1, 5.0), ("services", "Services", 0, 8.22)]
# trade[sector][(exporter, importer)], million USD at world prices, domestic sales included
TRADE = {
    "goods": {("north", "north"): 300, ("north", "south"): 60, ("north", "east"): 40,
              ("south", "north"): 50, ("south", "south"): 200, ("south", "east"): 30,
              ("east", "north"): 30, ("east", "south"): 40, ("east", "east"): 250},
    "services": {("north", "north"): 600, ("south", "south"): 400, ("east", "east"): 500},
}
# tariffs on goods, (importer, exporter) -> fraction
TARIFFS = {("south", "north"): 0.08, ("south", "east"): 0.10, ("east", "north"): 0.05,
           ("east", "south"): 0.05, ("north", "south"): 0.02, ("north", "east"): 0.03}
# value-added share of gross output and input shares gamma[input][using], same in all regions
VA_SHARE = {"goods": 0.4, "services": 0.6}
IO = {("goods", "goods"): 0.35, ("services", "goods"): 0.25,
      ("goods", "services"): 0.15, ("services", "services"): 0.25}


def g(x):
    return f"{x:.9g}"


def main():
    out = pathlib.Path(__file__).resolve().parents[2] / "data" / "demo3x2"
    out.mkdir(parents=True, exist_ok=True)
    regions = [r for r, _ in REGIONS]
    sectors = [s for s, *_ in SECTORS]
    flow = lambda s, i, n: TRADE[s].get((i, n), 0.0)
    tariff = lambda s, n, i: TARIFFS.get((n, i), 0.0) if s == "goods" else 0.0
    go = {(r, s): sum(flow(s, r, n) for n in regions) for r in regions for s in sectors}
    spending = {(n, s): sum(flow(s, i, n) * (1 + tariff(s, n, i)) for i in regions)
                for n in regions for s in sectors}
    final_use = {(n, s): spending[n, s] - sum(IO[s, j] * go[n, j] for j in sectors)
                 for n in regions for s in sectors}
    deficit = {n: sum(flow(s, i, n) for s in sectors for i in regions if i != n)
               - sum(flow(s, n, i) for s in sectors for i in regions if i != n) for n in regions}

    files = {
        "regions.csv": ["region,name"] + [f"{r},{name}" for r, name in REGIONS],
        "sectors.csv": ["sector,name,tradable,trade_elasticity"]
        + [f"{s},{name},{t},{g(theta)}" for s, name, t, theta in SECTORS],
        "gross_output.csv": ["region,sector,value"] + [f"{r},{s},{g(go[r, s])}" for r in regions for s in sectors],
        "value_added.csv": ["region,sector,value"]
        + [f"{r},{s},{g(VA_SHARE[s] * go[r, s])}" for r in regions for s in sectors],
        "io_coefficients.csv": ["region,input_sector,using_sector,value"]
        + [f"{r},{k},{j},{g(IO[k, j])}" for r in regions for k in sectors for j in sectors],
        "trade.csv": ["exporter,importer,sector,value"]
        + [f"{i},{n},{s},{g(flow(s, i, n))}" for i in regions for n in regions for s in sectors if flow(s, i, n)],
        "tariffs.csv": ["importer,exporter,sector,rate"]
        + [f"{n},{i},{s},{g(tariff(s, n, i))}" for n in regions for i in regions for s in sectors if tariff(s, n, i)],
        "final_demand_shares.csv": ["region,sector,value"]
        + [f"{n},{s},{g(final_use[n, s] / sum(final_use[n, k] for k in sectors))}" for n in regions for s in sectors],
        "deficits.csv": ["region,value"] + [f"{n},{g(deficit[n])}" for n in regions],
        "population.csv": ["region,year,variant,value"]
        + [f"{r},{y},medium,{g(p * 1.01 ** (y - 2023))}" for r, p in zip(regions, (50000, 80000, 65000))
           for y in range(2023, 2051)],
    }
    for name, lines in files.items():
        if name not in ("regions.csv", "sectors.csv"):  # those two are in model order
            lines = lines[:1] + sorted(lines[1:])
        (out / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "manifest.toml").write_text(MANIFEST, encoding="utf-8")


MANIFEST = '''# A hand-made balanced economy for the demo scenario and the tests.
# Invented numbers, not real data: see tools/dataset_builder/build_demo3x2.py.
name = "demo3x2"
title = "Demo economy: 3 invented regions x 2 sectors"
base_year = 2023
currency = "USD"
unit = "million USD"
builder = "/usr/bin/python3 tools/dataset_builder/build_demo3x2.py"

[files]
regions = "regions.csv"
sectors = "sectors.csv"
gross_output = "gross_output.csv"
value_added = "value_added.csv"
io_coefficients = "io_coefficients.csv"
trade = "trade.csv"
tariffs = "tariffs.csv"
final_demand_shares = "final_demand_shares.csv"
deficits = "deficits.csv"
population = "population.csv"

[[sources]]
name = "Integra developers"
file = "tools/dataset_builder/build_demo3x2.py"
licence = "Apache-2.0 (this repository)"
citation = "Invented for teaching and testing; no real data."
'''

if __name__ == "__main__":
    main()
