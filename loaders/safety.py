"""Guards that run before a parser sees untrusted bytes (docs/reliability.md, section 5).

XML (the parts of a .docx; RDF/XML if it is ever read)
    Only UTF-8 or UTF-16 (what OOXML allows; a BOM or the XML declaration says which), and no
    ``<!DOCTYPE`` or ``<!ENTITY`` declaration anywhere in the decoded text: that rules out
    external entities (XXE: a local file or a URL read into the document), external DTDs
    (a request to a server), and entity expansion (billion laughs) before any parser runs.
    The encoding check matters: without it a document declared as UTF-7 hides its DOCTYPE
    from a byte search (``+ADwAIQ-DOCTYPE``) and libxml2 still reads it. lxml then parses with
    entity resolution, DTD loading and the network off and ``huge_tree`` off (libxml2's own
    limits: elements nested at most 256 deep, a text node at most 10 MB), and a tree that
    still has a DOCTYPE is refused.

RDF/XML through pyoxigraph
    Oxigraph's RDF/XML parser expands internal entities without a limit: ten nested entities
    of ten references each (a 1 KiB "billion laughs") take it about a minute and 9 GB of
    memory (pyoxigraph 0.5.13), and can take the process down. :func:`parse_rdf` refuses
    DOCTYPE and ENTITY declarations in RDF/XML before Oxigraph sees it. No entry point of
    the service reads RDF/XML today (``wsiskg load`` takes Turtle and N-Triples, uploads take
    .txt and .docx); the guard is there for the day one does.

Files
    :func:`read_bounded` reads at most the limit (plus one byte, to tell a file over it), and
    never allocates the limit for a small file.

JSON-LD through pyoxigraph
    A remote ``@context`` is never fetched: pyoxigraph has no document loader unless one is
    given, and refuses the context (a syntax error).
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from lxml import etree  # type: ignore[import-untyped]

from loaders.errors import DocumentError, LoadError
from ontology.errors import ParseError

__all__ = [
    "MAX_XML_TAGS",
    "UnsafeXmlError",
    "check_rdf_xml",
    "check_xml",
    "parse_rdf",
    "parse_xml",
    "read_bounded",
    "xml_parser",
    "xml_text",
]

_EIGHT_BIT = {"utf-8", "utf8", "us-ascii", "ascii"}
_SIXTEEN_BIT = {"utf-16", "utf16", "utf-16le", "utf-16be"}
_DECLARATION = re.compile(r"""^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_UNSAFE = ("<!DOCTYPE", "<!ENTITY")
# At most this many tags ('<') in one XML part: up to a million elements, which lxml and the
# .docx reader take about 4 s and 200 MiB for (docs/reliability.md). A long Word document has
# tens of thousands; without the bound a 3 MiB .docx within the zip limits (45 MiB of
# markup, 14:1) took 35 s and 1 GiB.
MAX_XML_TAGS = 1_000_000


class UnsafeXmlError(ParseError, ValueError):
    """XML this service does not parse (the message says why, without the file name)."""


def _declared(text: str) -> str | None:
    match = _DECLARATION.match(text)
    return match.group(1).strip().lower() if match else None


def xml_text(raw: bytes) -> str:
    """The characters of an XML document as a parser reads them.

    Raises :class:`UnsafeXmlError` for anything but UTF-8 or UTF-16 (by BOM, by the byte
    pattern of ``<``, or by the XML declaration), or bytes that are not valid in it."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or raw[:4] in (
        b"<\x00\x00\x00",
        b"\x00\x00\x00<",
    ):
        raise UnsafeXmlError("encoding UTF-32 not allowed (UTF-8 or UTF-16 only)")
    if raw.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith(codecs.BOM_UTF16_LE):
        encoding, body = "utf-16-le", raw[2:]
    elif raw.startswith(codecs.BOM_UTF16_BE):
        encoding, body = "utf-16-be", raw[2:]
    elif raw.startswith(b"<\x00"):
        encoding, body = "utf-16-le", raw
    elif raw.startswith(b"\x00<"):
        encoding, body = "utf-16-be", raw
    else:
        encoding, body = "utf-8", raw
        if not body.lstrip(b" \t\r\n").startswith(b"<"):
            # EBCDIC and other encodings where '<' is another byte
            raise UnsafeXmlError("not XML in UTF-8 or UTF-16 (it does not start with '<')")
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as e:
        raise UnsafeXmlError(f"not valid {encoding.upper()} (byte {e.start})") from e
    declared = _declared(text)
    allowed = _EIGHT_BIT if encoding == "utf-8" else _SIXTEEN_BIT
    if declared is not None and declared not in allowed:
        raise UnsafeXmlError(
            f"encoding {declared.upper()} not allowed here (UTF-8 or UTF-16 only, as read)"
        )
    return text


def check_xml(raw: bytes, *, max_tags: int = MAX_XML_TAGS) -> None:
    """Refuse XML in another encoding than UTF-8 / UTF-16, with a DOCTYPE or ENTITY
    declaration, or with more than ``max_tags`` tags (:class:`UnsafeXmlError`)."""
    text = xml_text(raw)
    visible = text.upper()
    for declaration in _UNSAFE:
        if declaration in visible:
            raise UnsafeXmlError(f"{declaration[2:]} declaration not allowed")
    tags = text.count("<")
    if tags > max_tags:
        raise UnsafeXmlError(f"{tags} tags, over the limit of {max_tags}")


def xml_parser() -> Any:
    """lxml's parser with everything that reaches outside the document, or expands it, off."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
    )


def parse_xml(raw: bytes, *, max_tags: int = MAX_XML_TAGS) -> Any:
    """The root element of ``raw``, checked (:func:`check_xml`) and parsed with
    :func:`xml_parser`. Raises :class:`UnsafeXmlError` or ``lxml.etree.XMLSyntaxError``
    (malformed, or past libxml2's limits: nesting deeper than 256, say)."""
    check_xml(raw, max_tags=max_tags)
    root = etree.fromstring(raw, xml_parser())
    if root.getroottree().docinfo.doctype:  # the check above should make this unreachable
        raise UnsafeXmlError("DOCTYPE declaration not allowed")
    return root


def check_rdf_xml(data: bytes) -> None:
    """Refuse RDF/XML that Oxigraph must not parse: another encoding than UTF-8 / UTF-16, a
    DOCTYPE or an ENTITY declaration (:class:`UnsafeXmlError`)."""
    check_xml(data)


def parse_rdf(
    data: bytes, fmt: ox.RdfFormat, *, source: str, base_iri: str | None = None
) -> list[ox.Quad]:
    """``ox.parse`` behind the guards: RDF/XML is checked first (:func:`check_rdf_xml`).
    :class:`LoadError` names ``source`` and the problem."""
    if fmt == ox.RdfFormat.RDF_XML:
        try:
            check_rdf_xml(data)
        except UnsafeXmlError as e:
            raise LoadError(source, f"unsafe RDF/XML: {e}") from e
    try:
        return list(ox.parse(data, fmt, base_iri=base_iri))
    except SyntaxError as e:
        raise LoadError(source, f"not valid {fmt.name}: {e}") from e


def read_bounded(path: Path, name: str, max_bytes: int) -> bytes:
    """The file's bytes, refused over ``max_bytes`` (one line naming the file); no buffer of
    ``max_bytes`` is allocated for a small file."""
    try:
        with path.open("rb") as handle:  # never more than the file holds, nor the limit
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(min(max_bytes, size) + 1)
    except OSError as exc:
        raise DocumentError(name, f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise DocumentError(name, f"file larger than the limit of {max_bytes} bytes")
    return data
