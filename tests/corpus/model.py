# ruff: noqa: RUF003 - typographic quotes and dashes are part of the texts
"""The logical model of a stress resolution: what it says, before any format lays it out.

A :class:`Resolution` holds what a reader of the resolution sees: its body and number, the
meeting in its header ("Rev. Dubai, 2018" for a revision, "Hammamet, 2016" for a first
adoption), title, history of revisions, the intro line naming the assembly, the sections
(heading and clauses) and, after the operative part, an annex (paragraphs and perhaps a
table). :mod:`tests.corpus.render` writes it in every format the readers accept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["FOOTNOTE", "Clause", "Resolution", "Section", "Table", "clause", "section"]

FOOTNOTE = "[^]"
# the body that adopts a resolution, as the parser names it
BODIES = ("WTSA", "PP", "WTDC", "RA", "Council")
# the short name of a body in a running head ("WTSA-16 – Resolution 90")
RUNNING_HEAD = {"WTSA": "WTSA", "PP": "PP", "WTDC": "WTDC", "RA": "RA", "Council": "C"}


@dataclass(frozen=True)
class Clause:
    """One clause: its label ("a)", "1", "ii)") or None, its text, and a nested list.

    ``footnotes`` are the texts of the footnotes the clause calls, in order; the text marks
    where each is called with :data:`FOOTNOTE` ("…countries[^];"), which a renderer replaces
    with the marker of its format (numbered through the resolution)."""

    label: str | None
    text: str
    children: tuple[Clause, ...] = ()
    footnotes: tuple[str, ...] = ()

    def walk(self) -> Iterator[Clause]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Section:
    """A heading ("considering", "instructs the Director of …") and its clauses."""

    heading: str
    clauses: tuple[Clause, ...]

    @property
    def operative(self) -> bool:
        first = self.heading.split()[0].lower()
        return first in {
            "resolves",
            "decides",
            "instructs",
            "invites",
            "requests",
            "encourages",
            "calls",
            "urges",
            "further",
            "approves",
            "endorses",
        }


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Resolution:
    key: str  # a readable id for test ids: "wtsa-75"
    body: str  # one of BODIES
    number: str  # "75", "61-1" (RA: written "ITU-R 61-1"), "1332"
    meeting: str  # as written in the header's brackets: "Rev. Dubai, 2018", "Hammamet, 2016"
    title: str
    history: tuple[str, ...]  # ("Johannesburg, 2008", "Dubai, 2012") — revisions only
    intro: str  # "The World Telecommunication Standardization Assembly (Dubai, 2018),"
    sections: tuple[Section, ...]
    annex: tuple[str, ...] = ()  # annex paragraphs, the first its heading
    table: Table | None = None  # a table in the annex
    prefix: str = ""  # "ITU-R " for the Radiocommunication Assembly
    notes: tuple[str, ...] = field(default=(), compare=False)  # what the case stresses

    @property
    def year(self) -> int:
        """The year of the meeting in the header (for running heads)."""
        found = re.findall(r"\d{4}", self.meeting)
        return int(found[-1]) if found else 2000

    @property
    def revised(self) -> bool:
        return self.meeting.startswith("Rev.")

    @property
    def header(self) -> str:
        return f"RESOLUTION {self.prefix}{self.number} ({self.meeting})"

    def clauses(self) -> Iterator[Clause]:
        for s in self.sections:
            for c in s.clauses:
                yield from c.walk()

    def footnotes(self) -> list[str]:
        return [note for c in self.clauses() for note in c.footnotes]


def clause(label: str | None, text: str, *children: Clause, notes: tuple[str, ...] = ()) -> Clause:
    return Clause(label, text, tuple(children), notes)


def section(heading: str, *clauses: Clause | str) -> Section:
    """A section; a bare string is an unlabelled clause."""
    return Section(heading, tuple(c if isinstance(c, Clause) else Clause(None, c) for c in clauses))
