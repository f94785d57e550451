"""The named queries over a corpus: a fact repeated by many graphs counts once.

Each document describes the resolutions and the body it names (loaders/reference/
resolutions.py), so a thousand WTSA texts state a thousand times that WTSA's notation is
"WTSA", and Oxigraph's union default graph gives each repeat as a row of its own (it is not
the RDF merge the SPARQL specification describes). A named query that joins such facts
plainly multiplies the repeats (at a thousand documents `/resolutions/wtsa/75` ran past the
deadline: graph/queries/resolutions.rq says how it reads them now). Here: the answers over a
corpus equal the answers over the same facts stated once, in one graph.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from bench.textload_texts import synthetic_resolution
from graph import catalogue
from graph.builtin import BUILTIN_SOURCES
from graph.corpus import load_corpus
from graph.files import load_file
from graph.store import KnowledgeGraph

DOCUMENTS = 30


@pytest.fixture(scope="module")
def corpus_kg(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """The ontology, the resolution tables and 30 generated WTSA resolutions citing others."""
    folder = tmp_path_factory.mktemp("corpus")
    kg = KnowledgeGraph.in_memory()
    kg.load_ontology()
    for source in BUILTIN_SOURCES:
        if "resolutions" in source.name:
            load_file(kg, source.path)
    for n in range(DOCUMENTS):
        (folder / f"res-{n:03}.txt").write_text(synthetic_resolution(1, n), encoding="utf-8")
    load_corpus(kg, [folder])
    return kg


def _stated_once(kg: KnowledgeGraph) -> KnowledgeGraph:
    """The same triples, each once, in one named graph."""
    once = KnowledgeGraph.in_memory()
    graph = ox.NamedNode("https://example.org/all")
    triples = {(q.subject, q.predicate, q.object) for q in kg.store}  # type: ignore[union-attr]
    once.store.extend(ox.Quad(s, p, o, graph) for s, p, o in triples)  # type: ignore[union-attr]
    return once


def test_the_corpus_repeats_the_facts_the_queries_join(corpus_kg: KnowledgeGraph) -> None:
    """The premise: the body's notation is stated by every document adopted by it."""
    wtsa = corpus_kg.ids.body("WTSA")
    notation = ox.NamedNode("http://www.w3.org/2004/02/skos/core#notation")
    graphs = {q.graph_name for q in corpus_kg.store.quads_for_pattern(wtsa, notation, None)}
    assert len(graphs) > DOCUMENTS


@pytest.mark.parametrize(
    "values",
    [{"body": ["WTSA"], "number": ["75"]}, {"body": ["WTSA"]}, {}],
    ids=["wtsa-75", "wtsa", "all"],
)
def test_resolutions_count_each_fact_once(
    corpus_kg: KnowledgeGraph, values: dict[str, list[str]]
) -> None:
    repeated = catalogue.run(corpus_kg, "resolutions", values)
    once = catalogue.run(_stated_once(corpus_kg), "resolutions", values)
    assert repeated.rows == once.rows
    assert repeated.rows, "the corpus has resolutions of WTSA"
    if values.get("number"):
        # the versions the tables give WTSA Res. 75 (Johannesburg 2008 ... Geneva 2022)
        years = {row["year"] for row in repeated.rows}
        assert {2008, 2012, 2016, 2022} <= years
