"""Lines rebuilt from the positioned runs of text of each page: footnote markers, labels
written apart, running heads and feet, page numbers, footnotes at the foot of a page."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from loaders.formats.model import ReaderNote
from loaders.resolution_text import is_header, is_heading

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad]")  # but tab and LF; soft hyphen
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f]+")
_MARKER = re.compile(r"^[1-9]\d{0,2}$")
_LABEL_TOKEN = re.compile(r"^(?:[a-z]{1,6}\)|\(?[ivx]{1,6}\)|[1-9]\d{0,2}[.)]?)$")
_LABEL_ALONE = re.compile(r"^(?:[a-z]{1,6}\)|\(?[ivx]{1,6}\)|[1-9]\d{0,2}[.)]?)\t?$")
_LABEL_START = re.compile(r"^(?:[a-z]{1,6}\)|[1-9]\d{0,2}(?:[.)] |\t| {2,}))")
_FOOTNOTE_START = re.compile(r"^(?P<id>[1-9]\d{0,2})(?:\s+|(?=[A-Z\"'(\u201c]))(?P<text>\S.*)$")
_FOOTNOTE_MARKED = re.compile(r"^\x00(?P<id>\d+)\x00\s*(?P<text>.*)$")
_PAGE_NUMBER = re.compile(
    r"^[-\u2013\u2014 ]*(?:page\s+)?(?P<n>\d{1,5})(?:\s*(?:of|/)\s*\d{1,5})?[-\u2013\u2014 ]*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")

_SMALL = 0.85  # a font this much smaller than the body's is a footnote's or a superscript's
_RAISED = 0.15  # a superscript's baseline is raised by this part of the body size at least
_NO_TEXT_CHARS = 10  # fewer visible characters per page than this: no text layer


@dataclass
class _Run:
    text: str
    x: float
    y: float
    size: float
    after_break: bool  # pypdf put a line break before this run


@dataclass
class _Line:
    page: int  # 1-based
    runs: list[_Run] = field(default_factory=list)
    text: str = ""
    size: float = 0.0  # the font size of most of its characters
    y: float = 0.0  # the baseline of its main-size runs

    def main(self) -> tuple[float, float]:
        weight: Counter[float] = Counter()
        for run in self.runs:
            weight[round(run.size, 1)] += len(run.text.strip()) or 1
        size = weight.most_common(1)[0][0]
        ys = [r.y for r in self.runs if round(r.size, 1) == size]
        return size, min(ys)


def _page_runs(page: Any) -> list[_Run]:
    runs: list[_Run] = []
    pending_break = False
    pending_space = False  # pypdf gave a space alone: it goes before the next run

    def visit(text: str, cm: Any, tm: Any, _font: Any, font_size: Any) -> None:
        nonlocal pending_break, pending_space
        if not text:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0) if tm and cm else 1.0
        size = float(font_size) * scale
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i > 0:
                pending_break = True
            if not part.strip():
                pending_space = pending_space or bool(part)
                continue
            piece = " " + part if pending_space else part
            pending_space = False
            if i > 0 and runs:  # a line break inside one run: place it under the last line
                last = runs[-1]
                runs.append(_Run(piece, last.x, last.y - 1.2 * max(size, 1.0), size, True))
            else:
                runs.append(_Run(piece, float(x), float(y), size, pending_break))
            pending_break = False

    page.extract_text(visitor_text=visit)
    return runs


def _group(runs: list[_Run], page: int) -> list[_Line]:
    """Runs in stream order become lines: a run joins the line when its baseline is within
    0.6 of the larger font size of the line's baseline (a raised superscript stays in)."""
    lines: list[_Line] = []
    current: _Line | None = None
    base_y = base_size = 0.0
    for run in runs:
        if current is not None and abs(run.y - base_y) <= 0.6 * max(run.size, base_size):
            current.runs.append(run)
            if run.size > base_size:
                base_y, base_size = run.y, run.size
            continue
        current = _Line(page, [run])
        lines.append(current)
        base_y, base_size = run.y, run.size
    for line in lines:
        line.size, line.y = line.main()
        line.runs.sort(key=lambda r: r.x)
    return lines


def _is_marker(run: _Run, line: _Line) -> bool:
    return (
        _MARKER.match(run.text.strip()) is not None
        and run.size <= _SMALL * line.size
        and run.y - line.y >= _RAISED * line.size
    )


def _compose(line: _Line) -> None:
    """The line's text from its runs: superscript numbers become ``\\x00N\\x00`` placeholders,
    a label set apart from its text is followed by a tab."""
    out: list[str] = []
    runs = line.runs
    start = 0
    first = runs[0]
    if len(runs) > 1 and _LABEL_TOKEN.match(first.text.strip()) and not _is_marker(first, line):
        nxt = runs[1]
        width = 0.6 * first.size * len(first.text.strip())
        if nxt.x - (first.x + width) > 0.8 * first.size and not _is_marker(nxt, line):
            out.append(first.text.strip() + "\t")
            start = 1
    for i in range(start, len(runs)):
        run = runs[i]
        text = run.text
        if _is_marker(run, line) and i > 0:
            out.append(f"\x00{run.text.strip()}\x00")
            continue
        # pypdf puts the spaces it sees (by the glyphs' widths) into the runs; where it broke
        # the line (a superscript before) the space is ours to put back
        if (
            out
            and run.after_break
            and not out[-1].endswith(("\t", " "))
            and not text.startswith((" ", ",", ";", ".", ":", ")"))
        ):
            text = " " + text
        out.append(text)
    composed = "".join(out)
    label, tab, rest = composed.partition("\t")
    if not tab:
        line.text = _SPACES.sub(" ", composed).strip()
    else:
        line.text = label + "\t" + _SPACES.sub(" ", rest).strip()


# --------------------------------------------------------------------------- page furniture


def _furniture_key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.split()))


def _zones(page_lines: list[_Line]) -> list[_Line]:
    """The two highest and two lowest lines of a page: where heads and feet stand."""
    by_y = sorted(page_lines, key=lambda line: -line.y)
    return [*by_y[:2], *by_y[-2:]] if len(by_y) > 4 else by_y


def _remove_furniture(pages: list[list[_Line]], notes: list[ReaderNote]) -> None:

    count = len(pages)
    # the document's own "RESOLUTION 58 (...)" line stays even if a running head repeats it
    header = next(
        (id(line) for page_lines in pages for line in page_lines if is_header(line.text)),
        None,
    )
    seen: Counter[str] = Counter()
    for page_lines in pages:
        for key in {_furniture_key(line.text) for line in _zones(page_lines)}:
            seen[key] += 1
    running = {
        key
        for key, n in seen.items()
        if count >= 2 and n >= max(2, (count + 1) // 2) and not is_heading(key)
    }
    # a number alone at the top or bottom: a page number when its offset from the page's
    # index is the one most pages share
    offsets: Counter[int] = Counter()
    for number, page_lines in enumerate(pages, start=1):
        for line in _zones(page_lines):
            m = _PAGE_NUMBER.match(line.text)
            if m is not None:
                offsets[int(m.group("n")) - number] += 1
    offset = offsets.most_common(1)[0][0] if offsets else None
    for number, page_lines in enumerate(pages, start=1):
        zone = {id(line) for line in _zones(page_lines)}
        kept: list[_Line] = []
        for line in page_lines:
            if id(line) in zone:
                m = _PAGE_NUMBER.match(line.text)
                if m is not None and int(m.group("n")) - number == offset:
                    notes.append(
                        ReaderNote(
                            "page_number_removed", f"'{line.text}' removed", f"page {number}"
                        )
                    )
                    continue
                if _furniture_key(line.text) in running and id(line) != header:
                    notes.append(
                        ReaderNote(
                            "running_head_removed",
                            f"'{line.text}' (on {seen[_furniture_key(line.text)]} of {count} "
                            "pages) removed",
                            f"page {number}",
                        )
                    )
                    continue
            kept.append(line)
        page_lines[:] = kept


def _body_size(pages: list[list[_Line]]) -> float:
    weight: Counter[float] = Counter()
    for page_lines in pages:
        for line in page_lines:
            weight[line.size] += len(line.text)
    return weight.most_common(1)[0][0] if weight else 0.0


def _footnotes(
    pages: list[list[_Line]], notes: list[ReaderNote]
) -> tuple[dict[str, str], dict[tuple[int, str], str]]:
    """Footnotes from the small lines at the bottom of each page: {id: text}, and the id
    each page's footnote number has ({(page, "1"): "1"}; a number a page repeats gets a new
    id, with a note)."""
    body = _body_size(pages)
    found: dict[str, list[str]] = {}
    local: dict[tuple[int, str], str] = {}
    last: str | None = None
    for number, page_lines in enumerate(pages, start=1):
        by_y = sorted(page_lines, key=lambda line: -line.y)
        block: list[_Line] = []
        for line in reversed(by_y):
            if line.size > _SMALL * body:
                break
            block.insert(0, line)
        taken: set[int] = set()
        current: str | None = None
        for line in block:
            text = line.text.replace("\t", " ")
            head = _FOOTNOTE_MARKED.match(text) or _FOOTNOTE_START.match(text)
            if head is not None:
                written, rest = head.group("id"), head.group("text")
                current = written
                if current in found:
                    current = str(max(int(k) for k in found) + 1)
                    notes.append(
                        ReaderNote(
                            "footnote_renumbered",
                            f"footnote {written} appears again: read as footnote {current}",
                            f"page {number}",
                        )
                    )
                local[(number, written)] = current
            elif current is not None:
                rest = text
            elif last is not None and line is block[0]:
                current, rest = last, text
                notes.append(
                    ReaderNote(
                        "footnote_continued",
                        f"small text at the bottom continues footnote {last}",
                        f"page {number}",
                    )
                )
            else:
                break  # small text that is not a footnote: left in the body
            found.setdefault(current, []).append(rest.replace("\x00", ""))
            taken.add(id(line))
        if current is not None:
            last = current
        if taken:
            page_lines[:] = [line for line in page_lines if id(line) not in taken]
    return {key: " ".join(" ".join(parts).split()) for key, parts in found.items()}, local
