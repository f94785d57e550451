"""Plain text (.txt): UTF-8, UTF-16/32 with or without a BOM, or Windows-1252.

The text goes to the parser as it is, but for its line ends; the shapes of copied text
(bullets, one line, PDF extraction) are undone by :mod:`loaders.formats.shapes`.
"""

from __future__ import annotations

from pathlib import Path

from loaders.errors import DocumentError
from loaders.formats.model import Format, ReaderNote, ReadLimits, TextModel, read_bounded
from loaders.formats.shapes import normalise_shape
from loaders.resolution_text import decode_bytes


def utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when every other byte is NUL, as in UTF-16 text without a BOM."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes, name: str) -> tuple[str, list[ReaderNote]]:

    notes: list[ReaderNote] = []
    bom = data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"))
    guess = None if bom else utf16_without_bom(data)
    if guess is not None:
        try:
            return data.decode(guess), [ReaderNote("encoding", f"read as {guess} (no BOM)")]
        except UnicodeDecodeError as exc:
            raise DocumentError(name, f"looks like {guess} but does not decode") from exc
    text = decode_bytes(data, name)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
            notes.append(ReaderNote("encoding", "not UTF-8: read as Windows-1252"))
    return text, notes


def sniff(head: bytes) -> bool:
    return b"\x00" not in head or utf16_without_bom(head) is not None


def read(path: Path, name: str, limits: ReadLimits) -> TextModel:
    text, notes = decode(read_bounded(path, name, limits.max_bytes), name)
    return normalise_shape(TextModel(name, "text", text, notes=tuple(notes)))


FORMAT = Format("text", "plain text", (".txt", ".text"), ("text/plain",), sniff, read)
