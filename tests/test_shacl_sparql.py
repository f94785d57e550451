"""The SHACL constraints answered on Oxigraph (graph/shacl_sparql.py) report what pySHACL does.

Every constraint of ontology/shapes.ttl runs on Oxigraph. pySHACL alone, with every shape, is
the reference: the report of :func:`graph.validate.validate_shacl` must equal it, violation
for violation (focus, path, value, message, severity, shape), on a small graph that breaks
each ``sh:or``, ``sh:xone`` and SHACL-SPARQL constraint in several ways, and on data generated
from the shapes that breaks every kind of constraint (wrong kinds of values, ill-typed
literals, values out of range, several values where one is allowed, nothing at all).
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

from graph.shacl_sparql import pyshacl_needed
from graph.store import KnowledgeGraph
from graph.validate import (
    _ox_shapes,
    shapes_graph,
    sparql_constraints,
    take_out,
    union_graph,
    validate_rdflib,
    validate_shacl,
)
from loaders.rdf import SourceInfo

PREFIXES = """
@prefix wsis: <https://w3id.org/wsis-kg/ontology#> .
@prefix sdgo: <http://metadata.un.org/sdg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/wsis-kg/id/> .
@prefix sdg: <http://metadata.un.org/sdg/> .
"""

# links: one that meets every link shape, then one break of each
LINKS = """
id:row1 a wsis:TableRow ; wsis:rowNumber 1 .
id:C5 a wsis:ActionLine ; skos:notation "C5" .
sdg:9 a sdgo:Goal ; skos:notation "9" .
sdg:9.c a sdgo:Target ; skos:notation "9.c" ; sdgo:isTargetOf sdg:9 .
id:ok a wsis:Link ; wsis:evidence wsis:Stated ; wsis:sourceRow id:row1 ;
    wsis:generalKnowledge false ; wsis:confidence wsis:HighConfidence .
id:nosource a wsis:Link ; wsis:evidence wsis:Stated ; wsis:generalKnowledge false .
id:inferred a wsis:Link ; wsis:evidence wsis:Inferred ; wsis:sourceClause id:cl1 .
id:inferredok a wsis:Link ; wsis:evidence wsis:Inferred ; wsis:rule id:rule1 .
id:general a wsis:Link ; wsis:evidence wsis:Stated ; wsis:sourceRow id:row1 ;
    wsis:generalKnowledge true ; wsis:confidence wsis:HighConfidence .
id:generalsourced a wsis:Link ; wsis:evidence wsis:Stated ; wsis:sourceRow id:row1 ;
    wsis:generalKnowledge true ; wsis:confidence wsis:LowConfidence ;
    dcterms:source <https://example.org/page> .
id:generalok a wsis:Link ; wsis:evidence wsis:Stated ; wsis:sourceRow id:row1 ;
    wsis:generalKnowledge true ; wsis:confidence wsis:LowConfidence .
id:extracted a wsis:Link ; wsis:evidence wsis:Extracted ; wsis:sourceClause id:cl1 ;
    wsis:startOffset 3 ; wsis:endOffset "x"^^xsd:integer ; wsis:quotation "words" .
id:extracted2 a wsis:Link ; wsis:evidence wsis:Extracted ; wsis:sourceClause id:cl1 , id:cl2 ;
    wsis:startOffset 3 , 4 ; wsis:endOffset 9.5 .
id:extracted3 a wsis:Link ; wsis:evidence wsis:Extracted ; wsis:sourceClause id:C5 ;
    wsis:startOffset 3 ; wsis:endOffset 9 ; wsis:quotation "words" .
id:extractedok a wsis:Link ; wsis:evidence wsis:Extracted ; wsis:sourceClause id:cl1 ;
    wsis:startOffset 3 ; wsis:endOffset 9 ; wsis:quotation "words" .
id:C5 wsis:contributesToSDG sdg:9 , sdg:9.c , id:C5 , "9" .
id:suggestedbare a wsis:Link ; wsis:evidence wsis:Suggested ; wsis:rule id:rule1 ;
    wsis:relation wsis:supportsActionLine .
id:suggestedby a wsis:Link ; wsis:evidence wsis:Stated ; wsis:sourceRow id:row1 ;
    wsis:relation wsis:suggestedActionLine .
"""

# sections and clauses
CLAUSES = """
id:rv a wsis:ResolutionVersion .
id:s1 a wsis:Section , wsis:PreambularSection ; wsis:sectionOf id:rv .
id:s2 a wsis:Section , wsis:PreambularSection , wsis:OperativeSection ; wsis:sectionOf id:rv .
id:s3 a wsis:Section ; wsis:sectionOf id:rv .
id:cl1 a wsis:Clause ; wsis:clauseOf id:s1 ; wsis:changeStatus wsis:Unchanged .
id:cl2 a wsis:Clause ; wsis:clauseOf id:cl1 ; wsis:changeStatus wsis:LikelyDeleted .
id:cl3 a wsis:Clause ; wsis:clauseOf id:rv , id:s1 , "s1" ; wsis:changeStatus wsis:LikelyDeleted ;
    wsis:statusCue "struck through" .
id:v1 wsis:versionStatus wsis:Proposed .
id:v2 wsis:versionStatus wsis:Proposed ; wsis:proposedIn id:doc ; dcterms:replaces id:rv .
id:v3 wsis:versionStatus wsis:Proposed , wsis:Adopted .
id:v4 wsis:versionStatus wsis:Proposed ; wsis:proposedIn id:doc .
id:v5 wsis:versionStatus wsis:Adopted .
id:doc a wsis:Document .
"""

# publications: exactly one of edition, change, part of one Recommendation
PUBLICATIONS = """
id:rec a wsis:Recommendation .
id:rec2 a wsis:Recommendation .
id:pub1 a wsis:Publication ; dcterms:isVersionOf id:rec .
id:pub2 a wsis:Publication ; dcterms:isVersionOf id:rec ; wsis:amends id:rec .
id:pub3 a wsis:Publication .
id:pub4 a wsis:Publication ; dcterms:isPartOf id:rec , id:rec2 .
id:pub5 a wsis:Publication ; wsis:amends id:C5 .
id:pub6 a wsis:Publication ; wsis:amends id:rec ; dcterms:isPartOf id:rec2 ;
    dcterms:isVersionOf id:rec .
"""

# the SHACL-SPARQL constraints: numbering, succession, and the links' two forms
SPARQL = """
sdg:1 a sdgo:Goal ; skos:notation "1" .
sdg:1.1 a sdgo:Target ; skos:notation "1.1" ; sdgo:isTargetOf sdg:9 .
sdg:C010101 a sdgo:Indicator ; skos:notation "1.1.1" ; sdgo:isIndicatorOf sdg:9.c .
sdg:C090c01 a sdgo:Indicator ; skos:notation "9.c.1" ; sdgo:isIndicatorOf sdg:9.c .
id:p1 a wsis:StudyPeriod ; wsis:startYear 2017 .
id:p2 a wsis:StudyPeriod ; wsis:startYear 2022 .
id:sgold a wsis:StudyGroup ; wsis:studyPeriod id:p1 ; wsis:succeeds id:sgnew .
id:sgnew a wsis:StudyGroup ; wsis:studyPeriod id:p2 ; wsis:succeeds id:sgold .
id:q a wsis:Link ; wsis:subject id:C5 ; wsis:relation wsis:contributesToSDG ; wsis:object sdg:9 ;
    wsis:evidence wsis:Stated ; wsis:sourceRow id:row1 .
id:q2 a wsis:Link ; wsis:subject id:C5 ; wsis:relation wsis:contributesToSDG ; wsis:object sdg:1 ;
    wsis:evidence wsis:Stated ; wsis:sourceRow id:row1 .
"""


def _graph(text: str) -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory()
    kg.load_ontology()
    triples = [
        ox.Triple(t.subject, t.predicate, t.object)
        for t in ox.parse((PREFIXES + text).encode(), ox.RdfFormat.TURTLE)
    ]
    kg.replace_graph(kg.ids.graph("test"), triples, SourceInfo("test", "test.ttl", "0" * 64))
    return kg


def _copy(shapes: rdflib.Graph) -> rdflib.Graph:
    """The same shapes (the same blank nodes, so that property shapes compare)."""
    copy = rdflib.Graph()
    for triple in shapes:
        copy.add(triple)
    return copy


def test_the_moved_constraints_report_exactly_what_pyshacl_does() -> None:
    kg = _graph(LINKS + CLAUSES + PUBLICATIONS + SPARQL)
    shapes = shapes_graph()
    moved = sparql_constraints(_copy(shapes))
    reference = validate_rdflib(union_graph(kg.quads()), _copy(shapes))  # pySHACL, every shape
    report = validate_shacl(kg, _copy(shapes))
    assert report.violations == reference.violations
    assert report.conforms == reference.conforms
    # every or, xone and SPARQL constraint of the shapes is broken here
    sh = "http://www.w3.org/ns/shacl#"
    logical = {
        m.shape.value for m in moved if m.predicate.value[len(sh) :] in ("or", "xone", "sparql")
    }
    assert len(logical) == 17
    assert logical <= {v.shape for v in report.violations}


def test_every_constraint_of_the_shapes_runs_on_oxigraph() -> None:
    """What graph/validate.py then leaves to pySHACL: nothing (it is not called)."""
    shapes = shapes_graph()
    moved = sparql_constraints(_copy(shapes))
    take_out(shapes, moved)
    assert len(moved) > 200
    assert not pyshacl_needed(_ox_shapes(shapes))


def test_a_graph_that_meets_them_has_no_moved_violation() -> None:
    kg = _graph(
        "id:row1 a wsis:TableRow . "
        "id:ok a wsis:Link ; wsis:evidence wsis:Stated ; wsis:sourceRow id:row1 ; "
        "wsis:generalKnowledge false ; wsis:confidence wsis:HighConfidence . "
        "id:rec a wsis:Recommendation . id:pub1 a wsis:Publication ; dcterms:isVersionOf id:rec ."
    )
    shapes = shapes_graph()
    sh = "http://www.w3.org/ns/shacl#"
    moved = {
        m.shape.value
        for m in sparql_constraints(_copy(shapes))
        if m.predicate.value[len(sh) :] in ("or", "xone", "sparql")
    }
    report = validate_shacl(kg, shapes)
    assert not [v for v in report.violations if v.shape in moved]


def test_a_constraint_it_cannot_state_stays_in_pyshacl() -> None:
    """A branch with a parameter the translation does not know (sh:minLength here), a shape
    without a message (pySHACL writes its own), without targets, or that another shape uses
    (sh:node: pySHACL checks it there too): not moved."""
    shapes = rdflib.Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:A a sh:NodeShape ; sh:targetClass ex:C ; sh:message "m" ;
            sh:or ( [ sh:path ex:p ; sh:minLength 2 ] [ sh:path ex:q ; sh:minCount 1 ] ) .
        ex:B a sh:NodeShape ; sh:targetClass ex:C ;
            sh:or ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:minCount 1 ] ) .
        ex:D a sh:NodeShape ; sh:message "m" ;
            sh:or ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:minCount 1 ] ) .
        ex:E a sh:NodeShape ; sh:targetClass ex:C ; sh:message "m" ;
            sh:or ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:minCount 1 ] ) .
        ex:F a sh:NodeShape ; sh:targetClass ex:C ; sh:message "m" ;
            sh:or ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:minCount 1 ] ) .
        ex:G a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:r ; sh:node ex:F ] .
        """,
        format="turtle",
    )
    assert [m.shape.value for m in sparql_constraints(shapes)] == ["http://example.org/E"]


# values that break most constraints on a path: wrong kinds, a language, ill-typed literals,
# numbers out of range, a string that matches no pattern, several values where one is allowed
_JUNK = (
    '"x"',
    '"x"@fr',
    "<urn:junk:iri>",
    "[]",
    '"-5"^^xsd:decimal',
    '"7"^^xsd:decimal',
    '"-2"^^xsd:integer',
    '"abc"^^xsd:date',
    '"2020-02-31"^^xsd:date',
    '"2020-02-03"^^xsd:date',
    '"maybe"^^xsd:boolean',
    '"2024-01-01T00:00:00Z"^^xsd:dateTime',
    '"1 000"^^xsd:integer',
)


def _paths(shapes: rdflib.Graph, shape: rdflib.term.Node) -> set[rdflib.URIRef]:
    """Every sh:path a shape names, in its property shapes and their branches."""
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    found, todo, seen = set(), [shape], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            if p == sh.path and isinstance(o, rdflib.URIRef):
                found.add(o)
            elif isinstance(o, rdflib.BNode) or p in (sh.property, sh.node):
                todo.append(o)
    return found


def _breaking_everything(shapes: rdflib.Graph) -> str:
    """Data generated from the shapes: for each shape with targets, a focus node with nothing,
    one with every junk value at each path the shape names, and one with exactly two values
    at each (one more than a count of at most one)."""
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    junk = " , ".join(_JUNK)
    lines = []
    for n, shape in enumerate(sorted(set(shapes.subjects(sh.targetClass, None)), key=str)):
        paths = sorted(_paths(shapes, shape))
        props = " ; ".join(f"<{p}> {junk}" for p in paths)
        pairs = " ; ".join(f'<{p}> <urn:junk:iri> , "x"' for p in paths)
        for cls in shapes.objects(shape, sh.targetClass):
            lines.append(f"<urn:bare:{n}> a <{cls}> .")
            lines.append(f"<urn:junk:{n}> a <{cls}> {'; ' + props if props else ''} .")
            lines.append(f"<urn:pair:{n}> a <{cls}> {'; ' + pairs if pairs else ''} .")
    for predicate in sorted(set(shapes.objects(None, sh.targetSubjectsOf)), key=str):
        lines.append(f"<urn:subject:{predicate}> <{predicate}> {junk} .")
    for predicate in sorted(set(shapes.objects(None, sh.targetObjectsOf)), key=str):
        lines.append(f"<urn:object:of> <{predicate}> {junk} , <urn:junk:0> .")
    return "\n".join(lines)


def test_every_constraint_broken_every_way_reports_what_pyshacl_does() -> None:
    shapes = shapes_graph()
    kg = _graph(_breaking_everything(shapes) + LINKS + CLAUSES + PUBLICATIONS + SPARQL)
    moved = sparql_constraints(_copy(shapes))
    reference = validate_rdflib(union_graph(kg.quads()), _copy(shapes))  # pySHACL, every shape
    report = validate_shacl(kg, _copy(shapes))
    assert len(reference.violations) > 500
    missing = set(reference.violations) - set(report.violations)
    extra = set(report.violations) - set(reference.violations)
    assert not missing, sorted(map(str, missing))[:10]
    assert not extra, sorted(map(str, extra))[:10]
    assert report.violations == reference.violations
    # most constraints are broken here, and each kind of constraint at least once
    broken = {(v.shape, v.message) for v in report.violations}
    kinds = {m.predicate for m in moved}
    shapes_broken = {shape for shape, _ in broken}
    kinds_broken = {
        m.predicate
        for m in moved
        if (m.shape.value, m.message) in broken
        or (m.value == "sparql" and m.shape.value in shapes_broken)
    }
    assert kinds_broken == kinds, kinds - kinds_broken
