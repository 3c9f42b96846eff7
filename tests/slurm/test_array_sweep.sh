#!/usr/bin/env bash
# test_array_sweep.sh INTEGRA SCENARIO
#
# A sweep run under a real Slurm scheduler the way users run it (examples/slurm/submit.sh:
# an array of 3 tasks writing shards, then a merge job that waits for them) gives the same
# results, bit for bit, as a single `integra sweep`.
#
# Starts a private local Slurm in a temporary folder (tests/slurm/local_slurm.sh) and
# always stops it (a watchdog does if this script is killed). Exits 77 (skip) only when
# Slurm cannot start here; any other problem fails. TEST_ARRAY_SWEEP_TIMEOUT (seconds,
# default 240; CTest allows 300) bounds the wait for the jobs.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 INTEGRA SCENARIO" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
integra=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
scenario=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
tasks=3

# Whatever Slurm this test itself may run under must not leak into the private cluster or
# make the single-process reference run a shard.
while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^(SLURM|SBATCH|SALLOC|SRUN)_' || true)

work=$(mktemp -d "${TMPDIR:-/tmp}/integra-slurm-test.XXXXXX")
started=0
cleanup() {
  local code=$?
  if [[ $started -eq 1 ]]; then "$here/local_slurm.sh" stop "$work/slurm" || true; fi
  if [[ $code -ne 0 && $code -ne 77 ]]; then
    for log in "$work"/out/logs/*.out; do
      [[ -f $log ]] && { echo "--- $log:" >&2; cat "$log" >&2; }
    done
    for log in "$work"/slurm/slurmctld.log "$work"/slurm/slurmd.log; do
      [[ -f $log ]] && { echo "--- last lines of $log:" >&2; tail -n 20 "$log" >&2; }
    done
  fi
  rm -rf "$work"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

begin=$SECONDS
set +e
"$here/local_slurm.sh" start "$work/slurm" $$
code=$?
set -e
if [[ $code -eq 77 ]]; then
  echo "SKIP: a local Slurm cannot start on this machine (see the reason above)" >&2
  exit 77
elif [[ $code -ne 0 ]]; then
  echo "FAIL: local_slurm.sh start exited $code" >&2
  exit 1
fi
started=1
export SLURM_CONF=$work/slurm/slurm.conf

# The array (one task at a time: 2 CPUs each on this 2-CPU node) and the merge.
set +e
WAIT_POLL_SECONDS=1 timeout "${TEST_ARRAY_SWEEP_TIMEOUT:-240}" "$root/examples/slurm/submit.sh" \
  --scenario "$scenario" --tasks "$tasks" --out-dir "$work/out" --integra "$integra" --wait
code=$?
set -e
if [[ $code -eq 124 ]]; then
  echo "FAIL: the Slurm jobs did not finish within ${TEST_ARRAY_SWEEP_TIMEOUT:-240} s" >&2
  "$here/local_slurm.sh" status "$work/slurm" >&2 || true
  exit 1
elif [[ $code -ne 0 ]]; then
  echo "FAIL: submit.sh --wait exited $code" >&2
  exit 1
fi
slurm_seconds=$((SECONDS - begin))
for k in $(seq "$tasks"); do
  [[ -f $work/out/part-$k-of-$tasks.h5 ]] || { echo "FAIL: no part file part-$k-of-$tasks.h5" >&2; exit 1; }
done
[[ -f $work/out/sweep.h5 ]] || { echo "FAIL: the merge wrote no $work/out/sweep.h5" >&2; exit 1; }
"$here/local_slurm.sh" stop "$work/slurm"
started=0

"$integra" sweep "$scenario" -o "$work/single.h5" -q
/usr/bin/python3 "$root/tests/regression/same_results.py" "$work/single.h5" "$work/out/sweep.h5"
echo "ok: a $tasks-task Slurm array + merge gives the same results as one integra sweep (Slurm part ${slurm_seconds} s, all $((SECONDS - begin)) s)"
