"""Search hits and upload reports shaped as their answers."""

from __future__ import annotations

from typing import Any

from api.models import (
    LoadWarning,
    Ref,
    SearchAnswer,
    SearchHit,
    UploadReport,
)
from graph.files import FileLoad
from graph.search import Hit, SearchResult
from graph.search import Ref as SearchRef
from loaders.documents import document_key
from ontology.ids import Ids


def _search_ref(found: SearchRef | None) -> Ref | None:
    return None if found is None else Ref(iri=found.iri, label=found.label)


def search_hit(hit: Hit, labels: dict[str, str] | None = None) -> SearchHit:
    """A hit of the search index; ``labels`` names the versions a hit may be dated by."""
    dated = None if hit.dated is None else Ref(iri=hit.dated, label=(labels or {}).get(hit.dated))
    return SearchHit(
        kind=hit.kind,  # type: ignore[arg-type]  # one of graph.search.KINDS
        iri=hit.iri,
        label=hit.label,
        resolution=_search_ref(hit.resolution),
        version=_search_ref(hit.version),
        in_force_with=dated,
        document=_search_ref(hit.document),
        section=hit.section,
        clause=hit.clause,
        snippet=hit.snippet.text,
        snippet_html=hit.snippet.html,
        highlights=[list(span) for span in hit.snippet.highlights],
        score=hit.score,
        graph=hit.graph,
    )


def search_answer(
    query: str,
    result: SearchResult,
    *,
    offset: int,
    limit: int,
    as_of: str,
    labels: dict[str, str] | None = None,
) -> SearchAnswer:
    """``GET /search``: a page of the index's answer to ``query``, as of a day (or any)."""
    return SearchAnswer(
        query=query,
        terms=list(result.query.terms),
        release=result.release,
        as_of=as_of,
        left_out=result.left_out,
        total=result.total,
        offset=offset,
        limit=limit,
        hits=[search_hit(h, labels) for h in result.hits],
    )


def upload_report(name: str, loaded: FileLoad, ids: Ids) -> UploadReport:
    """``POST /documents``: the report of loading the file ``name`` (a dry run: ``dry_run``
    and ``parse``; a load: its graph, triples and release; a volume: every graph and
    document). ``ids``: the store's (``KnowledgeGraph.ids``)."""
    report = loaded.report
    body: dict[str, Any] = {
        "file": name,
        "document": ids.document(document_key(name)).value,
        "counts": report.counts,
        "warnings": [LoadWarning(place=w.place, message=w.message) for w in report.warnings],
    }
    if loaded.record is None:
        body["dry_run"] = True
        body["parse"] = loaded.parse
    else:
        record = loaded.record
        body |= {
            "graph": record.graph,
            "triples": record.triples,
            "release": record.release,
            "unchanged": record.release is None,
        }
        if len(loaded.records) > 1:  # a volume: one document and graph per resolution
            body["triples"] = sum(r.triples for r in loaded.records)
            body["graphs"] = [r.graph for r in loaded.records]
    if loaded.parse is not None and "volume" in loaded.parse:
        body["documents"] = [
            ids.document(d["part"]["document"]).value for d in loaded.parse["documents"]
        ]
    return UploadReport(**body)
