"""What the celac38 dataset tests share: where the dataset, its builder and the raw inputs are,
and the 33 CELAC members. Raw inputs are located via $INTEGRA_SHARED_DATA, else
<repo>/../shared/data; tests that need them are skipped with a reason when they are absent.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.dont_write_bytecode = True
REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "data" / "celac38"
BUILDER_DIR = REPO / "tools" / "dataset_builder"
sys.path.insert(0, str(BUILDER_DIR))

CELAC = sorted("ATG ARG BHS BRB BLZ BOL BRA CHL COL CRI CUB DMA DOM ECU SLV GRD GTM GUY HTI HND JAM MEX "
               "NIC PAN PRY PER KNA LCA VCT SUR TTO URY VEN".split())


def shared_data() -> Path | None:
    env = os.environ.get("INTEGRA_SHARED_DATA")
    p = Path(env) if env else REPO.parent / "shared" / "data"
    return p if p.is_dir() else None


needs_shared = pytest.mark.skipif(shared_data() is None,
                                  reason="raw inputs not found: set INTEGRA_SHARED_DATA or provide <repo>/../shared/data")
