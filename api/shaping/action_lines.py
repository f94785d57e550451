"""Action Lines and the ITU work that supports them, shaped once for REST and the dashboard."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from api.models import (
    ActionLine,
    CitedWorkItem,
    CitedWorkSource,
    SupportingWork,
    WorkItem,
    WorkSource,
)
from api.shaping.values import not_yet_note, rank, ref, split, text
from graph.clock import today
from graph.values import Row, Value


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
        "in_force_from": text(row.get("in_force_from")),
        "in_force_until": text(row.get("in_force_until")),
        "in_force_note": text(row.get("in_force_note")),
        **_suggestion(row),
    }


def _suggestion(row: Row) -> dict[str, Any]:
    """A suggested link's score, method, its version and words (none for another link)."""
    if "score" not in row:
        return {}
    return {
        "score": float(row["score"]),
        "similarity": float(row["similarity"]) if "similarity" in row else None,
        "method": text(row.get("method")),
        "method_version": text(row.get("method_version")),
        "words": text(row.get("words")),
    }


def _group_works(rows: Iterable[Row], cited: bool) -> list[dict[str, Any]]:
    """Each work once with its sources, and once more, apart, with its suggestions: a
    suggestion (a ranked guess) is never a source of an item that sources state or rules
    derive, so those items are the same whether suggestions are asked for or not."""
    items: dict[tuple[Value, bool], dict[str, Any]] = {}
    for row in rows:
        if "work" not in row:
            continue
        item = items.setdefault(
            (row["work"], row["evidence"] == "suggested"),
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
    (a resolution, a Recommendation, a study group of its study period, an organ),
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
    as_of: str | None = None,
    lines_from: str | None = None,
) -> SupportingWork:
    """``GET /action-lines/{id}/supporting-work``: ``rows`` are those of ``supporting-work``
    joined by link with ``supporting-work-citations``, ``general`` those of
    ``statements-all-action-lines``; the page is ``offset`` and ``limit`` of the works."""
    items = work_items(rows)
    kinds = sorted({str(r["evidence"]) for r in rows}, key=rank)
    answer = SupportingWork(
        action_line=action_line,
        as_of=as_of or today(),
        evidence=kinds,  # type: ignore[arg-type]  # checked by the model
        sector=list(sectors) or None,
        total=len(items),
        offset=offset,
        limit=limit,
        items=items[offset : offset + limit],
        all_action_lines=work_items(general),
    )
    if note := before_lines_note(answer.as_of, lines_from):  # set only then
        answer.note = note
    return answer


def supporting_work_table(
    columns: Sequence[str], cited_columns: Sequence[str], joined: Iterable[Row], day: str
) -> tuple[list[str], list[Row]]:
    """The CSV of supporting-work, for REST and the dashboard alike: the query's columns, then
    the citation's (symbol, locator, addresses, copies, confidence), then the day asked."""
    header = [c for c in columns if c != "as_of"]
    header += [c for c in cited_columns if c not in header] + ["as_of"]
    return header, [{**r, "as_of": day} for r in joined]


def before_lines_note(day: str, lines_from: str | None) -> str | None:
    """Why a day before the Action Lines existed has no work for one (None on other days)."""
    return not_yet_note(
        day,
        lines_from,
        "the WSIS Action Lines",
        "the Geneva Plan of Action sets them out",
        "No work supports an Action Line before that day.",
    )
