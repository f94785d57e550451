"""The mapping sets: the qualified links between ITU work, clauses, Action Lines and SDGs, as
mappings, the rows of an SSSOM mapping set (graph/sssom.py writes and reads the TSV).

Each set is a value of the named query ``mappings`` (graph/queries/mappings.rq), one mapping
per qualified link (``wsis:Link``), so a link that two sources state is two mappings, each
with its own source; links withdrawn by an erratum are left out:

* ``action-line-sdg``: Action Line (or C7 sub-line) -> SDG goal or target, the WSIS-SDG
  Matrix links (``wsis:contributesToSDG``), written with ``skos:relatedMatch``: both ends
  are SKOS concepts of two concept schemes, and the SKOS mapping property is what mapping
  tools read; the direction is the row's (subject -> object).
* ``work-action-line``: ITU work (the Union, its organs and Sectors, study groups,
  Recommendations, resolutions and their versions, and the other agencies) -> Action Line,
  with the link's own property (``wsis:supportsActionLine`` and its sub-properties,
  ``wsis:relatedToActionLine``): a work is not a concept, and the property says which role.
* ``clause``: a clause of a loaded text -> Action Line, SDG goal or target.
* ``suggested``: a clause or a Recommendation -> the Action Line, SDG goal or target that the
  suggester (loaders/suggest) ranks first by each of its methods, with the link's own property
  (``wsis:suggestedActionLine``, ``wsis:suggestedSDG``): the named query
  ``mappings-suggested``; only this set has them, and it has nothing else.

The evidence kind (stated, extracted, inferred, suggested) is a column of every set (an SSSOM
extension slot, ``wsis:evidence``) and a filter, and decides the SEMAPV justification
(:func:`justification`, docs/mappings.md). A suggestion's ``confidence`` is the precision
measured for suggestions of its kind; ``similarity_score`` is the cosine of the embeddings of
its text and its label's texts (``similarity_measure`` says so; the method and its version are
``mapping_tool_version``), and the words that led to it ``match_string``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from graph import catalogue
from graph.provenance import release_date
from graph.values import Row
from ontology import SKOS
from ontology.ids import Ids

SEMAPV = "https://w3id.org/semapv/vocab/"
# SSSOM 1.0, the current version: a file of it names no version (``sssom_version`` is a slot
# of 1.1), and uses no slot of a later one (no ``record_id``: a mapping's link is in see_also)
# the licence the project states for itself and its ontology (pyproject.toml, ontology/wsis.ttl
# dcterms:license); the data tables state no other (loaders/data/README.md)
LICENSE = "https://www.apache.org/licenses/LICENSE-2.0"
TOOL = "wsis-kg"

# how each evidence kind is justified (docs/mappings.md); a kind not listed is
# semapv:UnspecifiedMatching
JUSTIFICATIONS = {
    # a curator read the link in a cited source (a curated table row, the WSIS-SDG Matrix)
    "stated": "ManualMappingCuration",
    # a loader found the object's code or name in the clause's words (the span is cited)
    "extracted": "LexicalMatching",
}
# inferred: by a rule (an entailment rule, a series-range rule): semapv:LogicalReasoning; by a
# curator who read a title or a mandate (a curated row marked inferred): ManualMappingCuration
INFERRED_BY_RULE = "LogicalReasoning"
# suggested, by the method that ranked it: SEMAPV's lexical or semantic similarity above a
# threshold, or, for the fusion of both (the one the loaders store), composite matching
SUGGESTED_BY = {
    "bm25": "LexicalSimilarityThresholdMatching",
    "wordllama": "SemanticSimilarityThresholdMatching",
    "fusion": "CompositeMatching",
}
SUGGESTER = f"{TOOL} suggester"
# a suggestion's similarity_score: the cosine of the embeddings of its text and its label's
# texts (wsis:semanticSimilarity), which tells suggestions apart where the fused score, the
# same for every suggestion all its methods rank first, does not; the fused score where there
# is no cosine (a link of another method)
COSINE = "cosine similarity of wordllama embeddings"
SUGGESTED = "suggested"  # the set of the suggested links (graph/queries/mappings-suggested.rq)
INFERRED_BY_CURATOR = "ManualMappingCuration"
UNSPECIFIED = "UnspecifiedMatching"
# the mapping_tool of a link a loader extracted from a text, and of one a rule made
EXTRACTOR = f"{TOOL} resolution text loader"
RULES = f"{TOOL} rules"


@dataclass(frozen=True)
class MappingSet:
    """One mapping set of the export: its name (the ``set`` of the named query), title,
    description, and the SSSOM predicate of all its rows (None: each link's own property)."""

    name: str
    title: str
    description: str
    predicate: str | None = None
    predicate_label: str | None = None


SETS: dict[str, MappingSet] = {
    s.name: s
    for s in (
        MappingSet(
            "action-line-sdg",
            "WSIS Action Lines to SDG goals and targets",
            "The WSIS-SDG Matrix: each Action Line (or C7 sub-line) and the SDG goals and "
            "targets it contributes to (wsis:contributesToSDG, written as skos:relatedMatch "
            "from the Action Line to the goal or target), one row per source row.",
            SKOS.base + "relatedMatch",
            "has related match",
        ),
        MappingSet(
            "work-action-line",
            "ITU work to WSIS Action Lines",
            "The work (the Union, its organs and Sectors, study groups, Recommendations, "
            "resolutions and their versions, other agencies) that supports or relates to each "
            "Action Line, with the role as the property, one row per source.",
        ),
        MappingSet(
            "clause",
            "Clauses of loaded texts to WSIS Action Lines and SDGs",
            "The clauses of the loaded resolution texts and contributions that name an Action "
            "Line, an SDG goal or a target, with the words and where they are.",
        ),
        MappingSet(
            "suggested",
            "Suggested: clauses and Recommendations to WSIS Action Lines and SDGs",
            "The Action Line, SDG goal and target whose texts the words of a clause or of a "
            "Recommendation's title most resemble, when every method of the suggester (BM25, "
            "wordllama static embeddings and, for Action Lines, an idf word overlap) ranks it "
            "first: a ranked guess for an analyst to "
            "check, no source states it. confidence: the low grade of the curated sets (0.3), "
            "whatever the precision measured on other texts (docs/benchmarks.md); "
            "similarity_score: the cosine of the embeddings of the text and of the label's "
            "texts.",
        ),
    )
}


@dataclass(frozen=True)
class Mapping:
    """One SSSOM mapping: one qualified link (``link``, its IRI in the graph: graph/sssom_tsv.py
    writes it first in ``see_also``, SSSOM 1.0 having no column for a record's id). Entity
    references are full IRIs (written as CURIEs); ``evidence`` is the extension slot
    ``wsis:evidence``."""

    link: str
    subject_id: str
    subject_label: str | None
    predicate_id: str
    predicate_label: str | None
    object_id: str
    object_label: str | None
    mapping_justification: str
    evidence: str
    confidence: float | None = None
    mapping_provider: str | None = None
    see_also: tuple[str, ...] = ()
    mapping_date: str | None = None
    mapping_tool: str | None = None
    match_string: str | None = None
    curation_rule: tuple[str, ...] = ()
    curation_rule_text: tuple[str, ...] = ()
    comment: str | None = None
    similarity_score: float | None = None
    similarity_measure: str | None = None
    mapping_tool_version: str | None = None


def justification(evidence: str, by_rule: bool, method: str | None = None) -> str:
    """The SEMAPV justification (a full IRI) of a link of this evidence kind (a suggestion:
    of the method that made it)."""
    if evidence == "inferred":
        return SEMAPV + (INFERRED_BY_RULE if by_rule else INFERRED_BY_CURATOR)
    if evidence == "suggested" and method in SUGGESTED_BY:
        return SEMAPV + SUGGESTED_BY[method]
    return SEMAPV + JUSTIFICATIONS.get(evidence, UNSPECIFIED)


class UnknownSetError(catalogue.CatalogueError):
    """No mapping set of that name."""

    http_status = 404


def get(name: str) -> MappingSet:
    """The mapping set of this name; :class:`UnknownSetError` for another."""
    found = SETS.get(name)
    if found is None:
        raise UnknownSetError(f"no mapping set {name!r}: the sets are {', '.join(SETS)}")
    return found


def mappings(source: catalogue.Source, name: str, evidence: Sequence[str] = ()) -> list[Mapping]:
    """The mappings of set ``name`` (only those of the ``evidence`` kinds, if any given)."""
    chosen = get(name)
    if name == SUGGESTED:  # a query of its own: no other set has suggestions
        rows = catalogue.run(source, "mappings-suggested", {}).rows
        wanted = set(evidence) or {SUGGESTED}
        return [_mapping(chosen, row) for row in rows if row["evidence"] in wanted]
    answer = catalogue.run(source, "mappings", {"set": [name], "evidence": list(evidence)})
    return [_mapping(chosen, row) for row in answer.rows]


def counts(source: catalogue.Source) -> dict[str, Counter[str]]:
    """Per set, its number of mappings per evidence kind (every set named, if empty)."""
    found: dict[str, Counter[str]] = {name: Counter() for name in SETS}
    for query in ("mappings", "mappings-suggested"):
        for row in catalogue.run(source, query, {}).rows:
            found[str(row["set"])][str(row["evidence"])] += 1
    return found


def metadata(
    ids: Ids, chosen: MappingSet, release: str | None, evidence: Sequence[str] = ()
) -> dict[str, str]:
    """The mapping set's metadata block (without its curie_map): id, title, description,
    licence, version (the store's release) and publication date (the release's day). The
    date a mapping was asserted (``mapping_date``: the day its source was read) and the tool
    that made it are the rows' own: SSSOM propagates a set's value of such a slot only when no
    row has one. With ``evidence``, the subset of those kinds: its own id, and says so."""
    only = f" Only the mappings of evidence {', '.join(sorted(set(evidence)))}." if evidence else ""
    meta = {
        "mapping_set_id": ids.mapping_set(chosen.name, evidence).value,
        "mapping_set_title": chosen.title,
        "mapping_set_description": chosen.description + only,
        "license": LICENSE,
    }
    if release is not None:
        meta["mapping_set_version"] = release
        day = release_date(release)
        if day is not None:
            meta["publication_date"] = day
    return meta


def _text(row: Row, key: str) -> str | None:
    """A value as one line of text (a TSV cell holds no tab or line break), or None."""
    value = row.get(key)
    if value is None or value == "":
        return None
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _addresses(row: Row, key: str) -> list[str]:
    """The addresses of a space-separated list, sorted (``|`` separates them in a cell)."""
    return sorted(a.replace("|", "%7C") for a in str(row.get(key, "")).split())


def _mapping(chosen: MappingSet, row: Row) -> Mapping:
    evidence = str(row["evidence"])
    rule = _text(row, "rule")
    sources = _addresses(row, "sources")
    see_also = [
        _text(row, "source_row"),
        *sources[1:],
        *_addresses(row, "mirrors"),
    ]
    clause = _text(row, "clause")
    if clause is not None and "start" in row and "end" in row:
        span = Ids.text_span(ox.NamedNode(clause), int(row["start"]), int(row["end"]))
        see_also.insert(0, span.value)
    elif clause is not None:
        see_also.insert(0, clause)
    comment = "; ".join(t for t in (_text(row, "document_symbol"), _text(row, "locator")) if t)
    confidence = row.get("confidence")
    score = row.get("score")
    similarity = row.get("similarity")
    method = _text(row, "method")
    tool: str | None
    if evidence == "suggested":
        tool, match = SUGGESTER, _text(row, "words")
    else:
        tool = EXTRACTOR if evidence == "extracted" else RULES if rule else None
        match = _text(row, "quotation") if evidence == "extracted" else None
    return Mapping(
        link=str(row["link"]),
        subject_id=str(row["subject"]),
        subject_label=_text(row, "subject_label"),
        predicate_id=chosen.predicate or str(row["relation"]),
        predicate_label=chosen.predicate_label
        if chosen.predicate
        else _text(row, "relation_label"),
        object_id=str(row["object"]),
        object_label=_text(row, "object_label"),
        mapping_justification=justification(evidence, rule is not None, method),
        evidence=evidence,
        confidence=float(confidence) if isinstance(confidence, int | float) else None,
        mapping_provider=sources[0] if sources else None,
        see_also=tuple(s for s in see_also if s),
        mapping_date=_text(row, "date_read"),
        mapping_tool=tool,
        match_string=match,
        curation_rule=(rule,) if rule else (),
        curation_rule_text=(_text(row, "rule_label") or "",)
        if rule and "rule_label" in row
        else (),
        comment=comment or None,
        similarity_score=_similarity(similarity, score),
        similarity_measure=(COSINE if isinstance(similarity, int | float) else f"{method} score")
        if method
        else None,
        mapping_tool_version=_text(row, "method_version"),
    )


def _similarity(similarity: object, score: object) -> float | None:
    """A suggestion's SSSOM similarity_score: its cosine if it has one, else its score."""
    for value in (similarity, score):
        if isinstance(value, int | float):
            return float(value)
    return None
