"""The shapes graph as Oxigraph terms, for the SHACL constraints run on Oxigraph.

:class:`Shapes` indexes the triples of a shapes graph for the look-ups of the translation
(graph/shacl_conditions.py, graph/shacl_sparql.py); :data:`SH`, :data:`RDF`, :data:`RDFS` and
:data:`XSD` name the vocabularies' terms. No rdflib: every term is pyoxigraph's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

Node = ox.NamedNode | ox.BlankNode | ox.Literal
# a shape's constraints by parameter (sh:path, sh:class ...), each with its values
Params = dict[ox.NamedNode, list[Node]]


class Namespace:
    """``SH.path``, ``SH["class"]``: the terms of one vocabulary."""

    def __init__(self, base: str) -> None:
        self._base = base

    def __getattr__(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(self._base + name)

    def __getitem__(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(self._base + name)


SH = Namespace("http://www.w3.org/ns/shacl#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


class UntranslatableError(Exception):
    """Private control flow of the translation: a constraint it does not state in SPARQL
    (pySHACL checks it); never raised out of :func:`graph.shacl_sparql.plan`."""


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
                raise UntranslatableError("a broken RDF list")
            yield first
            head = rest

    def distinct_items(self, head: Node) -> list[Node]:
        """The distinct members of an RDF list (pySHACL reads sh:or, sh:in ... lists as sets)."""
        return list(dict.fromkeys(self.items(head)))
