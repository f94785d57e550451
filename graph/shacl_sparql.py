"""SHACL constraints answered by SPARQL queries on Oxigraph, with pySHACL's results.

pySHACL checks each constraint node by node in Python, over an rdflib copy of the whole store
(some 530k triples for the built-in data: about 12 s to build and 13 s to check). Oxigraph
answers each constraint as one query over the store, in a fraction of a second.

:func:`plan` picks, from the shapes graph, the constraints it can state exactly
(graph/shacl_conditions.py lists the constraint components):

* of a node shape with targets (``sh:targetClass`` with subclasses, ``sh:targetNode``,
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``) that no other shape uses: each constraint on
  the focus node (``sh:class``, ``sh:pattern``, ``sh:or`` ...), one query each, and each
  SHACL-SPARQL constraint (``sh:select``);
* of a property shape with a path of one IRI, held (``sh:property``) only by such node shapes:
  each constraint, one query each, over the focus nodes of all its holders;

each shape with one message, not deactivated. Anything else stays in pySHACL.

A count of values at one path (sh:minCount 1, sh:maxCount 0 or 1) is asked of all the focus
nodes at once (a MINUS, a join, a count per node); the other constraints on the focus node
alone, of the same focus nodes, in one query together (:func:`run`); the rest one query each.
On the built-in data the 231 constraints took 21-24 s as one query each testing each node,
10-13 s so.

:func:`run` reports each failure as pySHACL does: the focus node; the path (a property
shape's, or a SPARQL solution's ``?path``); the value (the value node for a constraint on each
value, none for a count, the focus node for a node shape's constraint, a SPARQL solution's
``?value``); the message (``{?var}`` filled from a SPARQL solution); the severity and the
source shape. Identical results (a focus node of two holders of one property shape) are
reported once. :func:`graph.validate.validate_shacl` takes the moved constraints out of the
shapes graph it hands pySHACL and calls pySHACL only if a constraint is left
(:func:`pyshacl_needed`). This module imports no rdflib: every SPARQL query runs on Oxigraph.

tests/test_shacl_sparql.py checks that the results equal pySHACL's on data that breaks every
constraint of ontology/shapes.ttl.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from .shacl_conditions import (
    ANNOTATIONS,
    COUNT_PARAMETERS,
    INSTANCE_OF,
    VALUE_PARAMETERS,
    Names,
    conforms,
    count_condition,
    integer,
    path_of,
    term,
)
from .shacl_shapes import RDF, RDFS, SH, Node, Params, Shapes, UntranslatableError
from .store import KnowledgeGraph

__all__ = ["Found", "Moved", "Shapes", "plan", "pyshacl_needed", "run"]


@dataclass(frozen=True)
class Moved:
    """One constraint of a shape, answered by ``query`` (one solution per failure)."""

    shape: Node
    removed: tuple[tuple[ox.NamedNode, Node], ...]  # its triples (shape, p, o) in the shapes
    query: str
    message: str
    severity: str
    path: str | None = None  # a property shape's path
    value: str = "focus"  # the result's value: "focus", "value" (?value), "none", "sparql"
    # a constraint on the focus node alone: its focus nodes' pattern and the condition that
    # it fails (``query`` is the two together): :func:`run` asks those of one pattern at once
    this: str | None = None
    failing: str | None = None

    @property
    def predicate(self) -> ox.NamedNode:
        return self.removed[0][0]


@dataclass(frozen=True)
class Found:
    """One failure, in the fields of :class:`graph.validate.Violation`."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
# what a top-level shape says besides its constraints
_TOP = ANNOTATIONS | {SH.severity, SH.path, SH.property, SH.sparql, *_TARGETS}


def plan(shapes: Shapes) -> list[Moved]:
    """The constraints of ``shapes`` that :func:`run` answers exactly (see the module)."""
    holders = [s for s in _node_shapes(shapes) if _movable_node_shape(shapes, s)]
    moved: list[Moved] = []
    for shape in holders:
        for predicate, value in _top_constraints(shapes, shape):
            _add(moved, _node, shapes, shape, predicate, value)
        for constraint in shapes.objects(shape, SH.sparql):
            _add(moved, _sparql, shapes, shape, constraint)
    for prop in _property_shapes(shapes, set(holders)):
        for predicate, value in _top_constraints(shapes, prop):
            _add(moved, _property, shapes, prop, predicate, value)
    return moved


def _add(moved: list[Moved], translate: Callable[..., Moved], *args: object) -> None:
    """``translate(*args)`` added to ``moved``, unless it cannot be stated (pySHACL checks it)."""
    try:
        moved.append(translate(*args))
    except UntranslatableError:
        return


def run(kg: KnowledgeGraph, moved: list[Moved]) -> list[Found]:
    """Every failure of the moved constraints on the union of the named graphs, once.

    The constraints on the focus node alone (a value it must have, its class, a logical
    constraint ...) of the same focus nodes are asked in one query (:func:`_together`): the
    focus nodes are found once, not once per constraint. The counts at a path are queries of
    their own, over all the focus nodes at once (:func:`_count_query`)."""
    found: dict[Found, None] = {}
    together: dict[str, list[Moved]] = {}
    for m in moved:
        if m.this is not None and m.failing is not None:
            together.setdefault(m.this, []).append(m)
            continue
        for row in kg.select(m.query):
            _found(found, m, {k: v.value for k, v in row.items()})
    for this, group in together.items():
        for row in kg.select(_together(this, group)):
            values = {k: v.value for k, v in row.items()}
            for i, m in enumerate(group):
                if values.get(f"failed_{i}") == "true":
                    _found(found, m, values)
    return list(found)


def _together(this: str, group: list[Moved]) -> str:
    """One query for the constraints of ``group`` on the focus nodes of ``this``: a row for
    each focus node that fails one, ``?failed_i`` true for the i-th it fails. A condition
    whose evaluation errs leaves its flag unbound (a FILTER of it alone drops the node)."""
    flags = " ".join(f"?failed_{i}" for i in range(len(group)))
    binds = " ".join(f"BIND(!({m.failing}) AS ?failed_{i})" for i, m in enumerate(group))
    any_failed = " || ".join(f"COALESCE(?failed_{i}, false)" for i in range(len(group)))
    return f"SELECT DISTINCT ?this {flags} WHERE {{ {this} {binds} FILTER({any_failed}) }}"


def _found(found: dict[Found, None], m: Moved, values: dict[str, str]) -> None:
    """The failure of ``m`` that a solution of its query (``values``) reports."""
    focus = values["this"]
    message, path = m.message, m.path
    if m.value == "sparql":
        message, path = _fill(m.message, values), values.get("path")
        value: str | None = values.get("value", focus)
    else:
        value = {"focus": focus, "value": values.get("value"), "none": None}[m.value]
    found[Found(focus, path, value, message, m.severity, m.shape.value)] = None


def pyshacl_needed(shapes: Shapes) -> bool:
    """Whether a shape pySHACL would check still has a constraint (after the moved ones
    were taken out): what the targeted shapes reach through sh:property, sh:node, the logical
    lists, sh:qualifiedValueShape. A SPARQL-based target or an implicit class target: yes."""
    if shapes.subject_objects(SH.target) or shapes.subjects(RDF.type, RDFS.Class):
        return True
    todo = [s for t in _TARGETS for s, _ in shapes.subject_objects(t)]
    seen: set[Node] = set()
    while todo:
        shape = todo.pop()
        if shape in seen:
            continue
        seen.add(shape)
        for p, o in shapes.predicate_objects(shape):
            if p in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape):
                todo.append(o)
            elif p in (SH["and"], SH["or"], SH.xone):
                return True  # a logical constraint is itself left
            elif p not in _TOP and p not in (SH.deactivated, SH.flags):
                return True
    return False


def _fill(template: str, values: dict[str, str]) -> str:
    """A SHACL message template with ``{?var}`` replaced by the solution's values."""
    return re.sub(r"\{[?$](\w+)\}", lambda m: values.get(m[1], m[0]), template)


# ---------------------------------------------------------------------- the shapes


def _node_shapes(shapes: Shapes) -> list[Node]:
    """The shapes with targets, in a stable order."""
    found = {s for t in _TARGETS for s, _ in shapes.subject_objects(t)}
    return sorted(found, key=str)


def _movable_node_shape(shapes: Shapes, shape: Node) -> bool:
    """A node shape whose constraints run alone: no path, no other shape uses it, not
    deactivated, targets the query can state."""
    try:
        _unshared(shapes, shape)
        _targets(shapes, [shape])
    except UntranslatableError:
        return False
    return shapes.value(shape, SH.path) is None and shapes.value(shape, SH.deactivated) is None


def _property_shapes(shapes: Shapes, holders: set[Node]) -> list[Node]:
    """The property shapes held only by ``holders`` (through sh:property), with no targets of
    their own, in a stable order."""
    found = []
    for prop in sorted({o for h in holders for o in shapes.objects(h, SH.property)}, key=str):
        users = shapes.referrers(prop)
        if all(p == SH.property and s in holders for s, p in users) and not _has_targets(
            shapes, prop
        ):
            found.append(prop)
    return found


def _top_constraints(shapes: Shapes, shape: Node) -> list[tuple[ox.NamedNode, Node]]:
    """The constraints of a top-level shape (not its targets, properties, SPARQL ones)."""
    if shapes.value(shape, SH.deactivated) is not None:
        return []
    return [
        (p, o)
        for p, o in shapes.predicate_objects(shape)
        if p not in _TOP and p not in (SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount)
    ]


def _node(shapes: Shapes, shape: Node, predicate: ox.NamedNode, value: Node) -> Moved:
    """A constraint of a node shape on its focus nodes."""
    if predicate not in VALUE_PARAMETERS:
        raise UntranslatableError(f"{predicate}")
    given: Params = {predicate: [value], **_companions(shapes, shape, predicate)}
    failing = conforms(shapes, given, "?this", Names(), 0)
    this = _targets(shapes, [shape])
    query = f"SELECT DISTINCT ?this WHERE {{ {this} FILTER(!({failing})) }}"
    message, severity = _one_message(shapes, shape)
    removed = _removed(shapes, shape, predicate, value)
    return Moved(shape, removed, query, message, severity, this=this, failing=failing)


def _property(shapes: Shapes, prop: Node, predicate: ox.NamedNode, value: Node) -> Moved:
    """A constraint of a property shape, over the focus nodes of every shape that holds it."""
    path = path_of(shapes.objects(prop, SH.path))
    holders = [s for s, _ in shapes.referrers(prop)]
    this = _targets(shapes, holders)
    message, severity = _one_message(shapes, prop)
    removed = _removed(shapes, prop, predicate, value)
    names = Names()
    counted = _count_query(this, path, predicate, value)
    if counted is not None:
        return Moved(prop, removed, counted, message, severity, path=path.strip("<>"), value="none")
    if predicate in COUNT_PARAMETERS or predicate == SH.hasValue:
        given = dict(_companions(shapes, prop, predicate))
        failing = count_condition(shapes, given, predicate, value, "?this", path, names, 0)
        query = f"SELECT DISTINCT ?this WHERE {{ {this} FILTER(!({failing})) }}"
        return Moved(
            prop,
            removed,
            query,
            message,
            severity,
            path=path.strip("<>"),
            value="none",
            this=this,
            failing=failing,
        )
    if predicate not in VALUE_PARAMETERS:
        raise UntranslatableError(f"{predicate}")
    given = {predicate: [value], **_companions(shapes, prop, predicate)}
    failing = conforms(shapes, given, "?value", names, 0)
    query = (
        f"SELECT DISTINCT ?this ?value WHERE {{ {this} ?this {path} ?value FILTER(!({failing})) }}"
    )
    return Moved(prop, removed, query, message, severity, path=path.strip("<>"), value="value")


def _count_query(this: str, path: str, predicate: ox.NamedNode, value: Node) -> str | None:
    """A property shape's sh:minCount 1, sh:maxCount 0 or 1 as a query over all the focus
    nodes at once (a MINUS, a join, a count per node: some 0.1 s for the 16k Publications of
    the built-in data, where a condition tested node by node took 0.4-1.5 s); None for any
    other count. The values are counted as SHACL counts them: distinct RDF terms."""
    if predicate not in (SH.minCount, SH.maxCount):
        return None
    try:
        n = integer(value)
    except UntranslatableError:
        return None  # refused where the count is stated as a condition
    if predicate == SH.minCount and n == 1:
        return f"SELECT DISTINCT ?this WHERE {{ {this} MINUS {{ ?this {path} ?value }} }}"
    if predicate == SH.maxCount and n == 0:
        return f"SELECT DISTINCT ?this WHERE {{ {this} ?this {path} ?value }}"
    if predicate == SH.maxCount and n == 1:
        return (
            f"SELECT ?this WHERE {{ {this} ?this {path} ?value }} "
            "GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > 1)"
        )
    return None


def _companions(shapes: Shapes, shape: Node, predicate: ox.NamedNode) -> Params:
    """The parameters that go with ``predicate``: sh:flags with sh:pattern, the counts and
    the disjointness with sh:qualifiedValueShape."""
    if predicate == SH.pattern:
        names = [SH.flags]
    elif predicate == SH.qualifiedValueShape:
        names = [SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint]
    else:
        return {}
    found = {n: shapes.objects(shape, n) for n in names}
    return {n: os for n, os in found.items() if os}


def _removed(
    shapes: Shapes, shape: Node, predicate: ox.NamedNode, value: Node
) -> tuple[tuple[ox.NamedNode, Node], ...]:
    """The triples of ``shape`` a moved constraint takes out of pySHACL's shapes: the
    constraint's, and its companions' (sh:flags goes only with the shape's one pattern)."""
    removed = [(predicate, value)]
    for name, values in _companions(shapes, shape, predicate).items():
        if name == SH.flags and len(shapes.objects(shape, SH.pattern)) > 1:
            raise UntranslatableError("flags shared by several patterns")
        removed += [(name, v) for v in values]
    return tuple(removed)


def _sparql(shapes: Shapes, shape: Node, constraint: Node) -> Moved:
    """A SHACL-SPARQL SELECT constraint of a node shape, joined with the shape's targets."""
    if shapes.value(constraint, SH.deactivated) is not None:
        raise UntranslatableError("sh:deactivated")
    select = shapes.value(constraint, SH.select)
    if select is None or re.search(r"\$(PATH|currentShape|shapesGraph)\b", select.value):
        raise UntranslatableError("not a SELECT, or one with pre-bound variables besides $this")
    messages = {m.value for m in shapes.objects(constraint, SH.message)}
    messages |= {m.value for m in shapes.objects(shape, SH.message)}
    if len(messages) != 1:
        raise UntranslatableError("other than one message")
    prefixes = "".join(
        f"PREFIX {_text(shapes.value(d, SH.prefix))}: <{_text(shapes.value(d, SH.namespace))}>\n"
        for decl in shapes.objects(constraint, SH.prefixes)
        for d in shapes.objects(decl, SH.declare)
    )
    inner = select.value.replace("$this", "?this")
    this = _targets(shapes, [shape])
    query = f"{prefixes}SELECT DISTINCT * WHERE {{ {this} {{ {inner} }} }}"
    severity = _severity(shapes, shape)
    removed = ((SH.sparql, constraint),)
    return Moved(shape, removed, query, messages.pop(), severity, value="sparql")


def _unshared(shapes: Shapes, shape: Node) -> None:
    """Refuse a node shape that another shape uses (sh:node, sh:not, a member of sh:or ...):
    pySHACL checks it there too, and without the moved constraint it would pass nodes it
    must not."""
    if shapes.referrers(shape):
        raise UntranslatableError("a shape that other shapes use")


def _one_message(shapes: Shapes, shape: Node) -> tuple[str, str]:
    messages = list(shapes.objects(shape, SH.message))
    if len(messages) != 1:
        raise UntranslatableError("other than one message (pySHACL would write its own)")
    return messages[0].value, _severity(shapes, shape)


def _severity(shapes: Shapes, shape: Node) -> str:
    return (shapes.value(shape, SH.severity) or SH.Violation).value.rsplit("#", 1)[-1]


def _has_targets(shapes: Shapes, shape: Node) -> bool:
    return any(shapes.value(shape, t) is not None for t in _TARGETS) or (
        (shape, RDF.type, RDFS.Class) in shapes
    )


def _targets(shapes: Shapes, holders: list[Node]) -> str:
    """A group pattern binding ``?this`` to each focus node of the ``holders``, once."""
    branches: set[str] = set()
    for shape in holders:
        if shapes.value(shape, SH.target) is not None or (shape, RDF.type, RDFS.Class) in shapes:
            raise UntranslatableError("a SPARQL-based or implicit class target")
        found = [
            f"{{ ?this {INSTANCE_OF} {term(c)} }}" for c in shapes.objects(shape, SH.targetClass)
        ]
        found += [
            f"{{ VALUES ?this {{ {term(n)} }} }}" for n in shapes.objects(shape, SH.targetNode)
        ]
        found += [f"{{ ?this {term(p)} [] }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
        found += [f"{{ [] {term(p)} ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
        if not found:
            raise UntranslatableError("no targets")
        branches.update(found)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(sorted(branches))} }} }}"


def _text(node: Node | None) -> str:
    if node is None:
        raise UntranslatableError("a prefix declaration without its prefix or namespace")
    return node.value
