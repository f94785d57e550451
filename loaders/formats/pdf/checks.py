"""What is checked before and while pypdf parses a file: the header, the end, the object
count, the streams, the pages, the password; any failure one error naming the file."""

from __future__ import annotations

import io
import re
from typing import Any

from loaders.errors import DocumentError
from loaders.formats.model import ReaderNote, ReadLimits

_HEAD_SCAN = 1024
_TAIL_SCAN = 2048
_SIZE = re.compile(rb"/Size\s+(\d{1,12})")
_OBJ = re.compile(rb"(?<![0-9])\d{1,10}\s+\d{1,5}\s+obj\b")


def sniff(head: bytes) -> bool:
    return b"%PDF-" in head[:_HEAD_SCAN]


def _check_bytes(data: bytes, name: str, limits: ReadLimits) -> None:
    """What can be refused before pypdf parses anything."""
    if b"%PDF-" not in data[:_HEAD_SCAN]:
        raise DocumentError(name, "not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-_TAIL_SCAN:]:
        raise DocumentError(name, "truncated PDF (no %%EOF at its end)")
    declared = max((int(m.group(1)) for m in _SIZE.finditer(data)), default=0)
    if declared > limits.max_pdf_objects:
        raise DocumentError(
            name,
            f"declares {declared} objects (/Size), over the limit of {limits.max_pdf_objects}",
        )
    for written, _ in enumerate(_OBJ.finditer(data), start=1):
        if written > limits.max_pdf_objects:
            raise DocumentError(name, f"more than {limits.max_pdf_objects} objects, over the limit")


def _open(data: bytes, name: str, limits: ReadLimits, notes: list[ReaderNote]) -> Any:
    # imported here: pypdf (with Pillow) takes about 0.1 s to import, and only a PDF being
    # read needs it, not every `wsiskg` command that imports the format registry
    import pypdf  # noqa: PLC0415

    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # pypdf.errors.DependencyError: AES without a crypto library
            raise DocumentError(name, f"encrypted PDF: cannot be decrypted here ({exc})") from exc
        if opened == pypdf.PasswordType.NOT_DECRYPTED:
            raise DocumentError(name, "encrypted PDF: a password is needed to read it")
        notes.append(ReaderNote("pdf_encrypted", "encrypted PDF opened with the empty password"))
    size = reader.trailer.get("/Size")
    objects = max(
        int(size) if isinstance(size, int) else 0,
        sum(len(entries) for entries in reader.xref.values()) + len(reader.xref_objStm),
    )
    if objects > limits.max_pdf_objects:
        raise DocumentError(name, f"{objects} objects, over the limit of {limits.max_pdf_objects}")
    try:
        root: Any = reader.trailer["/Root"]
        declared_pages = int(root["/Pages"]["/Count"])
    except (KeyError, TypeError, ValueError):
        declared_pages = 0
    if declared_pages > limits.max_pages:
        raise DocumentError(name, f"{declared_pages} pages, over the limit of {limits.max_pages}")
    count = len(reader.pages)
    if count > limits.max_pages:
        raise DocumentError(name, f"{count} pages, over the limit of {limits.max_pages}")
    if count == 0:
        raise DocumentError(name, "a PDF without pages")
    return reader


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 20:
        if isinstance(current, kind):
            return True
        current = current.__cause__ or current.__context__
        seen += 1
    return False


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())[:200]
