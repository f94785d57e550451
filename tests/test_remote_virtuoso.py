"""Virtuoso open source 7.2 (Debian's `virtuoso-opensource`): what works and how it deviates,
pinned down (opt-in: ``WSISKG_TEST_VIRTUOSO=1``; docs/deploy.md, "Virtuoso").

Virtuoso cannot keep the store contract of tests/test_remote_contract.py: a load through the
service is refused whole (its SPARQL compiler takes neither an update of that size nor the
entailment rules' property paths with both ends open), and some named queries give other
answers than the standard's. This module checks exactly that: that a refused load writes
nothing, that data loaded by Virtuoso's own Graph Store Protocol is read through the same
KnowledgeGraph, which named queries agree with the embedded store, and that the ones that do
not are exactly those docs/deploy.md lists. If Virtuoso changes, this fails and the list is
updated.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest

from graph import catalogue
from graph.connect import remote_graph
from graph.store import KnowledgeGraph, StoreError
from tests import virtuoso
from tests.test_remote_contract import reference_data, rows_of

if not virtuoso.enabled():
    pytest.skip(virtuoso.summary(), allow_module_level=True)

# named query -> how Virtuoso 7.2.5 answers it differently (docs/deploy.md lists the same)
DEVIATIONS = {
    "action-lines": 'GROUP_CONCAT of no values is "" where Oxigraph leaves it unbound',
    "study-groups": 'GROUP_CONCAT of no values is "" where Oxigraph leaves it unbound',
    "supporting-work-citations": 'GROUP_CONCAT of no values is ""',
    "gaps-action-lines": "FILTER NOT EXISTS with a variable BOUND outside it: more rows",
    "gaps-sdg-targets": "FILTER NOT EXISTS with a variable BOUND outside it: more rows",
    "resolution-clauses": "nested OPTIONAL with a BIND: rows the standard does not give",
}


class Stores:
    def __init__(self, kg: KnowledgeGraph, reference: KnowledgeGraph, system: int) -> None:
        self.kg = kg
        self.reference = reference
        self.system = system  # quads of Virtuoso's own graphs in a new database


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stores]:
    reference = KnowledgeGraph.in_memory()
    reference.load_many(reference_data(reference))
    with virtuoso.server(tmp_path_factory.mktemp("virtuoso")) as endpoints:
        kg = remote_graph(endpoints, release_ttl=0)
        yield Stores(kg, reference, len(kg))
        kg.close()


def test_a_load_through_the_service_is_refused_whole_and_writes_nothing(stores: Stores) -> None:
    kg = stores.kg
    before = kg.named_graphs()
    with pytest.raises(StoreError, match=r"loading ontology, .* failed: .*Virtuoso"):
        kg.load_many(reference_data(kg))
    with pytest.raises(StoreError, match=r"loading ontology failed: .*transitive"):
        kg.load_ontology()  # small enough, but the entailment rules do not compile
    assert kg.named_graphs() == before
    assert kg.current_release() is None


@pytest.fixture(scope="module")
def loaded(stores: Stores) -> Stores:
    """The embedded reference's graphs (with its provenance and entailments), written by
    Virtuoso's Graph Store Protocol, one PUT per graph."""
    endpoints = stores.kg.store.endpoints  # type: ignore[attr-defined]
    root = endpoints.query.rsplit("/", 1)[0]
    auth = httpx.DigestAuth(virtuoso.USER, virtuoso.PASSWORD)
    with httpx.Client(auth=auth, timeout=300) as client:
        for graph in stores.reference.named_graphs():
            data = stores.reference.store.dump(
                format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)
            )
            response = client.put(
                f"{root}/sparql-graph-crud-auth",
                params={"graph-uri": graph},
                content=data,
                headers={"Content-Type": "application/n-triples"},
            )
            assert response.status_code in (200, 201, 204), response.text
    return stores


def test_data_loaded_by_virtuoso_is_read_through_the_same_graph_object(loaded: Stores) -> None:
    kg, reference = loaded.kg, loaded.reference
    assert kg.current_release() == reference.current_release()
    ours = {g: n for g, n in kg.named_graphs().items() if g.startswith(reference.ids.base)}
    assert ours == reference.named_graphs()
    # Virtuoso's own graphs (its schemas) are graphs of every database, and so of the union
    assert len(kg) == len(reference) + loaded.system


def test_the_named_queries_agree_but_for_the_listed_deviations(loaded: Stores) -> None:
    kg, reference = loaded.kg, loaded.reference
    differ: dict[str, str] = {}
    for name, query in catalogue.catalogue().items():
        try:
            same = rows_of(kg, name, query.example()) == rows_of(reference, name, query.example())
        except (StoreError, OSError) as e:
            differ[name] = f"error: {e}"
            continue
        if not same:
            differ[name] = DEVIATIONS.get(name, "not listed")
    assert set(differ) == set(DEVIATIONS), differ
    # the headline question is among those that agree
    assert "supporting-work" not in differ
