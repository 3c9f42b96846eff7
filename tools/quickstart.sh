#!/usr/bin/env bash
# The newcomer's one command: installs the dependencies of a first run (the "run" group of
# tools/install_dependencies.sh), builds the integra executable only (no unit tests or
# benchmarks: tools/run_tests.sh installs and builds those) and runs the main scenario on the
# embedded data. The result lands in results/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/install_dependencies.sh"
if [[ -f "$root/build/CMakeCache.txt" ]]; then
  "$root/tools/build.sh" --target integra
else
  "$root/tools/build.sh" --target integra -DINTEGRA_BUILD_TESTS=OFF
fi
cd "$root"
exec build/tools/integra run scenarios/celac_customs_union.toml
