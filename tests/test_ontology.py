"""The ontology: OWL 2 DL, documented terms, consistent with the data (HermiT)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from graph.store import KnowledgeGraph
from graph.validate import check_owl
from ontology import SDGO, WSIS, Vocabulary, ontology_path
from ontology.ids import Ids

WSIS_NS = WSIS.base


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
    from loaders.rdf import SourceInfo

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
