"""The ontology: OWL 2 DL, documented terms, consistent with the data (HermiT)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from graph.store import KnowledgeGraph
from graph.validate import check_owl, owl_ntriples
from loaders.rdf import SourceInfo
from ontology import SDGO, WSIS, Vocabulary, ontology_path
from ontology.ids import Ids

WSIS_NS = WSIS.base
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_path(), format="turtle")


def test_every_defined_term_has_label_and_comment(onto: rdflib.Graph) -> None:
    missing = [
        str(s)
        for s in set(onto.subjects())
        if isinstance(s, rdflib.URIRef)
        and ((s, RDFS.label, None) not in onto or (s, RDFS.comment, None) not in onto)
    ]
    assert missing == []


def test_every_term_is_declared_with_one_owl_kind(onto: rdflib.Graph) -> None:
    kinds = [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty]
    for term in {s for s in onto.subjects() if str(s).startswith(WSIS_NS)}:
        declared = [k for k in kinds if (term, RDF.type, k) in onto]
        is_individual = (term, RDF.type, OWL.NamedIndividual) in onto
        assert len(declared) == 1 or (is_individual and not declared), (term, declared)


def test_action_lines_and_sdgs_are_skos_concepts(onto: rdflib.Graph) -> None:
    concept = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#Concept")
    for cls in (WSIS.ActionLine, SDGO.Goal, SDGO.Target, SDGO.Indicator):
        assert (rdflib.URIRef(cls.value), RDFS.subClassOf, concept) in onto


def test_closed_namespace_refuses_undefined_terms() -> None:
    assert WSIS.Clause.value == WSIS_NS + "Clause"
    with pytest.raises(AttributeError, match=r"not defined in ontology/wsis\.ttl"):
        _ = WSIS.Clauses
    with pytest.raises(AttributeError):
        _ = Vocabulary("http://purl.org/dc/terms/").inventedTerm


def test_data_uses_only_terms_the_ontology_defines(builtin_kg: KnowledgeGraph) -> None:
    """No loader mints a look-alike term: every wsis:/sdgo: predicate and class is declared."""
    rows = builtin_kg.select(
        "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } "
        f'FILTER (STRSTARTS(STR(?t), "{WSIS_NS}") || STRSTARTS(STR(?t), "{SDGO.base}")) }}'
    )
    onto = rdflib.Graph().parse(ontology_path(), format="turtle")
    undefined = [
        r["t"].value for r in rows if (rdflib.URIRef(r["t"].value), None, None) not in onto
    ]
    assert undefined == []
    assert len(rows) > 40


# HermiT over the ontology and all the built-in data: tests/test_cli.py, through
# `wsiskg validate` (the one run over the whole graph in the suite).


def _broken(triples: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode]]) -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory()
    kg.load_ontology()
    kg.replace_graph(
        kg.ids.graph("broken"),
        [ox.Triple(*t) for t in triples],
        SourceInfo("broken", "broken.ttl", "0" * 64),
    )
    return kg


def test_hermit_detects_an_action_line_that_is_also_a_goal() -> None:
    c5 = Ids().action_line("C5")
    kg = _broken(
        [(c5, ox.NamedNode(RDF.type), WSIS.ActionLine), (c5, ox.NamedNode(RDF.type), SDGO.Goal)]
    )
    report = check_owl(kg)
    assert not report.consistent
    assert "inconsistent" in report.message


def test_hermit_detects_a_link_with_two_evidence_kinds() -> None:
    link = ox.NamedNode(Ids().base + "link/x")
    kg = _broken(
        [
            (link, ox.NamedNode(RDF.type), WSIS.Link),
            (link, WSIS.evidence, WSIS.Stated),
            (link, WSIS.evidence, WSIS.Inferred),
        ]
    )
    assert not check_owl(kg).consistent


def test_hermit_names_an_unsatisfiable_class() -> None:
    """A class placed under two disjoint ones has no member in any model: the graph is
    consistent (nothing is of that class) but not acceptable, and the report names it."""
    both = ox.NamedNode("https://example.org/terms#BothActionLineAndGoal")
    kg = _broken(
        [
            (both, ox.NamedNode(RDF.type), ox.NamedNode(OWL.Class)),
            (both, ox.NamedNode(RDFS.subClassOf), WSIS.ActionLine),
            (both, ox.NamedNode(RDFS.subClassOf), SDGO.Goal),
        ]
    )
    report = check_owl(kg)
    assert not report.consistent
    assert report.message == f"HermiT: unsatisfiable classes ['{both.value}']"


def test_the_reasoners_view_is_the_data_without_annotations_or_entailments(
    tmp_path: Path,
) -> None:
    """What HermiT reads: the stated graphs and the provenance, each triple once; not the
    entailment graphs, not annotation assertions (labels, wsis:relation), not owl:imports; an
    xsd:date as the xsd:dateTime of that day's start (HermiT knows no xsd:date)."""
    ids = Ids()
    c5 = ids.action_line("C5")
    issued = ox.NamedNode("http://purl.org/dc/terms/issued")
    kg = _broken(
        [
            (c5, ox.NamedNode(RDF.type), WSIS.ActionLine),
            (c5, ox.NamedNode(RDFS.label), ox.Literal("C5", language="en")),  # type: ignore[list-item]
            (c5, issued, ox.Literal("2024-05-01", datatype=XSD_DATE)),  # type: ignore[list-item]
            (c5, ox.NamedNode(OWL.imports), ox.NamedNode("https://example.org/other.owl")),
        ]
    )
    # stated once more in a second graph: written once
    kg.replace_graph(
        kg.ids.graph("again"),
        [ox.Triple(c5, ox.NamedNode(RDF.type), WSIS.ActionLine)],
        SourceInfo("again", "again.ttl", "1" * 64),
    )
    path = tmp_path / "view.nt"
    count = owl_ntriples(kg, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert count == len(lines) == len(set(lines))
    about_c5 = sorted(line for line in lines if line.startswith(f"{c5} "))
    assert about_c5 == [
        f"{c5} <http://purl.org/dc/terms/issued> "
        '"2024-05-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .',
        f"{c5} <{RDF.type}> {WSIS.ActionLine} .",
    ]
    predicates = {line.split(" ", 2)[1] for line in lines}
    assert f"<{RDFS.label}>" not in predicates  # the ontology's labels neither
    assert "<https://w3id.org/wsis-kg/ontology#relation>" not in predicates
    assert f"<{OWL.imports}>" not in predicates
    # the provenance is there (stated); what the rules derived is not
    assert any("http://www.w3.org/ns/prov#wasGeneratedBy" in line for line in lines)
    derived = {
        f"{q.subject} {q.predicate} {q.object} ."
        for q in kg.quads()
        if isinstance(q.graph_name, ox.NamedNode)
        and q.graph_name.value.startswith(kg.entailments.prefix)
    }
    stated = {
        f"{q.subject} {q.predicate} {q.object} ."
        for q in kg.quads()
        if not (
            isinstance(q.graph_name, ox.NamedNode)
            and q.graph_name.value.startswith(kg.entailments.prefix)
        )
    }
    assert derived - stated, "nothing derived that is not stated: the check below is empty"
    assert not (derived - stated) & set(lines)
