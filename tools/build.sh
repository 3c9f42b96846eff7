#!/usr/bin/env bash
# Configures (once) and builds Integra in build/ with Ninja. Extra arguments go to cmake.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ ! -f "$root/build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
fi
cmake --build "$root/build" --parallel "$(nproc)"
