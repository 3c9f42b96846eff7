#!/usr/bin/env bash
# test_mpi_sweep.sh INTEGRA SCENARIO
#
# `mpirun -n 2 integra sweep` (the points shared out over two ranks, rank 0 merging) gives
# the same results, bit for bit, as one process, and records 2 ranks.
# Exits 77 (skip) when integra is built without MPI (`integra --version` does not mention
# it) or mpirun is missing. As root, OpenMPI needs OMPI_ALLOW_RUN_AS_ROOT=1 and
# OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; this script sets them when run as root.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 INTEGRA SCENARIO" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
integra=$1 scenario=$2
ranks=2

version=$("$integra" --version)
if ! grep -qw MPI <<<"$version"; then
  echo "SKIP: integra is built without MPI ('$version'); install libopenmpi-dev and rebuild" >&2
  exit 77
fi
if ! command -v mpirun >/dev/null; then
  echo "SKIP: mpirun not found (apt-get install openmpi-bin)" >&2
  exit 77
fi
if [[ $(id -u) -eq 0 ]]; then
  export OMPI_ALLOW_RUN_AS_ROOT=${OMPI_ALLOW_RUN_AS_ROOT:-1}
  export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}
fi
# Inside a Slurm job mpirun would launch through Slurm, and integra would take an array
# task for a shard: this test is about plain mpirun on this machine.
while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^(SLURM|SBATCH|SALLOC|SRUN)_' || true)

work=$(mktemp -d "${TMPDIR:-/tmp}/integra-mpi-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

begin=$SECONDS
"$integra" sweep "$scenario" -o "$work/single.h5" -q
single_seconds=$((SECONDS - begin))
begin=$SECONDS
mkdir "$work/mpi"
mpirun -n "$ranks" --oversubscribe "$integra" sweep "$scenario" -o "$work/mpi/sweep.h5" -q
mpi_seconds=$((SECONDS - begin))

/usr/bin/python3 "$root/tests/regression/same_results.py" "$work/single.h5" "$work/mpi/sweep.h5"
# Two ranks that each ran the whole sweep on their own (MPI not initialised) would also
# give the same results: the file must say it was written by $ranks ranks.
/usr/bin/python3 - "$work/mpi/sweep.h5" "$ranks" <<'PY'
import sys
import h5py
with h5py.File(sys.argv[1], "r") as f:
    recorded = f.attrs.get("mpi_ranks")
if recorded is None:
    sys.exit("FAIL: the MPI sweep's file has no mpi_ranks attribute")
if int(recorded) != int(sys.argv[2]):
    sys.exit(f"FAIL: the MPI sweep's file records mpi_ranks = {recorded}, expected {sys.argv[2]}")
PY
shopt -s nullglob dotglob
others=()
for file in "$work"/mpi/*; do [[ $file == */sweep.h5 ]] || others+=("${file##*/}"); done
[[ ${#others[@]} -eq 0 ]] || echo "note: the MPI sweep left beside its output: ${others[*]}" >&2
echo "ok: mpirun -n $ranks integra sweep gives the same results as one process (${mpi_seconds} s vs ${single_seconds} s)"
