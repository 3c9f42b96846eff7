#!/usr/bin/env bash
# The newcomer's one command: installs the dependencies, builds Integra and runs the
# main scenario on the embedded data. The result lands in results/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/install_dependencies.sh"
"$root/tools/build.sh"
cd "$root"
exec build/tools/integra run scenarios/celac_customs_union.toml
