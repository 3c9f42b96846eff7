#!/usr/bin/env bash
# Installs what the tests need (tools/install_dependencies.sh --for tests; nothing if it is
# all there), builds (incrementally) everything, tests and benchmarks included, and runs the
# whole test suite with CTest. Exits non-zero if any test fails. Extra arguments go to ctest
# (e.g. -R scenario, -L python). A label (-L X) that matches no test fails, naming the
# labels there are (tools/check_test_labels.sh), instead of running nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/install_dependencies.sh" --for tests
"$root/tools/build.sh" -DINTEGRA_BUILD_TESTS=ON
"$root/tools/check_test_labels.sh" "$root/build" "$@"
ctest --test-dir "$root/build" --output-on-failure --parallel "$(nproc)" "$@"
