#!/usr/bin/env bash
# stale_partials_removed.sh INTEGRA SCENARIO
# A process killed with SIGKILL leaves its hidden .NAME.PID.partial file behind. The next
# write to the same target removes the partial files of that target whose process is
# gone (kill(PID, 0) fails with ESRCH), and leaves those of live processes and of other
# targets alone.
set -uo pipefail
integra=$1 scenario=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
sleep 0 & dead=$!; wait "$dead"       # a PID that just ended
touch "$work/.x.h5.99999999.partial"  # beyond any pid_max
touch "$work/.x.h5.$dead.partial"
touch "$work/.x.h5.$$.partial"        # this shell: alive
touch "$work/.other.h5.99999999.partial" "$work/.x.h5.notapid.partial"
# A real leftover: a run killed with SIGKILL while it holds its finished temporary file.
INTEGRA_TEST_PAUSE_BEFORE_RENAME_SECONDS=30 "$integra" run "$scenario" -q -o "$work/x.h5" 2>/dev/null &
killed=$!
for _ in $(seq 200); do [[ -e $work/.x.h5.$killed.partial ]] && break; sleep 0.05; done
[[ -e $work/.x.h5.$killed.partial ]] || fail "no partial file appeared"
kill -KILL "$killed"; wait "$killed" 2>/dev/null
[[ -e $work/.x.h5.$killed.partial ]] || fail "SIGKILL left no partial file to clean up"

"$integra" run "$scenario" -q -o "$work/x.h5" 2>/dev/null || fail "the run failed"
expected=$(printf '%s\n' ".other.h5.99999999.partial" ".x.h5.$$.partial" ".x.h5.notapid.partial" "x.h5" | sort)
actual=$(ls -A "$work" | sort)
[[ $actual == "$expected" ]] || fail "expected
$expected
got
$actual"
echo "ok: stale partial files of dead processes removed (PIDs 99999999, $dead, $killed); the live one ($$) and other targets' kept"
