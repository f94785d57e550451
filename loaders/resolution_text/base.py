"""What every part of one parse shares: the folded lines, the footnote markers, the
warnings given so far."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from loaders.references import FoldedText, Note, fold
from loaders.resolution_text.model import Footnote, ParseWarning

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_FOOTNOTE_REF = re.compile(r"\[footnoteRef:(?P<id>\d+)\](?P<marker>\d*)", re.ASCII)
_FOOTNOTE_DEF = re.compile(
    r"\[(?P<id>\d+):[ \t]*(?P<marker>\d*)[ \t]*(?P<body>[^\[\]]*)\]", re.ASCII
)


@dataclass(frozen=True)
class _Line:
    no: int
    ft: FoldedText

    @property
    def folded(self) -> str:
        return self.ft.folded


class _ParserState:
    """One parse of one text; holds the lines and the warnings while it runs."""

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
