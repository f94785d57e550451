"""The entry points: read a file within a size limit, decode its bytes (BOM, UTF-8, cp1252),
refuse what is not text, and hand the text to the parser."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from loaders.errors import DocumentError
from loaders.resolution_text.model import DEFAULT_MAX_BYTES, ParsedDocument
from loaders.resolution_text.parser import _Parser
from loaders.safety import read_bounded
from loaders.unicode import check_text, nfc, surrogate_place


def parse_file(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedDocument:
    """Read, decode and parse a text file (UTF-8/16/32 with BOM, UTF-8, or cp1252)."""
    source = os.fspath(path)
    data = read_bounded(Path(source), source, max_bytes)
    return parse_text(decode_bytes(data, source), source)


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
