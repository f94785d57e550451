"""Reciprocal rank fusion (Cormack, Clarke and Buettcher, SIGIR 2009) of rankings: a label's
score is the sum over the rankings of 1 / (K + its rank), K = 60 as in the paper. Ranks, not
scores, are combined, so BM25's unbounded scores and cosines need no calibration."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

NAME = "fusion"
K = 60
# The suggestion threshold: a label is suggested only when both methods rank it first
# (2 / (K + 1)). Chosen from the figures of `python -m bench suggest` (docs/benchmarks.md,
# section suggest): on the Matrix's rationale sentences it keeps the top goal or Action Line
# of 43-47 % of the sentences, 55-67 % of them right, where a looser cut (both methods within
# their 2 best) keeps 86-88 % of the sentences but fewer than half of them right.
THRESHOLD = 2 / (K + 1)
# The precision measured at that threshold for each kind (the same table, run of 2026-12-05):
# the share of the fused top suggestions that are right. A stored suggestion's confidence
# score is the one of its kind: what an analyst can expect of it, where the fused score is
# the same (2 / (K + 1)) for every suggestion that passes.
PRECISION = {"target": 0.31, "goal": 0.55, "action_line": 0.67}


def method_version() -> str:
    return f"reciprocal rank fusion k={K} of bm25 and wordllama"


def ranks(scores: NDArray[np.float64]) -> NDArray[np.int64]:
    """1-based rank of each score (highest first; ties broken by position, for determinism)."""
    order = np.lexsort((np.arange(len(scores)), -scores))
    result = np.empty(len(scores), dtype=np.int64)
    result[order] = np.arange(1, len(scores) + 1)
    return result


def fuse(rankings: Sequence[NDArray[np.float64]]) -> NDArray[np.float64]:
    """The fused score of each label over ``rankings`` (score arrays of the same labels); a
    ranking adds nothing for a label it scores 0 or less (BM25 with no shared word)."""
    total = np.zeros(len(rankings[0]), dtype=np.float64)
    for scores in rankings:
        total += np.where(scores > 0, 1.0 / (K + ranks(scores)), 0.0)
    return total
