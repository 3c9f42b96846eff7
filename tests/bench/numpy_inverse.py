#!/usr/bin/python3
"""numpy.linalg.inv(I - A) on random input-output coefficients of the kind
tests/bench/bench_leontief.cpp times (about 7% non-zeros, column sums in [0.24, 0.8)),
for the side-by-side comparison with Integra's LAPACK path in docs/io-accounting.md.
Prints the BLAS library numpy has loaded (from /proc/self/maps) and the median, minimum
and maximum wall time over the repetitions.

    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 tests/bench/numpy_inverse.py 10000 3
"""
import os
import sys
import time

import numpy as np


def loaded_blas():
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line or "lapack" in line}
    return ", ".join(sorted(os.path.realpath(p) for p in paths if p.startswith("/")))


def random_coefficients(n, density, rng):
    a = rng.random((n, n)) * (rng.random((n, n)) < density)
    np.fill_diagonal(a, rng.random(n))
    a *= 0.8 * (0.3 + 0.7 * rng.random(n)) / a.sum(axis=0)
    return a


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    a = random_coefficients(n, 0.07, np.random.default_rng(9))
    i_minus_a = np.eye(n) - a
    print(f"numpy {np.__version__}; BLAS loaded: {loaded_blas()}; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        l = np.linalg.inv(i_minus_a)
        times.append(1000.0 * (time.perf_counter() - start))
    residual = np.abs(i_minus_a @ l - np.eye(n)).max()
    times.sort()
    print(f"numpy.linalg.inv n={n}: median {times[len(times) // 2]:.1f} ms (min {times[0]:.1f}, "
          f"max {times[-1]:.1f}); ||(I - A) L - I||_max = {residual:.2e}")


if __name__ == "__main__":
    main()
