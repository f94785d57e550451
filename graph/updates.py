"""The text of a SPARQL update as the store runs it: checked (no LOAD or SERVICE, absolute
``using`` IRIs), rewritten so that it never writes the graphs the store maintains, and
followed, in the same request and so the same transaction, by the store's own operations (the
write's record and the entailments). graph/store.py applies it under its write lock.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from ontology import PREFIXES

from .errors import StoreError
from .sparql_text import (
    SparqlTextError,
    UpdateAnalysis,
    UpdateRefusedError,
    analyse_update,
    expand_prefixed_names,
    rewrite_update,
)


def analyse(sparql: str, base_iri: str | None, using: Sequence[str]) -> UpdateAnalysis:
    """What the update does; :class:`StoreError` for a syntax error, a refused operation or
    a ``using`` graph that is not an absolute IRI."""
    for graph in using:
        try:
            ox.NamedNode(graph)
        except ValueError as e:
            raise StoreError(f"not an absolute IRI: {graph!r} ({e})") from e
    try:
        return analyse_update(sparql, base_iri=base_iri, prefixes=PREFIXES)
    except SparqlTextError as e:
        raise StoreError(f"SPARQL syntax error: {e}") from e
    except UpdateRefusedError as e:
        raise StoreError(f"refused: {e}") from e


def update_text(
    sparql: str,
    analysis: UpdateAnalysis,
    *,
    using: Sequence[str],
    using_named: Sequence[str],
    protected: Sequence[str],
    protected_prefixes: Sequence[str] = (),
    named_graphs: Sequence[str],
    then: str,
    first: str = "",
) -> str:
    """The client's operations (never writing the ``protected`` graphs nor those under
    ``protected_prefixes``), with ``first`` before them and ``then`` after. Oxigraph takes no
    PREFIX after the first operation and the client's prefixes stay in force, so ``first``
    goes after the client's prologue and both are written with full IRIs."""
    try:
        text = rewrite_update(
            sparql,
            analysis,
            using=using,
            using_named=using_named,
            protected=protected,
            protected_prefixes=protected_prefixes,
            named_graphs=named_graphs,
        )
    except UpdateRefusedError as e:
        raise StoreError(f"refused: {e}") from e
    if first and analysis.first_operation is not None:
        # the rewrite edits operations only: the prologue before the first one is as sent
        at = analysis.first_operation
        text = text[:at] + expand_prefixed_names(first, PREFIXES) + " ;\n" + text[at:]
    separator = "\n;\n" if analysis.ends_with_operation else "\n"
    return text + separator + expand_prefixed_names(then, PREFIXES)


def syntax_error(update: str, base_iri: str | None) -> str | None:
    """Oxigraph's syntax error for ``update`` exactly as sent, or None if it has none. It is
    parsed by a throw-away in-memory store: only an update already analysed by
    :func:`analyse_update` (so with no LOAD or SERVICE) comes here."""
    try:
        ox.Store().update(update, base_iri=base_iri, prefixes=PREFIXES)
    except SyntaxError as e:
        return str(e)
    except Exception:  # it parsed; running it on an empty store failed, which is no syntax error
        return None
    return None
