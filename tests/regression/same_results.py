#!/usr/bin/python3
"""Are two Integra results files the same results, bit for bit?

    /usr/bin/python3 tests/regression/same_results.py A.h5 B.h5 [--ignore VAR]...

Compares every dimension, coordinate and data variable (values bitwise, NaN equal to NaN;
names, dimensions, units and descriptions). Global attributes that describe the run rather
than its results (times, host, command line, thread and rank counts) are not compared.
Exits 0 when the files agree, 1 with the differences otherwise.
"""
import argparse
import sys

import numpy as np
import xarray as xr

RUN_ATTRIBUTES = {"source", "start_time", "end_time", "history", "host", "threads", "mpi_ranks", "shards", "integra_version",
                  "integra_commit"}


def same_values(a, b):
    if a.dtype.kind in "fc" and b.dtype.kind in "fc":
        a64, b64 = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        return a64.shape == b64.shape and np.array_equal(a64.view(np.uint64), b64.view(np.uint64))
    return a.shape == b.shape and bool((np.asarray(a) == np.asarray(b)).all())


def differences(path_a, path_b, ignore=()):
    out = []
    with xr.open_dataset(path_a, engine="h5netcdf") as a, xr.open_dataset(path_b, engine="h5netcdf") as b:
        if dict(a.sizes) != dict(b.sizes):
            out.append(f"dimensions differ: {dict(a.sizes)} vs {dict(b.sizes)}")
        names_a, names_b = set(a.variables) - set(ignore), set(b.variables) - set(ignore)
        for name in sorted(names_a ^ names_b):
            out.append(f"variable '{name}' only in {'the first' if name in names_a else 'the second'} file")
        for name in sorted(names_a & names_b):
            va, vb = a.variables[name], b.variables[name]
            if va.dims != vb.dims:
                out.append(f"'{name}': dimensions {va.dims} vs {vb.dims}")
            elif not same_values(va.values, vb.values):
                out.append(f"'{name}': values differ")
            for attr in ("units", "long_name"):
                if va.attrs.get(attr) != vb.attrs.get(attr):
                    out.append(f"'{name}': {attr} {va.attrs.get(attr)!r} vs {vb.attrs.get(attr)!r}")
        for key in sorted((set(a.attrs) | set(b.attrs)) - RUN_ATTRIBUTES):
            if str(a.attrs.get(key)) != str(b.attrs.get(key)):
                out.append(f"global attribute '{key}' differs")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--ignore", action="append", default=[], help="a variable or global attribute not to compare")
    args = parser.parse_args()
    diffs = differences(args.a, args.b, args.ignore)
    diffs = [d for d in diffs if not any(f"'{name}'" in d for name in args.ignore)]
    for d in diffs:
        print(d)
    if not diffs:
        print(f"same results: {args.a} and {args.b}")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
