#!/usr/bin/env bash
# io_bad_file.sh INTEGRA FIXTURE_FOLDER FILE SED_SCRIPT EXIT_CODE PATTERN [OPTIONS...]
# As io_bad_input.sh, for the single-file formats (--format icio, wiod): copies
# FIXTURE_FOLDER, edits FILE in the copy with `sed -E SED_SCRIPT`, then runs
# `integra io accounts COPY/FILE -o OUT.h5 OPTIONS...` through expect.sh.
set -uo pipefail
integra=$1 fixture=$2 file=$3 script=$4 code=$5 pattern=$6
shift 6
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$fixture" "$work/m"
sed -E "$script" "$fixture/$file" > "$work/m/$file"
if cmp -s "$fixture/$file" "$work/m/$file"; then
  echo "FAIL: the sed script '$script' did not change $file" >&2
  exit 1
fi
"$(dirname "$0")/expect.sh" "$code" "$pattern" "$integra" io accounts "$work/m/$file" -o "$work/out.h5" "$@"
