"""The review table: for each Action Line C1-C11, the stated ITU-T work with its sources, and
how much more is extracted or only inferred (``docs/answers.md``, ``wsiskg answers``).

It is made from the graph by the named queries the API answers with (``supporting-work`` with
``sector=ITU-T``, ``gaps-action-lines``), so that an analyst can review the whole headline
answer on one page, and a test checks that the file in the repository is the one the built-in
data gives.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph import catalogue
from graph.store import KnowledgeGraph
from graph.values import Row
from loaders.codes import ACTION_LINES

SECTOR = "ITU-T"
TOP_LINES = list(ACTION_LINES)


def render(kg: KnowledgeGraph) -> str:
    lines = {str(r["action_line"]): r for r in catalogue.run(kg, "action-lines", {}).rows}
    gaps = catalogue.run(kg, "gaps-action-lines", {"weakest": "stated", "sector": SECTOR}).rows
    out = [
        "# The headline answer, for review: which ITU-T work supports each Action Line",
        "",
        "Generated from the built-in data by `wsiskg answers -o docs/answers.md`; do not edit",
        "(a test checks that this file is what the graph gives). For each Action Line: the",
        "ITU-T work (`sector=ITU-T`) that a source states supports it, each work once with the",
        "sources that state it (what the source names, the document, where in it, the official",
        "address and any copy it was read in); then how many more works are only extracted from",
        "a text or inferred by a rule; then the work of other Sectors and organs that sources",
        "state, for contrast. Statements about all Action Lines are listed once, at the end: they",
        "are never counted as specific support. Only what is in force on the day the table is",
        "made (the named query's default, `as_of` today): a resolution version until the next",
        "adopted one, a study group in its study period; `as_of=any` lists every link, whatever",
        "its dates.",
        "",
        "Lines no specific stated ITU-T source supports "
        f"(`gaps-action-lines?weakest=stated&sector={SECTOR}`): "
        + (", ".join(str(g["action_line"]) for g in gaps) or "none")
        + ".",
        "",
    ]
    general = catalogue.run(kg, "statements-all-action-lines", {}).rows
    for code in TOP_LINES:
        specific = catalogue.join_by_link(
            catalogue.run(kg, "supporting-work", {"action_line": code}).rows,
            catalogue.run(kg, "supporting-work-citations", {"action_line": code}).rows,
        )
        title = lines[code].get("title", "")
        out += [f"## {code} {title}", ""]
        out += _stated(r for r in specific if r["sector"] == SECTOR and r["evidence"] == "stated")
        out += [_others(specific), ""]
    out += ["## Statements about all Action Lines", ""]
    for row in sorted(general, key=lambda r: (str(r["sector"]), str(r["work_label"]))):
        out.append(f"- **{row['work_label']}** ({row['sector']}, {row['evidence']}): {_cite(row)}")
    out.append("")
    return "\n".join(out)


def _stated(rows: Iterable[Row]) -> list[str]:
    works: dict[str, list[Row]] = {}
    labels: dict[str, str] = {}
    for row in rows:
        works.setdefault(str(row["work"]), []).append(row)
        labels[str(row["work"])] = str(row.get("work_label", row["work"]))
    if not works:
        return ["No stated ITU-T work.", ""]
    out = [f"Stated ITU-T work: {len(works)}.", ""]
    for work in sorted(works, key=lambda w: labels[w].lower()):
        out.append(f"- **{labels[work]}**")
        for row in sorted(works[work], key=lambda r: str(r["link"])):
            via = row.get("via_label")
            named = f" via {via}" if via and str(row.get("via")) != work else ""
            out.append(f"  - {row['evidence']}{named}: {_cite(row)}{_in_force(row)}")
    out.append("")
    return out


def _in_force(row: Row) -> str:
    """When what the source names is in force, where the data knows, and what it does not."""
    since, until, note = (
        row.get("in_force_from"),
        row.get("in_force_until"),
        row.get("in_force_note"),
    )
    parts = [f"in force since {since}" if since else "", f"until {until}" if until else ""]
    said = " ".join(p for p in parts if p)
    if note:
        said = f"{said}; {note}" if said else str(note)
    return f" [{said}]" if said else ""


def _cite(row: Row) -> str:
    parts = []
    if row.get("document_symbol"):
        parts.append(str(row["document_symbol"]))
    if row.get("locator"):
        parts.append(str(row["locator"]))
    if row.get("clause_label"):
        where = f"clause {row['clause_label']}"
        if row.get("document_label"):
            where += f" of {row['document_label']}"
        parts.append(where)
    if row.get("quotation"):
        parts.append(f"“{row['quotation']}”")
    if row.get("addresses"):
        parts.append(" ".join(f"<{a}>" for a in str(row["addresses"]).split()))
    if row.get("mirrors"):
        parts.append("read in a copy: " + " ".join(f"<{a}>" for a in str(row["mirrors"]).split()))
    if row.get("rule_label"):
        parts.append(f"rule: {row['rule_label']}")
    return "; ".join(parts) or "(no citation)"


def _others(rows: list[Row]) -> str:
    rank = {"stated": 0, "extracted": 1, "inferred": 2}
    strongest: dict[str, int] = {}
    other: dict[str, set[str]] = {}
    for r in rows:
        if r["sector"] == SECTOR:
            work = str(r["work"])
            strongest[work] = min(strongest.get(work, 9), rank.get(str(r["evidence"]), 9))
        elif r["evidence"] == "stated":
            other.setdefault(str(r["sector"]), set()).add(str(r.get("work_label")))
    extracted = sum(1 for v in strongest.values() if v == 1)
    inferred = sum(1 for v in strongest.values() if v == 2)
    text = (
        f"Beside these, ITU-T works whose strongest link is extracted from a text: {extracted}; "
        f"only inferred by a rule: {inferred}."
    )
    if other:
        text += " Stated work of other Sectors and organs: " + "; ".join(
            f"{sector}: {', '.join(sorted(labels))}" for sector, labels in sorted(other.items())
        )
        text += "."
    return text
