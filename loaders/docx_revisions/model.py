"""The two readings of a .docx: its paragraphs (text before and after, changes) and the
joined texts each reading gives the parser."""

from __future__ import annotations

from dataclasses import dataclass

from loaders.docx_numbering import NumRef
from loaders.resolution_text import Change


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
