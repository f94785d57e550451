"""The four WSIS outcome documents by paragraph: which document a text is, its numbered
paragraphs and lettered items, and their nodes in the graph.

- :data:`OUTCOME_DOCUMENTS`: the Geneva Declaration of Principles, the Geneva Plan of Action,
  the Tunis Commitment and the Tunis Agenda for the Information Society, each with its
  official symbol and its number of paragraphs (the numbers are general knowledge, not read
  in a source: they only decide which paragraph numbers a reference may name).
- :func:`detect_outcome`: which of the four a text is, from its symbol or title lines.
- :func:`parse_outcome`: the numbered paragraphs (``12.`` or ``12`` at the start of a line,
  numbered in sequence), the lettered items ``a)`` inside each, and the headings they stand
  under ("C5. Building confidence ...", "A. Introduction", a short line just before a
  paragraph such as "E-government").
- :func:`outcome_quads`: one node per paragraph and item, with its text, in the document's
  own named graph; the paragraph IRIs are those of the curated table
  (``wsis_paragraphs.csv``) and of the references that resolution texts make, so all three
  meet on the same node.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from loaders.errors import DocumentError
from loaders.rdf import LoadReport, LoadResult, SourceInfo, TripleBuilder, en, lit
from ontology import DCTERMS, PROV, RDFS, WSIS
from ontology.ids import Ids


@dataclass(frozen=True)
class OutcomeInfo:
    """One WSIS outcome document: its key, name, official symbol and paragraph count."""

    key: str
    name: str
    symbol: str
    paragraphs: int  # general knowledge: how many numbered paragraphs the document has
    symbol_pattern: str
    title_pattern: str


OUTCOME_DOCUMENTS: dict[str, OutcomeInfo] = {
    info.key: info
    for info in (
        OutcomeInfo(
            "geneva-declaration",
            "Geneva Declaration of Principles",
            "WSIS-03/GENEVA/DOC/4-E",
            67,
            r"WSIS-03/GENEVA/DOC/0*4\b",
            r"(?:geneva )?declaration of principles",
        ),
        OutcomeInfo(
            "geneva-plan",
            "Geneva Plan of Action",
            "WSIS-03/GENEVA/DOC/5-E",
            29,
            r"WSIS-03/GENEVA/DOC/0*5\b",
            r"(?:geneva )?plan of action",
        ),
        OutcomeInfo(
            "tunis-commitment",
            "Tunis Commitment",
            "WSIS-05/TUNIS/DOC/7-E",
            40,
            r"WSIS-05/TUNIS/DOC/0*7\b",
            r"tunis commitment",
        ),
        OutcomeInfo(
            "tunis-agenda",
            "Tunis Agenda for the Information Society",
            "WSIS-05/TUNIS/DOC/6(Rev.1)-E",
            122,
            r"WSIS-05/TUNIS/DOC/0*6\b",
            r"tunis agenda(?: for the information society)?",
        ),
    )
}
# the reference types of loaders.references, by outcome document
REFERENCE_KINDS: dict[str, str] = {
    "geneva_declaration_paragraph": "geneva-declaration",
    "geneva_plan_paragraph": "geneva-plan",
    "tunis_commitment_paragraph": "tunis-commitment",
    "tunis_agenda_paragraph": "tunis-agenda",
}
_HEAD_LINES = 40  # a document names itself in its first lines


def short_name(key: str) -> str:
    """The name used in labels: "Tunis Agenda" rather than its full title."""
    return "Tunis Agenda" if key == "tunis-agenda" else OUTCOME_DOCUMENTS[key].name


def paragraph_label(key: str, number: int) -> str:
    return f"{short_name(key)} §{number}"


def describe_document(out: TripleBuilder, ids: Ids, key: str) -> ox.NamedNode:
    """The outcome document (the work), described so that it never dangles."""
    info = OUTCOME_DOCUMENTS[key]
    node = ids.outcome_document(key)
    out.typed(node, WSIS.Document, WSIS.OutcomeDocument)
    out.add(node, RDFS.label, en(info.name))
    out.add(node, DCTERMS.identifier, lit(info.symbol))
    return node


def describe_paragraph(out: TripleBuilder, ids: Ids, key: str, number: int) -> ox.NamedNode:
    """A numbered paragraph of an outcome document, with its document."""
    doc = describe_document(out, ids, key)
    node = ids.outcome_paragraph(key, number)
    out.typed(node, WSIS.OutcomeParagraph)
    out.add(node, RDFS.label, en(paragraph_label(key, number)))
    out.add(node, WSIS.paragraphOf, doc)
    out.add(node, WSIS.paragraphNumber, lit(number))
    return node


def has_paragraph(key: str, number: int) -> bool:
    return 1 <= number <= OUTCOME_DOCUMENTS[key].paragraphs


# --------------------------------------------------------------------------- detection


def detect_outcome(text: str) -> str | None:
    """The key of the outcome document ``text`` is, from its symbol (e.g.
    WSIS-03/GENEVA/DOC/5-E) or a line that is its title, among its first lines; else None.

    A resolution that cites the Plan of Action is never taken for it: the title must stand
    alone on its line, and a text with its own resolution heading is not an outcome document.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()][:_HEAD_LINES]
    head = "\n".join(lines)
    if re.search(r"^\s*(?:RESOLUTION|DRAFT RESOLUTION|MOD|ADD|SUP)\b", head, re.MULTILINE):
        return None
    for info in OUTCOME_DOCUMENTS.values():
        if re.search(info.symbol_pattern, head, re.IGNORECASE):
            return info.key
    for line in lines[:15]:
        folded = " ".join(line.lower().split())
        for info in OUTCOME_DOCUMENTS.values():
            if re.fullmatch(rf"(?:wsis )?{info.title_pattern}", folded):
                return info.key
    return None


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class OutcomeItem:
    label: str  # "a"
    text: str
    line: int


@dataclass(frozen=True)
class OutcomeParagraph:
    number: int
    text: str  # the whole paragraph, its items included (one per line)
    heading: str | None
    line: int
    items: tuple[OutcomeItem, ...] = ()


@dataclass(frozen=True)
class OutcomeDocument:
    """A parsed outcome document: its key, the source's name, paragraphs and notes."""

    key: str
    source: str
    sha256: str
    paragraphs: tuple[OutcomeParagraph, ...]
    headings: tuple[tuple[int, str], ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        """The parse as JSON (for reports and --dry-run)."""
        return {
            "document": {
                "kind": "wsis_outcome_document",
                "key": self.key,
                "name": OUTCOME_DOCUMENTS[self.key].name,
                "symbol": OUTCOME_DOCUMENTS[self.key].symbol,
            },
            "source": self.source,
            "paragraphs": [
                {
                    "number": p.number,
                    "heading": p.heading,
                    "line": p.line,
                    "text": p.text,
                    "items": [{"label": i.label, "line": i.line, "text": i.text} for i in p.items],
                }
                for p in self.paragraphs
            ],
            "headings": [{"line": line, "text": text} for line, text in self.headings],
            "warnings": list(self.warnings),
        }


_PARA_START = re.compile(r"(?P<num>\d{1,3})(?P<dot>\.)?(?:\s+(?P<rest>\S.*))?")
_ITEM_START = re.compile(r"\(?(?P<label>[a-z])\)\s+(?P<rest>\S.*)")
_LETTER_HEADING = re.compile(r"(?:[A-F]\d{0,2}|[IVX]{1,4})\.\s+\S.{0,200}")
_NUMBER_HEADING = re.compile(r"\d{1,2}\)\s+[A-Z].{0,200}")


@dataclass
class _Open:
    number: int
    line: int
    heading: str | None
    intro: list[str]
    items: list[tuple[str, int, list[str]]]


def parse_outcome(text: str, source: str, key: str | None = None) -> OutcomeDocument:
    """The paragraphs of an outcome document's text (DocumentError if none is found, or the
    text is none of the four documents and ``key`` does not say which)."""
    key = key or detect_outcome(text)
    if key is None or key not in OUTCOME_DOCUMENTS:
        raise DocumentError(source, "not a WSIS outcome document (no symbol or title found)")
    lines = text.splitlines()
    paragraphs: list[OutcomeParagraph] = []
    headings: list[tuple[int, str]] = []
    warnings: list[str] = []
    current: _Open | None = None
    heading: str | None = None
    last = 0

    def close() -> None:
        nonlocal current
        if current is None:
            return
        items = tuple(OutcomeItem(lab, _join(words), ln) for lab, ln, words in current.items)
        whole = "\n".join(
            [_join(current.intro)] + [f"{item.label}) {item.text}" for item in items]
        ).strip()
        paragraphs.append(
            OutcomeParagraph(current.number, whole, current.heading, current.line, items)
        )
        current = None

    for index, raw in enumerate(lines):
        number = index + 1
        line = " ".join(raw.split())
        if not line:
            continue
        start = _PARA_START.fullmatch(line)
        if start is not None:
            value = int(start["num"])
            dotted = start["dot"] is not None
            # in sequence; a dotted number may skip (a document given in part), never go back
            if value == last + 1 or (dotted and value > last):
                if value != last + 1:
                    warnings.append(f"line {number}: paragraph {value} follows {last}")
                close()
                rest = start["rest"] or ""
                current = _Open(value, number, heading, [rest] if rest else [], [])
                last = value
                continue
        if _is_heading(line, lines, index):
            close()
            heading = line
            headings.append((number, line))
            continue
        if current is None:
            continue  # title, symbol, date lines before the first paragraph
        item = _ITEM_START.fullmatch(line)
        if item is not None:
            current.items.append((item["label"], number, [item["rest"]]))
        elif current.items:
            current.items[-1][2].append(line)
        else:
            current.intro.append(line)
    close()
    if not paragraphs:
        raise DocumentError(source, "no numbered paragraph found")
    info = OUTCOME_DOCUMENTS[key]
    if paragraphs[-1].number > info.paragraphs:
        warnings.append(
            f"paragraph {paragraphs[-1].number}: the {info.name} has {info.paragraphs} paragraphs"
        )
    return OutcomeDocument(
        key,
        source,
        hashlib.sha256(text.encode("utf-8")).hexdigest(),
        tuple(paragraphs),
        tuple(headings),
        tuple(warnings),
    )


def _join(words: list[str]) -> str:
    return " ".join(w for w in words if w).strip()


def _is_heading(line: str, lines: list[str], index: int) -> bool:
    if _ITEM_START.fullmatch(line):
        return False
    if _LETTER_HEADING.fullmatch(line) or _NUMBER_HEADING.fullmatch(line):
        return True
    letters = [c for c in line if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters) and len(line) <= 200:
        return True
    # a short line without final punctuation, just before a numbered paragraph ("E-health")
    if len(line) > 80 or line[-1] in ".;:,":
        return False
    following = next((x.strip() for x in lines[index + 1 :] if x.strip()), "")
    return bool(re.match(r"\d{1,3}\.?(?:\s|$)", following))


# --------------------------------------------------------------------------- quads


def outcome_quads(
    parsed: OutcomeDocument,
    ids: Ids,
    source_name: str,
    *,
    file_node: ox.NamedNode | None = None,
) -> LoadResult:
    """The named graph of a loaded outcome document: the work, one node per paragraph and
    per lettered item, with its text and the heading it stands under."""
    out = TripleBuilder(ids)
    report = LoadReport(parsed.source)
    doc = describe_document(out, ids, parsed.key)
    source_node = file_node or ids.document(source_name)
    out.typed(source_node, WSIS.Document)
    out.add(source_node, WSIS.fileName, lit(parsed.source))
    out.add(source_node, RDFS.label, lit(parsed.source))
    out.add(doc, PROV.wasDerivedFrom, source_node)
    for paragraph in parsed.paragraphs:
        node = describe_paragraph(out, ids, parsed.key, paragraph.number)
        out.add(node, WSIS.text, lit(paragraph.text))
        out.add(node, WSIS.sourceLine, lit(paragraph.line))
        if paragraph.heading:
            out.add(node, WSIS.underHeading, lit(paragraph.heading))
        out.add(node, PROV.wasDerivedFrom, source_node)
        report.count("paragraphs")
        seen: set[str] = set()
        for item in paragraph.items:
            if item.label in seen:
                report.warn(f"§{paragraph.number}", f"item {item.label}) appears twice")
                continue
            seen.add(item.label)
            child = ids.outcome_item(node, item.label)
            out.typed(child, WSIS.OutcomeItem)
            out.add(child, WSIS.itemOf, node)
            out.add(child, WSIS.itemLabel, lit(item.label))
            out.add(child, WSIS.text, lit(item.text))
            out.add(child, WSIS.sourceLine, lit(item.line))
            label = f"{paragraph_label(parsed.key, paragraph.number)} {item.label})"
            out.add(child, RDFS.label, en(label))
            out.add(child, PROV.wasDerivedFrom, source_node)
            report.count("items")
    for warning in parsed.warnings:
        report.warn(parsed.source, warning)
        out.add(source_node, WSIS.warning, lit(warning))
    report.count("triples", len(out))
    return LoadResult(
        ids.graph(source_name),
        out.triples(),
        report,
        SourceInfo(source_name, parsed.source, parsed.sha256, entity=source_node),
    )
