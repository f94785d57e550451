"""The named queries' files (graph/queries/*.rq): their model and their parser.

A file is its header (``# name:``, ``# description:``, ``# param:`` lines with their types,
``# pattern:``, ``# precompute:``, ``# suggested:``) and its SPARQL; graph/catalogue.py reads
them all and runs them (its docstring says what each line means).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox

from graph.errors import CatalogueFileError, ParameterError
from graph.values import Row
from ontology import XSD

ParamValues = Mapping[str, str | Sequence[str] | None]

Term = ox.NamedNode | ox.BlankNode | ox.Literal

_NAME = re.compile(r"[a-z][a-z0-9-]*")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_VALUE = 500
# a day YYYY-MM-DD: "date" also takes "any" (whatever the dates), "day" does not
DAY_TYPES = ("date", "day")


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # "iri" | "string" | "integer" | "date" | "day" | "enum"
    required: bool
    repeatable: bool
    example: str
    description: str
    choices: tuple[str, ...] = ()
    pattern: str | None = None

    def check(self, value: str) -> str:
        """The value, checked (and, for an enum, in its canonical spelling)."""
        if not isinstance(value, str):
            raise ParameterError(f"parameter {self.name!r}: expected text, got {value!r}")
        if len(value) > _MAX_VALUE:
            raise ParameterError(f"parameter {self.name!r}: longer than {_MAX_VALUE} characters")
        if any(ord(c) < 32 for c in value):
            raise ParameterError(f"parameter {self.name!r}: contains control characters")
        if self.type == "enum":
            for choice in self.choices:
                if choice.lower() == value.lower():
                    return choice
            raise ParameterError(
                f"parameter {self.name!r}: {value!r} is not one of {', '.join(self.choices)}"
            )
        if self.type in DAY_TYPES:
            return self._day(value)
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?[0-9]{1,18}", value):
                raise ParameterError(f"parameter {self.name!r}: {value!r} is not an integer")
        elif self.type == "iri":
            if not re.match(r"https?://", value):
                raise ParameterError(f"parameter {self.name!r}: {value!r} is not an http(s) IRI")
            try:
                ox.NamedNode(value)
            except ValueError as e:
                raise ParameterError(f"parameter {self.name!r}: bad IRI {value!r}: {e}") from e
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise ParameterError(
                f"parameter {self.name!r}: {value!r} does not match {self.pattern}"
            )
        return value

    def _day(self, value: str) -> str:
        """A day YYYY-MM-DD; for a ``date``, also "any"."""
        if value.lower() == "any":
            if self.type == "date":
                return "any"
            raise ParameterError(
                f"parameter {self.name!r}: a day YYYY-MM-DD, not 'any' (the answer is of one day)"
            )
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                raise ValueError("expected YYYY-MM-DD")
            date.fromisoformat(value)
        except ValueError as e:
            also = " (nor 'any')" if self.type == "date" else ""
            raise ParameterError(
                f"parameter {self.name!r}: {value!r} is not a day YYYY-MM-DD{also}: {e}"
            ) from e
        return value

    def term(self, value: str) -> ox.NamedNode | ox.Literal:
        """The RDF term a (checked) value is bound as."""
        checked = self.check(value)
        if self.type == "iri":
            return ox.NamedNode(checked)
        if self.type == "integer":
            return ox.Literal(str(int(checked)), datatype=XSD.integer)
        if self.type in DAY_TYPES and checked != "any":
            return ox.Literal(checked, datatype=XSD.date)
        return ox.Literal(checked)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    file: str
    # "# precompute: COUNT by PARAM ...": the count column and the parameters derived
    count: str | None = None
    derived: tuple[str, ...] = ()
    # "# suggested: NAME": evidence=suggested gives that query's rows (only when asked for)
    suggested: str | None = None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise ParameterError(f"query {self.name!r} has no parameter {name!r}")

    def example(self) -> dict[str, str]:
        """The example values of the required parameters."""
        return {p.name: p.example for p in self.params if p.required}

    def bindings(self, values: ParamValues) -> list[dict[str, ox.NamedNode | ox.Literal]]:
        """The bindings to run with: one set, or one per combination of repeated values."""
        per_param: list[list[tuple[str, ox.NamedNode | ox.Literal]]] = []
        known = {p.name for p in self.params}
        for name in values:
            if name not in known:
                expected = ", ".join(sorted(known)) or "none"
                raise ParameterError(
                    f"query {self.name!r} has no parameter {name!r} (parameters: {expected})"
                )
        for p in self.params:
            given = values.get(p.name)
            items = [given] if isinstance(given, str) else list(given or [])
            if p.type in DAY_TYPES and not p.required:  # an empty date field: not given
                items = [item for item in items if item.strip()]
            if not items:
                if p.required:
                    raise ParameterError(f"query {self.name!r} needs parameter {p.name!r}")
                continue
            if len(items) > 1 and not p.repeatable:
                raise ParameterError(f"parameter {p.name!r} takes one value, got {len(items)}")
            terms: list[tuple[str, ox.NamedNode | ox.Literal]] = []
            for item in items:
                term = p.term(item)
                if (p.name, term) not in terms:
                    terms.append((p.name, term))
            per_param.append(terms)
        return [dict(combo) for combo in itertools.product(*per_param)]


@dataclass(frozen=True)
class Answer:
    """The rows of a named query, as plain values (IRIs and literals as strings, numbers and
    booleans as Python numbers and booleans); unbound variables are left out of a row."""

    query: NamedQuery
    columns: list[str]
    rows: list[Row]


def parse(text: str, file: str) -> NamedQuery:
    """A query file: its header and its SPARQL."""
    fields: dict[str, str] = {}
    param_lines: list[str] = []
    patterns: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        key, sep, rest = line[1:].strip().partition(":")
        if not sep:
            continue
        key, rest = key.strip(), rest.strip()
        if key == "param":
            param_lines.append(rest)
        elif key == "pattern":
            name, _, regex = rest.partition(" ")
            if not regex.strip():
                raise CatalogueFileError(
                    f"{file}, line {number}: a pattern needs a name and a regex"
                )
            try:
                re.compile(regex.strip())
            except re.error as e:
                raise CatalogueFileError(f"{file}, line {number}: bad pattern: {e}") from e
            patterns[name] = regex.strip()
        elif key in ("name", "description", "precompute", "suggested"):
            fields[key] = rest
    name = fields.get("name", "")
    if not _NAME.fullmatch(name):
        raise CatalogueFileError(f"{file}: missing or bad '# name:' line")
    if f"{name}.rq" != file:
        raise CatalogueFileError(f"{file}: the name {name!r} does not match the file name")
    if not fields.get("description"):
        raise CatalogueFileError(f"{file}: missing '# description:' line")
    params = tuple(_param(line, patterns, file) for line in param_lines)
    unused = set(patterns) - {p.name for p in params}
    if unused:
        raise CatalogueFileError(f"{file}: a pattern for an undeclared parameter: {unused}")
    if len({p.name for p in params}) != len(params):
        raise CatalogueFileError(f"{file}: a parameter is declared twice")
    count, derived = _precompute(fields.get("precompute"), params, file)
    suggested = fields.get("suggested")
    return NamedQuery(name, fields["description"], params, text, file, count, derived, suggested)


def _precompute(
    line: str | None, params: Sequence[Param], file: str
) -> tuple[str | None, tuple[str, ...]]:
    if line is None:
        return None, ()
    parts = line.split()
    if len(parts) < 3 or parts[1] != "by" or not _VARIABLE.fullmatch(parts[0]):
        raise CatalogueFileError(
            f"{file}: bad precompute line {line!r} (expected '<count> by <param> ...')"
        )
    by_name = {p.name: p for p in params}
    for name in parts[2:]:
        param = by_name.get(name)
        if param is None or param.required or param.type != "enum":
            raise CatalogueFileError(
                f"{file}: precompute by {name!r}: not an optional enum parameter of the query"
            )
    return parts[0], tuple(parts[2:])


def _param(line: str, patterns: Mapping[str, str], file: str) -> Param:
    head, sep, description = line.partition(" — ")
    parts = head.split()
    if not sep or len(parts) != 4 or not description.strip():
        raise CatalogueFileError(
            f"{file}: bad param line {line!r} (expected "
            "'<name> <type> <required|optional|repeatable> <example> — <description>')"
        )
    name, kind, presence, example = parts
    if not _VARIABLE.fullmatch(name):
        raise CatalogueFileError(f"{file}: bad parameter name {name!r}")
    choices: tuple[str, ...] = ()
    if kind.startswith("enum:"):
        choices = tuple(c for c in kind[5:].split(",") if c)
        kind = "enum"
        if not choices:
            raise CatalogueFileError(f"{file}: enum parameter {name!r} has no values")
    if kind not in ("iri", "string", "integer", *DAY_TYPES, "enum"):
        raise CatalogueFileError(f"{file}: parameter {name!r} has an unknown type {kind!r}")
    if presence not in ("required", "optional", "repeatable"):
        raise CatalogueFileError(f"{file}: parameter {name!r}: {presence!r} is not a presence")
    param = Param(
        name=name,
        type=kind,
        required=presence == "required",
        repeatable=presence == "repeatable",
        example=example,
        description=description.strip(),
        choices=choices,
        pattern=patterns.get(name),
    )
    try:
        param.check(example)
    except ParameterError as e:
        raise CatalogueFileError(f"{file}: the example does not pass: {e}") from e
    return param
