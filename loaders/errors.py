"""The loaders' exception hierarchy: every error names the file, the place and the problem."""

from __future__ import annotations

from ontology.errors import ParseError


class LoadError(ParseError):
    """A source could not be turned into RDF.

    ``source`` names the file (or table), ``place`` the line, row, column or clause,
    ``problem`` what was wrong or expected. ``str(error)`` is one readable line.
    """

    def __init__(self, source: str, problem: str, place: str | None = None) -> None:
        self.source = source
        self.place = place
        self.problem = problem
        where = f"{source}, {place}" if place else source
        super().__init__(f"{where}: {problem}")


class TableError(LoadError):
    """A reference table is malformed (missing column, bad value, broken invariant)."""


class DocumentError(LoadError):
    """A resolution or contribution text cannot be read (empty, binary, unsafe, too large)."""
