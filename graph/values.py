"""Query solutions as plain values: a term as the JSON-friendly value it stands for, SELECT
solutions as columns and rows of them (the named queries' answers, the REST shaping and the
search extraction read them alike)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from ontology import RDF, XSD

__all__ = [
    "Row",
    "Value",
    "join_by_link",
    "plain",
    "solution_rows",
    "split_suggested",
    "split_values",
]

Value = str | int | float | bool
Row = dict[str, Value]

_INTEGER_TYPES = {XSD.integer.value, XSD.int.value, XSD.long.value, XSD.nonNegativeInteger.value}
_DECIMAL_TYPES = {XSD.decimal.value, XSD.double.value, XSD.float.value}
_BOOLEAN = XSD.boolean.value
_TEXT_TYPES = {XSD.string.value, RDF.langString.value}


def plain(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Value:
    """A term as a JSON-friendly value."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _TEXT_TYPES:  # the most frequent: no conversion
            return term.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype in _DECIMAL_TYPES:
                return float(term.value)
            if datatype == _BOOLEAN:
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def solution_rows(result: ox.QuerySolutions) -> tuple[list[str], list[Row]]:
    """The columns and rows of SELECT solutions (also of results parsed from ``/sparql``)."""
    columns = [v.value for v in result.variables]
    rows: list[Row] = []
    for solution in result:
        # a solution iterates its values in the order of the variables (None: unbound)
        rows.append(
            {
                name: plain(value)
                for name, value in zip(columns, solution, strict=True)
                if value is not None
            }
        )
    return columns, rows


def join_by_link(rows: Iterable[Row], more: Iterable[Row]) -> list[Row]:
    """``rows`` with the columns of the row of ``more`` that has the same ``link`` (a query's
    answer and its companion's, e.g. supporting-work and supporting-work-citations)."""
    extra = {row["link"]: row for row in more if "link" in row}
    joined = []
    for row in rows:
        other = extra.get(row.get("link", ""), {})
        joined.append({**{k: v for k, v in other.items() if k not in row}, **row})
    return joined


def split_values(values: Iterable[str] | None) -> list[str]:
    """Repeated and comma-separated values as one list: ``["a,b", "c"]`` -> a, b, c."""
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


SUGGESTED = "suggested"


Values = Mapping[str, str | Sequence[str] | None]


def split_suggested(values: Values) -> tuple[dict[str, str | Sequence[str] | None], bool, bool]:
    """``values`` without the evidence kind "suggested"; whether it was asked; and whether
    anything else is (other kinds, or no evidence filter: every kind but suggested). A named
    query gives suggestions (ranked guesses, loaders/suggest) from a query of their own, and
    only when asked: they are never mixed into the answers of what sources say."""
    given = values.get("evidence")
    kinds = [given] if isinstance(given, str) else list(given or [])
    rest = [kind for kind in kinds if str(kind).lower() != SUGGESTED]
    asked = len(rest) < len(kinds)
    return {**values, "evidence": rest}, asked, bool(rest) or not kinds
