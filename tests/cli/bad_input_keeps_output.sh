#!/usr/bin/env bash
# bad_input_keeps_output.sh INTEGRA GOOD_SCENARIO BAD_SCENARIO PATTERN...
# Writes a result with GOOD_SCENARIO, runs BAD_SCENARIO onto the same output file and
# checks: exit code 2, every PATTERN found in stderr, the earlier result byte-identical,
# and no partial file left beside it.
set -euo pipefail
integra=$1 good=$2 bad=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$integra" run "$good" -o "$work/out.h5" --quiet 2>/dev/null
before=$(sha256sum "$work/out.h5")
set +e
"$integra" run "$bad" -o "$work/out.h5" 2>"$work/stderr"
code=$?
set -e
cat "$work/stderr" >&2
[[ $code -eq 2 ]] || { echo "FAIL: exit code $code, expected 2" >&2; exit 1; }
for pattern in "$@"; do
  grep -Fq -- "$pattern" "$work/stderr" || { echo "FAIL: stderr lacks: $pattern" >&2; exit 1; }
done
[[ $(sha256sum "$work/out.h5") == "$before" ]] || { echo "FAIL: the earlier result changed" >&2; exit 1; }
[[ $(ls -A "$work" | grep -v -e '^out.h5$' -e '^stderr$' | wc -l) -eq 0 ]] || { echo "FAIL: files left: $(ls -A "$work")" >&2; exit 1; }
echo "ok: exit 2, $# message(s) found, earlier result untouched"
