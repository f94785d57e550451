"""Rows of the named queries (graph/queries/*.rq) shaped into the answers of api/models.py.

Written once, for the REST routes and the dashboard pages alike: each function is pure (rows
in, a model out; no store, no request), so that a route is one catalogue call and one shaper,
and a page renders the same items that the route answers. Grouping and ordering are those of
the routes: each work once with its strongest evidence first, versions and sections in the
order of the rows, the goals of the matrix in number order.

The graph gives plain values (``graph.catalogue.Value``: text, numbers, booleans); a field
takes the value as its type says (a text given as a number becomes its text), and an
unbound value is None, or left out where the answer leaves it out (see api/models.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from api.models import (
    ActionLine,
    ChangedClause,
    CitedWorkItem,
    CitedWorkSource,
    Clause,
    DocumentChanges,
    Evidence,
    Indicator,
    LoadWarning,
    Matrix,
    MatrixRow,
    Ref,
    Resolution,
    ResolutionClauses,
    ResolutionVersion,
    SdgActionLine,
    SdgActionLines,
    SdgDetail,
    SdgLinkSource,
    SdgSummary,
    SearchAnswer,
    SearchHit,
    Section,
    StudyGroup,
    SupportingWork,
    Target,
    UploadReport,
    VersionText,
    WorkItem,
    WorkSource,
)
from graph.catalogue import Row, Value
from graph.files import FileLoad
from graph.search import Hit, SearchResult
from graph.search import Ref as SearchRef
from loaders.documents import document_key
from ontology.ids import Ids

EVIDENCE_ORDER: tuple[Evidence, ...] = ("stated", "extracted", "inferred")


# ---------------------------------------------------------------- values


def split(value: Value | None, separator: str = "; ") -> list[str]:
    """A GROUP_CONCAT of the query as a list (empty for no value)."""
    return [v for v in str(value).split(separator) if v] if value not in (None, "") else []


def text(value: Value | None) -> str | None:
    """A value as text; None stays None."""
    return None if value is None else str(value)


def integer(value: Value | None) -> int | None:
    """A value as a whole number; None (or a text that is not one) is None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(value)
    except ValueError:
        return None


def ref(row: Row, iri: str, label: str) -> Ref | None:
    """The resource in column ``iri`` with its label (its IRI when it has none)."""
    if iri not in row:
        return None
    return Ref(iri=str(row[iri]), label=str(row.get(label, row[iri])))


def rank(evidence: Value | None) -> int:
    """Stated first, then extracted, then inferred; anything else last."""
    return EVIDENCE_ORDER.index(evidence) if evidence in EVIDENCE_ORDER else 99


# ---------------------------------------------------------------- Action Lines


def action_line(row: Row) -> ActionLine:
    """A row of ``action-lines``."""
    return ActionLine(
        id=str(row["action_line"]),
        iri=str(row["iri"]),
        title=text(row.get("title")),
        label=text(row.get("label")),
        parent=text(row.get("parent")),
        sub_lines=split(row.get("sub_lines")),
        geneva_plan_paragraph=text(row.get("geneva_plan_paragraph")),
        itu_role=text(row.get("itu_role")),
        lead_facilitators=split(row.get("lead_facilitators")),
        co_facilitators=split(row.get("co_facilitators")),
    )


def action_lines(rows: Iterable[Row]) -> list[ActionLine]:
    """The rows of ``action-lines``: ``GET /action-lines``."""
    return [action_line(r) for r in rows]


def sub_lines(rows: Iterable[Row]) -> dict[str, list[str]]:
    """Action Line -> its sub-lines (C7 -> C7.e-government ...), from ``action-lines`` rows."""
    return {str(r["action_line"]): split(r.get("sub_lines")) for r in rows if r.get("sub_lines")}


def _source(row: Row) -> dict[str, Any]:
    return {
        "link": str(row["link"]),
        "evidence": row["evidence"],
        "confidence": text(row.get("confidence")),
        "via": ref(row, "via", "via_label"),
        "relation": text(row.get("relation")),
        "source_relation": text(row.get("source_relation")),
        "document_symbol": text(row.get("document_symbol")),
        "locator": text(row.get("locator")),
        "quotation": text(row.get("quotation")),
        "addresses": split(row.get("addresses"), " "),
        "mirrors": split(row.get("mirrors"), " "),
        "row": ref(row, "source_row", "source_row_label"),
        "clause": ref(row, "clause", "clause_label"),
        "document": ref(row, "document", "document_label"),
        "rule": ref(row, "rule", "rule_label"),
    }


def _group_works(rows: Iterable[Row], cited: bool) -> list[dict[str, Any]]:
    items: dict[Value, dict[str, Any]] = {}
    for row in rows:
        if "work" not in row:
            continue
        item = items.setdefault(
            row["work"],
            {
                "iri": str(row["work"]),
                "label": str(row.get("work_label", row["work"])),
                "type": text(row.get("work_type") or None),
                "sector": text(row.get("sector")),
                "scope": row.get("scope", "specific"),
                "evidence": row["evidence"],
                "sources": [],
            },
        )
        if rank(row["evidence"]) < rank(item["evidence"]):
            item["evidence"] = row["evidence"]
        source = _source(row)
        if cited:
            source["citation"] = text(row.get("citation"))
        item["sources"].append(source)
    ordered = sorted(
        items.values(), key=lambda i: (rank(i["evidence"]), str(i["label"]).lower(), i["iri"])
    )
    for item in ordered:
        item["sources"].sort(key=lambda s: (rank(s["evidence"]), str(s["link"])))
    return ordered


def work_items(rows: Iterable[Row]) -> list[WorkItem]:
    """The rows of ``supporting-work`` (or ``statements-all-action-lines``) grouped per work
    (a resolution, a Recommendation, a study group under its latest successor, an organ),
    each work once, strongest evidence first (stated, extracted, inferred), then by label;
    its sources are the links that make it, strongest evidence first, then by link."""
    return [
        WorkItem(**{**item, "sources": [WorkSource(**s) for s in item["sources"]]})
        for item in _group_works(rows, cited=False)
    ]


def cited_work_items(rows: Iterable[Row]) -> list[CitedWorkItem]:
    """As :func:`work_items`, each source with its ``citation``: the rows of
    ``supporting-work`` joined by link with ``supporting-work-citations``
    (``graph.catalogue.join_by_link``), as the dashboard's Action Line page shows them."""
    return [
        CitedWorkItem(**{**item, "sources": [CitedWorkSource(**s) for s in item["sources"]]})
        for item in _group_works(rows, cited=True)
    ]


def supporting_work(
    action_line: str,
    rows: Sequence[Row],
    general: Iterable[Row],
    *,
    sectors: Sequence[str],
    offset: int,
    limit: int,
) -> SupportingWork:
    """``GET /action-lines/{id}/supporting-work``: ``rows`` are those of ``supporting-work``
    joined by link with ``supporting-work-citations``, ``general`` those of
    ``statements-all-action-lines``; the page is ``offset`` and ``limit`` of the works."""
    items = work_items(rows)
    kinds = sorted({str(r["evidence"]) for r in rows}, key=rank)
    return SupportingWork(
        action_line=action_line,
        evidence=kinds,  # type: ignore[arg-type]  # checked by the model
        sector=list(sectors) or None,
        total=len(items),
        offset=offset,
        limit=limit,
        items=items[offset : offset + limit],
        all_action_lines=work_items(general),
    )


# ---------------------------------------------------------------- SDGs


def sdg_summaries(rows: Iterable[Row]) -> list[SdgSummary]:
    """The rows of ``sdgs`` as they are (a column without a value left out): ``GET /sdgs``."""
    return [SdgSummary.model_validate(row) for row in rows]


def sdg_detail(rows: Sequence[Row]) -> SdgDetail:
    """The rows of ``sdg`` (one goal, one row per target and indicator): ``GET /sdgs/{goal}``."""
    first = rows[0]
    targets: dict[Value, Target] = {}
    for row in rows:
        if "target" not in row:
            continue
        target = targets.get(row["target"])
        if target is None:
            target = targets[row["target"]] = Target(
                id=str(row["target"]),
                iri=str(row["target_iri"]),
                title=text(row.get("target_title")),
                indicators=[],
            )
        if "indicator" in row:
            target.indicators.append(
                Indicator(
                    id=str(row["indicator"]),
                    iri=str(row["indicator_iri"]),
                    title=text(row.get("indicator_title")),
                )
            )
    return SdgDetail(
        goal=str(first["goal"]),
        iri=str(first["iri"]),
        title=text(first.get("title")),
        short_title=text(first.get("short_title")),
        targets=list(targets.values()),
    )


def sdg_action_lines(goal: str, rows: Iterable[Row]) -> SdgActionLines:
    """The rows of ``sdg-action-lines`` per Action Line: ``GET /sdgs/{goal}/action-lines``."""
    lines: dict[Value, SdgActionLine] = {}
    for row in rows:
        line = lines.get(row["action_line"])
        if line is None:
            line = lines[row["action_line"]] = SdgActionLine(
                action_line=str(row["action_line"]),
                title=text(row.get("action_line_title")),
                sdgs=[],
                sources=[],
            )
        sdg = str(row["sdg"])
        if sdg not in line.sdgs:
            line.sdgs.append(sdg)
        line.sources.append(
            SdgLinkSource(
                sdg=sdg,
                link=str(row["link"]),
                evidence=row["evidence"],  # type: ignore[arg-type]  # checked by the model
                row=ref(row, "source_row", "source_row_label"),
            )
        )
    return SdgActionLines(goal=goal, action_lines=list(lines.values()))


def matrix_rows(rows: Iterable[Row]) -> tuple[list[str], list[MatrixRow]]:
    """The rows of ``matrix`` as the goals (in number order) and one row per Action Line with
    its count for every goal (0 where it has none)."""
    goals: list[str] = []
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        goal, line = str(row["goal"]), str(row["action_line"])
        if goal not in goals:
            goals.append(goal)
        own = counts.setdefault(line, {})
        own[goal] = own.get(goal, 0) + (integer(row.get("links")) or 0)
    goals.sort(key=int)
    return goals, [
        MatrixRow(
            action_line=line,
            counts={g: own.get(g, 0) for g in goals},
            total=sum(own.values()),
        )
        for line, own in counts.items()
    ]


def matrix(
    rows: Iterable[Row],
    *,
    evidence: Sequence[str],
    sources: Sequence[str],
    sub_lines: Mapping[str, list[str]],
) -> Matrix:
    """``GET /matrix``: ``evidence`` and ``sources`` are those counted (every kind when none
    was asked for); ``sub_lines`` those of :func:`sub_lines` (C7 counts its sub-lines'
    targets, each once: the row says which)."""
    goals, lines = matrix_rows(rows)
    for line in lines:
        if subs := sub_lines.get(line.action_line):
            line.rolled_up_from = list(subs)
    return Matrix(evidence=list(evidence), source=list(sources), goals=goals, rows=lines)


# ---------------------------------------------------------------- ITU-T and resolutions


def study_group(row: Row) -> StudyGroup:
    """A row of ``study-groups``."""
    return StudyGroup(
        period=str(row["period"]),
        group=str(row["group"]),
        iri=str(row["iri"]),
        title=text(row.get("title")),
        label=text(row.get("label")),
        notes=text(row.get("notes")),
        predecessors=split(row.get("predecessors"), " "),
        successors=split(row.get("successors"), " "),
    )


def study_groups(rows: Iterable[Row]) -> list[StudyGroup]:
    """The rows of ``study-groups``: ``GET /study-groups``."""
    return [study_group(r) for r in rows]


def resolutions(rows: Iterable[Row]) -> list[Resolution]:
    """The rows of ``resolutions`` (one per version) per resolution, in the order of the
    rows: ``GET /resolutions``; the first of one resolution's: ``GET /resolutions/{b}/{n}``."""
    out: dict[Value, Resolution] = {}
    for row in rows:
        resolution = out.get(row["iri"])
        if resolution is None:
            resolution = out[row["iri"]] = Resolution(
                body=str(row["body"]),
                number=str(row["number"]),
                iri=str(row["iri"]),
                label=text(row.get("label")),
                title=text(row.get("title")),
                versions=[],
            )
        if "version" in row:
            resolution.versions.append(
                ResolutionVersion(
                    iri=str(row["version"]),
                    label=text(row.get("version_label")),
                    status=text(row.get("status")),
                    revision=text(row.get("revision")),
                    year=integer(row.get("year")),
                    draft=row.get("draft", False) is True,
                    sections=integer(row.get("sections")) or 0,
                )
            )
    return list(out.values())


def version_texts(rows: Iterable[Row]) -> list[VersionText]:
    """The rows of ``resolution-clauses`` as versions, their sections and their clauses."""
    versions: dict[Value, VersionText] = {}
    sections: dict[Value, Section] = {}
    for row in rows:
        version = versions.get(row["version"])
        if version is None:
            version = versions[row["version"]] = VersionText(
                iri=str(row["version"]), label=text(row.get("version_label")), sections=[]
            )
        section = sections.get(row["section"])
        if section is None:
            section = sections[row["section"]] = Section(
                iri=str(row["section"]),
                heading=text(row.get("section_heading")),
                kind=text(row.get("section_kind")),
                order=integer(row.get("section_order")),
                clauses=[],
            )
            version.sections.append(section)
        if "clause" in row:
            section.clauses.append(
                Clause(
                    iri=str(row["clause"]),
                    parent=text(row.get("parent")),
                    label=text(row.get("label")),
                    clause_label=text(row.get("clause_label")),
                    status=text(row.get("status")),
                    text=text(row.get("text")),
                    line=integer(row.get("line")),
                )
            )
    return list(versions.values())


def resolution_clauses(body: str, number: str, rows: Sequence[Row]) -> ResolutionClauses:
    """``GET /resolutions/{body}/{number}/clauses``: ``body`` as the graph spells it when it
    has rows (the route's ``rows[0]["body"]``), ``number`` with its slash (70/125)."""
    return ResolutionClauses(
        body=str(rows[0]["body"]) if rows else body, number=number, versions=version_texts(rows)
    )


CHANGE_FIELDS = (
    "section",
    "label",
    "clause_label",
    "previous_label",
    "previous_section",
    "label_as_written",
    "reading",
    "status",
    "text",
    "text_before",
    "text_after",
    "status_cues",
)


def document_changes(rows: Sequence[Row]) -> DocumentChanges:
    """The rows of ``document-changes`` (one per clause): ``GET /documents/{id}/changes``."""
    first = rows[0]
    counts: dict[str, int] = {}
    clauses = []
    for row in rows:
        status = str(row.get("status", "undetermined"))
        counts[status] = counts.get(status, 0) + 1
        clauses.append(
            ChangedClause(
                iri=str(row["clause"]),
                **{f: text(row.get(f)) for f in CHANGE_FIELDS},
                line=integer(row.get("line")),
            )
        )
    return DocumentChanges(
        document=str(first["document"]),
        file=text(first.get("file")),
        draft=text(first.get("draft")),
        counts=dict(sorted(counts.items())),
        clauses=clauses,
    )


# ---------------------------------------------------------------- search and uploads


def _search_ref(found: SearchRef | None) -> Ref | None:
    return None if found is None else Ref(iri=found.iri, label=found.label)


def search_hit(hit: Hit) -> SearchHit:
    """A hit of the search index."""
    return SearchHit(
        kind=hit.kind,  # type: ignore[arg-type]  # one of graph.search.KINDS
        iri=hit.iri,
        label=hit.label,
        resolution=_search_ref(hit.resolution),
        version=_search_ref(hit.version),
        document=_search_ref(hit.document),
        section=hit.section,
        clause=hit.clause,
        snippet=hit.snippet.text,
        snippet_html=hit.snippet.html,
        highlights=[list(span) for span in hit.snippet.highlights],
        score=hit.score,
        graph=hit.graph,
    )


def search_answer(query: str, result: SearchResult, *, offset: int, limit: int) -> SearchAnswer:
    """``GET /search``: a page of the index's answer to ``query``."""
    return SearchAnswer(
        query=query,
        terms=list(result.query.terms),
        release=result.release,
        total=result.total,
        offset=offset,
        limit=limit,
        hits=[search_hit(h) for h in result.hits],
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
