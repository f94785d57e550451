"""Suggest which SDG targets, SDG goals and WSIS Action Lines a text (a clause, a
Recommendation title) most likely serves, when the text names none of them.

Suggestions are a ranking, not a statement: each carries a score, the method and its version,
and the words that led to it, so that an analyst can check it. Everything runs here, offline,
on CPU (issue 16).

The package in parts, each with one job: ``catalogue`` (the labels and their texts, from the
built-in tables), ``words`` (tokens, stems and stop words), ``lexical`` (BM25 with bm25s),
``semantic`` (wordllama static embeddings, their weights shipped in the PyPI package),
``baseline`` (a trivial TF-IDF word-overlap ranker to compare with), ``fusion`` (reciprocal
rank fusion of the methods and the baseline, and the suggestion threshold), ``rank`` (the public
:class:`Suggester`) and ``masking`` (hiding a text's explicit mentions of Action Lines and
SDGs, for the evaluation).

``triples`` stores them: every resolution text and the Recommendations' titles get their
suggestions when they load, so bm25s and wordllama are runtime dependencies.
"""

from loaders.suggest.catalogue import KINDS, Label, catalogue

# The ranker (``rank``: Suggester, Suggestion, METHODS, confident) is imported from its module:
# with numpy, bm25s and the embeddings it is the heavy part, which loaders.suggest.triples
# imports only when a text is first ranked, so that a process that ranks nothing (most CLI
# commands, the query workers) never loads it.
__all__ = ["KINDS", "Label", "catalogue"]
