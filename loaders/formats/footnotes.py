"""Footnotes of plain-text copies: notes at the end or a page bottom, markers glued to words.

A resolution copied from a web page or extracted from a PDF keeps its footnotes as text: the
call is a digit glued to the word before it ("study groups1;") and the note is a line
``N<TAB or space>text`` after a separator line (``_____`` or ``-----``), or at the bottom of a
page or the end of the text. :func:`text_footnotes` moves the notes to
:attr:`TextModel.footnotes <loaders.formats.model.TextModel.footnotes>` and turns each call
into ``[footnoteRef:N]``, as the resolution parser reads them, under these rules:

- after a separator line, the lines ``N text`` numbered in sequence (a wrapped note goes on
  over the lines after it) are notes; the separator goes with them;
- without a separator, only a run of lines ``N Text`` (a capital after the number) at the very
  end of the text or of a page (before a page number or form feed), numbered in sequence, each
  called by a glued marker in the text before them; in a text on one line, the same run at
  the end of the line;
- a call is a number glued to a word of two letters or more that ends in a lowercase letter,
  before punctuation, a space or the line end, and only if that number is a note found:
  never "G.729", "5G", "2030", "Resolution 140", "SG17", "C5", "9.c", "70/125" or "H.264".

Every note moved and every call marked is reported as a ``footnotes_found``
:class:`~loaders.formats.model.ReaderNote`. A text that already has ``[footnoteRef:``
markers, or footnotes from its reader, is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from loaders.formats.model import ReaderNote, TextModel
from loaders.resolution_text import is_heading

__all__ = ["text_footnotes"]

_SEPARATOR = re.compile(r"^[ \t\f]*(?:_{5,}|-{5,})[ \t]*$")
_DEF = re.compile(r"^[ \t\f]*(?P<n>[1-9]\d{0,2})(?:[ \t]+|[.)][ \t]+)(?P<text>\S.*?)\s*$")
# a note without a separator starts with a capital (clauses start with "to", "that" ...)
_CAPITAL = re.compile(r"[A-Z\u00c0-\u00de\u201c\"'(]")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[\-\u2013\u2014]\s*\d{1,4}\s*[\-\u2013\u2014]|\d{1,4}|page\s+\d{1,4}(?:\s+of\s+\d{1,4})?)\s*$",
    re.IGNORECASE,
)
_PAGE_MARK = re.compile(
    r"^\s*(?:[\-\u2013\u2014]\s*\d{1,4}\s*[\-\u2013\u2014]|page\s+\d{1,4}(?:\s+of\s+\d{1,4})?)\s*$",
    re.IGNORECASE,
)
# a number glued to the word before it, before punctuation, a space or the end
_GLUED = re.compile(
    r"(?<![\w.\-/])(?P<word>[^\W\d_](?:[^\W\d_]|-(?=[^\W\d_]))+)(?P<n>[1-9]\d?)"
    r"(?=[;:,.!?)\]\u201d\u2019\"'\s]|$)"
)
# one-line text: "… programme. 1 The least … 2 Other …" at the end of the line
_INLINE_CUT = re.compile(r"(?<=[.;:,!?)])\s+(?:(?:_{5,}|-{5,})\s+)?(?=[1-9]\d{0,2}\s+\S)")
_INLINE_DEF = re.compile(r"^(?P<n>[1-9]\d{0,2})\s+(?P<text>\S.*?)\s*$", re.DOTALL)


@dataclass
class _Note:
    n: int
    text: str
    line: int  # 1-based line of the note's first line
    where: str  # "after a separator line", "at a page bottom", "at the end of the text"


def _calls(text: str) -> dict[int, int]:
    """Plausible glued markers in ``text``: number → how many."""
    found: dict[int, int] = {}
    for m in _GLUED.finditer(text):
        if m.group("word")[-1].islower():
            n = int(m.group("n"))
            found[n] = found.get(n, 0) + 1
    return found


def text_footnotes(model: TextModel) -> TextModel:
    """Move the footnotes of a plain-text copy to ``model.footnotes`` and mark their calls."""
    text = model.text
    if model.footnotes or "[footnoteRef:" in text or not re.search(r"[^\W\d_]\d", text):
        return model
    lines = text.split("\n")
    long_lines = [line for line in lines if line.strip()]
    one_line = len(long_lines) <= 3 and max((len(x) for x in long_lines), default=0) > 400
    if one_line:
        body, notes = _one_line(lines)
    else:
        body, notes = _lines(lines)
    if not notes:
        return model
    defined = {n.n: n for n in notes}
    body_text = "\n".join(body)
    marked: dict[int, list[str]] = {}

    def mark(m: re.Match[str]) -> str:
        n = int(m.group("n"))
        if n not in defined or not m.group("word")[-1].islower():
            return m.group(0)
        marked.setdefault(n, []).append(m.group(0))
        return f"{m.group('word')}[footnoteRef:{n}]"

    body_text = _GLUED.sub(mark, body_text)
    reports: list[ReaderNote] = []
    for note in notes:
        called = marked.get(note.n)
        short = note.text if len(note.text) <= 60 else note.text[:57] + "..."
        message = f"footnote {note.n} read {note.where}: '{short}'"
        if called:
            more = f" and {len(called) - 3} more" if len(called) > 3 else ""
            message += f"; called at '{', '.join(called[:3])}'{more}"
        else:
            message += "; no call of it found in the text"
        reports.append(ReaderNote("footnotes_found", message, f"line {note.line}"))
    if text.endswith("\n") and not body_text.endswith("\n"):
        body_text += "\n"
    return replace(
        model,
        text=body_text,
        footnotes={str(n.n): n.text for n in notes},
        notes=(*model.notes, *reports),
    )


# --------------------------------------------------------------------------- lines


def _lines(lines: list[str]) -> tuple[list[str], list[_Note]]:
    drop: set[int] = set()
    notes: list[_Note] = []
    # 1. after a separator line
    for i, line in enumerate(lines):
        if not _SEPARATOR.match(line):
            continue
        found, used = _after_separator(lines, i + 1)
        if found:
            notes += found
            drop.add(i)
            drop.update(used)
    # 2. at a page bottom or the end, without a separator: "N Text" lines called in the text
    first_call: dict[int, int] = {}  # a number → the first line that calls it
    for j, line in enumerate(lines):
        if j not in drop:
            for number in _calls(line):
                first_call.setdefault(number, j)
    for bottom in _bottoms(lines):
        found, used = _bottom_run(lines, bottom, drop)
        # every note of the run must be called before it; drop uncalled ones from the top
        while found and first_call.get(found[0].n, len(lines)) >= used[0]:
            found.pop(0)
            used.pop(0)
        if found and all(first_call.get(n.n, len(lines)) < used[0] for n in found):
            notes += found
            drop.update(used)
    if not notes:
        return lines, []
    # a footnote number defined twice: keep the first
    seen: set[int] = set()
    unique: list[_Note] = []
    for note in sorted(notes, key=lambda x: x.line):
        if note.n not in seen:
            seen.add(note.n)
            unique.append(note)
    # a dropped line that held a form feed leaves it: the pages keep their count
    body = [
        line if i not in drop else "\f"
        for i, line in enumerate(lines)
        if i not in drop or "\f" in line
    ]
    return body, unique


def _after_separator(lines: list[str], start: int) -> tuple[list[_Note], list[int]]:
    notes: list[_Note] = []
    used: list[int] = []
    i = start
    while i < len(lines) and not lines[i].strip() and i < start + 2:
        i += 1
    while i < len(lines):
        line = lines[i]
        if "\f" in line or _PAGE_NUMBER.match(line) or _SEPARATOR.match(line):
            break
        m = _DEF.match(line)
        expected = notes[-1].n + 1 if notes else None
        if m is not None and (expected is None or int(m.group("n")) == expected):
            notes.append(_Note(int(m.group("n")), m.group("text"), i + 1, "after a separator line"))
            used.append(i)
        elif not line.strip():
            # a blank line ends the notes unless the next note follows it
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            m2 = _DEF.match(nxt)
            if not notes or m2 is None or int(m2.group("n")) != notes[-1].n + 1:
                break
            used.append(i)
        elif notes and _ends_note(notes[-1].text, line):
            break  # a finished note, then the text again (a page break the text does not mark)
        elif notes:  # a note wrapped over lines
            notes[-1].text += " " + line.strip()
            used.append(i)
        else:
            break
        i += 1
    return notes, used


_TEXT_AGAIN = re.compile(
    r"^\s*(?:ANNEX|Annex|APPENDIX|Appendix|ATTACHMENT|RESOLUTION|[a-z]{1,6}\)|[1-9]\d{0,2}\t)"
)


def _ends_note(note: str, line: str) -> bool:
    """A note that ended its sentence, followed by a line that starts lowercase (the body's
    words), an annex, a header or a label: the note is over."""
    if not re.search(r"[.!?)]$", note.rstrip()):
        return False
    stripped = line.strip()
    return stripped[:1].islower() or bool(_TEXT_AGAIN.match(stripped)) or is_heading(stripped)


def _bottoms(lines: list[str]) -> list[int]:
    """Indexes of the last line of each page: before a form feed or a "- n -" page number,
    and the end of the text."""
    out: list[int] = []
    for i, line in enumerate(lines):
        if i > 0 and ("\f" in line or _PAGE_MARK.match(line)):
            out.append(i - 1)
    out.append(len(lines) - 1)
    return sorted(set(out))


def _bottom_run(lines: list[str], bottom: int, drop: set[int]) -> tuple[list[_Note], list[int]]:
    i = bottom
    while i >= 0 and (i in drop or not lines[i].strip() or _PAGE_MARK.match(lines[i])):
        i -= 1
    run: list[tuple[int, int, str]] = []  # (index, number, text), from the bottom up
    while i >= 0 and i not in drop:
        m = _DEF.match(lines[i].replace("\f", ""))
        if m is None or not _CAPITAL.match(m.group("text")):
            break
        n = int(m.group("n"))
        if run and n != run[-1][1] - 1:
            break
        run.append((i, n, m.group("text")))
        i -= 1
    run.reverse()
    where = "at the end of the text" if bottom == len(lines) - 1 else "at a page bottom"
    return [_Note(n, t, j + 1, where) for j, n, t in run], [j for j, _, _ in run]


# --------------------------------------------------------------------------- one line


def _one_line(lines: list[str]) -> tuple[list[str], list[_Note]]:
    index = max(range(len(lines)), key=lambda k: len(lines[k]))
    line = lines[index]
    cuts = [m.start() for m in _INLINE_CUT.finditer(line)]
    if not cuts:
        return lines, []
    # the segments from each cut to the next; the notes are a run at the end
    bounds = [*cuts, len(line)]
    segments = [(bounds[k], line[bounds[k] : bounds[k + 1]]) for k in range(len(cuts))]
    run: list[tuple[int, int, str]] = []  # (offset, number, text), from the end back
    for offset, segment in reversed(segments):
        stripped = re.sub(r"^\s*(?:(?:_{5,}|-{5,})\s+)?", "", segment)
        m = _INLINE_DEF.match(stripped)
        if m is None or not _CAPITAL.match(m.group("text")):
            break
        n = int(m.group("n"))
        if run and n != run[-1][1] - 1:
            break
        run.append((offset, n, m.group("text")))
    run.reverse()
    while run:
        calls = _calls(line[: run[0][0]])
        if all(n in calls for _, n, _ in run):
            break
        run.pop(0)
    if not run:
        return lines, []
    notes = [_Note(n, " ".join(t.split()), index + 1, "at the end of the line") for _, n, t in run]
    out = list(lines)
    out[index] = line[: run[0][0]].rstrip()
    return out, notes
