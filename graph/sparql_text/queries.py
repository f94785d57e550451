"""What the endpoint reads in a query's text before Oxigraph runs it: whether it would fetch
from the network (``SERVICE``; ``LOAD`` in an update), whether it names its own dataset
(``FROM`` / ``FROM NAMED``), and the service's own SPARQL with its prefixed names expanded.

When the text cannot be read unambiguously, :func:`fetches` falls back to looking for the
bare word anywhere in the text: it errs on the side of refusing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from .lexer import SparqlTextError, tokenize, unescape_local


def _bare_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w$?:]){word}(?![\w:])", text, re.IGNORECASE) is not None


def fetches(text: str, *, update: bool = False) -> str | None:
    """The keyword that would make Oxigraph fetch from the network (``SERVICE``; ``LOAD`` in
    an update), or None. When the text cannot be read unambiguously, any bare occurrence of
    the word counts: this errs on the side of refusing."""
    folded = text.lower()
    words = [  # Oxigraph's keywords are ASCII
        w for w in (("SERVICE", "LOAD") if update else ("SERVICE",)) if w.lower() in folded
    ]
    if not words:
        return None  # most texts: no lexing (every query of the service comes here)
    try:
        lexed = tokenize(text)
    except SparqlTextError:
        lexed = None
    for word in words:
        if lexed is None or lexed.ambiguous:
            if _bare_word(text, word):
                return word
        elif any(t.keyword == word for t in lexed.tokens):
            return word
    return None


def expand_prefixed_names(text: str, prefixes: Mapping[str, str]) -> str:
    """``text`` with every prefixed name of ``prefixes`` written as a full IRI, so that it
    means the same after any PREFIX declaration (for the service's own, trusted, SPARQL)."""
    parts: list[str] = []
    last = 0
    for token in tokenize(text).tokens:
        if token.kind != "pname":
            continue
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            parts += [text[last : token.start], f"<{prefixes[prefix]}{unescape_local(local)}>"]
            last = token.end
    return "".join([*parts, text[last:]])


def has_dataset_clause(text: str) -> bool:
    """Whether a query names its dataset with FROM or FROM NAMED (a bare word FROM is only
    ever that)."""
    try:
        return any(t.keyword == "FROM" for t in tokenize(text).tokens)
    except SparqlTextError:
        return False  # Oxigraph reports the error


Dataset = tuple[
    bool,
    list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None,
    list[ox.NamedNode | ox.BlankNode] | None,
]


def query_dataset(
    text: str,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
) -> Dataset:
    """``(use_default_graph_as_union, default_graph, named_graphs)`` for ``Store.query``.

    With the protocol's ``default-graph-uri`` / ``named-graph-uri`` (either given): exactly
    that dataset, whatever the query says (a parameter not given is empty: only
    ``named-graph-uri`` means an empty default graph). Without them, a query with FROM / FROM
    NAMED gets the dataset it names (from the store's graphs; nothing is fetched), and any
    other query the union of all graphs as its default graph."""
    if default_graphs is None and named_graphs is None:
        return (not has_dataset_clause(text), None, None)
    default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
        ox.NamedNode(g) for g in default_graphs or ()
    ]
    named: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(g) for g in named_graphs or ()]
    return (False, default, named)
