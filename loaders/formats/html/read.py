"""The reader: a bounded, entity-free page parsed with the network off, its notes apart, its
lines in the text model."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html  # type: ignore[import-untyped]
from lxml import etree

from loaders.errors import DocumentError
from loaders.formats.html.markup import _ENTITY_DECL, _decode_head, _Writer, sniff
from loaders.formats.html.notes import _Footnotes
from loaders.formats.model import Format, ReaderNote, ReadLimits, TextModel, read_bounded
from loaders.formats.shapes import normalise_shape


def read(path: Path, name: str, limits: ReadLimits) -> TextModel:

    data = read_bounded(path, name, limits.max_bytes)
    if _ENTITY_DECL.search(data[:65536]) or _ENTITY_DECL.search(_decode_head(data[:65536])):
        raise DocumentError(
            name, "HTML that declares entities (<!ENTITY or a DTD subset) is refused"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise DocumentError(name, "UTF-16 HTML that does not decode") from exc
        data = re.sub(rb"(<meta[^>]*charset\s*=\s*[\"']?)utf-16", rb"\1utf-8", data, flags=re.I)
    # a page that declares no charset is read as UTF-8 if it is, else as Windows-1252
    encoding = None
    if not re.search(rb"<meta[^>]+charset|<\?xml[^>]+encoding", data[:8192], re.IGNORECASE):
        try:
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "windows-1252"
    parser = etree.HTMLParser(
        encoding=encoding,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
        recover=True,
    )
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(name, f"not readable HTML: {exc}") from exc
    count = sum(1 for _ in root.iter())
    if count > limits.max_html_elements:
        raise DocumentError(
            name, f"{count} HTML elements is over the limit of {limits.max_html_elements}"
        )
    body = root.find("body")
    top = body if body is not None else root
    found = _Footnotes(top)
    writer = _Writer(found.calls, found.skip)
    writer.walk(top)
    writer.flush()
    if not writer.lines:
        raise DocumentError(name, "an HTML page without text")
    notes = []
    if writer.dropped:
        what = ", ".join(f"{n} {tag}" for tag, n in sorted(writer.dropped.items()))
        notes.append(ReaderNote("html_content_dropped", f"not read (never run): {what}"))
    notes += found.notes()
    text = "\n".join(writer.lines) + "\n"
    model = TextModel(name, "html", text, footnotes=found.texts, notes=tuple(notes))
    return normalise_shape(model)


FORMAT = Format(
    "html",
    "a web page (HTML)",
    (".html", ".htm", ".xhtml"),
    ("text/html", "application/xhtml+xml"),
    sniff,
    read,
)
