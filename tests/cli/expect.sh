#!/usr/bin/env bash
# expect.sh EXIT_CODE PATTERN COMMAND [ARGS...]
# Runs COMMAND, then fails unless it exited with EXIT_CODE and its stderr matches the
# extended regular expression PATTERN (use '' to skip the message check).
set -uo pipefail
expected_code=$1 pattern=$2
shift 2
stderr_file=$(mktemp)
trap 'rm -f "$stderr_file"' EXIT
"$@" >/dev/null 2>"$stderr_file"
code=$?
cat "$stderr_file" >&2
if [[ $code -ne $expected_code ]]; then
  echo "FAIL: exit code $code, expected $expected_code: $*" >&2
  exit 1
fi
if [[ -n $pattern ]] && ! grep -Eq -- "$pattern" "$stderr_file"; then
  echo "FAIL: stderr does not match /$pattern/" >&2
  exit 1
fi
echo "ok: exit $code${pattern:+, message matches /$pattern/}"
