#!/usr/bin/env python3
"""columns_aligned.py TITLE COMMAND [ARGS...]: runs COMMAND and fails unless, in the block of
its stdout that starts with a line beginning with TITLE (up to the next blank line), every row
has a cell starting at each column where the header line (the block's second line) starts one,
with a space before it: a table whose columns line up whatever the length of its cells."""
import re
import subprocess
import sys

title, command = sys.argv[1], sys.argv[2:]
out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
lines = out.splitlines()
start = next(i for i, line in enumerate(lines) if line.startswith(title))
block = []
for line in lines[start + 1:]:
    if not line.strip():
        break
    block.append(line)
header, rows = block[0], block[1:]
columns = [m.start() for m in re.finditer(r"(?<=  )\S", header)]
bad = [row for row in rows for c in columns if len(row) <= c or row[c - 1] != " " or row[c] == " "]
print(header)
print("\n".join(rows))
if not rows or bad:
    print(f"FAIL: {len(bad)} misaligned cell(s) under the columns at {columns} of the header", file=sys.stderr)
    sys.exit(1)
print(f"ok: {len(rows)} row(s) aligned on the header's {len(columns)} column(s)")
