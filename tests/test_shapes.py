"""The SHACL shapes: the whole loaded graph conforms; each kind of break is caught."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.store import KnowledgeGraph
from graph.validate import ShaclReport, validate_shacl
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

# A small graph that conforms: a table row, an Action Line, a goal, a target, a link.
VALID = """
id:dataset\\/t a wsis:Dataset ; wsis:fileName "t.csv" .
id:row1 a wsis:TableRow ; wsis:rowNumber 1 ; dcterms:isPartOf id:dataset\\/t .
id:C5 a wsis:ActionLine ; skos:notation "C5" ; skos:prefLabel "Security"@en ;
    skos:inScheme wsis:ActionLineScheme ; wsis:confidence wsis:HighConfidence ;
    prov:wasDerivedFrom id:row1 .
sdg:9 a sdgo:Goal ; skos:notation "9" ; skos:prefLabel "Industry"@en ;
    wsis:confidence wsis:HighConfidence ; prov:wasDerivedFrom id:row1 .
sdg:9.c a sdgo:Target ; skos:notation "9.c" ; skos:prefLabel "Access to ICT"@en ;
    sdgo:isTargetOf sdg:9 ; wsis:targetKind "means_of_implementation" ;
    wsis:confidence wsis:HighConfidence ; prov:wasDerivedFrom id:row1 .
id:C5 wsis:contributesToSDG sdg:9.c .
id:link1 a wsis:Link ; wsis:subject id:C5 ; wsis:relation wsis:contributesToSDG ;
    wsis:object sdg:9.c ; wsis:evidence wsis:Stated ; wsis:confidence wsis:HighConfidence ;
    wsis:confidenceScore 0.9 ; wsis:generalKnowledge false ; wsis:sourceRow id:row1 .
"""


def _validate(extra: str = "", remove: str = "") -> ShaclReport:
    kg = KnowledgeGraph.in_memory()
    kg.load_ontology()
    text = PREFIXES + VALID.replace(remove, "") + extra if remove else PREFIXES + VALID + extra
    triples = [
        ox.Triple(t.subject, t.predicate, t.object)
        for t in ox.parse(text.encode(), ox.RdfFormat.TURTLE)
    ]
    kg.replace_graph(kg.ids.graph("test"), triples, SourceInfo("test", "test.ttl", "0" * 64))
    return validate_shacl(kg)


def _messages(report: ShaclReport) -> list[str]:
    return [v.message for v in report.violations]


def test_the_small_valid_graph_conforms() -> None:
    report = _validate()
    assert report.conforms, [str(v) for v in report.violations]


# The whole built-in graph against the shapes: tests/test_cli.py, through `wsiskg validate`
# (the one run over the whole graph in the suite).


BREAKS = {
    "target of the wrong goal": (
        'sdg:1 a sdgo:Goal ; skos:notation "1" ; skos:prefLabel "Poverty"@en ; '
        "wsis:confidence wsis:HighConfidence ; prov:wasDerivedFrom id:row1 . "
        'sdg:1.1 a sdgo:Target ; skos:notation "1.1" ; skos:prefLabel "x"@en ; '
        'sdgo:isTargetOf sdg:9 ; wsis:targetKind "outcome" ; '
        "wsis:confidence wsis:HighConfidence ; prov:wasDerivedFrom id:row1 .",
        "target 1.1 is not numbered under its goal 9",
    ),
    "target with no goal": (
        'sdg:9.1 a sdgo:Target ; skos:notation "9.1" ; skos:prefLabel "x"@en ; '
        'wsis:targetKind "outcome" ; wsis:confidence wsis:HighConfidence ; '
        "prov:wasDerivedFrom id:row1 .",
        "a target belongs to exactly one goal",
    ),
    "plain link without its qualified node": (
        "id:C5 wsis:contributesToSDG sdg:9 .",
        "has no qualified wsis:Link node",
    ),
    "qualified link without its plain triple": (
        "id:link2 a wsis:Link ; wsis:subject id:C5 ; wsis:relation wsis:contributesToSDG ; "
        "wsis:object sdg:9 ; wsis:evidence wsis:Stated ; wsis:confidence wsis:HighConfidence ; "
        "wsis:confidenceScore 0.9 ; wsis:generalKnowledge false ; wsis:sourceRow id:row1 .",
        "has no plain triple",
    ),
    "inferred link that names no rule": (
        "id:C5 wsis:contributesToSDG sdg:9 . "
        "id:link3 a wsis:Link ; wsis:subject id:C5 ; wsis:relation wsis:contributesToSDG ; "
        "wsis:object sdg:9 ; wsis:evidence wsis:Inferred ; wsis:confidence wsis:LowConfidence ; "
        "wsis:confidenceScore 0.3 ; wsis:generalKnowledge false ; "
        "wsis:sourceClause id:clause1 .",
        "an inferred link must name the rule",
    ),
    "general-knowledge link that cites a source": (
        "id:C5 wsis:contributesToSDG sdg:9 . "
        "id:link4 a wsis:Link ; wsis:subject id:C5 ; wsis:relation wsis:contributesToSDG ; "
        "wsis:object sdg:9 ; wsis:evidence wsis:Stated ; wsis:confidence wsis:HighConfidence ; "
        "wsis:confidenceScore 0.9 ; wsis:generalKnowledge true ; wsis:sourceRow id:row1 ; "
        "dcterms:source <https://example.org/page> .",
        "a general-knowledge link must have low confidence and no source address",
    ),
    "link with no source at all": (
        "id:C5 wsis:contributesToSDG sdg:9 . "
        "id:link5 a wsis:Link ; wsis:subject id:C5 ; wsis:relation wsis:contributesToSDG ; "
        "wsis:object sdg:9 ; wsis:evidence wsis:Stated ; wsis:confidence wsis:HighConfidence ; "
        "wsis:confidenceScore 0.9 ; wsis:generalKnowledge false .",
        "a link names its source",
    ),
    "link to something that is not an Action Line": (
        "id:SG17 wsis:supportsActionLine sdg:9 . "
        "id:link6 a wsis:Link ; wsis:subject id:SG17 ; wsis:relation wsis:supportsActionLine ; "
        "wsis:object sdg:9 ; wsis:evidence wsis:Stated ; wsis:confidence wsis:HighConfidence ; "
        "wsis:confidenceScore 0.9 ; wsis:generalKnowledge false ; wsis:sourceRow id:row1 .",
        "Action Line links must point at an Action Line the graph has",
    ),
    "suggested link without its score, method and version": (
        "id:clause1 wsis:suggestedActionLine id:C5 . "
        "id:link7 a wsis:Link ; wsis:subject id:clause1 ; wsis:relation wsis:suggestedActionLine ; "
        "wsis:object id:C5 ; wsis:evidence wsis:Suggested ; wsis:confidence wsis:LowConfidence ; "
        "wsis:confidenceScore 0.65 ; wsis:generalKnowledge false ; "
        "wsis:rule wsis:TextSimilaritySuggestion .",
        "a suggested link relates by wsis:suggestedActionLine or wsis:suggestedSDG",
    ),
    "suggested link with a stated relation": (
        "id:clause1 wsis:supportsActionLine id:C5 . "
        "id:link8 a wsis:Link ; wsis:subject id:clause1 ; wsis:relation wsis:supportsActionLine ; "
        "wsis:object id:C5 ; wsis:evidence wsis:Suggested ; wsis:confidence wsis:LowConfidence ; "
        "wsis:confidenceScore 0.67 ; wsis:generalKnowledge false ; "
        "wsis:rule wsis:TextSimilaritySuggestion ; wsis:suggestionScore 0.032787 ; "
        'wsis:suggestionMethod "fusion" ; wsis:methodVersion "v" .',
        "a suggested link relates by wsis:suggestedActionLine or wsis:suggestedSDG",
    ),
    "suggested link with a similarity above 1": (
        "id:clause1 wsis:suggestedActionLine id:C5 . "
        "id:link10 a wsis:Link ; wsis:subject id:clause1 ; "
        "wsis:relation wsis:suggestedActionLine ; "
        "wsis:object id:C5 ; wsis:evidence wsis:Suggested ; wsis:confidence wsis:LowConfidence ; "
        "wsis:confidenceScore 0.65 ; wsis:generalKnowledge false ; "
        "wsis:rule wsis:TextSimilaritySuggestion ; wsis:suggestionScore 0.081967 ; "
        'wsis:semanticSimilarity 1.5 ; wsis:suggestionMethod "fusion" ; wsis:methodVersion "v" .',
        "a semantic similarity is a decimal cosine, from -1 to 1",
    ),
    "stated link with a suggested relation": (
        "id:clause1 wsis:suggestedSDG sdg:9 . "
        "id:link9 a wsis:Link ; wsis:subject id:clause1 ; wsis:relation wsis:suggestedSDG ; "
        "wsis:object sdg:9 ; wsis:evidence wsis:Stated ; wsis:confidence wsis:HighConfidence ; "
        "wsis:confidenceScore 0.9 ; wsis:generalKnowledge false ; wsis:sourceRow id:row1 .",
        "only a suggested link (evidence wsis:Suggested)",
    ),
    "confidence outside high/medium/low": (
        'id:C3 a wsis:ActionLine ; skos:notation "C3" ; skos:prefLabel "Access"@en ; '
        "skos:inScheme wsis:ActionLineScheme ; wsis:confidence wsis:Certain ; "
        "prov:wasDerivedFrom id:row1 .",
        "needs exactly one confidence",
    ),
    "Action Line code out of range": (
        'id:C12 a wsis:ActionLine ; skos:notation "C12" ; skos:prefLabel "No"@en ; '
        "skos:inScheme wsis:ActionLineScheme ; wsis:confidence wsis:HighConfidence ; "
        "prov:wasDerivedFrom id:row1 .",
        "an Action Line code is C1..C11",
    ),
    "sub-line whose broader line is not C7": (
        'id:C5x a wsis:ActionLine , wsis:ActionSubLine ; skos:notation "C7.e-x" ; '
        'skos:prefLabel "x"@en ; skos:inScheme wsis:ActionLineScheme ; '
        "wsis:confidence wsis:HighConfidence ; prov:wasDerivedFrom id:row1 ; skos:broader id:C5 .",
        "a sub-line has exactly one broader Action Line, C7",
    ),
    "resource with no source row": (
        'id:C4 a wsis:ActionLine ; skos:notation "C4" ; skos:prefLabel "Capacity"@en ; '
        "skos:inScheme wsis:ActionLineScheme ; wsis:confidence wsis:HighConfidence .",
        "must say which table row or clause it was read from",
    ),
    "study group without a study period": (
        'id:SG17 a wsis:StudyGroup ; skos:notation "SG17" ; dcterms:title "Security" ; '
        "wsis:confidence wsis:HighConfidence ; prov:wasDerivedFrom id:row1 .",
        "a study group belongs to exactly one study period",
    ),
    "publication with two docids and no Recommendation": (
        'id:p a wsis:Publication ; wsis:docId "ITU-T X.1 (01/2000)" , "ITU-T X.2 (01/2000)" ; '
        'dcterms:issued "2000-01-01"^^xsd:date ; prov:wasDerivedFrom id:row1 .',
        "a publication has one ITU-T docid",
    ),
}


@pytest.mark.parametrize("kind", list(BREAKS))
def test_each_kind_of_break_is_reported(kind: str) -> None:
    extra, expected = BREAKS[kind]
    report = _validate(extra)
    assert not report.conforms
    assert any(expected in m for m in _messages(report)), _messages(report)


def test_a_publication_must_belong_to_a_recommendation() -> None:
    report = _validate(
        'id:s a wsis:RecommendationSeries ; wsis:seriesLetter "X" . '
        'id:p a wsis:Publication ; wsis:docId "ITU-T X.1 (01/2000)" ; wsis:inSeries id:s ; '
        'dcterms:issued "2000-01-01"^^xsd:date ; prov:wasDerivedFrom id:row1 .'
    )
    assert (
        "a publication is an edition of, a change to, or a part of exactly one "
        "Recommendation" in _messages(report)
    )
