"""The figures of ``python -m bench suggest``: ranking quality per method and kind, the
precision of a fused suggestion at score thresholds, and the time to suggest for a resolution.

Definitions (k = 1, 3, 5; an example counts for a kind only if it has a label of that kind):
- precision@k (hit): the share of examples with at least one true label in the method's k
  best. Most examples have one true label of a kind, so the strict precision@3 (true labels
  among the 3 best / 3) could not pass 1/3; the strict figure is given too, as ``strict p@3``.
- recall@5: the mean share of an example's true labels found in its 5 best.
"""

from __future__ import annotations

import csv
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench.suggest_examples import Example
from bench.textload_texts import synthetic_resolution
from loaders.resolution_text import parse_text
from loaders.suggest import KINDS
from loaders.suggest import fusion as fused
from loaders.suggest.rank import Suggester
from loaders.tables import SEEDS, data_path, table_path

DEPTH = 5
# a fused score of at least the sum of the weights / (K + r) means every method with a weight
# ranks the label within its r best
THRESHOLD_RANKS = (1, 2, 3, 5, 10)


@dataclass(frozen=True)
class Quality:
    examples: int
    hit1: float
    hit3: float
    strict3: float
    recall5: float


def quality(suggester: Suggester, examples: Sequence[Example], kind: str, method: str) -> Quality:
    """The figures of ``method`` over the ``examples`` with labels of ``kind``."""
    scored = [example for example in examples if example.labels.get(kind)]
    if not scored:
        return Quality(0, 0.0, 0.0, 0.0, 0.0)
    ranked = suggester.rank([example.text for example in scored], kind, method, DEPTH)
    hit1 = hit3 = strict3 = recall5 = 0.0
    for example, suggestions in zip(scored, ranked, strict=True):
        truth = example.labels[kind]
        ids = [suggestion.id for suggestion in suggestions]
        hit1 += bool(set(ids[:1]) & truth)
        hit3 += bool(set(ids[:3]) & truth)
        strict3 += len(set(ids[:3]) & truth) / 3
        recall5 += len(set(ids[:5]) & truth) / len(truth)
    n = len(scored)
    return Quality(n, hit1 / n, hit3 / n, strict3 / n, recall5 / n)


@dataclass(frozen=True)
class Cut:
    """Fused suggestions at one threshold: how many examples get one, and how many right."""

    rank: int
    threshold: float
    coverage: float
    precision: float


def cuts(suggester: Suggester, examples: Sequence[Example], kind: str) -> list[Cut]:
    """The top fused suggestion kept only when every method with a weight ranks it within its
    r best (its
    score reaches :func:`fusion.threshold` of ``kind`` at r), for each r."""
    scored = [example for example in examples if example.labels.get(kind)]
    ranked = suggester.rank([example.text for example in scored], kind, fused.NAME, 1)
    result = []
    for rank in THRESHOLD_RANKS:
        threshold = fused.threshold(kind, rank)
        kept = [
            (example, suggestions[0])
            for example, suggestions in zip(scored, ranked, strict=True)
            if suggestions and suggestions[0].score >= round(threshold, 6)
        ]
        right = sum(top.id in example.labels[kind] for example, top in kept)
        result.append(
            Cut(rank, threshold, len(kept) / len(scored), right / len(kept) if kept else 0.0)
        )
    return result


def clause_texts(pages: int, seed: int) -> list[str]:
    """The clause texts of a synthetic resolution of ``pages`` pages."""
    texts: list[str] = []
    stack = [
        c
        for section in parse_text(synthetic_resolution(pages, seed), "x").sections
        for c in section.clauses
    ]
    while stack:
        clause = stack.pop(0)
        texts.append(clause.plain_text)
        stack.extend(clause.children)
    return texts


def builtin_texts() -> list[str]:
    """The texts of the built-in data a suggestion is for: the distinct titles of the ITU-T
    Recommendations (``reference/itut_recommendations.csv``) and the seed's clauses."""
    with table_path("itut-recommendations").open(encoding="utf-8", newline="") as handle:
        titles = sorted({row["title"] for row in csv.DictReader(handle) if row["title"]})
    (relative,) = SEEDS.values()
    seed = data_path(relative).read_text(encoding="utf-8")
    clauses = [c for section in parse_text(seed, "seed").sections for c in section.clauses]
    return titles + [clause.plain_text for clause in clauses]


def timing(suggester: Suggester, texts: Sequence[str], repeats: int) -> float:
    """Median seconds to rank every kind with the fused method for all ``texts``."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        for kind in KINDS:
            suggester.rank(texts, kind, fused.NAME, DEPTH)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# the weights of bm25 and of the idf overlap (against wordllama's 1) the weight table tries
BM25_WEIGHTS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0)
OVERLAP_WEIGHTS = (0.0, 0.5, 1.0, 2.0)
Weights = tuple[float, float, float]


@dataclass(frozen=True)
class Weighing:
    """The fusion of ``kind`` with each pair of weights (bm25, overlap; wordllama 1): p@1 and
    p@3 per pair, and the figure of the pair chosen by leave-one-out (for each example, the
    pair with the best figure on the others; ties to the pair nearest the even fusion of
    bm25 and wordllama, (1, 0)), on ``criterion`` (p@1 or p@3)."""

    kind: str
    criterion: str
    figures: dict[Weights, tuple[float, float]]
    left_out: float


def weight_grid() -> list[Weights]:
    return [(b, 1.0, o) for o in OVERLAP_WEIGHTS for b in BM25_WEIGHTS]


def weighing(suggester: Suggester, examples: Sequence[Example], kind: str) -> Weighing:
    """Issue 16's figure for ``kind`` (Action Lines: p@1; goals and targets: p@3) at each
    pair of weights in the fusion, and chosen by leave-one-out."""
    scored = [example for example in examples if example.labels.get(kind)]
    texts = [example.text for example in scored]
    rankings = [
        suggester.scores(texts, kind, method) for method in ("bm25", "wordllama", "overlap")
    ]
    ids = suggester.label_ids(kind)
    grid = weight_grid()
    hits: dict[Weights, list[tuple[bool, bool]]] = {}
    for weights in grid:
        row = []
        for example, *scores in zip(scored, *rankings, strict=True):
            top = [ids[i] for i in fused.ranks(fused.fuse(scores, weights)).argsort()[:3]]
            truth = example.labels[kind]
            row.append((top[0] in truth, bool(set(top) & truth)))
        hits[weights] = row
    column = 0 if kind == "action_line" else 1
    n = len(scored)
    totals = {w: sum(h[column] for h in row) for w, row in hits.items()}
    chosen = 0
    for i in range(n):
        pick = max(
            grid,
            key=lambda w: (totals[w] - hits[w][i][column], -abs(w[0] - 1) - abs(w[2])),
        )
        chosen += hits[pick][i][column]
    figures = {
        w: (sum(h[0] for h in row) / n, sum(h[1] for h in row) / n) for w, row in hits.items()
    }
    return Weighing(kind, "p@1" if column == 0 else "p@3", figures, chosen / n)
