"""Suggestions as triples: for each text of a loaded source (a clause, a Recommendation's
title), the SDG target, goal and Action Line the fused ranker suggests above the threshold
(:func:`confident`), each a plain triple (``wsis:suggestedActionLine`` or
``wsis:suggestedSDG``) and its qualified ``wsis:Link`` with evidence ``wsis:Suggested``.

The relations are not the stated ones (``wsis:supportsActionLine``,
``wsis:contributesToSDG``) nor narrower: a query or a rule that reads what sources state
never sees a suggestion, and asks for them by name (``evidence=suggested``).

The ranker is built once per process (:func:`suggester`) and only read afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from loaders.rdf import CONFIDENCE, CONFIDENCE_SCORE, EVIDENCE, LoadReport, TripleBuilder, lit
from ontology import PROV, RDF, WSIS, XSD
from ontology.ids import Ids

if TYPE_CHECKING:
    from loaders.suggest.rank import Suggester, Suggestion

RELATIONS = {
    "target": WSIS.suggestedSDG,
    "goal": WSIS.suggestedSDG,
    "action_line": WSIS.suggestedActionLine,
}
RULE = WSIS.TextSimilaritySuggestion


@cache
def suggester() -> Suggester:
    """The fused ranker (every method), built on first use and shared by every load.

    Imported here, on first use: the ranker brings numpy, bm25s and the embeddings (about
    0.15 s), which a process that stores no suggestion (most CLI commands, the query
    workers) would otherwise load for nothing."""
    from loaders.suggest.rank import Suggester  # noqa: PLC0415 -- see the docstring

    return Suggester()


def _object(ids: Ids, suggestion: Suggestion) -> ox.NamedNode:
    if suggestion.kind == "target":
        return ids.sdg_target(suggestion.id)
    if suggestion.kind == "goal":
        return ids.sdg_goal(suggestion.id)
    return ids.action_line(suggestion.id)


def add_suggestions(
    out: TripleBuilder,
    texts: Sequence[tuple[ox.NamedNode, str]],
    report: LoadReport,
    *,
    clauses: bool,
) -> None:
    """Add the confident suggestions for each (subject, text); ``clauses`` says whether the
    subjects are clauses (the link's source clause) or works whose title is the text."""
    if not texts:
        return
    # on first use, as suggester() says
    from loaders.suggest.rank import confident  # noqa: PLC0415

    ranker = suggester()
    for kind, ranked in ranker.rank_kinds([text for _, text in texts], limit=1).items():
        for (subject, _), suggestions in zip(texts, ranked, strict=True):
            for suggestion in confident(suggestions):
                clause = subject if clauses else None
                _link(out, subject, suggestion, clause=clause)
                report.count(f"suggested links ({kind})")


def _link(
    out: TripleBuilder,
    subject: ox.NamedNode,
    suggestion: Suggestion,
    *,
    clause: ox.NamedNode | None,
) -> None:
    relation = RELATIONS[suggestion.kind]
    obj = _object(out.ids, suggestion)
    out.add(subject, relation, obj)
    node = out.ids.link(subject, relation, obj, RULE)
    out.typed(node, WSIS.Link)
    out.add_all(
        node,
        [
            (WSIS.subject, subject),
            (WSIS.relation, relation),
            (WSIS.object, obj),
            (WSIS.evidence, WSIS[EVIDENCE["suggested"]]),
            # the low grade and its score, as a curated table's low link: never more (the
            # precision measured on the Matrix's sentences is not a title's, fusion.PRECISION)
            (WSIS.confidence, WSIS[CONFIDENCE["low"]]),
            (WSIS.confidenceScore, ox.Literal(CONFIDENCE_SCORE["low"], datatype=XSD.decimal)),
            (WSIS.generalKnowledge, lit(False)),
            (WSIS.rule, RULE),
            (WSIS.sourceClause, clause),
            (PROV.wasDerivedFrom, subject),
            (WSIS.suggestionScore, ox.Literal(f"{suggestion.score:.6f}", datatype=XSD.decimal)),
            (
                WSIS.semanticSimilarity,
                None
                if suggestion.similarity is None
                else ox.Literal(f"{suggestion.similarity:.6f}", datatype=XSD.decimal),
            ),
            (WSIS.suggestionMethod, lit(suggestion.method)),
            (WSIS.methodVersion, lit(suggestion.version)),
            (WSIS.suggestionWords, lit(" ".join(suggestion.words)) if suggestion.words else None),
        ],
    )


def texts_of(
    out: TripleBuilder, kind: ox.NamedNode, predicate: ox.NamedNode
) -> list[tuple[ox.NamedNode, str]]:
    """(subject, text) of every subject of type ``kind`` with a ``predicate`` text, in the
    order the loader added them."""
    typed = set()
    found: dict[ox.NamedNode, str] = {}
    for triple in out.triples():
        subject = triple.subject
        if not isinstance(subject, ox.NamedNode):
            continue
        if triple.predicate == predicate and isinstance(triple.object, ox.Literal):
            found.setdefault(subject, triple.object.value)
        elif triple.predicate == RDF.type and triple.object == kind:
            typed.add(subject)
    return [(subject, text) for subject, text in found.items() if subject in typed]
