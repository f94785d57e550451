"""Weighted reciprocal rank fusion (Cormack, Clarke and Buettcher, SIGIR 2009) of rankings: a
label's score is the sum over the rankings of weight / (K + its rank), K = 60 as in the paper.
Ranks, not scores, are combined, so BM25's unbounded scores and cosines need no calibration.

The weight of each method is per kind of label (:data:`WEIGHTS`): for Action Lines the lexical
ranking counts four times the semantic one. Chosen from `python -m bench suggest`
(docs/benchmarks.md, section suggest, "Weights"): on the Matrix's rationale sentences BM25
alone ranks the right Action Line first far more often than the embeddings do, and an even
fusion lost most of that; for goals and targets the even fusion is as good as any weight, and
is kept. The table gives each weight's figures and the weight leave-one-out chooses."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

NAME = "fusion"
K = 60
# kind -> (weight of bm25, weight of wordllama), in the order :func:`fuse` takes the rankings
WEIGHTS: dict[str, tuple[float, float]] = {
    "target": (1.0, 1.0),
    "goal": (1.0, 1.0),
    "action_line": (4.0, 1.0),
}
# A label is suggested only when both methods rank it first: its fused score is then the sum
# of the weights / (K + 1) (:func:`threshold`). Chosen from the figures of `python -m bench
# suggest` (docs/benchmarks.md, section suggest): on the Matrix's rationale sentences it keeps
# the top goal or Action Line of about half the sentences, more than half of them right, where
# a looser cut (both methods within their 2 best) keeps most sentences but fewer than half of
# them right.
AGREEMENT_RANK = 1
# The precision measured at that threshold for each kind (the same table, run of 2026-12-06):
# the share of the fused top suggestions that are right. A stored suggestion's confidence
# score is the one of its kind: what an analyst can expect of it.
PRECISION = {"target": 0.31, "goal": 0.55, "action_line": 0.66}


def method_version() -> str:
    weights = "; ".join(f"{kind} {b:g}:{s:g}" for kind, (b, s) in WEIGHTS.items())
    return f"weighted reciprocal rank fusion k={K} of bm25 and wordllama ({weights})"


def threshold(kind: str, rank: int = AGREEMENT_RANK) -> float:
    """The least fused score of a label that both methods rank within their ``rank`` best."""
    return sum(WEIGHTS[kind]) / (K + rank)


def ranks(scores: NDArray[np.float64]) -> NDArray[np.int64]:
    """1-based rank of each score (highest first; ties broken by position, for determinism)."""
    order = np.lexsort((np.arange(len(scores)), -scores))
    result = np.empty(len(scores), dtype=np.int64)
    result[order] = np.arange(1, len(scores) + 1)
    return result


def fuse(
    rankings: Sequence[NDArray[np.float64]], weights: Sequence[float] | None = None
) -> NDArray[np.float64]:
    """The fused score of each label over ``rankings`` (score arrays of the same labels), each
    ranking counted with its weight (1 each by default); a ranking adds nothing for a label it
    scores 0 or less (BM25 with no shared word)."""
    total = np.zeros(len(rankings[0]), dtype=np.float64)
    for scores, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        total += np.where(scores > 0, weight / (K + ranks(scores)), 0.0)
    return total
