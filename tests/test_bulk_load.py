"""The bulk path of a load (graph/bulk.py): an RDF file of ``bulk_bytes`` or more goes into
the embedded store through Oxigraph's ``bulk_load`` behind a checkpoint.

* It stores exactly what the transactional path stores for the same file: the data graph,
  its entailment graph, the store-wide roll-ups, one provenance record (checksum, triple
  count) and a release, for a first load and for a reload over the graph (the threshold is
  forced down to one byte here).
* A file that fails the checks deep inside (an IRI with a bidi control, a syntax error)
  fails with the file and the line, and leaves the store exactly as it was, quad for quad.
* A bulk load that did not finish (its marker still there) is undone by the next open,
  which puts the checkpoint back; a recovery killed half-way is completed by the next one.

SIGKILLs during bulk loads: tests/test_crash_safe.py.
"""

from __future__ import annotations

import gc
import io
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.generate import generate
from graph import bulk as bulk_module
from graph.bulk import Phases
from graph.bulk_guard import BulkGuard, guard_dir, recover
from graph.errors import StoreInUseError
from graph.files import load_file
from graph.store import KnowledgeGraph
from loaders.errors import LoadError
from ontology import sparql_prefixes

WSIS_NS = "https://w3id.org/wsis-kg/ontology#"
NON_NFC = "Cafe\u0301 (decomposed)"  # NFC: "Café (decomposed)"


def _domain_file(path: Path, extra: str = "", seed: int = 1) -> None:
    """A domain-shaped N-Triples file (bench/generate.py: C7 sub-lines, qualified links,
    classes and inverse properties, so every rule derives something), each triple once, plus
    ``extra`` lines and a literal not in NFC."""
    out = io.StringIO()
    generate(10_000, out, seed)
    lines = list(dict.fromkeys(out.getvalue().splitlines()))
    lines.append(f'<urn:bulk:s> <http://www.w3.org/2000/01/rdf-schema#label> "{NON_NFC}" .')
    lines.append('<urn:bulk:s> <http://www.w3.org/2000/01/rdf-schema#comment> "Genève" .')
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")


def _fresh(path: Path) -> KnowledgeGraph:
    kg = KnowledgeGraph.open(path)
    kg.load_ontology()
    return kg


def _without_blank_nodes(kg: KnowledgeGraph, graph: ox.NamedNode) -> set[ox.Quad]:
    # the ontology's blank nodes (OWL lists) are new ones in each store; the data has none
    return {
        q
        for q in kg.store.quads_for_pattern(None, None, None, graph)
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }


def _records(kg: KnowledgeGraph, graph: ox.NamedNode) -> list[tuple[str, int, str]]:
    rows = kg.select(
        sparql_prefixes() + "SELECT ?g ?sha ?n ?release WHERE { GRAPH ?p { ?g prov:wasGeneratedBy "
        "?load . ?load wsis:sha256 ?sha ; wsis:tripleCount ?n ; prov:generated ?r . "
        "?r wsis:releaseId ?release } }",
        {"g": graph},
    )
    return [(r["sha"].value, int(r["n"].value), r["release"].value) for r in rows]


def _all_quads(kg: KnowledgeGraph) -> list[str]:
    return sorted(str(q) for q in kg.store)


def test_the_bulk_path_stores_what_the_transactional_path_stores(tmp_path: Path) -> None:
    source = tmp_path / "domain.nt"
    stores = {"tx": _fresh(tmp_path / "tx"), "bulk": _fresh(tmp_path / "bulk")}
    thresholds = {"tx": 0, "bulk": 1}
    try:
        for seed in (1, 2):  # a first load, then a reload over the graph
            _domain_file(source, seed=seed)
            loaded = {
                name: load_file(kg, source, bulk_bytes=thresholds[name])
                for name, kg in stores.items()
            }
            graph = ox.NamedNode(loaded["tx"].records[0].graph)
            tx, bulk = stores["tx"], stores["bulk"]
            assert not guard_dir(tmp_path / "tx").exists()  # the transactional path
            assert not (guard_dir(tmp_path / "bulk") / "marker.json").exists()
            assert not (guard_dir(tmp_path / "bulk") / "checkpoint").exists()
            for part in (graph, tx.ids.entailments_of(graph), tx.entailment_graph):
                assert _without_blank_nodes(bulk, part) == _without_blank_nodes(tx, part), part
            data = _without_blank_nodes(bulk, graph)
            labels = {q.object.value for q in data if isinstance(q.object, ox.Literal)}
            assert "Café (decomposed)" in labels
            assert NON_NFC not in labels
            assert tx.graph_size(tx.ids.entailments_of(graph)) > 100
            assert tx.graph_size(tx.entailment_graph) > 0  # the roll-ups
            records = {name: _records(kg, graph) for name, kg in stores.items()}
            for name, kg in stores.items():
                (record,) = records[name]
                assert record[2] == kg.current_release() == loaded[name].records[0].release
            assert [r[:2] for r in records["bulk"]] == [r[:2] for r in records["tx"]]
            assert loaded["bulk"].records[0].triples == loaded["tx"].records[0].triples
            assert loaded["bulk"].records[0].entailments == loaded["tx"].records[0].entailments
        # unchanged: skipped by both paths
        assert load_file(stores["bulk"], source, bulk_bytes=1).records[0].release is None
    finally:
        for kg in stores.values():
            kg.close()


DCT = "http://purl.org/dc/terms/"
# lines where the rules' edge cases meet: an inverse the file states itself, a super-property
# of a literal not in NFC (the range says otherwise; the rules do not read ranges), a type
# whose super-class the file states too, an inverse of a literal (none: the rule wants IRIs)
EDGES = f"""<urn:bulk:part> <{DCT}isPartOf> <urn:bulk:whole> .
<urn:bulk:whole> <{DCT}hasPart> <urn:bulk:part> .
<urn:bulk:r> <{WSIS_NS}adoptedBy> "{NON_NFC}" .
<urn:bulk:sub> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{WSIS_NS}ActionSubLine> .
<urn:bulk:sub> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{WSIS_NS}ActionLine> .
<urn:bulk:lit> <{DCT}isPartOf> "not an IRI" .
"""


@pytest.mark.parametrize(
    ("extra", "derived", "beside"),
    [
        (EDGES, True, True),
        (EDGES, True, False),
        (EDGES + f"_:b1 <{DCT}isPartOf> <urn:bulk:whole> .\n", False, True),
    ],
    ids=["derived-written-beside-the-load", "derived-written-after-it", "blank-node-so-sparql"],
)
def test_the_rules_derived_beside_the_load_are_the_rules_of_the_transactional_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str, derived: bool, beside: bool
) -> None:
    """The source rules are derived from the file while ``bulk_load`` runs (no compaction,
    no SPARQL after it) and written beside it, or after it for a big file; unless a triple
    they read holds a blank node (which ``bulk_load`` renames): then they run as SPARQL.
    Every way the graph's entailments are the transactional path's, edge cases included."""
    if not beside:
        monkeypatch.setattr(bulk_module, "WRITE_BESIDE_BYTES", 0)
    source = tmp_path / "domain.nt"
    _domain_file(source, extra)
    stores = {"tx": _fresh(tmp_path / "tx"), "bulk": _fresh(tmp_path / "bulk")}
    try:
        phases = Phases()
        loaded = {
            "tx": load_file(stores["tx"], source, bulk_bytes=0),
            "bulk": load_file(stores["bulk"], source, bulk_bytes=1, phases=phases),
        }
        assert ("optimize" in phases.seconds) is not derived, phases.seconds
        graph = ox.NamedNode(loaded["tx"].records[0].graph)
        tx, bulk = stores["tx"], stores["bulk"]
        entailed = tx.ids.entailments_of(graph)
        for part in (graph, entailed, tx.entailment_graph):
            assert _without_blank_nodes(bulk, part) == _without_blank_nodes(tx, part), part
        assert loaded["bulk"].records[0].entailments == loaded["tx"].records[0].entailments
        found = _without_blank_nodes(bulk, entailed)
        nn = ox.NamedNode
        creator = ox.Quad(nn("urn:bulk:r"), nn(f"{DCT}creator"), ox.Literal("Café (decomposed)"))
        assert ox.Quad(creator.subject, creator.predicate, creator.object, entailed) in found
        triples = {(q.subject, q.predicate, q.object) for q in found}
        assert (nn("urn:bulk:whole"), nn(f"{DCT}hasPart"), nn("urn:bulk:part")) not in triples
        assert not any(
            q.subject == nn("urn:bulk:lit") or q.object == nn("urn:bulk:lit")
            for q in found
            if q.predicate == nn(f"{DCT}hasPart")
        )
    finally:
        for kg in stores.values():
            kg.close()


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ("<urn:bad:\u202eevil> <urn:p> <urn:o> .", "U+202E"),
        ('<urn:s> <urn:p> "a \\u0001 control" .', "U+0001"),
        ("<urn:s> <urn:p> <urn:o> <urn:extra> .", "not valid N-Triples"),
    ],
    ids=["bidi-iri", "control-in-literal", "syntax"],
)
def test_a_bad_line_deep_in_the_file_fails_and_leaves_the_store_as_it_was(
    tmp_path: Path, bad: str, problem: str
) -> None:
    store = tmp_path / "store"
    kg = _fresh(store)
    try:
        good = tmp_path / "big.nt"
        _domain_file(good)
        load_file(kg, good, bulk_bytes=1)
        before = _all_quads(kg)
        lines = [f'<urn:deep:s{i}> <urn:deep:p> "value {i}" .' for i in range(40_000)]
        lines.insert(30_000, bad)
        good.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(LoadError) as raised:
            load_file(kg, good, bulk_bytes=1)
        message = str(raised.value)
        del raised  # its traceback refers to the store
        assert message.startswith("big.nt"), message
        assert "line 30001" in message, message
        assert problem in message, message
        assert _all_quads(kg) == before  # in this process, and in the next one
        assert not (guard_dir(store) / "marker.json").exists()
        lines.pop(30_000)  # and the store, opened again in this process, takes the file
        good.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert load_file(kg, good, bulk_bytes=1).records[0].triples == 40_000
        before = _all_quads(kg)
    finally:
        kg.close()
    del kg  # the store closes with its last reference (as at the end of a process)
    gc.collect()
    again = KnowledgeGraph.open(store)
    try:
        assert _all_quads(again) == before
    finally:
        again.close()


def test_an_unfinished_bulk_load_is_undone_when_the_store_is_opened(tmp_path: Path) -> None:
    store = tmp_path / "store"
    kg = _fresh(store)
    before = _all_quads(kg)
    guard = BulkGuard(store)
    assert isinstance(kg.store, ox.Store)
    guard.begin(kg.store, {"graph": "urn:test", "file": "x.nt"})
    kg.store.update("INSERT DATA { GRAPH <urn:half> { <urn:a> <urn:b> <urn:c> } }")
    kg.close()
    del kg
    assert json.loads(guard.marker.read_text())["graph"] == "urn:test"
    # a recovery killed after its first rename: the next one completes it
    store.rename(guard.failed)
    reopened = KnowledgeGraph.open(store)
    try:
        assert _all_quads(reopened) == before
        assert not guard.marker.exists()
        assert not guard.checkpoint.exists()
        assert not guard.failed.exists()
    finally:
        reopened.close()


def test_a_bulk_load_under_way_keeps_other_processes_from_recovering(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _fresh(store).close()
    guard = BulkGuard(store)
    guard.directory.mkdir()
    guard.marker.write_text("{}")
    shutil.copytree(store, guard.checkpoint)
    # as a loading process holds it: a second lock is refused
    with guard.locked():
        with pytest.raises(StoreInUseError, match="bulk-loaded"):
            recover(store)
        assert guard.marker.exists()
    KnowledgeGraph.open(store).close()  # the loader is gone: recovered
    assert not guard.marker.exists()


def test_a_turtle_file_takes_the_bulk_path_with_the_same_checks(tmp_path: Path) -> None:
    """Turtle with a suspect byte is parsed whole in the checks (loaders/rdf_scan.py): the
    same graph as the transactional path, and a bad IRI named with its line."""
    nt = tmp_path / "domain.nt"
    _domain_file(nt)
    triples = [q.triple for q in ox.parse(path=nt, format=ox.RdfFormat.N_TRIPLES)]
    turtle = tmp_path / "domain.ttl"
    turtle.write_bytes(
        ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={"wsis": WSIS_NS}) or b""
    )
    stores = {"tx": _fresh(tmp_path / "tx"), "bulk": _fresh(tmp_path / "bulk")}
    try:
        graph = ox.NamedNode(load_file(stores["tx"], turtle, bulk_bytes=0).records[0].graph)
        record = load_file(stores["bulk"], turtle, bulk_bytes=1).records[0]
        assert record.release is not None
        for part in (graph, stores["tx"].ids.entailments_of(graph)):
            tx, bulk = (_without_blank_nodes(kg, part) for kg in stores.values())
            assert bulk == tx, part
        before = _all_quads(stores["bulk"])
        text = turtle.read_text(encoding="utf-8").splitlines()
        text.append("<urn:bad:a\u200bb> <urn:p> <urn:o> .")
        turtle.write_text("\n".join(text) + "\n", encoding="utf-8")
        with pytest.raises(LoadError, match=f"domain.ttl, line {len(text)}: the IRI"):
            load_file(stores["bulk"], turtle, bulk_bytes=1)
        assert _all_quads(stores["bulk"]) == before
    finally:
        for kg in stores.values():
            kg.close()
