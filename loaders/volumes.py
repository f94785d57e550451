"""A volume: one file holding several resolutions (Final Acts, a collection of WTSA texts, a
contribution proposing changes to several resolutions).

A resolution starts at a ``RESOLUTION N (…)`` header that the resolution's own words follow (a
section heading or the assembly's words within the next lines), so the entries of a table of
contents ("Resolution 1 - Rules of procedure ... 5") never start one. Each resolution becomes a
part with its text, its first line in the volume and its pages; what comes before the first
resolution is the volume's front matter: a contribution's (its abstract and proposer) is given
to each part, anything else (a cover, a table of contents) is left out with a note.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from loaders.formats.model import ReaderNote, TextModel
from loaders.resolution_text import is_header, is_heading

__all__ = ["Part", "split_volume"]

_LOOKAHEAD = 25  # non-blank lines after a header in which its first heading or intro must be
_INTRO = re.compile(
    r"^\s*The\s+(?:World|Plenipotentiary|Radiocommunication|Council|ITU|General)\b.*,\s*$"
)
_ACTION_ONLY = re.compile(r"^\s*(?:MOD|ADD|SUP)\s*$")
_CONTRIBUTION_CUES = re.compile(r"^\s*(?:Abstract\s*:|Source\s*:)|\bproposes?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Part:
    index: int  # 1-based, in the volume's order
    model: TextModel  # the part's text; its pages numbered as in the volume
    first_line: int  # 1-based line of its header in the volume's text
    first_page: int | None
    last_page: int | None

    @property
    def pages(self) -> str | None:
        if self.first_page is None:
            return None
        if self.last_page is None or self.last_page == self.first_page:
            return f"page {self.first_page}"
        return f"pages {self.first_page}-{self.last_page}"


def _starts(lines: list[str]) -> list[int]:
    """The indexes of the header lines that start a resolution."""
    starts: list[int] = []
    for i, line in enumerate(lines):
        if not is_header(line):
            continue
        seen = 0
        for nxt in lines[i + 1 :]:
            if not nxt.strip():
                continue
            if is_header(nxt):
                break
            if is_heading(nxt) or _INTRO.match(nxt):
                starts.append(i)
                break
            seen += 1
            if seen >= _LOOKAHEAD:
                break
    return starts


def split_volume(model: TextModel) -> list[Part]:
    """The resolutions of a text model; one part (the whole model) unless it holds several."""
    if model.docx is not None:  # a Word file's two readings are read as one document
        return [Part(1, model, 1, model.page_at(0), _last_page(model))]
    lines = model.text.split("\n")
    starts = _starts(lines)
    if len(starts) < 2:
        return [Part(1, model, 1, model.page_at(0), _last_page(model))]
    # a "MOD" on the line above the header belongs to the header
    starts = [s - 1 if s > 0 and _ACTION_ONLY.match(lines[s - 1]) else s for s in starts]
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    front = lines[: starts[0]]
    keep_front = any(_CONTRIBUTION_CUES.search(line) for line in front)
    notes: list[ReaderNote] = list(model.notes)
    if any(line.strip() for line in front) and not keep_front:
        notes.append(
            ReaderNote(
                "front_matter_skipped",
                f"{starts[0]} lines before the first resolution (a cover or table of contents) "
                "are not read",
                "line 1",
            )
        )
    parts: list[Part] = []
    bounds = [*starts, len(lines)]
    for k, (begin, end) in enumerate(itertools.pairwise(bounds), start=1):
        body = lines[begin:end]
        prefix = front if keep_front else []
        text = "\n".join([*prefix, *body])
        start_offset, end_offset = offsets[begin], offsets[end] - 1
        first_page = model.page_at(start_offset)
        last_page = model.page_at(max(start_offset, end_offset - 1))
        page_starts: tuple[int, ...] = ()
        if model.page_starts and first_page is not None:
            shift = sum(len(line) + 1 for line in prefix)
            later = (p - start_offset + shift for p in model.page_starts)
            page_starts = (0, *(p for p in later if shift < p < offsets[end] - start_offset))
        part_notes = (
            *notes,
            ReaderNote(
                "volume_part",
                f"resolution {k} of {len(starts)} in the volume, from its line {begin + 1}",
                f"line {begin + 1}",
            ),
        )
        part_model = replace(
            model,
            text=text,
            page_starts=page_starts,
            first_page=first_page or 1,
            notes=part_notes,
        )
        parts.append(Part(k, part_model, begin + 1, first_page, last_page))
    return parts


def _last_page(model: TextModel) -> int | None:
    return model.page_at(max(0, len(model.text) - 1))
