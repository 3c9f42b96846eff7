#!/usr/bin/env bash
# bad_import_keeps_output.sh INTEGRA GOOD_ICIO BAD_ICIO PATTERN
# Imports GOOD_ICIO into a dataset folder, then BAD_ICIO onto the same folder with --force
# and checks: exit code 2, PATTERN (extended regex) in stderr, the earlier dataset
# byte-identical, and no temporary folder left beside it.
set -euo pipefail
integra=$1 good=$2 bad=$3 pattern=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$integra" data import icio "$good" -o "$work/ds" 2>/dev/null
before=$(cat "$work"/ds/* | sha256sum)
set +e
"$integra" data import icio "$bad" -o "$work/ds" --force --year 2019 2>"$work/stderr"
code=$?
set -e
cat "$work/stderr" >&2
[[ $code -eq 2 ]] || { echo "FAIL: exit code $code, expected 2" >&2; exit 1; }
grep -Eq -- "$pattern" "$work/stderr" || { echo "FAIL: stderr does not match /$pattern/" >&2; exit 1; }
[[ $(cat "$work"/ds/* | sha256sum) == "$before" ]] || { echo "FAIL: the earlier dataset changed" >&2; exit 1; }
[[ $(ls -A "$work" | grep -v -e '^ds$' -e '^stderr$' | wc -l) -eq 0 ]] || { echo "FAIL: files left: $(ls -A "$work")" >&2; exit 1; }
echo "ok: exit 2, message matches, earlier dataset untouched"
