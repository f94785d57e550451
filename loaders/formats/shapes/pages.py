"""Pages (text extracted from a PDF, pdftotext style): form feeds, page numbers, running
heads and feet, hyphenated words, labels alone on their line, wrapped headers and headings."""

from __future__ import annotations

import re
from collections import Counter

from loaders.formats.model import ReaderNote
from loaders.formats.shapes.bullets import _GLUED_LABEL
from loaders.resolution_text import is_header, is_heading

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[\-\u2013\u2014]\s*\d{1,4}\s*[\-\u2013\u2014]|\d{1,4}|page\s+\d{1,4}(?:\s+of\s+\d{1,4})?|\d{1,4}\s*/\s*\d{1,4})\s*$",
    re.IGNORECASE,
)
_DASHED_NUMBER = re.compile(r"^\s*[\-\u2013\u2014]\s*\d{1,4}\s*[\-\u2013\u2014]\s*$")
_LONE_LABEL = re.compile(r"^\s*(?P<label>\(?[a-z]{1,6}\)|[1-9]\d{0,2}\.?)\s*$")
_HYPHEN_END = re.compile(r"(?P<word>[A-Za-z]{2,})-$")
_NEXT_WORD = re.compile(r"^(?P<word>[a-z]{2,})")
_ADDRESSED_START = re.compile(
    r"^\s*(?:further\s+)?(?:instructs|invites|requests|encourages|urges|calls\s+upon|"
    r"calls\s+on|appeals\s+to)\b",
    re.IGNORECASE,
)
_HEADER_LINE = re.compile(r"^\s*(?:(?:MOD|ADD|SUP)\s+)?(?:DRAFT\s+)?(?:NEW\s+)?RESOLUTION\b")
_INTRO_START = re.compile(
    r"^\s*The\s+(?:World|Plenipotentiary|Radiocommunication|Council|ITU|General)\b"
)


def _looks_paged(text: str) -> bool:
    if "\f" in text:
        return True
    lines = text.split("\n")
    numbers = sum(1 for line in lines if _DASHED_NUMBER.match(line))
    lone = sum(1 for line in lines if _LONE_LABEL.match(line))
    return numbers >= 1 or lone >= 3


def _pages(text: str) -> list[list[str]]:
    if "\f" in text:
        return [page.split("\n") for page in text.split("\f")]
    pages: list[list[str]] = [[]]
    for line in text.split("\n"):
        pages[-1].append(line)
        if _DASHED_NUMBER.match(line):
            pages.append([])
    return pages


def _edge(page: list[str], top: bool, n: int = 3) -> list[int]:
    """The indexes of the first (last) ``n`` non-blank lines of a page."""
    order = range(len(page)) if top else range(len(page) - 1, -1, -1)
    found: list[int] = []
    for i in order:
        if page[i].strip():
            found.append(i)
            if len(found) == n:
                break
    return found


def _page_numbers(line: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", line)][:1]


def _page_number_offset(pages: list[list[str]]) -> int | None:
    """The offset between a page's printed number and its index, read from the numbers alone
    on the pages' first or last lines (a bare "3" is a page number only if the pages agree)."""
    offsets: Counter[int] = Counter()
    for p, page in enumerate(pages):
        seen: set[int] = set()
        for top in (True, False):
            for i in _edge(page, top):
                if _PAGE_NUMBER.match(page[i]) and not _DASHED_NUMBER.match(page[i]):
                    seen.update(n - p for n in _page_numbers(page[i]))
        offsets.update(seen)
    if not offsets:
        return None
    value, count = offsets.most_common(1)[0]
    return value if count >= max(2, len(pages) // 2) else None


def _is_page_number(line: str, page: int, offset: int | None) -> bool:
    if _DASHED_NUMBER.match(line):
        return True
    if not _PAGE_NUMBER.match(line) or offset is None:
        return False
    return _page_numbers(line) == [page + offset]


def _structural(line: str) -> bool:
    """A line a running head never is: a resolution's header, a heading, a label, the words
    of the assembly, a history, or a line that ends a sentence or clause."""
    stripped = line.strip()
    return bool(
        _LONE_LABEL.match(line)
        or _GLUED_LABEL.match(stripped)
        or is_header(stripped)
        or is_heading(stripped)
        or stripped.startswith("(")
        or _INTRO_START.match(stripped)
        or re.search(r"[.;:,]$", stripped)
    )


def _shape_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def _unpage(
    text: str, page_starts: tuple[int, ...]
) -> tuple[str, tuple[int, ...], list[ReaderNote]]:
    pages = _pages(text)
    notes: list[ReaderNote] = []
    drop: set[tuple[int, int]] = set()
    numbers = heads = 0
    if len(pages) > 1:
        counts: Counter[str] = Counter()
        for page in pages:
            keys = {_shape_key(page[i]) for top in (True, False) for i in _edge(page, top)}
            counts.update(keys)
        repeated = {k for k, c in counts.items() if c >= max(2, (len(pages) + 1) // 2)}
        offset = _page_number_offset(pages)
        for p, page in enumerate(pages):
            for top in (True, False):
                for i in _edge(page, top):
                    line = page[i]
                    if _is_page_number(line, p, offset):
                        drop.add((p, i))
                        numbers += 1
                    elif _shape_key(line) in repeated and not _structural(line):
                        drop.add((p, i))
                        heads += 1
    else:
        for i, line in enumerate(pages[0]):
            if _DASHED_NUMBER.match(line):
                drop.add((0, i))
                numbers += 1
    if numbers:
        notes.append(ReaderNote("page_numbers_removed", f"{numbers} page numbers removed"))
    if heads:
        notes.append(ReaderNote("running_heads_removed", f"{heads} running heads or feet removed"))
    lines: list[str] = []
    starts: list[int] = []
    for p, page in enumerate(pages):
        starts.append(len(lines))
        lines.extend(line for i, line in enumerate(page) if (p, i) not in drop)
    lines, joined = _join_hyphens(lines)
    if joined:
        notes.append(
            ReaderNote("hyphenation_joined", f"{joined} words hyphenated at a line end joined")
        )
    lines, starts, reflowed = _reflow(lines, starts)
    if reflowed:
        notes.append(_reflow_note(reflowed))
    out = "\n".join(lines)
    offsets = _line_offsets(lines, starts)
    return out, offsets if len(pages) > 1 else page_starts, notes


def _reflow_note(reflowed: int) -> ReaderNote:
    return ReaderNote(
        "lines_reflowed",
        f"{reflowed} wrapped lines joined (labels alone on their line, headings, header lines, "
        "clauses cut by the page width)",
    )


def _line_offsets(lines: list[str], starts: list[int]) -> tuple[int, ...]:
    """The character offsets of the given line indexes in the joined text."""
    line_offsets: list[int] = []
    offset = 0
    for line in lines:
        line_offsets.append(offset)
        offset += len(line) + 1
    return tuple(line_offsets[s] if s < len(line_offsets) else offset for s in starts)


def _reflow_paged(text: str, page_starts: tuple[int, ...]) -> tuple[str, tuple[int, ...], int]:
    lines = text.split("\n")
    line_of: list[int] = []
    offset, index = 0, 0
    for start in page_starts:
        while index < len(lines) and offset + len(lines[index]) + 1 <= start:
            offset += len(lines[index]) + 1
            index += 1
        line_of.append(index)
    lines, starts, reflowed = _reflow(lines, line_of)
    if not reflowed:
        return text, page_starts, 0
    return "\n".join(lines), _line_offsets(lines, starts) if page_starts else (), reflowed


def _join_hyphens(lines: list[str]) -> tuple[list[str], int]:
    words = Counter(re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", "\n".join(lines).lower()))
    out: list[str] = []
    joined = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _HYPHEN_END.search(line.rstrip())
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        n = _NEXT_WORD.match(nxt.lstrip())
        if m is not None and n is not None:
            head, tail = m.group("word"), n.group("word")
            whole = (head + tail).lower()
            hyphenated = f"{head}-{tail}".lower()
            if words[whole] > 0 or (words[hyphenated] <= 1 and len(head) >= 3):
                rest = nxt.lstrip()[len(tail) :]
                tail_line = (tail + rest).split(" ", 1)
                out.append(line.rstrip()[:-1] + tail_line[0])
                lines[i + 1] = tail_line[1] if len(tail_line) > 1 else ""
                joined += 1
                i += 1  # the next line keeps what follows the word (maybe nothing)
                continue
        out.append(line)
        i += 1
    return out, joined


def _reflow(lines: list[str], starts: list[int]) -> tuple[list[str], list[int], int]:
    """Join a label alone on its line with the text after it, and the wrapped lines of the
    header, history, assembly and addressed headings; keep page starts on their lines."""
    out: list[str] = []
    new_index: list[int] = []
    joined = 0
    i = 0
    while i < len(lines):
        new_index.append(len(out))
        line = lines[i]
        stripped = line.strip()
        label = _LONE_LABEL.match(line)
        nxt = _next_text(lines, i)
        if label is not None and nxt is not None and not _LONE_LABEL.match(lines[nxt]):
            out.append(f"{label.group('label').rstrip('.')}\t{lines[nxt].strip()}")
            for _ in range(i + 1, nxt + 1):
                new_index.append(len(out) - 1)
            joined += 1
            i = nxt + 1
            continue
        if stripped and _wraps(stripped):
            parts = [stripped]
            j = i + 1
            while j < len(lines) and lines[j].strip() and _still_wrapping(" ".join(parts)):
                if _LONE_LABEL.match(lines[j]) or _HEADER_LINE.match(lines[j]):
                    break
                if _ADDRESSED_START.match(stripped) and not _continues_name(lines[j]):
                    break
                parts.append(lines[j].strip())
                new_index.append(len(out))
                j += 1
            out.append(" ".join(parts))
            joined += len(parts) - 1
            i = j
            continue
        if stripped and _runs_on(stripped):
            parts = [line.rstrip()]
            j = i + 1
            while j < len(lines) and _continues_line(lines[j]) and _runs_on(parts[-1].strip()):
                parts.append(lines[j].strip())
                new_index.append(len(out))
                j += 1
            if len(parts) > 1:
                # "CWG-" / "WSIS&SDG": a hyphen kept at a line end joins without a space
                text = parts[0]
                for part in parts[1:]:  # and ";" cut from its word goes back to it
                    glued = text.endswith("-") or part[:1] in ";,.:)"
                    text += part if glued else f" {part}"
                out.append(text)
                joined += len(parts) - 1
                i = j
                continue
        out.append(line)
        i += 1
    new_index.append(len(out))
    return out, [new_index[s] if s < len(new_index) else len(out) for s in starts], joined


def _continues_name(line: str) -> bool:
    """The next line of a wrapped addressee ("… of the Telecommunication" / "Standardization
    Bureau"), not the clause after the heading ("to publish …", "that …", "a) …")."""
    stripped = line.strip()
    return not (
        re.match(r"^(?:to|that|in|on|for|with|as)\b", stripped)
        or _GLUED_LABEL.match(stripped)
        or re.match(r"^\(?[a-z]{1,4}\)\s|^[1-9]\d{0,2}[.\t]", stripped)
        or is_heading(stripped)
        or re.search(r"[.;]$", stripped)
    )


def _runs_on(line: str) -> bool:
    """A line of running text cut by the page width: no closing punctuation, and neither a
    heading, a RESOLUTION header nor a label alone."""
    return (
        (not re.search(r"[.;:,)]$", line) or _unbalanced(line))
        and not is_heading(line)
        and not _HEADER_LINE.match(line)
        and not is_header(line)
        and not _LONE_LABEL.match(line)
    )


def _continues_line(line: str) -> bool:
    stripped = line.strip()
    return (
        bool(stripped)
        and not is_heading(stripped)
        and not _HEADER_LINE.match(stripped)
        and not is_header(stripped)
        and not _LONE_LABEL.match(stripped)
        and not _GLUED_LABEL.match(stripped)
        and not re.match(r"^\(?[a-z]{1,4}\)\s|^[1-9]\d{0,2}[.\t]", stripped)
        and not stripped.startswith("(")
        and not _INTRO_START.match(stripped)
        and not re.match(r"^The\s+Council\s*,\s*$", stripped)
    )


def _next_text(lines: list[str], i: int) -> int | None:
    for j in range(i + 1, min(len(lines), i + 8)):  # blank lines where a page broke
        if lines[j].strip():
            return j
    return None


def _wraps(line: str) -> bool:
    """A line that starts a unit the parser reads as one line: history, assembly intro or an
    addressed heading ("instructs the Director of …")."""
    if line.startswith("(") and line.count("(") > line.count(")"):
        return True
    if _is_intro_start(line) and (not line.endswith(",") or _unbalanced(line)):
        return True
    return bool(_ADDRESSED_START.match(line)) and not re.search(r"[.;:,]$", line)


def _unbalanced(text: str) -> bool:
    return text.count("(") > text.count(")")


def _is_intro_start(line: str) -> bool:
    """The start of the assembly's words ("The World Telecommunication Standardization
    Assembly (Dubai,"), not a title that starts alike ("The Radiocommunication Sector's …")."""
    return bool(_INTRO_START.match(line)) and bool(
        re.search(r"\b(?:Assembly|Conference|Council)\b", line)
    )


def _still_wrapping(joined: str) -> bool:
    if joined.startswith("(") and joined.count("(") > joined.count(")"):
        return True
    if _is_intro_start(joined):
        return (not joined.endswith(",") or _unbalanced(joined)) and joined.count(" ") < 40
    if _ADDRESSED_START.match(joined):
        # an addressee runs on while it is a name: "the Director of the … Bureau"
        return not re.search(r"[.;:,]$", joined) and len(joined) < 200
    return False
