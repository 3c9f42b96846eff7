#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets (docs/testing.md, "Fuzzing") into OUT:

    make_seeds.py ROOT OUT

  OUT/scenario  every scenarios/**/*.toml and tests/cli/scenarios/*.toml
  OUT/csv       every CSV of data/demo3x2 and data/celac38 up to 16 KiB
  OUT/dataset   for each file of data/demo3x2 (sorted by name, as fuzz_dataset.cpp does):
                one byte, its index, followed by the file's bytes
"""
import hashlib
import sys
from pathlib import Path

MAX_CSV = 16 * 1024


def put(folder, data):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main():
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    counts = {}
    for p in sorted(list((root / "scenarios").rglob("*.toml")) + list((root / "tests/cli/scenarios").glob("*.toml"))):
        put(out / "scenario", p.read_bytes())
    for p in sorted((root / "data").glob("*/*.csv")):
        if p.stat().st_size <= MAX_CSV:
            put(out / "csv", p.read_bytes())
    demo = sorted(p for p in (root / "data/demo3x2").iterdir())
    for i, p in enumerate(demo):
        put(out / "dataset", bytes([i]) + p.read_bytes())
    for kind in ("scenario", "csv", "dataset"):
        counts[kind] = len(list((out / kind).iterdir()))
    print("fuzz seeds: " + ", ".join(f"{k} {n}" for k, n in counts.items()))


if __name__ == "__main__":
    main()
