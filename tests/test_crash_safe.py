"""Crash-safe loads (docs/reliability.md, section 7).

A load replaces one named graph, writes its PROV-O record and a new release and recomputes
the entailments in ONE SPARQL update, which Oxigraph applies in one RocksDB transaction
(graph/store.py). So a loader killed at any point leaves the graph as it was (the previous
version, or absent) or complete with its record, never half of it; and a reader sees the old
graph or the new one, never a mix.

* ``wsiskg load big.nt`` (6,000 triples) is killed with SIGKILL 20 times, at seeded random
  points of its measured duration (the shorter of two whole loads); after each kill the
  test opens the store afresh (the killed process is gone) and checks that the graph is
  exactly the previous version (or absent, for a graph never loaded) or exactly the new one,
  that its one provenance record names that version (sha256, triple count) and, if it
  committed, the current release (else the release is unchanged), and that the other
  graphs are untouched. The store is a fresh one with the ontology (each load takes a few
  seconds there; on a copy of the full store the entailment pass alone takes 5-15 s, which
  20 kills cannot afford; the readers below run over the full store).
* The bulk path (graph/bulk.py: ``bulk_load`` behind a checkpoint, for big RDF files; the
  threshold forced down to one byte): ``wsiskg load big.nt`` of 50,000 triples is killed
  6 times at seeded random points, with the same checks; opening the store afterwards
  finds the marker of an unfinished load and puts the checkpoint back.
  Six kills, not 20, one in each sixth of the time a replacement takes (checkpoint, drop
  of the old triples, bulk_load, rules, commit): every phase is undone the same way.
* Readers: while a real server reloads a document through ``POST /documents`` (force=true),
  from one version to the other, readers query the document's graph through ``/sparql``; and
  in-process, while a thread reloads a graph, readers query the store directly (no executor,
  no checkpoint: Oxigraph's snapshots). Every answer is exactly one version.
"""

from __future__ import annotations

import gc
import hashlib
import os
import random
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest

from graph.store import KnowledgeGraph
from loaders.rdf import LoadReport, LoadResult, SourceInfo
from loaders.tables import SEEDS, data_path
from ontology import sparql_prefixes
from ontology.ids import Ids
from tests import cli_child
from tests.conftest import ROOT, run_cli
from tests.servers import running_server

pytestmark = pytest.mark.slow

TRIPLES = 6_000
KILLS = 20
BULK_TRIPLES = 50_000
BULK_KILLS = 6
FRESH = 4  # of the kills, on a graph never loaded before (absent or complete)
RANDOM_SEED = 20_240_607
TOKEN = "crash-safe-token-0123456789abcdefghijklmnop"
VERSIONS = ("v1", "v2")


def _write_version(path: Path, version: str, triples: int = TRIPLES) -> str:
    """N-Triples of one version: a marker and ``triples - 1`` triples that name the version;
    returns its sha256."""
    lines = [f'<urn:big:marker> <urn:big:version> "{version}" .']
    lines += [
        f'<urn:big:s{i}> <urn:big:p{i % 7}> "value {i} of version {version}" .'
        for i in range(triples - 1)
    ]
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def _check(store: Path, *graphs: str) -> dict[str, Any]:
    """The state of ``graphs``, read by opening the store afresh in this process (the killed
    loader's process is gone; an unfinished bulk load is undone on opening), then closing it
    so that the next load can open it."""
    kg = KnowledgeGraph.open(store)
    try:
        out: dict[str, Any] = {"graphs": {}}
        for graph in graphs:
            counts = kg.select(
                "SELECT (COUNT(*) AS ?n) "
                "(SUM(IF(CONTAINS(STR(?o), 'of version v1'), 1, 0)) AS ?v1) "
                "(SUM(IF(CONTAINS(STR(?o), 'of version v2'), 1, 0)) AS ?v2) "
                f"WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            )[0]
            records = kg.select(
                sparql_prefixes() + "SELECT ?sha ?n ?release WHERE { GRAPH ?prov { "
                f"<{graph}> prov:wasGeneratedBy ?load . ?load wsis:sha256 ?sha ; "
                "wsis:tripleCount ?n ; prov:generated ?r . ?r wsis:releaseId ?release } }"
            )
            out["graphs"][graph] = {
                "n": int(counts["n"].value),
                "v1": int(counts["v1"].value),
                "v2": int(counts["v2"].value),
                "records": [
                    {"sha": r["sha"].value, "n": int(r["n"].value), "release": r["release"].value}
                    for r in records
                ],
            }
        sizes = kg.named_graphs()
        out["release"] = kg.current_release()
        out["ontology"] = sizes.get(kg.ontology_graph.value, 0)
        out["entailments"] = sizes.get(kg.entailment_graph.value, 0)
        return out
    finally:
        kg.close()
        del kg
        gc.collect()  # the store's lock goes with its last reference


def _version_of(
    graph: dict[str, Any], shas: dict[str, str], triples: int = TRIPLES
) -> tuple[str, str | None]:
    """Which version the graph holds, exactly, with its one load record ("absent" when it
    is not there at all, and has no record), and the release of that record; fails on
    anything else."""
    if graph["n"] == 0:
        assert graph["records"] == [], f"a load record without its graph: {graph}"
        return "absent", None
    for version in VERSIONS:
        other = "v2" if version == "v1" else "v1"
        if graph[version] == triples - 1:
            assert graph["n"] == triples, f"not exactly {version}: {graph}"
            assert graph[other] == 0, f"a mix of v1 and v2: {graph}"
            assert len(graph["records"]) == 1, f"not one load record: {graph}"
            record = graph["records"][0]
            assert record["sha"] == shas[version], f"the record names another file: {graph}"
            assert record["n"] == triples
            return version, record["release"]
    raise AssertionError(f"neither absent nor a complete version: {graph}")


def _load(
    store: Path, path: Path, delay: float | None, *options: str, bulk: bool = False
) -> tuple[float, bool]:
    """``wsiskg load [options] path`` (``bulk``: by the bulk path), killed with SIGKILL after
    ``delay`` seconds (None: let it finish); (seconds it ran, whether it was killed)."""
    env = {**os.environ, "WSISKG_STORE": str(store), "NO_COLOR": "1"}
    if bulk:
        env["WSISKG_BULK_LOAD_BYTES"] = "1"
    output = store.parent / "load.out"
    return cli_child.run_or_kill(["load", *options, str(path)], env, ROOT, output, delay)


def test_a_killed_load_leaves_the_previous_version_or_the_new_one(tmp_path: Path) -> None:
    ids = Ids()
    store = tmp_path / "store"
    tiny = tmp_path / "tiny.nt"
    tiny.write_text('<urn:tiny:s> <urn:tiny:p> "tiny" .\n', encoding="utf-8")
    run_cli("load", str(tiny), store=store, check=True)  # the ontology, and one small graph
    sources = {v: tmp_path / f"{v}.nt" for v in VERSIONS}
    shas = {v: _write_version(sources[v], v) for v in VERSIONS}
    big = tmp_path / "big.nt"
    graph = ids.graph("file-big.nt").value

    # how long a whole load takes, here and now: the shorter of two (a busy machine), then of
    # every load the kill missed (a machine busy while these two ran made delays too long)
    durations = []
    for version in ("v2", "v1"):
        shutil.copyfile(sources[version], big)
        durations.append(_load(store, big, None)[0])
    duration = min(durations)
    baseline = _check(store, graph)
    assert _version_of(baseline["graphs"][graph], shas) == ("v1", baseline["release"])

    rng = random.Random(RANDOM_SEED)
    current, release, outcomes = "v1", baseline["release"], []
    entailments = baseline["entailments"]
    for kill in range(KILLS):
        delay = rng.uniform(0.05, 1.1) * duration
        if kill < FRESH:  # a graph that was never loaded: absent or complete
            path, target, before = tmp_path / f"fresh-{kill}.nt", "v2", "absent"
            shutil.copyfile(sources["v2"], path)
            checked = ids.graph(f"file-{path.name}").value
        else:  # alternate the versions of big.nt: the previous one or the new one
            target = "v2" if current == "v1" else "v1"
            path, before, checked = big, current, graph
            shutil.copyfile(sources[target], path)
        ran, killed = _load(store, path, delay)
        state = _check(store, graph, checked)
        found, recorded = _version_of(state["graphs"][checked], shas)
        assert found in (before, target), f"kill {kill} after {ran:.2f} s: {found}"
        if found == target:  # committed: its record made the current release
            assert recorded == state["release"], "the new graph's record is not current"
        else:  # not committed: no release and no entailment of it either
            assert state["release"] == release, "a release without its load"
            assert state["entailments"] == entailments
        release, entailments = state["release"], state["entailments"]
        if checked != graph:  # and big.nt was left alone
            assert _version_of(state["graphs"][graph], shas)[0] == current
        else:
            current = found
        assert state["ontology"] == baseline["ontology"]
        outcomes.append((round(ran, 2), killed, "new" if found == target else "old"))
        if not killed:  # a whole load, here and now: the delays follow the machine's pace
            duration = min(duration, ran)
    print(f"loads {durations} s; kills (seconds, killed, outcome): {outcomes}")
    landed = [o for o in outcomes if o[1]]
    assert len(landed) >= KILLS // 2, f"too few kills landed during a load: {outcomes}"
    assert any(o[2] == "old" for o in landed), outcomes
    # and the store goes on: a whole load after all that
    shutil.copyfile(sources["v2" if current == "v1" else "v1"], big)
    _load(store, big, None)
    final = _check(store, graph)
    assert _version_of(final["graphs"][graph], shas) == (
        "v2" if current == "v1" else "v1",
        final["release"],
    )


def test_a_killed_bulk_load_leaves_the_previous_version_or_the_new_one(tmp_path: Path) -> None:
    ids = Ids()
    store = tmp_path / "store"
    tiny = tmp_path / "tiny.nt"
    tiny.write_text('<urn:tiny:s> <urn:tiny:p> "tiny" .\n', encoding="utf-8")
    run_cli("load", str(tiny), store=store, check=True)  # the ontology, and one small graph
    sources = {v: tmp_path / f"{v}.nt" for v in VERSIONS}
    shas = {v: _write_version(sources[v], v, BULK_TRIPLES) for v in VERSIONS}
    big = tmp_path / "big.nt"
    graph = ids.graph("file-big.nt").value
    durations = []
    for version in ("v2", "v1"):
        shutil.copyfile(sources[version], big)
        durations.append(_load(store, big, None, "--force", bulk=True)[0])
    # the kills hit replacements, as the second load was: a replacement drops the graph's
    # old triples first (Oxigraph deletes them one by one, a few times slower than
    # bulk_load adds them), so a measure taken on the first load (into nothing) would put
    # every kill in that drop, none in bulk_load, the rules or the commit
    duration = durations[1]
    baseline = _check(store, graph)
    assert _version_of(baseline["graphs"][graph], shas, BULK_TRIPLES) == ("v1", baseline["release"])
    marker = store.parent / f"{store.name}.bulk" / "marker.json"

    rng = random.Random(RANDOM_SEED)
    current, release, outcomes = "v1", baseline["release"], []
    entailments = baseline["entailments"]
    for kill in range(BULK_KILLS):
        target = "v2" if current == "v1" else "v1"
        shutil.copyfile(sources[target], big)
        # one kill in each sixth of 20 %-105 % of the measure: all over the load's phases
        fraction = 0.2 + 0.85 * (kill + rng.random()) / BULK_KILLS
        ran, killed = _load(store, big, fraction * duration, bulk=True)
        unfinished = marker.exists()  # killed between its checkpoint and its commit
        state = _check(store, graph)  # opens the store: an unfinished load is undone
        assert not marker.exists(), "the marker of an unfinished bulk load is still there"
        found, recorded = _version_of(state["graphs"][graph], shas, BULK_TRIPLES)
        assert found in (current, target), f"kill {kill} after {ran:.2f} s: {found}"
        if found == target:
            assert recorded == state["release"], "the new graph's record is not current"
        else:
            assert state["release"] == release, "a release without its load"
            assert state["entailments"] == entailments
        assert state["ontology"] == baseline["ontology"]
        release, entailments, current = state["release"], state["entailments"], found
        if unfinished:
            assert found == current, "an unfinished bulk load was not undone"
        outcomes.append((round(ran, 2), killed, "new" if found == target else "old", unfinished))
        if not killed:  # a whole replacement, here and now: the kills follow the machine's
            duration = min(duration, ran)  # pace (a busy moment made the measure 3.6x once)
    print(f"bulk loads {durations} s; kills (seconds, killed, outcome, unfinished): {outcomes}")
    landed = [o for o in outcomes if o[1]]
    assert len(landed) >= BULK_KILLS // 2, f"too few kills landed during a load: {outcomes}"
    assert any(o[3] for o in landed), f"no kill landed in a bulk write: {outcomes}"
    target = "v2" if current == "v1" else "v1"
    shutil.copyfile(sources[target], big)
    _load(store, big, None, bulk=True)
    final = _check(store, graph)
    assert _version_of(final["graphs"][graph], shas, BULK_TRIPLES) == (target, final["release"])


# ---------------------------------------------------------------------- readers


def _document_versions(folder: Path) -> dict[str, Path]:
    seed = data_path(SEEDS["seed-wtsa-res75-rus"]).read_text(encoding="utf-8")
    assert seed.count("This contribution contains") == 1
    versions = {}
    for version, marker in (("v1", "MARKER-ONE"), ("v2", "MARKER-TWO")):
        path = folder / version / "res75-crash.txt"  # one file name: one document, one graph
        path.parent.mkdir()
        path.write_text(
            seed.replace("This contribution contains", f"This contribution ({marker}) contains"),
            encoding="utf-8",
        )
        versions[version] = path
    return versions


def _reader_query(graph: str, n: int) -> str:
    # a different text each time (a comment): no answer comes from the response cache
    return (
        f"# read {n}\nSELECT (COUNT(*) AS ?n) "
        "(SUM(IF(CONTAINS(STR(?o), 'MARKER-ONE'), 1, 0)) AS ?one) "
        "(SUM(IF(CONTAINS(STR(?o), 'MARKER-TWO'), 1, 0)) AS ?two) "
        f"WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    )


def _read_http(base: str, graph: str, n: int) -> tuple[int, int, int]:
    response = httpx.get(f"{base}/sparql", params={"query": _reader_query(graph, n)}, timeout=60)
    assert response.status_code == 200, response.text
    row = response.json()["results"]["bindings"][0]
    return int(row["n"]["value"]), int(row["one"]["value"]), int(row["two"]["value"])


class _Readers:
    """Threads that read until stopped, noting each answer and whether a write was under
    way for all of it."""

    def __init__(
        self, read: Callable[[int], tuple[int, int, int]], pause: float, threads: int = 2
    ) -> None:
        self.read = read
        self.pause = pause
        self.writing = threading.Event()
        self.stop = threading.Event()
        self.answers: list[tuple[tuple[int, int, int], bool]] = []
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(threads)]

    def _run(self, number: int) -> None:
        n = number * 1_000_000
        while not self.stop.is_set():
            n += 1
            during = self.writing.is_set()
            try:
                answer = self.read(n)
            except BaseException as e:  # reported by the test thread
                self.errors.append(e)
                return
            self.answers.append((answer, during and self.writing.is_set()))
            time.sleep(self.pause)

    def __enter__(self) -> _Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)


def test_readers_see_the_old_document_or_the_new_one_through_the_server(
    store_copy: Path, tmp_path: Path
) -> None:
    versions = _document_versions(tmp_path)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with running_server(store_copy, {"WSISKG_WRITE_TOKEN": TOKEN}) as base:

        def upload(version: str) -> str:
            path = versions[version]
            response = httpx.post(
                f"{base}/documents",
                files={"file": (path.name, path.read_bytes(), "text/plain")},
                params={"force": "true"},
                headers=auth,
                timeout=300,
            )
            assert response.status_code == 201, response.text
            graph: str = response.json()["graph"]
            return graph

        graph = upload("v1")
        states = {"v1": _read_http(base, graph, 0)}
        # a write derives only its own graph's entailments (issue 15): an upload takes about
        # a second, so the document goes back and forth, and the readers hardly pause
        with _Readers(lambda n: _read_http(base, graph, n), pause=0.01) as readers:
            for version in ("v2", "v1") * 5 + ("v2",):
                readers.writing.set()
                upload(version)
                readers.writing.clear()
                states.setdefault(version, _read_http(base, graph, -1))
            time.sleep(1)  # and after it
        assert not readers.errors, readers.errors
    one, two = states["v1"], states["v2"]
    assert (one[1] > 0, one[2], two[1], two[2] > 0) == (True, 0, 0, True), states
    seen = {answer for answer, _ in readers.answers}
    during = sum(d for _, d in readers.answers)
    print(f"{len(readers.answers)} reads, {during} during an upload: {sorted(seen)}")
    assert seen <= {one, two}, f"a reader saw neither version: {seen - {one, two}}"
    assert sum(during for _, during in readers.answers) >= 10, "too few reads during uploads"
    assert seen == {one, two}, "the readers never saw one of the versions"


def test_readers_of_the_store_itself_see_one_version(tmp_path: Path) -> None:
    """No executor and no checkpoint: readers query the on-disk store while a thread
    replaces the graph (Oxigraph reads from a snapshot)."""
    triples = 5_000
    kg = KnowledgeGraph.open(tmp_path / "store")
    try:
        kg.load_ontology()
        graph = kg.ids.graph("file-readers.nt")

        def result(version: str) -> LoadResult:
            data = tmp_path / f"{version}.nt"
            sha = _write_version(data, version, triples)
            parsed = [q.triple for q in ox.parse(data.read_bytes(), ox.RdfFormat.N_TRIPLES)]
            return LoadResult(
                graph, parsed, LoadReport(data.name), SourceInfo("file-readers.nt", "r.nt", sha)
            )

        loads = {v: result(v) for v in VERSIONS}
        kg.load(loads["v1"])

        def read(n: int) -> tuple[int, int, int]:
            rows = kg.select(
                f"# {n}\nSELECT (COUNT(*) AS ?n) "
                "(SUM(IF(CONTAINS(STR(?o), 'of version v1'), 1, 0)) AS ?v1) "
                "(SUM(IF(CONTAINS(STR(?o), 'of version v2'), 1, 0)) AS ?v2) "
                f"WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
            )
            row = rows[0]
            return int(row["n"].value), int(row["v1"].value), int(row["v2"].value)

        with _Readers(read, pause=0.05) as readers:
            for number in range(4):
                readers.writing.set()
                kg.load(loads["v2" if number % 2 == 0 else "v1"], force=True)
                readers.writing.clear()
                time.sleep(0.05)
        assert not readers.errors, readers.errors
    finally:
        kg.close()
    valid = {(triples, triples - 1, 0), (triples, 0, triples - 1)}
    seen = {answer for answer, _ in readers.answers}
    during = sum(d for _, d in readers.answers)
    print(f"{len(readers.answers)} reads, {during} during a load: {sorted(seen)}")
    assert seen <= valid, f"a reader saw a mix: {seen - valid}"
    assert sum(during for _, during in readers.answers) >= 5, "too few reads during loads"


# ---------------------------------------------------------------------- corpus loads


def test_a_killed_corpus_load_keeps_whole_batches_in_order(tmp_path: Path) -> None:
    """``wsiskg load DIR --batch 5`` (30 documents, 6 batches) killed with SIGKILL at random
    points, again and again (6 times): the documents stored are always the first ones of the
    corpus in whole batches, each complete with its one record and its entailments; the rest
    absent. A last run loads the rest."""
    from bench.textload_texts import synthetic_resolution
    from graph.files import prepare

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    files = []
    for n in range(30):
        path = corpus / f"killed-{n:03d}.txt"
        path.write_text(synthetic_resolution(1, seed=900 + n), encoding="utf-8")
        files.append(path)
    ids = Ids()
    parsed = [prepare(p, ids)[0] for p in files]
    expected = {r.graph.value: len(r.triples) for r in parsed}
    order = list(expected)
    store = tmp_path / "store"
    run_cli("load", str(tmp_path / "none.nt"), store=store)  # creates the store; fails: no file
    tiny = tmp_path / "tiny.nt"
    tiny.write_text('<urn:tiny:s> <urn:tiny:p> "tiny" .\n', encoding="utf-8")
    run_cli("load", str(tiny), store=store, check=True)  # the ontology first

    def load(delay: float | None) -> tuple[float, bool]:
        return _load(store, corpus, delay, "--batch", "5")

    def stored() -> list[str]:
        kg = KnowledgeGraph.open(store)
        try:
            graphs = kg.named_graphs()
            loaded = [g for g in order if g in graphs]
            for graph in loaded:  # complete, with one record and its entailments
                assert graphs[graph] == expected[graph], graph
                rows = kg.select(
                    "SELECT ?l WHERE { GRAPH ?p { ?l "
                    f"<https://w3id.org/wsis-kg/ontology#namedGraph> <{graph}> }} }}"
                )
                assert len(rows) == 1, graph
                assert graphs.get(kg.ids.entailments_of(ox.NamedNode(graph)).value, 0) > 0
            for graph in order:
                if graph not in graphs:
                    assert kg.ids.entailments_of(ox.NamedNode(graph)).value not in graphs
            return loaded
        finally:
            kg.close()

    # how long a whole corpus load takes here, into a throw-away copy
    probe = tmp_path / "probe"
    shutil.copytree(store, probe)
    started = time.monotonic()
    run_cli("load", "--batch", "5", str(corpus), store=probe, check=True)
    duration = time.monotonic() - started

    rng = random.Random(RANDOM_SEED)
    outcomes = []
    base = tmp_path / "base"
    shutil.copytree(store, base)  # the ontology only: a finished corpus starts again from it
    for _ in range(6):
        before = stored()
        if len(before) == len(order):
            shutil.rmtree(store)
            shutil.copytree(base, store)
            before = []
        # between 25% and 80% of a whole load: past the command's start-up (a fixed part of
        # a load of 30 short documents), and a load goes on from the documents stored
        # before it, so the kills still fall all over the corpus, and few loads run to the
        # end unkilled
        ran, killed = load(rng.uniform(0.25, 0.8) * duration)
        after = stored()
        assert after == order[: len(after)], "not the first documents of the corpus"
        assert (len(after) - len(before)) % 5 == 0 or len(after) == len(order), after
        outcomes.append((round(ran, 2), killed, len(after)))
    print(f"whole load {duration:.1f} s; kills (seconds, killed, documents): {outcomes}")
    assert any(killed and 0 < n < len(order) for _, killed, n in outcomes), outcomes
    load(None)
    assert stored() == order
