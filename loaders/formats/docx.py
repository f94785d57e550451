"""Word (.docx), with its tracked changes: both readings (:mod:`loaders.docx_revisions`)."""

from __future__ import annotations

from pathlib import Path

from loaders.docx_revisions import read_docx
from loaders.formats.model import Format, ReadLimits, TextModel


def sniff(head: bytes) -> bool:
    # a zip whose first members are those of a WordprocessingML package
    return head.startswith(b"PK\x03\x04") and (b"word/" in head or b"[Content_Types].xml" in head)


def read(path: Path, name: str, limits: ReadLimits) -> TextModel:

    readings = read_docx(path, max_bytes=limits.max_bytes, name=name)
    return TextModel(
        name, "docx", readings.after, readings.footnotes, flattened=False, docx=readings
    )


FORMAT = Format(
    "docx",
    "a Word document (.docx)",
    (".docx",),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    sniff,
    read,
)
