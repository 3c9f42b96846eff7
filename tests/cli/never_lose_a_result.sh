#!/usr/bin/env bash
# never_lose_a_result.sh INTEGRA SCENARIO SWEEP_SCENARIO
# A run never replaces a result silently (docs/output.md, "Which file a run writes"):
# without -o it writes results/<name>.h5, with --set results/<name>.set-<hash>.h5 (the same
# name whatever the order of the --set options); it replaces a default output only when
# that holds the same effective scenario, else it refuses (exit 2, before running, the file
# untouched) unless --force; an explicit -o replaces; the last line says what was done.
# Sweeps follow the same rule.
set -uo pipefail
integra=$1 scenario=$2 sweep=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect CODE PATTERN COMMAND...: exit code and stderr
expect() {
  local code=$1 pattern=$2; shift 2
  "$@" >/dev/null 2>stderr
  local got=$?
  cat stderr >&2
  [[ $got -eq $code ]] || fail "exit $got, expected $code: $*"
  grep -Eq -- "$pattern" stderr || fail "stderr does not match /$pattern/: $*"
  echo "ok: $* -> exit $code, /$pattern/"
}
name=$(basename "$scenario" .toml)

expect 0 "wrote results/$name\.h5$" "$integra" run "$scenario" -q
expect 0 "replaced results/$name\.h5 \(same scenario\)" "$integra" run "$scenario" -q
# (the file records when it was made, so its checksum is taken after the last plain run)
first=$(sha256sum "results/$name.h5")

# --set: another name, printed; the plain result untouched; the order of --set does not matter.
expect 0 "wrote results/$name\.set-[0-9a-f]{8}\.h5$" "$integra" run "$scenario" -q --set horizon.first_year=2023 --set horizon.last_year=2031
variant=$(sed -n 's/.*wrote \(results\/.*\.h5\)$/\1/p' stderr)
[[ -f $variant ]] || fail "no file $variant"
expect 0 "replaced $variant \(same scenario\)" "$integra" run "$scenario" -q --set horizon.last_year=2031 --set horizon.first_year=2023
[[ $(ls results | wc -l) -eq 2 ]] || fail "expected 2 results, got: $(ls results)"
[[ $(sha256sum "results/$name.h5") == "$first" ]] || fail "the plain result changed"

# An explicit -o replaces, and says that the file held a different scenario.
expect 0 "replaced results/$name\.h5 \(it held a different scenario\)" "$integra" run "$scenario" -q --set horizon.last_year=2032 -o "results/$name.h5"
held=$(sha256sum "results/$name.h5")
# The default output now holds another scenario: refused before anything runs, file untouched.
expect 2 "results/$name\.h5: holds the result of a different scenario \(made .* by \`integra run .*--set horizon.last_year=2032.*\`\); scenario line [0-9]+: the file has \`last_year = 2032\`, this run \`.*\`; not replaced: keep it and name the new result with -o NEW\.h5, or replace it with --force" \
  "$integra" run "$scenario" -q
! grep -q "running" stderr || fail "the run started before the output was checked"
[[ $(sha256sum "results/$name.h5") == "$held" ]] || fail "the refused run changed the file"
expect 0 "replaced results/$name\.h5 \(it held a different scenario\)" "$integra" run "$scenario" -q --force
"$integra" info "results/$name.h5" > info.txt || fail "integra info"
grep -Eq "^ *history .*--force" info.txt || fail "--force did not write the plain scenario's result"

# A file that is not an Integra result at the default path.
echo "my notes" > "results/$name.h5"
expect 2 "results/$name\.h5: exists but is not an Integra result .*not replaced: keep it and name the new result with -o NEW\.h5, or replace it with --force" \
  "$integra" run "$scenario" -q
[[ $(cat "results/$name.h5") == "my notes" ]] || fail "the refused run changed the file"

# Sweeps: the same rule for results/<name>.sweep.h5; --vary gets its own name.
sweep_name=$(grep -m1 '^name *=' "$sweep" | sed 's/.*"\(.*\)".*/\1/')
[[ -n $sweep_name ]] || sweep_name=$(basename "$sweep" .toml)
expect 0 "wrote results/$sweep_name\.sweep\.h5$" "$integra" sweep "$sweep" -q
expect 0 "replaced results/$sweep_name\.sweep\.h5 \(same scenario\)" "$integra" sweep "$sweep" -q
expect 0 "wrote results/$sweep_name\.set-[0-9a-f]{8}\.sweep\.h5$" "$integra" sweep "$sweep" -q --vary "equilibrium.trade_elasticity_scale=[1,2]"
"$integra" sweep "$sweep" -q --vary "equilibrium.trade_elasticity_scale=[1,3]" -o "results/$sweep_name.sweep.h5" 2>/dev/null || fail "sweep -o"
expect 2 "results/$sweep_name\.sweep\.h5: holds the result of a different scenario .*(scenario|sweep_design) line [0-9]+: .*--force" \
  "$integra" sweep "$sweep" -q
echo "ok: every case"
