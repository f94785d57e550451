"""Parse the plain text of an ITU resolution, or of a contribution proposing to change one.

The text may be a tracked-changes document *flattened* to text, where deleted and inserted
words run together ("consideringrecalling", "eb)", "(GenevaNew Delfi, 20222024)"). The parser
never guesses silently: every place where it had to cut a merged token, or infer which
reading a clause belongs to, is reported as a warning.

Public API: :func:`parse_text`, :func:`parse_file`, :func:`decode_bytes` and the frozen
dataclasses below; ``loaders.docx_revisions.parse_docx`` builds the same tree from a .docx.
Every bad input raises :class:`loaders.errors.DocumentError` naming the source and problem.

JSON form (``ParsedDocument.to_json()``)
=======================================

::

    {
      "source": str,                          # file name or caller's label
      "document": {
        "kind": "contribution" | "resolution",
        "abstract": str | null,               # contributions: the "Abstract:" paragraph
        "proposing_administration": str | null,   # "Russian Federation" ("X proposes", "Source:")
        "action": "MOD" | "ADD" | "SUP" | null,
        "body": "WTSA" | "PP" | "WTDC" | "RA" | "Council" | "UNGA" | null,
        "number": str | null,                 # "75", "ITU-R 61" is {"number": "61", body RA}
        "title": str | null,
        "revisions": {                        # from "RESOLUTION 75 (Rev. Geneva, 2022)"
          "as_written": str | null,
          "in_force": Meeting | null,         # the revision being amended (or the only one)
          "proposed": Meeting | null          # the revision a MOD/ADD proposes, if written
        },
        "history": [Meeting, ...],            # "(Johannesburg, 2008; Dubai, 2012; ...)"
        "assembly": {"name": str, "body": str | null,
                     "in_force": Meeting | null, "proposed": Meeting | null} | null
      },
      "sections": [{
        "eid": str,                           # "considering", "noting-further", "instructs"
        "heading": str,                       # as written ("consideringrecalling")
        "heading_old": str | null, "heading_new": str | null,   # only for a merged heading
        "keyword": str,                       # "considering", "instructs", "invites", ...
        "kind": "preambular" | "operative",
        "addressee": str | null,              # instructs/invites/requests ... whom
        "line": int,                          # 1-based line of the heading
        "clauses": [Clause, ...]
      }, ...],
      "references": [Reference & {"clause_eid": str, "clause_label": str | null,
                                  "section": str}, ...],
      "warnings": [{"code": str, "message": str, "place": str,
                    "clause": str | null}, ...],      # clause: the eid it concerns
      "footnotes": [{"id": str, "marker": str, "text": str}, ...]
    }

    Meeting = {"place": {"as_written": str, "normalised": str, "known": bool} | null,
               "year": int | null}

    Clause = {
      "eid": str,            # "recognising__a", "instructs__3", "considering__b__list_1__i",
                             # "noting-further__1" (unlabelled), "considering__before_a"
                             # (a clause only in the before reading); unique, stable
      "label": str | null,   # label in the after (new) reading: "b)", "3"; null if unlabelled
                             # or if the clause exists only in the before reading
      "old_label": str | null,        # before-reading label when it differs ("e)")
      "label_as_written": str | null, # "eb)"
      "reading": "both" | "before" | "after",   # which reading(s) hold the clause
      "order": int,          # 1-based position among its siblings
      "line": int,           # 1-based line where it starts
      "text": str,           # original text after the label (continuation lines joined by \\n)
      "plain_text": str,     # text without footnote/bookmark markup, whitespace collapsed
      "footnotes": [{"id", "marker", "text"}],
      "mentions": [Reference, ...],      # offsets index "text"
      "children": [Clause, ...],          # a nested list (i), ii), ...)
      "moved_from": {"section": str, "heading": str, "label": str} | null,
                             # flattened text: the clause stood in another section before
      "inferred_change": {"status": "deleted", "likelihood": "likely",
                          "cues": [str, ...]} | null,   # read from cues, not from the label
      # only from .docx (parse_docx):
      "status": "unchanged" | "modified" | "added" | "deleted",
      "text_before": str | null, "text_after": str | null,
      "changes": [{"kind": str, "author": str | null, "date": str | null, "text": str}]
    }

    Reference = {"type": str, "text": str, "start": int, "end": int, ...typed fields}
      (see loaders.references.Reference: action_line code/title/role; resolution body/
       number/revision/body_basis; *_paragraph paragraphs/subparagraphs/range_text; sdg_goal
       and sdg_target code; body code)

Readings of a flattened text: a merged label ("eb)") gives both readings; a single label is
placed in the before reading, the after reading or both by aligning the two label sequences
(a dynamic programme preferring consecutive labels). So "a) b) c) d) <blank> a) eb) fc)" is
read as a)-d) deleted, a) inserted, e)→b), f)→c), each inference with a warning.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from loaders.errors import DocumentError
from loaders.references import (
    FoldedText,
    Meeting,
    Note,
    Reference,
    Revision,
    find_references,
    fold,
    parse_meeting,
)
from loaders.unicode import check_text, nfc, surrogate_place

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Change",
    "Clause",
    "ClauseReference",
    "Footnote",
    "Header",
    "InferredChange",
    "MovedFrom",
    "ParseWarning",
    "ParsedDocument",
    "Section",
    "decode_bytes",
    "is_header",
    "is_heading",
    "parse_file",
    "parse_structure",
    "parse_text",
    "section_keys",
    "slug",
]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_MAX_LIST_FOR_ALIGNMENT = 400

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


# --------------------------------------------------------------------------- entry points


def parse_file(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedDocument:
    """Read, decode and parse a text file (UTF-8/16/32 with BOM, UTF-8, or cp1252)."""
    source = os.fspath(path)
    data = _read_bounded(Path(source), source, max_bytes)
    return parse_text(decode_bytes(data, source), source)


def _read_bounded(path: Path, source: str, max_bytes: int) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise DocumentError(source, f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise DocumentError(source, f"file larger than the limit of {max_bytes} bytes")
    return data


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a text file's bytes: BOM first, then strict UTF-8, then cp1252."""
    if not data.strip():
        raise DocumentError(source, "empty file")
    if data.startswith(b"PK\x03\x04"):
        raise DocumentError(source, "is a zip archive (a .docx?): use parse_docx")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                found = surrogate_place(data[len(bom) :], encoding)
                problem = f"invalid {encoding} after its BOM"
                raise DocumentError(source, f"{problem}: {found}" if found else problem) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # UTF-8 but for an encoded lone surrogate: refused with its line, not read as cp1252
        found = surrogate_place(data, "utf-8")
        if found:
            raise DocumentError(source, f"invalid UTF-8: {found}") from None
    if b"\x00" in data:
        raise DocumentError(source, "binary content (NUL bytes), not a text file")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DocumentError(source, "not text: undecodable as UTF-8 or cp1252") from exc


_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # category Cc but tab, LF
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def parse_text(
    text: str, source: str = "<text>", *, max_chars: int = DEFAULT_MAX_BYTES
) -> ParsedDocument:
    """Parse a resolution or contribution text into a :class:`ParsedDocument`."""
    return parse_structure(text, source, max_chars=max_chars)


def parse_structure(
    text: str,
    source: str,
    *,
    footnotes: Mapping[str, str] | None = None,
    flattened: bool = True,
    max_chars: int = DEFAULT_MAX_BYTES,
) -> ParsedDocument:
    """The structure parser shared by text and docx: ``footnotes`` maps footnote id → text
    for markers ``[footnoteRef:ID]`` whose text is not inline. With ``flattened=False`` (one
    clean reading, as from a .docx) labels are taken as written: no merged labels, no
    before/after inference."""
    if len(text) > max_chars:
        raise DocumentError(source, f"text longer than the limit of {max_chars} characters")
    text = _LINE_BREAKS.sub("\n", text.removeprefix("\ufeff"))
    _check_text(text, source)
    # only characters (a lone surrogate, or what XML cannot carry, is refused with its line),
    # in NFC (docs/reliability.md, section 6)
    check_text(text, source)
    text = nfc(text)
    notes = {key: nfc(note) for key, note in (footnotes or {}).items()}
    return _Parser(source, text, notes, flattened=flattened).run()


def _check_text(text: str, source: str) -> None:
    if not text.strip():
        raise DocumentError(source, "empty document")
    if "\x00" in text:
        raise DocumentError(source, "binary content (NUL characters), not a text file")
    controls = len(_CONTROL_CHARS.findall(text))
    if controls > max(8, len(text) // 200):
        raise DocumentError(source, f"binary content ({controls} control characters)")
    if "\ufffd" in text and text.count("\ufffd") > max(8, len(text) // 200):
        raise DocumentError(source, "binary content (undecodable characters)")


# --------------------------------------------------------------------------- headings

_PREAMBULAR = {
    "acknowledging",
    "aware",
    "being aware",
    "bearing in mind",
    "concerned",
    "conscious",
    "considering",
    "considering also",
    "considering further",
    "considering furthermore",
    "convinced",
    "emphasizing",
    "emphasising",
    "expressing",
    "further considering",
    "further noting",
    "further recalling",
    "further recognizing",
    "further recognising",
    "guided by",
    "having considered",
    "having noted",
    "having regard to",
    "highlighting",
    "in view of",
    "mindful",
    "noting",
    "noting also",
    "noting further",
    "noting with concern",
    "noting with appreciation",
    "noting with satisfaction",
    "observing",
    "reaffirming",
    "realizing",
    "recalling",
    "recalling also",
    "recalling further",
    "recognizing",
    "recognising",
    "recognizing also",
    "recognising also",
    "recognizing further",
    "recognising further",
    "referring to",
    "stressing",
    "taking into account",
    "taking into account also",
    "taking into account further",
    "taking note",
    "underlining",
    "welcoming",
}
_OPERATIVE = {
    "adopts",
    "agrees",
    "approves",
    "authorizes",
    "decides",
    "endorses",
    "further resolves",
    "recommends",
    "resolves",
    "resolves also",
    "resolves further",
    "supports",
}
_ADDRESSED = re.compile(
    r"^(?P<kw>(?:further )?(?:instructs|invites|requests|encourages|urges|calls upon|calls on|"
    r"appeals to|asks|charges|directs)(?: also| further)?)(?P<rest>(?: .*)?)$"
)


# addressees that hold "to" + a lowercase word: "the Member States party to ...", rare
_ADDRESSEE_TO = re.compile(r"\b(?:party|parties|according|pursuant|related|relating)\s+to\b")


@dataclass(frozen=True)
class _Heading:
    heading: str
    keyword: str
    kind: str
    addressee: str | None
    old: str | None = None
    new: str | None = None


_MISSING_HEADING = _Heading("", "preamble", "preambular", None)


def is_header(line: str) -> bool:
    """Whether a line is a resolution's header ("RESOLUTION 75 (Rev. Geneva, 2022)")."""
    return _is_header(fold(line).folded)


def is_heading(line: str) -> bool:
    """Whether a line is a section heading ("considering", "instructs the Director of …")."""
    return _match_heading(fold(line).folded) is not None


def _match_heading(folded_line: str) -> _Heading | None:
    text = " ".join(folded_line.split()).rstrip(",:").rstrip()
    if not text or len(text) > 250 or text[-1] in ";.":
        return None
    simple = _simple_heading(text)
    if simple is not None:
        return simple
    low = text.lower()
    for i in range(4, min(len(text) - 3, 40)):
        left = low[:i]
        if not (low[i - 1].isalpha() and low[i].isalpha()):
            continue
        if left in _PREAMBULAR or left in _OPERATIVE or _ADDRESSED.match(left):
            new = _simple_heading(text[i:])
            if new is not None:
                return _Heading(text, new.keyword, new.kind, new.addressee, text[:i], text[i:])
    return None


def _simple_heading(text: str) -> _Heading | None:
    low = text.lower()
    if low in _PREAMBULAR:
        return _Heading(text, low, "preambular", None)
    if low in _OPERATIVE:
        return _Heading(text, low, "operative", None)
    m = _ADDRESSED.match(low)
    if m is None:
        return None
    rest = text[m.start("rest") :].strip(" ,:")
    first = rest.split(" ", 1)[0].lower() if rest else ""
    if first in ("to", "that", "in", "on", "for") or ";" in rest:
        return None
    if re.search(r"\bto\s+[a-z]", rest) and not _ADDRESSEE_TO.search(rest):
        return None  # "asks each Sector to contribute": a clause, not a heading
    return _Heading(text, m.group("kw"), "operative", rest or None)


# --------------------------------------------------------------------------- header

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
_PREFIX_BODY = {"ITU-R": "RA", "ITU-T": "WTSA", "ITU-D": "WTDC"}
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_FOOTNOTE_REF = re.compile(r"\[footnoteRef:(?P<id>\d+)\](?P<marker>\d*)", re.ASCII)
_FOOTNOTE_DEF = re.compile(
    r"\[(?P<id>\d+):[ \t]*(?P<marker>\d*)[ \t]*(?P<body>[^\[\]]*)\]", re.ASCII
)
_STOP = re.compile(r"^\s*(?:ANNEX|Annex|APPENDIX|Appendix|ATTACHMENT|Reasons\s*:|_{5,}|-{5,})")
_ARTIFACT = re.compile(r"^\s*\S+\.(?:png|jpe?g|gif|emf|wmf|bmp|tiff?)\s*$", re.IGNORECASE)
_DOUBLED_PUNCT = re.compile(r"[;:,]\s*[;:]|;\s*,")

# --------------------------------------------------------------------------- labels

_ALPHA_LABEL = re.compile(r"^[ \t]*(?P<label>[a-z]{1,6})\)[ \t]*", re.ASCII)
_NUM_LABEL = re.compile(r"^[ \t]*(?P<label>[1-9]\d{0,2})(?:[.)][ \t]+|\t[ \t]*| {2,})", re.ASCII)
_ROMAN_VALUES = {
    r: i
    for i, r in enumerate(
        (t + u).lower()
        for t in ("", "X", "XX", "XXX")
        for u in ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
    )
    if r
}
_ROMAN_NAMES = {i: r for r, i in _ROMAN_VALUES.items()}


def _index(label: str, scheme: str) -> int | None:
    """0-based position of ``label`` in ``scheme`` ("num", "alpha", "roman"), or None."""
    if scheme == "num":
        return int(label) - 1 if label.isdigit() and label[0] != "0" else None
    if scheme == "roman":
        value = _ROMAN_VALUES.get(label)
        return value - 1 if value else None
    if len(label) == 1 and "a" <= label <= "z":
        return ord(label) - ord("a")
    if len(label) == 2 and label[0] == label[1] and "a" <= label[0] <= "z":
        return 26 + ord(label[0]) - ord("a")
    return None


def _name(index: int, scheme: str) -> str:
    if scheme == "num":
        return str(index + 1)
    if scheme == "roman":
        return _ROMAN_NAMES[index + 1] + ")"
    letter = chr(ord("a") + index % 26)
    return (letter if index < 26 else letter * 2) + ")"


def _interpretations(label: str, scheme: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Single readings of ``label`` and merged (old, new) splits, within ``scheme``."""
    single = _index(label, scheme)
    merged: list[tuple[int, int]] = []
    for k in range(1, len(label)):
        old, new = _index(label[:k], scheme), _index(label[k:], scheme)
        if old is not None and new is not None:
            merged.append((old, new))
    return ([single] if single is not None else []), merged


@dataclass(frozen=True)
class _LabelReading:
    reading: str
    old: int | None
    new: int | None
    merged: bool
    irregular: bool


_State = tuple[int | None, int | None]


def _step(last: int | None, index: int) -> float:
    if last is None:
        return 0.0 if index == 0 else 1.0
    if index == last + 1:
        return 0.0
    return 3.0 if index > last else 10.0


def _options(
    state: _State, label: str, scheme: str
) -> Iterator[tuple[float, _State, _LabelReading]]:
    lo, ln = state
    singles, merged = _interpretations(label, scheme)
    for i in singles:
        both = _step(lo, i) + _step(ln, i)
        yield both, (i, i), _LabelReading("both", i, i, False, both >= 3)
        after = 0.5 + _step(ln, i)
        yield after, (lo, i), _LabelReading("after", None, i, False, after >= 3)
        before = 0.5 + _step(lo, i)
        yield before, (i, ln), _LabelReading("before", i, None, False, before >= 3)
    for old, new in merged:
        cost = 0.3 + (1.0 if old == new else 0.0) + _step(lo, old) + _step(ln, new)
        yield cost, (old, new), _LabelReading("both", old, new, True, cost >= 3)
    if not singles and not merged:
        yield 10.0, state, _LabelReading("both", None, None, False, True)


def _align_labels(labels: list[str], scheme: str) -> list[_LabelReading]:
    """Choose, for each label of one list, its before/after readings (least total cost)."""
    if len(labels) > _MAX_LIST_FOR_ALIGNMENT:
        return [_plain_reading(label, scheme) for label in labels]
    frontier: dict[_State, tuple[float, list[_LabelReading]]] = {(None, None): (0.0, [])}
    for label in labels:
        nxt: dict[_State, tuple[float, list[_LabelReading]]] = {}
        for state, (cost, path) in frontier.items():
            for extra, new_state, reading in _options(state, label, scheme):
                total = cost + extra
                if new_state not in nxt or total < nxt[new_state][0]:
                    nxt[new_state] = (total, [*path, reading])
        frontier = dict(sorted(nxt.items(), key=lambda kv: kv[1][0])[:48])
    return min(frontier.values(), key=lambda v: v[0])[1]


def _plain_reading(label: str, scheme: str) -> _LabelReading:
    index = _index(label, scheme)
    return _LabelReading("both", index, index, False, index is None)


# --------------------------------------------------------------------------- raw structure


@dataclass
class _Item:
    line: int
    label: str | None
    text: str
    blank_before: bool
    written: str | None = None
    scheme: str | None = None
    reading: _LabelReading | None = None
    children: list[_Item] = field(default_factory=list)
    child_scheme: str | None = None
    more: list[str] = field(default_factory=list)  # unlabelled continuation lines
    moved_from: MovedFrom | None = None
    inferred: InferredChange | None = None

    @property
    def full_text(self) -> str:
        return "\n".join([self.text, *self.more]) if self.more else self.text

    @property
    def last_line(self) -> str:
        return self.more[-1] if self.more else self.text

    def values(self, scheme: str) -> set[int]:
        if self.label is None:
            return set()
        singles, merged = _interpretations(self.label, scheme)
        return set(singles) | {v for pair in merged for v in pair}


@dataclass
class _Frame:
    scheme: str
    items: list[_Item]


def _continues(frame: _Frame, item: _Item) -> bool:
    label = item.label or ""
    if frame.scheme == "num":
        return label.isdigit()
    if frame.scheme == "alpha":
        singles, merged = _interpretations(label, "alpha")
        return bool(singles or merged)
    successors = {v + 1 for v in frame.items[-1].values("roman")}
    return bool(item.values("roman") & successors)


def _starts_sublist(frame: _Frame, item: _Item) -> str | None:
    last = frame.items[-1]
    if last.children:
        return None
    label = item.label or ""
    if frame.scheme == "num" and not label.isdigit():
        if 0 in item.values("alpha"):
            return "alpha"
        if label == "i" and last.last_line.rstrip().endswith(":"):
            return "roman"  # "2 to coordinate …:" then "i) …", "ii) …"
    if frame.scheme == "alpha" and label == "i":
        ends_colon = last.last_line.rstrip().endswith(":")
        if ends_colon or 7 not in last.values("alpha"):
            return "roman"
    return None


def _build_tree(items: list[_Item]) -> tuple[list[_Item], list[_Frame]]:
    """Nest labelled items into lists; unlabelled lines continue the last item."""
    roots: list[_Item] = []
    frames: list[_Frame] = []
    stack: list[_Frame] = []
    for item in items:
        if item.label is None:
            if stack:
                last = stack[-1].items[-1]
                last.more.append(item.text)
            else:
                roots.append(item)
            continue
        placed = False
        while stack and not placed:
            frame = stack[-1]
            sub = _starts_sublist(frame, item)
            if sub is not None:
                parent = frame.items[-1]
                parent.child_scheme = sub
                parent.children.append(item)
                item.scheme = sub
                stack.append(_Frame(sub, [item]))
                frames.append(stack[-1])
                placed = True
            elif _continues(frame, item):
                item.scheme = frame.scheme
                frame.items.append(item)
                if len(stack) > 1:
                    stack[-2].items[-1].children.append(item)
                placed = True
            else:
                stack.pop()
        if not placed:
            scheme = "num" if (item.label or "").isdigit() else "alpha"
            item.scheme = scheme
            stack = [_Frame(scheme, [item])]
            frames.append(stack[0])
            roots.append(item)
        elif len(stack) == 1:
            roots.append(item)
    return roots, frames


# --------------------------------------------------------------------------- the parser


@dataclass(frozen=True)
class _Line:
    no: int
    ft: FoldedText

    @property
    def folded(self) -> str:
        return self.ft.folded


@dataclass
class _RawSection:
    heading: _Heading
    line: int
    items: list[_Item]


def slug(text: str) -> str:
    """An eId-safe slug: lower-case ASCII letters, digits and hyphens."""
    ascii_text = unicodedata.normalize("NFKD", fold(text).folded).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.decode().lower()).strip("-") or "x"


class _Parser:
    """One parse of one text; holds the warnings while it runs."""

    def __init__(
        self, source: str, text: str, footnotes: dict[str, str], *, flattened: bool
    ) -> None:
        self.flattened = flattened
        self.source = source
        self.text = text
        self.lines = [_Line(i + 1, fold(line)) for i, line in enumerate(text.split("\n"))]
        self.warnings: list[ParseWarning] = []
        self.footnote_defs = {k: Footnote(k, "", " ".join(v.split())) for k, v in footnotes.items()}
        self.used_eids: set[str] = set()
        self.known_bodies: dict[str, str] = {}
        self.default_body: str | None = None
        self._stopped = False  # the sections end at an annex, "Reasons:" or another header

    def warn(self, code: str, message: str, place: str, clause: str | None = None) -> None:
        self.warnings.append(ParseWarning(code, message, place, clause))

    def _tag(self, since: int, eid: str) -> None:
        """The warnings given since ``since`` concern clause ``eid``."""
        for i in range(since, len(self.warnings)):
            if self.warnings[i].clause is None:
                self.warnings[i] = replace(self.warnings[i], clause=eid)

    def notes(self, notes: tuple[Note, ...] | list[Note], place: str) -> None:
        for note in notes:
            self.warn(note.code, note.message, place)

    def run(self) -> ParsedDocument:
        header_idx = self._find_header()
        start = header_idx + 1 if header_idx is not None else 0
        first = next(
            (i for i in range(start, len(self.lines)) if _match_heading(self.lines[i].folded)),
            None,
        )
        header = self._header(header_idx, first)
        if first is not None:
            first = self._headless_start(start, first)
        self._collect_footnotes()
        raw = self._raw_sections(first) if first is not None else []
        has_clauses = any(section.items for section in raw)
        if header_idx is None and not has_clauses:
            raise DocumentError(
                self.source,
                "no resolution structure found (no RESOLUTION header and no clauses under a "
                "heading such as 'considering' or 'resolves')",
            )
        self.default_body = header.body
        self.known_bodies = self._known_bodies(raw)
        sections = self._sections(raw)
        self._check_ending(sections)
        references = tuple(
            ClauseReference(clause.eid, clause.label, section.heading, mention)
            for section in sections
            for top in section.clauses
            for clause in top.walk()
            for mention in clause.mentions
        )
        return ParsedDocument(
            self.source,
            self.text,
            header,
            sections,
            references,
            tuple(self.warnings),
            tuple(sorted(self.footnote_defs.values(), key=_footnote_order)),
        )

    def _headless_start(self, start: int, first: int) -> int:
        """Where the sections start when labelled clauses follow the assembly's words before
        the first heading (a preamble whose first heading is missing): at those clauses."""
        intro = next((i for i in range(start, first) if _is_intro(self.lines[i].folded)), None)
        if intro is None:
            return first
        for i in range(intro + 1, first):
            item = _make_item(self.lines[i], False)
            if item is not None and item.label is not None:
                return i
        return first

    def _check_ending(self, sections: tuple[Section, ...]) -> None:
        """A text cut off mid-clause (a partial copy, a truncated file) is read as far as it
        goes, with a warning on its last clause."""
        if not sections or not sections[-1].clauses:
            return
        last = sections[-1].clauses[-1]
        while last.children:
            last = last.children[-1]
        text = last.plain_text.rstrip()
        if text and text[-1] not in ".;:,!?)\u201d\"'\u2019]" and not self._stopped:
            self.warn(
                "truncated",
                f"the text ends mid-clause ('...{text[-40:]}'): it may be cut off",
                f"line {last.line}",
                last.eid,
            )

    # ---- header

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
            or (_PREFIX_BODY.get(prefix or ""))
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

    # ---- body of the resolution

    def _collect_footnotes(self) -> None:
        for line in self.lines:
            for m in _FOOTNOTE_DEF.finditer(line.ft.original):
                body = " ".join(m.group("body").split())
                self.footnote_defs[m.group("id")] = Footnote(m.group("id"), m.group("marker"), body)

    def _raw_sections(self, first: int) -> list[_RawSection]:
        sections: list[_RawSection] = []
        blank = False
        for line in self.lines[first:]:
            text = line.folded
            if not text.strip():
                blank = True
                continue
            if _STOP.match(text) or (_is_header(text) and sections):
                self._stopped = True
                self.warn(
                    "trailing_content",
                    f"text from here on is not parsed: '{text.strip()[:60]}'",
                    f"line {line.no}",
                )
                break
            if _ARTIFACT.match(text):
                self.warn("artifact_dropped", f"'{text.strip()}' dropped", f"line {line.no}")
                continue
            heading = _match_heading(text)
            if heading is not None:
                sections.append(_RawSection(heading, line.no, []))
                if heading.old is not None:
                    self.warn(
                        "merged_heading",
                        f"'{heading.heading}' read as '{heading.old}' "
                        f"(before) / '{heading.new}' (after)",
                        f"line {line.no}",
                    )
            else:
                item = _make_item(line, blank)
                if item is not None:
                    if not sections:  # clauses after the assembly's words, before any heading
                        sections.append(_RawSection(_MISSING_HEADING, line.no, []))
                        self.warn(
                            "missing_heading",
                            "clauses before the first heading: kept in a preambular section "
                            "without a heading (the heading, e.g. 'considering', is missing)",
                            f"line {line.no}",
                        )
                    sections[-1].items.append(item)
            blank = False
        return sections

    def _known_bodies(self, raw: list[_RawSection]) -> dict[str, str]:
        seen: dict[str, set[str]] = {}
        for section in raw:
            for item in _walk_items(section.items):
                for ref in find_references(item.full_text).references:
                    if ref.type == "resolution" and ref.body and ref.body_basis == "explicit":
                        seen.setdefault(ref.number or "", set()).add(ref.body)
        return {num: bodies.pop() for num, bodies in seen.items() if len(bodies) == 1}

    def _sections(self, raw: list[_RawSection]) -> tuple[Section, ...]:
        keys = section_keys(
            [(s.heading.old or s.heading.keyword, s.heading.addressee) for s in raw]
        )
        trees = [self._tree(section) for section in raw]
        if self.flattened:
            for i in range(1, len(raw)):
                self._moves(raw[i - 1], keys[i - 1], trees[i - 1], raw[i], trees[i])
            for section, roots in zip(raw, trees, strict=True):
                self._one_reading_lists(section, roots)
        out: list[Section] = []
        for key, section, roots in zip(keys, raw, trees, strict=True):
            h = section.heading
            clauses = self._clauses(roots, key, h.heading)
            if not clauses:
                self.warn("empty_section", f"'{h.heading}' has no clause", f"line {section.line}")
            out.append(
                Section(
                    key,
                    h.heading,
                    h.old,
                    h.new,
                    h.keyword,
                    h.kind,
                    h.addressee,
                    section.line,
                    clauses,
                )
            )
        return tuple(out)

    def _tree(self, section: _RawSection) -> list[_Item]:
        """The section's items nested into lists, each with its reading."""
        roots, frames = _build_tree(section.items)
        for frame in frames:
            labels = [item.label or "" for item in frame.items]
            if not self.flattened:
                for item in frame.items:
                    item.reading = _plain_reading(item.label or "", frame.scheme)
                continue
            for item, reading in zip(frame.items, _align_labels(labels, frame.scheme), strict=True):
                item.reading = reading
        return roots

    # ---- what the label sequences of one section cannot show

    def _moves(
        self,
        before: _RawSection,
        before_key: str,
        before_roots: list[_Item],
        section: _RawSection,
        roots: list[_Item],
    ) -> None:
        """Clauses moved from the end of the previous section: the before-reading labels of
        this section do not start a list but continue the previous section's ("considering"
        a)-f), then "recognising" ga), hb), ic): g)-i) were considering's before the change)."""
        if section.heading.old is not None:
            return
        mine = [(item, _before_index(item)) for item in roots if item.scheme == "alpha"]
        theirs = [_before_index(item) for item in before_roots if item.scheme == "alpha"]
        olds = [old for _, old in mine if old is not None]
        ends = [old for old in theirs if old is not None]
        if not olds or not ends or olds[0] == 0 or olds[0] != max(ends) + 1:
            return
        heading = before.heading.old or before.heading.heading
        for item, old in mine:
            if old is None:
                continue
            item.moved_from = MovedFrom(before_key, heading, _name(old, "alpha"))

    def _one_reading_lists(self, section: _RawSection, roots: list[_Item]) -> None:
        """A nested list whose parent ends with both a ';' and a ':' (";:") is introduced by
        the ':' of one reading only. When an inserted clause of the section cites a later
        revision of a resolution that the list cites, the list is the before reading: its
        items are read as likely deleted, with both cues."""
        inserted = [i for i in roots if i.reading is not None and i.reading.reading == "after"]
        for parent in _walk_items(roots):
            if not parent.children or not _MIXED_END.search(parent.full_text):
                continue
            end = _MIXED_END.search(parent.full_text)
            mark = end.group(0).strip() if end else ""
            place = f"{section.heading.heading} {parent.written}"
            superseded = self._superseded(parent.children, inserted, section.heading.heading)
            if not superseded:
                self.warn(
                    "list_in_one_reading",
                    f"{parent.written} ends '{mark}': the list under it is introduced in one "
                    "reading only; which one, the text does not show",
                    place,
                )
                continue
            cues = (
                f"{parent.written} ends '{mark}': the ':' that introduces the list is in one "
                "reading only",
                superseded,
            )
            for item in _walk_items(parent.children):
                item.inferred = InferredChange("deleted", "likely", cues)
            first, last = parent.children[0].written, parent.children[-1].written
            self.warn(
                "likely_deleted_list",
                f"the list {first}-{last} under {parent.written} is read as likely deleted: "
                + "; ".join(cues),
                place,
            )

    def _superseded(self, items: list[_Item], inserted: list[_Item], heading: str) -> str | None:
        """In words, an inserted clause citing a later revision of a resolution that one of
        ``items`` cites; None if there is none."""
        later: list[tuple[_Item, Reference]] = [
            (item, ref) for item in inserted for ref in self._cited_revisions(item)
        ]
        for item in _walk_items(items):
            for old in self._cited_revisions(item):
                for new_item, new in later:
                    same = (new.body, new.number) == (old.body, old.number)
                    if same and _year(new) > _year(old):
                        return (
                            f"the inserted {heading} {new_item.written} cites "
                            f"'{_squash(new.text)}', a later revision than "
                            f"{item.written}'s '{_squash(old.text)}'"
                        )
        return None

    def _cited_revisions(self, item: _Item) -> list[Reference]:
        found = find_references(
            item.full_text, known_bodies=self.known_bodies, default_body=self.default_body
        ).references
        return [r for r in found if r.type == "resolution" and _year(r) > 0 and r.number]

    def _clauses(self, items: list[_Item], prefix: str, heading: str) -> tuple[Clause, ...]:
        out: list[Clause] = []
        unlabelled = 0
        for order, item in enumerate(items, 1):
            since = len(self.warnings)
            if item.label is None:
                unlabelled += 1
                label = old = None
                key, reading = str(unlabelled), "both"
                place = f"{heading} paragraph {unlabelled}"
            else:
                place = f"{heading} {item.written}"
                label, old, key, reading = self._labels(item, place)
            eid = self._unique_eid(f"{prefix}__{key}", place)
            self._tag(since, eid)
            children = self._clauses(item.children, f"{eid}__list_1", heading)
            since = len(self.warnings)
            out.append(
                self._clause(
                    item,
                    eid=eid,
                    label=label,
                    old=old,
                    reading=reading,
                    order=order,
                    place=place,
                    children=children,
                )
            )
            self._tag(since, eid)
        return tuple(out)

    def _labels(self, item: _Item, place: str) -> tuple[str | None, str | None, str, str]:
        """(label, old_label, eid key, reading) of a labelled item, with warnings."""
        r = item.reading
        scheme = item.scheme or "alpha"
        written = item.written or ""
        if r is None or (r.new is None and r.old is None):
            self.warn("irregular_label", f"label '{written}' does not fit its list", place)
            return written, None, slug(written), "both"
        new = _name(r.new, scheme) if r.new is not None else None
        old = _name(r.old, scheme) if r.old is not None else None
        if r.irregular:
            self.warn("irregular_label_sequence", f"label '{written}' breaks the sequence", place)
        if r.merged:
            self.warn(
                "merged_label", f"label '{written}' read as {old} (before) / {new} (after)", place
            )
        if item.inferred is not None and old is not None:
            self.warn(
                "likely_deleted",
                f"clause {written} read as likely deleted: " + "; ".join(item.inferred.cues),
                place,
            )
            return None, old, old.rstrip(")"), "before"
        if item.moved_from is not None and new is not None:
            source = item.moved_from
            self.warn(
                "moved_across_sections",
                f"clause {written} read as moved from '{source.heading}' {source.label} "
                f"(before) to '{place.rsplit(' ', 1)[0]}' {new} (after): the before-reading "
                f"labels here continue those of '{source.heading}'",
                place,
            )
            return new, None, new.rstrip(")"), "both"
        if r.reading == "before" and old is not None:
            self.warn(
                "inferred_reading",
                f"clause {written} read as present only in the before "
                "reading (deleted), from the label sequence",
                place,
            )
            return None, old, f"before_{old.rstrip(')')}", "before"
        if r.reading == "after" and new is not None:
            self.warn(
                "inferred_reading",
                f"clause {written} read as present only in the after "
                "reading (inserted), from the label sequence",
                place,
            )
            return new, None, new.rstrip(")"), "after"
        label = new or old or written
        return label, (old if old != label else None), label.rstrip(")"), "both"

    def _unique_eid(self, eid: str, place: str) -> str:
        candidate, n = eid, 1
        while candidate in self.used_eids:
            n += 1
            candidate = f"{eid}_{n}"
        if n > 1:
            self.warn("duplicate_eid", f"'{eid}' already used: this clause is '{candidate}'", place)
        self.used_eids.add(candidate)
        return candidate

    def _clause(
        self,
        item: _Item,
        *,
        eid: str,
        label: str | None,
        old: str | None,
        reading: str,
        order: int,
        place: str,
        children: tuple[Clause, ...],
    ) -> Clause:
        text = item.full_text
        plain = " ".join(
            _BOOKMARK.sub("", _FOOTNOTE_REF.sub("", _FOOTNOTE_DEF.sub("", text))).split()
        )
        if _DOUBLED_PUNCT.search(fold(plain).folded):
            self.warn(
                "doubled_punctuation", "doubled punctuation, probably a flattened change", place
            )
        scan = find_references(text, known_bodies=self.known_bodies, default_body=self.default_body)
        self.notes(scan.notes, place)
        return Clause(
            eid,
            label,
            old,
            item.written,
            reading,
            order,
            item.line,
            text,
            plain,
            self._footnotes_of(text, place),
            scan.references,
            children,
            moved_from=item.moved_from,
            inferred_change=item.inferred,
        )

    def _footnotes_of(self, text: str, place: str) -> tuple[Footnote, ...]:
        found: list[Footnote] = []
        for m in _FOOTNOTE_REF.finditer(text):
            note = self.footnote_defs.get(m.group("id"))
            if note is None:
                self.warn("footnote_missing", f"footnote {m.group('id')} has no text", place)
                continue
            found.append(Footnote(note.id, m.group("marker") or note.marker, note.text))
        return tuple(found)


def _footnote_order(note: Footnote) -> tuple[int, str]:
    return (int(note.id) if note.id.isascii() and note.id.isdigit() else -1), note.id


def _is_intro(folded_line: str) -> bool:
    """ "The World Telecommunication Standardization Assembly (Geneva, 2022),": the words
    before the sections."""
    m = _ASSEMBLY.match(folded_line)
    if m is None or not folded_line.rstrip().endswith(","):
        return False
    name = m.group("name").lower()
    return any(key in name for key, _ in _ASSEMBLY_BODIES)


def _is_header(folded_line: str) -> bool:
    m = _HEADER.match(folded_line)
    if m is None:
        return False
    return len(m.group("rest").strip()) <= 10 and (
        m.group("kw") == "RESOLUTION" or not m.group("rest").strip()
    )


def _make_item(line: _Line, blank_before: bool) -> _Item | None:
    folded = line.folded
    if not _FOOTNOTE_DEF.sub("", folded).strip():
        return None  # a footnote text on its own line: collected separately
    m = _NUM_LABEL.match(folded) or _ALPHA_LABEL.match(folded)
    if m is None:
        return _Item(line.no, None, line.ft.original.strip(), blank_before)
    text = line.ft.original_of(m.end(), len(folded)).rstrip()
    written = folded[m.start("label") : m.end()].strip()
    return _Item(line.no, m.group("label"), text, blank_before, written)


_MIXED_END = re.compile(r"(?:;\s*:|:\s*;)\s*$")


def _before_index(item: _Item) -> int | None:
    """The item's position in the before reading's list, if it is in that reading."""
    r = item.reading
    if r is None or r.reading == "after":
        return None
    return r.old


def _year(ref: Reference) -> int:
    meeting = ref.revision.meeting if ref.revision else None
    return meeting.year if meeting and meeting.year else 0


def _squash(text: str) -> str:
    return " ".join(text.split())


def _walk_items(items: list[_Item]) -> Iterator[_Item]:
    for item in items:
        yield item
        yield from _walk_items(item.children)


_STOPWORDS = {"and", "of", "the", "to"}


def section_keys(headings: list[tuple[str, str | None]]) -> list[str]:
    """eId of each section from (keyword, addressee): the keyword (for a merged heading the
    before one), with the addressee added when a keyword repeats ("invites-member-states")."""
    bases = [base.lower() for base, _ in headings]
    keys: list[str] = []
    for base, (_, addressee) in zip(bases, headings, strict=True):
        key = slug(base)
        if bases.count(base) > 1 and addressee:
            words = [w for w in addressee.replace(",", " ").split() if w not in _STOPWORDS][:5]
            key = slug(f"{base} {' '.join(words)}")
        candidate, n = key, 1
        while candidate in keys:
            n += 1
            candidate = f"{key}-{n}"
        keys.append(candidate)
    return keys
