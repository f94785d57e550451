"""Both readings parsed and aligned: sections paired in order, clauses by text, each clause
with its status, its text before and after, and the tracked changes that touched it."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TypeVar

from loaders.docx_revisions.archive import read_docx
from loaders.docx_revisions.model import DocxReadings
from loaders.errors import DocumentError
from loaders.references import Revision
from loaders.resolution_text import (
    DEFAULT_MAX_BYTES,
    Assembly,
    Change,
    Clause,
    Header,
    ParsedDocument,
    ParseWarning,
    Section,
    clause_references,
    parse_structure,
    section_keys,
)

_T = TypeVar("_T")


def parse_docx(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedDocument:
    """Parse a .docx with tracked changes into one tree whose clauses carry a ``status``."""
    return parse_readings(read_docx(path, max_bytes=max_bytes))


def parse_readings(readings: DocxReadings) -> ParsedDocument:
    """Parse both readings of a .docx and align them into one tree."""
    before, _ = _try_parse(readings.before, readings, "before")
    after, after_error = _try_parse(readings.after, readings, "after")
    if before is None and after is None:
        problem = after_error.problem if after_error else "no text"
        raise DocumentError(readings.source, f"{problem} (in both readings)")
    return _Merger(readings, before, after).run()


def _try_parse(
    text: str, readings: DocxReadings, name: str
) -> tuple[ParsedDocument | None, DocumentError | None]:
    try:
        doc = parse_structure(
            text, f"{readings.source} ({name})", footnotes=readings.footnotes, flattened=False
        )
    except DocumentError as exc:
        return None, exc
    return doc, None


_BEFORE_KINDS = {"deletion", "move_from", "paragraph_mark_deletion", "paragraph_mark_move_from"}


class _Merger:
    """Aligns the before and after parses into one document."""

    def __init__(
        self, readings: DocxReadings, before: ParsedDocument | None, after: ParsedDocument | None
    ) -> None:
        self.readings = readings
        self.before = before
        self.after = after
        self.used: set[str] = set()

    def run(self) -> ParsedDocument:
        b_sections = self.before.sections if self.before else ()
        a_sections = self.after.sections if self.after else ()
        pairs = _align(b_sections, a_sections, _section_keyword, positional=True)
        keys = section_keys([_section_key_of(b, a) for b, a in pairs])
        sections = tuple(self._section(key, b, a) for key, (b, a) in zip(keys, pairs, strict=True))
        references = clause_references(sections)
        base = self.after or self.before
        assert base is not None  # parse_docx guarantees one reading parsed
        return ParsedDocument(
            self.readings.source,
            self.readings.after,
            _merge_header(self.before, self.after),
            sections,
            references,
            self._warnings(),
            base.footnotes,
        )

    def _section(self, key: str, b: Section | None, a: Section | None) -> Section:
        base = a or b
        assert base is not None
        old = b.heading if b and a and b.heading != a.heading else None
        new = a.heading if b and a and b.heading != a.heading else None
        clauses = self._clauses(b.clauses if b else (), a.clauses if a else (), key)
        return Section(
            key, base.heading, old, new, base.keyword, base.kind, base.addressee, base.line, clauses
        )

    def _clauses(
        self, before: Sequence[Clause], after: Sequence[Clause], prefix: str
    ) -> tuple[Clause, ...]:
        out: list[Clause] = []
        unlabelled = 0
        pairs = _align(before, after, _clause_key)
        for order, (b, a) in enumerate(pairs, 1):
            base = a or b
            assert base is not None
            if (a.label if a else b.label if b else None) is None:
                unlabelled += 1
            key = _eid_key(b, a, unlabelled)
            eid = self._unique(f"{prefix}__{key}")
            children = self._clauses(
                b.children if b else (), a.children if a else (), f"{eid}__list_1"
            )
            out.append(self._clause(b, a, eid, order, children))
        return tuple(out)

    def _clause(
        self, b: Clause | None, a: Clause | None, eid: str, order: int, children: tuple[Clause, ...]
    ) -> Clause:
        base = a or b
        assert base is not None
        changes = self._changes(b, "before") + self._changes(a, "after")
        if b is None:
            status, reading = "added", "after"
        elif a is None:
            status, reading = "deleted", "before"
        else:
            same = b.plain_text == a.plain_text and b.label == a.label and not changes
            status, reading = ("unchanged" if same else "modified"), "both"
        label = a.label if a else None
        old = b.label if b and (a is None or b.label != a.label) else None
        return replace(
            base,
            eid=eid,
            label=label,
            old_label=old,
            reading=reading,
            order=order,
            children=children,
            status=status,
            text_before=b.text if b else None,
            text_after=a.text if a else None,
            changes=changes,
        )

    def _changes(self, clause: Clause | None, reading: str) -> tuple[Change, ...]:
        if clause is None:
            return ()
        lines = self.readings.before_lines if reading == "before" else self.readings.after_lines
        first = clause.line - 1
        indexes = [i for line in lines[first : first + clause.text.count("\n") + 1] for i in line]
        found: list[Change] = []
        for index in indexes:
            for change in self.readings.paragraphs[index].changes:
                if (change.kind in _BEFORE_KINDS) == (reading == "before"):
                    found.append(change)
        return tuple(found)

    def _unique(self, eid: str) -> str:
        candidate, n = eid, 1
        while candidate in self.used:
            n += 1
            candidate = f"{eid}_{n}"
        self.used.add(candidate)
        return candidate

    def _warnings(self) -> tuple[ParseWarning, ...]:
        out: list[ParseWarning] = []
        seen: set[tuple[str, str]] = set()
        for doc, name in ((self.after, "after"), (self.before, "before")):
            for w in doc.warnings if doc else ():
                if (w.code, w.message) not in seen:
                    seen.add((w.code, w.message))
                    out.append(replace(w, place=f"{name} reading, {w.place}"))
        if self.readings.inserted_then_deleted:
            out.append(
                ParseWarning(
                    "inserted_then_deleted",
                    f"{self.readings.inserted_then_deleted} run(s) inserted and then deleted: "
                    "left out of both readings",
                    "document",
                )
            )
        return tuple(out)


def _section_key_of(b: Section | None, a: Section | None) -> tuple[str, str | None]:
    """(keyword, addressee) naming a section pair: the before keyword, as for flat text."""
    keyword = b.keyword if b else a.keyword if a else ""
    return keyword, (a.addressee if a else b.addressee if b else None)


def _section_keyword(section: Section) -> str:
    return section.keyword.lower()


def _clause_key(clause: Clause) -> str:
    return " ".join(clause.plain_text.lower().split())


def _eid_key(b: Clause | None, a: Clause | None, unlabelled: int) -> str:
    if a is not None:
        return a.label.rstrip(")") if a.label else str(unlabelled)
    assert b is not None
    return f"before_{b.label.rstrip(')') if b.label else unlabelled}"


def _align(
    before: Sequence[_T],
    after: Sequence[_T],
    key: Callable[[_T], str],
    *,
    positional: bool = False,
) -> list[tuple[_T | None, _T | None]]:
    """Pair items of two lists: equal keys first; inside a changed block, pair items in order
    (``positional``, for sections) or only similar ones (for clauses)."""
    keys_b = [key(x) for x in before]
    keys_a = [key(x) for x in after]
    matcher = difflib.SequenceMatcher(None, keys_b, keys_a, autojunk=False)
    pairs: list[tuple[_T | None, _T | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (positional and tag == "replace"):
            b_block, a_block = before[i1:i2], after[j1:j2]
            pairs.extend(zip(b_block, a_block, strict=False))
            pairs.extend((x, None) for x in b_block[len(a_block) :])
            pairs.extend((None, x) for x in a_block[len(b_block) :])
        else:
            pairs.extend(_pair_similar(before[i1:i2], after[j1:j2], keys_b[i1:i2], keys_a[j1:j2]))
    return pairs


def _pair_similar(
    before: Sequence[_T], after: Sequence[_T], keys_b: list[str], keys_a: list[str]
) -> Iterator[tuple[_T | None, _T | None]]:
    j = 0
    for i, item in enumerate(before):
        match = next((k for k in range(j, len(after)) if _similar(keys_b[i], keys_a[k])), None)
        if match is None:
            yield item, None
            continue
        for k in range(j, match):
            yield None, after[k]
        yield item, after[match]
        j = match + 1
    for k in range(j, len(after)):
        yield None, after[k]


def _similar(x: str, y: str) -> bool:
    matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
    return matcher.quick_ratio() >= 0.6 and matcher.ratio() >= 0.6


def _merge_header(before: ParsedDocument | None, after: ParsedDocument | None) -> Header:
    b = before.header if before else None
    a = after.header if after else None
    base = a or b
    assert base is not None
    revision = base.revision
    if a and b and a.revision and b.revision and a.revision.meeting != b.revision.meeting:
        revision = Revision(
            a.revision.as_written,
            a.revision.is_revision,
            a.revision.meeting,
            before=b.revision.meeting,
        )
    assembly = base.assembly
    if a and b and a.assembly and b.assembly and a.assembly.in_force != b.assembly.in_force:
        assembly = Assembly(
            a.assembly.name, a.assembly.body, b.assembly.in_force, a.assembly.in_force
        )
    return replace(base, revision=revision, assembly=assembly)
