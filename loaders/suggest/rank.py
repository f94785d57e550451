"""The public ranker: for texts, the labels of each kind ranked by one method, each with its
score, the method and its version, and the words that led to it.

Methods: ``bm25`` (lexical), ``wordllama`` (semantic), ``fusion`` (both, weighted
reciprocal rank fusion: the one to use) and ``overlap`` (the trivial baseline). The same
texts give the same suggestions, in the same order, every time (ties go to the table order).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from loaders.suggest import baseline, fusion, lexical, semantic
from loaders.suggest.catalogue import KINDS, Label, catalogue
from loaders.suggest.words import words

METHODS = (lexical.NAME, semantic.NAME, fusion.NAME, baseline.NAME)
VERSIONS: dict[str, Callable[[], str]] = {
    lexical.NAME: lexical.method_version,
    semantic.NAME: semantic.method_version,
    fusion.NAME: lambda: (
        f"{fusion.method_version()}: {lexical.method_version()}; {semantic.method_version()}; "
        f"{baseline.method_version()}"
    ),
    baseline.NAME: baseline.method_version,
}


def _embedded(texts: Sequence[str], method: str) -> NDArray[np.float64] | None:
    """The texts' embeddings, when ``method`` reads them (none for an empty list)."""
    return semantic.embed(texts) if method in (semantic.NAME, fusion.NAME) and texts else None


@dataclass(frozen=True)
class Suggestion:
    """One label suggested for a text. ``score`` is the method's own (BM25, cosine, fused
    reciprocal ranks, summed IDF); ``words`` are the text's words (stems) found in the label's
    text, rarest first: empty when only the embeddings saw a likeness."""

    kind: str
    id: str
    rank: int
    score: float
    method: str
    version: str
    words: tuple[str, ...]
    # the cosine of the text's and the label's embeddings (wordllama; fusion and wordllama
    # only): how alike in meaning, on one scale for every text, where the fused score of a
    # label every method ranks first is the same for all
    similarity: float | None = None


def confident(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """The fused suggestions that reach their kind's :func:`fusion.threshold`: the ones to
    show (every method with a weight ranks the label first). Scores are kept to 6 decimals,
    the threshold is compared at the same."""
    return [
        suggestion
        for suggestion in suggestions
        if suggestion.method == fusion.NAME
        and suggestion.score >= round(fusion.threshold(suggestion.kind), 6)
    ]


class _Kind:
    """The indexes of one kind of label."""

    def __init__(self, labels: Sequence[Label], with_semantic: bool) -> None:
        texts = [label.text for label in labels]
        self.labels = tuple(labels)
        self.lexical = lexical.Lexical(texts)
        self.overlap = baseline.Overlap(texts)
        self.semantic = semantic.Semantic(texts) if with_semantic else None


class Suggester:
    """Ranks labels for texts; build it once (it indexes the label texts) and reuse it."""

    def __init__(self, with_semantic: bool = True) -> None:
        self._kinds = {kind: _Kind(labels, with_semantic) for kind, labels in catalogue().items()}
        self.methods = METHODS if with_semantic else (lexical.NAME, baseline.NAME)

    def label_ids(self, kind: str) -> tuple[str, ...]:
        """The ids of the labels of ``kind``, in the order :meth:`scores` gives their scores."""
        return tuple(label.id for label in self._kinds[kind].labels)

    def scores(self, texts: Sequence[str], kind: str, method: str) -> list[NDArray[np.float64]]:
        """One score per label of ``kind`` for each text (in the catalogue's order)."""
        return self._scored(texts, kind, method, _embedded(texts, method))[0]

    def _scored(
        self,
        texts: Sequence[str],
        kind: str,
        method: str,
        vectors: NDArray[np.float64] | None,
    ) -> tuple[list[NDArray[np.float64]], list[NDArray[np.float64]] | None, list[list[str]]]:
        """(the scores of :meth:`scores`, the cosines when the method reads embeddings, the
        texts' words); ``vectors``: the texts' embeddings (:func:`_embedded`)."""
        if method not in self.methods:
            raise ValueError(f"unknown or unavailable method {method!r}: {self.methods}")
        index = self._kinds[kind]
        tokens = [words(text) for text in texts]
        if method == baseline.NAME:
            return [index.overlap.scores(found) for found in tokens], None, tokens
        bm25 = [index.lexical.scores(found) for found in tokens]
        if method == lexical.NAME:
            return bm25, None, tokens
        assert index.semantic is not None
        cosines = [index.semantic.scores(query) for query in (() if vectors is None else vectors)]
        if method == semantic.NAME:
            return cosines, cosines, tokens
        weights = fusion.WEIGHTS[kind]
        overlap = [
            index.overlap.scores(found) if weights[2] else np.zeros(len(index.labels))
            for found in tokens
        ]
        fused = [
            fusion.fuse([b, c, o], weights) for b, c, o in zip(bm25, cosines, overlap, strict=True)
        ]
        return fused, cosines, tokens

    def rank(
        self,
        texts: Sequence[str],
        kind: str,
        method: str = fusion.NAME,
        limit: int = 5,
        *,
        vectors: NDArray[np.float64] | None = None,
    ) -> list[list[Suggestion]]:
        """The ``limit`` best labels of ``kind`` for each text (labels scoring 0 left out);
        ``vectors``: the texts' embeddings, when the caller has them already (each text is
        embedded once, whatever the kinds it is ranked for)."""
        index = self._kinds[kind]
        version = VERSIONS[method]()
        if vectors is None:
            vectors = _embedded(texts, method)
        all_scores, cosines, tokens = self._scored(texts, kind, method, vectors)
        similarities: Sequence[NDArray[np.float64] | None] = (
            [None] * len(texts) if cosines is None else cosines
        )
        result = []
        for found, scores, cosine in zip(tokens, all_scores, similarities, strict=True):
            order = fusion.ranks(scores).argsort()[:limit]
            result.append(
                [
                    Suggestion(
                        kind=kind,
                        id=index.labels[i].id,
                        rank=position,
                        score=round(float(scores[i]), 6),
                        method=method,
                        version=version,
                        words=index.overlap.shared(found, int(i)),
                        similarity=None if cosine is None else round(float(cosine[i]), 6),
                    )
                    for position, i in enumerate(order, start=1)
                    if scores[i] > 0
                ]
            )
        return result

    def rank_kinds(
        self, texts: Sequence[str], method: str = fusion.NAME, limit: int = 5
    ) -> dict[str, list[list[Suggestion]]]:
        """kind -> :meth:`rank` of ``texts`` for that kind, every kind of the catalogue; the
        texts embedded once for all."""
        vectors = _embedded(texts, method)
        return {kind: self.rank(texts, kind, method, limit, vectors=vectors) for kind in KINDS}

    def suggest(
        self, text: str, method: str = fusion.NAME, limit: int = 5
    ) -> dict[str, list[Suggestion]]:
        """kind -> the ``limit`` best labels of that kind for one ``text``."""
        return {kind: ranked[0] for kind, ranked in self.rank_kinds([text], method, limit).items()}
