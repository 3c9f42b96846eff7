"""Integra results in Python: open run and sweep files, name and select regions, effects
against the baseline, bloc aggregates, tidy frames, plots (``integra.plots``) and a
self-contained HTML report (``python3 -m integra report FILE.h5 -o report.html``).

Needs only Debian's python3-numpy, -pandas, -xarray, -h5netcdf (and -matplotlib for plots)."""
from .core import (REGION_DIMS, add_region_names, aggregate_effect, bloc_effects, bloc_label, bloc_members,
                   effect, effect_years, groups, headline, is_sweep, is_trade_equilibrium, open, over_draws, region_names,
                   resolve_regions, scenario, select, tidy)

__all__ = ["open", "region_names", "add_region_names", "select", "resolve_regions", "effect", "aggregate_effect",
           "bloc_effects", "bloc_members", "bloc_label", "groups", "tidy", "headline", "effect_years", "is_sweep",
           "is_trade_equilibrium", "scenario", "over_draws", "REGION_DIMS"]


def __getattr__(name):  # integra.plots and integra.report load matplotlib only when used
    if name in ("plots", "report"):
        import importlib
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(name)
