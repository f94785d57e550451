"""BM25 (bm25s, Lucene variant) of a text against each label's text: the lexical method."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from importlib.metadata import version

import bm25s
import numpy as np
from numpy.typing import NDArray

from loaders.suggest.words import words

# bm25s sets its own logger to DEBUG when imported ("Building index from tokens" on every
# index): back to what the host's logging says
logging.getLogger("bm25s").setLevel(logging.NOTSET)

NAME = "bm25"


@cache  # the installed version is read from its metadata: ~2 ms a call
def method_version() -> str:
    """The method and the library it runs on, as a suggestion records it."""
    return f"bm25s {version('bm25s')} (lucene k1=1.5 b=0.75)"


class Lexical:
    """An index of the texts of one kind of label; :meth:`scores` gives one score a label."""

    def __init__(self, texts: Sequence[str]) -> None:
        corpus = [words(text) or ["_empty_"] for text in texts]
        self._index = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
        self._index.index(corpus, show_progress=False)
        self._vocabulary = set(self._index.vocab_dict)
        self._size = len(texts)

    def scores(self, tokens: Sequence[str]) -> NDArray[np.float64]:
        """BM25 of the query ``tokens`` (from :func:`words`) against every label text."""
        known = [token for token in tokens if token in self._vocabulary]
        if not known:
            return np.zeros(self._size)
        return np.asarray(self._index.get_scores(known), dtype=np.float64)
