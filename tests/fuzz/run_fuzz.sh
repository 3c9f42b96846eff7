#!/usr/bin/env bash
# Fuzzes each libFuzzer target for a bounded time (docs/testing.md, "Fuzzing"):
#
#   tests/fuzz/run_fuzz.sh BUILD_DIR [SECONDS_PER_TARGET=100] [TARGET...]
#
# BUILD_DIR is a build configured with -DINTEGRA_FUZZ=ON and clang++, with the targets
# built (cmake --build BUILD_DIR --target integra_fuzzers). Each target starts from its
# seeds (tests/fuzz/make_seeds.py) and the corpus it grew in BUILD_DIR/fuzz/corpus on
# earlier runs. Prints the executions of each target; exits 1 if any target found a
# crash, a leak, a timeout (> 20 s for one input) or an out-of-memory (> 2.5 GB), and
# leaves the input that caused it in BUILD_DIR/fuzz/artifacts.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: run_fuzz.sh BUILD_DIR [SECONDS_PER_TARGET] [TARGET...]}" && pwd)
seconds=${2:-100}
shift $(( $# < 2 ? $# : 2 ))
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(fuzz_scenario fuzz_csv fuzz_dataset)

work=$build/fuzz
mkdir -p "$work/artifacts" "$work/logs"
/usr/bin/python3 "$root/tests/fuzz/make_seeds.py" "$root" "$work/seeds" || exit 1

# ASan/UBSan abort on the first error; leaks are checked by libFuzzer after each input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=0
for target in "${targets[@]}"; do
  kind=${target#fuzz_}
  exe=$build/tests/fuzz/$target
  if [[ ! -x $exe ]]; then
    echo "fuzz: $exe not built" >&2
    failed=1
    continue
  fi
  mkdir -p "$work/corpus/$kind"
  log=$work/logs/$target.log
  "$exe" "$work/corpus/$kind" "$work/seeds/$kind" \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$target-" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [[ -z $runs ]]; then runs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -1); fi
  if [[ $rc -eq 0 ]]; then
    echo "fuzz: $target: ${runs:-?} executions in ${seconds} s, no crash (corpus $(ls "$work/corpus/$kind" | wc -l) inputs)"
  else
    failed=1
    echo "fuzz: $target: FAILED (exit $rc) after ${runs:-?} executions; artifacts:"
    ls -1 "$work/artifacts" | grep "^$target-" | sed "s|^|  $work/artifacts/|"
    echo "---- last lines of $log"
    grep -v '^#[0-9]' "$log" | tail -60
    echo "----"
  fi
done
exit $failed
