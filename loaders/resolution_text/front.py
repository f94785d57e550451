"""The front matter of a resolution or contribution: the RESOLUTION header, its revision
(on the header line or its own), the title block, history, assembly, abstract, proposing
administration and adopting body."""

from __future__ import annotations

import re
from collections.abc import Iterator

from loaders.codes import PREFIX_BODY
from loaders.references import Meeting, Revision, fold, parse_meeting
from loaders.resolution_text.base import _BOOKMARK, _Line, _ParserState
from loaders.resolution_text.headings import _match_heading
from loaders.resolution_text.model import Assembly, Header

_ACTION = re.compile(r"^\s*(?P<action>MOD|ADD|SUP)\b")
_HEADER = re.compile(
    r"^\s*(?:(?:MOD|ADD|SUP)\s+)?(?:DRAFT\s+)?(?:NEW\s+)?(?P<kw>RESOLUTION|Resolution)\s+"
    r"(?:(?P<prefix>ITU-[RTD])\s+)?(?P<number>\d{1,4}(?:/\d{1,4})?(?:-\d{1,2})?|\[[^\]\s]{1,20}\]|[A-Z]{2,8}(?:-[A-Z]{2,8})?/\d{1,3})"
    r"\s*(?:\((?P<rev>[^()]{1,120})\))?\s*(?P<rest>.*)$",
    re.ASCII,
)
_ABSTRACT = re.compile(r"^\s*Abstract\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
_PROPOSES = re.compile(
    r"^\s*(?:The\s+)?(?P<admin>[A-Z][\w'.-]*(?:\s+(?:of|the|and|[A-Z][\w'.-]*))*?)\s+"
    r"(?:hereby\s+)?proposes?\b"
)
_SOURCE = re.compile(r"^\s*Source\s*:\s*(?P<admin>\S.{1,100}?)\s*$", re.IGNORECASE)
_HISTORY = re.compile(r"^\s*\((?P<inner>[^()]{6,400})\)\s*\.?\s*$", re.ASCII)
_YEAR = re.compile(r"\d{4}", re.ASCII)
_HISTORY_ITEM = re.compile(r"(?P<place>[^\d;,()]+?)\s*,\s*(?P<year>\d{4}(?:\d{4})?)\b", re.ASCII)
_ASSEMBLY = re.compile(
    r"^\s*The\s+(?P<name>[A-Z][^()]{3,120}?)\s*(?:\((?P<meet>[^()]{1,120})\))?\s*,?\s*$"
)
_ASSEMBLY_BODIES = (
    ("world telecommunication standardization assembly", "WTSA"),
    ("plenipotentiary conference", "PP"),
    ("world telecommunication development conference", "WTDC"),
    ("radiocommunication assembly", "RA"),
    ("general assembly", "UNGA"),
    ("council", "Council"),
)


def _is_intro(folded_line: str) -> bool:
    """ "The World Telecommunication Standardization Assembly (Geneva, 2022),": the words
    before the sections."""
    m = _ASSEMBLY.match(folded_line)
    if m is None or not folded_line.rstrip().endswith(","):
        return False
    name = m.group("name").lower()
    return any(key in name for key, _ in _ASSEMBLY_BODIES)


def is_header(line: str) -> bool:
    """Whether a line is a resolution's header ("RESOLUTION 75 (Rev. Geneva, 2022)")."""
    return _is_header(fold(line).folded)


def _is_header(folded_line: str) -> bool:
    m = _HEADER.match(folded_line)
    if m is None:
        return False
    return len(m.group("rest").strip()) <= 10 and (
        m.group("kw") == "RESOLUTION" or not m.group("rest").strip()
    )


class _FrontMatter(_ParserState):
    """The header and the words before the sections: number, revision, title, history,
    assembly, abstract, proposing administration, adopting body."""

    def _find_header(self) -> int | None:
        for i, line in enumerate(self.lines):
            if _match_heading(line.folded):
                return None
            if _is_header(line.folded):
                return i
        return None

    def _header(self, header_idx: int | None, first: int | None) -> Header:
        end = first if first is not None else len(self.lines)
        front = self.lines[: header_idx if header_idx is not None else end]
        action = self._action(header_idx)
        number = prefix = None
        revision: Revision | None = None
        if header_idx is not None:
            line = self.lines[header_idx]
            m = _HEADER.match(line.folded)
            if m is not None:
                number, prefix = m.group("number"), m.group("prefix")
                if m.group("rev"):
                    revision, notes = parse_meeting(line.ft.original_of(*m.span("rev")))
                    self.notes(notes, f"line {line.no}")
        block_start = header_idx + 1 if header_idx is not None else 0
        if header_idx is not None and revision is None:
            revision = self._split_revision(block_start, end)
        title, history, assembly = self._title_block(block_start, end, header_idx is not None)
        abstract = self._abstract(front)
        admin = self._administration(front)
        body = (
            (assembly.body if assembly else None)
            or (PREFIX_BODY.get(prefix or ""))
            or (self._body_from_front(front, number))
        )
        kind = "contribution" if (abstract or admin or action) else "resolution"
        return Header(
            kind, abstract, admin, action, body, number, title, revision, tuple(history), assembly
        )

    def _action(self, header_idx: int | None) -> str | None:
        if header_idx is None:
            return None
        for line in reversed(self.lines[max(0, header_idx - 3) : header_idx + 1]):
            m = _ACTION.match(line.folded)
            if m is not None:
                return m.group("action")
        return None

    def _split_revision(self, start: int, end: int) -> Revision | None:
        """A header split over lines: "RESOLUTION 75" / title / "(Rev. Dubai, 2012)" or, for a
        first adoption, "(Dubai, 2012)" with the history (if any) on a later line. The line is
        taken as the revision only when it is one meeting, or says "Rev."; it is then blanked
        for the title block."""
        for i in range(start, min(end, start + 8)):
            line = self.lines[i]
            text = line.folded.strip()
            hist = _HISTORY.match(text) if text.startswith("(") else None
            if hist is None:
                continue
            inner = hist.group("inner").strip()
            single = len(_YEAR.findall(inner)) == 1 and ";" not in inner
            if not (inner.lower().startswith("rev") or single):
                return None
            if self._assembly(line) is not None:
                return None
            begin = line.ft.folded.index("(") + 1
            revision, notes = parse_meeting(line.ft.original_of(begin, begin + len(inner)))
            if revision is None:
                return None
            self.notes(notes, f"line {line.no}")
            self.warn(
                "split_header",
                f"the revision ({inner}) read from its own line under the RESOLUTION header",
                f"line {line.no}",
            )
            self.lines[i] = _Line(line.no, fold(""))
            return revision
        return None

    def _title_block(
        self, start: int, end: int, has_header: bool
    ) -> tuple[str | None, list[Meeting], Assembly | None]:
        title: list[str] = []
        history: list[Meeting] = []
        assembly: Assembly | None = None
        for line in self.lines[start:end]:
            text = line.folded.strip()
            if not text:
                continue
            hist = _HISTORY.match(text)
            if hist is not None and not assembly and _YEAR.search(hist.group("inner")):
                history.extend(self._history(line, hist.group("inner")))
                continue
            found = self._assembly(line)
            if found is not None:
                assembly = found
            elif has_header and not history and assembly is None and len(title) < 4:
                title.append(" ".join(_BOOKMARK.sub("", line.ft.original).split()))
        return (" ".join(title) or None), history, assembly

    def _history(self, line: _Line, inner: str) -> Iterator[Meeting]:
        for m in _HISTORY_ITEM.finditer(inner):
            revision, notes = parse_meeting(f"{m.group('place').strip()}, {m.group('year')}")
            self.notes(notes, f"line {line.no}")
            if revision is None:
                self.warn("unparsed_history", f"'{m.group(0).strip()}'", f"line {line.no}")
                continue
            if revision.before is not None:
                yield revision.before
            yield revision.meeting

    def _assembly(self, line: _Line) -> Assembly | None:
        m = _ASSEMBLY.match(line.folded)
        if m is None or not line.folded.rstrip().endswith(","):
            return None
        name = " ".join(m.group("name").split())
        low = name.lower()
        body = next((b for key, b in _ASSEMBLY_BODIES if key in low), None)
        if body is None:
            return None
        in_force = proposed = None
        if m.group("meet"):
            revision, notes = parse_meeting(line.ft.original_of(*m.span("meet")))
            self.notes(notes, f"line {line.no}")
            if revision is not None:
                in_force = revision.before or revision.meeting
                proposed = revision.meeting if revision.before else None
        return Assembly(name, body, in_force, proposed)

    def _abstract(self, front: list[_Line]) -> str | None:
        for i, line in enumerate(front):
            m = _ABSTRACT.match(line.folded)
            if m is None:
                continue
            parts = [line.ft.original[m.start("rest") :].strip()] if m.group("rest") else []
            for nxt in front[i + 1 :]:
                if not nxt.folded.strip():
                    if parts:
                        break
                    continue
                parts.append(nxt.ft.original.strip())
            return " ".join(" ".join(parts).split()) or None
        return None

    def _administration(self, front: list[_Line]) -> str | None:
        for line in front:
            m = _SOURCE.match(line.folded) or _PROPOSES.match(line.folded)
            if m is not None and m.group("admin") not in ("This", "It", "ITU"):
                return " ".join(m.group("admin").split())
        return None

    def _body_from_front(self, front: list[_Line], number: str | None) -> str | None:
        if number is None:
            return None
        text = " ".join(line.folded for line in front)
        names = r"(?P<body>WTSA|PP|WTDC|RA|Plenipotentiary Conference|Radiocommunication Assembly)"
        num = re.escape(number)
        m = re.search(rf"Resolution {num}\b(?: \([^()]*\))? of (?:the )?{names}", text) or (
            re.search(rf"\b{names}(?:-\d\d)? Resolution {num}\b", text)
        )
        if m is None:
            return None
        found = m.group("body")
        return {"Plenipotentiary Conference": "PP", "Radiocommunication Assembly": "RA"}.get(
            found, found
        )
