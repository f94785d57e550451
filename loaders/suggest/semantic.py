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
from numpy.typing import NDArray

NAME = "wordllama"
MODEL = "l2_supercat"
DIMENSIONS = 256


@cache  # the installed version is read from its metadata: ~2 ms a call
def method_version() -> str:
    """The method, its model and the library it runs on, as a suggestion records it."""
    return f"wordllama {version('wordllama')} ({MODEL}, {DIMENSIONS} dimensions)"


def _wordllama() -> Any:
    """wordllama, imported when the model is first needed: with requests, which it imports,
    some 0.15 s that every command and every process that loads no text would pay.

    Its import calls logging.basicConfig(level=INFO): a handler on the root logger of
    whatever program loads a document (the server, the CLI). What the import added to the
    root logger is taken off again: the host's logging is its own."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    import wordllama  # noqa: PLC0415 -- see the docstring

    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    return wordllama


@cache
def model() -> Any:
    """The embedding model, loaded once from the package's own files (no download)."""
    wordllama = _wordllama()
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
