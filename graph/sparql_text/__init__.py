"""Just enough SPARQL lexing for the protocol endpoint: never a parser, never an evaluator.

Oxigraph parses and runs every query and update. This package only reads their text where
the endpoint has to know something before Oxigraph runs it:

* whether a query or update would make the server fetch from the network (``SERVICE``;
  ``LOAD`` in an update): pyoxigraph does both and offers no switch, so the endpoint refuses
  them (:func:`fetches`);
* whether a query names its own dataset (``FROM`` / ``FROM NAMED``), in which case the
  default graph is what the query says, not the union of the named graphs
  (:func:`has_dataset_clause`, :func:`query_dataset`);
* the top-level structure of an update (:func:`analyse_update`), so that the protocol's
  ``using-graph-uri`` / ``using-named-graph-uri`` become ``USING`` / ``USING NAMED`` clauses
  (pyoxigraph's ``Store.update`` has no dataset argument), and so that the graphs the store
  maintains itself are not written by an update (:func:`rewrite_update`);
* an unknown prefix by its name and place (:func:`syntax_error_message`).

One module per job: :mod:`.lexer` (tokens, and the ambiguity of ``<``), :mod:`.queries`
(network access, datasets, prefixed names), :mod:`.updates` (the structure of an update),
:mod:`.rewrite` (an update with the protocol's dataset and the store's protections) and
:mod:`.messages` (syntax errors in one line).

The lexer skips strings, IRIs and comments. SPARQL's one context-dependent token is ``<``:
an IRI, or "less than" inside an expression; when the text is *ambiguous* :func:`fetches`
looks for the bare word anywhere in the text, and :func:`analyse_update` refuses it.

The protection of the store's own graphs guards a holder of the write token against
mistakes; it is not what stands between the public and the store (the token is).
"""

from __future__ import annotations

from .lexer import Lexed, SparqlTextError, Token, position, tokenize
from .messages import syntax_error_message, unknown_prefix
from .queries import Dataset, expand_prefixed_names, fetches, has_dataset_clause, query_dataset
from .rewrite import rewrite_update
from .updates import UpdateAnalysis, UpdateRefusedError, analyse_update

__all__ = [
    "Dataset",
    "Lexed",
    "SparqlTextError",
    "Token",
    "UpdateAnalysis",
    "UpdateRefusedError",
    "analyse_update",
    "expand_prefixed_names",
    "fetches",
    "has_dataset_clause",
    "position",
    "query_dataset",
    "rewrite_update",
    "syntax_error_message",
    "tokenize",
    "unknown_prefix",
]
