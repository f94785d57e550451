"""SHACL constraints answered by one SPARQL query each on Oxigraph, with pySHACL's results.

pySHACL checks ``sh:or`` and ``sh:xone`` node by node in Python (every branch of the list for
every focus node, each failing branch building a report it then drops) and parses a
SHACL-SPARQL constraint's query again for every focus node: on the built-in data that is
more than half of its time. Oxigraph answers each such constraint as one query over the
whole graph, in well under a second.

:func:`plan` picks, from the shapes graph, the constraints it can translate exactly:

* ``sh:or`` / ``sh:xone`` of a node shape, or of a property shape with an IRI path that one
  node shape holds (``sh:property``), whose branches use only ``sh:path`` (an IRI),
  ``sh:minCount`` / ``sh:maxCount`` 0 or 1, ``sh:class``, ``sh:hasValue``, ``sh:datatype``
  ``xsd:integer``, ``sh:not``, ``sh:or``, ``sh:xone``, ``sh:and``, ``sh:node`` and
  ``sh:property`` (:func:`_conforms` writes the SPARQL condition "this node conforms");
* SHACL-SPARQL constraints (``sh:select``) of a node shape;

each on a shape whose targets are ``sh:targetClass`` (with subclasses),
``sh:targetNode``, ``sh:targetSubjectsOf`` or ``sh:targetObjectsOf``, with one message, no
``sh:deactivated``, and that no other shape uses (``sh:node``, ``sh:not``, a list member:
pySHACL would check it there without the moved constraint). Anything else stays in pySHACL.

:func:`run` reports each failure as pySHACL does: the focus node, the path (a property
shape's, or a SPARQL solution's ``?path``), the value (the value node; for a SPARQL constraint
``?value``, else the focus node), the message (``{?var}`` filled from the solution), the
severity and the source shape. :func:`graph.validate.validate_shacl` takes the moved
constraints out of the shapes graph it hands pySHACL. This module reads the shapes as
Oxigraph terms (:class:`Shapes`) and imports no rdflib: every SPARQL query runs on Oxigraph.

tests/test_shacl_sparql.py checks that the results equal pySHACL's on data that breaks each
moved constraint. One known difference, outside what the data holds: pySHACL reads an
``xsd:integer`` with Python's ``int`` (which also accepts ``1_000``), the query with the XSD
lexical form.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from .store import KnowledgeGraph

Node = ox.NamedNode | ox.BlankNode | ox.Literal
# a shape's constraints by parameter (sh:path, sh:class ...), each with its values
Params = dict[ox.NamedNode, list[Node]]


class _Namespace:
    """``SH.path``, ``SH["class"]``: the terms of one vocabulary."""

    def __init__(self, base: str) -> None:
        self._base = base

    def __getattr__(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(self._base + name)

    def __getitem__(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(self._base + name)


SH = _Namespace("http://www.w3.org/ns/shacl#")
RDF = _Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = _Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = _Namespace("http://www.w3.org/2001/XMLSchema#")


class Shapes:
    """The shapes graph's triples, indexed for the look-ups of the translation."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self._out: dict[Node, list[tuple[ox.NamedNode, Node]]] = defaultdict(list)
        self._by_predicate: dict[ox.NamedNode, list[tuple[Node, Node]]] = defaultdict(list)
        self._in: dict[Node, list[tuple[Node, ox.NamedNode]]] = defaultdict(list)
        for s, p, o in triples:
            if isinstance(p, ox.NamedNode):
                self._out[s].append((p, o))
                self._by_predicate[p].append((s, o))
                self._in[o].append((s, p))

    def predicate_objects(self, subject: Node) -> list[tuple[ox.NamedNode, Node]]:
        return list(self._out.get(subject, ()))

    def objects(self, subject: Node, predicate: ox.NamedNode) -> list[Node]:
        return [o for p, o in self._out.get(subject, ()) if p == predicate]

    def value(self, subject: Node, predicate: ox.NamedNode) -> Node | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def subject_objects(self, predicate: ox.NamedNode) -> list[tuple[Node, Node]]:
        return list(self._by_predicate.get(predicate, ()))

    def subjects(self, predicate: ox.NamedNode, obj: Node) -> list[Node]:
        return [s for s, o in self._by_predicate.get(predicate, ()) if o == obj]

    def referrers(self, obj: Node) -> list[tuple[Node, ox.NamedNode]]:
        """(subject, predicate) of every triple whose object is ``obj``."""
        return list(self._in.get(obj, ()))

    def __contains__(self, triple: tuple[Node, ox.NamedNode, Node]) -> bool:
        return (triple[1], triple[2]) in self._out.get(triple[0], ())

    def items(self, head: Node) -> Iterator[Node]:
        """The members of the RDF list ``head``."""
        seen: set[Node] = set()
        while head != RDF.nil and head not in seen:
            seen.add(head)
            first = self.value(head, RDF.first)
            rest = self.value(head, RDF.rest)
            if first is None or rest is None:
                raise _UntranslatableError("a broken RDF list")
            yield first
            head = rest


_INSTANCE_OF = f"{RDF.type}/{RDFS.subClassOf}*"
# what a branch of sh:or / sh:xone may say besides its constraints (ignored by pySHACL there)
_ANNOTATIONS = frozenset({RDF.type, SH.message, SH.name, SH.description, SH.order, SH.group})
_CONSTRAINTS = frozenset(
    {
        SH.path,
        SH.minCount,
        SH.maxCount,
        SH["class"],
        SH.hasValue,
        SH.datatype,
        SH["not"],
        SH["or"],
        SH.xone,
        SH["and"],
        SH.node,
        SH.property,
    }
)
# xsd:integer's lexical form (whitespace collapsed)
_INTEGER = r"^\\s*[+-]?[0-9]+\\s*$"
_MAX_DEPTH = 8


class _UntranslatableError(Exception):
    """Private control flow of :func:`plan`: a constraint this module does not translate
    (it stays in pySHACL); never raised out of the module."""


@dataclass(frozen=True)
class Moved:
    """One constraint of a shape, answered by ``query`` (one solution per failure)."""

    shape: Node
    predicate: ox.NamedNode  # sh:or, sh:xone or sh:sparql
    constraint: Node  # the list, or the SPARQL constraint node
    query: str
    message: str
    severity: str
    path: str | None = None  # a property shape's path
    sparql: bool = False  # ``?path`` / ``?value`` and ``{?var}`` come from the solution


@dataclass(frozen=True)
class Found:
    """One failure, in the fields of :class:`graph.validate.Violation`."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str


def plan(shapes: Shapes) -> list[Moved]:
    """The constraints of ``shapes`` that :func:`run` answers exactly (see the module)."""
    moved: list[Moved] = []
    for predicate in (SH["or"], SH.xone):
        for shape, value in shapes.subject_objects(predicate):
            try:
                moved.append(_logical(shapes, shape, predicate, value))
            except _UntranslatableError:
                continue
    for shape, constraint in shapes.subject_objects(SH.sparql):
        try:
            moved.append(_sparql(shapes, shape, constraint))
        except _UntranslatableError:
            continue
    return moved


def run(kg: KnowledgeGraph, moved: list[Moved]) -> list[Found]:
    """Every failure of the moved constraints on the union of the named graphs."""
    found: list[Found] = []
    for m in moved:
        for row in kg.select(m.query):
            values = {k: v.value for k, v in row.items()}
            focus = values["this"]
            value = values.setdefault("value", focus)
            if m.sparql:
                message, path = _fill(m.message, values), values.get("path")
            else:
                message, path = m.message, m.path
            found.append(Found(focus, path, value, message, m.severity, m.shape.value))
    return found


def _fill(template: str, values: dict[str, str]) -> str:
    """A SHACL message template with ``{?var}`` replaced by the solution's values."""
    return re.sub(r"\{[?$](\w+)\}", lambda m: values.get(m[1], m[0]), template)


# ---------------------------------------------------------------------- the shapes


def _logical(shapes: Shapes, shape: Node, predicate: ox.NamedNode, value: Node) -> Moved:
    """An sh:or / sh:xone of a node shape, or of a property shape one node shape holds."""
    names = _Names()
    path = shapes.value(shape, SH.path)
    if path is None:
        _unshared(shapes, shape)
        this = _targets(shapes, shape)
        failing = _conforms(shapes, {predicate: [value]}, "?this", names, 0)
        query = f"SELECT DISTINCT ?this WHERE {{ {this} FILTER(!({failing})) }}"
        return Moved(shape, predicate, value, query, *_one_message(shapes, shape))
    if not isinstance(path, ox.NamedNode):
        raise _UntranslatableError("a path other than one property")
    holders = list(shapes.subjects(SH.property, shape))
    if len(holders) != 1 or shapes.value(holders[0], SH.path) is not None:
        raise _UntranslatableError("a property shape held by other than one node shape")
    if _has_targets(shapes, shape):
        raise _UntranslatableError("a property shape with targets of its own")
    _unshared(shapes, shape, holders[0])
    _unshared(shapes, holders[0])
    this = _targets(shapes, holders[0])
    failing = _conforms(shapes, {predicate: [value]}, "?value", names, 0)
    query = (
        f"SELECT DISTINCT ?this ?value WHERE {{ {this} ?this {path} ?value FILTER(!({failing})) }}"
    )
    message, severity = _one_message(shapes, shape)
    return Moved(shape, predicate, value, query, message, severity, path=path.value)


def _sparql(shapes: Shapes, shape: Node, constraint: Node) -> Moved:
    """A SHACL-SPARQL SELECT constraint of a node shape, joined with the shape's targets."""
    if shapes.value(shape, SH.path) is not None:
        raise _UntranslatableError("a SPARQL constraint of a property shape")
    _unshared(shapes, shape)
    if shapes.value(constraint, SH.deactivated) is not None:
        raise _UntranslatableError("sh:deactivated")
    select = shapes.value(constraint, SH.select)
    if select is None or re.search(r"\$(PATH|currentShape|shapesGraph)\b", select.value):
        raise _UntranslatableError("not a SELECT, or one with pre-bound variables besides $this")
    messages = {m.value for m in shapes.objects(constraint, SH.message)}
    messages |= {m.value for m in shapes.objects(shape, SH.message)}
    if len(messages) != 1:
        raise _UntranslatableError("other than one message")
    prefixes = "".join(
        f"PREFIX {_text(shapes.value(d, SH.prefix))}: <{_text(shapes.value(d, SH.namespace))}>\n"
        for decl in shapes.objects(constraint, SH.prefixes)
        for d in shapes.objects(decl, SH.declare)
    )
    inner = select.value.replace("$this", "?this")
    this = _targets(shapes, shape)
    query = f"{prefixes}SELECT DISTINCT * WHERE {{ {this} {{ {inner} }} }}"
    severity = _severity(shapes, shape)
    return Moved(shape, SH.sparql, constraint, query, messages.pop(), severity, sparql=True)


def _unshared(shapes: Shapes, shape: Node, holder: Node | None = None) -> None:
    """Refuse a shape that another shape uses (sh:node, sh:not, a member of sh:or ...; a
    property shape: but by its one holder's sh:property): pySHACL checks it there too, and
    without the moved constraint it would pass nodes it must not."""
    allowed = [] if holder is None else [(holder, SH.property)]
    if shapes.referrers(shape) != allowed:
        raise _UntranslatableError("a shape that other shapes use")


def _one_message(shapes: Shapes, shape: Node) -> tuple[str, str]:
    messages = list(shapes.objects(shape, SH.message))
    if len(messages) != 1 or shapes.value(shape, SH.deactivated) is not None:
        raise _UntranslatableError(
            "other than one message (pySHACL would write its own), or deactivated"
        )
    return messages[0].value, _severity(shapes, shape)


def _severity(shapes: Shapes, shape: Node) -> str:
    return (shapes.value(shape, SH.severity) or SH.Violation).value.rsplit("#", 1)[-1]


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def _has_targets(shapes: Shapes, shape: Node) -> bool:
    return any(shapes.value(shape, t) is not None for t in _TARGETS) or (
        (shape, RDF.type, RDFS.Class) in shapes
    )


def _targets(shapes: Shapes, shape: Node) -> str:
    """A group pattern binding ``?this`` to each focus node of ``shape``, once."""
    if shapes.value(shape, SH.target) is not None or (shape, RDF.type, RDFS.Class) in shapes:
        raise _UntranslatableError("a SPARQL-based or implicit class target")
    branches = [
        f"{{ ?this {_INSTANCE_OF} {_term(c)} }}" for c in shapes.objects(shape, SH.targetClass)
    ]
    branches += [
        f"{{ VALUES ?this {{ {_term(n)} }} }}" for n in shapes.objects(shape, SH.targetNode)
    ]
    branches += [f"{{ ?this {_term(p)} [] }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    branches += [f"{{ [] {_term(p)} ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    if not branches:
        raise _UntranslatableError("no targets")
    return f"{{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(sorted(branches))} }} }}"


# ---------------------------------------------------------------------- the conditions


class _Names:
    """Fresh variable names for the nested patterns of one query."""

    def __init__(self) -> None:
        self._count = itertools.count(1)

    def __call__(self) -> str:
        return f"?v{next(self._count)}"


def _constraints(shapes: Shapes, shape: Node) -> Params:
    """The constraints a branch states, by parameter (any other parameter: untranslatable)."""
    found: Params = {}
    for p, o in shapes.predicate_objects(shape):
        if p in _ANNOTATIONS:
            continue
        if not isinstance(p, ox.NamedNode) or p not in _CONSTRAINTS:
            raise _UntranslatableError(f"{p}")
        found.setdefault(p, []).append(o)
    return found


def _branch(shapes: Shapes, shape: Node, var: str, names: _Names, depth: int) -> str:
    """The condition that the node bound to ``var`` conforms to the shape ``shape``."""
    if depth > _MAX_DEPTH:
        raise _UntranslatableError("nested too deeply")
    return _conforms(shapes, _constraints(shapes, shape), var, names, depth + 1)


def _conforms(
    shapes: Shapes,
    given: Params,
    var: str,
    names: _Names,
    depth: int,
) -> str:
    """The condition that the node bound to ``var`` meets every constraint in ``given``."""
    paths = given.get(SH.path, [])
    if paths:
        if len(paths) != 1 or not isinstance(paths[0], ox.NamedNode):
            raise _UntranslatableError("a path other than one property")
        return _property(shapes, given, var, str(paths[0]), names, depth)
    parts = [
        _node_constraint(shapes, p, o, var, names, depth) for p, os in given.items() for o in os
    ]
    return " && ".join(f"({p})" for p in parts) if parts else "true"


def _property(
    shapes: Shapes,
    given: Params,
    var: str,
    path: str,
    names: _Names,
    depth: int,
) -> str:
    """A property shape's condition: its counts and values on ``var``'s values at ``path``."""
    parts: list[str] = []
    each: Params = {}
    for p, os in given.items():
        for o in os:
            if p == SH.path:
                continue
            if p in (SH.minCount, SH.maxCount):
                parts.append(_count(p, _integer(o), var, path, names))
            elif p == SH.hasValue:
                parts.append(f"EXISTS {{ {var} {path} {_term(o)} }}")
            else:
                each.setdefault(p, []).append(o)
    if each:
        v = names()
        condition = _conforms(shapes, each, v, names, depth)
        parts.append(f"NOT EXISTS {{ {var} {path} {v} FILTER(!({condition})) }}")
    return " && ".join(f"({p})" for p in parts) if parts else "true"


def _count(parameter: ox.NamedNode, n: int, var: str, path: str, names: _Names) -> str:
    if parameter == SH.minCount:
        if n == 0:
            return "true"
        if n == 1:
            return f"EXISTS {{ {var} {path} {names()} }}"
        raise _UntranslatableError("sh:minCount over 1")
    if n == 0:
        return f"NOT EXISTS {{ {var} {path} {names()} }}"
    if n == 1:
        a, b = names(), names()
        return f"NOT EXISTS {{ {var} {path} {a} . {var} {path} {b} FILTER(!sameTerm({a}, {b})) }}"
    raise _UntranslatableError("sh:maxCount over 1")


def _node_constraint(
    shapes: Shapes,
    parameter: ox.NamedNode,
    value: Node,
    var: str,
    names: _Names,
    depth: int,
) -> str:
    """One constraint on the node bound to ``var`` itself."""
    if parameter == SH["class"]:
        return f"EXISTS {{ {var} {_INSTANCE_OF} {_term(value)} }}"
    if parameter == SH.hasValue:
        return f"sameTerm({var}, {_term(value)})"
    if parameter == SH.datatype:
        if value != XSD.integer:
            raise _UntranslatableError("a datatype other than xsd:integer")
        return (
            f"isLiteral({var}) && sameTerm(datatype({var}), {XSD.integer}) "
            f'&& REGEX(STR({var}), "{_INTEGER}")'
        )
    if parameter == SH["not"]:
        return f"!({_branch(shapes, value, var, names, depth)})"
    if parameter in (SH.node, SH.property):
        return _branch(shapes, value, var, names, depth)
    branches = [_branch(shapes, b, var, names, depth) for b in _items(shapes, value)]
    if not branches:
        raise _UntranslatableError("an empty list")
    if parameter == SH["or"]:
        return " || ".join(f"({b})" for b in branches)
    if parameter == SH["and"]:
        return " && ".join(f"({b})" for b in branches)
    if parameter == SH.xone:
        return " + ".join(f"IF({b}, 1, 0)" for b in branches) + " = 1"
    raise _UntranslatableError(f"{parameter}")


def _items(shapes: Shapes, head: Node) -> Iterator[Node]:
    """The distinct members of an RDF list (pySHACL reads sh:or / sh:xone lists as sets)."""
    seen: set[Node] = set()
    for item in shapes.items(head):
        if item not in seen:
            seen.add(item)
            yield item


def _integer(value: Node) -> int:
    if not isinstance(value, ox.Literal) or value.datatype != XSD.integer:
        raise _UntranslatableError("a count that is not an integer")
    try:
        return int(value.value)
    except ValueError as e:
        raise _UntranslatableError("a count that is not an integer") from e


def _text(node: Node | None) -> str:
    if node is None:
        raise _UntranslatableError("a prefix declaration without its prefix or namespace")
    return node.value


def _term(node: Node) -> str:
    """A shapes-graph constant in SPARQL syntax (IRIs and literals; a blank node is not one)."""
    if isinstance(node, ox.BlankNode):
        raise _UntranslatableError("a blank node as a constant")
    return str(node)
