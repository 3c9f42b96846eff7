#!/usr/bin/env bash
# submit.sh: runs an Integra sweep on Slurm as an array job plus a merge job that starts
# when every task has succeeded.
#
#   examples/slurm/submit.sh -s SCENARIO [-n TASKS] [-o OUT_DIR] [-c CPUS] [-i INTEGRA]
#                            [--clean] [--wait] [-- INTEGRA SWEEP OPTIONS...]
#
#   -s, --scenario FILE   the sweep scenario (required)
#   -n, --tasks N         array tasks, i.e. shards (default 4)
#   -o, --out-dir DIR     parts, logs/ and the merged sweep.h5 (default results/<scenario name>)
#   -c, --cpus N          CPUs (threads) per task (default: the 2 of sweep_array.sbatch)
#   -i, --integra PATH    the integra executable (default: integra on PATH, else this
#                         checkout's build/tools/integra)
#   --clean               delete part files left in OUT_DIR by an earlier run (otherwise
#                         their presence is an error: the merge would mix them in)
#   --wait                wait for the merge; exit 0 only if it completed, 1 otherwise
#   -- ARGS               passed to every `integra sweep` (e.g. --vary KEY=SPEC)
#
# Prints the two job ids. Partition, account, QOS and time limit come from sbatch's usual
# input variables (SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_QOS, SBATCH_TIMELIMIT), which
# apply to both jobs. Paths are made absolute here, so the jobs do not depend on the
# directory they start in; OUT_DIR must be on a file system every node sees.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}" >&2; exit 2; }
fail() { echo "submit.sh: $*" >&2; exit 2; }

scenario="" tasks=4 out_dir="" cpus="" integra="" clean=0 wait=0
while [[ $# -gt 0 ]]; do
  case $1 in
    -s | --scenario) scenario=${2:?}; shift 2 ;;
    -n | --tasks) tasks=${2:?}; shift 2 ;;
    -o | --out-dir) out_dir=${2:?}; shift 2 ;;
    -c | --cpus) cpus=${2:?}; shift 2 ;;
    -i | --integra) integra=${2:?}; shift 2 ;;
    --clean) clean=1; shift ;;
    --wait) wait=1; shift ;;
    -h | --help) usage ;;
    --) shift; break ;;
    *) echo "submit.sh: unknown option '$1'" >&2; usage ;;
  esac
done
sweep_args=("$@")

[[ -n $scenario ]] || fail "give the scenario with -s FILE"
[[ -f $scenario ]] || fail "scenario '$scenario' not found"
[[ $tasks =~ ^[1-9][0-9]*$ ]] || fail "expected a number of tasks >= 1, got '$tasks'"
[[ -z $cpus || $cpus =~ ^[1-9][0-9]*$ ]] || fail "expected a number of CPUs >= 1, got '$cpus'"
command -v sbatch >/dev/null || fail "sbatch not found: run this on a Slurm login node"

if [[ -z $integra ]]; then
  if command -v integra >/dev/null; then integra=integra
  elif [[ -x $here/../../build/tools/integra ]]; then integra=$here/../../build/tools/integra
  else fail "integra is not on PATH and $here/../../build/tools/integra does not exist: give -i PATH"
  fi
fi
if [[ $integra == */* ]]; then
  [[ -x $integra ]] || fail "'$integra' is not an executable"
  integra=$(cd "$(dirname "$integra")" && pwd)/$(basename "$integra")
else
  integra=$(command -v "$integra") || fail "'$integra' not found on PATH"
fi

scenario=$(cd "$(dirname "$scenario")" && pwd)/$(basename "$scenario")
if [[ -z $out_dir ]]; then
  name=$(basename "$scenario")
  out_dir=results/${name%.toml}
fi
mkdir -p "$out_dir/logs"
out_dir=$(cd "$out_dir" && pwd)

shopt -s nullglob
stale=("$out_dir"/part-*.h5)
if [[ ${#stale[@]} -gt 0 ]]; then
  if [[ $clean -eq 1 ]]; then
    rm -f -- "${stale[@]}"
  else
    fail "$out_dir already holds ${#stale[@]} part file(s) from an earlier run; remove them or add --clean"
  fi
fi

# The jobs read these (sbatch passes the submitting environment on).
export SCENARIO=$scenario OUT_DIR=$out_dir INTEGRA=$integra
cpus_option=()
[[ -z $cpus ]] || cpus_option=(--cpus-per-task="$cpus")

array_id=$(sbatch --parsable --export=ALL --array="1-$tasks" "${cpus_option[@]}" \
  --output="$out_dir/logs/%x-%A_%a.out" "$here/sweep_array.sbatch" "${sweep_args[@]}")
array_id=${array_id%%;*}  # "id;cluster" on multi-cluster sites
echo "submit.sh: array job $array_id: $tasks tasks of integra sweep $scenario -> $out_dir/part-K-of-$tasks.h5"

merge_id=$(sbatch --parsable --export=ALL --dependency="afterok:$array_id" --kill-on-invalid-dep=yes \
  --output="$out_dir/logs/%x-%j.out" "$here/merge.sbatch")
merge_id=${merge_id%%;*}
echo "submit.sh: merge job $merge_id: after the array succeeds -> $out_dir/sweep.h5 (logs in $out_dir/logs)"
[[ $wait -eq 1 ]] || exit 0

# --wait: poll the merge job's state (every WAIT_POLL_SECONDS, default 5). `sbatch --wait`
# is not used: it returns 0 for a merge cancelled because a task failed, and it checks
# less and less often (after 2, 8, then every 32 s).
job_state() {
  { scontrol show job -o "$1" 2>/dev/null || true; } | grep -o 'JobState=[A-Z_]*' | head -n 1 | cut -d= -f2 || true
}
while :; do
  state=$(job_state "$merge_id")
  case $state in
    PENDING | CONFIGURING | RUNNING | COMPLETING | SUSPENDED | REQUEUED | RESIZING | "") ;;
    *) break ;;
  esac
  [[ -n $state ]] || unknown=$((${unknown:-0} + 1))
  if [[ ${unknown:-0} -gt 5 ]]; then
    echo "submit.sh: Slurm no longer knows merge job $merge_id" >&2
    state=UNKNOWN
    break
  fi
  sleep "${WAIT_POLL_SECONDS:-5}"
done
echo "submit.sh: merge job $merge_id: $state"
if [[ $state == COMPLETED ]]; then
  echo "submit.sh: wrote $out_dir/sweep.h5"
  exit 0
fi
scontrol show job "$array_id" 2>/dev/null |
  awk '/JobId=/ { task = $1 " " $3 } /JobState=/ { print "  " task " " $1 " " $2 }' >&2 || true
echo "submit.sh: the sweep did not complete; logs in $out_dir/logs" >&2
exit 1
