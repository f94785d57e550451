"""The format readers: one module per format, one text model for the resolution parser.

A :class:`Format` names its suffixes and media types, recognises its files by content
(:attr:`Format.sniff` on the first bytes) and reads a file into a
:class:`~loaders.formats.model.TextModel`. :func:`detect` finds the format by content first
(a PDF named ``.txt`` is read as a PDF, with a note), then by suffix; the formats listed in
errors, in the README and by the upload route come from :data:`FORMATS`. Adding a format is one
module with a ``FORMAT`` and a line in :data:`FORMATS`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from loaders.errors import DocumentError
from loaders.formats import docx, html, pdf, text
from loaders.formats.model import Format, ReaderNote, ReadLimits, TextModel

__all__ = [
    "FORMATS",
    "Format",
    "ReadLimits",
    "ReaderNote",
    "TextModel",
    "accepted",
    "detect",
    "read_model",
    "sniff_document",
    "suffixes",
]

SNIFF_BYTES = 8192


def _formats() -> tuple[Format, ...]:
    # in sniffing order: binary formats by magic bytes first, plain text last

    return (docx.FORMAT, pdf.FORMAT, html.FORMAT, text.FORMAT)


FORMATS: tuple[Format, ...] = _formats()


def suffixes() -> tuple[str, ...]:
    return tuple(s for f in FORMATS for s in f.suffixes)


def accepted() -> str:
    """The formats a user may bring, for errors and help: ".txt, .docx, .pdf, .html, .htm"."""
    return ", ".join(suffixes())


def by_suffix(suffix: str) -> Format | None:
    for f in FORMATS:
        if suffix.lower() in f.suffixes:
            return f
    return None


def detect(path: Path, name: str | None = None) -> tuple[Format, ReaderNote | None]:
    """The format of ``path`` by its content, else its suffix; DocumentError if neither."""
    name = name or str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise DocumentError(name, f"cannot read file: {exc.strerror or exc}") from exc
    if not head.strip():
        raise DocumentError(name, "empty file")
    named = by_suffix(Path(name).suffix)
    for f in FORMATS:
        if f.sniff(head):
            if named is not None and named is not f:
                note = ReaderNote(
                    "format_by_content",
                    f"named {Path(name).suffix} but its content is {f.label}: read as {f.name}",
                )
                return f, note
            return f, None
    if named is not None:
        return named, None
    raise DocumentError(
        name, f"not a resolution text in a known format: accepted formats are {accepted()}"
    )


def sniff_document(path: Path) -> str | None:
    """ "format:<name>" when ``path``'s content is a binary or marked-up format the registry
    reads (docx, pdf, html), whatever its suffix; None for anything else."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return None
    for f in FORMATS:
        if f.name != "text" and f.sniff(head):
            return f"format:{f.name}"
    return None


def read_model(path: Path, name: str | None = None, limits: ReadLimits | None = None) -> TextModel:
    """Read any accepted file into the text model; DocumentError names the file and problem."""
    name = name or str(path)
    limits = limits or ReadLimits()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(name, f"cannot read file: {exc.strerror or exc}") from exc
    if size > limits.max_bytes:
        raise DocumentError(name, f"{size} bytes is over the limit of {limits.max_bytes}")
    fmt, note = detect(path, name)
    model = fmt.read(path, name, limits)
    if len(model.text) > limits.max_chars:
        raise DocumentError(name, f"text longer than the limit of {limits.max_chars} characters")
    if note is not None:
        model = replace(model, notes=(note, *model.notes))
    return model
