#!/usr/bin/env bash
# Configures and builds Integra in build/ with Ninja.
#   tools/build.sh [--target NAME]... [CMAKE_ARGS...]
# Builds everything (integra, unit tests, benchmarks), or with --target only the named
# targets (tools/quickstart.sh builds just `integra`). Configures on the first build, and
# again whenever CMAKE_ARGS are given (e.g. -DINTEGRA_BUILD_TESTS=ON, which
# tools/run_tests.sh passes), so packages installed since are found.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
targets=()
cmake_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --target) [[ $# -ge 2 ]] || { echo "build: --target needs a target name" >&2; exit 2; }
              targets+=(--target "$2"); shift ;;
    --target=*) targets+=(--target "${1#--target=}") ;;
    *) cmake_args+=("$1") ;;
  esac
  shift
done
if [[ ! -f "$root/build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${cmake_args[@]}"
elif [[ ${#cmake_args[@]} -gt 0 ]]; then
  cmake -S "$root" -B "$root/build" "${cmake_args[@]}" >/dev/null
fi
cmake --build "$root/build" --parallel "$(nproc)" "${targets[@]}"
