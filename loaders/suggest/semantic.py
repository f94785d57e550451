"""Cosine similarity of wordllama static embeddings (model ``l2_supercat``, 256 dimensions):
the semantic method.

wordllama ships its weights and its tokenizer inside the PyPI package. Its loader looks for
the tokenizer in a folder the package does not have (``tokenizer/``, the file is in
``tokenizers/``) and then downloads it; pointing its cache at the package's own folder with
downloads disabled makes it read both files from the package and never open a connection.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import wordllama
from numpy.typing import NDArray

# wordllama calls logging.basicConfig(level=INFO) when imported: a handler on the root logger
# of whatever program loads a document (the server, the CLI). Taken off again here, where the
# import is: the host's logging is its own. (A handler the host set up itself was there
# first, so basicConfig added none and none is taken off.)
_ROOT = logging.getLogger()
for _handler in list(_ROOT.handlers):
    if (
        isinstance(_handler, logging.StreamHandler)
        and getattr(_handler.formatter, "_fmt", None) == logging.BASIC_FORMAT
        and _ROOT.level == logging.INFO
    ):
        _ROOT.removeHandler(_handler)
        _ROOT.setLevel(logging.WARNING)

NAME = "wordllama"
MODEL = "l2_supercat"
DIMENSIONS = 256


def method_version() -> str:
    """The method, its model and the library it runs on, as a suggestion records it."""
    return f"wordllama {version('wordllama')} ({MODEL}, {DIMENSIONS} dimensions)"


@cache
def model() -> Any:
    """The embedding model, loaded once from the package's own files (no download)."""
    return wordllama.WordLlama.load(
        config=MODEL,
        dim=DIMENSIONS,
        cache_dir=Path(wordllama.__file__).parent,
        disable_download=True,
    )


def embed(texts: Sequence[str]) -> NDArray[np.float64]:
    """Unit-length embeddings of ``texts``, one row each."""
    vectors = np.asarray(model().embed(list(texts), norm=True), dtype=np.float64)
    return vectors


class Semantic:
    """The embeddings of one kind of label's texts; :meth:`scores` gives one cosine a label."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._labels = embed(texts)

    def scores(self, query: NDArray[np.float64]) -> NDArray[np.float64]:
        """Cosine of the query's embedding (a row of :func:`embed`) with every label text."""
        return np.asarray(self._labels @ query, dtype=np.float64)
