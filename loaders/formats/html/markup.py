"""The page as lines: what is dropped, which elements are blocks, the labels an ordered
list gives its items, and the walk that writes the text."""

from __future__ import annotations

import re
from typing import Any

from loaders.list_labels import letters, roman

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


def _label(kind: str, n: int) -> str:
    if kind in ("a", "A"):
        return f"{letters(n)})"
    if kind in ("i", "I"):
        return f"{roman(n)})"
    return f"{n}\t"


class _Writer:
    def __init__(self, calls: dict[Any, str] | None = None, skip: set[Any] | None = None) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []
        self.dropped: dict[str, int] = {}
        self.calls = calls or {}  # footnote call element → footnote id
        self.skip = skip or set()  # footnote texts, read apart

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
        if not self._inline(element, tag):
            self.text(element.tail)
            return
        block = tag in _BLOCKS
        if block or tag == "br":
            self.flush()
        if list_label is not None:
            self.current.append(list_label)
        self.text(element.text)
        if tag == "ol":
            self._ordered_list(element)
        else:
            for child in element:
                self.walk(child)
                if tag == "tr" and isinstance(child.tag, str):
                    self.current.append("\t")
        if block:
            self.flush()
        self.text(element.tail)

    def _inline(self, element: Any, tag: str | None) -> bool:
        """Whether the element's own content is read; if not, what stands for it is noted
        (a dropped element counted, a footnote call written as its reference)."""
        if tag is None:  # comment or processing instruction
            return False
        if tag in _DROPPED:
            if tag not in ("head", "title", "nav"):
                self.dropped[tag] = self.dropped.get(tag, 0) + 1
            return False
        if element in self.skip:
            return False
        if element in self.calls:
            self.current.append(f"[footnoteRef:{self.calls[element]}]")
            return False
        return True

    def _ordered_list(self, element: Any) -> None:
        """An ``<ol>``'s items, each labelled from the list's type and start unless its text
        already begins with a written label."""
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
