"""The meetings that adopt resolutions, with their dates, and what sources say each adopted
or suppressed: the time line of the resolutions (one named graph, ``assemblies``).

Two tables of this project:

- ``assemblies.csv``: one row per meeting of an adopting body (WTSA-20, Geneva, 1-9 March
  2022), with its first and last day and the source of the dates. A resolution version is
  named after its meeting ("Rev. Geneva, 2022"): every loader links a version to the meeting
  of its body and year (``wsis:adoptedAt``, loaders/reference/resolutions.py), and this graph
  gives the meeting its dates. A version is in force from its meeting's last day (the day
  the meeting closed: the latest day a revision adopted there can date from) until the
  next adopted version's, or the suppression of the resolution (graph/queries/*.rq read it
  so; a convention, written in the data README).
- ``resolution_versions.csv``: per row, a version a source states as adopted (so a version a
  proposal names is adopted once a source says so), or a meeting a source states suppressed
  the resolution.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyoxigraph as ox

from loaders.curated import Table, confidence_of, mark, split_sources, start
from loaders.rdf import CONFIDENCE, LoadResult, lit
from loaders.reference.resolutions import PER_RESOLUTION_MEETINGS, Resolutions, normalise_body
from loaders.references import Meeting, Revision, normalise_place, parse_revision
from loaders.tables import Row, read_table, table_path
from ontology import DCTERMS, SKOS, WSIS, XSD
from ontology.ids import Ids

_DATE = r"\d{4}-\d{2}-\d{2}"
EVENTS = ("adopted", "suppressed")


def load_meetings(ids: Ids, path: Path | None = None, versions: Path | None = None) -> LoadResult:
    t = start("assemblies", path, ids)
    res = Resolutions(t.ids, t.out)
    known: dict[tuple[str, int, str | None], str | None] = {}
    for row in read_table(
        t.path, ("body", "year", "name", "start_date", "end_date", "official_url", "date_read")
    ):
        body, year, place = _meeting_key(row)
        resolution = None
        if body in PER_RESOLUTION_MEETINGS:
            # one row per resolution, named by its symbol: A/RES/70/1
            symbol = row.require("name", r"A/RES/[0-9]{1,3}/[0-9]{1,4}")
            resolution = symbol.removeprefix("A/RES/")
        if (body, year, resolution) in known:
            raise row.error(
                f"a second meeting of {body} in {year} (a body meets once a year"
                + (f"; one row per resolution: {resolution}" if resolution else "")
                + ")"
            )
        known[(body, year, resolution)] = place
        node = res.meeting(body, year, place, resolution)
        first, last = _day(row, "start_date"), _day(row, "end_date")
        if last < first:
            raise row.error(f"ends ({last}) before it starts ({first})", "end_date")
        out = t.out
        out.add(node, WSIS.startDate, ox.Literal(first.isoformat(), datatype=XSD.date))
        out.add(node, WSIS.endDate, ox.Literal(last.isoformat(), datatype=XSD.date))
        out.add(node, SKOS.notation, lit(row["name"]))
        _cite(t, row, node)
    for row in read_table(
        versions or table_path("resolution-versions"),
        ("body", "number", "year", "event", "official_url", "date_read"),
    ):
        body, year, place = _meeting_key(row)
        number = row.require("number", r"[0-9]{1,5}(/[0-9]{1,5})?")
        event = row.require("event")
        if event not in EVENTS:
            raise row.error(f"event must be one of {', '.join(EVENTS)}, not {event!r}", "event")
        row_node = t.other_row("resolution-versions", row)
        if event == "adopted":
            # "Rev. Geneva, 2022" unless the table says the version is the first
            # (column revision_as_written, e.g. "Johannesburg, 2008")
            written = row.get("revision_as_written")
            rev = parse_revision(written) if written else None
            if rev is None or rev.meeting.year != year:
                rev = Revision("", True, Meeting(normalise_place(place) if place else None, year))
            node = res.version(body, number, rev, row_node)
            t.out.add(node, WSIS.versionStatus, WSIS.Adopted)
        else:
            node = res.work(body, number, row_node)
            per_resolution = number if body in PER_RESOLUTION_MEETINGS else None
            meeting = res.meeting(body, year, place, per_resolution)
            t.out.add(node, WSIS.suppressedAt, meeting)
            # the suppression's own record: the row, with its source and confidence, so that
            # an answer can say what a version's end rests on (a third-party report ...)
            t.out.add(node, WSIS.suppressionRecord, row_node)
            t.out.add(row_node, WSIS.recordsSuppressionAt, meeting)
            _citation(t, row, row_node)
            t.out.add(row_node, WSIS.confidence, WSIS[CONFIDENCE[confidence_of(row)]])
            if notes := row.get("notes"):
                t.out.add(row_node, WSIS.notes, lit(notes))
        _cite(t, row, node, row_node)
        t.report.count(f"versions {event}")
    return t.result()


def _meeting_key(row: Row) -> tuple[str, int, str | None]:
    try:
        body = normalise_body(row.require("body"))
    except ValueError as e:
        raise row.error(str(e), "body") from e
    year = int(row.require("year", r"(19|20)\d{2}"))
    return body, year, row.get("place") or None


def _day(row: Row, column: str) -> date:
    try:
        return date.fromisoformat(row.require(column, _DATE))
    except ValueError as e:
        raise row.error(f"not a date: {e}", column) from e


def _cite(t: Table, row: Row, node: ox.NamedNode, row_node: ox.NamedNode | None = None) -> None:
    _citation(t, row, node)
    mark(t.out, node, confidence_of(row), row_node or t.row_node(row))


def _citation(t: Table, row: Row, node: ox.NamedNode) -> None:
    """Where the row's statement is read: addresses, copies, document, place in it, day."""
    official, copies = split_sources(t.ids, row.get("official_url"), row.get("mirror_url"))
    for src in official:
        t.out.add(node, DCTERMS.source, src)
    for src in copies:
        t.out.add(node, WSIS.mirror, src)
    if symbol := row.get("source_document_symbol"):
        t.out.add(node, WSIS.documentSymbol, lit(symbol))
    if locator := row.get("locator"):
        t.out.add(node, WSIS.locator, lit(locator))
    t.out.add(
        node, WSIS.dateRead, ox.Literal(_day(row, "date_read").isoformat(), datatype=XSD.date)
    )
