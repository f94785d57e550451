"""Which paragraph of a WSIS outcome document sets out which Action Line
(``wsis_paragraphs.csv``, curated in this project).

Each row names the document (``geneva-plan``, ``tunis-agenda`` ...), the paragraph, its
heading, the Action Line or C7 sub-line it sets out (``relation`` ``sets_out``; a row about the
facilitation of all lines, such as Tunis Agenda paragraphs 108 and 109, has ``facilitation``
and no line), and where the fact was read: the official document (its symbol and address),
an official page that states it (``official_url``), a third-party copy (``mirror_url``, never
the only source of a stated row), the date read, and ``source_kind`` (``official``,
``third-party copy`` or ``general-knowledge``). What only general knowledge backs is marked
so (``wsis:generalKnowledge``, ``wsis:unsourced``) and is never stated.

The same table gives :func:`paragraph_facts`, which ``loaders.references`` and
``loaders.documents`` read to turn "§ 12 of the Geneva Plan of Action" into Action Line C5.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from loaders.codes import ACTION_LINE_CODE
from loaders.curated import Table, confidence_of, source_iris, split_sources
from loaders.curated import start as start_table
from loaders.outcome import OUTCOME_DOCUMENTS, describe_paragraph, has_paragraph
from loaders.rdf import LoadResult, lit
from loaders.tables import Row, read_table, table_path
from ontology import DCTERMS, PROV, WSIS
from ontology.ids import Ids

TABLE = "wsis-paragraphs"
RELATIONS = ("sets_out", "facilitation")
SOURCE_KINDS = ("official", "third-party copy", "general-knowledge")
REQUIRED = (
    "document",
    "paragraph",
    "heading",
    "action_line",
    "relation",
    "document_symbol",
    "locator",
    "official_url",
    "document_url",
    "mirror_url",
    "source_kind",
    "evidence",
    "confidence",
    "date_read",
)


@dataclass(frozen=True)
class ParagraphFact:
    """What the table says of one paragraph."""

    document: str
    number: int
    heading: str
    action_line: str | None
    general_knowledge: bool
    row: int


@cache
def paragraph_facts(path: Path | None = None) -> dict[tuple[str, int], ParagraphFact]:
    """The table's paragraphs by (document, number), read once."""
    facts: dict[tuple[str, int], ParagraphFact] = {}
    for row in read_table(path or table_path(TABLE), REQUIRED):
        document, number = _where(row)
        facts[(document, number)] = ParagraphFact(
            document,
            number,
            row.require("heading"),
            row["action_line"] or None,
            row.require("source_kind") == "general-knowledge",
            row.number,
        )
    return facts


def action_line_of(document: str, number: int) -> str | None:
    """The Action Line the table says paragraph ``number`` of ``document`` sets out."""
    fact = paragraph_facts().get((document, number))
    return fact.action_line if fact else None


def _where(row: Row) -> tuple[str, int]:
    document = row.require("document")
    if document not in OUTCOME_DOCUMENTS:
        raise row.error(f"unknown document {document!r}; known: {', '.join(OUTCOME_DOCUMENTS)}")
    number = int(row.require("paragraph", r"[1-9]\d{0,2}"))
    if not has_paragraph(document, number):
        raise row.error(f"the {OUTCOME_DOCUMENTS[document].name} has no paragraph {number}")
    return document, number


def load_wsis_paragraphs(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start_table(TABLE, path, ids)
    seen: set[tuple[str, int]] = set()
    for row in read_table(t.path, REQUIRED):
        document, number = _where(row)
        if (document, number) in seen:
            raise row.error(f"paragraph {number} of {document} is listed twice", "paragraph")
        seen.add((document, number))
        _paragraph(t, row, document, number)
        t.report.count("rows")
    return t.result()


def _paragraph(t: Table, row: Row, document: str, number: int) -> None:
    out = t.out
    row_node = t.row_node(row)
    node = describe_paragraph(out, t.ids, document, number)
    out.add(node, WSIS.underHeading, lit(row.require("heading")))
    out.add(node, PROV.wasDerivedFrom, row_node)
    kind = row.require("source_kind")
    if kind not in SOURCE_KINDS:
        raise row.error(f"source_kind is one of {', '.join(SOURCE_KINDS)}", "source_kind")
    general = kind == "general-knowledge"
    evidence = row.require("evidence", "stated|inferred")
    if general and evidence == "stated":
        raise row.error("what only general knowledge backs is never stated", "evidence")
    official, copies = split_sources(t.ids, row["official_url"])
    if copies:
        raise row.error(
            "a third-party copy is not an official address: use mirror_url", "official_url"
        )
    symbol = row.require("document_symbol")
    if kind == "official" and not official:
        raise row.error("an official source names its official address", "official_url")
    if kind == "third-party copy" and not row["mirror_url"]:
        raise row.error("a third-party copy names its address", "mirror_url")
    relation = row.require("relation")
    if relation not in RELATIONS:
        raise row.error(f"relation is one of {', '.join(RELATIONS)}", "relation")
    date_read = row.require("date_read", r"\d{4}-\d{2}-\d{2}")
    if relation == "facilitation":
        if row["action_line"]:
            raise row.error("a facilitation row names no single Action Line", "action_line")
        for iri in [] if general else official:
            out.add(node, DCTERMS.source, iri)
        if row.get("notes"):
            out.add(node, WSIS.notes, lit(row["notes"]))
        return
    code = row.require("action_line", ACTION_LINE_CODE)
    if general:
        out.add(node, WSIS.unsourced, WSIS.setsOutActionLine)
    out.link(
        node,
        WSIS.setsOutActionLine,
        t.ids.action_line(code),
        evidence=evidence,
        confidence="low" if general else confidence_of(row),
        source=row_node,
        row=row_node,
        citation=None if general else f"{symbol}, {row['locator']}",
        source_relation=relation,
        general_knowledge=general,
        notes=row.get("notes") or None,
        source_iris=[] if general else official,
        locator=row["locator"] or None,
        document_symbol=None if general else symbol,
        mirrors=source_iris(t.ids, row["mirror_url"]),
        date_read=date_read,
    )
    t.report.count("links")
