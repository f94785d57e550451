"""Across lines: hyphenated words joined (or kept), labels alone joined to their text,
wrapped headings and sentences that only look like a label or heading made one line."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from loaders.formats.model import ReaderNote
from loaders.formats.pdf.lines import _LABEL_ALONE, _LABEL_START
from loaders.resolution_text import is_heading

_HYPHEN_END = re.compile(r"(?P<word>[^\W\d_][\w]*)-$")
_NEXT_WORD = re.compile(r"^(?P<word>[\w]+)(?P<rest>.*)$", re.DOTALL)
_MID_SENTENCE_END = re.compile(r"[^\W_]$")
# first parts of compounds that keep their hyphen at a line end (non-discriminatory ...)
_COMPOUND_PREFIXES = {
    "anti",
    "co",
    "cross",
    "ex",
    "multi",
    "non",
    "post",
    "pre",
    "self",
    "semi",
    "well",
    "long",
    "short",
    "high",
    "low",
    "real",
    "open",
    "follow",
    "decision",
    "capacity",
    "so",
    "sub",
    "inter",
    "intra",
}
_FUNCTION_END = re.compile(r"\b(?:of|the|and|for|to|in|on|with|de|du|la)$", re.IGNORECASE)


@dataclass
class _Text:
    page: int
    text: str


@functools.lru_cache(maxsize=4096)
def _heading(text: str) -> bool:

    return is_heading(text)


_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _dehyphenate(lines: list[_Text], notes: list[ReaderNote]) -> None:
    words = {w.lower() for line in lines for w in _WORDS.findall(line.text)}
    i = 0
    while i + 1 < len(lines):
        line, nxt = lines[i], lines[i + 1]
        m = _HYPHEN_END.search(line.text)
        n = _NEXT_WORD.match(nxt.text)
        if m is None or n is None or _LABEL_START.match(nxt.text):
            i += 1
            continue
        first, second = m.group("word"), n.group("word")
        keep = (
            not second[0].islower()
            or len(first) == 1
            or first.lower() in _COMPOUND_PREFIXES
            or (f"{first}-{second}".lower() in words and f"{first}{second}".lower() not in words)
        )
        word = f"{first}-{second}" if keep else f"{first}{second}"
        line.text = line.text[: m.start("word")] + word
        nxt.text = n.group("rest").lstrip()
        notes.append(
            ReaderNote(
                "hyphen_kept" if keep else "hyphenation_joined",
                f"'{first}-' + '{second}' at a line end read as '{word}'",
                f"page {line.page}",
            )
        )
        if not nxt.text:
            del lines[i + 1]
        else:
            i += 1


def _reflow(lines: list[_Text], notes: list[ReaderNote]) -> list[_Text]:
    out: list[_Text] = []
    in_body = False  # a heading was seen: the title block is over
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if (
            nxt is not None
            and _LABEL_ALONE.match(line.text)
            and not _LABEL_START.match(nxt.text)
            and not _heading(nxt.text)
        ):
            label = line.text.rstrip("\t")
            merged = _Text(line.page, f"{label}\t{nxt.text}")
            notes.append(
                ReaderNote(
                    "label_joined",
                    f"label '{label}' alone on its line joined to the text after it",
                    f"page {line.page}",
                )
            )
            lines[i + 1] = merged
            i += 1
            continue
        if (
            nxt is not None
            and _heading(line.text)
            and not line.text.rstrip().endswith((",", ":"))
            and not _LABEL_START.match(nxt.text)
            and not _heading(nxt.text)
            and (nxt.text[:1].isupper() or _FUNCTION_END.search(line.text))
            and len(nxt.text) <= 80
            and _heading(f"{line.text} {nxt.text}")
        ):
            merged = _Text(line.page, f"{line.text} {nxt.text}")
            notes.append(
                ReaderNote(
                    "heading_joined",
                    f"heading wrapped over two lines read as '{merged.text}'",
                    f"page {line.page}",
                )
            )
            lines[i + 1] = merged
            i += 1
            continue
        if (
            in_body
            and out
            and (_LABEL_START.match(line.text) or _heading(line.text))
            and "\t" not in line.text
            and _MID_SENTENCE_END.search(out[-1].text)
            and not _heading(out[-1].text)
        ):
            what = "label" if _LABEL_START.match(line.text) else "heading"
            notes.append(
                ReaderNote(
                    "continuation_joined",
                    f"'{line.text[:30]}' looks like a {what} but continues the sentence "
                    f"before it ('...{out[-1].text[-20:]}'): joined to it",
                    f"page {line.page}",
                )
            )
            out[-1] = _Text(out[-1].page, f"{out[-1].text} {line.text}")
            i += 1
            continue
        in_body = in_body or _heading(line.text)
        out.append(line)
        i += 1
    return out
