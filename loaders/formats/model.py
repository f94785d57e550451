"""The intermediate text model every format reader gives the resolution parser.

A reader (``loaders.formats.<name>``) turns a file into a :class:`TextModel`: the text as
lines (headings, paragraphs and clauses each on their own line, as the parser of
:mod:`loaders.resolution_text` reads them), the footnotes apart (markers ``[footnoteRef:ID]``
in the text), the character offset where each page starts (PDF, volumes: page numbers are
kept as locators), and what the reader removed or repaired, as notes that become warnings of
the parse. A .docx carries its two readings (tracked changes) instead of one text.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from loaders.safety import read_bounded

if TYPE_CHECKING:
    from loaders.docx_revisions import DocxReadings

__all__ = ["Format", "ReadLimits", "ReaderNote", "TextModel", "read_bounded"]


@dataclass(frozen=True)
class ReadLimits:
    """What a reader accepts before refusing a file (settings ``WSISKG_READ_*``)."""

    max_bytes: int = 50 * 1024 * 1024  # a file, as stored
    max_chars: int = 5 * 1024 * 1024  # the text a file gives
    max_pages: int = 2000  # a PDF
    max_pdf_objects: int = 200_000  # a PDF's indirect objects
    max_pdf_stream_bytes: int = 20 * 1024 * 1024  # one decompressed content stream
    max_html_elements: int = 500_000  # an HTML page


@dataclass(frozen=True)
class ReaderNote:
    """Something a reader did to the text that the user should know (a parse warning)."""

    code: str  # "running_head_removed", "hyphenation_joined", "format_by_content" ...
    message: str
    place: str = ""  # "page 3", "line 12"


@dataclass(frozen=True)
class TextModel:
    source: str  # the file name, as given
    format: str  # the registry's name: "text", "docx", "pdf", "html"
    text: str
    footnotes: Mapping[str, str] = field(default_factory=dict)
    # character offset in ``text`` where each page starts (page 1 at index 0), if paged
    page_starts: tuple[int, ...] = ()
    # may hold both readings of tracked changes run together (plain text copied from Word)
    flattened: bool = True
    notes: tuple[ReaderNote, ...] = ()
    docx: DocxReadings | None = None
    first_page: int = 1  # the number of the first page (a part of a volume keeps its pages)

    def page_at(self, offset: int) -> int | None:
        """The page holding character ``offset``, or None for an unpaged text."""
        if not self.page_starts:
            return None
        return self.first_page - 1 + max(1, bisect.bisect_right(self.page_starts, offset))

    def page_of_line(self, line: int) -> int | None:
        """The page of a 1-based line of ``text``."""
        if not self.page_starts:
            return None
        offset = 0
        for _ in range(line - 1):
            found = self.text.find("\n", offset)
            if found < 0:
                break
            offset = found + 1
        return self.page_at(offset)


@dataclass(frozen=True)
class Format:
    name: str  # "pdf"
    label: str  # "PDF with a text layer"
    suffixes: tuple[str, ...]  # (".pdf",)
    media_types: tuple[str, ...]
    sniff: Callable[[bytes], bool]  # the first SNIFF_BYTES bytes are of this format
    read: Callable[[Path, str, ReadLimits], TextModel]  # path, name as given, limits
