"""The parsed document: frozen dataclasses (header, sections, clauses, warnings) and their
JSON form, described in :mod:`loaders.resolution_text`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from loaders.references import Meeting, Reference, Revision

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class ParseWarning:
    """Something the reader should check; ``place`` is "<heading> <label>" or "line N";
    ``clause`` is the eid of the clause it concerns, if it concerns one."""

    code: str
    message: str
    place: str
    clause: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "place": self.place,
            "clause": self.clause,
        }


@dataclass(frozen=True)
class Footnote:
    id: str
    marker: str
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "marker": self.marker, "text": self.text}


@dataclass(frozen=True)
class Change:
    """A tracked change (docx only): kind is insertion, deletion, move_from, move_to,
    paragraph_mark_inserted or paragraph_mark_deleted."""

    kind: str
    author: str | None
    date: str | None
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "author": self.author, "date": self.date, "text": self.text}


@dataclass(frozen=True)
class MovedFrom:
    """Where a clause stood in the before reading, when that was another section."""

    section: str  # the eid of that section
    heading: str  # its heading in the before reading
    label: str

    def to_json(self) -> dict[str, Any]:
        return {"section": self.section, "heading": self.heading, "label": self.label}


@dataclass(frozen=True)
class InferredChange:
    """A change read from cues around a clause rather than from its own label: ``status``
    ("deleted"), how sure (``likelihood``, "likely") and the cues, in words."""

    status: str
    likelihood: str
    cues: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "likelihood": self.likelihood, "cues": list(self.cues)}


@dataclass(frozen=True)
class Clause:
    eid: str
    label: str | None
    old_label: str | None
    label_as_written: str | None
    reading: str
    order: int
    line: int
    text: str
    plain_text: str
    footnotes: tuple[Footnote, ...] = ()
    mentions: tuple[Reference, ...] = ()
    children: tuple[Clause, ...] = ()
    status: str | None = None
    text_before: str | None = None
    text_after: str | None = None
    changes: tuple[Change, ...] = ()
    moved_from: MovedFrom | None = None
    inferred_change: InferredChange | None = None

    def walk(self) -> Iterator[Clause]:
        """This clause and its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "eid": self.eid,
            "label": self.label,
            "old_label": self.old_label,
            "label_as_written": self.label_as_written,
            "reading": self.reading,
            "order": self.order,
            "line": self.line,
            "text": self.text,
            "plain_text": self.plain_text,
            "footnotes": [f.to_json() for f in self.footnotes],
            "mentions": [m.to_json() for m in self.mentions],
            "children": [c.to_json() for c in self.children],
            "moved_from": self.moved_from.to_json() if self.moved_from else None,
            "inferred_change": self.inferred_change.to_json() if self.inferred_change else None,
        }
        if self.status is not None:
            out["status"] = self.status
            out["text_before"] = self.text_before
            out["text_after"] = self.text_after
            out["changes"] = [c.to_json() for c in self.changes]
        return out


@dataclass(frozen=True)
class Section:
    eid: str
    heading: str
    heading_old: str | None
    heading_new: str | None
    keyword: str
    kind: str
    addressee: str | None
    line: int
    clauses: tuple[Clause, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "eid": self.eid,
            "heading": self.heading,
            "heading_old": self.heading_old,
            "heading_new": self.heading_new,
            "keyword": self.keyword,
            "kind": self.kind,
            "addressee": self.addressee,
            "line": self.line,
            "clauses": [c.to_json() for c in self.clauses],
        }


@dataclass(frozen=True)
class Assembly:
    name: str
    body: str | None
    in_force: Meeting | None
    proposed: Meeting | None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "body": self.body,
            "in_force": self.in_force.to_json() if self.in_force else None,
            "proposed": self.proposed.to_json() if self.proposed else None,
        }


@dataclass(frozen=True)
class Header:
    kind: str
    abstract: str | None = None
    proposing_administration: str | None = None
    action: str | None = None
    body: str | None = None
    number: str | None = None
    title: str | None = None
    revision: Revision | None = None
    history: tuple[Meeting, ...] = ()
    assembly: Assembly | None = None

    @property
    def in_force(self) -> Meeting | None:
        if self.revision is None:
            return None
        if self.revision.before is not None:
            return self.revision.before
        return None if self.action == "ADD" else self.revision.meeting

    @property
    def proposed(self) -> Meeting | None:
        if self.revision is None:
            return None
        if self.revision.before is not None or self.action == "ADD":
            return self.revision.meeting
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "abstract": self.abstract,
            "proposing_administration": self.proposing_administration,
            "action": self.action,
            "body": self.body,
            "number": self.number,
            "title": self.title,
            "revisions": {
                "as_written": self.revision.as_written if self.revision else None,
                "in_force": self.in_force.to_json() if self.in_force else None,
                "proposed": self.proposed.to_json() if self.proposed else None,
            },
            "history": [m.to_json() for m in self.history],
            "assembly": self.assembly.to_json() if self.assembly else None,
        }


@dataclass(frozen=True)
class ClauseReference:
    """A reference with the clause it was found in."""

    clause_eid: str
    clause_label: str | None
    section: str
    reference: Reference

    def to_json(self) -> dict[str, Any]:
        return {
            **self.reference.to_json(),
            "clause_eid": self.clause_eid,
            "clause_label": self.clause_label,
            "section": self.section,
        }


@dataclass(frozen=True)
class ParsedDocument:
    source: str
    text: str
    header: Header
    sections: tuple[Section, ...]
    references: tuple[ClauseReference, ...]
    warnings: tuple[ParseWarning, ...]
    footnotes: tuple[Footnote, ...] = ()

    def clauses(self) -> Iterator[Clause]:
        """Every clause of every section, depth first."""
        for section in self.sections:
            for clause in section.clauses:
                yield from clause.walk()

    def section(self, eid: str) -> Section:
        for section in self.sections:
            if section.eid == eid:
                return section
        raise KeyError(eid)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "document": self.header.to_json(),
            "sections": [s.to_json() for s in self.sections],
            "references": [r.to_json() for r in self.references],
            "warnings": [w.to_json() for w in self.warnings],
            "footnotes": [f.to_json() for f in self.footnotes],
        }


def clause_references(sections: tuple[Section, ...]) -> tuple[ClauseReference, ...]:
    """Every reference of every clause, in document order, with the clause it stands in."""
    return tuple(
        ClauseReference(clause.eid, clause.label, section.heading, mention)
        for section in sections
        for top in section.clauses
        for clause in top.walk()
        for mention in clause.mentions
    )
