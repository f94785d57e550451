"""Rows of the named queries shaped into the REST answers: grouped per work, goal, version,
section or document, in a stable order. One place, so that the REST routes (api/routes.py) and
the dashboard (api/dashboard.py) show the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph.values import Row, Value

EVIDENCE_ORDER = ("stated", "extracted", "inferred")


def split_list(value: Value | None, separator: str = "; ") -> list[str]:
    return [v for v in str(value).split(separator) if v] if value not in (None, "") else []


def ref(row: Row, iri: str, label: str) -> dict[str, Value] | None:
    if iri not in row:
        return None
    return {"iri": row[iri], "label": row.get(label, row[iri])}


def action_line(row: Row) -> dict[str, object]:
    return {
        "id": row["action_line"],
        "iri": row["iri"],
        "title": row.get("title"),
        "label": row.get("label"),
        "parent": row.get("parent"),
        "sub_lines": split_list(row.get("sub_lines")),
        "geneva_plan_paragraph": row.get("geneva_plan_paragraph"),
        "itu_role": row.get("itu_role"),
        "lead_facilitators": split_list(row.get("lead_facilitators")),
        "co_facilitators": split_list(row.get("co_facilitators")),
    }


def supporting_work_items(rows: Iterable[Row]) -> list[dict[str, Any]]:
    """The rows of ``supporting-work`` grouped per work (a resolution, a Recommendation, a
    study group under its latest successor, an organ), each work once, strongest evidence
    first (stated, extracted, inferred), then by label. Its sources are the links that make
    it: each names what the source names (``via``: a version, a clause, an edition, the study
    group of a period), its evidence and where it is stated."""
    items: dict[Value, dict[str, Any]] = {}
    for row in rows:
        if "work" not in row:
            continue
        item = items.setdefault(
            row["work"],
            {
                "iri": row["work"],
                "label": row.get("work_label", row["work"]),
                "type": row.get("work_type") or None,
                "sector": row.get("sector"),
                "scope": row.get("scope", "specific"),
                "evidence": row["evidence"],
                "sources": [],
            },
        )
        if evidence_rank(row["evidence"]) < evidence_rank(item["evidence"]):
            item["evidence"] = row["evidence"]
        item["sources"].append(
            {
                "link": row["link"],
                "evidence": row["evidence"],
                "confidence": row.get("confidence"),
                "via": ref(row, "via", "via_label"),
                "relation": row.get("relation"),
                "source_relation": row.get("source_relation"),
                "document_symbol": row.get("document_symbol"),
                "locator": row.get("locator"),
                "quotation": row.get("quotation"),
                "addresses": split_list(row.get("addresses"), " "),
                "mirrors": split_list(row.get("mirrors"), " "),
                "row": ref(row, "source_row", "source_row_label"),
                "clause": ref(row, "clause", "clause_label"),
                "document": ref(row, "document", "document_label"),
                "rule": ref(row, "rule", "rule_label"),
            }
        )
    ordered = sorted(
        items.values(),
        key=lambda i: (evidence_rank(i["evidence"]), str(i["label"]).lower(), i["iri"]),
    )
    for item in ordered:
        item["sources"].sort(key=lambda s: (evidence_rank(s["evidence"]), str(s["link"])))
    return ordered


def evidence_rank(evidence: Value) -> int:
    return EVIDENCE_ORDER.index(str(evidence)) if evidence in EVIDENCE_ORDER else 99


def sdg_detail(rows: list[Row]) -> dict[str, Any]:
    first = rows[0]
    targets: dict[Value, dict[str, Any]] = {}
    for row in rows:
        if "target" not in row:
            continue
        target = targets.setdefault(
            row["target"],
            {
                "id": row["target"],
                "iri": row["target_iri"],
                "title": row.get("target_title"),
                "indicators": [],
            },
        )
        if "indicator" in row:
            target["indicators"].append(
                {
                    "id": row["indicator"],
                    "iri": row["indicator_iri"],
                    "title": row.get("indicator_title"),
                }
            )
    return {
        "goal": first["goal"],
        "iri": first["iri"],
        "title": first.get("title"),
        "short_title": first.get("short_title"),
        "targets": list(targets.values()),
    }


def matrix(rows: Iterable[Row]) -> tuple[list[str], list[dict[str, Any]]]:
    goals: list[str] = []
    lines: dict[str, dict[str, Any]] = {}
    for row in rows:
        goal, line = str(row["goal"]), str(row["action_line"])
        if goal not in goals:
            goals.append(goal)
        entry = lines.setdefault(line, {"action_line": line, "counts": {}, "total": 0})
        count = int(row.get("links", 0))
        entry["counts"][goal] = entry["counts"].get(goal, 0) + count
        entry["total"] += count
    goals.sort(key=int)
    for entry in lines.values():
        entry["counts"] = {g: entry["counts"].get(g, 0) for g in goals}
    return goals, list(lines.values())


def study_group(row: Row) -> dict[str, object]:
    return {
        "period": row["period"],
        "group": row["group"],
        "iri": row["iri"],
        "title": row.get("title"),
        "label": row.get("label"),
        "notes": row.get("notes"),
        "predecessors": split_list(row.get("predecessors"), " "),
        "successors": split_list(row.get("successors"), " "),
    }


def resolutions(rows: Iterable[Row]) -> list[dict[str, Any]]:
    out: dict[Value, dict[str, Any]] = {}
    for row in rows:
        res = out.setdefault(
            row["iri"],
            {
                "body": row["body"],
                "number": row["number"],
                "iri": row["iri"],
                "label": row.get("label"),
                "title": row.get("title"),
                "versions": [],
            },
        )
        if "version" in row:
            res["versions"].append(
                {
                    "iri": row["version"],
                    "label": row.get("version_label"),
                    "status": row.get("status"),
                    "revision": row.get("revision"),
                    "year": row.get("year"),
                    "draft": row.get("draft", False),
                    "sections": row.get("sections", 0),
                }
            )
    return list(out.values())


def resolution_clauses(rows: Iterable[Row]) -> list[dict[str, Any]]:
    versions: dict[Value, dict[str, Any]] = {}
    sections: dict[Value, dict[str, Any]] = {}
    for row in rows:
        version = versions.setdefault(
            row["version"],
            {"iri": row["version"], "label": row.get("version_label"), "sections": []},
        )
        section = sections.get(row["section"])
        if section is None:
            section = sections[row["section"]] = {
                "iri": row["section"],
                "heading": row.get("section_heading"),
                "kind": row.get("section_kind"),
                "order": row.get("section_order"),
                "clauses": [],
            }
            version["sections"].append(section)
        if "clause" in row:
            section["clauses"].append(
                {
                    "iri": row["clause"],
                    "parent": row.get("parent"),
                    "label": row.get("label"),
                    "clause_label": row.get("clause_label"),
                    "status": row.get("status"),
                    "text": row.get("text"),
                    "line": row.get("line"),
                }
            )
    return list(versions.values())


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
    "line",
)


def document_changes(rows: list[Row]) -> dict[str, Any]:
    first = rows[0]
    counts: dict[str, int] = {}
    clauses = []
    for row in rows:
        status = str(row.get("status", "undetermined"))
        counts[status] = counts.get(status, 0) + 1
        clauses.append({"iri": row["clause"], **{f: row.get(f) for f in CHANGE_FIELDS}})
    return {
        "document": first["document"],
        "file": first.get("file"),
        "draft": first.get("draft"),
        "counts": dict(sorted(counts.items())),
        "clauses": clauses,
    }


# ---------------------------------------------------------------- the routes
