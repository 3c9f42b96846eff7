#!/usr/bin/env bash
# output_checked_first.sh INTEGRA SCENARIO SWEEP_SCENARIO
# An output that cannot be written is a usage error (exit 2) found before anything runs,
# for the default path (results/<name>.h5) as for -o, in run, sweep and merge: the
# message says the folder cannot be created or written, and no "running" line appears.
# Before, a default path whose folder could not be created failed only after the whole
# simulation (exit 1, "cannot create folder results").
# Root ignores permission bits, so the unwritable folders here are a path under a regular
# file, /proc, and (when a non-root user can be switched to with setpriv) a 0555 folder.
set -uo pipefail
integra=$1 scenario=$2 sweep=$3
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_refused() {  # PATTERN COMMAND...: exit 2, stderr matches, nothing ran
  local pattern=$1; shift
  "$@" >/dev/null 2>"$work/stderr"
  local code=$?
  cat "$work/stderr" >&2
  [[ $code -eq 2 ]] || fail "exit $code, expected 2: $*"
  grep -Eq -- "$pattern" "$work/stderr" || fail "stderr does not match /$pattern/: $*"
  ! grep -q "running\|sweep .*point(s)" "$work/stderr" || fail "the run started before the output was checked: $*"
  echo "ok: $* -> exit 2, /$pattern/"
}

# The default path: `results` is a regular file in the working directory.
mkdir "$work/cwd" && touch "$work/cwd/results"
cd "$work/cwd"
expect_refused "output results/[a-z_]+\.h5: cannot create folder results: results is a file, not a folder" "$integra" run "$scenario" -q
expect_refused "output results/[a-z_]+\.sweep\.h5: cannot create folder results: results is a file, not a folder" "$integra" sweep "$sweep" -q
"$integra" run "$scenario" -q -o "$work/part.h5" 2>/dev/null || fail "could not write a file to merge"
expect_refused "output results/m\.h5: cannot create folder results: results is a file, not a folder" "$integra" merge "$work/part.h5" -o results/m.h5
[[ -f results && $(ls -A) == results ]] || fail "the working directory changed: $(ls -A)"

# -o under a regular file, and in /proc (where even root cannot create files).
touch "$work/afile"
expect_refused "cannot create folder $work/afile/sub: $work/afile is a file, not a folder" "$integra" run "$scenario" -o "$work/afile/sub/out.h5"
expect_refused "cannot create folder $work/afile: $work/afile is a file, not a folder" "$integra" sweep "$sweep" -o "$work/afile/out.h5"
expect_refused "cannot write in folder /proc \(" "$integra" run "$scenario" -o /proc/integra_out.h5

# A read-only working directory, as a user that permission bits apply to.
mkdir "$work/readonly" && chmod 555 "$work/readonly"
as_user=()
if [[ $(id -u) -eq 0 ]]; then
  if command -v setpriv >/dev/null && setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null &&
     setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$integra" -a -r "$scenario"; then
    as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    chmod o+rx "$work"
  else
    echo "note: root, and no user to switch to: the 0555-folder case is left to the cases above"
  fi
fi
if [[ $(id -u) -ne 0 || ${#as_user[@]} -gt 0 ]]; then
  cd "$work/readonly"
  expect_refused "output results/[a-z_]+\.h5: cannot create folder results in \. \(Permission denied\)" "${as_user[@]}" "$integra" run "$scenario" -q
  expect_refused "cannot write in folder \. \(Permission denied\)" "${as_user[@]}" "$integra" run "$scenario" -q -o out.h5
  [[ -z $(ls -A) ]] || fail "files left in the read-only folder: $(ls -A)"
fi
echo "ok: every unwritable output refused up front"
