#!/usr/bin/env bash
# interrupted_run_keeps_output.sh INTEGRA SCENARIO
# A run killed with SIGTERM or SIGINT while its file is being written leaves the earlier
# result byte-identical and no partial file. The writer's fault-injection pause holds the
# finished temporary file before the rename, so the signal lands at the worst moment.
set -euo pipefail
integra=$1 scenario=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$integra" run "$scenario" -o "$work/out.h5" --quiet 2>/dev/null
before=$(sha256sum "$work/out.h5")
for signal in TERM INT; do
  INTEGRA_TEST_PAUSE_BEFORE_RENAME_SECONDS=30 \
    "$integra" run "$scenario" -o "$work/out.h5" --quiet --set horizon.last_year=2040 2>/dev/null &
  pid=$!
  for _ in $(seq 200); do
    compgen -G "$work/.out.h5.*.partial" >/dev/null && break
    sleep 0.05
  done
  compgen -G "$work/.out.h5.*.partial" >/dev/null || { echo "FAIL: no partial file appeared" >&2; exit 1; }
  kill -"$signal" "$pid"
  set +e; wait "$pid"; code=$?; set -e
  [[ $code -ne 0 ]] || { echo "FAIL: the run was not interrupted" >&2; exit 1; }
  [[ $(sha256sum "$work/out.h5") == "$before" ]] || { echo "FAIL: the earlier result changed" >&2; exit 1; }
  [[ $(ls -A "$work") == "out.h5" ]] || { echo "FAIL: files left: $(ls -A "$work")" >&2; exit 1; }
  echo "ok: SIG$signal during the write left the earlier result untouched (exit $code)"
done
