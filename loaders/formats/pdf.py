"""PDF with a text layer (pypdf): one page after another, page starts kept as locators."""

from __future__ import annotations

from pathlib import Path

from loaders.errors import DocumentError
from loaders.formats.model import Format, ReadLimits, TextModel


def sniff(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]


def read(path: Path, name: str, limits: ReadLimits) -> TextModel:
    import pypdf

    try:
        reader = pypdf.PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many kinds on a broken file
        raise DocumentError(name, f"not a readable PDF: {exc}") from exc
    starts, parts, offset = [], [], 0
    for text in pages:
        starts.append(offset)
        parts.append(text.rstrip("\n") + "\n")
        offset += len(parts[-1])
    return TextModel(name, "pdf", "".join(parts), page_starts=tuple(starts))


FORMAT = Format("pdf", "a PDF", (".pdf",), ("application/pdf",), sniff, read)
