"""Rebuilding the before and after readings from the WordprocessingML: runs inserted,
deleted or moved, paragraph marks, automatic numbering as typed labels, footnotes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from loaders.docx_numbering import Counters, Numbering, W
from loaders.docx_revisions.model import Paragraph
from loaders.resolution_text import Change

_MC_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"

# Elements whose content is never document text.
_SKIP = {
    "rPr",
    "pPrChange",
    "rPrChange",
    "sectPr",
    "instrText",
    "delInstrText",
    "drawing",
    "pict",
    "object",
    "fldChar",
    "commentReference",
    "proofErr",
    "bookmarkStart",
    "bookmarkEnd",
    "commentRangeStart",
    "commentRangeEnd",
    "endnoteReference",
    "sym",
    "lastRenderedPageBreak",
    "annotationRef",
    "footnoteRef",
    "separator",
    "continuationSeparator",
}
_CHANGE_KINDS = {
    "ins": "insertion",
    "del": "deletion",
    "moveFrom": "move_from",
    "moveTo": "move_to",
}


def _local(element: Any) -> str | None:
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith(W):
        return None
    return tag[len(W) :]


def _top_paragraphs(body: Any) -> Iterator[Any]:
    for p in body.iter(f"{W}p"):
        if not any(a.tag == f"{W}p" for a in p.iterancestors()):
            yield p


@dataclass
class _Open:
    kind: str
    author: str | None
    date: str | None
    parts: list[str] = field(default_factory=list)


@dataclass
class _Acc:
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    mark_deleted: bool = False
    mark_inserted: bool = False


class _Collector:
    """Walks w:p elements; counts text inserted and then deleted (in neither reading)."""

    def __init__(self, numbering: Numbering | None = None) -> None:
        self.inserted_then_deleted = 0
        self.numbering = numbering or Numbering(None)

    def paragraph(self, p: Any) -> Paragraph:
        acc = _Acc()
        # a w:p inside w:ins/w:del (not valid WordprocessingML, but written by some tools):
        # the whole paragraph, mark included, is inserted or deleted
        ins, dele = False, False
        open_: list[_Open] = []
        for ancestor in p.iterancestors():
            kind = _local(ancestor)
            if kind in _CHANGE_KINDS:
                inserting = kind in ("ins", "moveTo")
                ins, dele = ins or inserting, dele or not inserting
                open_.append(
                    _Open(_CHANGE_KINDS[kind], ancestor.get(f"{W}author"), ancestor.get(f"{W}date"))
                )
        for child in p:
            self._visit(child, acc, ins, dele, open_)
        for change in open_:
            acc.changes.append(
                Change(change.kind, change.author, change.date, "".join(change.parts))
            )
        ppr = p.find(f"{W}pPr")
        old = ppr.find(f"{W}pPrChange/{W}pPr") if ppr is not None else None
        after = self.numbering.reference(ppr)
        return Paragraph(
            "".join(acc.before),
            "".join(acc.after),
            acc.mark_deleted or dele,
            acc.mark_inserted or ins,
            tuple(acc.changes),
            numbering_before=after if old is None else self.numbering.reference(old),
            numbering_after=after,
        )

    def _visit(self, el: Any, acc: _Acc, ins: bool, dele: bool, open_: list[_Open]) -> None:
        name = _local(el)
        if el.tag == _MC_ALTERNATE or name in _SKIP:
            return
        if name == "pPr":
            self._paragraph_mark(el, acc)
            return
        if name in _CHANGE_KINDS:
            change = _Open(_CHANGE_KINDS[name], el.get(f"{W}author"), el.get(f"{W}date"))
            inserting = name in ("ins", "moveTo")
            for child in el:
                self._visit(child, acc, ins or inserting, dele or not inserting, [*open_, change])
            acc.changes.append(
                Change(change.kind, change.author, change.date, "".join(change.parts))
            )
            return
        text = _TEXT_OF.get(name or "")
        if name in ("t", "delText"):
            text = el.text or ""
        elif name == "footnoteReference":
            text = f"[footnoteRef:{el.get(f'{W}id')}]"
        if text is None:
            for child in el:
                self._visit(child, acc, ins, dele, open_)
            return
        self._emit(text, acc, ins, dele, open_)

    def _emit(self, text: str, acc: _Acc, ins: bool, dele: bool, open_: list[_Open]) -> None:
        for change in open_:
            change.parts.append(text)
        # Text deleted inside an insertion was added by one revision and removed by another:
        # it is not in the original (before) text and not in the accepted (after) text, so
        # it belongs to neither reading. Word's "accept all"/"reject all" agree with this.
        if ins and dele:
            self.inserted_then_deleted += 1
            return
        if not ins:
            acc.before.append(text)
        if not dele:
            acc.after.append(text)

    def _paragraph_mark(self, ppr: Any, acc: _Acc) -> None:
        rpr = ppr.find(f"{W}rPr")
        if rpr is None:
            return
        for mark in rpr:
            kind = _local(mark)
            if kind in ("del", "moveFrom"):
                acc.mark_deleted = True
            elif kind in ("ins", "moveTo"):
                acc.mark_inserted = True
            else:
                continue
            acc.changes.append(
                Change(
                    f"paragraph_mark_{_CHANGE_KINDS[kind]}",
                    mark.get(f"{W}author"),
                    mark.get(f"{W}date"),
                    "",
                )
            )


_TEXT_OF = {"tab": "\t", "br": " ", "cr": " ", "noBreakHyphen": "\u2011", "softHyphen": ""}


def _label(paragraphs: tuple[Paragraph, ...], numbering: Numbering) -> tuple[Paragraph, ...]:
    """Give each paragraph that ends a reading line the label its Word numbering displays
    there, counting each reading on its own: a paragraph deleted with its mark is not counted
    in the after reading, an inserted one not in the before reading. A line takes the
    numbering of the paragraph that ends it (the mark that survives), and an empty line is
    neither labelled nor counted."""
    if not numbering:
        return paragraphs
    labels: dict[str, list[str | None]] = {}
    for reading in ("before", "after"):
        counters = Counters(numbering)
        out: list[str | None] = []
        line: list[str] = []
        for para in paragraphs:
            line.append(para.after if reading == "after" else para.before)
            merged = para.mark_deleted if reading == "after" else para.mark_inserted
            ref = para.numbering_after if reading == "after" else para.numbering_before
            label = None
            if not merged:
                if ref is not None and "".join(line).strip():
                    label = counters.label(ref)
                line = []
            out.append(label)
        labels[reading] = out
    return tuple(
        replace(para, label_before=before, label_after=after) if before or after else para
        for para, before, after in zip(paragraphs, labels["before"], labels["after"], strict=True)
    )


def _join(paragraphs: Sequence[Paragraph], reading: str) -> tuple[str, tuple[tuple[int, ...], ...]]:
    """Join paragraphs into one reading; a paragraph whose mark is absent from the reading
    (deleted for "after", inserted for "before") runs on into the next one. A line whose
    last paragraph has a numbering label starts with it and a tab, as if typed."""
    parts: list[str] = []
    lines: list[list[int]] = [[]]
    start = 0  # where the current line starts in parts
    for index, para in enumerate(paragraphs):
        text = para.after if reading == "after" else para.before
        merged = para.mark_deleted if reading == "after" else para.mark_inserted
        parts.append(text)
        lines[-1].append(index)
        if not merged:
            label = para.label_after if reading == "after" else para.label_before
            if label:
                parts.insert(start, f"{label}\t")
            parts.append("\n")
            lines.append([])
            start = len(parts)
    return "".join(parts), tuple(tuple(line) for line in lines)


def _footnotes(root: Any) -> dict[str, str]:
    collector = _Collector()
    notes: dict[str, str] = {}
    for note in root.iter(f"{W}footnote"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        texts = [collector.paragraph(p).after for p in note.iter(f"{W}p")]
        notes[str(note.get(f"{W}id"))] = " ".join(" ".join(texts).split())
    return notes
