#!/usr/bin/env bash
# Installs what Integra needs from Debian 12 packages, in two groups:
#   tools/install_dependencies.sh               "run": build Integra, run scenarios, read and
#                                               plot results in Python (tools/quickstart.sh)
#   tools/install_dependencies.sh --for tests   "run" and "tests": what the test suite and CI
#                                               add (tools/run_tests.sh, .ci/run); --all is the same
# Idempotent: packages already present are left alone. Runs apt-get as root, or through
# sudo otherwise (without sudo rights, ask an administrator to run it with --all).
set -euo pipefail

usage="usage: tools/install_dependencies.sh [--for run|tests] [--all]"
group=run
while [[ $# -gt 0 ]]; do
  case $1 in
    --all) group=tests ;;
    --for) [[ $# -ge 2 ]] || { echo "$usage" >&2; exit 2; }; group=$2; shift ;;
    --for=*) group=${1#--for=} ;;
    -h|--help) echo "$usage"; exit 0 ;;
    *) echo "install_dependencies: unknown argument '$1'" >&2; echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
case $group in
  run|tests) ;;
  *) echo "install_dependencies: unknown group '$group' (expected run or tests)" >&2; exit 2 ;;
esac

packages=(
  # build
  build-essential cmake ninja-build git pkg-config
  # C++ libraries
  libeigen3-dev libboost-program-options-dev libhdf5-dev libtbb-dev libtomlplusplus-dev
  # LAPACK on a tuned, multithreaded BLAS for the dense Leontief inverse of large
  # input-output tables (models/numerics/lapack_inverse.hpp); numpy then uses it too
  libopenblas-dev
  # zlib: zipped MRIO databases (EXIOBASE 3); libhdf5-dev pulls it in, listed as linked directly
  zlib1g-dev
  # Python side: reading results (call /usr/bin/python3, not a python3 earlier on PATH)
  python3 python3-numpy python3-h5py python3-xarray python3-h5netcdf python3-pandas
  # the Python package's plots and report (python/integra: matplotlib, Agg backend)
  python3-matplotlib
  # munkres satisfies matplotlib's fonttools dependency "python3-scipy | python3-munkres",
  # so apt does not pull in SciPy, Pythran and the Python headers (unused here)
  python3-munkres
)
test_packages=(
  # unit tests (Catch2), Python tests, and tools the tests call (h5dump, ncdump)
  catch2 python3-pytest python3-netcdf4 hdf5-tools netcdf-bin
  # headless browser for the report test (tests/python/test_package.py renders the HTML
  # report with `chromium --headless` and keeps a screenshot in the build folder)
  chromium
  # MPI: libopenmpi-dev lets CMake's find_package(MPI) build integra with MPI support
  # (`mpirun -n R integra sweep ...`); openmpi-bin provides mpirun for that and the mpi tests
  libopenmpi-dev openmpi-bin
  # Slurm on localhost for the slurm tests (tests/slurm/local_slurm.sh starts the daemons
  # itself with auth/none; none start at install): controller, node daemon, sbatch/squeue
  slurmctld slurmd slurm-client
  # CI fuzzing (tests/fuzz, .ci/run): clang++ and its libFuzzer/sanitizer runtimes. Clang 16,
  # not Debian's default 14: clang 14 cannot capture structured bindings in lambdas (C++20)
  clang-16 libclang-rt-16-dev
)
if [[ $group == tests ]]; then packages+=("${test_packages[@]}"); fi

if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install_dependencies: all ${#packages[@]} packages already installed" >&2
  exit 0
fi

echo "install_dependencies: installing ${missing[*]}" >&2
if [[ ${#sudo[@]} -gt 0 ]] && ! command -v sudo >/dev/null; then
  echo "install_dependencies: not root and no sudo: ask an administrator to run $0 --all as root once" >&2
  exit 2
fi
# Passed through sudo explicitly: sudo's env_reset drops an exported DEBIAN_FRONTEND.
apt_install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y
  --no-install-recommends)
if ! "${apt_install[@]}" "${missing[@]}"; then
  # A fresh machine has no package lists yet: update them once and retry.
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update
  "${apt_install[@]}" "${missing[@]}"
fi
