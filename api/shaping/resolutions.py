"""Study groups, resolutions, their versions, clauses and proposed changes, shaped once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from api.models import (
    ChangedClause,
    Clause,
    DocumentChanges,
    Meeting,
    Ref,
    Resolution,
    ResolutionClauses,
    ResolutionTimeline,
    ResolutionVersion,
    Section,
    StudyGroup,
    Suppression,
    SuppressionRecord,
    TimelineVersion,
    VersionText,
)
from api.shaping.values import integer, split, text
from graph.values import Row, Value


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


def resolutions(
    rows: Iterable[Row], states: Mapping[str, str] | None = None, *, in_force_only: bool = False
) -> list[Resolution]:
    """The rows of ``resolutions`` (one per version) per resolution, in the order of the
    rows: ``GET /resolutions``; the first of one resolution's: ``GET /resolutions/{b}/{n}``.
    ``states``: each version's state on the day asked (from ``resolution-versions``);
    ``in_force_only`` keeps only the versions in force that day (a resolution without one
    is left out)."""
    out: dict[Value, Resolution] = {}
    states = states or {}
    for row in rows:
        if in_force_only and states.get(str(row.get("version"))) != "in force":
            continue
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
                    **(
                        {"state": states[str(row["version"])]}
                        if str(row["version"]) in states
                        else {}
                    ),
                )
            )
    return list(out.values())


def timeline(rows: Sequence[Row], as_of: str) -> ResolutionTimeline:
    """The rows of ``resolution-versions`` for one resolution: ``GET
    /resolutions/{body}/{number}/versions``. A version ended by a suppression that several
    table rows record comes once per record: one version, with each record."""
    first = rows[0]
    versions: dict[str, TimelineVersion] = {}
    for row in rows:
        iri = str(row["version"])
        version = versions.get(iri)
        if version is None:
            version = versions[iri] = TimelineVersion(
                iri=iri,
                label=text(row.get("label")),
                revision=text(row.get("revision")),
                year=integer(row.get("year")),
                draft=row.get("draft", False) is True,
                stated=str(row.get("stated", "cited")),
                meeting=Meeting(
                    iri=str(row["meeting"]),
                    name=text(row.get("meeting_name")),
                    start=text(row.get("meeting_start")),
                    end=text(row.get("meeting_end")),
                )
                if "meeting" in row
                else None,
                in_force_from=text(row.get("in_force_from")),
                in_force_until=text(row.get("in_force_until")),
                ended_by=text(row.get("ended_by")),
                state=str(row["state"]),
                note=text(row.get("note")),
                suppression=_suppression(row),
            )
        elif version.suppression is not None and "suppression_record" in row:
            version.suppression.recorded_in.append(_suppression_record(row))
    return ResolutionTimeline(
        body=str(first["body"]),
        number=str(first["number"]),
        iri=str(first["resolution"]),
        as_of=as_of,
        in_force=[v.iri for v in versions.values() if v.state == "in force"],
        versions=list(versions.values()),
    )


def _suppression(row: Row) -> Suppression | None:
    """The suppression that ended a version, as a row of ``resolution-versions`` gives it."""
    if "suppressed_at" not in row or "in_force_until" not in row:
        return None
    return Suppression(
        meeting=Meeting(
            iri=str(row["suppressed_at"]),
            name=text(row.get("suppressed_at_name")),
            start=text(row.get("suppressed_at_start")),
            end=str(row["in_force_until"]),
        ),
        day=str(row["in_force_until"]),
        recorded_in=[_suppression_record(row)] if "suppression_record" in row else [],
    )


def _suppression_record(row: Row) -> SuppressionRecord:
    return SuppressionRecord(
        row=Ref(iri=str(row["suppression_record"]), label=text(row.get("suppression_row_label"))),
        table=text(row.get("suppression_table")),
        row_number=integer(row.get("suppression_row")),
        document_symbol=text(row.get("suppression_document_symbol")),
        locator=text(row.get("suppression_locator")),
        addresses=split(row.get("suppression_addresses"), " "),
        mirrors=split(row.get("suppression_mirrors"), " "),
        date_read=text(row.get("suppression_date_read")),
        confidence=text(row.get("suppression_confidence")),
        notes=text(row.get("suppression_notes")),
    )


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
