"""Validation: SHACL shapes (pyshacl) over the loaded graph, and OWL consistency (HermiT).

Both read a snapshot of the store; neither writes to it.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from ontology import OWL, RDFS, XSD, shapes_path
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
    ontology/shapes.ttl) run as SPARQL queries on Oxigraph's engine, with the results
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

# Triples the reasoner's view leaves out because a reader would act on them: HermiT's OWL API
# fetches owl:imports (http:, file: ...); owlready2 imports the Python module python_module
# names (only HermiT reads the view, which stays safe for owlready2 too). The ontology imports
# nothing, and data written by a load or an update must not make validation fetch or run
# anything.
_OWL_UNSAFE_PREDICATES = (
    OWL.imports.value,
    "http://www.lesfleursdunormal.fr/static/_downloads/owlready_ontology.owl#python_module",
)
# The annotation properties OWL 2 itself declares (OWL 2 Structural Specification, section
# 5.5): with those the ontology declares (owl:AnnotationProperty), their assertions carry no
# meaning for the reasoner (OWL 2 Direct Semantics gives annotations none), so the view
# leaves them out: 50k labels and relation names of 450k triples the reasoner need not read.
_BUILT_IN_ANNOTATIONS = tuple(
    term.value
    for term in (
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.deprecated,
        OWL.versionInfo,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
    )
)


@dataclass(frozen=True)
class OwlReport:
    consistent: bool
    triples: int
    message: str


def _left_out(kg: KnowledgeGraph) -> re.Pattern[bytes]:
    """An N-Triples line whose predicate the reasoner's view leaves out: the unsafe ones and
    the annotation properties (OWL's own and those the ontology declares)."""
    declared = [
        row["p"].value
        for row in kg.select(
            f"SELECT DISTINCT ?p WHERE {{ GRAPH {kg.ontology_graph} "
            f"{{ ?p a {OWL.AnnotationProperty} }} FILTER (isIRI(?p)) }}"
        )
    ]
    names = dict.fromkeys([*_OWL_UNSAFE_PREDICATES, *_BUILT_IN_ANNOTATIONS, *declared])
    alternatives = b"|".join(re.escape(name.encode()) for name in names)
    return re.compile(rb"^\S+ <(?:" + alternatives + rb")> .*\n", re.M)


# an xsd:date literal in N-Triples (its lexical form has no quote or backslash)
_XSD_DATE = re.compile(rb'"([^"\\]*)"\^\^' + re.escape(str(XSD.date).encode()))
_AS_DATETIME = rb'"\1T00:00:00Z"^^' + str(XSD.dateTime).encode()


def owl_ntriples(kg: KnowledgeGraph, path: Path) -> int:
    """Write the reasoner's view as N-Triples, each triple once; how many. The view: every
    named graph but the materialised entailments (the provenance is kept: it is stated data),
    without the triples that would make the reasoner fetch or import anything, nor annotation
    assertions. xsd:date values (publication dates, dcterms:issued), which are outside the
    OWL 2 datatype map, become the xsd:dateTime at the start of that day (UTC); no axiom of
    the ontology constrains them, so the mapping cannot change the verdict. Each graph is
    written by the store (N-Triples: one triple a line, its subject without a space)."""
    entailed = kg.entailments
    left_out = _left_out(kg)
    lines: dict[bytes, None] = {}
    for graph in kg.store.named_graphs():
        if not isinstance(graph, ox.NamedNode):
            continue
        if graph != entailed.provenance and not entailed.is_source(graph):
            continue
        text = kg.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        assert text is not None
        text = left_out.sub(b"", text)
        if str(XSD.date).encode() in text:
            text = _XSD_DATE.sub(_AS_DATETIME, text)
        lines |= dict.fromkeys(text.splitlines())
    lines.pop(b"", None)
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return len(lines)


# HermiT's command line, from the jar owlready2 ships, on the view written above. ``-U`` lists
# the classes equivalent to owl:Nothing (unsatisfiable), which needs a consistent graph: an
# inconsistent one ends it with an InconsistentOntologyException. owlready2's
# sync_reasoner_hermit would first read the view into owlready2's own quadstore and write it
# out again, then classify the properties and realise every individual (the types of 100k
# individuals): half the time of the check, for results it does not read. ``-N``: full IRIs.
_HERMIT_MAIN = "org.semanticweb.HermiT.cli.CommandLine"
_UNSATISFIABLE = "Classes equivalent to "
_NOTHING = OWL.Nothing.value


def hermit_command(path: Path, java_memory_mb: int) -> list[str]:
    """The Java command that asks HermiT for the unsatisfiable classes of ``path``."""
    # imported here: it starts slowly and only this check needs it (its Java setting and jar)
    import owlready2  # noqa: PLC0415

    jars = Path(owlready2.__file__).parent / "hermit"
    classpath = os.pathsep.join([str(jars), str(jars / "HermiT.jar")])
    java = str(owlready2.JAVA_EXE)
    return [
        java,
        f"-Xmx{java_memory_mb}M",
        "-cp",
        classpath,
        _HERMIT_MAIN,
        "-N",
        "-U",
        path.as_uri(),
    ]


def check_owl(kg: KnowledgeGraph, java_memory_mb: int = 4000) -> OwlReport:
    """Ask HermiT whether the graph (the reasoner's view of it) is consistent and every class
    satisfiable."""
    with tempfile.TemporaryDirectory(prefix="wsiskg-owl-") as tmp:
        path = Path(tmp) / "graph.nt"
        count = owl_ntriples(kg, path)
        command = hermit_command(path, java_memory_mb)
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
            )
        except OSError as e:
            raise ValidationError(
                f"HermiT could not start: {command[0]}: {e.strerror or e} (OWL checks need Java)"
            ) from e
    if done.returncode != 0:
        said = f"{done.stdout}\n{done.stderr}"
        if "InconsistentOntologyException" in said:
            return OwlReport(False, count, "HermiT: the graph is inconsistent")
        raise ValidationError(f"HermiT could not check the graph: {_java_reason(said)}")
    unsatisfiable = _unsatisfiable(done.stdout)
    if unsatisfiable:
        return OwlReport(False, count, f"HermiT: unsatisfiable classes {unsatisfiable}")
    return OwlReport(True, count, "HermiT: consistent")


def _unsatisfiable(output: str) -> list[str]:
    """The classes HermiT's ``-U`` lists as equivalent to owl:Nothing, but owl:Nothing."""
    lines = output.splitlines()
    if not lines or not lines[0].startswith(_UNSATISFIABLE):
        raise ValidationError(f"HermiT answered what this check cannot read: {output[:300]!r}")
    return [ln.strip() for ln in lines[1:] if ln.strip() and ln.strip() != _NOTHING]


def _java_reason(said: str) -> str:
    lines = [ln for ln in said.splitlines() if "Exception" in ln]
    return lines[0].strip() if lines else said.strip()[:300]


class ValidationError(WsisKgError):
    """A validator could not run."""
