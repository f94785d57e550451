"""Weighted reciprocal rank fusion (Cormack, Clarke and Buettcher, SIGIR 2009) of rankings: a
label's score is the sum over the rankings of weight / (K + its rank), K = 60 as in the paper.
Ranks, not scores, are combined, so BM25's unbounded scores and cosines need no calibration.

Three rankings are fused: BM25 (lexical), the wordllama cosines (semantic) and the idf word
overlap (the benchmark's baseline: the rare words a text shares with a label, counted without
BM25's saturation and length normalisation). The weight of each is per kind of label
(:data:`WEIGHTS`). Chosen from `python -m bench suggest` (docs/benchmarks.md, section suggest,
"Weights"), on the Matrix's rationale sentences: for Action Lines BM25 counts three times the
embeddings and the overlap once (BM25 alone ranks the right line first far more often than
the embeddings; the overlap's vote settles some of the lines BM25 and the embeddings split);
for goals and targets the even fusion of BM25 and the embeddings is as good as any weight and
the overlap lowers the goals' figure, so it has no weight there. The rule: the weights with
the best figure on the sentences, where leave-one-out (the weights chosen on the other
sentences, for each one) confirms a gain over the even fusion of BM25 and the embeddings
(Action Lines p@1: 0.48 even, 0.598 left out, 0.61 with these weights; targets: no gain left
out, so the even fusion). The table gives each pair of weights' figures."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

NAME = "fusion"
K = 60
# kind -> (weight of bm25, of wordllama, of the idf overlap), in the order :func:`fuse` takes
# the rankings; a method of weight 0 has no say
WEIGHTS: dict[str, tuple[float, float, float]] = {
    "target": (1.0, 1.0, 0.0),
    "goal": (1.0, 1.0, 0.0),
    "action_line": (3.0, 1.0, 1.0),
}
# A label is suggested only when every method with a weight ranks it first: its fused score
# is then the sum of the weights / (K + 1) (:func:`threshold`). Chosen from the figures of
# `python -m bench suggest` (docs/benchmarks.md, section suggest): on the Matrix's rationale
# sentences it keeps the top goal or Action Line of about half the sentences, more than half
# of them right, where a looser cut (every method within its 2 best) keeps most sentences but
# fewer of them right.
AGREEMENT_RANK = 1
# The precision measured at that threshold for each kind (the same table, run of 2026-12-07):
# the share of the fused top suggestions of the Matrix's rationale sentences that are right.
# It is the method's on sentences written to explain a link; on Recommendation titles an
# audit found far fewer right (2026-12-07: of 30 Action Line suggestions drawn at random, 7
# plainly right, 15 right only as "infrastructure" (C2) is for any network standard, 8 wrong),
# so a stored suggestion does not claim it: its confidence is the curated tables' low grade
# (loaders/suggest/triples.py).
PRECISION = {"target": 0.31, "goal": 0.55, "action_line": 0.70}


def method_version() -> str:
    weights = "; ".join(f"{kind} {':'.join(f'{w:g}' for w in ws)}" for kind, ws in WEIGHTS.items())
    return f"weighted reciprocal rank fusion k={K} of bm25, wordllama and idf overlap ({weights})"


def threshold(kind: str, rank: int = AGREEMENT_RANK) -> float:
    """The least fused score of a label that every method with a weight ranks within its
    ``rank`` best."""
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
        if weight:
            total += np.where(scores > 0, weight / (K + ranks(scores)), 0.0)
    return total
