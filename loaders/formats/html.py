"""Web pages (.html, .htm): headings, paragraphs, list items and table rows become lines.

Read with lxml's HTML parser with the network off; nothing is fetched and nothing runs:
scripts, styles, forms, frames, objects and templates are dropped (a note says how many), an
image or link is never followed, and a page that declares entities (``<!ENTITY``, a DOCTYPE
with an internal subset) is refused before it is parsed. Ordered lists without written labels
get the labels their type gives them (``<ol type="a">`` → ``a)``, ``type="i"`` → ``i)``, else
``1``), so a clause keeps its label however the page wrote it.

Footnotes: a call (``<sup><a href="#fn1">1</a></sup>``, ``<a class="footnote-ref"><sup>1
</sup></a>``, Word's ``<a href="#_ftn1">[1]</a>``, or a bare ``<sup>1</sup>`` whose number is
a note of the page and follows no digit, so "10<sup>6</sup>" stays text) becomes
``[footnoteRef:1]``; the notes (the element a call links to, ``div.footnotes``,
``section.footnotes``, an ``ol`` after a rule at the end, Word's ``<div id="ftn1">``) go to
:attr:`TextModel.footnotes` without their marker and back links, not to the text, each with a
``footnotes_found`` note. Plain-text notes on a page are left to
:mod:`loaders.formats.footnotes`.
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
        if tag is None:  # comment or processing instruction
            self.text(element.tail)
            return
        if tag in _DROPPED:
            if tag not in ("head", "title", "nav"):
                self.dropped[tag] = self.dropped.get(tag, 0) + 1
            self.text(element.tail)
            return
        if element in self.skip:
            self.text(element.tail)
            return
        if element in self.calls:
            self.current.append(f"[footnoteRef:{self.calls[element]}]")
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


# --------------------------------------------------------------------------- footnotes

# the id of a footnote text: "fn1", "ftn1" (Word), "_ftn1", "footnote-1", "fn:1", "note1"
_NOTE_ID = re.compile(r"^_?(?:ftn|fn|footnote|note|endnote|edn)[-_:]?(?P<n>\d{1,3})$", re.I)
_CALL_TEXT = re.compile(r"^\s*(?P<open>[\[(]?)(?P<n>[1-9]\d{0,2})[\])]?\s*$")
_CALL_CLASS = re.compile(r"footnote|noteref|fnref|ftnref", re.I)
_NOTES_CLASS = re.compile(r"(?:foot|end)-?notes?\b", re.I)
_NOTE_BLOCKS = {"p", "li", "div", "aside", "section", "dd", "td", "footer"}
_BACK_LINK = re.compile(r"^\s*(?:\u21a9\ufe0e?|\u2191|\^|back|return)\s*$", re.I)


def _tag(element: Any) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _classes(element: Any) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''} {element.get('role') or ''}"


class _Footnotes:
    """The footnotes of a page: the calls (a link to a note, or a ``<sup>`` whose number is
    that of a note), the note texts, and the elements that hold them (read apart)."""

    def __init__(self, top: Any) -> None:
        self.calls: dict[Any, str] = {}
        self.skip: set[Any] = set()
        self.texts: dict[str, str] = {}
        self._defs: dict[str, Any] = {}
        self._where: dict[str, str] = {}
        elements = [e for e in top.iter() if isinstance(e.tag, str)]
        self._order = {e: i for i, e in enumerate(elements)}
        targets: dict[str, Any] = {}
        for e in elements:
            for key in (e.get("id"), e.get("name") if _tag(e) == "a" else None):
                if key and key not in targets:
                    targets[key] = e
        self._linked(elements, targets)
        self._containers(elements)
        if not self._defs:
            return
        self._bare_sups(elements)
        self._read_texts()

    def _linked(self, elements: list[Any], targets: dict[str, Any]) -> None:
        for a in elements:
            href = a.get("href") or ""
            if _tag(a) != "a" or not href.startswith("#"):
                continue
            target = targets.get(href[1:])
            m = _CALL_TEXT.match("".join(a.itertext()))
            if target is None or m is None or self._order[target] <= self._order[a]:
                continue  # a call comes before its note (a back link goes the other way)
            parent = a.getparent()
            in_sup = parent is not None and _tag(parent) == "sup"
            footnoteish = (
                in_sup
                or a.find(".//sup") is not None
                or _CALL_CLASS.search(_classes(a)) is not None
                or _NOTE_ID.match(href[1:]) is not None
                or m.group("open") == "["
            )
            if not footnoteish:
                continue
            note = self._note_block(target)
            if note is None or any(x is note for x in a.iterancestors()):
                continue
            if len("".join(note.itertext())) > 3000 or any(
                _tag(x) in ("h1", "h2", "h3", "h4", "h5", "h6", "table") for x in note.iter()
            ):
                continue  # a link to a part of the page, not to a note
            n = m.group("n")
            call = parent if in_sup and _same_text(parent, a) else a
            self.calls[call] = n
            if n not in self._defs:
                self._defs[n] = note
                self._where[n] = f"#{href[1:]}"
            self.skip.add(note)

    def _note_block(self, target: Any) -> Any:
        note = target
        while _tag(note) not in _NOTE_BLOCKS:
            note = note.getparent()
            if note is None or _tag(note) in ("body", "html"):
                return None
        # Word: <div id="ftn1"><p><a name="_ftn1">[1]</a> text</p></div>
        parent = note.getparent()
        while parent is not None and _NOTE_ID.match(parent.get("id") or ""):
            note, parent = parent, parent.getparent()
        return note

    def _containers(self, elements: list[Any]) -> None:
        """``div.footnotes``, ``section.footnotes``, an ``ol`` of notes after an ``<hr>`` at
        the end: notes if a link or a ``<sup>`` before them calls one of them."""
        for e in elements:
            tag = _tag(e)
            if tag not in ("div", "section", "aside", "ol", "ul", "footer"):
                continue
            named = _NOTES_CLASS.search(_classes(e)) is not None
            after_rule = tag == "ol" and _after_rule(e) and _last(e)
            if not named and not after_rule:
                continue
            if e in self.skip or any(x in self.skip for x in e.iterancestors()):
                continue
            items = [k for k in e.iter() if k is not e and _tag(k) in ("p", "li")]
            items = [k for k in items if not any(_tag(x) in ("p", "li") for x in _up_to(k, e))]
            start = int(e.get("start") or 1) if (e.get("start") or "1").isdigit() else 1
            found: dict[str, Any] = {}
            for position, item in enumerate(items, start):
                lead = _LEADING_NUMBER.match("".join(item.itertext()))
                if lead is not None:
                    found.setdefault(lead.group("n"), item)
                elif _tag(item) == "li":
                    found.setdefault(str(position), item)
            linked = any(x is e for note in self.skip for x in note.iterancestors())
            sups = {
                m.group("n")
                for s in elements
                if _tag(s) == "sup"
                and self._order[s] < self._order[e]
                and (m := _CALL_TEXT.match("".join(s.itertext()))) is not None
            }
            if not found or not (linked or sups & set(found)):
                continue
            for n, item in found.items():
                if n not in self._defs:
                    self._defs[n] = item
                    self._where[n] = "the notes at the end"
            self.skip.add(e)

    def _bare_sups(self, elements: list[Any]) -> None:
        for sup in elements:
            if _tag(sup) != "sup" or sup in self.calls:
                continue
            m = _CALL_TEXT.match("".join(sup.itertext()))
            if m is None or m.group("n") not in self._defs:
                continue
            if any(x in self.skip or x in self.calls for x in sup.iterancestors()):
                continue
            if any(x in self.calls for x in sup.iter()):
                continue
            before = _text_before(sup)
            if before and before[-1].isdigit():  # "10<sup>6</sup>": a power
                continue
            self.calls[sup] = m.group("n")

    def _read_texts(self) -> None:
        calls = set(self.calls)
        for n, note in sorted(self._defs.items(), key=lambda kv: self._order[kv[1]]):
            text = " ".join(_note_text(note, calls).split())
            lead = _LEADING_NUMBER.match(text)
            if lead is not None and lead.group("n") == n:
                text = text[lead.end() :].strip()
            text = re.sub(r"\s*(?:\u21a9\ufe0e?|\u2191)\s*$", "", text)
            if text:
                self.texts[n] = text
            self.skip.add(note)

    def notes(self) -> list[ReaderNote]:
        out = []
        called: dict[str, int] = {}
        for n in self.calls.values():
            called[n] = called.get(n, 0) + 1
        for n, text in self.texts.items():
            short = text if len(text) <= 60 else text[:57] + "..."
            calls = called.get(n, 0)
            how = f"{calls} call{'s' if calls != 1 else ''} marked" if calls else "no call found"
            out.append(
                ReaderNote(
                    "footnotes_found",
                    f"footnote {n} read from {self._where.get(n, 'the page')}: '{short}'; {how}",
                )
            )
        return out


_LEADING_NUMBER = re.compile(r"^\s*[\[(]?(?P<n>[1-9]\d{0,2})[\])]?[.:]?(?:[ \t\u00a0]+|$)")


def _same_text(outer: Any, inner: Any) -> bool:
    return "".join(outer.itertext()).strip() == "".join(inner.itertext()).strip()


def _up_to(element: Any, top: Any) -> list[Any]:
    out = []
    for x in element.iterancestors():
        if x is top:
            break
        out.append(x)
    return out


def _last(element: Any) -> bool:
    """Nothing but blank text and rules after ``element`` in its parent."""
    nxt = element.getnext()
    while nxt is not None:
        if isinstance(nxt.tag, str) and _tag(nxt) != "hr" and "".join(nxt.itertext()).strip():
            return False
        nxt = nxt.getnext()
    return True


def _after_rule(element: Any) -> bool:
    prev = element.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    return prev is not None and _tag(prev) == "hr"


def _text_before(element: Any) -> str:
    prev = element.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is not None:
        return prev.tail or ("".join(prev.itertext()) if not prev.tail else "")
    parent = element.getparent()
    return (parent.text or "") if parent is not None else ""


def _note_text(note: Any, calls: set[Any]) -> str:
    """The text of a note without its back links (to a call, "↩") and dropped content."""
    parts: list[str] = []

    def walk(e: Any) -> None:
        tag = _tag(e)
        back = tag == "a" and (
            _BACK_LINK.match("".join(e.itertext())) is not None
            or re.search(r"back|fnref|ftnref", _classes(e) + (e.get("href") or ""), re.I)
            is not None
        )
        if tag and tag not in _DROPPED and not back:
            parts.append(e.text or "")
            for child in e:
                walk(child)
        if e is not note:
            parts.append(e.tail or "")

    walk(note)
    return "".join(parts)


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
