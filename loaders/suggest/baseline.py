"""The trivial baseline the methods are measured against: the sum of the inverse document
frequencies of the distinct words a text shares with a label's text (TF-IDF overlap, no length
normalisation, no library)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from loaders.suggest.words import words

NAME = "overlap"


def method_version() -> str:
    return "idf word overlap 1"


class Overlap:
    """The word sets of one kind of label's texts and the words' inverse document frequency."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._sets = [set(words(text)) for text in texts]
        counts: dict[str, int] = {}
        for found in self._sets:
            for word in found:
                counts[word] = counts.get(word, 0) + 1
        size = len(texts)
        self.idf = {word: math.log(1 + size / count) for word, count in counts.items()}

    def scores(self, tokens: Sequence[str]) -> NDArray[np.float64]:
        query = set(tokens)
        return np.array(
            # fsum: exactly rounded, so the same whatever order the set gives its words (a
            # plain sum's last bit followed the string hashes, which change from run to run,
            # and broke ties between labels differently: p@3 moved between two values)
            [math.fsum(self.idf[word] for word in query & found) for found in self._sets],
            dtype=np.float64,
        )

    def shared(self, tokens: Sequence[str], index: int, limit: int = 5) -> tuple[str, ...]:
        """The words of ``tokens`` in label ``index``'s text, rarest first: why it ranked."""
        query = set(tokens) & self._sets[index]
        return tuple(sorted(query, key=lambda word: (-self.idf[word], word))[:limit])
