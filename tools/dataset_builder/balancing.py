"""Biproportional balancing (RAS): scale the rows and columns of a non-negative seed in turn
until its sums match given margins (Bacharach 1970, Biproportional Matrices; Stone's RAS).
Rows or columns with a zero sum stay zero. A fixed number of sweeps, no tolerance test, so a
build is reproducible byte for byte; callers choose `iters` and check the margins they need.
"""
from __future__ import annotations

import numpy as np


def ras2(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, iters: int) -> np.ndarray:
    X = seed.copy()
    for _ in range(iters):
        r = X.sum(1)
        X *= np.where(r > 0, rows / np.where(r > 0, r, 1), 0)[:, None]
        c = X.sum(0)
        X *= np.where(c > 0, cols / np.where(c > 0, c, 1), 0)[None, :]
    return X
