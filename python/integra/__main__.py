"""python3 -m integra report RESULT.h5 [-o report.html]"""
import argparse
import pathlib
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m integra", description="Integra results in Python")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="one self-contained HTML page for a run or sweep file")
    report.add_argument("result", help="a results file (integra run) or sweep file (integra sweep)")
    report.add_argument("-o", "--output", help="the HTML file to write (default: RESULT with .html)")
    report.add_argument("--dpi", type=int, default=96, help="resolution of the embedded figures (default 96)")
    args = parser.parse_args(argv)
    result = pathlib.Path(args.result)
    if not result.is_file():
        print(f"integra report: {result}: no such file", file=sys.stderr)
        return 2
    out = pathlib.Path(args.output) if args.output else result.with_suffix(".html")
    if out.suffix.lower() in (".h5", ".nc") or (out.exists() and out.resolve() == result.resolve()):
        print(f"integra report: {out}: expected an HTML file name (e.g. report.html), not a results file", file=sys.stderr)
        return 2
    import xarray as xr
    try:
        with xr.open_dataset(result, engine="h5netcdf") as probe:
            dims = set(probe.dims)
    except (OSError, ValueError) as error:
        print(f"integra report: {result}: not an Integra results file ({error}); expected an HDF5 file written by "
              "integra run, sweep or merge", file=sys.stderr)
        return 2
    if not {"region", "year"} <= dims:
        print(f"integra report: {result}: not an Integra results file (no region and year dimensions); expected an "
              "HDF5 file written by integra run, sweep or merge", file=sys.stderr)
        return 2
    from . import report as report_module
    try:
        report_module.write(result, out, dpi=args.dpi)
    except (OSError, ValueError, KeyError) as error:
        print(f"integra report: {result}: {error}", file=sys.stderr)
        return 1
    print(f"integra report: wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
