#!/usr/bin/env bash
# io_bad_input.sh [--file] INTEGRA FIXTURE_FOLDER FILE SED_SCRIPT EXIT_CODE PATTERN [OPTIONS...]
# Copies FIXTURE_FOLDER to a temporary folder, edits FILE in it with `sed -E SED_SCRIPT`,
# then runs `integra io accounts COPY -o COPY.h5 OPTIONS...` through expect.sh: the exit
# code must be EXIT_CODE and stderr must match PATTERN. Checks that the edit changed the file.
# With --file the input is the edited file itself (COPY/FILE), for the single-file formats
# (--format icio, wiod).
set -uo pipefail
input_is_file=0
if [[ $1 == --file ]]; then input_is_file=1; shift; fi
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
input="$work/m"
if [[ $input_is_file == 1 ]]; then input="$work/m/$file"; fi
"$(dirname "$0")/expect.sh" "$code" "$pattern" "$integra" io accounts "$input" -o "$work/out.h5" "$@"
