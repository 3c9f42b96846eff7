#!/usr/bin/env bash
# check_test_labels.sh BUILD_DIR [CTEST_ARGS...]: fails (exit 2) when a label the arguments
# select (-L X, -LX, --label-regex X) matches no test of BUILD_DIR, naming the labels there
# are, so that a misspelt label never passes by running nothing. tools/run_tests.sh calls it.
set -euo pipefail
build=$1
shift
labels=()
args=("$@")
for ((k = 0; k < ${#args[@]}; ++k)); do
  case ${args[k]} in
    -LE | --label-exclude) ((++k)) ;;  # excluding: nothing to check
    -LE?* | --label-exclude=*) ;;
    -L | --label-regex) labels+=("${args[k + 1]:-}") ;;
    --label-regex=*) labels+=("${args[k]#--label-regex=}") ;;
    -L?*) labels+=("${args[k]#-L}") ;;
  esac
done
for label in ${labels[@]+"${labels[@]}"}; do
  listed=$(ctest --test-dir "$build" -N -L "$label" | sed -n 's/^Total Tests: *//p')
  if [[ ${listed:-0} -eq 0 ]]; then
    existing=$(ctest --test-dir "$build" --print-labels | sed -n '/^ /s/^ *//p' | paste -sd' ' -)
    echo "label '$label' matches no test; the labels are: ${existing:-none}" >&2
    exit 2
  fi
done
