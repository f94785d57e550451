"""Read a .docx safely, follow its tracked changes, and parse both readings.

A Word document with tracked changes holds two texts: the *before* reading (the text being
amended: unchanged + deleted runs) and the *after* reading (the text proposed: unchanged +
inserted runs). This module rebuilds both from the WordprocessingML, parses each with the
structure parser of :mod:`loaders.resolution_text`, and aligns their sections and clauses, so
each clause has a ``status`` (unchanged, modified, added, deleted), ``text_before``,
``text_after`` and the tracked changes (author, date) that touched it. Sections are paired
in order (a heading replaced by another stays one section, with ``heading_old``/``heading_new``);
clauses are paired by text (equal, then at least 60 % similar), so a moved clause pairs with
itself. ``ParsedDocument.text`` is the after reading; eIds follow the plain-text rules.

Word automatic numbering (``w:numPr``, directly or through the paragraph style) gives a
paragraph the label it displays (:mod:`loaders.docx_numbering`), written before its text with
a tab as if typed ("a)<TAB>text"); each reading counts its own paragraphs, so a numbered
paragraph deleted with its mark is not counted in the after reading, an inserted one not in
the before reading, and the before reading takes the old properties of a ``w:pPrChange``.

Safety: the file is read with a size bound; the archive is rejected if it is not a zip, is
truncated, lacks ``word/document.xml``, declares more than 50 MiB uncompressed or compresses
better than 100:1 (zip bomb); every member is read with a bound in case its header lies; XML
(document, footnotes, numbering and styles parts alike) in another encoding than UTF-8 or
UTF-16, or with a DOCTYPE or ENTITY declaration, is rejected before parsing (XXE, billion
laughs), and lxml parses with entity resolution, DTDs, network and huge trees off
(:mod:`loaders.safety`).
"""

from __future__ import annotations

import difflib
import io
import os
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from lxml import etree  # type: ignore[import-untyped]

from loaders.docx_numbering import Counters, Numbering, NumRef
from loaders.errors import DocumentError
from loaders.references import Revision
from loaders.resolution_text import (
    DEFAULT_MAX_BYTES,
    Assembly,
    Change,
    Clause,
    ClauseReference,
    Header,
    ParsedDocument,
    ParseWarning,
    Section,
    parse_structure,
    section_keys,
)
from loaders.safety import UnsafeXmlError, parse_xml

__all__ = ["DocxReadings", "Paragraph", "parse_docx", "parse_readings", "read_docx"]

_T = TypeVar("_T")

MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # members smaller than this may compress well without being bombs
MAX_MEMBERS = 5000
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# What zipfile and zlib raise on damaged archives (NotImplementedError: unknown version or
# compression; RuntimeError: encrypted member; struct.error/ValueError: broken headers).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    OSError,
    ValueError,
    struct.error,
)
_MC_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"

# Elements whose content is never document text.
_SKIP = {
    "rPr",
    "pPrChange",
    "rPrChange",
    "sectPr",
    "instrText",
    "delInstrText",
    "drawing",
    "pict",
    "object",
    "fldChar",
    "commentReference",
    "proofErr",
    "bookmarkStart",
    "bookmarkEnd",
    "commentRangeStart",
    "commentRangeEnd",
    "endnoteReference",
    "sym",
    "lastRenderedPageBreak",
    "annotationRef",
    "footnoteRef",
    "separator",
    "continuationSeparator",
}
_CHANGE_KINDS = {
    "ins": "insertion",
    "del": "deletion",
    "moveFrom": "move_from",
    "moveTo": "move_to",
}


@dataclass(frozen=True)
class Paragraph:
    """One w:p: its text in each reading, whether its mark was deleted/inserted, changes.

    ``numbering_before``/``numbering_after``: the (numId, level) of Word numbering the
    paragraph has in each reading (the before reading takes the old properties of a
    ``w:pPrChange``); ``label_before``/``label_after``: the label that numbering displays at the
    start of the reading line this paragraph ends (None for no label, or when the paragraph's
    mark is absent from the reading and it runs on into the next one)."""

    before: str
    after: str
    mark_deleted: bool
    mark_inserted: bool
    changes: tuple[Change, ...]
    numbering_before: NumRef | None = None
    numbering_after: NumRef | None = None
    label_before: str | None = None
    label_after: str | None = None


@dataclass(frozen=True)
class DocxReadings:
    """Both readings of a document, with for each reading line the paragraphs behind it."""

    source: str
    paragraphs: tuple[Paragraph, ...]
    before: str
    after: str
    before_lines: tuple[tuple[int, ...], ...]
    after_lines: tuple[tuple[int, ...], ...]
    footnotes: dict[str, str]
    inserted_then_deleted: int


# --------------------------------------------------------------------------- safe reading


def read_docx(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None
) -> DocxReadings:
    """Open ``path`` safely and rebuild the before and after readings of its body; errors
    name the file as ``name`` (the name a user gave it) or else its path."""
    source = name or os.fspath(path)
    parts = _read_parts(Path(path), source, max_bytes)
    document = _parse_xml(parts["word/document.xml"], source, "word/document.xml")
    footnotes: dict[str, str] = {}
    if "word/footnotes.xml" in parts:
        footnotes = _footnotes(_parse_xml(parts["word/footnotes.xml"], source, "footnotes"))
    body = document.find(f"{W}body")
    if body is None:
        raise DocumentError(source, "word/document.xml has no w:body")
    numbering = Numbering(None)
    if "word/numbering.xml" in parts:
        styles = None
        if "word/styles.xml" in parts:
            styles = _parse_xml(parts["word/styles.xml"], source, "word/styles.xml")
        numbering = Numbering(
            _parse_xml(parts["word/numbering.xml"], source, "word/numbering.xml"), styles
        )
    collector = _Collector(numbering)
    paragraphs = _label(tuple(collector.paragraph(p) for p in _top_paragraphs(body)), numbering)
    before, before_lines = _join(paragraphs, "before")
    after, after_lines = _join(paragraphs, "after")
    return DocxReadings(
        source,
        paragraphs,
        before,
        after,
        before_lines,
        after_lines,
        footnotes,
        collector.inserted_then_deleted,
    )


def _read_parts(path: Path, source: str, max_bytes: int) -> dict[str, bytes]:
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise DocumentError(source, f"cannot read file: {exc.strerror or exc}") from exc
    if not data:
        raise DocumentError(source, "empty file")
    if len(data) > max_bytes:
        raise DocumentError(source, f"file larger than the limit of {max_bytes} bytes")
    if not data.startswith(b"PK\x03\x04"):
        raise DocumentError(source, "not a .docx: not a zip archive (no PK signature)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise DocumentError(source, f"truncated or corrupt zip archive ({exc})") from exc
    with archive:
        _check_bomb(archive, source, len(data))
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise DocumentError(source, "not a .docx: missing word/document.xml")
        wanted = (
            "word/document.xml",
            "word/footnotes.xml",
            "word/numbering.xml",
            "word/styles.xml",
        )
        return {name: _read_member(archive, name, source) for name in wanted if name in names}


def _check_bomb(archive: zipfile.ZipFile, source: str, size: int) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise DocumentError(source, f"zip archive with {len(infos)} members (limit {MAX_MEMBERS})")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise DocumentError(
            source, f"zip bomb: declares {total} bytes uncompressed (limit {MAX_UNCOMPRESSED})"
        )
    for info in infos:
        if info.file_size >= RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise DocumentError(
                source, f"zip bomb: {info.filename} compresses more than {MAX_RATIO}:1"
            )
    if total >= RATIO_FLOOR and total > MAX_RATIO * size:
        raise DocumentError(source, f"zip bomb: archive expands more than {MAX_RATIO}:1")


def _read_member(archive: zipfile.ZipFile, name: str, source: str) -> bytes:
    info = archive.getinfo(name)
    limit = min(info.file_size, MAX_UNCOMPRESSED)
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except _ZIP_ERRORS as exc:
        raise DocumentError(source, f"cannot read {name}: truncated or corrupt ({exc})") from exc
    if len(data) > limit:
        raise DocumentError(source, f"{name} is larger than its zip header declares")
    return data


def _parse_xml(raw: bytes, source: str, name: str) -> Any:
    # UTF-8/UTF-16 only, no DOCTYPE or ENTITY, then lxml with entities, DTDs, the network
    # and huge trees off (loaders/safety.py)
    try:
        return parse_xml(raw)
    except UnsafeXmlError as exc:
        raise DocumentError(source, f"unsafe XML in {name}: {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise DocumentError(source, f"malformed XML in {name}: {exc}") from exc


# --------------------------------------------------------------------------- readings


def _local(element: Any) -> str | None:
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith(W):
        return None
    return tag[len(W) :]


def _top_paragraphs(body: Any) -> Iterator[Any]:
    for p in body.iter(f"{W}p"):
        if not any(a.tag == f"{W}p" for a in p.iterancestors()):
            yield p


@dataclass
class _Open:
    kind: str
    author: str | None
    date: str | None
    parts: list[str] = field(default_factory=list)


@dataclass
class _Acc:
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    mark_deleted: bool = False
    mark_inserted: bool = False


class _Collector:
    """Walks w:p elements; counts text inserted and then deleted (in neither reading)."""

    def __init__(self, numbering: Numbering | None = None) -> None:
        self.inserted_then_deleted = 0
        self.numbering = numbering or Numbering(None)

    def paragraph(self, p: Any) -> Paragraph:
        acc = _Acc()
        # a w:p inside w:ins/w:del (not valid WordprocessingML, but written by some tools):
        # the whole paragraph, mark included, is inserted or deleted
        ins, dele = False, False
        open_: list[_Open] = []
        for ancestor in p.iterancestors():
            kind = _local(ancestor)
            if kind in _CHANGE_KINDS:
                inserting = kind in ("ins", "moveTo")
                ins, dele = ins or inserting, dele or not inserting
                open_.append(
                    _Open(_CHANGE_KINDS[kind], ancestor.get(f"{W}author"), ancestor.get(f"{W}date"))
                )
        for child in p:
            self._visit(child, acc, ins, dele, open_)
        for change in open_:
            acc.changes.append(
                Change(change.kind, change.author, change.date, "".join(change.parts))
            )
        ppr = p.find(f"{W}pPr")
        old = ppr.find(f"{W}pPrChange/{W}pPr") if ppr is not None else None
        after = self.numbering.reference(ppr)
        return Paragraph(
            "".join(acc.before),
            "".join(acc.after),
            acc.mark_deleted or dele,
            acc.mark_inserted or ins,
            tuple(acc.changes),
            numbering_before=after if old is None else self.numbering.reference(old),
            numbering_after=after,
        )

    def _visit(self, el: Any, acc: _Acc, ins: bool, dele: bool, open_: list[_Open]) -> None:
        name = _local(el)
        if el.tag == _MC_ALTERNATE or name in _SKIP:
            return
        if name == "pPr":
            self._paragraph_mark(el, acc)
            return
        if name in _CHANGE_KINDS:
            change = _Open(_CHANGE_KINDS[name], el.get(f"{W}author"), el.get(f"{W}date"))
            inserting = name in ("ins", "moveTo")
            for child in el:
                self._visit(child, acc, ins or inserting, dele or not inserting, [*open_, change])
            acc.changes.append(
                Change(change.kind, change.author, change.date, "".join(change.parts))
            )
            return
        text = _TEXT_OF.get(name or "")
        if name in ("t", "delText"):
            text = el.text or ""
        elif name == "footnoteReference":
            text = f"[footnoteRef:{el.get(f'{W}id')}]"
        if text is None:
            for child in el:
                self._visit(child, acc, ins, dele, open_)
            return
        self._emit(text, acc, ins, dele, open_)

    def _emit(self, text: str, acc: _Acc, ins: bool, dele: bool, open_: list[_Open]) -> None:
        for change in open_:
            change.parts.append(text)
        # Text deleted inside an insertion was added by one revision and removed by another:
        # it is not in the original (before) text and not in the accepted (after) text, so
        # it belongs to neither reading. Word's "accept all"/"reject all" agree with this.
        if ins and dele:
            self.inserted_then_deleted += 1
            return
        if not ins:
            acc.before.append(text)
        if not dele:
            acc.after.append(text)

    def _paragraph_mark(self, ppr: Any, acc: _Acc) -> None:
        rpr = ppr.find(f"{W}rPr")
        if rpr is None:
            return
        for mark in rpr:
            kind = _local(mark)
            if kind in ("del", "moveFrom"):
                acc.mark_deleted = True
            elif kind in ("ins", "moveTo"):
                acc.mark_inserted = True
            else:
                continue
            acc.changes.append(
                Change(
                    f"paragraph_mark_{_CHANGE_KINDS[kind]}",
                    mark.get(f"{W}author"),
                    mark.get(f"{W}date"),
                    "",
                )
            )


_TEXT_OF = {"tab": "\t", "br": " ", "cr": " ", "noBreakHyphen": "\u2011", "softHyphen": ""}


def _label(paragraphs: tuple[Paragraph, ...], numbering: Numbering) -> tuple[Paragraph, ...]:
    """Give each paragraph that ends a reading line the label its Word numbering displays
    there, counting each reading on its own: a paragraph deleted with its mark is not counted
    in the after reading, an inserted one not in the before reading. A line takes the
    numbering of the paragraph that ends it (the mark that survives), and an empty line is
    neither labelled nor counted."""
    if not numbering:
        return paragraphs
    labels: dict[str, list[str | None]] = {}
    for reading in ("before", "after"):
        counters = Counters(numbering)
        out: list[str | None] = []
        line: list[str] = []
        for para in paragraphs:
            line.append(para.after if reading == "after" else para.before)
            merged = para.mark_deleted if reading == "after" else para.mark_inserted
            ref = para.numbering_after if reading == "after" else para.numbering_before
            label = None
            if not merged:
                if ref is not None and "".join(line).strip():
                    label = counters.label(ref)
                line = []
            out.append(label)
        labels[reading] = out
    return tuple(
        replace(para, label_before=before, label_after=after) if before or after else para
        for para, before, after in zip(paragraphs, labels["before"], labels["after"], strict=True)
    )


def _join(paragraphs: Sequence[Paragraph], reading: str) -> tuple[str, tuple[tuple[int, ...], ...]]:
    """Join paragraphs into one reading; a paragraph whose mark is absent from the reading
    (deleted for "after", inserted for "before") runs on into the next one. A line whose
    last paragraph has a numbering label starts with it and a tab, as if typed."""
    parts: list[str] = []
    lines: list[list[int]] = [[]]
    start = 0  # where the current line starts in parts
    for index, para in enumerate(paragraphs):
        text = para.after if reading == "after" else para.before
        merged = para.mark_deleted if reading == "after" else para.mark_inserted
        parts.append(text)
        lines[-1].append(index)
        if not merged:
            label = para.label_after if reading == "after" else para.label_before
            if label:
                parts.insert(start, f"{label}\t")
            parts.append("\n")
            lines.append([])
            start = len(parts)
    return "".join(parts), tuple(tuple(line) for line in lines)


def _footnotes(root: Any) -> dict[str, str]:
    collector = _Collector()
    notes: dict[str, str] = {}
    for note in root.iter(f"{W}footnote"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        texts = [collector.paragraph(p).after for p in note.iter(f"{W}p")]
        notes[str(note.get(f"{W}id"))] = " ".join(" ".join(texts).split())
    return notes


# --------------------------------------------------------------------------- both readings


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
        references = tuple(
            ClauseReference(clause.eid, clause.label, section.heading, mention)
            for section in sections
            for top in section.clauses
            for clause in top.walk()
            for mention in clause.mentions
        )
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
