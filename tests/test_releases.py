"""The last releases kept as checkpoints, and the rollback to one of them (issue 15, "Undo";
graph/history.py, graph/rollback.py; `wsiskg releases` / `wsiskg rollback`; ``GET /releases``,
``POST /releases/{release}/rollback``).

Real stores on disk: each committed write keeps a checkpoint of exactly its release and the
newest N are kept; a rollback puts back exactly the checkpoint's data graphs (canonical
N-Quads, the provenance aside) while the provenance keeps everything plus a record of the
rollback as a new release; an unknown release and a store that keeps none are one clear
error. Over a real server with the built-in data but the Recommendations table: a ``DROP ALL``
through ``/sparql`` with the token, then a rollback through HTTP, restores every named graph.
A rollback killed with SIGKILL leaves the store as it was or completely rolled back.
"""

from __future__ import annotations

import hashlib
import os
import random
import secrets
import subprocess
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from graph.backup import canonical_nquads
from graph.connect import graph_from_settings, remote_graph
from graph.endpoints import Endpoints
from graph.history import NoHistoryError, ReleaseHistory, UnknownReleaseError
from graph.provenance import loader_version
from graph.rollback import rollback
from graph.settings import Settings
from graph.store import KnowledgeGraph
from loaders.rdf import SourceInfo
from ontology import PROV, RDF, WSIS
from tests import cli_child
from tests.conftest import ROOT, load_builtin_but_recommendations, run_cli
from tests.servers import running_server

TOKEN = secrets.token_urlsafe(32)
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PROVENANCE = "https://w3id.org/wsis-kg/id/graph/provenance"


def _open(path: Path, keep: int = 10) -> KnowledgeGraph:
    kg = KnowledgeGraph.open(path)
    kg.history = ReleaseHistory(path, keep, kg.provenance_graph)
    return kg


def _data(store: ox.Store) -> list[bytes]:
    """The canonical N-Quads of the store but its provenance graph."""
    return [line for line in canonical_nquads(store) if f"<{PROVENANCE}>".encode() not in line]


def _provenance(store: ox.Store) -> set[ox.Quad]:
    return set(store.quads_for_pattern(None, None, None, ox.NamedNode(PROVENANCE)))


def _triples(text: str) -> list[ox.Triple]:
    return [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(text.encode(), ox.RdfFormat.N_TRIPLES)
    ]


def _graph(kg: KnowledgeGraph, name: str, text: str) -> str | None:
    """Load ``text`` (N-Triples) into the graph ``name``; the release."""
    source = SourceInfo(name, f"{name}.nt", hashlib_hex(text))
    return kg.replace_graph(kg.ids.graph(name), _triples(text), source).release


def hashlib_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _release_of(checkpoint: Path) -> str | None:
    store = ox.Store.read_only(str(checkpoint))
    try:
        result = store.query(
            f"SELECT (MAX(?id) AS ?r) WHERE {{ GRAPH <{PROVENANCE}> "
            f"{{ ?rel a {WSIS.Release} ; {WSIS.releaseId} ?id }} }}"
        )
        assert isinstance(result, ox.QuerySolutions)
        value = next(iter(result))["r"]
        return value.value if value is not None else None
    finally:
        del store


# ---------------------------------------------------------------------- in process


def test_each_write_keeps_its_release_and_the_newest_n_are_kept(tmp_path: Path) -> None:
    kg = _open(tmp_path / "store", keep=3)
    made, sizes = [], {}
    made.append(kg.load_ontology().release)
    sizes[made[-1]] = len(kg)
    made.append(_graph(kg, "a", "<urn:a> <urn:p> 'one' .".replace("'", '"')))
    sizes[made[-1]] = len(kg)
    for n in range(2):
        made.append(kg.update(f'INSERT DATA {{ GRAPH <urn:g> {{ <urn:s> <urn:p> "{n}" }} }}'))
        sizes[made[-1]] = len(kg)
    history = kg.history
    assert history is not None
    newest = list(reversed(made))[:3]
    assert history.releases() == newest  # newest first, the oldest pruned
    for release in newest:  # each holds exactly its release
        assert _release_of(history.directory / release) == release
    listed = history.list()
    assert [r.release for r in listed] == newest
    assert [r.kind for r in listed] == ["update", "update", "load"]
    assert listed[0].made_by == f"SPARQL update {newest[0]}"
    assert listed[2].activities == [f"load of a.nt into {kg.ids.graph('a').value}"]
    assert [r.quads for r in listed] == [sizes[r] for r in newest]
    assert all(r.created for r in listed)
    assert not [p for p in history.directory.iterdir() if p.name.startswith(".")]
    kg.close()


def test_a_rollback_puts_the_data_back_and_keeps_the_provenance(tmp_path: Path) -> None:
    kg = _open(tmp_path / "store")
    assert isinstance(kg.store, ox.Store)
    kg.load_ontology()
    v1, v2 = '<urn:a> <urn:p> "v1" .', '<urn:a> <urn:p> "v2" .'
    _graph(kg, "a", v1)
    target = kg.update(
        'INSERT DATA { <urn:d> <urn:p> "in the default graph" . '
        'GRAPH <urn:b> { <urn:b> <urn:p> _:x . _:x <urn:p> "blank" } }'
    )
    assert target is not None
    data, provenance = _data(kg.store), _provenance(kg.store)
    _graph(kg, "a", v2)
    dropped = kg.update("DROP ALL")
    assert dropped is not None
    assert _data(kg.store) != data
    before_rollback = _provenance(kg.store)

    done = rollback(kg, target)
    assert _data(kg.store) == data  # every data graph as it was, blank nodes included
    assert done.release > dropped
    assert kg.current_release() == done.release
    assert done.target == target
    assert done.quads > 0
    assert "" in done.graphs
    assert "urn:b" in done.graphs
    # the provenance keeps every record; only the "which load made this graph" links move back
    links = {PROV.wasGeneratedBy, PROV.generated}
    now = _provenance(kg.store)
    kept = {q for q in before_rollback if q.predicate not in links}
    assert kept <= now
    assert {q for q in provenance if q.predicate not in links} <= now
    activity = ox.NamedNode(f"{kg.ids.base}rollback/{done.release}")
    record = ox.NamedNode(PROVENANCE)
    assert ox.Quad(activity, RDF.type, WSIS.Rollback, record) in now
    assert ox.Quad(activity, PROV.used, kg.ids.release(target), record) in now
    assert ox.Quad(activity, PROV.generated, kg.ids.release(done.release), record) in now
    # graph a holds v1 again, and its load link says so: loading v1 again changes nothing
    assert kg.graph_source(kg.ids.graph("a")) == (hashlib_hex(v1), loader_version())
    assert _graph(kg, "a", v1) is None
    assert _graph(kg, "a", v2) is not None
    # the rollback is kept as a release too, the newest
    history = kg.history
    assert history is not None
    assert history.releases()[0] == kg.current_release()
    listed = {r.release: r for r in history.list()}
    assert listed[done.release].kind == "rollback"
    assert listed[done.release].made_by == f"rollback to release {target}"
    # and undoing the rollback is a rollback too
    rollback(kg, dropped)
    assert _data(kg.store) == [
        line
        for line in canonical_nquads(ox.Store.read_only(str(history.directory / dropped)))
        if f"<{PROVENANCE}>".encode() not in line
    ]
    kg.close()


def test_an_unknown_release_or_a_store_without_checkpoints_is_a_clear_error(
    tmp_path: Path,
) -> None:
    kg = _open(tmp_path / "store")
    kg.load_ontology()
    with pytest.raises(UnknownReleaseError, match="no checkpoint of release 'nope' is kept"):
        rollback(kg, "nope")
    kg.close()
    with pytest.raises(NoHistoryError, match="in-memory"):
        rollback(KnowledgeGraph.in_memory(), "nope")
    remote = remote_graph(Endpoints("http://127.0.0.1:9/query", "http://127.0.0.1:9/update"))
    with pytest.raises(NoHistoryError, match=r"SPARQL server .* keeps no checkpoints"):
        rollback(remote, "nope")
    none = graph_from_settings(Settings(store=tmp_path / "other", keep_releases=0))
    assert none.history is None
    with pytest.raises(NoHistoryError, match="WSISKG_KEEP_RELEASES=0"):
        rollback(none, "nope")
    none.close()


# ---------------------------------------------------------------------- the built-in store


def test_a_checkpoint_of_the_built_in_store_is_cheap(store_copy: Path) -> None:
    kg = _open(store_copy)
    assert isinstance(kg.store, ox.Store)
    assert kg.history is not None
    release = kg.current_release()
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        kg.history.record(kg.store, release)
        timings.append(time.perf_counter() - started)
    print(f"checkpoint of {len(kg)} quads: {[round(t * 1000) for t in timings]} ms")
    assert min(timings) < 0.5
    assert kg.history.releases() == [release]
    kg.close()


def test_drop_all_through_sparql_then_a_rollback_over_http(tmp_path: Path) -> None:
    """On the built-in data but the Recommendations table (tests/conftest.py), served as it
    is (``--no-builtin``, else the server would load the table first): the rollback
    re-inserts every named graph of a dozen sources, with blank nodes, entailments and the
    search index, in seconds; the whole built-in store (444k quads) takes 22-44 s for the
    same steps, all of them checked here (its checkpoint is measured above)."""
    store = tmp_path / "store"
    kg = load_builtin_but_recommendations(KnowledgeGraph.open(store))
    kg.close()
    del kg
    original = ox.Store.read_only(str(store))
    data = _data(original)
    del original
    env = {"WSISKG_WRITE_TOKEN": TOKEN, "WSISKG_KEEP_RELEASES": "3"}
    with (
        running_server(store, env, args=["--no-builtin"]) as base,
        httpx.Client(base_url=base, timeout=600) as http,
    ):
        graphs = http.get("/graphs").json()["graphs"]
        search = {"q": "moderator facilitator"}
        hits = [h["iri"] for h in http.get("/search", params=search).json()["hits"]]
        assert hits
        kept = http.get("/releases").json()
        first = kept["current"]
        assert [r["release"] for r in kept["releases"]] == [first]  # kept when it started
        assert kept["releases"][0]["kind"] == "load"
        assert kept["keep"] == 3

        dropped = http.post("/sparql", data={"update": "DROP ALL"}, headers=AUTH)
        assert dropped.status_code == 200, dropped.text
        after = http.get("/graphs").json()["graphs"]
        assert set(after) == {PROVENANCE}
        assert http.get("/search", params=search).json()["hits"] == []
        listed = http.get("/releases").json()["releases"]
        assert [r["release"] for r in listed] == [dropped.json()["release"], first]
        assert listed[0]["kind"] == "update"
        assert listed[0]["quads"] == after[PROVENANCE]

        url = f"/releases/{first}/rollback"
        assert http.post(url).status_code == 401
        assert http.post(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
        unknown = http.post("/releases/20990101T000000000000Z-00000000/rollback", headers=AUTH)
        assert unknown.status_code == 404
        assert "no checkpoint" in unknown.json()["error"]
        started = time.monotonic()
        done = http.post(url, headers=AUTH)
        seconds = time.monotonic() - started
        assert done.status_code == 200, done.text
        print(f"rollback of DROP ALL over HTTP: {seconds:.1f} s ({done.json()})")
        release = done.json()["release"]
        assert done.json()["rolled_back_to"] == first
        assert http.get("/health").json()["release"] == release
        restored = http.get("/graphs").json()["graphs"]
        assert {g: n for g, n in restored.items() if g != PROVENANCE} == {
            g: n for g, n in graphs.items() if g != PROVENANCE
        }
        # the search index followed the rollback (the commit hook)
        assert [h["iri"] for h in http.get("/search", params=search).json()["hits"]] == hits
        listed = http.get("/releases").json()["releases"]
        assert [(r["release"], r["kind"]) for r in listed] == [
            (release, "rollback"),
            (dropped.json()["release"], "update"),
            (first, "load"),
        ]
        asked = http.get(
            "/sparql",
            params={
                "query": f"ASK {{ GRAPH <{PROVENANCE}> {{ ?a a wsis:Rollback ; prov:used ?r ; "
                f'prov:generated ?new . ?r wsis:releaseId "{first}" . '
                f'?new wsis:releaseId "{release}" }} }}'
            },
            headers={"Accept": "application/sparql-results+json"},
        )
        assert asked.json()["boolean"] is True
    rolled = ox.Store.read_only(str(store))
    assert _data(rolled) == data  # every named graph's triples, exactly
    del rolled


def test_a_read_only_service_lists_its_releases_and_refuses_a_rollback(
    store_copy: Path,
) -> None:
    with running_server(store_copy) as base, httpx.Client(base_url=base, timeout=60) as http:
        kept = http.get("/releases").json()
        assert kept["releases"]
        assert kept["releases"][0]["release"] == kept["current"]
        assert kept["releases"][0]["quads"] == http.get("/health").json()["quads"]
        refused = http.post(f"/releases/{kept['current']}/rollback", headers=AUTH)
        assert refused.status_code == 403
        assert "read-only" in refused.json()["error"]


# ---------------------------------------------------------------------- the command line


def test_the_commands_list_and_roll_back(tmp_path: Path) -> None:
    store = tmp_path / "store"
    one, two = tmp_path / "one.nt", tmp_path / "two.nt"
    one.write_text('<urn:x> <urn:p> "one" .\n', encoding="utf-8")
    two.write_text('<urn:x> <urn:p> "two" .\n', encoding="utf-8")
    run_cli("load", str(one), store=store, check=True)  # the ontology, then one.nt
    listed = run_cli("releases", store=store, check=True).stdout
    first = listed.split("│")[1].strip() if "│" in listed else ""  # the newest: one.nt's
    assert "load: load of one.nt" in listed
    assert "2 kept" in listed
    run_cli("load", str(two), store=store, check=True)
    assert "3 kept" in run_cli("releases", store=store, check=True).stdout
    done = run_cli("rollback", first, store=store, check=True)
    assert f"rolled back to release {first}: new release" in done.stdout
    listed = run_cli("releases", store=store, check=True).stdout
    assert f"rollback: rollback to release {first}" in listed
    assert "4 kept" in listed
    answer = run_cli(
        "query", "SELECT ?o WHERE { <urn:x> <urn:p> ?o }", "--format", "csv", store=store
    )
    assert answer.stdout.split() == ["o", "one"]

    unknown = run_cli("rollback", "nope", store=store)
    assert unknown.returncode == 1
    assert unknown.stderr.strip().startswith("error: no checkpoint of release 'nope'")
    assert len(unknown.stderr.strip().splitlines()) == 1
    for command in (["releases"], ["rollback", first]):
        remote = run_cli(*command, store=store, env={"WSISKG_STORE_URL": "http://127.0.0.1:9"})
        assert remote.returncode == 1
        line = remote.stderr.strip()
        assert len(line.splitlines()) == 1
        assert "SPARQL server" in line
        assert "keeps no checkpoints" in line


# ---------------------------------------------------------------------- crash safety


@pytest.mark.slow
def test_a_killed_rollback_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store = tmp_path / "store"
    big = tmp_path / "big.nt"
    big.write_text(
        "".join(f'<urn:big:s{i}> <urn:big:p{i % 7}> "value {i}" .\n' for i in range(30_000)),
        encoding="utf-8",
    )
    run_cli("load", str(big), store=store, check=True)
    kg = graph_from_settings(Settings(store=store))
    target = kg.current_release()
    assert target is not None
    assert isinstance(kg.store, ox.Store)
    full = _data(kg.store)
    kg.update("DROP ALL")
    dropped = _data(kg.store)
    kg.close()
    del kg

    def state() -> tuple[list[bytes], int]:
        opened = ox.Store(str(store))
        try:
            rollbacks = opened.query(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{PROVENANCE}> "
                f"{{ ?a a {WSIS.Rollback} }} }}"
            )
            assert isinstance(rollbacks, ox.QuerySolutions)
            n = next(iter(rollbacks))["n"]
            return _data(opened), int(n.value) if n is not None else 0
        finally:
            del opened

    # how long a whole rollback takes here, on a copy
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-a", str(store), str(copy)], check=True)
    subprocess.run(["cp", "-a", f"{store}.releases", f"{copy}.releases"], check=True)
    started = time.monotonic()
    run_cli("rollback", target, store=copy, check=True)
    duration = time.monotonic() - started

    rng = random.Random(20_261_205)
    outcomes = []
    for fraction in sorted(rng.uniform(0.2, 1.0) for _ in range(6)):
        delay = fraction * duration
        cli_child.run_or_kill(
            ["rollback", target],
            {**_env(), "WSISKG_STORE": str(store)},
            ROOT,
            tmp_path / "rollback.out",
            delay,
        )
        data, rollbacks = state()
        if data == dropped:
            outcomes.append("as it was")
            assert rollbacks == 0
        else:
            assert data == full, "neither as it was nor rolled back"
            assert rollbacks == 1
            outcomes.append("rolled back")
            break
    print(f"killed rollbacks ({duration:.1f} s each): {outcomes}")
    assert "as it was" in outcomes


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("WSISKG_")} | {"NO_COLOR": "1"}
