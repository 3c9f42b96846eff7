#!/usr/bin/env bash
# Builds (incrementally) and runs the whole test suite with CTest. Exits non-zero if any
# test fails. Extra arguments go to ctest (e.g. -R scenario, -L python).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/build.sh"
ctest --test-dir "$root/build" --output-on-failure --parallel "$(nproc)" "$@"
