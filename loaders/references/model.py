"""A reference found in a text (:class:`Reference`), the references of one text
(:class:`ReferenceScan`) and the working state of one scan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loaders.references.folding import FoldedText
from loaders.references.meetings import Meeting, Note, Revision, _meeting_flat

# Lower rank wins an overlap; a resolution inside a paragraph reference is kept.
_RANK_BODY, _RANK_PARA, _RANK_RES, _RANK_AL, _RANK_SDG, _RANK_EVENT = 0, 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Reference:
    """One reference found in a text; ``start``/``end`` index the original text.

    Typed fields (only those of the type are set):

    - ``action_line``: ``code`` ("C5"), ``title`` (as written, if any), ``role``: the cue
      nearest before the list ("moderator_facilitator" | "lead_facilitator" |
      "co_facilitator" | "facilitator" | "partner" | "participant" | None).
    - ``resolution``: ``body`` (PP|WTSA|WTDC|RA|Council|UNGA|None), ``number`` ("140",
      "70/125"), ``revision``, ``body_basis`` (how the body was decided: "explicit",
      "number_form", "context", "document", "document_default").
    - ``*_paragraph``: ``paragraphs`` ("69", "70", "71"), ``subparagraphs`` ("a" … "e"),
      ``range_text`` ("69 to 71") and for ``resolution_paragraph`` ``body``/``number``;
      ``geneva_plan_paragraph`` also gives ``code`` (the Action Line of that paragraph, from
      the curated table ``wsis_paragraphs.csv``); the other outcome documents:
      ``tunis_agenda_paragraph``, ``geneva_declaration_paragraph``,
      ``tunis_commitment_paragraph``.
    - ``sdg_goal``: ``code`` ("9", or None for the SDGs as a whole); ``sdg_target``: ``code``
      ("9.c"); ``agenda_2030``: nothing more; ``body``: ``code`` ("TSAG", "SG17", ...).
    - ``meeting``: ``body`` (PP|WTDC|WTSA|RA|WTPF), ``code`` ("PP-14"), ``meeting`` (place and
      year; the place None when the text gives only "WTDC-17").
    - ``wsis_document``: ``code`` ("WSIS+10 Statement" | "WSIS+10 Vision") and ``title``.

    ``warnings`` (any type): notes on this reference's own reading (see the module docstring).
    """

    type: str
    text: str
    start: int
    end: int
    code: str | None = None
    title: str | None = None
    role: str | None = None
    body: str | None = None
    number: str | None = None
    revision: Revision | None = None
    body_basis: str | None = None
    paragraphs: tuple[str, ...] = ()
    subparagraphs: tuple[str, ...] = ()
    range_text: str | None = None
    meeting: Meeting | None = None
    warnings: tuple[Note, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }
        for key in ("code", "title", "role", "body", "number", "body_basis", "range_text"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.type == "resolution":
            out["revision"] = self.revision.to_json() if self.revision else None
        if self.paragraphs:
            out["paragraphs"] = list(self.paragraphs)
        if self.subparagraphs:
            out["subparagraphs"] = list(self.subparagraphs)
        if self.meeting is not None:
            out["meeting"] = _meeting_flat(self.meeting)
        if self.warnings:
            out["warnings"] = [{"code": n.code, "message": n.message} for n in self.warnings]
        return out


@dataclass(frozen=True)
class ReferenceScan:
    """The references of one text, in order of ``start``, and notes about what looked odd."""

    references: tuple[Reference, ...]
    notes: tuple[Note, ...]


@dataclass
class _Scan:
    """Mutable working state of one ``find_references`` call (never leaves this package)."""

    ft: FoldedText
    known_bodies: Mapping[str, str]
    default_body: str | None
    refs: list[tuple[int, int, int, Reference]]  # (folded start, folded end, rank, ref)
    notes: list[Note]

    def make(self, start: int, end: int, **fields: Any) -> Reference:
        a, b = self.ft.span(start, end)
        return Reference(text=self.ft.original[a:b], start=a, end=b, **fields)

    def add(self, start: int, end: int, rank: int, **fields: Any) -> Reference:
        ref = self.make(start, end, **fields)
        self.refs.append((start, end, rank, ref))
        return ref
