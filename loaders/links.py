"""Who supports which Action Line, as sources state it (``itu_action_line_links.csv``).

The curated table of this project that replaces the shared ``itut_wsis_links.csv`` in the
graph: every row of that table was reviewed (``reviews`` names it) and every fact re-read in a
source an analyst can open. What the review changed:

- the role belongs to whom the source names: a page that says ITU (the Union) gives a role of
  ITU, never of ITU-T; an ITU-D or Plenipotentiary resolution is the work of its organ;
- roles are typed sub-properties of ``wsis:supportsActionLine`` (lead facilitator,
  co-facilitator, moderator/facilitator, partner), not strings;
- a statement about all Action Lines is ``wsis:supportsAllActionLines`` (scope all), never a
  link to each line, so it cannot count as specific support;
- a quotation is the source's words or absent; "idem" and "same sentence as above" became
  locators;
- a stated link names the official document (its symbol, and its itu.int / un.org address where
  one was read); a third-party copy is kept as ``wsis:mirror``, never as the only source;
- a row read in a document the built-in data holds (``read_in``, a file of ``seeds/``) names
  that document (``wsis:sourceDocument``), so the analyst opens the text it was read in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from loaders.codes import ACTION_LINE_CODE
from loaders.curated import (
    Table,
    confidence_of,
    is_general_knowledge,
    source_iris,
    split_sources,
    start,
)
from loaders.documents.files import document_key
from loaders.organs import sector_node
from loaders.rdf import LoadResult
from loaders.reference import RES_CITATION, Resolutions, normalise_body
from loaders.references import parse_revision
from loaders.study_groups import known_study_groups
from loaders.tables import SEEDS, Row, read_table
from ontology import WSIS
from ontology.ids import Ids

# role in the table -> (relation, what the object is)
ROLES: dict[str, tuple[ox.NamedNode, str]] = {
    "lead_facilitator": (WSIS.leadFacilitatorOf, "action_line"),
    "co_facilitator": (WSIS.coFacilitatorOf, "action_line"),
    "moderator_facilitator": (WSIS.moderatorFacilitatorOf, "action_line"),
    "partner": (WSIS.partnerInActionLine, "action_line"),
    "names_action_line": (WSIS.supportsActionLine, "action_line"),
    "lead_study_group": (WSIS.supportsActionLine, "action_line"),
    "mandate_theme": (WSIS.supportsActionLine, "action_line"),
    "title_theme": (WSIS.supportsActionLine, "action_line"),
    "lead_study_group_theme": (WSIS.supportsActionLine, "action_line"),
    "topic_overlap": (WSIS.relatedToActionLine, "action_line"),
    "all_action_lines": (WSIS.supportsAllActionLines, "all"),
    "notes_work_of": (WSIS.relatesToStudyGroup, "study_group"),
    "instructs": (WSIS.relatesToStudyGroup, "study_group"),
    "cites": (WSIS.cites, "resolution"),
}
_GROUP = re.compile(r"(?P<group>SG\d+)@(?P<period>\d{4}-\d{4})")
REQUIRED = (
    "subject_kind",
    "subject",
    "role",
    "object",
    "evidence",
    "source_document_symbol",
    "locator",
    "quotation",
    "official_url",
    "mirror_url",
    "date_read",
    "confidence",
)


def load_itu_links(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start("itu-action-line-links", path, ids)
    res = Resolutions(ids, t.out)
    groups = set(known_study_groups())
    for row in read_table(t.path, REQUIRED):
        role = row.require("role")
        if role not in ROLES:
            raise row.error(f"unknown role {role!r}; known: {', '.join(ROLES)}", "role")
        relation, object_kind = ROLES[role]
        kind = row.require("subject_kind")
        subject = _node(t, res, row, kind, row["subject"], groups)
        dated_by = _source_version(t, res, row) if kind == "organ" else None
        for obj in _objects(t, res, row, object_kind, groups):
            _link(t, row, subject, relation, obj, role, dated_by)
            t.report.count("links")
        t.report.count("rows")
    return t.result()


def _link(
    t: Table,
    row: Row,
    subject: ox.NamedNode,
    relation: ox.NamedNode,
    obj: ox.NamedNode,
    role: str,
    dated_by: ox.NamedNode | None = None,
) -> None:
    evidence = row.require("evidence", "stated|inferred")
    symbol = row["source_document_symbol"]
    general = is_general_knowledge(symbol)
    official, copies = split_sources(t.ids, row["official_url"])
    if copies:
        raise row.error(
            "a third-party copy is not an official address: use mirror_url", "official_url"
        )
    if evidence == "stated" and not (official or (symbol and not general)):
        raise row.error(
            "a stated link needs the official document: its symbol or its address "
            "(a mirror alone is not enough)",
            "source_document_symbol",
        )
    if general and evidence == "stated":
        raise row.error("what only general knowledge backs is never stated", "evidence")
    confidence = "low" if general else confidence_of(row)
    if not official and not row.get("read_in") and row.get("mirror_url") and confidence == "high":
        # as for the assemblies (tests/test_data_tables.py): a copy alone is never high
        raise row.error(
            "read only in a third-party copy (mirror_url): confidence at most medium",
            "confidence",
        )
    row_node = t.row_node(row)
    notes = [n for n in (row.get("notes"), _reviews(row)) if n]
    t.out.link(
        subject,
        relation,
        obj,
        evidence=evidence,
        confidence=confidence,
        source=row_node,
        row=row_node,
        citation=", ".join(x for x in (symbol, row["locator"]) if x and not general) or None,
        quotation=row["quotation"] or None,
        source_relation=role,
        general_knowledge=general,
        notes="; ".join(notes) or None,
        source_iris=[] if general else official,
        locator=row["locator"] or None,
        document=_read_in(t, row),
        dated_by=dated_by,
        document_symbol=None if general else symbol,
        mirrors=source_iris(t.ids, row["mirror_url"]),
        date_read=row.require("date_read", r"\d{4}-\d{2}-\d{2}"),
    )


def _source_version(t: Table, res: Resolutions, row: Row) -> ox.NamedNode | None:
    """The resolution version an organ's role is read in, when the source is one ("WTDC
    Resolution 30 (Rev. Dubai, 2014)"): the role is stated from the day that version came
    into force and while it is (``wsis:datedBy``), not on a day before the text existed. An
    organ has no dates of its own; a web page read today dates nothing."""
    m = RES_CITATION.fullmatch(row["source_document_symbol"].strip())
    rev = parse_revision(m["revision"]) if m and m["revision"] and not m["rest"] else None
    if m is None or rev is None:
        return None
    return res.version(normalise_body(m["body"]), m["number"], rev, t.row_node(row))


def _read_in(t: Table, row: Row) -> ox.NamedNode | None:
    """The built-in document a row was read in (a file of ``seeds/``), or None."""
    value = row.get("read_in")
    if not value:
        return None
    if value not in SEEDS.values():
        raise row.error(
            f"{value!r} is not a document of the built-in data ({', '.join(SEEDS.values())})",
            "read_in",
        )
    return t.ids.document(document_key(Path(value).name))


def _reviews(row: Row) -> str:
    return f"reviews {row['reviews']}" if row.get("reviews") else ""


def _node(
    t: Table,
    res: Resolutions,
    row: Row,
    kind: str,
    value: str,
    groups: set[tuple[str, str]],
) -> ox.NamedNode:
    if kind == "organ":
        try:
            return sector_node(t.ids, value)
        except KeyError as e:
            raise row.error(f"{value!r} is not an organ of organs.csv", "subject") from e
    if kind == "study_group":
        m = _GROUP.fullmatch(value)
        if m is None or (m["period"], m["group"]) not in groups:
            raise row.error(f"{value!r} is not a study group of the tables (SGn@YYYY-YYYY)")
        return t.ids.study_group(m["period"], m["group"])
    if kind == "resolution":
        m = RES_CITATION.match(value)
        rev = parse_revision(m["revision"]) if m and m["revision"] else None
        if m is None or rev is None:
            raise row.error(f"cannot read a resolution and its revision in {value!r}")
        return res.version(normalise_body(m["body"]), m["number"], rev, t.row_node(row))
    raise row.error(f"unknown kind {kind!r}: organ, study_group or resolution", "subject_kind")


def _objects(
    t: Table, res: Resolutions, row: Row, kind: str, groups: set[tuple[str, str]]
) -> list[ox.NamedNode]:
    value = row.require("object")
    if kind == "all":
        if value != "ALL":
            raise row.error("a statement about all Action Lines has object ALL", "object")
        return [WSIS.ActionLineScheme]
    if kind == "action_line":
        codes = value.split(";")
        for code in codes:
            if not re.fullmatch(ACTION_LINE_CODE, code):
                raise row.error(f"{code!r} is not an Action Line code", "object")
        return [t.ids.action_line(c) for c in codes]
    return [_node(t, res, row, kind, value, groups)]
