"""The list tree: labelled lines nested into lists and sublists, unlabelled lines
continuing the last item."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from loaders.resolution_text.base import _FOOTNOTE_DEF, _Line
from loaders.resolution_text.labels import _ALPHA_LABEL, _NUM_LABEL, _interpretations, _LabelReading
from loaders.resolution_text.model import InferredChange, MovedFrom


@dataclass
class _Item:
    line: int
    label: str | None
    text: str
    blank_before: bool
    written: str | None = None
    scheme: str | None = None
    reading: _LabelReading | None = None
    children: list[_Item] = field(default_factory=list)
    child_scheme: str | None = None
    more: list[str] = field(default_factory=list)  # unlabelled continuation lines
    moved_from: MovedFrom | None = None
    inferred: InferredChange | None = None

    @property
    def full_text(self) -> str:
        return "\n".join([self.text, *self.more]) if self.more else self.text

    @property
    def last_line(self) -> str:
        return self.more[-1] if self.more else self.text

    def values(self, scheme: str) -> set[int]:
        if self.label is None:
            return set()
        singles, merged = _interpretations(self.label, scheme)
        return set(singles) | {v for pair in merged for v in pair}


@dataclass
class _Frame:
    scheme: str
    items: list[_Item]


def _continues(frame: _Frame, item: _Item) -> bool:
    label = item.label or ""
    if frame.scheme == "num":
        return label.isdigit()
    if frame.scheme == "alpha":
        singles, merged = _interpretations(label, "alpha")
        return bool(singles or merged)
    successors = {v + 1 for v in frame.items[-1].values("roman")}
    return bool(item.values("roman") & successors)


def _starts_sublist(frame: _Frame, item: _Item) -> str | None:
    last = frame.items[-1]
    if last.children:
        return None
    label = item.label or ""
    if frame.scheme == "num" and not label.isdigit():
        if 0 in item.values("alpha"):
            return "alpha"
        if label == "i" and last.last_line.rstrip().endswith(":"):
            return "roman"  # "2 to coordinate …:" then "i) …", "ii) …"
    if frame.scheme == "alpha" and label == "i":
        ends_colon = last.last_line.rstrip().endswith(":")
        if ends_colon or 7 not in last.values("alpha"):
            return "roman"
    return None


def _build_tree(items: list[_Item]) -> tuple[list[_Item], list[_Frame]]:
    """Nest labelled items into lists; unlabelled lines continue the last item."""
    roots: list[_Item] = []
    frames: list[_Frame] = []
    stack: list[_Frame] = []
    for item in items:
        if item.label is None:
            if stack:
                last = stack[-1].items[-1]
                last.more.append(item.text)
            else:
                roots.append(item)
            continue
        placed = False
        while stack and not placed:
            frame = stack[-1]
            sub = _starts_sublist(frame, item)
            if sub is not None:
                parent = frame.items[-1]
                parent.child_scheme = sub
                parent.children.append(item)
                item.scheme = sub
                stack.append(_Frame(sub, [item]))
                frames.append(stack[-1])
                placed = True
            elif _continues(frame, item):
                item.scheme = frame.scheme
                frame.items.append(item)
                if len(stack) > 1:
                    stack[-2].items[-1].children.append(item)
                placed = True
            else:
                stack.pop()
        if not placed:
            scheme = "num" if (item.label or "").isdigit() else "alpha"
            item.scheme = scheme
            stack = [_Frame(scheme, [item])]
            frames.append(stack[0])
            roots.append(item)
        elif len(stack) == 1:
            roots.append(item)
    return roots, frames


def _make_item(line: _Line, blank_before: bool) -> _Item | None:
    folded = line.folded
    if not _FOOTNOTE_DEF.sub("", folded).strip():
        return None  # a footnote text on its own line: collected separately
    m = _NUM_LABEL.match(folded) or _ALPHA_LABEL.match(folded)
    if m is None:
        return _Item(line.no, None, line.ft.original.strip(), blank_before)
    text = line.ft.original_of(m.end(), len(folded)).rstrip()
    written = folded[m.start("label") : m.end()].strip()
    return _Item(line.no, m.group("label"), text, blank_before, written)


def _before_index(item: _Item) -> int | None:
    """The item's position in the before reading's list, if it is in that reading."""
    r = item.reading
    if r is None or r.reading == "after":
        return None
    return r.old


def _walk_items(items: list[_Item]) -> Iterator[_Item]:
    for item in items:
        yield item
        yield from _walk_items(item.children)
