"""Validation: SHACL shapes (pyshacl) over the loaded graph, and OWL consistency (HermiT).

Both read a snapshot of the store; neither writes to it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from ontology import shapes_path
from ontology.errors import WsisKgError

from . import shacl_sparql
from .store import KnowledgeGraph


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str

    def __str__(self) -> str:
        where = f"{self.focus}" + (f" {self.path}" if self.path else "")
        value = f" (value {self.value})" if self.value else ""
        return f"[{self.severity}] {where}: {self.message}{value}"


@dataclass
class ShaclReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0


def to_rdflib_term(
    term: ox.NamedNode | ox.BlankNode | ox.Literal, cache: dict[str, rdflib.URIRef]
) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        node = cache.get(term.value)
        if node is None:
            node = cache[term.value] = rdflib.URIRef(term.value)
        return node
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return rdflib.Literal(term.value)
    # the lexical form as stored (rdflib would write "...T00:00:00Z" as "...+00:00")
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype), normalize=False)


def _to_ox_term(node: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A term of the shapes graph as Oxigraph's (a blank node keeps its label)."""
    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, rdflib.Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def union_graph(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """The union of the named graphs as one rdflib graph (what SHACL validates)."""
    graph = rdflib.Graph()
    cache: dict[str, rdflib.URIRef] = {}
    add = graph.add
    for q in quads:
        add(
            (
                to_rdflib_term(q.subject, cache),  # type: ignore[arg-type]
                to_rdflib_term(q.predicate, cache),
                to_rdflib_term(q.object, cache),  # type: ignore[arg-type]
            )
        )
    return graph


def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(shapes_path(), format="turtle")


def validate_shacl(kg: KnowledgeGraph, shapes: rdflib.Graph | None = None) -> ShaclReport:
    """Validate the union of the named graphs against ontology/shapes.ttl (or ``shapes``,
    which is changed: the constraints run on Oxigraph are taken out of it).

    The constraints SPARQL can state exactly (:mod:`graph.shacl_sparql`: every constraint of
    ontology/shapes.ttl) run as one query each on Oxigraph's SPARQL engine, with the results
    pySHACL would give; pySHACL checks what is left, over an rdflib copy of the union (on the
    built-in data about 12 s to build and 13 s to check, where the queries take a few
    seconds), and is not called when nothing is left.
    """
    shapes = shapes if shapes is not None else shapes_graph()
    moved = sparql_constraints(shapes)
    found = [Violation(*astuple(f)) for f in shacl_sparql.run(kg, moved)]
    take_out(shapes, moved)  # pySHACL checks the rest
    if shacl_sparql.pyshacl_needed(_ox_shapes(shapes)):
        report = validate_rdflib(union_graph(kg.quads()), shapes)
    else:
        report = ShaclReport(True, [], _distinct_triples(kg))
    violations = {v: None for v in report.violations + found}  # the same result once
    report.violations = sorted(violations, key=_order)
    report.conforms = report.conforms and not found
    return report


def _distinct_triples(kg: KnowledgeGraph) -> int:
    """How many triples the union of the named graphs holds (what pySHACL would check)."""
    rows = kg.select(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    return int(rows[0]["n"].value)


def take_out(shapes: rdflib.Graph, moved: list[shacl_sparql.Moved]) -> None:
    """Remove from ``shapes`` the triples of the constraints that run on Oxigraph."""
    cache: dict[str, rdflib.URIRef] = {}
    for m in moved:
        shape = to_rdflib_term(m.shape, cache)
        for predicate, value in m.removed:
            shapes.remove((shape, to_rdflib_term(predicate, cache), to_rdflib_term(value, cache)))


def sparql_constraints(shapes: rdflib.Graph) -> list[shacl_sparql.Moved]:
    """The constraints of ``shapes`` that run on Oxigraph (:func:`graph.shacl_sparql.plan`)."""
    return shacl_sparql.plan(_ox_shapes(shapes))


def _ox_shapes(shapes: rdflib.Graph) -> shacl_sparql.Shapes:
    return shacl_sparql.Shapes(
        (_to_ox_term(s), _to_ox_term(p), _to_ox_term(o)) for s, p, o in shapes
    )


def _order(v: Violation) -> tuple[str, str, str, str, str]:
    return (v.shape, v.focus, v.message, v.path or "", v.value or "")


def validate_rdflib(data: rdflib.Graph, shapes: rdflib.Graph | None = None) -> ShaclReport:
    # imported here: it is slow to import and only validation needs it
    import pyshacl  # noqa: PLC0415

    conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=shapes if shapes is not None else shapes_graph(),
        inference="none",
        advanced=False,
        allow_warnings=False,
        abort_on_first=False,
    )
    if not isinstance(results, rdflib.Graph):
        raise RuntimeError(f"SHACL validation failed to run: {results}")
    violations = []
    for result in results.objects(None, SH.result):  # not the nested ones (sh:detail)

        def one(p: rdflib.URIRef, r: rdflib.term.Node = result) -> str | None:
            value = results.value(r, p)
            return None if value is None else str(value)

        violations.append(
            Violation(
                focus=one(SH.focusNode) or "?",
                path=one(SH.resultPath),
                value=one(SH.value),
                message=one(SH.resultMessage) or "(no message)",
                severity=(one(SH.resultSeverity) or "").rsplit("#", 1)[-1],
                shape=one(SH.sourceShape) or "?",
            )
        )
    unique = sorted(dict.fromkeys(violations), key=_order)  # the same result once
    return ShaclReport(bool(conforms), unique, len(data))


# ---------------------------------------------------------------------- OWL consistency

# Datatypes outside the OWL 2 datatype map, as the reasoner sees them: xsd:date (publication
# dates, dcterms:issued) becomes the xsd:dateTime at the start of that day (UTC). No axiom of
# the ontology constrains these values, so the mapping cannot change the verdict.
_OWL_DATATYPE_MAP = {"http://www.w3.org/2001/XMLSchema#date": "dateTime"}
_XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


@dataclass(frozen=True)
class OwlReport:
    consistent: bool
    triples: int
    message: str


def _owl_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if isinstance(term, ox.Literal) and term.datatype.value in _OWL_DATATYPE_MAP:
        return str(ox.Literal(f"{term.value}T00:00:00Z", datatype=_XSD_DATETIME))
    return str(term)


# Triples the reasoner's view leaves out because owlready2 (and HermiT's OWL API) would act
# on them while loading: owl:imports is fetched (http:, file: ...) and owlready2's
# python_module is imported as a Python module. The ontology imports nothing, and data
# written by a load or an update must not make validation fetch or run anything.
_OWL_UNSAFE_PREDICATES = frozenset(
    {
        ox.NamedNode("http://www.w3.org/2002/07/owl#imports"),
        ox.NamedNode(
            "http://www.lesfleursdunormal.fr/static/_downloads/owlready_ontology.owl#python_module"
        ),
    }
)


def owl_ntriples(kg: KnowledgeGraph, path: Path) -> int:
    """Write the reasoner's view: every named graph but the materialised entailments, without
    the triples that would make the reasoner fetch or import anything."""
    seen: set[str] = set()
    entailed = kg.entailments
    with path.open("w", encoding="utf-8") as out:
        for q in kg.quads():
            graph = q.graph_name
            derived = isinstance(graph, ox.NamedNode) and entailed.maintained(graph.value)
            if derived and graph != kg.provenance_graph:  # the entailments: not the data
                continue
            if q.predicate in _OWL_UNSAFE_PREDICATES:
                continue
            line = f"{q.subject} {q.predicate} {_owl_term(q.object)} .\n"  # type: ignore[arg-type]
            if line not in seen:
                seen.add(line)
                out.write(line)
    return len(seen)


def check_owl(kg: KnowledgeGraph, java_memory_mb: int = 4000) -> OwlReport:
    """Load the graph in owlready2 and ask HermiT whether it is consistent."""
    # imported here: it starts slowly and only this check needs it
    import owlready2  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="wsiskg-owl-") as tmp:
        path = Path(tmp) / "graph.nt"
        count = owl_ntriples(kg, path)
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        owlready2.reasoning.JAVA_MEMORY = java_memory_mb
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as e:
            return OwlReport(False, count, f"HermiT: the graph is inconsistent ({e})")
        except owlready2.OwlReadyJavaError as e:
            raise ValidationError(f"HermiT could not check the graph: {_java_reason(e)}") from e
        unsatisfiable = [str(c) for c in world.inconsistent_classes()]
        world.close()
    if unsatisfiable:
        return OwlReport(False, count, f"HermiT: unsatisfiable classes {unsatisfiable}")
    return OwlReport(True, count, "HermiT: consistent")


def _java_reason(error: Exception) -> str:
    lines = [ln for ln in str(error).splitlines() if "Exception" in ln]
    return lines[0].strip() if lines else str(error).strip()[:300]


class ValidationError(WsisKgError):
    """A validator could not run."""
