"""SPARQL conditions that say a node meets SHACL core constraints (graph/shacl_sparql.py).

:func:`conforms` writes, for a node bound to a variable, the condition that it meets a set of
constraints: a shape's, a branch of ``sh:or``, a value of a property. What it states, exactly
as SHACL's core constraint components do:

* value type: ``sh:class`` (with subclasses), ``sh:datatype`` (the datatype and a valid
  lexical form: ``xsd:integer`` by its lexical form, ``xsd:decimal``, ``xsd:date``,
  ``xsd:dateTime`` and ``xsd:boolean`` by Oxigraph's cast; ``xsd:string`` and
  ``rdf:langString`` by the datatype alone), ``sh:nodeKind``;
* value range: ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:minExclusive``,
  ``sh:maxExclusive``; string: ``sh:pattern`` (with ``sh:flags``), ``sh:languageIn``;
* other values: ``sh:in``, ``sh:hasValue``; logic: ``sh:not``, ``sh:and``, ``sh:or``,
  ``sh:xone``; shapes: ``sh:node``, ``sh:property``;
* on a path of one IRI: ``sh:minCount`` / ``sh:maxCount`` 0 or 1, and the constraints of each
  value; ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount`` / ``sh:qualifiedMaxCount``
  0 or 1 (not disjoint).

Anything else raises :class:`graph.shacl_shapes.UntranslatableError`. Known differences from
pySHACL, outside what the data holds: pySHACL reads a literal's lexical form with Python
(``int`` accepts ``1_000``, ``Decimal`` accepts ``1e5``), the query by XSD's rules; and its
regular expressions are Python's, the query's Oxigraph's (the same for the shapes' patterns).
"""

from __future__ import annotations

import itertools

import pyoxigraph as ox

from .shacl_shapes import RDF, RDFS, SH, XSD, Node, Params, Shapes, UntranslatableError

INSTANCE_OF = f"{RDF.type}/{RDFS.subClassOf}*"
# what a branch of sh:or / sh:xone may say besides its constraints (ignored by pySHACL there)
ANNOTATIONS = frozenset({RDF.type, SH.message, SH.name, SH.description, SH.order, SH.group})
# the constraints on the values of a path (or on the focus node, without a path)
VALUE_PARAMETERS = frozenset(
    {
        SH["class"],
        SH.datatype,
        SH.nodeKind,
        SH.minInclusive,
        SH.maxInclusive,
        SH.minExclusive,
        SH.maxExclusive,
        SH.pattern,
        SH.languageIn,
        SH["in"],
        SH.hasValue,
        SH["not"],
        SH["and"],
        SH["or"],
        SH.xone,
        SH.node,
        SH.property,
    }
)
# the constraints on a path's values taken together
COUNT_PARAMETERS = frozenset(
    {SH.minCount, SH.maxCount, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}
)
_CONSTRAINTS = VALUE_PARAMETERS | COUNT_PARAMETERS | {SH.path, SH.flags}
# xsd:integer's lexical form (whitespace collapsed)
_INTEGER = r"^\\s*[+-]?[0-9]+\\s*$"
# datatypes whose lexical forms Oxigraph's casts check as XSD says
_CAST = frozenset({XSD.decimal, XSD.date, XSD.dateTime, XSD.boolean})
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})",
    SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}
_COMPARISONS = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}
_MAX_DEPTH = 8


class Names:
    """Fresh variable names for the nested patterns of one query."""

    def __init__(self) -> None:
        self._count = itertools.count(1)

    def __call__(self) -> str:
        return f"?v{next(self._count)}"


def constraints(shapes: Shapes, shape: Node) -> Params:
    """The constraints a branch states, by parameter (any other parameter: untranslatable)."""
    found: Params = {}
    for p, o in shapes.predicate_objects(shape):
        if p in ANNOTATIONS:
            continue
        if p not in _CONSTRAINTS:
            raise UntranslatableError(f"{p}")
        found.setdefault(p, []).append(o)
    return found


def branch(shapes: Shapes, shape: Node, var: str, names: Names, depth: int) -> str:
    """The condition that the node bound to ``var`` conforms to the shape ``shape``."""
    if depth > _MAX_DEPTH:
        raise UntranslatableError("nested too deeply")
    return conforms(shapes, constraints(shapes, shape), var, names, depth + 1)


def conforms(shapes: Shapes, given: Params, var: str, names: Names, depth: int) -> str:
    """The condition that the node bound to ``var`` meets every constraint in ``given``."""
    paths = given.get(SH.path, [])
    if paths:
        return path_conforms(shapes, given, var, path_of(paths), names, depth)
    if set(given) & COUNT_PARAMETERS:
        raise UntranslatableError("a count without a path")
    parts = [
        value_condition(shapes, p, o, var, names, depth, given)
        for p, os in given.items()
        if p != SH.flags
        for o in os
    ]
    return " && ".join(f"({p})" for p in parts) if parts else "true"


def path_of(paths: list[Node]) -> str:
    """The one IRI of a ``sh:path``, in SPARQL syntax."""
    if len(paths) != 1 or not isinstance(paths[0], ox.NamedNode):
        raise UntranslatableError("a path other than one property")
    return str(paths[0])


def path_conforms(
    shapes: Shapes, given: Params, var: str, path: str, names: Names, depth: int
) -> str:
    """A property shape's condition: its counts and values on ``var``'s values at ``path``."""
    parts: list[str] = []
    each: Params = {}
    for p, os in given.items():
        if p in (SH.path, SH.qualifiedMinCount, SH.qualifiedMaxCount):
            continue
        for o in os:
            if p in (SH.minCount, SH.maxCount, SH.hasValue, SH.qualifiedValueShape):
                parts.append(count_condition(shapes, given, p, o, var, path, names, depth))
            else:
                each.setdefault(p, []).append(o)
    if each:
        v = names()
        condition = conforms(shapes, each, v, names, depth)
        parts.append(f"NOT EXISTS {{ {var} {path} {v} FILTER(!({condition})) }}")
    return " && ".join(f"({p})" for p in parts) if parts else "true"


def count_condition(
    shapes: Shapes,
    given: Params,
    parameter: ox.NamedNode,
    value: Node,
    var: str,
    path: str,
    names: Names,
    depth: int,
) -> str:
    """A constraint on the values of ``path`` taken together: ``sh:minCount``,
    ``sh:maxCount``, ``sh:hasValue``, or ``sh:qualifiedValueShape`` with its counts."""
    if parameter == SH.hasValue:
        return f"EXISTS {{ {var} {path} {term(value)} }}"
    if parameter == SH.qualifiedValueShape:
        if SH.qualifiedValueShapesDisjoint in given:
            raise UntranslatableError("sh:qualifiedValueShapesDisjoint")
        parts = []
        for bound in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
            for n in given.get(bound, []):
                parts.append(_counted(bound, integer(n), var, path, names, value, shapes, depth))
        if not parts:
            raise UntranslatableError("a qualified shape without a count")
        return " && ".join(f"({p})" for p in parts)
    return _counted(parameter, integer(value), var, path, names, None, shapes, depth)


def _counted(
    bound: ox.NamedNode,
    n: int,
    var: str,
    path: str,
    names: Names,
    qualified: Node | None,
    shapes: Shapes,
    depth: int,
) -> str:
    """At least (``sh:minCount``, ``sh:qualifiedMinCount``) or at most ``n`` (0 or 1) values
    at ``path``; with ``qualified``, of the values that conform to that shape."""

    def such(v: str) -> str:
        if qualified is None:
            return ""
        return f" FILTER({branch(shapes, qualified, v, names, depth)})"

    if bound in (SH.minCount, SH.qualifiedMinCount):
        if n == 0:
            return "true"
        if n == 1:
            v = names()
            return f"EXISTS {{ {var} {path} {v}{such(v)} }}"
        raise UntranslatableError("a minimum count over 1")
    if n == 0:
        v = names()
        return f"NOT EXISTS {{ {var} {path} {v}{such(v)} }}"
    if n == 1:
        a, b = names(), names()
        return (
            f"NOT EXISTS {{ {var} {path} {a} . {var} {path} {b} "
            f"FILTER(!sameTerm({a}, {b})){such(a)}{such(b)} }}"
        )
    raise UntranslatableError("a maximum count over 1")


def value_condition(
    shapes: Shapes,
    parameter: ox.NamedNode,
    value: Node,
    var: str,
    names: Names,
    depth: int,
    given: Params,
) -> str:
    """One constraint on the node bound to ``var`` itself (``given``: its shape's others)."""
    if parameter in (SH["not"], SH.node, SH.property, SH["or"], SH["and"], SH.xone):
        return _logical(shapes, parameter, value, var, names, depth)
    if parameter == SH["class"]:
        return f"EXISTS {{ {var} {INSTANCE_OF} {term(value)} }}"
    if parameter == SH.hasValue:
        return f"sameTerm({var}, {term(value)})"
    if parameter == SH.datatype:
        return _datatype(value, var)
    if parameter == SH.nodeKind:
        kind = _NODE_KINDS.get(value) if isinstance(value, ox.NamedNode) else None
        if kind is None:
            raise UntranslatableError("an unknown node kind")
        return kind.format(v=var)
    if parameter in _COMPARISONS:
        if not isinstance(value, ox.Literal):
            raise UntranslatableError("a bound that is not a literal")
        return f"COALESCE({var} {_COMPARISONS[parameter]} {term(value)}, false)"
    if parameter == SH.pattern:
        return _pattern(value, given.get(SH.flags, []), var)
    if parameter == SH.languageIn:
        tags = [t for t in shapes.distinct_items(value) if isinstance(t, ox.Literal)]
        matches = " || ".join(f"langMatches(lang({var}), {term(t)})" for t in tags)
        return f"isLiteral({var}) && ({matches or 'false'})"
    if parameter == SH["in"]:
        members = shapes.distinct_items(value)
        return " || ".join(f"sameTerm({var}, {term(m)})" for m in members) or "false"
    raise UntranslatableError(f"{parameter}")


def _logical(
    shapes: Shapes, parameter: ox.NamedNode, value: Node, var: str, names: Names, depth: int
) -> str:
    """sh:not, sh:node, sh:property, sh:or, sh:and, sh:xone on the node bound to ``var``."""
    if parameter == SH["not"]:
        return f"!({branch(shapes, value, var, names, depth)})"
    if parameter in (SH.node, SH.property):
        return branch(shapes, value, var, names, depth)
    branches = [branch(shapes, b, var, names, depth) for b in shapes.distinct_items(value)]
    if not branches:
        raise UntranslatableError("an empty list")
    if parameter == SH["or"]:
        return " || ".join(f"({b})" for b in branches)
    if parameter == SH["and"]:
        return " && ".join(f"({b})" for b in branches)
    return " + ".join(f"IF({b}, 1, 0)" for b in branches) + " = 1"  # sh:xone


def _pattern(pattern: Node, flags: list[Node], var: str) -> str:
    """The node is not a blank node and its string matches ``pattern`` (with ``flags``)."""
    if len(flags) > 1 or not isinstance(pattern, ox.Literal):
        raise UntranslatableError("a pattern with several flags, or not a string")
    extra = f", {term(flags[0])}" if flags else ""
    return f"!isBlank({var}) && COALESCE(REGEX(STR({var}), {term(pattern)}{extra}), false)"


def _datatype(datatype: Node, var: str) -> str:
    """The literal has ``datatype`` and a valid lexical form for it."""
    if not isinstance(datatype, ox.NamedNode):
        raise UntranslatableError("a datatype that is not an IRI")
    same = f"isLiteral({var}) && sameTerm(datatype({var}), {datatype})"
    if datatype == XSD.integer:
        return f'{same} && REGEX(STR({var}), "{_INTEGER}")'
    if datatype in _CAST:
        return f"{same} && COALESCE(isLiteral({datatype}(STR({var}))), false)"
    if datatype in (XSD.string, RDF.langString):
        return same
    raise UntranslatableError("a datatype whose lexical forms the query does not check")


def integer(value: Node) -> int:
    if not isinstance(value, ox.Literal) or value.datatype != XSD.integer:
        raise UntranslatableError("a count that is not an integer")
    try:
        return int(value.value)
    except ValueError as e:
        raise UntranslatableError("a count that is not an integer") from e


def term(node: Node) -> str:
    """A shapes-graph constant in SPARQL syntax (IRIs and literals; a blank node is not one)."""
    if isinstance(node, ox.BlankNode):
        raise UntranslatableError("a blank node as a constant")
    return str(node)
