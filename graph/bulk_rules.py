"""The source rules of a bulk load derived while the file loads (graph/bulk.py, step 5).

The transactional path runs the source rules (graph/rules/10-inverse.rq, 20-subproperty.rq,
30-subclass.rq) as SPARQL over the graph it writes. At a million triples that evaluation took
5.5 s of a 21 s bulk load on a quiet machine, after a compaction (1.3 s) it needed to be that
fast (docs/benchmarks.md). The three rules read one source graph and the ontology's axioms
only, so their results can be found in one pass over the file's triples, in a thread beside
Oxigraph's ``bulk_load`` (which holds one core and releases the GIL):

1. before the load, the axioms are read from the ontology graph with the rules' own patterns
   (``owl:inverseOf`` either way, ``rdfs:subPropertyOf+`` and ``rdfs:subClassOf+`` to an IRI);
2. beside it, each triple of the file whose predicate (or, for ``rdf:type``, class) an axiom
   names gives its candidates (the inverse of an IRI object, the super-properties, the
   super-classes), and each triple a candidate could be is kept;
3. once the file is read and its checks are done (the literals they put in NFC), the
   candidates are completed in the rules' order (the property hierarchy also reads what the
   inverses entail, the class hierarchy what both entail), each kept only if the file does
   not state it itself (the rules' ``FILTER NOT EXISTS``), and added with ``bulk_extend``:
   while ``bulk_load`` still runs, or after it for a big file (graph/bulk.py,
   ``WRITE_BESIDE_BYTES``).

Oxigraph's ``bulk_load`` gives blank nodes new identifiers, so a triple the rules read that
holds a blank node (or a quoted triple) cannot be matched to what was stored: such a file, a
set of source rules other than these three, or the ontology graph itself, has its rules run
as SPARQL after the load (``Derivation.fallback`` says why). tests/test_bulk_load.py checks
that every way gives what the transactional path gives.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ontology import sparql_prefixes

from .entailments import rules

# the source rules this module derives, by file name: any other set runs as SPARQL
RULES = ("10-inverse.rq", "20-subproperty.rq", "30-subclass.rq")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_CHECK_EVERY = 65536  # triples between two looks at the stop event

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


@dataclass(frozen=True)
class Axioms:
    """What the source rules read from the ontology: property -> the properties it entails."""

    inverse: dict[ox.NamedNode, frozenset[ox.NamedNode]]
    broader_property: dict[ox.NamedNode, frozenset[ox.NamedNode]]
    broader_class: dict[ox.NamedNode, frozenset[ox.NamedNode]]

    def entailed_properties(self) -> frozenset[ox.NamedNode]:
        """The predicates of what the rules can derive."""
        found = {RDF_TYPE} if self.broader_class else set()
        for targets in (*self.inverse.values(), *self.broader_property.values()):
            found.update(targets)
        return frozenset(found)

    def entailed_classes(self) -> frozenset[ox.NamedNode]:
        """The classes the class hierarchy can derive a type of."""
        return frozenset(d for targets in self.broader_class.values() for d in targets)


def _pairs(store: ox.Store, pattern: str) -> dict[ox.NamedNode, frozenset[ox.NamedNode]]:
    found: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    result = store.query(sparql_prefixes() + f"SELECT ?a ?b WHERE {{ {pattern} }}")
    assert isinstance(result, ox.QuerySolutions)
    for row in result:
        a, b = row["a"], row["b"]
        if isinstance(a, ox.NamedNode) and isinstance(b, ox.NamedNode):
            found.setdefault(a, set()).add(b)
    return {a: frozenset(b) for a, b in found.items()}


def read_axioms(store: ox.Store, ontology: ox.NamedNode) -> Axioms:
    """The axioms, with the patterns of the rules' WHERE clauses (graph/rules/)."""
    return Axioms(
        inverse=_pairs(
            store,
            f"GRAPH {ontology} {{ {{ ?a owl:inverseOf ?b }} UNION {{ ?b owl:inverseOf ?a }} }}",
        ),
        broader_property=_pairs(
            store, f"GRAPH {ontology} {{ ?a rdfs:subPropertyOf+ ?b FILTER (isIRI(?b)) }}"
        ),
        broader_class=_pairs(
            store, f"GRAPH {ontology} {{ ?a rdfs:subClassOf+ ?b FILTER (isIRI(?b)) }}"
        ),
    )


def streamable(graph: ox.NamedNode, ontology: ox.NamedNode) -> str | None:
    """Why the rules of ``graph`` cannot be derived from the file, or None if they can."""
    names = tuple(rule.name for rule in rules() if rule.scope == "source")
    if names != RULES:
        return f"the source rules are {names}, not {RULES}"
    if graph == ontology:
        return "the ontology graph"
    return None


@dataclass
class Derivation:
    """The candidates found in the file; ``fallback``: why the rules must run as SPARQL."""

    axioms: Axioms
    fallback: str | None = None
    inverse: set[Triple] = field(default_factory=set)
    broader_property: set[Triple] = field(default_factory=set)
    broader_class: set[Triple] = field(default_factory=set)
    # the file's triples that a candidate could be (the rules' FILTER NOT EXISTS)
    stated: set[Triple] = field(default_factory=set)
    written: bool = False  # the entailments are in the store

    def read(self, path: Path, fmt: ox.RdfFormat, base_iri: str, stop: threading.Event) -> None:
        """Step 2 of the module docstring, over the file (a syntax error is left to the
        load, which reports it with its line)."""
        inverse, above, classes = (
            self.axioms.inverse,
            self.axioms.broader_property,
            self.axioms.broader_class,
        )
        entailed = self.axioms.entailed_properties()
        above_classes = self.axioms.entailed_classes()
        # a type the property rules can derive may be of any class
        any_type = any(RDF_TYPE in t for t in (*inverse.values(), *above.values()))
        terms: dict[Any, Any] = {}  # a term -> the one object kept for it
        try:
            for number, quad in enumerate(ox.parse(path=path, format=fmt, base_iri=base_iri)):
                if number % _CHECK_EVERY == 0 and stop.is_set():
                    return
                p = quad.predicate
                typed = p == RDF_TYPE and quad.object in classes
                candidate = p in entailed and (
                    p != RDF_TYPE or any_type or quad.object in above_classes
                )
                if p not in inverse and p not in above and not typed and not candidate:
                    continue
                s, o = quad.subject, quad.object
                if not isinstance(s, ox.NamedNode) or not isinstance(o, ox.NamedNode | ox.Literal):
                    self.fallback = f"a blank node or a quoted triple in triple {number + 1}"
                    return
                # one object per term: at 10M triples the sets hold millions of them
                s, o = terms.setdefault(s, s), terms.setdefault(o, o)
                if candidate:
                    self.stated.add((s, terms.setdefault(p, p), o))
                if isinstance(o, ox.NamedNode):
                    for q in inverse.get(p, ()):
                        self.inverse.add((o, q, s))
                for q in above.get(p, ()):
                    self.broader_property.add((s, q, o))
                if typed:
                    assert isinstance(o, ox.NamedNode)
                    for d in classes[o]:
                        self.broader_class.add((s, RDF_TYPE, d))
        except SyntaxError:  # the load fails, and says where
            return
        except Exception as e:  # the SPARQL rules then run: nothing is lost
            self.fallback = f"the file could not be read for the rules: {e}"

    def entailed(self, nfc: dict[ox.Literal, ox.Literal]) -> set[Triple]:
        """Step 3: what the three rules write into the graph's entailment graph, the graph
        being the file's triples with their literals in NFC (``nfc`` maps the file's literals
        to the stored ones)."""

        def normal(triples: set[Triple]) -> Iterator[Triple]:
            for s, p, o in triples:
                yield s, p, nfc.get(o, o) if isinstance(o, ox.Literal) else o

        in_graph = set(normal(self.stated)) if nfc else self.stated

        def stated(triple: Triple) -> bool:
            return triple in in_graph

        inverse = {t for t in self.inverse if not stated(t)}
        above = self.axioms.broader_property
        found = set(normal(self.broader_property))
        found.update((s, q, o) for s, p, o in inverse for q in above.get(p, ()))
        properties = {t for t in found if not stated(t)}
        classes = self.axioms.broader_class
        found = set(self.broader_class)
        found.update(
            (s, RDF_TYPE, d)
            for s, p, o in inverse | properties
            if p == RDF_TYPE and isinstance(o, ox.NamedNode)
            for d in classes.get(o, ())
        )
        return inverse | properties | {t for t in found if not stated(t)}

    def write(
        self, store: ox.Store, target: ox.NamedNode, nfc: dict[ox.Literal, ox.Literal]
    ) -> None:
        """The entailments (:meth:`entailed`) into the graph ``target`` of ``store``, unless
        the file cannot be derived from (``fallback``)."""
        if self.fallback is not None:
            return
        store.bulk_extend(ox.Quad(s, p, o, target) for s, p, o in self.entailed(nfc))
        self.written = True
