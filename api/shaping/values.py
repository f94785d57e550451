"""Plain values of the graph read as the answers' types; the order of evidence."""

from __future__ import annotations

from api.models import (
    Evidence,
    Ref,
)
from graph.values import Row, Value

EVIDENCE_ORDER: tuple[Evidence, ...] = ("stated", "extracted", "inferred")


def split(value: Value | None, separator: str = "; ") -> list[str]:
    """A GROUP_CONCAT of the query as a list (empty for no value)."""
    return [v for v in str(value).split(separator) if v] if value not in (None, "") else []


def text(value: Value | None) -> str | None:
    """A value as text; None stays None."""
    return None if value is None else str(value)


def integer(value: Value | None) -> int | None:
    """A value as a whole number; None (or a text that is not one) is None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(value)
    except ValueError:
        return None


def ref(row: Row, iri: str, label: str) -> Ref | None:
    """The resource in column ``iri`` with its label (its IRI when it has none)."""
    if iri not in row:
        return None
    return Ref(iri=str(row[iri]), label=str(row.get(label, row[iri])))


def rank(evidence: Value | None) -> int:
    """Stated first, then extracted, then inferred; anything else last."""
    return EVIDENCE_ORDER.index(evidence) if evidence in EVIDENCE_ORDER else 99


def not_yet_note(day: str, since: str | None, what: str, set_out_by: str, after: str) -> str | None:
    """Why a day before a concept scheme existed (``since``: the day ``set_out_by`` came
    into force) has no link to its concepts; None on that day or later, or for any."""
    if since is None or day == "any" or day >= since:
        return None
    return f"On {day} {what} did not exist yet: {set_out_by}, in force from {since}. {after}"
