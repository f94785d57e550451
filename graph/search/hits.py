"""What a search answers: hits with their context (resolution, version, document) and a
snippet of the matched text with the matches marked."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Literal

from .syntax import SearchQuery

KINDS = ("clause", "section", "title")
Kind = Literal["clause", "section", "title"]

# Highlight markers in FTS5 snippets: control characters, removed from the indexed texts, so
# that they can only come from snippet().
OPEN, CLOSE = "\x02", "\x03"


def unmarked(text: str) -> str:
    """``text`` without the highlight markers: what the index may hold."""
    return text.replace(OPEN, " ").replace(CLOSE, " ")


@dataclass(frozen=True)
class Ref:
    iri: str
    label: str | None


@dataclass(frozen=True)
class Snippet:
    """A snippet as plain text with the matched ranges as [start, end) offsets (in Unicode
    code points), and as HTML: the text escaped, the matches in ``<mark>``."""

    text: str
    highlights: tuple[tuple[int, int], ...]

    @property
    def html(self) -> str:
        parts: list[str] = []
        position = 0
        for start, end in self.highlights:
            parts.append(html.escape(self.text[position:start]))
            parts.append(f"<mark>{html.escape(self.text[start:end])}</mark>")
            position = end
        parts.append(html.escape(self.text[position:]))
        return "".join(parts)

    @classmethod
    def from_marked(cls, marked: str) -> Snippet:
        """From FTS5 ``snippet()`` output with the module's markers."""
        plain: list[str] = []
        spans: list[tuple[int, int]] = []
        start: int | None = None
        for char in marked:
            if char == OPEN:
                start = len(plain)
            elif char == CLOSE:
                if start is not None and len(plain) > start:
                    spans.append((start, len(plain)))
                start = None
            else:
                plain.append(char)
        return cls("".join(plain), tuple(spans))


@dataclass(frozen=True)
class Hit:
    kind: str
    iri: str
    label: str | None
    section: str | None
    clause: str | None
    resolution: Ref | None
    version: Ref | None
    document: Ref | None
    graph: str
    snippet: Snippet
    score: float  # -bm25: higher is better
    dated: str | None = None  # the version whose dates the text takes, if not its own


@dataclass(frozen=True)
class SearchResult:
    query: SearchQuery
    release: str | None
    total: int
    hits: list[Hit]
    left_out: int = 0  # hits left out as not in force on the day asked
