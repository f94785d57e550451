"""Web pages (.html, .htm): headings, paragraphs, list items and table rows become lines.

Read with lxml's HTML parser with the network off; nothing is fetched and nothing runs:
scripts, styles, forms, frames, objects and templates are dropped (a note says how many), an
image or link is never followed, and a page that declares entities (``<!ENTITY``, a DOCTYPE
with an internal subset) is refused before it is parsed. Ordered lists without written labels
get the labels their type gives them (``<ol type="a">`` → ``a)``, ``type="i"`` → ``i)``, else
``1``), so a clause keeps its label however the page wrote it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from loaders.errors import DocumentError
from loaders.formats.model import Format, ReaderNote, ReadLimits, TextModel, read_bounded
from loaders.formats.shapes import normalise_shape

_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|p|div|h[1-6]|ul|ol|li|table|span|br|meta)\b",
    re.IGNORECASE,
)
_ENTITY_DECL = re.compile(rb"<!ENTITY|<!DOCTYPE[^>]*\[", re.IGNORECASE)
_DROPPED = {
    "script",
    "style",
    "noscript",
    "template",
    "form",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "canvas",
    "audio",
    "video",
    "head",
    "title",
    "button",
    "select",
    "textarea",
    "nav",
}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "blockquote",
    "pre",
    "address",
    "center",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "caption",
    "hr",
    "figure",
    "figcaption",
    "body",
}
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")
# a clause label at the start of a paragraph: "a)", "(iv)", or a number before a lowercase word
_LEADING_LABEL = re.compile(
    r"^[ \t\r\n\u00a0]*(?:(?P<alpha>[a-z]{1,6}\)|\([ivx]{1,6}\))[ \t\r\n\u00a0]*"
    r"|(?P<num>[1-9]\d{0,2})[ \t\r\n\u00a0]+(?=[a-z]))"
)
_WRITTEN_LABEL = re.compile(r"^\s*(?:[a-z]{1,6}\)|\(?[ivx]{1,6}\)|[1-9]\d{0,3}[.)\t ])")


def _decode_head(head: bytes) -> bytes:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            return b""
    return head.lstrip(b"\xef\xbb\xbf")


def sniff(head: bytes) -> bool:
    text = _decode_head(head).lstrip()
    return text.startswith(b"<") and _MARKUP.search(text[:4096]) is not None


def _roman(n: int) -> str:
    out = ""
    for value, numeral in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out += numeral
            n -= value
    return out


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _label(kind: str, n: int) -> str:
    if kind in ("a", "A"):
        return f"{_letters(n)})"
    if kind in ("i", "I"):
        return f"{_roman(n)})"
    return f"{n}\t"


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []
        self.dropped: dict[str, int] = {}

    def text(self, value: str | None) -> None:
        if value:
            self.current.append(value)

    def flush(self) -> None:
        raw = "".join(self.current)
        label = _LEADING_LABEL.match(raw)
        if label is not None:  # "1&nbsp;&nbsp;to …", "a)\ttext": the label keeps its tab
            raw = f"{label.group('alpha') or label.group('num')}\t{raw[label.end() :]}"
        line = "\t".join(_SPACES.sub(" ", part).strip() for part in raw.split("\t", 1))
        line = line.strip()
        if line:
            self.lines.append(line)
        self.current = []

    def walk(self, element: Any, list_label: str | None = None) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if tag is None:  # comment or processing instruction
            self.text(element.tail)
            return
        if tag in _DROPPED:
            if tag not in ("head", "title", "nav"):
                self.dropped[tag] = self.dropped.get(tag, 0) + 1
            self.text(element.tail)
            return
        block = tag in _BLOCKS
        if block:
            self.flush()
        if tag == "br":
            self.flush()
        if list_label is not None:
            self.current.append(list_label)
        self.text(element.text)
        if tag == "ol":
            kind = element.get("type") or "1"
            try:
                n = int(element.get("start") or "1")
            except ValueError:
                n = 1
            for child in element:
                if isinstance(child.tag, str) and child.tag.lower() == "li":
                    written = _WRITTEN_LABEL.match("".join(child.itertext()))
                    self.walk(child, None if written else _label(kind, n))
                    n += 1
                else:
                    self.walk(child)
        else:
            for child in element:
                if tag in ("tr",) and isinstance(child.tag, str):
                    self.walk(child)
                    self.current.append("\t")
                else:
                    self.walk(child)
        if block:
            self.flush()
        self.text(element.tail)


def read(path: Path, name: str, limits: ReadLimits) -> TextModel:
    import lxml.html  # type: ignore[import-untyped]
    from lxml import etree

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
    writer = _Writer()
    body = root.find("body")
    writer.walk(body if body is not None else root)
    writer.flush()
    if not writer.lines:
        raise DocumentError(name, "an HTML page without text")
    notes = []
    if writer.dropped:
        what = ", ".join(f"{n} {tag}" for tag, n in sorted(writer.dropped.items()))
        notes.append(ReaderNote("html_content_dropped", f"not read (never run): {what}"))
    text = "\n".join(writer.lines) + "\n"
    return normalise_shape(TextModel(name, "html", text, notes=tuple(notes)))


FORMAT = Format(
    "html",
    "a web page (HTML)",
    (".html", ".htm", ".xhtml"),
    ("text/html", "application/xhtml+xml"),
    sniff,
    read,
)
