#!/usr/bin/env bash
# Installs everything Integra needs from Debian 12 packages. Idempotent: packages already
# present are left alone. Runs apt-get as root, or through sudo otherwise.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build git pkg-config
  # C++ libraries
  libeigen3-dev libboost-program-options-dev libhdf5-dev hdf5-tools libtbb-dev
  catch2 libtomlplusplus-dev
  # Python side: reading results (call /usr/bin/python3, not a python3 earlier on PATH)
  python3 python3-numpy python3-h5py python3-xarray python3-h5netcdf python3-netcdf4
  python3-pandas python3-pytest netcdf-bin
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
export DEBIAN_FRONTEND=noninteractive
apt_install=("${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends)
if ! "${apt_install[@]}" "${missing[@]}"; then
  # A fresh machine has no package lists yet: update them once and retry.
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update
  "${apt_install[@]}" "${missing[@]}"
fi
