"""Opening a .docx safely: a bounded read, a zip checked for bombs and lies, its XML parts
parsed only after :mod:`loaders.safety` has passed them."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from loaders.docx_numbering import Numbering, W
from loaders.docx_revisions.model import DocxReadings
from loaders.docx_revisions.readings import _Collector, _footnotes, _join, _label, _top_paragraphs
from loaders.errors import DocumentError
from loaders.resolution_text import DEFAULT_MAX_BYTES
from loaders.safety import UnsafeXmlError, parse_xml, read_bounded

MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # members smaller than this may compress well without being bombs
MAX_MEMBERS = 5000
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
    data = read_bounded(path, source, max_bytes)
    if not data:
        raise DocumentError(source, "empty file")
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
